// Autotask zones against the sandbox over real HTTP (docs/psa/autotask.md#zone): a tenant without
// base_url finds its zone through zoneInformation; a tenant moved to another zone, or configured
// with the wrong one, is answered as an unknown user there and the connector follows it, resending
// the call once; an unknown user gets an error that says what to check.
#include <gtest/gtest.h>

#include "common/http_client.h"
#include "connectors/autotask/zone.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::testing {
namespace {

// Real HTTP to the sandbox, recording each call's method, URL and status.
class RecordingPsa : public connectors::PsaHttp {
 public:
  struct Call {
    std::string method, url;
    int status = 0;
  };
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    http::ClientRequest timed = request;
    timed.timeout = std::chrono::milliseconds(5000);
    auto r = client_.send(timed);
    calls.push_back({request.method, request.url, r ? r->status : 0});
    return r;
  }
  std::vector<Call> calls;

 private:
  http::HttpClient client_;
};

class NoMemo : public connectors::WriteMemo {
 public:
  std::optional<std::string> lookup(const Tenant&, std::string_view, std::string_view) override { return {}; }
  void remember(const Tenant&, std::string_view, std::string_view, std::string_view) override {}
};

class AutotaskZoneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    connectors::autotask::forget_zones();
    psa_.start();
  }
  void TearDown() override { psa_.stop(); }

  // A tenant of sandbox instance `instance`, whose zone lookup is the sandbox's (the default zone
  // path of that instance, as webservices.autotask.net is Autotask's).
  Tenant tenant(const std::string& instance, std::string base_url = "") {
    Tenant t;
    t.id = instance;
    t.psa = "autotask";
    t.base_url = std::move(base_url);
    t.allow_insecure_http = true;
    t.credentials = {{"username", "api@switchyard.test"}, {"secret", "demo-secret"},
                     {"integration_code", "DEMOINTEGRATIONCODE"}};
    t.options = {{"zone_lookup_url", psa_.autotask_base_url(instance)}, {"default_company_id", "100"},
                 {"default_queue_id", "8"}};
    return t;
  }
  void move_to_zone(const std::string& instance, const std::string& zone) {
    psa_.upsert_record("autotask", "ZoneInformation", R"({"id":1,"zoneName":")" + zone + R"("})", instance);
  }
  std::string zone_base(const std::string& instance, const std::string& zone) {
    return psa_.base_url() + "/tenants/" + instance + "/autotask/" + zone + "/ATServicesRest";
  }
  Result<connectors::PollResult> poll_tickets(const Tenant& t, connectors::PsaHttp& http) {
    return connector().poll(t, http, connectors::PollRequest{"ticket", "", "", 5, 0});
  }
  static const connectors::Connector& connector() { return *connectors::builtin_registry().find("autotask"); }

  sandbox::Sandbox psa_;
};

TEST_F(AutotaskZoneTest, ATenantWithoutBaseUrlFindsItsZone) {
  move_to_zone("zoned", "ww5");
  const Tenant t = tenant("zoned");
  RecordingPsa http;
  auto polled = poll_tickets(t, http);
  ASSERT_TRUE(polled.ok()) << polled.error().message;
  EXPECT_FALSE(polled->changes.empty());
  ASSERT_GE(http.calls.size(), 2u);
  EXPECT_NE(http.calls[0].url.find("/v1.0/zoneInformation?user=api%40switchyard.test"), std::string::npos)
      << http.calls[0].url;
  EXPECT_EQ(http.calls[1].url, zone_base("zoned", "ww5") + "/V1.0/Tickets/query");
  EXPECT_EQ(http.calls[1].status, 200);

  // Known now: the next operation asks no zone again.
  RecordingPsa again;
  ASSERT_TRUE(poll_tickets(t, again).ok());
  ASSERT_FALSE(again.calls.empty());
  EXPECT_EQ(again.calls[0].url, zone_base("zoned", "ww5") + "/V1.0/Tickets/query");
}

