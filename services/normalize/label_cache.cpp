#include "normalize/label_cache.h"

#include "common/log.h"

namespace switchyard::normalize {

std::shared_ptr<const LabelTables> LabelCache::get(const std::string& tenant) {
  const auto now = std::chrono::steady_clock::now();
  // Envelopes name their tenant themselves: bound what unknown names can make us keep.
  if (entries_.size() >= 10000 && !entries_.contains(tenant)) entries_.clear();
  auto& entry = entries_[tenant];
  if (now < entry.expires) return entry.tables;
  entry.expires = now + ttl_;
  auto reply = redis_.checked_command({"GET", prefix_ + tenant});
  if (!reply) {
    metrics_.count_redis_error("labels_read");
    return entry.tables;  // the last ones known, if any
  }
  if (reply->is_nil()) {
    entry.tables = nullptr;
    return nullptr;
  }
  auto tables = label_tables_from_json(reply->str);
  if (!tables) {
    log::warn("stored picklist labels unreadable", {{"tenant", tenant}, {"error", tables.error().message}});
    entry.tables = nullptr;
    return nullptr;
  }
  entry.tables = std::make_shared<const LabelTables>(std::move(*tables));
  return entry.tables;
}

}  // namespace switchyard::normalize
