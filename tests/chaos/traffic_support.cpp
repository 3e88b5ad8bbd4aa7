#include "traffic_support.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "ledger.h"

namespace switchyard::chaos {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

Pacer::Pacer(double per_second)
    : interval_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / per_second))) {}

void Pacer::wait() {
  next_ = std::max(next_ + interval_, Clock::now());
  std::this_thread::sleep_until(next_);
}

std::optional<std::string> deliver(http::HttpClient& client, const http::ClientRequest& request,
                                   const std::atomic<int64_t>& give_up_at_ms, std::atomic<size_t>& refused,
                                   std::atomic<size_t>& given_up) {
  auto backoff = 200ms;
  for (;;) {
    auto r = client.send(request);
    if (r.ok() && r->status == 202) return r->body;
    if (r.ok() && r->status >= 400 && r->status < 500 && r->status != 408 && r->status != 429) {
      if (refused.fetch_add(1) < 5) {
        std::fprintf(stderr, "chaos: %s answered %d: %.300s\n", request.url.c_str(), r->status, r->body.c_str());
      }
      return std::nullopt;
    }
    if (now_ms() >= give_up_at_ms.load()) {
      ++given_up;
      return std::nullopt;
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, 2000ms);
  }
}

std::string upsert_record(http::HttpClient& client, const std::string& sandbox, const std::string& entity,
                          const std::string& json) {
  auto r = client.send({.method = "POST", .url = sandbox + "/_sandbox/records/" + entity, .body = json, .timeout = 5s});
  return r.ok() && r->status == 200 ? r->body : std::string();
}

int64_t id_of(const std::string& record) {
  simdjson::dom::parser parser;
  int64_t id = 0;
  if (parser.parse(record)["id"].get(id) != simdjson::SUCCESS) return 0;
  return id;
}

std::vector<std::string> idempotency_keys(const std::string& accepted_body) {
  std::vector<std::string> keys;
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(accepted_body)["idempotency_keys"].get(array) != simdjson::SUCCESS) return keys;
  for (auto k : array) {
    std::string_view s;
    if (k.get(s) == simdjson::SUCCESS) keys.emplace_back(s);
  }
  return keys;
}

std::string iso_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace switchyard::chaos
