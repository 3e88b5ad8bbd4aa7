#include "psa-sandbox/auth/password_token_exchange.h"

#include "common/json_writer.h"
#include "common/time_format.h"
#include "psa-sandbox/auth/form_fields.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {
namespace {

// Refresh tokens outlive access tokens; BMS does not document by how much.
constexpr int kRefreshLifetimeFactor = 24;

}  // namespace

http::Response bms_error(int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().field("Success", false).key("Error").begin_object();
  w.field("Code", status).field("Message", message).end_object();
  w.key("Result").null().end_object();
  return http::json_response(status, w.take());
}

http::Response answer_password_exchange(TokenIssuer& issuer, std::string_view tenant, const http::Request& request) {
  if (request.method != "POST") {
    issuer.count_refused_request();
    return bms_error(405, "The authenticate endpoint takes POST");
  }
  const FormFields form(request.body);
  const auto grant = form.get("GrantType", true);
  const auto user = form.get("UserName", true);
  const auto password = form.get("Password", true);
  const auto company = form.get("Tenant", true);
  if (!grant || grant->empty()) {
    issuer.count_refused_request();
    return bms_error(400, "GrantType is required");
  }
  if (!iequals(*grant, "password")) {
    issuer.count_refused_request();
    return bms_error(400, "Unsupported GrantType");
  }
  if (!user || !password || !company) {
    issuer.count_refused_request();
    return bms_error(400, "UserName, Password and Tenant are required");
  }
  if (!iequals(*company, tenant)) {
    issuer.count_refused_request();
    return bms_error(401, "Invalid user name, password or tenant");
  }
  bool revoked = false;
  const auto token = issuer.issue(*user, *password, &revoked);
  if (!token) {
    return bms_error(401, revoked ? "The user's access has been revoked" : "Invalid user name, password or tenant");
  }
  JsonWriter w;
  w.begin_object().field("Success", true).key("Error").null().key("Result").begin_object();
  w.field("AccessToken", token->access_token).field("RefreshToken", token->refresh_token);
  w.field("AccessTokenExpireOn", format_rfc3339_utc_seconds(token->expires_at));
  w.field("RefreshTokenExpireOn",
          format_rfc3339_utc_seconds(token->expires_at + (kRefreshLifetimeFactor - 1) * token->expires_in));
  w.end_object().end_object();
  return http::json_response(200, w.take());
}

}  // namespace switchyard::sandbox
