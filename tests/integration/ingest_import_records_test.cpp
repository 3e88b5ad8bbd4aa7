// Importing records by id (POST /v1/tenants/{t}/sync {"records": [...]}) over the real parts
// (redis-server, the embedded Kafka, the PSA sandbox over HTTP) with ingest in-process: each
// record becomes a fetch job with reason "import", acknowledged by Kafka before the 202, and
// ends as one raw envelope (source "fetch") with the PSA's record, for Kaseya BMS, Pulseway
// and ConnectWise tenants whose polling is off. Bad input is a 400 naming the field; another
// tenant's token a 403; an id the PSA does not have is dead-lettered once, never retried; Kafka
// down is a 503.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "common/api_tokens.h"
#include "common/crypto.h"
#include "common/envelope.h"
#include "common/http_client.h"
#include "common/topics.h"
#include "connectors/registry.h"
#include "ingest/fetch_job.h"
#include "ingest/ingest_service.h"
#include "psa-sandbox/sandbox.h"
#include "support/embedded_kafka.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/redis_server.h"
#include "support/topic_tail.h"

namespace switchyard::testing {
namespace {

constexpr std::string_view kSyncToken = "sync-token-import-0123456789ab";
constexpr std::string_view kBmsOnlyToken = "sync-token-bms-only-0123456789";
constexpr std::string_view kCommandsToken = "commands-token-import-01234567";

class ImportRecordsTest : public ::testing::Test {
 protected:
  ImportRecordsTest() {
    dir_ = std::filesystem::temp_directory_path() / ("switchyard-import-test-" + crypto::random_hex(6));
    std::filesystem::create_directories(dir_);
    kafka_.create_default_topics(2);
    sandbox_.start();
    write_files();
    tail_ = std::make_unique<TopicTail>(
        kafka_.bootstrap(),
        std::vector<std::string>{std::string(topics::kRaw), std::string(topics::kFetchJobs),
                                 std::string(topics::kRawDeadLetter)});
    ingest::IngestOptions o;
    o.polling = false;
    o.fetch.retry_base = std::chrono::milliseconds(100);
    o.api_tokens = load_api_tokens_file((dir_ / "api-tokens.json").string(), Env());
    const auto& registry = connectors::builtin_registry();
    auto tenants = load_tenants_file(config().tenants_file, connectors::spec_lookup(registry), Env());
    ingest_ = std::make_unique<ingest::IngestService>(config(), o, std::move(tenants), registry);
    ingest_->start();
  }
  ~ImportRecordsTest() override {
    ingest_.reset();
    tail_.reset();
    sandbox_.stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // bms (Kaseya BMS), pw (Pulseway) and cw (ConnectWise), none polled.
  void write_files() {
    const sandbox::ConnectWiseCredentials cw;
    std::string json = R"({"tenants": [)";
    const auto v2 = [&](const std::string& id, const std::string& psa, const std::string& user,
                        const std::string& password) {
      json.append(R"({"id": ")").append(id).append(R"(", "psa": ")").append(psa).append("\", ");
      // BMS signs no webhook: its URL secret is required.
      if (psa == "kaseya_bms") json.append(R"("webhook_url_secrets": ["import-test-url-secret-0123456789"], )");
      json.append(R"("poll": {"enabled": false})");
      json.append(R"(, "allow_insecure_http": true, "base_url": ")").append(sandbox_.psa_base_url(psa));
      json.append(R"(", "credentials": {"username": ")").append(user).append(R"(", "password": ")");
      json.append(password).append(R"(", "company": "acme-msp"}},)");
    };
    v2("bms", "kaseya_bms", "bms-api@acme-msp.example", "bms-sandbox-password");
    v2("pw", "pulseway", "pulseway-api@acme-msp.example", "pulseway-sandbox-password");
    json.append(R"({"id": "cw", "psa": "connectwise", "allow_insecure_http": true, "base_url": ")");
    json.append(sandbox_.connectwise_base_url()).append(R"(", "credentials": {"company_id": ")");
    json.append(cw.company_id).append(R"(", "public_key": ")").append(cw.public_key);
    json.append(R"(", "private_key": ")").append(cw.private_key).append(R"(", "client_id": ")");
    json.append(cw.client_id).append(R"("}, "webhook_signing_secrets": [")").append(cw.signing_key);
    json.append(R"("], "poll": {"enabled": false}}]})");
    std::ofstream(dir_ / "tenants.json") << json;
    std::ofstream(dir_ / "api-tokens.json")
        << R"({"tokens": [{"id": "ops", "token": ")" << kSyncToken
        << R"(", "tenants": ["*"], "scopes": ["sync"]}, {"id": "bms-wizard", "token": ")" << kBmsOnlyToken
        << R"(", "tenants": ["bms"], "scopes": ["sync"]}, {"id": "vendor", "token": ")" << kCommandsToken
        << R"(", "tenants": ["*"], "scopes": ["commands"]}]})";
  }

  ServiceConfig config() const {
    ServiceConfig c;
    c.kafka.bootstrap_servers = kafka_.bootstrap();
    c.kafka.delivery_timeout_ms = 3000;
    c.redis = redis_.settings();
    c.tenants_file = (dir_ / "tenants.json").string();
    c.operator_listen = c.webhook_listen = c.api_listen = ListenAddress{"127.0.0.1", 0, true};
    c.topics.raw = std::string(topics::kRaw);
    c.topics.raw_dead_letter = std::string(topics::kRawDeadLetter);
    c.topics.fetch_jobs = std::string(topics::kFetchJobs);
    c.topics.commands = std::string(topics::kCommands);
    return c;
  }

  http::ClientResponse post(const std::string& tenant, std::string_view token, const std::string& body) {
    http::Headers headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(token));
    auto r = client_.send({.method = "POST",
                           .url = "http://127.0.0.1:" + std::to_string(ingest_->api_port()) + "/v1/tenants/" + tenant +
                                  "/sync",
                           .headers = headers,
                           .body = body,
                           .timeout = std::chrono::seconds(30)});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : http::ClientResponse{};
  }

  // The error message of a refusal ({"error": {"code", "message"}}).
  static std::string message_of(const http::ClientResponse& r) {
    simdjson::dom::parser parser;
    std::string_view message;
    if (parser.parse(r.body)["error"]["message"].get(message) != simdjson::SUCCESS) return {};
    return std::string(message);
  }

  // Raw envelopes of the tenant's record.
  std::vector<Envelope> raw(const std::string& tenant, const std::string& entity, const std::string& id) {
    std::vector<Envelope> out;
    for (const auto& m : tail_->messages(std::string(topics::kRaw))) {
      auto e = envelope_from_json(m.value);
      if (e && e->tenant == tenant && e->entity == entity && e->entity_id == id) out.push_back(*e);
    }
    return out;
  }
  std::vector<ingest::FetchJob> jobs() {
    std::vector<ingest::FetchJob> out;
    for (const auto& m : tail_->messages(std::string(topics::kFetchJobs))) {
      auto job = ingest::fetch_job_from_json(m.value);
      EXPECT_TRUE(job.ok()) << m.value;
      if (job) out.push_back(*job);
    }
    return out;
  }
  double metric(const std::string& series) {
    auto r = client_.send(
        {.method = "GET", .url = "http://127.0.0.1:" + std::to_string(ingest_->operator_port()) + "/metrics"});
    return r.ok() ? metric_value(r->body, series) : -1;
  }

  // Imports one record and checks it ends as exactly one fetched envelope holding `expected`.
  void expect_imported(const std::string& tenant, const std::string& entity, const std::string& id,
                       const std::string& id_json, const std::string& expected) {
    const auto accepted =
        post(tenant, kSyncToken, R"({"records": [{"entity": ")" + entity + R"(", "id": )" + id_json + "}]}");
    ASSERT_EQ(accepted.status, 202) << accepted.body;
    simdjson::dom::parser parser;
    simdjson::dom::element answer;
    ASSERT_EQ(parser.parse(accepted.body).get(answer), simdjson::SUCCESS) << accepted.body;
    EXPECT_EQ(answer["records"].at(0)["entity"].get_string().value(), entity) << accepted.body;
    EXPECT_EQ(answer["records"].at(0)["id"].get_string().value(), id) << accepted.body;
    EXPECT_EQ(answer["entities"].get_array().value().size(), 0u) << "records alone poll nothing: " << accepted.body;

    // The job was in Kafka when the 202 came (the tail may lag: eventually).
    ASSERT_TRUE(eventually([&] {
      for (const auto& j : jobs()) {
        if (j.tenant == tenant && j.entity == entity && j.entity_id == id) return true;
      }
      return false;
    }, 10s));
    for (const auto& j : jobs()) {
      if (j.tenant == tenant) {
        EXPECT_EQ(j.reason, "import");
      }
    }
    ASSERT_TRUE(eventually([&] { return !raw(tenant, entity, id).empty(); }, 20s)) << "the record never arrived";
    std::this_thread::sleep_for(500ms);
    const auto envelopes = raw(tenant, entity, id);
    ASSERT_EQ(envelopes.size(), 1u);
    EXPECT_EQ(envelopes[0].source, "fetch");
    EXPECT_NE(envelopes[0].body.find(expected), std::string::npos) << envelopes[0].body;
  }

  std::filesystem::path dir_;
  RedisServer redis_;
  EmbeddedKafka kafka_;
  sandbox::Sandbox sandbox_;
  std::unique_ptr<TopicTail> tail_;
  std::unique_ptr<ingest::IngestService> ingest_;
  http::HttpClient client_;
};

