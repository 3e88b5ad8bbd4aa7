#include "common/tenant_reloader.h"

#include "common/log.h"

namespace switchyard {
namespace {

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

prometheus::Family<prometheus::Gauge>& tenant_gauges(Metrics& metrics) {
  return prometheus::BuildGauge()
      .Name("switchyard_tenants")
      .Help("Tenants in the configuration in force, by state (active, paused)")
      .Register(metrics.registry());
}

}  // namespace

TenantReloader::TenantReloader(LiveTenants& live, std::string path, ConnectorSpecLookup specs, Env env,
                               std::chrono::milliseconds interval, Metrics& metrics, Heartbeats* heartbeats)
    : live_(live),
      path_(std::move(path)),
      specs_(std::move(specs)),
      env_(std::move(env)),
      active_(tenant_gauges(metrics).Add({{"state", "active"}})),
      paused_(tenant_gauges(metrics).Add({{"state", "paused"}})),
      reloader_("tenants", interval, [this] { return attempt(); }, metrics, heartbeats) {
  count(*live_.snapshot());
}

void TenantReloader::count(const TenantDirectory& tenants) {
  size_t paused = 0;
  for (const Tenant& t : tenants.all()) paused += t.paused ? 1 : 0;
  active_.Set(static_cast<double>(tenants.size() - paused));
  paused_.Set(static_cast<double>(paused));
}

Result<bool> TenantReloader::attempt() {
  auto next = read_tenants(path_, specs_, env_);
  if (!next) return make_error(next.error().code, "tenants " + path_ + ": " + next.error().message);
  const TenantSnapshot current = live_.snapshot();
  if (*next == *current) return false;

  TenantChanges c;
  for (const Tenant& t : next->all()) {
    const Tenant* before = current->find(t.id);
    if (before == nullptr) {
      c.added.push_back(t.id);
    } else if (!(*before == t)) {
      c.changed.push_back(t.id);
      if (t.paused && !before->paused) c.paused.push_back(t.id);
      if (!t.paused && before->paused) c.resumed.push_back(t.id);
      if (t.test_mode && !before->test_mode) c.test_mode_on.push_back(t.id);
      if (!t.test_mode && before->test_mode) c.test_mode_off.push_back(t.id);
    }
    if (before == nullptr || !(*before == t)) warn_about(t);
  }
  for (const Tenant& t : current->all()) {
    if (next->find(t.id) == nullptr) c.removed.push_back(t.id);
  }
  count(*next);
  const auto total = static_cast<int64_t>(next->size());
  live_.replace(std::move(*next));
  log::info("tenants reloaded", {{"tenants", total},
                                 {"added", joined(c.added)},
                                 {"removed", joined(c.removed)},
                                 {"changed", joined(c.changed)},
                                 {"paused", joined(c.paused)},
                                 {"resumed", joined(c.resumed)}});
  if (on_applied_) on_applied_(c);
  return true;
}

}  // namespace switchyard
