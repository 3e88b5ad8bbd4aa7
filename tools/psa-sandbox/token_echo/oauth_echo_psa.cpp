#include "psa-sandbox/token_echo/oauth_echo_psa.h"

#include "common/json_writer.h"
#include "psa-sandbox/auth/bearer_auth.h"
#include "psa-sandbox/auth/oauth_client_credentials.h"
#include "psa-sandbox/auth/token_issuer.h"
#include "psa-sandbox/token_echo/token_echo.h"

namespace switchyard::sandbox::token_echo {
namespace {

constexpr std::string_view kTokenPath = "/oauth-echo/auth/token";
constexpr std::string_view kApiPath = "/oauth-echo/api";

// RFC 6750's answer to a missing, bad or expired bearer token.
http::Response invalid_token(std::string_view message) {
  JsonWriter w;
  w.begin_object().field("error", "invalid_token").field("error_description", message).end_object();
  auto response = http::json_response(401, w.take());
  response.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return response;
}

class OAuthEchoPsa : public PsaApi {
 public:
  OAuthEchoPsa() { issuer_.add_credential(std::string(kClientId), std::string(kClientSecret)); }

  std::string_view name() const override { return "oauth-echo"; }
  std::string_view base_path() const override { return kApiPath; }
  void seed(Store&) const override {}

  http::Response handle(const http::Request& request, Store&, std::string_view) override {
    if (request.path == kTokenPath) return answer_client_credentials(issuer_, request);
    if (!request.path.starts_with(std::string(kApiPath) + "/")) return error(404, "Not found");
    if (const auto denied = auth_.check(request)) return invalid_token(denied->message);
    JsonWriter w;
    w.begin_object().field("method", request.method).field("path", request.path).field("body", request.body);
    w.end_object();
    return http::json_response(200, w.take());
  }

  http::Response error(int status, std::string_view message) const override {
    JsonWriter w;
    w.begin_object().field("message", message).end_object();
    return http::json_response(status, w.take());
  }
  // Token requests carry the client secret: never recorded.
  bool is_write(const http::Request& request) const override {
    return request.path != kTokenPath && PsaApi::is_write(request);
  }
  std::string store_key(std::string_view) const override { return {}; }
  TokenIssuer* tokens() override { return &issuer_; }

 private:
  TokenIssuer issuer_;
  BearerAuth auth_{issuer_};
};

}  // namespace

std::unique_ptr<PsaApi> make_oauth_echo() { return std::make_unique<OAuthEchoPsa>(); }

}  // namespace switchyard::sandbox::token_echo
