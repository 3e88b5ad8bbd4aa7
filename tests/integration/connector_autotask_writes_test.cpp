// The Autotask connector's writes against the sandbox over real HTTP, with the PSA's answer lost
// after it stored the record (a dropped connection): the retry must find the record by the
// reference the create stored on it, never create a second one. Also ticket notes, ticket
// picklists (canonical, label, id) and configuration items, each redelivered.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <functional>

#include "connectors/registry.h"
#include "support/pipeline/pipeline_stack.h"

namespace switchyard::testing {
namespace {

// Real HTTP to the sandbox; arms a dropped-answer fault right before the first create it sees,
// so the fault hits exactly the call that matters.
class DropFirstCreate : public connectors::PsaHttp {
 public:
  DropFirstCreate(sandbox::Sandbox& psa, std::string create_suffix) : psa_(psa), suffix_(std::move(create_suffix)) {}
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    if (!armed_ && request.method == "POST" && request.url.ends_with(suffix_)) {
      armed_ = true;
      sandbox::Fault drop;
      drop.kind = sandbox::FaultKind::drop;
      drop.process = true;  // stored first, then the answer is cut
      drop.count = 1;
      psa_.inject_fault("autotask", drop);
    }
    http::ClientRequest timed = request;
    timed.timeout = std::chrono::milliseconds(5000);
    return client_.send(timed);
  }

 private:
  sandbox::Sandbox& psa_;
  std::string suffix_;
  bool armed_ = false;
  http::HttpClient client_;
};

// Real HTTP to the sandbox, nothing else.
class PlainPsa : public connectors::PsaHttp {
 public:
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    http::ClientRequest timed = request;
    timed.timeout = std::chrono::milliseconds(5000);
    return client_.send(timed);
  }

 private:
  http::HttpClient client_;
};

class MemoryMemo : public connectors::WriteMemo {
 public:
  std::optional<std::string> lookup(const Tenant&, std::string_view, std::string_view) override { return {}; }
  void remember(const Tenant&, std::string_view, std::string_view, std::string_view) override {}
};

TEST(ConnectorAutotaskWritesTest, ChargeWhoseAnswerWasLostIsFoundByItsReferenceOnTheRetry) {
  PipelineStack stack(StackOptions{.ingest = false, .normalize = false, .dispatch = false});
  const TenantDirectory tenants = stack.tenants();
  const Tenant& tenant = *tenants.find(kAutotaskTenant);
  const connectors::Connector& autotask = *connectors::builtin_registry().find("autotask");

  simdjson::dom::parser parser;
  const std::string contract_id =
      std::to_string(parser.parse(stack.psa().records("autotask", "Contracts").at(0))["id"].get_int64().value());
  BillingLineAdd line;
  line.external_ref = "usage-2026-11-acme";
  line.agreement_id = contract_id;
  line.description = "Backup storage (GB)";
  line.quantity = 120.5;
  line.unit_price = 0.15;
  const Command command{"cmd-bill", std::string(kAutotaskTenant), "", line};

  DropFirstCreate psa(stack.psa(), "/Charges");
  MemoryMemo memo;  // remembers nothing: as after a crash, or with Redis down
  const auto first = autotask.execute(tenant, command, psa, memo);
  EXPECT_EQ(first.kind, connectors::WriteOutcome::Kind::Retryable) << first.detail;
  const auto retried = autotask.execute(tenant, command, psa, memo);
  ASSERT_EQ(retried.kind, connectors::WriteOutcome::Kind::Done) << retried.detail;
  EXPECT_FALSE(retried.created);

  size_t charges = 0;
  for (const auto& json : stack.psa().records("autotask", "ContractCharges")) {
    std::string_view ref;
    if (parser.parse(json)["internalPurchaseOrderNumber"].get(ref) == simdjson::SUCCESS &&
        ref == "sy:usage-2026-11-acme") {
      ++charges;
      EXPECT_EQ(std::to_string(parser.parse(json)["id"].get_int64().value()), retried.psa_id);
    }
  }
  EXPECT_EQ(charges, 1u) << "the contract was billed " << charges << " times";
}

// ---- ticket.note, ticket.upsert picklists, configuration.upsert ------------------------------

using Kind = connectors::WriteOutcome::Kind;

