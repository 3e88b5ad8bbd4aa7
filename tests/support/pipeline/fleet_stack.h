// FleetStack: dispatch against many tenants, over the real parts (redis-server, the embedded
// Kafka, the PSA sandbox with one Autotask instance per tenant under /tenants/<id>/), for the
// engine's concurrency, parking and rebalance tests.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/kafka_producer.h"
#include "common/service_config.h"
#include "common/tenants.h"
#include "dispatch/dispatch_service.h"
#include "psa-sandbox/sandbox.h"
#include "support/embedded_kafka.h"
#include "support/redis_server.h"

namespace switchyard::testing {

struct FleetOptions {
  std::vector<std::string> tenants = {"t0", "t1"};
  double requests_per_second = 50;  // each tenant's limit in the tenants file
  int burst = 20;
  int partitions = 4;
};

class FleetStack {
 public:
  explicit FleetStack(FleetOptions options = {});
  ~FleetStack();

  ServiceConfig config() const;
  TenantDirectory tenants() const;
  // Test defaults: short back-off; the caller may change anything before starting.
  dispatch::DispatchOptions dispatch_options() const;
  std::unique_ptr<dispatch::DispatchService> start_dispatch(const dispatch::DispatchOptions& options);

  // A ticket.upsert for tenant/ref, titled `title`, with command id `id`.
  void upsert(const std::string& tenant, const std::string& id, const std::string& ref, const std::string& title);
  // Autotask tickets of the tenant whose externalID is `ref`.
  size_t tickets(const std::string& tenant, const std::string& ref) const;
  // Every ticket create the tenant's instance accepted.
  size_t creates(const std::string& tenant) const;
  // Titles the tenant's instance accepted for the ticket with externalID `ref`, in order.
  std::vector<std::string> titles_written(const std::string& tenant, const std::string& ref) const;

  EmbeddedKafka& kafka() { return kafka_; }
  RedisServer& redis() { return redis_; }
  sandbox::Sandbox& psa() { return sandbox_; }

 private:
  FleetOptions options_;
  std::filesystem::path dir_;
  RedisServer redis_;
  EmbeddedKafka kafka_;
  sandbox::Sandbox sandbox_;
  std::unique_ptr<KafkaProducer> producer_;
};

}  // namespace switchyard::testing
