#include "common/adoption.h"

#include <array>
#include <set>
#include <utility>

#include "common/canonical.h"
#include "common/json_writer.h"
#include "common/reason_catalogue.h"
#include "common/time_format.h"

namespace switchyard {
namespace adoption {
namespace {

constexpr std::array kMilestones = {kTicketCreated, kAgreementSynced};

// Folds one tenant's fields: ARGV[1] = how many (field, time) pairs follow, each set unless the
// hash holds an earlier time (RFC 3339 UTC strings of one form order by time); then (field, n)
// pairs to add.
constexpr std::string_view kFold = R"lua(
local n = tonumber(ARGV[1])
local i = 2
for _ = 1, n do
  local old = redis.call('HGET', KEYS[1], ARGV[i])
  if (not old) or ARGV[i + 1] < old then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
  i = i + 2
end
while i < #ARGV do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
return 1)lua";

// Every canonical record type, from the schema's own variant, so a new type needs no edit here.
template <size_t... I>
std::set<std::string, std::less<>> canonical_types(std::index_sequence<I...>) {
  using canonical::Record;
  return {std::string(type_name(Record(std::in_place_index<I>)))...};
}
const std::set<std::string, std::less<>>& entities() {
  static const auto names = canonical_types(std::make_index_sequence<std::variant_size_v<canonical::Record>>());
  return names;
}

// 1..32 of [a-z_], starting with a letter.
bool is_word(std::string_view s) {
  if (s.empty() || s.size() > 32 || s.front() < 'a' || s.front() > 'z') return false;
  for (char c : s) {
    if ((c < 'a' || c > 'z') && c != '_') return false;
  }
  return true;
}

bool is_milestone(std::string_view m) {
  for (auto known : kMilestones) {
    if (m == known) return true;
  }
  return false;
}

// What one tenant's records add up to in one flush.
struct Fold {
  std::map<std::string, std::string> earliest;  // field → time
  std::map<std::string, int64_t> add;           // field → increment
  void at_least_as_early(const std::string& field, const std::string& at) {
    std::string& t = earliest[field];
    if (t.empty() || at < t) t = at;
  }
};

void fold(const ActivityRecord& r, Fold& f) {
  const bool command = r.kind == activity::kCommand;
  const bool inbound = r.kind == activity::kInbound;
  if (auto at = parse_rfc3339(r.at); at) {
    const std::string when = format_rfc3339_utc(*at);
    f.at_least_as_early("first_activity_at", when);
    if (r.kind == activity::kConnectionTest && r.outcome == activity::kCompleted) f.at_least_as_early("activated_at", when);
    if (command && r.entity == "ticket.upsert" && r.outcome == activity::kCreated) {
      f.at_least_as_early("first_value:" + std::string(kTicketCreated), when);
    }
    if (inbound && r.entity == "agreement" && r.outcome == activity::kEmitted) {
      f.at_least_as_early("first_value:" + std::string(kAgreementSynced), when);
    }
  }
  // Usage: what was done for the tenant, a recipe expanded included (docs/recipes.md). A
  // redelivery (skipped_duplicate), test mode's would_send and a held-back change are not uses.
  const bool used = (command && (r.outcome == activity::kCreated || r.outcome == activity::kUpdated ||
                                 r.outcome == activity::kExpanded)) ||
                    (inbound && r.outcome == activity::kEmitted);
  if (used && is_workflow(r.kind, r.entity)) ++f.add["usage:" + r.kind + ":" + r.entity];
  if (activity::is_problem(r.outcome)) {
    ++f.add["errors:" + (find_reason(r.reason) != nullptr ? r.reason : std::string(kOtherReason))];
  }
}

}  // namespace

bool is_workflow(std::string_view kind, std::string_view workflow) {
  if (kind == activity::kInbound) return entities().contains(workflow);
  if (kind != activity::kCommand) return false;
  const size_t dot = workflow.find('.');
  return dot != std::string_view::npos && is_word(workflow.substr(0, dot)) && is_word(workflow.substr(dot + 1));
}

}  // namespace adoption

std::string adoption_key(std::string_view tenant) {
  std::string key = "sy:adoption:{";
  key.append(tenant).append("}");
  return key;
}

std::vector<std::vector<std::string>> adoption_commands(const std::vector<ActivityRecord>& records) {
  std::map<std::string, adoption::Fold> tenants;
  for (const ActivityRecord& r : records) {
    if (!r.tenant.empty()) adoption::fold(r, tenants[r.tenant]);
  }
  std::vector<std::vector<std::string>> commands;
  for (const auto& [tenant, f] : tenants) {
    std::vector<std::string> c{"EVAL", std::string(adoption::kFold), "1", adoption_key(tenant),
                               std::to_string(f.earliest.size())};
    for (const auto& [field, at] : f.earliest) c.insert(c.end(), {field, at});
    for (const auto& [field, n] : f.add) c.insert(c.end(), {field, std::to_string(n)});
    commands.push_back(std::move(c));
  }
  return commands;
}

