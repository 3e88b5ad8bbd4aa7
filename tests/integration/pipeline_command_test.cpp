// vendor → PSA, end to end over the real parts: a command sent to ingest (or produced straight
// to the commands topic) becomes exactly one Autotask ticket in the sandbox, however often it
// is delivered; PSA throttling is retried; a rejected command is dead-lettered with a reason.
#include <gtest/gtest.h>

#include <set>
#include <simdjson.h>

#include "common/http_client.h"
#include "common/kafka_producer.h"
#include "common/redis_client.h"
#include "common/topics.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

std::string upsert_command(const std::string& id, const std::string& external_ref, const std::string& title,
                           const std::string& extra = "") {
  return R"({"command_version":1,"id":")" + id + R"(","tenant":"globex","type":"ticket.upsert","payload":{)" +
         R"("external_ref":")" + external_ref + R"(","title":")" + title + R"(","priority":"high")" + extra + "}}";
}

class PipelineCommandTest : public ::testing::Test {
 protected:
  http::ClientResponse post_command(const std::string& body, const std::string& tenant = "globex",
                                    const std::string& token = std::string(kApiToken)) {
    auto r = client_.send({.method = "POST", .url = stack_.ingest_api_url() + "/v1/tenants/" + tenant + "/commands",
                           .headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}},
                           .body = body});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : http::ClientResponse{};
  }

  size_t tickets_with_ref(const std::string& ref) { return autotask_tickets_with_ref(stack_.psa(), ref); }

  size_t ticket_creates() {
    size_t n = 0;
    for (const auto& w : stack_.psa().writes()) {
      if (w.psa == "autotask" && w.method == "POST" && w.path.ends_with("/V1.0/Tickets") && w.status < 300) ++n;
    }
    return n;
  }

  PipelineStack stack_;
  http::HttpClient client_;
};

TEST_F(PipelineCommandTest, CommandEndsAsExactlyOneTicket) {
  auto accepted = post_command(upsert_command("cmd-1", "alert-1", "Disk almost full on SRV01"));
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  ASSERT_TRUE(eventually([&] { return tickets_with_ref("alert-1") == 1; }, std::chrono::seconds(30)));

  simdjson::dom::parser parser;
  for (const auto& json : stack_.psa().records("autotask", "Tickets")) {
    auto ticket = parser.parse(json);
    std::string_view external;
    if (ticket["externalID"].get(external) != simdjson::SUCCESS || external != "alert-1") continue;
    EXPECT_EQ(std::string_view(ticket["title"].get_string().value()), "Disk almost full on SRV01");
    EXPECT_EQ(ticket["companyID"].get_int64().value(), 100);  // the tenant's default company
    EXPECT_EQ(ticket["priority"].get_int64().value(), 1);     // "high" in Autotask's default picklist
  }
  // Once dispatch finished everything on the commands topic, there is still exactly one.
  ASSERT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands)));
  EXPECT_EQ(tickets_with_ref("alert-1"), 1u);
  EXPECT_EQ(ticket_creates(), 1u);
}

TEST_F(PipelineCommandTest, RedeliveredCommandNeverMakesASecondTicket) {
  const std::string command = upsert_command("cmd-2", "alert-2", "Backup failed");
  ASSERT_EQ(post_command(command).status, 202);
  ASSERT_EQ(post_command(command).status, 202);
  // And once more straight on the topic, as the vendor platform may produce it.
  KafkaSettings settings;
  settings.bootstrap_servers = stack_.kafka().bootstrap();
  auto producer = KafkaProducer::create(settings);
  ASSERT_TRUE(producer.ok());
  ASSERT_TRUE((*producer)->produce_sync(std::string(topics::kCommands), "globex/alert-2", command).ok);

  ASSERT_TRUE(eventually([&] { return tickets_with_ref("alert-2") >= 1; }, std::chrono::seconds(30)));
  // Both redeliveries are recognised as already executed.
  const std::string skipped =
      R"(switchyard_dispatch_commands_total{outcome="skipped_duplicate",psa="autotask",tenant="globex",type="ticket.upsert"})";
  EXPECT_TRUE(eventually([&] { return metric_value(stack_.dispatch().metrics().serialize(), skipped) == 2; },
                         std::chrono::seconds(30)))
      << stack_.dispatch().metrics().serialize();
  EXPECT_EQ(tickets_with_ref("alert-2"), 1u);
  EXPECT_EQ(ticket_creates(), 1u);
}

