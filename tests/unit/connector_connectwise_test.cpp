// ConnectWise connector, inbound: callback signature (docs/psa/connectwise.md), decoding, polling, and the
// mapping of tickets, companies and contacts to canonical v1 (docs/psa/connectwise.md, docs/schema.md).
// Signatures are computed here with OpenSSL directly and encoded with a local base64, so the
// test does not lean on the helpers the connector uses.
#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <simdjson.h>

#include <deque>
#include <string>
#include <vector>

#include "common/envelope.h"
#include "support/reference_signatures.h"
#include "support/connectwise_samples.h"
#include "support/fake_psa_http.h"
#include "common/idempotency.h"
#include "connectors/connectwise/connectwise_connector.h"
#include "connectors/registry.h"
#include "ingest/change_envelopes.h"

namespace switchyard::connectors::connectwise {
namespace {

// ---- independent helpers -------------------------------------------------------------------

using switchyard::testing::b64;
using switchyard::testing::callback_json;
using switchyard::testing::cw_signature;


// ---- fixtures --------------------------------------------------------------------------------

constexpr const char* kBaseUrl = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0";

Tenant cw_tenant() {
  Tenant t;
  t.id = "acme";
  t.psa = "connectwise";
  t.base_url = kBaseUrl;
  t.credentials = {{"company_id", "acme"}, {"public_key", "pubKEY1"}, {"private_key", "privKEY2"},
                   {"client_id", "0f1e2d3c-aaaa-bbbb-cccc-000000000001"}};
  t.webhook_signing_secrets = {"signing-key-current", "signing-key-next"};
  return t;
}

// A ticket as ConnectWise returns it from GET /service/tickets/{id} (docs/psa/connectwise.md).
std::string ticket_json(const std::string& last_updated = "2026-11-25T10:00:00Z",
                        const std::string& summary_member = R"("summary":"Printer \"HQ-2\" down",)") {
  return R"({"id":1001,)" + summary_member +
         R"("recordType":"ServiceTicket",)"
         R"("board":{"id":5,"name":"Help Desk","_info":{"board_href":"https://x/service/boards/5"}},)"
         R"("status":{"id":16,"name":"New","_info":{"status_href":"https://x/service/boards/5/statuses/16"}},)"
         R"("priority":{"id":8,"name":"Priority 3 - Normal","sort":6},)"
         R"("company":{"id":250,"identifier":"AcmeCorp","name":"Acme Corp"},)"
         R"("contact":{"id":77,"name":"Jane Roe"},)"
         R"("type":{"id":3,"name":"Hardware"},"severity":"Medium","impact":"Medium",)"
         R"("initialDescription":"Paper jam\nsecond line \u00e9",)"
         R"("closedFlag":false,)"
         R"("customFields":[)"
         R"({"id":1,"caption":"Site","type":"Text","entryMethod":"EntryField","numberOfDecimals":0,"value":"HQ"},)"
         R"({"id":2,"caption":"SLA hours","type":"Number","entryMethod":"EntryField","numberOfDecimals":0,"value":4},)"
         R"({"id":3,"caption":"VIP","type":"Checkbox","entryMethod":"EntryField","numberOfDecimals":0,"value":true},)"
         R"({"id":4,"caption":"Renewal note","type":"Text","entryMethod":"EntryField","numberOfDecimals":0}],)"
         R"("_info":{"lastUpdated":")" + last_updated +
         R"(","updatedBy":"jroe","dateEntered":"2026-11-24T09:30:00Z","enteredBy":"jroe"}})";
}

using switchyard::testing::FakePsaHttp;

class ConnectWiseTest : public ::testing::Test {
 protected:
  const Connector& connector() const {
    const Connector* c = builtin_registry().find("connectwise");
    EXPECT_NE(c, nullptr);
    return *c;
  }
  Result<canonical::Record> canonical_of(const Envelope& e) { return connector().to_canonical(e, parser_); }

  Envelope envelope(const std::string& source, const std::string& action, const std::string& entity,
                    const std::string& id, const std::string& body) const {
    return testing::cw_envelope(source, action, entity, id, body);
  }

  Tenant tenant_ = cw_tenant();
  simdjson::dom::parser parser_;
};

