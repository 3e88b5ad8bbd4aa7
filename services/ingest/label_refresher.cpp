#include "ingest/label_refresher.h"

#include "common/label_tables.h"
#include "common/log.h"

namespace switchyard::ingest {

LabelRefresher::LabelRefresher(Metrics& metrics, LabelRefreshOptions options)
    : options_(std::move(options)),
      refreshes_(prometheus::BuildCounter()
                     .Name("switchyard_label_refreshes_total")
                     .Help("Reads of a tenant's PSA picklist labels, by PSA and result (stored, failed)")
                     .Register(metrics.registry())) {}

void LabelRefresher::not_before(const std::string& tenant, Clock::duration wait) {
  std::lock_guard lock(mutex_);
  next_[tenant] = Clock::now() + wait;
}

void LabelRefresher::refresh_if_due(RedisClient& redis, const Tenant& tenant, const connectors::Connector& connector,
                                    connectors::PsaHttp& http) {
  {
    std::lock_guard lock(mutex_);
    auto it = next_.find(tenant.id);
    if (it != next_.end() && Clock::now() < it->second) return;
  }
  const auto every = options_.every;
  // One replica per period: the gate expires with the period.
  auto gate = redis.checked_command({"SET", options_.gate_prefix + tenant.id, "1", "NX", "EX", std::to_string(every.count())});
  if (!gate) {
    not_before(tenant.id, std::chrono::seconds(60));
    return;
  }
  if (gate->is_nil()) {  // another replica has them (or is reading them) this period
    not_before(tenant.id, every / 4);
    return;
  }
  auto tables = connector.label_tables(tenant, http);
  if (!tables) {
    if (tables.error().code == connectors::kNotSupported) {
      not_before(tenant.id, std::chrono::hours(24));
      return;
    }
    // Let any replica try again soon.
    (void)redis.command({"DEL", options_.gate_prefix + tenant.id});
    not_before(tenant.id, std::chrono::seconds(60));
    refreshes_.Add({{"psa", tenant.psa}, {"result", "failed"}}).Increment();
    log::warn("picklist labels not read", {{"tenant", tenant.id}, {"error", tables.error().message}});
    return;
  }
  auto stored = redis.checked_command({"SET", options_.key_prefix + tenant.id, label_tables_to_json(*tables), "EX",
                               std::to_string(every.count() * 3)});
  if (!stored) {
    (void)redis.command({"DEL", options_.gate_prefix + tenant.id});
    not_before(tenant.id, std::chrono::seconds(60));
    refreshes_.Add({{"psa", tenant.psa}, {"result", "failed"}}).Increment();
    return;
  }
  not_before(tenant.id, every);
  refreshes_.Add({{"psa", tenant.psa}, {"result", "stored"}}).Increment();
  log::info("picklist labels stored", {{"tenant", tenant.id}, {"tables", static_cast<int64_t>(tables->tables.size())}});
}

}  // namespace switchyard::ingest
