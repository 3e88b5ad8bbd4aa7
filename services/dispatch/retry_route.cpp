#include "dispatch/retry_route.h"

#include <charconv>
#include <map>

#include "common/log.h"
#include "common/produce_batch.h"

namespace switchyard::dispatch {
namespace {

constexpr const char* kDivertPrefix = "sy:divert:";

int64_t header_int(const KafkaMessage& m, std::string_view name) {
  for (const auto& h : m.headers) {
    if (h.name != name) continue;
    int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(h.value.data(), h.value.data() + h.value.size(), v);
    return ec == std::errc() && ptr == h.value.data() + h.value.size() && v >= 0 ? v : 0;
  }
  return 0;
}

std::string header_text(const KafkaMessage& m, std::string_view name) {
  for (const auto& h : m.headers) {
    if (h.name == name) return h.value;
  }
  return {};
}

}  // namespace

std::string origin_of(const KafkaMessage& m) {
  return m.topic + ":" + std::to_string(m.partition) + ":" + std::to_string(m.offset);
}

int64_t read_retry_headers(WindowEntry& e) {
  e.from_retry = true;
  e.origin = header_text(e.message, "sy-origin");
  if (e.origin.empty() || e.origin.size() > 300) e.origin = origin_of(e.message);
  e.attempts = static_cast<int>(std::min<int64_t>(header_int(e.message, "sy-attempts"), 1000));
  e.parked_since_ms = header_int(e.message, "sy-parked-since");
  return header_int(e.message, "sy-not-before");
}

Result<std::set<std::string>> tenants_on_retry_route(RedisClient& redis, const std::set<std::string>& tenants) {
  std::set<std::string> out;
  if (tenants.empty()) return out;
  std::vector<std::vector<std::string>> commands;
  for (const auto& t : tenants) commands.push_back({"SCARD", kDivertPrefix + t});
  auto replies = redis.pipeline(commands);
  if (!replies) return replies.error();
  size_t i = 0;
  for (const auto& t : tenants) {
    const RedisReply& r = (*replies)[i++];
    if (r.type == RedisReply::Type::Error) return make_error("redis_error", "SCARD: " + r.str);
    if (r.integer > 0) out.insert(t);
  }
  return out;
}

std::vector<bool> move_to_retry(RedisClient& redis, KafkaProducer& producer, Metrics& metrics, const std::string& topic,
                                const std::vector<WindowEntry*>& entries, int64_t not_before_ms,
                                std::chrono::seconds set_ttl) {
  std::vector<bool> moved(entries.size(), false);
  if (entries.empty()) return moved;
  // Into the sets first: a crash after the produce but before this would let a newer command
  // of the key overtake the moved one.
  std::vector<std::vector<std::string>> commands;
  std::map<std::string, std::vector<std::string>> by_tenant;
  for (WindowEntry* e : entries) {
    if (e->origin.empty()) e->origin = origin_of(e->message);
    by_tenant[e->tenant].push_back(e->origin);
  }
  for (auto& [tenant, origins] : by_tenant) {
    std::vector<std::string> add = {"SADD", kDivertPrefix + tenant};
    add.insert(add.end(), origins.begin(), origins.end());
    commands.push_back(std::move(add));
    commands.push_back({"EXPIRE", kDivertPrefix + tenant, std::to_string(set_ttl.count())});
  }
  auto replies = redis.pipeline(commands);
  bool recorded = static_cast<bool>(replies);
  if (recorded) {
    for (const auto& r : *replies) recorded = recorded && r.type != RedisReply::Type::Error;
  }
  if (!recorded) {
    metrics.count_redis_error("retry_route_record");
    log::warn("commands not moved to the retry topic: redis could not record them");
    return moved;
  }
  ProduceBatch batch(producer, metrics);
  for (WindowEntry* e : entries) {
    std::vector<KafkaHeader> headers = e->message.headers;
    std::erase_if(headers, [](const KafkaHeader& h) { return h.name.rfind("sy-", 0) == 0; });
    headers.push_back({"sy-origin", e->origin});
    headers.push_back({"sy-not-before", std::to_string(not_before_ms)});
    headers.push_back({"sy-parked-since", std::to_string(e->parked_since_ms)});
    headers.push_back({"sy-attempts", std::to_string(e->attempts)});
    batch.add(topic, e->message.key, e->message.value, headers);
  }
  const auto results = batch.wait();
  for (size_t i = 0; i < entries.size(); ++i) moved[i] = results[i].ok;
  return moved;
}

void forget_diversion(RedisClient& redis, Metrics& metrics, const WindowEntry& e) {
  auto r = redis.checked_command({"SREM", kDivertPrefix + e.tenant, e.origin});
  if (!r) {
    // The set expires; until then the tenant's new commands take the retry route, in order.
    metrics.count_redis_error("retry_route_forget");
    log::warn("retry route: finished command not removed", {{"tenant", e.tenant}, {"error", r.error().message}});
  }
}

}  // namespace switchyard::dispatch
