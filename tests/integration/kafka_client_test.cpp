// KafkaProducer and KafkaConsumer against the in-process mock cluster: delivery reports,
// broker outages, and the at-least-once offset rules (stored → committed, unstored → redelivered).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>

#include "common/json_read.h"
#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "support/embedded_kafka.h"
#include "support/kafka_helpers.h"
#include "support/eventually.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

using Clock = std::chrono::steady_clock;

TEST(KafkaProducerTest, ProduceSyncRoundTripsKeyValueAndHeaders) {
  EmbeddedKafka kafka;
  kafka.create_topic("roundtrip", 4);
  auto producer = make_producer(settings_for(kafka));

  const auto result = producer->produce_sync("roundtrip", "tenant-a/ticket/1", "{\"id\":1}",
                                             {{"content-type", "application/json"}, {"empty", ""}});
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_GE(result.partition, 0);
  EXPECT_GE(result.offset, 0);
  EXPECT_GT(result.latency_seconds, 0.0);

  const auto messages = read_topic(kafka.bootstrap(), "roundtrip", 1, 10s);
  ASSERT_EQ(messages.size(), 1u);
  const auto& m = messages[0];
  EXPECT_EQ(m.key, "tenant-a/ticket/1");
  EXPECT_EQ(m.value, "{\"id\":1}");
  EXPECT_EQ(m.partition, result.partition);
  EXPECT_EQ(m.offset, result.offset);
  ASSERT_EQ(m.headers.size(), 2u);
  EXPECT_EQ(m.headers[0].name, "content-type");
  EXPECT_EQ(m.headers[0].value, "application/json");
  EXPECT_EQ(m.headers[1].name, "empty");
  EXPECT_EQ(m.headers[1].value, "");
  EXPECT_EQ(m.topic, "roundtrip");
  EXPECT_GT(m.timestamp_ms, 0);
}

// Messages are read through librdkafka's C API (common/rdkafka_message.cpp): one without a key
// or headers reads back with neither.
TEST(KafkaProducerTest, AMessageWithoutKeyOrHeadersReadsBackWithout) {
  EmbeddedKafka kafka;
  kafka.create_topic("bare", 1);
  auto producer = make_producer(settings_for(kafka));
  const auto result = producer->produce_sync("bare", "", "v", {});
  ASSERT_TRUE(result.ok) << result.error;
  const auto messages = read_topic(kafka.bootstrap(), "bare", 1, 10s);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].topic, "bare");
  EXPECT_EQ(messages[0].key, "");
  EXPECT_EQ(messages[0].value, "v");
  EXPECT_TRUE(messages[0].headers.empty());
  EXPECT_EQ(messages[0].offset, result.offset);
}

// produce_owned hands the payload over instead of letting librdkafka copy it (issue #18): the
// caller's string is gone at once, and each message still reads back whole, to two topics
// (each topic's handle is made once and kept).
TEST(KafkaProducerTest, HandedOverPayloadsArriveWholeOnEveryTopic) {
  EmbeddedKafka kafka;
  kafka.create_topic("owned-a", 2);
  kafka.create_topic("owned-b", 2);
  auto producer = make_producer(settings_for(kafka));
  constexpr int kEach = 50;
  std::atomic<int> delivered{0};
  for (int i = 0; i < kEach * 2; ++i) {
    std::string value = "payload-" + std::to_string(i) + std::string(2000, static_cast<char>('a' + i % 26));
    producer->produce_owned(i % 2 == 0 ? "owned-a" : "owned-b", "k" + std::to_string(i), std::move(value),
                            {{"n", std::to_string(i)}}, [&](const DeliveryResult& r) {
                              if (r.ok) ++delivered;
                            });
  }
  ASSERT_TRUE(producer->flush(10s));
  EXPECT_EQ(delivered.load(), kEach * 2);
  for (const char* topic : {"owned-a", "owned-b"}) {
    const auto messages = read_topic(kafka.bootstrap(), topic, kEach, 10s);
    ASSERT_EQ(messages.size(), static_cast<size_t>(kEach)) << topic;
    for (const auto& m : messages) {
      ASSERT_EQ(m.headers.size(), 1u);
      const int i = std::stoi(m.headers[0].value);
      EXPECT_EQ(m.key, "k" + std::to_string(i));
      EXPECT_EQ(m.value, "payload-" + std::to_string(i) + std::string(2000, static_cast<char>('a' + i % 26)));
    }
  }
}

