// The tenants file, validated against the built-in connectors' specs: a valid ConnectWise +
// Autotask file loads with literal, env and file secrets; every error names its field; no
// error message ever contains a secret's value.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "common/env.h"
#include "common/tenants.h"
#include "connectors/registry.h"
#include "support/env_map.h"

namespace switchyard {
namespace {

// Distinctive secret values: none of them may ever show up in an error message.
constexpr std::string_view kSecretLiteral = "S3CR3T-literal-zq81";
constexpr std::string_view kSecretEnv = "S3CR3T-env-value-kx42";
constexpr std::string_view kSecretFile = "S3CR3T-file-value-pw77";
constexpr std::string_view kWebhookSecret = "S3CR3T-webhook-hh19";
constexpr std::string_view kWebhookNext = "S3CR3T-webhook-next-nn03";
constexpr std::string_view kAtSecret = "S3CR3T-autotask-aa55";

class TenantConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("switchyard-tenant-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    secret_file_ = (dir_ / "private_key").string();
    std::ofstream(secret_file_) << kSecretFile << "\n";  // trailing newline, as `echo` writes
    vars_ = {{"ACME_CW_PUBLIC", std::string(kSecretEnv)}, {"ACME_CW_WEBHOOK", std::string(kWebhookSecret)}};
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Env env() const {
    return testing::env_of(vars_);
  }

  Result<TenantDirectory> parse(const std::string& json) const {
    return parse_tenants(json, connectors::spec_lookup(connectors::builtin_registry()), env());
  }

  // A valid ConnectWise tenant; `extra` is spliced in as more members of the object.
  std::string cw_tenant(const std::string& extra = "", const std::string& credentials = "") const {
    const std::string creds = credentials.empty()
                                  ? R"("company_id": "acme", "public_key": {"env": "ACME_CW_PUBLIC"},
                                       "private_key": {"file": ")" + secret_file_ + R"("},
                                       "client_id": "0f1e2d3c-aaaa-bbbb-cccc-000000000001")"
                                  : credentials;
    return R"({"id": "acme", "psa": "connectwise",
               "base_url": "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/",
               "credentials": {)" + creds + R"(},
               "webhook_signing_secrets": [{"env": "ACME_CW_WEBHOOK"}, ")" + std::string(kWebhookNext) + R"("],
               "rate_limit": {"requests_per_second": 2.5, "burst": 4},
               "poll": {"enabled": true, "interval_seconds": 120, "entities": ["ticket", "company"]},
               "options": {"default_board_id": 5, "default_company_id": "250"})" +
           extra + "}";
  }

  std::string at_tenant(const std::string& extra = "") const {
    return R"({"id": "beta_2", "psa": "autotask",
               "base_url": "https://webservices2.autotask.net/ATServicesRest",
               "credentials": {"username": "api@beta.example", "secret": ")" + std::string(kAtSecret) + R"(",
                               "integration_code": "TRACKING-ID-1"},
               "webhook_signing_secrets": [")" + std::string(kSecretLiteral) + R"("],
               "options": {"default_company_id": "0", "default_queue_id": "29682833", "priority_high": "1"})" +
           extra + "}";
  }

  std::string file_of(const std::string& t0, const std::string& t1) const {
    return R"({"tenants": [)" + t0 + "," + t1 + "]}";
  }

  // Expects an error naming `field`, and checks that no secret leaked into it.
  void expect_error(const std::string& json, const std::string& field) const {
    auto r = parse(json);
    ASSERT_FALSE(r.ok()) << "expected an error naming " << field;
    const std::string& message = r.error().message;
    EXPECT_NE(message.find(field), std::string::npos) << "error does not name " << field << ": " << message;
    expect_no_secret(message);
  }

  static void expect_no_secret(const std::string& message) {
    for (std::string_view secret : {kSecretLiteral, kSecretEnv, kSecretFile, kWebhookSecret, kWebhookNext, kAtSecret}) {
      EXPECT_EQ(message.find(secret), std::string::npos) << "secret leaked into: " << message;
      // Not even a recognizable part of it.
      EXPECT_EQ(message.find("S3CR3T"), std::string::npos) << "secret leaked into: " << message;
    }
  }

  std::filesystem::path dir_;
  std::string secret_file_;
  std::map<std::string, std::string> vars_;
};

