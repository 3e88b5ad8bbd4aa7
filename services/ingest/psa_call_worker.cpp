#include "ingest/psa_call_worker.h"

namespace switchyard::ingest {

PsaCallWorker::PsaCallWorker(RedisSettings redis, Metrics& metrics, PsaCallWorkerOptions options)
    : redis_settings_(std::move(redis)), metrics_(metrics), options_(std::move(options)), thread_([this] { loop(); }) {}

PsaCallWorker::~PsaCallWorker() {
  std::deque<Job> left;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    left.swap(queue_);
  }
  stop_flag_ = true;
  wake_.notify_all();
  for (Job& job : left) job.cancelled();
  thread_.join();
}

bool PsaCallWorker::submit(TenantRef tenant, const connectors::Connector& connector, std::function<void(PsaCall&)> job,
                           std::function<void()> cancelled) {
  std::lock_guard lock(mutex_);
  if (stopping_ || queue_.size() >= options_.queue) return false;
  queue_.push_back(Job{std::move(tenant), &connector, std::move(job), std::move(cancelled)});
  wake_.notify_one();
  return true;
}

void PsaCallWorker::loop() {
  // Created on this thread, used only here (neither client is thread-safe). Connections open on
  // first use, so a worker that never gets a job never connects.
  RedisClient redis(redis_settings_);
  RateLimiter limiter(redis, options_.rate_limit_prefix);
  connectors::auth::TokenProvider tokens(redis);
  http::HttpClient client;
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    const Tenant& tenant = *job.tenant;
    connectors::InstrumentedPsaHttp instrumented(client, metrics_, tenant.psa);
    connectors::ThrottleOptions throttle;
    throttle.max_inline_wait = options_.max_inline_wait;
    connectors::RateLimitedPsaHttp limited(instrumented, limiter, tenant, job.connector->spec().budgets, stop_flag_,
                                           throttle);
    PsaCall call{tenant, *job.connector, limited, tokens, &limited, &redis};
    job.run(call);
  }
}

}  // namespace switchyard::ingest
