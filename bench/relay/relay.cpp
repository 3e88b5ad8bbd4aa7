// `sybench-relay`: the ceiling for normalize on this machine (docs/performance.md,
// normalize_ceiling_events_per_cpu_s). It moves raw messages to the canonical topic the way
// normalize moves them, doing no other work: normalize's consume loop (common/consume_loop.h),
// its consumer settings (headers read on demand), its producer (acks=all, idempotent, the same
// 2 ms linger), its allocator, and offsets stored only once every output of a batch is
// acknowledged. Each message is produced once, unchanged, under its own key: no envelope
// parsing, no dedup, no mapping, no Redis, no activity. normalize's figure over this one is how
// much of the Kafka floor normalize's own work leaves.
//
//   sybench-relay --bootstrap HOST:PORT --from TOPIC --to TOPIC --group GROUP
//                 [--properties FILE] [--ready-file FILE] [--batch-size 2000] [--also-to TOPIC]
// --also-to produces a second, activity-record-sized message (300 bytes) for every message, as
// normalize records one activity per change: what that second output costs.
// Runs until SIGINT or SIGTERM. The ready file appears once partitions are assigned.
#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <string>

#include "common/allocator.h"
#include "common/consume_loop.h"
#include "common/env.h"
#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "common/kafka_properties.h"
#include "common/metrics.h"
#include "common/produce_batch.h"
#include "sybench/report.h"  // Options: sybench's --name value parsing

using namespace switchyard;

namespace {

std::atomic<bool> stopping{false};

void relay(const bench::Options& o) {
  const std::string to = o.required("to"), also_to = o.str("also-to", ""), ready_file = o.str("ready-file", "");
  KafkaSettings kafka;
  kafka.bootstrap_servers = o.required("bootstrap");
  kafka.client_id = "sybench-relay";
  kafka.linger_ms = 2;  // normalize's default (services/normalize/main.cpp)
  if (const std::string file = o.str("properties", ""); !file.empty()) kafka.extra = read_kafka_properties(file, Env());
  const auto batch_size = static_cast<size_t>(o.num("batch-size", 2000));

  Metrics metrics;
  auto producer = KafkaProducer::create(kafka);
  if (!producer) throw std::runtime_error("producer: " + producer.error().message);
  auto consumer = KafkaConsumer::create(kafka, o.required("group"), {o.required("from")});
  if (!consumer) throw std::runtime_error("consumer: " + consumer.error().message);
  (*consumer)->read_headers_on_demand(true);
  ConsumeLoop loop(**consumer, metrics, ConsumeLoop::Options{"relay", batch_size, std::chrono::milliseconds(100)});

  const std::string activity_sized(300, 'a');
  bool announced = false;
  const std::vector<KafkaHeader> no_headers;
  while (!stopping.load()) {
    loop.run_once([&](const std::vector<KafkaMessage>& messages, BatchProgress& progress) {
      ProduceBatch batch(**producer, metrics);
      const size_t outputs = also_to.empty() ? 1 : 2;
      for (const KafkaMessage& m : messages) {
        batch.add(to, m.key, m.value, no_headers);
        if (outputs == 2) batch.add(also_to, m.key, activity_sized, no_headers);
      }
      const std::vector<DeliveryResult> results = batch.wait();
      std::vector<size_t> safe;
      safe.reserve(messages.size());
      for (size_t i = 0; i < messages.size(); ++i) {
        if (results[i * outputs].ok && results[i * outputs + outputs - 1].ok) safe.push_back(i);
      }
      progress.finish_all(safe);
    });
    if (!announced && (*consumer)->has_assignment()) {
      announced = true;
      if (!ready_file.empty()) std::ofstream(ready_file) << "ready\n";
    }
  }
  (*consumer)->close();
}

}  // namespace

int main(int argc, char** argv) {
  tune_allocator();  // as the services do, before any thread starts
  std::signal(SIGINT, [](int) { stopping = true; });
  std::signal(SIGTERM, [](int) { stopping = true; });
  try {
    relay(bench::Options(argc, argv, 1));
  } catch (const std::exception& e) {
    std::cerr << "sybench-relay: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
