// CommandResult: what became of one command, produced to switchyard.command-results.v1 keyed
// like the command, so the vendor platform learns which PSA record its alert became (or why
// it did not) without reading logs. Schema: docs/schemas/v1/command-result.schema.json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "connectors/test_mode_psa_http.h"

namespace switchyard::dispatch {

struct CommandResult {
  std::string command_id;
  std::string tenant;
  std::string type;          // "ticket.upsert", ...; empty when the command could not be read
  std::string external_ref;
  std::string outcome;       // "created" | "updated" | "skipped_duplicate" | "parked" | "dead_lettered" | "would_send" | "expanded"
  std::string psa;           // empty when the tenant is unknown
  std::string psa_id;        // the PSA record's id (created, updated, skipped_duplicate)
  std::string reason_code;   // parked / dead_lettered: machine-readable reason
  std::string reason;        // parked / dead_lettered: for a person; never a secret
  int attempts = 0;
  int64_t parked_until_ms = 0;  // parked: when the tenant may be called again (wall clock)
  // would_send (a tenant in test mode): the PSA request the command would have made, no secrets
  std::optional<connectors::RenderedRequest> would_send{};
  // expanded (a recipe, docs/recipes.md): the ids of the commands it became, in order
  std::vector<std::string> commands{};
};

// {"result_version":1,"command_id",...,"finished_at":RFC 3339}; optional fields left out when empty.
std::string to_json(const CommandResult& result);

}  // namespace switchyard::dispatch
