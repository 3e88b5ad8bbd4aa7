#include "common/activity_log.h"

#include <map>
#include <set>

#include "common/adoption.h"
#include "common/log.h"
#include "common/resp_encode.h"
#include "common/sync_health.h"
#include "common/time_format.h"

namespace switchyard {

std::string activity_stream_key(std::string_view tenant) {
  std::string key = "sy:activity:{";
  key.append(tenant).append("}");
  return key;
}

std::string activity_problems_key(std::string_view tenant) { return activity_stream_key(tenant) + ":problems"; }
std::string activity_dead_letters_key(std::string_view tenant) { return activity_stream_key(tenant) + ":dead-letters"; }
std::string replayed_dead_letters_key(std::string_view tenant) { return activity_stream_key(tenant) + ":replayed"; }

ActivityMetrics::ActivityMetrics(Metrics& metrics)
    : records_(prometheus::BuildCounter()
                   .Name("switchyard_activity_records_total")
                   .Help("Activity records written, by kind and outcome")
                   .Register(metrics.registry()),
               {"kind", "outcome"}),
      write_errors_(prometheus::BuildCounter()
                        .Name("switchyard_activity_write_errors_total")
                        .Help("Activity records that could not be written to a sink (kafka or redis)")
                        .Register(metrics.registry())),
      kafka_errors_(write_errors_.Add({{"sink", "kafka"}})) {}

void ActivityMetrics::count_record(const std::string& kind, const std::string& outcome) {
  records_.get({kind, outcome}).Increment();
}

void ActivityMetrics::count_write_error(const std::string& sink) { write_errors_.Add({{"sink", sink}}).Increment(); }

ActivityLog::ActivityLog(const ActivitySettings& settings, std::string service, RedisClient& redis,
                         KafkaProducer& producer, ActivityMetrics& metrics)
    : settings_(settings), service_(std::move(service)), redis_(redis), producer_(producer), metrics_(metrics) {}

void ActivityLog::record(ActivityRecord record) {
  add(std::move(record));
  flush();
}

void ActivityLog::add(ActivityRecord record) {
  if (record.at.empty()) record.at = now_rfc3339();
  if (record.service.empty()) record.service = service_;
  pending_.push_back(std::move(record));
}

void ActivityLog::flush() {
  RespPipeline commands;
  const Staged staged = stage(commands);
  if (staged.records == 0) return;
  finish(staged, redis_.pipeline(commands));
}

ActivityLog::Staged ActivityLog::stage(RespPipeline& commands) {
  Staged staged;
  staged.first = commands.size();
  if (pending_.empty()) return staged;
  const std::string max_len = std::to_string(settings_.recent_max);
  const std::string ttl = std::to_string(settings_.recent_ttl.count());
  std::set<std::string> keys;  // each expires once per flush, not once per record
  commands.reserve(commands.bytes().size() + pending_.size() * 1024);
  for (const ActivityRecord& r : pending_) {
    std::string json = to_json(r);
    metrics_.count_record(r.kind, r.outcome);
    // The stream's fields: what the API filters on without parsing, then the record itself.
    auto add_to = [&](std::string key) {
      commands.add("XADD", key, "MAXLEN", "~", max_len, "*", "kind", r.kind, "outcome", r.outcome, "reason", r.reason,
                   "at", r.at, "r", json);
      keys.insert(std::move(key));
    };
    add_to(activity_stream_key(r.tenant));
    if (activity::is_problem(r.outcome)) add_to(activity_problems_key(r.tenant));
    // The index of dead letters the API browses and replays (a replay's own record names the
    // letter too, but is not one).
    if (!r.dead_letter.empty() && r.outcome == activity::kDeadLettered) add_to(activity_dead_letters_key(r.tenant));
    // Fire and forget: the history topic is best effort, like the view; a failure is counted.
    // The record is handed over, not copied: the stream's commands hold their own copies.
    producer_.produce_owned(settings_.topic, r.tenant, std::move(json), {{"sy-tenant", r.tenant}},
                            [errors = &metrics_.kafka_errors()](const DeliveryResult& d) {
                              if (!d.ok) errors->Increment();
                            });
  }
  for (const auto& key : keys) commands.add("EXPIRE", key, ttl);
  // Sync health: each entity's newest published change, once per flush.
  std::map<std::pair<std::string, std::string>, std::string> newest;
  for (const ActivityRecord& r : pending_) {
    if (r.kind != activity::kInbound || r.outcome != activity::kEmitted) continue;
    std::string& at = newest[{r.tenant, r.entity}];
    if (r.at > at) at = r.at;
  }
  for (const auto& [tenant_entity, at] : newest) {
    for (const auto& c : record_sync_health(tenant_entity.first, tenant_entity.second, false, at, settings_.recent_ttl)) {
      commands.add_argv(c);
    }
  }
  // Adoption (common/adoption.h) last: Redis runs a pipeline in order, so it is folded in only
  // after the records are written, in the same round trip.
  staged.adoption_from = commands.size();
  for (const auto& c : adoption_commands(pending_)) commands.add_argv(c);
  staged.end = commands.size();
  staged.records = pending_.size();
  pending_.clear();
  return staged;
}

void ActivityLog::finish(const Staged& staged, const Result<std::vector<RedisReply>>& replies) {
  if (staged.records == 0) return;
  bool failed = !replies || replies->size() < staged.end;
  bool adoption_failed = failed && staged.adoption_from < staged.end;
  if (!failed) {
    for (size_t i = staged.first; i < staged.end; ++i) {
      const bool error = (*replies)[i].type == RedisReply::Type::Error;
      (i < staged.adoption_from ? failed : adoption_failed) |= error;
    }
  }
  if (failed) {
    metrics_.count_write_error("redis");
    log::warn("activity not written to redis", {{"records", static_cast<int64_t>(staged.records)}});
  }
  if (adoption_failed) {
    metrics_.count_write_error("adoption");
    log::warn("adoption not updated in redis", {{"records", static_cast<int64_t>(staged.records)}});
  }
}

}  // namespace switchyard
