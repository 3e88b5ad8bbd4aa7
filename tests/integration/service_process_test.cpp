// The service binaries as Kubernetes runs them: a bad setting stops them at start with a
// message naming it (exit 2); SIGTERM makes them finish their work, commit offsets, leave the
// group and exit 0 quickly, so a replacement consumer does not read the same messages again.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/envelope.h"
#include "common/http_client.h"
#include "common/idempotency.h"
#include "common/kafka_producer.h"
#include "common/topics.h"
#include "support/child_process.h"
#include "support/embedded_kafka.h"
#include "support/eventually.h"
#include "support/free_port.h"
#include "support/redis_server.h"
#include "support/service_binary.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class ServiceProcessTest : public ::testing::Test {
 protected:
  ServiceProcessTest() {
    dir_ = std::filesystem::temp_directory_path() / ("switchyard-proc-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    kafka_.create_default_topics(4);
    // A short session timeout lets a replacement member join quickly on the mock broker.
    std::ofstream(dir_ / "kafka.properties") << "# test settings\nsession.timeout.ms=6000\nheartbeat.interval.ms=500\n";
  }
  ~ServiceProcessTest() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::map<std::string, std::string> env(uint16_t port) const {
    auto settings = test_listeners(port);
    settings.insert({{"SWITCHYARD_KAFKA_BOOTSTRAP", kafka_.bootstrap()},
                     {"SWITCHYARD_KAFKA_PROPERTIES_FILE", (dir_ / "kafka.properties").string()},
                     {"SWITCHYARD_REDIS_URL", redis_.url()}});
    return settings;
  }

  int http_status(uint16_t port, const std::string& path) {
    auto r = client_.send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(port) + path,
                           .timeout = std::chrono::milliseconds(2000)});
    return r.ok() ? r->status : 0;
  }

  // A polled ConnectWise ticket as ingest would have wrapped it.
  void produce_raw(int id) {
    Envelope e;
    e.tenant = "acme";
    e.psa = "connectwise";
    e.entity = "ticket";
    e.entity_id = std::to_string(id);
    e.action = "updated";
    e.source = "poll";
    e.received_at = "2026-11-25T10:00:00.000Z";
    e.idempotency_key = derive_idempotency_key({e.tenant, e.psa, e.entity, e.entity_id, "2026-11-25T09:59:00Z"});
    e.body = R"({"id":)" + e.entity_id + R"(,"summary":"Ticket )" + e.entity_id +
             R"(","_info":{"lastUpdated":"2026-11-25T09:59:00Z"}})";
    KafkaSettings settings;
    settings.bootstrap_servers = kafka_.bootstrap();
    auto producer = KafkaProducer::create(settings);
    ASSERT_TRUE(producer.ok());
    ASSERT_TRUE((*producer)->produce_sync(std::string(topics::kRaw), envelope_kafka_key(e), to_json(e)).ok);
  }

  std::filesystem::path dir_;
  RedisServer redis_;
  EmbeddedKafka kafka_;
  http::HttpClient client_;
};

TEST_F(ServiceProcessTest, BadConfigurationStopsAtStartNamingTheSetting) {
  const std::string log = (dir_ / "ingest.log").string();
  auto settings = env(free_port());
  settings["SWITCHYARD_TENANTS_FILE"] = (dir_ / "tenants.json").string();
  std::ofstream(dir_ / "tenants.json") << R"({"tenants":[{"id":"acme","psa":"connectwise","base_url":"https://cw.example"}]})";
  ChildProcess ingest({service_binary("ingest")}, settings, log);
  EXPECT_EQ(ingest.wait(), 2);
  EXPECT_NE(read_file(log).find("tenants[0].credentials.company_id: required for psa connectwise"), std::string::npos)
      << read_file(log);

  const std::string log2 = (dir_ / "dispatch.log").string();
  auto no_bootstrap = env(free_port());
  no_bootstrap.erase("SWITCHYARD_KAFKA_BOOTSTRAP");
  no_bootstrap["SWITCHYARD_KAFKA_BOOTSTRAP"] = "";
  ChildProcess dispatch({service_binary("dispatch")}, no_bootstrap, log2);
  EXPECT_EQ(dispatch.wait(), 2);
  EXPECT_NE(read_file(log2).find("SWITCHYARD_KAFKA_BOOTSTRAP"), std::string::npos) << read_file(log2);
}