class AutotaskWritesTest : public ::testing::Test {
 protected:
  AutotaskWritesTest() : tenant_(*tenants_.find(kAutotaskTenant)) {
    tenant_.options["configuration_product_id"] = "1";
  }

  connectors::WriteOutcome run(CommandPayload payload, const std::string& id = "cmd") {
    return autotask_.execute(tenant_, Command{id, std::string(kAutotaskTenant), "", std::move(payload)}, psa_, memo_);
  }
  // Records of `entity` that `keep` accepts, parsed (each keeps its own parser).
  std::vector<simdjson::dom::element> records(std::string_view entity,
                                              const std::function<bool(simdjson::dom::element)>& keep) {
    std::vector<simdjson::dom::element> out;
    for (const auto& json : stack_.psa().records("autotask", entity)) {
      auto& parser = parsers_.emplace_back(std::make_unique<simdjson::dom::parser>());
      simdjson::dom::element record = parser->parse(json).value();
      if (keep(record)) out.push_back(record);
    }
    return out;
  }
  static std::string text(simdjson::dom::element e, std::string_view key) {
    std::string_view v;
    return e[key].get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
  }
  static int64_t number(simdjson::dom::element e, std::string_view key) {
    int64_t v = -1;
    return e[key].get(v) == simdjson::SUCCESS ? v : -1;
  }
  TicketUpsert ticket(std::string ref) {
    TicketUpsert u;
    u.external_ref = std::move(ref);
    u.title = "Disk C: above 90% on FS01";
    return u;
  }

  PipelineStack stack_{StackOptions{.ingest = false, .normalize = false, .dispatch = false}};
  TenantDirectory tenants_ = stack_.tenants();
  Tenant tenant_;
  const connectors::Connector& autotask_ = *connectors::builtin_registry().find("autotask");
  PlainPsa psa_;
  MemoryMemo memo_;  // remembers nothing: every redelivery goes to the PSA's lookup
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers_;
};

TEST_F(AutotaskWritesTest, NoteRedeliveredTwiceMakesOneNote) {
  const auto made = run(ticket("alert-note-1"));
  ASSERT_EQ(made.kind, Kind::Done) << made.detail;
  const TicketNoteAdd note{"alert-note-1", "rmm-note-17", "Disk cleaned up.\nFree space 41%.",
                           TicketNoteAdd::Visibility::Internal};
  const auto first = run(note, "cmd-note");
  ASSERT_EQ(first.kind, Kind::Done) << first.detail;
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.parent_psa_id, made.psa_id) << "the note's ticket, for dispatch's echo marks";
  for (int i = 0; i < 2; ++i) {
    const auto again = run(note, "cmd-note");
    ASSERT_EQ(again.kind, Kind::Done) << again.detail;
    EXPECT_FALSE(again.created);
    EXPECT_EQ(again.psa_id, first.psa_id);
  }
  const auto notes = records("TicketNotes", [&](simdjson::dom::element n) {
    return std::to_string(number(n, "ticketID")) == made.psa_id;
  });
  ASSERT_EQ(notes.size(), 1u) << "the note was added " << notes.size() << " times";
  EXPECT_EQ(std::to_string(number(notes[0], "id")), first.psa_id);
  EXPECT_EQ(text(notes[0], "title"), "Disk cleaned up.");
  EXPECT_EQ(text(notes[0], "description"), "Disk cleaned up.\nFree space 41%.\n\n(sy-note rmm-note-17)");
}

TEST_F(AutotaskWritesTest, NoteWhoseAnswerWasLostIsFoundOnTheRetry) {
  ASSERT_EQ(run(ticket("alert-note-2")).kind, Kind::Done);
  DropFirstCreate dropping(stack_.psa(), "/Notes");
  const TicketNoteAdd note{"alert-note-2", "n_1", "Rebooted", TicketNoteAdd::Visibility::Internal};
  const Command command{"cmd-n", std::string(kAutotaskTenant), "", note};
  EXPECT_EQ(autotask_.execute(tenant_, command, dropping, memo_).kind, Kind::Retryable);
  const auto retried = autotask_.execute(tenant_, command, dropping, memo_);
  ASSERT_EQ(retried.kind, Kind::Done) << retried.detail;
  EXPECT_FALSE(retried.created);
  // A note whose ref differs only where a "contains" wildcard could match is still a new note.
  const auto other = run(TicketNoteAdd{"alert-note-2", "n-1", "Rebooted", TicketNoteAdd::Visibility::Internal});
  ASSERT_EQ(other.kind, Kind::Done) << other.detail;
  EXPECT_TRUE(other.created);
  EXPECT_EQ(records("TicketNotes", [&](auto n) { return text(n, "description").find("(sy-note n_1)") != std::string::npos; })
                .size(),
            1u);
}

