// Access tokens: for a PSA with a token scheme (Connector::token_source()), a token the
// sandbox expired early costs exactly one refresh, and the call after it succeeds. PSAs with
// static credentials have no token: the case is skipped, saying so.
#include "conformance/conformance_fixture.h"

namespace switchyard::conformance {
namespace {

class TokenConformance : public ConformanceTest {};

TEST_P(TokenConformance, AnExpiredTokenIsRefreshedExactlyOnce) {
  if (connector().token_source() == nullptr) {
    GTEST_SKIP() << connector().display_name()
                 << " uses static credentials (token_source() is nullptr): there is no token to refresh";
  }
  ASSERT_FALSE(connector().spec().pollable_entities.empty());
  const PollRequest request = poll_request(connector().spec().pollable_entities.front());
  auto first = connector().poll(sandbox_tenant(), http(), request);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const int64_t before = sandbox().token_stats(psa()).token_requests;
  EXPECT_GE(before, 1) << "the first call took no token";

  sandbox().expire_tokens(psa());
  auto after = connector().poll(sandbox_tenant(), http(), request);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(sandbox().token_stats(psa()).token_requests - before, 1) << "expected exactly one refresh";
}

INSTANTIATE_TEST_SUITE_P(Connectors, TokenConformance, ::testing::ValuesIn(connector_names()), test_name);

}  // namespace
}  // namespace switchyard::conformance
