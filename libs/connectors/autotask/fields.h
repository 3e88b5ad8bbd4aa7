// Reading Autotask's JSON, shared by the webhook decoder, the mapper and the poller.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/canonical.h"

namespace switchyard::connectors::autotask {

// Autotask's entity type in a webhook ("Ticket") or a URL ("Tickets") → canonical type; empty
// when not handled.
std::string_view canonical_type_of(std::string_view entity_type);
// Autotask sends ids and picklist values as numbers; canonical keeps them as strings.
std::optional<std::string> text_of(simdjson::dom::object obj, std::string_view key);
// Canonical timestamps: RFC 3339 UTC, seconds.
std::optional<std::string> time_of(simdjson::dom::object obj, std::string_view key);
// A change's version: lastActivityDate with milliseconds (two updates in one second are two changes).
std::optional<std::string> version_of(simdjson::dom::object obj);
// userDefinedFields: [{"name": "Region", "value": "EU"}, ...] → custom_fields, JSON types kept.
void read_user_defined_fields(simdjson::dom::object r, canonical::RecordBase& base);
// An id field as a reference; 0 means "none", except for companyID (Autotask's own company).
std::optional<canonical::Ref> ref_of(simdjson::dom::object obj, std::string_view key);
// address1, address2, city, state, postalCode, countryID.
std::optional<canonical::Address> address_of(simdjson::dom::object r);

}  // namespace switchyard::connectors::autotask
