// HMAC with its set-up done once per key, for the signature check every webhook makes.
// OpenSSL 3's one-shot HMAC() fetches the HMAC implementation and the digest by name and keys
// a new context on every call; here the implementation is fetched once per process and each
// key gets a context keyed once (the key hashed and padded), which every call duplicates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <openssl/types.h>

namespace switchyard::crypto {

enum class HmacDigest : uint8_t { sha1, sha256 };

// How a secret becomes the HMAC key.
enum class HmacKeyFrom : uint8_t {
  secret,            // the secret's bytes (Autotask, HaloPSA)
  sha256_of_secret,  // SHA-256 of the secret (ConnectWise's x-content-signature)
};

// A keyed HMAC context. mac() may be called from several threads at once: each call works on
// its own duplicate of the keyed context.
class HmacKey {
 public:
  HmacKey(HmacDigest digest, std::string_view key);  // throws std::runtime_error
  ~HmacKey();
  HmacKey(HmacKey&& other) noexcept;
  HmacKey& operator=(HmacKey&& other) noexcept;
  HmacKey(const HmacKey&) = delete;
  HmacKey& operator=(const HmacKey&) = delete;

  // The raw MAC of data: 20 bytes for SHA-1, 32 for SHA-256.
  std::string mac(std::string_view data) const;

 private:
  EVP_MAC_CTX* ctx_ = nullptr;
};

// HMAC(key derived from `secret`, data), raw bytes, with the key made once per thread and
// secret and reused afterwards. Each thread keeps at most kHmacCacheSize keys; when full it
// starts over, so a replaced secret does not stay in the cache for good.
inline constexpr size_t kHmacCacheSize = 1024;
std::string cached_hmac(HmacDigest digest, HmacKeyFrom from, std::string_view secret, std::string_view data);

// This thread's cache, for tests: how many keys it holds, and how many it has made so far.
size_t hmac_cache_size();
uint64_t hmac_keys_made();

}  // namespace switchyard::crypto
