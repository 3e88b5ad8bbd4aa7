#include "connectors/auth/oauth_client_credentials.h"

#include <simdjson.h>

#include "common/http_types.h"

namespace switchyard::connectors::auth {

Result<IssuedToken> OAuthClientCredentials::issue(const Tenant& tenant, PsaHttp& http, const std::string&) const {
  const auto id = tenant.credentials.find(settings_.client_id_credential);
  const auto secret = tenant.credentials.find(settings_.client_secret_credential);
  if (id == tenant.credentials.end() || secret == tenant.credentials.end()) {
    return make_error(std::string(kBadCredentials), "credentials." + settings_.client_id_credential + " and credentials." +
                                                        settings_.client_secret_credential + " are required");
  }
  std::string form = "grant_type=client_credentials&client_id=" + http::url_encode(id->second) +
                     "&client_secret=" + http::url_encode(secret->second);
  if (!settings_.scope.empty()) form += "&scope=" + http::url_encode(settings_.scope);
  for (const auto& [field, option] : settings_.form_fields_from_options) {
    if (auto it = tenant.options.find(option); it != tenant.options.end()) {
      form += "&" + http::url_encode(field) + "=" + http::url_encode(it->second);
    }
  }
  auto response = post_form(http, settings_.token_url(tenant), std::move(form));
  if (!response) return response.error();  // throttled, shutting_down, connect failures
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  const bool json = parser.parse(response->body).get(body) == simdjson::SUCCESS;
  if (response->status == 400 || response->status == 401) {
    // RFC 6749 §5.2: invalid_client / invalid_grant / unauthorized_client mean the credentials.
    std::string_view error;
    if (json && body["error"].get(error) == simdjson::SUCCESS &&
        (error == "invalid_client" || error == "invalid_grant" || error == "unauthorized_client")) {
      return make_error(std::string(kBadCredentials), "the token endpoint answered " + std::string(error));
    }
    if (response->status == 401) return make_error(std::string(kBadCredentials), "the token endpoint answered 401");
  }
  if (response->status != 200) {
    return make_error("token_endpoint_failed", "the token endpoint answered " + std::to_string(response->status));
  }
  std::string_view access;
  if (!json || body["access_token"].get(access) != simdjson::SUCCESS || access.empty()) {
    return make_error("token_endpoint_failed", "the token endpoint's answer has no access_token");
  }
  IssuedToken token;
  token.access_token = std::string(access);
  int64_t expires_in = 3600;
  if (body["expires_in"].get(expires_in) != simdjson::SUCCESS || expires_in <= 0) expires_in = 3600;
  token.expires_in = std::chrono::seconds(expires_in);
  std::string_view refresh;
  if (body["refresh_token"].get(refresh) == simdjson::SUCCESS) token.refresh_token = std::string(refresh);
  return token;
}

}  // namespace switchyard::connectors::auth
