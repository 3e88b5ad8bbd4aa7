// switchyard-admin against the real ingest (in-process, over HTTP) and the sandbox's ConnectWise:
// the connection test and callback registration as an operator runs them from a shell, and the
// built binary itself (exit codes, token file).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/envelope.h"
#include "common/http_client.h"
#include "common/redis_client.h"
#include "common/topics.h"
#include "support/eventually.h"
#include "support/topic_reader.h"
#include "support/pipeline/pipeline_stack.h"
#include "switchyard-admin/admin_cli.h"

namespace switchyard::testing {
namespace {

class AdminCliPipelineTest : public ::testing::Test {
 protected:
  int admin(std::vector<std::string> args, std::string_view token = kAdminToken) {
    out_.str("");
    err_.str("");
    const std::string t(token);
    return admin::run(
        args, [this](const http::ClientRequest& r) { return client_.send(r); },
        [this, t](const std::string& name) -> std::optional<std::string> {
          if (name == "SWITCHYARD_API_URL") return stack_.ingest_api_url();
          if (name == "SWITCHYARD_ADMIN_TOKEN") return t;
          return std::nullopt;
        },
        out_, err_);
  }

  PipelineStack stack_{StackOptions{.normalize = false, .dispatch = false}};
  http::HttpClient client_;
  std::ostringstream out_, err_;
};

TEST_F(AdminCliPipelineTest, ConnectionTestAndCallbackRegistrationFromTheCommandLine) {
  const std::string tenant(kConnectWiseTenant);
  EXPECT_EQ(admin({"connection-test", tenant}), admin::kOk) << out_.str() << err_.str();
  EXPECT_NE(out_.str().find("connection OK"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("[ok] permission:"), std::string::npos) << out_.str();

  EXPECT_EQ(admin({"webhooks", "register", tenant}), admin::kOk) << err_.str();
  EXPECT_NE(out_.str().find("5 webhook(s) at"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find(" registered"), std::string::npos) << out_.str();
  EXPECT_EQ(admin({"webhooks", "register", tenant}), admin::kOk) << err_.str();
  EXPECT_NE(out_.str().find("nothing changed"), std::string::npos) << out_.str();
  EXPECT_EQ(stack_.psa().records("connectwise", "callbacks").size(), 5u);
  EXPECT_EQ(admin({"webhooks", "unregister", tenant}), admin::kOk) << err_.str();
  EXPECT_TRUE(stack_.psa().records("connectwise", "callbacks").empty());

  EXPECT_EQ(admin({"connection-test", tenant}, kApiToken), admin::kCheckFailed) << "a commands token is not admin";
  EXPECT_NE(err_.str().find("403"), std::string::npos) << err_.str();
}

// The operator imports one ConnectWise company by id: it reaches the raw topic as one fetched
// envelope, although nothing polled it and no callback named it.
TEST_F(AdminCliPipelineTest, SyncRecordImportsOneCompanyById) {
  const std::string stored =
      stack_.psa().upsert_record("connectwise", "companies", R"({"identifier":"Initech","name":"Initech Prospect"})");
  simdjson::dom::parser parser;
  const std::string id = std::to_string(parser.parse(stored)["id"].get_int64().value());
  const std::string tenant(kConnectWiseTenant);
  ASSERT_EQ(admin({"sync", tenant, "--record", "company:" + id}, kStackSyncToken), admin::kOk) << err_.str();
  EXPECT_NE(out_.str().find(tenant + ": import scheduled for company:" + id), std::string::npos) << out_.str();

  const auto fetched = [&] {
    std::vector<Envelope> out;
    for (const auto& m : read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kRaw))) {
      auto e = envelope_from_json(m.value);
      if (e && e->tenant == tenant && e->entity == "company" && e->entity_id == id) out.push_back(*e);
    }
    return out;
  };
  ASSERT_TRUE(eventually([&] { return !fetched().empty(); }, 20s)) << "the company never reached the raw topic";
  const auto envelopes = fetched();
  ASSERT_EQ(envelopes.size(), 1u);
  EXPECT_EQ(envelopes[0].source, "fetch");
  EXPECT_NE(envelopes[0].body.find("Initech Prospect"), std::string::npos) << envelopes[0].body;

  // A record the PSA has no such thing as: refused by ingest, said on stderr, exit 1.
  EXPECT_EQ(admin({"sync", tenant, "--record", "ticket_note:1"}, kStackSyncToken), admin::kCheckFailed);
  EXPECT_NE(err_.str().find("400: records[0].entity: ConnectWise Manage cannot import"), std::string::npos)
      << err_.str();
}

// Offboarding from the command line: refused (exit 1, the API's reason) while the tenant is
// active; a tenant no longer configured is erased all the same, and the printout says what was
// removed and why its webhooks were not looked for.
TEST_F(AdminCliPipelineTest, OffboardIsRefusedForAnActiveTenantAndErasesAGoneOne) {
  EXPECT_EQ(admin({"offboard", std::string(kConnectWiseTenant)}), admin::kCheckFailed);
  EXPECT_NE(err_.str().find("409: tenant \"acme\" is configured and not paused"), std::string::npos) << err_.str();

  RedisClient redis(stack_.redis().settings());
  ASSERT_TRUE(redis.checked_command({"SET", "sy:poll:gone:ticket", "2026-12-01T00:00:00Z"}).ok());
  ASSERT_TRUE(redis.checked_command({"SET", "sy:poll:gone2:ticket", "2026-12-01T00:00:00Z"}).ok());
  EXPECT_EQ(admin({"offboard", "gone"}), admin::kOk) << err_.str();
  EXPECT_NE(out_.str().find("gone: offboarded, 1 Redis key(s) removed\n  watermarks: 1\n"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("webhooks: skipped: the tenant is no longer in the tenants file"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("not removed: kafka_records:"), std::string::npos) << out_.str();
  EXPECT_EQ(redis.checked_command({"EXISTS", "sy:poll:gone:ticket"})->integer, 0);
  EXPECT_EQ(redis.checked_command({"EXISTS", "sy:poll:gone2:ticket"})->integer, 1);

  EXPECT_EQ(admin({"offboard", "gone"}, kApiToken), admin::kCheckFailed) << "a commands token is not admin";
  EXPECT_NE(err_.str().find("403"), std::string::npos) << err_.str();
}

TEST_F(AdminCliPipelineTest, TheBinaryReadsItsTokenFileAndExitsWithTheOutcome) {
  const auto dir = std::filesystem::temp_directory_path() / ("sy-admin-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto token_file = dir / "token";
  std::ofstream(token_file) << kAdminToken << "\n";
  const std::string binary = std::string(SWITCHYARD_BINARY_DIR) + "/tools/switchyard-admin/switchyard-admin";
  const auto run_binary = [&](const std::string& args) {
    const std::string command = "SWITCHYARD_API_URL=" + stack_.ingest_api_url() + " " + binary + " --token-file " +
                                token_file.string() + " " + args + " > " + (dir / "out").string() + " 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(run_binary("connection-test " + std::string(kConnectWiseTenant)), 0);
  std::stringstream printed;
  printed << std::ifstream(dir / "out").rdbuf();
  EXPECT_NE(printed.str().find("connection OK"), std::string::npos) << printed.str();
  EXPECT_EQ(run_binary("connection-test nobody"), 1) << "404 unknown_tenant";
  EXPECT_EQ(run_binary("frobnicate"), 2);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace switchyard::testing
