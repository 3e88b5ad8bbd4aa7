// Redis commands are encoded by resp_encode (issue #18) instead of hiredis's
// redisFormatCommandArgv: byte for byte the same, for any argument (binary, empty, long).
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <stdexcept>

#include "common/resp_encode.h"

namespace switchyard {
namespace {

std::string hiredis_encoding(const std::vector<std::vector<std::string>>& commands) {
  std::string out;
  for (const auto& argv : commands) {
    std::vector<const char*> args;
    std::vector<size_t> lens;
    for (const auto& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    char* formatted = nullptr;
    const int len = redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), args.data(), lens.data());
    EXPECT_GT(len, 0);
    out.append(formatted, static_cast<size_t>(len));
    redisFreeCommand(formatted);
  }
  return out;
}

TEST(RespEncodeTest, MatchesHiredisByteForByte) {
  std::vector<std::string> many;
  for (int i = 0; i < 12; ++i) many.push_back(std::to_string(i * 1000));  // argc of two digits
  const std::vector<std::vector<std::vector<std::string>>> pipelines = {
      {},
      {{"PING"}},
      {{"SET", "sy:dedup:k", "pending:0123", "NX", "GET", "EX", "600"}, {"GET", "a"}, {"DEL", "b"}},
      {{"SET", "", ""}},
      {{"SET", "bin", std::string("a\0b\r\n$*\xff", 8)}},
      {{"XADD", "s", "*", "r", std::string(100000, 'x')}, {"EXPIRE", "s", "3600"}},
      {many},
  };
  for (const auto& commands : pipelines) {
    auto encoded = resp_encode(commands);
    ASSERT_TRUE(encoded.has_value());
    EXPECT_EQ(encoded->bytes(), hiredis_encoding(commands));
    EXPECT_EQ(encoded->size(), commands.size());
  }
  EXPECT_EQ(resp_encode({{"GET", "k"}})->bytes(), "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
}

TEST(RespEncodeTest, AnEmptyCommandIsRefused) {
  EXPECT_FALSE(resp_encode({{"GET", "k"}, {}}).has_value());
  RespPipeline pipeline;
  EXPECT_THROW(pipeline.add_argv({}), std::invalid_argument);
  EXPECT_TRUE(pipeline.empty());
}

// Arguments given as they are (literals, strings, views, two parts joined) encode as the same
// command built as a vector of strings would.
TEST(RespEncodeTest, ArgumentsWrittenInPlaceMatchTheBuiltCommands) {
  const std::string prefix = "sy:dedup:", key = "webhook:acme:ticket:42", binary("a\0b\r\n", 5);
  const std::string_view ttl = "600";
  RespPipeline pipeline;
  pipeline.add("SET", RespJoin{prefix, key}, RespJoin{"pending:", ""}, "NX", "GET", "EX", ttl);
  pipeline.add_argv({"GET", "k"});
  pipeline.add("XADD", binary, RespJoin{"", ""}, std::string(70000, 'r'));
  EXPECT_EQ(pipeline.size(), 3u);
  EXPECT_EQ(pipeline.bytes(), hiredis_encoding({{"SET", prefix + key, "pending:", "NX", "GET", "EX", "600"},
                                                {"GET", "k"},
                                                {"XADD", binary, "", std::string(70000, 'r')}}));
}

}  // namespace
}  // namespace switchyard
