// The sandbox's PSA registry and the PsaApi interface over real HTTP: the built-in PSAs come
// from their folders; a PSA defined only in this test (a "toy" PsaApi in a registry of its
// own) gets routes, auth, seed data, write recording, the control API, tenants, quotas and
// faults (per PSA and per tenant, in its own error body) by being registered; and per-tenant
// faults through the control API for a built-in PSA.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "common/http_client.h"
#include "common/json_writer.h"
#include "psa-sandbox/auth/key_headers_auth.h"
#include "psa-sandbox/psa_api.h"
#include "psa-sandbox/psa_registry.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

// A minimal PSA: GET /toy/items/{id}, POST /toy/items; key header auth; {"toy_error":...}.
class ToyPsa : public PsaApi {
 public:
  std::string_view name() const override { return "toy"; }
  std::string_view base_path() const override { return "/toy"; }
  void seed(Store& store) const override {
    const std::string_view items[] = {R"({"id":1,"name":"seeded"})"};
    seed_records(store, "toy/items", items);
  }
  http::Response handle(const http::Request& request, Store& store, std::string_view) override {
    if (request.path == "/toy/ping") return http::json_response(200, R"({"pong":true})");
    if (const auto denied = auth_.check(request)) return error(denied->status, denied->message);
    if (request.method == "POST" && request.path == "/toy/items") {
      const int64_t id = store.allocate_id("toy/items");
      store.collection("toy/items")[id] = Value(Value::Object{{"id", id}, {"name", request.body}});
      return http::json_response(201, "{\"id\":" + std::to_string(id) + "}");
    }
    if (request.method == "GET" && request.path.starts_with("/toy/items/")) {
      const Value* item = store.find("toy/items", std::stoll(request.path.substr(11)));
      return item ? http::json_response(200, item->dump()) : error(404, "no such item");
    }
    return error(404, "no such route");
  }
  http::Response error(int status, std::string_view message) const override {
    JsonWriter w;
    w.begin_object().field("toy_error", message).end_object();
    return http::json_response(status, w.take());
  }
  bool exempt_from_faults(const http::Request& request) const override { return request.path == "/toy/ping"; }
  std::string store_key(std::string_view entity) const override {
    return entity == "items" ? "toy/items" : std::string{};
  }

 private:
  KeyHeadersAuth auth_{{{"X-Toy-Key", "toy-secret", false, {401, "bad toy key"}}}};
};

PsaRegistry toy_registry() {
  PsaRegistry registry;
  registry.add("toy", [](const SandboxOptions&) { return std::make_unique<ToyPsa>(); });
  return registry;
}

TEST(SandboxRegistryTest, EveryPsaFolderIsRegisteredByName) {
  const auto names = builtin_psa_registry().names();
  EXPECT_THAT(names, Contains("connectwise"));
  EXPECT_THAT(names, Contains("autotask"));
  EXPECT_THAT(names, Contains("oauth-echo"));
  EXPECT_THAT(names, Contains("password-echo"));
  EXPECT_EQ(Sandbox().psas(), names);
}

TEST(SandboxRegistryTest, RefusesANameTwiceOrOneThatIsNoPathSegment) {
  PsaRegistry registry = toy_registry();
  const auto factory = [](const SandboxOptions&) { return std::make_unique<ToyPsa>(); };
  EXPECT_THROW(registry.add("toy", factory), std::logic_error);
  EXPECT_THROW(registry.add("Toy PSA", factory), std::logic_error);
  EXPECT_THROW(registry.add("tenants", factory), std::logic_error);
  EXPECT_EQ(registry.find("nope"), nullptr);
}

class ToyPsaTest : public ::testing::Test {
 protected:
  ToyPsaTest() : sandbox_(SandboxOptions{.psas = &registry_}) {}
  void SetUp() override { sandbox_.start(); }
  void TearDown() override { sandbox_.stop(); }

  Result<http::ClientResponse> toy(const std::string& method, const std::string& path, std::string body = {},
                                   const std::string& tenant = "default") {
    return client_.send({.method = method,
                         .url = sandbox_.psa_base_url("toy", tenant) + path,
                         .headers = {{"X-Toy-Key", "toy-secret"}},
                         .body = std::move(body)});
  }

  PsaRegistry registry_ = toy_registry();
  Sandbox sandbox_;
  http::HttpClient client_;
};

