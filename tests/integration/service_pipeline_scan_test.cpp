// What a partner's security review checks, over the whole pipeline as processes (issue 19):
// after a full run, with a tenant on every PSA that holds a secret, driving webhooks, polls and
// commands through the service binaries, including the paths that fail (a change the mapper
// cannot read, commands the PSA refuses with an error body that echoes what it was sent, a 429,
// payloads that are not valid):
//  - a dump of Redis (every key, every value read by its type) holds no configured secret and no
//    token the sandbox issued, as written or base64, hex or percent-encoded;
//  - no log line of any service, no /metrics output (labels or values), no dead-letter reason,
//    activity record or command result holds any of the personal data the traffic carried
//    (names, e-mail addresses, phone numbers, addresses, ticket titles and text), each marked
//    with a value unique to the run. Dead letters keep the original message for a replay: that
//    is where the data is allowed to be (docs/security.md).
// The run happens once per process and both tests read it.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "common/activity.h"
#include "common/crypto.h"
#include "common/http_client.h"
#include "common/json_writer.h"
#include "common/redis_client.h"
#include "common/topics.h"
#include "support/activity_reader.h"
#include "support/eventually.h"
#include "support/leak_scan.h"
#include "support/redis_dump.h"
#include "support/reference_signatures.h"
#include "support/service_binary.h"
#include "support/service_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

using T = ServiceStackTenants;

const std::vector<std::string>& all_tenants() {
  static const std::vector<std::string> tenants = {T::connectwise, T::autotask, T::halopsa,
                                                   T::kaseya_bms,  T::pulseway,  T::syncro};
  return tenants;
}

// Personal data, each value unique to this run so that no fixed text can match it by chance.
struct Pii {
  std::string first_name, last_name, email, phone, address, title, text;

  static Pii for_run() {
    const std::string tag = crypto::random_hex(4);
    std::mt19937_64 random(std::random_device{}());
    const std::string digits = std::to_string(10000000 + random() % 90000000);
    return {.first_name = "Zephyrine" + tag,
            .last_name = "Quillfeather" + tag,
            .email = "zeph.quill." + tag + "@pii-probe.example",
            .phone = "+1555" + digits,
            .address = tag + " Markerstraat 77, Utrecht",
            .title = "Flooded server room at Zephyrine's " + tag,
            .text = "Call me at home after six, " + tag + ", the door code is 4471"};
  }
  std::string full_name() const { return first_name + " " + last_name; }
  std::map<std::string, std::string> needles() const {
    return {{"first name", first_name}, {"last name", last_name}, {"e-mail", email}, {"phone", phone},
            {"address", address},       {"ticket title", title},  {"ticket text", text}};
  }
};

std::string quoted(const std::string& text) {
  JsonWriter w;
  w.value(text);
  return w.take();
}

// What the run left, for the tests to look at.
struct FullRun {
  std::unique_ptr<ServiceStack> stack;
  Pii pii;
  std::map<std::string, std::string> metrics;  // service -> its /metrics at the end of the run
  std::map<std::string, std::string> issued;   // every token the sandbox issued, named
  std::vector<std::string> command_ids;
};

class Traffic {
 public:
  Traffic(ServiceStack& stack, const Pii& pii) : stack_(stack), pii_(pii) {}

