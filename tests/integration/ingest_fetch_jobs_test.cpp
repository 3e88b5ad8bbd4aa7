// Partial Autotask webhooks, end to end over the real parts (the sandbox with one Autotask
// instance per tenant, the embedded Kafka, redis-server) and ingest in-process: the webhook is
// acknowledged once its envelope and its fetch job are in Kafka, the job reads the record
// whole under the tenant's limit, and the record enters the raw topic as a new envelope. A
// throttled tenant's jobs wait without holding another tenant's; a deleted record is
// dead-lettered with a plain reason; bad signatures produce nothing; a "Deactivated" notice
// is acknowledged and counted.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/envelope.h"
#include "common/http_client.h"
#include "common/topics.h"
#include "ingest/fetch_job.h"
#include "ingest/ingest_service.h"
#include "support/eventually.h"
#include "support/pipeline/fleet_stack.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/reference_signatures.h"
#include "support/topic_tail.h"

namespace switchyard::testing {
namespace {

class IngestFetchJobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ingest::IngestOptions options;
    options.polling = false;
    options.fetch.retry_base = std::chrono::milliseconds(200);
    ingest_ = std::make_unique<ingest::IngestService>(stack_.config(), options, stack_.tenants(),
                                                      connectors::builtin_registry());
    ingest_->start();
  }
  void TearDown() override { ingest_.reset(); }

  std::string webhook_url(const std::string& tenant) const {
    return "http://127.0.0.1:" + std::to_string(ingest_->webhook_port()) + "/v1/webhooks/autotask/" + tenant;
  }

  // A ticket in the tenant's Autotask instance; returns its id.
  std::string seed_ticket(const std::string& tenant, const std::string& title) {
    const std::string stored = stack_.psa().upsert_record(
        "autotask", "Tickets",
        R"({"title":")" + title + R"(","status":1,"priority":2,"queueID":8,"companyID":100})", tenant);
    simdjson::dom::parser parser;
    return std::to_string(parser.parse(stored)["id"].get_int64().value());
  }

  // The sandbox posts Autotask's signed callout for the record to ingest; ingest's status.
  int fire(const std::string& tenant, const std::string& id, const std::string& action) {
    auto status = stack_.psa().fire_webhook("autotask", webhook_url(tenant), "ticket", id, action, tenant);
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().message);
    return status.ok() ? *status : 0;
  }

  // Envelopes on the raw topic for the tenant's record, by source.
  std::vector<Envelope> raw(const std::string& tenant, const std::string& id, const std::string& source) {
    std::vector<Envelope> out;
    for (const auto& m : tail_.messages(std::string(topics::kRaw))) {
      auto e = envelope_from_json(m.value);
      if (e && e->tenant == tenant && e->entity_id == id && e->source == source) out.push_back(*e);
    }
    return out;
  }

  double metric(const std::string& series) {
    http::HttpClient client;
    auto r = client.send({.method = "GET",
                          .url = "http://127.0.0.1:" + std::to_string(ingest_->operator_port()) + "/metrics"});
    return r.ok() ? metric_value(r->body, series) : -1;
  }

  FleetStack stack_{FleetOptions{.tenants = {"t0", "t1"}, .requests_per_second = 50, .burst = 20}};
  std::unique_ptr<ingest::IngestService> ingest_;
  TopicTail tail_{stack_.kafka().bootstrap(),
                  {std::string(topics::kRaw), std::string(topics::kFetchJobs), std::string(topics::kRawDeadLetter)}};
};

TEST_F(IngestFetchJobsTest, PartialWebhookEndsAsTheWholeRecordOnTheRawTopic) {
  const std::string id = seed_ticket("t0", "Printer on fire");
  ASSERT_EQ(fire("t0", id, "updated_partial"), 202);

  // Acknowledged only once the webhook's envelope and its job were both in Kafka.
  ASSERT_TRUE(eventually([&] { return raw("t0", id, "webhook").size() == 1; }, 10s));
  ASSERT_TRUE(eventually([&] { return tail_.count(std::string(topics::kFetchJobs)) >= 1; }, 10s));
  auto job = ingest::fetch_job_from_json(tail_.messages(std::string(topics::kFetchJobs)).front().value);
  ASSERT_TRUE(job.ok()) << job.error().message;
  EXPECT_EQ(job->tenant, "t0");
  EXPECT_EQ(job->entity, "ticket");
  EXPECT_EQ(job->entity_id, id);

  ASSERT_TRUE(eventually([&] { return !raw("t0", id, "fetch").empty(); }, 20s))
      << "the fetched record never reached the raw topic";
  const Envelope fetched = raw("t0", id, "fetch").front();
  EXPECT_NE(fetched.body.find("Printer on fire"), std::string::npos) << fetched.body;
  EXPECT_NE(fetched.idempotency_key, raw("t0", id, "webhook").front().idempotency_key);
  EXPECT_EQ(metric(R"(switchyard_fetch_jobs_total{outcome="scheduled",tenant="t0"})"), 1);
  EXPECT_TRUE(eventually([&] { return metric(R"(switchyard_fetch_jobs_total{outcome="done",tenant="t0"})") == 1; }, 5s));
}

