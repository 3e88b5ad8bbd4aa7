#include "psa-sandbox/kaseya_v2/v2_psa.h"

#include "psa-sandbox/auth/bearer_auth.h"
#include "psa-sandbox/auth/password_token_exchange.h"
#include "psa-sandbox/auth/token_issuer.h"
#include "psa-sandbox/kaseya_v2/v2_api.h"
#include "psa-sandbox/kaseya_v2/v2_model.h"

namespace switchyard::sandbox::kaseya_v2 {
namespace {

class V2Psa : public PsaApi {
 public:
  explicit V2Psa(V2PsaConfig config)
      : config_(std::move(config)),
        prefix_("/" + config_.name),
        api_path_(prefix_ + "/v2/"),
        token_path_(prefix_ + "/v2/security/authenticate") {
    issuer_.add_credential(config_.username, config_.password);
  }

  std::string_view name() const override { return config_.name; }
  std::string_view base_path() const override { return prefix_; }
  void seed(Store& store) const override { seed_v2_demo(store, config_.name); }

  http::Response handle(const http::Request& request, Store& store, std::string_view) override {
    // Paths are matched ignoring case, as client code writes them either way.
    if (iequals(request.path, token_path_)) return answer_password_exchange(issuer_, config_.company, request);
    if (request.path.size() <= api_path_.size() || !iequals(request.path.substr(0, api_path_.size()), api_path_)) {
      return bms_error(404, "No such route");
    }
    if (const auto denied = auth_.check(request)) return bms_error(denied->status, denied->message);
    return handle_v2_api(config_.name, std::string_view(request.path).substr(api_path_.size()), request, store);
  }

  http::Response error(int status, std::string_view message) const override { return bms_error(status, message); }
  // Token requests carry the password: never recorded.
  bool is_write(const http::Request& request) const override {
    return !iequals(request.path, token_path_) && PsaApi::is_write(request);
  }
  std::string store_key(std::string_view entity) const override {
    return v2_resource(entity) ? v2_store_key(config_.name, entity) : std::string();
  }
  // Records keep their id as "Id" (the tests' upsert_record writes "id").
  void stamp_upsert(std::string_view entity, Value& record, bool, Store&) const override {
    if (const Value* id = record.find("id")) {
      record.set("Id", *id);
      record.erase("id");
    }
    const V2Resource* r = v2_resource(entity);
    const std::string now = v2_now();
    if (r && !r->change_field.empty()) record.set(r->change_field, now);
    // Every record the tests write is stamped ModifiedOn (a sandbox choice for contacts,
    // contracts and assets, whose list DTOs in the spec carry no time: docs/psa/kaseya-bms.md).
    if (r) record.set("ModifiedOn", now);
  }
  TokenIssuer* tokens() override { return &issuer_; }

 private:
  V2PsaConfig config_;
  std::string prefix_, api_path_, token_path_;
  TokenIssuer issuer_;
  BearerAuth auth_{issuer_};
};

}  // namespace

std::unique_ptr<PsaApi> make_v2_psa(V2PsaConfig config) { return std::make_unique<V2Psa>(std::move(config)); }

}  // namespace switchyard::sandbox::kaseya_v2