  // Records carrying the personal data in every PSA, before the services start: their first
  // poll reads every record.
  void seed() {
    auto& psa = stack_.psa();
    const std::string name = quoted(pii_.full_name()), first = quoted(pii_.first_name), last = quoted(pii_.last_name);
    const std::string email = quoted(pii_.email), phone = quoted(pii_.phone), address = quoted(pii_.address);
    const std::string title = quoted(pii_.title), text = quoted(pii_.text);
    psa.upsert_record("connectwise", "contacts",
                      R"({"id":1,"firstName":)" + first + R"(,"lastName":)" + last + R"(,"addressLine1":)" + address +
                          R"(,"communicationItems":[{"type":{"id":1,"name":"Email"},"value":)" + email +
                          R"(,"defaultFlag":true,"communicationType":"Email"},{"type":{"id":2,"name":"Direct"},"value":)" +
                          phone + R"(,"defaultFlag":true,"communicationType":"Phone"}]})");
    psa.upsert_record("connectwise", "tickets",
                      R"({"id":1,"summary":)" + title + R"(,"initialDescription":)" + text +
                          R"(,"contact":{"id":1,"name":)" + name + R"(},"contactEmailAddress":)" + email +
                          R"(,"contactPhoneNumber":)" + phone + "}");
    psa.upsert_record("autotask", "Contacts",
                      R"({"id":300,"firstName":)" + first + R"(,"lastName":)" + last + R"(,"emailAddress":)" + email +
                          R"(,"phone":)" + phone + R"(,"addressLine":)" + address + "}");
    psa.upsert_record("autotask", "Tickets", R"({"id":1000,"title":)" + title + R"(,"description":)" + text + "}");
    psa.upsert_record("halopsa", "Users",
                      R"({"id":1,"name":)" + name + R"(,"firstname":)" + first + R"(,"surname":)" + last +
                          R"(,"emailaddress":)" + email + R"(,"phonenumber":)" + phone + "}");
    psa.upsert_record("halopsa", "Tickets",
                      R"({"id":1,"summary":)" + title + R"(,"details":)" + text + R"(,"user_name":)" + name + "}");
    for (const char* v2 : {"kaseya_bms", "pulseway"}) {
      psa.upsert_record(v2, "contacts",
                        R"({"id":1,"FirstName":)" + first + R"(,"LastName":)" + last + R"(,"EmailAddress":)" + email +
                            R"(,"Phone":)" + phone + "}");
      psa.upsert_record(v2, "tickets",
                        R"({"id":1,"Title":)" + title + R"(,"Details":)" + text + R"(,"ContactName":)" + name + "}");
    }
  }

