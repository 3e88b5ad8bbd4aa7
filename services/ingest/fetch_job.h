// A fetch job: "read this record whole from the tenant's PSA". ingest schedules one, on the
// fetch-jobs topic and in the same acknowledged batch as the webhook's envelope, for every change
// a connector decoded as partial (Change::needs_fetch); FetchJobRunner runs it. Kafka key
// tenant/entity/id, like the raw topic. Retries carry their due time and attempt count in
// headers (sy-not-before, ms since the epoch; sy-attempts).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/kafka_producer.h"
#include "common/result.h"
#include "common/tenants.h"
#include "connectors/connector.h"

namespace switchyard::ingest {

inline constexpr int kFetchJobVersion = 1;
// Every text field of a job is 1 to this many characters (fetch_job_from_json checks).
inline constexpr size_t kFetchJobFieldMax = 64;
// Reasons: a partial webhook's record, or one an operator imported by id (sync "records").
inline constexpr std::string_view kPartialWebhookReason = "partial_webhook";
inline constexpr std::string_view kImportReason = "import";

struct FetchJob {
  std::string tenant;
  std::string psa;
  std::string entity;     // canonical type
  std::string entity_id;  // PSA id
  std::string reason;     // why it was scheduled: kPartialWebhookReason or kImportReason
  std::string scheduled_at;  // RFC 3339 UTC
  bool operator==(const FetchJob&) const = default;
};

// The job's retry state, from a message's headers (absent = first try, due now).
struct FetchJobRetry {
  int attempts = 0;
  int64_t not_before_ms = 0;
};

std::string to_json(const FetchJob& job);
// Every field required, bounded (a record id of at most 64 characters, ...); errors name it.
Result<FetchJob> fetch_job_from_json(std::string_view json);
std::string fetch_job_key(const FetchJob& job);
std::vector<KafkaHeader> fetch_job_headers(const FetchJob& job, const FetchJobRetry& retry = {});
FetchJobRetry fetch_job_retry(const std::vector<KafkaHeader>& headers);

// A record id someone outside the PSA names (an import): 1 to kFetchJobFieldMax of
// A-Z a-z 0-9 . _ : - (safe in Kafka keys, logs and PSA URLs; every PSA's ids fit).
bool is_importable_record_id(std::string_view id);

// The jobs for `changes` that need their record fetched.
std::vector<FetchJob> fetch_jobs_for(const Tenant& tenant, const std::vector<connectors::Change>& changes,
                                     std::string_view reason);

}  // namespace switchyard::ingest
