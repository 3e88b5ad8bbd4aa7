// Structured logging: one JSON object per line on stderr, e.g.
//   {"ts":"2026-11-25T10:00:00.123Z","level":"info","service":"ingest","msg":"started","port":8080}
// Fields are explicit key/value pairs; nothing is interpolated into the message, so a secret
// can only reach a log by being passed as a field, and callers never do that.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "common/result.h"

namespace switchyard::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

struct Field {
  using Value = std::variant<std::string_view, int64_t, uint64_t, double, bool>;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, int64_t v) : key(k), value(v) {}
  Field(std::string_view k, uint64_t v) : key(k), value(v) {}
  Field(std::string_view k, long long v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, unsigned v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  std::string_view key;
  Value value;
};

// Process-wide settings; call once at start-up.
void init(std::string_view service, Level min_level);
Result<Level> parse_level(std::string_view name);  // "debug" | "info" | "warn" | "error"
bool enabled(Level level);

void write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});
inline void debug(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::Debug, m, f); }
inline void info(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::Info, m, f); }
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::Warn, m, f); }
inline void error(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::Error, m, f); }

// Formats one line without writing it (tests).
std::string format_line(Level level, std::string_view msg, std::initializer_list<Field> fields);

}  // namespace switchyard::log
