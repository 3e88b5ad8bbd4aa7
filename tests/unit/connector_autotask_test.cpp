// Autotask connector: the outbound ticket mapper, webhook signature and decoding (docs/psa/autotask.md),
// the mapping of polled records (docs/psa/autotask.md, docs/schema.md), and execute() against a fake
// PSA: idempotent upserts via the write memo and externalID, error classification (docs/psa/autotask.md),
// close and billing lines. Signatures are computed here with OpenSSL and a local base64.
#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <simdjson.h>

#include <cstdlib>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "common/idempotency.h"
#include "support/reference_signatures.h"
#include "support/fake_psa_http.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/registry.h"
#include "ingest/change_envelopes.h"

namespace switchyard::connectors::autotask {
namespace {

using namespace std::chrono_literals;

// ---- independent helpers -------------------------------------------------------------------

using switchyard::testing::at_signature;
using switchyard::testing::b64;

// A parsed JSON document that outlives the call (the test keeps the parser).
struct Doc {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  bool ok = false;
  explicit Doc(const std::string& text) {
    simdjson::dom::element root;
    ok = parser.parse(text).get(root) == simdjson::SUCCESS && root.get(obj) == simdjson::SUCCESS;
  }
  bool has(std::string_view key) { return obj[key].error() == simdjson::SUCCESS; }
  // The member as an integer; fails the test when it is not a JSON integer.
  int64_t integer(std::string_view key) {
    int64_t v = 0;
    EXPECT_EQ(obj[key].get(v), simdjson::SUCCESS) << key << " is not a JSON integer in " << simdjson::minify(obj);
    return v;
  }
  std::string string(std::string_view key) {
    std::string_view v;
    EXPECT_EQ(obj[key].get(v), simdjson::SUCCESS) << key << " is not a JSON string in " << simdjson::minify(obj);
    return std::string(v);
  }
  double number(std::string_view key) {
    double v = 0;
    EXPECT_EQ(obj[key].get(v), simdjson::SUCCESS) << key << " is not a JSON number";
    return v;
  }
};

using switchyard::testing::FakePsaHttp;

class FakeMemo : public WriteMemo {
 public:
  std::optional<std::string> lookup(const Tenant& tenant, std::string_view kind, std::string_view ref) override {
    ++lookups;
    auto it = entries.find(key(tenant.id, kind, ref));
    if (it == entries.end()) return std::nullopt;
    return it->second;
  }
  void remember(const Tenant& tenant, std::string_view kind, std::string_view ref, std::string_view psa_id) override {
    entries[key(tenant.id, kind, ref)] = std::string(psa_id);
  }
  static std::string key(std::string_view tenant, std::string_view kind, std::string_view ref) {
    return std::string(tenant) + "|" + std::string(kind) + "|" + std::string(ref);
  }
  std::map<std::string, std::string> entries;
  int lookups = 0;
};

constexpr const char* kBaseUrl = "https://webservices2.autotask.net/ATServicesRest";

Tenant at_tenant() {
  Tenant t;
  t.id = "beta";
  t.psa = "autotask";
  t.base_url = kBaseUrl;
  t.credentials = {{"username", "api@beta.example"}, {"secret", "at-api-secret"}, {"integration_code", "TRACK-1"}};
  t.webhook_signing_secrets = {"hook-secret-current", "hook-secret-next"};
  t.options = {{"default_company_id", "250"}, {"default_queue_id", "29682833"}};
  return t;
}

TicketUpsert upsert(std::optional<std::string> priority = std::nullopt) {
  TicketUpsert u;
  u.external_ref = "alert-9";
  u.title = "Disk \"C:\" almost full\non FS01 \xE2\x80\x94 92%";
  u.description = "Free space below 8%";
  if (priority) u.priority = FieldChoice::canonical(std::move(*priority));
  return u;
}

Command command(CommandPayload payload, std::string id = "cmd-0001") {
  return Command{std::move(id), "beta", "2026-11-25T10:00:00Z", std::move(payload)};
}

class AutotaskTest : public ::testing::Test {
 protected:
  const Connector& connector() const {
    const Connector* c = builtin_registry().find("autotask");
    EXPECT_NE(c, nullptr);
    return *c;
  }
  Tenant tenant_ = at_tenant();
  FakePsaHttp psa_;
  FakeMemo memo_;
};

// ---- ticket_create_body / ticket_update_body ----------------------------------------------------

TEST_F(AutotaskTest, CreateBodyUsesTenantDefaults) {
  auto body = ticket_create_body(tenant_, upsert());
  ASSERT_TRUE(body.ok()) << body.error().message;
  Doc d(*body);
  ASSERT_TRUE(d.ok) << *body;
  EXPECT_EQ(d.integer("companyID"), 250);
  EXPECT_EQ(d.integer("queueID"), 29682833);
  EXPECT_EQ(d.string("title"), "Disk \"C:\" almost full\non FS01 \xE2\x80\x94 92%");
  EXPECT_EQ(d.string("description"), "Free space below 8%");
  EXPECT_EQ(d.integer("status"), 1);    // "New" in Autotask's default status picklist
  EXPECT_EQ(d.integer("priority"), 2);  // no priority given → medium
  EXPECT_EQ(d.string("externalID"), "alert-9");
}

TEST_F(AutotaskTest, CreateBodyCommandOverridesTenantDefaults) {
  TicketUpsert u = upsert("high");
  u.company_id = "4711";
  u.board_id = "12";
  auto body = ticket_create_body(tenant_, u);
  ASSERT_TRUE(body.ok()) << body.error().message;
  Doc d(*body);
  ASSERT_TRUE(d.ok) << *body;
  EXPECT_EQ(d.integer("companyID"), 4711);
  EXPECT_EQ(d.integer("queueID"), 12);
  EXPECT_EQ(d.integer("priority"), 1);
}

TEST_F(AutotaskTest, CreateBodyWithoutDescriptionOmitsIt) {
  TicketUpsert u = upsert();
  u.description.reset();
  auto body = ticket_create_body(tenant_, u);
  ASSERT_TRUE(body.ok());
  Doc d(*body);
  ASSERT_TRUE(d.ok);
  EXPECT_FALSE(d.has("description")) << *body;
}

TEST_F(AutotaskTest, DefaultPriorityPicklist) {
  // Autotask's default priority picklist: 1 High, 2 Medium, 3 Low, 4 Critical.
  const std::pair<std::string, int64_t> cases[] = {{"low", 3}, {"medium", 2}, {"high", 1}, {"critical", 4}};
  for (const auto& [name, id] : cases) {
    auto body = ticket_create_body(tenant_, upsert(name));
    ASSERT_TRUE(body.ok()) << body.error().message;
    Doc d(*body);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.integer("priority"), id) << name;
  }
}

TEST_F(AutotaskTest, TenantOptionsOverridePicklistIds) {
  tenant_.options["priority_low"] = "11";
  tenant_.options["priority_medium"] = "12";
  tenant_.options["priority_high"] = "13";
  tenant_.options["priority_critical"] = "14";
  tenant_.options["status_new"] = "7";
  const std::pair<std::string, int64_t> cases[] = {{"low", 11}, {"medium", 12}, {"high", 13}, {"critical", 14}};
  for (const auto& [name, id] : cases) {
    auto body = ticket_create_body(tenant_, upsert(name));
    ASSERT_TRUE(body.ok()) << body.error().message;
    Doc d(*body);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.integer("priority"), id) << name;
    EXPECT_EQ(d.integer("status"), 7);
  }
}

