#include "psa-sandbox/token_echo/password_echo_psa.h"

#include "common/json_writer.h"
#include "psa-sandbox/auth/bearer_auth.h"
#include "psa-sandbox/auth/password_token_exchange.h"
#include "psa-sandbox/auth/token_issuer.h"
#include "psa-sandbox/json_value.h"
#include "psa-sandbox/token_echo/token_echo.h"

namespace switchyard::sandbox::token_echo {
namespace {

constexpr std::string_view kApiPath = "/password-echo/v2";
constexpr std::string_view kTokenPath = "/password-echo/v2/security/authenticate";

class PasswordEchoPsa : public PsaApi {
 public:
  PasswordEchoPsa() { issuer_.add_credential(std::string(kUserName), std::string(kPassword)); }

  std::string_view name() const override { return "password-echo"; }
  std::string_view base_path() const override { return kApiPath; }
  void seed(Store&) const override {}

  http::Response handle(const http::Request& request, Store&, std::string_view) override {
    // BMS paths are case-insensitive in client code; accept either casing of the token path.
    if (iequals(request.path, kTokenPath)) return answer_password_exchange(issuer_, kTenant, request);
    if (!request.path.starts_with(std::string(kApiPath) + "/")) return error(404, "Not found");
    if (const auto denied = auth_.check(request)) return bms_error(denied->status, denied->message);
    JsonWriter w;
    w.begin_object().field("Success", true).key("Error").null().key("Result").begin_object();
    w.field("Method", request.method).field("Path", request.path).field("Body", request.body);
    w.end_object().end_object();
    return http::json_response(200, w.take());
  }

  http::Response error(int status, std::string_view message) const override { return bms_error(status, message); }
  // Token requests carry the password: never recorded.
  bool is_write(const http::Request& request) const override {
    return !iequals(request.path, kTokenPath) && PsaApi::is_write(request);
  }
  std::string store_key(std::string_view) const override { return {}; }
  TokenIssuer* tokens() override { return &issuer_; }

 private:
  TokenIssuer issuer_;
  BearerAuth auth_{issuer_};
};

}  // namespace

std::unique_ptr<PsaApi> make_password_echo() { return std::make_unique<PasswordEchoPsa>(); }

}  // namespace switchyard::sandbox::token_echo
