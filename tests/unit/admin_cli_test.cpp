// switchyard-admin's command line against a scripted API: which request each command sends,
// where the token comes from (never the command line), what it prints and which exit code a
// script sees.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "switchyard-admin/admin_cli.h"

namespace switchyard::admin {
namespace {

class AdminCliTest : public ::testing::Test {
 protected:
  int run_cli(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return run(
        args,
        [this](const http::ClientRequest& r) -> Result<http::ClientResponse> {
          sent_.push_back(r);
          if (!reachable_) return make_error("connect_failed", "connection refused");
          return answer_;
        },
        [this](const std::string& name) -> std::optional<std::string> {
          auto it = env_.find(name);
          return it == env_.end() ? std::nullopt : std::optional<std::string>(it->second);
        },
        out_, err_, stdin_ ? &*stdin_ : nullptr);
  }
  static std::string header(const http::ClientRequest& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return {};
  }

  std::map<std::string, std::string> env_{{"SWITCHYARD_ADMIN_TOKEN", "env-token"}};
  http::ClientResponse answer_{200, {}, "{}"};
  bool reachable_ = true;
  std::vector<http::ClientRequest> sent_;
  std::ostringstream out_, err_;
  std::optional<std::istringstream> stdin_;  // standard input, when the test gives one
};

TEST_F(AdminCliTest, ConnectionTestPrintsEachCheckAndFailsWhenOneFails) {
  answer_.body = R"({"tenant":"acme","psa":"connectwise","ok":false,"checks":[
      {"name":"credentials","ok":true,"detail":""},
      {"name":"permission:tickets","ok":false,"detail":"grant Service Desk > Service Tickets"}],
      "was_suspended":false,"resumed":false})";
  EXPECT_EQ(run_cli({"connection-test", "acme"}), kCheckFailed);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].method, "POST");
  EXPECT_EQ(sent_[0].url, "http://127.0.0.1:8081/v1/tenants/acme/connection-test");
  EXPECT_EQ(header(sent_[0], "Authorization"), "Bearer env-token");
  EXPECT_NE(out_.str().find("connection FAILED"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("[FAIL] permission:tickets: grant Service Desk > Service Tickets"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("[ok] credentials"), std::string::npos) << out_.str();

  answer_.body = R"({"tenant":"acme","psa":"connectwise","ok":true,"checks":[],"resumed":true})";
  EXPECT_EQ(run_cli({"connection-test", "acme"}), kOk);
  EXPECT_NE(out_.str().find("now resumed"), std::string::npos) << out_.str();
}

TEST_F(AdminCliTest, ConnectionTestPrintsWarningsWithoutFailing) {
  answer_.body = R"({"tenant":"acme","psa":"syncro","ok":true,"checks":[{"name":"credentials","ok":true,"detail":""}],
      "warnings":[{"code":"privilege_admin","message":"Syncro says the API token acts as an administrator"}],
      "was_suspended":false,"resumed":false})";
  EXPECT_EQ(run_cli({"connection-test", "acme"}), kOk) << "a warning is not a failure";
  EXPECT_NE(out_.str().find("connection OK"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("[WARN] privilege_admin: Syncro says the API token acts as an administrator"),
            std::string::npos)
      << out_.str();
}

TEST_F(AdminCliTest, WebhooksRegisterAndUnregisterUsePostAndDelete) {
  answer_.body = R"({"tenant":"acme","psa":"connectwise","callback_url":"https://h.example/v1/webhooks/connectwise/acme",
                     "ids":["1","2"],"changed":false})";
  EXPECT_EQ(run_cli({"--api", "https://sy.example/", "webhooks", "register", "acme"}), kOk);
  EXPECT_EQ(sent_.back().method, "POST");
  EXPECT_EQ(sent_.back().url, "https://sy.example/v1/tenants/acme/webhooks");
  EXPECT_NE(out_.str().find("2 webhook(s) at https://h.example/v1/webhooks/connectwise/acme already registered"),
            std::string::npos)
      << out_.str();
  answer_.body = R"({"tenant":"acme","psa":"connectwise","removed":true})";
  EXPECT_EQ(run_cli({"webhooks", "unregister", "acme"}), kOk);
  EXPECT_EQ(sent_.back().method, "DELETE");
  EXPECT_NE(out_.str().find("webhooks removed"), std::string::npos) << out_.str();
}