// A topic name librdkafka refuses (longer than its 512 bytes) gets a failed delivery at once,
// not a crash or a hang.
TEST(KafkaProducerTest, ATopicNameLibrdkafkaRefusesFailsTheDelivery) {
  EmbeddedKafka kafka;
  auto producer = make_producer(settings_for(kafka));
  std::atomic<int> calls{0};
  std::atomic<bool> ok{true};
  producer->produce_owned(std::string(600, 't'), "k", std::string("v"), {}, [&](const DeliveryResult& r) {
    ok = r.ok;
    ++calls;
  });
  ASSERT_TRUE(eventually([&] { return calls.load() > 0; }, 10s));
  EXPECT_FALSE(ok.load());
  EXPECT_TRUE(producer->flush(1s));
  EXPECT_EQ(calls.load(), 1);
}

TEST(KafkaProducerTest, AsyncCallbackRunsOnceWithTheOutcome) {
  EmbeddedKafka kafka;
  kafka.create_topic("async", 4);
  auto producer = make_producer(settings_for(kafka));
  ASSERT_TRUE(producer->reachable(5s));

  std::atomic<int> calls{0};
  std::atomic<bool> ok{false};
  producer->produce("async", "k", "v", {}, [&](const DeliveryResult& r) {
    ok = r.ok;
    ++calls;
  });
  ASSERT_TRUE(eventually([&] { return calls.load() > 0; }, 10s));
  EXPECT_TRUE(ok.load());
  EXPECT_TRUE(producer->flush(1s));
  EXPECT_EQ(calls.load(), 1);
}

TEST(KafkaProducerTest, BrokersDownFailsDeliveryAfterTheDeliveryTimeout) {
  EmbeddedKafka kafka;
  kafka.create_topic("outage", 4);
  auto producer = make_producer(settings_for(kafka, 1500));
  ASSERT_TRUE(producer->produce_sync("outage", "k", "before").ok);

  kafka.set_brokers_down(true);
  const auto start = Clock::now();
  std::atomic<bool> done{false};
  DeliveryResult result;
  producer->produce("outage", "k", "during", {}, [&](const DeliveryResult& r) {
    result = r;
    done = true;
  });
  ASSERT_TRUE(eventually([&] { return done.load(); }, 10s));
  const auto elapsed = Clock::now() - start;
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.error.empty());
  EXPECT_GE(elapsed, 1000ms);  // not refused at once: it waited for the broker
  EXPECT_LT(elapsed, 6s);      // and gave up near the delivery timeout
  EXPECT_FALSE(producer->reachable(500ms));
}

// A producer that lingers holds a lone message that long before it sends it (normalize's 2 ms,
// ingest's 0.5 ms); a linger.ms of the properties file still decides.
TEST(KafkaProducerTest, ALingeringProducerHoldsALoneMessageForItsLinger) {
  EmbeddedKafka kafka;
  kafka.create_topic("linger", 1);
  KafkaSettings lingering = settings_for(kafka);
  lingering.linger_ms = 400.5;  // fractions reach librdkafka (ingest lingers 0.5 ms)
  auto producer = make_producer(lingering);
  ASSERT_TRUE(producer->produce_sync("linger", "k", "warm-up").ok);  // metadata and connection first
  const auto held = producer->produce_sync("linger", "k", "held");
  ASSERT_TRUE(held.ok) << held.error;
  EXPECT_GE(held.latency_seconds, 0.35);

  KafkaSettings overridden = lingering;
  overridden.extra["linger.ms"] = "0";
  auto prompt = make_producer(overridden);
  ASSERT_TRUE(prompt->produce_sync("linger", "k", "warm-up").ok);
  const auto sent = prompt->produce_sync("linger", "k", "sent");
  ASSERT_TRUE(sent.ok) << sent.error;
  EXPECT_LT(sent.latency_seconds, 0.35);
}

