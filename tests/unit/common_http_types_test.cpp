// Our API's error bodies echo request input (a decoded path, a tenant id from the URL), which may
// be any bytes: the body must stay valid JSON, so invalid UTF-8 becomes U+FFFD. Found by
// fuzz/http_request_fuzz.cpp ("/v1/webhooks/%C0%AF/acme" answered with invalid UTF-8).
#include "common/http_types.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace switchyard::http {
namespace {

std::string message_of(const Response& r) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(r.body).get(root), simdjson::SUCCESS) << r.body;
  std::string_view message;
  EXPECT_EQ(root["error"]["message"].get(message), simdjson::SUCCESS) << r.body;
  return std::string(message);
}

TEST(ErrorResponseTest, InvalidUtf8InTheMessageIsReplaced) {
  const std::string fffd = "\xEF\xBF\xBD";
  const struct {
    std::string in, out;
  } cases[] = {
      {"no tenant \"\xff\"", "no tenant \"" + fffd + "\""},
      {"\xC0\xAF", fffd + fffd},                 // overlong '/'
      {"\xED\xA0\x80", fffd + fffd + fffd},      // a UTF-16 surrogate
      {"\xF4\x90\x80\x80", fffd + fffd + fffd + fffd},  // above U+10FFFF
      {"cut \xE2\x82", "cut " + fffd + fffd},    // truncated at the end
      {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"},  // valid: kept
  };
  for (const auto& c : cases) {
    EXPECT_EQ(message_of(error_response(404, "unknown_tenant", c.in)), c.out);
  }
}

TEST(ErrorResponseTest, ACatalogueCodeLinksToItsTroubleshootingEntry) {
  EXPECT_EQ(error_response(409, "tenant_paused", "paused").body,
            R"({"error":{"code":"tenant_paused","message":"paused","help":"docs/troubleshooting.md#tenant_paused"}})");
  // Codes of the API's own (a bad parameter, a missing route) have no entry to link to.
  EXPECT_EQ(error_response(404, "not_found", "no route").body, R"({"error":{"code":"not_found","message":"no route"}})");
}

}  // namespace
}  // namespace switchyard::http
