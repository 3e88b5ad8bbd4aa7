// KafkaProducer over librdkafka: its C++ API for the client, its C API for produce (a topic
// handle made once per topic, and payloads handed over without a copy). Delivery reports are
// served by one dedicated thread; each message carries a heap-allocated Pending (callback,
// start time, and the payload when the caller handed it over) as its msg_opaque.
#include "common/kafka_producer.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "common/log.h"
#include "common/rdkafka_conf.h"

namespace switchyard {
namespace {

using Clock = std::chrono::steady_clock;

// "0.5", "2": the shortest form that reads back as the same value (librdkafka's linger.ms is a float).
std::string milliseconds_property(double ms) {
  char digits[32];
  const auto written = std::to_chars(digits, digits + sizeof digits, ms);
  return std::string(digits, written.ptr);
}

}  // namespace

struct KafkaProducer::Pending {
  DeliveryCallback done;
  Clock::time_point start;
  std::string value;  // the payload, when the caller handed it over: librdkafka reads it until the report
};

struct KafkaProducer::Impl : public RdKafka::DeliveryReportCb {
  KafkaSettings settings;
  RdKafkaEventLogger events{"producer"};
  std::unique_ptr<RdKafka::Producer> producer;  // after the callbacks it points to
  std::thread poller;
  std::atomic<bool> stopping{false};

  // Messages accepted by librdkafka whose callback has not finished yet. flush() waits on
  // this instead of calling librdkafka's flush(), which would run callbacks on the caller's
  // thread (and deadlock a caller holding a lock its callback takes). Counted without the lock
  // (every message changes it twice, from the io threads and the delivery thread); the lock
  // is taken only to wake a waiting flush() when it reaches 0.
  std::atomic<size_t> outstanding{0};
  std::mutex mutex;
  std::condition_variable drained;

  void finished_one() {
    if (outstanding.fetch_sub(1) != 1) return;
    std::lock_guard lock(mutex);
    drained.notify_all();
  }

  // Topic handles by name, made once: producing by name makes librdkafka look the topic up
  // (a lock and a string compare per topic) on every message.
  // Looked up by string_view (a transparent hash), so a known topic costs no allocation.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  std::shared_mutex topics_mutex;
  std::unordered_map<std::string, rd_kafka_topic_t*, NameHash, std::equal_to<>> topics;

  rd_kafka_topic_t* topic(std::string_view name) {
    {
      std::shared_lock lock(topics_mutex);
      if (auto it = topics.find(name); it != topics.end()) return it->second;
    }
    std::unique_lock lock(topics_mutex);
    if (auto it = topics.find(name); it != topics.end()) return it->second;
    // NULL for a name librdkafka refuses: not kept, so the produce fails and the next one asks again.
    rd_kafka_topic_t* handle = rd_kafka_topic_new(producer->c_ptr(), std::string(name).c_str(), nullptr);
    if (handle != nullptr) topics.emplace(std::string(name), handle);
    return handle;
  }

  void destroy_topics() {
    std::unique_lock lock(topics_mutex);
    for (auto& [name, handle] : topics) {
      if (handle != nullptr) rd_kafka_topic_destroy(handle);
    }
    topics.clear();
  }

  void dr_cb(RdKafka::Message& message) override {
    std::unique_ptr<Pending> pending(static_cast<Pending*>(message.msg_opaque()));
    if (!pending) return;
    DeliveryResult result;
    result.ok = message.err() == RdKafka::ERR_NO_ERROR;
    if (!result.ok) result.error = message.errstr();
    result.partition = message.partition();
    result.offset = message.offset();
    result.latency_seconds = std::chrono::duration<double>(Clock::now() - pending->start).count();
    invoke(*pending, result);
    finished_one();
  }

  static void invoke(Pending& pending, const DeliveryResult& result) {
    try {
      pending.done(result);
    } catch (const std::exception& e) {
      // A throwing callback must not kill the delivery thread (and with it every later report).
      log::error("delivery callback threw", {{"error", e.what()}});
    }
  }

  void poll_loop() {
    while (!stopping.load()) producer->poll(50);
  }
};

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::create(const KafkaSettings& settings) {
  std::unique_ptr<KafkaProducer> self(new KafkaProducer());
  self->impl_ = std::make_unique<Impl>();
  Impl& impl = *self->impl_;
  impl.settings = settings;

  const std::string timeout = std::to_string(settings.delivery_timeout_ms);
  auto made = make_rdkafka_conf(settings, {
      {"bootstrap.servers", settings.bootstrap_servers},
      {"client.id", settings.client_id},
      {"acks", "all"},
      {"enable.idempotence", "true"},
      // Short or no linger: a produce sits on the path to a caller's answer (ingest's 202), and
      // librdkafka still batches what queues up behind in-flight requests. Measured in
      // docs/performance.md: 5 ms held 64 clients to 9k webhooks/s; ingest's 0.5 ms makes fewer,
      // larger requests without that cost. normalize waits for a batch of thousands at once, and
      // lingers 2 ms.
      {"linger.ms", milliseconds_property(settings.linger_ms)},
      {"message.timeout.ms", timeout},
      {"delivery.timeout.ms", timeout},
      {"compression.type", "none"},
  });
  if (!made) return made.error();
  std::unique_ptr<RdKafka::Conf> conf = std::move(*made);
  std::string errstr;
  if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(&impl), errstr) !=
          RdKafka::Conf::CONF_OK ||
      conf->set("event_cb", static_cast<RdKafka::EventCb*>(&impl.events), errstr) !=
          RdKafka::Conf::CONF_OK) {
    return make_error("kafka_config", "cannot install producer callbacks: " + errstr);
  }
  impl.producer.reset(RdKafka::Producer::create(conf.get(), errstr));
  if (!impl.producer) return make_error("kafka_config", "cannot create producer: " + errstr);
  impl.poller = std::thread([&impl] { impl.poll_loop(); });
  return self;
}

