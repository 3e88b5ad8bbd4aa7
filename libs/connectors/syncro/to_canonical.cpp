// Envelope → canonical record: a polled or webhook Syncro record is mapped as it is.
#include "connectors/syncro/syncro_connector.h"

namespace switchyard::connectors::syncro {

Result<canonical::Record> SyncroConnector::map_to_canonical(const Envelope& e, simdjson::dom::parser& parser,
                                                            const MappingLookup& mappings) const {
  if (!resource_of(e.entity)) {
    return make_error("unsupported_entity", "syncro: no mapping for entity \"" + e.entity + "\"");
  }
  // Syncro documents no deletion payload, so neither a poll nor a webhook reports one.
  if (e.action == "deleted") return make_error("unsupported_entity", "syncro: no mapping for a deletion yet");
  simdjson::dom::element root;
  if (parser.parse(e.body).get(root) != simdjson::SUCCESS) return make_error("invalid_json", "body: not valid JSON");
  simdjson::dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) return make_error("invalid_payload", "body: must be a JSON object");
  return map_record(e.tenant, e.entity, obj, mappings);
}

}  // namespace switchyard::connectors::syncro
