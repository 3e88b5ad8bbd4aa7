// ConnectWise Manage in the sandbox: the PsaApi over ConnectWiseApi (REST 3.0), Basic auth +
// clientId, CW's error body, its seed data and its signed callbacks.
#include <memory>

#include "psa-sandbox/auth/basic_client_id_auth.h"
#include "psa-sandbox/connectwise/callbacks.h"
#include "psa-sandbox/connectwise/connectwise_api.h"
#include "psa-sandbox/connectwise/connectwise_model.h"
#include "psa-sandbox/connectwise/connectwise_seed.h"
#include "psa-sandbox/connectwise/cw_errors.h"
#include "psa-sandbox/psa_registry.h"

namespace switchyard::sandbox {
namespace {

class ConnectWisePsa : public PsaApi {
 public:
  explicit ConnectWisePsa(const ConnectWiseCredentials& credentials)
      : credentials_(credentials),
        auth_({credentials.company_id, credentials.public_key, credentials.private_key, credentials.client_id}) {}

  std::string_view name() const override { return "connectwise"; }
  std::string_view base_path() const override { return kConnectWisePrefix; }
  void seed(Store& store) const override { seed_connectwise(store); }

  http::Response handle(const http::Request& request, Store& store, std::string_view base) override {
    return ConnectWiseApi(credentials_, auth_, store).handle(request, base);
  }

  http::Response error(int status, std::string_view message) const override {
    // CW documents 429 + Retry-After (docs/psa/connectwise.md); the body codes are our best guess.
    const char* code = status == 429 ? "TooManyRequests" : status == 504 ? "GatewayTimeout" : "InternalServerError";
    return cw_error(status, code, message);
  }

  std::string store_key(std::string_view entity) const override {
    const CwEntity* e = cw_entity(entity);
    return e ? cw_store_key(*e) : std::string{};
  }

  void stamp_upsert(std::string_view entity, Value& record, bool, Store& store) const override {
    Value info = record.find("_info") && record.find("_info")->is_object() ? *record.find("_info")
                                                                           : Value(Value::Object{});
    const std::string now = cw_now();
    info.set("lastUpdated", now);
    if (const CwEntity* e = cw_entity(entity)) cw_touch_parent(store, *e, record, now);
    if (!info.find("updatedBy")) info.set("updatedBy", "sandbox");
    record.erase("_info");
    record.set("_info", std::move(info));
  }

  Result<WebhookMessage> build_webhook(Store& store, std::string_view base, const WebhookEvent& event) const override {
    auto message = build_connectwise_callback(store, credentials_, base, event.entity, event.id, event.action);
    if (!message) return message.error();
    return WebhookMessage{std::move(message->body), {{"x-content-signature", std::move(message->signature)}}};
  }

 private:
  ConnectWiseCredentials credentials_;
  BasicClientIdAuth auth_;
};

}  // namespace

void register_connectwise(PsaRegistry& registry) {
  registry.add("connectwise", [](const SandboxOptions& options) {
    return std::make_unique<ConnectWisePsa>(options.connectwise);
  });
}

}  // namespace switchyard::sandbox
