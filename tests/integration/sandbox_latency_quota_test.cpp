// The sandbox's tenant middleware over real HTTP: latency (every request waits, many wait at
// once without holding a thread each), per-tenant instances under /tenants/<name>/ (their own
// records, URLs handed out keep the prefix), per-tenant quotas (429 + Retry-After in the PSA's
// body past the limit, recovery after it, one tenant's quota never touching another's), and
// their configuration through the C++ API, the control API and the process's flags.
//
// Timing bounds are generous on purpose (a loaded 2-core machine): a lower bound is exact (a
// delayed request never answers early), an upper bound only has to tell "overlapping" from
// "one after another", which differ by a factor of ten or more here.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/http_client.h"
#include "psa-sandbox/sandbox.h"
#include "psa-sandbox/tenant_limits.h"
#include "support/child_process.h"
#include "support/eventually.h"

namespace switchyard::sandbox {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

http::Headers at_auth() {
  const AutotaskCredentials c;
  return {{"ApiIntegrationCode", c.integration_code}, {"UserName", c.username}, {"Secret", c.secret}};
}
http::Headers cw_auth() {
  const ConnectWiseCredentials c;
  // Basic base64("switchyard_demo+demo-public:demo-private")
  return {{"Authorization", "Basic c3dpdGNoeWFyZF9kZW1vK2RlbW8tcHVibGljOmRlbW8tcHJpdmF0ZQ=="},
          {"clientId", c.client_id}};
}

std::chrono::milliseconds ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

class SandboxTenantsTest : public ::testing::Test {
 protected:
  void SetUp() override { sandbox_.start(); }
  void TearDown() override { sandbox_.stop(); }

  // An Autotask call for `tenant` ("" = no prefix).
  Result<http::ClientResponse> at(const std::string& tenant, const std::string& method, const std::string& path,
                                  std::string body = {}, std::chrono::milliseconds timeout = 10000ms) {
    const std::string base = tenant.empty() ? sandbox_.autotask_base_url() : sandbox_.autotask_base_url(tenant);
    return client_.send({.method = method, .url = base + path, .headers = at_auth(), .body = std::move(body),
                         .timeout = timeout});
  }
  Result<http::ClientResponse> ticket(const std::string& tenant) { return at(tenant, "GET", "/V1.0/Tickets/1000"); }
  Result<http::ClientResponse> create_ticket(const std::string& tenant, const std::string& title) {
    return at(tenant, "POST", "/V1.0/Tickets",
              R"({"companyID":100,"title":")" + title + R"(","status":1,"priority":2,"queueID":5,"externalID":")" +
                  title + R"("})");
  }
  Result<http::ClientResponse> cw(const std::string& tenant, const std::string& path) {
    return client_.send({.method = "GET", .url = sandbox_.connectwise_base_url(tenant) + path, .headers = cw_auth()});
  }
  Result<http::ClientResponse> control(const std::string& method, const std::string& path, std::string body = {}) {
    return client_.send({.method = method, .url = sandbox_.base_url() + path, .body = std::move(body)});
  }

  Sandbox sandbox_;
  http::HttpClient client_;
};

// --- latency ---------------------------------------------------------------------------------

TEST_F(SandboxTenantsTest, LatencyDelaysEveryRequestByAtLeastTheFixedTime) {
  sandbox_.set_latency({.fixed = 1000ms});
  for (const std::string tenant : {"", "t1"}) {
    const auto start = Clock::now();
    auto r = ticket(tenant);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 200);
    EXPECT_GE(ms_since(start), 1000ms) << "tenant '" << tenant << "'";
  }
  sandbox_.set_latency({});
  const auto start = Clock::now();
  ASSERT_EQ(ticket("t1")->status, 200);
  EXPECT_LT(ms_since(start), 1000ms) << "latency off";  // an unloaded answer takes about 1 ms
}