TEST_F(PipelineCommandTest, SameExternalRefWithANewCommandUpdatesTheTicket) {
  ASSERT_EQ(post_command(upsert_command("cmd-3a", "alert-3", "CPU high")).status, 202);
  ASSERT_TRUE(eventually([&] { return tickets_with_ref("alert-3") == 1; }, std::chrono::seconds(30)));
  ASSERT_EQ(post_command(upsert_command("cmd-3b", "alert-3", "CPU high for 30 minutes")).status, 202);
  simdjson::dom::parser parser;
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& json : stack_.psa().records("autotask", "Tickets")) {
          std::string_view external, title;
          auto t = parser.parse(json);
          if (t["externalID"].get(external) == simdjson::SUCCESS && external == "alert-3" &&
              t["title"].get(title) == simdjson::SUCCESS && title == "CPU high for 30 minutes") {
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds(30)));
  EXPECT_EQ(tickets_with_ref("alert-3"), 1u);
}

// What dispatch wrote is marked as its own (sy:echo:*), so normalize can tell the change coming
// back from the MSP's: the ticket by its upsert, then the note and its ticket by the note.
TEST_F(PipelineCommandTest, ExecutedCommandsLeaveEchoMarksOnWhatTheyWrote) {
  RedisClient redis(stack_.redis().settings());
  const auto psa_id_of_result = [&](size_t n) {
    auto results = read_topic(stack_.kafka().bootstrap(), std::string(topics::kCommandResults), n,
                              std::chrono::seconds(30));
    if (results.size() < n) return std::string();
    simdjson::dom::parser parser;
    std::string_view id;
    return parser.parse(results[n - 1].value)["psa_id"].get(id) == simdjson::SUCCESS ? std::string(id) : "";
  };
  const auto mark = [&](const std::string& key) {
    auto reply = redis.command({"GET", key});
    return reply && reply->type == RedisReply::Type::String ? reply->str : std::string();
  };

  ASSERT_EQ(post_command(upsert_command("cmd-echo-1", "alert-echo", "Fan failure")).status, 202);
  const std::string ticket_id = psa_id_of_result(1);
  ASSERT_FALSE(ticket_id.empty());
  const std::string ticket_key = "sy:echo:globex:ticket:" + ticket_id;
  EXPECT_EQ(mark(ticket_key), "cmd-echo-1");
  auto ttl = redis.command({"TTL", ticket_key});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 300);  // SWITCHYARD_ECHO_TTL_SECONDS' default

  ASSERT_EQ(post_command(R"({"command_version":1,"id":"cmd-echo-2","tenant":"globex","type":"ticket.note",)"
                         R"("payload":{"external_ref":"alert-echo","note_ref":"n1","text":"Fan replaced"}})")
                .status,
            202);
  const std::string note_id = psa_id_of_result(2);
  ASSERT_FALSE(note_id.empty());
  EXPECT_EQ(mark("sy:echo:globex:ticket_note:" + note_id), "cmd-echo-2");
  EXPECT_EQ(mark(ticket_key), "cmd-echo-2") << "a note changes its ticket too";
}