TEST_F(TenantConfigTest, ValidConnectWiseAndAutotaskFileLoads) {
  auto r = parse(file_of(cw_tenant(), at_tenant()));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const TenantDirectory& dir = *r;
  ASSERT_EQ(dir.size(), 2u);

  const Tenant* cw = dir.find("acme");
  ASSERT_NE(cw, nullptr);
  EXPECT_EQ(cw->psa, "connectwise");
  EXPECT_EQ(cw->base_url, "https://api-na.myconnectwise.net/v4_6_release/apis/3.0");  // trailing '/' dropped
  EXPECT_EQ(cw->credentials.at("company_id"), "acme");                      // literal
  EXPECT_EQ(cw->credentials.at("public_key"), kSecretEnv);                  // {"env": ...}
  EXPECT_EQ(cw->credentials.at("private_key"), kSecretFile);                // {"file": ...}, newline trimmed
  EXPECT_EQ(cw->credentials.at("client_id"), "0f1e2d3c-aaaa-bbbb-cccc-000000000001");
  EXPECT_EQ(cw->credentials.size(), 4u);
  ASSERT_EQ(cw->webhook_signing_secrets.size(), 2u);
  EXPECT_EQ(cw->webhook_signing_secrets[0], kWebhookSecret);
  EXPECT_EQ(cw->webhook_signing_secrets[1], kWebhookNext);
  EXPECT_DOUBLE_EQ(cw->rate_limit.requests_per_second, 2.5);
  EXPECT_EQ(cw->rate_limit.burst, 4);
  EXPECT_TRUE(cw->poll.enabled);
  EXPECT_EQ(cw->poll.interval, std::chrono::seconds(120));
  EXPECT_EQ(cw->poll.entities, (std::vector<std::string>{"ticket", "company"}));
  EXPECT_EQ(cw->options.at("default_board_id"), "5");  // numbers are kept as their text
  EXPECT_EQ(cw->options.at("default_company_id"), "250");

  const Tenant* at = dir.find("beta_2");
  ASSERT_NE(at, nullptr);
  EXPECT_EQ(at->psa, "autotask");
  EXPECT_EQ(at->base_url, "https://webservices2.autotask.net/ATServicesRest");
  EXPECT_EQ(at->credentials.at("secret"), kAtSecret);
  EXPECT_EQ(at->credentials.at("username"), "api@beta.example");
  EXPECT_EQ(at->credentials.at("integration_code"), "TRACKING-ID-1");
  EXPECT_EQ(at->webhook_signing_secrets, (std::vector<std::string>{std::string(kSecretLiteral)}));
  EXPECT_EQ(at->options.at("default_queue_id"), "29682833");
  // Defaults where the file says nothing: the connector's share of Autotask's per-database budget.
  const ConnectorBudgets& budgets = connectors::builtin_registry().find("autotask")->spec().budgets;
  ASSERT_TRUE(budgets.shared_budget.has_value());
  EXPECT_DOUBLE_EQ(at->rate_limit.requests_per_second,
                   budgets.shared_budget->requests_per_second * budgets.default_share);
  EXPECT_DOUBLE_EQ(at->rate_limit.share, budgets.default_share);
  EXPECT_EQ(at->rate_limit.burst, budgets.tenant_default.burst);
  EXPECT_EQ(at->egress, "default");
  EXPECT_FALSE(at->poll.enabled);

  EXPECT_EQ(dir.find("nobody"), nullptr);
}

TEST_F(TenantConfigTest, EmptyTenantListIsValid) {
  auto r = parse(R"({"tenants": []})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->size(), 0u);
}

TEST_F(TenantConfigTest, PollWithoutEntitiesPollsEverythingTheConnectorCan) {
  auto r = parse(R"({"tenants": [)" + at_tenant(R"(, "poll": {"interval_seconds": 30})") + "]}");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Tenant* at = r->find("beta_2");
  ASSERT_NE(at, nullptr);
  EXPECT_TRUE(at->poll.enabled);
  EXPECT_EQ(at->poll.entities,
            (std::vector<std::string>{"ticket", "company", "contact", "configuration", "agreement"}));
  EXPECT_EQ(at->poll.interval, std::chrono::seconds(30));
}

TEST_F(TenantConfigTest, MissingTenants) {
  expect_error(R"({})", "tenants");
  expect_error(R"({"tenant": []})", "tenants");
  expect_error(R"({"tenants": {}})", "tenants");
  EXPECT_FALSE(parse("[]").ok());
  EXPECT_FALSE(parse("not json").ok());
}

TEST_F(TenantConfigTest, UnknownPsaInSecondTenant) {
  std::string t1 = at_tenant();
  t1.replace(t1.find("\"autotask\""), 10, "\"halo-psa\"");
  expect_error(file_of(cw_tenant(), t1), "tenants[1].psa");
}

TEST_F(TenantConfigTest, MissingCredentialIsNamed) {
  const std::string creds = R"("company_id": "acme", "public_key": ")" + std::string(kSecretLiteral) +
                            R"(", "client_id": "c")";
  expect_error(R"({"tenants": [)" + cw_tenant("", creds) + "]}", "tenants[0].credentials.private_key");
}