TEST_F(SandboxTenantsTest, LatencyCanBeLimitedToOnePsaOrOneTenant) {
  sandbox_.set_latency({.fixed = 1500ms, .psa = "connectwise"});
  auto start = Clock::now();
  ASSERT_EQ(cw("t1", "/service/tickets/1")->status, 200);
  EXPECT_GE(ms_since(start), 1500ms);
  start = Clock::now();
  ASSERT_EQ(ticket("t1")->status, 200);
  EXPECT_LT(ms_since(start), 1000ms) << "autotask is not delayed";

  sandbox_.set_latency({.fixed = 1500ms, .tenant = "slow"});
  start = Clock::now();
  ASSERT_EQ(ticket("slow")->status, 200);
  EXPECT_GE(ms_since(start), 1500ms);
  start = Clock::now();
  ASSERT_EQ(ticket("fast")->status, 200);
  EXPECT_LT(ms_since(start), 1000ms) << "another tenant is not delayed";
}

TEST_F(SandboxTenantsTest, DelayedRequestsOverlapInsteadOfQueueing) {
  // 100 requests at once, 500 ms each: together about 0.5 s. One after another they would take
  // 50 s; delayed on the server's 4 io threads, 12.5 s.
  constexpr int kRequests = 100;
  sandbox_.set_latency({.fixed = 500ms});
  std::vector<std::thread> threads;
  std::vector<int> status(kRequests, 0);
  std::vector<std::chrono::milliseconds> took(kRequests);
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      http::HttpClient client;
      const std::string url = sandbox_.autotask_base_url("tenant" + std::to_string(i % 10)) + "/V1.0/Tickets/1000";
      ++ready;
      while (!go.load()) std::this_thread::yield();
      const auto start = Clock::now();
      auto r = client.send({.method = "GET", .url = url, .headers = at_auth(), .timeout = 30000ms});
      took[i] = ms_since(start);
      status[i] = r ? r->status : -1;
    });
  }
  while (ready.load() < kRequests) std::this_thread::sleep_for(1ms);
  const auto start = Clock::now();
  go = true;
  for (auto& t : threads) t.join();
  const auto all = ms_since(start);
  for (int i = 0; i < kRequests; ++i) {
    EXPECT_EQ(status[i], 200) << "request " << i;
    EXPECT_GE(took[i], 500ms) << "request " << i;
  }
  EXPECT_LT(all, 6000ms) << "100 delayed requests took " << all.count() << " ms: they did not overlap";
}

TEST(SandboxTenantLimits, JitterIsUniformWithinItsBoundsAndRepeatableWithASeed) {
  TenantLimits limits;
  limits.register_psa("autotask");
  limits.set_latency({.fixed = 100ms, .jitter = 50ms, .seed = 42});
  std::vector<int64_t> draws;
  for (int i = 0; i < 200; ++i) draws.push_back(limits.delay("autotask", "t").count());
  EXPECT_GE(*std::min_element(draws.begin(), draws.end()), 100);
  EXPECT_LE(*std::max_element(draws.begin(), draws.end()), 150);
  EXPECT_LT(*std::min_element(draws.begin(), draws.end()), 110);  // 200 draws cover the range
  EXPECT_GT(*std::max_element(draws.begin(), draws.end()), 140);
  limits.set_latency({.fixed = 100ms, .jitter = 50ms, .seed = 42});
  for (int i = 0; i < 200; ++i) EXPECT_EQ(limits.delay("autotask", "t").count(), draws[i]);
  limits.set_latency({.fixed = 100ms, .jitter = 50ms, .seed = 42});
  EXPECT_EQ(limits.delay("connectwise", "t").count(), draws[0]);  // no psa filter: every PSA
}

// --- tenants and their instances --------------------------------------------------------------

