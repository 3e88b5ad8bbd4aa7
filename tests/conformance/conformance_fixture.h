// The base of every conformance test: one connector from the registry (the test parameter),
// its fixtures, a tenant built from its tenant.json, and, on first use, a sandbox (over real
// HTTP) and, for token-based PSAs, a redis-server for the shared token provider.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/redis_client.h"
#include "conformance/fixtures.h"
#include "support/sandbox_psa.h"
#include "connectors/auth/token_auth_psa_http.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/json_schema.h"
#include "support/redis_server.h"

namespace switchyard::conformance {

using connectors::PollRequest;

// The sandbox tenant (its own PSA instance) every conformance test works in.
inline constexpr std::string_view kSandboxTenant = "conformance";

// Every registered connector's name: each one gets every test.
std::vector<std::string> connector_names();
std::string test_name(const ::testing::TestParamInfo<std::string>& info);

class ConformanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  const connectors::Connector& connector() const { return *connector_; }
  const Fixtures& fixtures() const { return fixtures_; }
  std::string psa() const { return GetParam(); }

  // The fixture tenant with `base_url` (webhook and mapping tests need no sandbox).
  Tenant tenant_at(const std::string& base_url) const;
  // The fixture tenant on the sandbox; starts the sandbox.
  const Tenant& sandbox_tenant();
  sandbox::Sandbox& sandbox();
  // How the connector reaches the sandbox: through the shared token provider when the
  // connector has a token_source(), as the engines do.
  connectors::PsaHttp& http();
  // For a token-based connector: the plain-language reason once a call found the tenant's
  // credentials refused (the engines then park the tenant); nullopt otherwise.
  std::optional<std::string> auth_suspension() const;
  // Lifts such a suspension (as a successful connection test does), so the next case starts clean.
  void resume_auth();

  std::string upsert(const std::string& sandbox_entity, const std::string& json);
  std::vector<std::string> records(const std::string& sandbox_entity);
  // Faults for this test's tenant only, on the connector's PSA.
  void inject(sandbox::Fault fault);

  // The credential or secret `message` contains, or "" (credentials, webhook secrets, and
  // every Authorization header value sent so far).
  std::string leaked_secret(const std::string& message) const;

  static const testing::JsonSchemaSet& schemas();

  simdjson::dom::parser parser_;

 private:
  const connectors::Connector* connector_ = nullptr;
  Fixtures fixtures_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::optional<Tenant> sandbox_tenant_;
  testing::RecordingHttp wire_;  // what was sent, for the secrets check
  std::unique_ptr<testing::RedisServer> redis_server_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<connectors::auth::TokenProvider> tokens_;
  std::unique_ptr<connectors::auth::TokenAuthPsaHttp> token_http_;
};

// A poll of `entity` (every record when `since` is empty).
PollRequest poll_request(std::string entity, std::string since = "", int page_size = 0, int max_pages = 50);

std::string kind_name(connectors::WriteOutcome::Kind kind);

// The "id" member of a record as text (number or string), "" when it has none.
std::string id_of(const std::string& record_json);
// The same member as JSON ("42" or "\"abc\""), to name the record in an upsert.
std::string id_json_of(const std::string& record_json);

}  // namespace switchyard::conformance