  // Every tenant's first poll went through normalize: a canonical message of each.
  void wait_for_first_polls() {
    std::set<std::string> seen;
    ASSERT_TRUE(eventually(
        [&] {
          simdjson::dom::parser parser;
          for (const auto& m : read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical))) {
            std::string_view tenant;
            if (parser.parse(m.value)["record"]["tenant"].get(tenant) == simdjson::SUCCESS) seen.emplace(tenant);
          }
          return seen.size() == all_tenants().size();
        },
        std::chrono::seconds(45), std::chrono::milliseconds(500)))
        << "tenants polled: " << seen.size();
  }

  void webhooks() {
    const std::string hooks = stack_.webhook_url() + "/v1/webhooks/";
    const sandbox::ConnectWiseCredentials cw;
    // Accepted: each PSA's own webhook for the records that carry the data.
    auto fired = stack_.psa().fire_connectwise_callback(hooks + "connectwise/" + T::connectwise, "ticket", "1", "updated");
    ASSERT_TRUE(fired.ok()) << fired.error().message;
    EXPECT_EQ(*fired, 202);
    fired = stack_.psa().fire_webhook("autotask", hooks + "autotask/" + T::autotask, "ticket", "1000", "updated");
    ASSERT_TRUE(fired.ok()) << fired.error().message;
    EXPECT_EQ(*fired, 202);
    const std::string halo = R"({"id":1,"summary":)" + quoted(pii_.title) + R"(,"details":)" + quoted(pii_.text) +
                             R"(,"user_name":)" + quoted(pii_.full_name()) + R"(,"last_update":"2026-11-25T10:00:00"})";
    EXPECT_EQ(post(hooks + "halopsa/" + T::halopsa, halo,
                   {{"X-Halo-Signature", crypto::hex_encode(crypto::hmac_sha256(stack_.halo_webhook_key(), halo))}}),
              202);
    const std::string bms = R"({"EventName":"Ticket Updated","Data":{"TicketId":1,"Title":)" + quoted(pii_.title) +
                            R"(,"ContactEmail":)" + quoted(pii_.email) + "}}";
    EXPECT_EQ(post(hooks + "kaseya_bms/" + T::kaseya_bms + "/" + stack_.bms_url_secret(), bms), 202);

    // A change the mapper cannot read (the board must be an object, and here holds the title):
    // accepted by ingest, dead-lettered by normalize.
    const std::string odd_ticket = R"({"id":77,"summary":)" + quoted(pii_.title) + R"(,"board":)" + quoted(pii_.title) +
                                   R"(,"contact":{"id":1,"name":)" + quoted(pii_.full_name()) +
                                   R"(},"_info":{"lastUpdated":"2026-11-25T08:15:00Z"}})";
    JsonWriter callback;
    callback.begin_object().field("MessageId", "6a0c9b9e-3f4c-4b2a-9d7e-" + crypto::random_hex(6));
    callback.field("FromUrl", "sandbox.local").field("CompanyId", cw.company_id).field("MemberId", "tests");
    callback.field("Action", "updated").field("Type", "ticket").field("ID", 77).field("Entity", odd_ticket).end_object();
    const std::string unmappable = callback.take();
    EXPECT_EQ(post(hooks + "connectwise/" + T::connectwise, unmappable,
                   {{"x-content-signature", cw_signature(cw.signing_key, unmappable)}}),
              202);

    // Refused by ingest: not JSON (signed), a wrong signature, a wrong URL secret, a PSA that
    // sends no webhooks. Each body carries the data.
    const std::string broken = R"({"Type":"ticket","Entity":{"summary":)" + quoted(pii_.title) + R"(,"contact":)" +
                               quoted(pii_.email);
    const int refused =
        post(hooks + "connectwise/" + T::connectwise, broken, {{"x-content-signature", cw_signature(cw.signing_key, broken)}});
    EXPECT_TRUE(refused >= 400 && refused < 500) << refused;
    EXPECT_EQ(post(hooks + "autotask/" + T::autotask, halo, {{"X-Hook-Signature", "sha1=bm90LWEtc2lnbmF0dXJl"}}), 401);
    EXPECT_EQ(post(hooks + "kaseya_bms/" + T::kaseya_bms + "/not-the-url-secret-0123456789", bms), 401);
    const int pulseway = post(hooks + "pulseway/" + T::pulseway, bms);
    EXPECT_TRUE(pulseway >= 400 && pulseway < 500) << pulseway;
  }

  void commands() {
    auto& psa = stack_.psa();
    // Refused by the PSA with error bodies that echo what they were sent (a 400 from
    // ConnectWise, Autotask's validation 500), and throttled once with an echo (HaloPSA).
    psa.inject_fault("connectwise",
                     sandbox::Fault{.status = 400, .retry_after_seconds = 0, .count = 1,
                                    .body = R"({"code":"InvalidObject","message":"ticket object is invalid: summary )" +
                                            pii_.title + R"(","errors":[{"code":"InvalidField","message":"contact )" +
                                            pii_.email + R"( is not valid","resource":"ticket","field":"summary"}]})",
                                    .method = "POST", .path = "/service/tickets$"});
    command(T::connectwise, "scan-cw-refused", upsert("scan-cw-refused"), "dead_lettered");
    psa.inject_fault("autotask",
                     sandbox::Fault{.status = 500, .retry_after_seconds = 0, .count = 1,
                                    .body = R"({"errors":["Value )" + pii_.title + R"( is not valid for title.",)"
                                            R"("The contact )" + pii_.full_name() + " (" + pii_.phone +
                                            R"() does not belong to the company."]})",
                                    .method = "POST", .path = "/Tickets$"});
    command(T::autotask, "scan-at-refused", upsert("scan-at-refused"), "dead_lettered");
    psa.inject_fault("halopsa", sandbox::Fault{.status = 429, .retry_after_seconds = 1, .count = 1,
                                               .body = R"({"error":"too many requests for ticket )" + pii_.title + R"("})",
                                               .method = "POST", .path = "/Tickets$"});
    command(T::halopsa, "scan-halo", upsert("scan-halo"), "created");
    // Accepted by each PSA (the token PSAs fetch a token and keep it in Redis).
    command(T::autotask, "scan-at", upsert("scan-at"), "created");
    command(T::kaseya_bms, "scan-bms", upsert("scan-bms"), "created");
    command(T::pulseway, "scan-pw", upsert("scan-pw"), "created");
    command(T::autotask, "scan-at-note",
            R"({"type":"ticket.note","payload":{"external_ref":"scan-at","note_ref":"n1","text":)" + quoted(pii_.text) +
                "}}",
            "created");

    // Refused by ingest: a title that is not a string, and JSON cut short.
    const std::string api = stack_.api_url() + "/v1/tenants/" + std::string(T::autotask) + "/commands";
    EXPECT_EQ(post(api, R"({"command_version":1,"id":"scan-bad","tenant":"at-globex","type":"ticket.upsert",)"
                        R"("payload":{"external_ref":"x","title":7,"description":)" + quoted(pii_.text) + "}}",
                   bearer()),
              422);
    EXPECT_EQ(post(api, R"({"command_version":1,"id":"scan-cut","payload":{"title":)" + quoted(pii_.title), bearer()), 400);
  }

  // A delta poll of every tenant after the contact changed again (the second poll asks for
  // changes only), throttled once with an echo for HaloPSA.
  void sync_now() {
    stack_.psa().upsert_record("connectwise", "contacts", R"({"id":1,"title":)" + quoted(pii_.address) + "}");
    stack_.psa().inject_fault("halopsa", sandbox::Fault{.status = 429, .retry_after_seconds = 1, .count = 1,
                                                        .body = R"({"error":"slow down, )" + pii_.full_name() + R"("})",
                                                        .method = "GET", .path = "/Users"});
    for (const auto& tenant : all_tenants()) {
      const int status = post(stack_.api_url() + "/v1/tenants/" + tenant + "/sync", "", bearer());
      EXPECT_EQ(status, 202) << tenant;
    }
  }

  // Until normalize finished the raw topic and dispatch the commands topic.
  void wait_until_quiet() {
    const std::string bootstrap = stack_.kafka().bootstrap();
    std::this_thread::sleep_for(std::chrono::seconds(2));  // the syncs' polls
    for (const auto topic : {topics::kRaw, topics::kRawBackfill}) {
      EXPECT_TRUE(wait_for_group(bootstrap, "switchyard-normalize", std::string(topic), std::chrono::seconds(30))) << topic;
    }
    EXPECT_TRUE(wait_for_group(bootstrap, "switchyard-dispatch", std::string(topics::kCommands), std::chrono::seconds(30)));
  }

  const std::vector<std::string>& command_ids() const { return command_ids_; }

 private:
  http::Headers bearer() const { return {{"Authorization", "Bearer " + stack_.api_token()}}; }

  int post(const std::string& url, const std::string& body, http::Headers headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    auto r = client_.send({.method = "POST", .url = url, .headers = std::move(headers), .body = body});
    return r.ok() ? r->status : 0;
  }

  std::string upsert(const std::string& ref) const {
    return R"({"type":"ticket.upsert","payload":{"external_ref":")" + ref + R"(","title":)" + quoted(pii_.title) +
           R"(,"description":)" + quoted(pii_.text + " " + pii_.full_name() + " " + pii_.email + " " + pii_.phone) +
           "}}";
  }

  // Sends `body` ({"type","payload"}) as command `id` and waits for its result.
  void command(const std::string& tenant, const std::string& id, const std::string& body, const std::string& outcome) {
    const std::string full = R"({"command_version":1,"id":")" + id + R"(","tenant":")" + tenant + "\"," + body.substr(1);
    ASSERT_EQ(post(stack_.api_url() + "/v1/tenants/" + tenant + "/commands", full, bearer()), 202) << id;
    command_ids_.push_back(id);
    std::string seen;
    const bool done = eventually(
        [&] {
          simdjson::dom::parser parser;
          for (const auto& m : read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCommandResults))) {
            std::string_view result_id, result_outcome;
            auto doc = parser.parse(m.value);
            if (doc["command_id"].get(result_id) || result_id != id || doc["outcome"].get(result_outcome)) continue;
            seen = result_outcome;
            if (seen != "parked") return true;
          }
          return false;
        },
        std::chrono::seconds(30), std::chrono::milliseconds(200));
    EXPECT_TRUE(done) << id << ": no result";
    EXPECT_EQ(seen, outcome) << id;
  }

  ServiceStack& stack_;
  const Pii& pii_;
  http::HttpClient client_;
  std::vector<std::string> command_ids_;
};

