// Signing keys PSAs serve for their webhooks (ConnectWise's Metadata.key_url), per tenant and
// key URL, so a key is fetched once and not for every webhook. Keys rotate, and a URL may name
// a new key: a webhook the cached key does not verify may fetch again, but at most once a minute
// per URL, so a flood of forged webhooks never becomes a flood of calls to the PSA. Bounded: a
// few URLs per tenant (the oldest is dropped), each kept a day. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::ingest {

struct WebhookKeyCacheOptions {
  size_t urls_per_tenant = 4;
  std::chrono::seconds keep{24 * 3600};
  std::chrono::seconds refetch_after{60};
};

class WebhookKeyCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit WebhookKeyCache(WebhookKeyCacheOptions options = {}) : options_(options) {}
  ~WebhookKeyCache();  // overwrites the keys

  std::optional<std::string> get(const std::string& tenant, const std::string& url, Clock::time_point now = Clock::now());
  // True when the key of `url` may be fetched now (never fetched, or not in the last
  // refetch_after); the attempt is recorded, so concurrent callers get one true between them.
  bool claim_fetch(const std::string& tenant, const std::string& url, Clock::time_point now = Clock::now());
  void put(const std::string& tenant, const std::string& url, std::string key, Clock::time_point now = Clock::now());

 private:
  struct Entry {
    std::string url;
    std::string key;  // empty until fetched
    Clock::time_point fetched{}, attempted{};
  };
  Entry& entry(const std::string& tenant, const std::string& url, Clock::time_point now);

  WebhookKeyCacheOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Entry>> tenants_;  // most recently used last
};

}  // namespace switchyard::ingest
