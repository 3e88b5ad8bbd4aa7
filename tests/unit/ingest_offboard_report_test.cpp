// The offboarding report (ingest/offboard_report.h): counts per family with a total, the
// webhooks' outcome deciding ok or failed, and what is left by design; the audit details carry
// the counts and no message.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "ingest/offboard_report.h"

namespace switchyard::ingest {
namespace {

OffboardReport sample(WebhookRemoval webhooks) {
  OffboardReport r;
  r.tenant = "acme";
  r.configured = true;
  r.webhooks = std::move(webhooks);
  r.keys.families = {{"watermarks", 2}, {"leases", 0}, {"activity", 5}};
  return r;
}

TEST(OffboardReportTest, CountsEachFamilyAndSaysWhatStays) {
  const OffboardReport r = sample({"unregistered", "", ""});
  EXPECT_EQ(r.outcome(), "ok");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(r.to_json()).get(root), simdjson::SUCCESS) << r.to_json();
  EXPECT_EQ(root["tenant"].get_string().value(), "acme");
  EXPECT_EQ(root["outcome"].get_string().value(), "ok");
  EXPECT_EQ(root["keys_removed"].get_int64().value(), 7);
  EXPECT_EQ(root["removed"]["watermarks"].get_int64().value(), 2);
  EXPECT_EQ(root["removed"]["leases"].get_int64().value(), 0) << "a family with nothing removed is still listed";
  EXPECT_EQ(root["webhooks"]["outcome"].get_string().value(), "unregistered");
  EXPECT_TRUE(root["webhooks"]["message"].error()) << "nothing to explain";
  std::vector<std::string> left;
  simdjson::dom::array not_removed;
  ASSERT_EQ(root["not_removed"].get(not_removed), simdjson::SUCCESS);
  for (simdjson::dom::element e : not_removed) {
    left.emplace_back(e["what"].get_string().value());
  }
  EXPECT_EQ(left, (std::vector<std::string>{"dedup_keys", "kafka_records"}));
}

TEST(OffboardReportTest, AWebhookThePsaKeptMakesItFailedAndTheAuditSaysWhyWithoutTheMessage) {
  const OffboardReport r = sample({"failed", "forbidden", "ConnectWise answered 403 to DELETE /system/callbacks/7"});
  EXPECT_EQ(r.outcome(), "failed");
  EXPECT_NE(r.to_json().find(R"("reason":"forbidden")"), std::string::npos) << r.to_json();
  simdjson::dom::parser parser;
  simdjson::dom::element details;
  ASSERT_EQ(parser.parse(r.audit_details()).get(details), simdjson::SUCCESS) << r.audit_details();
  EXPECT_EQ(details["webhooks"].get_string().value(), "failed");
  EXPECT_EQ(details["webhooks_reason"].get_string().value(), "forbidden");
  EXPECT_EQ(details["keys_removed"].get_int64().value(), 7);
  EXPECT_EQ(r.audit_details().find("ConnectWise answered"), std::string::npos) << "codes and counts only";

  EXPECT_EQ(sample({"skipped", "not_configured", "..."}).outcome(), "ok") << "nothing more can be done";
  EXPECT_EQ(sample({"not_supported", "", "..."}).outcome(), "ok");
}

}  // namespace
}  // namespace switchyard::ingest
