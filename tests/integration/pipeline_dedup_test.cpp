// Dedup must not void at-least-once: an event whose key was claimed by a consumer that then
// crashed, or whose canonical produce failed, still comes out — exactly once.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <simdjson.h>

#include <chrono>
#include <thread>

#include "common/canonical.h"
#include "common/redis_client.h"
#include "common/topics.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

constexpr int16_t kProduceApiKey = 0;  // Kafka protocol ApiKey of Produce requests

class PipelineDedupTest : public ::testing::Test {
 protected:
  PipelineDedupTest() : stack_(StackOptions{.ingest = true, .normalize = false, .dispatch = false}) {}

  // Posts a signed callback for a fresh sandbox ticket; returns the idempotency key ingest gave it.
  std::pair<std::string, std::string> post_new_ticket(const std::string& summary) {
    const std::string ticket =
        stack_.psa().upsert_record("connectwise", "tickets", R"({"summary":")" + summary + R"("})");
    auto r = stack_.post_connectwise_callback(connectwise_ticket_callback(ticket));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->status, 202) << r->body;
    simdjson::dom::parser parser;
    const std::string key(parser.parse(r->body)["idempotency_keys"].at(0).get_string().value());
    const std::string id = std::to_string(parser.parse(ticket)["id"].get_int64().value());
    return {key, id};
  }

  // Once normalize finished everything on the raw topic, so "exactly one" really means one.
  size_t canonical_events_for(const std::string& id) {
    size_t n = 0;
    EXPECT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-normalize", std::string(topics::kRaw)));
    for (const auto& m : read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical))) {
      auto event = canonical::event_from_json(m.value);
      if (event && canonical::base_of(event->record).source.id == id) ++n;
    }
    return n;
  }

  PipelineStack stack_;
};

TEST_F(PipelineDedupTest, PendingClaimOfACrashedConsumerDelaysButNeverDrops) {
  auto [key, id] = post_new_ticket("Claimed by a consumer that died");
  // A consumer claimed this change and crashed before its output was acknowledged.
  RedisClient redis(stack_.redis().settings());
  auto claimed = redis.command({"SET", "sy:dedup:" + key, "pending:crashed-consumer", "EX", "3"});
  ASSERT_TRUE(claimed.ok());

  stack_.start_normalize();  // pending TTL in the stack is 5 s; the crashed claim expires after 3 s
  EXPECT_EQ(canonical_events_for(id), 1u);
  auto state = redis.command({"GET", "sy:dedup:" + key});
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->str, "done");
}

TEST_F(PipelineDedupTest, FailedCanonicalProduceIsRetriedNotDropped) {
  auto [key, id] = post_new_ticket("Produce fails twice");
  // The next two Produce requests fail with a non-retriable error: normalize's first
  // attempts to write the canonical event fail, its claim must be released and it must retry.
  rd_kafka_mock_push_request_errors(stack_.kafka().mock(), kProduceApiKey, 2,
                                    RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
                                    RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  stack_.start_normalize();
  EXPECT_EQ(canonical_events_for(id), 1u);
  const std::string metrics = stack_.normalize().metrics().serialize();
  EXPECT_GE(metric_value(metrics,
                         R"(switchyard_kafka_messages_produced_total{outcome="error",topic="switchyard.canonical.v1"})"),
            1)
      << "the injected produce failure never reached normalize";
  RedisClient redis(stack_.redis().settings());
  auto state = redis.command({"GET", "sy:dedup:" + key});
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->str, "done");
}

TEST_F(PipelineDedupTest, KeyIsMarkedDoneEvenWhenRedisRestartsWhileTheEventIsProduced) {
  auto [key, id] = post_new_ticket("Redis restarts mid-batch");
  // Every Kafka request now takes 1.5 s: normalize claims the key, then waits on the produce.
  for (int b = 1; b <= stack_.kafka().brokers(); ++b) rd_kafka_mock_broker_set_rtt(stack_.kafka().mock(), b, 1500);
  stack_.start_normalize();
  RedisClient redis(stack_.redis().settings());
  ASSERT_TRUE(eventually([&] {
    auto state = redis.command({"GET", "sy:dedup:" + key});
    return state.ok() && state->str.starts_with("pending:");
  }, 30s));
  // Redis restarts without its data while the produce is in flight: the claim is gone and
  // marking the key done fails until Redis is back. The mark must still land, or the next
  // copy of this change (a retried webhook, its poll) would be emitted a second time.
  stack_.redis().stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  stack_.redis().start();
  for (int b = 1; b <= stack_.kafka().brokers(); ++b) rd_kafka_mock_broker_set_rtt(stack_.kafka().mock(), b, 0);
  EXPECT_EQ(canonical_events_for(id), 1u);
  RedisClient after(stack_.redis().settings());
  auto state = after.command({"GET", "sy:dedup:" + key});
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->str, "done");
}

}  // namespace
}  // namespace switchyard::testing