TEST_F(AutotaskZoneTest, ATenantMovedToAnotherZoneIsFollowedWithOneRetry) {
  const Tenant t = tenant("moving");
  RecordingPsa first;
  ASSERT_TRUE(poll_tickets(t, first).ok());

  move_to_zone("moving", "ww14");
  RecordingPsa http;
  auto polled = poll_tickets(t, http);
  ASSERT_TRUE(polled.ok()) << polled.error().message;
  EXPECT_FALSE(polled->changes.empty());
  ASSERT_EQ(http.calls.size(), 3u);
  EXPECT_EQ(http.calls[0].url, psa_.autotask_base_url("moving") + "/V1.0/Tickets/query");
  EXPECT_EQ(http.calls[0].status, 500) << "the old zone does not know the user";
  EXPECT_NE(http.calls[1].url.find("zoneInformation"), std::string::npos);
  EXPECT_EQ(http.calls[2].url, zone_base("moving", "ww14") + "/V1.0/Tickets/query");
  EXPECT_EQ(http.calls[2].status, 200);
}

TEST_F(AutotaskZoneTest, AWrongBaseUrlIsCorrectedAndTheWriteMadeOnce) {
  move_to_zone("override", "ww2");
  const Tenant t = tenant("override", zone_base("override", "ww9"));  // configured with a wrong zone
  TicketUpsert upsert;
  upsert.external_ref = "zone-ticket-1";
  upsert.title = "Written after the zone was corrected";
  const Command command{"cmd-zone", t.id, "", upsert};
  RecordingPsa http;
  NoMemo memo;
  const auto outcome = connector().execute(t, command, http, memo);
  ASSERT_EQ(outcome.kind, connectors::WriteOutcome::Kind::Done) << outcome.detail;
  EXPECT_TRUE(outcome.created);
  EXPECT_EQ(http.calls.front().status, 500);
  for (size_t i = 2; i < http.calls.size(); ++i) {
    EXPECT_TRUE(http.calls[i].url.starts_with(zone_base("override", "ww2"))) << http.calls[i].url;
  }
  int created = 0;
  for (const auto& r : psa_.records("autotask", "Tickets", "override")) {
    created += r.find("zone-ticket-1") != std::string::npos;
  }
  EXPECT_EQ(created, 1);
}

TEST_F(AutotaskZoneTest, AnUnknownUserSaysWhichSettingToCheck) {
  Tenant t = tenant("unknown");
  t.credentials["username"] = "nobody@switchyard.test";
  RecordingPsa http;
  auto polled = poll_tickets(t, http);
  ASSERT_FALSE(polled.ok());
  EXPECT_EQ(polled.error().code, "zone_unknown");
  EXPECT_NE(polled.error().message.find("credentials.username"), std::string::npos) << polled.error().message;
  EXPECT_EQ(polled.error().message.find("demo-secret"), std::string::npos);
  EXPECT_EQ(http.calls.size(), 1u) << "nothing is sent before the zone is known";
}

TEST_F(AutotaskZoneTest, TheConnectionTestChecksTheZoneFirst) {
  move_to_zone("tested", "ww3");
  RecordingPsa http;
  auto report = connector().test_connection(tenant("tested"), http);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_FALSE(report->checks.empty());
  EXPECT_EQ(report->checks[0].name, "zone");
  EXPECT_TRUE(report->checks[0].ok);
  EXPECT_NE(report->checks[0].detail.find("/ww3/"), std::string::npos) << report->checks[0].detail;
  EXPECT_TRUE(report->ok);

  Tenant unknown = tenant("tested");
  unknown.credentials["username"] = "nobody@switchyard.test";
  auto refused = connector().test_connection(unknown, http);
  ASSERT_TRUE(refused.ok()) << refused.error().message;
  EXPECT_FALSE(refused->ok);
  ASSERT_EQ(refused->checks.size(), 1u) << "nothing else is checked without a zone";
  EXPECT_EQ(refused->checks[0].name, "zone");
  EXPECT_NE(refused->checks[0].detail.find("credentials.username"), std::string::npos);
}

TEST_F(AutotaskZoneTest, AZoneLookupOverHttpNeedsTheTenantsConsent) {
  Tenant t = tenant("plain");
  t.allow_insecure_http = false;
  RecordingPsa http;
  auto polled = poll_tickets(t, http);
  ASSERT_FALSE(polled.ok());
  EXPECT_EQ(polled.error().code, "invalid_zone");
  EXPECT_TRUE(http.calls.empty()) << "credentials must not travel over plain http";
}

}  // namespace
}  // namespace switchyard::testing