TEST_F(ImportRecordsTest, AKaseyaBmsProspectImportedByIdEndsAsOneFetchedEnvelope) {
  // Account 2 of the sandbox is a prospect; polling is off, so only the import can bring it.
  expect_imported("bms", "company", "2", R"("2")", "Globex Corporation");
  EXPECT_TRUE(eventually([&] { return metric(R"(switchyard_fetch_jobs_total{outcome="done",tenant="bms"})") == 1; }, 5s));
  EXPECT_EQ(metric(R"(switchyard_fetch_jobs_total{outcome="scheduled",tenant="bms"})"), 1);
}

TEST_F(ImportRecordsTest, APulsewayCustomerImportedByANumericId) {
  expect_imported("pw", "company", "1", "1", "Acme Corp");
}

TEST_F(ImportRecordsTest, AConnectWiseCompanyImportedById) {
  const std::string stored = sandbox_.upsert_record("connectwise", "companies",
                                                    R"({"identifier":"Initech","name":"Initech Prospect"})");
  simdjson::dom::parser parser;
  const std::string id = std::to_string(parser.parse(stored)["id"].get_int64().value());
  expect_imported("cw", "company", id, "\"" + id + "\"", "Initech Prospect");
}

TEST_F(ImportRecordsTest, BadInputIsRefusedNamingTheFieldAndSchedulesNothing) {
  std::string hundred_and_one = R"({"records": [)";
  for (int i = 0; i <= 100; ++i) hundred_and_one.append(i > 0 ? "," : "").append(R"({"entity":"company","id":"1"})");
  hundred_and_one.append("]}");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"records": )", "not valid JSON"},
      {R"({"records": {"entity": "company", "id": "1"}})", "records: must be an array of 1 to 100"},
      {R"({"records": []})", "records: must be an array of 1 to 100"},
      {hundred_and_one, "records: must be an array of 1 to 100"},
      {R"({"records": ["company:1"]})", "records[0]: must be an object"},
      {R"({"records": [{"entity": "company"}]})", "records[0].id: missing"},
      {R"({"records": [{"id": "1"}]})", "records[0].entity: missing"},
      {R"({"records": [{"entity": "company", "id": "1"}, {"entity": "company", "id": "../1"}]})",
       "records[1].id: must be 1 to 64"},
      {R"({"records": [{"entity": "company", "id": ""}]})", "records[0].id: must be 1 to 64"},
      {R"({"records": [{"entity": "company", "id": ")" + std::string(65, '7') + R"("}]})",
       "records[0].id: must be 1 to 64"},
      {R"({"records": [{"entity": "company", "id": -4}]})", "records[0].id: must be a string"},
      {R"({"records": [{"entity": "company", "id": "1", "name": "x"}]})", "records[0]: unknown field \"name\""},
      {R"({"records": [{"entity": "invoice", "id": "1"}]})", "records[0].entity: Kaseya BMS cannot import \"invoice\""},
      {R"({"record": [{"entity": "company", "id": "1"}]})", "unknown field \"record\""},
  };
  for (const auto& [body, message] : cases) {
    const auto r = post("bms", kSyncToken, body);
    EXPECT_EQ(r.status, 400) << body << " → " << r.body;
    EXPECT_NE(message_of(r).find(message), std::string::npos) << body << " → " << r.body;
  }
  // ConnectWise lists notes below their ticket: no note is fetched by its own id.
  const auto note = post("cw", kSyncToken, R"({"records": [{"entity": "ticket_note", "id": "1"}]})");
  EXPECT_EQ(note.status, 400) << note.body;
  EXPECT_NE(message_of(note).find("records[0].entity: ConnectWise Manage cannot import \"ticket_note\""),
            std::string::npos)
      << note.body;
  // Records with a poll of a tenant whose polling is off: the poll's refusal, and no job either.
  EXPECT_EQ(post("bms", kSyncToken, R"({"records": [{"entity": "company", "id": "1"}], "entities": ["company"]})").status,
            409);
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(jobs().empty()) << "a refused request scheduled a job";
}