TEST_F(TenantConfigTest, CredentialOfAnotherPsaIsRejected) {
  const std::string creds = R"("company_id": "acme", "public_key": "p", "private_key": "k", "client_id": "c",
                               "secret": ")" + std::string(kSecretLiteral) + R"(")";
  expect_error(R"({"tenants": [)" + cw_tenant("", creds) + "]}", "tenants[0].credentials.secret");
}

TEST_F(TenantConfigTest, UnknownFieldIsNamed) {
  expect_error(file_of(cw_tenant(), at_tenant(R"(, "sekret": ")" + std::string(kSecretLiteral) + "\"")),
               "tenants[1].sekret");
  expect_error(R"({"tenants": [)" + cw_tenant().replace(cw_tenant().find("\"burst\""), 7, "\"bursts\"") + "]}",
               "tenants[0].rate_limit.bursts");
}

TEST_F(TenantConfigTest, BadIdCharacters) {
  for (const std::string bad : {"Acme", "acme corp", "acme/1", "", "ac.me"}) {
    std::string t = cw_tenant();
    t.replace(t.find("\"acme\""), 6, "\"" + bad + "\"");
    expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].id");
  }
  std::string t = cw_tenant();
  t.replace(t.find("\"acme\""), 6, "\"" + std::string(65, 'a') + "\"");
  expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].id");
}

TEST_F(TenantConfigTest, DuplicateId) {
  expect_error(file_of(cw_tenant(), cw_tenant()), "tenants[1].id");
  auto r = parse(file_of(cw_tenant(), cw_tenant()));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("duplicate"), std::string::npos) << r.error().message;
}

TEST_F(TenantConfigTest, BadBaseUrl) {
  for (const std::string bad : {"ftp://api-na.myconnectwise.net/", "api-na.myconnectwise.net/v4_6_release",
                                "https://", "https://api na.myconnectwise.net/"}) {
    std::string t = cw_tenant();
    const std::string good = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/";
    t.replace(t.find(good), good.size(), bad);
    expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].base_url");
  }
  // Credentials in the URL are refused, and the error does not repeat them.
  std::string t = cw_tenant();
  const std::string good = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/";
  t.replace(t.find(good), good.size(), "https://acme:" + std::string(kSecretLiteral) + "@api-na.myconnectwise.net/");
  expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].base_url");
}

TEST_F(TenantConfigTest, BaseUrlIsOptionalOnlyWhereTheConnectorFindsIt) {
  // Autotask finds its zone from the API user: base_url is an override there.
  std::string at = at_tenant();
  const std::string line = R"("base_url": "https://webservices2.autotask.net/ATServicesRest",)";
  at.replace(at.find(line), line.size(), "");
  auto r = parse(R"({"tenants": [)" + at + "]}");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->find("beta_2")->base_url, "");
  // An override is still checked.
  std::string bad = at_tenant();
  bad.replace(bad.find("https://webservices2"), 5, "http");
  expect_error(R"({"tenants": [)" + bad + "]}", "tenants[0].base_url");
  // ConnectWise has no such lookup.
  std::string cw = cw_tenant();
  const std::string cw_line = R"("base_url": "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/",)";
  cw.replace(cw.find(cw_line), cw_line.size(), "");
  expect_error(R"({"tenants": [)" + cw + "]}", "tenants[0].base_url");
}

