// Autotask webhooks (docs/psa/autotask.md#4-webhooks): decoding payloads of each entity as the
// real API sends them (Action, Guid, EntityType, Id, Fields, EventTime, SequenceNumber,
// PersonID), partial payloads (fetched whole, never published as records), the "Deactivated"
// notice, and fetch_record against a scripted PSA.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "connectors/autotask/autotask_connector.h"
#include "connectors/registry.h"
#include "ingest/change_envelopes.h"
#include "ingest/fetch_job.h"
#include "support/fake_psa_http.h"

namespace switchyard::connectors::autotask {
namespace {

constexpr const char* kBaseUrl = "https://webservices2.autotask.net/ATServicesRest";

Tenant at_tenant() {
  Tenant t;
  t.id = "beta";
  t.psa = "autotask";
  t.base_url = kBaseUrl;
  t.credentials = {{"username", "api@beta.example"}, {"secret", "at-api-secret"}, {"integration_code", "TRACK-1"}};
  t.webhook_signing_secrets = {"hook-secret-current"};
  return t;
}

std::string payload(std::string_view action, std::string_view entity_type, int64_t id, std::string_view fields) {
  std::string body = R"({"Action":")";
  body.append(action).append(R"(","Guid":"5f2e8c1a-3b4d-4e6f-8a9b-0c1d2e3f4a5b","EntityType":")");
  body.append(entity_type).append(R"(","Id":)").append(std::to_string(id));
  if (!fields.empty()) body.append(R"(,"Fields":)").append(fields);
  body.append(R"(,"EventTime":"2026-11-25T10:00:01.120Z","SequenceNumber":3,"PersonID":29682885})");
  return body;
}

Envelope envelope_of(const Change& c, std::string source = "webhook") {
  auto envelopes = ingest::to_envelopes(at_tenant(), std::vector<Change>{c}, source);
  return envelopes.front();
}

class AutotaskWebhooksTest : public ::testing::Test {
 protected:
  const Connector& connector() const {
    const Connector* c = builtin_registry().find("autotask");
    EXPECT_NE(c, nullptr);
    return *c;
  }
  Tenant tenant_ = at_tenant();
  testing::FakePsaHttp psa_;
};

TEST_F(AutotaskWebhooksTest, SpecNamesTheFourWebhookEntities) {
  const auto& entities = connector().spec().webhook_entities;
  for (const char* e : {"ticket", "company", "contact", "configuration"}) {
    EXPECT_NE(std::find(entities.begin(), entities.end(), e), entities.end()) << e;
  }
}

TEST_F(AutotaskWebhooksTest, DecodesWholePayloadsOfEachEntity) {
  struct Case {
    const char* entity_type;
    const char* fields;
    const char* entity;
    const char* version;
  };
  const Case cases[] = {
      {"Ticket", R"({"title":"VPN down","status":8,"lastActivityDate":"2026-11-25T10:00:00.870Z"})", "ticket",
       "2026-11-25T10:00:00.870Z"},
      {"Company", R"({"companyName":"Acme","isActive":false,"lastActivityDate":"2026-11-25T09:00:00Z"})", "company",
       "2026-11-25T09:00:00.000Z"},
      {"Account", R"({"companyName":"Acme","lastActivityDate":"2026-11-25T09:00:00Z"})", "company",
       "2026-11-25T09:00:00.000Z"},
      // Contacts stamp lastModifiedDate, as their poll reads it.
      {"Contact", R"({"firstName":"Ana","lastName":"Ruiz","lastModifiedDate":"2026-11-25T08:00:00.5Z"})", "contact",
       "2026-11-25T08:00:00.500Z"},
      // Configuration items stamp lastModifiedTime, not lastActivityDate.
      {"ConfigurationItem", R"({"referenceTitle":"FS01","serialNumber":"SN-1","lastModifiedTime":"2026-11-25T07:00:00Z"})",
       "configuration", "2026-11-25T07:00:00.000Z"},
      {"InstalledProduct", R"({"referenceTitle":"FS01","lastModifiedTime":"2026-11-25T07:00:00Z"})", "configuration",
       "2026-11-25T07:00:00.000Z"},
  };
  for (const Case& c : cases) {
    const std::string body = payload("Update", c.entity_type, 4711, c.fields);
    auto changes = connector().decode_webhook(tenant_, body);
    ASSERT_TRUE(changes.ok()) << c.entity_type << ": " << changes.error().message;
    ASSERT_EQ(changes->size(), 1u);
    const Change& change = changes->front();
    EXPECT_EQ(change.entity, c.entity) << c.entity_type;
    EXPECT_EQ(change.entity_id, "4711");
    EXPECT_EQ(change.action, "updated");
    EXPECT_EQ(change.version, c.version) << c.entity_type;
    EXPECT_FALSE(change.needs_fetch) << c.entity_type;
    EXPECT_EQ(change.body, body);
    EXPECT_FALSE(connector().webhook_signal(tenant_, body).has_value());
  }
}

TEST_F(AutotaskWebhooksTest, CreateAndDeleteOfAContact) {
  auto created = connector().decode_webhook(
      tenant_, payload("Create", "Contact", 30684, R"({"firstName":"Ana","lastName":"Ruiz","lastModifiedDate":"2026-11-25T08:00:00Z"})"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->front().action, "created");
  auto deleted = connector().decode_webhook(tenant_, payload("Delete", "Contact", 30684, "{}"));
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(deleted->front().action, "deleted");
  EXPECT_EQ(deleted->front().version, "deleted");
  EXPECT_FALSE(deleted->front().needs_fetch) << "a deletion has nothing to fetch";
}

TEST_F(AutotaskWebhooksTest, PartialPayloadNeedsAFetchAndNeverSharesAWholeRecordsKey) {
  // Only the changed status and the change time: no title, so not the ticket.
  const std::string partial =
      payload("Update", "Ticket", 123, R"({"status":5,"lastActivityDate":"2026-11-25T10:00:00.870Z"})");
  auto changes = connector().decode_webhook(tenant_, partial);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  const Change& c = changes->front();
  EXPECT_TRUE(c.needs_fetch);
  EXPECT_EQ(c.version.rfind("partial:", 0), 0u) << c.version;
  // The fetched record of the same change has the change time as its version: their keys must
  // differ, or normalize would take one for a duplicate of the other.
  Change whole{"ticket", "123", "updated", "2026-11-25T10:00:00.870Z", "{}"};
  EXPECT_NE(envelope_of(c).idempotency_key, envelope_of(whole, "fetch").idempotency_key);

  // No Fields at all is partial too.
  auto bare = connector().decode_webhook(tenant_, payload("Update", "Company", 250, ""));
  ASSERT_TRUE(bare.ok()) << bare.error().message;
  EXPECT_TRUE(bare->front().needs_fetch);

  // The job ingest schedules for it.
  auto jobs = ingest::fetch_jobs_for(tenant_, *changes, "partial_webhook");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(ingest::fetch_job_key(jobs[0]), "beta/ticket/123");
  auto back = ingest::fetch_job_from_json(ingest::to_json(jobs[0]));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, jobs[0]);
}

TEST_F(AutotaskWebhooksTest, PartialEnvelopeMapsToSupersededNotToABlankRecord) {
  auto changes = connector().decode_webhook(tenant_, payload("Update", "Ticket", 123, R"({"status":5})"));
  ASSERT_TRUE(changes.ok());
  simdjson::dom::parser parser;
  auto r = connector().to_canonical(envelope_of(changes->front()), parser);
  ASSERT_FALSE(r.ok()) << "a partial webhook was mapped to a record";
  EXPECT_EQ(r.error().code, kSuperseded);
}

TEST_F(AutotaskWebhooksTest, DeactivatedIsASignalAboutTheWebhookNotAChange) {
  // Sent to the DeactivationUrl when the webhook itself is deactivated or deleted.
  const std::string body = payload("Deactivated", "Ticket", 17, "");
  auto signal = connector().webhook_signal(tenant_, body);
  ASSERT_TRUE(signal.has_value());
  EXPECT_EQ(signal->kind, "deactivated");
  EXPECT_EQ(signal->entity, "ticket");
  auto changes = connector().decode_webhook(tenant_, body);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  EXPECT_TRUE(changes->empty());

  EXPECT_FALSE(connector().webhook_signal(tenant_, "{not json").has_value());
  EXPECT_FALSE(connector().webhook_signal(tenant_, R"({"Action":"Update"})").has_value());
  // The word elsewhere does not make a notice; the action written with JSON escapes does.
  EXPECT_FALSE(
      connector().webhook_signal(tenant_, payload("Update", "Ticket", 17, R"({"title":"Deactivated"})")).has_value());
  const auto escaped = connector().webhook_signal(tenant_, R"({"Action":"\u0044eactivated","EntityType":"Ticket"})");
  ASSERT_TRUE(escaped.has_value()) << "an escaped Action was not read as JSON";
  EXPECT_EQ(escaped->entity, "ticket");
}

TEST_F(AutotaskWebhooksTest, UnknownEntitiesAndActionsAreRefused) {
  auto contract = connector().decode_webhook(tenant_, payload("Update", "Contract", 1, R"({"contractName":"x"})"));
  ASSERT_FALSE(contract.ok());
  EXPECT_EQ(contract.error().code, "unsupported_entity");
  auto odd = connector().decode_webhook(tenant_, payload("Merge", "Ticket", 1, R"({"title":"x"})"));
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().code, "unsupported_action");
}

