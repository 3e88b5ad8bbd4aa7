// RedisClient over TLS (rediss://) against a real redis-server with a throwaway CA: commands,
// pipelines and scripts, a server the client does not trust, host name checks, mutual TLS.
#include <gtest/gtest.h>

#include "common/redis_client.h"
#include "support/redis_server.h"
#include "support/test_certificates.h"

namespace switchyard::testing {
namespace {

TEST(RedisTlsTest, CommandsPipelinesAndScriptsOverTls) {
  RedisServer server(RedisServerOptions::with_tls(false, "tls-pw"));
  auto settings = parse_redis_url(server.url() + "/2");
  ASSERT_TRUE(settings) << settings.error().message;
  ASSERT_TRUE(settings->tls.enabled);
  settings->tls.ca_file = test_certificates().ca_file;
  RedisClient redis(*settings);

  auto set = redis.checked_command({"SET", "k", std::string("a\0b", 3)});
  ASSERT_TRUE(set) << set.error().message;
  auto replies = redis.pipeline({{"INCR", "n"}, {"INCR", "n"}, {"GET", "k"}, {"GET", "missing"}});
  ASSERT_TRUE(replies) << replies.error().message;
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[1].integer, 2);
  EXPECT_EQ((*replies)[2].str, std::string("a\0b", 3));
  EXPECT_TRUE((*replies)[3].is_nil());

  std::string sha;
  auto script = redis.eval_script(sha, "return redis.call('INCRBY', KEYS[1], ARGV[1])", {"1", "n", "40"});
  ASSERT_TRUE(script) << script.error().message;
  EXPECT_EQ(script->integer, 42);
  EXPECT_FALSE(sha.empty());

  // A value larger than one TLS record and the read buffer.
  const std::string big(200 * 1024, 'v');
  ASSERT_TRUE(redis.checked_command({"SET", "big", big}));
  auto got = redis.checked_command({"GET", "big"});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->str, big);

  auto db = redis.checked_command({"CLIENT", "INFO"});
  ASSERT_TRUE(db);
  EXPECT_NE(db->str.find("db=2"), std::string::npos) << db->str;

  // Reconnects over TLS after the server restarts.
  server.stop();
  EXPECT_FALSE(redis.ping());
  server.start();
  EXPECT_TRUE(redis.ping());
}

TEST(RedisTlsTest, UntrustedServerIsRefusedWithAClearError) {
  RedisServer server(RedisServerOptions::with_tls());
  auto settings = server.settings();
  settings.tls.ca_file = test_certificates().other_ca_file;
  RedisClient redis(settings);
  auto reply = redis.command({"PING"});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, "redis_tls");
  EXPECT_NE(reply.error().message.find("certificate verify failed"), std::string::npos) << reply.error().message;
  EXPECT_NE(reply.error().message.find("SWITCHYARD_REDIS_TLS_CA_FILE"), std::string::npos);

  // Explicitly insecure: connects without verifying (test setups only).
  settings.tls.insecure_skip_verify = true;
  RedisClient insecure(settings);
  EXPECT_TRUE(insecure.ping());
}

TEST(RedisTlsTest, HostNameIsVerified) {
  RedisServer server(RedisServerOptions::with_tls());
  auto settings = server.settings();
  settings.tls.server_name = "localhost";  // in the certificate
  RedisClient right(settings);
  EXPECT_TRUE(right.ping());

  settings.tls.server_name = "redis.elsewhere.example";  // not in it
  RedisClient wrong(settings);
  auto reply = wrong.command({"PING"});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, "redis_tls");
}

TEST(RedisTlsTest, MutualTlsNeedsTheClientCertificate) {
  RedisServer server(RedisServerOptions::with_tls(true));
  RedisClient with_cert(server.settings());
  auto ok = with_cert.checked_command({"SET", "mtls", "yes"});
  ASSERT_TRUE(ok) << ok.error().message;

  auto settings = server.settings();
  settings.tls.cert_file.clear();
  settings.tls.key_file.clear();
  RedisClient without_cert(settings);
  EXPECT_FALSE(without_cert.command({"GET", "mtls"}));
}

TEST(RedisTlsTest, PlainClientAgainstTlsServerTimesOutOrFails) {
  RedisServer server(RedisServerOptions::with_tls());
  auto settings = server.settings();
  settings.tls.enabled = false;
  settings.timeout = std::chrono::milliseconds(500);
  RedisClient plain(settings);
  auto reply = plain.command({"PING"});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, "redis_unavailable");
}

}  // namespace
}  // namespace switchyard::testing
