// Dead letters, self-service (docs/activity.md#dead-letters), end to end over the real parts: a
// command the PSA refused is listed for its tenant, replayed once the cause is gone, and
// replaying it again never writes twice; another tenant cannot reach it.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/http_client.h"
#include "common/topics.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class PipelineDeadLettersTest : public ::testing::Test {
 protected:
  http::ClientResponse call(const std::string& method, const std::string& path, std::string_view token,
                            const std::string& body = "") {
    http::ClientRequest r{.method = method, .url = stack_.ingest_api_url() + path,
                          .headers = {{"Authorization", "Bearer " + std::string(token)}}, .body = body};
    if (!body.empty()) r.headers.emplace_back("Content-Type", "application/json");
    auto response = client_.send(r);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::ClientResponse{};
  }

  http::ClientResponse replay(const std::string& tenant, const std::string& body) {
    return call("POST", "/v1/tenants/" + tenant + "/dead-letters/replay", kReplayToken, body);
  }

  // The tenant's dead letters: (dead_letter place, whole record JSON).
  std::vector<std::pair<std::string, std::string>> dead_letters(const std::string& tenant) {
    const auto r = call("GET", "/v1/tenants/" + tenant + "/dead-letters", kReadOnlyToken);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::pair<std::string, std::string>> out;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(r.body).get(root) != simdjson::SUCCESS) return out;
    for (simdjson::dom::element letter : root["dead_letters"].get_array()) {
      std::string_view place;
      if (letter["dead_letter"].get(place) == simdjson::SUCCESS) out.emplace_back(place, simdjson::minify(letter));
    }
    return out;
  }

  static int64_t count(const std::string& json, const char* field) {
    simdjson::dom::parser parser;
    int64_t n = -1;
    if (parser.parse(json)[field].get(n) != simdjson::SUCCESS) return -1;
    return n;
  }

  size_t tickets_with_ref(const std::string& ref) { return autotask_tickets_with_ref(stack_.psa(), ref); }

  PipelineStack stack_;
  http::HttpClient client_;
};

TEST_F(PipelineDeadLettersTest, ARefusedCommandIsListedReplayedOnceFixedAndNeverWrittenTwice) {
  // The PSA refuses the create once (the API user lacked a permission), then is fixed.
  stack_.psa().inject_fault("autotask", sandbox::Fault{.status = 403, .retry_after_seconds = 0, .count = 1,
                                                       .method = "POST", .path = "/Tickets$"});
  const std::string command = R"({"command_version":1,"id":"cmd-d1","tenant":"globex","type":"ticket.upsert",)"
                              R"("payload":{"external_ref":"alert-d1","title":"Disk full","priority":"high"}})";
  ASSERT_EQ(call("POST", "/v1/tenants/globex/commands", kApiToken, command).status, 202);

  std::vector<std::pair<std::string, std::string>> letters;
  ASSERT_TRUE(eventually([&] { return !(letters = dead_letters("globex")).empty(); }, std::chrono::seconds(30)));
  ASSERT_EQ(letters.size(), 1u);
  const std::string place = letters[0].first;
  EXPECT_TRUE(place.starts_with(std::string(topics::kCommandsDeadLetter) + "/")) << place;
  EXPECT_NE(letters[0].second.find(R"("reason":"psa_rejected")"), std::string::npos) << letters[0].second;
  EXPECT_EQ(letters[0].second.find("replayed_at"), std::string::npos);
  EXPECT_EQ(tickets_with_ref("alert-d1"), 0u);
  EXPECT_TRUE(dead_letters("acme").empty()) << "another tenant's list shows nothing of globex";

  // Replayed once: the ticket is made.
  const auto first = replay("globex", R"({"dead_letters":[")" + place + R"("]})");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(count(first.body, "replayed"), 1) << first.body;
  ASSERT_TRUE(eventually([&] { return tickets_with_ref("alert-d1") == 1; }, std::chrono::seconds(30)));
  ASSERT_TRUE(eventually([&] { return dead_letters("globex")[0].second.find("replayed_at") != std::string::npos; },
                         std::chrono::seconds(10)));

  // Twice: remembered, not sent again...
  const auto second = replay("globex", R"({"dead_letters":[")" + place + R"("]})");
  EXPECT_EQ(count(second.body, "already_replayed"), 1) << second.body;
  // ...and when forced, dispatch's executed-command record holds: still one ticket.
  const auto forced = replay("globex", R"({"reason":"psa_rejected","again":true})");
  EXPECT_EQ(count(forced.body, "replayed"), 1) << forced.body;
  ASSERT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands)));
  const auto results = read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCommandResults),
                                         std::chrono::seconds(5));
  size_t skipped = 0;
  for (const auto& m : results) skipped += m.value.find(R"("outcome":"skipped_duplicate")") != std::string::npos;
  EXPECT_EQ(skipped, 1u);
  EXPECT_EQ(tickets_with_ref("alert-d1"), 1u);
}

TEST_F(PipelineDeadLettersTest, AnotherTenantsDeadLetterCannotBeReplayedAndBadBodiesAreRefused) {
  stack_.psa().inject_fault("autotask", sandbox::Fault{.status = 403, .retry_after_seconds = 0, .count = 1,
                                                       .method = "POST", .path = "/Tickets$"});
  ASSERT_EQ(call("POST", "/v1/tenants/globex/commands", kApiToken,
                 R"({"command_version":1,"id":"cmd-d2","tenant":"globex","type":"ticket.upsert",)"
                 R"("payload":{"external_ref":"alert-d2","title":"Disk full"}})")
                .status,
            202);
  std::vector<std::pair<std::string, std::string>> letters;
  ASSERT_TRUE(eventually([&] { return !(letters = dead_letters("globex")).empty(); }, std::chrono::seconds(30)));
  // globex's letter asked for through acme: it does not exist there.
  const auto foreign = replay("acme", R"({"dead_letters":[")" + letters[0].first + R"("]})");
  ASSERT_EQ(foreign.status, 200) << foreign.body;
  EXPECT_EQ(count(foreign.body, "not_found"), 1) << foreign.body;
  // Places outside the dead-letter topics are never read.
  const auto elsewhere = replay("globex", R"({"dead_letters":["switchyard.canonical.v1/0/0"]})");
  EXPECT_EQ(count(elsewhere.body, "not_found"), 1) << elsewhere.body;
  EXPECT_EQ(tickets_with_ref("alert-d2"), 0u);

  // A read token cannot replay; a replay token for another scope is refused before the body.
  EXPECT_EQ(call("POST", "/v1/tenants/globex/dead-letters/replay", kReadOnlyToken, R"({"all":true})").status, 403);
  for (const char* body : {"", "[]", R"({})", R"({"dead_letters":[]})", R"({"dead_letters":["x"],"all":true})",
                           R"({"reason":"no_such_code"})", R"({"since":"yesterday"})", R"({"all":"yes"})",
                           R"({"nope":1})"}) {
    EXPECT_EQ(replay("globex", body).status, 400) << body;
  }
}

}  // namespace
}  // namespace switchyard::testing
