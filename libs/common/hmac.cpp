#include "common/hmac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "common/crypto.h"

namespace switchyard::crypto {
namespace {

// Fetched once, kept for the life of the process (fetching takes locks and a lookup by name).
EVP_MAC* hmac_implementation() {
  static EVP_MAC* const mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) throw std::runtime_error("EVP_MAC_fetch(HMAC) failed");
    return m;
  }();
  return mac;
}

const char* digest_name(HmacDigest digest) { return digest == HmacDigest::sha1 ? "SHA1" : "SHA256"; }

struct ThreadCache {
  // Key: digest, derivation, then the secret's bytes.
  std::unordered_map<std::string, HmacKey> keys;
  uint64_t made = 0;
};

ThreadCache& thread_cache() {
  thread_local ThreadCache cache;
  return cache;
}

}  // namespace

HmacKey::HmacKey(HmacDigest digest, std::string_view key) {
  ctx_ = EVP_MAC_CTX_new(hmac_implementation());
  if (ctx_ == nullptr) throw std::runtime_error("EVP_MAC_CTX_new failed");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest_name(digest)), 0),
      OSSL_PARAM_construct_end(),
  };
  // An empty key is a valid HMAC key, but OpenSSL wants a non-null pointer for it.
  static const unsigned char kNoKey = 0;
  const auto* bytes = key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(ctx_, bytes, key.size(), params) != 1) {
    EVP_MAC_CTX_free(ctx_);
    ctx_ = nullptr;
    throw std::runtime_error("EVP_MAC_init failed");
  }
}

HmacKey::~HmacKey() { EVP_MAC_CTX_free(ctx_); }

HmacKey::HmacKey(HmacKey&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

HmacKey& HmacKey::operator=(HmacKey&& other) noexcept {
  if (this != &other) {
    EVP_MAC_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
  }
  return *this;
}

std::string HmacKey::mac(std::string_view data) const {
  if (ctx_ == nullptr) throw std::runtime_error("HMAC key moved from");
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(ctx_);
  if (ctx == nullptr) throw std::runtime_error("EVP_MAC_CTX_dup failed");
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  const bool ok = EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
                  EVP_MAC_final(ctx, out, &len, sizeof out) == 1;
  EVP_MAC_CTX_free(ctx);
  if (!ok) throw std::runtime_error("HMAC failed");
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string cached_hmac(HmacDigest digest, HmacKeyFrom from, std::string_view secret, std::string_view data) {
  ThreadCache& cache = thread_cache();
  std::string id;
  id.reserve(secret.size() + 2);
  id.push_back(static_cast<char>(digest));
  id.push_back(static_cast<char>(from));
  id.append(secret);
  auto it = cache.keys.find(id);
  if (it == cache.keys.end()) {
    HmacKey key(digest, from == HmacKeyFrom::sha256_of_secret ? sha256(secret) : std::string(secret));
    if (cache.keys.size() >= kHmacCacheSize) cache.keys.clear();
    it = cache.keys.emplace(std::move(id), std::move(key)).first;
    ++cache.made;
  }
  return it->second.mac(data);
}

size_t hmac_cache_size() { return thread_cache().keys.size(); }
uint64_t hmac_keys_made() { return thread_cache().made; }

}  // namespace switchyard::crypto
