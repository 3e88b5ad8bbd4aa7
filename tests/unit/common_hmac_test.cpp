// The cached HMAC keys behind webhook signature checks (common/hmac.h): the same MACs as the
// one-shot HMAC (published vectors, RFC 4231 and RFC 2202), one key set-up per secret and
// thread, and correct under concurrent use and when the cache starts over.
#include "common/hmac.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/crypto.h"

namespace switchyard::crypto {
namespace {

std::string hex(const std::string& raw) { return hex_encode(raw); }

TEST(HmacKeyTest, MatchesThePublishedVectors) {
  // RFC 4231 test case 2 (SHA-256), RFC 2202 test case 2 (SHA-1).
  EXPECT_EQ(hex(HmacKey(HmacDigest::sha256, "Jefe").mac("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(HmacKey(HmacDigest::sha1, "Jefe").mac("what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  // RFC 4231 test case 6: a key longer than the block is hashed first.
  EXPECT_EQ(hex(HmacKey(HmacDigest::sha256, std::string(131, '\xaa'))
                    .mac("Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacKeyTest, EachCallStartsFromTheKeyedContext) {
  // A call that updated the shared context instead of a copy would change the next MAC.
  const HmacKey key(HmacDigest::sha256, "Jefe");
  const std::string first = key.mac("what do ya want for nothing?");
  EXPECT_EQ(key.mac("something else"), hmac_sha256("Jefe", "something else"));
  EXPECT_EQ(key.mac("what do ya want for nothing?"), first);
  EXPECT_EQ(key.mac(""), hmac_sha256("Jefe", ""));
}

TEST(HmacKeyTest, EmptyKeyAndBinaryBytes) {
  const std::string binary("k\0e\xffy", 5);
  EXPECT_EQ(HmacKey(HmacDigest::sha256, "").mac("body"), hmac_sha256("", "body"));
  EXPECT_EQ(HmacKey(HmacDigest::sha1, binary).mac(std::string("a\0b", 3)), hmac_sha1(binary, std::string("a\0b", 3)));
}

TEST(HmacKeyTest, MovedKeyStillWorks) {
  HmacKey a(HmacDigest::sha1, "secret");
  HmacKey b(std::move(a));
  EXPECT_EQ(b.mac("x"), hmac_sha1("secret", "x"));
  HmacKey c(HmacDigest::sha256, "other");
  c = std::move(b);
  EXPECT_EQ(c.mac("x"), hmac_sha1("secret", "x"));
}

TEST(CachedHmacTest, SameMacsAsTheOneShotHmac) {
  const std::string body = R"({"Action":"updated","Type":"ticket","ID":1})";
  EXPECT_EQ(cached_hmac(HmacDigest::sha256, HmacKeyFrom::secret, "s3cret", body), hmac_sha256("s3cret", body));
  EXPECT_EQ(cached_hmac(HmacDigest::sha1, HmacKeyFrom::secret, "s3cret", body), hmac_sha1("s3cret", body));
  // ConnectWise: the key is SHA-256 of the signing key.
  EXPECT_EQ(cached_hmac(HmacDigest::sha256, HmacKeyFrom::sha256_of_secret, "s3cret", body),
            hmac_sha256(sha256("s3cret"), body));
}

TEST(CachedHmacTest, AKeyIsMadeOncePerSecretDigestAndDerivation) {
  const uint64_t before = hmac_keys_made();
  const std::string secret = "cache-test-" + std::to_string(before);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(cached_hmac(HmacDigest::sha256, HmacKeyFrom::sha256_of_secret, secret, "body " + std::to_string(i)),
              hmac_sha256(sha256(secret), "body " + std::to_string(i)));
  }
  EXPECT_EQ(hmac_keys_made(), before + 1) << "the key was set up again for the same secret";
  // The digest and the derivation are part of the cache's key: no MAC with the wrong key.
  EXPECT_EQ(cached_hmac(HmacDigest::sha256, HmacKeyFrom::secret, secret, "b"), hmac_sha256(secret, "b"));
  EXPECT_EQ(cached_hmac(HmacDigest::sha1, HmacKeyFrom::secret, secret, "b"), hmac_sha1(secret, "b"));
  EXPECT_EQ(hmac_keys_made(), before + 3);
  // A secret that is a prefix of another is another key.
  EXPECT_EQ(cached_hmac(HmacDigest::sha1, HmacKeyFrom::secret, secret + "x", "b"), hmac_sha1(secret + "x", "b"));
  EXPECT_EQ(hmac_keys_made(), before + 4);
}

TEST(CachedHmacTest, AFullCacheStartsOverAndStaysCorrect) {
  for (size_t i = 0; i < kHmacCacheSize + 10; ++i) {
    const std::string secret = "many-" + std::to_string(i);
    ASSERT_EQ(cached_hmac(HmacDigest::sha1, HmacKeyFrom::secret, secret, "b"), hmac_sha1(secret, "b"));
    ASSERT_LE(hmac_cache_size(), kHmacCacheSize);
  }
  EXPECT_EQ(cached_hmac(HmacDigest::sha1, HmacKeyFrom::secret, "many-0", "b"), hmac_sha1("many-0", "b"));
}

TEST(CachedHmacTest, ThreadsEachUseTheirOwnKeys) {
  const std::string expected = hmac_sha256(sha256("shared"), "payload");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (cached_hmac(HmacDigest::sha256, HmacKeyFrom::sha256_of_secret, "shared", "payload") != expected) ++wrong;
      }
      if (hmac_keys_made() != 1) ++wrong;  // a new thread starts with an empty cache
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(CachedHmacTest, OneKeyMayBeUsedFromSeveralThreadsAtOnce) {
  const HmacKey key(HmacDigest::sha1, "shared");
  const std::string expected = hmac_sha1("shared", "payload");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (key.mac("payload") != expected) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace switchyard::crypto
