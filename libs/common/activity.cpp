#include "common/activity.h"

#include <simdjson.h>

#include <algorithm>
#include <array>

#include "common/json_read.h"
#include "common/json_writer.h"

namespace switchyard {
namespace activity {
namespace {

constexpr std::array kKinds = {kInbound, kCommand, kPoll, kBackfill, kAuth, kConnectionTest, kWebhooks};
constexpr std::array kOutcomes = {kEmitted, kSuppressed, kDeadLettered, kCreated, kUpdated,    kSkippedDuplicate, kRetried,
                                  kParked,  kProgress,   kCompleted,    kFailed,  kRegistered, kReplayed,
                                  kWouldSend, kExpanded};
constexpr std::array kProblems = {kDeadLettered, kRetried, kParked, kFailed};

}  // namespace

bool is_problem(std::string_view outcome) { return std::ranges::find(kProblems, outcome) != kProblems.end(); }
bool is_kind(std::string_view kind) { return std::ranges::find(kKinds, kind) != kKinds.end(); }
bool is_outcome(std::string_view outcome) { return std::ranges::find(kOutcomes, outcome) != kOutcomes.end(); }

}  // namespace activity

namespace {

struct Member {
  JsonKey key;
  std::string ActivityRecord::*field;
};

// In the order to_json writes them; "help" is derived, so it is not read back.
constexpr std::array<Member, 12> kMembers = {{{"at", &ActivityRecord::at},
                                              {"tenant", &ActivityRecord::tenant},
                                              {"kind", &ActivityRecord::kind},
                                              {"entity", &ActivityRecord::entity},
                                              {"psa_id", &ActivityRecord::psa_id},
                                              {"outcome", &ActivityRecord::outcome},
                                              {"reason", &ActivityRecord::reason},
                                              {"message", &ActivityRecord::message},
                                              {"trace_id", &ActivityRecord::trace_id},
                                              {"command_id", &ActivityRecord::command_id},
                                              {"service", &ActivityRecord::service},
                                              {"dead_letter", &ActivityRecord::dead_letter}}};

}  // namespace

ActivitySettings activity_settings_from_env(const Env& env, std::string topic) {
  ActivitySettings s;
  s.topic = std::move(topic);
  s.recent_max = static_cast<size_t>(env.integer("SWITCHYARD_ACTIVITY_RECENT_MAX", 10000, 100, 1'000'000));
  s.recent_ttl = std::chrono::seconds(env.integer("SWITCHYARD_ACTIVITY_RECENT_TTL_DAYS", 30, 1, 400) * 24 * 3600);
  return s;
}

std::string troubleshooting_link(std::string_view reason_code) {
  // Each code is a heading of its own ("### psa_rejected"), whose anchor is the code itself.
  std::string link = "docs/troubleshooting.md#";
  link.append(reason_code);
  return link;
}

std::string to_json(const ActivityRecord& record) {
  JsonWriter w;
  w.begin_object();
  for (const Member& m : kMembers) {
    const std::string& value = record.*m.field;
    if (value.empty()) continue;
    w.field(m.key, value);
    if (m.key.name == "reason") w.field("help", troubleshooting_link(value));
  }
  w.end_object();
  return w.take();
}

Result<ActivityRecord> activity_from_json(std::string_view json) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS || root.get(obj) != simdjson::SUCCESS) {
    return make_error("invalid_activity", "activity record: not a JSON object");
  }
  ActivityRecord record;
  for (const Member& m : kMembers) {
    auto value = json::optional_string(obj, m.key.name, "activity");
    if (!value) return make_error("invalid_activity", value.error().message);
    if (*value) record.*m.field = std::move(**value);
  }
  if (record.tenant.empty() || record.kind.empty() || record.outcome.empty()) {
    return make_error("invalid_activity", "activity record: tenant, kind and outcome are required");
  }
  return record;
}

}  // namespace switchyard
