// What the sandbox knows about the v2 API records that Kaseya BMS and Pulseway PSA share
// (docs/psa/kaseya-bms.md): the lists it serves below <prefix>/v2/, the filter each list's delta
// takes and the field each record stamps with its change time.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "psa-sandbox/json_value.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox::kaseya_v2 {

struct V2Resource {
  std::string_view entity;        // as tests name it: "tickets" (store key "<psa>/tickets")
  std::string_view list_path;     // below /v2/: "servicedesk/tickets"
  std::string_view one_path;      // "servicedesk/tickets" + "/{id}"; "" = no GET by id
  std::string_view since_filter;  // "Filter.LastActivityUpdateFrom"; "" = none
  std::string_view change_field;  // "LastActivityUpdate"; "" = the record carries no time
};

const std::vector<V2Resource>& v2_resources();
const V2Resource* v2_resource(std::string_view entity);
std::string v2_store_key(std::string_view psa, std::string_view entity);
// Current UTC time as v2 stamps records: no zone ("2026-11-25T10:00:00").
std::string v2_now();

// Adds seed records (JSON objects with an integer "Id") to one collection.
void seed_v2(Store& store, std::string_view key, std::span<const std::string_view> records);
// The seed every v2 PSA in the sandbox starts with (store keys "<psa>/...").
void seed_v2_demo(Store& store, std::string_view psa);

}  // namespace switchyard::sandbox::kaseya_v2
