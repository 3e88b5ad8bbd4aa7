// The ConnectWise connector's writes against the sandbox over real HTTP. Every command is
// delivered again (with the write memo forgotten, as after a Redis loss) and must find what the
// first delivery made: one ticket per external_ref (by externalXRef, also when the create's
// answer was lost), one note per note_ref, one addition per usage record, one configuration per
// device. Also: choices by canonical value, label and id; a close to the board's closed status;
// a title longer than ConnectWise's summary; refusals in plain words.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/command.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::testing {
namespace {

using connectors::WriteOutcome;

// Forgets everything: each delivery must find its record at the PSA.
class NoMemo : public connectors::WriteMemo {
 public:
  std::optional<std::string> lookup(const Tenant&, std::string_view, std::string_view) override { return {}; }
  void remember(const Tenant&, std::string_view, std::string_view, std::string_view) override {}
};

simdjson::dom::element parsed(simdjson::dom::parser& parser, const std::string& json) {
  return parser.parse(json).value();
}

class ConnectWiseWritesTest : public ::testing::Test {
 protected:
  ConnectWiseWritesTest() {
    sandbox_.start();
    tenant_ = connectwise_sandbox_tenant(sandbox_);
    tenant_.options = {{"default_company_id", "1"}, {"default_board_id", "1"}};
    sandbox_.upsert_record("connectwise", "contacts", R"({"id":5,"firstName":"Pat","company":{"id":1}})");
  }
  ~ConnectWiseWritesTest() override { sandbox_.stop(); }

  WriteOutcome run(const std::string& json) {
    auto command = command_from_json(json);
    EXPECT_TRUE(command.ok()) << command.error().message;
    return builtin_registry_connector().execute(tenant_, *command, http_, memo_);
  }
  static const connectors::Connector& builtin_registry_connector() {
    return *connectors::builtin_registry().find("connectwise");
  }
  std::vector<std::string> records(std::string_view entity) { return sandbox_.records("connectwise", entity); }
  // How many stored records of `entity` have `field` = `value` (the sandbox seeds some of its own).
  size_t count(std::string_view entity, std::string_view field, std::string_view value) {
    size_t n = 0;
    for (const auto& json : records(entity)) {
      simdjson::dom::parser p;
      std::string_view v;
      if (p.parse(json)[field].get(v) == simdjson::SUCCESS && v == value) ++n;
    }
    return n;
  }
  // The stored record of `entity` with id `id`.
  std::string record(std::string_view entity, const std::string& id) {
    for (const auto& json : records(entity)) {
      simdjson::dom::parser p;
      if (std::to_string(p.parse(json)["id"].get_int64().value()) == id) return json;
    }
    return {};
  }

  sandbox::Sandbox sandbox_;
  Tenant tenant_;
  RecordingHttp http_;
  NoMemo memo_;
};

std::string upsert(const std::string& ref, const std::string& title, const std::string& extra = "") {
  return R"({"id":"c-)" + ref + "-" + std::to_string(title.size()) + R"(","tenant":"acme","type":"ticket.upsert",)"
         R"("payload":{"external_ref":")" + ref + R"(","title":")" + title + "\"" + extra + "}}";
}

