// The audit trail (docs/security.md, "Audit trail"): one record for every admin action (who by
// API token id, what, which tenant, when, the outcome), written to its own append-only topic.
// Handlers of admin actions take an AuditTrail& and record what they did; the service owns the
// implementation that writes to Kafka.
#pragma once

#include <functional>
#include <string>

namespace switchyard {

struct AuditRecord {
  std::string actor;    // "token:<api token id>", or "config-file" for a change read from a file
  std::string action;   // "offboard", "erasure", "connection_test", "sync", "replay", ...
  std::string tenant;   // empty when the action concerns no single tenant
  std::string outcome;  // "ok", "refused" or "failed"
  // A JSON object with the action's own details (ids, counts, keyed hashes): never a secret and
  // never personal data.
  std::string details_json = "{}";
};

class AuditTrail {
 public:
  virtual ~AuditTrail() = default;
  // Stamps the time and writes the record. Never throws: a record that cannot be written is
  // logged and counted by the implementation.
  virtual void record(AuditRecord record) = 0;
  // The same, and `written` runs once the record is stored (true) or could not be (false), on
  // any thread: for an answer that waits until the action's record is safe (docs/security.md,
  // "Audit trail"). This default cannot tell, and says true once record() returned.
  virtual void record_then(AuditRecord record, std::function<void(bool written)> written) {
    this->record(std::move(record));
    written(true);
  }
};

}  // namespace switchyard