TEST_F(TenantConfigTest, PlainHttpBaseUrlIsRefusedUnlessAllowed) {
  // Credentials go in headers on every PSA call; over http they would travel in clear text.
  const std::string good = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/";
  std::string t = cw_tenant();
  t.replace(t.find(good), good.size(), "http://127.0.0.1:8080/connectwise/v4_6_release/apis/3.0");
  expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].base_url");
  auto refused = parse(R"({"tenants": [)" + t + "]}");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("allow_insecure_http"), std::string::npos) << refused.error().message;
  std::string upper = t;
  upper.replace(upper.find("http://"), 7, "HTTP://");
  expect_error(R"({"tenants": [)" + upper + "]}", "tenants[0].base_url");

  auto secure = parse(file_of(cw_tenant(), at_tenant()));  // https needs no flag
  ASSERT_TRUE(secure.ok()) << secure.error().message;
  EXPECT_FALSE(secure->find("acme")->allow_insecure_http);

  std::string local = cw_tenant(R"(, "allow_insecure_http": true)");
  local.replace(local.find(good), good.size(), "http://127.0.0.1:8080/cw");
  auto sandbox = parse(R"({"tenants": [)" + local + "]}");
  ASSERT_TRUE(sandbox.ok()) << sandbox.error().message;
  EXPECT_TRUE(sandbox->find("acme")->allow_insecure_http);
  EXPECT_EQ(sandbox->find("acme")->base_url, "http://127.0.0.1:8080/cw");

  expect_error(R"({"tenants": [)" + cw_tenant(R"(, "allow_insecure_http": "yes")") + "]}",
               "tenants[0].allow_insecure_http");
}

TEST_F(TenantConfigTest, SecretReferenceHasExactlyOneMember) {
  const std::string two = R"("company_id": "acme", "public_key": {"env": "ACME_CW_PUBLIC", "file": ")" + secret_file_ +
                          R"("}, "private_key": "k", "client_id": "c")";
  expect_error(R"({"tenants": [)" + cw_tenant("", two) + "]}", "tenants[0].credentials.public_key");
  const std::string empty = R"("company_id": "acme", "public_key": {}, "private_key": "k", "client_id": "c")";
  expect_error(R"({"tenants": [)" + cw_tenant("", empty) + "]}", "tenants[0].credentials.public_key");
}

TEST_F(TenantConfigTest, SecretFileThatCannotBeASecretIsRefusedNotRead) {
  // A wrong path (a device that never ends) must fail at start, not hang or fill memory.
  const std::string device = R"("company_id": "acme", "public_key": {"file": "/dev/zero"}, "private_key": "k",)"
                             R"( "client_id": "c")";
  expect_error(R"({"tenants": [)" + cw_tenant("", device) + "]}", "tenants[0].credentials.public_key");
}

TEST_F(TenantConfigTest, RateLimitOutOfRange) {
  const std::string good = R"("rate_limit": {"requests_per_second": 2.5, "burst": 4})";
  const std::pair<std::string, std::string> cases[] = {
      {R"("rate_limit": {"requests_per_second": 0})", "tenants[0].rate_limit.requests_per_second"},
      {R"("rate_limit": {"requests_per_second": -1})", "tenants[0].rate_limit.requests_per_second"},
      {R"("rate_limit": {"requests_per_second": 1e9})", "tenants[0].rate_limit.requests_per_second"},
      {R"("rate_limit": {"burst": 0})", "tenants[0].rate_limit.burst"},
      {R"("rate_limit": {"burst": 2.5})", "tenants[0].rate_limit.burst"},
      {R"("rate_limit": {"requests_per_second": "fast"})", "tenants[0].rate_limit.requests_per_second"},
  };
  for (const auto& [replacement, field] : cases) {
    std::string t = cw_tenant();
    t.replace(t.find(good), good.size(), replacement);
    expect_error(R"({"tenants": [)" + t + "]}", field);
  }
}

TEST_F(TenantConfigTest, AtMostTwoWebhookSecrets) {
  std::string t = at_tenant();
  const std::string one = R"("webhook_signing_secrets": [")" + std::string(kSecretLiteral) + R"("])";
  t.replace(t.find(one), one.size(),
            R"("webhook_signing_secrets": [")" + std::string(kSecretLiteral) + R"(", ")" + std::string(kWebhookNext) +
                R"(", ")" + std::string(kWebhookSecret) + R"("])");
  expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].webhook_signing_secrets");
}

TEST_F(TenantConfigTest, WebhookSecretRequiredForSignedPsas) {
  std::string t = at_tenant();
  const std::string one = R"("webhook_signing_secrets": [")" + std::string(kSecretLiteral) + R"("],)";
  t.erase(t.find(one), one.size());
  expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].webhook_signing_secrets");
}