std::string get(const std::string& url) {
  http::HttpClient client;
  auto r = client.send({.method = "GET", .url = url});
  return r.ok() && r->status == 200 ? r->body : std::string();
}

// Every token the sandbox's token PSAs issued during the run, named by PSA and kind.
std::map<std::string, std::string> issued_tokens(ServiceStack& stack) {
  std::map<std::string, std::string> out;
  simdjson::dom::parser parser;
  for (const char* psa : {"halopsa", "kaseya_bms", "pulseway"}) {
    const std::string body = get(stack.psa().base_url() + "/_sandbox/tokens/" + psa + "/issued");
    simdjson::dom::array tokens;
    if (parser.parse(body)["tokens"].get(tokens) != simdjson::SUCCESS) continue;
    size_t n = 0;
    for (simdjson::dom::element t : tokens) {
      const std::string name = std::string(psa) + " token " + std::to_string(++n);
      out[name + " access"] = std::string(t["access_token"].get_string().value());
      out[name + " refresh"] = std::string(t["refresh_token"].get_string().value());
    }
  }
  return out;
}

// The run, once per process.
FullRun& full_run() {
  static FullRun run = [] {
    FullRun r;
    r.stack = std::make_unique<ServiceStack>();
    r.pii = Pii::for_run();
    Traffic traffic(*r.stack, r.pii);
    traffic.seed();
    r.stack->start_services();
    traffic.wait_for_first_polls();
    traffic.webhooks();
    traffic.commands();
    traffic.sync_now();
    traffic.wait_until_quiet();
    r.command_ids = traffic.command_ids();
    for (const auto& service : r.stack->services()) r.metrics[service] = get(r.stack->operator_url(service) + "/metrics");
    r.issued = issued_tokens(*r.stack);
    r.stack->stop_services();  // their logs are complete
    return r;
  }();
  return run;
}