TEST_F(AdminCliTest, SyncSendsTheNamedEntities) {
  answer_ = {202, {}, R"({"status":"scheduled","tenant":"acme","entities":["ticket","company"]})"};
  EXPECT_EQ(run_cli({"sync", "acme", "ticket", "company"}), kOk);
  EXPECT_EQ(sent_.back().url, "http://127.0.0.1:8081/v1/tenants/acme/sync");
  EXPECT_EQ(sent_.back().body, R"({"entities":["ticket","company"]})");
  EXPECT_NE(out_.str().find("poll scheduled for ticket company"), std::string::npos) << out_.str();
  EXPECT_EQ(run_cli({"sync", "acme"}), kOk);
  EXPECT_TRUE(sent_.back().body.empty()) << "no entities: every entity the tenant polls";
}

TEST_F(AdminCliTest, SyncResyncAsksForAResyncAndPrintsItsId) {
  answer_ = {202, {}, R"({"status":"scheduled","tenant":"acme","entities":["ticket"],"resync_id":"rs-0123456789abcdef"})"};
  EXPECT_EQ(run_cli({"sync", "acme", "ticket", "--resync"}), kOk);
  EXPECT_EQ(sent_.back().url, "http://127.0.0.1:8081/v1/tenants/acme/sync");
  EXPECT_EQ(sent_.back().body, R"({"entities":["ticket"],"resync":true})");
  EXPECT_NE(out_.str().find("resync scheduled for ticket"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("resync id: rs-0123456789abcdef"), std::string::npos) << out_.str();

  EXPECT_EQ(run_cli({"--resync", "sync", "acme"}), kOk);
  EXPECT_EQ(sent_.back().body, R"({"resync":true})") << "no entities: every entity the tenant polls";

  // --json prints the answer as it came, the resync id with it.
  EXPECT_EQ(run_cli({"--json", "sync", "acme", "--resync"}), kOk);
  EXPECT_NE(out_.str().find(R"("resync_id":"rs-0123456789abcdef")"), std::string::npos) << out_.str();

  const size_t sent = sent_.size();
  EXPECT_EQ(run_cli({"connection-test", "acme", "--resync"}), kUsage);
  EXPECT_NE(err_.str().find("--resync goes with sync only"), std::string::npos) << err_.str();
  EXPECT_EQ(sent_.size(), sent) << "nothing is sent for a usage error";
}

TEST_F(AdminCliTest, SyncRecordImportsRecordsByIdAndPrintsThem) {
  answer_ = {202, {}, R"({"status":"scheduled","tenant":"acme","entities":[],"records":[
      {"entity":"company","id":"123"},{"entity":"contact","id":"9"}]})"};
  EXPECT_EQ(run_cli({"sync", "acme", "--record", "company:123", "--record", "contact:9"}), kOk) << err_.str();
  EXPECT_EQ(sent_.back().url, "http://127.0.0.1:8081/v1/tenants/acme/sync");
  EXPECT_EQ(sent_.back().body, R"({"records":[{"entity":"company","id":"123"},{"entity":"contact","id":"9"}]})");
  EXPECT_NE(out_.str().find("acme: import scheduled for company:123 contact:9"), std::string::npos) << out_.str();
  EXPECT_EQ(out_.str().find("poll scheduled"), std::string::npos) << "records alone poll nothing: " << out_.str();

  // With entities and --resync: all three in one request; an id may hold a colon.
  EXPECT_EQ(run_cli({"sync", "acme", "company", "--resync", "--record", "company:a:1"}), kOk);
  EXPECT_EQ(sent_.back().body, R"({"entities":["company"],"resync":true,"records":[{"entity":"company","id":"a:1"}]})");

  const size_t sent = sent_.size();
  for (const char* bad : {"company", "company:", ":123", "company:1/2", "com pany:1", "company:../x"}) {
    EXPECT_EQ(run_cli({"sync", "acme", "--record", bad}), kUsage) << bad;
    EXPECT_NE(err_.str().find("is not ENTITY:ID"), std::string::npos) << err_.str();
  }
  EXPECT_EQ(run_cli({"sync", "acme", "--record"}), kUsage);
  EXPECT_EQ(run_cli({"connection-test", "acme", "--record", "company:1"}), kUsage);
  EXPECT_NE(err_.str().find("--record goes with sync only"), std::string::npos) << err_.str();
  EXPECT_EQ(sent_.size(), sent) << "nothing is sent for a usage error";
}