TEST_F(AutotaskTest, MissingCompanyWithoutDefaultIsAnErrorNamingTheField) {
  tenant_.options.erase("default_company_id");
  auto body = ticket_create_body(tenant_, upsert());
  ASSERT_FALSE(body.ok());
  EXPECT_NE(body.error().message.find("payload.company_id"), std::string::npos) << body.error().message;

  // The command's own company still works without a tenant default.
  TicketUpsert u = upsert();
  u.company_id = "250";
  EXPECT_TRUE(ticket_create_body(tenant_, u).ok());
}

TEST_F(AutotaskTest, MissingQueueWithoutDefaultIsAnErrorNamingTheField) {
  tenant_.options.erase("default_queue_id");
  auto body = ticket_create_body(tenant_, upsert());
  ASSERT_FALSE(body.ok());
  EXPECT_NE(body.error().message.find("payload.board_id"), std::string::npos) << body.error().message;
}

TEST_F(AutotaskTest, UpdateBody) {
  auto with_priority = ticket_update_body(tenant_, "55501", upsert("critical"));
  Doc d(with_priority);
  ASSERT_TRUE(d.ok) << with_priority;
  EXPECT_EQ(d.integer("id"), 55501);
  EXPECT_EQ(d.string("title"), "Disk \"C:\" almost full\non FS01 \xE2\x80\x94 92%");
  EXPECT_EQ(d.string("description"), "Free space below 8%");
  EXPECT_EQ(d.integer("priority"), 4);

  auto without_priority = ticket_update_body(tenant_, "55501", upsert());
  Doc e(without_priority);
  ASSERT_TRUE(e.ok) << without_priority;
  EXPECT_EQ(e.integer("id"), 55501);
  // An update that does not mention priority must not reset it.
  EXPECT_FALSE(e.has("priority")) << without_priority;
}

// ---- verify_webhook ------------------------------------------------------------------------------

const std::string kTicketWebhook =
    R"({"Action":"Update","Guid":"5f2e8c1a-3b4d-4e6f-8a9b-0c1d2e3f4a5b","EntityType":"Ticket","Id":123,)"
    R"("Fields":{"id":123,"status":8,"title":"VPN \u0026 email down","priority":1,"queueID":29682833,)"
    R"("companyID":250,"lastActivityDate":"2026-11-25T10:00:00.870Z"},)"
    R"("EventTime":"2026-11-25T10:00:01.120Z","SequenceNumber":3,"PersonID":29682885})";

TEST_F(AutotaskTest, VerifyAcceptsCorrectSignatureAndBothRotationSecrets) {
  const Status current = connector().verify_webhook(
      tenant_, {kTicketWebhook, {{"X-Hook-Signature", at_signature("hook-secret-current", kTicketWebhook)}}});
  EXPECT_TRUE(current.ok()) << current.error().message;
  const Status next = connector().verify_webhook(
      tenant_, {kTicketWebhook, {{"x-hook-signature", at_signature("hook-secret-next", kTicketWebhook)}}});
  EXPECT_TRUE(next.ok()) << next.error().message;
}

TEST_F(AutotaskTest, VerifyRejectsWrongMissingMalformedAndAltered) {
  EXPECT_FALSE(connector()
                   .verify_webhook(tenant_, {kTicketWebhook, {{"X-Hook-Signature", at_signature("other", kTicketWebhook)}}})
                   .ok());
  EXPECT_FALSE(connector().verify_webhook(tenant_, {kTicketWebhook, {}}).ok());
  // The bare base64 without the "sha1=" prefix is not the header's format.
  const std::string sig = at_signature("hook-secret-current", kTicketWebhook);
  EXPECT_FALSE(connector().verify_webhook(tenant_, {kTicketWebhook, {{"X-Hook-Signature", sig.substr(5)}}}).ok());
  EXPECT_FALSE(connector().verify_webhook(tenant_, {kTicketWebhook, {{"X-Hook-Signature", "sha1="}}}).ok());
  std::string altered = kTicketWebhook;
  altered[altered.find("123")] = '4';
  EXPECT_FALSE(connector().verify_webhook(tenant_, {altered, {{"X-Hook-Signature", sig}}}).ok());
}

// ---- decode_webhook ------------------------------------------------------------------------------

TEST_F(AutotaskTest, DecodeUpdate) {
  auto changes = connector().decode_webhook(tenant_, kTicketWebhook);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  ASSERT_EQ(changes->size(), 1u);
  const Change& c = changes->front();
  EXPECT_EQ(c.entity, "ticket");
  EXPECT_EQ(c.entity_id, "123");
  EXPECT_EQ(c.action, "updated");
  // The version is lastActivityDate as an RFC 3339 UTC time.
  EXPECT_EQ(c.version.rfind("2026-11-25T10:00:00", 0), 0u) << c.version;
  EXPECT_EQ(c.version.back(), 'Z') << c.version;
  EXPECT_EQ(c.body, kTicketWebhook);
  EXPECT_TRUE(c.body_is_json);  // parsed whole: embedded as JSON in the envelope (version 2)
}

