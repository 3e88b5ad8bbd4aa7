// Dispatcher: commands topic → tenant's connector → PSA, many commands at a time.
//
// One consumer thread polls the commands and retry topics and admits each command into the
// CommandWindow; `concurrency` worker threads take runnable commands from it (per key in
// order, tenants round-robin, parked tenants skipped) and run them with a CommandRunner.
// Offsets are stored per partition up to the lowest unfinished command, so a crash
// redelivers at most the window; the executed-command record and the connectors' lookup by
// external reference keep a redelivered command from writing twice. docs/architecture.md
// draws the lanes, windows and offsets.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "common/lag_reporter.h"
#include "common/metrics.h"
#include "common/redis_client.h"
#include "common/redis_health.h"
#include "common/service_config.h"
#include "common/live_tenants.h"
#include "connectors/registry.h"
#include "dispatch/command_runner.h"
#include "dispatch/command_window.h"
#include "dispatch/dispatch_metrics.h"
#include "dispatch/dispatch_options.h"
#include "dispatch/usage_closer.h"

namespace switchyard::dispatch {

class Dispatcher {
 public:
  Dispatcher(const ServiceConfig& config, DispatchOptions options, const LiveTenants& tenants,
             const connectors::ConnectorRegistry& registry, Metrics& metrics);
  ~Dispatcher();

  // Runs the consumer loop and the workers until `stop` is set, then stores what finished,
  // commits and leaves the group.
  void run(const std::atomic<bool>& stop);
  void close();
  bool ready(std::string& reason);

 private:
  void admit(std::vector<KafkaMessage> batch);
  // Retry-topic commands wait in their partition's queue until due (and until their tenant has
  // room), in offset order; the partition is paused meanwhile, so the rest waits in Kafka.
  void delay_retry(WindowEntry* entry, int64_t not_before_ms);
  void release_due_retries();
  void store_offsets(const std::vector<std::pair<TopicPartitionId, int64_t>>& offsets);
  void sweep();
  void move(std::vector<WindowEntry*> entries, int64_t not_before_ms);
  void apply_backpressure();
  void on_revoke(const std::vector<TopicPartitionId>& partitions);
  void on_assign(const std::vector<TopicPartitionId>& partitions);
  void work(const std::atomic<bool>& stop, size_t index);
  size_t tenant_concurrency(const Tenant* tenant) const;

  const ServiceConfig& config_;
  DispatchOptions options_;
  const LiveTenants& tenants_;
  Metrics& metrics_;
  DispatchMetrics dispatch_metrics_;
  ActivityMetrics activity_metrics_;
  std::unique_ptr<KafkaProducer> producer_;
  std::unique_ptr<KafkaConsumer> consumer_;
  LagReporter lag_{metrics_, [this] { return consumer_->lag(); }};  // consumer thread only
  RunnerContext context_;
  CommandWindow window_;
  RedisClient redis_;  // consumer thread only
  RedisHealth redis_health_;
  Heartbeat consumer_beat_;  // consumer thread; detached outside run()
  std::unique_ptr<CommandRunner> expirer_;  // consumer thread only: dead-letters expired commands
  std::unique_ptr<UsageCloser> usage_closer_;  // consumer thread only: scheduled billing-period closes
  std::vector<std::thread> workers_;
  bool paused_ = false;  // every partition paused: the window is full
  struct Delayed {
    WindowEntry* entry;
    int64_t not_before_ms;
  };
  std::map<TopicPartitionId, std::deque<Delayed>> delayed_;  // paused retry partitions' held commands
  SteadyClock::time_point next_sweep_{};
  SteadyClock::time_point next_stats_{};
  SteadyClock::time_point next_usage_close_{};
};

}  // namespace switchyard::dispatch
