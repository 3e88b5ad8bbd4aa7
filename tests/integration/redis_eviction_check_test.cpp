// The start-up eviction check against real redis-servers: an evicting policy is refused (unless
// overridden), noeviction and an unlimited maxmemory are accepted, an unreachable Redis only warns.
#include <gtest/gtest.h>


#include "common/redis_eviction_check.h"
#include "support/env_map.h"
#include "support/free_port.h"
#include "support/redis_server.h"

namespace switchyard::testing {
namespace {

TEST(RedisEvictionCheckTest, EvictingPolicyIsRefusedUnlessAllowed) {
  RedisServer server(RedisServerOptions::with_args({"--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"}));
  RedisClient redis(server.settings());
  auto checked = check_redis_eviction_policy(redis);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, "redis_evicts");

  try {
    require_redis_without_eviction(server.settings(), env_of({}));
    FAIL() << "an evicting Redis was accepted";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("maxmemory-policy"), std::string::npos) << message;
    EXPECT_NE(message.find("allkeys-lru"), std::string::npos) << message;
    EXPECT_NE(message.find("SWITCHYARD_REDIS_ALLOW_EVICTION"), std::string::npos) << message;
  }
  EXPECT_NO_THROW(require_redis_without_eviction(server.settings(), env_of({{"SWITCHYARD_REDIS_ALLOW_EVICTION", "true"}})));
}

TEST(RedisEvictionCheckTest, NoevictionIsAccepted) {
  RedisServer server(RedisServerOptions::with_args({"--maxmemory", "100mb", "--maxmemory-policy", "noeviction"}));
  RedisClient redis(server.settings());
  auto checked = check_redis_eviction_policy(redis);
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(checked->policy, "noeviction");
  EXPECT_NO_THROW(require_redis_without_eviction(server.settings(), env_of({})));
}

TEST(RedisEvictionCheckTest, UnlimitedMemoryIsAcceptedWhateverThePolicy) {
  RedisServer server(RedisServerOptions::with_args({"--maxmemory", "0", "--maxmemory-policy", "allkeys-lru"}));
  EXPECT_NO_THROW(require_redis_without_eviction(server.settings(), env_of({})));
}

TEST(RedisEvictionCheckTest, UnreachableRedisDoesNotFailTheStart) {
  RedisSettings settings;
  settings.port = free_port();
  settings.timeout = std::chrono::milliseconds(300);
  EXPECT_NO_THROW(require_redis_without_eviction(settings, env_of({})));
}

}  // namespace
}  // namespace switchyard::testing