TEST_F(ConnectWiseWritesTest, ATicketIsMadeOnceAndUpdatedByJsonPatch) {
  const auto made = run(upsert("alert-1", "Disk full on FS01",
                               R"(,"priority":"high","status":{"label":"In Progress"},"contact_id":5,"description":"95% used")"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  EXPECT_TRUE(made.created);
  simdjson::dom::parser p;
  auto t = parsed(p, record("tickets", made.psa_id));
  EXPECT_EQ(std::string_view(t["externalXRef"].get_string().value()), "alert-1");
  EXPECT_EQ(std::string_view(t["priority"]["name"].get_string().value()), "Priority 2 - Quick Response");
  EXPECT_EQ(std::string_view(t["status"]["name"].get_string().value()), "In Progress");
  EXPECT_EQ(t["contact"]["id"].get_int64().value(), 5);
  EXPECT_EQ(std::string_view(t["initialDescription"].get_string().value()), "95% used");

  const size_t requests_before = http_.requests.size();
  const auto again = run(upsert("alert-1", "Disk full on FS01 (again)", R"(,"priority":{"id":"1"})"));
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, made.psa_id);
  EXPECT_EQ(count("tickets", "externalXRef", "alert-1"), 1u);
  EXPECT_EQ(http_.requests.back().method, "PATCH");
  EXPECT_GT(http_.requests.size(), requests_before);
  simdjson::dom::parser p2;
  auto updated = parsed(p2, record("tickets", made.psa_id));
  EXPECT_EQ(std::string_view(updated["summary"].get_string().value()), "Disk full on FS01 (again)");
  EXPECT_EQ(updated["priority"]["id"].get_int64().value(), 1);
}

TEST_F(ConnectWiseWritesTest, ALostCreateAnswerIsFoundByItsExternalReference) {
  sandbox::Fault drop;
  drop.kind = sandbox::FaultKind::drop;
  drop.process = true;  // stored, then the answer is cut
  drop.method = "POST";
  drop.path = "/service/tickets$";
  sandbox_.inject_fault("connectwise", drop);
  const auto lost = run(upsert("alert-2", "Backup failed"));
  EXPECT_EQ(lost.kind, WriteOutcome::Kind::Retryable) << lost.detail;
  const auto retried = run(upsert("alert-2", "Backup failed"));
  ASSERT_EQ(retried.kind, WriteOutcome::Kind::Done) << retried.detail;
  EXPECT_FALSE(retried.created);
  EXPECT_EQ(count("tickets", "externalXRef", "alert-2"), 1u);
}

TEST_F(ConnectWiseWritesTest, ALongTitleKeepsEveryWord) {
  const std::string title(130, 'x');
  const auto made = run(upsert("alert-3", title));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  simdjson::dom::parser p;
  auto t = parsed(p, record("tickets", made.psa_id));
  const std::string_view summary = t["summary"].get_string().value();
  EXPECT_EQ(summary, std::string(99, 'x') + "…");
  EXPECT_EQ(std::string_view(t["initialDescription"].get_string().value()), title);
}

TEST_F(ConnectWiseWritesTest, ANoteIsAddedOncePerNoteRef) {
  const auto ticket = run(upsert("alert-4", "Printer jam"));
  ASSERT_EQ(ticket.kind, WriteOutcome::Kind::Done);
  const std::string note = R"({"id":"n1","tenant":"acme","type":"ticket.note","payload":{"external_ref":"alert-4",)"
                           R"("note_ref":"seen-2","text":"Seen again at 10:02","visibility":"public"}})";
  const auto first = run(note);
  ASSERT_EQ(first.kind, WriteOutcome::Kind::Done) << first.detail;
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.parent_psa_id, ticket.psa_id) << "the note's ticket, for dispatch's echo marks";
  const auto again = run(note);
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, first.psa_id);
  EXPECT_EQ(again.parent_psa_id, ticket.psa_id);
  ASSERT_EQ(records("notes").size(), 1u);
  simdjson::dom::parser p;
  auto n = parsed(p, records("notes")[0]);
  EXPECT_TRUE(n["detailDescriptionFlag"].get_bool().value());
  EXPECT_FALSE(n["internalAnalysisFlag"].get_bool().value());
  EXPECT_NE(std::string_view(n["text"].get_string().value()).find("(sy-note seen-2)"), std::string_view::npos);

  const auto orphan = run(R"({"id":"n2","tenant":"acme","type":"ticket.note","payload":{"external_ref":"nope",)"
                          R"("note_ref":"x","text":"t"}})");
  EXPECT_EQ(orphan.kind, WriteOutcome::Kind::Rejected);
}

