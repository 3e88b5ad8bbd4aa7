// The fields each Autotask entity has, per the public OpenAPI files (see the .cpp).
#pragma once

#include <string_view>
#include <vector>

namespace switchyard::sandbox {

struct AutotaskField {
  std::string_view name;       // camelCase, as the API spells it
  std::string_view data_type;  // entityInformation/fields "dataType": integer, long, string, datetime, ...
};

// Canonical entity name ("Tickets"); empty for an unknown entity.
const std::vector<AutotaskField>& autotask_fields(std::string_view entity);

}  // namespace switchyard::sandbox