double TenantAdoption::time_to_first_value_seconds(std::string_view milestone) const {
  const auto it = first_value.find(std::string(milestone));
  if (activated_at.empty() || it == first_value.end()) return -1;
  const auto from = parse_rfc3339(activated_at);
  const auto to = parse_rfc3339(it->second);
  if (!from || !to) return -1;
  return std::max(0.0, std::chrono::duration<double>(*to - *from).count());
}

namespace {

TenantAdoption adoption_of(const std::vector<RedisReply>& items) {
  TenantAdoption a;
  size_t workflows = 0;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    const std::string& field = items[i].str;
    const std::string& value = items[i + 1].str;
    auto count = [&value]() -> int64_t {
      try {
        return std::stoll(value);
      } catch (const std::exception&) {
        return -1;
      }
    };
    const bool is_time = parse_rfc3339(value).ok();
    if (field == "first_activity_at" && is_time) {
      a.first_activity_at = value;
    } else if (field == "activated_at" && is_time) {
      a.activated_at = value;
    } else if (field.starts_with("first_value:") && is_time) {
      const std::string m = field.substr(12);
      if (adoption::is_milestone(m)) a.first_value[m] = value;
    } else if (field.starts_with("usage:")) {
      const size_t colon = field.find(':', 6);
      if (colon == std::string::npos || workflows >= adoption::kMaxWorkflows) continue;
      const std::string kind = field.substr(6, colon - 6);
      const std::string workflow = field.substr(colon + 1);
      if (const int64_t n = count(); n >= 0 && adoption::is_workflow(kind, workflow)) {
        a.usage[kind][workflow] = n;
        ++workflows;
      }
    } else if (field.starts_with("errors:")) {
      const std::string reason = field.substr(7);
      const bool known = find_reason(reason) != nullptr || reason == adoption::kOtherReason;
      if (const int64_t n = count(); n >= 0 && known && a.errors.size() < adoption::kMaxReasons) a.errors[reason] = n;
    }
  }
  return a;
}

}  // namespace

Result<TenantAdoption> read_adoption(RedisClient& redis, std::string_view tenant) {
  auto all = read_adoptions(redis, {std::string(tenant)});
  if (!all) return all.error();
  return std::move(all->front());
}

Result<std::vector<TenantAdoption>> read_adoptions(RedisClient& redis, const std::vector<std::string>& tenants) {
  std::vector<std::vector<std::string>> commands;
  for (const auto& tenant : tenants) commands.push_back({"HGETALL", adoption_key(tenant)});
  std::vector<TenantAdoption> out;
  if (commands.empty()) return out;
  auto replies = redis.pipeline(commands);
  if (!replies || replies->size() != tenants.size()) {
    return make_error("redis_unavailable", "the adoption store (Redis) did not answer");
  }
  for (const RedisReply& reply : *replies) {
    if (reply.type != RedisReply::Type::Array) {
      return make_error("redis_unavailable", "the adoption store (Redis) did not answer");
    }
    out.push_back(adoption_of(reply.elements));
  }
  return out;
}

std::string adoption_json(std::string_view tenant, const TenantAdoption& adoption) {
  JsonWriter w;
  auto time_or_null = [&w](std::string_view name, const std::string& at) {
    w.key(name);
    at.empty() ? w.null() : w.value(at);
  };
  w.begin_object().field("tenant", tenant);
  time_or_null("first_activity_at", adoption.first_activity_at);
  time_or_null("activated_at", adoption.activated_at);
  w.key("milestones").begin_object();
  for (auto m : adoption::kMilestones) {
    w.key(m);
    const auto it = adoption.first_value.find(std::string(m));
    if (it == adoption.first_value.end()) {
      w.null();
      continue;
    }
    w.begin_object().field("at", it->second).key("time_to_first_value_seconds");
    const double seconds = adoption.time_to_first_value_seconds(m);
    seconds < 0 ? w.null() : w.value(seconds);
    w.end_object();
  }
  w.end_object().key("usage").begin_object();
  for (const auto& [kind, workflows] : adoption.usage) {
    w.key(kind).begin_object();
    for (const auto& [workflow, n] : workflows) w.field(workflow, n);
    w.end_object();
  }
  w.end_object().key("errors").begin_object();
  for (const auto& [reason, n] : adoption.errors) w.field(reason, n);
  w.end_object().end_object();
  return w.take();
}

}  // namespace switchyard
