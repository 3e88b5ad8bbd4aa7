// Listeners by audience (docs/configuration.md#listeners), on the binaries as Kubernetes runs
// them: ingest serves the PSA webhooks, the vendor API and the operator routes each on its own
// port, and a route asked for on another audience's port answers 404; normalize and dispatch
// serve the operator routes only. Port 0 picks a free port, which the "started" log line tells.
// The retired SWITCHYARD_LISTEN, an operator listener turned off, and two listeners on one port
// stop the process at start (exit 2) naming the settings.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include "common/http_client.h"
#include "support/child_process.h"
#include "support/embedded_kafka.h"
#include "support/eventually.h"
#include "support/redis_server.h"
#include "support/service_binary.h"

namespace switchyard::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kToken = "listeners-test-token-0123456789";
constexpr const char* kWebhook = "/v1/webhooks/connectwise/acme";
constexpr const char* kCommands = "/v1/tenants/acme/commands";
constexpr const char* kSync = "/v1/tenants/acme/sync";

class ServiceListenersTest : public ::testing::Test {
 protected:
  ServiceListenersTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("switchyard-listeners-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    kafka_.create_default_topics(2);
    std::ofstream(dir_ / "tenants.json")
        << R"({"tenants":[{"id":"acme","psa":"connectwise","base_url":"https://cw.example/v4_6_release/apis/3.0",)"
           R"("credentials":{"company_id":"acme","public_key":"p","private_key":"k","client_id":"c"},)"
           R"("webhook_signing_secrets":["signing-key"]}]})";
    std::ofstream(dir_ / "api-tokens.json") << R"({"tokens":[{"id":"vendor","token":")" << kToken
                                            << R"(","tenants":["acme"],"scopes":["commands","sync"]}]})";
  }
  ~ServiceListenersTest() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Every listener on a free port of 127.0.0.1.
  std::map<std::string, std::string> env() const {
    return {{"SWITCHYARD_KAFKA_BOOTSTRAP", kafka_.bootstrap()},
            {"SWITCHYARD_REDIS_URL", redis_.url()},
            {"SWITCHYARD_TENANTS_FILE", (dir_ / "tenants.json").string()},
            {"SWITCHYARD_API_TOKENS_FILE", (dir_ / "api-tokens.json").string()},
            {"SWITCHYARD_POLLING", "false"},
            {"SWITCHYARD_OPERATOR_LISTEN", "127.0.0.1:0"},
            {"SWITCHYARD_WEBHOOK_LISTEN", "127.0.0.1:0"},
            {"SWITCHYARD_API_LISTEN", "127.0.0.1:0"}};
  }

  // Waits for the "started" line and returns the logged port of `field`.
  uint16_t started_port(const ChildProcess& process, const std::string& field) {
    EXPECT_TRUE(eventually([&] { return logged_port(process.log_path(), "operator_port") != 0; }, 30s))
        << read_file(process.log_path());
    return logged_port(process.log_path(), field);
  }

  int status(uint16_t port, const std::string& method, const std::string& path) {
    http::Headers headers = {{"Content-Type", "application/json"}};
    if (path.starts_with("/v1/webhooks/")) headers.push_back({"x-content-signature", "bm90IHRoZSBzaWduYXR1cmU="});
    auto r = client_.send({.method = method, .url = "http://127.0.0.1:" + std::to_string(port) + path,
                           .headers = std::move(headers), .body = method == "POST" ? "{}" : "", .timeout = 5000ms});
    return r.ok() ? r->status : 0;
  }

  // The exit code and log of a binary that must refuse to start.
  std::pair<int, std::string> refused(const std::string& service, std::map<std::string, std::string> settings) {
    ChildProcess process({service_binary(service)}, std::move(settings),
                         (dir_ / (service + "-refused-" + std::to_string(++runs_) + ".log")).string());
    const int code = process.wait();
    return {code, read_file(process.log_path())};
  }

  std::filesystem::path dir_;
  RedisServer redis_;
  EmbeddedKafka kafka_;
  http::HttpClient client_;
  int runs_ = 0;
};

