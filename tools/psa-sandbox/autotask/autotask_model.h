// What the sandbox knows about Autotask entities: names, how each is created (top-level
// or child URL, docs/psa/autotask.md), required fields, picklists, references to other records and
// the timestamps Autotask maintains. Validation mirrors Autotask's habit of answering
// HTTP 500 {"errors":[...]} for invalid input (docs/psa/autotask.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "psa-sandbox/json_value.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox {

// Current UTC time as this PSA writes it ("2026-11-25T10:00:00.000Z").
std::string at_now();

struct AtPicklistValue {
  int value;
  std::string_view label;
};

struct AtPicklist {
  std::string_view field;
  std::vector<AtPicklistValue> values;
};

struct AtReference {
  std::string_view field;   // "companyID"
  std::string_view entity;  // "Companies"
};

struct AtEntity {
  std::string_view name;      // "Tickets": URL segment and store name
  std::string_view singular;  // "Ticket": entityInformation name and messages
  bool top_level_create;      // POST /V1.0/{name}; otherwise only through the parent URL
  std::string_view parent;    // "Contracts" for POST /Contracts/{parentId}/Charges
  std::string_view child_segment;  // "Charges"
  std::string_view parent_field;   // "contractID"
  bool can_delete;                 // DELETE through the parent URL
  std::vector<std::string_view> required;
  std::vector<std::pair<std::string_view, size_t>> max_lengths;
  std::vector<AtPicklist> picklists;
  std::vector<AtReference> references;
  std::string_view create_date;               // set on create, read-only
  std::vector<std::string_view> change_dates;  // bumped on every write
};

const std::vector<AtEntity>& at_entities();
const AtEntity* at_entity(std::string_view name);  // case-insensitive
// The child entity reached as /{parent}/{parentId}/{segment}, e.g. ("Contracts", "Charges").
const AtEntity* at_child_entity(std::string_view parent, std::string_view segment);
std::string at_store_key(const AtEntity& entity);

// Canonical spelling of a field of `entity` (case-insensitive), empty if unknown.
std::string_view at_field_name(const AtEntity& entity, std::string_view field);
std::string_view at_field_type(const AtEntity& entity, std::string_view field);

// Validates `record` (the full record after the write) and completes it: coerces numeric
// strings in integer fields, drops unknown fields, checks required fields, lengths,
// picklists and references. Returns Autotask-style error messages (empty = valid).
std::vector<std::string> at_validate(const AtEntity& entity, Value& record, Store& store);

// A new ticket number, "T20261125.0001" (date of today, per-day sequence).
std::string at_ticket_number(Store& store);

// Sets the create/change timestamps and derived fields (ticketNumber, completedDate).
void at_stamp(const AtEntity& entity, Value& record, Store& store, bool created);

// entityInformation and entityInformation/fields answers.
Value at_entity_information(const AtEntity& entity);
Value at_entity_fields(const AtEntity& entity);

}  // namespace switchyard::sandbox