TEST_F(AdminCliTest, TheTokenComesFromAFileFirstAndNeverFromTheCommandLine) {
  const auto file = std::filesystem::temp_directory_path() / ("sy-admin-token-" + std::to_string(::getpid()));
  std::ofstream(file) << "file-token\n";
  answer_.body = R"({"tenant":"acme","psa":"connectwise","ok":true,"checks":[]})";
  EXPECT_EQ(run_cli({"--token-file", file.string(), "connection-test", "acme"}), kOk);
  EXPECT_EQ(header(sent_.back(), "Authorization"), "Bearer file-token");
  env_["SWITCHYARD_ADMIN_TOKEN_FILE"] = file.string();
  EXPECT_EQ(run_cli({"connection-test", "acme"}), kOk);
  EXPECT_EQ(header(sent_.back(), "Authorization"), "Bearer file-token");
  std::filesystem::remove(file);

  const size_t sent = sent_.size();
  EXPECT_EQ(run_cli({"--token", "abc", "connection-test", "acme"}), kUsage);
  EXPECT_NE(err_.str().find("not taken on the command line"), std::string::npos) << err_.str();
  env_.clear();
  EXPECT_EQ(run_cli({"connection-test", "acme"}), kUsage);
  EXPECT_NE(err_.str().find("no API token"), std::string::npos) << err_.str();
  EXPECT_EQ(sent_.size(), sent) << "nothing is sent without a token";
}

TEST_F(AdminCliTest, BadArgumentsAreUsageErrorsAndNothingIsSent) {
  EXPECT_EQ(run_cli({}), kUsage);
  EXPECT_EQ(run_cli({"connection-test"}), kUsage);
  EXPECT_EQ(run_cli({"webhooks", "rename", "acme"}), kUsage);
  EXPECT_EQ(run_cli({"connection-test", "../other"}), kUsage);
  EXPECT_NE(err_.str().find("is not a tenant id"), std::string::npos) << err_.str();
  EXPECT_EQ(run_cli({"sync", "acme", "ticket\"]"}), kUsage);
  EXPECT_EQ(run_cli({"--api", "ftp://x", "connection-test", "acme"}), kUsage);
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(run_cli({"--help"}), kOk);
  EXPECT_NE(out_.str().find("usage: switchyard-admin"), std::string::npos);
}

TEST_F(AdminCliTest, RefusalsAndOutagesHaveTheirOwnExitCodes) {
  answer_ = {403, {}, R"({"error":{"code":"forbidden","message":"the token does not cover tenant acme"}})"};
  EXPECT_EQ(run_cli({"connection-test", "acme"}), kCheckFailed);
  EXPECT_NE(err_.str().find("403: the token does not cover tenant acme (forbidden)"), std::string::npos) << err_.str();
  answer_ = {502, {}, R"({"error":{"code":"psa_refused","message":"grant System > Table Setup"}})"};
  EXPECT_EQ(run_cli({"webhooks", "register", "acme"}), kCheckFailed);
  answer_ = {503, {}, R"({"error":{"code":"busy","message":"try again"}})"};
  EXPECT_EQ(run_cli({"connection-test", "acme"}), kUnavailable);
  reachable_ = false;
  EXPECT_EQ(run_cli({"connection-test", "acme"}), kUnavailable);
  EXPECT_NE(err_.str().find("could not reach ingest"), std::string::npos) << err_.str();
  reachable_ = true;
  answer_ = {200, {}, R"({"ok":true})"};
  EXPECT_EQ(run_cli({"--json", "connection-test", "acme"}), kOk);
  EXPECT_EQ(out_.str(), "{\"ok\":true}\n");
}

