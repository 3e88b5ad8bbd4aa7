#include "normalize/normalizer.h"

#include <thread>
#include <unordered_map>

#include "common/canonical.h"
#include "common/dead_letter.h"
#include "common/envelope.h"
#include "common/log.h"
#include "common/produce_batch.h"
#include "common/resp_encode.h"
#include "common/time_format.h"
#include "normalize/canonical_headers.h"
#include "normalize/policy_engine.h"

namespace switchyard::normalize {

// One consumed message and what became of it.
struct Normalizer::Item {
  const KafkaMessage* message = nullptr;
  std::optional<Envelope> envelope;
  std::optional<size_t> claim;    // index into the claims of this batch
  std::optional<size_t> first;    // earlier item with the same key in this batch
  std::optional<canonical::Event> event;  // mapped, not yet produced
  std::vector<size_t> produced;   // indices into the ProduceBatch results: its event, what policies added
  bool mapped = false;            // mapped to canonical (vs dead-lettered)
  bool suppressed = false;        // held back by the tenant's sync policies: nothing to produce
  std::string suppressed_by;      // why: "out_of_scope", "unchanged" or "echo"
  std::string dead_code, dead_message;  // why it was dead-lettered
  bool safe = false;              // its offset may be stored
};

namespace {

}  // namespace

Normalizer::Normalizer(const ServiceConfig& config, NormalizeOptions options,
                       const connectors::ConnectorRegistry& registry, Metrics& metrics)
    : config_(config),
      options_(std::move(options)),
      registry_(registry),
      metrics_(metrics),
      normalize_metrics_(metrics),
      producer_([&] {
        auto producer = KafkaProducer::create(config.kafka);
        if (!producer) throw ConfigError("kafka producer: " + producer.error().message);
        return std::move(*producer);
      }()),
      redis_(config.redis),
      dedup_(redis_, options_.dedup),
      labels_(redis_, metrics_),
      policy_state_(redis_),
      echoes_(redis_, std::chrono::seconds(0)),
      activity_metrics_(metrics),
      activity_(config.activity, "normalize", redis_, *producer_, activity_metrics_) {
  // Backfills come on a topic of their own (see topics::kRawBackfill), consumed alongside.
  std::vector<std::string> consumed{config_.topics.raw};
  if (!config_.topics.raw_backfill.empty() && config_.topics.raw_backfill != config_.topics.raw) {
    consumed.push_back(config_.topics.raw_backfill);
  }
  auto consumer = KafkaConsumer::create(config_.kafka, options_.group_id, consumed);
  if (!consumer) throw ConfigError("kafka consumer: " + consumer.error().message);
  consumer_ = std::move(*consumer);
  consumer_->read_headers_on_demand(true);  // only a dead letter copies them (with_headers)
  redis_health_.ping_if_due(redis_);
  loop_ = std::make_unique<ConsumeLoop>(*consumer_, metrics_,
                                        ConsumeLoop::Options{"normalize", options_.batch_size, options_.poll_timeout},
                                        [this] { redis_health_.ping_if_due(redis_); });
}

Normalizer::~Normalizer() { close(); }

void Normalizer::close() {
  if (consumer_) consumer_->close();
}

bool Normalizer::ready(std::string& reason) {
  if (!redis_health_.ok()) reason = "redis unreachable";
  else if (!consumer_->has_assignment()) reason = "no partitions assigned yet";
  return reason.empty();
}

// The message as the dead letter keeps it: with its headers, which the consumer reads on demand.
KafkaMessage Normalizer::with_headers(const KafkaMessage& m) const {
  KafkaMessage original = m;
  original.headers = consumer_->headers_of(m);
  return original;
}

BatchStats Normalizer::run_once() {
  BatchStats stats;
  loop_->run_once([&](const std::vector<KafkaMessage>& messages, BatchProgress& progress) {
    stats = process(messages, progress);
  });
  return stats;
}

BatchStats Normalizer::process(const std::vector<KafkaMessage>& messages, BatchProgress& progress) {
  BatchStats stats;
  stats.consumed = messages.size();
  normalize_metrics_.count_consumed(messages.size());

  std::vector<Item> items(messages.size());
  std::vector<std::string> keys;
  // Views of the keys in `items`, which never reallocates.
  std::unordered_map<std::string_view, size_t> first_with_key;
  first_with_key.reserve(messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    items[i].message = &messages[i];
    // Parsed where it is: a std::string's spare capacity may be read (rdkafka_message.cpp reserves it).
    auto envelope = envelope_from_json(messages[i].value, messages[i].value.capacity() - messages[i].value.size());
    if (!envelope) continue;  // dead-lettered below
    items[i].envelope = std::move(*envelope);
    const std::string& key = items[i].envelope->idempotency_key;
    auto [it, inserted] = first_with_key.try_emplace(key, i);
    if (inserted) {
      items[i].claim = keys.size();
      keys.push_back(key);
    } else {
      items[i].first = it->second;
    }
  }

  // Claim every key in one round trip. A key pending under another claim (a consumer that
  // crashed mid-batch) is waited for until that claim expires; it is never dropped.
  const auto claimed_at = std::chrono::steady_clock::now();
  auto claims = dedup_.claim(keys);
  const auto give_up_at = std::chrono::steady_clock::now() + options_.dedup.pending_ttl + std::chrono::seconds(5);
  while (claims) {
    std::vector<size_t> in_flight;
    for (size_t c = 0; c < claims->size(); ++c) {
      if ((*claims)[c].state == ClaimState::InFlight) in_flight.push_back(c);
    }
    if (in_flight.empty() || std::chrono::steady_clock::now() > give_up_at) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    beat_.beat();  // waiting for another consumer's claim to expire (up to pending_ttl) is progress
    std::vector<std::string> retry_keys;
    for (size_t c : in_flight) retry_keys.push_back(keys[c]);
    auto retried = dedup_.claim(retry_keys);
    if (!retried) {
      claims = retried.error();
      break;
    }
    for (size_t r = 0; r < in_flight.size(); ++r) (*claims)[in_flight[r]] = (*retried)[r];
    ++stats.retried;
  }
  redis_health_.record(claims.ok());
  if (!claims) {
    // Without dedup we cannot tell duplicates apart: nothing is finished, the whole batch is
    // rewound and tried again a little later.
    metrics_.count_redis_error("dedup_claim");
    log::warn("redis unavailable, batch will be retried", {{"error", claims.error().message}});
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    return stats;
  }

  beat_.beat();
  ProduceBatch batch(*producer_, metrics_);
  std::vector<Claim> superseded;
  const auto mappings = options_.tenant_mappings.snapshot();  // one reload state per batch
  for (Item& item : items) {
    const KafkaMessage& m = *item.message;
    if (!item.envelope) {
      auto reason = envelope_from_json(m.value).error();
      DeadLetter letter{"normalize", reason.code, reason.message, "", 1};
      item.produced.push_back(batch.add(config_.topics.raw_dead_letter, m.key,
                                        dead_letter_json(letter, with_headers(m)), dead_letter_headers(letter, m)));
      normalize_metrics_.count_failed(reason.code);
      metrics_.count_dead_letter(config_.topics.raw_dead_letter, "", reason.code);
      continue;
    }
    if (!item.claim) continue;  // in-batch duplicate: follows its first copy
    const Claim& claim = (*claims)[*item.claim];
    if (claim.state == ClaimState::Duplicate) {
      item.safe = true;
      continue;
    }
    if (claim.state == ClaimState::InFlight) continue;  // still pending elsewhere: rewind below

    const Envelope& e = *item.envelope;
    const connectors::Connector* connector = registry_.find(e.psa);
    size_t label_misses = 0;
    const auto labels = connector ? labels_.get(e.tenant) : nullptr;
    Result<canonical::Record> record =
        connector ? connector->to_canonical(e, parser_, mappings_of(*mappings, e.tenant), labels.get(), &label_misses)
                  : Result<canonical::Record>(make_error("unknown_psa", "no connector for psa \"" + e.psa + "\""));
    if (label_misses > 0) normalize_metrics_.count_label_misses(options_.tenant_labels(e.tenant), label_misses);
    if (!record && record.error().code == connectors::kSuperseded) {
      // A partial change whose whole record follows as its own envelope: nothing to publish,
      // and its key is released (not done), so it never stands for the record's change.
      item.safe = true;
      superseded.push_back(claim);
      normalize_metrics_.count_superseded(options_.tenant_labels(e.tenant));
      continue;
    }
    if (!record) {
      item.dead_code = record.error().code;
      item.dead_message = record.error().message;
      DeadLetter letter{"normalize", record.error().code, record.error().message, e.tenant, 1};
      item.produced.push_back(batch.add(config_.topics.raw_dead_letter, m.key,
                                        dead_letter_json(letter, with_headers(m)), dead_letter_headers(letter, m)));
      normalize_metrics_.count_failed(record.error().code);
      metrics_.count_dead_letter(config_.topics.raw_dead_letter, options_.tenant_labels(e.tenant),
                                 record.error().code);
      log::warn("event not mappable, dead-lettered", {{"tenant", e.tenant}, {"psa", e.psa}, {"entity", e.entity},
                                                      {"reason", record.error().message}, {"trace_id", e.trace_id}});
      continue;
    }
    item.event = canonical::Event{e.idempotency_key,
                                  e.action == "deleted" ? canonical::Action::Deleted : canonical::Action::Upserted,
                                  // A backfill is a poll to the vendor: the canonical origin stays webhook|poll.
                                  e.received_at, is_polled(e) ? "poll" : e.source, std::move(*record),
                                  /*caused_by_command=*/std::nullopt, /*trigger=*/std::nullopt};
    item.mapped = true;
  }
  apply_policies(items, batch);

  const std::vector<DeliveryResult> results = batch.wait();
  std::vector<Claim> done, release = std::move(superseded);
  done.reserve(keys.size());  // most claims end done: no regrowth copying a batch of them
  bool all_delivered = true;
  for (Item& item : items) {
    if (item.produced.empty() && !item.suppressed) {
      // Mapped but left undecided (the policies' state could not be read): tried again.
      if (item.mapped && item.claim) release.push_back((*claims)[*item.claim]);
      continue;
    }
    bool ok = true;
    for (size_t p : item.produced) {
      if (results[p].ok) continue;
      ok = false;
      log::error("produce failed, event will be retried", {{"error", results[p].error}});
    }
    all_delivered = all_delivered && ok;
    item.safe = ok;
    if (item.mapped && ok && !item.suppressed) {
      ++stats.produced;
      normalize_metrics_.count_canonical(options_.tenant_labels(item.envelope->tenant),
                                         std::string(item.envelope->entity));
    }
    if (!item.mapped && ok) ++stats.dead_lettered;
    if (item.claim) {
      const Claim& claim = (*claims)[*item.claim];
      (item.mapped && ok ? done : release).push_back(claim);
    }
  }
  record_activity(items, results);
  // What the policies remember is written only once everything they decided is in Kafka: a
  // redelivered change must never find itself already remembered (and be held back as unchanged).
  if (all_delivered) commit_policies();
  for (Item& item : items) {
    if (item.first) {
      item.safe = items[*item.first].safe;
      if (item.safe) {
        ++stats.duplicates;
        normalize_metrics_.count_duplicate(options_.tenant_labels(item.envelope->tenant));
      }
    } else if (item.claim && (*claims)[*item.claim].state == ClaimState::Duplicate) {
      ++stats.duplicates;
      normalize_metrics_.count_duplicate(options_.tenant_labels(item.envelope->tenant));
    }
  }
  // The batch's end in one round trip: the done marks first (what keeps a later copy of these
  // changes out), then the activity records. Failed done marks are retried on their own.
  RespPipeline end;
  const size_t done_marks = dedup_.add_mark_done(end, done);
  const ActivityLog::Staged activity = activity_.stage(end);
  const auto replies = redis_.pipeline(end);
  activity_.finish(activity, replies);
  mark_done(done, Deduplicator::check_mark_done(replies, 0, done_marks), claimed_at + options_.dedup.pending_ttl);
  if (auto st = dedup_.release(release); !st) {
    metrics_.count_redis_error("dedup_release");
    log::warn("could not release claims; they expire on their own", {{"error", st.error().message}});
  }

  // Offsets are stored up to the first unsafe message of each partition; the loop rewinds there.
  std::vector<size_t> safe;
  safe.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].safe) safe.push_back(i);
  }
  progress.finish_all(safe);
  return stats;
}

