// Metric series kept per label set (issue #18): each label set still counts into its own
// series, whatever the order they are first seen in, from any thread.
#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>
#include <thread>
#include <vector>

#include "common/series_cache.h"

namespace switchyard {
namespace {

TEST(SeriesCacheTest, EachLabelSetCountsIntoItsOwnSeries) {
  prometheus::Registry registry;
  auto& family = prometheus::BuildCounter().Name("t_total").Help("t").Register(registry);
  SeriesCache<prometheus::Counter> cache(family, {"tenant", "type"});
  cache.get({"acme", "ticket"}).Increment();
  cache.get({"acme", "company"}).Increment(2);
  cache.get({"acme", "ticket"}).Increment();
  // Values that would run together if joined without a separator stay apart.
  cache.get({"acmet", "icket"}).Increment(5);
  cache.get({"", "ticket"}).Increment(7);
  EXPECT_EQ(family.Add({{"tenant", "acme"}, {"type", "ticket"}}).Value(), 2);
  EXPECT_EQ(family.Add({{"tenant", "acme"}, {"type", "company"}}).Value(), 2);
  EXPECT_EQ(family.Add({{"tenant", "acmet"}, {"type", "icket"}}).Value(), 5);
  EXPECT_EQ(family.Add({{"tenant", ""}, {"type", "ticket"}}).Value(), 7);
  EXPECT_EQ(&cache.get({"acme", "ticket"}), &family.Add({{"tenant", "acme"}, {"type", "ticket"}}));
  // A counter made elsewhere (another owner of the family) is the one the cache finds.
  family.Add({{"tenant", "beta"}, {"type", "ticket"}}).Increment(3);
  cache.get({"beta", "ticket"}).Increment();
  EXPECT_EQ(family.Add({{"tenant", "beta"}, {"type", "ticket"}}).Value(), 4);
}

TEST(SeriesCacheTest, HistogramsGetTheirBuckets) {
  prometheus::Registry registry;
  auto& family = prometheus::BuildHistogram().Name("t_seconds").Help("t").Register(registry);
  const prometheus::Histogram::BucketBoundaries buckets{0.1, 1};
  SeriesCache<prometheus::Histogram> cache(family, {"topic"}, buckets);
  cache.get({"raw"}).Observe(0.05);
  cache.get({"raw"}).Observe(5);
  const auto metric = family.Add({{"topic", "raw"}}, buckets).Collect();
  EXPECT_EQ(metric.histogram.sample_count, 2u);
  ASSERT_EQ(metric.histogram.bucket.size(), 3u);  // 0.1, 1, +Inf
  EXPECT_EQ(metric.histogram.bucket[0].cumulative_count, 1u);
  EXPECT_EQ(metric.histogram.bucket[2].cumulative_count, 2u);
}

TEST(SeriesCacheTest, ThreadsCountingTheSameAndNewLabelSetsLoseNothing) {
  prometheus::Registry registry;
  auto& family = prometheus::BuildCounter().Name("t_total").Help("t").Register(registry);
  SeriesCache<prometheus::Counter> cache(family, {"tenant"});
  constexpr int kThreads = 4, kRounds = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < kRounds; ++i) {
        cache.get({"shared"}).Increment();
        cache.get({"tenant-" + std::to_string((t + i) % 50)}).Increment();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(family.Add({{"tenant", "shared"}}).Value(), kThreads * kRounds);
  double spread = 0;
  for (int k = 0; k < 50; ++k) spread += family.Add({{"tenant", "tenant-" + std::to_string(k)}}).Value();
  EXPECT_EQ(spread, kThreads * kRounds);
}

}  // namespace
}  // namespace switchyard
