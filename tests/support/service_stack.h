// ServiceStack: the whole pipeline as Kubernetes runs it, for tests that look at what the
// service processes themselves write and serve (their logs, their /metrics, Redis): a
// redis-server, the embedded Kafka and the PSA sandbox (in this process), and the ingest,
// normalize and dispatch binaries as child processes, each logging to its own file. The tenants
// file has one tenant on every PSA that holds a secret: API keys (ConnectWise, Autotask,
// Syncro), OAuth client credentials (HaloPSA), a user name and password exchanged for tokens
// (Kaseya BMS, Pulseway), webhook signing and URL secrets. Every secret it configured is listed
// by secrets(), so a test can look for each one where it must not be.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "psa-sandbox/sandbox.h"
#include "support/child_process.h"
#include "support/embedded_kafka.h"
#include "support/redis_server.h"

namespace switchyard::testing {

// The tenants (one per PSA, each on the sandbox's default instance of its PSA).
struct ServiceStackTenants {
  static constexpr const char* connectwise = "cw-acme";
  static constexpr const char* autotask = "at-globex";
  static constexpr const char* halopsa = "halo-initech";
  static constexpr const char* kaseya_bms = "bms-umbrella";
  static constexpr const char* pulseway = "pw-hooli";
  static constexpr const char* syncro = "syncro-stark";
};

class ServiceStack {
 public:
  // Starts Redis, Kafka and the sandbox and writes the configuration; the services start with
  // start_services(), so a test can seed the sandbox first (their first poll reads everything).
  ServiceStack();
  ~ServiceStack();
  ServiceStack(const ServiceStack&) = delete;
  ServiceStack& operator=(const ServiceStack&) = delete;

  // Starts ingest (polling on, debug logs), normalize and dispatch, and waits until each
  // answers /readyz (throws std::runtime_error naming the service and its log otherwise).
  void start_services();
  // SIGTERM to each service (dispatch, normalize, ingest), waiting for it to exit, so its log is
  // complete.
  void stop_services();

  RedisServer& redis() { return redis_; }
  EmbeddedKafka& kafka() { return kafka_; }
  sandbox::Sandbox& psa() { return sandbox_; }

  std::string api_url() const;      // ingest's API listener: commands, sync, activity, dead letters
  std::string webhook_url() const;  // ingest's webhook listener: /v1/webhooks/...
  // http://127.0.0.1:<operator port> of "ingest", "normalize" or "dispatch" (/metrics).
  std::string operator_url(const std::string& service) const;
  std::vector<std::string> services() const { return {"ingest", "normalize", "dispatch"}; }
  std::string log_path(const std::string& service) const;

  // A bearer token for every tenant with the scopes commands, sync, read and replay.
  const std::string& api_token() const { return api_token_; }
  // The webhook URL secret of the Kaseya BMS tenant (its webhooks are checked by it alone).
  const std::string& bms_url_secret() const { return bms_url_secret_; }
  // Autotask's webhook secret and HaloPSA's HMAC key, for signing webhooks.
  const std::string& halo_webhook_key() const { return halo_webhook_key_; }

  // Every secret in the configuration: each credential that is not an id or user name, the
  // webhook signing and URL secrets, the API tokens and the at-rest key, named ("halo client_secret").
  std::map<std::string, std::string> secrets() const;

 private:
  std::string tenants_json() const;
  std::map<std::string, std::string> service_env(const std::string& service) const;

  std::string dir_;
  RedisServer redis_;
  EmbeddedKafka kafka_;
  sandbox::Sandbox sandbox_;
  std::string api_token_;
  std::string bms_url_secret_;
  std::string syncro_url_secret_;
  std::string halo_webhook_key_;
  std::string at_rest_key_;  // base64, as in the keys file
  std::map<std::string, uint16_t> operator_ports_;
  uint16_t webhook_port_ = 0, api_port_ = 0;
  std::map<std::string, std::unique_ptr<ChildProcess>> processes_;
};

}  // namespace switchyard::testing
