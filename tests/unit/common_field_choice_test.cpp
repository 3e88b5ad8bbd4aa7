// FieldChoice: the one parser and writer for a PSA picklist value in a command (canonical,
// {"label": ...} or {"id": ...}), its limits and its messages.
#include "common/field_choice.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace switchyard {
namespace {

constexpr std::array<std::string_view, 2> kLevels = {"low", "high"};

// Reads member "f" of `json` under path "payload".
Result<std::optional<FieldChoice>> read(const std::string& json, std::span<const std::string_view> allowed = {}) {
  static simdjson::dom::parser parser;
  simdjson::dom::object obj;
  EXPECT_EQ(parser.parse(json).get(obj), simdjson::SUCCESS) << json;
  return read_field_choice(obj, "f", "payload", allowed);
}

std::string written(const FieldChoice& c) {
  JsonWriter w;
  w.begin_object();
  write_field_choice(w, "f", c);
  w.end_object();
  return w.take();
}

TEST(FieldChoiceTest, ReadsEachForm) {
  EXPECT_EQ(*read(R"({"f":"in_progress"})"), FieldChoice::canonical("in_progress"));
  EXPECT_EQ(*read(R"({"f":{"label":"Waiting Customer"}})"), FieldChoice::label("Waiting Customer"));
  EXPECT_EQ(*read(R"({"f":{"id":"12"}})"), FieldChoice::id("12"));
  EXPECT_EQ(*read(R"({"f":{"id":12}})"), FieldChoice::id("12"));
  EXPECT_EQ(*read(R"({"f":{"label":"x","later":1}})"), FieldChoice::label("x"));  // unknown members ignored
}

TEST(FieldChoiceTest, AbsentOrNullIsNone) {
  EXPECT_EQ(*read(R"({})"), std::nullopt);
  EXPECT_EQ(*read(R"({"f":null})"), std::nullopt);
}

TEST(FieldChoiceTest, WritesTheFormItWasReadIn) {
  for (const std::string json : {R"({"f":"in_progress"})", R"({"f":{"label":"A \"quoted\" \u00e9 label"}})",
                                 R"({"f":{"id":"12"}})"}) {
    auto choice = read(json);
    ASSERT_TRUE(choice.ok() && *choice) << json;
    EXPECT_EQ(*read(written(**choice)), *choice) << json;
  }
  EXPECT_EQ(written(FieldChoice::canonical("high")), R"({"f":"high"})");
  EXPECT_EQ(written(FieldChoice::label("High")), R"({"f":{"label":"High"}})");
  EXPECT_EQ(written(FieldChoice::id("4")), R"({"f":{"id":"4"}})");
}

TEST(FieldChoiceTest, CanonicalValuesFollowTheListWhenGiven) {
  EXPECT_EQ(*read(R"({"f":"high"})", kLevels), FieldChoice::canonical("high"));
  auto other = read(R"({"f":"urgent"})", kLevels);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().message, "payload.f: must be one of low, high, or {\"label\": ...} or {\"id\": ...}");
  // A label or an id is never checked against the canonical list.
  EXPECT_EQ(*read(R"({"f":{"label":"Urgent"}})", kLevels), FieldChoice::label("Urgent"));
}

TEST(FieldChoiceTest, BoundsAndMessagesNameTheField) {
  const std::string max_label(100, 'L'), max_id(64, '9'), max_canonical(64, 'c');
  EXPECT_TRUE(read(R"({"f":{"label":")" + max_label + R"("}})").ok());
  EXPECT_TRUE(read(R"({"f":{"id":")" + max_id + R"("}})").ok());
  EXPECT_TRUE(read(R"({"f":")" + max_canonical + R"("})").ok());
  std::string accented;
  for (int i = 0; i < 100; ++i) accented += "\xC3\xA9";  // 100 characters, 200 bytes
  EXPECT_TRUE(read(R"({"f":{"label":")" + accented + R"("}})").ok());

  const std::pair<std::string, std::string> cases[] = {
      {R"({"f":{"label":")" + max_label + R"(L"}})", "payload.f.label: must be 1 to 100 characters"},
      {R"({"f":{"label":""}})", "payload.f.label: must be 1 to 100 characters"},
      {R"({"f":{"label":"tab\there"}})", "payload.f.label: must be 1 to 100 characters, without control characters"},
      {R"({"f":{"label":7}})", "payload.f.label: must be a string"},
      {R"({"f":{"id":")" + max_id + R"(9"}})", "payload.f.id: must be 1 to 64 characters"},
      {R"({"f":{"id":""}})", "payload.f.id: must not be empty"},
      {R"({"f":{"id":true}})", "payload.f.id: must be a string or an integer"},
      {R"({"f":{"id":1,"label":"x"}})", "payload.f: must have exactly one of label, id"},
      {R"({"f":{}})", "payload.f: must have exactly one of label, id"},
      {R"({"f":")" + max_canonical + R"(c"})", "payload.f: must be 1 to 64 characters of a-z 0-9 _ -"},
      {R"({"f":""})", "payload.f: must be 1 to 64 characters of a-z 0-9 _ -"},
      {R"({"f":"In Progress"})", "payload.f: must be 1 to 64 characters of a-z 0-9 _ -"},
      {R"({"f":3})", "payload.f: must be a string, {\"label\": ...} or {\"id\": ...}"},
      {R"({"f":["a"]})", "payload.f: must be a string, {\"label\": ...} or {\"id\": ...}"},
  };
  for (const auto& [json, message] : cases) {
    auto r = read(json);
    ASSERT_FALSE(r.ok()) << "accepted: " << json;
    EXPECT_EQ(r.error().code, "invalid_field") << json;
    EXPECT_EQ(r.error().message.rfind(message, 0), 0u) << json << " → " << r.error().message;
  }
}

}  // namespace
}  // namespace switchyard
