// connectors::deleted_record: a deletion becomes its entity's own canonical type, holding only
// what identifies it and marked as gone the way that type can say it.
#include "connectors/deleted_record.h"

#include <gtest/gtest.h>

namespace switchyard::connectors {
namespace {

Envelope deletion(const std::string& entity) {
  Envelope e;
  e.tenant = "acme";
  e.psa = "somepsa";
  e.entity = entity;
  e.entity_id = "42";
  e.action = "deleted";
  e.source = "webhook";
  e.received_at = "2026-12-03T10:00:00.000Z";
  e.body = R"({"summary":"not read"})";
  return e;
}

// Every type's record carries the same identity and nothing of the (unread) body.
void expect_identity_only(const canonical::Record& r, std::string_view collection) {
  const canonical::RecordBase& base = canonical::base_of(r);
  EXPECT_EQ(base.tenant, "acme");
  EXPECT_EQ(base.source, (canonical::SourceRef{"somepsa", std::string(collection), "42"}));
  EXPECT_EQ(base.updated_at, "2026-12-03T10:00:00.000Z");
  EXPECT_TRUE(base.custom_fields.empty());
}

TEST(DeletedRecordTest, EachEntityBecomesItsOwnTypeMarkedAsGone) {
  auto ticket = deleted_record(deletion("ticket"), "somepsa", "tickets");
  ASSERT_TRUE(ticket);
  ASSERT_TRUE(std::holds_alternative<canonical::Ticket>(*ticket));
  EXPECT_TRUE(std::get<canonical::Ticket>(*ticket).closed);
  EXPECT_EQ(std::get<canonical::Ticket>(*ticket).title, "");
  expect_identity_only(*ticket, "tickets");

  for (const std::string entity : {"company", "contact", "configuration"}) {
    auto r = deleted_record(deletion(entity), "somepsa", entity + "s");
    ASSERT_TRUE(r) << entity;
    EXPECT_EQ(canonical::type_name(*r), entity);
    const bool active = std::visit(
        [](const auto& record) {
          if constexpr (requires { record.active; }) return record.active;
          return true;
        },
        *r);
    EXPECT_FALSE(active) << entity;
    expect_identity_only(*r, entity + "s");
  }

  auto agreement = deleted_record(deletion("agreement"), "somepsa", "agreements");
  ASSERT_TRUE(agreement);
  ASSERT_TRUE(std::holds_alternative<canonical::Agreement>(*agreement));
  EXPECT_EQ(std::get<canonical::Agreement>(*agreement).cancelled, true);
  expect_identity_only(*agreement, "agreements");

  auto line = deleted_record(deletion("billing_line"), "somepsa", "lines");
  ASSERT_TRUE(line);
  EXPECT_TRUE(std::holds_alternative<canonical::BillingLine>(*line));
  expect_identity_only(*line, "lines");
}

TEST(DeletedRecordTest, AnEntityWithoutACanonicalTypeHasNone) {
  for (const std::string entity : {"opportunity", "tickets", "", "Ticket"}) {
    auto r = deleted_record(deletion(entity), "somepsa", "x");
    ASSERT_FALSE(r.ok()) << entity;
    EXPECT_EQ(r.error().code, "unsupported_entity") << entity;
  }
}

}  // namespace
}  // namespace switchyard::connectors
