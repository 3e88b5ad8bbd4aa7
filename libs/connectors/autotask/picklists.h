// A command's FieldChoice → the Autotask picklist id to send. A canonical value goes through the
// tenant's mappings (then the connector's defaults), and may map to an id or a label; a label is
// looked up in the entity's picklist (GET /V1.0/{Entity}/entityInformation/fields), read at most
// once per command, so label defaults work on any instance whatever its ids.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/field_choice.h"
#include "connectors/connector.h"

namespace switchyard::connectors::autotask {

// One value of a picklist, viewing the parsed entityInformation/fields answer.
struct PicklistValue {
  std::string_view value;  // the id
  std::string_view label;
  bool active = true;
};
// The values of `field`'s picklist in the answer's "fields" array, in order; nullopt when no such
// field has a picklist. Values without a label or id are left out.
std::optional<std::vector<PicklistValue>> picklist_values(simdjson::dom::array fields, std::string_view field);

class PicklistResolver {
 public:
  PicklistResolver(PsaHttp& psa, const Tenant& tenant, const MappingLookup& mappings, std::string entity)
      : psa_(psa), tenant_(tenant), mappings_(mappings), entity_(std::move(entity)) {}

  // The id for `choice` of `field` ("status"); `kind` is the mapping table ("status",
  // "ticket_type", ...), `path` the command field for messages ("payload.status"). nullopt with
  // `failure` set when it cannot be resolved (an unknown value is Rejected, naming the field;
  // a PSA failure keeps its own classification).
  std::optional<std::string> resolve(std::string_view field, std::string_view kind, const FieldChoice& choice,
                                     const std::string& path, std::optional<WriteOutcome>& failure);

  // A label of `field` → its id (active values, case-insensitive).
  std::optional<std::string> id_of_label(std::string_view field, std::string_view label, const std::string& path,
                                         std::optional<WriteOutcome>& failure);

 private:
  PsaHttp& psa_;
  const Tenant& tenant_;
  const MappingLookup& mappings_;
  std::string entity_;
  std::optional<std::string> fields_json_;  // the entityInformation/fields answer, once read
};

}  // namespace switchyard::connectors::autotask