TEST_F(IngestFetchJobsTest, WholeWebhookNeedsNoFetch) {
  const std::string id = seed_ticket("t0", "Whole record");
  ASSERT_EQ(fire("t0", id, "updated"), 202);
  ASSERT_TRUE(eventually([&] { return raw("t0", id, "webhook").size() == 1; }, 10s));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(tail_.count(std::string(topics::kFetchJobs)), 0u);
  EXPECT_TRUE(raw("t0", id, "fetch").empty());
}

TEST_F(IngestFetchJobsTest, BadSignatureIsRefusedAndSchedulesNothing) {
  const std::string body =
      R"({"Action":"Update","Guid":"g","EntityType":"Ticket","Id":1,"Fields":{"status":5},)"
      R"("EventTime":"2026-11-25T10:00:01Z","SequenceNumber":1,"PersonID":4})";
  http::HttpClient client;
  for (const std::string& signature : {at_signature("not-the-secret", body), std::string()}) {
    http::Headers headers{{"Content-Type", "application/json"}};
    if (!signature.empty()) headers.emplace_back("X-Hook-Signature", signature);
    auto r = client.send({.method = "POST", .url = webhook_url("t0"), .headers = headers, .body = body});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 401) << r->body;
  }
  // The same body signed with the tenant's secret is taken (so the refusals were the signature).
  auto good = client.send({.method = "POST", .url = webhook_url("t0"),
                           .headers = {{"Content-Type", "application/json"},
                                       {"X-Hook-Signature", at_signature(sandbox::AutotaskCredentials{}.webhook_secret, body)}},
                           .body = body});
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->status, 202) << good->body;
  ASSERT_TRUE(eventually([&] { return tail_.count(std::string(topics::kFetchJobs)) == 1; }, 10s));
  ASSERT_TRUE(eventually([&] { return raw("t0", "1", "webhook").size() == 1; }, 10s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(raw("t0", "1", "webhook").size(), 1u) << "only the signed webhook was published";
}

TEST_F(IngestFetchJobsTest, AThrottledTenantDoesNotHoldAnothersJobs) {
  // t1's Autotask refuses everything (429, Retry-After 12 s): its jobs wait; t0's go through
  // at once, not after t1's pause.
  stack_.psa().set_tenant_quota("t1", {.retry_after_seconds = 12, .exhausted = true});
  std::vector<std::string> slow;
  for (int i = 0; i < 5; ++i) {
    // The callout is built from the record, which the sandbox reads without a quota.
    slow.push_back(seed_ticket("t1", "Slow " + std::to_string(i)));
    ASSERT_EQ(fire("t1", slow.back(), "updated_partial"), 202);
  }
  const std::string fast = seed_ticket("t0", "Fast");
  ASSERT_EQ(fire("t0", fast, "updated_partial"), 202);

  ASSERT_TRUE(eventually([&] { return !raw("t0", fast, "fetch").empty(); }, 5s))
      << "t0's job waited behind throttled t1";
  for (const auto& id : slow) EXPECT_TRUE(raw("t1", id, "fetch").empty());
  EXPECT_GT(metric(R"(switchyard_fetch_jobs_total{outcome="deferred",tenant="t1"})"), 0);

  // Once t1's PSA answers again, its jobs complete: deferred, never dropped.
  stack_.psa().clear_tenant_quota("t1");
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& id : slow) {
          if (raw("t1", id, "fetch").empty()) return false;
        }
        return true;
      },
      45s));
  EXPECT_EQ(metric(R"(switchyard_fetch_jobs_total{outcome="done",tenant="t1"})"), 5);
}

TEST_F(IngestFetchJobsTest, AJobForADeletedRecordIsDeadLetteredWithAPlainReason) {
  KafkaSettings settings;
  settings.bootstrap_servers = stack_.kafka().bootstrap();
  auto producer = KafkaProducer::create(settings);
  ASSERT_TRUE(producer.ok());
  const ingest::FetchJob job{"t0", "autotask", "ticket", "987654", "partial_webhook", "2026-11-25T10:00:00Z"};
  ASSERT_TRUE((*producer)
                  ->produce_sync(topics::kFetchJobs, ingest::fetch_job_key(job), ingest::to_json(job),
                                 ingest::fetch_job_headers(job))
                  .ok);
  ASSERT_TRUE(eventually([&] { return tail_.count(std::string(topics::kRawDeadLetter)) == 1; }, 20s));
  const auto letter = tail_.messages(std::string(topics::kRawDeadLetter)).front();
  EXPECT_NE(letter.value.find("record_not_found"), std::string::npos) << letter.value;
  EXPECT_NE(letter.value.find("no longer exists"), std::string::npos) << letter.value;
  EXPECT_TRUE(raw("t0", "987654", "fetch").empty());
  EXPECT_TRUE(eventually(
      [&] { return metric(R"(switchyard_fetch_jobs_failed_total{reason="record_not_found",tenant="t0"})") == 1; }, 5s));
}

TEST_F(IngestFetchJobsTest, DeactivatedNoticeIsAcknowledgedCountedAndPublishesNothing) {
  ASSERT_EQ(fire("t0", "0", "deactivated"), 202);
  EXPECT_EQ(metric(R"(switchyard_webhook_signals_total{kind="deactivated",psa="autotask",tenant="t0"})"), 1);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(tail_.count(std::string(topics::kRaw)), 0u);
  EXPECT_EQ(tail_.count(std::string(topics::kFetchJobs)), 0u);
}

}  // namespace
}  // namespace switchyard::testing