TEST_F(SandboxTenantsTest, EachTenantIsItsOwnInstanceBehindItsPrefix) {
  auto created = create_ticket("acme", "only-in-acme");
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(created->status, 200) << created->body;
  const auto count = [&](const std::string& tenant) {
    auto r = at(tenant, "POST", "/V1.0/Tickets/query/count",
                R"({"filter":[{"op":"eq","field":"externalID","value":"only-in-acme"}]})");
    return r && r->status == 200 ? r->body : "error";
  };
  EXPECT_EQ(count("acme"), R"({"queryCount":1})");
  EXPECT_EQ(count("globex"), R"({"queryCount":0})");
  EXPECT_EQ(count(""), R"({"queryCount":0})");
  // Seeded like the default instance.
  EXPECT_EQ(ticket("globex")->status, 200);

  EXPECT_EQ(sandbox_.records("autotask", "Tickets", "acme").size(), 3u);  // 2 seeded + 1
  EXPECT_EQ(sandbox_.records("autotask", "Tickets").size(), 2u);
  EXPECT_TRUE(sandbox_.records("autotask", "Tickets", "never-used").empty());
  const auto writes = sandbox_.writes();
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].tenant, "acme");
  EXPECT_EQ(writes[0].path, "/autotask/ATServicesRest/V1.0/Tickets");  // without the prefix
  EXPECT_EQ(sandbox_.tenants(), (std::vector<std::string>{"default", "acme", "globex"}));

  auto over_http = control("GET", "/_sandbox/records/autotask/Tickets?tenant=acme");
  ASSERT_TRUE(over_http.ok());
  EXPECT_NE(over_http->body.find("only-in-acme"), std::string::npos);
  EXPECT_EQ(control("GET", "/_sandbox/records/autotask/Tickets?tenant=no%20such")->status, 400);

  sandbox_.reset();
  EXPECT_EQ(sandbox_.tenants(), (std::vector<std::string>{"default"}));
}

TEST_F(SandboxTenantsTest, PagingThroughAPrefixedUrlStaysInTheTenant) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(create_ticket("pager", "page-" + std::to_string(i))->status, 200);
  // Autotask: nextPageUrl keeps the prefix, and following it reads the same tenant's records.
  auto first = at("pager", "POST", "/V1.0/Tickets/query",
                  R"({"MaxRecords":2,"filter":[{"op":"beginsWith","field":"externalID","value":"page-"}]})");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->status, 200) << first->body;
  simdjson::dom::parser parser;
  std::string_view next;
  ASSERT_EQ(parser.parse(first->body)["pageDetails"]["nextPageUrl"].get(next), simdjson::SUCCESS) << first->body;
  EXPECT_EQ(next.rfind(sandbox_.autotask_base_url("pager") + "/V1.0/Tickets/query?search=", 0), 0u) << next;
  auto second = client_.send({.method = "GET", .url = std::string(next), .headers = at_auth()});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->status, 200) << second->body;
  EXPECT_NE(second->body.find("page-2"), std::string::npos) << second->body;

  // The zone lookup hands out the tenant's zone URL.
  auto zone = client_.send({.method = "GET",
                            .url = sandbox_.autotask_base_url("pager") +
                                   "/V1.0/zoneInformation?user=" + AutotaskCredentials{}.username});
  ASSERT_TRUE(zone.ok());
  EXPECT_NE(zone->body.find("\"url\":\"" + sandbox_.autotask_base_url("pager") + "/\""), std::string::npos)
      << zone->body;

  // ConnectWise: the Link header keeps the prefix too.
  auto page = cw("pager", "/service/tickets?pageSize=1");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->status, 200);
  const std::string link(page->header("Link"));
  EXPECT_NE(link.find("<" + sandbox_.connectwise_base_url("pager") + "/service/tickets?pageSize=1&page=2>"),
            std::string::npos)
      << link;
  auto followed = client_.send({.method = "GET",
                                .url = sandbox_.connectwise_base_url("pager") + "/service/tickets?pageSize=1&page=2",
                                .headers = cw_auth()});
  ASSERT_TRUE(followed.ok());
  EXPECT_EQ(followed->status, 200);
}

