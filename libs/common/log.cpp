#include "common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "common/json_writer.h"
#include "common/text.h"

namespace switchyard::log {
namespace {

std::atomic<int> g_min_level{static_cast<int>(Level::Info)};
std::string g_service = "switchyard";  // set once before threads start
std::mutex g_write_mutex;

std::string_view level_name(Level level) {
  switch (level) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warn";
    case Level::Error: return "error";
  }
  return "info";
}

std::string timestamp_now() {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count();
  const std::time_t t = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

void init(std::string_view service, Level min_level) {
  g_service = std::string(service);
  g_min_level = static_cast<int>(min_level);
}

Result<Level> parse_level(std::string_view name) {
  if (name == "debug") return Level::Debug;
  if (name == "info") return Level::Info;
  if (name == "warn" || name == "warning") return Level::Warn;
  if (name == "error") return Level::Error;
  return make_error("invalid_log_level", "log level must be one of debug, info, warn, error");
}

bool enabled(Level level) { return static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed); }

std::string format_line(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  JsonWriter w;
  w.reserve(128 + msg.size());
  w.begin_object();
  w.field("ts", timestamp_now());
  w.field("level", level_name(level));
  w.field("service", g_service);
  w.field("msg", msg);
  for (const Field& f : fields) {
    w.key(f.key);
    std::visit(
        [&w](const auto& v) {
          // A field may carry request input (a tenant id from a URL): keep the line valid JSON.
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string_view>) {
            if (!is_valid_utf8(v)) {
              w.value(valid_utf8(v));
              return;
            }
          }
          w.value(v);
        },
        f.value);
  }
  w.end_object();
  std::string line = w.take();
  line.push_back('\n');
  return line;
}

void write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  const std::string line = format_line(level, msg, fields);
  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace switchyard::log
