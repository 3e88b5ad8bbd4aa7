#include "common/json_writer.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace switchyard {

namespace {

// The bytes of `w` that JSON requires escaped (below 0x20, '"' and '\\'), as the high bit of
// each such byte. Bytes of 0x80 and above never flag, and no byte to escape is ever missed, but a
// borrow from a flagged byte may also flag the byte above it: each flag is checked.
uint64_t escape_mask(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const auto zero_bytes = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  return below_space | zero_bytes(w ^ (kOnes * '"')) | zero_bytes(w ^ (kOnes * '\\'));
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static_assert(std::endian::native == std::endian::little, "the word scan reads byte k at bits 8k");
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  size_t run_start = 0;
  // Appends the plain run before byte `i`, then byte `i` escaped.
  const auto escape = [&](size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out.append(s.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  };
  size_t i = 0;
  // Eight bytes at a time: plain text is passed over, and in a word with escapes only the
  // flagged bytes are looked at.
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, sizeof word);
    for (uint64_t mask = escape_mask(word); mask != 0; mask &= mask - 1) {
      const size_t at = i + static_cast<size_t>(std::countr_zero(mask)) / 8;
      if (json_needs_escape(static_cast<unsigned char>(s[at]))) escape(at);
    }
  }
  for (; i < s.size(); ++i) {
    if (json_needs_escape(static_cast<unsigned char>(s[i]))) escape(i);
  }
  out.append(s.data() + run_start, s.size() - run_start);
  out.push_back('"');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!needs_comma_.empty()) {
    if (needs_comma_.back()) out_.push_back(',');
    needs_comma_.back() = true;
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_.push_back('{');
  needs_comma_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  needs_comma_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_.push_back('[');
  needs_comma_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  needs_comma_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_json_string(out_, name);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(JsonKey name) {
  before_value();
  out_.push_back('"');
  out_.append(name.name);
  out_.append("\":", 2);
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  before_value();
  append_json_string(out_, s);
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  before_value();
  out_.append(b ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::value(int64_t n) {
  before_value();
  out_.append(std::to_string(n));
  return *this;
}

JsonWriter& JsonWriter::value(uint64_t n) {
  before_value();
  out_.append(std::to_string(n));
  return *this;
}

JsonWriter& JsonWriter::value(double d) {
  before_value();
  if (!std::isfinite(d)) {
    out_.append("null");  // JSON has no NaN/Inf
    return *this;
  }
  // Shortest text that reads back as the same double.
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  // Shortest may be a long integer ("518446744073709551616"): valid JSON, but beyond 64 bits,
  // where simdjson (our own reader, in the next service) refuses it. Exponent form reads back.
  const std::string_view shortest(buf, static_cast<size_t>(end - buf));
  if (std::abs(d) >= 9e18 && shortest.find_first_of(".e") == std::string_view::npos) {
    end = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific).ptr;
  }
  out_.append(buf, static_cast<size_t>(end - buf));
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_.append("null");
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  out_.append(json);
  return *this;
}

}  // namespace switchyard
