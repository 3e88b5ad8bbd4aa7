#include "connectors/auth/token_auth_psa_http.h"

namespace switchyard::connectors::auth {

Result<http::ClientResponse> TokenAuthPsaHttp::send_with(const http::ClientRequest& request, const std::string& token) {
  http::ClientRequest authorized = request;
  source_->authorize(authorized, token);
  return inner_.send(authorized);
}

Result<http::ClientResponse> TokenAuthPsaHttp::send(const http::ClientRequest& request) {
  if (source_ == nullptr) return inner_.send(request);
  auto token = provider_.access_token(tenant_, *source_, inner_);
  if (!token) return failed(token.error());
  auto response = send_with(request, *token);
  if (!response || response->status != 401) return response;
  auto fresh = provider_.access_token(tenant_, *source_, inner_, *token);
  if (!fresh) return failed(fresh.error());
  return send_with(request, *fresh);
}

Error TokenAuthPsaHttp::failed(Error error) {
  if (error.code == "auth_suspended") suspension_ = error.message;
  return error;
}

}  // namespace switchyard::connectors::auth
