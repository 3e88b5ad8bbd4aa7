#include "common/log_audit_trail.h"

#include "common/log.h"

namespace switchyard {

void LogAuditTrail::record(AuditRecord r) {
  log::info("audit", {{"actor", r.actor}, {"action", r.action}, {"tenant", r.tenant}, {"outcome", r.outcome},
                      {"details", r.details_json}});
}

}  // namespace switchyard
