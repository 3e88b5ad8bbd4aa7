// A tenant's "sync_policies" as the tenants file spells it (common/sync_policy_settings.h): the
// string, list and object forms, errors naming the field, and the full loader and normalize's
// credential-free reader agreeing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/sync_policy_settings.h"
#include "common/tenants.h"
#include "connectors/registry.h"
#include "support/env_map.h"

namespace switchyard {
namespace {

std::string tenants_with(const std::string& setting) {
  return R"({"tenants":[{"id":"acme","psa":"connectwise","sync_policies":)" + setting + R"(},{"id":"plain","psa":"autotask"}]})";
}

Result<policy::SyncPolicies> parsed(const std::string& setting) {
  auto table = parse_tenant_sync_policies(tenants_with(setting));
  if (!table) return table.error();
  return sync_policies_of(*table, "acme");
}

TEST(SyncPolicySettings, TheThreeForms) {
  EXPECT_TRUE(parsed(R"("all")")->all());
  EXPECT_EQ(*parsed(R"("active_customers")"), (policy::SyncPolicies{.active_customers = true}));
  EXPECT_EQ(*parsed(R"(["active_customers","active_customer_agreements"])"),
            (policy::SyncPolicies{.active_customers = true, .active_customer_agreements = true}));
  EXPECT_EQ(*parsed(R"({"policies":["active_customer_agreements"],"require_contact":true,"suppress_echoes":true})"),
            (policy::SyncPolicies{.active_customer_agreements = true, .require_contact = true, .suppress_echoes = true}));
  EXPECT_EQ(*parsed(R"({"policies":"all","suppress_echoes":true})"), (policy::SyncPolicies{.suppress_echoes = true}));
}

TEST(SyncPolicySettings, ATenantWithoutTheSettingSyncsEverything) {
  auto table = parse_tenant_sync_policies(tenants_with(R"("active_customers")"));
  ASSERT_TRUE(table.ok());
  EXPECT_FALSE(table->contains("plain"));
  EXPECT_TRUE(sync_policies_of(*table, "plain").all());
  EXPECT_TRUE(sync_policies_of(*table, "unknown").all());
}

TEST(SyncPolicySettings, ErrorsNameTheField) {
  auto unknown = parsed(R"("active_partners")");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("tenants[0].sync_policies"), std::string::npos) << unknown.error().message;
  auto in_list = parsed(R"(["active_customers",3])");
  ASSERT_FALSE(in_list.ok());
  EXPECT_NE(in_list.error().message.find("tenants[0].sync_policies[1]"), std::string::npos) << in_list.error().message;
  auto key = parsed(R"({"policy":["active_customers"]})");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find("tenants[0].sync_policies.policy"), std::string::npos) << key.error().message;
  auto flag = parsed(R"({"policies":["active_customers"],"require_contact":"yes"})");
  ASSERT_FALSE(flag.ok());
  EXPECT_NE(flag.error().message.find("require_contact"), std::string::npos) << flag.error().message;
  auto contact_alone = parsed(R"({"require_contact":true})");
  ASSERT_FALSE(contact_alone.ok()) << "audIT's rule qualifies a policy; with every record it means nothing";
}

TEST(SyncPolicySettings, TheFullTenantsLoaderTakesTheSameSettingAndRefusesTheSameMistakes) {
  const std::string ok = R"({"tenants":[{"id":"beta","psa":"autotask",
      "base_url":"https://webservices2.autotask.net/ATServicesRest",
      "credentials":{"username":"api@beta.example","secret":"not-a-real-secret","integration_code":"TRACKING-ID-1"},
      "webhook_signing_secrets":["not-a-real-webhook-secret"],
      "sync_policies":{"policies":["active_customers"],"require_contact":true}}]})";
  const auto specs = connectors::spec_lookup(connectors::builtin_registry());
  auto full = parse_tenants(ok, specs, testing::env_of({}));
  ASSERT_TRUE(full.ok()) << full.error().message;
  EXPECT_EQ(full->find("beta")->sync_policies, (policy::SyncPolicies{.active_customers = true, .require_contact = true}));
  std::string bad = ok;
  bad.replace(bad.find("active_customers"), 16, "active_partners");
  auto refused = parse_tenants(bad, specs, testing::env_of({}));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("tenants[0].sync_policies"), std::string::npos) << refused.error().message;
}

TEST(SyncPolicySettings, ATenantsDirectoryIsReadFileByFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("sy-policies-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "acme.json") << R"({"id":"acme","psa":"connectwise","sync_policies":["active_customers"]})";
  std::ofstream(dir / "globex.json") << R"({"id":"globex","psa":"autotask"})";
  auto table = read_tenant_sync_policies(dir.string());
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(table.ok()) << table.error().message;
  EXPECT_TRUE(sync_policies_of(*table, "acme").active_customers);
  EXPECT_TRUE(sync_policies_of(*table, "globex").all());
}

}  // namespace
}  // namespace switchyard