TEST_F(AutotaskTest, DecodeCreateDeleteAndCompany) {
  std::string create = kTicketWebhook;
  create.replace(create.find("\"Update\""), 8, "\"Create\"");
  auto created = connector().decode_webhook(tenant_, create);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->front().action, "created");

  const std::string del =
      R"({"Action":"Delete","Guid":"5f2e8c1a-0000-4e6f-8a9b-0c1d2e3f4a5b","EntityType":"Ticket","Id":123,)"
      R"("Fields":{},"EventTime":"2026-11-25T11:00:00Z","SequenceNumber":9,"PersonID":29682885})";
  auto deleted = connector().decode_webhook(tenant_, del);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(deleted->front().action, "deleted");
  EXPECT_EQ(deleted->front().version, "deleted");

  const std::string company =
      R"({"Action":"Update","Guid":"a","EntityType":"Company","Id":250,)"
      R"("Fields":{"companyName":"Acme Corp","lastActivityDate":"2026-11-25T09:00:00Z"},)"
      R"("EventTime":"2026-11-25T09:00:01Z","SequenceNumber":1,"PersonID":4})";
  auto c = connector().decode_webhook(tenant_, company);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->front().entity, "company");
  EXPECT_EQ(c->front().entity_id, "250");
  EXPECT_EQ(c->front().version, "2026-11-25T09:00:00.000Z");  // versions keep milliseconds
}

TEST_F(AutotaskTest, DecodeRejectsBadInput) {
  auto bad_json = connector().decode_webhook(tenant_, "{\"Action\":");
  ASSERT_FALSE(bad_json.ok());
  EXPECT_EQ(bad_json.error().code, "invalid_json");

  std::string contract = kTicketWebhook;
  contract.replace(contract.find("\"Ticket\""), 8, "\"Contract\"");
  EXPECT_FALSE(connector().decode_webhook(tenant_, contract).ok());

  // "Deactivated" is about the webhook, not a record: no change (see connector_autotask_webhooks_test).
  std::string deactivated = kTicketWebhook;
  deactivated.replace(deactivated.find("\"Update\""), 8, "\"Deactivated\"");
  auto none = connector().decode_webhook(tenant_, deactivated);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  std::string no_id = kTicketWebhook;
  no_id.replace(no_id.find("\"Id\":123,"), 9, "");
  EXPECT_FALSE(connector().decode_webhook(tenant_, no_id).ok());
}

TEST_F(AutotaskTest, TwoUpdatesInTheSameSecondAreDifferentChanges) {
  // lastActivityDate carries milliseconds. Two real updates of one ticket 600 ms apart are two
  // versions; if both derive the same idempotency key, normalize drops the second as a
  // duplicate and the later state is lost until the ticket changes again.
  std::string first = kTicketWebhook;
  std::string second = kTicketWebhook;
  second.replace(second.find("\"status\":8"), 10, "\"status\":5");
  second.replace(second.find("10:00:00.870Z"), 13, "10:00:00.270Z");
  first.replace(first.find("10:00:00.870Z"), 13, "10:00:00.100Z");
  auto a = connector().decode_webhook(tenant_, first);
  auto b = connector().decode_webhook(tenant_, second);
  ASSERT_TRUE(a.ok() && b.ok());
  auto ea = ingest::to_envelopes(tenant_, std::move(*a), "webhook");
  auto eb = ingest::to_envelopes(tenant_, std::move(*b), "webhook");
  EXPECT_NE(ea[0].idempotency_key, eb[0].idempotency_key)
      << "versions " << "10:00:00.100Z and 10:00:00.270Z collapsed to one key";
}

// ---- polling, map_record, idempotency across paths --------------------------------------------

const std::string kPolledTicket =
    R"({"id":123,"ticketNumber":"T20261125.0042","title":"VPN & email down","description":"Since 09:40",)"
    R"("status":5,"priority":1,"queueID":29682833,"companyID":250,"contactID":30684,"contractID":null,)"
    R"("assignedResourceID":29682885,"assignedResourceRoleID":29683461,"ticketType":1,"issueType":0,)"
    R"("createDate":"2026-11-25T09:41:12.500Z","lastActivityDate":"2026-11-25T10:00:00.870Z",)"
    R"("completedDate":"2026-11-25T10:00:00.870Z","dueDateTime":"2026-11-26T09:41:00Z",)"
    R"("userDefinedFields":[{"name":"Site","value":"HQ"},{"name":"Escalated","value":null}]})";

TEST_F(AutotaskTest, MapRecordOfAPolledTicket) {
  Doc d(kPolledTicket);
  ASSERT_TRUE(d.ok);
  auto r = map_record("beta", "ticket", d.obj);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(std::holds_alternative<canonical::Ticket>(*r));
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_EQ(t.tenant, "beta");
  EXPECT_EQ(t.source, (canonical::SourceRef{"autotask", "Tickets", "123"}));
  EXPECT_EQ(t.updated_at, "2026-11-25T10:00:00Z");
  EXPECT_EQ(t.title, "VPN & email down");
  EXPECT_EQ(t.description, std::optional<std::string>("Since 09:40"));
  EXPECT_TRUE(t.status.has_value());
  EXPECT_TRUE(t.priority.has_value());
  ASSERT_TRUE(t.board.has_value());
  EXPECT_EQ(t.board->id, "29682833");
  ASSERT_TRUE(t.company.has_value());
  EXPECT_EQ(t.company->id, "250");
  ASSERT_TRUE(t.contact.has_value());
  EXPECT_EQ(t.contact->id, "30684");
  EXPECT_EQ(t.created_at, std::optional<std::string>("2026-11-25T09:41:12Z"));
  EXPECT_EQ(t.closed_at, std::optional<std::string>("2026-11-25T10:00:00Z"));
  EXPECT_TRUE(t.closed);  // status 5 = Complete
}

TEST_F(AutotaskTest, MapRecordOfAnOpenTicket) {
  std::string open = kPolledTicket;
  open.replace(open.find("\"status\":5"), 10, "\"status\":1");
  open.replace(open.find("\"completedDate\":\"2026-11-25T10:00:00.870Z\""), 42, "\"completedDate\":null");
  Doc d(open);
  ASSERT_TRUE(d.ok) << open;
  auto r = map_record("beta", "ticket", d.obj);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_FALSE(t.closed);
  EXPECT_FALSE(t.closed_at.has_value());
}