TEST_F(AutotaskWritesTest, InternalAndPublicNotesGetTheirPublishValue) {
  ASSERT_EQ(run(ticket("alert-note-3")).kind, Kind::Done);
  const auto internal = run(TicketNoteAdd{"alert-note-3", "int", "For the team", TicketNoteAdd::Visibility::Internal});
  const auto shared = run(TicketNoteAdd{"alert-note-3", "pub", "We are on it", TicketNoteAdd::Visibility::Public});
  ASSERT_EQ(internal.kind, Kind::Done) << internal.detail;
  ASSERT_EQ(shared.kind, Kind::Done) << shared.detail;
  auto publish_of = [&](const std::string& id) {
    const auto found = records("TicketNotes", [&](auto n) { return std::to_string(number(n, "id")) == id; });
    return found.size() == 1 ? number(found[0], "publish") : -1;
  };
  EXPECT_EQ(publish_of(internal.psa_id), 2);  // Internal Only
  EXPECT_EQ(publish_of(shared.psa_id), 1);    // All Autotask Users
}

TEST_F(AutotaskWritesTest, NoteForAnUnknownTicketIsRejectedSayingSo) {
  const auto out = run(TicketNoteAdd{"alert-never-made", "n1", "x", TicketNoteAdd::Visibility::Internal});
  EXPECT_EQ(out.kind, Kind::Rejected);
  EXPECT_NE(out.detail.find("alert-never-made"), std::string::npos) << out.detail;
}

TEST_F(AutotaskWritesTest, UpsertSetsStatusTypeAndContactByCanonicalLabelOrId) {
  TicketUpsert u = ticket("alert-pick-1");
  u.status = FieldChoice::canonical("in_progress");  // default mapping → label "In Progress" → 8
  u.type = FieldChoice::label("incident");            // label, any case → 2
  u.priority = FieldChoice::label("Critical");        // → 4
  u.contact_id = "300";
  const auto made = run(u);
  ASSERT_EQ(made.kind, Kind::Done) << made.detail;
  auto ticket_of = [&] {
    const auto found = records("Tickets", [&](auto t) { return text(t, "externalID") == "alert-pick-1"; });
    EXPECT_EQ(found.size(), 1u);
    return found.at(0);
  };
  auto t = ticket_of();
  EXPECT_EQ(number(t, "status"), 8);
  EXPECT_EQ(number(t, "ticketType"), 2);
  EXPECT_EQ(number(t, "priority"), 4);
  EXPECT_EQ(number(t, "contactID"), 300);

  // The tenant maps "alert" to an id; an explicit id is sent as is; v1 priority keeps its options.
  tenant_.mappings.tables["ticket_type"]["alert"] = "5";
  u.type = FieldChoice::canonical("alert");
  u.status = FieldChoice::id("7");
  u.priority = FieldChoice::canonical("low");
  const auto updated = run(u, "cmd-2");
  ASSERT_EQ(updated.kind, Kind::Done) << updated.detail;
  EXPECT_FALSE(updated.created);
  EXPECT_EQ(updated.psa_id, made.psa_id);
  t = ticket_of();
  EXPECT_EQ(number(t, "status"), 7);
  EXPECT_EQ(number(t, "ticketType"), 5);
  EXPECT_EQ(number(t, "priority"), 3);
}

