// PersonEraser: removes one person of one tenant from Switchyard's Redis state (GDPR Article 17;
// docs/runbooks.md "Erase a person"). Where a person can sit in Redis, and what is done:
//
//   sy:activity:{tenant}, :problems, :dead-letters   activity records about the contact (entity
//       "contact" with its id) or naming the e-mail: deleted (XDEL)
//   sy:policy:{tenant}:contacts:<company>, :owners   the contact id in the sync policies' state
//       (normalize/policy_state.h): removed, so the company's contact count drops by one
//   sy:policy:{tenant}:company:<id>, :agreements:<id>  stored company and agreement records
//       that carry the e-mail (a company's e-mails): the e-mail is blanked in place
//   sy:echo:{tenant}:contact:<id>                    the echo mark of a write to the contact: deleted
//   sy:lookup:<tenant>:*, sy:labels:<tenant>          cached set-up lists and label tables (picklists,
//       no contacts): dropped if one names the e-mail all the same; they are read again from the PSA
//
// Not person data, left alone: watermarks, leases, dedup keys (hashes), rate limits, tokens,
// sync health, adoption counters, executed-command records and write memos (ids only).
// Scans are bounded by the tenant's own keys (SCAN with the tenant in the pattern) and the
// activity streams' caps. Runs on a RedisWorker's thread; safe to run twice.
#pragma once

#include <cstdint>
#include <string>

#include "common/redis_client.h"
#include "common/result.h"
#include "ingest/erasure_request.h"

namespace switchyard::ingest {

struct ErasureReport {
  int64_t activity_records = 0;  // activity records about the person, deleted
  int64_t policy_entries = 0;    // contact-id entries of the sync policies' state, removed
  int64_t redacted_records = 0;  // stored company and agreement records whose copy of the e-mail was blanked
  int64_t cache_entries = 0;     // cached lists and label tables that named the e-mail, dropped
  int64_t echo_marks = 0;        // echo marks of writes to the contact, deleted
};

struct ErasureKeys {
  std::string lookup_prefix = "sy:lookup:";  // LookupOptions::key_prefix
  std::string labels_prefix = "sy:labels:";  // LabelRefreshOptions::key_prefix
};

// True when `text` holds `email` (lower-cased) as a whole address, in any case: not inside a
// longer one ("bob@acme.com" is not in "jimbob@acme.com").
bool mentions_email(std::string_view text, std::string_view email);
// `text` with every whole occurrence of `email` blanked; `count` says how many.
std::string without_email(std::string_view text, std::string_view email, int64_t& count);

class PersonEraser {
 public:
  explicit PersonEraser(RedisClient& redis, ErasureKeys keys = {});
  // Errors "redis_unavailable" (nothing or part of it done: running it again finishes it).
  Result<ErasureReport> erase(const std::string& tenant, const ErasureSubject& subject);

 private:
  Status erase_activity(const std::string& tenant, const ErasureSubject& subject, ErasureReport& report);
  Status erase_policy_entries(const std::string& tenant, const std::string& contact_id, ErasureReport& report);
  Status redact_records(const std::string& tenant, const std::string& email, ErasureReport& report);
  Status drop_caches(const std::string& tenant, const std::string& email, ErasureReport& report);
  Result<std::vector<std::string>> scan(const std::string& pattern);
  Result<RedisReply> run(const std::vector<std::string>& argv);

  RedisClient& redis_;
  ErasureKeys keys_;
};

}  // namespace switchyard::ingest
