// ConfigChangeAudit: the audit record of a change that arrived through the tenants file or
// directory (TenantReloader): actor "config-file", action "config_reload", and as details the
// SHA-256 of the tenants file before and after (a directory: over its tenant files' names and
// contents, in name order) and the tenant ids added, removed, changed, paused, resumed, and
// switched into or out of test mode. A change of a referenced secret file alone changes tenants
// but not the hash.
//
// Every replica reloads the same file. So that a change is recorded once, not once per replica,
// the first replica to record it claims it in Redis (SET NX on a hash of the change, for
// `window`); the others see the claim and record nothing. When Redis cannot be reached, the
// record is written anyway: a duplicate beats a missing record. The same change repeated within
// `window` (A→B, back to A, and to B again in ten minutes) is recorded the first time only.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/audit.h"
#include "common/redis_client.h"
#include "common/tenant_reloader.h"

namespace switchyard {

// The tenants file's SHA-256 as hex, or the directory's (see above); "" when it cannot be read.
std::string tenants_source_sha256(const std::string& path);

// The record's details: {"file":"tenants","sha256","previous_sha256","added":[...],...}.
std::string config_change_details(const std::string& previous_sha256, const std::string& sha256,
                                  const TenantChanges& changes);

class ConfigChangeAudit {
 public:
  static constexpr std::chrono::seconds kDefaultWindow{600};
  // Reads the file's hash as the one in force. `audit` must outlive this object.
  ConfigChangeAudit(AuditTrail& audit, RedisSettings redis, std::string path,
                    std::chrono::seconds window = kDefaultWindow, std::string key_prefix = "sy:audit:config:");
  // On the reloader's thread only (TenantReloader::on_applied).
  void record(const TenantChanges& changes);

 private:
  bool claim(const std::string& change_hash);

  AuditTrail& audit_;
  RedisSettings redis_settings_;
  std::unique_ptr<RedisClient> redis_;  // made on first use, on the reloader's thread
  std::string path_;
  std::chrono::seconds window_;
  std::string key_prefix_;
  std::string sha256_;  // the hash of the file in force
};

}  // namespace switchyard
