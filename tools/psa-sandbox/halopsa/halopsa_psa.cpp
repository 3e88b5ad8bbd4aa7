// HaloPSA in the sandbox: OAuth2 client credentials at /halopsa/auth/token (hosted instances
// add a `tenant` form field, accepted and ignored here), bearer tokens on /halopsa/api/...
#include <memory>

#include "psa-sandbox/auth/bearer_auth.h"
#include "psa-sandbox/auth/oauth_client_credentials.h"
#include "psa-sandbox/auth/token_issuer.h"
#include "psa-sandbox/halopsa/halo_api.h"
#include "psa-sandbox/halopsa/halo_model.h"
#include "psa-sandbox/halopsa/halo_seed.h"
#include "psa-sandbox/json_value.h"
#include "psa-sandbox/psa_registry.h"

namespace switchyard::sandbox {
namespace halopsa {
namespace {

class HaloPsa : public PsaApi {
 public:
  HaloPsa() { issuer_.add_credential(std::string(kClientId), std::string(kClientSecret)); }

  std::string_view name() const override { return "halopsa"; }
  std::string_view base_path() const override { return kPrefix; }
  void seed(Store& store) const override { seed_halopsa(store); }

  http::Response handle(const http::Request& request, Store& store, std::string_view) override {
    if (iequals(request.path, kTokenPath)) return answer_client_credentials(issuer_, request);
    if (!request.path.starts_with(std::string(kApiPath) + "/")) return halo_error(404, "Not found");
    if (const auto denied = auth_.check(request)) return halo_error(denied->status, denied->message);
    return handle_api(request, store);
  }

  http::Response error(int status, std::string_view message) const override { return halo_error(status, message); }
  // Token requests carry the client secret: never recorded.
  bool is_write(const http::Request& request) const override {
    return !iequals(request.path, kTokenPath) && PsaApi::is_write(request);
  }
  std::string store_key(std::string_view entity) const override {
    if (entity == "Agent") return "halopsa/Agent";  // GET /Agent/me: the application's agent
    const HaloResource* r = halo_resource(entity);
    return r ? halo_store_key(*r) : std::string{};
  }
  void stamp_upsert(std::string_view entity, Value& record, bool, Store&) const override {
    const HaloResource* r = halo_resource(entity);
    if (r && !r->change_field.empty()) record.set(r->change_field, halo_now());
  }
  TokenIssuer* tokens() override { return &issuer_; }

 private:
  TokenIssuer issuer_;
  BearerAuth auth_{issuer_};
};

}  // namespace
}  // namespace halopsa

void register_halopsa(PsaRegistry& registry) {
  registry.add("halopsa", [](const SandboxOptions&) { return std::make_unique<halopsa::HaloPsa>(); });
}

}  // namespace switchyard::sandbox
