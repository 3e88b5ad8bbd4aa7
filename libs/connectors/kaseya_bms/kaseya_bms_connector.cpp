#include "connectors/kaseya_bms/kaseya_bms_connector.h"

#include "connectors/registry.h"

namespace switchyard::connectors {
namespace kaseya_bms {

namespace {

kaseya_v2::Flavor bms_flavor() {
  return kaseya_v2::Flavor{
      .psa = "kaseya_bms",
      .product = "Kaseya BMS",
      .roles_screen = "Admin > Security > Roles (the API user's role)",
      .credentials_advice =
          "Kaseya BMS refused the API user: check credentials.username and credentials.password are those of an "
          "active BMS user without multi-factor sign-in (a dedicated API user), and credentials.company is the "
          "company name you sign in to BMS with",
  };
}

}  // namespace

KaseyaBmsConnector::KaseyaBmsConnector() : V2Connector(bms_flavor()) {}

const ConnectorSpec& KaseyaBmsConnector::spec() const {
  static const ConnectorSpec kSpec{
      .required_credentials = {"username", "password", "company"},
      .optional_credentials = {},
      .options = {"default_account_id", "default_queue_id", "account_types"},
      .pollable_entities = {"ticket", "company", "contact", "configuration", "agreement"},
      // BMS webhooks report ticket events (docs/psa/kaseya-bms.md, "Webhooks").
      .webhook_entities = {"ticket"},
      // 1,500 calls an hour per endpoint (docs/psa/kaseya-bms.md, "Rate limit"): each endpoint
      // family its own budget; a tenant's overall pace stays modest across its endpoints.
      .budgets = {.tenant_default = {.requests_per_second = 2, .burst = 10},
                  .per_endpoint_family = RateLimitConfig{.requests_per_second = 1500.0 / 3600, .burst = 10}},
      // The spec states no largest page: 100 is what the connector asks for and trusts.
      .page_sizes = {.preferred = 100, .max = 100},
      // BMS names no signature algorithm: the URL secret is the check.
      .webhook_auth = ConnectorSpec::WebhookAuth::UrlSecret,
      // BMS's stock account types and status/priority names (docs/psa/kaseya-bms.md, "Mapping
      // tables": check your instance's under Admin > Settings).
      .default_mappings = {.tables = {{"company_classification",
                                       {{"Customer", "customer"},
                                        {"Client", "customer"},
                                        {"Prospect", "prospect"},
                                        {"Lead", "prospect"},
                                        {"Vendor", "vendor"},
                                        {"Partner", "partner"}}},
                                      {"status",
                                       {{"new", "New"},
                                        {"in_progress", "In Progress"},
                                        {"waiting_customer", "Waiting Customer"},
                                        {"complete", "Completed"},
                                        {"closed", "Completed"}}},
                                      {"priority",
                                       {{"critical", "Critical"}, {"high", "High"}, {"medium", "Medium"}, {"low", "Low"}}}}},
  };
  return kSpec;
}

}  // namespace kaseya_bms

void register_kaseya_bms(ConnectorRegistry& registry) {
  registry.add(std::make_unique<kaseya_bms::KaseyaBmsConnector>());
}

}  // namespace switchyard::connectors
