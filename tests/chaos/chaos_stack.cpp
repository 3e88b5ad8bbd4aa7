#include "chaos_stack.h"

#include <signal.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/http_client.h"
#include "devkafka_control.h"
#include "support/eventually.h"
#include "support/free_port.h"

namespace switchyard::chaos {
namespace {

using namespace std::chrono_literals;

std::string binary(const std::string& relative) { return std::string(SWITCHYARD_BINARY_DIR) + "/" + relative; }

std::string read_trimmed(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

// Waits for a file that a child writes atomically once it is ready.
std::string wait_for_file(const std::filesystem::path& path, testing::ChildProcess& child, const std::string& what) {
  if (!testing::eventually([&] { return std::filesystem::exists(path) || !child.running(); }, 30s)) {
    throw std::runtime_error(what + " did not start within 30 s; see " + child.log_path());
  }
  if (!std::filesystem::exists(path)) throw std::runtime_error(what + " exited at start; see " + child.log_path());
  return read_trimmed(path);
}

}  // namespace

ChaosStack::ChaosStack(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_ / "logs");
  redis_ = std::make_unique<ChaosRedis>(dir_ / "redis", (dir_ / "logs" / "redis.log").string());

  // Three brokers, so that partition leaders can move between them.
  devkafka_ = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{binary("tools/devkafka/devkafka"), "--brokers", std::to_string(kBrokers), "--partitions",
                               "4", "--bootstrap-file", (dir_ / "bootstrap").string(), "--control-port", "0",
                               "--control-file", (dir_ / "kafka-control").string()},
      std::map<std::string, std::string>{}, (dir_ / "logs" / "devkafka.log").string());
  bootstrap_ = wait_for_file(dir_ / "bootstrap", *devkafka_, "devkafka");
  const std::string control = wait_for_file(dir_ / "kafka-control", *devkafka_, "devkafka");
  control_port_ = static_cast<uint16_t>(std::stoi(control.substr(control.rfind(':') + 1)));

  sandbox_ = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{binary("tools/psa-sandbox/psa-sandbox"), "--listen", "127.0.0.1:0", "--port-file",
                               (dir_ / "sandbox.port").string()},
      std::map<std::string, std::string>{}, (dir_ / "logs" / "psa-sandbox.log").string());
  sandbox_url_ = "http://127.0.0.1:" + wait_for_file(dir_ / "sandbox.port", *sandbox_, "psa-sandbox");

  for (const auto& name : services()) operator_ports_[name] = testing::free_port();
  webhook_port_ = testing::free_port();
  api_port_ = testing::free_port();
  write_configs();
  for (const auto& name : services()) start_service(name);
  for (const auto& name : services()) {
    if (!testing::eventually([&] { return service_ready(name); }, 60s, 100ms)) {
      throw std::runtime_error(name + " did not become ready within 60 s; see " + services_[name].process->log_path());
    }
  }
}

ChaosStack::~ChaosStack() {
  // Services first (they flush and commit while Kafka and Redis are up), then the rest.
  for (auto& [name, service] : services_) {
    if (service.process) service.process->terminate(5s);
  }
  services_.clear();
  sandbox_.reset();
  devkafka_.reset();
  redis_.reset();
}

void ChaosStack::write_configs() {
  // The shape of config/tenants.local.json, with higher rate limits and short poll intervals.
  std::ofstream(dir_ / "tenants.json") << R"({"tenants": [
  {"id": "acme", "psa": "connectwise", "base_url": ")"
                                       << sandbox_url_ << R"(/connectwise/v4_6_release/apis/3.0",
   "allow_insecure_http": true,
   "credentials": {"company_id": "switchyard_demo", "public_key": "demo-public", "private_key": "demo-private",
                   "client_id": "00000000-0000-4000-8000-000000000001"},
   "webhook_signing_secrets": ["demo-signing-key"],
   "rate_limit": {"requests_per_second": 50, "burst": 50},
   "poll": {"enabled": true, "interval_seconds": 10, "entities": ["ticket"]}},
  {"id": "globex", "psa": "autotask", "base_url": ")"
                                       << sandbox_url_ << R"(/autotask/ATServicesRest",
   "allow_insecure_http": true,
   "credentials": {"username": "api@switchyard.test", "secret": "demo-secret", "integration_code": "DEMOINTEGRATIONCODE"},
   "webhook_signing_secrets": [")" << kAtWebhookSecret
                                       << R"("],
   "rate_limit": {"requests_per_second": 50, "burst": 50},
   "poll": {"enabled": true, "interval_seconds": 10, "entities": ["ticket"]},
   "options": {"default_company_id": "100", "default_queue_id": "8"}}
]}
)";
  std::ofstream(dir_ / "api-tokens.json") << R"({"tokens": [{"id": "chaos-vendor", "token": ")" << kApiToken
                                          << R"(", "tenants": ["*"], "scopes": ["commands"]}]}
)";
  // A killed member's partitions go to its replacement after the session timeout.
  std::ofstream(dir_ / "kafka.properties") << "session.timeout.ms=6000\nheartbeat.interval.ms=500\n";
}

