// What every sybench command shares: `--name value` options, the one-figure-per-line output
// (`name value unit`), latency percentiles, and a process's CPU time and peak RSS from /proc.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::bench {

class Options {
 public:
  Options(int argc, char** argv, int first);  // argv[first..]: --name value pairs
  std::string str(const std::string& name, const std::string& fallback) const;
  std::string required(const std::string& name) const;
  double num(const std::string& name, double fallback) const;
  std::vector<pid_t> pids(const std::string& name) const;  // comma-separated, may be absent

 private:
  std::map<std::string, std::string> values_;
};

// Prints "name value unit" on stdout (flushed): the machine-readable figure lines.
void emit(std::string_view name, double value, std::string_view unit);
// Progress and diagnostics go to stderr, prefixed, so stdout stays figures only.
void note(const std::string& text);

// Latency samples in milliseconds.
class Latencies {
 public:
  void reserve(size_t n) { ms_.reserve(n); }
  void add(double ms) { ms_.push_back(ms); }
  size_t size() const { return ms_.size(); }
  double percentile(double p);  // p in [0, 100]; 0 when empty
  // Emits <prefix>_p50_ms, <prefix>_p99_ms and, when asked, <prefix>_p999_ms.
  void emit_percentiles(const std::string& prefix, bool p999 = false);

 private:
  std::vector<double> ms_;
  bool sorted_ = false;
};

// user + system CPU seconds a process has used so far; -1 when it is gone.
double cpu_seconds(pid_t pid);
// Peak resident set size (VmHWM) in MiB; -1 when it is gone.
double peak_rss_mib(pid_t pid);

inline int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}
inline double wall_ms_precise() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}
// Milliseconds since the epoch of an RFC 3339 UTC timestamp with optional fraction; -1 if bad.
double parse_time_ms(std::string_view rfc3339);
// The string value of "field":"..." in a flat JSON text (no escapes in the value), or empty.
std::string_view json_string_field(std::string_view json, std::string_view field);

}  // namespace switchyard::bench
