// KafkaConsumer over librdkafka's C++ KafkaConsumer. At-least-once: offsets are stored only by
// store_offset() and auto-commit commits only stored offsets; a revoke commits them first so the
// next owner of a partition starts right after the last message that was safely handled.
#include "common/kafka_consumer.h"

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <set>

#include "common/log.h"
#include "common/rdkafka_conf.h"
#include "common/rdkafka_message.h"

namespace switchyard {
namespace {

using Clock = std::chrono::steady_clock;
using PartitionKey = std::pair<std::string, int32_t>;

// Frees the TopicPartition pointers the C++ API hands out in vectors.
struct PartitionList {
  std::vector<RdKafka::TopicPartition*> items;
  PartitionList() = default;
  PartitionList(const PartitionList&) = delete;
  PartitionList& operator=(const PartitionList&) = delete;
  ~PartitionList() { RdKafka::TopicPartition::destroy(items); }
};

// Runs inside consume() on the polling thread; also keeps the set of assigned partitions.
class Rebalancer : public RdKafka::RebalanceCb {
 public:
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      if (cooperative) {
        if (RdKafka::Error* e = consumer->incremental_assign(partitions)) {
          log::error("kafka incremental_assign failed", {{"error", e->str()}});
          delete e;
        }
      } else {
        consumer->assign(partitions);
      }
      {
        std::lock_guard lock(mutex);
        for (auto* p : partitions) {
          assigned.insert({p->topic(), p->partition()});
          rewinds.erase({p->topic(), p->partition()});  // a new assignment starts at the committed offset
        }
      }
      log::info("kafka partitions assigned", {{"count", partitions.size()}});
      if (on_assign) on_assign(ids_of(partitions));
      return;
    }
    // Before the commit below: the engine stores what it finished of these partitions.
    if (on_revoke) on_revoke(ids_of(partitions));
    // Revoke (or a lost assignment): hand over what is done so the next owner does not redo
    // it. Best effort: a failed commit only means some redelivery.
    if (err == RdKafka::ERR__REVOKE_PARTITIONS) {
      const auto c = consumer->commitSync();
      if (c != RdKafka::ERR_NO_ERROR && c != RdKafka::ERR__NO_OFFSET) {
        log::warn("kafka commit on revoke failed", {{"error", RdKafka::err2str(c)}});
      }
    } else {
      log::warn("kafka rebalance error", {{"error", RdKafka::err2str(err)}});
    }
    if (cooperative) {
      if (RdKafka::Error* e = consumer->incremental_unassign(partitions)) {
        log::error("kafka incremental_unassign failed", {{"error", e->str()}});
        delete e;
      }
    } else {
      consumer->unassign();
    }
    std::lock_guard lock(mutex);
    if (cooperative) {
      for (auto* p : partitions) {
        assigned.erase({p->topic(), p->partition()});
        rewinds.erase({p->topic(), p->partition()});
      }
    } else {
      assigned.clear();
      rewinds.clear();  // nothing past a pending rewind was stored: the next owner redelivers it
    }
    log::info("kafka partitions revoked", {{"count", partitions.size()}});
  }

  static std::vector<TopicPartitionId> ids_of(const std::vector<RdKafka::TopicPartition*>& partitions) {
    std::vector<TopicPartitionId> ids;
    ids.reserve(partitions.size());
    for (const auto* p : partitions) ids.emplace_back(p->topic(), p->partition());
    return ids;
  }

  KafkaConsumer::PartitionsListener on_assign, on_revoke;
  mutable std::mutex mutex;
  std::set<PartitionKey> assigned;
  // Failed seeks still to be retried: partition → the offset it must go back to.
  std::map<PartitionKey, int64_t> rewinds;
};

}  // namespace

struct KafkaConsumer::Impl {
  RdKafkaEventLogger events{"consumer"};
  Rebalancer rebalancer;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer;  // after the callbacks it points to
  // Headers on demand: the last batch's messages, destroyed before the consumer (declared after
  // it), since rd_kafka_destroy waits for every message still held.
  bool headers_on_demand = false;
  std::vector<std::unique_ptr<RdKafka::Message>> held;
  bool closed = false;
  int failing_seeks = 0;  // test seam

