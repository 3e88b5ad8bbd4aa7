// EchoMarks against a real redis-server: record sets every record's key to the command id with
// the TTL, lookup answers a batch in order ("" for records nobody wrote); an empty batch sends
// nothing to Redis.
#include <gtest/gtest.h>

#include <thread>

#include "common/echo_marks.h"
#include "support/redis_server.h"

namespace switchyard::testing {
namespace {

class EchoMarksTest : public ::testing::Test {
 protected:
  int64_t calls(const std::string& command) {
    auto reply = observer.command({"INFO", "commandstats"});
    if (!reply) return -1;
    const std::string needle = "cmdstat_" + command + ":calls=";
    const auto at = reply->str.find(needle);
    return at == std::string::npos ? 0 : std::stoll(reply->str.substr(at + needle.size()));
  }

  RedisServer server;
  RedisClient redis{server.settings()};
  RedisClient observer{server.settings()};
};

TEST_F(EchoMarksTest, RecordedMarksAreFoundWithTheirCommandUntilTheTtl) {
  EchoMarks marks(redis, std::chrono::seconds(120));
  const std::vector<EchoRecord> written = {{"acme", "ticket_note", "77"}, {"acme", "ticket", "42"}};
  ASSERT_TRUE(marks.record(written, "cmd-1").ok());

  auto stored = observer.command({"GET", "sy:echo:acme:ticket:42"});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->str, "cmd-1");
  auto ttl = observer.command({"TTL", "sy:echo:acme:ticket_note:77"});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 100);
  EXPECT_LE(ttl->integer, 120);

  // Another tenant's record of the same id, or another type, is not an echo.
  auto found = marks.lookup({{"acme", "ticket", "42"}, {"globex", "ticket", "42"}, {"acme", "company", "42"},
                             {"acme", "ticket_note", "77"}});
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, (std::vector<std::string>{"cmd-1", "", "", "cmd-1"}));

  // A later write of the record by another command takes the mark over.
  ASSERT_TRUE(marks.record({{"acme", "ticket", "42"}}, "cmd-2").ok());
  found = marks.lookup({{"acme", "ticket", "42"}});
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->front(), "cmd-2");
}

TEST_F(EchoMarksTest, MarksExpire) {
  EchoMarks marks(redis, std::chrono::seconds(1));
  ASSERT_TRUE(marks.record({{"acme", "ticket", "1"}}, "cmd-1").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto found = marks.lookup({{"acme", "ticket", "1"}});
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->front(), "");
}

TEST_F(EchoMarksTest, EmptyBatchesSendNothingAndABatchOneCommandARecord) {
  EchoMarks marks(redis, std::chrono::seconds(60));
  ASSERT_TRUE(marks.record({}, "cmd-0").ok());
  auto none = marks.lookup({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(calls("set"), 0);
  EXPECT_EQ(calls("get"), 0);

  std::vector<EchoRecord> many;
  for (int i = 0; i < 50; ++i) many.push_back({"acme", "ticket", std::to_string(i)});
  ASSERT_TRUE(marks.record(many, "cmd-3").ok());
  auto found = marks.lookup(many);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 50u);
  EXPECT_EQ(found->back(), "cmd-3");
  EXPECT_EQ(calls("set"), 50);
  EXPECT_EQ(calls("get"), 50);
}

TEST_F(EchoMarksTest, ARedisFailureIsAnError) {
  EchoMarks marks(redis, std::chrono::seconds(60));
  ASSERT_TRUE(observer.command({"HSET", "sy:echo:acme:ticket:9", "f", "v"}).ok());  // GET on a hash: WRONGTYPE
  EXPECT_FALSE(marks.lookup({{"acme", "ticket", "9"}}).ok());
  server.stop();
  EXPECT_FALSE(marks.record({{"acme", "ticket", "9"}}, "cmd-1").ok());
}

}  // namespace
}  // namespace switchyard::testing