void Normalizer::record_activity(const std::vector<Item>& items, const std::vector<DeliveryResult>& results) {
  const std::string at = now_rfc3339();  // the batch was finished at once: one clock read, not one per record
  for (const Item& item : items) {
    if (!item.envelope || !item.safe || item.first) continue;  // not finished, or a copy in this batch
    if (!item.mapped && item.dead_code.empty()) continue;      // a duplicate or a superseded partial
    const Envelope& e = *item.envelope;
    ActivityRecord a;
    a.tenant = options_.tenant_labels(e.tenant);
    if (a.tenant.empty()) continue;  // not configured here: its id must not name a Redis key
    a.at = at;
    a.kind = activity::kInbound;
    a.entity = e.entity;
    a.psa_id = e.entity_id;
    a.trace_id = e.trace_id;
    if (!item.mapped) {
      a.outcome = activity::kDeadLettered;
      a.reason = item.dead_code;
      a.message = "the change could not be read: " + item.dead_message;
      if (!item.produced.empty()) {
        const DeliveryResult& d = results[item.produced.front()];
        a.dead_letter = to_string(DeadLetterPlace{config_.topics.raw_dead_letter, d.partition, d.offset});
      }
    } else if (item.suppressed) {
      a.outcome = activity::kSuppressed;
      a.reason = "policy_" + item.suppressed_by;
      a.message = item.suppressed_by == "echo" ? "held back: Switchyard's own write, which the tenant does not want back"
                  : item.suppressed_by == "unchanged" ? "held back by the sync policies: nothing they publish changed"
                                                      : "held back by the sync policies: outside the tenant's scope";
    } else {
      a.outcome = activity::kEmitted;
      a.message = e.action == "deleted" ? "published the deletion" : "published the change";
    }
    activity_.add(std::move(a));  // written with the batch's done marks
  }
}

