#include "normalize/counter_cache.h"

#include <map>

namespace switchyard::normalize {

CounterCache::CounterCache(prometheus::Family<prometheus::Counter>& family, std::vector<std::string> label_names)
    : family_(family), names_(std::move(label_names)) {}

prometheus::Counter& CounterCache::get(std::initializer_list<std::string_view> values) {
  key_.clear();
  for (std::string_view v : values) key_.append(v).push_back('\0');
  if (auto it = counters_.find(key_); it != counters_.end()) return *it->second;
  std::map<std::string, std::string> labels;
  size_t i = 0;
  for (std::string_view v : values) labels.emplace(names_.at(i++), std::string(v));
  // Family::Add returns the same counter for the same labels, valid until removed (never here).
  prometheus::Counter& counter = family_.Add(labels);
  counters_.emplace(key_, &counter);
  return counter;
}

}  // namespace switchyard::normalize
