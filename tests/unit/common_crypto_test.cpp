// Known-answer tests for the hashing, HMAC and encoding helpers behind webhook signatures and
// idempotency keys. Expected values are the published test vectors (FIPS 180-2, RFC 4231,
// RFC 2202, RFC 4648), not outputs of the code under test.
#include "common/crypto.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::crypto {
namespace {

// Hex of raw bytes, written here so the vectors do not depend on hex_encode.
std::string to_hex(const std::string& raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

TEST(CryptoTest, Sha256OfAbcIsTheFipsVector) {
  // FIPS 180-2, Appendix B.1.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string raw = sha256("abc");
  ASSERT_EQ(raw.size(), 32u);
  EXPECT_EQ(to_hex(raw), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, Sha256OfEmptyAndTwoBlockMessages) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // FIPS 180-2, Appendix B.2 (448-bit message spanning two blocks).
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(CryptoTest, Sha256HandlesEmbeddedNulBytes) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(sha256_hex(with_nul), sha256_hex("a"));
  EXPECT_NE(sha256_hex(with_nul), sha256_hex("ab"));
}

// The digest is fetched once and each thread keeps its own context (issue #18): threads hashing
// at once each get the published answer.
TEST(CryptoTest, Sha256FromManyThreadsAtOnceGivesTheFipsVector) {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&wrong] {
      for (int i = 0; i < 2000; ++i) {
        if (to_hex(sha256("abc")) != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(CryptoTest, HmacSha256Rfc4231TestCase2) {
  const std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  ASSERT_EQ(mac.size(), 32u);
  EXPECT_EQ(to_hex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, HmacSha256Rfc4231TestCase6KeyLongerThanBlock) {
  const std::string key(131, '\xaa');
  const std::string mac = hmac_sha256(key, "Test Using Larger Than Block-Size Key - Hash Key First");
  EXPECT_EQ(to_hex(mac), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(CryptoTest, HmacSha1Rfc2202TestCase2) {
  const std::string mac = hmac_sha1("Jefe", "what do ya want for nothing?");
  ASSERT_EQ(mac.size(), 20u);
  EXPECT_EQ(to_hex(mac), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(CryptoTest, HmacSha1Rfc2202TestCase1BinaryKey) {
  const std::string key(20, '\x0b');
  EXPECT_EQ(to_hex(hmac_sha1(key, "Hi There")), "b617318655057264e28bc0b6fb378c8ef146be00");
}

TEST(CryptoTest, Base64Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(CryptoTest, Base64OfBinaryUsesTheStandardAlphabet) {
  // 0xfb 0xff 0xbf → "+/+/" exercises both non-alphanumeric characters; NUL bytes must survive.
  EXPECT_EQ(base64_encode(std::string("\xfb\xff\xbf", 3)), "+/+/");
  EXPECT_EQ(base64_encode(std::string("\0\0\0", 3)), "AAAA");
  EXPECT_EQ(base64_encode(std::string("\0", 1)), "AA==");
}

TEST(CryptoTest, Base64OfLongInputHasNoLineBreaks) {
  // Signatures are compared as one string; PEM-style line wrapping would break them.
  const std::string input(200, 'x');
  const std::string out = base64_encode(input);
  EXPECT_EQ(out.size(), 4 * ((input.size() + 2) / 3));
  EXPECT_EQ(out.find('\n'), std::string::npos);
  EXPECT_EQ(out.find('\0'), std::string::npos);
}

TEST(CryptoTest, HexEncode) {
  EXPECT_EQ(hex_encode(""), "");
  EXPECT_EQ(hex_encode(std::string("\x00\x01\x7f\x80\xff", 5)), "00017f80ff");
  EXPECT_EQ(hex_encode("AZ"), "415a");
}

TEST(CryptoTest, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("signature", "signature"));
  EXPECT_FALSE(constant_time_equal("signature", "signaturf"));
  EXPECT_FALSE(constant_time_equal("signature", "Signature"));
  EXPECT_FALSE(constant_time_equal("signature", "signatur"));   // prefix
  EXPECT_FALSE(constant_time_equal("signatur", "signature"));
  EXPECT_FALSE(constant_time_equal("", "x"));
  EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(CryptoTest, RandomHexLengthAlphabetAndUniqueness) {
  EXPECT_EQ(random_hex(0), "");
  for (size_t bytes : {1u, 8u, 16u, 32u}) {
    const std::string h = random_hex(bytes);
    EXPECT_EQ(h.size(), 2 * bytes);
    EXPECT_TRUE(std::all_of(h.begin(), h.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
        << h;
  }
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random_hex(16));
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace switchyard::crypto