// A Redis that refuses the echo marks (here: an ACL that leaves out every key starting
// "sy:e") costs only the marks: the command still succeeds once, and the failure is counted.
TEST_F(PipelineCommandTest, AnEchoMarkRedisRefusesIsCountedAndTheCommandStillSucceeds) {
  RedisClient redis(stack_.redis().settings());
  ASSERT_TRUE(redis.checked_command({"ACL", "SETUSER", "default", "resetkeys", "~[^s]*", "~s[^y]*", "~sy[^:]*",
                                     "~sy:[^e]*"})
                  .ok());
  ASSERT_EQ(post_command(upsert_command("cmd-echo-acl", "alert-echo-acl", "Fan failure")).status, 202);
  auto results = read_topic(stack_.kafka().bootstrap(), std::string(topics::kCommandResults), 1,
                            std::chrono::seconds(30));
  ASSERT_EQ(results.size(), 1u);
  simdjson::dom::parser parser;
  auto result = parser.parse(results[0].value);
  EXPECT_EQ(std::string_view(result["outcome"].get_string().value()), "created") << results[0].value;
  const std::string echo_errors = R"(switchyard_redis_errors_total{operation="echo_mark"})";
  EXPECT_GE(metric_value(stack_.dispatch().metrics().serialize(), echo_errors), 1);
  ASSERT_TRUE(redis.checked_command({"ACL", "SETUSER", "default", "allkeys"}).ok());
  std::string_view psa_id;
  ASSERT_EQ(result["psa_id"].get(psa_id), simdjson::SUCCESS);
  auto mark = redis.command({"EXISTS", "sy:echo:globex:ticket:" + std::string(psa_id)});
  ASSERT_TRUE(mark.ok());
  EXPECT_EQ(mark->integer, 0);
  EXPECT_EQ(tickets_with_ref("alert-echo-acl"), 1u);
  EXPECT_EQ(ticket_creates(), 1u);
}

// A 429 parks the tenant until Retry-After has passed; waiting is not a failed attempt.
TEST_F(PipelineCommandTest, ThrottledByThePsaIsRetriedNotLost) {
  stack_.psa().inject_fault("autotask", sandbox::Fault{.status = 429, .retry_after_seconds = 1, .count = 2});
  ASSERT_EQ(post_command(upsert_command("cmd-4", "alert-4", "Throttled but made")).status, 202);
  ASSERT_TRUE(eventually([&] { return tickets_with_ref("alert-4") == 1; }, std::chrono::seconds(30)));
  const std::string metrics = stack_.dispatch().metrics().serialize();
  EXPECT_EQ(metric_value(metrics, R"(switchyard_psa_requests_total{method="POST",psa="autotask",status="429"})"), 2)
      << metrics;
  EXPECT_EQ(metric_value(metrics, R"(switchyard_dispatch_parks_total{reason="psa_throttled",tenant="globex"})"), 2);
  EXPECT_EQ(metric_value(metrics, R"(switchyard_dispatch_retries_total{psa="autotask",tenant="globex"})"), 0);
}

TEST_F(PipelineCommandTest, RejectedCommandIsDeadLetteredWithAReadableReasonAndTheNextOneFlows) {
  // Company 999999 does not exist in the sandbox: Autotask refuses the create.
  ASSERT_EQ(post_command(upsert_command("cmd-5", "alert-5", "No such company", R"(,"company_id":"999999")")).status,
            202);
  ASSERT_EQ(post_command(upsert_command("cmd-6", "alert-6", "After the bad one")).status, 202);

  auto letters = read_topic(stack_.kafka().bootstrap(), std::string(topics::kCommandsDeadLetter), 1,
                            std::chrono::seconds(30));
  ASSERT_EQ(letters.size(), 1u);
  simdjson::dom::parser parser;
  auto letter = parser.parse(letters[0].value);
  EXPECT_EQ(std::string_view(letter["reason"]["code"].get_string().value()), "psa_rejected");
  const std::string_view reason = letter["reason"]["message"].get_string().value();
  EXPECT_NE(reason.find("Autotask refused POST /V1.0/Tickets (500): Invalid companyID"), std::string_view::npos) << reason;
  EXPECT_EQ(std::string_view(letter["tenant"].get_string().value()), "globex");
  EXPECT_EQ(std::string_view(letter["original"]["topic"].get_string().value()), topics::kCommands);

  EXPECT_TRUE(eventually([&] { return tickets_with_ref("alert-6") == 1; }, std::chrono::seconds(30)));
  EXPECT_EQ(tickets_with_ref("alert-5"), 0u);
}