TEST_F(AdminCliTest, ActivityAndDeadLettersAskWithTheirFiltersAndPrintOneRecordALine) {
  answer_ = {200, {}, R"j({"tenant":"globex","records":[{"at":"2026-12-01T10:00:02.117Z","tenant":"globex","kind":"command",)j"
                      R"j("entity":"ticket.upsert","outcome":"dead_lettered","reason":"psa_rejected",)j"
                      R"j("help":"docs/troubleshooting.md#psa_rejected","message":"Autotask refused POST /V1.0/Tickets (403)",)j"
                      R"j("trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","command_id":"cmd-1"}],"next_cursor":"17-0"})j"};
  EXPECT_EQ(run_cli({"activity", "globex", "--problems", "--reason", "psa_rejected", "--since", "2026-12-01T00:00:00Z"}), kOk)
      << err_.str();
  EXPECT_EQ(sent_.back().method, "GET");
  EXPECT_EQ(sent_.back().url, "http://127.0.0.1:8081/v1/tenants/globex/activity?reason=psa_rejected&since="
                              "2026-12-01T00%3A00%3A00Z&problems=true");
  EXPECT_NE(out_.str().find("command ticket.upsert (command cmd-1): dead_lettered [psa_rejected] Autotask refused"),
            std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("help: docs/troubleshooting.md#psa_rejected"), std::string::npos);
  EXPECT_NE(out_.str().find("cursor 17-0"), std::string::npos);

  answer_ = {200, {}, R"({"tenant":"globex","dead_letters":[]})"};
  EXPECT_EQ(run_cli({"dead-letters", "globex", "--kind", "command"}), kOk);
  EXPECT_EQ(sent_.back().url, "http://127.0.0.1:8081/v1/tenants/globex/dead-letters?kind=command");
  EXPECT_NE(out_.str().find("nothing recorded"), std::string::npos);
  // Options that do not belong to the command.
  EXPECT_EQ(run_cli({"dead-letters", "globex", "--problems"}), kUsage);
  EXPECT_EQ(run_cli({"activity", "globex", "--again"}), kUsage);
  EXPECT_EQ(run_cli({"sync", "globex", "--reason", "psa_rejected"}), kUsage);
  EXPECT_EQ(run_cli({"activity", "globex", "--kind"}), kUsage);
}

TEST_F(AdminCliTest, ReplaySendsWhichLettersAndFailsWhenOneCouldNotBeReplayed) {
  answer_ = {200, {}, R"({"tenant":"globex","replayed":1,"already_replayed":1,"not_found":0,"failed":0,"more":false})"};
  EXPECT_EQ(run_cli({"replay", "globex", "--dead-letter", "switchyard.commands.dlq.v1/2/17", "--dead-letter",
                     "switchyard.commands.dlq.v1/0/3"}),
            kOk)
      << err_.str();
  EXPECT_EQ(sent_.back().method, "POST");
  EXPECT_EQ(sent_.back().url, "http://127.0.0.1:8081/v1/tenants/globex/dead-letters/replay");
  EXPECT_EQ(sent_.back().body, R"({"dead_letters":["switchyard.commands.dlq.v1/2/17","switchyard.commands.dlq.v1/0/3"]})");
  EXPECT_NE(out_.str().find("replayed 1, already replayed 1, not found 0, failed 0"), std::string::npos) << out_.str();

  answer_ = {200, {}, R"({"tenant":"globex","replayed":0,"already_replayed":0,"not_found":0,"failed":2,"more":true})"};
  EXPECT_EQ(run_cli({"replay", "globex", "--reason", "psa_rejected", "--again"}), kCheckFailed);
  EXPECT_EQ(sent_.back().body, R"({"reason":"psa_rejected","again":true})");
  EXPECT_NE(out_.str().find("run it again"), std::string::npos);
  EXPECT_EQ(run_cli({"replay", "globex", "--all"}), kCheckFailed);
  EXPECT_EQ(sent_.back().body, R"({"all":true})");

  const size_t sent = sent_.size();
  EXPECT_EQ(run_cli({"replay", "globex"}), kUsage);
  EXPECT_EQ(run_cli({"replay", "globex", "--all", "--dead-letter", "x/0/1"}), kUsage);
  EXPECT_EQ(sent_.size(), sent) << "a refused command sends nothing";
}