TEST_F(SandboxTenantsTest, BadTenantNamesAreRefused) {
  auto r = client_.send({.method = "GET",
                         .url = sandbox_.base_url() + "/tenants/a%2Fb/autotask/ATServicesRest/V1.0/Tickets/1000",
                         .headers = at_auth()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("unknown_tenant"), std::string::npos);
  EXPECT_THROW(sandbox_.autotask_base_url("a b"), std::invalid_argument);
  EXPECT_THROW(sandbox_.set_tenant_quota("", Quota{}), std::invalid_argument);
}

// --- quotas ----------------------------------------------------------------------------------

TEST_F(SandboxTenantsTest, QuotaAnswers429WithRetryAfterPastTheLimitAndRecovers) {
  // Two requests of burst, then one every 4 s: the third request is refused unless more than
  // 4 s passed since the first.
  sandbox_.set_tenant_quota("*", {.requests_per_second = 0.25, .burst = 2});
  ASSERT_EQ(ticket("a")->status, 200);
  ASSERT_EQ(ticket("a")->status, 200);
  auto refused = ticket("a");
  ASSERT_TRUE(refused.ok());
  ASSERT_EQ(refused->status, 429);
  EXPECT_EQ(refused->body.rfind(R"({"errors":[")", 0), 0u) << "Autotask's error body: " << refused->body;
  EXPECT_EQ(refused->header("X-Sandbox-Fault"), "quota");
  const int retry_after = std::stoi(std::string(refused->header("Retry-After")));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 4);
  // Retry-After is honest: after it, the next request passes.
  std::this_thread::sleep_for(std::chrono::seconds(retry_after) + 100ms);
  EXPECT_EQ(ticket("a")->status, 200);

  const auto counts = sandbox_.tenant_counts();
  ASSERT_TRUE(counts.contains("a"));
  EXPECT_EQ(counts.at("a").requests, 4);
  EXPECT_EQ(counts.at("a").throttled, 1);

  // Nothing is processed for a refused write.
  sandbox_.set_tenant_quota("w", {.exhausted = true});
  auto write = create_ticket("w", "refused-write");
  ASSERT_TRUE(write.ok());
  EXPECT_EQ(write->status, 429);
  EXPECT_EQ(write->header("Retry-After"), "30");
  EXPECT_EQ(sandbox_.records("autotask", "Tickets", "w").size(), 0u);
  const auto writes = sandbox_.writes();
  ASSERT_FALSE(writes.empty());
  EXPECT_EQ(writes.back().status, 429);
  EXPECT_EQ(writes.back().fault, "quota");
}

TEST_F(SandboxTenantsTest, ConnectWiseGetsItsOwn429Body) {
  sandbox_.set_tenant_quota("cw", {.retry_after_seconds = 7, .exhausted = true});
  auto r = cw("cw", "/service/tickets/1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 429);
  EXPECT_NE(r->body.find(R"("code":"TooManyRequests")"), std::string::npos) << r->body;
  EXPECT_EQ(r->header("Retry-After"), "7");
}

TEST_F(SandboxTenantsTest, OneTenantOverItsQuotaLeavesTheOthersAlone) {
  // Every tenant has its own bucket of one request per 10 s; one tenant is throttled for good.
  sandbox_.set_tenant_quota("*", {.requests_per_second = 0.1, .burst = 1});
  sandbox_.set_tenant_quota("noisy", {.retry_after_seconds = 30, .exhausted = true});
  ASSERT_EQ(ticket("a")->status, 200);
  EXPECT_EQ(ticket("a")->status, 429) << "a used its bucket";
  EXPECT_EQ(ticket("b")->status, 200) << "b has a bucket of its own";
  EXPECT_EQ(ticket("")->status, 200) << "so does the default tenant";
  for (int i = 0; i < 5; ++i) {
    auto r = ticket("noisy");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(r->header("Retry-After"), "30");
  }
  EXPECT_EQ(ticket("c")->status, 200);

  // The control API shows who was refused how often.
  auto state = control("GET", "/_sandbox/quota");
  ASSERT_TRUE(state.ok());
  simdjson::dom::parser parser;
  const auto doc = parser.parse(state->body);
  int64_t noisy = -1, a = -1, b = -1, total = -1;
  ASSERT_EQ(doc["tenants"]["noisy"]["throttled"].get(noisy), simdjson::SUCCESS) << state->body;
  ASSERT_EQ(doc["tenants"]["a"]["throttled"].get(a), simdjson::SUCCESS);
  ASSERT_EQ(doc["tenants"]["b"]["throttled"].get(b), simdjson::SUCCESS);
  ASSERT_EQ(doc["throttled"].get(total), simdjson::SUCCESS);
  EXPECT_EQ(noisy, 5);
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 0);
  EXPECT_EQ(total, 6);
}

TEST_F(SandboxTenantsTest, HourlyQuotaRefusesForTheRestOfTheHour) {
  sandbox_.set_tenant_quota("h", {.requests_per_hour = 2});
  EXPECT_EQ(ticket("h")->status, 200);
  EXPECT_EQ(ticket("h")->status, 200);
  auto r = ticket("h");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 429);
  EXPECT_GT(std::stoi(std::string(r->header("Retry-After"))), 3500);
  // Clearing the tenant's quota lifts it (no "*" quota here).
  sandbox_.clear_tenant_quota("h");
  EXPECT_EQ(ticket("h")->status, 200);
}

