// ConsumeLoop and KafkaConsumer rewinds against the in-process mock cluster: a batch that throws,
// a handler that gives up on a message, and a seek that fails must never let a later offset be
// stored, so every unfinished message comes again — to this consumer or to the group's next one.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "common/consume_loop.h"
#include "common/metrics.h"
#include "support/embedded_kafka.h"
#include "support/eventually.h"
#include "support/kafka_helpers.h"

namespace switchyard::testing {
namespace {

// Reads the values a fresh member of `group` gets: what the group has not committed.
std::vector<std::string> uncommitted(const KafkaSettings& s, const std::string& group, const std::string& topic,
                                     size_t expected) {
  auto next = make_consumer(s, group, topic);
  return values_of(consume(*next, expected, 20s));
}

TEST(ConsumeLoopTest, ABatchThatThrowsRewindsToItsFirstUnfinishedMessage) {
  EmbeddedKafka kafka;
  kafka.create_topic("throws", 1);
  const auto s = fast_group(settings_for(kafka));
  produce_values(*make_producer(s), "throws", {"a", "b", "c", "d", "e"});

  Metrics metrics;
  auto consumer = make_consumer(s, "group-throws", "throws");
  ConsumeLoop loop(*consumer, metrics, {"test", 5, 100ms});
  size_t seen = 0;
  ASSERT_TRUE(eventually([&] {
    try {
      loop.run_once([&](const std::vector<KafkaMessage>& batch, BatchProgress& progress) {
        seen = batch.size();
        if (batch.size() < 5) return;  // wait for the whole batch (nothing finished: rewound)
        progress.finish(0);
        progress.finish(1);
        throw std::runtime_error("mapper blew up on c");
      });
    } catch (const std::runtime_error&) {
      return true;
    }
    return false;
  }, 20s, 0ms));
  ASSERT_EQ(seen, 5u);

  // The same consumer gets c, d, e again (not f-onwards, not nothing).
  std::vector<std::string> again;
  ASSERT_TRUE(eventually([&] {
    loop.run_once([&](const std::vector<KafkaMessage>& batch, BatchProgress& progress) {
      for (size_t i = 0; i < batch.size(); ++i) {
        again.push_back(batch[i].value);
        progress.finish(i);
      }
    });
    return again.size() >= 3;
  }, 20s, 0ms));
  EXPECT_EQ(again, (std::vector<std::string>{"c", "d", "e"}));
}

TEST(ConsumeLoopTest, RunSurvivesAThrowingBatchAndLosesNothing) {
  EmbeddedKafka kafka;
  kafka.create_topic("survives", 2);
  const auto s = fast_group(settings_for(kafka));
  const std::vector<std::string> values{"a", "b", "c", "d", "e", "f", "g", "h"};
  produce_values(*make_producer(s), "survives", values);

  Metrics metrics;
  auto consumer = make_consumer(s, "group-survives", "survives");
  std::atomic<bool> stop{false};
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  // An empty poll after the deadline ends the test (a lost message would otherwise never come).
  ConsumeLoop loop(*consumer, metrics, {"test", 3, 50ms, 10ms},
                   [&] { stop = stop || std::chrono::steady_clock::now() > deadline; });
  std::multiset<std::string> handled;
  int failures_left = 3;
  loop.run(stop, [&](const std::vector<KafkaMessage>& batch, BatchProgress& progress) {
    // The second message of a batch throws, or the only one: how the loop cuts batches depends
    // on timing, and a run of one-message batches must fail three times all the same.
    const size_t throwing = std::min<size_t>(1, batch.size() - 1);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (failures_left > 0 && i == throwing) {
        --failures_left;
        throw std::runtime_error("transient");
      }
      handled.insert(batch[i].value);
      progress.finish(i);
    }
    std::set<std::string> distinct(handled.begin(), handled.end());
    if (distinct.size() == values.size() || std::chrono::steady_clock::now() > deadline) stop = true;
  });
  const std::set<std::string> distinct(handled.begin(), handled.end());
  EXPECT_EQ(distinct, std::set<std::string>(values.begin(), values.end()));
  EXPECT_NE(metrics.serialize().find("switchyard_consumer_batch_failures_total 3"), std::string::npos);
}

TEST(ConsumeLoopTest, GivingUpKeepsPartitionOrderAndRewinds) {
  EmbeddedKafka kafka;
  kafka.create_topic("giveup", 1);
  const auto s = fast_group(settings_for(kafka));
  produce_values(*make_producer(s), "giveup", {"a", "b", "c"});

  Metrics metrics;
  auto consumer = make_consumer(s, "group-giveup", "giveup");
  ConsumeLoop loop(*consumer, metrics, {"test", 3, 100ms});
  std::vector<std::string> attempted;
  ASSERT_TRUE(eventually([&] {
    loop.run_once([&](const std::vector<KafkaMessage>& batch, BatchProgress& progress) {
      if (batch.size() < 3) return;
      for (size_t i = 0; i < batch.size(); ++i) {
        if (progress.blocked(i)) continue;
        attempted.push_back(batch[i].value);
        if (batch[i].value == "b") progress.give_up(i);
        else progress.finish(i);
      }
    });
    return !attempted.empty();
  }, 20s, 0ms));
  EXPECT_EQ(attempted, (std::vector<std::string>{"a", "b"})) << "c must wait behind b";
  ASSERT_TRUE(consumer->commit_sync());
  consumer->close();
  EXPECT_EQ(uncommitted(s, "group-giveup", "giveup", 2), (std::vector<std::string>{"b", "c"}));
}

// finish_all stores one offset per partition it advances: up to a gap in one partition, past
// the end in the other, and the gap and what follows it come again.
TEST(ConsumeLoopTest, FinishingAllButOneStoresEachPartitionUpToItsGap) {
  EmbeddedKafka kafka;
  kafka.create_topic("finish-all", 2);
  const auto s = fast_group(settings_for(kafka));
  const std::vector<std::string> values = {"a", "b", "c", "d", "e", "f", "g", "h"};
  produce_values(*make_producer(s), "finish-all", values);

  Metrics metrics;
  auto consumer = make_consumer(s, "group-finish-all", "finish-all");
  ConsumeLoop loop(*consumer, metrics, {"test", values.size(), 100ms});
  std::vector<std::string> expected_again;
  ASSERT_TRUE(eventually([&] {
    loop.run_once([&](const std::vector<KafkaMessage>& batch, BatchProgress& progress) {
      if (batch.size() < values.size()) return;  // wait for the whole batch (nothing finished: rewound)
      // The gap: the second message of the first message's partition.
      const int32_t gap_partition = batch[0].partition;
      std::vector<size_t> finished;
      size_t seen_in_gap_partition = 0;
      for (size_t i = 0; i < batch.size(); ++i) {
        const bool in_gap_partition = batch[i].partition == gap_partition;
        if (in_gap_partition && ++seen_in_gap_partition >= 2) expected_again.push_back(batch[i].value);
        if (in_gap_partition && seen_in_gap_partition == 2) continue;
        finished.push_back(i);
      }
      progress.finish_all(finished);
      EXPECT_EQ(progress.finished(), batch.size() - 1);
    });
    return !expected_again.empty();
  }, 20s, 0ms));
  ASSERT_GE(expected_again.size(), 1u);
  ASSERT_TRUE(consumer->commit_sync());
  consumer->close();
  auto again = uncommitted(s, "group-finish-all", "finish-all", expected_again.size());
  std::sort(again.begin(), again.end());
  std::sort(expected_again.begin(), expected_again.end());
  EXPECT_EQ(again, expected_again);
}

TEST(KafkaConsumerRewindTest, AFailedSeekNeverLetsALaterOffsetBeStored) {
  EmbeddedKafka kafka;
  kafka.create_topic("seekfail", 1);
  const auto s = fast_group(settings_for(kafka));
  auto producer = make_producer(s);
  produce_values(*producer, "seekfail", {"a", "b", "c"});

  auto consumer = make_consumer(s, "group-seekfail", "seekfail");
  const auto batch = consume(*consumer, 3, 20s);
  ASSERT_EQ(values_of(batch), (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_TRUE(consumer->store_offset(batch[0]));

  consumer->fail_next_seeks_for_testing(1);
  EXPECT_FALSE(consumer->seek_to(batch[1]));  // "b" failed downstream, and so did the rewind
  EXPECT_EQ(consumer->pending_rewinds(), 1u);
  // A later message of the partition (handled by a buggy or racing caller) is refused...
  EXPECT_FALSE(consumer->store_offset(batch[2]));
  // ...and new messages fetched from the old position are not handed out before "b".
  produce_values(*producer, "seekfail", {"d"});
  std::vector<std::string> next;
  ASSERT_TRUE(eventually([&] {
    for (auto& m : consumer->poll_batch(10, 100ms)) next.push_back(m.value);
    return next.size() >= 3;
  }, 20s, 0ms));
  EXPECT_EQ(next, (std::vector<std::string>{"b", "c", "d"}));  // the retried rewind happened
  EXPECT_EQ(consumer->pending_rewinds(), 0u);

  ASSERT_TRUE(consumer->commit_sync());
  consumer->close();
  EXPECT_EQ(uncommitted(s, "group-seekfail", "seekfail", 3), (std::vector<std::string>{"b", "c", "d"}));
}

}  // namespace
}  // namespace switchyard::testing
