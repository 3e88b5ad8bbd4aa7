#include "chaos_redis.h"

#include <hiredis/hiredis.h>
#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "support/free_port.h"

namespace switchyard::chaos {
namespace {

bool answers_ping(uint16_t port) {
  const timeval tv{0, 200 * 1000};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (!c) return false;
  bool ok = false;
  if (!c->err) {
    redisSetTimeout(c, tv);
    auto* reply = static_cast<redisReply*>(redisCommand(c, "PING"));
    ok = reply && reply->type == REDIS_REPLY_STATUS && std::string(reply->str) == "PONG";
    if (reply) freeReplyObject(reply);
  }
  redisFree(c);
  return ok;
}

}  // namespace

ChaosRedis::ChaosRedis(std::filesystem::path data_dir, std::string log_path)
    : dir_(std::move(data_dir)), log_path_(std::move(log_path)) {
  std::filesystem::create_directories(dir_);
  // Another process may take the free port before redis binds it: try a few.
  for (int attempt = 0;; ++attempt) {
    port_ = testing::free_port();
    try {
      launch();
      return;
    } catch (const std::exception&) {
      if (attempt == 2) throw;
    }
  }
}

ChaosRedis::~ChaosRedis() { kill(); }

void ChaosRedis::launch() {
  const std::vector<std::string> argv = {
      "redis-server", "--port",      std::to_string(port_), "--bind", "127.0.0.1",     "--protected-mode", "no",
      "--dir",        dir_.string(), "--appendonly",        "yes",    "--appendfsync", "always",           "--save",
      "3600 1"};
  process_ = std::make_unique<testing::ChildProcess>(argv, std::map<std::string, std::string>{}, log_path_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    if (answers_ping(port_)) return;
    if (!process_->running()) break;  // e.g. port taken
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_.reset();
  throw std::runtime_error("redis-server on port " + std::to_string(port_) + " did not answer PING; see " + log_path_);
}

void ChaosRedis::kill() {
  if (!process_) return;
  ::kill(process_->pid(), SIGKILL);
  process_->wait();
  process_.reset();
}

void ChaosRedis::crash_and_restart() {
  kill();
  launch();
}

void ChaosRedis::graceful_restart() {
  process_->terminate(std::chrono::seconds(10));
  process_.reset();
  launch();
}

void ChaosRedis::restart_losing_data() {
  kill();
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) std::filesystem::remove_all(entry.path());
  launch();
}

}  // namespace switchyard::chaos