TEST_F(AutotaskTest, MapRecordKeepsUserDefinedFieldsAsCustomFields) {
  // docs/schema.md: custom_fields ← Autotask userDefinedFields[] (name → value).
  Doc d(kPolledTicket);
  ASSERT_TRUE(d.ok);
  auto r = map_record("beta", "ticket", d.obj);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& t = std::get<canonical::Ticket>(*r);
  ASSERT_EQ(t.custom_fields.count("Site"), 1u) << "userDefinedFields were dropped";
  EXPECT_EQ(t.custom_fields.at("Site"), canonical::CustomValue(std::string("HQ")));
  ASSERT_EQ(t.custom_fields.count("Escalated"), 1u);
  EXPECT_EQ(t.custom_fields.at("Escalated"), canonical::CustomValue(nullptr));
}

TEST_F(AutotaskTest, MapRecordWithoutIdOrDateIsAnError) {
  Doc no_id(R"({"title":"x","lastActivityDate":"2026-11-25T10:00:00Z"})");
  ASSERT_TRUE(no_id.ok);
  auto a = map_record("beta", "ticket", no_id.obj);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("id"), std::string::npos);
  Doc no_date(R"({"id":5,"title":"x"})");
  ASSERT_TRUE(no_date.ok);
  EXPECT_FALSE(map_record("beta", "ticket", no_date.obj).ok());
}

TEST_F(AutotaskTest, MapRecordOfAPolledCompany) {
  Doc d(R"({"id":250,"companyName":"Acme Corp","companyNumber":"ACME01","companyType":1,"isActive":false,)"
        R"("phone":"555-0100","webAddress":"https://acme.example","parentCompanyID":19,)"
        R"("lastActivityDate":"2026-11-25T08:00:00Z"})");
  ASSERT_TRUE(d.ok);
  auto r = map_record("beta", "company", d.obj);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(std::holds_alternative<canonical::Company>(*r));
  const auto& c = std::get<canonical::Company>(*r);
  EXPECT_EQ(c.source, (canonical::SourceRef{"autotask", "Companies", "250"}));
  EXPECT_EQ(c.name, "Acme Corp");
  EXPECT_EQ(c.identifier, std::optional<std::string>("ACME01"));
  EXPECT_FALSE(c.active);
  EXPECT_EQ(c.phone, std::optional<std::string>("555-0100"));
  ASSERT_TRUE(c.parent.has_value());
  EXPECT_EQ(c.parent->id, "19");
  EXPECT_EQ(c.types.size(), 1u);
}

TEST_F(AutotaskTest, PollQueriesAndMatchesTheWebhookKey) {
  psa_.reply(200, R"({"items":[)" + kPolledTicket +
                      R"(],"pageDetails":{"count":1,"requestCount":500,"prevPageUrl":null,"nextPageUrl":null}})");
  auto polled = connector().poll(tenant_, psa_, PollRequest{"ticket", "2026-11-25T09:00:00Z"});
  ASSERT_TRUE(polled.ok()) << polled.error().message;
  ASSERT_EQ(psa_.requests.size(), 1u);
  EXPECT_EQ(psa_.requests[0].method, "POST");
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/Tickets/query");
  EXPECT_NE(psa_.requests[0].body.find("lastActivityDate"), std::string::npos) << psa_.requests[0].body;
  ASSERT_EQ(polled->changes.size(), 1u);
  EXPECT_EQ(polled->changes[0].entity_id, "123");

  auto hook = connector().decode_webhook(tenant_, kTicketWebhook);
  ASSERT_TRUE(hook.ok());
  EXPECT_EQ(polled->changes[0].version, hook->front().version);
  auto from_poll = ingest::to_envelopes(tenant_, std::move(polled->changes), "poll");
  auto from_hook = ingest::to_envelopes(tenant_, std::move(*hook), "webhook");
  EXPECT_EQ(from_poll[0].idempotency_key, from_hook[0].idempotency_key);
}

TEST_F(AutotaskTest, PartialWebhookIsNotPublishedAsAFullRecordWithEmptyTitle) {
  // An Autotask webhook carries only the changed and "display always" fields (docs/psa/autotask.md).
  // A canonical "upserted" record is the record's current state (docs/schema.md), so a status
  // change must not become a ticket whose title is "" and whose company is gone.
  const std::string body =
      R"({"Action":"Update","Guid":"g","EntityType":"Ticket","Id":123,)"
      R"("Fields":{"status":8,"lastActivityDate":"2026-11-25T10:00:00.870Z"},)"
      R"("EventTime":"2026-11-25T10:00:01Z","SequenceNumber":4,"PersonID":1})";
  Envelope e;
  e.tenant = "beta";
  e.psa = "autotask";
  e.entity = "ticket";
  e.entity_id = "123";
  e.action = "updated";
  e.source = "webhook";
  e.received_at = "2026-11-25T10:00:02.000Z";
  e.idempotency_key = std::string(64, '1');
  e.body = body;
  simdjson::dom::parser parser;
  auto r = connector().to_canonical(e, parser);
  if (r.ok()) {
    ASSERT_TRUE(std::holds_alternative<canonical::Ticket>(*r));
    EXPECT_FALSE(std::get<canonical::Ticket>(*r).title.empty())
        << "a partial webhook was mapped to an upserted ticket with an empty title";
  }
}

// ---- execute ---------------------------------------------------------------------------------

