// Activity: what became of one sync step of one tenant, written for the MSP partner and the
// vendor's support team rather than for a log reader (docs/activity.md). Every service records
// its own steps; the records go to switchyard.activity.v1 (keyed by tenant) and the recent ones
// of each tenant to a capped Redis stream that ingest's API serves.
//
// A record carries ids and codes only: never a name, title, e-mail, phone or ticket text, so
// it can be shown to anyone allowed to see the tenant. `message` is built from fixed words and
// ids by the code that records it, never copied from a PSA's answer.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/env.h"
#include "common/result.h"
#include "common/topics.h"

namespace switchyard {

namespace activity {
// Kinds.
inline constexpr std::string_view kInbound = "inbound";          // a change from the PSA (webhook or poll)
inline constexpr std::string_view kCommand = "command";          // a write to the PSA
inline constexpr std::string_view kPoll = "poll";                // a delta poll of one entity
inline constexpr std::string_view kBackfill = "backfill";        // a full import of one entity
inline constexpr std::string_view kAuth = "auth";                // getting or refreshing a token
inline constexpr std::string_view kConnectionTest = "connection_test";
inline constexpr std::string_view kWebhooks = "webhook_registration";

// Outcomes. Each kind uses some of them (docs/activity.md has the table).
inline constexpr std::string_view kEmitted = "emitted";
inline constexpr std::string_view kSuppressed = "suppressed";
inline constexpr std::string_view kDeadLettered = "dead_lettered";
inline constexpr std::string_view kCreated = "created";
inline constexpr std::string_view kUpdated = "updated";
inline constexpr std::string_view kSkippedDuplicate = "skipped_duplicate";
inline constexpr std::string_view kRetried = "retried";
inline constexpr std::string_view kParked = "parked";
inline constexpr std::string_view kProgress = "progress";
inline constexpr std::string_view kCompleted = "completed";
inline constexpr std::string_view kFailed = "failed";
inline constexpr std::string_view kRegistered = "registered";
inline constexpr std::string_view kReplayed = "replayed";  // a dead letter produced again
inline constexpr std::string_view kWouldSend = "would_send";  // test mode: rendered, not written
inline constexpr std::string_view kExpanded = "expanded";      // a recipe became its commands

// True for the outcomes a partner should look at: also kept in the tenant's problem stream, so
// a busy tenant's successes never push its failures out of view.
bool is_problem(std::string_view outcome);
// True when `kind` / `outcome` is one of the names above (the API's filters are checked with it).
bool is_kind(std::string_view kind);
bool is_outcome(std::string_view outcome);
}  // namespace activity

struct ActivitySettings {
  std::string topic{topics::kActivity};             // SWITCHYARD_TOPIC_ACTIVITY
  size_t recent_max = 10000;                        // SWITCHYARD_ACTIVITY_RECENT_MAX, per stream
  std::chrono::seconds recent_ttl{30 * 24 * 3600};  // SWITCHYARD_ACTIVITY_RECENT_TTL_DAYS
};
// Reads the SWITCHYARD_ACTIVITY_* variables (throws ConfigError when out of range).
ActivitySettings activity_settings_from_env(const Env& env, std::string topic);

struct ActivityRecord {
  std::string at{};          // RFC 3339 UTC; ActivityLog sets it when empty
  std::string tenant{};
  std::string kind{};        // activity::k*
  std::string entity{};      // canonical type ("ticket") or command type ("ticket.upsert")
  std::string psa_id{};      // the PSA record's id, when known
  std::string outcome{};     // activity::k*
  std::string reason{};      // a reason code (docs/troubleshooting.md); empty for a success
  std::string message{};     // plain language, ids only
  std::string trace_id{};    // follows the change or command through every service and log line
  std::string command_id{};  // kind "command": the vendor's command id
  std::string service{};     // the service that recorded it
  // outcome dead_lettered: the dead letter's place, "<topic>/<partition>/<offset>", by which it
  // is browsed and replayed (GET /v1/tenants/{t}/dead-letters)
  std::string dead_letter{};
  bool operator==(const ActivityRecord&) const = default;
};

// {"at","tenant","kind","entity","psa_id","outcome","reason","help","message","trace_id",
//  "command_id","service","dead_letter"}: empty fields are left out; "help" is the reason's entry in
// docs/troubleshooting.md, present with a reason.
std::string to_json(const ActivityRecord& record);
// Reads what to_json wrote (unknown members are ignored, so later versions can add fields).
Result<ActivityRecord> activity_from_json(std::string_view json);

// The reason's entry in docs/troubleshooting.md ("docs/troubleshooting.md#psa_throttled").
std::string troubleshooting_link(std::string_view reason_code);

}  // namespace switchyard
