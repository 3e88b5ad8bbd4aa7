// The erasure event (common/erasure_event.h) against the schema files consumers read: it
// validates as an event and as an erasure record, names the person only by contact id and the
// e-mail's SHA-256, and is keyed like the contact's own events.
#include <gtest/gtest.h>

#include "common/canonical.h"
#include "common/crypto.h"
#include "common/erasure_event.h"
#include "support/json_schema.h"

namespace switchyard {
namespace {

using testing::JsonSchemaSet;

const JsonSchemaSet& schemas() {
  static const JsonSchemaSet set(testing::canonical_schema_dir(), testing::canonical_schema_files());
  return set;
}

ErasureEvent event(std::string contact_id, std::string email) {
  ErasureEvent e;
  e.tenant = "acme";
  e.psa = "connectwise";
  e.erasure_id = "er-0123456789abcdef";
  e.requested_at = "2026-12-01T20:00:00.123Z";
  e.contact_id = std::move(contact_id);
  if (!email.empty()) e.email_sha256 = email_sha256(email);
  return e;
}

TEST(ErasureEventTest, ValidatesAsAnEventAndAsAnErasureRecord) {
  for (const auto& e : {event("77", "Jane.Doe@Example.com"), event("77", ""), event("", "jane.doe@example.com")}) {
    const std::string json = to_json(e);
    EXPECT_EQ(schemas().validate_text(json, "event.schema.json"), std::vector<std::string>{}) << json;
    EXPECT_EQ(schemas().validate_text(json, "erasure.schema.json", "/record"), std::vector<std::string>{}) << json;
    EXPECT_NE(json.find(R"("type":"erasure")"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("schema_version":")" + std::string(canonical::kSchemaRelease) + "\""), std::string::npos);
    EXPECT_EQ(json.find("jane"), std::string::npos) << "the e-mail itself is never published: " << json;
  }
}

TEST(ErasureEventTest, TheSchemaRefusesWhatOnlyAnErasureMayCarryOnOtherTypesAndBadHashes) {
  const std::string json = to_json(event("77", "jane.doe@example.com"));
  auto with = [&](std::string_view from, std::string_view to) {
    std::string text = json;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return schemas().validate_text(text, "event.schema.json");
  };
  EXPECT_FALSE(with(R"("action":"erased")", R"("action":"upserted")").empty());
  EXPECT_FALSE(with(R"("origin":"request")", R"("origin":"poll")").empty());
  EXPECT_FALSE(with(R"("email_sha256":")", R"("email_sha256":"X)").empty());
  EXPECT_FALSE(with(R"("contact_id":"77")", R"("contact_id":"77","email":"jane.doe@example.com")").empty());
  EXPECT_FALSE(with(R"("erasure_id":"er-0123456789abcdef")", R"("erasure_id":"x")").empty());
}

TEST(ErasureEventTest, KeyedLikeTheContactOrByTheErasureWithoutOne) {
  EXPECT_EQ(erasure_event_key(event("77", "")), "acme/contact/77");
  EXPECT_EQ(erasure_event_key(event("", "jane.doe@example.com")), "acme/erasure/er-0123456789abcdef");
  const auto headers = erasure_event_headers(event("77", ""));
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers[1].name, "sy-type");
  EXPECT_EQ(headers[1].value, "erasure");
}

TEST(ErasureEventTest, TheEmailHashIsOfTheTrimmedLowerCasedAddress) {
  EXPECT_EQ(email_sha256("  Jane.Doe@Example.COM "), crypto::sha256_hex("jane.doe@example.com"));
  EXPECT_NE(email_sha256("jane.doe@example.com"), email_sha256("john.doe@example.com"));
}

}  // namespace
}  // namespace switchyard
