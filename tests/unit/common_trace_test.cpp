// Trace ids (common/trace.h): W3C trace-id form, unique across calls and threads, drawn from a
// per-thread generator (issue #18) whose hex digits still spread evenly; traceparent parsing.
#include "common/trace.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace switchyard {
namespace {

TEST(TraceTest, NewIdsAreTraceIdsAndUniqueAcrossThreads) {
  constexpr int kThreads = 4, kEach = 5000;
  std::vector<std::vector<std::string>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&drawn, t] {
      for (int i = 0; i < kEach; ++i) drawn[t].push_back(new_trace_id());
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& ids : drawn) {
    for (const auto& id : ids) {
      ASSERT_TRUE(is_trace_id(id)) << id;
      all.insert(id);
    }
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
}

TEST(TraceTest, EveryDigitOfNewIdsSpreadsEvenly) {
  constexpr int kDraws = 16000;
  std::array<std::array<int, 16>, 32> seen{};
  for (int i = 0; i < kDraws; ++i) {
    const std::string id = new_trace_id();
    for (size_t p = 0; p < id.size(); ++p) ++seen[p][id[p] <= '9' ? id[p] - '0' : id[p] - 'a' + 10];
  }
  // 1,000 expected per digit and position; a stuck or biased nibble falls far outside.
  for (size_t p = 0; p < 32; ++p) {
    for (int d = 0; d < 16; ++d) {
      EXPECT_GT(seen[p][d], 800) << "position " << p << " digit " << d;
      EXPECT_LT(seen[p][d], 1200) << "position " << p << " digit " << d;
    }
  }
}

TEST(TraceTest, TraceparentCarriesItsTraceIdOver) {
  const std::string id = "4bf92f3577b34da6a3ce929d0e0e4736";
  EXPECT_EQ(trace_id_from_traceparent("00-" + id + "-00f067aa0ba902b7-01"), id);
  EXPECT_EQ(trace_id_from_traceparent(""), "");
  EXPECT_EQ(trace_id_from_traceparent("ff-" + id + "-00f067aa0ba902b7-01"), "");  // version ff is forbidden
  EXPECT_EQ(trace_id_from_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(trace_id_from_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), "");  // upper case
  EXPECT_EQ(trace_id_from_traceparent("00-" + id + "00f067aa0ba902b7-01"), "");  // a dash missing
  EXPECT_FALSE(is_trace_id(id.substr(1)));
  EXPECT_FALSE(is_trace_id(id + "0"));
}

}  // namespace
}  // namespace switchyard