TEST_F(SandboxTenantsTest, ZoneLookupsAreNotCounted) {
  sandbox_.set_tenant_quota("z", {.exhausted = true});
  auto zone = client_.send({.method = "GET",
                            .url = sandbox_.autotask_base_url("z") +
                                   "/V1.0/zoneInformation?user=" + AutotaskCredentials{}.username});
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(zone->status, 200);
  EXPECT_FALSE(sandbox_.tenant_counts().contains("z"));
}

TEST_F(SandboxTenantsTest, ControlApiSetsLatencyAndQuotasAndRefusesBadValues) {
  auto set = control("POST", "/_sandbox/latency", R"({"latency_ms":250,"jitter_ms":10,"psa":"autotask"})");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->status, 200) << set->body;
  EXPECT_EQ(sandbox_.latency().fixed, 250ms);
  EXPECT_EQ(sandbox_.latency().jitter, 10ms);
  EXPECT_EQ(sandbox_.latency().psa, "autotask");
  EXPECT_EQ(control("GET", "/_sandbox/latency")->body,
            R"({"latency_ms":250,"jitter_ms":10,"psa":"autotask","tenant":"","seed":0})");
  EXPECT_EQ(control("DELETE", "/_sandbox/latency")->status, 200);
  EXPECT_EQ(sandbox_.latency().fixed, 0ms);

  for (const auto& [body, member] : std::vector<std::pair<std::string, std::string>>{
           {R"({"latency_ms":60001})", "latency_ms"},
           {R"({"latency_ms":-1})", "latency_ms"},
           {R"({"jitter_ms":"5"})", "jitter_ms"},
           {R"({"psa":"halo"})", "psa"},
           {R"({"tenant":"a/b"})", "tenant"},
           {R"({"latncy_ms":5})", "latncy_ms"},
           {R"([1])", "JSON object"}}) {
    auto r = control("POST", "/_sandbox/latency", body);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_NE(r->body.find(member), std::string::npos) << body << " → " << r->body;
  }

  auto quota = control("POST", "/_sandbox/quota/t9", R"({"requests_per_second":5,"burst":5})");
  ASSERT_TRUE(quota.ok());
  EXPECT_EQ(quota->status, 200) << quota->body;
  ASSERT_TRUE(sandbox_.tenant_quotas().contains("t9"));
  EXPECT_EQ(sandbox_.tenant_quotas().at("t9").burst, 5);
  for (const auto& [path, body, member] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/_sandbox/quota/t9", R"({"requests_per_second":100001})", "requests_per_second"},
           {"/_sandbox/quota/t9", R"({"requests_per_second":-1})", "requests_per_second"},
           {"/_sandbox/quota/t9", R"({"burst":2000000,"requests_per_second":1})", "burst"},
           {"/_sandbox/quota/t9", R"({"burst":3})", "burst"},  // a bucket size without a rate
           {"/_sandbox/quota/t9", R"({"requests_per_hour":1.5})", "requests_per_hour"},
           {"/_sandbox/quota/t9", R"({"retry_after_seconds":86401})", "retry_after_seconds"},
           {"/_sandbox/quota/t9", R"({"exhausted":"yes"})", "exhausted"},
           {"/_sandbox/quota/t9", R"({"rps":5})", "rps"},
           {"/_sandbox/quota/bad%20name", R"({"exhausted":true})", "tenant"}}) {
    auto r = control("POST", path, body);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_NE(r->body.find(member), std::string::npos) << body << " → " << r->body;
  }
  EXPECT_EQ(sandbox_.tenant_quotas().at("t9").requests_per_second, 5);  // unchanged by the refusals
  EXPECT_EQ(control("DELETE", "/_sandbox/quota/t9")->status, 200);
  EXPECT_FALSE(sandbox_.tenant_quotas().contains("t9"));
  sandbox_.set_tenant_quota("*", {.requests_per_second = 1});
  EXPECT_EQ(control("DELETE", "/_sandbox/quota")->status, 200);
  EXPECT_TRUE(sandbox_.tenant_quotas().empty());
}