const std::string kTicketItem =
    R"({"item":{"id":123,"title":"VPN down","status":5,"priority":1,"queueID":29682833,"companyID":250,)"
    R"("createDate":"2026-11-25T09:41:12.500Z","lastActivityDate":"2026-11-25T10:00:00.870Z"}})";

TEST_F(AutotaskWebhooksTest, FetchRecordReadsOneRecordWithThePollsVersion) {
  psa_.reply(200, kTicketItem);
  auto fetched = connector().fetch_record(tenant_, psa_, "ticket", "123");
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  ASSERT_EQ(psa_.requests.size(), 1u);
  EXPECT_EQ(psa_.requests[0].method, "GET");
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/Tickets/123");
  EXPECT_EQ(http::find_header(psa_.requests[0].headers, "ApiIntegrationCode"), "TRACK-1");
  EXPECT_EQ(fetched->entity, "ticket");
  EXPECT_EQ(fetched->entity_id, "123");
  EXPECT_EQ(fetched->version, "2026-11-25T10:00:00.870Z");
  EXPECT_FALSE(fetched->needs_fetch);

  // A poll of the same record derives the same key, so the two dedup.
  psa_.reply(200, R"({"items":[)" + std::string(kTicketItem).substr(8, kTicketItem.size() - 9) +
                      R"(],"pageDetails":{"count":1,"requestCount":500,"prevPageUrl":null,"nextPageUrl":null}})");
  auto polled = connector().poll(tenant_, psa_, PollRequest{"ticket", "2026-11-25T09:00:00Z"});
  ASSERT_TRUE(polled.ok()) << polled.error().message;
  ASSERT_EQ(polled->changes.size(), 1u);
  EXPECT_EQ(envelope_of(*fetched, "fetch").idempotency_key, envelope_of(polled->changes[0], "poll").idempotency_key);

  // And it maps as the whole record.
  simdjson::dom::parser parser;
  auto record = connector().to_canonical(envelope_of(*fetched, "fetch"), parser);
  ASSERT_TRUE(record.ok()) << record.error().message;
  EXPECT_EQ(std::get<canonical::Ticket>(*record).title, "VPN down");
}

