// How a command's choice (a ticket's status, priority or type; a configuration's type) becomes a
// ConnectWise reference: an id as {"id": n}, a label as {"name": "..."} (ConnectWise resolves
// references by name), and a canonical value through the tenant's mappings over the connector's
// defaults (the mapped value is an id when it is all digits, else a name).
#pragma once

#include <optional>
#include <string>

#include "common/field_choice.h"
#include "common/json_writer.h"
#include "common/mappings.h"
#include "connectors/connector.h"

namespace switchyard::connectors::connectwise {

struct Reference {
  bool by_id = false;
  std::string value;
};

// nullopt with `failure` set when a canonical value has no mapping (the message names the kind
// and what to add).
std::optional<Reference> reference_of(const FieldChoice& choice, std::string_view kind, const MappingLookup& mappings,
                                      std::optional<WriteOutcome>& failure);
// A plain id (a command's company_id, board_id, contact_id).
Reference id_reference(const std::string& id);

// {"id": 5} or {"name": "New"}.
void write_reference(JsonWriter& w, std::string_view key, const Reference& ref);

}  // namespace switchyard::connectors::connectwise
