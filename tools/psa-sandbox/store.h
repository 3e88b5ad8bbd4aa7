// Store: the sandbox's in-memory records, one ordered collection per (psa, entity), keyed
// "connectwise/tickets" or "autotask/Tickets". Not thread-safe: the Sandbox serialises all
// access with one mutex (requests are short and in-memory).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
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

// Current UTC time as ConnectWise writes it ("2026-11-25T10:00:00Z") and as Autotask
// writes it ("2026-11-25T10:00:00.000Z").
std::string cw_now();
std::string at_now();

// Fills a fresh store with the documented seed data (docs/psa-sandbox.md).
void seed(Store& store);

}  // namespace switchyard::sandbox
