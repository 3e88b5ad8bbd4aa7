// Everything the chaos suite runs, each as a real process on loopback ports: redis-server,
// devkafka (with its control channel), the PSA sandbox and the three service binaries, with
// the configuration files they read. Processes are started from the constructing thread (the
// test's main thread): children die with the thread that started them (PR_SET_PDEATHSIG).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "chaos_redis.h"
#include "support/child_process.h"

namespace switchyard::chaos {

inline constexpr const char* kApiToken = "chaos-api-token-0123456789abcdef";
inline constexpr const char* kCwTenant = "acme";    // ConnectWise
inline constexpr const char* kAtTenant = "globex";  // Autotask
inline constexpr const char* kAtWebhookSecret = "demo-at-webhook-secret";
inline constexpr int kBrokers = 3;

class ChaosStack {
 public:
  explicit ChaosStack(std::filesystem::path dir);  // starts everything, waits until ready
  ~ChaosStack();

  static const std::vector<std::string>& services() {
    static const std::vector<std::string> names = {"ingest", "normalize", "dispatch"};
    return names;
  }
  void kill_service(const std::string& name);  // SIGKILL and reap
  void start_service(const std::string& name);
  bool service_running(const std::string& name);
  bool service_ready(const std::string& name);
  // Restarts services that exited on their own (as Kubernetes would); one line per restart.
  std::vector<std::string> restart_exited();

  ChaosRedis& redis() { return *redis_; }
  std::string kafka_control(const std::string& command) const;  // "ok" or "error ..."
  const std::string& bootstrap() const { return bootstrap_; }
  const std::string& sandbox_url() const { return sandbox_url_; }
  // ingest's webhook and API listeners (docs/configuration.md#listeners); fixed across restarts.
  std::string ingest_webhook_url() const { return "http://127.0.0.1:" + std::to_string(webhook_port_); }
  std::string ingest_api_url() const { return "http://127.0.0.1:" + std::to_string(api_port_); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  struct Service {
    std::unique_ptr<testing::ChildProcess> process;
    bool killed_by_us = false;
    std::chrono::steady_clock::time_point started;
  };
  void write_configs();
  std::map<std::string, std::string> service_env(const std::string& name) const;

  std::filesystem::path dir_;
  std::unique_ptr<ChaosRedis> redis_;
  std::unique_ptr<testing::ChildProcess> devkafka_;
  std::unique_ptr<testing::ChildProcess> sandbox_;
  std::string bootstrap_;
  uint16_t control_port_ = 0;
  std::string sandbox_url_;
  std::map<std::string, uint16_t> operator_ports_;  // per service: /readyz, /metrics
  uint16_t webhook_port_ = 0;
  uint16_t api_port_ = 0;
  std::map<std::string, Service> services_;
};

}  // namespace switchyard::chaos
