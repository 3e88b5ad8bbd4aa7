#include "ingest/dead_letter_replay.h"

#include <simdjson.h>


#include "common/activity_view.h"
#include "common/dead_letter.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/time_format.h"
#include "common/trace.h"

namespace switchyard::ingest {
namespace {

constexpr auto kReadTimeout = std::chrono::seconds(5);
constexpr size_t kMaxPlace = 300;

// A place on one of the two dead-letter topics, so a caller can never make the reader fetch
// from any other topic.
std::optional<DeadLetterPlace> parse_place(std::string_view text, const TopicNames& topics) {
  auto place = parse_dead_letter_place(text);
  if (!place || (place->topic != topics.raw_dead_letter && place->topic != topics.commands_dead_letter)) {
    return std::nullopt;
  }
  return place;
}

std::string header(const KafkaMessage& m, std::string_view name) {
  for (const auto& h : m.headers) {
    if (h.name == name) return h.value;
  }
  return {};
}

}  // namespace

Result<ReplaySelection> replay_selection_from_json(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS || root.get(obj) != simdjson::SUCCESS) {
    return make_error("invalid_request", "the body must be a JSON object");
  }
  ReplaySelection s;
  for (auto [key, value] : obj) {
    if (key == "dead_letters") {
      simdjson::dom::array list;
      if (value.get(list) != simdjson::SUCCESS) return make_error("invalid_request", "dead_letters: must be an array");
      for (simdjson::dom::element e : list) {
        std::string_view place;
        if (e.get(place) != simdjson::SUCCESS || place.empty() || place.size() > kMaxPlace) {
          return make_error("invalid_request", "dead_letters: each must be a dead letter's \"dead_letter\" value");
        }
        s.dead_letters.emplace_back(place);
      }
      if (s.dead_letters.empty() || s.dead_letters.size() > kMaxReplayBatch) {
        return make_error("invalid_request", "dead_letters: 1 to 500 of them");
      }
    } else if (key == "reason" || key == "kind" || key == "since") {
      std::string_view text;
      if (value.get(text) != simdjson::SUCCESS) return make_error("invalid_request", std::string(key) + ": must be a string");
      (key == "reason" ? s.reason : key == "kind" ? s.kind : s.since) = std::string(text);
    } else if (key == "all" || key == "again") {
      bool flag = false;
      if (value.get(flag) != simdjson::SUCCESS) return make_error("invalid_request", std::string(key) + ": must be true or false");
      (key == "all" ? s.all : s.again) = flag;
    } else {
      return make_error("invalid_request", "unknown field \"" + std::string(key.substr(0, 64)) +
                                               "\" (dead_letters, reason, kind, since, all, again)");
    }
  }
  const bool filtered = !s.reason.empty() || !s.kind.empty() || !s.since.empty();
  if (!s.dead_letters.empty() && (filtered || s.all)) {
    return make_error("invalid_request", "give either dead_letters or filters, not both");
  }
  if (s.dead_letters.empty() && !filtered && !s.all) {
    return make_error("invalid_request", "say which: dead_letters, a filter (reason, kind, since), or \"all\": true");
  }
  // The filters are the activity view's: checked the same way.
  ActivityQuery check;
  check.reason = s.reason;
  check.kind = s.kind;
  check.since = s.since;
  if (auto valid = validate_activity_query(check); !valid) return valid.error();
  return s;
}

std::string to_json(const std::string& tenant, const ReplayReport& report) {
  size_t replayed = 0, already = 0, not_found = 0, failed = 0;
  for (const auto& o : report.outcomes) {
    replayed += o.outcome == "replayed";
    already += o.outcome == "already_replayed";
    not_found += o.outcome == "not_found";
    failed += o.outcome == "failed";
  }
  JsonWriter w;
  w.begin_object()
      .field("tenant", tenant)
      .field("replayed", static_cast<uint64_t>(replayed))
      .field("already_replayed", static_cast<uint64_t>(already))
      .field("not_found", static_cast<uint64_t>(not_found))
      .field("failed", static_cast<uint64_t>(failed))
      .field("more", report.more)
      .key("results")
      .begin_array();
  for (const auto& o : report.outcomes) {
    w.begin_object().field("dead_letter", o.dead_letter).field("outcome", o.outcome).end_object();
  }
  w.end_array().end_object();
  return w.take();
}

