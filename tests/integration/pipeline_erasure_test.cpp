// Erasure of a person (POST /v1/tenants/{tenant}/erasure) over the real parts: the person's data
// is seeded into redis-server where Switchyard keeps it (activity views, the sync policies'
// state, stored company records, cached lists, echo marks), then erased. The test checks what is
// left in Redis (the person gone, everything else and the other tenant untouched), the erasure
// event read back from the embedded Kafka (key, headers, schema, no e-mail), the audit record
// (a keyed hash of the e-mail, never the e-mail), a second run, and refused input.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "common/activity.h"
#include "common/activity_log.h"
#include "common/crypto.h"
#include "common/echo_marks.h"
#include "common/http_client.h"
#include "common/redis_client.h"
#include "common/topics.h"
#include "support/json_schema.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

constexpr std::string_view kEmail = "Jane.Doe@Example.com";   // as the partner types it
constexpr std::string_view kStored = "jane.doe@example.com";  // as a PSA may store it

class PipelineErasureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = std::make_unique<RedisClient>(stack_.redis().settings());
    for (const std::string tenant : {"acme", "globex"}) seed(tenant);
  }

  std::string activity(const std::string& tenant, std::string entity, std::string psa_id, std::string outcome,
                       std::string message) {
    ActivityRecord r;
    r.at = "2026-12-01T10:00:00.000Z";
    r.tenant = tenant;
    r.kind = std::string(activity::kInbound);
    r.entity = std::move(entity);
    r.psa_id = std::move(psa_id);
    r.outcome = std::move(outcome);
    r.message = std::move(message);
    return to_json(r);
  }
  void xadd(const std::string& key, const std::string& json) {
    ASSERT_TRUE(redis_->checked_command({"XADD", key, "*", "kind", "inbound", "r", json}).ok());
  }
  void cmd(const std::vector<std::string>& argv) {
    auto r = redis_->checked_command(argv);
    ASSERT_TRUE(r.ok()) << argv[0] << ": " << (r.ok() ? "" : r.error().message);
  }
  // Where a contact (id 77, e-mail kStored) can sit in a tenant's Redis state, and what must stay.
  void seed(const std::string& t) {
    xadd(activity_stream_key(t), activity(t, "contact", "77", "emitted", "contact 77 published"));
    xadd(activity_stream_key(t), activity(t, "ticket", "1001", "emitted", "ticket 1001 published"));
    xadd(activity_stream_key(t), activity(t, "contact", "88", "emitted", "contact 88 published"));
    const std::string failed = activity(t, "company", "250", "failed", "a reply named " + std::string(kStored));
    xadd(activity_stream_key(t), failed);
    xadd(activity_problems_key(t), failed);
    cmd({"SADD", "sy:policy:{" + t + "}:contacts:250", "77", "88"});
    cmd({"HSET", "sy:policy:{" + t + "}:owners", "contact:77", "250", "contact:88", "250", "agreement:9", "250"});
    cmd({"HSET", "sy:policy:{" + t + "}:company:250", "record",
         R"({"type":"company","record":{"emails":["JANE.DOE@example.com","office@acme.example"]}})", "memory",
         R"({"fingerprint":"f","active":true,"in":[]})"});
    cmd({"SET", "sy:lookup:" + t + ":agreements:b=:c=", R"(x 0 [{"id":"9","name":"Support for jane.doe@example.com"}])"});
    cmd({"SET", "sy:lookup:" + t + ":boards:b=:c=", R"(x 0 [{"id":"5","name":"Help Desk"}])"});
    cmd({"SET", EchoMarks::key(EchoRecord{t, "contact", "77"}), "cmd-1"});
  }

  std::vector<std::string> stream_messages(const std::string& key) {
    std::vector<std::string> out;
    auto r = redis_->checked_command({"XRANGE", key, "-", "+"});
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return out;
    for (const auto& e : r->elements) out.push_back(e.elements[1].elements.back().str);
    return out;
  }
  std::string get(const std::vector<std::string>& argv) {
    auto r = redis_->checked_command(argv);
    return r.ok() ? r->str : "<error>";
  }
  int64_t integer(const std::vector<std::string>& argv) {
    auto r = redis_->checked_command(argv);
    return r.ok() ? r->integer : -1;
  }

  http::ClientResponse erase(const std::string& tenant, const std::string& body, std::string_view token = kAdminToken) {
    auto r = client_.send({.method = "POST",
                           .url = stack_.ingest_api_url() + "/v1/tenants/" + tenant + "/erasure",
                           .headers = {{"Content-Type", "application/json"},
                                       {"Authorization", "Bearer " + std::string(token)}},
                           .body = body,
                           .timeout = std::chrono::milliseconds(20000)});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : http::ClientResponse{};
  }

  PipelineStack stack_{StackOptions{.normalize = false, .dispatch = false}};
  std::unique_ptr<RedisClient> redis_;
  http::HttpClient client_;
};

