// Kafka topic names (defaults; each service can override them through the environment, see
// docs/configuration.md). Header-only so the dev broker can create exactly these topics.
#pragma once

#include <array>
#include <string_view>

namespace switchyard::topics {

// Raw envelopes from ingest (webhooks and polls), keyed by tenant/entity/id.
inline constexpr std::string_view kRaw = "switchyard.raw.v1";
// Canonical events from normalize, keyed by tenant/type/source id.
inline constexpr std::string_view kCanonical = "switchyard.canonical.v1";
// Commands for a tenant's PSA (from the vendor platform or ingest's commands endpoint).
inline constexpr std::string_view kCommands = "switchyard.commands.v1";
// Raw events normalize could not map (bad envelope, mapper error), with the reason.
inline constexpr std::string_view kRawDeadLetter = "switchyard.raw.dlq.v1";
// Commands dispatch could not execute after its retries, with the reason.
inline constexpr std::string_view kCommandsDeadLetter = "switchyard.commands.dlq.v1";
// Commands of a tenant that stayed throttled too long or held too many in memory, keyed like
// the command; dispatch takes them back once the tenant's pause has passed.
inline constexpr std::string_view kCommandsRetry = "switchyard.commands.retry.v1";
// The outcome of every command (created, updated, skipped, parked, dead-lettered), keyed like it.
inline constexpr std::string_view kCommandResults = "switchyard.command-results.v1";

// Raw envelopes of backfills (a tenant's first full import by polling), keyed like kRaw. A topic
// of their own, which normalize also consumes: a backfill of a million records fills its own
// partitions, so webhooks and live polls on kRaw are never queued behind it.
inline constexpr std::string_view kRawBackfill = "switchyard.raw.backfill.v1";

// Jobs to read a record whole from its PSA (a webhook carried only the changed fields), keyed
// tenant/entity/id. ingest consumes them, calls the PSA under the tenant's limit, and produces
// the record to kRaw; a throttled tenant's job is produced here again with a later due time.
inline constexpr std::string_view kFetchJobs = "switchyard.fetch-jobs.v1";

// What became of each sync step of a tenant (an inbound change, a command, a poll, a failed
// token refresh or connection test), in plain language with ids only, keyed by tenant
// (docs/activity.md). Every service produces to it; its recent part is also kept in Redis.
inline constexpr std::string_view kActivity = "switchyard.activity.v1";

// The audit trail (common/audit.h, docs/security.md): one record per admin action or configuration
// change, keyed by tenant. Append-only: delete policy, at least 400 days of retention, and
// nothing in Switchyard deletes from it (offboarding and erasure leave it alone).
inline constexpr std::string_view kAudit = "switchyard.audit.v1";

inline constexpr std::array<std::string_view, 11> kAll = {kRaw,           kCanonical,          kCommands,
                                                         kRawDeadLetter, kCommandsDeadLetter, kCommandsRetry,
                                                         kCommandResults, kRawBackfill,       kFetchJobs,
                                                         kActivity,       kAudit};

}  // namespace switchyard::topics
