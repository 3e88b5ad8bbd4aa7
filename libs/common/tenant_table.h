// One setting of every tenant, as a service keeps it in force: copies share one table, so a
// reload (replace) reaches every copy; readers take a snapshot per batch. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace switchyard {

template <typename T>
class TenantTable {
 public:
  using Map = std::map<std::string, T, std::less<>>;

  TenantTable() = default;
  explicit TenantTable(Map table) { replace(std::move(table)); }

  std::shared_ptr<const Map> snapshot() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->table;
  }

  // False when `table` is the one in force already.
  bool replace(Map table) {
    auto fresh = std::make_shared<const Map>(std::move(table));
    std::lock_guard lock(shared_->mutex);
    if (*fresh == *shared_->table) return false;
    shared_->table = std::move(fresh);
    return true;
  }

 private:
  struct Shared {
    std::mutex mutex;
    std::shared_ptr<const Map> table = std::make_shared<const Map>();
  };
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

}  // namespace switchyard