DeadLetterReplayer::DeadLetterReplayer(const ServiceConfig& config, KafkaReader& reader, KafkaProducer& producer,
                                       ActivityMetrics& activity_metrics)
    : config_(config), reader_(reader), producer_(producer), activity_metrics_(activity_metrics) {}

Result<ReplayReport> DeadLetterReplayer::replay(RedisClient& redis, const std::string& tenant,
                                               const ReplaySelection& selection) {
  ReplayReport report;
  std::vector<std::string> places = selection.dead_letters;
  if (places.empty()) {
    // The tenant's dead-letter index, newest first, filtered like the browse API.
    ActivityQuery q;
    q.tenant = tenant;
    q.dead_letters = true;
    q.reason = selection.reason;
    q.kind = selection.kind;
    q.since = selection.since;
    q.limit = kMaxReplayBatch;
    auto page = read_activity(redis, q);
    if (!page) return page.error();
    report.more = !page->next_cursor.empty();
    for (const auto& json : page->records) {
      if (auto record = activity_from_json(json); record && !record->dead_letter.empty()) {
        places.push_back(record->dead_letter);
      }
    }
  }
  ActivityLog activity(config_.activity, "ingest", redis, producer_, activity_metrics_);
  for (const auto& place : places) report.outcomes.push_back(replay_one(redis, activity, tenant, place, selection.again));
  activity.flush();
  return report;
}

ReplayOutcome DeadLetterReplayer::replay_one(RedisClient& redis, ActivityLog& activity, const std::string& tenant,
                                             const std::string& place, bool again) {
  ReplayOutcome out{place, "not_found"};
  const auto where = parse_place(place, config_.topics);
  if (!where) return out;
  const std::string replayed_key = replayed_dead_letters_key(tenant);
  if (!again) {
    auto seen = redis.checked_command({"HEXISTS", replayed_key, place});
    if (!seen) {
      out.outcome = "failed";
      return out;
    }
    if (seen->integer == 1) {
      out.outcome = "already_replayed";
      return out;
    }
  }
  auto message = reader_.read(where->topic, where->partition, where->offset, kReadTimeout);
  if (!message) {
    out.outcome = message.error().code == "not_found" ? "not_found" : "failed";
    return out;
  }
  auto letter = dead_letter_from_json(message->value);
  // Another tenant's letter answers as one that does not exist: nothing about it is revealed.
  if (!letter || letter->letter.tenant != tenant) return out;
  const KafkaMessage& original = letter->original;
  // Only back where Switchyard's own services consume.
  const TopicNames& t = config_.topics;
  if (original.topic != t.raw && original.topic != t.raw_backfill && original.topic != t.commands &&
      original.topic != t.commands_retry) {
    return out;
  }
  std::vector<KafkaHeader> headers = original.headers;
  headers.push_back({"sy-replayed-from", place});
  const DeliveryResult d = producer_.produce_sync(original.topic, original.key, original.value, headers);
  if (!d.ok) {
    out.outcome = "failed";
    log::warn("dead letter not replayed: kafka did not acknowledge", {{"tenant", tenant}, {"error", d.error}});
    return out;
  }
  out.outcome = "replayed";
  if (auto st = redis.pipeline({{"HSET", replayed_key, place, now_rfc3339()},
                                {"EXPIRE", replayed_key, std::to_string(config_.activity.recent_ttl.count())}});
      !st) {
    log::warn("replayed dead letter not remembered; a later replay without again may send it once more",
              {{"tenant", tenant}, {"error", st.error().message}});
  }
  ActivityRecord a;
  a.tenant = tenant;
  a.kind = letter->letter.service == "dispatch" ? activity::kCommand : activity::kInbound;
  a.outcome = activity::kReplayed;
  a.reason = letter->letter.reason_code;
  a.message = "the dead letter was produced again to " + original.topic + "; it runs as a redelivery";
  a.trace_id = header(original, kTraceHeader);
  a.command_id = header(original, "sy-command-id");
  a.dead_letter = place;
  activity.add(std::move(a));
  log::info("dead letter replayed", {{"tenant", tenant}, {"dead_letter", place}, {"topic", original.topic},
                                     {"trace_id", header(original, kTraceHeader)}});
  return out;
}

}  // namespace switchyard::ingest
