#include "common/json_read.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::json {
namespace {

// Parses one object for a test; the parser must outlive the returned view.
simdjson::dom::object parse(simdjson::dom::parser& parser, const std::string& text) {
  return parser.parse(text).get_object().value();
}

// simdjson reads past the end of its input: a text with the padding readable after it is parsed
// where it is, any other is copied first.
TEST(JsonReadTest, PaddedViewCopiesOnlyWhenThePaddingIsNotThere) {
  std::string text = R"({"a":1})";
  text.reserve(text.size() + kPadding);
  std::string buffer;
  const auto in_place = padded_view(buffer, text, text.capacity() - text.size());
  EXPECT_EQ(in_place.data(), text.data());
  EXPECT_EQ(std::string_view(in_place), text);
  EXPECT_GE(in_place.capacity(), text.size() + kPadding);
  EXPECT_TRUE(buffer.empty());

  const auto copied = padded_view(buffer, text, kPadding - 1);
  EXPECT_NE(copied.data(), text.data());
  EXPECT_EQ(copied.data(), buffer.data());
  EXPECT_EQ(std::string_view(copied), text);
  EXPECT_GE(buffer.size(), text.size() + kPadding);
}

TEST(JsonReadTest, JoinPath) {
  EXPECT_EQ(join_path("", "b"), "b");
  EXPECT_EQ(join_path("a", "b"), "a.b");
  EXPECT_EQ(join_path("tenants[2]", "psa"), "tenants[2].psa");
  EXPECT_EQ(index_path("tenants", 2), "tenants[2]");
  EXPECT_EQ(index_path("", 0), "[0]");
}

TEST(JsonReadTest, RequiredStringPresentAbsentNullAndWrongType) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({"psa":"connectwise","n":null,"num":3})");

  auto ok = required_string(obj, "psa", "tenants[2]");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "connectwise");

  auto missing = required_string(obj, "name", "tenants[2]");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "missing_field");
  EXPECT_EQ(missing.error().message, "tenants[2].name: required");

  auto null_value = required_string(obj, "n", "");
  ASSERT_FALSE(null_value.ok());
  EXPECT_EQ(null_value.error().code, "missing_field");
  EXPECT_EQ(null_value.error().message, "n: required");

  auto wrong = required_string(obj, "num", "cfg");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "invalid_field");
  EXPECT_EQ(wrong.error().message, "cfg.num: must be a string");
}

TEST(JsonReadTest, StringsAreUnescaped) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({"s":"a\"b\nc\u00e9"})");
  auto s = required_string(obj, "s", "");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "a\"b\nc\xC3\xA9");
}

TEST(JsonReadTest, OptionalString) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({"a":"x","b":null,"c":true,"e":""})");
  EXPECT_EQ(optional_string(obj, "a", "").value(), std::optional<std::string>("x"));
  EXPECT_EQ(optional_string(obj, "b", "").value(), std::nullopt);
  EXPECT_EQ(optional_string(obj, "absent", "").value(), std::nullopt);
  EXPECT_EQ(optional_string(obj, "e", "").value(), std::optional<std::string>(""));
  auto wrong = optional_string(obj, "c", "root");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "invalid_field");
  EXPECT_EQ(wrong.error().message, "root.c: must be a string");
}

TEST(JsonReadTest, NumbersAcceptEveryJsonNumberKind) {
  simdjson::dom::parser parser;
  auto obj = parse(parser,
                   R"({"i":-7,"u":18446744073709551615,"d":2.5,"s":"3","n":null})");
  EXPECT_DOUBLE_EQ(required_number(obj, "i", "").value(), -7.0);
  EXPECT_DOUBLE_EQ(required_number(obj, "u", "").value(), 18446744073709551615.0);
  EXPECT_DOUBLE_EQ(required_number(obj, "d", "").value(), 2.5);

  auto text = required_number(obj, "s", "x");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, "invalid_field");
  EXPECT_EQ(text.error().message, "x.s: must be a number");

  auto missing = required_number(obj, "n", "x");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "x.n: required");

  EXPECT_EQ(optional_number(obj, "absent", "").value(), std::nullopt);
  EXPECT_EQ(optional_number(obj, "d", "").value(), std::optional<double>(2.5));
  EXPECT_FALSE(optional_number(obj, "s", "").ok());
}

