#include <gtest/gtest.h>

#include <fstream>

#include "common/crypto.h"
#include "common/secret_box.h"

namespace switchyard {
namespace {

// Two fixed 32-byte keys, base64 (as `openssl rand -base64 32` writes them).
const std::string kKeyA = crypto::base64_encode(std::string(32, 'a'));
const std::string kKeyB = crypto::base64_encode(std::string(32, 'b'));

SecretKeyring ring(const std::string& text) {
  auto parsed = SecretKeyring::parse(text);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  return std::move(parsed).value();
}

TEST(SecretKeyringTest, TheFirstKeySealsAndTheValueOpensInItsContextOnly) {
  const auto keys = ring("# comment\n\nk2026 " + kKeyA + "\nk2025 " + kKeyB + "\n");
  EXPECT_EQ(keys.current_id(), "k2026");
  EXPECT_EQ(keys.key_ids(), (std::vector<std::string>{"k2026", "k2025"}));

  const std::string sealed = keys.seal("access-token-value", "sy:auth:token:acme#access");
  EXPECT_TRUE(sealed.starts_with("sy1:k2026:")) << sealed;
  EXPECT_EQ(sealed.find("access-token-value"), std::string::npos);
  EXPECT_TRUE(SecretKeyring::looks_sealed(sealed));

  auto opened = keys.open(sealed, "sy:auth:token:acme#access");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, "access-token-value");

  // Moved to another tenant's key, or to the refresh field: it does not open.
  EXPECT_EQ(keys.open(sealed, "sy:auth:token:globex#access").error().code, "tampered");
  EXPECT_EQ(keys.open(sealed, "sy:auth:token:acme#refresh").error().code, "tampered");
}

TEST(SecretKeyringTest, EverySealUsesAFreshNonce) {
  const auto keys = ring("k " + kKeyA);
  EXPECT_NE(keys.seal("same", "ctx"), keys.seal("same", "ctx"));
  auto empty = keys.open(keys.seal("", "ctx"), "ctx");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(SecretKeyringTest, RotationOpensOldValuesAndSealsNewOnesWithTheNewKey) {
  const auto before = ring("old " + kKeyA);
  const std::string written_before = before.seal("refresh-1", "ctx");

  const auto during = ring("new " + kKeyB + "\nold " + kKeyA);
  auto opened = during.open(written_before, "ctx");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, "refresh-1");
  EXPECT_TRUE(during.seal("refresh-2", "ctx").starts_with("sy1:new:"));

  // Once the old key is removed, what it sealed no longer opens (and is fetched again).
  const auto after = ring("new " + kKeyB);
  EXPECT_EQ(after.open(written_before, "ctx").error().code, "unknown_key");
  EXPECT_TRUE(after.open(during.seal("refresh-2", "ctx"), "ctx").ok());
}

TEST(SecretKeyringTest, ASameIdWithAnotherKeyFailsAuthentication) {
  const auto a = ring("k " + kKeyA);
  const auto b = ring("k " + kKeyB);
  EXPECT_EQ(b.open(a.seal("x", "ctx"), "ctx").error().code, "tampered");
}

TEST(SecretKeyringTest, CorruptedOrForeignValuesAreRefused) {
  const auto keys = ring("k " + kKeyA);
  std::string sealed = keys.seal("secret", "ctx");
  EXPECT_EQ(keys.open("plaintext-token", "ctx").error().code, "unsealed");
  EXPECT_EQ(keys.open("sy1:k", "ctx").error().code, "tampered");
  EXPECT_EQ(keys.open("sy1:k:!!!!", "ctx").error().code, "tampered");
  EXPECT_EQ(keys.open("sy1:k:AAAA", "ctx").error().code, "tampered");  // shorter than nonce + tag
  EXPECT_EQ(keys.open("sy1:other:" + sealed.substr(7), "ctx").error().code, "unknown_key");
  // Flip one bit of the ciphertext (a base64 character in the middle).
  const size_t middle = 7 + (sealed.size() - 7) / 2;
  sealed[middle] = sealed[middle] == 'A' ? 'B' : 'A';
  EXPECT_EQ(keys.open(sealed, "ctx").error().code, "tampered");
}

TEST(SecretKeyringTest, BadFilesNameTheLineAndNeverTheKey) {
  const std::string short_key = crypto::base64_encode(std::string(16, 's'));
  auto bad = SecretKeyring::parse("good " + kKeyA + "\nshort " + short_key + "\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_secret_keys");
  EXPECT_NE(bad.error().message.find("line 2"), std::string::npos) << bad.error().message;
  EXPECT_EQ(bad.error().message.find(short_key), std::string::npos);
  EXPECT_EQ(bad.error().message.find(kKeyA), std::string::npos);

  EXPECT_FALSE(SecretKeyring::parse("").ok());
  EXPECT_FALSE(SecretKeyring::parse("# only a comment\n").ok());
  EXPECT_FALSE(SecretKeyring::parse("justakey\n").ok());
  EXPECT_FALSE(SecretKeyring::parse("bad/id " + kKeyA).ok());
  EXPECT_FALSE(SecretKeyring::parse("k " + kKeyA + "\nk " + kKeyB).ok());  // an id twice
  EXPECT_FALSE(SecretKeyring::parse("k not-base64!").ok());
  EXPECT_FALSE(SecretKeyring::load_file("/nonexistent/keys").ok());
}

TEST(SecretKeyringTest, LoadsAFileWithWindowsLineEnds) {
  const std::string path = ::testing::TempDir() + "secret_keys_test";
  std::ofstream(path) << "  k1\t" << kKeyA << "\r\nk0 " << kKeyB << "\r\n";
  auto keys = SecretKeyring::load_file(path);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  EXPECT_EQ(keys->current_id(), "k1");
  EXPECT_EQ(keys->key_ids().size(), 2u);
}

TEST(SecretKeyringTest, TheEphemeralRingIsOneRandomKeyPerProcess) {
  const auto a = SecretKeyring::process_ephemeral();
  const auto b = SecretKeyring::process_ephemeral();
  EXPECT_EQ(a.get(), b.get());
  EXPECT_TRUE(a->current_id().starts_with("ephemeral-"));
  const auto fixed = ring("k " + kKeyA);
  EXPECT_EQ(fixed.open(a->seal("x", "ctx"), "ctx").error().code, "unknown_key");
}

TEST(Base64Test, DecodesWhatItEncodesAndRefusesTheRest) {
  for (const std::string& text : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)}) {
    auto decoded = crypto::base64_decode(crypto::base64_encode(text));
    ASSERT_TRUE(decoded.has_value()) << text;
    EXPECT_EQ(*decoded, text);
  }
  EXPECT_FALSE(crypto::base64_decode("abc").has_value());
  EXPECT_FALSE(crypto::base64_decode("ab-_").has_value());
}

}  // namespace
}  // namespace switchyard