TEST_F(TenantConfigTest, TheOldNameWebhookSecretsIsStillReadButNotTogetherWithTheNewOne) {
  std::string old_name = at_tenant();
  old_name.replace(old_name.find("webhook_signing_secrets"), 23, "webhook_secrets");
  auto r = parse(R"({"tenants": [)" + old_name + "]}");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->find("beta_2")->webhook_signing_secrets, (std::vector<std::string>{std::string(kSecretLiteral)}));
  EXPECT_TRUE(r->find("beta_2")->deprecated_names);
  EXPECT_FALSE(parse(file_of(cw_tenant(), at_tenant()))->find("beta_2")->deprecated_names);
  expect_error(R"({"tenants": [)" + at_tenant(R"(, "webhook_secrets": ["x"])") + "]}", "tenants[0].webhook_secrets");
}

TEST_F(TenantConfigTest, WebhookUrlSecretsAreLongUrlSafeAndAtMostTwo) {
  const std::string good = "u7Jq2w9LmZx4Pq8Rt6Yv3Nb1";  // 24 characters
  auto r = parse(R"({"tenants": [)" + at_tenant(R"(, "webhook_url_secrets": [")" + good + R"("])") + "]}");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->find("beta_2")->webhook_url_secrets, (std::vector<std::string>{good}));
  for (const std::string& bad : {std::string("too-short-0123456789"), good + "/x", good + "%2F", good + " "}) {
    expect_error(R"({"tenants": [)" + at_tenant(R"(, "webhook_url_secrets": [")" + bad + R"("])") + "]}",
                 "tenants[0].webhook_url_secrets");
  }
  expect_error(R"({"tenants": [)" +
                   at_tenant(R"(, "webhook_url_secrets": [")" + good + R"(", ")" + good + R"(", ")" + good + R"("])") +
                   "]}",
               "tenants[0].webhook_url_secrets");
}

// A PSA that signs nothing needs a URL secret; one that signs optionally needs one or the other.
TEST_F(TenantConfigTest, WhatAConnectorRequiresForItsWebhooksIsEnforced) {
  ConnectorSpec unsigned_psa;
  unsigned_psa.required_credentials = {"api_key"};
  unsigned_psa.webhook_auth = ConnectorSpec::WebhookAuth::UrlSecret;
  ConnectorSpec either = unsigned_psa;
  either.webhook_auth = ConnectorSpec::WebhookAuth::SignatureOrUrlSecret;
  const ConnectorSpecLookup specs = [&](std::string_view psa) -> const ConnectorSpec* {
    return psa == "unsigned" ? &unsigned_psa : psa == "either" ? &either : nullptr;
  };
  auto tenant = [](std::string_view psa, std::string_view extra) {
    return R"({"tenants": [{"id": "t1", "psa": ")" + std::string(psa) +
           R"(", "base_url": "https://psa.example", "credentials": {"api_key": "k"})" + std::string(extra) + "}]}";
  };
  const std::string url = R"(, "webhook_url_secrets": ["u7Jq2w9LmZx4Pq8Rt6Yv3Nb1"])";
  EXPECT_FALSE(parse_tenants(tenant("unsigned", ""), specs, env()).ok());
  EXPECT_NE(parse_tenants(tenant("unsigned", ""), specs, env()).error().message.find("tenants[0].webhook_url_secrets"),
            std::string::npos);
  EXPECT_FALSE(parse_tenants(tenant("unsigned", R"(, "webhook_signing_secrets": ["s"])"), specs, env()).ok())
      << "a signing secret does not help a PSA that does not sign";
  EXPECT_TRUE(parse_tenants(tenant("unsigned", url), specs, env()).ok());
  EXPECT_FALSE(parse_tenants(tenant("either", ""), specs, env()).ok());
  EXPECT_TRUE(parse_tenants(tenant("either", url), specs, env()).ok());
  EXPECT_TRUE(parse_tenants(tenant("either", R"(, "webhook_signing_secrets": ["s"])"), specs, env()).ok());
}

