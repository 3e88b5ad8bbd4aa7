// append_json_string (common/json_writer.h) appends runs of plain bytes at once; these tests
// hold it (and any faster scan it may get, e.g. eight bytes at a time) to a byte-by-byte
// reference for every byte value at every position within a word, and for random strings.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "common/json_writer.h"

namespace switchyard {
namespace {

// The escaping JSON requires, one byte at a time (RFC 8259, section 7).
std::string reference(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string escaped(std::string_view s) {
  std::string out = "prefix:";
  append_json_string(out, s);
  return out.substr(7);
}

TEST(JsonStringTest, EveryByteValueAtEveryPositionOfAWord) {
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t length = 1; length <= 24; ++length) {
      for (size_t at = 0; at < length; ++at) {
        std::string s(length, 'a');
        s[at] = static_cast<char>(byte);
        ASSERT_EQ(escaped(s), reference(s)) << "byte " << byte << " at " << at << " of " << length;
      }
    }
  }
}

// A word scan can flag the byte above one to escape (a borrow: '#' after '"', ' ' after a control
// byte, 0x01 after 0x00 in a compare): every pair of byte values, side by side, at every position.
TEST(JsonStringTest, EveryPairOfAdjacentBytesAtEveryPositionOfAWord) {
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; ++second) {
      for (size_t at = 0; at + 1 < 16; ++at) {
        std::string s(16, 'a');
        s[at] = static_cast<char>(first);
        s[at + 1] = static_cast<char>(second);
        ASSERT_EQ(escaped(s), reference(s)) << "bytes " << first << ", " << second << " at " << at;
      }
    }
  }
}

TEST(JsonStringTest, BytesNextToTheThresholdsPassThrough) {
  // 0x1f is escaped, 0x20 is not; bytes above 0x7f (UTF-8) pass through unchanged.
  static constexpr char kBytes[] = "\x1f\x20\x21\x22\x23\x5b\x5c\x5d\x7f\x80\xc3\xa9\xff\x00\x01 and more text after";
  const std::string with_nul(kBytes, sizeof kBytes - 1);
  ASSERT_EQ(with_nul.size(), 35u);
  EXPECT_EQ(escaped(with_nul), reference(with_nul));
  EXPECT_EQ(escaped(""), "\"\"");
  EXPECT_EQ(escaped("plain text longer than one word"), "\"plain text longer than one word\"");
}

TEST(JsonStringTest, RandomStringsMatchTheReference) {
  std::mt19937 rng(18);
  std::uniform_int_distribution<int> length(0, 200), any_byte(0, 255), pick(0, 9);
  for (int n = 0; n < 5000; ++n) {
    std::string s(static_cast<size_t>(length(rng)), '\0');
    for (auto& c : s) {
      // Mostly plain text, as in a webhook body, with escapes and high bytes mixed in.
      const int p = pick(rng);
      c = static_cast<char>(p < 7 ? 'a' + p : any_byte(rng));
    }
    ASSERT_EQ(escaped(s), reference(s));
  }
}

TEST(JsonStringTest, AnEscapedJsonBodyRoundTripsItsQuotes) {
  // ConnectWise's Entity: JSON inside a JSON string, so dense in quotes and backslashes.
  const std::string body = R"({"Entity":"{\"id\":1,\"summary\":\"Printer \\\"down\\\"\"}","ID":1})";
  EXPECT_EQ(escaped(body), reference(body));
}

}  // namespace
}  // namespace switchyard