TEST(JsonReadTest, OptionalIntRejectsFractionsAndOverflow) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({"i":-9223372036854775808,"f":1.5,"u":9223372036854775808,"s":"1"})");
  EXPECT_EQ(optional_int(obj, "i", "").value(), std::optional<int64_t>(INT64_MIN));
  EXPECT_EQ(optional_int(obj, "absent", "").value(), std::nullopt);

  auto fraction = optional_int(obj, "f", "p");
  ASSERT_FALSE(fraction.ok());
  EXPECT_EQ(fraction.error().message, "p.f: must be an integer");
  auto overflow = optional_int(obj, "u", "p");
  ASSERT_FALSE(overflow.ok());
  EXPECT_EQ(overflow.error().message, "p.u: out of range");
  EXPECT_FALSE(optional_int(obj, "s", "p").ok());
}

TEST(JsonReadTest, OptionalBoolUsesFallbackOnlyWhenAbsentOrNull) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({"t":true,"f":false,"n":null,"s":"true"})");
  EXPECT_TRUE(optional_bool(obj, "t", "", false).value());
  EXPECT_FALSE(optional_bool(obj, "f", "", true).value());
  EXPECT_TRUE(optional_bool(obj, "n", "", true).value());
  EXPECT_FALSE(optional_bool(obj, "absent", "", false).value());
  auto wrong = optional_bool(obj, "s", "flags", false);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message, "flags.s: must be a boolean");
}

TEST(JsonReadTest, ObjectsAndArrays) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({"o":{"k":"v"},"a":[1,2,3],"s":"x"})");

  auto inner = required_object(obj, "o", "root");
  ASSERT_TRUE(inner.ok());
  EXPECT_EQ(required_string(*inner, "k", "root.o").value(), "v");

  auto missing = required_object(obj, "absent", "root");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "root.absent: required");

  auto not_object = optional_object(obj, "a", "root");
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().message, "root.a: must be an object");
  EXPECT_FALSE(optional_object(obj, "absent", "").value().has_value());

  auto arr = optional_array(obj, "a", "");
  ASSERT_TRUE(arr.ok());
  ASSERT_TRUE(arr->has_value());
  EXPECT_EQ((*arr)->size(), 3u);
  EXPECT_FALSE(optional_array(obj, "absent", "").value().has_value());
  auto not_array = optional_array(obj, "o", "root");
  ASSERT_FALSE(not_array.ok());
  EXPECT_EQ(not_array.error().message, "root.o: must be an array");

  EXPECT_TRUE(required_array(obj, "a", "").ok());
  EXPECT_EQ(required_array(obj, "absent", "").error().code, "missing_field");
}

TEST(JsonReadTest, IdStringAcceptsNumbersAndStrings) {
  simdjson::dom::parser parser;
  auto obj = parse(parser,
                   R"({"n":42,"neg":-1,"big":18446744073709551615,"s":"abc-1","e":"",)"
                   R"("d":4.2,"b":true,"o":{},"z":null})");
  EXPECT_EQ(required_id(obj, "n", "").value(), "42");
  EXPECT_EQ(required_id(obj, "neg", "").value(), "-1");
  EXPECT_EQ(required_id(obj, "big", "").value(), "18446744073709551615");
  EXPECT_EQ(required_id(obj, "s", "").value(), "abc-1");

  auto empty = required_id(obj, "e", "rec");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "rec.e: must not be empty");
  for (const char* key : {"d", "b", "o"}) {
    auto bad = required_id(obj, key, "rec");
    ASSERT_FALSE(bad.ok()) << key;
    EXPECT_EQ(bad.error().code, "invalid_field");
    EXPECT_EQ(bad.error().message, "rec." + std::string(key) + ": must be a string or an integer");
  }

  EXPECT_EQ(optional_id(obj, "z", "").value(), std::nullopt);
  EXPECT_EQ(optional_id(obj, "absent", "").value(), std::nullopt);
  EXPECT_EQ(optional_id(obj, "n", "").value(), std::optional<std::string>("42"));
  EXPECT_EQ(required_id(obj, "z", "rec").error().message, "rec.z: required");

  // id_string names the path it is given, for ids read out of arrays.
  auto elem = obj["d"].value();
  EXPECT_EQ(id_string(elem, "ids[3]").error().message, "ids[3]: must be a string or an integer");
}

