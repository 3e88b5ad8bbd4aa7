// PsaCallWorker: where ingest's HTTP handlers send work that calls a PSA (a connection test,
// fetching a webhook's signing key), so it never runs on an HTTP thread. One thread with its own
// Redis and HTTP clients takes jobs from a short queue; a full queue refuses at once (the
// caller answers 503), and jobs still queued at shutdown are told so.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "common/http_client.h"
#include "common/live_tenants.h"
#include "common/metrics.h"
#include "common/rate_limiter.h"
#include "common/redis_client.h"
#include "connectors/auth/token_provider.h"
#include "connectors/connector.h"
#include "connectors/instrumented_psa_http.h"
#include "connectors/rate_limited_psa_http.h"

namespace switchyard::ingest {

// What a job gets: the tenant's PsaHttp (metrics and the tenant's shared rate limit, waiting up
// to a few seconds inline: someone is waiting for the answer) and the shared token provider.
struct PsaCall {
  const Tenant& tenant;
  const connectors::Connector& connector;
  connectors::PsaHttp& http;
  connectors::auth::TokenProvider& tokens;
  // `http`'s rate limiting: after a "throttled" error, until when the tenant should rest.
  const connectors::RateLimitedPsaHttp* limiter = nullptr;
  RedisClient* redis = nullptr;  // the worker's connection (activity records)
};

struct PsaCallWorkerOptions {
  size_t queue = 8;
  std::string rate_limit_prefix = "sy:rl:";
  std::chrono::milliseconds max_inline_wait{5000};
};

class PsaCallWorker {
 public:
  PsaCallWorker(RedisSettings redis, Metrics& metrics, PsaCallWorkerOptions options = {});
  ~PsaCallWorker();  // queued jobs get their `cancelled` call; the thread is joined

  // Queues `job` for `tenant`'s PSA through `connector`; false when the queue is full. Exactly one
  // of `job` (on the worker's thread) and `cancelled` (at shutdown) is called. The tenant is held
  // as it was when submitted (a reload meanwhile does not change a job under way).
  bool submit(TenantRef tenant, const connectors::Connector& connector, std::function<void(PsaCall&)> job,
              std::function<void()> cancelled);

 private:
  struct Job {
    TenantRef tenant;
    const connectors::Connector* connector;
    std::function<void(PsaCall&)> run;
    std::function<void()> cancelled;
  };
  void loop();

  RedisSettings redis_settings_;
  Metrics& metrics_;
  PsaCallWorkerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::atomic<bool> stop_flag_{false};
  std::thread thread_;
};

}  // namespace switchyard::ingest
