// Autotask in the sandbox: the PsaApi over AutotaskApi (REST V1.0), the three key headers,
// Autotask's error body, its seed data, and its signed webhooks (autotask_webhooks.h).
#include <memory>

#include "psa-sandbox/auth/key_headers_auth.h"
#include "psa-sandbox/autotask/at_errors.h"
#include "psa-sandbox/autotask/autotask_api.h"
#include "psa-sandbox/autotask/autotask_model.h"
#include "psa-sandbox/autotask/autotask_seed.h"
#include "psa-sandbox/autotask/autotask_webhooks.h"
#include "psa-sandbox/psa_registry.h"

namespace switchyard::sandbox {
namespace {

// Autotask's auth failures (docs/psa/autotask.md): unknown user 500, wrong secret 401, wrong
// integration code 500.
KeyHeadersAuth autotask_auth(const AutotaskCredentials& c) {
  return KeyHeadersAuth({
      {"UserName", c.username, true, {500, "Unable to authenticate: the UserName is not a valid API user."}},
      {"Secret", c.secret, false, {401, "User is not authenticated: invalid credentials."}},
      {"ApiIntegrationCode", c.integration_code, false,
       {500, "Unable to authenticate: the ApiIntegrationCode is not valid."}},
  });
}

class AutotaskPsa : public PsaApi {
 public:
  explicit AutotaskPsa(const AutotaskCredentials& credentials)
      : credentials_(credentials), auth_(autotask_auth(credentials)) {}

  std::string_view name() const override { return "autotask"; }
  std::string_view base_path() const override { return kAutotaskPrefix; }
  void seed(Store& store) const override { seed_autotask(store); }

  http::Response handle(const http::Request& request, Store& store, std::string_view base) override {
    return AutotaskApi(credentials_, auth_, store).handle(request, base);
  }

  http::Response error(int status, std::string_view message) const override { return at_error(status, message); }
  // Zone lookups are not throttled by Autotask (docs/psa/autotask.md).
  bool exempt_from_faults(const http::Request& request) const override { return AutotaskApi::is_zone_lookup(request); }
  bool is_write(const http::Request& request) const override { return AutotaskApi::is_write(request); }

  Result<WebhookMessage> build_webhook(Store& store, std::string_view, const WebhookEvent& event) const override {
    return build_autotask_webhook(store, credentials_, event);
  }

  std::string store_key(std::string_view entity) const override {
    if (iequals(entity, "ZoneInformation")) return std::string(kAutotaskZoneKey);  // a tenant's zone
    const AtEntity* e = at_entity(entity);
    return e ? at_store_key(*e) : std::string{};
  }

  void stamp_upsert(std::string_view entity, Value& record, bool created, Store& store) const override {
    if (at_entity(entity) == nullptr) return;  // ZoneInformation
    const AtEntity& e = *at_entity(entity);
    if (created && !e.create_date.empty() && !record.find(e.create_date)) record.set(e.create_date, at_now());
    if (e.name == "Tickets" && !record.find("ticketNumber")) record.set("ticketNumber", at_ticket_number(store));
    at_stamp(e, record, store, false);
  }

 private:
  AutotaskCredentials credentials_;
  KeyHeadersAuth auth_;
};

}  // namespace

void register_autotask(PsaRegistry& registry) {
  registry.add("autotask", [](const SandboxOptions& options) {
    return std::make_unique<AutotaskPsa>(options.autotask);
  });
}

}  // namespace switchyard::sandbox
