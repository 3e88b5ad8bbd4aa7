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
// The field an entity's changes are stamped in, by canonical type: lastActivityDate (tickets,
// companies), lastModifiedDate (contacts), lastModifiedDateTime (contracts), lastModifiedTime
// (configuration items). Empty for a type that is not polled.
std::string_view change_field(std::string_view canonical_type);
// version_of, reading the type's change_field.
std::optional<std::string> version_of(simdjson::dom::object obj, std::string_view canonical_type);
// A date ("2024-01-01T00:00:00.000Z" or "2024-01-01") as "YYYY-MM-DD".
std::optional<std::string> date_of(simdjson::dom::object obj, std::string_view key);
// A number, or a numeric string.
std::optional<double> number_of(simdjson::dom::object obj, std::string_view key);
// A flag sent as a boolean or as 0/1 (Contacts.isActive is an integer); `fallback` when absent.
bool flag_of(simdjson::dom::object obj, std::string_view key, bool fallback);
// userDefinedFields: [{"name": "Region", "value": "EU"}, ...] → custom_fields, JSON types kept.
void read_user_defined_fields(simdjson::dom::object r, canonical::RecordBase& base);
// An id field as a reference; 0 means "none", except for companyID (Autotask's own company).
std::optional<canonical::Ref> ref_of(simdjson::dom::object obj, std::string_view key);
// address1, address2, city, state, postalCode, countryID.
std::optional<canonical::Address> address_of(simdjson::dom::object r);

}  // namespace switchyard::connectors::autotask
