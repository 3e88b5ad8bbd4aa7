// The operator console (docs/console.md) in a real browser over the real parts: one command the
// PSA refused is a failed sync; console.test.mjs, in Debian's headless Chromium, finds it,
// opens its explanation and replays it; then the PSA itself is checked: the ticket exists once.
// What the page and its routes answer without a browser: tests/integration/ingest_console_test.cpp.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>

#include "common/activity_log.h"
#include "common/http_client.h"
#include "common/reason_catalogue.h"
#include "support/child_process.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"

namespace switchyard::testing {
namespace {

// Markup a PSA could have put in a field the console shows: it must appear as text.
constexpr std::string_view kHostileText = R"(<img src=x onerror="window.__injected=true">)";

class BrowserConsoleTest : public ::testing::Test {
 protected:
  http::ClientResponse call(const std::string& method, const std::string& url, std::string_view token,
                            const std::string& body = "") {
    http::ClientRequest r{.method = method, .url = url, .headers = {}, .body = body};
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + std::string(token));
    if (!body.empty()) r.headers.emplace_back("Content-Type", "application/json");
    auto response = client_.send(r);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::ClientResponse{};
  }

  // One record a PSA's text could reach (as a connector's reason might, were it not built from
  // fixed words), written the way every service writes activity.
  void record_hostile_activity() {
    RedisClient redis(stack_.redis().settings());
    auto producer = KafkaProducer::create(stack_.config().kafka);
    ASSERT_TRUE(producer);
    Metrics metrics;
    ActivityMetrics activity_metrics(metrics);
    const ActivitySettings settings;
    ActivityLog log(settings, "test", redis, **producer, activity_metrics);
    log.record({.tenant = "globex", .kind = "poll", .entity = "ticket", .psa_id = std::string(kHostileText),
                .outcome = "failed", .reason = "poll_failed", .message = std::string(kHostileText)});
    (*producer)->flush(std::chrono::seconds(5));
  }

  PipelineStack stack_;
  http::HttpClient client_;
};

TEST_F(BrowserConsoleTest, AFailedSyncIsExplainedAndReplayedFromTheConsole) {
  record_hostile_activity();
  // The PSA refuses the create once (the API user lacked a permission), then is fixed.
  stack_.psa().inject_fault("autotask", sandbox::Fault{.status = 403, .retry_after_seconds = 0, .count = 1,
                                                       .method = "POST", .path = "/Tickets$"});
  ASSERT_EQ(call("POST", stack_.ingest_api_url() + "/v1/tenants/globex/commands", kApiToken,
                 R"({"command_version":1,"id":"cmd-console-1","tenant":"globex","type":"ticket.upsert",)"
                 R"("payload":{"external_ref":"alert-console-1","title":"Disk full","priority":"high"}})")
                .status,
            202);
  ASSERT_TRUE(eventually(
      [&] {
        return call("GET", stack_.ingest_api_url() + "/v1/tenants/globex/dead-letters", kReadOnlyToken)
                   .body.find("psa_rejected") != std::string::npos;
      },
      std::chrono::seconds(30)));
  ASSERT_EQ(autotask_tickets_with_ref(stack_.psa(), "alert-console-1"), 0u);

  const Reason* reason = find_reason("psa_rejected");
  ASSERT_NE(reason, nullptr);
  const std::string dir = std::string(SWITCHYARD_BINARY_DIR) + "/tests/browser";
  const std::string log_path = ::testing::TempDir() + "/console-browser.log";
  std::filesystem::remove(log_path);
  ChildProcess node({"node", dir + "/console.test.mjs"},
                    {{"CONSOLE_URL", stack_.ingest_operator_url() + "/console"},
                     {"CONSOLE_TOKEN", std::string(kOperatorToken)},
                     {"CONSOLE_TENANT", "globex"},
                     {"EXPECT_REASON", "psa_rejected"},
                     {"EXPECT_MESSAGE", std::string(reason->message)},
                     {"HOSTILE_TEXT", std::string(kHostileText)},
                     {"SCREENSHOT_DIR", dir + "/screenshots"}},
                    log_path);
  const int exit_code = node.wait();
  std::ifstream log(log_path);
  const std::string output((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  ASSERT_EQ(exit_code, 0) << output;

  // What the console showed is what the PSA holds: the replayed command made one ticket, and
  // replaying it twice more (once refused as already replayed, once forced) made none.
  EXPECT_EQ(autotask_tickets_with_ref(stack_.psa(), "alert-console-1"), 1u);
  EXPECT_NE(call("GET", stack_.ingest_api_url() + "/v1/tenants/globex/dead-letters", kReadOnlyToken)
                .body.find("replayed_at"),
            std::string::npos);
}

}  // namespace
}  // namespace switchyard::testing
