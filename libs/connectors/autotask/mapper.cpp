// Autotask records → canonical v1.1 (docs/psa/autotask.md). Webhook envelopes are read in
// webhook.cpp, polling in poller.cpp.
#include <simdjson.h>

#include "common/json_read.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/fields.h"

namespace switchyard::connectors::autotask {

using simdjson::dom::object;

Result<canonical::Record> map_record(std::string_view tenant_id, std::string_view type, object r,
                                     const MappingLookup& mappings) {
  canonical::RecordBase base;
  base.tenant = std::string(tenant_id);
  auto id = text_of(r, "id");
  if (!id) return json::missing_field("id");
  base.source = canonical::SourceRef{"autotask", std::string(entity_of(type)), *id};
  base.updated_at = time_of(r, "lastActivityDate").value_or(time_of(r, "createDate").value_or(""));
  if (base.updated_at.empty()) return json::missing_field("lastActivityDate");
  read_user_defined_fields(r, base);
  if (type == "ticket") {
    auto t = canonical::with_base<canonical::Ticket>(std::move(base));
    t.title = text_of(r, "title").value_or("");
    t.description = text_of(r, "description");
    t.status = text_of(r, "status");
    t.priority = text_of(r, "priority");
    t.board = ref_of(r, "queueID");
    t.company = ref_of(r, "companyID");
    t.contact = ref_of(r, "contactID");
    t.external_ref = text_of(r, "externalID");
    t.created_at = time_of(r, "createDate");
    t.closed_at = time_of(r, "completedDate");
    t.closed = t.closed_at.has_value();
    // Picklist values: the id is all the record carries, so label and id are the same text.
    t.status_id = t.status;
    t.priority_id = t.priority;
    t.type = text_of(r, "ticketType");
    t.type_id = t.type;
    return canonical::Record{std::move(t)};
  }
  if (type == "company") {
    auto c = canonical::with_base<canonical::Company>(std::move(base));
    c.name = text_of(r, "companyName").value_or("");
    c.identifier = text_of(r, "companyNumber");
    bool active = true;
    if (r["isActive"].get(active) != simdjson::SUCCESS) active = true;
    c.active = active;
    c.phone = text_of(r, "phone");
    c.website = text_of(r, "webAddress");
    c.parent = ref_of(r, "parentCompanyID");
    if (auto type_id = text_of(r, "companyType")) {
      c.types.push_back(*type_id);
      c.type_ids.push_back(*type_id);
      c.classification = mappings.resolve("company_classification", *type_id);
    }
    if (auto address = address_of(r)) c.addresses.push_back(std::move(*address));
    return canonical::Record{std::move(c)};
  }
  return make_error("unsupported_entity", "autotask: no mapping for entity \"" + std::string(type) + "\"");
}

Result<canonical::Record> AutotaskConnector::map_to_canonical(const Envelope& e, simdjson::dom::parser& parser,
                                                              const MappingLookup& mappings) const {
  // Checked first: a deletion maps without looking at the body, and must not turn an envelope
  // of another type (any producer can write to the raw topic) into a ticket.
  if (e.entity != "ticket" && e.entity != "company") {
    return make_error("unsupported_entity", "autotask: no mapping for entity \"" + e.entity + "\"");
  }
  simdjson::dom::element root;
  object obj;
  if (parser.parse(e.body).get(root) != simdjson::SUCCESS || root.get(obj) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "body: must be a JSON object");
  }
  if (is_polled(e)) return map_record(e.tenant, e.entity, obj, mappings);
  return map_webhook(e, obj, mappings);
}

std::optional<std::string> record_id_text(object record) { return text_of(record, "id"); }

std::optional<std::string> record_version(object record) { return version_of(record); }

}  // namespace switchyard::connectors::autotask