TEST_F(AutotaskTest, FirstUpsertQueriesByExternalIdThenCreatesAndRemembers) {
  psa_.reply(200, R"({"items":[],"pageDetails":{"count":0,"requestCount":1,"prevPageUrl":null,"nextPageUrl":null}})");
  psa_.reply(200, R"({"itemId":98765})");
  const WriteOutcome out = connector().execute(tenant_, command(upsert("high")), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Done) << out.detail;
  EXPECT_EQ(out.psa_id, "98765");
  EXPECT_TRUE(out.created);

  ASSERT_EQ(psa_.requests.size(), 2u);
  const auto& query = psa_.requests[0];
  EXPECT_EQ(query.method, "POST");
  EXPECT_EQ(query.url, std::string(kBaseUrl) + "/V1.0/Tickets/query");
  EXPECT_EQ(http::find_header(query.headers, "ApiIntegrationCode"), "TRACK-1");
  EXPECT_EQ(http::find_header(query.headers, "UserName"), "api@beta.example");
  EXPECT_EQ(http::find_header(query.headers, "Secret"), "at-api-secret");
  {
    // {"Filter":[{"op":"eq","field":"externalID","value":"alert-9"}], ...}
    Doc q(query.body);
    ASSERT_TRUE(q.ok) << query.body;
    simdjson::dom::array filter;
    ASSERT_EQ(q.obj["Filter"].get(filter), simdjson::SUCCESS) << query.body;
    bool found = false;
    for (simdjson::dom::element f : filter) {
      std::string_view op, field, value;
      if (f["op"].get(op) == simdjson::SUCCESS && f["field"].get(field) == simdjson::SUCCESS &&
          f["value"].get(value) == simdjson::SUCCESS) {
        found |= op == "eq" && field == "externalID" && value == "alert-9";
      }
    }
    EXPECT_TRUE(found) << query.body;
  }

  const auto& create = psa_.requests[1];
  EXPECT_EQ(create.method, "POST");
  EXPECT_EQ(create.url, std::string(kBaseUrl) + "/V1.0/Tickets");
  Doc c(create.body);
  ASSERT_TRUE(c.ok) << create.body;
  EXPECT_EQ(c.string("externalID"), "alert-9");
  EXPECT_EQ(c.integer("companyID"), 250);
  EXPECT_EQ(c.integer("queueID"), 29682833);
  EXPECT_EQ(c.integer("priority"), 1);

  EXPECT_EQ(memo_.entries.at(FakeMemo::key("beta", "ticket", "alert-9")), "98765");
}

TEST_F(AutotaskTest, LabelsAreResolvedFromOneReadOfThePicklists) {
  psa_.reply(200, R"({"fields":[{"name":"status","isPickList":true,"picklistValues":[)"
                  R"({"value":"1","label":"New","isActive":true},{"value":"8","label":"In Progress","isActive":false},)"
                  R"({"value":"18","label":"In Progress","isActive":true}]},)"
                  R"({"name":"ticketType","isPickList":true,"picklistValues":[{"value":"2","label":"Incident"}]}]})");
  psa_.reply(200, R"({"items":[]})");
  psa_.reply(200, R"({"itemId":98765})");
  TicketUpsert u = upsert();
  u.status = FieldChoice::label("in progress");  // case-insensitive, inactive values skipped
  u.type = FieldChoice::canonical("incident");   // default mapping → label "Incident"
  u.contact_id = "30";
  const WriteOutcome out = connector().execute(tenant_, command(u), psa_, memo_);
  ASSERT_EQ(out.kind, WriteOutcome::Kind::Done) << out.detail;
  ASSERT_EQ(psa_.requests.size(), 3u) << "one picklist read, the lookup, the create";
  EXPECT_EQ(psa_.requests[0].method, "GET");
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/Tickets/entityInformation/fields");
  Doc c(psa_.requests[2].body);
  ASSERT_TRUE(c.ok) << psa_.requests[2].body;
  EXPECT_EQ(c.integer("status"), 18);
  EXPECT_EQ(c.integer("ticketType"), 2);
  EXPECT_EQ(c.integer("contactID"), 30);
  EXPECT_EQ(c.integer("priority"), 2);  // none given: medium, as in v1
}

TEST_F(AutotaskTest, TenantMappingsOverridePriorityOptionsAndIdsNeedNoPicklistRead) {
  tenant_.mappings.tables["priority"]["high"] = "9";
  tenant_.mappings.tables["status"]["new"] = "12";
  psa_.reply(200, R"({"items":[]})");
  psa_.reply(200, R"({"itemId":98765})");
  TicketUpsert u = upsert("high");
  u.status = FieldChoice::canonical("new");
  u.type = FieldChoice::id("4");
  ASSERT_EQ(connector().execute(tenant_, command(u), psa_, memo_).kind, WriteOutcome::Kind::Done);
  ASSERT_EQ(psa_.requests.size(), 2u) << "ids and mapped ids are sent without reading the picklists";
  Doc c(psa_.requests[1].body);
  ASSERT_TRUE(c.ok) << psa_.requests[1].body;
  EXPECT_EQ(c.integer("priority"), 9);
  EXPECT_EQ(c.integer("status"), 12);
  EXPECT_EQ(c.integer("ticketType"), 4);
}

TEST_F(AutotaskTest, UpdateSendsOnlyTheChoicesGiven) {
  memo_.entries[FakeMemo::key("beta", "ticket", "alert-9")] = "98765";
  psa_.reply(200, R"({"itemId":98765})");
  TicketUpsert u = upsert();
  u.status = FieldChoice::id("5");
  ASSERT_EQ(connector().execute(tenant_, command(u), psa_, memo_).kind, WriteOutcome::Kind::Done);
  ASSERT_EQ(psa_.requests.size(), 1u);
  Doc p(psa_.requests[0].body);
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.integer("status"), 5);
  EXPECT_FALSE(p.has("priority"));
  EXPECT_FALSE(p.has("ticketType"));
  EXPECT_FALSE(p.has("contactID"));
}

TEST_F(AutotaskTest, NoteLooksForItsMarkerOnTheTicketBeforeAdding) {
  memo_.entries[FakeMemo::key("beta", "ticket", "alert-9")] = "98765";
  // A note whose text merely resembles the marker (a "contains" match on another ref) is not it.
  psa_.reply(200, R"j({"items":[{"id":7,"description":"see (sy-note n1x)"}]})j");
  psa_.reply(200, R"({"itemId":555})");
  const WriteOutcome out =
      connector().execute(tenant_, command(TicketNoteAdd{"alert-9", "n1", "Rebooted", {}}), psa_, memo_);
  ASSERT_EQ(out.kind, WriteOutcome::Kind::Done) << out.detail;
  EXPECT_TRUE(out.created);
  ASSERT_EQ(psa_.requests.size(), 2u);
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/TicketNotes/query");
  EXPECT_NE(psa_.requests[0].body.find(R"({"op":"eq","field":"ticketID","value":"98765"})"), std::string::npos)
      << psa_.requests[0].body;
  EXPECT_NE(psa_.requests[0].body.find(R"j({"op":"contains","field":"description","value":"(sy-note n1)"})j"),
            std::string::npos)
      << psa_.requests[0].body;
  EXPECT_EQ(psa_.requests[1].url, std::string(kBaseUrl) + "/V1.0/Tickets/98765/Notes");
  Doc n(psa_.requests[1].body);
  ASSERT_TRUE(n.ok);
  EXPECT_EQ(n.integer("ticketID"), 98765);
  EXPECT_EQ(n.integer("publish"), 2);  // internal by default
  EXPECT_EQ(n.string("description"), "Rebooted\n\n(sy-note n1)");
}