TEST_F(PipelineCommandTest, ConnectWiseRunsTheNewCommandTypes) {
  // acme is on ConnectWise: a ticket, a note on it and a device, each one record in the sandbox.
  const std::string commands[] = {
      R"({"command_version":1,"id":"cmd-cw-1","tenant":"acme","type":"ticket.upsert",)"
      R"("payload":{"external_ref":"alert-cw-1","title":"Disk full","company_id":1,"priority":"critical"}})",
      R"({"command_version":1,"id":"cmd-cw-2","tenant":"acme","type":"ticket.note",)"
      R"("payload":{"external_ref":"alert-cw-1","note_ref":"n1","text":"Rebooted"}})",
      R"({"command_version":1,"id":"cmd-cw-3","tenant":"acme","type":"configuration.upsert",)"
      R"("payload":{"external_ref":"dev-cw-1","name":"FS01","company_id":1,"type":{"id":1}}})",
  };
  for (const auto& command : commands) ASSERT_EQ(post_command(command, "acme").status, 202) << command;
  auto results = read_topic(stack_.kafka().bootstrap(), std::string(topics::kCommandResults), 3,
                            std::chrono::seconds(30));
  ASSERT_EQ(results.size(), 3u);
  simdjson::dom::parser parser;
  for (const auto& message : results) {
    auto result = parser.parse(message.value);
    EXPECT_EQ(std::string_view(result["outcome"].get_string().value()), "created") << message.value;
  }
  const auto count = [&](std::string_view entity, std::string_view needle) {
    size_t n = 0;
    for (const auto& json : stack_.psa().records("connectwise", entity)) n += json.find(needle) != std::string::npos;
    return n;
  };
  EXPECT_EQ(count("tickets", R"("externalXRef":"alert-cw-1")"), 1u);
  EXPECT_EQ(count("notes", "(sy-note n1)"), 1u);
  EXPECT_EQ(count("configurations", R"("deviceIdentifier":"dev-cw-1")"), 1u);
}

// ConnectWise as it would be without notes and devices: dispatch must say so at once.
class NarrowConnectWise : public connectors::Connector {
 public:
  explicit NarrowConnectWise(const connectors::Connector& inner) : inner_(inner) {}
  std::string_view name() const override { return inner_.name(); }
  std::string_view display_name() const override { return inner_.display_name(); }
  const ConnectorSpec& spec() const override { return inner_.spec(); }
  Status verify_webhook(const Tenant& t, const connectors::WebhookRequest& r) const override {
    return inner_.verify_webhook(t, r);
  }
  Result<std::vector<connectors::Change>> decode_webhook(const Tenant& t, std::string_view body) const override {
    return inner_.decode_webhook(t, body);
  }
  Result<connectors::PollResult> poll(const Tenant& t, connectors::PsaHttp& h,
                                      const connectors::PollRequest& r) const override {
    return inner_.poll(t, h, r);
  }
  connectors::WriteOutcome execute(const Tenant& t, const Command& c, connectors::PsaHttp& h,
                                   connectors::WriteMemo& m) const override {
    return inner_.execute(t, c, h, m);
  }
  std::vector<std::string_view> supported_commands() const override { return {"ticket.upsert"}; }

 protected:
  Result<canonical::Record> map_to_canonical(const Envelope& e, simdjson::dom::parser& p,
                                             const MappingLookup&) const override {
    return inner_.to_canonical(e, p);
  }

 private:
  const connectors::Connector& inner_;
};

connectors::ConnectorRegistry narrow_registry() {
  connectors::ConnectorRegistry registry;
  registry.add(std::make_unique<NarrowConnectWise>(*connectors::builtin_registry().find("connectwise")));
  registry.add(std::make_unique<NarrowConnectWise>(*connectors::builtin_registry().find("autotask")));
  return registry;
}

