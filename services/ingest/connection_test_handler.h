// POST /v1/tenants/{tenant}/connection-test: checks the tenant's PSA connection now
// (connectors/connection_test.h) and answers with a plain-language report:
//   200 {"tenant","psa","ok","checks":[{"name","ok","detail"}],"was_suspended","resumed"}
// A tenant suspended because its credentials were refused resumes when the test passes.
// Authenticated like sync (common/bearer_auth.h) with scope "admin": 401 without a known token,
// 403 when it does not cover the tenant or the scope; 404 for an unknown tenant; 501 when the
// PSA has no connection test; 503 while the tester is busy or the PSA cannot be reached.
//
// The test calls the PSA, which can take seconds, so it never runs on an HTTP thread: one
// tester thread with its own Redis and HTTP clients takes the requests from a short queue.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "common/api_tokens.h"
#include "common/http_types.h"
#include "common/live_tenants.h"
#include "common/metrics.h"
#include "common/redis_client.h"
#include "connectors/registry.h"
#include "ingest/ingest_metrics.h"

namespace switchyard::ingest {

struct ConnectionTestOptions {
  size_t queue = 8;  // tests waiting for the tester; more are refused with 503
  std::string rate_limit_prefix = "sy:rl:";
};

class ConnectionTestHandler {
 public:
  ConnectionTestHandler(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry, RedisSettings redis,
                        Metrics& metrics, IngestMetrics& ingest_metrics, const ApiTokens& api_tokens,
                        ConnectionTestOptions options = {});
  ~ConnectionTestHandler();  // answers what is still queued with 503 and joins the tester
  void handle(http::Request&& request, http::Responder respond);

 private:
  struct Job {
    std::string tenant;
    http::Responder respond;
  };
  void run();  // the tester thread
  http::Response test(const std::string& tenant_id);
  http::Response reject(int status, std::string_view code, std::string_view message);

  const LiveTenants& tenants_;
  const connectors::ConnectorRegistry& registry_;
  RedisSettings redis_settings_;
  Metrics& metrics_;
  IngestMetrics& ingest_metrics_;
  const ApiTokens& api_tokens_;
  ConnectionTestOptions options_;
  prometheus::Family<prometheus::Counter>& tests_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread tester_;
};

}  // namespace switchyard::ingest
