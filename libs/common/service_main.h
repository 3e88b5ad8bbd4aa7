// The part of main() every service shares: block SIGINT/SIGTERM (every thread inherits the
// mask; the main thread waits for them), start the JSON log, read the ServiceConfig, refuse a
// Redis that may evict keys (common/redis_eviction_check.h), build and start the service, wait
// for the signal, stop it. A ConfigError exits 2, any other exception 1.
#pragma once

#include <functional>
#include <string_view>

#include "common/env.h"
#include "common/service_config.h"

namespace switchyard {

// Builds and starts the service from the environment and its ServiceConfig (log level already
// applied); returns what stops it (and owns it).
using StartService = std::function<std::function<void()>(const Env& env, ServiceConfig config)>;

// The process's exit code.
int run_service(std::string_view service, const StartService& start);

}  // namespace switchyard
