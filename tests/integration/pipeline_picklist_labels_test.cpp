// Picklist labels end to end (docs/architecture.md#polling, "Picklist labels"): an Autotask poll
// makes ingest read the tenant's labels through its rate limit and store them in Redis, and
// normalize, which never calls the PSA, publishes the polled ticket with "Complete" and the queue's
// name beside the ids; one replica reads them once per period.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/canonical.h"
#include "common/http_client.h"
#include "common/label_tables.h"
#include "common/redis_client.h"
#include "common/topics.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class PipelinePicklistLabelsTest : public ::testing::Test {
 protected:
  std::vector<canonical::Event> canonical_for(const std::string& id) {
    std::vector<canonical::Event> out;
    EXPECT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-normalize", std::string(topics::kRaw)));
    for (const auto& m : read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical))) {
      auto event = canonical::event_from_json(m.value);
      EXPECT_TRUE(event.ok()) << m.value;
      if (event && canonical::base_of(event->record).source.id == id) out.push_back(*event);
    }
    return out;
  }
  // Label reads ingest stored for `psa`, from its /metrics.
  double refreshes(const std::string& psa) {
    auto r = client_.send({.method = "GET", .url = stack_.ingest_operator_url() + "/metrics"});
    EXPECT_TRUE(r.ok());
    return r.ok() ? metric_value(r->body, R"(switchyard_label_refreshes_total{psa=")" + psa + R"(",result="stored"})")
                  : -1;
  }

  PipelineStack stack_{StackOptions{.dispatch = false}};
  http::HttpClient client_;
};

TEST_F(PipelinePicklistLabelsTest, APolledTicketCarriesTheInstancesLabels) {
  const TenantDirectory tenants = stack_.tenants();
  const Tenant& globex = *tenants.find(kAutotaskTenant);
  // Changed now, so the live poll (from now minus the overlap) sees it: Complete, queue 5.
  stack_.psa().upsert_record("autotask", "Tickets", R"({"id":1001,"status":5,"queueID":5})");

  auto polled = stack_.ingest().poller().poll_now(globex, "ticket");
  ASSERT_TRUE(polled.ok()) << polled.error().message;
  ASSERT_GE(*polled, 1u);

  RedisClient redis(stack_.redis().settings());
  auto stored = redis.checked_command({"GET", "sy:labels:" + std::string(kAutotaskTenant)});
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  ASSERT_FALSE(stored->is_nil()) << "ingest stored no labels";
  auto tables = label_tables_from_json(stored->str);
  ASSERT_TRUE(tables.ok()) << tables.error().message;
  EXPECT_EQ(tables->tables.at("ticket.status").at("5"), "Complete");

  const auto events = canonical_for("1001");
  ASSERT_EQ(events.size(), 1u);
  const auto& t = std::get<canonical::Ticket>(events[0].record);
  EXPECT_EQ(t.status, std::optional<std::string>("Complete"));
  EXPECT_EQ(t.status_id, std::optional<std::string>("5"));
  EXPECT_EQ(t.priority, std::optional<std::string>("Low"));  // the seed's priority 3
  EXPECT_EQ(t.priority_id, std::optional<std::string>("3"));
  EXPECT_EQ(t.board, (std::optional<canonical::Ref>(canonical::Ref{"5", "Client Portal"})));
  EXPECT_EQ(t.type, std::optional<std::string>("Service Request"));
  EXPECT_TRUE(t.closed);
}

TEST_F(PipelinePicklistLabelsTest, LabelsAreReadOncePerPeriodWhateverThePolls) {
  const TenantDirectory tenants = stack_.tenants();
  const Tenant& globex = *tenants.find(kAutotaskTenant);
  RedisClient redis(stack_.redis().settings());
  for (const char* entity : {"ticket", "company", "contact"}) {
    auto polled = stack_.ingest().poller().poll_now(globex, entity);
    ASSERT_TRUE(polled.ok()) << entity << ": " << polled.error().message;
  }
  EXPECT_EQ(refreshes("autotask"), 1) << "three polls, one read of the labels";
  // The gate says a replica has them for this period; a second read would have to wait for it.
  auto gate = redis.checked_command({"TTL", "sy:labels-refresh:" + std::string(kAutotaskTenant)});
  ASSERT_TRUE(gate.ok());
  EXPECT_GT(gate->integer, 0);
  auto ttl = redis.checked_command({"TTL", "sy:labels:" + std::string(kAutotaskTenant)});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, gate->integer) << "labels outlive the period, so a failed refresh keeps them";
  // The ConnectWise tenant's connector reads no labels: nothing stored for it.
  const Tenant& acme = *tenants.find(kConnectWiseTenant);
  ASSERT_TRUE(stack_.ingest().poller().poll_now(acme, "ticket").ok());
  auto none = redis.checked_command({"EXISTS", "sy:labels:" + std::string(kConnectWiseTenant)});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->integer, 0);
}

}  // namespace
}  // namespace switchyard::testing
