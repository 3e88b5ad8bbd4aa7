// Syncro in the sandbox: the API token in the Authorization header (the spec's apiKey scheme;
// "Bearer <token>" or the bare token), on /syncro/api/v1/...
#include <memory>

#include "common/crypto.h"
#include "psa-sandbox/json_value.h"
#include "psa-sandbox/psa_registry.h"
#include "psa-sandbox/syncro/syncro_api.h"
#include "psa-sandbox/syncro/syncro_model.h"
#include "psa-sandbox/syncro/syncro_seed.h"

namespace switchyard::sandbox {
namespace syncro {
namespace {

bool token_matches(std::string_view authorization) {
  if (authorization.size() > 7 && iequals(authorization.substr(0, 7), "Bearer ")) authorization.remove_prefix(7);
  return crypto::constant_time_equal(authorization, kApiToken);
}

class SyncroPsa : public PsaApi {
 public:
  std::string_view name() const override { return "syncro"; }
  std::string_view base_path() const override { return kApiPath; }
  void seed(Store& store) const override { seed_syncro(store); }

  http::Response handle(const http::Request& request, Store& store, std::string_view) override {
    if (!request.path.starts_with(std::string(kApiPath) + "/")) return syncro_error(404, "Not found");
    if (!token_matches(request.header("Authorization"))) {
      return syncro_error(401, "Not authorized. Please check your API token.");
    }
    return handle_api(request, store);
  }

  http::Response error(int status, std::string_view message) const override { return syncro_error(status, message); }
  std::string store_key(std::string_view entity) const override {
    // Kept below a parent (syncro_api.h), named by tests like the lists.
    if (entity == "comments" || entity == "schedule_line_items") return "syncro/" + std::string(entity);
    if (entity == "me") return "syncro/me";  // GET /me: the token's user and permissions
    const SyncroResource* r = syncro_resource(entity);
    return r ? syncro_store_key(*r) : std::string{};
  }
  void stamp_upsert(std::string_view entity, Value& record, bool created, Store&) const override {
    if (!syncro_resource(entity)) return;
    const std::string now = syncro_now();
    record.set("updated_at", now);
    if (created) record.set("created_at", now);
  }
};

}  // namespace
}  // namespace syncro

void register_syncro(PsaRegistry& registry) {
  registry.add("syncro", [](const SandboxOptions&) { return std::make_unique<syncro::SyncroPsa>(); });
}

}  // namespace switchyard::sandbox
