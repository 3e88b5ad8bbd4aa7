// Webhooks: every entity the PSA reports by webhook has a sample, and every sample is verified
// with the fixture tenant's secrets and decoded to exactly the changes the sample states; a PSA
// that signs its webhooks has a wrong secret and an altered body refused.
#include "conformance/conformance_fixture.h"

namespace switchyard::conformance {
namespace {

class WebhookConformance : public ConformanceTest {};

constexpr const char* kUnusedBaseUrl = "http://127.0.0.1:9/unused";  // webhooks call no PSA

bool signs(const ConnectorSpec& spec) {
  using Auth = ConnectorSpec::WebhookAuth;
  return spec.webhook_auth == Auth::Signature || spec.webhook_auth == Auth::SignatureOrUrlSecret ||
         spec.webhook_auth == Auth::PsaServedKey;
}

TEST_P(WebhookConformance, EverySampleIsVerifiedAndDecodedToItsChanges) {
  if (connector().spec().webhook_entities.empty() &&
      connector().spec().webhook_auth == ConnectorSpec::WebhookAuth::None) {
    GTEST_SKIP() << connector().display_name() << " documents no webhooks (every entity is polled)";
  }
  ASSERT_FALSE(fixtures().webhooks.empty()) << fixtures().dir << "/webhooks/: no sample webhook";
  for (const auto& entity : connector().spec().webhook_entities) {
    bool sampled = false;
    for (const auto& sample : fixtures().webhooks) {
      for (const auto& change : sample.changes) sampled = sampled || change.entity == entity;
    }
    EXPECT_TRUE(sampled) << fixtures().dir << "/webhooks/: no sample of webhook entity \"" << entity << "\"";
  }
  const Tenant tenant = tenant_at(kUnusedBaseUrl);
  for (const auto& sample : fixtures().webhooks) {
    SCOPED_TRACE("webhooks/" + sample.name);
    const Status verified = connector().verify_webhook(tenant, {sample.body, sample.headers});
    EXPECT_TRUE(verified.ok()) << verified.error().code << ": " << verified.error().message;
    auto changes = connector().decode_webhook(tenant, sample.body);
    ASSERT_TRUE(changes.ok()) << changes.error().code << ": " << changes.error().message;
    ASSERT_EQ(changes->size(), sample.changes.size());
    for (size_t i = 0; i < sample.changes.size(); ++i) {
      const auto& want = sample.changes[i];
      const auto& got = (*changes)[i];
      EXPECT_EQ(got.entity, want.entity) << "change " << i;
      EXPECT_EQ(got.entity_id, want.entity_id) << "change " << i;
      EXPECT_EQ(got.action, want.action) << "change " << i;
      EXPECT_EQ(got.version, want.version) << "change " << i;
      EXPECT_EQ(got.needs_fetch, want.needs_fetch) << "change " << i;
      EXPECT_FALSE(got.body.empty()) << "change " << i << ": the envelope needs the body";
    }
  }
}

TEST_P(WebhookConformance, AWrongSecretOrAnAlteredBodyIsRefused) {
  if (!signs(connector().spec())) GTEST_SKIP() << connector().display_name() << " does not sign its webhooks";
  ASSERT_FALSE(fixtures().webhooks.empty()) << fixtures().dir << "/webhooks/: no sample webhook";
  Tenant wrong_secret = tenant_at(kUnusedBaseUrl);
  const Tenant tenant = wrong_secret;
  wrong_secret.webhook_signing_secrets = {"conformance-not-the-tenant-secret"};
  for (const auto& sample : fixtures().webhooks) {
    SCOPED_TRACE("webhooks/" + sample.name);
    EXPECT_FALSE(connector().verify_webhook(wrong_secret, {sample.body, sample.headers}).ok())
        << "accepted with a secret the sample was not signed with";
    std::string altered = sample.body;
    altered[altered.size() / 2] = static_cast<char>(altered[altered.size() / 2] ^ 0x01);
    EXPECT_FALSE(connector().verify_webhook(tenant, {altered, sample.headers}).ok()) << "accepted an altered body";
    EXPECT_FALSE(connector().verify_webhook(tenant, {sample.body + " ", sample.headers}).ok())
        << "accepted a body with a byte appended";
    EXPECT_FALSE(connector().verify_webhook(tenant, {sample.body, http::Headers{}}).ok())
        << "accepted a sample without its headers";
  }
}

INSTANTIATE_TEST_SUITE_P(Connectors, WebhookConformance, ::testing::ValuesIn(connector_names()), test_name);

}  // namespace
}  // namespace switchyard::conformance