  // Seeks to `offset`; on failure the rewind stays pending (the lower offset wins).
  Status seek(const PartitionKey& partition, int64_t offset) {
    {
      std::lock_guard lock(rebalancer.mutex);
      if (auto it = rebalancer.rewinds.find(partition); it != rebalancer.rewinds.end()) {
        offset = std::min(offset, it->second);
      }
    }
    std::unique_ptr<RdKafka::TopicPartition> tp(
        RdKafka::TopicPartition::create(partition.first, partition.second, offset));
    // A blocking seek, so the next poll_batch already fetches from the new position.
    RdKafka::ErrorCode err = RdKafka::ERR__TIMED_OUT;
    if (failing_seeks > 0) --failing_seeks;
    else err = consumer->seek(*tp, 5000);
    std::lock_guard lock(rebalancer.mutex);
    if (err == RdKafka::ERR_NO_ERROR) {
      rebalancer.rewinds.erase(partition);
      return ok_status();
    }
    rebalancer.rewinds[partition] = offset;
    return make_error("kafka_seek", "seek to " + partition.first + "[" + std::to_string(partition.second) + "]@" +
                                        std::to_string(offset) + " failed: " + RdKafka::err2str(err));
  }

  // The offset a partition must be rewound to first, if a seek to it failed.
  std::optional<int64_t> pending_rewind(const PartitionKey& partition) const {
    std::lock_guard lock(rebalancer.mutex);
    auto it = rebalancer.rewinds.find(partition);
    if (it == rebalancer.rewinds.end()) return std::nullopt;
    return it->second;
  }

  void retry_rewinds() {
    std::map<PartitionKey, int64_t> pending;
    {
      std::lock_guard lock(rebalancer.mutex);
      pending = rebalancer.rewinds;
    }
    for (const auto& [partition, offset] : pending) {
      if (auto s = seek(partition, offset); !s) log::warn("kafka rewind still pending", {{"error", s.error().message}});
    }
  }
};

Result<std::unique_ptr<KafkaConsumer>> KafkaConsumer::create(const KafkaSettings& settings,
                                                             const std::string& group_id,
                                                             const std::vector<std::string>& topics) {
  std::unique_ptr<KafkaConsumer> self(new KafkaConsumer());
  self->impl_ = std::make_unique<Impl>();
  Impl& impl = *self->impl_;

  auto made = make_rdkafka_conf(settings, {
      {"bootstrap.servers", settings.bootstrap_servers},
      {"client.id", settings.client_id},
      {"group.id", group_id},
      {"enable.auto.offset.store", "false"},
      {"enable.auto.commit", "true"},
      {"auto.commit.interval.ms", "1000"},
      {"auto.offset.reset", "earliest"},
      {"session.timeout.ms", "10000"},
      {"enable.partition.eof", "false"},
  });
  if (!made) return made.error();
  std::unique_ptr<RdKafka::Conf> conf = std::move(*made);
  std::string errstr;
  if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(&impl.rebalancer), errstr) !=
          RdKafka::Conf::CONF_OK ||
      conf->set("event_cb", static_cast<RdKafka::EventCb*>(&impl.events), errstr) !=
          RdKafka::Conf::CONF_OK) {
    return make_error("kafka_config", "cannot install consumer callbacks: " + errstr);
  }
  impl.consumer.reset(RdKafka::KafkaConsumer::create(conf.get(), errstr));
  if (!impl.consumer) return make_error("kafka_config", "cannot create consumer: " + errstr);
  if (const auto err = impl.consumer->subscribe(topics); err != RdKafka::ERR_NO_ERROR) {
    impl.consumer->close();
    impl.closed = true;
    return make_error("kafka_subscribe", "cannot subscribe: " + RdKafka::err2str(err));
  }
  return self;
}

KafkaConsumer::~KafkaConsumer() {
  if (impl_) close();
}

