// Helpers shared by the chaos suite's traffic streams (traffic.h): pacing, the retrying
// delivery, the sandbox's record endpoint, and the little JSON the streams read back.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/http_client.h"

namespace switchyard::chaos {

// Paces a stream at `per_second` without bursting to catch up after a slow delivery.
class Pacer {
 public:
  explicit Pacer(double per_second);
  void wait();

 private:
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point next_ = std::chrono::steady_clock::now();
};

// Retries one delivery until ingest answers 202, like a PSA or the vendor platform would.
// Returns the 202 body; nothing when refused (a 4xx other than 408/429, counted in `refused`)
// or still not accepted at `give_up_at_ms` (counted in `given_up`).
std::optional<std::string> deliver(http::HttpClient& client, const http::ClientRequest& request,
                                   const std::atomic<int64_t>& give_up_at_ms, std::atomic<size_t>& refused,
                                   std::atomic<size_t>& given_up);

// A record created or updated through the sandbox's control endpoint (entity
// "connectwise/tickets", "autotask/Tickets"); empty on failure.
std::string upsert_record(http::HttpClient& client, const std::string& sandbox, const std::string& entity,
                          const std::string& json);

int64_t id_of(const std::string& record);
std::vector<std::string> idempotency_keys(const std::string& accepted_body);
std::string iso_now();  // UTC with milliseconds

// Keeps the newest `limit` items.
template <class T>
void keep(std::deque<T>& items, T item, size_t limit = 40) {
  items.push_back(std::move(item));
  if (items.size() > limit) items.pop_front();
}

}  // namespace switchyard::chaos
