// Kaseya BMS writes against the sandbox over real HTTP (docs/psa/kaseya-bms.md, "Writes"): a
// ticket made with its marker and found again without the memo, updated with JSON Patch,
// resolved once, a note and a contract service each written once and found again by their
// markers, statuses looked up by name, and failures inside an HTTP 200 in plain language.
#include <gtest/gtest.h>

#include <map>

#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::testing {
namespace {

class BearerHttp : public connectors::PsaHttp {
 public:
  BearerHttp(RecordingHttp& inner, std::string token) : inner_(inner), token_(std::move(token)) {}
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    http::ClientRequest with = request;
    with.headers.emplace_back("Authorization", "Bearer " + token_);
    return inner_.send(with);
  }

 private:
  RecordingHttp& inner_;
  std::string token_;
};

class MapMemo : public connectors::WriteMemo {
 public:
  std::optional<std::string> lookup(const Tenant&, std::string_view kind, std::string_view ref) override {
    auto it = entries.find(std::string(kind) + "|" + std::string(ref));
    if (it == entries.end()) return std::nullopt;
    return it->second;
  }
  void remember(const Tenant&, std::string_view kind, std::string_view ref, std::string_view id) override {
    entries[std::string(kind) + "|" + std::string(ref)] = std::string(id);
  }
  std::map<std::string, std::string> entries;
};

class KaseyaBmsWritesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    psa_.start();
    tenant_.id = "acme";
    tenant_.psa = "kaseya_bms";
    tenant_.base_url = psa_.psa_base_url("kaseya_bms");
    tenant_.allow_insecure_http = true;
    tenant_.credentials = {{"username", "bms-api@acme-msp.example"}, {"password", "bms-sandbox-password"},
                           {"company", "acme-msp"}};
    auto issued = connector().token_source()->issue(tenant_, http_, "");
    ASSERT_TRUE(issued.ok()) << issued.error().message;
    bearer_ = std::make_unique<BearerHttp>(http_, issued->access_token);
  }
  void TearDown() override { psa_.stop(); }

  static const connectors::Connector& connector() { return *connectors::builtin_registry().find("kaseya_bms"); }

  connectors::WriteOutcome run(CommandPayload payload, connectors::WriteMemo& memo) {
    Command command;
    command.id = "cmd-1";
    command.tenant = tenant_.id;
    command.payload = std::move(payload);
    return connector().execute(tenant_, command, *bearer_, memo);
  }

  size_t count_calls(const std::string& method, const std::string& fragment) const {
    size_t n = 0;
    for (const auto& r : http_.requests) n += r.method == method && r.url.find(fragment) != std::string::npos ? 1 : 0;
    return n;
  }

  sandbox::Sandbox psa_;
  Tenant tenant_;
  RecordingHttp http_;
  std::unique_ptr<BearerHttp> bearer_;
};

TicketUpsert upsert(std::string title) {
  TicketUpsert t;
  t.external_ref = "alert-1";
  t.title = std::move(title);
  t.description = "Disk C: 91% used";
  t.company_id = "1";
  t.priority = FieldChoice::canonical("high");
  t.status = FieldChoice::label("In Progress");
  return t;
}

TEST_F(KaseyaBmsWritesTest, ATicketIsMadeOnceAndFoundAgainByItsMarkerWithoutTheMemo) {
  MapMemo memo;
  auto made = run(upsert("Disk almost full"), memo);
  ASSERT_EQ(made.kind, connectors::WriteOutcome::Kind::Done) << made.detail;
  EXPECT_TRUE(made.created);
  const auto tickets = psa_.records("kaseya_bms", "tickets");
  ASSERT_EQ(tickets.size(), 2u);  // the seed and the new one
  EXPECT_NE(tickets[1].find(R"j("Details":"Disk C: 91% used\n\n(sy-ref alert-1)")j"), std::string::npos) << tickets[1];
  EXPECT_NE(tickets[1].find(R"("PriorityId":2)"), std::string::npos) << "high → High → id 2";
  EXPECT_NE(tickets[1].find(R"("StatusId":2)"), std::string::npos) << "the label In Progress → id 2";

  MapMemo lost;  // a redelivery after the memo was lost: the marker finds the ticket
  auto again = run(upsert("Disk full"), lost);
  ASSERT_EQ(again.kind, connectors::WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, made.psa_id);
  EXPECT_EQ(psa_.records("kaseya_bms", "tickets").size(), 2u);
  EXPECT_EQ(count_calls("PATCH", "/v2/servicedesk/tickets/" + made.psa_id), 1u);
  EXPECT_NE(psa_.records("kaseya_bms", "tickets")[1].find(R"("Title":"Disk full")"), std::string::npos);
}