std::vector<KafkaMessage> KafkaConsumer::poll_batch(size_t max, std::chrono::milliseconds timeout) {
  std::vector<KafkaMessage> batch;
  impl_->held.clear();  // the last batch is done with
  if (impl_->closed || max == 0) return batch;
  impl_->retry_rewinds();
  // Rewinds are added only by seeks on this thread, never during consume(), so when none is
  // pending now the per-message check below can be skipped for the whole batch.
  const bool rewinds_pending = pending_rewinds() > 0;
  const auto deadline = Clock::now() + timeout;
  while (batch.size() < max) {
    // Wait (up to the deadline) only for the first message; then take what is already here.
    int wait_ms = 0;
    if (batch.empty()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      wait_ms = static_cast<int>(std::max<int64_t>(0, left.count()));
    }
    std::unique_ptr<RdKafka::Message> m(impl_->consumer->consume(wait_ms));
    const auto err = m->err();
    if (err == RdKafka::ERR_NO_ERROR) {
      // Fetched from before a rewind that has not happened yet: it comes again after it.
      const auto rewind =
          rewinds_pending ? impl_->pending_rewind({m->topic_name(), m->partition()}) : std::nullopt;
      if (!rewind || m->offset() < *rewind) {
        batch.push_back(to_kafka_message(*m, !impl_->headers_on_demand));
        if (impl_->headers_on_demand) impl_->held.push_back(std::move(m));
      }
      continue;
    }
    if (err == RdKafka::ERR__TIMED_OUT) {
      if (!batch.empty() || Clock::now() >= deadline) break;
      continue;
    }
    if (err != RdKafka::ERR__PARTITION_EOF) {
      log::warn("kafka consume error", {{"error", RdKafka::err2str(err)}, {"detail", m->errstr()}});
    }
    if (batch.empty() && Clock::now() >= deadline) break;
  }
  return batch;
}

void KafkaConsumer::read_headers_on_demand(bool on) {
  impl_->headers_on_demand = on;
  impl_->held.clear();
}

std::vector<KafkaHeader> KafkaConsumer::headers_of(const KafkaMessage& message) const {
  if (!impl_->headers_on_demand) return message.headers;
  for (const auto& m : impl_->held) {
    if (m->offset() == message.offset && m->partition() == message.partition && m->topic_name() == message.topic) {
      return read_headers(*m);
    }
  }
  return {};
}

bool KafkaConsumer::store_offset(const KafkaMessage& message) {
  return store_offset(message.topic, message.partition, message.offset);
}

bool KafkaConsumer::store_offset(const std::string& topic, int32_t partition, int64_t offset) {
  if (impl_->closed) return false;
  if (const auto rewind = impl_->pending_rewind({topic, partition}); rewind && offset >= *rewind) {
    log::warn("kafka offset not stored: the partition's rewind is pending",
              {{"topic", topic}, {"partition", partition}, {"offset", offset}});
    return false;
  }
  PartitionList list;
  list.items.push_back(RdKafka::TopicPartition::create(topic, partition, offset + 1));
  // Fails (ERR__STATE) when the partition was revoked meanwhile: its new owner redelivers it.
  if (const auto err = impl_->consumer->offsets_store(list.items); err != RdKafka::ERR_NO_ERROR) {
    log::warn("kafka offset store failed",
              {{"topic", topic}, {"partition", partition}, {"error", RdKafka::err2str(err)}});
    return false;
  }
  return true;
}

void KafkaConsumer::set_rebalance_listeners(PartitionsListener on_assign, PartitionsListener on_revoke) {
  impl_->rebalancer.on_assign = std::move(on_assign);
  impl_->rebalancer.on_revoke = std::move(on_revoke);
}

namespace {
void fill(PartitionList& list, const std::vector<TopicPartitionId>& partitions) {
  for (const auto& [topic, partition] : partitions) list.items.push_back(RdKafka::TopicPartition::create(topic, partition));
}
}  // namespace

void KafkaConsumer::pause(const std::vector<TopicPartitionId>& partitions) {
  if (impl_->closed || partitions.empty()) return;
  PartitionList list;
  fill(list, partitions);
  if (const auto err = impl_->consumer->pause(list.items); err != RdKafka::ERR_NO_ERROR) {
    log::warn("kafka pause failed", {{"error", RdKafka::err2str(err)}});
  }
}

void KafkaConsumer::resume(const std::vector<TopicPartitionId>& partitions) {
  if (impl_->closed || partitions.empty()) return;
  PartitionList list;
  fill(list, partitions);
  if (const auto err = impl_->consumer->resume(list.items); err != RdKafka::ERR_NO_ERROR) {
    log::warn("kafka resume failed", {{"error", RdKafka::err2str(err)}});
  }
}

