#include "psa-sandbox/tenant_json.h"

#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>

#include "common/json_writer.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {
namespace {

Result<Value> object_of(std::string_view json, std::string_view code,
                        std::initializer_list<std::string_view> members) {
  auto parsed = parse_json(json.empty() ? "{}" : json);
  if (!parsed || !parsed->is_object()) return make_error("invalid_json", "body must be a JSON object");
  for (const auto& [key, value] : parsed->as_object()) {
    bool known = false;
    for (const auto m : members) known = known || key == m;
    if (!known) {
      std::string list;
      for (const auto m : members) list += (list.empty() ? "" : ", ") + std::string(m);
      return make_error(std::string(code), key + ": unknown member (" + list + ")");
    }
  }
  return std::move(*parsed);
}

// An integer member within [lo, hi] into `out` when present.
std::optional<Error> read_int(const Value& body, std::string_view code, std::string_view key, int64_t lo, int64_t hi,
                              int64_t& out) {
  const Value* v = body.find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_int() || v->as_int() < lo || v->as_int() > hi) {
    return make_error(std::string(code),
                      std::string(key) + ": must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  out = v->as_int();
  return std::nullopt;
}

std::optional<Error> read_string(const Value& body, std::string_view code, std::string_view key, std::string& out) {
  const Value* v = body.find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) return make_error(std::string(code), std::string(key) + ": must be a string");
  out = v->as_string();
  return std::nullopt;
}

}  // namespace

Result<Latency> latency_from_json(std::string_view json) {
  constexpr std::string_view code = "invalid_latency";
  auto body = object_of(json, code, {"latency_ms", "jitter_ms", "psa", "tenant", "seed"});
  if (!body) return body.error();
  Latency l;
  int64_t fixed = 0, jitter = 0, seed = 0;
  constexpr int64_t kMaxMs = 60000;
  if (auto e = read_int(*body, code, "latency_ms", 0, kMaxMs, fixed)) return *e;
  if (auto e = read_int(*body, code, "jitter_ms", 0, kMaxMs, jitter)) return *e;
  if (auto e = read_int(*body, code, "seed", 0, std::numeric_limits<int64_t>::max(), seed)) return *e;
  if (auto e = read_string(*body, code, "psa", l.psa)) return *e;
  if (auto e = read_string(*body, code, "tenant", l.tenant)) return *e;
  l.fixed = std::chrono::milliseconds(fixed);
  l.jitter = std::chrono::milliseconds(jitter);
  l.seed = static_cast<uint64_t>(seed);
  return l;
}

Result<Quota> quota_from_json(std::string_view json) {
  constexpr std::string_view code = "invalid_quota";
  auto body = object_of(json, code,
                        {"requests_per_second", "burst", "requests_per_hour", "retry_after_seconds", "exhausted",
                         "slow_from_half_ms", "slow_from_three_quarters_ms"});
  if (!body) return body.error();
  Quota q;
  if (const Value* v = body->find("requests_per_second")) {
    if (!v->is_number() || !std::isfinite(v->as_number()) || v->as_number() < 0 || v->as_number() > 100000) {
      return make_error(std::string(code), "requests_per_second: must be a number in 0..100000");
    }
    q.requests_per_second = v->as_number();
  }
  int64_t burst = 0, per_hour = 0, retry_after = 0, slow_half = 0, slow_three_quarters = 0;
  if (auto e = read_int(*body, code, "slow_from_half_ms", 0, 60000, slow_half)) return *e;
  if (auto e = read_int(*body, code, "slow_from_three_quarters_ms", 0, 60000, slow_three_quarters)) return *e;
  q.slow_from_half = std::chrono::milliseconds(slow_half);
  q.slow_from_three_quarters = std::chrono::milliseconds(slow_three_quarters);
  if (auto e = read_int(*body, code, "burst", 0, 1000000, burst)) return *e;
  if (auto e = read_int(*body, code, "requests_per_hour", 0, 100000000, per_hour)) return *e;
  if (auto e = read_int(*body, code, "retry_after_seconds", 0, 86400, retry_after)) return *e;
  if (const Value* v = body->find("exhausted")) {
    if (!v->is_bool()) return make_error(std::string(code), "exhausted: must be true or false");
    q.exhausted = v->as_bool();
  }
  q.burst = static_cast<int>(burst);
  q.requests_per_hour = per_hour;
  q.retry_after_seconds = static_cast<int>(retry_after);
  return q;
}

std::string latency_to_json(const Latency& l) {
  JsonWriter w;
  w.begin_object().field("latency_ms", static_cast<int64_t>(l.fixed.count()));
  w.field("jitter_ms", static_cast<int64_t>(l.jitter.count())).field("psa", l.psa).field("tenant", l.tenant);
  w.field("seed", l.seed).end_object();
  return w.take();
}

std::string quotas_to_json(const std::map<std::string, Quota>& quotas,
                           const std::map<std::string, TenantCounts>& counts) {
  JsonWriter w;
  w.begin_object().key("quotas").begin_object();
  for (const auto& [tenant, q] : quotas) {
    w.key(tenant).begin_object().field("requests_per_second", q.requests_per_second).field("burst", q.burst);
    w.field("requests_per_hour", q.requests_per_hour).field("retry_after_seconds", q.retry_after_seconds);
    w.field("exhausted", q.exhausted).field("slow_from_half_ms", static_cast<int64_t>(q.slow_from_half.count()));
    w.field("slow_from_three_quarters_ms", static_cast<int64_t>(q.slow_from_three_quarters.count())).end_object();
  }
  w.end_object().key("tenants").begin_object();
  int64_t requests = 0, throttled = 0;
  for (const auto& [tenant, c] : counts) {
    w.key(tenant).begin_object().field("requests", c.requests).field("throttled", c.throttled).end_object();
    requests += c.requests;
    throttled += c.throttled;
  }
  w.end_object().field("requests", requests).field("throttled", throttled).end_object();
  return w.take();
}

}  // namespace switchyard::sandbox
