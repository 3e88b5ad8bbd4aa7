#include "support/redis_server.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/free_port.h"
#include "support/test_certificates.h"

namespace switchyard::testing {
namespace {

std::string find_redis_server() {
  if (const char* path = std::getenv("PATH")) {
    std::string dirs(path);
    size_t start = 0;
    while (start <= dirs.size()) {
      const size_t end = std::min(dirs.find(':', start), dirs.size());
      const std::string candidate = dirs.substr(start, end - start) + "/redis-server";
      if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
      start = end + 1;
    }
  }
  if (::access("/usr/bin/redis-server", X_OK) == 0) return "/usr/bin/redis-server";
  throw std::runtime_error("redis-server not found in PATH or /usr/bin (see scripts/install-deps.sh)");
}

bool answers_ping(RedisSettings settings) {
  settings.timeout = std::chrono::milliseconds(200);
  RedisClient client(std::move(settings));
  return client.ping();
}

std::filesystem::path log_dir() {
  std::filesystem::path dir = std::filesystem::path(SWITCHYARD_BINARY_DIR) / "test-logs";
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

RedisServer::RedisServer(std::string password) : options_() {
  options_.password = std::move(password);
  start_on_a_free_port();
}

RedisServer::RedisServer(RedisServerOptions options) : options_(std::move(options)) { start_on_a_free_port(); }

void RedisServer::start_on_a_free_port() {
  // Another process may grab the free port before redis binds it: try a few ports.
  for (int attempt = 0;; ++attempt) {
    port_ = free_port();
    try {
      launch();
      return;
    } catch (const std::exception&) {
      if (attempt == 2) throw;
    }
  }
}

RedisServer::~RedisServer() { stop(); }

std::string RedisServer::url() const {
  const std::string auth = options_.password.empty() ? "" : ":" + options_.password + "@";
  return (options_.tls ? "rediss://" : "redis://") + auth + "127.0.0.1:" + std::to_string(port_);
}

RedisSettings RedisServer::settings() const {
  RedisSettings s;
  s.host = "127.0.0.1";
  s.port = port_;
  s.password = options_.password;
  if (options_.tls) {
    const TestCertificates& certs = test_certificates();
    s.tls.enabled = true;
    s.tls.ca_file = certs.ca_file;
    if (options_.mutual_tls) {
      s.tls.cert_file = certs.client_cert_file;
      s.tls.key_file = certs.client_key_file;
    }
  }
  return s;
}

void RedisServer::stop() {
  if (process_) process_->terminate();
  process_.reset();
}

void RedisServer::start() {
  if (!process_) launch();
}

void RedisServer::launch() {
  const auto dir = log_dir();
  const std::string name = "redis-" + std::to_string(port_) + "-" + std::to_string(::getpid());
  log_path_ = (dir / (name + ".log")).string();
  std::vector<std::string> argv = {find_redis_server()};
  if (options_.sentinel_of != 0) {
    // A sentinel rewrites its configuration file, so it needs one of its own.
    const auto conf = dir / (name + "-sentinel.conf");
    const std::string master = "127.0.0.1 " + std::to_string(options_.sentinel_of);
    std::ofstream(conf) << "sentinel monitor m " << master << " 1\n"
                        << "sentinel down-after-milliseconds m 1000\n"
                        << "sentinel failover-timeout m 5000\n";
    argv.insert(argv.end(), {conf.string(), "--sentinel"});
  }
  if (options_.tls) {
    const TestCertificates& certs = test_certificates();
    argv.insert(argv.end(), {"--port", "0", "--tls-port", std::to_string(port_), "--tls-cert-file",
                             certs.server_cert_file, "--tls-key-file", certs.server_key_file, "--tls-ca-cert-file",
                             certs.ca_file, "--tls-auth-clients", options_.mutual_tls ? "yes" : "no"});
  } else {
    argv.insert(argv.end(), {"--port", std::to_string(port_)});
  }
  argv.insert(argv.end(), {"--bind", "127.0.0.1", "--protected-mode", "no", "--dir", dir.string()});
  if (options_.sentinel_of == 0) argv.insert(argv.end(), {"--save", "", "--appendonly", "no"});
  if (!options_.password.empty()) argv.insert(argv.end(), {"--requirepass", options_.password});
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  process_ = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{}, log_path_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (answers_ping(settings())) return;
    if (!process_->running()) break;  // e.g. port taken
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_.reset();
  throw std::runtime_error("redis-server on port " + std::to_string(port_) +
                           " did not answer PING; see " + log_path_);
}

}  // namespace switchyard::testing