// The done mark is what keeps a later copy of these changes (a retried webhook, the poll of
// the same change) from being emitted again. Redis restarting is brief, so keep trying while
// our claims still hold the keys; only once they may have expired is a copy possible.
void Normalizer::mark_done(const std::vector<Claim>& done, Status first_try,
                           std::chrono::steady_clock::time_point claims_expire) {
  auto backoff = std::chrono::milliseconds(100);
  for (Status st = std::move(first_try); !st; st = dedup_.mark_done(done)) {
    metrics_.count_redis_error("dedup_mark_done");
    if (std::chrono::steady_clock::now() + backoff >= claims_expire) {
      log::warn("could not mark keys done before the claims expire; a later copy may be emitted again",
                {{"error", st.error().message}, {"keys", done.size()}});
      return;
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
    beat_.beat();  // waiting for Redis to come back is progress
  }
}

// Publishes the mapped events in batch order, through the sync policies for the tenants that set
// them (docs/sync-policies.md): held back, or joined by the records the policies add.
void Normalizer::apply_policies(std::vector<Item>& items, ProduceBatch& batch) {
  const auto settings = options_.tenant_sync_policies.snapshot();
  mark_echoes(items);
  // The UTC day decides the agreements in force.
  policy_batch_.emplace(policy_state_, format_utc_date(std::chrono::system_clock::now()));
  std::vector<PolicyInput> inputs(items.size());
  std::vector<PolicyInput> wanted;
  std::vector<bool> echo_held(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].event) continue;
    const auto& tenant_settings = sync_policies_of(*settings, items[i].envelope->tenant);
    // A change Switchyard's own write caused, which the tenant does not want back.
    echo_held[i] = tenant_settings.suppress_echoes && items[i].event->caused_by_command.has_value();
    if (tenant_settings.all() || echo_held[i]) continue;
    inputs[i] = {&*items[i].event, &tenant_settings, items[i].envelope->source == "resync"};
    wanted.push_back(inputs[i]);
  }
  if (!wanted.empty()) {
    auto loaded = policy_batch_->load(wanted);
    redis_health_.record(loaded.ok());
    if (!loaded) {
      // Undecidable without the state: these changes are rewound and tried again.
      metrics_.count_redis_error("policy_load");
      log::warn("redis unavailable, sync policies cannot decide; changes will be retried",
                {{"error", loaded.error().message}});
      for (size_t i = 0; i < items.size(); ++i) {
        if (inputs[i].event != nullptr) items[i].event.reset();
      }
      for (auto& input : inputs) input.event = nullptr;
    }
  }
  for (size_t i = 0; i < items.size(); ++i) {
    Item& item = items[i];
    if (!item.event) continue;
    const std::string& tenant = item.envelope->tenant;
    PolicyDecision decision;
    if (echo_held[i]) {
      decision.publish = false;
      decision.suppressed = "echo";
    } else if (inputs[i].event != nullptr) {
      decision = policy_batch_->apply(inputs[i]);
    }
    if (decision.publish) {
      const std::string type(canonical::type_name(item.event->record));
      item.produced.push_back(batch.add(config_.topics.canonical, tenant + "/" + type + "/" + item.envelope->entity_id,
                                        canonical::to_json(*item.event), canonical_headers(tenant, type)));
    } else {
      item.suppressed = true;
      item.suppressed_by = decision.suppressed;
      normalize_metrics_.count_suppressed(options_.tenant_labels(tenant), decision.suppressed);
    }
    for (const auto& added : decision.added) {
      const std::string type(canonical::type_name(added.event.record));
      item.produced.push_back(batch.add(config_.topics.canonical, added.key, canonical::to_json(added.event),
                                        canonical_headers(tenant, type)));
      normalize_metrics_.count_policy_record(options_.tenant_labels(tenant), type);
    }
    if (item.produced.empty()) item.safe = true;  // held back: nothing to wait for
  }
}

