// The chaos suite's steady traffic, one thread per stream: ConnectWise callbacks and Autotask
// webhooks for records the traffic creates and updates in the sandbox (signed as each PSA signs
// them, redelivered now and then as PSAs do), and commands for the Autotask tenant (new and
// repeated ticket.upsert, billing_line.add). Every delivery is retried until ingest answers 202,
// as a PSA or the vendor platform would; what was accepted goes into the ledger.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "common/http_client.h"
#include "ledger.h"

namespace switchyard::chaos {

struct TrafficOptions {
  std::string ingest_webhook_url;  // ingest's webhook listener
  std::string ingest_api_url;      // ingest's API listener (commands)
  std::string sandbox_url;
  std::string run_id;  // makes command ids and references unique per run
  uint64_t seed = 1;
  double webhooks_per_second = 5;  // per PSA
  double commands_per_second = 2;
};

struct TrafficCounts {
  size_t refused = 0;   // a 4xx other than 408/429, or a 202 without keys: a bug in the suite or the service
  size_t given_up = 0;  // never accepted before the end of the run
};

class Traffic {
 public:
  Traffic(TrafficOptions options, Ledger& ledger);
  ~Traffic();
  void start();
  // No new deliveries; a delivery in progress keeps retrying for at most `grace`.
  void stop(std::chrono::milliseconds grace);
  TrafficCounts counts() const { return {refused_.load(), given_up_.load()}; }

 private:
  void connectwise_stream();
  void autotask_stream();
  // Posts one signed webhook until ingest accepts it (or gives up) and records it in the ledger.
  bool deliver_webhook(http::HttpClient& ingest, const std::string& url, const std::string& signature_header,
                       const std::string& psa, const std::string& title, const std::string& body,
                       const std::string& signature);
  void command_stream();

  TrafficOptions options_;
  Ledger& ledger_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> give_up_at_ms_{INT64_MAX};
  std::atomic<size_t> refused_{0}, given_up_{0};
  std::vector<std::thread> threads_;
};

}  // namespace switchyard::chaos
