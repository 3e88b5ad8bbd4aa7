// Reading configuration from environment variables. Every accessor validates and throws
// ConfigError naming the variable, so a bad setting stops the service at start with a clear
// message instead of misbehaving later.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace switchyard {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Env {
 public:
  // `lookup` defaults to ::getenv; tests pass a map.
  using Lookup = std::function<std::optional<std::string>(std::string_view)>;
  Env();
  explicit Env(Lookup lookup);

  std::string required(std::string_view name) const;
  std::string string(std::string_view name, std::string_view fallback) const;
  int64_t integer(std::string_view name, int64_t fallback, int64_t min, int64_t max) const;
  double number(std::string_view name, double fallback, double min, double max) const;
  bool boolean(std::string_view name, bool fallback) const;
  // "host:port" → (host, port); port 0 means an ephemeral port (tests).
  std::pair<std::string, uint16_t> listen_address(std::string_view name, std::string_view fallback) const;

 private:
  std::optional<std::string> get(std::string_view name) const;
  Lookup lookup_;
};

}  // namespace switchyard
