// RedisSettings from the environment: SWITCHYARD_REDIS_URL plus the settings a URL cannot
// carry well (TLS files, a password file, Sentinel). docs/configuration.md lists them.
#pragma once

#include "common/env.h"
#include "common/redis_client.h"

namespace switchyard {

// Throws ConfigError naming the variable; messages never contain a password.
RedisSettings load_redis_settings(const Env& env);

}  // namespace switchyard