TEST_F(ConnectWiseWritesTest, ACloseMovesToTheBoardsClosedStatusOnce) {
  const auto made = run(upsert("alert-5", "Link down"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  const std::string close = R"({"id":"x1","tenant":"acme","type":"ticket.close","payload":{"external_ref":"alert-5",)"
                            R"("resolution":"Link restored by the carrier"}})";
  const auto closed = run(close);
  ASSERT_EQ(closed.kind, WriteOutcome::Kind::Done) << closed.detail;
  simdjson::dom::parser p;
  auto t = parsed(p, record("tickets", made.psa_id));
  EXPECT_TRUE(t["closedFlag"].get_bool().value());
  EXPECT_EQ(std::string_view(t["status"]["name"].get_string().value()), "Completed");  // the board's first closed one
  ASSERT_EQ(records("notes").size(), 1u);
  simdjson::dom::parser p2;
  EXPECT_TRUE(parsed(p2, records("notes")[0])["resolutionFlag"].get_bool().value());
  EXPECT_EQ(run(close).kind, WriteOutcome::Kind::Done);
  EXPECT_EQ(records("notes").size(), 1u) << "a redelivered close adds no second resolution";
}

TEST_F(ConnectWiseWritesTest, AnAdditionIsBilledOnce) {
  const std::string agreement = sandbox_.upsert_record(
      "connectwise", "agreements", R"({"name":"Managed","type":{"id":1,"name":"MSP"},"company":{"id":1}})");
  simdjson::dom::parser p;
  const std::string agreement_id = std::to_string(parsed(p, agreement)["id"].get_int64().value());
  const std::string line = R"({"id":"b1","tenant":"acme","type":"billing_line.add","payload":{"external_ref":"usage-9",)"
                           R"("agreement_id":")" + agreement_id +
                           R"(","description":"Antivirus seats","quantity":25,"unit_price":3.5,"product_id":"12",)"
                           R"("effective_date":"2026-11-01"}})";
  const auto first = run(line);
  ASSERT_EQ(first.kind, WriteOutcome::Kind::Done) << first.detail;
  const auto again = run(line);
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_EQ(again.psa_id, first.psa_id);
  ASSERT_EQ(records("additions").size(), 1u);
  simdjson::dom::parser p2;
  auto a = parsed(p2, records("additions")[0]);
  EXPECT_EQ(std::string_view(a["invoiceDescription"].get_string().value()), "Antivirus seats");
  EXPECT_EQ(a["quantity"].get_double().value(), 25);

  std::string no_product = line;
  no_product.replace(no_product.find(R"("product_id":"12",)"), 18, "");
  no_product.replace(no_product.find("usage-9"), 7, "usage-10");
  const auto refused = run(no_product);
  EXPECT_EQ(refused.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(refused.detail.find("default_product_id"), std::string::npos) << refused.detail;
}

TEST_F(ConnectWiseWritesTest, AConfigurationIsFoundAgainByItsDeviceIdentifier) {
  const std::string device = R"({"id":"d1","tenant":"acme","type":"configuration.upsert","payload":{"external_ref":"dev-77",)"
                             R"("name":"ACME-FS01","type":{"id":"1"},"serial_number":"SN-1","warranty_expiry_date":"2027-03-15",)"
                             R"("vendor_ref":{"id":"77","url":"https://vendor.example/d/77"}}})";
  const auto made = run(device);
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  EXPECT_TRUE(made.created);
  const auto again = run(device);
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, made.psa_id);
  ASSERT_EQ(count("configurations", "deviceIdentifier", "dev-77"), 1u);
  simdjson::dom::parser p;
  auto c = parsed(p, record("configurations", made.psa_id));
  EXPECT_EQ(std::string_view(c["deviceIdentifier"].get_string().value()), "dev-77");
  EXPECT_EQ(std::string_view(c["managementLink"].get_string().value()), "https://vendor.example/d/77");
  EXPECT_EQ(std::string_view(c["warrantyExpirationDate"].get_string().value()), "2027-03-15T00:00:00Z");

  const auto typeless = run(R"({"id":"d2","tenant":"acme","type":"configuration.upsert","payload":{"external_ref":"dev-78",)"
                            R"("name":"ACME-FS02"}})");
  EXPECT_EQ(typeless.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(typeless.detail.find("configuration_type"), std::string::npos) << typeless.detail;
}

TEST_F(ConnectWiseWritesTest, RefusalsAreExplained) {
  const auto unmapped = run(upsert("alert-6", "x", R"(,"status":"escalated")"));
  EXPECT_EQ(unmapped.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(unmapped.detail.find("mappings.status"), std::string::npos) << unmapped.detail;
  EXPECT_EQ(count("tickets", "externalXRef", "alert-6"), 0u) << "refused before any write";

  sandbox::Fault forbidden;
  forbidden.status = 403;
  forbidden.method = "POST";
  sandbox_.inject_fault("connectwise", forbidden);
  const auto denied = run(upsert("alert-7", "x"));
  EXPECT_EQ(denied.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(denied.detail.find("Service Desk › Service Tickets"), std::string::npos) << denied.detail;

  sandbox::Fault busy;
  busy.status = 503;
  sandbox_.inject_fault("connectwise", busy);
  EXPECT_EQ(run(upsert("alert-8", "x")).kind, WriteOutcome::Kind::Retryable);
}

}  // namespace
}  // namespace switchyard::testing
