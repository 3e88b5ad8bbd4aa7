// Autotask webhook envelopes are mapped straight from their Fields (issue #18), with the id and
// the event time laid over them (RecordOverlay). Before, Fields were merged with those two into
// a new JSON object, re-parsed and mapped. This checks, byte for byte, that both give the same
// canonical event: for every webhook fixture of the conformance kit, and for payloads that tell
// the two apart if the overlay is wrong (an id inside Fields, a missing, null or unreadable
// change time, repeated keys, numbers and escapes that a re-serialization could alter).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/canonical.h"
#include "common/envelope.h"
#include "common/json_writer.h"
#include "common/label_tables.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/fields.h"
#include "connectors/autotask/webhook_entities.h"
#include "connectors/registry.h"

namespace switchyard::connectors::autotask {
namespace {

const Connector& connector() { return *builtin_registry().find("autotask"); }

// The mapping as it was before: Fields merged with the id and event time, re-parsed, mapped.
Result<canonical::Record> merged_mapping(const Envelope& e, const LabelTables* labels) {
  static const Mappings kNone;
  const MappingLookup mappings(kNone, connector().spec().default_mappings, labels, nullptr);
  simdjson::dom::parser parser;
  simdjson::dom::object obj, fields;
  if (parser.parse(e.body).get(obj) != simdjson::SUCCESS) return make_error("invalid_payload", "body");
  const WebhookEntity* entity = webhook_entity_by_type(e.entity);
  if (entity == nullptr || obj["Fields"].get(fields) != simdjson::SUCCESS) return make_error("test", "no Fields");
  JsonWriter merged;
  merged.begin_object().field("id", e.entity_id);
  if (!time_of(fields, entity->changed_at)) merged.field(entity->changed_at, e.received_at);
  for (auto [key, value] : fields) merged.key(key).raw(simdjson::minify(value));
  merged.end_object();
  simdjson::dom::parser merged_parser;
  simdjson::dom::object merged_obj;
  if (merged_parser.parse(merged.str()).get(merged_obj) != simdjson::SUCCESS) return make_error("test", "merged");
  return map_record(e.tenant, e.entity, merged_obj, mappings);
}

std::string event_json(const canonical::Record& record) {
  return canonical::to_json(canonical::Event{std::string(64, 'a'), canonical::Action::Upserted,
                                             "2026-11-25T10:00:05Z", "webhook", record, std::nullopt, std::nullopt});
}

Envelope webhook_envelope(std::string entity, std::string body, std::string received_at = "2026-11-25T10:00:05.250Z") {
  Envelope e;
  e.tenant = "beta";
  e.psa = "autotask";
  e.entity = std::move(entity);
  e.entity_id = "4711";
  e.action = "updated";
  e.source = "webhook";
  e.received_at = std::move(received_at);
  e.idempotency_key = std::string(64, 'a');
  e.body = std::move(body);
  return e;
}

std::string webhook_body(std::string_view entity_type, std::string_view fields) {
  std::string body = R"({"Action":"Update","Guid":"5f2e8c1a","EntityType":")";
  body.append(entity_type).append(R"(","Id":4711,"Fields":)").append(fields).append(R"(,"SequenceNumber":3})");
  return body;
}

LabelTables labels() {
  LabelTables t;
  t.tables["ticket.status"] = {{"8", "In Progress"}};
  t.tables["ticket.queueID"] = {{"29682833", "Monitoring Alert"}};
  t.tables["company.companyType"] = {{"1", "Customer"}};
  t.tables["configuration.configurationItemType"] = {{"1", "Server"}};
  return t;
}

// Same record, or the same error, through both ways; `mapped` counts the records.
void expect_same(const Envelope& e, const LabelTables* tables, int& mapped) {
  simdjson::dom::parser parser;
  auto now = connector().to_canonical(e, parser, {}, tables);
  auto before = merged_mapping(e, tables);
  ASSERT_EQ(now.ok(), before.ok()) << e.body << "\n" << (now.ok() ? before.error().message : now.error().message);
  if (!now.ok()) {
    EXPECT_EQ(now.error().code, before.error().code) << e.body;
    EXPECT_EQ(now.error().message, before.error().message) << e.body;
    return;
  }
  EXPECT_EQ(event_json(*now), event_json(*before)) << e.body;
  ++mapped;
}

