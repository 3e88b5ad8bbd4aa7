// An AuditTrail that keeps what it is given, for tests that check an admin action was recorded.
#pragma once

#include <mutex>
#include <vector>

#include "common/audit.h"

namespace switchyard::testing {

class AuditRecords final : public AuditTrail {
 public:
  void record(AuditRecord r) override {
    std::lock_guard lock(mutex_);
    records_.push_back(std::move(r));
  }
  std::vector<AuditRecord> all() const {
    std::lock_guard lock(mutex_);
    return records_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<AuditRecord> records_;
};

}  // namespace switchyard::testing
