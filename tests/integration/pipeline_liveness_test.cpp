// Liveness over real HTTP: /healthz answers 200 while every watched worker loop beats — also
// when the loops are idle for several timeouts (normalize's and dispatch's consumers, dispatch's
// workers waiting for commands, ingest's poll control thread and poll workers, the HTTP io
// threads) — and 503 naming the loop and its age once one stops beating: an HTTP io thread
// blocked in a handler, or a loop's heartbeat that is never advanced. Timeouts are a few
// seconds and every wait is generous, so a loaded machine slows the test down but does not
// make it fail.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/admin_routes.h"
#include "common/heartbeats.h"
#include "common/http_client.h"
#include "common/http_server.h"
#include "common/metrics.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"

namespace switchyard::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kTimeout = 3s;

http::ClientResponse get(uint16_t port, const std::string& path) {
  http::HttpClient client;
  auto r = client.send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(port) + path, .timeout = 10s});
  return r.ok() ? *r : http::ClientResponse{};
}

// The names of the stale loops a 503 body lists.
std::vector<std::string> stale_loops(const std::string& body) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc) != simdjson::SUCCESS) return out;
  simdjson::dom::array stale;
  if (doc["stale"].get_array().get(stale) != simdjson::SUCCESS) return out;
  for (auto e : stale) {
    std::string_view name;
    if (e["loop"].get_string().get(name) == simdjson::SUCCESS) out.emplace_back(name);
  }
  return out;
}

bool lists(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// For 2.5 timeouts, every probe of every port answers 200: idle loops keep beating.
void expect_healthy_throughout(const std::vector<std::pair<std::string, uint16_t>>& services) {
  const auto until = std::chrono::steady_clock::now() + kTimeout * 5 / 2;
  int probes = 0;
  while (std::chrono::steady_clock::now() < until) {
    for (const auto& [name, port] : services) {
      const auto r = get(port, "/healthz");
      EXPECT_EQ(r.status, 200) << name << ": " << r.body;
      ++probes;
    }
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_GT(probes, 0);
}

class PipelineLivenessTest : public ::testing::Test {
 protected:
  PipelineStack stack_{StackOptions{.liveness_timeout = kTimeout, .ingest_polling = true}};
};

TEST_F(PipelineLivenessTest, IdleServicesStayHealthyAndExportHeartbeatAges) {
  // Consumers joined and idle, dispatch's workers waiting for commands, poll workers waiting
  // for due items: all of them keep beating.
  ASSERT_TRUE(eventually([&] { return get(stack_.dispatch().operator_port(), "/readyz").status == 200; }, 60s));
  ASSERT_TRUE(eventually([&] { return get(stack_.normalize().operator_port(), "/readyz").status == 200; }, 60s));
  expect_healthy_throughout({{"ingest", stack_.ingest().operator_port()},
                             {"normalize", stack_.normalize().operator_port()},
                             {"dispatch", stack_.dispatch().operator_port()}});

  const auto healthy = get(stack_.dispatch().operator_port(), "/healthz");
  EXPECT_NE(healthy.body.find(R"("status":"ok")"), std::string::npos) << healthy.body;

  const std::string dispatch_metrics = get(stack_.dispatch().operator_port(), "/metrics").body;
  for (const char* loop : {"consumer", "worker", "http-operator"}) {
    EXPECT_NE(dispatch_metrics.find(std::string("switchyard_heartbeat_age_seconds{loop=\"") + loop + "\"}"),
              std::string::npos)
        << loop;
  }
  EXPECT_EQ(metric_value(dispatch_metrics, "switchyard_heartbeat_timeout_seconds"), 3);
  EXPECT_LT(metric_value(dispatch_metrics, R"(switchyard_heartbeat_age_seconds{loop="worker"})"), 3);
  const std::string ingest_metrics = get(stack_.ingest().operator_port(), "/metrics").body;
  for (const char* loop : {"poll-control", "poll-worker", "http-webhooks", "http-api", "http-operator"}) {
    EXPECT_NE(ingest_metrics.find(std::string("switchyard_heartbeat_age_seconds{loop=\"") + loop + "\"}"),
              std::string::npos)
        << loop;
  }
  const std::string normalize_metrics = get(stack_.normalize().operator_port(), "/metrics").body;
  EXPECT_NE(normalize_metrics.find(R"(switchyard_heartbeat_age_seconds{loop="consumer"})"), std::string::npos);
}

TEST_F(PipelineLivenessTest, ALoopThatStopsBeatingFailsHealthzNamingItUntilItBeatsAgain) {
  // A loop that registered and never beats again: what a stuck consumer or worker looks like.
  struct Case {
    std::string service;
    uint16_t port;
    Heartbeats& heartbeats;
  };
  const std::vector<Case> cases = {{"ingest", stack_.ingest().operator_port(), stack_.ingest().heartbeats()},
                                   {"normalize", stack_.normalize().operator_port(), stack_.normalize().heartbeats()},
                                   {"dispatch", stack_.dispatch().operator_port(), stack_.dispatch().heartbeats()}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.service);
    EXPECT_TRUE(eventually([&] { return get(c.port, "/healthz").status == 200; }, 30s));
    Heartbeat stuck = c.heartbeats.add("test-stuck", "test-stuck-0");
    http::ClientResponse failed;
    ASSERT_TRUE(eventually(
        [&] {
          failed = get(c.port, "/healthz");
          return failed.status == 503;
        },
        kTimeout * 10));
    EXPECT_EQ(stale_loops(failed.body), std::vector<std::string>{"test-stuck-0"}) << failed.body;
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(failed.body);
    EXPECT_EQ(std::string_view(doc["status"].get_string().value()), "stale");
    EXPECT_GE(doc["stale"].get_array().value().at(0)["age_seconds"].get_double().value(), 2.9);
    EXPECT_EQ(doc["timeout_seconds"].get_double().value(), 3.0);
    const std::string metrics = get(c.port, "/metrics").body;
    EXPECT_GE(metric_value(metrics, R"(switchyard_heartbeat_age_seconds{loop="test-stuck"})"), 2.9) << metrics;

    // It moves again (beating at every probe, as a live loop would, however slow the machine).
    EXPECT_TRUE(eventually(
        [&] {
          stuck.beat();
          return get(c.port, "/healthz").status == 200;
        },
        30s));
    stuck.beat();
    std::this_thread::sleep_for(kTimeout + 1s);
    EXPECT_EQ(get(c.port, "/healthz").status, 503);  // and stops again
    stuck = Heartbeat{};  // the loop ended on purpose: no longer watched
    EXPECT_TRUE(eventually([&] { return get(c.port, "/healthz").status == 200; }, 30s));
  }
}

// A real loop: a dispatch worker waiting on a PSA request longer than the liveness timeout
// (the sandbox answers after 8 s; the client's timeout is 10 s) is named until it returns.
TEST_F(PipelineLivenessTest, ADispatchWorkerBlockedLongerThanTheTimeoutIsNamed) {
  const uint16_t port = stack_.dispatch().operator_port();
  ASSERT_TRUE(eventually([&] { return get(port, "/readyz").status == 200; }, 60s));
  ASSERT_EQ(get(port, "/healthz").status, 200);
  stack_.psa().set_latency({.fixed = 8000ms, .psa = "autotask"});
  http::HttpClient client;
  auto posted = client.send(
      {.method = "POST",
       .url = stack_.ingest_api_url() + "/v1/tenants/globex/commands",
       .headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + std::string(kApiToken)}},
       .body = R"({"command_version":1,"id":"cmd-slow","tenant":"globex","type":"ticket.upsert","payload":{)"
               R"("external_ref":"slow-1","title":"Slow PSA","priority":"high"}})",
       .timeout = 30s});
  ASSERT_TRUE(posted.ok());
  ASSERT_EQ(posted->status, 202) << posted->body;

  http::ClientResponse failed;
  ASSERT_TRUE(eventually(
      [&] {
        failed = get(port, "/healthz");
        return failed.status == 503;
      },
      60s));
  const auto names = stale_loops(failed.body);
  ASSERT_FALSE(names.empty()) << failed.body;
  for (const auto& name : names) EXPECT_EQ(name.rfind("worker-", 0), 0u) << failed.body;

  stack_.psa().set_latency({});
  EXPECT_TRUE(eventually([&] { return get(port, "/healthz").status == 200; }, 60s));
}

