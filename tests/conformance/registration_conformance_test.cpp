// Webhook registration, for every connector that registers webhooks in its PSA: registering is
// idempotent (a second run changes nothing and returns the same entries), a new URL (a rotated
// URL secret) moves the same entries rather than adding more, unregistering removes exactly what
// was registered and may run twice, and the MSP's own entry (another integration's) is never
// touched.
#include "conformance/conformance_fixture.h"

namespace switchyard::conformance {
namespace {

class RegistrationConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (HasFatalFailure()) return;
    // Asked with a URL no PSA entry has yet; a connector without registration says so first.
    auto probe = connector().register_webhooks(sandbox_tenant(), http(), url_);
    if (!probe.ok() && probe.error().code == connectors::kNotSupported) {
      GTEST_SKIP() << connector().display_name() << " does not register webhooks";
    }
    ASSERT_TRUE(probe.ok()) << probe.error().code << ": " << probe.error().message;
    ASSERT_TRUE(fixtures().registration.has_value())
        << fixtures().dir << "/registration.json: required for a connector that registers webhooks";
    first_ = *probe;
  }

  // The MSP's own entry (fixture `foreign`), and its URL.
  std::string add_foreign_entry() {
    const auto& f = fixtures().registration->foreign;
    upsert(f.sandbox_entity, f.json);
    simdjson::dom::element record;
    std::string_view url;
    EXPECT_EQ(parser_.parse(f.json).get(record), simdjson::SUCCESS);
    EXPECT_EQ(record[fixtures().registration->url_field].get(url), simdjson::SUCCESS)
        << "registration.json: foreign.record has no " << fixtures().registration->url_field;
    return std::string(url);
  }

  // Entries in the sandbox whose URL is `url`.
  size_t entries_at(const std::string& url) {
    const auto& r = *fixtures().registration;
    const std::string needle = "\"" + r.url_field + "\":\"" + url + "\"";
    size_t n = 0;
    for (const auto& entity : r.sandbox_entities) {
      for (const auto& json : records(entity)) n += json.find(needle) != std::string::npos ? 1 : 0;
    }
    return n;
  }

  const std::string url_ = "https://switchyard.example.com/v1/webhooks/conformance/conformance";
  connectors::WebhookRegistration first_;
};

TEST_P(RegistrationConformance, RegisteringTwiceChangesNothingTheSecondTime) {
  EXPECT_TRUE(first_.changed);
  ASSERT_FALSE(first_.ids.empty());
  EXPECT_EQ(entries_at(url_), first_.ids.size());
  auto again = connector().register_webhooks(sandbox_tenant(), http(), url_);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->ids, first_.ids);
  EXPECT_EQ(entries_at(url_), first_.ids.size());
}

TEST_P(RegistrationConformance, ANewUrlMovesTheSameEntries) {
  const std::string rotated = url_ + "/rotated-url-secret-0123456789abcdef";
  auto moved = connector().register_webhooks(sandbox_tenant(), http(), rotated);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_TRUE(moved->changed);
  EXPECT_EQ(moved->ids.size(), first_.ids.size());
  EXPECT_EQ(entries_at(rotated), first_.ids.size());
  EXPECT_EQ(entries_at(url_), 0u);
}

TEST_P(RegistrationConformance, UnregisteringRemovesOnlyWhatWasRegisteredAndCanRunTwice) {
  const std::string other = add_foreign_entry();
  const size_t others = entries_at(other);
  ASSERT_GT(others, 0u) << "the foreign entry was not stored";
  auto again = connector().register_webhooks(sandbox_tenant(), http(), url_);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(entries_at(other), others) << "registering touched the MSP's own entry";

  ASSERT_TRUE(connector().unregister_webhooks(sandbox_tenant(), http(), url_).ok());
  EXPECT_EQ(entries_at(url_), 0u);
  const Status twice = connector().unregister_webhooks(sandbox_tenant(), http(), url_);
  EXPECT_TRUE(twice.ok()) << twice.error().message;
  EXPECT_EQ(entries_at(other), others);
}

INSTANTIATE_TEST_SUITE_P(Connectors, RegistrationConformance, ::testing::ValuesIn(connector_names()), test_name);

}  // namespace
}  // namespace switchyard::conformance