TEST_F(PipelineErasureTest, RemovesThePersonFromRedisAndTellsConsumersWithoutRepublishingTheEmail) {
  const auto answer = erase("acme", R"({"contact_id":"77","email":")" + std::string(kEmail) + R"("})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(answer.body).get(doc), simdjson::SUCCESS) << answer.body;
  // contact 77's record and the record naming the e-mail (in both streams it sits in).
  EXPECT_EQ(doc["removed"]["activity_records"].get_int64().value(), 3) << answer.body;
  EXPECT_EQ(doc["removed"]["policy_entries"].get_int64().value(), 2) << answer.body;  // the set, the owner
  EXPECT_EQ(doc["removed"]["redacted_records"].get_int64().value(), 1) << answer.body;
  EXPECT_EQ(doc["removed"]["cache_entries"].get_int64().value(), 1) << answer.body;
  EXPECT_EQ(doc["removed"]["echo_marks"].get_int64().value(), 1) << answer.body;
  const std::string erasure_id(doc["erasure_id"].get_string().value());
  EXPECT_EQ(answer.body.find("jane"), std::string::npos) << answer.body;

  // What is left of acme: everything but the person.
  const auto stream = stream_messages(activity_stream_key("acme"));
  ASSERT_EQ(stream.size(), 2u);
  EXPECT_NE(stream[0].find("ticket 1001"), std::string::npos);
  EXPECT_NE(stream[1].find("contact 88"), std::string::npos);
  EXPECT_TRUE(stream_messages(activity_problems_key("acme")).empty());
  EXPECT_EQ(integer({"SISMEMBER", "sy:policy:{acme}:contacts:250", "77"}), 0);
  EXPECT_EQ(integer({"SISMEMBER", "sy:policy:{acme}:contacts:250", "88"}), 1);
  EXPECT_EQ(integer({"HEXISTS", "sy:policy:{acme}:owners", "contact:77"}), 0);
  EXPECT_EQ(integer({"HEXISTS", "sy:policy:{acme}:owners", "contact:88"}), 1);
  const std::string company = get({"HGET", "sy:policy:{acme}:company:250", "record"});
  EXPECT_EQ(company, R"({"type":"company","record":{"emails":["","office@acme.example"]}})");
  EXPECT_EQ(integer({"EXISTS", "sy:lookup:acme:agreements:b=:c="}), 0);
  EXPECT_EQ(integer({"EXISTS", "sy:lookup:acme:boards:b=:c="}), 1);
  EXPECT_EQ(integer({"EXISTS", EchoMarks::key(EchoRecord{"acme", "contact", "77"})}), 0);
  // Another tenant's contact 77 is someone else: untouched.
  EXPECT_EQ(stream_messages(activity_stream_key("globex")).size(), 4u);
  EXPECT_EQ(integer({"SISMEMBER", "sy:policy:{globex}:contacts:250", "77"}), 1);
  EXPECT_NE(get({"HGET", "sy:policy:{globex}:company:250", "record"}).find("JANE.DOE"), std::string::npos);
  EXPECT_EQ(integer({"EXISTS", "sy:lookup:globex:agreements:b=:c="}), 1);

  // The erasure event, keyed like contact 77's own events, valid against the published schema.
  const auto canonical = read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical));
  ASSERT_EQ(canonical.size(), 1u);
  const auto& event = canonical[0];
  EXPECT_EQ(event.key, "acme/contact/77");
  std::map<std::string, std::string> headers;
  for (const auto& h : event.headers) headers[h.name] = h.value;
  EXPECT_EQ(headers["sy-tenant"], "acme");
  EXPECT_EQ(headers["sy-type"], "erasure");
  const JsonSchemaSet schemas(canonical_schema_dir(), canonical_schema_files());
  EXPECT_EQ(schemas.validate_text(event.value, "event.schema.json"), std::vector<std::string>{}) << event.value;
  EXPECT_NE(event.value.find(R"("contact_id":"77")"), std::string::npos) << event.value;
  EXPECT_NE(event.value.find(R"("email_sha256":")" + crypto::sha256_hex(kStored) + "\""), std::string::npos)
      << event.value;
  EXPECT_NE(event.value.find(erasure_id), std::string::npos) << event.value;
  EXPECT_EQ(event.value.find("jane"), std::string::npos) << event.value;

  // The audit record: keyed hashes and what was removed, never the e-mail nor its plain hash.
  const auto audit = read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kAudit));
  ASSERT_EQ(audit.size(), 1u);
  const std::string& record = audit[0].value;
  EXPECT_NE(record.find(R"("actor":"token:test-admin")"), std::string::npos) << record;
  EXPECT_NE(record.find(R"("action":"erasure")"), std::string::npos) << record;
  EXPECT_NE(record.find(R"("outcome":"ok")"), std::string::npos) << record;
  EXPECT_NE(record.find(R"("email_hmac_sha256":")"), std::string::npos) << record;
  EXPECT_NE(record.find(R"("hmac_key_id":")"), std::string::npos) << record;
  EXPECT_NE(record.find(R"("activity_records":3)"), std::string::npos) << record;
  EXPECT_NE(record.find(erasure_id), std::string::npos) << record;
  for (const std::string& leak : {std::string("jane"), std::string("JANE"), crypto::sha256_hex(kStored),
                                  std::string(R"("77")")}) {
    EXPECT_EQ(record.find(leak), std::string::npos) << leak << " in " << record;
  }

  // Safe to run again: nothing more to remove, the event is published again.
  const auto again = erase("acme", R"({"contact_id":"77","email":")" + std::string(kEmail) + R"("})");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.body.find(R"("activity_records":0,"policy_entries":0,"redacted_records":0,"cache_entries":0,)"
                            R"("echo_marks":0)"),
            std::string::npos)
      << again.body;
  EXPECT_EQ(read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical)).size(), 2u);
  const std::string metrics = stack_.ingest().metrics().serialize();
  EXPECT_EQ(metric_value(metrics, R"(switchyard_erasures_total{outcome="ok"})"), 2);
}