TEST_F(ServiceListenersTest, IngestServesEachRouteOnItsAudiencesPortOnly) {
  ChildProcess ingest({service_binary("ingest")}, env(), (dir_ / "ingest.log").string());
  const uint16_t operator_port = started_port(ingest, "operator_port");
  const uint16_t webhook_port = logged_port(ingest.log_path(), "webhook_port");
  const uint16_t api_port = logged_port(ingest.log_path(), "api_port");
  ASSERT_NE(operator_port, 0);
  ASSERT_NE(webhook_port, 0);
  ASSERT_NE(api_port, 0);
  EXPECT_NE(webhook_port, api_port);
  EXPECT_NE(webhook_port, operator_port);
  EXPECT_NE(api_port, operator_port);
  const std::string log = read_file(ingest.log_path());

  // Operator: the probes, /metrics and the console with the tenant routes it calls (sync needs
  // a token there too); never the webhooks or commands.
  EXPECT_TRUE(eventually([&] { return status(operator_port, "GET", "/readyz") == 200; }, 20s)) << log;
  EXPECT_EQ(status(operator_port, "GET", "/healthz"), 200);
  EXPECT_EQ(status(operator_port, "GET", "/metrics"), 200);
  EXPECT_EQ(status(operator_port, "GET", "/console"), 200);
  EXPECT_EQ(status(operator_port, "POST", kSync), 401);
  EXPECT_EQ(status(operator_port, "POST", kWebhook), 404);
  EXPECT_EQ(status(operator_port, "POST", kCommands), 404);

  // Public: the webhooks only (a bad signature gets 401: the route is there).
  EXPECT_EQ(status(webhook_port, "POST", kWebhook), 401);
  for (const char* path : {"/metrics", "/healthz", "/readyz"}) EXPECT_EQ(status(webhook_port, "GET", path), 404) << path;
  EXPECT_EQ(status(webhook_port, "POST", kCommands), 404);
  EXPECT_EQ(status(webhook_port, "POST", kSync), 404);
  EXPECT_EQ(status(webhook_port, "GET", "/console"), 404);

  // Vendor API: commands and sync (no token: 401), neither webhooks nor operator routes.
  EXPECT_EQ(status(api_port, "POST", kCommands), 401);
  EXPECT_EQ(status(api_port, "POST", kSync), 401);
  EXPECT_EQ(status(api_port, "POST", kWebhook), 404);
  for (const char* path : {"/metrics", "/healthz", "/readyz", "/console"}) {
    EXPECT_EQ(status(api_port, "GET", path), 404) << path;
  }

  // /healthz watches the io threads of all three listeners.
  auto metrics = client_.send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(operator_port) + "/metrics"});
  ASSERT_TRUE(metrics.ok());
  for (const char* loop : {"http-webhooks", "http-api", "http-operator"}) {
    EXPECT_NE(metrics->body.find(std::string("switchyard_heartbeat_age_seconds{loop=\"") + loop + "\"}"),
              std::string::npos)
        << loop;
  }
  ::kill(ingest.pid(), SIGTERM);
  EXPECT_EQ(ingest.wait(), 0) << read_file(ingest.log_path());
}

// The poller pods: no webhooks, no API, the operator listener alone.
TEST_F(ServiceListenersTest, IngestListenersCanBeTurnedOffButNotTheOperatorOne) {
  auto settings = env();
  settings["SWITCHYARD_WEBHOOK_LISTEN"] = "off";
  settings["SWITCHYARD_API_LISTEN"] = "off";
  ChildProcess poller({service_binary("ingest")}, settings, (dir_ / "poller.log").string());
  const uint16_t operator_port = started_port(poller, "operator_port");
  ASSERT_NE(operator_port, 0);
  EXPECT_EQ(logged_port(poller.log_path(), "webhook_port"), 0);
  EXPECT_EQ(logged_port(poller.log_path(), "api_port"), 0);
  EXPECT_TRUE(eventually([&] { return status(operator_port, "GET", "/readyz") == 200; }, 20s));
  EXPECT_EQ(status(operator_port, "POST", kWebhook), 404);
  ::kill(poller.pid(), SIGTERM);
  EXPECT_EQ(poller.wait(), 0);

  settings = env();
  settings["SWITCHYARD_OPERATOR_LISTEN"] = "off";
  const auto [code, log] = refused("ingest", settings);
  EXPECT_EQ(code, 2);
  EXPECT_NE(log.find("SWITCHYARD_OPERATOR_LISTEN: cannot be off"), std::string::npos) << log;
}

TEST_F(ServiceListenersTest, TheRetiredListenVariableAndASharedPortStopTheStart) {
  for (const std::string service : {"ingest", "normalize", "dispatch"}) {
    auto settings = env();
    settings["SWITCHYARD_LISTEN"] = "127.0.0.1:0";
    const auto [code, log] = refused(service, settings);
    EXPECT_EQ(code, 2) << service;
    for (const char* replacement : {"SWITCHYARD_OPERATOR_LISTEN", "SWITCHYARD_WEBHOOK_LISTEN", "SWITCHYARD_API_LISTEN"}) {
      EXPECT_NE(log.find(replacement), std::string::npos) << service << ": " << log;
    }
  }
  auto settings = env();
  settings["SWITCHYARD_WEBHOOK_LISTEN"] = "127.0.0.1:18080";
  settings["SWITCHYARD_API_LISTEN"] = "127.0.0.1:18080";
  const auto [code, log] = refused("ingest", settings);
  EXPECT_EQ(code, 2);
  EXPECT_NE(log.find("SWITCHYARD_API_LISTEN: port 18080 is also SWITCHYARD_WEBHOOK_LISTEN's"), std::string::npos)
      << log;
}

// normalize and dispatch have the operator listener only: the webhook and API variables (in a
// shared ConfigMap, say) open nothing.
TEST_F(ServiceListenersTest, NormalizeAndDispatchServeTheOperatorRoutesOnly) {
  for (const std::string service : {"normalize", "dispatch"}) {
    ChildProcess process({service_binary(service)}, env(), (dir_ / (service + ".log")).string());
    const uint16_t operator_port = started_port(process, "operator_port");
    ASSERT_NE(operator_port, 0) << service;
    EXPECT_EQ(logged_port(process.log_path(), "webhook_port"), 0) << service;
    EXPECT_EQ(status(operator_port, "GET", "/metrics"), 200) << service;
    EXPECT_EQ(status(operator_port, "GET", "/healthz"), 200) << service;
    EXPECT_EQ(status(operator_port, "POST", kWebhook), 404) << service;
    EXPECT_EQ(status(operator_port, "POST", kCommands), 404) << service;
    ::kill(process.pid(), SIGTERM);
    EXPECT_EQ(process.wait(), 0) << service << ": " << read_file(process.log_path());
  }
}

}  // namespace
}  // namespace switchyard::testing
