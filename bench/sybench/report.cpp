#include "report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include "common/time_format.h"

namespace switchyard::bench {

Options::Options(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || i + 1 >= argc) throw std::invalid_argument("expected --name value, got " + arg);
    values_[arg.substr(2)] = argv[++i];
  }
}

std::string Options::str(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::string Options::required(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw std::invalid_argument("--" + name + " is required");
  return it->second;
}

double Options::num(const std::string& name, double fallback) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  size_t used = 0;
  const double v = std::stod(it->second, &used);
  if (used != it->second.size()) throw std::invalid_argument("--" + name + ": not a number");
  return v;
}

std::vector<pid_t> Options::pids(const std::string& name) const {
  std::vector<pid_t> out;
  for (const auto& item : split_list(str(name, ""))) out.push_back(static_cast<pid_t>(std::stol(item)));
  return out;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream list(text);
  for (std::string item; std::getline(list, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void emit(std::string_view name, double value, std::string_view unit) {
  // Integers print as integers; others with enough digits for their size.
  char text[64];
  if (std::fabs(value - std::round(value)) < 1e-9 && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else if (std::fabs(value) >= 100) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else if (std::fabs(value) >= 1) {
    std::snprintf(text, sizeof text, "%.2f", value);
  } else {
    std::snprintf(text, sizeof text, "%.4f", value);
  }
  std::printf("%.*s %s %.*s\n", static_cast<int>(name.size()), name.data(), text, static_cast<int>(unit.size()),
              unit.data());
  std::fflush(stdout);
}

void note(const std::string& text) { std::fprintf(stderr, "sybench: %s\n", text.c_str()); }

double Latencies::percentile(double p) {
  if (ms_.empty()) return 0;
  if (!sorted_) {
    std::sort(ms_.begin(), ms_.end());
    sorted_ = true;
  }
  // Nearest rank: the smallest sample with at least p% of the samples at or below it.
  const double rank = std::ceil(p / 100.0 * static_cast<double>(ms_.size()));
  const size_t index = static_cast<size_t>(std::clamp(rank, 1.0, static_cast<double>(ms_.size()))) - 1;
  return ms_[index];
}

void Latencies::emit_percentiles(const std::string& prefix, bool p999) {
  emit(prefix + "_p50", percentile(50), "ms");
  emit(prefix + "_p99", percentile(99), "ms");
  if (p999) emit(prefix + "_p999", percentile(99.9), "ms");
}

double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return -1;
  // Fields after the command name (which may hold spaces) start after the last ')'.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double parse_time_ms(std::string_view rfc3339) {
  auto parsed = parse_rfc3339(rfc3339);
  if (!parsed) return -1;
  return std::chrono::duration<double, std::milli>(parsed->time_since_epoch()).count();
}

std::string_view json_string_field(std::string_view json, std::string_view field) {
  const std::string needle = "\"" + std::string(field) + "\":\"";
  const size_t start = json.find(needle);
  if (start == std::string_view::npos) return {};
  const size_t begin = start + needle.size();
  const size_t end = json.find('"', begin);
  if (end == std::string_view::npos) return {};
  return json.substr(begin, end - begin);
}

}  // namespace switchyard::bench