TEST_F(PipelineErasureTest, AnEmailAloneIsKeyedByTheErasureAndBadInputIsRefusedAndAudited) {
  const auto by_email = erase("acme", R"({"email":")" + std::string(kEmail) + R"("})");
  ASSERT_EQ(by_email.status, 200) << by_email.body;
  EXPECT_EQ(integer({"SISMEMBER", "sy:policy:{acme}:contacts:250", "77"}), 1) << "no contact id: the set stays";
  EXPECT_EQ(stream_messages(activity_stream_key("acme")).size(), 3u) << "the record naming the e-mail is gone";
  const auto canonical = read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical));
  ASSERT_EQ(canonical.size(), 1u);
  EXPECT_TRUE(canonical[0].key.starts_with("acme/erasure/er-")) << canonical[0].key;

  const std::string secret_email = "hidden.person@example";  // no dot after the '@': refused
  for (const std::string& body : {std::string("{}"), std::string("not json"), std::string(R"({"contact_id":"a b"})"),
                                  R"({"email":")" + secret_email + R"("})",
                                  std::string(R"({"contact_id":"77","phone":"555"})")}) {
    const auto refused = erase("acme", body);
    EXPECT_EQ(refused.status, 400) << body;
    EXPECT_EQ(refused.body.find("hidden.person"), std::string::npos) << refused.body;
  }
  EXPECT_EQ(erase("acme", R"({"contact_id":"77"})", kReadOnlyToken).status, 403);
  EXPECT_EQ(erase("acme", R"({"contact_id":"77"})", kApiToken).status, 403);
  EXPECT_EQ(erase("nobody", R"({"contact_id":"77"})").status, 404);
  EXPECT_EQ(integer({"SISMEMBER", "sy:policy:{acme}:contacts:250", "77"}), 1) << "nothing refused was erased";
  EXPECT_EQ(read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical)).size(), 1u);

  // Every request with a known token is in the audit trail, refusals included, without the e-mail.
  const auto audit = read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kAudit));
  EXPECT_EQ(audit.size(), 9u);
  size_t refused = 0;
  for (const auto& m : audit) {
    EXPECT_EQ(m.value.find("hidden.person"), std::string::npos) << m.value;
    EXPECT_EQ(m.value.find("jane"), std::string::npos) << m.value;
    if (m.value.find(R"("outcome":"refused")") != std::string::npos) ++refused;
  }
  EXPECT_EQ(refused, 8u);
}

}  // namespace
}  // namespace switchyard::testing