TEST(PipelineUnsupportedCommandTest, ACommandThePsaDoesNotSupportIsDeadLetteredAtOnceSayingSo) {
  static const connectors::ConnectorRegistry registry = narrow_registry();
  PipelineStack stack{StackOptions{.normalize = false, .dispatch_registry = &registry}};
  http::HttpClient client;
  const std::string commands[] = {
      R"({"command_version":1,"id":"cmd-cw-2","tenant":"acme","type":"ticket.note",)"
      R"("payload":{"external_ref":"alert-cw-1","note_ref":"n1","text":"Rebooted"}})",
      R"({"command_version":1,"id":"cmd-cw-3","tenant":"acme","type":"configuration.upsert",)"
      R"("payload":{"external_ref":"dev-cw-1","name":"FS01"}})",
  };
  for (const auto& command : commands) {
    auto r = client.send({.method = "POST", .url = stack.ingest_api_url() + "/v1/tenants/acme/commands",
                          .headers = {{"Content-Type", "application/json"},
                                      {"Authorization", "Bearer " + std::string(kApiToken)}},
                          .body = command});
    ASSERT_TRUE(r.ok() && r->status == 202) << command;
  }
  auto letters = read_topic(stack.kafka().bootstrap(), std::string(topics::kCommandsDeadLetter), 2,
                            std::chrono::seconds(30));
  ASSERT_EQ(letters.size(), 2u);
  std::set<std::string> messages;
  simdjson::dom::parser parser;
  for (const auto& message : letters) {
    auto letter = parser.parse(message.value);
    EXPECT_EQ(std::string_view(letter["reason"]["code"].get_string().value()), "unsupported_command");
    EXPECT_EQ(letter["attempts"].get_int64().value(), 0) << "nothing was tried against the PSA";
    messages.emplace(letter["reason"]["message"].get_string().value());
  }
  EXPECT_EQ(messages, (std::set<std::string>{"ConnectWise Manage does not support the command ticket.note",
                                             "ConnectWise Manage does not support the command configuration.upsert"}));
  for (const auto& w : stack.psa().writes()) EXPECT_NE(w.psa, "connectwise") << w.method << " " << w.path;
}

TEST_F(PipelineCommandTest, InvalidCommandsAreRefusedAtTheDoor) {
  auto malformed = post_command("{not json");
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  auto missing_title = post_command(
      R"({"id":"cmd-7","tenant":"globex","type":"ticket.upsert","payload":{"external_ref":"x"}})");
  EXPECT_EQ(missing_title.status, 422);
  EXPECT_NE(missing_title.body.find("payload.title"), std::string::npos) << missing_title.body;
  auto unknown_tenant = post_command(upsert_command("cmd-8", "alert-8", "t"), "nobody");
  EXPECT_EQ(unknown_tenant.status, 404);
  auto other_tenant = post_command(upsert_command("cmd-9", "alert-9", "t"), "acme");
  EXPECT_EQ(other_tenant.status, 422);
  auto wrong_token = post_command(upsert_command("cmd-10", "alert-10", "t"), "globex", "not-the-token-at-all");
  EXPECT_EQ(wrong_token.status, 401);
  EXPECT_EQ(wrong_token.header("WWW-Authenticate"), "Bearer");
  auto no_token = post_command(upsert_command("cmd-11", "alert-11", "t"), "globex", "");
  EXPECT_EQ(no_token.status, 401);
  EXPECT_EQ(no_token.header("WWW-Authenticate"), "Bearer");
  // Accepted commands are answered only after Kafka's ack, so the topic's end is all of them.
  EXPECT_EQ(read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCommands)).size(), 0u);
}

