// Served signing keys: for a PSA that signs each webhook with a key it serves and names in the
// webhook (spec().webhook_auth PsaServedKey), a tenant with no configured secret verifies the
// webhook the sandbox sends once the named key is fetched from the tenant's own host, and a
// webhook naming a key on another host is refused before anything is fetched.
#include <mutex>

#include "common/http_server.h"
#include "conformance/conformance_fixture.h"

namespace switchyard::conformance {
namespace {

class ServedKeyConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (HasFatalFailure()) return;
    if (connector().spec().webhook_auth != ConnectorSpec::WebhookAuth::PsaServedKey) {
      GTEST_SKIP() << connector().display_name() << " does not sign webhooks with a key it serves";
    }
    ASSERT_TRUE(fixtures().served_key.has_value()) << fixtures().dir << "/served_key.json: required for a PSA "
                                                   << "that signs webhooks with a key it serves";
    tenant_ = sandbox_tenant();
    tenant_.webhook_signing_secrets.clear();  // nothing configured: the served key must do
  }

  // The webhook the sandbox sends about the fixture's record, as a receiver gets it.
  http::Request sandbox_webhook() {
    const ServedKeySample& s = *fixtures().served_key;
    const std::string id = id_of(upsert(s.sandbox_entity, s.record));
    http::ServerOptions options;
    http::HttpServer receiver(options);
    std::mutex mu;
    http::Request received;
    receiver.route("POST", "/hook", [&](http::Request&& request, http::Responder respond) {
      {
        std::lock_guard lock(mu);
        received = std::move(request);
      }
      respond(http::Response{200, "application/json", {}, "{}"});
    });
    receiver.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
    auto status = sandbox().fire_webhook(psa(), url, s.webhook_entity, id, s.action, kSandboxTenant);
    receiver.stop();
    EXPECT_TRUE(status.ok()) << status.error().code << ": " << status.error().message;
    std::lock_guard lock(mu);
    return received;
  }

  Tenant tenant_;
};

TEST_P(ServedKeyConformance, TheSandboxWebhookVerifiesWithTheKeyItNames) {
  const http::Request webhook = sandbox_webhook();
  ASSERT_FALSE(webhook.body.empty()) << "the sandbox sent no webhook";
  EXPECT_FALSE(connector().verify_webhook(tenant_, {webhook.body, webhook.headers}).ok())
      << "verified without any key";

  auto key_url = connector().webhook_key_url(tenant_, webhook.body);
  ASSERT_TRUE(key_url.ok()) << key_url.error().code << ": " << key_url.error().message;
  ASSERT_TRUE(key_url->has_value()) << "the webhook names no key";
  auto key = connector().fetch_webhook_key(tenant_, http(), **key_url);
  ASSERT_TRUE(key.ok()) << key.error().code << ": " << key.error().message;

  const std::vector<std::string> keys{*key};
  const Status verified = connector().verify_webhook(tenant_, {webhook.body, webhook.headers, "", "", &keys});
  EXPECT_TRUE(verified.ok()) << verified.error().code << ": " << verified.error().message;
  auto changes = connector().decode_webhook(tenant_, webhook.body);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  EXPECT_FALSE(changes->empty());

  const std::vector<std::string> wrong{"conformance-not-the-served-key"};
  EXPECT_FALSE(connector().verify_webhook(tenant_, {webhook.body, webhook.headers, "", "", &wrong}).ok())
      << "verified with a key that is not the served one";
}

TEST_P(ServedKeyConformance, AKeyNamedOnAnotherHostIsNeverFetched) {
  // The samples were captured from the PSA's own host, which is not this tenant's (the sandbox).
  const auto base = http::parse_url(tenant_.base_url);
  ASSERT_TRUE(base.ok());
  for (const auto& sample : fixtures().webhooks) {
    SCOPED_TRACE("webhooks/" + sample.name);
    auto key_url = connector().webhook_key_url(tenant_, sample.body);
    if (!key_url.ok()) continue;  // refused: nothing is fetched
    if (!key_url->has_value()) continue;  // names no key
    auto url = http::parse_url(**key_url);
    ASSERT_TRUE(url.ok()) << **key_url;
    EXPECT_EQ(url->host + ":" + std::to_string(url->port), base->host + ":" + std::to_string(base->port))
        << "a key URL off the tenant's host would be fetched with its credentials: " << **key_url;
  }
}

INSTANTIATE_TEST_SUITE_P(Connectors, ServedKeyConformance, ::testing::ValuesIn(connector_names()), test_name);

}  // namespace
}  // namespace switchyard::conformance
