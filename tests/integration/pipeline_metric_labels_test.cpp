// Metric labels stay bounded: an envelope on the raw topic naming a tenant that is not
// configured (a bad or hostile producer) is still handled, but its tenant never becomes a label
// value — only configured tenants do, as in dispatch.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/envelope.h"
#include "common/idempotency.h"
#include "common/kafka_producer.h"
#include "common/topics.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

Envelope ticket_envelope(PipelineStack& stack, const std::string& tenant, const std::string& summary) {
  const std::string record = stack.psa().upsert_record(
      "connectwise", "tickets", R"({"summary":")" + summary +
                                     R"(","board":{"id":1,"name":"Service"},"status":{"id":1,"name":"New"},)"
                                     R"("company":{"id":2,"identifier":"Acme","name":"Acme Corp"}})");
  simdjson::dom::parser parser;
  const std::string id = std::to_string(parser.parse(record)["id"].get_int64().value());
  Envelope e;
  e.tenant = tenant;
  e.psa = "connectwise";
  e.entity = "ticket";
  e.entity_id = id;
  e.action = "updated";
  e.source = "poll";
  e.received_at = "2026-11-30T10:00:00.000Z";
  e.idempotency_key = derive_idempotency_key({tenant, "connectwise", "ticket", id, "2026-11-30T10:00:00Z"});
  e.body = record;
  return e;
}

TEST(PipelineMetricLabelsTest, OnlyConfiguredTenantsBecomeLabelValues) {
  PipelineStack stack(StackOptions{.ingest = false, .dispatch = false});
  KafkaSettings settings;
  settings.bootstrap_servers = stack.kafka().bootstrap();
  auto producer = KafkaProducer::create(settings);
  ASSERT_TRUE(producer.ok());
  for (const auto& tenant : {std::string(kConnectWiseTenant), std::string("intruder-0001"), std::string("intruder-0002")}) {
    const Envelope e = ticket_envelope(stack, tenant, "Labelled");
    ASSERT_TRUE((*producer)->produce_sync(std::string(topics::kRaw), envelope_kafka_key(e), to_json(e),
                                          envelope_kafka_headers(e)).ok);
  }
  ASSERT_TRUE(wait_for_group(stack.kafka().bootstrap(), "switchyard-normalize", std::string(topics::kRaw)));

  const std::string metrics = stack.normalize().metrics().serialize();
  EXPECT_EQ(metrics.find("intruder"), std::string::npos) << metrics;
  EXPECT_EQ(metric_value(metrics, R"(switchyard_normalize_events_total{tenant="acme",type="ticket"})"), 1);
  EXPECT_EQ(metric_value(metrics, R"(switchyard_normalize_events_total{tenant="",type="ticket"})"), 2);
}

}  // namespace
}  // namespace switchyard::testing
