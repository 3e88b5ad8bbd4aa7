#include "conformance/json_subset.h"

#include <simdjson.h>

namespace switchyard::conformance {
namespace {

using simdjson::dom::element;

void compare(element expected, element actual, const std::string& path, std::vector<std::string>& out) {
  const std::string at = path.empty() ? "(root)" : path;
  if (expected.is_number() && actual.is_number()) {
    if (expected.get_double().value() != actual.get_double().value()) {
      out.push_back(at + ": expected " + simdjson::to_string(expected) + ", got " + simdjson::to_string(actual));
    }
    return;
  }
  if (expected.type() != actual.type()) {
    out.push_back(at + ": expected " + simdjson::to_string(expected) + ", got " + simdjson::to_string(actual));
    return;
  }
  if (expected.is_object()) {
    simdjson::dom::object want = expected.get_object().value(), have = actual.get_object().value();
    for (auto [key, value] : want) {
      const std::string member = path.empty() ? std::string(key) : path + "." + std::string(key);
      element found;
      if (have[key].get(found) != simdjson::SUCCESS) {
        out.push_back(member + ": missing (expected " + simdjson::to_string(value) + ")");
        continue;
      }
      compare(value, found, member, out);
    }
    return;
  }
  if (expected.is_array()) {
    simdjson::dom::array want = expected.get_array().value(), have = actual.get_array().value();
    if (want.size() != have.size()) {
      out.push_back(at + ": expected " + std::to_string(want.size()) + " items, got " + simdjson::to_string(actual));
      return;
    }
    for (size_t i = 0; i < want.size(); ++i) {
      compare(want.at(i).value(), have.at(i).value(), at + "[" + std::to_string(i) + "]", out);
    }
    return;
  }
  if (simdjson::to_string(expected) != simdjson::to_string(actual)) {
    out.push_back(at + ": expected " + simdjson::to_string(expected) + ", got " + simdjson::to_string(actual));
  }
}

}  // namespace

std::vector<std::string> subset_mismatches(const std::string& expected, const std::string& actual) {
  simdjson::dom::parser want_parser, have_parser;
  element want, have;
  if (want_parser.parse(expected).get(want) != simdjson::SUCCESS) return {"expected: not valid JSON"};
  if (have_parser.parse(actual).get(have) != simdjson::SUCCESS) return {"actual: not valid JSON: " + actual};
  std::vector<std::string> out;
  compare(want, have, "", out);
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

}  // namespace switchyard::conformance
