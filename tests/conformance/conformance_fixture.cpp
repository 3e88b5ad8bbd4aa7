#include "conformance/conformance_fixture.h"

#include <cctype>

namespace switchyard::conformance {

std::vector<std::string> connector_names() { return connectors::builtin_registry().names(); }

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

void ConformanceTest::SetUp() {
  connector_ = connectors::builtin_registry().find(GetParam());
  ASSERT_NE(connector_, nullptr) << GetParam();
  auto loaded = load_fixtures(GetParam());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  fixtures_ = std::move(*loaded);
}

void ConformanceTest::TearDown() {
  token_http_.reset();  // holds the tenant and the provider
  if (sandbox_) sandbox_->stop();
}

Tenant ConformanceTest::tenant_at(const std::string& base_url) const {
  std::string text = fixtures_.tenant;
  for (size_t at; (at = text.find(kBaseUrlPlaceholder)) != std::string::npos;) {
    text.replace(at, kBaseUrlPlaceholder.size(), base_url);
  }
  const auto& registry = connectors::builtin_registry();
  auto tenants = parse_tenants("{\"tenants\":[" + text + "]}", connectors::spec_lookup(registry), Env());
  if (!tenants) {
    ADD_FAILURE() << fixtures_.dir << "/tenant.json: " << tenants.error().message;
    return Tenant{};
  }
  Tenant t = tenants->all().front();
  EXPECT_EQ(t.psa, GetParam()) << fixtures_.dir << "/tenant.json: psa must be the connector's name";
  return t;
}

sandbox::Sandbox& ConformanceTest::sandbox() {
  if (!sandbox_) {
    sandbox_ = std::make_unique<sandbox::Sandbox>();
    sandbox_->start();
  }
  return *sandbox_;
}

const Tenant& ConformanceTest::sandbox_tenant() {
  if (!sandbox_tenant_) sandbox_tenant_ = tenant_at(sandbox().psa_base_url(psa(), kSandboxTenant));
  return *sandbox_tenant_;
}

connectors::PsaHttp& ConformanceTest::http() {
  const auto* source = connector_->token_source();
  if (!source) return wire_;
  if (!token_http_) {
    redis_server_ = std::make_unique<testing::RedisServer>();
    redis_ = std::make_unique<RedisClient>(redis_server_->settings());
    tokens_ = std::make_unique<connectors::auth::TokenProvider>(*redis_);
    token_http_ = std::make_unique<connectors::auth::TokenAuthPsaHttp>(wire_, *tokens_, sandbox_tenant(), source);
  }
  return *token_http_;
}

std::optional<std::string> ConformanceTest::auth_suspension() const {
  return token_http_ ? token_http_->suspension() : std::nullopt;
}

void ConformanceTest::resume_auth() {
  if (!token_http_) return;
  const Status resumed = tokens_->resume(sandbox_tenant());
  EXPECT_TRUE(resumed.ok()) << resumed.error().message;
  token_http_ = std::make_unique<connectors::auth::TokenAuthPsaHttp>(wire_, *tokens_, sandbox_tenant(),
                                                                      connector_->token_source());
}

std::string ConformanceTest::upsert(const std::string& sandbox_entity, const std::string& json) {
  return sandbox().upsert_record(psa(), sandbox_entity, json, kSandboxTenant);
}

std::vector<std::string> ConformanceTest::records(const std::string& sandbox_entity) {
  return sandbox().records(psa(), sandbox_entity, kSandboxTenant);
}

void ConformanceTest::inject(sandbox::Fault fault) {
  fault.tenant = std::string(kSandboxTenant);
  sandbox().inject_fault(psa(), std::move(fault));
}

std::string ConformanceTest::leaked_secret(const std::string& message) const {
  std::vector<std::string> secrets;
  if (sandbox_tenant_) {
    for (const auto& [name, value] : sandbox_tenant_->credentials) secrets.push_back(value);
    for (const auto& s : sandbox_tenant_->webhook_signing_secrets) secrets.push_back(s);
    for (const auto& s : sandbox_tenant_->webhook_url_secrets) secrets.push_back(s);
  }
  for (const auto& request : wire_.requests) {
    const std::string_view auth = http::find_header(request.headers, "Authorization");
    if (const size_t space = auth.find(' '); space != std::string_view::npos) {
      secrets.emplace_back(auth.substr(space + 1));  // the token or Basic credentials
    }
  }
  for (const auto& s : secrets) {
    // Short values (a company id, a numeric code) are not secret enough to be told apart from
    // ordinary text; every real secret is longer.
    if (s.size() >= 8 && message.find(s) != std::string::npos) return s;
  }
  return "";
}

const testing::JsonSchemaSet& ConformanceTest::schemas() {
  static const testing::JsonSchemaSet kSchemas(testing::canonical_schema_dir(), testing::canonical_schema_files());
  return kSchemas;
}

std::string id_of(const std::string& record_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element id;
  // "Id" for the PascalCase PSAs (Kaseya BMS, Pulseway PSA).
  const auto doc = parser.parse(record_json);
  if (doc["id"].get(id) != simdjson::SUCCESS && doc["Id"].get(id) != simdjson::SUCCESS) return "";
  std::string_view text;
  if (id.get(text) == simdjson::SUCCESS) return std::string(text);
  int64_t number = 0;
  if (id.get(number) == simdjson::SUCCESS) return std::to_string(number);
  return simdjson::to_string(id);
}

std::string kind_name(connectors::WriteOutcome::Kind kind) {
  using Kind = connectors::WriteOutcome::Kind;
  return kind == Kind::Done ? "Done" : kind == Kind::Retryable ? "Retryable" : "Rejected";
}

PollRequest poll_request(std::string entity, std::string since, int page_size, int max_pages) {
  PollRequest r;
  r.entity = std::move(entity);
  r.since = std::move(since);
  r.page_size = page_size;
  r.max_pages = max_pages;
  return r;
}

std::string id_json_of(const std::string& record_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element id;
  const auto doc = parser.parse(record_json);
  if (doc["id"].get(id) != simdjson::SUCCESS && doc["Id"].get(id) != simdjson::SUCCESS) return "null";
  return simdjson::to_string(id);
}

}  // namespace switchyard::conformance