// Marks each change that dispatch's own write caused with that command's id (one round trip).
// Best effort: without Redis the changes go out unmarked rather than wait.
void Normalizer::mark_echoes(std::vector<Item>& items) {
  std::vector<EchoRecord> records;
  std::vector<size_t> of_item;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].event) continue;
    const auto& base = canonical::base_of(items[i].event->record);
    records.push_back({base.tenant, std::string(canonical::type_name(items[i].event->record)), base.source.id});
    of_item.push_back(i);
  }
  if (records.empty()) return;
  auto commands = echoes_.lookup(records);
  if (!commands) {
    metrics_.count_redis_error("echo_lookup");
    log::warn("could not look up echo marks; changes go out unmarked", {{"error", commands.error().message}});
    return;
  }
  for (size_t r = 0; r < records.size() && r < commands->size(); ++r) {
    if (!(*commands)[r].empty()) items[of_item[r]].event->caused_by_command = (*commands)[r];
  }
}

void Normalizer::commit_policies() {
  if (!policy_batch_) return;
  if (auto st = policy_batch_->commit(); !st) {
    // The state lags: the next change of these records may be published once more, never lost.
    metrics_.count_redis_error("policy_commit");
    log::warn("could not store the sync policies' state; a later change may be published again",
              {{"error", st.error().message}});
  }
  policy_batch_.reset();
}

void Normalizer::run(const std::atomic<bool>& stop) {
  if (options_.heartbeats != nullptr) beat_ = options_.heartbeats->add("consumer");
  loop_->run(
      stop,
      [this](const std::vector<KafkaMessage>& messages, BatchProgress& progress) { process(messages, progress); },
      &beat_);
  beat_ = Heartbeat{};  // ended on purpose: no longer watched
  close();
}

}  // namespace switchyard::normalize