TEST_F(AdminCliTest, HealthPrintsEachEntityAndWhetherTheTenantIsSilent) {
  answer_ = {200, {}, R"({"tenant":"acme","silence_threshold_seconds":86400,"last_event":"2026-12-01T10:02:11.250Z",)"
                      R"("silent":false,"entities":{"ticket":{"last_event":"2026-12-01T10:02:11.250Z","last_poll":)"
                      R"("2026-12-01T10:05:00.118Z"},"company":{"last_poll":"2026-12-01T10:05:01.007Z"}}})"};
  EXPECT_EQ(run_cli({"health", "acme"}), kOk);
  EXPECT_EQ(sent_.back().url, "http://127.0.0.1:8081/v1/tenants/acme/health");
  EXPECT_NE(out_.str().find("acme: ok, last event 2026-12-01T10:02:11.250Z (threshold 1440 min)"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("company: last event -, last poll 2026-12-01T10:05:01.007Z"), std::string::npos);
  EXPECT_EQ(run_cli({"health", "acme", "--limit", "3"}), kUsage);
}

TEST_F(AdminCliTest, EraseSendsTheContactAndEmailAndPrintsWhatWasRemovedWithoutTheEmail) {
  answer_ = {200, {}, R"({"tenant":"acme","erasure_id":"er-0123456789abcdef","removed":{"activity_records":3,)"
                      R"("policy_entries":2,"redacted_records":1,"cache_entries":0,"echo_marks":1},)"
                      R"("event":{"topic":"switchyard.canonical.v1","key":"acme/contact/77"}})"};
  EXPECT_EQ(run_cli({"erase", "acme", "--contact", "77", "--email", "Jane.Doe@example.com"}), kOk);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].method, "POST");
  EXPECT_EQ(sent_[0].url, "http://127.0.0.1:8081/v1/tenants/acme/erasure");
  EXPECT_EQ(sent_[0].body, R"({"contact_id":"77","email":"Jane.Doe@example.com"})");
  EXPECT_NE(out_.str().find("acme: person erased (erasure er-0123456789abcdef)"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("activity records deleted:    3"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("switchyard.canonical.v1 key acme/contact/77"), std::string::npos) << out_.str();
  EXPECT_EQ(out_.str().find("Jane"), std::string::npos);

  EXPECT_EQ(run_cli({"erase", "acme", "--email", "jane@example.com"}), kOk);
  EXPECT_EQ(sent_.back().body, R"({"email":"jane@example.com"})");
}

// `--email -` keeps the address off the command line (the process list): it comes from stdin.
TEST_F(AdminCliTest, EraseReadsTheEmailFromStandardInputWhenGivenADash) {
  answer_ = {200, {}, R"({"tenant":"acme","erasure_id":"er-1","removed":{},"event":{"topic":"t","key":"k"}})"};
  stdin_.emplace("  Jane.Doe@example.com \r\nnot read\n");
  EXPECT_EQ(run_cli({"erase", "acme", "--email", "-"}), kOk) << err_.str();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].body, R"({"email":"Jane.Doe@example.com"})");
  EXPECT_EQ(out_.str().find("Jane"), std::string::npos);

  stdin_.emplace("\n");
  EXPECT_EQ(run_cli({"erase", "acme", "--email", "-"}), kUsage);
  EXPECT_NE(err_.str().find("no address on standard input"), std::string::npos) << err_.str();
  stdin_.reset();
  EXPECT_EQ(run_cli({"erase", "acme", "--email", "-"}), kUsage);
  stdin_.emplace("not-an-address\n");
  EXPECT_EQ(run_cli({"erase", "acme", "--email", "-"}), kUsage);
  EXPECT_EQ(sent_.size(), 1u) << "a refused command sends nothing";
}

