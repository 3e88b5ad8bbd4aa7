// parse_redis_url, load_redis_settings (SWITCHYARD_REDIS_*), the sentinel list, INFO memory,
// and the shared percent decoder, without a Redis.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/redis_config.h"
#include "common/redis_eviction_check.h"
#include "common/redis_sentinel.h"
#include "common/text.h"
#include "support/env_map.h"

namespace switchyard {
namespace {

using switchyard::testing::env_of;

std::string write_temp_file(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  std::ofstream(path) << content;
  return path.string();
}

TEST(RedisUrlTest, ParsesAllParts) {
  auto s = parse_redis_url("redis://:p%40ss%2Fw@cache.internal:6380/2");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->host, "cache.internal");
  EXPECT_EQ(s->port, 6380);
  EXPECT_TRUE(s->user.empty());
  EXPECT_EQ(s->password, "p@ss/w");
  EXPECT_EQ(s->db, 2);
  EXPECT_FALSE(s->tls.enabled);

  auto plain = parse_redis_url("redis://localhost");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->host, "localhost");
  EXPECT_EQ(plain->port, 6379);
  EXPECT_EQ(plain->db, 0);
  EXPECT_TRUE(plain->password.empty());

  auto v6 = parse_redis_url("redis://default:pw@[::1]:7000/");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 7000);
  EXPECT_EQ(v6->user, "default");
  EXPECT_EQ(v6->password, "pw");
}

TEST(RedisUrlTest, UserPasswordTlsAndPercentDecoding) {
  auto acl = parse_redis_url("rediss://sw%2Bitch:pa%3Ass%40w:rd@redis.example:6380/5");
  ASSERT_TRUE(acl) << acl.error().message;
  EXPECT_TRUE(acl->tls.enabled);
  EXPECT_EQ(acl->user, "sw+itch");
  EXPECT_EQ(acl->password, "pa:ss@w:rd");  // only the first ':' separates user and password
  EXPECT_EQ(acl->host, "redis.example");
  EXPECT_EQ(acl->port, 6380);
  EXPECT_EQ(acl->db, 5);

  auto lone = parse_redis_url("redis://only-a-password@h");
  ASSERT_TRUE(lone);
  EXPECT_TRUE(lone->user.empty());
  EXPECT_EQ(lone->password, "only-a-password");

  auto unencoded = parse_redis_url("redis://u:a@b/c@h:1");  // the last '@' ends the credentials
  ASSERT_TRUE(unencoded);
  EXPECT_EQ(unencoded->password, "a@b/c");
  EXPECT_EQ(unencoded->host, "h");
}

TEST(RedisUrlTest, RejectsBadUrlsWithoutEchoingThePassword) {
  for (const char* url : {"http://h", "redis://", "rediss://", "redis://h:0", "redis://h:99999", "redis://h:x",
                          "redis://h/-1", "redis://h/x", "redis://h?timeout=1", "redis://[::1", "redis://u%zz:p@h",
                          "redis:/h", "REDIS://h"}) {
    auto s = parse_redis_url(url);
    EXPECT_FALSE(s) << url;
    if (!s) {
      EXPECT_EQ(s.error().code, "invalid_redis_url");
    }
  }
  for (const char* url : {"redis://:sekrit%zz@h", "redis://:sekrit@h:nope", "redis://u:sekrit%4@h",
                          "rediss://u:sekrit@h/db"}) {
    auto bad = parse_redis_url(url);
    ASSERT_FALSE(bad) << url;
    EXPECT_EQ(bad.error().message.find("sekrit"), std::string::npos) << bad.error().message;
  }
}

TEST(PercentDecodeTest, LenientAndStrict) {
  EXPECT_EQ(percent_decode("a%20b+c%2F"), "a b+c/");
  EXPECT_EQ(percent_decode("a%20b+c", /*plus_is_space=*/true), "a b c");
  EXPECT_EQ(percent_decode("100%"), "100%");  // malformed escapes stay as they are
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(percent_decode_strict("p%40ss"), "p@ss");
  EXPECT_EQ(percent_decode_strict("%00"), std::string(1, '\0'));
  EXPECT_FALSE(percent_decode_strict("100%"));
  EXPECT_FALSE(percent_decode_strict("%4"));
  EXPECT_FALSE(percent_decode_strict("%g0"));
}

TEST(RedisConfigTest, ReadsTlsPasswordFileAndSentinels) {
  const std::string password_file = write_temp_file("redis-password", "from-a-secret\n");
  const std::string sentinel_password_file = write_temp_file("sentinel-password", "sentinel-secret");
  const RedisSettings s = load_redis_settings(env_of({
      {"SWITCHYARD_REDIS_URL", "rediss://switchyard:@redis:6380/1"},
      {"SWITCHYARD_REDIS_PASSWORD_FILE", password_file},
      {"SWITCHYARD_REDIS_TLS_CA_FILE", "/etc/ca.pem"},
      {"SWITCHYARD_REDIS_TLS_CERT_FILE", "/etc/client.pem"},
      {"SWITCHYARD_REDIS_TLS_KEY_FILE", "/etc/client.key"},
      {"SWITCHYARD_REDIS_TLS_SERVER_NAME", "redis.internal"},
      {"SWITCHYARD_REDIS_SENTINELS", "s1:26379, [::1]:26380"},
      {"SWITCHYARD_REDIS_SENTINEL_MASTER", "mymaster"},
      {"SWITCHYARD_REDIS_SENTINEL_USER", "sentinel-user"},
      {"SWITCHYARD_REDIS_SENTINEL_PASSWORD_FILE", sentinel_password_file},
  }));
  std::filesystem::remove(password_file);
  std::filesystem::remove(sentinel_password_file);
  EXPECT_TRUE(s.tls.enabled);
  EXPECT_EQ(s.tls.ca_file, "/etc/ca.pem");
  EXPECT_EQ(s.tls.cert_file, "/etc/client.pem");
  EXPECT_EQ(s.tls.key_file, "/etc/client.key");
  EXPECT_EQ(s.tls.server_name, "redis.internal");
  EXPECT_FALSE(s.tls.insecure_skip_verify);
  ASSERT_EQ(s.sentinel.sentinels.size(), 2u);
  EXPECT_EQ(s.sentinel.sentinels[0], (std::pair<std::string, int>{"s1", 26379}));
  EXPECT_EQ(s.sentinel.sentinels[1], (std::pair<std::string, int>{"::1", 26380}));
  EXPECT_EQ(s.sentinel.master_name, "mymaster");
  EXPECT_EQ(s.sentinel.user, "sentinel-user");
  EXPECT_EQ(s.sentinel.password, "sentinel-secret");
  EXPECT_EQ(s.user, "switchyard");
  EXPECT_EQ(s.password, "from-a-secret");
  EXPECT_EQ(s.db, 1);
}

