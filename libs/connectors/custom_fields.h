// PSA custom-field values → canonical custom_fields values, keeping their JSON type.
#pragma once

#include <simdjson.h>

#include "common/canonical.h"

namespace switchyard::connectors {

// bool, number or string as is; null, objects and arrays become null.
canonical::CustomValue custom_value(simdjson::dom::element value);

// Reads a list of {<name_key>: "...", "value": ...} objects (ConnectWise customFields by
// "caption", Autotask userDefinedFields by "name") into `out`; items without a name are skipped.
void read_custom_fields(simdjson::dom::array fields, std::string_view name_key,
                        std::map<std::string, canonical::CustomValue>& out);

}  // namespace switchyard::connectors
