// JsonKey (common/json_writer.h): a member name written as a literal skips the escape scan. These
// tests hold it to the escaping path: the same document either way, and a literal that would need
// escaping refused in debug builds rather than written raw.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/json_writer.h"

namespace switchyard {
namespace {

TEST(JsonKeyTest, ALiteralNameWritesWhatTheEscapingPathWrites) {
  const std::string value = "Printer \"down\"";
  JsonWriter literal;
  literal.begin_object().field("id", int64_t{7}).key("tags").begin_array().value("a").end_array();
  literal.field("summary", value).key("nested").begin_object().field("ok", true).end_object().end_object();

  JsonWriter dynamic;
  const std::string id = "id", tags = "tags", summary = "summary", nested = "nested", ok = "ok";
  dynamic.begin_object().field(std::string_view(id), int64_t{7}).key(std::string_view(tags)).begin_array();
  dynamic.value("a").end_array().field(std::string_view(summary), value).key(std::string_view(nested));
  dynamic.begin_object().field(std::string_view(ok), true).end_object().end_object();

  EXPECT_EQ(literal.str(), dynamic.str());
  EXPECT_EQ(literal.str(), R"({"id":7,"tags":["a"],"summary":"Printer \"down\"","nested":{"ok":true}})");
}

TEST(JsonKeyTest, AKeyPassedAsJsonKeyKeepsItsCommas) {
  const auto write = [](JsonWriter& w, JsonKey name, std::string_view v) { w.field(name, v); };
  JsonWriter w;
  w.begin_object();
  write(w, "first", "1");
  write(w, "second", "2");
  w.end_object();
  EXPECT_EQ(w.str(), R"({"first":"1","second":"2"})");
}

TEST(JsonKeyTest, OnlyPlainTextIsAPlainKey) {
  EXPECT_TRUE(JsonKey::is_plain("caused_by_command"));
  EXPECT_TRUE(JsonKey::is_plain(""));
  EXPECT_FALSE(JsonKey::is_plain("a\"b"));
  EXPECT_FALSE(JsonKey::is_plain("a\\b"));
  EXPECT_FALSE(JsonKey::is_plain("line\nbreak"));
  EXPECT_FALSE(JsonKey::is_plain(std::string_view("nul\0inside", 10)));
}

#ifndef NDEBUG
TEST(JsonKeyDeathTest, ALiteralThatNeedsEscapingIsRefusedInDebugBuilds) {
  EXPECT_DEATH({ JsonKey key("a\"b"); (void)key; }, "needs no escaping");
}
#endif

}  // namespace
}  // namespace switchyard
