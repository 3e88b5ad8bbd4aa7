// LogAuditTrail: the AuditTrail a service uses until the audit topic is wired (docs/security.md,
// "Audit trail"): each record is one log line ("audit"), with the actor, action, tenant, outcome
// and details. Logs are not append-only or kept for 400 days, so this is a stand-in, not the
// trail a reviewer is promised.
#pragma once

#include "common/audit.h"

namespace switchyard {

class LogAuditTrail final : public AuditTrail {
 public:
  void record(AuditRecord record) override;
};

}  // namespace switchyard