// ---- verify_webhook --------------------------------------------------------------------------

TEST_F(ConnectWiseTest, VerifyAcceptsTheCorrectSignature) {
  const std::string body = callback_json("updated", "ticket", "1001", ticket_json());
  const http::Headers headers{{"Content-Type", "application/json"},
                              {"x-content-signature", cw_signature("signing-key-current", body)}};
  const Status st = connector().verify_webhook(tenant_, {body, headers});
  EXPECT_TRUE(st.ok()) << st.error().code << ": " << st.error().message;
}

TEST_F(ConnectWiseTest, VerifyHeaderNameIsCaseInsensitive) {
  const std::string body = callback_json("updated", "ticket", "1001", ticket_json());
  const http::Headers headers{{"X-Content-Signature", cw_signature("signing-key-current", body)}};
  EXPECT_TRUE(connector().verify_webhook(tenant_, {body, headers}).ok());
}

TEST_F(ConnectWiseTest, VerifyAcceptsTheSecondSecretDuringRotation) {
  const std::string body = callback_json("added", "ticket", "1001", ticket_json());
  const http::Headers headers{{"x-content-signature", cw_signature("signing-key-next", body)}};
  const Status st = connector().verify_webhook(tenant_, {body, headers});
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST_F(ConnectWiseTest, VerifyRejectsWrongSignatureMissingHeaderAndAlteredBody) {
  const std::string body = callback_json("updated", "ticket", "1001", ticket_json());

  const Status wrong =
      connector().verify_webhook(tenant_, {body, {{"x-content-signature", cw_signature("some-other-key", body)}}});
  EXPECT_FALSE(wrong.ok());

  // Signed with the raw secret as the HMAC key (without the SHA-256 step): must not pass.
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const std::string secret = "signing-key-current";
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  EXPECT_FALSE(connector()
                   .verify_webhook(tenant_, {body, {{"x-content-signature", b64(std::string(reinterpret_cast<char*>(mac), len))}}})
                   .ok());

  const Status missing = connector().verify_webhook(tenant_, {body, {{"Content-Type", "application/json"}}});
  EXPECT_FALSE(missing.ok());
  const Status empty = connector().verify_webhook(tenant_, {body, {{"x-content-signature", ""}}});
  EXPECT_FALSE(empty.ok());

  const std::string good = cw_signature("signing-key-current", body);
  for (size_t pos : {size_t{0}, body.size() / 2, body.size() - 1}) {
    std::string altered = body;
    altered[pos] = static_cast<char>(altered[pos] ^ 0x01);
    EXPECT_FALSE(connector().verify_webhook(tenant_, {altered, {{"x-content-signature", good}}}).ok())
        << "byte " << pos << " altered";
  }
  EXPECT_FALSE(connector().verify_webhook(tenant_, {body + " ", {{"x-content-signature", good}}}).ok());
}

TEST_F(ConnectWiseTest, VerifyRejectsWhenTenantHasNoSecrets) {
  Tenant t = tenant_;
  t.webhook_signing_secrets.clear();
  const std::string body = "{}";
  EXPECT_FALSE(connector().verify_webhook(t, {body, {{"x-content-signature", cw_signature("", body)}}}).ok());
}

// ---- decode_webhook --------------------------------------------------------------------------

TEST_F(ConnectWiseTest, DecodeUpdated) {
  const std::string body = callback_json("updated", "ticket", "1001", ticket_json());
  auto changes = connector().decode_webhook(tenant_, body);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  ASSERT_EQ(changes->size(), 1u);
  const Change& c = changes->front();
  EXPECT_EQ(c.entity, "ticket");
  EXPECT_EQ(c.entity_id, "1001");
  EXPECT_EQ(c.action, "updated");
  EXPECT_EQ(c.version, "2026-11-25T10:00:00Z");
  EXPECT_EQ(c.body, body);  // kept byte for byte
  EXPECT_TRUE(c.body_is_json);  // parsed whole: embedded as JSON in the envelope (version 2)
}

TEST_F(ConnectWiseTest, DecodeAddedIsCreatedAndVersionIsNormalized) {
  // A local offset in lastUpdated is brought to UTC "Z" form.
  const std::string body = callback_json("added", "ticket", "1001", ticket_json("2026-11-25T11:00:00+01:00"));
  auto changes = connector().decode_webhook(tenant_, body);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ(changes->front().action, "created");
  EXPECT_EQ(changes->front().version, "2026-11-25T10:00:00Z");
}

TEST_F(ConnectWiseTest, DecodeDeleted) {
  const std::string body = callback_json("deleted", "ticket", "1001", "");
  auto changes = connector().decode_webhook(tenant_, body);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ(changes->front().entity, "ticket");
  EXPECT_EQ(changes->front().entity_id, "1001");
  EXPECT_EQ(changes->front().action, "deleted");
  EXPECT_EQ(changes->front().version, "deleted");
}

TEST_F(ConnectWiseTest, DecodeCompanyAndContactTypes) {
  auto company = connector().decode_webhook(
      tenant_, callback_json("updated", "company", "250",
                             R"({"id":250,"identifier":"AcmeCorp","name":"Acme Corp","_info":{"lastUpdated":"2026-11-25T08:00:00Z"}})"));
  ASSERT_TRUE(company.ok()) << company.error().message;
  EXPECT_EQ(company->front().entity, "company");
  EXPECT_EQ(company->front().entity_id, "250");
  auto contact = connector().decode_webhook(
      tenant_, callback_json("updated", "contact", "77",
                             R"({"id":77,"firstName":"Jane","_info":{"lastUpdated":"2026-11-25T08:00:00Z"}})"));
  ASSERT_TRUE(contact.ok()) << contact.error().message;
  EXPECT_EQ(contact->front().entity, "contact");
}

TEST_F(ConnectWiseTest, DecodeInvalidJson) {
  for (const std::string bad : {"", "{", "{\"Type\":\"ticket\",", "not json"}) {
    auto r = connector().decode_webhook(tenant_, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "invalid_json") << bad;
  }
}

TEST_F(ConnectWiseTest, DecodeRejectsUnsupportedTypeAndAction) {
  auto opportunity = connector().decode_webhook(
      tenant_, callback_json("updated", "opportunity", "31", R"({"id":31,"_info":{"lastUpdated":"2026-11-25T08:00:00Z"}})"));
  EXPECT_FALSE(opportunity.ok());
  auto activity = connector().decode_webhook(
      tenant_, callback_json("updated", "activity", "9", R"({"id":9,"_info":{"lastUpdated":"2026-11-25T08:00:00Z"}})"));
  EXPECT_FALSE(activity.ok());
  auto moved = connector().decode_webhook(tenant_, callback_json("moved", "ticket", "1001", ticket_json()));
  EXPECT_FALSE(moved.ok());
}

TEST_F(ConnectWiseTest, DecodeRejectsEntityThatIsNotAnEncodedObject) {
  // Entity as a nested object instead of an escaped string is not what ConnectWise sends.
  std::string body = callback_json("updated", "ticket", "1001", ticket_json());
  const size_t at = body.find("\"Entity\":");
  const size_t end = body.find(",\"Metadata\"");
  body.replace(at, end - at, "\"Entity\":\"not json\"");
  EXPECT_FALSE(connector().decode_webhook(tenant_, body).ok());
}

// ---- to_canonical ------------------------------------------------------------------------------

TEST_F(ConnectWiseTest, WebhookAndPollOfTheSameTicketGiveEqualRecords) {
  const std::string record = ticket_json();
  auto from_webhook = canonical_of(envelope("webhook", "updated", "ticket", "1001",
                                            callback_json("updated", "ticket", "1001", record)));
  auto from_poll = canonical_of(envelope("poll", "updated", "ticket", "1001", record));
  ASSERT_TRUE(from_webhook.ok()) << from_webhook.error().message;
  ASSERT_TRUE(from_poll.ok()) << from_poll.error().message;
  EXPECT_EQ(*from_webhook, *from_poll);
}

TEST_F(ConnectWiseTest, TicketFieldsAreMappedPerFacts) {
  auto r = canonical_of(envelope("poll", "updated", "ticket", "1001", ticket_json()));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(std::holds_alternative<canonical::Ticket>(*r));
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_EQ(t.tenant, "acme");
  EXPECT_EQ(t.source, (canonical::SourceRef{"connectwise", "service/tickets", "1001"}));
  EXPECT_EQ(t.updated_at, "2026-11-25T10:00:00Z");
  EXPECT_EQ(t.title, "Printer \"HQ-2\" down");
  EXPECT_EQ(t.description, std::optional<std::string>("Paper jam\nsecond line \xC3\xA9"));
  EXPECT_EQ(t.status, std::optional<std::string>("New"));
  EXPECT_EQ(t.priority, std::optional<std::string>("Priority 3 - Normal"));
  EXPECT_EQ(t.board, (std::optional<canonical::Ref>(canonical::Ref{"5", "Help Desk"})));
  EXPECT_EQ(t.company, (std::optional<canonical::Ref>(canonical::Ref{"250", "Acme Corp"})));
  EXPECT_EQ(t.contact, (std::optional<canonical::Ref>(canonical::Ref{"77", "Jane Roe"})));
  EXPECT_FALSE(t.closed);
  EXPECT_FALSE(t.closed_at.has_value());
  EXPECT_FALSE(t.external_ref.has_value());

  // Custom fields by caption, JSON types kept; a field with no value is null.
  ASSERT_EQ(t.custom_fields.size(), 4u);
  EXPECT_EQ(t.custom_fields.at("Site"), canonical::CustomValue(std::string("HQ")));
  EXPECT_EQ(t.custom_fields.at("SLA hours"), canonical::CustomValue(4.0));
  EXPECT_EQ(t.custom_fields.at("VIP"), canonical::CustomValue(true));
  EXPECT_EQ(t.custom_fields.at("Renewal note"), canonical::CustomValue(nullptr));
}

TEST_F(ConnectWiseTest, TicketCreatedAtComesFromInfoDateEntered) {
  // docs/schema.md: created_at ← `_info.dateEntered`. The ConnectWise Ticket model has no
  // top-level dateEntered (docs/psa/connectwise.md); it lives in _info.
  auto r = canonical_of(envelope("poll", "updated", "ticket", "1001", ticket_json()));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_EQ(t.created_at, std::optional<std::string>("2026-11-24T09:30:00Z"));
}

TEST_F(ConnectWiseTest, ClosedTicket) {
  std::string record = ticket_json();
  record.replace(record.find(R"("closedFlag":false)"), 18,
                 R"("closedFlag":true,"closedDate":"2026-11-25T12:30:00+02:00")");
  auto r = canonical_of(envelope("poll", "updated", "ticket", "1001", record));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_TRUE(t.closed);
  EXPECT_EQ(t.closed_at, std::optional<std::string>("2026-11-25T10:30:00Z"));
}

TEST_F(ConnectWiseTest, MissingSummaryIsAnErrorNamingTheField) {
  const std::string record = ticket_json("2026-11-25T10:00:00Z", "");
  auto poll = canonical_of(envelope("poll", "updated", "ticket", "1001", record));
  ASSERT_FALSE(poll.ok());
  EXPECT_NE(poll.error().message.find("summary"), std::string::npos) << poll.error().message;
  auto webhook =
      canonical_of(envelope("webhook", "updated", "ticket", "1001", callback_json("updated", "ticket", "1001", record)));
  ASSERT_FALSE(webhook.ok());
  EXPECT_NE(webhook.error().message.find("summary"), std::string::npos) << webhook.error().message;
}

TEST_F(ConnectWiseTest, CompanyMapping) {
  const std::string record =
      R"({"id":250,"identifier":"AcmeCorp","name":"Acme Corp","status":{"id":1,"name":"Active"},)"
      R"("types":[{"id":1,"name":"Client"},{"id":5,"name":"Partner"}],"deletedFlag":false,"isVendorFlag":false,)"
      R"("website":"https://acme.example","phoneNumber":"555-0100",)"
      R"("parentCompany":{"id":19,"identifier":"AcmeHold","name":"Acme Holdings"},)"
      R"("customFields":[{"id":9,"caption":"Tier","type":"Text","value":"Gold"}],)"
      R"("_info":{"lastUpdated":"2026-11-25T08:15:00Z"}})";
  auto r = canonical_of(envelope("poll", "updated", "company", "250", record));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(std::holds_alternative<canonical::Company>(*r));
  const auto& c = std::get<canonical::Company>(*r);
  EXPECT_EQ(c.source, (canonical::SourceRef{"connectwise", "company/companies", "250"}));
  EXPECT_EQ(c.updated_at, "2026-11-25T08:15:00Z");
  EXPECT_EQ(c.name, "Acme Corp");
  EXPECT_EQ(c.identifier, std::optional<std::string>("AcmeCorp"));
  EXPECT_EQ(c.status, std::optional<std::string>("Active"));
  EXPECT_TRUE(c.active);
  EXPECT_EQ(c.types, (std::vector<std::string>{"Client", "Partner"}));
  EXPECT_EQ(c.website, std::optional<std::string>("https://acme.example"));
  EXPECT_EQ(c.phone, std::optional<std::string>("555-0100"));
  EXPECT_EQ(c.parent, (std::optional<canonical::Ref>(canonical::Ref{"19", "Acme Holdings"})));
  EXPECT_EQ(c.custom_fields.at("Tier"), canonical::CustomValue(std::string("Gold")));

  // deletedFlag → inactive.
  std::string deleted = record;
  deleted.replace(deleted.find(R"("deletedFlag":false)"), 19, R"("deletedFlag":true)");
  auto d = canonical_of(envelope("poll", "updated", "company", "250", deleted));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_FALSE(std::get<canonical::Company>(*d).active);

  // The webhook copy maps the same.
  auto w = canonical_of(
      envelope("webhook", "updated", "company", "250", callback_json("updated", "company", "250", record)));
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(*w, *r);
}

TEST_F(ConnectWiseTest, CompanyWithoutNameIsAnError) {
  auto r = canonical_of(envelope("poll", "updated", "company", "250",
                                 R"({"id":250,"identifier":"AcmeCorp","_info":{"lastUpdated":"2026-11-25T08:15:00Z"}})"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("name"), std::string::npos) << r.error().message;
}

std::string contact_json(const std::string& items) {
  return R"({"id":77,"firstName":"Jane","lastName":"Roe","company":{"id":250,"identifier":"AcmeCorp","name":"Acme Corp"},)"
         R"("inactiveFlag":false,"communicationItems":[)" + items + R"(],"_info":{"lastUpdated":"2026-11-25T07:00:00Z"}})";
}

TEST_F(ConnectWiseTest, ContactMapping) {
  const std::string record = contact_json(
      R"({"id":1,"type":{"id":1,"name":"Email"},"value":"jane@acme.example","defaultFlag":true,"communicationType":"Email"},)"
      R"({"id":2,"type":{"id":2,"name":"Direct"},"value":"555-0101","defaultFlag":true,"communicationType":"Phone"},)"
      R"({"id":3,"type":{"id":3,"name":"Fax"},"value":"555-0199","defaultFlag":false,"communicationType":"Fax"},)"
      R"({"id":4,"type":{"id":4,"name":"Mobile"},"value":"555-0102","defaultFlag":false,"communicationType":"Phone"},)"
      R"({"id":5,"type":{"id":5,"name":"Email"},"value":"jroe@home.example","defaultFlag":false,"communicationType":"Email"})");
  auto r = canonical_of(envelope("poll", "updated", "contact", "77", record));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(std::holds_alternative<canonical::Contact>(*r));
  const auto& c = std::get<canonical::Contact>(*r);
  EXPECT_EQ(c.source, (canonical::SourceRef{"connectwise", "company/contacts", "77"}));
  EXPECT_EQ(c.first_name, std::optional<std::string>("Jane"));
  EXPECT_EQ(c.last_name, std::optional<std::string>("Roe"));
  EXPECT_EQ(c.company, (std::optional<canonical::Ref>(canonical::Ref{"250", "Acme Corp"})));
  EXPECT_TRUE(c.active);
  EXPECT_EQ(c.emails, (std::vector<std::string>{"jane@acme.example", "jroe@home.example"}));
  EXPECT_EQ(c.phones, (std::vector<std::string>{"555-0101", "555-0102"}));  // fax is not a phone

  std::string inactive = record;
  inactive.replace(inactive.find(R"("inactiveFlag":false)"), 20, R"("inactiveFlag":true)");
  auto i = canonical_of(envelope("poll", "updated", "contact", "77", inactive));
  ASSERT_TRUE(i.ok()) << i.error().message;
  EXPECT_FALSE(std::get<canonical::Contact>(*i).active);
}

TEST_F(ConnectWiseTest, ContactPrimaryEmailAndPhoneComeFirst) {
  // docs/schema.md: emails / phones are "primary first"; ConnectWise marks the primary item
  // with defaultFlag, which need not be the first item in the array.
  const std::string record = contact_json(
      R"({"id":5,"value":"jroe@home.example","defaultFlag":false,"communicationType":"Email"},)"
      R"({"id":4,"value":"555-0102","defaultFlag":false,"communicationType":"Phone"},)"
      R"({"id":1,"value":"jane@acme.example","defaultFlag":true,"communicationType":"Email"},)"
      R"({"id":2,"value":"555-0101","defaultFlag":true,"communicationType":"Phone"})");
  auto r = canonical_of(envelope("poll", "updated", "contact", "77", record));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& c = std::get<canonical::Contact>(*r);
  EXPECT_EQ(c.emails, (std::vector<std::string>{"jane@acme.example", "jroe@home.example"}));
  EXPECT_EQ(c.phones, (std::vector<std::string>{"555-0101", "555-0102"}));
}

TEST_F(ConnectWiseTest, DeletedActionGivesIdentityOnly) {
  const Envelope e = envelope("webhook", "deleted", "ticket", "1001", callback_json("deleted", "ticket", "1001", ""));
  auto r = canonical_of(e);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(std::holds_alternative<canonical::Ticket>(*r));
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_EQ(t.tenant, "acme");
  EXPECT_EQ(t.source, (canonical::SourceRef{"connectwise", "service/tickets", "1001"}));
  EXPECT_FALSE(t.updated_at.empty());
  EXPECT_EQ(t.title, "");
  EXPECT_FALSE(t.description.has_value());
  EXPECT_FALSE(t.status.has_value());
  EXPECT_FALSE(t.board.has_value());
  EXPECT_FALSE(t.company.has_value());
  EXPECT_FALSE(t.contact.has_value());
  EXPECT_TRUE(t.custom_fields.empty());

  auto company = canonical_of(
      envelope("webhook", "deleted", "company", "250", callback_json("deleted", "company", "250", "")));
  ASSERT_TRUE(company.ok()) << company.error().message;
  ASSERT_TRUE(std::holds_alternative<canonical::Company>(*company));
  const auto& c = std::get<canonical::Company>(*company);
  EXPECT_EQ(c.source, (canonical::SourceRef{"connectwise", "company/companies", "250"}));
  EXPECT_EQ(c.name, "");
  EXPECT_TRUE(c.types.empty());
}

TEST_F(ConnectWiseTest, UnsupportedEntityAndBadBodies) {
  EXPECT_FALSE(canonical_of(envelope("poll", "updated", "opportunity", "31", R"({"id":31})")).ok());
  EXPECT_FALSE(canonical_of(envelope("poll", "updated", "ticket", "1001", "not json")).ok());
  EXPECT_FALSE(canonical_of(envelope("poll", "updated", "ticket", "1001", "[1,2]")).ok());
  // A webhook body whose Entity is missing.
  EXPECT_FALSE(canonical_of(envelope("webhook", "updated", "ticket", "1001", R"({"Type":"ticket","ID":1001})")).ok());
}

TEST_F(ConnectWiseTest, RecordWithoutLastUpdatedIsAnError) {
  auto r = canonical_of(envelope("poll", "updated", "ticket", "1001", R"({"id":1001,"summary":"x"})"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("lastUpdated"), std::string::npos) << r.error().message;
}

// ---- map_record (direct) ----------------------------------------------------------------------

TEST_F(ConnectWiseTest, MapRecordUnknownTypeIsAnError) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  ASSERT_EQ(p.parse(ticket_json()).get(root), simdjson::SUCCESS);
  EXPECT_FALSE(map_record("acme", "opportunity", root.get_object().value()).ok());
  EXPECT_TRUE(map_record("acme", "ticket", root.get_object().value()).ok());
}

// ---- poll and idempotency across paths ---------------------------------------------------------

TEST_F(ConnectWiseTest, PollSendsAuthAndConditionsAndReturnsChanges) {
  FakePsaHttp psa;
  psa.responses.push_back(http::ClientResponse{200, {{"Content-Type", "application/json"}}, "[" + ticket_json() + "]"});
  auto result = connector().poll(tenant_, psa, PollRequest{"ticket", "2026-11-25T09:00:00Z"});
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(psa.requests.size(), 1u);
  const auto& req = psa.requests[0];
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.url.rfind(std::string(kBaseUrl) + "/service/tickets?", 0), 0u) << req.url;
  const std::string decoded = http::url_decode(req.url);
  EXPECT_NE(decoded.find("lastUpdated"), std::string::npos) << decoded;
  EXPECT_NE(decoded.find("[2026-11-25T09:00:00Z]"), std::string::npos) << decoded;
  // Basic auth "companyId+publicKey:privateKey" and the clientId header (docs/psa/connectwise.md).
  EXPECT_EQ(http::find_header(req.headers, "Authorization"), "Basic " + b64("acme+pubKEY1:privKEY2"));
  EXPECT_EQ(http::find_header(req.headers, "clientId"), "0f1e2d3c-aaaa-bbbb-cccc-000000000001");

  ASSERT_EQ(result->changes.size(), 1u);
  const Change& c = result->changes[0];
  EXPECT_EQ(c.entity, "ticket");
  EXPECT_EQ(c.entity_id, "1001");
  EXPECT_EQ(c.version, "2026-11-25T10:00:00Z");
  EXPECT_EQ(result->high_watermark, "2026-11-25T10:00:00Z");
}

TEST_F(ConnectWiseTest, WebhookAndPollOfOneVersionShareTheIdempotencyKeyAndRecord) {
  const std::string record = ticket_json("2026-11-25T11:00:00+01:00");
  auto hook = connector().decode_webhook(tenant_, callback_json("updated", "ticket", "1001", record));
  ASSERT_TRUE(hook.ok()) << hook.error().message;

  FakePsaHttp psa;
  psa.responses.push_back(http::ClientResponse{200, {}, "[" + record + "]"});
  auto polled = connector().poll(tenant_, psa, PollRequest{"ticket", ""});
  ASSERT_TRUE(polled.ok()) << polled.error().message;
  ASSERT_EQ(polled->changes.size(), 1u);
  EXPECT_EQ(polled->changes[0].version, hook->front().version);

  const std::string version = hook->front().version;
  auto webhook_envelopes = ingest::to_envelopes(tenant_, std::move(*hook), "webhook");
  auto poll_envelopes = ingest::to_envelopes(tenant_, std::move(polled->changes), "poll");
  ASSERT_EQ(webhook_envelopes.size(), 1u);
  ASSERT_EQ(poll_envelopes.size(), 1u);
  EXPECT_EQ(webhook_envelopes[0].idempotency_key, poll_envelopes[0].idempotency_key);
  EXPECT_EQ(webhook_envelopes[0].idempotency_key,
            derive_idempotency_key({"acme", "connectwise", "ticket", "1001", version}));
  EXPECT_EQ(envelope_kafka_key(webhook_envelopes[0]), envelope_kafka_key(poll_envelopes[0]));

  // Both envelopes map to the same canonical record.
  auto a = canonical_of(webhook_envelopes[0]);
  auto b = canonical_of(poll_envelopes[0]);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(*a, *b);

  // A later version of the same record is a different change.
  auto later = connector().decode_webhook(tenant_, callback_json("updated", "ticket", "1001",
                                                                 ticket_json("2026-11-25T10:05:00Z")));
  ASSERT_TRUE(later.ok());
  auto later_envelopes = ingest::to_envelopes(tenant_, std::move(*later), "webhook");
  EXPECT_NE(later_envelopes[0].idempotency_key, webhook_envelopes[0].idempotency_key);
}

}  // namespace
}  // namespace switchyard::connectors::connectwise