std::string dead_letter_without_original(const KafkaMessage& m) {
  simdjson::dom::parser parser;
  simdjson::dom::object letter;
  if (parser.parse(m.value).get(letter) != simdjson::SUCCESS) return m.value;  // all of it, then
  std::string out;
  for (auto field : letter) {
    if (field.key == "original") continue;
    out.append(field.key).append("=").append(simdjson::minify(field.value)).append("\n");
  }
  for (const auto& h : m.headers) {
    if (h.name.starts_with("sy-")) out.append(h.name).append("=").append(h.value).append("\n");
  }
  return out;
}

TEST(ServicePipelineScanTest, ARedisDumpAfterAFullRunRevealsNoSecretAndNoIssuedToken) {
  FullRun& run = full_run();
  ASSERT_FALSE(HasFailure()) << "the run itself failed";
  // The run did fetch tokens for every token PSA (else there would be nothing to find).
  for (const char* psa : {"halopsa", "kaseya_bms", "pulseway"}) {
    EXPECT_TRUE(run.issued.contains(std::string(psa) + " token 1 access")) << psa << " issued no token";
  }
  std::map<std::string, std::string> needles = run.stack->secrets();
  needles.insert(run.issued.begin(), run.issued.end());

  RedisClient redis(run.stack->redis().settings());
  const auto entries = dump_redis(redis);
  ASSERT_GT(entries.size(), 20u) << "too little in Redis for a full run";
  std::set<std::string> types;
  size_t sealed_tokens = 0;
  for (const auto& entry : entries) {
    types.insert(entry.type);
    EXPECT_TRUE(entry.read) << entry.key << ": type " << entry.type << " is not read by the scan";
    for (const auto& leak : find_leaks(entry.key + "\n" + entry.value, needles)) {
      ADD_FAILURE() << "Redis key " << entry.key << " (" << entry.type << ") holds " << leak;
    }
    if (entry.key.starts_with("sy:auth:token:") && entry.value.find("sy1:") != std::string::npos) ++sealed_tokens;
  }
  EXPECT_GE(sealed_tokens, 3u) << "each token PSA's tenant keeps a sealed token";
  EXPECT_TRUE(types.contains("hash") && types.contains("string")) << "the scan read few kinds of values";

  // Nor in what the services print and serve.
  for (const auto& service : run.stack->services()) {
    for (const auto& leak : find_leaks(read_file(run.stack->log_path(service)), needles)) {
      ADD_FAILURE() << service << "'s log holds " << leak;
    }
    for (const auto& leak : find_leaks(run.metrics[service], needles)) {
      ADD_FAILURE() << service << "'s /metrics holds " << leak;
    }
  }
}