TEST_F(ImportRecordsTest, ATokenForAnotherTenantIsRefusedBeforeTheTenantIsLookedUp) {
  const std::string body = R"({"records": [{"entity": "company", "id": "1"}]})";
  EXPECT_EQ(post("cw", kBmsOnlyToken, body).status, 403) << "bms's token is not cw's";
  EXPECT_EQ(post("nobody", kBmsOnlyToken, body).status, 403) << "nor does it learn which tenants exist";
  EXPECT_EQ(post("bms", kCommandsToken, body).status, 403) << "scope commands is not sync";
  EXPECT_EQ(post("bms", "", body).status, 401);
  EXPECT_EQ(post("nobody", kSyncToken, body).status, 404);
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(jobs().empty());
  EXPECT_EQ(post("bms", kBmsOnlyToken, body).status, 202) << "its own tenant";
}

TEST_F(ImportRecordsTest, AnIdThePsaDoesNotHaveIsDeadLetteredOnceAndNotRetried) {
  ASSERT_EQ(post("bms", kSyncToken, R"({"records": [{"entity": "company", "id": "987654"}]})").status, 202);
  ASSERT_TRUE(eventually([&] { return tail_->count(std::string(topics::kRawDeadLetter)) == 1; }, 20s));
  const auto letter = tail_->messages(std::string(topics::kRawDeadLetter)).front();
  EXPECT_NE(letter.value.find("record_not_found"), std::string::npos) << letter.value;
  EXPECT_TRUE(eventually(
      [&] { return metric(R"(switchyard_fetch_jobs_failed_total{reason="record_not_found",tenant="bms"})") == 1; }, 5s));
  // Retries would go round the fetch-jobs topic (every 100 ms here): none does.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(tail_->count(std::string(topics::kFetchJobs)), 1u) << "the job was produced again";
  EXPECT_EQ(tail_->count(std::string(topics::kRawDeadLetter)), 1u);
  EXPECT_TRUE(raw("bms", "company", "987654").empty());
}

TEST_F(ImportRecordsTest, KafkaDownIsA503AndNoAcceptance) {
  kafka_.set_brokers_down(true);
  // Up to the delivery timeout (3 s) plus librdkafka's metadata waits for a topic not yet written.
  const auto r = post("bms", kSyncToken, R"({"records": [{"entity": "company", "id": "1"}]})");
  kafka_.set_brokers_down(false);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_NE(r.body.find("kafka_unavailable"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace switchyard::testing
