// Sentinel discovery against real servers: a master, its replica and one sentinel. Writes go to
// the master the sentinel names; after the master dies and the sentinel promotes the replica,
// the client's next calls (once the old connection has failed) land on the new master.
#include <gtest/gtest.h>

#include "common/redis_client.h"
#include "support/eventually.h"
#include "support/free_port.h"
#include "support/redis_server.h"

namespace switchyard::testing {
namespace {

bool replica_link_up(RedisClient& replica) {
  auto info = replica.command({"INFO", "replication"});
  return info && info->str.find("master_link_status:up") != std::string::npos;
}

int sentinel_master_port(RedisClient& sentinel) {
  auto addr = sentinel.command({"SENTINEL", "get-master-addr-by-name", "m"});
  if (!addr || addr->type != RedisReply::Type::Array || addr->elements.size() != 2) return 0;
  return std::stoi(addr->elements[1].str);
}

RedisSettings through_sentinel(const RedisServer& sentinel) {
  RedisSettings settings;
  settings.host = "must-not-be-used.invalid";  // discovery replaces host and port
  settings.port = 1;
  settings.sentinel.sentinels = {{"127.0.0.1", free_port()}, {"127.0.0.1", sentinel.port()}};  // the first is down
  settings.sentinel.master_name = "m";
  settings.timeout = std::chrono::milliseconds(1000);
  return settings;
}

TEST(RedisSentinelTest, NextCallsAfterAFailoverLandOnTheNewMaster) {
  RedisServer master;
  RedisServer replica(RedisServerOptions::with_args({"--replicaof", "127.0.0.1", std::to_string(master.port())}));
  RedisClient replica_admin(replica.settings());
  ASSERT_TRUE(eventually([&] { return replica_link_up(replica_admin); }, 10s));
  RedisServer sentinel(RedisServerOptions::sentinel_monitoring(master.port()));
  RedisClient sentinel_admin(sentinel.settings());
  // The sentinel learns of the replica from the master's INFO; a failover needs one.
  ASSERT_TRUE(eventually(
      [&] {
        auto replicas = sentinel_admin.command({"SENTINEL", "replicas", "m"});
        return replicas && replicas->type == RedisReply::Type::Array && !replicas->elements.empty();
      },
      15s));

  RedisClient redis(through_sentinel(sentinel));
  auto before = redis.checked_command({"SET", "before", "1"});
  ASSERT_TRUE(before) << before.error().message;
  RedisClient master_admin(master.settings());
  auto on_master = master_admin.command({"GET", "before"});
  ASSERT_TRUE(on_master);
  EXPECT_EQ(on_master->str, "1");
  // Asynchronous replication: wait until the replica has it, as a failover could lose it.
  ASSERT_TRUE(redis.checked_command({"WAIT", "1", "2000"}));

  // The master dies: the sentinel finds it down after 1 s and promotes the replica. A failover
  // can abort (say, when the replica's last INFO is too old) and is tried again only after twice
  // the failover-timeout (10 s): room for a few tries on a loaded machine (one took over 20 s
  // in the sanitizer suite).
  master.stop();
  ASSERT_TRUE(eventually([&] { return sentinel_master_port(sentinel_admin) == replica.port(); }, 60s, 100ms));

  // The old connection fails; a call after that rediscovers and writes to the new master.
  int failed_calls = 0;
  ASSERT_TRUE(eventually(
      [&] {
        if (redis.checked_command({"SET", "after", "2"})) return true;
        ++failed_calls;
        return false;
      },
      15s, 100ms));
  RedisClient new_master(replica.settings());  // the sentinel disconnected replica_admin
  auto on_new_master = new_master.command({"GET", "after"});
  ASSERT_TRUE(on_new_master);
  EXPECT_EQ(on_new_master->str, "2");
  auto kept = new_master.command({"GET", "before"});
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->str, "1");
  auto role = redis.checked_command({"ROLE"});
  ASSERT_TRUE(role);
  EXPECT_EQ(role->elements.at(0).str, "master");
  EXPECT_GE(failed_calls, 1);  // the connection to the dead master failed first
}

TEST(RedisSentinelTest, ANodeThatIsNoLongerMasterIsDroppedUntilItIsAgain) {
  RedisServer master;
  RedisServer elsewhere;
  RedisServer sentinel(RedisServerOptions::sentinel_monitoring(master.port()));
  RedisClient master_admin(master.settings());
  // The node the sentinel still names becomes a replica (as a demoted master would) before the
  // sentinel has noticed (it reads INFO every 10 s).
  ASSERT_TRUE(master_admin.checked_command({"REPLICAOF", "127.0.0.1", std::to_string(elsewhere.port())}));

  RedisSettings settings;
  settings.sentinel.sentinels = {{"127.0.0.1", sentinel.port()}};
  settings.sentinel.master_name = std::string("m");
  RedisClient redis(settings);
  auto refused = redis.command({"PING"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "redis_unavailable");
  EXPECT_NE(refused.error().message.find("is not a master"), std::string::npos) << refused.error().message;

  ASSERT_TRUE(master_admin.checked_command({"REPLICAOF", "NO", "ONE"}));
  auto set = redis.checked_command({"SET", "k", "v"});  // discovery and ROLE again, now a master
  ASSERT_TRUE(set) << set.error().message;
}

TEST(RedisSentinelTest, NoSentinelAnsweringIsAnErrorNamingThem) {
  RedisSettings settings;
  const uint16_t down = free_port();
  // Aggregate-initialised: assigning "m" here trips a GCC 12 false -Wrestrict warning.
  settings.sentinel = RedisSentinelSettings{{{"127.0.0.1", down}}, "m", "", "sentinel-secret-77"};
  RedisClient redis(settings);
  auto reply = redis.command({"PING"});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, "redis_unavailable");
  std::string sentinel_address = "127.0.0.1:";
  sentinel_address += std::to_string(down);  // not "a" + b: GCC 12 warns falsely (-Wrestrict) on that
  EXPECT_NE(reply.error().message.find(sentinel_address), std::string::npos) << reply.error().message;
  EXPECT_EQ(reply.error().message.find("sentinel-secret-77"), std::string::npos);
}

TEST(RedisSentinelTest, UnknownMasterNameIsAnError) {
  RedisServer master;
  RedisServer sentinel(RedisServerOptions::sentinel_monitoring(master.port()));
  RedisSettings settings;
  settings.sentinel.sentinels = {{"127.0.0.1", sentinel.port()}};
  settings.sentinel.master_name = "not-monitored";
  RedisClient redis(settings);
  auto reply = redis.command({"PING"});
  ASSERT_FALSE(reply);
  EXPECT_NE(reply.error().message.find("not-monitored"), std::string::npos) << reply.error().message;
}

}  // namespace
}  // namespace switchyard::testing
