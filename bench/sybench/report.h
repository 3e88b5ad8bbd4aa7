// What every sybench command shares: `--name value` options, the one-figure-per-line output
// (`name value unit`), latency percentiles, a process's CPU time from /proc, and small helpers.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <thread>
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

// "a,b,,c" → {"a", "b", "c"}.
std::vector<std::string> split_list(const std::string& text);

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

inline double wall_ms_precise() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}
// The record id at the end of a Kafka key "tenant/entity/id" (raw and canonical topics alike).
inline uint64_t record_id_of_key(const std::string& key) { return std::stoull(key.substr(key.rfind('/') + 1)); }

// A background loop that runs until stop() or destruction, so a failed run (an exception)
// still stops and joins it.
class BackgroundLoop {
 public:
  template <typename Body>  // Body: void(const std::atomic<bool>& stopping)
  explicit BackgroundLoop(Body body) : thread_([this, body] { body(stopping_); }) {}
  ~BackgroundLoop() { stop(); }
  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Milliseconds since the epoch of an RFC 3339 UTC timestamp with optional fraction; -1 if bad.
double parse_time_ms(std::string_view rfc3339);
// The string value of "field":"..." in a flat JSON text (no escapes in the value), or empty.
std::string_view json_string_field(std::string_view json, std::string_view field);

}  // namespace switchyard::bench
