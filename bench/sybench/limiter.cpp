// `sybench limiter`: what one GCRA decision costs dispatch — the EVALSHA round trip to Redis
// that precedes every PSA request — next to a bare PING on the same connection.
#include <functional>

#include "commands.h"
#include "common/rate_limiter.h"
#include "common/redis_client.h"

namespace switchyard::bench {

int limiter(const Options& o) {
  const std::string figure = o.str("figure", "limiter");
  const double seconds = o.num("seconds", 2);
  RedisSettings settings;
  settings.host = o.str("redis-host", "127.0.0.1");
  settings.port = static_cast<int>(o.num("redis-port", 6379));
  RedisClient redis(settings);
  if (!redis.ping()) throw std::runtime_error("redis unreachable");
  RateLimiter limiter(redis, "sybench:rl:");
  // Never binding: the largest limit the tenants file accepts, spread over many tenants.
  const RateLimit limit{10000, 100000};
  using Clock = std::chrono::steady_clock;

  auto measure = [&](const std::function<void(uint64_t)>& call) {
    Latencies us;
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    for (uint64_t i = 0; Clock::now() < until; ++i) {
      const auto t0 = Clock::now();
      call(i);
      us.add(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    return us;
  };
  Latencies ping = measure([&](uint64_t) { redis.ping(); });
  uint64_t denied = 0;
  Latencies acquire = measure([&](uint64_t i) {
    auto d = limiter.acquire("tenant-" + std::to_string(i % 1000), limit);
    if (!d) throw std::runtime_error(d.error().message);
    if (!d->allowed) ++denied;
  });
  emit(figure + "_acquire_p50", acquire.percentile(50), "us");
  emit(figure + "_acquire_p99", acquire.percentile(99), "us");
  emit(figure + "_redis_ping_p50", ping.percentile(50), "us");
  emit(figure + "_denied", static_cast<double>(denied), "calls");
  return 0;
}

}  // namespace switchyard::bench