TEST_F(AutotaskWebhooksTest, FetchRecordOfAConfigurationItemUsesItsUrlAndChangeTime) {
  psa_.reply(200, R"({"item":{"id":9,"referenceTitle":"FS01","lastModifiedTime":"2026-11-25T07:00:00Z"}})");
  auto fetched = connector().fetch_record(tenant_, psa_, "configuration", "9");
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/ConfigurationItems/9");
  EXPECT_EQ(fetched->version, "2026-11-25T07:00:00.000Z");
}

TEST_F(AutotaskWebhooksTest, FetchRecordFailures) {
  psa_.reply(404, R"({"errors":["The requested resource does not exist."]})");
  auto gone = connector().fetch_record(tenant_, psa_, "ticket", "123");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, kRecordNotFound);

  psa_.reply(200, R"({"item":null})");  // Autotask's answer for an id it does not have
  auto null_item = connector().fetch_record(tenant_, psa_, "company", "5");
  ASSERT_FALSE(null_item.ok());
  EXPECT_EQ(null_item.error().code, kRecordNotFound);

  psa_.reply(503, "");
  auto busy = connector().fetch_record(tenant_, psa_, "ticket", "123");
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, "psa_error");

  const size_t before = psa_.requests.size();
  auto contract = connector().fetch_record(tenant_, psa_, "agreement", "1");
  ASSERT_FALSE(contract.ok());
  EXPECT_EQ(contract.error().code, kNotSupported);
  auto bad_id = connector().fetch_record(tenant_, psa_, "ticket", "1/../../Companies");
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.error().code, "invalid_id");
  EXPECT_EQ(psa_.requests.size(), before) << "nothing is asked of the PSA for these";
}

TEST_F(AutotaskWebhooksTest, RegistrationWithoutASigningSecretIsRefusedBeforeAnyCall) {
  tenant_.webhook_signing_secrets.clear();
  auto r = connector().register_webhooks(tenant_, psa_, "https://hooks.example.com/v1/webhooks/autotask/beta");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "no_webhook_secret");
  tenant_.webhook_signing_secrets = {std::string(65, 'k')};
  auto long_secret = connector().register_webhooks(tenant_, psa_, "https://hooks.example.com/x");
  ASSERT_FALSE(long_secret.ok());
  EXPECT_EQ(long_secret.error().code, "invalid_webhook_secret");
  EXPECT_TRUE(psa_.requests.empty());
}

}  // namespace
}  // namespace switchyard::connectors::autotask
