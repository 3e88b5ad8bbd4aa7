// Envelope → canonical record: unwraps the callback (or takes the polled record as is) and
// hands the ConnectWise object to the mapper.
#include "common/json_read.h"
#include "connectors/connectwise/connectwise_connector.h"
#include "connectors/deleted_record.h"

namespace switchyard::connectors::connectwise {

Result<canonical::Record> ConnectWiseConnector::map_to_canonical(const Envelope& e, simdjson::dom::parser& parser,
                                                                 const MappingLookup& mappings) const {
  if (collection_of(e.entity).empty()) {
    return make_error("unsupported_entity", "connectwise: no mapping for entity \"" + e.entity + "\"");
  }
  if (e.action == "deleted") return deleted_record(e, "connectwise", collection_of(e.entity));

  simdjson::dom::element root;
  if (parser.parse(e.body).get(root) != simdjson::SUCCESS) return make_error("invalid_json", "body: not valid JSON");
  simdjson::dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) return make_error("invalid_payload", "body: must be a JSON object");
  if (is_polled(e)) return map_record(e.tenant, e.entity, obj, mappings);

  // Webhook: the record is the escaped JSON string in "Entity". A second parser keeps the
  // outer document alive while the inner one is read.
  auto entity_text = json::required_string(obj, "Entity", "body");
  if (!entity_text) return entity_text.error();
  // One parser per thread, reused: a parser allocates its buffers on first use.
  thread_local simdjson::dom::parser entity_parser;
  simdjson::dom::element entity;
  simdjson::dom::object record;
  if (entity_parser.parse(*entity_text).get(entity) != simdjson::SUCCESS || entity.get(record) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "body.Entity: must be a JSON object encoded as a string");
  }
  return map_record(e.tenant, e.entity, record, mappings);
}

}  // namespace switchyard::connectors::connectwise
