#include "connectors/auth/password_token_exchange.h"

#include <simdjson.h>

#include <algorithm>

#include "common/http_types.h"
#include "common/text.h"
#include "common/time_format.h"

namespace switchyard::connectors::auth {
namespace {

constexpr size_t kMaxMessage = 200;

bool same_key(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

using Element = simdjson::simdjson_result<simdjson::dom::element>;

// obj[key], the key matched ignoring case; NO_SUCH_FIELD when obj is no object or lacks it.
Element member(Element obj, std::string_view key) {
  simdjson::dom::object o;
  if (obj.get(o) != simdjson::SUCCESS) return simdjson::NO_SUCH_FIELD;
  for (auto [k, v] : o) {
    if (same_key(k, key)) return Element(simdjson::dom::element(v));
  }
  return simdjson::NO_SUCH_FIELD;
}

std::string_view text_of(Element e) {
  std::string_view s;
  return e.get(s) == simdjson::SUCCESS ? s : std::string_view{};
}

}  // namespace

Result<IssuedToken> PasswordTokenExchange::issue(const Tenant& tenant, PsaHttp& http, const std::string&) const {
  const auto user = tenant.credentials.find(settings_.username_credential);
  const auto password = tenant.credentials.find(settings_.password_credential);
  const auto company = tenant.credentials.find(settings_.company_credential);
  if (user == tenant.credentials.end() || password == tenant.credentials.end() ||
      company == tenant.credentials.end()) {
    return make_error(std::string(kBadCredentials), "credentials." + settings_.username_credential + ", credentials." +
                                                        settings_.password_credential + " and credentials." +
                                                        settings_.company_credential + " are required");
  }
  std::string form = "GrantType=password&UserName=" + http::url_encode(user->second) +
                     "&Password=" + http::url_encode(password->second) + "&Tenant=" + http::url_encode(company->second);
  auto response = post_form(http, settings_.token_url(tenant), std::move(form));
  if (!response) return response.error();  // throttled, shutting_down, connect failures

  simdjson::dom::parser parser;
  const Element body = parser.parse(response->body);
  const bool json = body.error() == simdjson::SUCCESS;
  bool success = false;
  if (json && member(body, "Success").get(success) != simdjson::SUCCESS) success = false;
  int64_t code = 0;
  std::string message;
  if (json) {
    const auto error = member(body, "Error");
    if (member(error, "Code").get(code) != simdjson::SUCCESS) code = 0;
    // The PSA's own words help the partner ("Invalid user name, password or tenant"); bounded,
    // and they never echo the password.
    message = utf8_prefix(valid_utf8(text_of(member(error, "Message"))), kMaxMessage);
  }
  const int status = response->status;
  if (status == 401 || status == 403 || (status == 200 && !success && (code == 401 || code == 403))) {
    return make_error(std::string(kBadCredentials),
                      "the token endpoint refused the credentials" + (message.empty() ? "" : ": " + message));
  }
  if (status != 200 || !success) {
    return make_error("token_endpoint_failed", "the token endpoint answered " + std::to_string(status) +
                                                   (success ? "" : " without success") +
                                                   (message.empty() ? "" : ": " + message));
  }
  const auto result = member(body, "Result");
  const std::string_view access = text_of(member(result, "AccessToken"));
  if (access.empty()) return make_error("token_endpoint_failed", "the token endpoint's answer has no AccessToken");
  IssuedToken token;
  token.access_token = std::string(access);
  token.refresh_token = std::string(text_of(member(result, "RefreshToken")));
  // The expiry is an instant; a missing or past one is taken as the usual hour.
  token.expires_in = std::chrono::seconds(3600);
  if (auto expires = parse_rfc3339(text_of(member(result, "AccessTokenExpireOn")))) {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(*expires - std::chrono::system_clock::now());
    if (left.count() > 0) token.expires_in = left;
  }
  return token;
}

}  // namespace switchyard::connectors::auth
