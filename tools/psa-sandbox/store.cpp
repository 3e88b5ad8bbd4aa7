#include "psa-sandbox/store.h"

#include <algorithm>
#include <stdexcept>

namespace switchyard::sandbox {

Store::Records& Store::collection(std::string_view key) {
  auto it = collections_.find(key);
  if (it == collections_.end()) it = collections_.emplace(std::string(key), Records{}).first;
  return it->second;
}

const Store::Records* Store::find_collection(std::string_view key) const {
  const auto it = collections_.find(key);
  return it == collections_.end() ? nullptr : &it->second;
}

Value* Store::find(std::string_view key, int64_t id) {
  auto& records = collection(key);
  const auto it = records.find(id);
  return it == records.end() ? nullptr : &it->second;
}

int64_t Store::allocate_id(std::string_view key) {
  auto& records = collection(key);
  auto it = next_ids_.find(key);
  if (it == next_ids_.end()) it = next_ids_.emplace(std::string(key), 1).first;
  if (!records.empty()) it->second = std::max(it->second, records.rbegin()->first + 1);
  return it->second++;
}

int64_t Store::next_sequence(std::string_view name) {
  auto it = sequences_.find(name);
  if (it == sequences_.end()) it = sequences_.emplace(std::string(name), 0).first;
  return ++it->second;
}

void Store::clear() {
  collections_.clear();
  next_ids_.clear();
  sequences_.clear();
}

void seed_records(Store& store, std::string_view key, std::span<const std::string_view> records) {
  for (const std::string_view json : records) {
    auto value = parse_json(json);
    if (!value || !value->is_object() || !value->find("id") || !value->find("id")->is_int()) {
      throw std::logic_error("bad seed record for " + std::string(key));
    }
    const int64_t id = value->find("id")->as_int();
    store.collection(key)[id] = std::move(value).value();
  }
}

}  // namespace switchyard::sandbox