TEST(RedisConfigTest, PasswordFileWithAUserFromTheUrl) {
  const std::string password_file = write_temp_file("redis-password-2", "pw-from-file\n\n");
  const RedisSettings s = load_redis_settings(env_of({
      {"SWITCHYARD_REDIS_URL", "redis://switchyard:@redis:6379"},
      {"SWITCHYARD_REDIS_PASSWORD_FILE", password_file},
  }));
  std::filesystem::remove(password_file);
  EXPECT_EQ(s.user, "switchyard");
  EXPECT_EQ(s.password, "pw-from-file");
}

TEST(RedisConfigTest, RejectsContradictionsNamingTheVariable) {
  const auto error_of = [](std::map<std::string, std::string> vars) -> std::string {
    try {
      load_redis_settings(env_of(std::move(vars)));
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of({{"SWITCHYARD_REDIS_URL", "redis://h"}, {"SWITCHYARD_REDIS_TLS_CA_FILE", "/ca"}})
                .find("rediss://"),
            std::string::npos);
  EXPECT_NE(error_of({{"SWITCHYARD_REDIS_URL", "rediss://h"}, {"SWITCHYARD_REDIS_TLS_CERT_FILE", "/c"}})
                .find("SWITCHYARD_REDIS_TLS_KEY_FILE"),
            std::string::npos);
  EXPECT_NE(error_of({{"SWITCHYARD_REDIS_PASSWORD_FILE", "/does/not/exist"}}).find("SWITCHYARD_REDIS_PASSWORD_FILE"),
            std::string::npos);
  EXPECT_NE(error_of({{"SWITCHYARD_REDIS_SENTINELS", "s1:26379"}}).find("SWITCHYARD_REDIS_SENTINEL_MASTER"),
            std::string::npos);
  EXPECT_NE(error_of({{"SWITCHYARD_REDIS_SENTINELS", "s1"}, {"SWITCHYARD_REDIS_SENTINEL_MASTER", "m"}})
                .find("SWITCHYARD_REDIS_SENTINELS"),
            std::string::npos);
  EXPECT_NE(error_of({{"SWITCHYARD_REDIS_SENTINEL_MASTER", "m"}}).find("SWITCHYARD_REDIS_SENTINELS"),
            std::string::npos);
  const std::string url_error = error_of({{"SWITCHYARD_REDIS_URL", "redis://:hunter2-xyz@h:bad"}});
  EXPECT_NE(url_error.find("SWITCHYARD_REDIS_URL"), std::string::npos);
  EXPECT_EQ(url_error.find("hunter2-xyz"), std::string::npos);
  const std::string both = write_temp_file("redis-password-3", "file-pw");
  EXPECT_NE(error_of({{"SWITCHYARD_REDIS_URL", "redis://:url-pw@h"}, {"SWITCHYARD_REDIS_PASSWORD_FILE", both}})
                .find("keep one"),
            std::string::npos);
  std::filesystem::remove(both);
}

TEST(RedisSentinelListTest, ParsesAndRejects) {
  auto list = parse_sentinel_list("a:1,b:26379");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].first, "b");
  for (const char* bad : {"", "a", "a:", ":1", "a:0", "a:70000", "a:1,b"}) {
    EXPECT_FALSE(parse_sentinel_list(bad)) << bad;
  }
}

TEST(RedisEvictionPolicyTest, ParsesInfoMemory) {
  auto evicting = parse_info_memory("# Memory\r\nused_memory:1000\r\nmaxmemory:104857600\r\n"
                                    "maxmemory_human:100.00M\r\nmaxmemory_policy:allkeys-lru\r\n");
  ASSERT_TRUE(evicting) << evicting.error().message;
  EXPECT_EQ(evicting->maxmemory, 104857600);
  EXPECT_EQ(evicting->policy, "allkeys-lru");
  EXPECT_TRUE(evicting->may_evict());

  auto unlimited = parse_info_memory("maxmemory:0\r\nmaxmemory_policy:allkeys-lru\r\n");
  ASSERT_TRUE(unlimited);
  EXPECT_FALSE(unlimited->may_evict());
  auto noeviction = parse_info_memory("maxmemory:100\r\nmaxmemory_policy:noeviction\r\n");
  ASSERT_TRUE(noeviction);
  EXPECT_FALSE(noeviction->may_evict());

  EXPECT_FALSE(parse_info_memory("used_memory:1\r\n"));
  EXPECT_FALSE(parse_info_memory("maxmemory:lots\r\nmaxmemory_policy:noeviction\r\n"));
}

}  // namespace
}  // namespace switchyard
