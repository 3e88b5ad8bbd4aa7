#include "common/env.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace switchyard {

Env::Env()
    : lookup_([](std::string_view name) -> std::optional<std::string> {
        const char* v = std::getenv(std::string(name).c_str());
        if (v == nullptr) return std::nullopt;
        return std::string(v);
      }) {}

Env::Env(Lookup lookup) : lookup_(std::move(lookup)) {}

std::optional<std::string> Env::get(std::string_view name) const {
  auto v = lookup_(name);
  if (v && v->empty()) return std::nullopt;  // VAR= counts as unset
  return v;
}

std::string Env::required(std::string_view name) const {
  auto v = get(name);
  if (!v) throw ConfigError(std::string(name) + ": required environment variable is not set");
  return *v;
}

std::string Env::string(std::string_view name, std::string_view fallback) const {
  auto v = get(name);
  return v ? *v : std::string(fallback);
}

int64_t Env::integer(std::string_view name, int64_t fallback, int64_t min, int64_t max) const {
  auto v = get(name);
  if (!v) return fallback;
  int64_t out = 0;
  const auto* end = v->data() + v->size();
  const auto [ptr, ec] = std::from_chars(v->data(), end, out);
  if (ec != std::errc() || ptr != end) {
    throw ConfigError(std::string(name) + ": must be an integer, got \"" + *v + "\"");
  }
  if (out < min || out > max) {
    throw ConfigError(std::string(name) + ": must be between " + std::to_string(min) + " and " +
                      std::to_string(max) + ", got " + *v);
  }
  return out;
}

double Env::number(std::string_view name, double fallback, double min, double max) const {
  auto v = get(name);
  if (!v) return fallback;
  char* end = nullptr;
  const double out = std::strtod(v->c_str(), &end);
  if (end != v->c_str() + v->size() || !std::isfinite(out)) {
    throw ConfigError(std::string(name) + ": must be a finite number, got \"" + *v + "\"");
  }
  if (out < min || out > max) {
    throw ConfigError(std::string(name) + ": must be between " + std::to_string(min) + " and " +
                      std::to_string(max) + ", got " + *v);
  }
  return out;
}

bool Env::boolean(std::string_view name, bool fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  if (*v == "1" || *v == "true" || *v == "yes") return true;
  if (*v == "0" || *v == "false" || *v == "no") return false;
  throw ConfigError(std::string(name) + ": must be true or false, got \"" + *v + "\"");
}

std::pair<std::string, uint16_t> Env::listen_address(std::string_view name, std::string_view fallback) const {
  const std::string v = string(name, fallback);
  const auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw ConfigError(std::string(name) + ": must be host:port, got \"" + v + "\"");
  }
  unsigned port = 0;
  const char* begin = v.data() + colon + 1;
  const char* end = v.data() + v.size();
  const auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port > 65535) {
    throw ConfigError(std::string(name) + ": port must be 0-65535, got \"" + v + "\"");
  }
  std::string host = v.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);  // [::1]
  return {host, static_cast<uint16_t>(port)};
}

}  // namespace switchyard