TEST(SandboxTenantOptions, ResetRestoresTheStartLatencyAndQuotas) {
  SandboxOptions options;
  options.latency = {.fixed = 5ms};
  options.quotas = {{"*", Quota{.requests_per_second = 50, .burst = 50}}};
  Sandbox sandbox(options);
  sandbox.set_latency({});
  sandbox.clear_tenant_quotas();
  sandbox.reset();
  EXPECT_EQ(sandbox.latency().fixed, 5ms);
  ASSERT_TRUE(sandbox.tenant_quotas().contains("*"));
  EXPECT_EQ(sandbox.tenant_quotas().at("*").requests_per_second, 50);

  options.latency = {.fixed = 61s};
  EXPECT_THROW(Sandbox{options}, std::invalid_argument);
  options.latency = {};
  options.quotas = {{"*", Quota{.burst = 1}}};
  EXPECT_THROW(Sandbox{options}, std::invalid_argument);
}

// The process: flags set the latency and every tenant's quota; bad values stop it with 2.
TEST(SandboxTenantFlags, ProcessFlagsConfigureLatencyAndQuota) {
  const std::string binary = std::string(SWITCHYARD_BINARY_DIR) + "/tools/psa-sandbox/psa-sandbox";
  if (!std::filesystem::exists(binary)) GTEST_SKIP() << binary << " is not built";
  const std::string dir = ::testing::TempDir();
  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {"--latency-ms", "60001"}, {"--jitter-ms", "-5"}, {"--tenant-quota-rps", "x"},
           {"--tenant-quota-burst", "1.5"}, {"--latency-psa", "halo"}, {"--tenant-quota-burst", "3"}}) {
    std::vector<std::string> argv{binary, "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), bad.begin(), bad.end());
    testing::ChildProcess child(argv, {}, dir + "/sandbox-flags.log");
    EXPECT_EQ(child.wait(), 2) << bad[0] << " " << bad[1];
  }
  const std::string port_file = dir + "/sandbox-flags.port";
  std::filesystem::remove(port_file);
  testing::ChildProcess child({binary, "--listen", "127.0.0.1:0", "--port-file", port_file, "--quiet", "--latency-ms",
                               "200", "--jitter-ms", "20", "--tenant-quota-rps", "5", "--tenant-quota-burst", "5"},
                              {}, dir + "/sandbox-flags.log");
  ASSERT_TRUE(testing::eventually([&] { return std::filesystem::exists(port_file); }, 10000ms));
  std::ifstream in(port_file);
  int port = 0;
  in >> port;
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  http::HttpClient client;
  auto latency = client.send({.method = "GET", .url = base + "/_sandbox/latency"});
  ASSERT_TRUE(latency.ok());
  EXPECT_EQ(latency->body, R"({"latency_ms":200,"jitter_ms":20,"psa":"","tenant":"","seed":0})");
  auto quota = client.send({.method = "GET", .url = base + "/_sandbox/quota"});
  ASSERT_TRUE(quota.ok());
  EXPECT_NE(quota->body.find(R"("*":{"requests_per_second":5,"burst":5,)"), std::string::npos) << quota->body;
  // Still in force after a reset.
  ASSERT_EQ(client.send({.method = "POST", .url = base + "/_sandbox/reset"})->status, 200);
  EXPECT_EQ(client.send({.method = "GET", .url = base + "/_sandbox/latency"})->body, latency->body);
  const auto start = Clock::now();
  auto r = client.send({.method = "GET", .url = base + "/tenants/x/autotask/ATServicesRest/V1.0/Tickets/1000",
                        .headers = at_auth()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_GE(ms_since(start), 200ms);
}

}  // namespace
}  // namespace switchyard::sandbox
