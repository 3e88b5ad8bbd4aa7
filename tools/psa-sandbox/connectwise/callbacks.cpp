#include "psa-sandbox/connectwise/callbacks.h"

#include <charconv>

#include "common/json_writer.h"
#include "psa-sandbox/connectwise/connectwise_api.h"
#include "psa-sandbox/connectwise/connectwise_model.h"
#include "psa-sandbox/signing.h"

namespace switchyard::sandbox {
namespace {

// Fixed per sandbox, like a real CW site's values.
constexpr std::string_view kProductInstanceId = "5a4e5d1c0000000000000001";
constexpr std::string_view kPartnerId = "5a4e5d1c0000000000000002";

// The registered callback (system/callbacks) for this type, as CW reports its id.
int64_t callback_registration_id(Store& store, std::string_view type) {
  for (const auto& [id, entry] : store.collection("connectwise/callbacks")) {
    const Value* t = entry.find("type");
    if (t && t->is_string() && iequals(t->as_string(), type)) return id;
  }
  return 1;
}

}  // namespace

Result<CallbackMessage> build_connectwise_callback(Store& store, const ConnectWiseCredentials& credentials,
                                                   std::string_view base, std::string_view entity,
                                                   std::string_view id, std::string_view action) {
  const CwEntity* e = cw_entity_by_type(entity);
  if (e == nullptr || !e->parent_alias.empty() || e->alias == "callbacks") {
    return make_error("invalid_argument", "entity must be ticket, company, contact, agreement or configuration");
  }
  if (action != "added" && action != "updated" && action != "deleted") {
    return make_error("invalid_argument", "action must be added, updated or deleted");
  }
  int64_t record_id = 0;
  const auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), record_id);
  if (ec != std::errc{} || ptr != id.data() + id.size()) return make_error("invalid_argument", "id must be an integer");
  const Value* record = store.find(cw_store_key(*e), record_id);
  if (record == nullptr && action != "deleted") {
    return make_error("not_found", "no " + std::string(e->resource) + " with id " + std::string(id));
  }

  std::string_view host = base;
  if (const size_t scheme = host.find("://"); scheme != std::string_view::npos) host.remove_prefix(scheme + 3);
  JsonWriter w;
  w.begin_object();
  w.field("MessageId", random_guid());
  w.field("FromUrl", host);
  w.field("CompanyId", credentials.company_id);
  w.field("MemberId", "sandbox");
  w.field("Action", action);
  w.field("Type", e->resource);
  w.field("ID", record_id);
  w.field("ProductInstanceId", kProductInstanceId);
  w.field("PartnerId", kPartnerId);
  // The record travels as a JSON document inside a string, not as an object.
  w.field("Entity", action == "deleted" || record == nullptr ? std::string() : record->dump());
  w.key("Metadata").begin_object();
  w.field("key_url", std::string(base) + std::string(kConnectWisePrefix) + "/system/callbackkeys/1");
  w.end_object();
  w.field("CallbackObjectRecId", callback_registration_id(store, e->resource));
  w.end_object();

  CallbackMessage message;
  message.body = w.take();
  message.signature = connectwise_signature(credentials.signing_key, message.body);
  return message;
}

}  // namespace switchyard::sandbox
