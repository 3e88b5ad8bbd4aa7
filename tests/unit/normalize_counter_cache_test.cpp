// normalize's counters are kept per label set (issue #18): each label set still counts into
// its own series, whatever the order they are first seen in.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "normalize/counter_cache.h"

namespace switchyard::normalize {
namespace {

TEST(NormalizeCounterCacheTest, EachLabelSetCountsIntoItsOwnSeries) {
  prometheus::Registry registry;
  auto& family = prometheus::BuildCounter().Name("t_total").Help("t").Register(registry);
  CounterCache cache(family, {"tenant", "type"});
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

}  // namespace
}  // namespace switchyard::normalize
