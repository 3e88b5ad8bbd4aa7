// What the sandbox knows about ConnectWise records: the entities it serves, their required
// fields and length limits (docs/psa/connectwise.md), the reference data tickets and companies point
// at (boards, statuses, priorities), and how a written record is completed the way CW does
// (resolving {id} references to {id,name,...}, closedFlag from the status).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "psa-sandbox/json_value.h"
#include "psa-sandbox/connectwise/cw_errors.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox {

// Current UTC time as this PSA writes it ("2026-11-25T10:00:00Z").
std::string cw_now();

struct CwFieldRule {
  std::string_view field;
  bool required;
  size_t max_length;  // 0 = unchecked
};

struct CwEntity {
  std::string_view path;      // API path below the base: "service/tickets"
  std::string_view alias;     // control/store name: "tickets"
  std::string_view resource;  // error "resource" and callback "Type": "ticket"
  std::vector<CwFieldRule> rules;
  // A child collection below a parent record (finance/agreements/{parentId}/additions,
  // service/tickets/{parentId}/notes): the parent's alias and the field naming it. Empty = none.
  std::string_view parent_alias = {};
  std::string_view parent_field = {};
};

const std::vector<CwEntity>& cw_entities();
// By alias ("tickets") or API path ("service/tickets"), case-insensitively.
const CwEntity* cw_entity(std::string_view alias_or_path);
// By callback type ("ticket").
const CwEntity* cw_entity_by_type(std::string_view type);
std::string cw_store_key(const CwEntity& entity);
// Writing a ticket's note stamps the ticket's lastUpdated with `now`, as ConnectWise does, so a
// poll of changed tickets finds the ticket whose notes changed. No-op for other entities.
void cw_touch_parent(Store& store, const CwEntity& entity, const Value& record, const std::string& now);

// Reference data, served read-only (paged and filtered like any list) under service/boards
// (with each board's statuses and types), service/priorities and company/companies/statuses.
struct CwStatus {
  int id;
  std::string_view name;
  bool closed;
};
const std::vector<CwStatus>& cw_ticket_statuses();  // of board 1, the only board
Value cw_boards_json();
Value cw_ticket_statuses_json();
Value cw_priorities_json();
Value cw_board_types_json(int board);  // service/boards/{id}/types
Value cw_company_statuses_json();

// Checks required fields and lengths, then completes references and derived fields.
// Returns the field errors (empty = valid). `record` is modified in place.
std::vector<CwFieldError> cw_complete_record(const CwEntity& entity, Value& record, Store& store);

}  // namespace switchyard::sandbox
