// The counter of each label set a metric family has seen, kept: Family::Add builds a label map,
// hashes it and takes the family's lock on every call, which normalize did several times per
// event (issue #18). The label values are bounded (configured tenants, types, reasons), and so
// is this cache. Not thread-safe: each owner of NormalizeMetrics uses it from one thread.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>

namespace switchyard::normalize {

class CounterCache {
 public:
  CounterCache(prometheus::Family<prometheus::Counter>& family, std::vector<std::string> label_names);
  // The counter of these label values, in the order of the label names.
  prometheus::Counter& get(std::initializer_list<std::string_view> values);

 private:
  prometheus::Family<prometheus::Counter>& family_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, prometheus::Counter*> counters_;  // values joined by '\0'
  std::string key_;  // reused: no allocation once a label set is known
};

}  // namespace switchyard::normalize