TEST_F(TenantConfigTest, PollEntityThePsaCannotPoll) {
  // Autotask polls no ticket notes.
  expect_error(file_of(cw_tenant(), at_tenant(R"(, "poll": {"entities": ["ticket", "ticket_note"]})")),
               "tenants[1].poll.entities[1]");
  std::string t = cw_tenant();
  t.replace(t.find(R"(["ticket", "company"])"), 21, R"(["billing_line"])");
  expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].poll.entities[0]");
}

TEST_F(TenantConfigTest, PollIntervalOutOfRange) {
  std::string t = cw_tenant();
  t.replace(t.find("\"interval_seconds\": 120"), 23, "\"interval_seconds\": 0");
  expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].poll.interval_seconds");
}

TEST_F(TenantConfigTest, UnknownOption) {
  // default_board_id is a ConnectWise option, not an Autotask one.
  std::string t = at_tenant();
  t.replace(t.find("\"default_queue_id\""), 18, "\"default_board_id\"");
  expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].options.default_board_id");
}

TEST_F(TenantConfigTest, EnvReferenceUnset) {
  vars_.erase("ACME_CW_PUBLIC");
  expect_error(R"({"tenants": [)" + cw_tenant() + "]}", "tenants[0].credentials.public_key");
  auto r = parse(R"({"tenants": [)" + cw_tenant() + "]}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("ACME_CW_PUBLIC"), std::string::npos) << r.error().message;
}

TEST_F(TenantConfigTest, EnvReferenceUnsetInWebhookSecrets) {
  vars_.erase("ACME_CW_WEBHOOK");
  expect_error(R"({"tenants": [)" + cw_tenant() + "]}", "tenants[0].webhook_signing_secrets[0]");
}

TEST_F(TenantConfigTest, UnreadableFile) {
  const std::string missing = (dir_ / "does-not-exist").string();
  std::string t = cw_tenant();
  t.replace(t.find(secret_file_), secret_file_.size(), missing);
  expect_error(R"({"tenants": [)" + t + "]}", "tenants[0].credentials.private_key");
  auto r = parse(R"({"tenants": [)" + t + "]}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(missing), std::string::npos) << "should name the file: " << r.error().message;
}

TEST_F(TenantConfigTest, EmptyLiteralSecretAndBadReference) {
  const std::string creds_empty = R"("company_id": "acme", "public_key": "", "private_key": "k", "client_id": "c")";
  expect_error(R"({"tenants": [)" + cw_tenant("", creds_empty) + "]}", "tenants[0].credentials.public_key");
  const std::string creds_ref = R"("company_id": "acme", "public_key": {"vault": ")" + std::string(kSecretLiteral) +
                                R"("}, "private_key": "k", "client_id": "c")";
  expect_error(R"({"tenants": [)" + cw_tenant("", creds_ref) + "]}", "tenants[0].credentials.public_key");
  const std::string creds_num = R"("company_id": "acme", "public_key": 12345, "private_key": "k", "client_id": "c")";
  expect_error(R"({"tenants": [)" + cw_tenant("", creds_num) + "]}", "tenants[0].credentials.public_key");
}

TEST_F(TenantConfigTest, NoErrorEverContainsASecret) {
  // Many broken variants of a file full of secrets; each error must be secret-free.
  const std::string base = file_of(cw_tenant(), at_tenant());
  std::vector<std::string> variants;
  for (const std::string& needle : {std::string("\"psa\": \"autotask\""), std::string("\"username\""),
                                    std::string("\"integration_code\""), std::string("\"base_url\""),
                                    std::string("\"webhook_signing_secrets\""), std::string("\"options\""),
                                    std::string("\"id\": \"beta_2\"")}) {
    std::string v = base;
    const size_t at = v.rfind(needle);
    ASSERT_NE(at, std::string::npos) << needle;
    v.replace(at, needle.size(), needle.substr(0, needle.size() - 1) + "X\"");
    variants.push_back(v);
  }
  variants.push_back(base.substr(0, base.size() / 2));  // truncated JSON
  for (const std::string& v : variants) {
    auto r = parse(v);
    ASSERT_FALSE(r.ok()) << v;
    expect_no_secret(r.error().message);
  }
}

TEST_F(TenantConfigTest, LoadTenantsFileThrowsConfigErrorNamingFileAndField) {
  const std::string path = (dir_ / "tenants.json").string();
  std::ofstream(path) << R"({"tenants": [)" << cw_tenant(R"(, "colour": "blue")") << "]}";
  try {
    (void)load_tenants_file(path, connectors::spec_lookup(connectors::builtin_registry()), env());
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("tenants[0].colour"), std::string::npos) << message;
    expect_no_secret(message);
  }
  EXPECT_THROW((void)load_tenants_file((dir_ / "absent.json").string(),
                                       connectors::spec_lookup(connectors::builtin_registry()), env()),
               ConfigError);
}