TEST(KafkaProducerTest, BrokersBackWithinTheTimeoutDeliverExactlyOnce) {
  EmbeddedKafka kafka;
  kafka.create_topic("flap", 4);
  auto producer = make_producer(settings_for(kafka, 15000));
  ASSERT_TRUE(producer->produce_sync("flap", "warm-up", "warm-up").ok);

  kafka.set_brokers_down(true);
  std::atomic<bool> done{false};
  std::atomic<bool> ok{false};
  producer->produce("flap", "k", "once", {}, [&](const DeliveryResult& r) {
    ok = r.ok;
    done = true;
  });
  // While the brokers are down nothing can be acknowledged.
  EXPECT_FALSE(eventually([&] { return done.load(); }, 1500ms));
  kafka.set_brokers_down(false);
  ASSERT_TRUE(eventually([&] { return done.load(); }, 20s));
  EXPECT_TRUE(ok.load());

  const auto values = values_of(read_topic(kafka.bootstrap(), "flap", 2, 10s));
  EXPECT_EQ(std::count(values.begin(), values.end(), "once"), 1);
  EXPECT_EQ(values.size(), 2u);
}

TEST(KafkaProducerTest, InvalidExtraPropertyIsAnErrorNamingIt) {
  EmbeddedKafka kafka;
  auto s = settings_for(kafka);
  s.extra["no.such.property"] = "1";
  auto producer = KafkaProducer::create(s);
  ASSERT_FALSE(producer);
  EXPECT_EQ(producer.error().code, "kafka_config");
  EXPECT_NE(producer.error().message.find("no.such.property"), std::string::npos);

  auto secret = settings_for(kafka);
  secret.extra["sasl.password"] = "hunter2-do-not-log";
  secret.extra["sasl.mechanism"] = "NOT-A-MECHANISM";
  auto bad = KafkaProducer::create(secret);
  if (!bad) {
    EXPECT_EQ(bad.error().message.find("hunter2"), std::string::npos);
  }
}

TEST(KafkaConsumerTest, InvalidPropertyIsAnErrorNamingIt) {
  EmbeddedKafka kafka;
  auto s = settings_for(kafka);
  s.extra["session.timeout.ms"] = "not-a-number";
  auto consumer = KafkaConsumer::create(s, "group-invalid", {"any"});
  ASSERT_FALSE(consumer);
  EXPECT_EQ(consumer.error().code, "kafka_config");
  EXPECT_NE(consumer.error().message.find("session.timeout.ms"), std::string::npos);
}

TEST(KafkaConsumerTest, StoredOffsetsAreCommittedAndNotReadAgainByTheGroup) {
  EmbeddedKafka kafka;
  kafka.create_topic("stored", 1);  // one partition: order is total, so re-reads come first
  const auto s = fast_group(settings_for(kafka));
  auto producer = make_producer(s);
  produce_values(*producer, "stored", {"a", "b", "c"});

  auto first = make_consumer(s, "group-stored", "stored");
  const auto batch = consume(*first, 3, 20s);
  ASSERT_EQ(values_of(batch), (std::vector<std::string>{"a", "b", "c"}));
  for (const auto& m : batch) {
    EXPECT_GE(m.value.capacity() - m.value.size(), json::kPadding) << "a value is parsed where it is";
  }
  EXPECT_TRUE(first->has_assignment());
  for (const auto& m : batch) first->store_offset(m);
  first->close();
  first->close();  // idempotent
  EXPECT_FALSE(first->has_assignment());

  auto second = make_consumer(s, "group-stored", "stored");
  ASSERT_TRUE(eventually([&] {
    auto unexpected = second->poll_batch(10, 100ms);
    EXPECT_TRUE(unexpected.empty()) << "re-read " << unexpected.size() << " messages";
    return second->has_assignment();
  }, 20s));
  produce_values(*producer, "stored", {"d"});
  EXPECT_EQ(values_of(consume(*second, 1, 20s)), (std::vector<std::string>{"d"}));
}

TEST(KafkaConsumerTest, MessageWhoseOffsetWasNotStoredIsRedeliveredToTheNextConsumer) {
  EmbeddedKafka kafka;
  kafka.create_topic("unstored", 1);
  const auto s = fast_group(settings_for(kafka));
  auto producer = make_producer(s);
  produce_values(*producer, "unstored", {"a", "b", "c", "d"});

  auto first = make_consumer(s, "group-unstored", "unstored");
  const auto batch = consume(*first, 4, 20s);
  ASSERT_EQ(batch.size(), 4u);
  first->store_offset(batch[0]);
  first->store_offset(batch[1]);  // "c" and "d" failed downstream: not stored
  ASSERT_TRUE(first->commit_sync());
  first->close();

  auto second = make_consumer(s, "group-unstored", "unstored");
  EXPECT_EQ(values_of(consume(*second, 2, 20s)), (std::vector<std::string>{"c", "d"}));
}

