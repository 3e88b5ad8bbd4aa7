// HaloPSA writes against the sandbox over real HTTP (docs/psa/halopsa.md, "Writes"): a ticket is
// made once (POST /Tickets array) with its supplier reference and found again by it when the
// write memo is empty, also after a lost answer; a close posts one Action setting the closed
// status; a note is one marked Action (internal hidden from the user); a billing line is one
// referenced recurring invoice line; an asset is made once and found among its client's assets;
// an unmapped status, a label, a missing client and HaloPSA's
// refusals are rejected in plain language, and a 429 is retryable.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/command.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::testing {
namespace {

using connectors::WriteOutcome;

// Forgets everything: each delivery must find its record at HaloPSA.
class NoMemo : public connectors::WriteMemo {
 public:
  std::optional<std::string> lookup(const Tenant&, std::string_view, std::string_view) override { return {}; }
  void remember(const Tenant&, std::string_view, std::string_view, std::string_view) override {}
};

// A PsaHttp that puts a bearer token on every request, as TokenAuthPsaHttp would.
class BearerHttp : public connectors::PsaHttp {
 public:
  explicit BearerHttp(RecordingHttp& inner) : inner_(inner) {}
  void set_token(std::string token) { token_ = std::move(token); }
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    http::ClientRequest with = request;
    with.headers.emplace_back("Authorization", "Bearer " + token_);
    return inner_.send(with);
  }

 private:
  RecordingHttp& inner_;
  std::string token_;
};

class HaloWritesTest : public ::testing::Test {
 protected:
  HaloWritesTest() {
    sandbox_.start();
    tenant_.id = "acme";
    tenant_.psa = "halopsa";
    tenant_.base_url = sandbox_.psa_base_url("halopsa");
    tenant_.allow_insecure_http = true;
    tenant_.credentials = {{"client_id", "halo-sandbox-client"}, {"client_secret", "halo-sandbox-client-secret"}};
    tenant_.options = {{"default_client_id", "1"}};
    auto issued = connector().token_source()->issue(tenant_, wire_, "");
    EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
    if (issued.ok()) http_.set_token(issued->access_token);
  }
  ~HaloWritesTest() override { sandbox_.stop(); }

  static const connectors::Connector& connector() { return *connectors::builtin_registry().find("halopsa"); }

  WriteOutcome run(const std::string& json) {
    auto command = command_from_json(json);
    EXPECT_TRUE(command.ok()) << command.error().message;
    return connector().execute(tenant_, *command, http_, memo_);
  }
  // The stored record of `entity` with id `id`, as JSON ("" when none).
  std::string record(const std::string& entity, const std::string& id) {
    for (const auto& json : sandbox_.records("halopsa", entity)) {
      simdjson::dom::parser p;
      if (std::to_string(p.parse(json)["id"].get_int64().value()) == id) return json;
    }
    return {};
  }
  size_t count(const std::string& entity) { return sandbox_.records("halopsa", entity).size(); }
  const http::ClientRequest& last_request() const { return wire_.requests.back(); }

  sandbox::Sandbox sandbox_;
  Tenant tenant_;
  RecordingHttp wire_;
  BearerHttp http_{wire_};
  NoMemo memo_;
};

std::string upsert(const std::string& id, const std::string& payload) {
  std::string json = R"({"id":")";
  json.append(id).append(R"(","tenant":"acme","type":"ticket.upsert","payload":)").append(payload).append("}");
  return json;
}

