#include "ingest/webhook_key_cache.h"

#include <openssl/crypto.h>

#include <algorithm>

namespace switchyard::ingest {
namespace {

void wipe(std::string& key) {
  OPENSSL_cleanse(key.data(), key.size());
  key.clear();
}

}  // namespace

WebhookKeyCache::~WebhookKeyCache() {
  for (auto& [tenant, entries] : tenants_) {
    for (Entry& e : entries) wipe(e.key);
  }
}

WebhookKeyCache::Entry& WebhookKeyCache::entry(const std::string& tenant, const std::string& url, Clock::time_point now) {
  auto& entries = tenants_[tenant];
  auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.url == url; });
  if (it != entries.end()) {
    std::rotate(it, it + 1, entries.end());  // most recently used last
    return entries.back();
  }
  if (entries.size() >= options_.urls_per_tenant) {
    wipe(entries.front().key);
    entries.erase(entries.begin());
  }
  entries.push_back(Entry{url, {}, {}, now - options_.refetch_after - std::chrono::seconds(1)});
  return entries.back();
}

std::optional<std::string> WebhookKeyCache::get(const std::string& tenant, const std::string& url,
                                                Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = tenants_.find(tenant);
  if (found == tenants_.end()) return std::nullopt;
  auto& entries = found->second;
  auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.url == url; });
  if (it == entries.end() || it->key.empty()) return std::nullopt;
  if (now - it->fetched > options_.keep) {
    wipe(it->key);
    return std::nullopt;
  }
  std::rotate(it, it + 1, entries.end());  // most recently used last
  return entries.back().key;
}

bool WebhookKeyCache::claim_fetch(const std::string& tenant, const std::string& url, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Entry& e = entry(tenant, url, now);
  if (now - e.attempted < options_.refetch_after) return false;
  e.attempted = now;
  return true;
}

void WebhookKeyCache::put(const std::string& tenant, const std::string& url, std::string key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Entry& e = entry(tenant, url, now);
  wipe(e.key);
  e.key = std::move(key);
  e.fetched = now;
}

}  // namespace switchyard::ingest
