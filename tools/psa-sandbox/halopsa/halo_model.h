// What the sandbox knows about HaloPSA records (docs/psa/halopsa.md): the resources it serves
// below /api, the member a list answer wraps its records in, and the field each stamps with its
// change time (Halo names it differently per resource).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::sandbox::halopsa {

// The sandbox's demo application (like the other PSAs' default credentials).
inline constexpr std::string_view kClientId = "halo-sandbox-client";
inline constexpr std::string_view kClientSecret = "halo-sandbox-client-secret";

inline constexpr std::string_view kPrefix = "/halopsa";
inline constexpr std::string_view kTokenPath = "/halopsa/auth/token";
inline constexpr std::string_view kApiPath = "/halopsa/api";

struct HaloResource {
  std::string_view path;          // "Tickets" (/api/Tickets)
  std::string_view list_member;   // "tickets" ({"record_count":N,"tickets":[...]})
  std::string_view change_field;  // "last_update"; empty when the sandbox stamps none
  bool filters_by_change = true;  // takes lastupdatefromdate (ClientContract does not)
  // A list parameter that keeps the records whose `search_field` contains its text, ignoring
  // case ("search_supplier_reference" → "supplier_reference"); empty when none.
  std::string_view search_param{};
  std::string_view search_field{};
  // A list parameter that keeps the records whose field of the same name equals it (an id:
  // "ticket_id" for Actions); empty when none.
  std::string_view parent_param{};
};

const std::vector<HaloResource>& halo_resources();
// By path, case-insensitively (Halo's routes are); nullptr when unknown.
const HaloResource* halo_resource(std::string_view path);
std::string halo_store_key(const HaloResource& resource);
// Current UTC time as the sandbox stamps records ("2026-11-25T10:00:00Z").
std::string halo_now();

}  // namespace switchyard::sandbox::halopsa
