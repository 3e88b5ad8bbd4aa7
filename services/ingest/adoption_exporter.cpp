#include "ingest/adoption_exporter.h"

#include <algorithm>
#include <iterator>

#include "common/adoption.h"
#include "common/time_format.h"

namespace switchyard::ingest {

AdoptionExporter::AdoptionExporter(Metrics& metrics)
    : metrics_(metrics),
      activated_(prometheus::BuildGauge()
                     .Name("switchyard_tenant_activated_timestamp_seconds")
                     .Help("When the tenant's first connection test passed (Unix time)")
                     .Register(metrics.registry())),
      first_value_(prometheus::BuildGauge()
                       .Name("switchyard_tenant_first_value_timestamp_seconds")
                       .Help("When the tenant first reached the milestone: ticket_created, agreement_synced (Unix time)")
                       .Register(metrics.registry())),
      time_to_value_(prometheus::BuildGauge()
                         .Name("switchyard_tenant_time_to_first_value_seconds")
                         .Help("Seconds from the tenant's activation to its first milestone of value (0 when value came first)")
                         .Register(metrics.registry())),
      uses_(prometheus::BuildGauge()
                .Name("switchyard_tenant_workflow_uses")
                .Help("Successful uses of each workflow (command type or synced entity) since the tenant's onboarding")
                .Register(metrics.registry())),
      errors_(prometheus::BuildGauge()
                  .Name("switchyard_tenant_errors")
                  .Help("Problem activity records of the tenant by reason code since its onboarding")
                  .Register(metrics.registry())) {}

void AdoptionExporter::remove(const Series& series) {
  for (const auto& [family, g] : series) family->Remove(g);
}

void AdoptionExporter::export_once(RedisClient& redis, const std::set<std::string>& tenants) {
  const std::vector<std::string> ids(tenants.begin(), tenants.end());
  auto read = read_adoptions(redis, ids);  // every tenant in one round trip
  if (!read) {
    metrics_.count_redis_error("adoption_read");
    return;  // the last values stay: a Redis blip must not look like a reset
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& tenant = ids[i];
    const TenantAdoption* adoption = &(*read)[i];
    Series now;
    auto set = [&](prometheus::Family<prometheus::Gauge>& family, prometheus::Labels labels, double value) {
      labels.emplace("tenant", tenant);
      auto& g = family.Add(labels);
      g.Set(value);
      now.insert({&family, &g});
    };
    if (!adoption->activated_at.empty()) set(activated_, {}, epoch_seconds(adoption->activated_at));
    for (const auto& [milestone, at] : adoption->first_value) {
      set(first_value_, {{"milestone", milestone}}, epoch_seconds(at));
      const double seconds = adoption->time_to_first_value_seconds(milestone);
      if (seconds >= 0) set(time_to_value_, {{"milestone", milestone}}, seconds);
    }
    for (const auto& [kind, workflows] : adoption->usage) {
      for (const auto& [workflow, n] : workflows) set(uses_, {{"kind", kind}, {"workflow", workflow}}, static_cast<double>(n));
    }
    for (const auto& [reason, n] : adoption->errors) set(errors_, {{"reason", reason}}, static_cast<double>(n));
    Series& before = series_[tenant];
    Series gone;
    std::ranges::set_difference(before, now, std::inserter(gone, gone.end()));
    remove(gone);
    before = std::move(now);
  }
  for (auto it = series_.begin(); it != series_.end();) {
    if (tenants.contains(it->first)) {
      ++it;
      continue;
    }
    remove(it->second);
    it = series_.erase(it);
  }
}

}  // namespace switchyard::ingest
