#include "support/pipeline/pipeline_stack.h"

#include <simdjson.h>

#include "support/pipeline/stack_config.h"

#include <fstream>

#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/tenant_ids.h"
#include "common/sync_policy_settings.h"
#include "common/tenant_mappings.h"
#include "common/topics.h"
#include "connectors/registry.h"

namespace switchyard::testing {

PipelineStack::PipelineStack(StackOptions options) : options_(options) {
  dir_ = std::filesystem::temp_directory_path() / ("switchyard-test-" + crypto::random_hex(6));
  std::filesystem::create_directories(dir_);
  redis_ = std::make_unique<RedisServer>();
  kafka_ = std::make_unique<EmbeddedKafka>();
  kafka_->create_default_topics(4);
  sandbox_ = std::make_unique<sandbox::Sandbox>();
  sandbox_->start();
  std::ofstream(dir_ / "tenants.json") << tenants_json();
  std::ofstream(dir_ / "api-tokens.json") << api_tokens_json();
  if (options_.ingest) start_ingest();
  if (options_.normalize) start_normalize();
  if (options_.dispatch) start_dispatch();
}

PipelineStack::~PipelineStack() {
  dispatch_.reset();
  normalize_.reset();
  ingest_.reset();
  sandbox_->stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string PipelineStack::tenants_json() const {
  const sandbox::ConnectWiseCredentials cw;
  JsonWriter w;
  w.begin_object().key("tenants").begin_array();
  w.begin_object()
      .field("id", kConnectWiseTenant)
      .field("psa", "connectwise")
      .field("base_url", sandbox_->connectwise_base_url())
      .field("allow_insecure_http", true)  // the sandbox listens on plain http
      .key("credentials")
      .begin_object()
      .field("company_id", cw.company_id)
      .field("public_key", cw.public_key)
      .field("private_key", cw.private_key)
      .field("client_id", cw.client_id)
      .end_object();
  if (options_.connectwise_signing_secret) w.key("webhook_signing_secrets").begin_array().value(cw.signing_key).end_array();
  w.key("poll")
      .begin_object()
      .field("enabled", false)
      .end_object()
      // A company type of the tenant's own; the stock ones keep the connector's defaults.
      .key("mappings")
      .begin_object()
      .key("company_classification")
      .begin_object()
      .field("Reseller", "partner")
      .end_object()
      .end_object();
  if (!options_.connectwise_sync_policies.empty()) w.key("sync_policies").raw(options_.connectwise_sync_policies);
  w.end_object();
  write_autotask_tenant(w, kAutotaskTenant, sandbox_->autotask_base_url(), 50.0, 20);
  w.end_array().end_object();
  std::string json = w.take();
  if (!options_.autotask_tenant_extra.empty()) {
    const std::string id = R"("id":")" + std::string(kAutotaskTenant) + "\"";
    json.insert(json.find(id) + id.size(), options_.autotask_tenant_extra);
  }
  return json;
}

std::string PipelineStack::api_tokens_json() const {
  const auto entry = [](JsonWriter& w, std::string_view id, std::string_view token, std::string_view tenant,
                        std::initializer_list<std::string_view> scopes) {
    w.begin_object().field("id", id).field("token", token);
    w.key("tenants").begin_array().value(tenant).end_array();
    w.key("scopes").begin_array();
    for (const auto scope : scopes) w.value(scope);
    w.end_array();
    w.end_object();
  };
  JsonWriter w;
  w.begin_object().key("tokens").begin_array();
  entry(w, "test-vendor", kApiToken, "*", {"commands"});
  entry(w, "test-acme-only", kAcmeOnlyToken, kConnectWiseTenant, {"commands"});
  entry(w, "test-read-only", kReadOnlyToken, "*", {"read"});
  entry(w, "test-admin", kAdminToken, "*", {"admin"});
  entry(w, "test-acme-read", kAcmeReadToken, kConnectWiseTenant, {"read"});
  entry(w, "test-replay", kReplayToken, "*", {"replay"});
  entry(w, "test-sync", kStackSyncToken, "*", {"sync"});
  entry(w, "test-operator", kOperatorToken, "*", {"read", "sync", "replay", "admin"});
  w.end_array().end_object();
  return w.take();
}

ServiceConfig PipelineStack::config() const {
  ServiceConfig c = stack_config(kafka_->bootstrap(), redis_->settings(), (dir_ / "tenants.json").string(),
                                 options_.kafka_delivery_timeout_ms);
  c.liveness_timeout = options_.liveness_timeout;
  return c;
}

TenantDirectory PipelineStack::tenants() const { return load_stack_tenants(config().tenants_file); }

void PipelineStack::start_ingest() {
  ingest::IngestOptions options;
  options.polling = options_.ingest_polling;  // tests usually poll explicitly with poller().poll_now
  options.max_body_bytes = 64 * 1024;
  options.health_export_interval = std::chrono::milliseconds(200);
  options.webhook_check_interval = options_.webhook_check_interval;
  options.api_tokens = load_api_tokens_file((dir_ / "api-tokens.json").string(), Env());
  options.public_webhook_url = std::string(kPublicWebhookUrl);
  options.audit = options_.audit;
  ingest_ = std::make_unique<ingest::IngestService>(config(), options, tenants(), connectors::builtin_registry());
  ingest_->start();
}

void PipelineStack::start_normalize() {
  normalize::NormalizeOptions options;
  options.dedup.pending_ttl = std::chrono::seconds(5);
  options.tenant_labels = TenantLabels(*parse_tenant_ids(tenants_json()));
  options.tenant_mappings = TenantMappings(*parse_tenant_mappings(tenants_json()));
  options.tenant_sync_policies = TenantSyncPolicies(*parse_tenant_sync_policies(tenants_json()));
  options.policy_recompute_check = std::chrono::seconds(0);  // tests run the day themselves
  normalize_ = std::make_unique<normalize::NormalizeService>(config(), options, connectors::builtin_registry());
  normalize_->start();
}

void PipelineStack::start_dispatch() {
  dispatch::DispatchOptions options;
  options.max_attempts = options_.dispatch_max_attempts;
  options.initial_backoff = std::chrono::milliseconds(50);
  options.max_backoff = std::chrono::milliseconds(500);
  options.usage_close_interval = options_.usage_close_interval;
  const auto& registry = options_.dispatch_registry ? *options_.dispatch_registry : connectors::builtin_registry();
  dispatch_ = std::make_unique<dispatch::DispatchService>(config(), options, tenants(), registry);
  dispatch_->start();
}

std::string PipelineStack::ingest_webhook_url() const {
  return "http://127.0.0.1:" + std::to_string(ingest_->webhook_port());
}
std::string PipelineStack::ingest_api_url() const { return "http://127.0.0.1:" + std::to_string(ingest_->api_port()); }
std::string PipelineStack::ingest_operator_url() const {
  return "http://127.0.0.1:" + std::to_string(ingest_->operator_port());
}

size_t autotask_tickets_with_ref(sandbox::Sandbox& psa, std::string_view ref) {
  size_t n = 0;
  simdjson::dom::parser parser;
  for (const auto& json : psa.records("autotask", "Tickets")) {
    std::string_view external;
    if (parser.parse(json)["externalID"].get(external) == simdjson::SUCCESS && external == ref) ++n;
  }
  return n;
}

double metric_value(const std::string& exposition, const std::string& series) {
  const std::string prefix = series + " ";
  size_t pos = 0;
  while ((pos = exposition.find(prefix, pos)) != std::string::npos) {
    if (pos == 0 || exposition[pos - 1] == '\n') return std::stod(exposition.substr(pos + prefix.size()));
    pos += prefix.size();
  }
  return 0;
}

Result<http::ClientResponse> PipelineStack::post_connectwise_callback(const std::string& body) const {
  http::HttpClient client;
  return client.send({.method = "POST",
                      .url = ingest_webhook_url() + "/v1/webhooks/connectwise/" + std::string(kConnectWiseTenant),
                      .headers = {{"x-content-signature", cw_signature(sandbox::ConnectWiseCredentials{}.signing_key, body)}},
                      .body = body});
}

std::string connectwise_ticket_callback(std::string_view ticket_json, std::string_view action) {
  return connectwise_callback("ticket", ticket_json, action);
}

std::string connectwise_callback(std::string_view type, std::string_view record_json, std::string_view action) {
  simdjson::dom::parser parser;
  int64_t id = 0;
  simdjson::dom::element root = parser.parse(record_json.data(), record_json.size()).value();
  id = root["id"].get_int64().value();
  JsonWriter w;
  w.begin_object()
      .field("MessageId", "6a0c9b9e-3f4c-4b2a-9d7e-" + crypto::random_hex(6))
      .field("FromUrl", "sandbox.local")
      .field("CompanyId", "switchyard_demo")
      .field("MemberId", "tests")
      .field("Action", action)
      .field("Type", type)
      .field("ID", id)
      .field("Entity", record_json)
      .end_object();
  return w.take();
}

}  // namespace switchyard::testing