TEST_F(HaloWritesTest, ATicketIsMadeOnceAndFoundAgainByItsReferenceWithoutTheMemo) {
  const size_t before = count("Tickets");
  const auto made = run(upsert("c1", R"({"external_ref":"alert-1","title":"Disk full","description":"95% used",)"
                                     R"("priority":"critical","status":{"id":"3"},"contact_id":"1"})"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  EXPECT_TRUE(made.created);
  EXPECT_EQ(count("Tickets"), before + 1);
  EXPECT_EQ(last_request().method, "POST");
  EXPECT_EQ(last_request().body.front(), '[') << "Halo writes are JSON arrays";
  simdjson::dom::parser p;
  auto t = p.parse(record("Tickets", made.psa_id)).value();
  EXPECT_EQ(std::string_view(t["summary"].get_string().value()), "Disk full");
  EXPECT_EQ(std::string_view(t["details"].get_string().value()), "95% used");
  EXPECT_EQ(t["priority_id"].get_int64().value(), 1) << "critical is the stock priority 1";
  EXPECT_EQ(t["status_id"].get_int64().value(), 3);
  EXPECT_EQ(t["client_id"].get_int64().value(), 1) << "options.default_client_id";
  EXPECT_EQ(t["user_id"].get_int64().value(), 1);
  EXPECT_EQ(std::string_view(t["supplier_reference"].get_string().value()), "sy-ref:alert-1");

  const auto again = run(upsert("c2", R"({"external_ref":"alert-1","title":"Disk full, again","status":"new"})"));
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, made.psa_id);
  EXPECT_EQ(count("Tickets"), before + 1);
  EXPECT_NE(last_request().body.find("\"id\":" + made.psa_id), std::string::npos) << "an update names the id";
  simdjson::dom::parser p2;
  auto updated = p2.parse(record("Tickets", made.psa_id)).value();
  EXPECT_EQ(std::string_view(updated["summary"].get_string().value()), "Disk full, again");
  EXPECT_EQ(updated["status_id"].get_int64().value(), 1) << "new is the stock status 1";
}

TEST_F(HaloWritesTest, ASearchHitWithoutTheExactReferenceIsNotTheTicket) {
  // The search "matches", so a longer reference holding ours is a hit; it is not our ticket.
  sandbox_.upsert_record("halopsa", "Tickets", R"({"summary":"Other","client_id":1,"supplier_reference":"sy-ref:alert-90"})");
  const size_t before = count("Tickets");
  const auto made = run(upsert("c9", R"({"external_ref":"alert-9","title":"New one"})"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  EXPECT_TRUE(made.created);
  EXPECT_EQ(count("Tickets"), before + 1);
}

TEST_F(HaloWritesTest, ALostCreateAnswerIsFoundByItsReference) {
  sandbox::Fault drop;
  drop.kind = sandbox::FaultKind::drop;
  drop.process = true;  // stored, then the answer is cut
  drop.method = "POST";
  drop.path = "/api/Tickets$";
  sandbox_.inject_fault("halopsa", drop);
  const size_t before = count("Tickets");
  const auto lost = run(upsert("c1", R"({"external_ref":"alert-5","title":"Backup failed"})"));
  EXPECT_EQ(lost.kind, WriteOutcome::Kind::Retryable) << lost.detail;
  const auto retried = run(upsert("c1", R"({"external_ref":"alert-5","title":"Backup failed"})"));
  ASSERT_EQ(retried.kind, WriteOutcome::Kind::Done) << retried.detail;
  EXPECT_FALSE(retried.created);
  EXPECT_EQ(count("Tickets"), before + 1);
}

TEST_F(HaloWritesTest, ACloseIsOneActionSettingTheClosedStatusAndARedeliveryChangesNothing) {
  const auto made = run(upsert("c1", R"({"external_ref":"alert-2","title":"Backup failed"})"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  const std::string close =
      R"({"id":"x1","tenant":"acme","type":"ticket.close","payload":{"external_ref":"alert-2","resolution":"Re-run ok"}})";
  const auto closed = run(close);
  ASSERT_EQ(closed.kind, WriteOutcome::Kind::Done) << closed.detail;
  EXPECT_EQ(closed.psa_id, made.psa_id);
  simdjson::dom::parser p;
  auto t = p.parse(record("Tickets", made.psa_id)).value();
  EXPECT_EQ(t["status_id"].get_int64().value(), 9);
  const auto actions = sandbox_.records("halopsa", "Actions");
  ASSERT_EQ(actions.size(), 1u);
  simdjson::dom::parser pa;
  auto a = pa.parse(actions[0]).value();
  EXPECT_EQ(std::string_view(a["note"].get_string().value()), "Re-run ok");
  EXPECT_EQ(a["new_status"].get_int64().value(), 9);
  EXPECT_EQ(std::to_string(a["ticket_id"].get_int64().value()), made.psa_id);

  const auto again = run(close);
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_EQ(last_request().method, "GET") << "a closed ticket is not written again";
  EXPECT_EQ(count("Actions"), 1u);

  const auto unknown = run(R"({"id":"x2","tenant":"acme","type":"ticket.close","payload":{"external_ref":"nope"}})");
  EXPECT_EQ(unknown.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(unknown.detail.find("sy-ref:nope"), std::string::npos) << unknown.detail;
}

TEST_F(HaloWritesTest, TheClosedStatusIsATenantOption) {
  tenant_.options["closed_status_id"] = "12";
  const auto made = run(upsert("c1", R"({"external_ref":"alert-6","title":"Fan noise"})"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  const auto closed = run(R"({"id":"x1","tenant":"acme","type":"ticket.close","payload":{"external_ref":"alert-6"}})");
  ASSERT_EQ(closed.kind, WriteOutcome::Kind::Done) << closed.detail;
  simdjson::dom::parser p;
  EXPECT_EQ(p.parse(record("Tickets", made.psa_id))["status_id"].get_int64().value(), 12);

  tenant_.options["closed_status_id"] = "Closed";
  const auto bad = run(R"({"id":"x2","tenant":"acme","type":"ticket.close","payload":{"external_ref":"alert-6"}})");
  EXPECT_EQ(bad.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(bad.detail.find("closed_status_id"), std::string::npos) << bad.detail;
}

TEST_F(HaloWritesTest, ANoteIsOneMarkedActionAndAnInternalOneIsHidden) {
  const auto made = run(upsert("c1", R"({"external_ref":"alert-4","title":"Printer offline"})"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  const std::string note =
      R"({"id":"n1","tenant":"acme","type":"ticket.note","payload":{"external_ref":"alert-4","note_ref":"n-1","text":"Rebooted"}})";
  const auto added = run(note);
  ASSERT_EQ(added.kind, WriteOutcome::Kind::Done) << added.detail;
  EXPECT_TRUE(added.created);
  EXPECT_EQ(added.parent_psa_id, made.psa_id);
  ASSERT_EQ(count("Actions"), 1u);
  simdjson::dom::parser p;
  auto a = p.parse(record("Actions", added.psa_id)).value();
  EXPECT_EQ(std::string_view(a["note"].get_string().value()), "Rebooted\n\n(sy-note n-1)");
  EXPECT_TRUE(a["hiddenfromuser"].get_bool().value()) << "internal is the default visibility";
  EXPECT_FALSE(a["sendemail"].get_bool().value());

  const auto again = run(note);  // no memo: found by its marker
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, added.psa_id);
  EXPECT_EQ(count("Actions"), 1u);

  const auto shown = run(R"({"id":"n2","tenant":"acme","type":"ticket.note","payload":{"external_ref":"alert-4",)"
                         R"("note_ref":"n-2","text":"Fixed for you","visibility":"public"}})");
  ASSERT_EQ(shown.kind, WriteOutcome::Kind::Done) << shown.detail;
  EXPECT_TRUE(shown.created);
  EXPECT_NE(shown.psa_id, added.psa_id);
  simdjson::dom::parser p2;
  EXPECT_FALSE(p2.parse(record("Actions", shown.psa_id))["hiddenfromuser"].get_bool().value());
  EXPECT_EQ(count("Actions"), 2u);
}

TEST_F(HaloWritesTest, ABillingLineIsOneReferencedRecurringInvoiceLine) {
  const std::string line =
      R"({"id":"b1","tenant":"acme","type":"billing_line.add","payload":{"external_ref":"usage-1",)"
      R"("agreement_id":"1","description":"Backup storage","quantity":3,"unit_price":19.99,"product_id":"42"}})";
  const auto added = run(line);
  ASSERT_EQ(added.kind, WriteOutcome::Kind::Done) << added.detail;
  EXPECT_TRUE(added.created);
  ASSERT_EQ(count("RecurringInvoice/Lines"), 1u);
  simdjson::dom::parser p;
  auto l = p.parse(record("RecurringInvoice/Lines", added.psa_id)).value();
  EXPECT_EQ(l["ihid"].get_int64().value(), 1);
  EXPECT_EQ(l["qty_order"].get_double().value(), 3.0);
  EXPECT_EQ(l["unit_price"].get_double().value(), 19.99);
  EXPECT_EQ(l["_itemid"].get_int64().value(), 42);
  EXPECT_EQ(std::string_view(l["item_external_reference"].get_string().value()), "sy-line:usage-1");

  const auto again = run(line);  // no memo: found on the invoice by its reference
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, added.psa_id);
  EXPECT_EQ(count("RecurringInvoice/Lines"), 1u);

  const auto missing = run(R"({"id":"b2","tenant":"acme","type":"billing_line.add","payload":{"external_ref":"usage-2",)"
                           R"("agreement_id":"999","description":"X","quantity":1}})");
  EXPECT_EQ(missing.kind, WriteOutcome::Kind::Rejected);
  EXPECT_EQ(missing.http_status, 404);
  EXPECT_NE(missing.detail.find("(404)"), std::string::npos) << missing.detail;
}

TEST_F(HaloWritesTest, AnAssetIsMadeOnceAndFoundAgainAmongItsClientsAssetsWithoutTheMemo) {
  tenant_.options["default_asset_type_id"] = "1";
  const std::string device = R"({"id":"d1","tenant":"acme","type":"configuration.upsert","payload":{)"
                             R"("external_ref":"dev-1","name":"ACME-FS01","warranty_expiry_date":"2028-06-30"}})";
  const size_t before = count("Asset");
  const auto made = run(device);
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  EXPECT_TRUE(made.created);
  EXPECT_EQ(count("Asset"), before + 1);
  simdjson::dom::parser p;
  auto a = p.parse(record("Asset", made.psa_id)).value();
  EXPECT_EQ(std::string_view(a["inventory_number"].get_string().value()), "ACME-FS01");
  EXPECT_EQ(a["client_id"].get_int64().value(), 1);
  EXPECT_EQ(a["assettype_id"].get_int64().value(), 1) << "options.default_asset_type_id";
  EXPECT_EQ(std::string_view(a["warranty_end"].get_string().value()), "2028-06-30T00:00:00Z");
  EXPECT_EQ(std::string_view(a["third_party_id_string"].get_string().value()), "sy-ref:dev-1");

  const auto again = run(R"({"id":"d2","tenant":"acme","type":"configuration.upsert","payload":{)"
                         R"("external_ref":"dev-1","name":"ACME-FS01-renamed"}})");
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, made.psa_id);
  EXPECT_EQ(count("Asset"), before + 1);
  simdjson::dom::parser p2;
  EXPECT_EQ(std::string_view(p2.parse(record("Asset", made.psa_id))["inventory_number"].get_string().value()),
            "ACME-FS01-renamed");

  tenant_.options.erase("default_asset_type_id");
  const auto untyped = run(R"({"id":"d3","tenant":"acme","type":"configuration.upsert","payload":{)"
                           R"("external_ref":"dev-2","name":"ACME-WS07"}})");
  EXPECT_EQ(untyped.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(untyped.detail.find("default_asset_type_id"), std::string::npos) << untyped.detail;
  EXPECT_EQ(count("Asset"), before + 1);
}

TEST_F(HaloWritesTest, BadCommandsAreRejectedInPlainLanguage) {
  const auto unmapped = run(upsert("c1", R"({"external_ref":"a3","title":"T","status":"on_fire"})"));
  EXPECT_EQ(unmapped.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(unmapped.detail.find("on_fire"), std::string::npos) << unmapped.detail;

  const auto label = run(upsert("c2", R"({"external_ref":"a3","title":"T","priority":{"label":"Urgent"}})"));
  EXPECT_EQ(label.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(label.detail.find("payload.priority"), std::string::npos) << label.detail;

  tenant_.mappings.tables["status"]["waiting_customer"] = "Waiting";
  const auto not_an_id = run(upsert("c3", R"({"external_ref":"a3","title":"T","status":"waiting_customer"})"));
  EXPECT_EQ(not_an_id.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(not_an_id.detail.find("not a HaloPSA id"), std::string::npos) << not_an_id.detail;

  tenant_.options.erase("default_client_id");
  const auto no_client = run(upsert("c4", R"({"external_ref":"a4","title":"T"})"));
  EXPECT_EQ(no_client.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(no_client.detail.find("default_client_id"), std::string::npos) << no_client.detail;

  // The sandbox refuses an unknown client as Halo would refuse a value it does not accept.
  const auto unknown_client = run(upsert("c5", R"({"external_ref":"a5","title":"T","company_id":"999"})"));
  EXPECT_EQ(unknown_client.kind, WriteOutcome::Kind::Rejected);
  EXPECT_EQ(unknown_client.http_status, 400);
  EXPECT_NE(unknown_client.detail.find("HaloPSA refused creating the ticket (400)"), std::string::npos)
      << unknown_client.detail;
}

TEST_F(HaloWritesTest, EachRefusalIsExplainedAndOnlyThrottlingAndFaultsAreRetried) {
  struct Case {
    int status;
    WriteOutcome::Kind kind;
    std::string_view words;
  };
  const Case cases[] = {
      {403, WriteOutcome::Kind::Rejected, "Permissions, allow Tickets (edit)"},
      {409, WriteOutcome::Kind::Rejected, "(409)"},
      {422, WriteOutcome::Kind::Rejected, "(422)"},
      {401, WriteOutcome::Kind::Retryable, "client_id and client_secret"},
      {503, WriteOutcome::Kind::Retryable, "retried with back-off"},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.status);
    sandbox::Fault fault;
    fault.status = c.status;
    fault.method = "POST";
    sandbox_.inject_fault("halopsa", fault);
    const std::string ref = "err-" + std::to_string(++n);
    const auto outcome = run(upsert(ref, R"({"external_ref":")" + ref + R"(","title":"T","company_id":"1"})"));
    EXPECT_EQ(outcome.kind, c.kind) << outcome.detail;
    EXPECT_EQ(outcome.http_status, c.status);
    EXPECT_NE(outcome.detail.find(c.words), std::string::npos) << outcome.detail;
    EXPECT_EQ(outcome.detail.find("halo-sandbox-client-secret"), std::string::npos);
  }

  sandbox::Fault throttle;
  throttle.status = 429;
  throttle.retry_after_seconds = 2;
  sandbox_.inject_fault("halopsa", throttle);
  const auto throttled = run(upsert("c5", R"({"external_ref":"a7","title":"T","company_id":"1"})"));
  EXPECT_EQ(throttled.kind, WriteOutcome::Kind::Retryable);
  EXPECT_EQ(throttled.retry_after, std::chrono::milliseconds(2000));
  EXPECT_NE(throttled.detail.find("(429)"), std::string::npos) << throttled.detail;
}

}  // namespace
}  // namespace switchyard::testing
