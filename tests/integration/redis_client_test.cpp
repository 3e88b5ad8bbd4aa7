// RedisClient against a real redis-server: replies, pipelining, reconnect after an outage,
// timeouts, and that errors never carry the password.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/redis_client.h"
#include "common/resp_encode.h"
#include "support/eventually.h"
#include "support/free_port.h"
#include "support/redis_server.h"

namespace switchyard::testing {
namespace {

using Type = RedisReply::Type;

TEST(RedisClientTest, CommandRepliesOfEveryType) {
  RedisServer server;
  RedisClient redis(server.settings());

  auto set = redis.command({"SET", "k", std::string("a\0b", 3)});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->type, Type::Status);
  EXPECT_EQ(set->str, "OK");

  auto get = redis.command({"GET", "k"});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->type, Type::String);
  EXPECT_EQ(get->str, std::string("a\0b", 3));  // binary safe

  auto missing = redis.command({"GET", "missing"});
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->is_nil());

  auto incr = redis.command({"INCRBY", "n", "41"});
  ASSERT_TRUE(incr);
  EXPECT_EQ(incr->type, Type::Integer);
  EXPECT_EQ(incr->integer, 41);

  ASSERT_TRUE(redis.command({"RPUSH", "list", "x", "y"}));
  auto range = redis.command({"LRANGE", "list", "0", "-1"});
  ASSERT_TRUE(range);
  ASSERT_EQ(range->type, Type::Array);
  ASSERT_EQ(range->elements.size(), 2u);
  EXPECT_EQ(range->elements[1].str, "y");

  // A Redis error reply is a reply, not a failed call.
  auto wrong_type = redis.command({"INCR", "list"});
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ(wrong_type->type, Type::Error);
  EXPECT_NE(wrong_type->str.find("WRONGTYPE"), std::string::npos);
  EXPECT_TRUE(redis.ping());
}

TEST(RedisClientTest, CheckedCommandTurnsAnErrorReplyIntoAnError) {
  RedisServer server;
  RedisClient client(server.settings());
  ASSERT_TRUE(client.command({"HSET", "a-hash", "f", "v"}).ok());
  auto plain = client.command({"GET", "a-hash"});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->type, RedisReply::Type::Error);
  auto checked = client.checked_command({"GET", "a-hash"});
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("WRONGTYPE"), std::string::npos) << checked.error().message;
  auto fine = client.checked_command({"SET", "a-string", "v"});
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ(fine->type, RedisReply::Type::Status);
}

TEST(RedisClientTest, PipelineReturnsRepliesInOrder) {
  RedisServer server;
  RedisClient redis(server.settings());
  auto replies = redis.pipeline({{"SET", "a", "1"}, {"INCR", "a"}, {"GET", "a"}, {"GET", "nope"}});
  ASSERT_TRUE(replies) << replies.error().message;
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[0].str, "OK");
  EXPECT_EQ((*replies)[1].integer, 2);
  EXPECT_EQ((*replies)[2].str, "2");
  EXPECT_TRUE((*replies)[3].is_nil());

  auto empty = redis.pipeline(std::vector<std::vector<std::string>>{});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  empty = redis.pipeline(RespPipeline{});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(RedisClientTest, ReconnectsOnTheNextCallAfterARestart) {
  RedisServer server;
  RedisClient redis(server.settings());
  ASSERT_TRUE(redis.ping());

  server.stop();
  auto during = redis.command({"PING"});
  ASSERT_FALSE(during);
  EXPECT_EQ(during.error().code, "redis_unavailable");
  EXPECT_FALSE(redis.command({"PING"}));  // still down: connecting fails, no crash

  server.start();
  EXPECT_TRUE(eventually([&] { return redis.ping(); }, 5s));
  auto set = redis.command({"SET", "after", "restart"});
  ASSERT_TRUE(set);
  EXPECT_EQ(set->str, "OK");
}

TEST(RedisClientTest, PasswordAndDatabaseAreAppliedOnConnect) {
  RedisServer server("correct-horse-battery");
  auto settings = server.settings();
  settings.db = 3;
  RedisClient redis(settings);
  ASSERT_TRUE(redis.command({"SET", "in-db-3", "yes"}));

  auto db0_settings = server.settings();
  RedisClient db0(db0_settings);
  auto in_db0 = db0.command({"GET", "in-db-3"});
  ASSERT_TRUE(in_db0);
  EXPECT_TRUE(in_db0->is_nil());
}