TEST_F(AdminCliTest, EraseRefusesMissingOrMalformedSubjectsAndTheOptionsElsewhere) {
  EXPECT_EQ(run_cli({"erase", "acme"}), kUsage);
  EXPECT_EQ(run_cli({"erase", "acme", "--contact", "a b"}), kUsage);
  EXPECT_EQ(run_cli({"erase", "acme", "--email", "hidden-person"}), kUsage);
  EXPECT_EQ(err_.str().find("hidden-person"), std::string::npos) << "the e-mail is not repeated: " << err_.str();
  EXPECT_EQ(run_cli({"erase", "acme", "--contact"}), kUsage);
  EXPECT_EQ(run_cli({"connection-test", "acme", "--contact", "77"}), kUsage);
  EXPECT_EQ(run_cli({"erase", "acme", "extra", "--contact", "77"}), kUsage);
  EXPECT_TRUE(sent_.empty()) << "a refused command sends nothing";

  answer_ = {400, {}, R"({"error":{"code":"invalid_request","message":"email: not a valid e-mail address"}})"};
  EXPECT_EQ(run_cli({"erase", "acme", "--email", "a@b"}), kCheckFailed);
  EXPECT_NE(err_.str().find("invalid_request"), std::string::npos) << err_.str();
}

TEST_F(AdminCliTest, OffboardPostsAndPrintsWhatWasRemovedAndWhatWasLeft) {
  answer_.body = R"json({"tenant":"acme","configured":true,"outcome":"ok","webhooks":{"outcome":"unregistered"},
      "keys_removed":7,"removed":{"watermarks":2,"leases":0,"activity":5},
      "not_removed":[{"what":"dedup_keys","why":"they expire by their TTL (7 days)"}]})json";
  EXPECT_EQ(run_cli({"offboard", "acme"}), kOk) << err_.str();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].method, "POST");
  EXPECT_EQ(sent_[0].url, "http://127.0.0.1:8081/v1/tenants/acme/offboard");
  EXPECT_EQ(header(sent_[0], "Authorization"), "Bearer env-token");
  EXPECT_NE(out_.str().find("acme: offboarded, 7 Redis key(s) removed"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("  watermarks: 2\n"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("  activity: 5\n"), std::string::npos) << out_.str();
  EXPECT_EQ(out_.str().find("leases"), std::string::npos) << "families with nothing removed are not listed";
  EXPECT_NE(out_.str().find("webhooks: unregistered\n"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("not removed: dedup_keys: they expire by their TTL"), std::string::npos) << out_.str();

  // The keys are gone but the PSA kept a webhook: a script must see it.
  answer_.body = R"({"tenant":"acme","configured":true,"outcome":"failed",
      "webhooks":{"outcome":"failed","reason":"forbidden","message":"ConnectWise answered 403"},
      "keys_removed":0,"removed":{},"not_removed":[]})";
  EXPECT_EQ(run_cli({"offboard", "acme"}), kCheckFailed);
  EXPECT_NE(out_.str().find("webhooks: failed: ConnectWise answered 403"), std::string::npos) << out_.str();

  // Refused while the tenant is active: the API's words on stderr.
  answer_ = {409, {}, R"({"error":{"code":"tenant_active","message":"tenant \"acme\" is configured and not paused"}})"};
  EXPECT_EQ(run_cli({"offboard", "acme"}), kCheckFailed);
  EXPECT_NE(err_.str().find("409: tenant \"acme\" is configured and not paused (tenant_active)"), std::string::npos)
      << err_.str();

  const size_t sent = sent_.size();
  EXPECT_EQ(run_cli({"offboard"}), kUsage);
  EXPECT_EQ(run_cli({"offboard", "acme", "globex"}), kUsage);
  EXPECT_EQ(run_cli({"offboard", "ac/me"}), kUsage);
  EXPECT_EQ(sent_.size(), sent) << "nothing is sent for a usage error";
}

}  // namespace
}  // namespace switchyard::admin