KafkaProducer::~KafkaProducer() {
  if (!impl_ || !impl_->producer) return;  // create() failed before the thread started
  flush(std::chrono::milliseconds(impl_->settings.delivery_timeout_ms));
  impl_->stopping = true;
  impl_->poller.join();
  // Whatever is still queued gets its callback now (ok=false, "purged"), keeping the promise
  // that every `done` runs exactly once.
  impl_->producer->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < deadline && impl_->outstanding.load() != 0) impl_->producer->poll(10);
  impl_->destroy_topics();
  impl_->producer.reset();
}

void KafkaProducer::produce(std::string_view topic, std::string_view key, std::string_view value,
                            const std::vector<KafkaHeader>& headers, DeliveryCallback done) {
  send(topic, key, value, headers, std::make_unique<Pending>(Pending{std::move(done), Clock::now(), {}}));
}

void KafkaProducer::produce_owned(std::string_view topic, std::string_view key, std::string&& value,
                            const std::vector<KafkaHeader>& headers, DeliveryCallback done) {
  auto pending = std::make_unique<Pending>(Pending{std::move(done), Clock::now(), std::move(value)});
  const std::string_view payload = pending->value;
  send(topic, key, payload, headers, std::move(pending), /*payload_is_pending=*/true);
}

void KafkaProducer::send(std::string_view topic, std::string_view key, std::string_view value,
                         const std::vector<KafkaHeader>& headers, std::unique_ptr<Pending> pending,
                         bool payload_is_pending) {
  Impl& impl = *impl_;
  rd_kafka_headers_t* kafka_headers = nullptr;
  if (!headers.empty()) {
    kafka_headers = rd_kafka_headers_new(headers.size());
    for (const auto& h : headers) {
      rd_kafka_header_add(kafka_headers, h.name.data(), static_cast<ssize_t>(h.name.size()), h.value.data(),
                          static_cast<ssize_t>(h.value.size()));
    }
  }
  ++impl.outstanding;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
  if (rd_kafka_topic_t* handle = impl.topic(topic)) {
    // A payload the Pending owns lives until the delivery report: librdkafka need not copy it.
    const int flags = payload_is_pending ? 0 : RD_KAFKA_MSG_F_COPY;
    // A full local queue drains as the poll thread serves reports: wait a little, not forever,
    // so a stuck broker turns into a fast failure for the caller.
    const auto give_up = Clock::now() + std::chrono::milliseconds(500);
    for (;;) {
      err = rd_kafka_producev(impl.producer->c_ptr(), RD_KAFKA_V_RKT(handle), RD_KAFKA_V_MSGFLAGS(flags),
                              RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                              RD_KAFKA_V_KEY(key.empty() ? nullptr : key.data(), key.size()),
                              RD_KAFKA_V_HEADERS(kafka_headers), RD_KAFKA_V_OPAQUE(pending.get()), RD_KAFKA_V_END);
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || Clock::now() >= give_up) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    pending.release();  // owned by the delivery report now; headers by librdkafka
    return;
  }
  if (kafka_headers != nullptr) rd_kafka_headers_destroy(kafka_headers);  // freed by librdkafka only on success
  DeliveryResult result;
  result.error = rd_kafka_err2str(err);
  result.latency_seconds = std::chrono::duration<double>(Clock::now() - pending->start).count();
  Impl::invoke(*pending, result);
  impl.finished_one();
}

DeliveryResult KafkaProducer::produce_sync(std::string_view topic, std::string_view key,
                                           std::string_view value,
                                           const std::vector<KafkaHeader>& headers) {
  auto promise = std::make_shared<std::promise<DeliveryResult>>();
  auto future = promise->get_future();
  produce(topic, key, value, headers, [promise](const DeliveryResult& r) { promise->set_value(r); });
  return future.get();
}

bool KafkaProducer::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->drained.wait_for(lock, timeout, [&] { return impl_->outstanding.load() == 0; });
}

bool KafkaProducer::reachable(std::chrono::milliseconds timeout) {
  // After a fatal (idempotence) error every produce fails: report not ready, so the process
  // gets restarted rather than answering 503 forever.
  std::string fatal;
  if (impl_->producer->fatal_error(fatal) != RdKafka::ERR_NO_ERROR) return false;
  RdKafka::Metadata* metadata = nullptr;
  const auto err = impl_->producer->metadata(false, nullptr, &metadata,
                                             static_cast<int>(timeout.count()));
  delete metadata;
  return err == RdKafka::ERR_NO_ERROR;
}

}  // namespace switchyard
