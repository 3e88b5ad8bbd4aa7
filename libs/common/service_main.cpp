#include "common/service_main.h"

#include <csignal>
#include <exception>
#include <string>

#include "common/allocator.h"
#include "common/log.h"
#include "common/redis_eviction_check.h"

namespace switchyard {

int run_service(std::string_view service, const StartService& start) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts; sigwait below

  const std::string name(service);
  log::init(name, log::Level::Info);
  const long release_delay_ms = tune_allocator();
  log::info("starting", {{"allocator", allocator_name()}, {"allocator_release_delay_ms", static_cast<int64_t>(release_delay_ms)}});
  try {
    const Env env;
    ServiceConfig config = load_service_config(env, service);
    log::init(name, config.log_level);
    // Refuses a Redis that may evict keys (SWITCHYARD_REDIS_ALLOW_EVICTION overrides).
    require_redis_without_eviction(config.redis, env);
    const std::function<void()> stop = start(env, std::move(config));
    int sig = 0;
    sigwait(&signals, &sig);
    log::info("shutting down", {{"signal", sig}});
    stop();
    return 0;
  } catch (const ConfigError& e) {
    log::error("invalid configuration", {{"error", e.what()}});
    return 2;
  } catch (const std::exception& e) {
    log::error("fatal", {{"error", e.what()}});
    return 1;
  }
}

}  // namespace switchyard