TEST(JsonReadTest, StringOrAndTypeName) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({"s":"v","n":1,"z":null,"a":[],"o":{},"b":false,"d":1.5})");
  EXPECT_EQ(string_or(obj["s"].value(), "fb"), "v");
  EXPECT_EQ(string_or(obj["n"].value(), "fb"), "fb");
  EXPECT_EQ(json_type_name(obj["s"].value()), "string");
  EXPECT_EQ(json_type_name(obj["n"].value()), "number");
  EXPECT_EQ(json_type_name(obj["d"].value()), "number");
  EXPECT_EQ(json_type_name(obj["z"].value()), "null");
  EXPECT_EQ(json_type_name(obj["a"].value()), "array");
  EXPECT_EQ(json_type_name(obj["o"].value()), "object");
  EXPECT_EQ(json_type_name(obj["b"].value()), "boolean");
}

TEST(JsonReadTest, RequiredBool) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({"t":true,"n":null,"s":"yes"})");
  EXPECT_TRUE(required_bool(obj, "t", "").value());
  EXPECT_EQ(required_bool(obj, "n", "p").error().message, "p.n: required");
  EXPECT_EQ(required_bool(obj, "absent", "p").error().code, "missing_field");
  EXPECT_EQ(required_bool(obj, "s", "p").error().message, "p.s: must be a boolean");
}

TEST(JsonReadTest, RequiredStringArrayNamesTheBadElement) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({"ok":["a","b"],"empty":[],"bad":["a",2],"s":"a"})");
  EXPECT_EQ(required_string_array(obj, "ok", "").value(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(required_string_array(obj, "empty", "").value().empty());
  auto bad = required_string_array(obj, "bad", "record");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "record.bad[1]: must be a string");
  EXPECT_EQ(required_string_array(obj, "s", "record").error().message,
            "record.s: must be an array");
  EXPECT_EQ(required_string_array(obj, "absent", "record").error().code, "missing_field");
}

struct Sample {
  std::string name;
  double quantity = 0;
  bool active = true;
  std::vector<std::string> tags;
  std::optional<std::string> note;
  std::optional<double> price;
  std::optional<int64_t> version;
  bool billable = true;
};

TEST(ObjectReaderTest, ReadsEveryKindOfMember) {
  simdjson::dom::parser parser;
  auto obj = parse(parser,
                   R"({"name":"n","quantity":2.5,"active":false,"tags":["x"],"note":"hi",)"
                   R"("price":3,"version":1})");
  Sample s;
  ObjectReader r(obj, "payload");
  r.required("name", s.name)
      .required("quantity", s.quantity)
      .required("active", s.active)
      .required("tags", s.tags)
      .optional("note", s.note)
      .optional("price", s.price)
      .optional("version", s.version)
      .optional("billable", s.billable);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(s.name, "n");
  EXPECT_DOUBLE_EQ(s.quantity, 2.5);
  EXPECT_FALSE(s.active);
  EXPECT_EQ(s.tags, std::vector<std::string>{"x"});
  EXPECT_EQ(s.note, std::optional<std::string>("hi"));
  EXPECT_EQ(s.price, std::optional<double>(3.0));
  EXPECT_EQ(s.version, std::optional<int64_t>(1));
  EXPECT_TRUE(s.billable);  // absent: default kept
  EXPECT_EQ(r.field("name"), "payload.name");
}

TEST(ObjectReaderTest, KeepsTheFirstErrorAndSkipsLaterReads) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({"quantity":"two","note":"later"})");
  Sample s;
  ObjectReader r(obj, "payload");
  r.required("quantity", s.quantity).required("name", s.name).optional("note", s.note);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "payload.quantity: must be a number");
  EXPECT_FALSE(s.note.has_value());  // skipped after the failure

  r.fail(make_error("other", "ignored"));
  EXPECT_EQ(r.error().code, "invalid_field");
}

TEST(ObjectReaderTest, FailRecordsCallerChecks) {
  simdjson::dom::parser parser;
  auto obj = parse(parser, R"({})");
  ObjectReader r(obj, "");
  EXPECT_TRUE(r.ok());
  r.fail(invalid_field(r.field("x"), "too long"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "x: too long");
}

}  // namespace
}  // namespace switchyard::json
