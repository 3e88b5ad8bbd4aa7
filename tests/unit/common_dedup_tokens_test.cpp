// The claim tokens of normalize's dedup (common/dedup.h, claim_tokens): one random draw per
// batch, made unique per key by its index, so a token-checked release never matches another
// claim. The claim/done/release protocol itself is tested against Redis in
// tests/integration/dedup_test.cpp.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/dedup.h"

namespace switchyard {
namespace {

bool lower_hex(const std::string& s) {
  return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(DedupTokensTest, EveryTokenOfABatchIsDistinct128BitHex) {
  const auto tokens = claim_tokens(5000);
  ASSERT_EQ(tokens.size(), 5000u);
  std::set<std::string> seen;
  for (const auto& t : tokens) {
    EXPECT_EQ(t.size(), 32u);
    EXPECT_TRUE(lower_hex(t)) << t;
    EXPECT_TRUE(seen.insert(t).second) << "token used twice in one batch: " << t;
  }
}

TEST(DedupTokensTest, BatchesShareNoToken) {
  std::set<std::string> seen;
  for (int batch = 0; batch < 200; ++batch) {
    for (const auto& t : claim_tokens(500)) {
      ASSERT_TRUE(seen.insert(t).second) << "token of batch " << batch << " seen before: " << t;
    }
  }
}

TEST(DedupTokensTest, OneRandomDrawPerBatch) {
  // The index goes into the last 32 bits only: the first 96 bits are the batch's draw, and
  // two batches differ there.
  const auto a = claim_tokens(300), b = claim_tokens(300);
  for (const auto& t : a) EXPECT_EQ(t.substr(0, 24), a.front().substr(0, 24));
  EXPECT_NE(a.front().substr(0, 24), b.front().substr(0, 24));
  // Index 0 leaves the draw as it is; index i differs from it by exactly i in the low bits.
  const auto low = [](const std::string& t) { return std::stoul(t.substr(24), nullptr, 16); };
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(low(a[i]) ^ low(a[0]), i);
}

TEST(DedupTokensTest, NoKeysNoTokens) { EXPECT_TRUE(claim_tokens(0).empty()); }

}  // namespace
}  // namespace switchyard