TEST_F(AutotaskTest, ConfigurationWithoutAProductOptionIsRejectedBeforeAnyWrite) {
  ConfigurationUpsert device;
  device.external_ref = "dev-1";
  device.name = "FS01";
  psa_.reply(200, R"({"items":[]})");
  const WriteOutcome out = connector().execute(tenant_, command(device), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(out.detail.find("options.configuration_product_id"), std::string::npos) << out.detail;
  ASSERT_EQ(psa_.requests.size(), 1u);
  EXPECT_NE(psa_.requests[0].body.find(R"("field":"referenceNumber","value":"sy:dev-1")"), std::string::npos)
      << psa_.requests[0].body;
}

TEST_F(AutotaskTest, SecondUpsertWithMemoHitPatchesInsteadOfPosting) {
  psa_.reply(200, R"({"items":[]})");
  psa_.reply(200, R"({"itemId":98765})");
  ASSERT_EQ(connector().execute(tenant_, command(upsert()), psa_, memo_).kind, WriteOutcome::Kind::Done);
  psa_.requests.clear();

  psa_.reply(200, R"({"itemId":98765})");
  TicketUpsert again = upsert("critical");
  again.title = "Disk almost full (updated)";
  const WriteOutcome out = connector().execute(tenant_, command(again, "cmd-0002"), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Done) << out.detail;
  EXPECT_EQ(out.psa_id, "98765");
  EXPECT_FALSE(out.created);
  ASSERT_EQ(psa_.requests.size(), 1u) << "memo hit: no query, no create";
  EXPECT_EQ(psa_.requests[0].method, "PATCH");
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/Tickets");
  Doc p(psa_.requests[0].body);
  ASSERT_TRUE(p.ok) << psa_.requests[0].body;
  EXPECT_EQ(p.integer("id"), 98765);
  EXPECT_EQ(p.string("title"), "Disk almost full (updated)");
  EXPECT_EQ(p.integer("priority"), 4);
}

TEST_F(AutotaskTest, UpsertFindsAnExistingTicketByExternalIdWhenTheMemoMisses) {
  psa_.reply(200, R"({"items":[{"id":55501}],"pageDetails":{"count":1,"nextPageUrl":null}})");
  psa_.reply(200, R"({"itemId":55501})");
  const WriteOutcome out = connector().execute(tenant_, command(upsert()), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Done) << out.detail;
  EXPECT_EQ(out.psa_id, "55501");
  EXPECT_FALSE(out.created);
  ASSERT_EQ(psa_.requests.size(), 2u);
  EXPECT_EQ(psa_.requests[1].method, "PATCH");
  EXPECT_EQ(memo_.entries.at(FakeMemo::key("beta", "ticket", "alert-9")), "55501");
}

TEST_F(AutotaskTest, TooManyRequestsIsRetryableWithRetryAfter) {
  psa_.reply(429, R"({"errors":["Rate limit exceeded"]})", {{"Retry-After", "3"}});
  const WriteOutcome out = connector().execute(tenant_, command(upsert()), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Retryable) << out.detail;
  EXPECT_EQ(out.retry_after, 3000ms);
  EXPECT_EQ(out.http_status, 429);
  EXPECT_EQ(psa_.requests.size(), 1u) << "nothing is created after the query was refused";
  EXPECT_TRUE(memo_.entries.empty());
}

TEST_F(AutotaskTest, TooManyRequestsOnCreateIsRetryable) {
  psa_.reply(200, R"({"items":[]})");
  psa_.reply(429, "", {{"retry-after", "3"}});
  const WriteOutcome out = connector().execute(tenant_, command(upsert()), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Retryable);
  EXPECT_EQ(out.retry_after, 3000ms);
  EXPECT_TRUE(memo_.entries.empty());
}

TEST_F(AutotaskTest, ServerErrorWithErrorsListIsRejectedWithTheMessage) {
  psa_.reply(200, R"({"items":[]})");
  psa_.reply(500, R"({"errors":["Ticket: The assignedResourceRoleID is required when assignedResourceID is set."]})");
  const WriteOutcome out = connector().execute(tenant_, command(upsert()), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(out.detail.find("The assignedResourceRoleID is required when assignedResourceID is set."),
            std::string::npos)
      << out.detail;
  EXPECT_EQ(out.http_status, 500);
  EXPECT_EQ(out.detail.find("at-api-secret"), std::string::npos) << "detail must never carry a secret";
}

TEST_F(AutotaskTest, LongNonAsciiErrorDetailStaysValidUtf8) {
  // The detail goes into a dead-letter JSON document; bounding its length must not cut a
  // multi-byte character in half.
  std::string message = "x";                              // odd offset: a 2-byte character
  for (int i = 0; i < 200; ++i) message += "\xC3\xA9";  // straddles every even byte limit
  psa_.reply(200, R"({"items":[]})");
  psa_.reply(500, R"({"errors":[")" + message + R"("]})");
  const WriteOutcome out = connector().execute(tenant_, command(upsert()), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Rejected);
  EXPECT_FALSE(out.detail.empty());
  EXPECT_TRUE(simdjson::validate_utf8(out.detail.data(), out.detail.size())) << "detail is not valid UTF-8";
}

TEST_F(AutotaskTest, ServerErrorWithoutErrorsListIsRetryable) {
  psa_.reply(200, R"({"items":[]})");
  psa_.reply(500, "Internal Server Error", {{"Content-Type", "text/plain"}});
  const WriteOutcome out = connector().execute(tenant_, command(upsert()), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Retryable) << out.detail;
  EXPECT_EQ(out.http_status, 500);

  psa_.requests.clear();
  psa_.reply(200, R"({"items":[]})");
  psa_.reply(500, R"({"errors":[]})");
  EXPECT_EQ(connector().execute(tenant_, command(upsert()), psa_, memo_).kind, WriteOutcome::Kind::Retryable);
}

TEST_F(AutotaskTest, ClientErrorIsRejectedAndTransportFailureRetryable) {
  psa_.reply(403, "");
  EXPECT_EQ(connector().execute(tenant_, command(upsert()), psa_, memo_).kind, WriteOutcome::Kind::Rejected);
  psa_.requests.clear();
  // No scripted answer: the fake reports a transport error.
  EXPECT_EQ(connector().execute(tenant_, command(upsert()), psa_, memo_).kind, WriteOutcome::Kind::Retryable);
}

TEST_F(AutotaskTest, UpsertWithoutCompanyIsRejectedBeforeAnyWrite) {
  tenant_.options.erase("default_company_id");
  psa_.reply(200, R"({"items":[]})");
  const WriteOutcome out = connector().execute(tenant_, command(upsert()), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(out.detail.find("payload.company_id"), std::string::npos) << out.detail;
  for (const auto& r : psa_.requests) EXPECT_NE(r.url, std::string(kBaseUrl) + "/V1.0/Tickets") << "no create";
}

TEST_F(AutotaskTest, QueryAnswerWithoutItemIdDoesNotCrash) {
  // A malformed query answer (an item without "id") must be handled as an error or a miss,
  // never read through an invalid DOM reference. Run in a child so a crash is a failure here.
  EXPECT_EXIT(
      {
        FakePsaHttp psa;
        FakeMemo memo;
        psa.reply(200, R"({"items":[{"ticketNumber":"T1"}]})");
        psa.reply(200, R"({"itemId":1})");
        (void)connector().execute(tenant_, command(upsert()), psa, memo);
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(AutotaskTest, CloseWithoutAnExistingTicketIsRejected) {
  psa_.reply(200, R"({"items":[],"pageDetails":{"count":0,"nextPageUrl":null}})");
  const WriteOutcome out =
      connector().execute(tenant_, command(TicketClose{"alert-404", std::string("fixed")}), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(out.detail.find("alert-404"), std::string::npos) << out.detail;
  ASSERT_EQ(psa_.requests.size(), 1u);
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/Tickets/query");
}

TEST_F(AutotaskTest, CloseAnExistingTicketPatchesStatusComplete) {
  tenant_.options["status_complete"] = "5";
  memo_.entries[FakeMemo::key("beta", "ticket", "alert-9")] = "98765";
  psa_.reply(200, R"({"itemId":98765})");
  const WriteOutcome out =
      connector().execute(tenant_, command(TicketClose{"alert-9", std::string("Auto-resolved")}), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Done) << out.detail;
  EXPECT_EQ(out.psa_id, "98765");
  ASSERT_EQ(psa_.requests.size(), 1u);
  EXPECT_EQ(psa_.requests[0].method, "PATCH");
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/Tickets");
  Doc p(psa_.requests[0].body);
  ASSERT_TRUE(p.ok) << psa_.requests[0].body;
  EXPECT_EQ(p.integer("id"), 98765);
  EXPECT_EQ(p.integer("status"), 5);  // the tenant pins options.status_complete = 5
}

TEST_F(AutotaskTest, CloseWithoutAPinnedStatusTakesCompleteFromThePicklist) {
  memo_.entries[FakeMemo::key("beta", "ticket", "alert-9")] = "98765";
  // This instance's Complete is 13, not the stock 5; an inactive "Complete" never counts.
  psa_.reply(200, R"({"fields":[{"name":"status","isPickList":true,"picklistValues":[)"
                  R"({"value":"5","label":"Complete","isActive":false},{"value":"13","label":"Complete","isActive":true},)"
                  R"({"value":"1","label":"New","isActive":true}]}]})");
  psa_.reply(200, R"({"itemId":98765})");
  const WriteOutcome out = connector().execute(tenant_, command(TicketClose{"alert-9", std::nullopt}), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Done) << out.detail;
  ASSERT_EQ(psa_.requests.size(), 2u);
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/Tickets/entityInformation/fields");
  Doc p(psa_.requests[1].body);
  ASSERT_TRUE(p.ok) << psa_.requests[1].body;
  EXPECT_EQ(p.integer("status"), 13);

  // A tenant that calls its closed status something else maps "complete" to it.
  tenant_.mappings.tables["status"]["complete"] = "Resolved";
  psa_.requests.clear();
  psa_.reply(200, R"({"fields":[{"name":"status","isPickList":true,"picklistValues":[)"
                  R"({"value":"13","label":"Complete","isActive":true},{"value":"21","label":"Resolved","isActive":true}]}]})");
  psa_.reply(200, R"({"itemId":98765})");
  EXPECT_EQ(connector().execute(tenant_, command(TicketClose{"alert-9", std::nullopt}), psa_, memo_).kind,
            WriteOutcome::Kind::Done);
  Doc mapped(psa_.requests.at(1).body);
  EXPECT_EQ(mapped.integer("status"), 21);
}

BillingLineAdd billing() {
  BillingLineAdd b;
  b.external_ref = "usage-2026-11";
  b.agreement_id = "31";
  b.description = "Backup storage (GB)";
  b.quantity = 120.5;
  b.unit_price = 0.15;
  b.product_id = "77";
  b.effective_date = "2026-11-01";
  return b;
}

TEST_F(AutotaskTest, BillingLinePostsContractChargeAndIsSkippedWhenRemembered) {
  psa_.reply(200, R"({"items":[],"pageDetails":{"count":0,"nextPageUrl":null}})");
  psa_.reply(200, R"({"itemId":444})");
  const WriteOutcome out = connector().execute(tenant_, command(billing()), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Done) << out.detail;
  EXPECT_EQ(out.psa_id, "444");
  EXPECT_TRUE(out.created);
  ASSERT_EQ(psa_.requests.size(), 2u);
  // First the lookup by the reference a charge made earlier would carry, then the create.
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/ContractCharges/query");
  Doc q(psa_.requests[0].body);
  ASSERT_TRUE(q.ok) << psa_.requests[0].body;
  EXPECT_NE(psa_.requests[0].body.find(R"("field":"internalPurchaseOrderNumber","value":"sy:usage-2026-11")"),
            std::string::npos)
      << psa_.requests[0].body;
  EXPECT_NE(psa_.requests[0].body.find(R"("field":"contractID","value":"31")"), std::string::npos);
  EXPECT_EQ(psa_.requests[1].method, "POST");
  EXPECT_EQ(psa_.requests[1].url, std::string(kBaseUrl) + "/V1.0/Contracts/31/Charges");
  Doc b(psa_.requests[1].body);
  ASSERT_TRUE(b.ok) << psa_.requests[1].body;
  EXPECT_EQ(b.string("internalPurchaseOrderNumber"), "sy:usage-2026-11");
  EXPECT_EQ(b.integer("contractID"), 31);
  EXPECT_DOUBLE_EQ(b.number("unitQuantity"), 120.5);
  EXPECT_DOUBLE_EQ(b.number("unitPrice"), 0.15);
  EXPECT_EQ(b.integer("productID"), 77);
  EXPECT_EQ(b.string("description"), "Backup storage (GB)");
  EXPECT_EQ(b.string("datePurchased").rfind("2026-11-01", 0), 0u);
  EXPECT_EQ(memo_.entries.at(FakeMemo::key("beta", "billing_line", "usage-2026-11")), "444");

  // Redelivered: the memo has it, nothing is sent.
  psa_.requests.clear();
  const WriteOutcome again = connector().execute(tenant_, command(billing(), "cmd-0003"), psa_, memo_);
  EXPECT_EQ(again.kind, WriteOutcome::Kind::Done);
  EXPECT_EQ(again.psa_id, "444");
  EXPECT_FALSE(again.created);
  EXPECT_TRUE(psa_.requests.empty());
}

TEST_F(AutotaskTest, BillingLineNameIsValidUtf8WhenTruncated) {
  // The charge name is the description cut to 100 characters; cutting inside a multi-byte
  // character would send invalid UTF-8.
  BillingLineAdd b = billing();
  b.description = std::string(99, 'x') + "\xE2\x82\xAC and more";  // '€' spans bytes 100-102
  psa_.reply(200, R"({"items":[]})");
  psa_.reply(200, R"({"itemId":445})");
  (void)connector().execute(tenant_, command(b), psa_, memo_);
  ASSERT_EQ(psa_.requests.size(), 2u);
  Doc d(psa_.requests[1].body);
  EXPECT_TRUE(d.ok) << "request body is not valid JSON/UTF-8";
}

TEST_F(AutotaskTest, BillingLineRetriedAfterALostAnswerFindsTheChargeInsteadOfBillingTwice) {
  // The POST reached Autotask and made charge 446, but the answer was a 503: the retry must
  // find that charge by its reference and not POST a second one.
  psa_.reply(200, R"({"items":[]})");
  psa_.reply(503, "", {{"Retry-After", "1"}});
  const WriteOutcome out = connector().execute(tenant_, command(billing()), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Retryable);
  EXPECT_EQ(out.retry_after, 1000ms);

  psa_.requests.clear();
  psa_.reply(200, R"({"items":[{"id":446}],"pageDetails":{"count":1,"nextPageUrl":null}})");
  const WriteOutcome retried = connector().execute(tenant_, command(billing()), psa_, memo_);
  EXPECT_EQ(retried.kind, WriteOutcome::Kind::Done) << retried.detail;
  EXPECT_EQ(retried.psa_id, "446");
  EXPECT_FALSE(retried.created);
  for (const auto& r : psa_.requests) EXPECT_NE(r.method + r.url, "POST" + std::string(kBaseUrl) + "/V1.0/Contracts/31/Charges");
  EXPECT_EQ(memo_.entries.at(FakeMemo::key("beta", "billing_line", "usage-2026-11")), "446");
}

TEST_F(AutotaskTest, BillingLineLookupFailureNeverFallsThroughToACreate) {
  // Without an answer to the lookup the charge may exist: retry later, never POST blind.
  psa_.reply(500, "");
  const WriteOutcome out = connector().execute(tenant_, command(billing()), psa_, memo_);
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Retryable);
  ASSERT_EQ(psa_.requests.size(), 1u);
  EXPECT_EQ(psa_.requests[0].url, std::string(kBaseUrl) + "/V1.0/ContractCharges/query");
}

TEST(AutotaskChargeReference, FitsTheFieldAndStaysDistinct) {
  EXPECT_EQ(charge_reference("usage-2026-11"), "sy:usage-2026-11");
  const std::string long_a(80, 'a'), long_b = std::string(79, 'a') + "b";
  EXPECT_LE(charge_reference(long_a).size(), 50u);
  EXPECT_EQ(charge_reference(long_a).rfind("sy:h:", 0), 0u);
  EXPECT_NE(charge_reference(long_a), charge_reference(long_b));
  EXPECT_EQ(charge_reference(long_a), charge_reference(long_a));
}

TEST_F(AutotaskTest, DeletionOfAnUnmappedEntityIsNotATicket) {
  // Found by fuzz/envelope_fuzz.cpp: a deletion maps without reading the body, and an envelope
  // for a contact (or a mistyped entity) came out as a deleted ticket. Contacts and
  // configuration items now have webhooks: their deletions map to their own types.
  for (const std::string entity : {"contact", "configuration"}) {
    Envelope e;
    e.tenant = "beta";
    e.psa = "autotask";
    e.entity = entity;
    e.entity_id = "30684";
    e.action = "deleted";
    e.source = "webhook";
    e.received_at = "2026-11-25T10:00:02.000Z";
    e.idempotency_key = std::string(64, '1');
    e.body = "{}";
    simdjson::dom::parser parser;
    auto r = connector().to_canonical(e, parser);
    ASSERT_TRUE(r.ok()) << entity << ": " << r.error().message;
    EXPECT_EQ(canonical::type_name(*r), entity);
  }
  for (const std::string entity : {"agreement", "tickets", ""}) {
    Envelope e;
    e.tenant = "beta";
    e.psa = "autotask";
    e.entity = entity;
    e.entity_id = "30684";
    e.action = "deleted";
    e.source = "webhook";
    e.received_at = "2026-11-25T10:00:02.000Z";
    e.idempotency_key = std::string(64, '1');
    e.body = "{}";
    simdjson::dom::parser parser;
    auto r = connector().to_canonical(e, parser);
    ASSERT_FALSE(r.ok()) << entity;
    EXPECT_EQ(r.error().code, "unsupported_entity");
  }
}

}  // namespace
}  // namespace switchyard::connectors::autotask