// Every service checks at start that Redis will not evict its keys (common/redis_eviction_check.h).
TEST_F(ServiceProcessTest, RedisThatMayEvictKeysStopsTheStartUnlessAllowed) {
  RedisServer evicting(RedisServerOptions::with_args({"--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"}));
  auto settings = env(free_port());
  settings["SWITCHYARD_REDIS_URL"] = evicting.url();
  ChildProcess refused({service_binary("normalize")}, settings, (dir_ / "normalize-refused.log").string());
  EXPECT_EQ(refused.wait(), 2);
  const std::string refused_log = read_file(refused.log_path());
  EXPECT_NE(refused_log.find("maxmemory-policy is allkeys-lru"), std::string::npos) << refused_log;
  EXPECT_NE(refused_log.find("SWITCHYARD_REDIS_ALLOW_EVICTION"), std::string::npos) << refused_log;

  const uint16_t port = free_port();
  settings = env(port);
  settings["SWITCHYARD_REDIS_URL"] = evicting.url();
  settings["SWITCHYARD_REDIS_ALLOW_EVICTION"] = "true";
  ChildProcess allowed({service_binary("normalize")}, settings, (dir_ / "normalize-allowed.log").string());
  EXPECT_TRUE(eventually([&] { return http_status(port, "/healthz") == 200; }, 20s));
  EXPECT_NE(read_file(allowed.log_path()).find("starting anyway because SWITCHYARD_REDIS_ALLOW_EVICTION=true"),
            std::string::npos)
      << read_file(allowed.log_path());
}

// The security settings are checked by the binary itself: a PSA reached over plain http needs
// the tenant's explicit "allow_insecure_http" (and is warned about), and a bad API tokens file
// stops ingest naming the entry and field, without printing the token.
TEST_F(ServiceProcessTest, InsecureTenantsAndBadTokenFilesAreCaughtAtStart) {
  const std::string tenant_prefix = R"({"tenants":[{"id":"acme","psa":"connectwise","base_url":"http://127.0.0.1:9/cw",)";
  const std::string tenant_rest =
      R"("credentials":{"company_id":"acme","public_key":"p","private_key":"k","client_id":"c"},)"
      R"("webhook_signing_secrets":["signing-key"]}]})";
  auto settings = env(free_port());
  settings["SWITCHYARD_TENANTS_FILE"] = (dir_ / "tenants.json").string();

  std::ofstream(dir_ / "tenants.json") << tenant_prefix << tenant_rest;
  ChildProcess plain({service_binary("ingest")}, settings, (dir_ / "ingest-1.log").string());
  EXPECT_EQ(plain.wait(), 2);
  EXPECT_NE(read_file(plain.log_path()).find("tenants[0].base_url: http:// would send"), std::string::npos)
      << read_file(plain.log_path());

  std::ofstream(dir_ / "tenants.json") << tenant_prefix << R"("allow_insecure_http":true,)" << tenant_rest;
  const std::string token = "process-test-token-0123456789";
  std::ofstream(dir_ / "api-tokens.json") << R"({"tokens":[{"id":"vendor","token":")" << token
                                          << R"(","tenants":["*"],"scopes":["commands","write"]}]})";
  settings["SWITCHYARD_API_TOKENS_FILE"] = (dir_ / "api-tokens.json").string();
  ChildProcess bad_tokens({service_binary("ingest")}, settings, (dir_ / "ingest-2.log").string());
  EXPECT_EQ(bad_tokens.wait(), 2);
  const std::string log = read_file(bad_tokens.log_path());
  EXPECT_NE(log.find("tenant allows insecure http"), std::string::npos) << log;
  EXPECT_NE(log.find(R"(tokens[0] (id \"vendor\").scopes[1]: unknown scope)"), std::string::npos) << log;
  EXPECT_EQ(log.find(token), std::string::npos) << log;
}