std::vector<TopicPartitionId> KafkaConsumer::assignment() const {
  std::lock_guard lock(impl_->rebalancer.mutex);
  return {impl_->rebalancer.assigned.begin(), impl_->rebalancer.assigned.end()};
}

Status KafkaConsumer::seek_to(const KafkaMessage& message) {
  if (impl_->closed) return make_error("kafka_closed", "consumer is closed");
  auto status = impl_->seek({message.topic, message.partition}, message.offset);
  if (!status) log::error("kafka seek failed; rewind kept pending", {{"error", status.error().message}});
  return status;
}

size_t KafkaConsumer::pending_rewinds() const {
  std::lock_guard lock(impl_->rebalancer.mutex);
  return impl_->rebalancer.rewinds.size();
}

void KafkaConsumer::fail_next_seeks_for_testing(int n) { impl_->failing_seeks = n; }

Status KafkaConsumer::commit_sync() {
  if (impl_->closed) return make_error("kafka_closed", "consumer is closed");
  const auto err = impl_->consumer->commitSync();
  if (err == RdKafka::ERR_NO_ERROR || err == RdKafka::ERR__NO_OFFSET) return ok_status();
  return make_error("kafka_commit", "commit failed: " + RdKafka::err2str(err));
}

void KafkaConsumer::close() {
  if (impl_->closed || !impl_->consumer) return;  // also: create() failed half-way
  impl_->closed = true;
  impl_->held.clear();
  const auto err = impl_->consumer->commitSync();
  if (err != RdKafka::ERR_NO_ERROR && err != RdKafka::ERR__NO_OFFSET) {
    log::warn("kafka commit on close failed", {{"error", RdKafka::err2str(err)}});
  }
  impl_->consumer->close();  // leaves the group (the revoke callback commits once more)
  std::lock_guard lock(impl_->rebalancer.mutex);
  impl_->rebalancer.assigned.clear();
}

bool KafkaConsumer::has_assignment() const {
  std::lock_guard lock(impl_->rebalancer.mutex);
  return !impl_->rebalancer.assigned.empty();
}

std::map<std::pair<std::string, int32_t>, int64_t> KafkaConsumer::lag() const {
  std::map<PartitionKey, int64_t> out;
  if (impl_->closed) return out;
  PartitionList list;
  {
    std::lock_guard lock(impl_->rebalancer.mutex);
    for (const auto& [topic, partition] : impl_->rebalancer.assigned) {
      list.items.push_back(RdKafka::TopicPartition::create(topic, partition));
    }
  }
  if (list.items.empty() || impl_->consumer->position(list.items) != RdKafka::ERR_NO_ERROR) {
    return out;
  }
  // Before a partition's first message is consumed its position is unknown: count from the
  // committed offset then (one coordinator round trip), or from the log start if none.
  PartitionList unknown;
  for (const auto* tp : list.items) {
    if (tp->offset() < 0) {
      unknown.items.push_back(RdKafka::TopicPartition::create(tp->topic(), tp->partition()));
    }
  }
  if (!unknown.items.empty()) impl_->consumer->committed(unknown.items, 1000);
  auto position_of = [&](const RdKafka::TopicPartition& tp) -> int64_t {
    if (tp.offset() >= 0) return tp.offset();
    for (const auto* c : unknown.items) {
      if (c->topic() == tp.topic() && c->partition() == tp.partition()) return c->offset();
    }
    return RdKafka::Topic::OFFSET_INVALID;
  };
  for (const auto* tp : list.items) {
    int64_t low = RdKafka::Topic::OFFSET_INVALID;
    int64_t high = RdKafka::Topic::OFFSET_INVALID;
    impl_->consumer->get_watermark_offsets(tp->topic(), tp->partition(), &low, &high);
    if (high < 0) continue;  // no fetch response yet: unknown, not zero
    int64_t position = position_of(*tp);
    if (position < 0) position = std::max<int64_t>(low, 0);
    out[{tp->topic(), tp->partition()}] = std::max<int64_t>(0, high - position);
  }
  return out;
}

}  // namespace switchyard
