// Tenant "mappings": parsed and validated with the tenants file (errors name the field), read
// without secrets for normalize, and resolved tenant override → connector default → none.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/mappings.h"
#include "common/tenant_mappings.h"
#include "common/tenants.h"
#include "connectors/registry.h"
#include "support/env_map.h"

namespace switchyard {
namespace {

// An Autotask tenant with literal (made-up) credentials; `mappings` is spliced in as is.
std::string tenants_with(const std::string& mappings) {
  return R"({"tenants": [{"id": "beta", "psa": "autotask",
              "base_url": "https://webservices2.autotask.net/ATServicesRest",
              "credentials": {"username": "api@beta.example", "secret": "not-a-real-secret",
                              "integration_code": "TRACKING-ID-1"},
              "webhook_signing_secrets": ["not-a-real-webhook-secret"],
              "mappings": )" + mappings + "}]}";
}

Result<TenantDirectory> parse(const std::string& json) {
  return parse_tenants(json, connectors::spec_lookup(connectors::builtin_registry()), testing::env_of({}));
}

void expect_error(const std::string& mappings, const std::string& message) {
  auto r = parse(tenants_with(mappings));
  ASSERT_FALSE(r.ok()) << mappings;
  EXPECT_NE(r.error().message.find(message), std::string::npos) << r.error().message;
  auto light = parse_tenant_mappings(tenants_with(mappings));  // normalize's reader agrees
  ASSERT_FALSE(light.ok()) << mappings;
  EXPECT_NE(light.error().message.find(message), std::string::npos) << light.error().message;
}

TEST(TenantMappings, EveryKindParsesWithStringAndIdValues) {
  auto r = parse(tenants_with(R"({"status": {"new": 1, "closed": "5"}, "priority": {"critical": 4},
                                  "ticket_type": {"alert": 5}, "board": {"alerts": "29682833"},
                                  "company_classification": {"1": "customer", "42": "partner"},
                                  "alert_severity": {"critical": "4"}})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Mappings& m = r->find("beta")->mappings;
  EXPECT_EQ(m.tables.size(), 6u);
  EXPECT_EQ(m.tables.at("status").at("new"), "1");
  EXPECT_EQ(m.tables.at("status").at("closed"), "5");
  EXPECT_EQ(m.tables.at("company_classification").at("42"), "partner");
  EXPECT_EQ(m.tables.at("board").at("alerts"), "29682833");
}

TEST(TenantMappings, AbsentMappingsAreEmpty) {
  auto r = parse(R"({"tenants": [{"id": "beta", "psa": "autotask",
              "base_url": "https://webservices2.autotask.net/ATServicesRest",
              "credentials": {"username": "u", "secret": "s", "integration_code": "c"},
              "webhook_signing_secrets": ["w"]}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->find("beta")->mappings.empty());
}

TEST(TenantMappings, UnknownKindIsAnErrorNamingTheField) {
  expect_error(R"({"colour": {"red": 1}})", "tenants[0].mappings.colour: unknown mapping");
}

TEST(TenantMappings, ValuesMustBeStringsOrIds) {
  expect_error(R"({"status": {"new": true}})", "tenants[0].mappings.status.new: must be a string or an integer");
  expect_error(R"({"status": {"new": {"id": 1}}})", "tenants[0].mappings.status.new");
  expect_error(R"({"status": {"new": ""}})", "tenants[0].mappings.status.new");
  expect_error(R"({"status": ["new"]})", "tenants[0].mappings.status: must be an object");
  expect_error(R"(["status"])", "tenants[0].mappings: ");
}

TEST(TenantMappings, ClassificationsMustBeCanonical) {
  expect_error(R"({"company_classification": {"1": "client"}})",
               "tenants[0].mappings.company_classification.1: must be one of customer, prospect");
}

TEST(TenantMappings, TenantOverrideBeatsConnectorDefaultEntryByEntry) {
  Mappings defaults;
  defaults.tables["company_classification"] = {{"1", "customer"}, {"7", "vendor"}};
  Mappings tenant;
  tenant.tables["company_classification"] = {{"7", "partner"}, {"42", "customer"}};
  const MappingLookup lookup(tenant, defaults);
  EXPECT_EQ(lookup.resolve("company_classification", "7"), std::optional<std::string>("partner"));   // override
  EXPECT_EQ(lookup.resolve("company_classification", "1"), std::optional<std::string>("customer"));  // default
  EXPECT_EQ(lookup.resolve("company_classification", "42"), std::optional<std::string>("customer"));  // tenant only
  EXPECT_EQ(lookup.resolve("company_classification", "9"), std::nullopt);                            // none
  EXPECT_EQ(lookup.resolve("status", "1"), std::nullopt);
  EXPECT_EQ(MappingLookup().resolve("status", "1"), std::nullopt);
}

TEST(TenantMappings, ConnectorsDeclareTheirDefaults) {
  const auto* at = connectors::builtin_registry().find("autotask");
  const auto* cw = connectors::builtin_registry().find("connectwise");
  ASSERT_NE(at, nullptr);
  ASSERT_NE(cw, nullptr);
  const Mappings none;
  EXPECT_EQ(MappingLookup(none, at->spec().default_mappings).resolve("company_classification", "1"),
            std::optional<std::string>("customer"));
  EXPECT_EQ(MappingLookup(none, cw->spec().default_mappings).resolve("company_classification", "Client"),
            std::optional<std::string>("customer"));
}

TEST(TenantMappings, NormalizeReadsThemFromAFileOrADirectoryWithoutSecrets) {
  const auto dir = std::filesystem::temp_directory_path() / ("switchyard-mappings-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // Credentials are references that cannot be resolved here: the light reader never tries.
  std::ofstream(dir / "beta.json") << R"({"id": "beta", "psa": "autotask", "credentials": {"secret": {"env": "UNSET_X"}},
                                           "mappings": {"company_classification": {"42": "partner"}}})";
  std::ofstream(dir / "gamma.json") << R"({"id": "gamma", "psa": "autotask"})";
  auto from_dir = read_tenant_mappings(dir.string());
  ASSERT_TRUE(from_dir.ok()) << from_dir.error().message;
  EXPECT_EQ(from_dir->size(), 1u);
  EXPECT_EQ(mappings_of(*from_dir, "beta").tables.at("company_classification").at("42"), "partner");
  EXPECT_TRUE(mappings_of(*from_dir, "gamma").empty());

  const auto file = dir / "tenants.file";
  std::ofstream(file) << tenants_with(R"({"status": {"closed": 5}})");
  auto from_file = read_tenant_mappings(file.string());
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_EQ(mappings_of(*from_file, "beta").tables.at("status").at("closed"), "5");

  TenantMappings shared;
  TenantMappings copy = shared;
  EXPECT_TRUE(shared.replace(*from_file));
  EXPECT_FALSE(copy.replace(*from_file));  // copies share one table: already in force
  EXPECT_EQ(mappings_of(*copy.snapshot(), "beta").tables.at("status").at("closed"), "5");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace switchyard