TEST_F(ServiceProcessTest, SigtermCommitsOffsetsSoAReplacementDoesNotReadAgain) {
  for (int id = 1; id <= 3; ++id) produce_raw(id);

  const uint16_t port = free_port();
  ChildProcess first({service_binary("normalize")}, env(port), (dir_ / "normalize-1.log").string());
  ASSERT_EQ(read_topic(kafka_.bootstrap(), std::string(topics::kCanonical), 3, std::chrono::seconds(30)).size(), 3u);

  const auto stop_started = std::chrono::steady_clock::now();
  ::kill(first.pid(), SIGTERM);
  EXPECT_EQ(first.wait(), 0) << read_file(first.log_path());
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, std::chrono::seconds(15));

  // The replacement joins the same group and must start after the committed offsets.
  const uint16_t port2 = free_port();
  ChildProcess second({service_binary("normalize")}, env(port2), (dir_ / "normalize-2.log").string());
  ASSERT_TRUE(eventually([&] { return http_status(port2, "/readyz") == 200; }, std::chrono::seconds(30)))
      << read_file(second.log_path());
  produce_raw(4);  // proves the replacement consumes at all
  ASSERT_EQ(read_topic(kafka_.bootstrap(), std::string(topics::kCanonical), 4, std::chrono::seconds(30)).size(), 4u);
  auto metrics = client_.send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(port2) + "/metrics"});
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find("switchyard_normalize_consumed_total 1\n"), std::string::npos) << metrics->body;
  ::kill(second.pid(), SIGTERM);
  EXPECT_EQ(second.wait(), 0);
}

TEST_F(ServiceProcessTest, IngestDrainsAndExitsOnSigterm) {
  std::ofstream(dir_ / "tenants.json") << R"({"tenants":[]})";
  const uint16_t port = free_port();
  auto settings = env(port);
  settings["SWITCHYARD_TENANTS_FILE"] = (dir_ / "tenants.json").string();
  ChildProcess ingest({service_binary("ingest")}, settings, (dir_ / "ingest.log").string());
  ASSERT_TRUE(eventually([&] { return http_status(port, "/readyz") == 200; }, std::chrono::seconds(20)))
      << read_file(ingest.log_path());
  ::kill(ingest.pid(), SIGTERM);
  EXPECT_EQ(ingest.wait(), 0) << read_file(ingest.log_path());
  EXPECT_NE(read_file(ingest.log_path()).find("ingest stopped"), std::string::npos);
}

// SWITCHYARD_LIVENESS_TIMEOUT_SECONDS: out of range stops the binary naming it; a short one is
// what /healthz holds the loops to, and an idle process keeps answering 200 past it (its loops
// beat while they wait).
TEST_F(ServiceProcessTest, LivenessTimeoutIsReadAndIdleLoopsStayHealthy) {
  auto bad = env(free_port());
  bad["SWITCHYARD_LIVENESS_TIMEOUT_SECONDS"] = "0";
  ChildProcess refused({service_binary("normalize")}, bad, (dir_ / "normalize-bad.log").string());
  EXPECT_EQ(refused.wait(), 2);
  EXPECT_NE(read_file(refused.log_path()).find("SWITCHYARD_LIVENESS_TIMEOUT_SECONDS"), std::string::npos)
      << read_file(refused.log_path());

  const uint16_t port = free_port();
  auto settings = env(port);
  settings["SWITCHYARD_LIVENESS_TIMEOUT_SECONDS"] = "2";
  ChildProcess normalize({service_binary("normalize")}, settings, (dir_ / "normalize.log").string());
  ASSERT_TRUE(eventually([&] { return http_status(port, "/readyz") == 200; }, std::chrono::seconds(30)))
      << read_file(normalize.log_path());
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    EXPECT_EQ(http_status(port, "/healthz"), 200) << read_file(normalize.log_path());
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  auto metrics = client_.send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(port) + "/metrics"});
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find("switchyard_heartbeat_timeout_seconds 2\n"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find(R"(switchyard_heartbeat_age_seconds{loop="consumer"})"), std::string::npos);
  ::kill(normalize.pid(), SIGTERM);
  EXPECT_EQ(normalize.wait(), 0);
}

}  // namespace
}  // namespace switchyard::testing
