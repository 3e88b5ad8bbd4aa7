// PipelineStack: the whole pipeline for an integration test, over the real parts: a
// redis-server, the embedded Kafka (librdkafka mock cluster) and the PSA sandbox, each on a
// free loopback port, with ingest, normalize and dispatch running in-process against them.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "common/http_client.h"
#include "common/service_config.h"
#include "common/tenants.h"
#include "connectors/registry.h"
#include "dispatch/dispatch_service.h"
#include "ingest/ingest_service.h"
#include "normalize/normalize_service.h"
#include "psa-sandbox/sandbox.h"
#include "support/embedded_kafka.h"
#include "support/redis_server.h"
#include "support/reference_signatures.h"

namespace switchyard::testing {

// Tenants used by the tests: "acme" on ConnectWise, "globex" on Autotask.
inline constexpr std::string_view kConnectWiseTenant = "acme";
inline constexpr std::string_view kAutotaskTenant = "globex";
// Bearer tokens in the stack's API tokens file (api_tokens_json()): kApiToken may post
// commands for every tenant; kAcmeOnlyToken only for acme; kReadOnlyToken has scope "read" only.
inline constexpr std::string_view kApiToken = "test-token-0123456789abcdef";
inline constexpr std::string_view kAcmeOnlyToken = "test-token-acme-only-0123456789";
inline constexpr std::string_view kReadOnlyToken = "test-token-read-only-0123456789";
inline constexpr std::string_view kAdminToken = "test-token-admin-0123456789abcd";  // scope admin, every tenant
inline constexpr std::string_view kAcmeReadToken = "test-token-acme-read-0123456789";  // scope read, acme only
inline constexpr std::string_view kReplayToken = "test-token-replay-0123456789abc";    // scope replay, every tenant
inline constexpr std::string_view kStackSyncToken = "test-token-sync-0123456789abcd";  // scope sync, every tenant
// What an operator at the console holds: read, sync, replay and admin, every tenant.
inline constexpr std::string_view kOperatorToken = "test-token-operator-0123456789a";
// The address PSAs are told to reach the stack's webhook listener at (webhook registration).
inline constexpr std::string_view kPublicWebhookUrl = "https://hooks.switchyard.test";

struct StackOptions {
  bool ingest = true, normalize = true, dispatch = true;
  int kafka_delivery_timeout_ms = 3000;
  int dispatch_max_attempts = 3;
  // SWITCHYARD_LIVENESS_TIMEOUT_SECONDS of every service (liveness tests shorten it).
  std::chrono::milliseconds liveness_timeout = ServiceConfig::kDefaultLivenessTimeout;
  bool ingest_polling = false;  // run ingest's poll workers (tests usually poll with poller().poll_now)
  // The ConnectWise tenant has its callback signing key configured; false: it has none, and each
  // callback's key is fetched from the key_url it names.
  bool connectwise_signing_secret = true;
  // The connectors dispatch runs with; nullptr = every built-in one (tests narrow one down to see
  // what dispatch does with a command its PSA does not support). Must outlive the stack.
  const connectors::ConnectorRegistry* dispatch_registry = nullptr;
  // The ConnectWise tenant's "sync_policies" as JSON (docs/sync-policies.md); empty: none (all).
  std::string connectwise_sync_policies = {};
  // How often ingest checks the webhooks it registered (0: only when a PSA reports one off).
  std::chrono::milliseconds webhook_check_interval{0};
  // Members added to the Autotask tenant's entry, as JSON starting with a comma
  // (",\"recipes\":{...}"); empty: none.
  std::string autotask_tenant_extra = {};
  // How often dispatch closes due billing periods (0: never; tests close them explicitly).
  std::chrono::milliseconds usage_close_interval{0};
  // Where ingest records admin actions (tests/support/audit_records.h); null: its log lines.
  // Must outlive the stack.
  AuditTrail* audit = nullptr;
};

class PipelineStack {
 public:
  explicit PipelineStack(StackOptions options = {});
  ~PipelineStack();

  // Config pointing at this stack's Kafka, Redis and tenants file, on an ephemeral port.
  ServiceConfig config() const;
  // The tenants file text this stack wrote (sandbox URLs and default credentials).
  std::string tenants_json() const;
  // The API tokens file text this stack wrote (the tokens above).
  std::string api_tokens_json() const;
  TenantDirectory tenants() const;

  void start_ingest();
  void start_normalize();
  void start_dispatch();

  EmbeddedKafka& kafka() { return *kafka_; }
  RedisServer& redis() { return *redis_; }
  sandbox::Sandbox& psa() { return *sandbox_; }
  ingest::IngestService& ingest() { return *ingest_; }
  normalize::NormalizeService& normalize() { return *normalize_; }
  dispatch::DispatchService& dispatch() { return *dispatch_; }
  // http://127.0.0.1:<port> of each of ingest's listeners (docs/configuration.md#listeners).
  std::string ingest_webhook_url() const;   // POST /v1/webhooks/...
  // POSTs a ConnectWise callback body for tenant acme, signed with its signing key.
  Result<http::ClientResponse> post_connectwise_callback(const std::string& body) const;
  std::string ingest_api_url() const;       // commands, sync
  std::string ingest_operator_url() const;  // /metrics, /healthz, /readyz

 private:
  StackOptions options_;
  std::filesystem::path dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<EmbeddedKafka> kafka_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<ingest::IngestService> ingest_;
  std::unique_ptr<normalize::NormalizeService> normalize_;
  std::unique_ptr<dispatch::DispatchService> dispatch_;
};

// The value of one sample in Prometheus text format ("name{labels} value"), 0 when absent.
double metric_value(const std::string& exposition, const std::string& series);

// Autotask tickets in the sandbox whose externalID is `ref`.
size_t autotask_tickets_with_ref(sandbox::Sandbox& psa, std::string_view ref);

// A ConnectWise callback for a ticket, as the sandbox's records would produce it.
std::string connectwise_ticket_callback(std::string_view ticket_json, std::string_view action = "updated");
// The same for a record of another callback type ("company", "agreement", ...).
std::string connectwise_callback(std::string_view type, std::string_view record_json,
                                 std::string_view action = "updated");

}  // namespace switchyard::testing