TEST_F(TenantConfigTest, PausedFlagIsReadAndDefaultsToFalse) {
  auto r = parse(file_of(cw_tenant(R"(, "paused": true)"), at_tenant()));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->find("acme")->paused);
  EXPECT_FALSE(r->find("beta_2")->paused);
  expect_error(file_of(cw_tenant(R"(, "paused": "yes")"), at_tenant()), "tenants[0].paused");
}

TEST_F(TenantConfigTest, ModeIsLiveOrTestAndDefaultsToLive) {
  auto r = parse(file_of(cw_tenant(R"(, "mode": "test")"), at_tenant(R"(, "mode": "live")")));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->find("acme")->test_mode);
  EXPECT_FALSE(r->find("beta_2")->test_mode);
  EXPECT_FALSE(parse(file_of(cw_tenant(), at_tenant()))->find("acme")->test_mode);
  expect_error(file_of(cw_tenant(R"(, "mode": "dry-run")"), at_tenant()), "tenants[0].mode");
  expect_error(file_of(cw_tenant(R"(, "mode": true)"), at_tenant()), "tenants[0].mode");
}

TEST_F(TenantConfigTest, SilenceThresholdIsReadBoundedAndDefaultsToADay) {
  auto r = parse(file_of(cw_tenant(R"(, "silence_threshold_minutes": 90)"), at_tenant()));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->find("acme")->silence_threshold, std::chrono::minutes(90));
  EXPECT_EQ(r->find("beta_2")->silence_threshold, std::chrono::hours(24));
  for (const char* bad : {R"(, "silence_threshold_minutes": 4)", R"(, "silence_threshold_minutes": 129601)",
                          R"(, "silence_threshold_minutes": "1h")"}) {
    expect_error(file_of(cw_tenant(bad), at_tenant()), "tenants[0].silence_threshold_minutes");
  }
}

// A directory of <id>.json files, as a ConfigMap mounted by Kubernetes looks: the keys are
// symlinks into a hidden, timestamped folder, reached through the `..data` symlink.
TEST_F(TenantConfigTest, DirectoryWithOneFilePerTenantLoads) {
  const auto tenants = dir_ / "tenants";
  const auto data = tenants / "..2026_11_30_10_00_00.000000001";
  std::filesystem::create_directories(data);
  std::ofstream(data / "acme.json") << cw_tenant();
  std::ofstream(data / "beta_2.json") << at_tenant();
  std::filesystem::create_directory_symlink(data.filename(), tenants / "..data");
  std::filesystem::create_symlink(std::filesystem::path("..data") / "acme.json", tenants / "acme.json");
  std::filesystem::create_symlink(std::filesystem::path("..data") / "beta_2.json", tenants / "beta_2.json");
  std::ofstream(tenants / "README.md") << "not a tenant";

  const auto specs = connectors::spec_lookup(connectors::builtin_registry());
  auto r = read_tenants(tenants.string(), specs, env());
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u) << "the hidden folder's files and README.md must not count";
  EXPECT_EQ(r->find("acme")->credentials.at("private_key"), kSecretFile);
  EXPECT_EQ(r->find("beta_2")->psa, "autotask");

  // Errors name the file and the field, and never a secret.
  std::ofstream(data / "beta_2.json", std::ios::trunc) << at_tenant(R"(, "colour": "blue")");
  auto bad = read_tenants(tenants.string(), specs, env());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("beta_2.json.colour"), std::string::npos) << bad.error().message;
  expect_no_secret(bad.error().message);

  // The file name is the tenant's id: a copy under another name is refused, not a second tenant.
  std::ofstream(data / "beta_2.json", std::ios::trunc) << at_tenant();
  std::ofstream(tenants / "copy.json") << cw_tenant();
  auto copy = read_tenants(tenants.string(), specs, env());
  ASSERT_FALSE(copy.ok());
  EXPECT_NE(copy.error().message.find("copy.json.id: must match the file name"), std::string::npos)
      << copy.error().message;
}

}  // namespace
}  // namespace switchyard
