#include "support/service_stack.h"


#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "common/crypto.h"
#include "common/http_client.h"
#include "common/json_writer.h"
#include "psa-sandbox/halopsa/halo_model.h"
#include "psa-sandbox/syncro/syncro_model.h"
#include "support/eventually.h"
#include "support/free_port.h"
#include "support/service_binary.h"

namespace switchyard::testing {
namespace {

// The sandbox's demo users of the v2 PSAs (tools/psa-sandbox/kaseya_bms, pulseway).
constexpr const char* kBmsUser = "bms-api@acme-msp.example";
constexpr const char* kBmsPassword = "bms-sandbox-password";
constexpr const char* kPulsewayUser = "pulseway-api@acme-msp.example";
constexpr const char* kPulsewayPassword = "pulseway-sandbox-password";

// Tickets and contacts (where the personal data is), and a budget that does not slow a test
// down (the PSAs' own defaults are a few calls a second).
void poll_and_budget(JsonWriter& w, bool contacts = true) {
  // The first poll of a tenant reads every record (a backfill); an hour keeps it to one.
  w.key("poll").begin_object().field("enabled", true).field("interval_seconds", 3600);
  w.key("entities").begin_array().value("ticket");
  if (contacts) w.value("contact");
  w.end_array().end_object();
  w.key("rate_limit").begin_object().field("requests_per_second", 50).field("burst", 50).end_object();
}

void options(JsonWriter& w, std::initializer_list<std::pair<const char*, const char*>> values) {
  w.key("options").begin_object();
  for (const auto& [k, v] : values) w.field(k, v);
  w.end_object();
}

int http_status(const std::string& url) {
  http::HttpClient client;
  auto r = client.send({.method = "GET", .url = url, .timeout = std::chrono::milliseconds(2000)});
  return r.ok() ? r->status : 0;
}

}  // namespace

ServiceStack::ServiceStack() {
  dir_ = (std::filesystem::temp_directory_path() / ("switchyard-services-" + crypto::random_hex(6))).string();
  std::filesystem::create_directories(dir_);
  kafka_.create_default_topics(4);
  sandbox_.start();
  api_token_ = "scan-vendor-token-" + crypto::random_hex(16);
  bms_url_secret_ = "bms-url-secret-" + crypto::random_hex(12);
  syncro_url_secret_ = "syncro-url-secret-" + crypto::random_hex(12);
  halo_webhook_key_ = "halo-hmac-key-" + crypto::random_hex(12);
  at_rest_key_ = crypto::base64_encode(crypto::sha256(crypto::random_hex(32)));

  std::ofstream(dir_ + "/tenants.json") << tenants_json();
  JsonWriter tokens;
  tokens.begin_object().key("tokens").begin_array().begin_object().field("id", "scan-vendor").field("token", api_token_);
  tokens.key("tenants").begin_array().value("*").end_array();
  tokens.key("scopes").begin_array().value("commands").value("sync").value("read").value("replay").end_array();
  tokens.end_object().end_array().end_object();
  std::ofstream(dir_ + "/api-tokens.json") << tokens.take();
  std::ofstream(dir_ + "/secret-keys") << "# test key\nkscan " << at_rest_key_ << "\n";
  // A short session lets the services' consumers join the mock broker's groups quickly.
  std::ofstream(dir_ + "/kafka.properties") << "session.timeout.ms=6000\nheartbeat.interval.ms=500\n";
}

ServiceStack::~ServiceStack() {
  stop_services();
  sandbox_.stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string ServiceStack::tenants_json() const {
  const sandbox::ConnectWiseCredentials cw;
  const sandbox::AutotaskCredentials at;
  JsonWriter w;
  w.begin_object().key("tenants").begin_array();

  w.begin_object().field("id", ServiceStackTenants::connectwise).field("psa", "connectwise");
  w.field("base_url", sandbox_.connectwise_base_url()).field("allow_insecure_http", true);
  w.key("credentials").begin_object().field("company_id", cw.company_id).field("public_key", cw.public_key);
  w.field("private_key", cw.private_key).field("client_id", cw.client_id).end_object();
  w.key("webhook_signing_secrets").begin_array().value(cw.signing_key).end_array();
  options(w, {{"default_board_id", "1"}, {"default_company_id", "1"}});
  poll_and_budget(w);
  w.end_object();

  w.begin_object().field("id", ServiceStackTenants::autotask).field("psa", "autotask");
  w.field("base_url", sandbox_.autotask_base_url()).field("allow_insecure_http", true);
  w.key("credentials").begin_object().field("username", at.username).field("secret", at.secret);
  w.field("integration_code", at.integration_code).end_object();
  w.key("webhook_signing_secrets").begin_array().value(at.webhook_secret).end_array();
  const std::string zone = sandbox_.autotask_base_url();
  options(w, {{"default_company_id", "100"}, {"default_queue_id", "8"}, {"zone_lookup_url", zone.c_str()}});
  poll_and_budget(w);
  w.end_object();

  w.begin_object().field("id", ServiceStackTenants::halopsa).field("psa", "halopsa");
  w.field("base_url", sandbox_.psa_base_url("halopsa")).field("allow_insecure_http", true);
  w.key("credentials").begin_object().field("client_id", sandbox::halopsa::kClientId);
  w.field("client_secret", sandbox::halopsa::kClientSecret).end_object();
  w.key("webhook_signing_secrets").begin_array().value(halo_webhook_key_).end_array();
  options(w, {{"default_client_id", "1"}});
  poll_and_budget(w);
  w.end_object();

  w.begin_object().field("id", ServiceStackTenants::kaseya_bms).field("psa", "kaseya_bms");
  w.field("base_url", sandbox_.psa_base_url("kaseya_bms")).field("allow_insecure_http", true);
  w.key("credentials").begin_object().field("username", kBmsUser).field("password", kBmsPassword);
  w.field("company", "acme-msp").end_object();
  w.key("webhook_url_secrets").begin_array().value(bms_url_secret_).end_array();
  options(w, {{"default_account_id", "1"}, {"default_queue_id", "1"}});
  poll_and_budget(w);
  w.end_object();

  w.begin_object().field("id", ServiceStackTenants::pulseway).field("psa", "pulseway");
  w.field("base_url", sandbox_.psa_base_url("pulseway")).field("allow_insecure_http", true);
  w.key("credentials").begin_object().field("username", kPulsewayUser).field("password", kPulsewayPassword);
  w.field("company", "acme-msp").end_object();
  options(w, {{"default_account_id", "1"}, {"default_queue_id", "1"}});
  poll_and_budget(w);
  w.end_object();

  w.begin_object().field("id", ServiceStackTenants::syncro).field("psa", "syncro");
  w.field("base_url", sandbox_.psa_base_url("syncro")).field("allow_insecure_http", true);
  w.key("credentials").begin_object().field("api_token", sandbox::syncro::kApiToken).end_object();
  w.key("webhook_url_secrets").begin_array().value(syncro_url_secret_).end_array();
  poll_and_budget(w, false);
  w.end_object();

  w.end_array().end_object();
  return w.take();
}

std::map<std::string, std::string> ServiceStack::secrets() const {
  const sandbox::ConnectWiseCredentials cw;
  const sandbox::AutotaskCredentials at;
  return {{"connectwise private_key", cw.private_key},
          {"connectwise public_key", cw.public_key},
          {"connectwise signing_key", cw.signing_key},
          {"autotask secret", at.secret},
          {"autotask integration_code", at.integration_code},
          {"autotask webhook_secret", at.webhook_secret},
          {"halopsa client_secret", std::string(sandbox::halopsa::kClientSecret)},
          {"halopsa webhook key", halo_webhook_key_},
          {"kaseya_bms password", kBmsPassword},
          {"kaseya_bms webhook url secret", bms_url_secret_},
          {"pulseway password", kPulsewayPassword},
          {"syncro api_token", std::string(sandbox::syncro::kApiToken)},
          {"syncro webhook url secret", syncro_url_secret_},
          {"vendor API token", api_token_},
          {"at-rest key", at_rest_key_}};
}

std::map<std::string, std::string> ServiceStack::service_env(const std::string& service) const {
  std::map<std::string, std::string> env = test_listeners(operator_ports_.at(service));
  env.insert({{"SWITCHYARD_KAFKA_BOOTSTRAP", kafka_.bootstrap()},
              {"SWITCHYARD_KAFKA_PROPERTIES_FILE", dir_ + "/kafka.properties"},
              {"SWITCHYARD_REDIS_URL", redis_.url()},
              {"SWITCHYARD_TENANTS_FILE", dir_ + "/tenants.json"},
              {"SWITCHYARD_SECRET_KEYS_FILE", dir_ + "/secret-keys"},
              // Debug lines are read too: nothing personal may reach any level.
              {"SWITCHYARD_LOG_LEVEL", "debug"}});
  if (service == "ingest") env["SWITCHYARD_API_TOKENS_FILE"] = dir_ + "/api-tokens.json";
  if (service == "dispatch") {
    env["SWITCHYARD_DISPATCH_INITIAL_BACKOFF_MS"] = "50";
    env["SWITCHYARD_DISPATCH_MAX_BACKOFF_MS"] = "500";
    env["SWITCHYARD_DISPATCH_MAX_ATTEMPTS"] = "3";
  }
  return env;
}

void ServiceStack::start_services() {
  for (const auto& service : services()) {
    operator_ports_[service] = free_port();
    processes_[service] = std::make_unique<ChildProcess>(std::vector<std::string>{service_binary(service)},
                                                         service_env(service), log_path(service));
  }
  for (const auto& service : services()) {
    if (!eventually([&] { return http_status(operator_url(service) + "/readyz") == 200; }, std::chrono::seconds(30))) {
      throw std::runtime_error(service + " did not become ready; see " + log_path(service));
    }
  }
  webhook_port_ = logged_port(log_path("ingest"), "webhook_port");
  api_port_ = logged_port(log_path("ingest"), "api_port");
  if (webhook_port_ == 0 || api_port_ == 0) throw std::runtime_error("ingest logged no ports; see " + log_path("ingest"));
}

void ServiceStack::stop_services() {
  for (const char* service : {"dispatch", "normalize", "ingest"}) {
    const auto it = processes_.find(service);
    if (it == processes_.end() || !it->second) continue;
    it->second->terminate(std::chrono::seconds(15));
    it->second.reset();
  }
}

std::string ServiceStack::api_url() const { return "http://127.0.0.1:" + std::to_string(api_port_); }
std::string ServiceStack::webhook_url() const { return "http://127.0.0.1:" + std::to_string(webhook_port_); }
std::string ServiceStack::operator_url(const std::string& service) const {
  return "http://127.0.0.1:" + std::to_string(operator_ports_.at(service));
}
std::string ServiceStack::log_path(const std::string& service) const { return dir_ + "/" + service + ".log"; }

}  // namespace switchyard::testing