TEST_F(AutotaskWritesTest, UnknownLabelOrUnmappedValueIsRejectedBeforeAnyWrite) {
  TicketUpsert u = ticket("alert-pick-2");
  u.status = FieldChoice::label("Teleported");
  auto out = run(u);
  EXPECT_EQ(out.kind, Kind::Rejected);
  EXPECT_NE(out.detail.find("payload.status"), std::string::npos) << out.detail;
  EXPECT_NE(out.detail.find("Teleported"), std::string::npos) << out.detail;
  u.status = FieldChoice::canonical("on_fire");
  out = run(u);
  EXPECT_EQ(out.kind, Kind::Rejected);
  EXPECT_NE(out.detail.find("payload.status: \"on_fire\" is not in the tenant's \"status\" mappings"), std::string::npos)
      << out.detail;
  EXPECT_TRUE(records("Tickets", [](auto t) { return text(t, "externalID") == "alert-pick-2"; }).empty());
}

TEST_F(AutotaskWritesTest, ConfigurationCreateThenUpdateAndRedeliveryMakeOneRecord) {
  ConfigurationUpsert device;
  device.external_ref = "rmm-device-77";
  device.name = "FS01";
  device.type = FieldChoice::label("Workstation");
  device.serial_number = "SN-77";
  device.purchase_date = "2024-01-10";
  device.install_date = "2024-02-01";
  device.warranty_expiry_date = "2027-01-10";
  device.last_seen_at = "2026-11-25T09:59:00Z";
  device.vendor_ref = ConfigurationUpsert::VendorLink{"dev-77", std::string("https://rmm.example.com/devices/77")};
  const auto made = run(device);
  ASSERT_EQ(made.kind, Kind::Done) << made.detail;
  EXPECT_TRUE(made.created);
  const auto again = run(device);  // redelivered, memo empty: found by referenceNumber
  ASSERT_EQ(again.kind, Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, made.psa_id);

  device.name = "FS01 (renamed)";
  device.company_id = "0";  // Autotask ignores a new owner on update
  device.type = FieldChoice::id("1");
  const auto updated = run(device, "cmd-3");
  ASSERT_EQ(updated.kind, Kind::Done) << updated.detail;
  EXPECT_FALSE(updated.created);

  const auto items = records("ConfigurationItems", [](auto c) { return text(c, "referenceNumber") == "sy:rmm-device-77"; });
  ASSERT_EQ(items.size(), 1u) << "the device was made " << items.size() << " times";
  const auto c = items[0];
  EXPECT_EQ(std::to_string(number(c, "id")), made.psa_id);
  EXPECT_EQ(text(c, "referenceTitle"), "FS01 (renamed)");
  EXPECT_EQ(number(c, "companyID"), 100);  // the tenant's default company, kept
  EXPECT_EQ(number(c, "configurationItemType"), 1);
  EXPECT_EQ(number(c, "productID"), 1);
  EXPECT_EQ(text(c, "serialNumber"), "SN-77");
  EXPECT_EQ(text(c, "installDate").rfind("2024-02-01", 0), 0u);
  EXPECT_EQ(text(c, "warrantyExpirationDate").rfind("2027-01-10", 0), 0u);
  const std::string notes = text(c, "notes");
  EXPECT_NE(notes.find("https://rmm.example.com/devices/77"), std::string::npos) << notes;
  EXPECT_NE(notes.find("Purchased: 2024-01-10"), std::string::npos) << notes;
  EXPECT_NE(notes.find("Last seen: 2026-11-25T09:59:00Z"), std::string::npos) << notes;
}

TEST_F(AutotaskWritesTest, ConfigurationWhoseAnswerWasLostIsFoundOnTheRetry) {
  ConfigurationUpsert device;
  device.external_ref = std::string(80, 'd');  // longer than referenceNumber: stored hashed
  device.name = "Long-ref device";
  DropFirstCreate dropping(stack_.psa(), "/ConfigurationItems");
  const Command command{"cmd-c", std::string(kAutotaskTenant), "", device};
  EXPECT_EQ(autotask_.execute(tenant_, command, dropping, memo_).kind, Kind::Retryable);
  const auto retried = autotask_.execute(tenant_, command, dropping, memo_);
  ASSERT_EQ(retried.kind, Kind::Done) << retried.detail;
  EXPECT_FALSE(retried.created);
  EXPECT_EQ(records("ConfigurationItems", [](auto c) { return text(c, "referenceTitle") == "Long-ref device"; }).size(),
            1u);
}

}  // namespace
}  // namespace switchyard::testing
