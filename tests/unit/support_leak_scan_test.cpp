// The secret and PII scans' own check: a value is found as written and inside longer encoded
// text at any alignment, and nothing is found where it is not.
#include <gtest/gtest.h>

#include "common/crypto.h"
#include "common/http_types.h"
#include "support/leak_scan.h"

namespace switchyard::testing {
namespace {

const std::map<std::string, std::string> kNeedles = {{"client secret", "halo-sandbox-client-secret"}};

TEST(LeakScanTest, FindsAValueAsWrittenAndEncodedAtAnyAlignment) {
  EXPECT_EQ(find_leaks(R"({"t":"halo-sandbox-client-secret"})", kNeedles),
            std::vector<std::string>{"client secret (as written)"});
  for (const std::string prefix : {"", "a", "ab", "abc", "abcd"}) {
    const std::string encoded = crypto::base64_encode(prefix + "halo-sandbox-client-secret" + "!?");
    const auto hits = find_leaks("token=" + encoded + ";", kNeedles);
    ASSERT_EQ(hits.size(), 1u) << prefix;
    EXPECT_TRUE(hits[0].starts_with("client secret (base64, offset ")) << hits[0];
  }
  const std::string hex = crypto::hex_encode("xhalo-sandbox-client-secret");
  EXPECT_EQ(find_leaks(hex, kNeedles), std::vector<std::string>{"client secret (hex)"});
  std::string upper = hex;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(find_leaks(upper, kNeedles), std::vector<std::string>{"client secret (hex)"});
  EXPECT_EQ(find_leaks("u=" + http::url_encode("a b@c.example"), {{"e-mail", "a b@c.example"}}),
            std::vector<std::string>{"e-mail (percent-encoded)"});
}

TEST(LeakScanTest, FindsNothingWhereTheValueIsNot) {
  EXPECT_TRUE(find_leaks("halo-sandbox-client-secre", kNeedles).empty());
  EXPECT_TRUE(find_leaks(crypto::base64_encode(crypto::sha256("halo-sandbox-client-secret")), kNeedles).empty());
  EXPECT_TRUE(find_leaks("", kNeedles).empty());
}

TEST(LeakScanTest, ShortFormsAreLeftOutSoTheyCannotMatchByChance) {
  for (const auto& form : encoded_forms("ab")) EXPECT_GE(form.text.size(), 8u) << form.form;
  EXPECT_FALSE(encoded_forms("a-long-enough-secret").empty());
}

}  // namespace
}  // namespace switchyard::testing
