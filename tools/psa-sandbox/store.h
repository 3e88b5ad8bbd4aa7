// Store: one tenant's in-memory records, shared by every PSA: one ordered collection per
// (psa, entity), keyed "<psa>/<entity>" ("connectwise/tickets", "autotask/Tickets"). Knows
// nothing about any PSA. Not thread-safe: the Sandbox serialises access per tenant.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {

class Store {
 public:
  using Records = std::map<int64_t, Value>;

  Records& collection(std::string_view key);
  const Records* find_collection(std::string_view key) const;
  Value* find(std::string_view key, int64_t id);
  // An id above every id the collection has ever held (ids are never reused).
  int64_t allocate_id(std::string_view key);
  // A per-name counter starting at 1 (Autotask ticket numbers).
  int64_t next_sequence(std::string_view name);
  void clear();

 private:
  std::map<std::string, Records, std::less<>> collections_;
  std::map<std::string, int64_t, std::less<>> next_ids_;
  std::map<std::string, int64_t, std::less<>> sequences_;
};

// Adds fixed JSON records (each an object with an integer "id") to one collection; for the
// PSAs' seed data. Throws std::logic_error for a bad record (a bug in the seed data).
void seed_records(Store& store, std::string_view key, std::span<const std::string_view> records);

}  // namespace switchyard::sandbox