TEST(AutotaskWebhookFieldsTest, EveryFixtureMapsAsTheMergedCopyDid) {
  const std::filesystem::path dir =
      std::filesystem::path(SWITCHYARD_SOURCE_DIR) / "libs/connectors/autotask/conformance/webhooks";
  Tenant tenant;
  tenant.id = "beta";
  tenant.psa = "autotask";
  int mapped = 0;
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    if (file.path().extension() != ".body") continue;
    std::ifstream in(file.path());
    std::stringstream body;
    body << in.rdbuf();
    auto changes = connector().decode_webhook(tenant, body.str());
    ASSERT_TRUE(changes.ok()) << file.path() << ": " << changes.error().message;
    for (const Change& c : *changes) {
      if (c.action == "deleted" || c.needs_fetch) continue;  // not mapped from Fields
      Envelope e = webhook_envelope(c.entity, c.body);
      e.entity_id = c.entity_id;
      const LabelTables tables = labels();
      for (const LabelTables* t : {static_cast<const LabelTables*>(nullptr), &tables}) {
        expect_same(e, t, mapped);
      }
    }
  }
  EXPECT_GE(mapped, 8) << "the fixtures' whole webhooks were not all mapped";
}

TEST(AutotaskWebhookFieldsTest, TheOverlayMatchesTheMergedCopyWhereTheyCouldDiffer) {
  struct Case {
    const char* entity;
    const char* entity_type;
    const char* fields;
  };
  const Case cases[] = {
      // An id inside Fields: the envelope's (the payload's Id) wins.
      {"ticket", "Ticket", R"({"id":999,"title":"T","lastActivityDate":"2026-11-25T10:00:00.870Z"})"},
      {"ticket", "Ticket", R"({"title":"T","id":"999"})"},
      // No change time, or one that is null, not a time, or a number: the event time stands in.
      {"ticket", "Ticket", R"({"title":"T","createDate":"2026-11-01T00:00:00Z"})"},
      {"ticket", "Ticket", R"({"title":"T","lastActivityDate":null})"},
      {"ticket", "Ticket", R"({"title":"T","lastActivityDate":"yesterday","createDate":"2026-11-01T00:00:00Z"})"},
      {"ticket", "Ticket", R"({"title":"T","lastActivityDate":1764064800})"},
      // A key twice: the first one counts either way.
      {"ticket", "Ticket",
       R"({"title":"first","title":"second","status":8,"status":5,"lastActivityDate":"bad","lastActivityDate":"2026-11-25T10:00:00Z"})"},
      // Escapes, unicode, numbers a re-serialization could rewrite, nested custom fields.
      {"ticket", "Ticket",
       R"({"title":"VPN \u0026 \"mail\"\n\u00e9\ud83d\ude00 down","description":"a\/b\\c\t","status":8,"priority":1.0,)"
       R"("queueID":29682833,"companyID":0,"contactID":12345678901234,"externalID":"ext-1",)"
       R"("userDefinedFields":[{"name":"Cost","value":1.50},{"name":"Big","value":18446744073709551615},)"
       R"({"name":"Exp","value":1e3},{"name":"Neg","value":-0.0},{"name":"Obj","value":{"a":[1,true,null]}},)"
       R"({"name":"Str","value":"x\u0000y"}],"lastActivityDate":"2026-11-25T10:00:00.870+02:00"})"},
      {"company", "Company",
       R"({"companyName":"Acme","isActive":0,"companyType":1,"address1":"1 Main St","city":"Springfield",)"
       R"("countryID":237,"parentCompanyID":0,"phone":"+1 555"})"},
      {"company", "Account", R"({"companyName":"Acme","lastActivityDate":"2026-11-25T09:00:00Z","id":1})"},
      // Contacts stamp lastModifiedDate; without it the event time, not lastActivityDate.
      {"contact", "Contact",
       R"({"firstName":"Ana","lastName":"Ruiz","emailAddress":"ana@example.com","emailAddress2":"",)"
       R"("isActive":1,"lastActivityDate":"2026-11-20T00:00:00Z"})"},
      {"contact", "Contact", R"({"lastName":"Ruiz","lastModifiedDate":"2026-11-25T08:00:00.5Z"})"},
      {"configuration", "ConfigurationItem",
       R"({"referenceTitle":"","serialNumber":"SN-1","referenceNumber":"sy:abc","configurationItemType":1,)"
       R"("notes":"Vendor device: d-1\nVendor link: https://x\nPurchased: 2026-01-02","isActive":true,)"
       R"("warrantyExpirationDate":"2027-01-01T00:00:00"})"},
  };
  int mapped = 0;
  const LabelTables tables = labels();
  for (const Case& c : cases) {
    const Envelope e = webhook_envelope(c.entity, webhook_body(c.entity_type, c.fields));
    expect_same(e, nullptr, mapped);
    expect_same(e, &tables, mapped);
  }
  EXPECT_EQ(mapped, 2 * static_cast<int>(std::size(cases)));

  // The event time must itself be normalized (it stands in as if it were a field).
  simdjson::dom::parser parser;
  auto r = connector().to_canonical(webhook_envelope("ticket", webhook_body("Ticket", R"({"title":"T"})")), parser);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(canonical::base_of(*r).updated_at, "2026-11-25T10:00:05Z");
  EXPECT_EQ(canonical::base_of(*r).source.id, "4711");
}

}  // namespace
}  // namespace switchyard::connectors::autotask