// An HTTP io thread blocked in a handler stops beating: /healthz, served by the other io
// thread, names it; once the handler returns, the thread beats again.
TEST(HttpLivenessTest, ABlockedIoThreadFailsHealthzUntilItIsReleased) {
  Heartbeats heartbeats(2s);
  Metrics metrics;
  http::ServerOptions options;
  options.threads = 2;
  options.heartbeats = &heartbeats;
  http::HttpServer server(options);
  std::mutex mutex;
  std::condition_variable cv;
  bool release = false, entered = false;
  server.route("GET", "/block", [&](http::Request&&, http::Responder respond) {
    std::unique_lock lock(mutex);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });  // a handler that blocks its io thread
    respond(http::json_response(200, R"({"released":true})"));
  });
  add_admin_routes(server, metrics, [] { return std::string(); }, &heartbeats);
  server.start();
  const uint16_t port = server.port();

  ASSERT_EQ(get(port, "/healthz").status, 200);
  expect_healthy_throughout({{"http", port}});  // idle io threads beat (2 s timeout; 7.5 s of probes)

  std::thread blocked([&] {
    http::HttpClient client;
    auto r = client.send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(port) + "/block", .timeout = 120s});
    EXPECT_TRUE(r.ok());
  });
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return entered; }));
  }
  http::ClientResponse failed;
  EXPECT_TRUE(eventually(
      [&] {
        failed = get(port, "/healthz");
        return failed.status == 503;
      },
      30s));
  const auto names = stale_loops(failed.body);
  EXPECT_EQ(names.size(), 1u) << failed.body;
  EXPECT_TRUE(lists(names, "http-io-0") || lists(names, "http-io-1")) << failed.body;

  {
    std::lock_guard lock(mutex);
    release = true;
  }
  cv.notify_all();
  blocked.join();
  EXPECT_TRUE(eventually([&] { return get(port, "/healthz").status == 200; }, 30s));
  server.stop();
}

}  // namespace
}  // namespace switchyard::testing