TEST(RedisClientTest, WrongPasswordErrorDoesNotContainThePassword) {
  RedisServer server("correct-horse-battery");
  auto settings = server.settings();
  settings.password = "wrong-pa55word-xyz";
  RedisClient redis(settings);
  auto reply = redis.command({"PING"});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, "redis_auth");
  EXPECT_EQ(reply.error().message.find("wrong-pa55word-xyz"), std::string::npos) << reply.error().message;
  EXPECT_EQ(reply.error().message.find("correct-horse-battery"), std::string::npos);
}

TEST(RedisClientTest, UnansweredCommandTimesOut) {
  // A socket that accepts connections (kernel backlog) but never answers.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);

  RedisSettings settings;
  settings.port = ntohs(addr.sin_port);
  settings.timeout = 300ms;
  RedisClient redis(settings);
  const auto start = std::chrono::steady_clock::now();
  auto reply = redis.command({"PING"});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ::close(fd);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, "redis_unavailable");
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 3s);
}

TEST(RedisClientTest, ConnectionRefusedIsAnError) {
  RedisSettings settings;
  settings.port = free_port();
  RedisClient redis(settings);
  auto reply = redis.command({"PING"});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, "redis_unavailable");
  EXPECT_FALSE(redis.ping());
}

TEST(RedisClientTest, AclUserAndPasswordAreUsedOnConnect) {
  RedisServer server;
  RedisClient admin(server.settings());
  // Just the commands this test needs, as an operator would grant the services theirs.
  auto setuser = admin.checked_command({"ACL", "SETUSER", "switchyard", "on", ">s3cret-acl-pw", "~*", "+ping", "+set",
                                        "+get", "+eval", "+evalsha", "+script"});
  ASSERT_TRUE(setuser) << setuser.error().message;

  auto settings = parse_redis_url("redis://switchyard:s3cret-acl-pw@127.0.0.1:" + std::to_string(server.port()));
  ASSERT_TRUE(settings);
  RedisClient redis(*settings);
  auto set = redis.checked_command({"SET", "acl-key", "v"});
  ASSERT_TRUE(set) << set.error().message;
  auto who = admin.checked_command({"CLIENT", "LIST"});
  ASSERT_TRUE(who);
  EXPECT_NE(who->str.find("user=switchyard"), std::string::npos) << who->str;
  // Commands the user was not granted are refused by Redis, as a reply.
  auto denied = redis.command({"FLUSHALL"});
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->type, RedisReply::Type::Error);
}

TEST(RedisClientTest, WrongAclPasswordIsAnAuthErrorWithoutThePassword) {
  RedisServer server;
  RedisClient admin(server.settings());
  ASSERT_TRUE(admin.checked_command({"ACL", "SETUSER", "switchyard", "on", ">right-pw-123", "~*", "+@all"}));
  auto settings = parse_redis_url("redis://switchyard:wr%40ng-pw-456@127.0.0.1:" + std::to_string(server.port()));
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->password, "wr@ng-pw-456");
  RedisClient redis(*settings);
  auto reply = redis.command({"PING"});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, "redis_auth");
  EXPECT_NE(reply.error().message.find("WRONGPASS"), std::string::npos) << reply.error().message;
  EXPECT_EQ(reply.error().message.find("wr@ng-pw-456"), std::string::npos) << reply.error().message;
  EXPECT_EQ(reply.error().message.find("right-pw-123"), std::string::npos);
}

TEST(RedisClientTest, OversizedReplyIsRefusedAndTheConnectionDropped) {
  RedisServer server;
  auto settings = server.settings();
  settings.max_reply_bytes = 1024;
  RedisClient redis(settings);
  ASSERT_TRUE(redis.checked_command({"SET", "big", std::string(4096, 'x')}));
  auto big = redis.command({"GET", "big"});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, "redis_unavailable");
  EXPECT_NE(big.error().message.find("larger than"), std::string::npos) << big.error().message;
  EXPECT_TRUE(redis.ping());  // reconnected
}

}  // namespace
}  // namespace switchyard::testing