// A token acts only for the tenants and scopes its entry lists: one for acme cannot post
// for globex (nor learn whether a tenant exists), one with scope "read" posts nothing.
TEST_F(PipelineCommandTest, TokensActOnlyForTheirTenantsAndScopes) {
  auto acme_token_for_globex =
      post_command(upsert_command("cmd-20", "alert-20", "t"), "globex", std::string(kAcmeOnlyToken));
  EXPECT_EQ(acme_token_for_globex.status, 403) << acme_token_for_globex.body;
  EXPECT_NE(acme_token_for_globex.body.find("\"forbidden\""), std::string::npos) << acme_token_for_globex.body;
  // Not 404: a token limited to acme learns nothing about other tenants.
  auto acme_token_for_nobody =
      post_command(upsert_command("cmd-21", "alert-21", "t"), "nobody", std::string(kAcmeOnlyToken));
  EXPECT_EQ(acme_token_for_nobody.status, 403) << acme_token_for_nobody.body;
  auto read_token = post_command(upsert_command("cmd-22", "alert-22", "t"), "globex", std::string(kReadOnlyToken));
  EXPECT_EQ(read_token.status, 403) << read_token.body;
  // A token for every tenant may learn that one does not exist.
  EXPECT_EQ(post_command(upsert_command("cmd-23", "alert-23", "t"), "nobody").status, 404);

  const std::string acme_command = R"({"command_version":1,"id":"cmd-24","tenant":"acme","type":"ticket.upsert",)"
                                   R"("payload":{"external_ref":"alert-24","title":"t","priority":"low"}})";
  auto acme_token_for_acme = post_command(acme_command, "acme", std::string(kAcmeOnlyToken));
  EXPECT_EQ(acme_token_for_acme.status, 202) << acme_token_for_acme.body;

  const std::string metrics = stack_.ingest().metrics().serialize();
  EXPECT_EQ(metric_value(metrics, R"(switchyard_ingest_rejected_total{reason="tenant_not_allowed",route="command"})"), 2)
      << metrics;
  EXPECT_EQ(metric_value(metrics, R"(switchyard_ingest_rejected_total{reason="scope_not_allowed",route="command"})"), 1);
  // Only acme's command reached the topic.
  const auto stored = read_topic(stack_.kafka().bootstrap(), std::string(topics::kCommands), 1,
                                 std::chrono::seconds(10), std::chrono::milliseconds(1000));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_NE(stored[0].value.find("\"cmd-24\""), std::string::npos) << stored[0].value;
}

// A Redis that cannot answer whether a command ran (here: the keys hold the wrong type, so every
// GET is an error reply) is logged and counted, and never taken as "not run" blindly: the
// Autotask lookup by externalID still finds the ticket, so a redelivery makes no second one.
TEST_F(PipelineCommandTest, RedisErrorOnTheExecutedCheckFallsBackToThePsaLookup) {
  const std::string command = upsert_command("cmd-redis", "alert-redis", "Redis said no");
  ASSERT_EQ(post_command(command).status, 202);
  ASSERT_TRUE(eventually([&] { return tickets_with_ref("alert-redis") == 1; }, std::chrono::seconds(30)));
  ASSERT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands)));

  RedisClient redis(stack_.redis().settings());
  for (const std::string key : {"sy:cmd:globex:cmd-redis", "sy:write:globex:autotask:ticket:alert-redis"}) {
    ASSERT_TRUE(redis.command({"DEL", key}).ok());
    ASSERT_TRUE(redis.command({"HSET", key, "f", "v"}).ok());
  }
  ASSERT_EQ(post_command(command).status, 202);  // redelivered
  const std::string check_errors = R"(switchyard_redis_errors_total{operation="command_done_check"})";
  EXPECT_TRUE(eventually([&] { return metric_value(stack_.dispatch().metrics().serialize(), check_errors) >= 1; },
                         std::chrono::seconds(30)));
  ASSERT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands)));
  EXPECT_EQ(tickets_with_ref("alert-redis"), 1u);
  EXPECT_EQ(ticket_creates(), 1u);
  EXPECT_GE(metric_value(stack_.dispatch().metrics().serialize(),
                         R"(switchyard_redis_errors_total{operation="write_memo_lookup"})"),
            1);
}

}  // namespace
}  // namespace switchyard::testing
