// What the sandbox knows about Syncro records (docs/psa/syncro.md): the resources it serves
// below /api/v1, the member a list answer wraps its records in, the member a single record
// comes in, and how many records a page holds (Syncro sets it; clients only ask for `page`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::sandbox::syncro {

// The sandbox's demo API token (like the other PSAs' default credentials).
inline constexpr std::string_view kApiToken = "syncro-sandbox-api-token";

inline constexpr std::string_view kPrefix = "/syncro";
inline constexpr std::string_view kApiPath = "/syncro/api/v1";

struct SyncroResource {
  std::string_view path;         // "tickets" (/api/v1/tickets)
  std::string_view list_member;  // "tickets" ({"tickets":[...],"meta":{...}})
  std::string_view one_member;   // "ticket" ({"ticket":{...}})
  int per_page = 25;             // the spec's examples: 25 for most lists
  bool filters_by_change = false;  // takes since_updated_at (only tickets, per the spec)
};

const std::vector<SyncroResource>& syncro_resources();
// By path; nullptr when unknown.
const SyncroResource* syncro_resource(std::string_view path);
std::string syncro_store_key(const SyncroResource& resource);
// Current UTC time as Syncro writes it ("2026-11-25T10:00:00.123Z").
std::string syncro_now();

}  // namespace switchyard::sandbox::syncro
