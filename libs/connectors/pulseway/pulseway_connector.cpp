#include "connectors/pulseway/pulseway_connector.h"

#include "connectors/registry.h"

namespace switchyard::connectors {
namespace pulseway {
namespace {

kaseya_v2::Flavor pulseway_flavor() {
  return kaseya_v2::Flavor{
      .psa = "pulseway",
      .product = "Pulseway PSA",
      .roles_screen = "Admin > Security > Roles (the Api Employee's role)",
      .credentials_advice =
          "Pulseway PSA refused the API user: check credentials.username and credentials.password are those of an "
          "active Api Employee (HR > Employees; it is not subject to multi-factor sign-in), and credentials.company "
          "is your Pulseway PSA company name",
  };
}

}  // namespace

PulsewayConnector::PulsewayConnector() : V2Connector(pulseway_flavor()) {}

const ConnectorSpec& PulsewayConnector::spec() const {
  static const ConnectorSpec kSpec{
      .required_credentials = {"username", "password", "company"},
      .optional_credentials = {},
      .options = {"default_account_id", "default_queue_id", "account_types"},
      .pollable_entities = {"ticket", "company", "contact", "configuration", "agreement"},
      .webhook_entities = {},  // none documented: every entity is polled
      // 1,500 calls an hour per endpoint (docs/psa/pulseway.md, "Rate limit").
      .budgets = {.tenant_default = {.requests_per_second = 2, .burst = 10},
                  .per_endpoint_family = RateLimitConfig{.requests_per_second = 1500.0 / 3600, .burst = 10}},
      .page_sizes = {.preferred = 100, .max = 100},
      .webhook_auth = ConnectorSpec::WebhookAuth::None,
      // Assumed to be BMS's stock names (docs/psa/pulseway.md: check your instance's).
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

// Pulseway PSA documents no webhooks: anything posted to its webhook URL is refused.
Status PulsewayConnector::verify_webhook(const Tenant&, const WebhookRequest&) const {
  return not_supported("webhooks (its changes are polled)");
}

Result<std::vector<Change>> PulsewayConnector::decode_webhook(const Tenant&, std::string_view) const {
  return not_supported("webhooks (its changes are polled)");
}

}  // namespace pulseway

void register_pulseway(ConnectorRegistry& registry) { registry.add(std::make_unique<pulseway::PulsewayConnector>()); }

}  // namespace switchyard::connectors