TEST(ServicePipelineScanTest, NoPersonalDataInLogsMetricsDeadLetterReasonsOrActivity) {
  FullRun& run = full_run();
  ASSERT_FALSE(HasFailure()) << "the run itself failed";
  const auto needles = run.pii.needles();
  ServiceStack& stack = *run.stack;

  for (const auto& service : stack.services()) {
    const std::string log = read_file(stack.log_path(service));
    EXPECT_GT(std::count(log.begin(), log.end(), '\n'), 5) << service << " logged (almost) nothing";
    size_t line_number = 0;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
      ++line_number;
      for (const auto& leak : find_leaks(line, needles)) {
        ADD_FAILURE() << service << " log line " << line_number << " holds the " << leak << ": " << line;
      }
    }
    const std::string& metrics = run.metrics[service];
    EXPECT_NE(metrics.find("switchyard_"), std::string::npos) << service << " served no metrics";
    for (const auto& leak : find_leaks(metrics, needles)) ADD_FAILURE() << service << "'s /metrics holds the " << leak;
  }

  // Dead letters: the reason, the tenant, the headers; the original is kept for a replay and
  // does hold the data (which shows the markers travelled this far).
  const std::string bootstrap = stack.kafka().bootstrap();
  size_t letters = 0, originals_with_data = 0;
  for (const auto topic : {topics::kRawDeadLetter, topics::kCommandsDeadLetter}) {
    for (const auto& m : read_topic_to_end(bootstrap, std::string(topic))) {
      ++letters;
      if (!find_leaks(m.value, needles).empty()) ++originals_with_data;
      for (const auto& leak : find_leaks(dead_letter_without_original(m), needles)) {
        ADD_FAILURE() << "a dead letter on " << topic << " holds the " << leak << " outside its original: " << m.value;
      }
    }
  }
  EXPECT_GE(letters, 3u) << "the unmappable change and the two refused commands";
  EXPECT_GE(originals_with_data, 3u);

  // Command results (the vendor reads them) and activity, on the topic and in Redis.
  for (const auto topic : {topics::kCommandResults, topics::kActivity}) {
    const auto messages = read_topic_to_end(bootstrap, std::string(topic));
    EXPECT_FALSE(messages.empty()) << topic;
    for (const auto& m : messages) {
      for (const auto& leak : find_leaks(m.value, needles)) ADD_FAILURE() << topic << " holds the " << leak << ": " << m.value;
    }
  }
  RedisClient redis(stack.redis().settings());
  size_t records = 0;
  for (const auto& tenant : all_tenants()) {
    for (const auto& record : recent_activity(redis, tenant)) {
      ++records;
      for (const auto& leak : find_leaks(to_json(record), needles)) {
        ADD_FAILURE() << tenant << "'s activity holds the " << leak << ": " << to_json(record);
      }
    }
  }
  EXPECT_GT(records, 10u);
}

}  // namespace
}  // namespace switchyard::testing