TEST(KafkaConsumerTest, SeekToRedeliversFromThatMessage) {
  EmbeddedKafka kafka;
  kafka.create_topic("seek", 1);
  const auto s = settings_for(kafka);
  auto producer = make_producer(s);
  produce_values(*producer, "seek", {"a", "b", "c"});

  auto consumer = make_consumer(s, "group-seek", "seek");
  const auto batch = consume(*consumer, 3, 20s);
  ASSERT_EQ(batch.size(), 3u);
  ASSERT_TRUE(consumer->seek_to(batch[1]).ok());
  EXPECT_EQ(values_of(consume(*consumer, 2, 10s)), (std::vector<std::string>{"b", "c"}));
}

// normalize reads headers only for a dead letter: polled without them, each message's headers
// are read from the last batch on demand, and a message of an earlier batch has none left.
TEST(KafkaConsumerTest, HeadersReadOnDemandComeFromTheLastBatch) {
  EmbeddedKafka kafka;
  kafka.create_topic("lazy", 1);
  const auto s = settings_for(kafka);
  auto producer = make_producer(s);
  for (const std::string id : {"1", "2", "3"}) {
    ASSERT_TRUE(producer->produce_sync("lazy", "k", "v" + id, {{"sy-trace", "t" + id}, {"empty", ""}}).ok);
  }

  auto consumer = make_consumer(s, "group-lazy", "lazy");
  consumer->read_headers_on_demand(true);
  std::vector<KafkaMessage> batch;
  const auto deadline = Clock::now() + 20s;
  while (batch.empty() && Clock::now() < deadline) batch = consumer->poll_batch(1, 100ms);
  ASSERT_EQ(batch.size(), 1u);
  const KafkaMessage first = batch.front();
  EXPECT_TRUE(first.headers.empty());
  auto headers = consumer->headers_of(first);
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[0].name, "sy-trace");
  EXPECT_EQ(headers[0].value, "t1");
  EXPECT_EQ(headers[1].name, "empty");
  EXPECT_EQ(headers[1].value, "");

  batch.clear();
  while (batch.empty() && Clock::now() < deadline) batch = consumer->poll_batch(10, 100ms);
  ASSERT_FALSE(batch.empty());
  EXPECT_EQ(consumer->headers_of(batch.front()).at(0).value, "t2");
  EXPECT_TRUE(consumer->headers_of(first).empty());  // its batch is gone

  consumer->read_headers_on_demand(false);  // read eagerly again: headers_of gives the copies
  ASSERT_TRUE(consumer->seek_to(first).ok());
  batch.clear();
  while (batch.empty() && Clock::now() < deadline) batch = consumer->poll_batch(10, 100ms);
  ASSERT_FALSE(batch.empty());
  EXPECT_EQ(batch.front().headers.size(), 2u);
  EXPECT_EQ(consumer->headers_of(batch.front()).at(0).value, "t1");
}

TEST(KafkaConsumerTest, LagIsHighWatermarkMinusPosition) {
  EmbeddedKafka kafka;
  kafka.create_topic("lag", 1);
  const auto s = settings_for(kafka);
  auto producer = make_producer(s);
  produce_values(*producer, "lag", {"a", "b", "c", "d", "e"});

  auto consumer = make_consumer(s, "group-lag", "lag");
  std::vector<KafkaMessage> first_two;
  ASSERT_TRUE(eventually([&] {
    for (auto& m : consumer->poll_batch(2 - first_two.size(), 100ms)) first_two.push_back(m);
    return first_two.size() == 2;
  }, 20s));
  const std::pair<std::string, int32_t> partition{"lag", 0};
  EXPECT_TRUE(eventually([&] {
    const auto lag = consumer->lag();
    return lag.count(partition) && lag.at(partition) == 3;
  }, 5s));
  consume(*consumer, 3, 10s);
  EXPECT_TRUE(eventually([&] {
    const auto lag = consumer->lag();
    return lag.count(partition) && lag.at(partition) == 0;
  }, 5s));
}

}  // namespace
}  // namespace switchyard::testing
