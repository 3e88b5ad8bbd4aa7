#include "support/redis_server.h"

#include <hiredis/hiredis.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "support/free_port.h"

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

bool answers_ping(uint16_t port, const std::string& password) {
  const timeval tv{0, 200 * 1000};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (!c) return false;
  bool ok = false;
  if (!c->err) {
    redisSetTimeout(c, tv);
    if (!password.empty()) {
      auto* auth = static_cast<redisReply*>(redisCommand(c, "AUTH %s", password.c_str()));
      if (auth) freeReplyObject(auth);
    }
    auto* reply = static_cast<redisReply*>(redisCommand(c, "PING"));
    ok = reply && reply->type == REDIS_REPLY_STATUS && std::string(reply->str) == "PONG";
    if (reply) freeReplyObject(reply);
  }
  redisFree(c);
  return ok;
}

std::filesystem::path log_dir() {
  std::filesystem::path dir = std::filesystem::path(SWITCHYARD_BINARY_DIR) / "test-logs";
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

RedisServer::RedisServer(std::string password) : password_(std::move(password)) {
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
  const std::string auth = password_.empty() ? "" : ":" + password_ + "@";
  return "redis://" + auth + "127.0.0.1:" + std::to_string(port_);
}

RedisSettings RedisServer::settings() const {
  RedisSettings s;
  s.host = "127.0.0.1";
  s.port = port_;
  s.password = password_;
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
  log_path_ = (dir / ("redis-" + std::to_string(port_) + "-" + std::to_string(::getpid()) + ".log")).string();
  std::vector<std::string> argv = {find_redis_server(), "--port", std::to_string(port_),
                                   "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                   "--protected-mode", "no", "--dir", dir.string()};
  if (!password_.empty()) {
    argv.push_back("--requirepass");
    argv.push_back(password_);
  }
  process_ = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{}, log_path_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (answers_ping(port_, password_)) return;
    if (!process_->running()) break;  // e.g. port taken
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_.reset();
  throw std::runtime_error("redis-server on port " + std::to_string(port_) +
                           " did not answer PING; see " + log_path_);
}

}  // namespace switchyard::testing