TEST_F(KaseyaBmsWritesTest, ACloseResolvesOnceAndANoteAndALineAreWrittenOnce) {
  MapMemo memo;
  auto made = run(upsert("Backup failed"), memo);
  ASSERT_EQ(made.kind, connectors::WriteOutcome::Kind::Done) << made.detail;

  TicketNoteAdd note;
  note.external_ref = "alert-1";
  note.note_ref = "note-1";
  note.text = "Re-ran the job";
  note.visibility = TicketNoteAdd::Visibility::Public;
  auto added = run(note, memo);
  ASSERT_EQ(added.kind, connectors::WriteOutcome::Kind::Done) << added.detail;
  EXPECT_TRUE(added.created);
  EXPECT_EQ(added.parent_psa_id, made.psa_id);
  MapMemo lost;
  auto note_again = run(note, lost);
  EXPECT_FALSE(note_again.created);
  EXPECT_EQ(note_again.psa_id, added.psa_id);
  EXPECT_EQ(psa_.records("kaseya_bms", "notes").size(), 1u);

  TicketClose close;
  close.external_ref = "alert-1";
  close.resolution = "Job succeeded";
  ASSERT_EQ(run(close, memo).kind, connectors::WriteOutcome::Kind::Done);
  ASSERT_EQ(run(close, memo).kind, connectors::WriteOutcome::Kind::Done);
  EXPECT_EQ(count_calls("POST", "/resolve"), 1u) << "a resolved ticket is not resolved again";
  EXPECT_NE(psa_.records("kaseya_bms", "tickets")[1].find(R"("StatusId":5)"), std::string::npos);

  BillingLineAdd line;
  line.external_ref = "usage-1";
  line.agreement_id = "1";
  line.description = "Backup storage";
  line.quantity = 120;
  line.unit_price = 0.25;
  line.product_id = "44";
  auto billed = run(line, memo);
  ASSERT_EQ(billed.kind, connectors::WriteOutcome::Kind::Done) << billed.detail;
  auto billed_again = run(line, lost);
  EXPECT_FALSE(billed_again.created);
  EXPECT_EQ(billed_again.psa_id, billed.psa_id);
  ASSERT_EQ(psa_.records("kaseya_bms", "services").size(), 1u);

  line.external_ref = "usage-2";
  line.quantity = 1.5;
  auto fractional = run(line, memo);
  EXPECT_EQ(fractional.kind, connectors::WriteOutcome::Kind::Rejected);
  EXPECT_NE(fractional.detail.find("whole number"), std::string::npos);
}

TEST_F(KaseyaBmsWritesTest, FailuresAreRejectedInPlainLanguage) {
  MapMemo memo;
  TicketUpsert no_account = upsert("x");
  no_account.company_id.reset();
  auto refused = run(no_account, memo);
  EXPECT_EQ(refused.kind, connectors::WriteOutcome::Kind::Rejected);
  EXPECT_NE(refused.detail.find("default_account_id"), std::string::npos) << refused.detail;

  TicketUpsert unknown_status = upsert("x");
  unknown_status.status = FieldChoice::label("Parked");
  auto unknown = run(unknown_status, memo);
  EXPECT_EQ(unknown.kind, connectors::WriteOutcome::Kind::Rejected);
  EXPECT_NE(unknown.detail.find("no ticket status named \"Parked\""), std::string::npos) << unknown.detail;

  // The sandbox refuses an unknown account inside an HTTP 200 (Error.Code 400).
  TicketUpsert bad = upsert("x");
  bad.company_id = "1";
  bad.title = "";
  auto invalid = run(bad, memo);
  EXPECT_EQ(invalid.kind, connectors::WriteOutcome::Kind::Rejected);
  EXPECT_NE(invalid.detail.find("inside an HTTP 200"), std::string::npos) << invalid.detail;
  EXPECT_EQ(invalid.http_status, 200);

  sandbox::Fault fault;
  fault.status = 503;
  psa_.inject_fault("kaseya_bms", fault);
  auto unavailable = run(upsert("y"), memo);
  EXPECT_EQ(unavailable.kind, connectors::WriteOutcome::Kind::Retryable) << unavailable.detail;
}

}  // namespace
}  // namespace switchyard::testing
