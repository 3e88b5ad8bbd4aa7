// The series of each label set a metric family has handed out, kept. prometheus-cpp's
// Family::Add builds a label map, hashes it and takes the family's lock on every call, and the
// services called it several times per webhook or event (issue #18). Here a known label set
// costs a shared lock and one hash of its values. Label values are bounded (configured tenants,
// PSAs, topics, routes, reasons), so the cache is too. Safe from any thread. A series must
// never be removed from a family it caches: Family::Remove would leave a dangling pointer here.
#pragma once

#include <prometheus/family.h>

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace switchyard {

template <typename Metric>
class SeriesCache {
 public:
  // `make_args` are what Family::Add takes after the labels (a histogram's buckets).
  template <typename... MakeArgs>
  SeriesCache(prometheus::Family<Metric>& family, std::vector<std::string> label_names, MakeArgs... make_args)
      : names_(std::move(label_names)),
        add_([&family, make_args...](const std::map<std::string, std::string>& labels) -> Metric& {
          return family.Add(labels, make_args...);
        }) {}

  // The series of these label values, in the order of the label names.
  Metric& get(std::initializer_list<std::string_view> values) {
    thread_local std::string key;  // reused: no allocation once the thread saw a long key
    key.clear();
    for (std::string_view v : values) key.append(v).push_back('\0');  // "ab","c" ≠ "a","bc"
    {
      std::shared_lock lock(mutex_);
      if (auto it = series_.find(key); it != series_.end()) return *it->second;
    }
    std::map<std::string, std::string> labels;
    size_t i = 0;
    for (std::string_view v : values) labels.emplace(names_.at(i++), std::string(v));
    // Family::Add returns the same series for the same labels, valid until removed.
    Metric& series = add_(labels);
    std::unique_lock lock(mutex_);
    series_.emplace(key, &series);
    return series;
  }

 private:
  std::vector<std::string> names_;
  std::function<Metric&(const std::map<std::string, std::string>&)> add_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, Metric*> series_;  // values joined by '\0'
};

}  // namespace switchyard