std::map<std::string, std::string> ChaosStack::service_env(const std::string& name) const {
  std::map<std::string, std::string> env = {{"SWITCHYARD_KAFKA_BOOTSTRAP", bootstrap_},
                                            {"SWITCHYARD_KAFKA_PROPERTIES_FILE", (dir_ / "kafka.properties").string()},
                                            {"SWITCHYARD_REDIS_URL", redis_->url()},
                                            {"SWITCHYARD_TENANTS_FILE", (dir_ / "tenants.json").string()},
                                            {"SWITCHYARD_OPERATOR_LISTEN",
                                             "127.0.0.1:" + std::to_string(operator_ports_.at(name))},
                                            {"SWITCHYARD_LOG_LEVEL", "info"}};
  if (name == "ingest") {
    env["SWITCHYARD_API_TOKENS_FILE"] = (dir_ / "api-tokens.json").string();
    env["SWITCHYARD_WEBHOOK_LISTEN"] = "127.0.0.1:" + std::to_string(webhook_port_);
    env["SWITCHYARD_API_LISTEN"] = "127.0.0.1:" + std::to_string(api_port_);
  }
  // A claim left by a killed normalize is waited out: keep that wait short, but longer than a
  // produce may take (the delivery timeout).
  if (name == "normalize") env["SWITCHYARD_DEDUP_PENDING_TTL_SECONDS"] = "15";
  if (name == "dispatch") {
    env["SWITCHYARD_DISPATCH_MAX_ATTEMPTS"] = "8";
    env["SWITCHYARD_DISPATCH_INITIAL_BACKOFF_MS"] = "200";
    env["SWITCHYARD_DISPATCH_MAX_BACKOFF_MS"] = "5000";
  }
  return env;
}

void ChaosStack::start_service(const std::string& name) {
  Service& service = services_[name];
  if (service.process && service.process->running()) return;  // already restarted
  service.killed_by_us = false;
  service.started = std::chrono::steady_clock::now();
  service.process = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{binary("services/" + name + "/switchyard-" + name)}, service_env(name),
      (dir_ / "logs" / (name + ".log")).string());
}

void ChaosStack::kill_service(const std::string& name) {
  Service& service = services_.at(name);
  if (!service.process || !service.process->running()) return;
  ::kill(service.process->pid(), SIGKILL);
  service.process->wait();
  service.killed_by_us = true;
}

bool ChaosStack::service_running(const std::string& name) {
  const auto it = services_.find(name);
  return it != services_.end() && it->second.process && it->second.process->running();
}

bool ChaosStack::service_ready(const std::string& name) {
  if (!service_running(name)) return false;
  http::HttpClient client;
  auto r = client.send({.url = "http://127.0.0.1:" + std::to_string(operator_ports_.at(name)) + "/readyz", .timeout = 2000ms});
  return r.ok() && r->status == 200;
}

std::vector<std::string> ChaosStack::restart_exited() {
  std::vector<std::string> restarted;
  for (const auto& name : services()) {
    Service& service = services_[name];
    if (!service.process || service.killed_by_us || service.process->running()) continue;
    // One that cannot stay up is not restarted in a tight loop.
    if (std::chrono::steady_clock::now() - service.started < 1s) continue;
    const int code = service.process->wait();
    restarted.push_back(name + " exited on its own (code " + std::to_string(code) + "), restarted; see " +
                        service.process->log_path());
    start_service(name);
  }
  return restarted;
}

std::string ChaosStack::kafka_control(const std::string& command) const {
  return devkafka_command(control_port_, command);
}

}  // namespace switchyard::chaos