TEST_F(ToyPsaTest, ARegisteredPsaIsServedWithItsAuthSeedAndWrites) {
  EXPECT_EQ(sandbox_.psas(), std::vector<std::string>{"toy"});
  auto seeded = toy("GET", "/items/1");
  ASSERT_TRUE(seeded.ok());
  EXPECT_EQ(seeded->status, 200);
  EXPECT_THAT(seeded->body, HasSubstr("seeded"));

  auto denied = client_.send({.url = sandbox_.psa_base_url("toy") + "/items/1"});
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->status, 401);
  EXPECT_EQ(denied->body, R"({"toy_error":"bad toy key"})");

  ASSERT_EQ(toy("POST", "/items", "made")->status, 201);
  ASSERT_EQ(sandbox_.writes().size(), 1u);
  EXPECT_EQ(sandbox_.writes()[0].psa, "toy");
  EXPECT_EQ(sandbox_.writes()[0].status, 201);
  EXPECT_EQ(sandbox_.records("toy", "items").size(), 2u);
  EXPECT_TRUE(sandbox_.records("connectwise", "tickets").empty());  // not served here

  auto psas = client_.send({.url = sandbox_.base_url() + "/_sandbox/psas"});
  ASSERT_TRUE(psas.ok());
  EXPECT_EQ(psas->body, R"(["toy"])");
  // It sends no webhooks: the interface says so instead of pretending.
  auto webhook = sandbox_.fire_webhook("toy", sandbox_.base_url() + "/nowhere", "items", "1", "added");
  ASSERT_FALSE(webhook.ok());
  EXPECT_EQ(webhook.error().code, "not_supported");
}

TEST_F(ToyPsaTest, FaultsForOneTenantOfOnePsaUseThePsasErrorBody) {
  sandbox_.inject_fault("toy", Fault{.status = 503, .retry_after_seconds = 7, .count = 1, .tenant = "acme"});
  auto other = toy("GET", "/items/1", {}, "globex");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 200);  // another tenant uses up nothing
  auto faulted = toy("GET", "/items/1", {}, "acme");
  ASSERT_TRUE(faulted.ok());
  EXPECT_EQ(faulted->status, 503);
  EXPECT_EQ(faulted->header("Retry-After"), "7");
  EXPECT_THAT(faulted->body, HasSubstr("\"toy_error\""));
  EXPECT_EQ(toy("GET", "/items/1", {}, "acme")->status, 200);
  EXPECT_EQ(sandbox_.applied_faults(), (std::map<std::string, int64_t>{{"toy/status", 1}}));

  // The exempt route is never faulted, and a tenant's quota answers 429 in the toy's body.
  sandbox_.inject_fault("*", Fault{.status = 500, .count = 5});
  EXPECT_EQ(client_.send({.url = sandbox_.psa_base_url("toy") + "/ping"})->status, 200);
  sandbox_.clear_faults();
  sandbox_.set_tenant_quota("acme", Quota{.exhausted = true});
  auto throttled = toy("GET", "/items/1", {}, "acme");
  ASSERT_TRUE(throttled.ok());
  EXPECT_EQ(throttled->status, 429);
  EXPECT_THAT(throttled->body, HasSubstr("\"toy_error\""));
  EXPECT_EQ(toy("GET", "/items/1", {}, "globex")->status, 200);
}

class BuiltinPsaTenantFaultTest : public ::testing::Test {
 protected:
  void SetUp() override { sandbox_.start(); }
  void TearDown() override { sandbox_.stop(); }
  Result<http::ClientResponse> cw_ticket(const std::string& tenant) {
    const ConnectWiseCredentials c;
    return client_.send({.url = sandbox_.connectwise_base_url(tenant) + "/service/tickets/1",
                         .headers = {{"Authorization", "Basic c3dpdGNoeWFyZF9kZW1vK2RlbW8tcHVibGljOmRlbW8tcHJpdmF0ZQ=="},
                                     {"clientId", c.client_id}}});
  }
  Sandbox sandbox_;
  http::HttpClient client_;
};

TEST_F(BuiltinPsaTenantFaultTest, ControlApiFaultsOneTenantAndKeepsTheEveryTenantRule) {
  auto set = client_.send({.method = "POST",
                           .url = sandbox_.base_url() + "/_sandbox/faults/connectwise",
                           .body = R"({"status":429,"retry_after_seconds":3,"count":2,"tenant":"t1"})"});
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->status, 200) << set->body;
  sandbox_.inject_fault("connectwise", Fault{.status = 502, .retry_after_seconds = 0, .count = 1});
  ASSERT_EQ(sandbox_.pending_faults().size(), 2u);

  auto t1 = cw_ticket("t1");
  ASSERT_TRUE(t1.ok());
  EXPECT_EQ(t1->status, 429);  // the tenant's own rule first
  EXPECT_EQ(t1->header("Retry-After"), "3");
  EXPECT_THAT(t1->body, HasSubstr("\"code\":\"TooManyRequests\""));
  auto t2 = cw_ticket("t2");
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ(t2->status, 502);  // the every-tenant rule
  EXPECT_EQ(cw_ticket("t2")->status, 200);
  EXPECT_EQ(cw_ticket("t1")->status, 429);
  EXPECT_EQ(cw_ticket("t1")->status, 200);

  auto listed = client_.send({.url = sandbox_.base_url() + "/_sandbox/faults"});
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(listed->body, HasSubstr("\"connectwise/status\":3"));
  auto bad = client_.send({.method = "POST",
                           .url = sandbox_.base_url() + "/_sandbox/faults/connectwise",
                           .body = R"({"status":500,"tenant":"no spaces"})"});
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400);
}

}  // namespace
}  // namespace switchyard::sandbox
