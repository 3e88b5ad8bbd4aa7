#include "connectors/autotask/autotask_connector.h"

#include "connectors/registry.h"

namespace switchyard::connectors {
namespace autotask {

const ConnectorSpec& AutotaskConnector::spec() const {
  // Picklist ids differ per Autotask instance (read them from
  // /Tickets/entityInformation/fields), so the ids the writer needs are tenant options, or
  // mapped labels it resolves through that same call (picklists.h).
  static const ConnectorSpec kSpec{
      .required_credentials = {"username", "secret", "integration_code"},
      .optional_credentials = {"impersonation_resource_id"},
      .options = {"default_company_id", "default_queue_id", "status_new", "status_complete", "priority_low",
                  "priority_medium", "priority_high", "priority_critical", "note_type", "note_publish_internal",
                  "note_publish_public", "configuration_product_id", "zone_lookup_url"},
      .pollable_entities = {"ticket", "company", "contact", "configuration", "agreement"},
      .webhook_entities = {"ticket", "company", "contact", "configuration"},
      // 10,000 requests an hour per database, counted across every integration the MSP runs;
      // at the limit Autotask suspends the API for the whole database (docs/psa/autotask.md).
      // By default a tenant takes half of it (about 1.4 a second), settable per tenant.
      .budgets = {.tenant_default = {.requests_per_second = 5, .burst = 10},
                  .shared_budget = RateLimitConfig{.requests_per_second = 10000.0 / 3600, .burst = 10},
                  .default_share = 0.5,
                  // Autotask answers slower from half of the hourly threshold (about 0.5 s added)
                  // and three quarters (1 s): back off before it suspends the whole database.
                  .slow_answer = std::chrono::milliseconds(1000)},
      // MaxRecords is at most 500 (docs/psa/autotask.md).
      .page_sizes = {.preferred = 500, .max = 500},
      .webhook_auth = ConnectorSpec::WebhookAuth::Signature,
      // The default companyType picklist (docs/psa/autotask.md); an instance may add values.
      // Ticket statuses and types map to the stock picklist *labels*, which the writer resolves
      // to the instance's ids at run time, so they hold wherever the labels were kept.
      .default_mappings = {.tables = {{"company_classification",
                                       {{"1", "customer"},
                                        {"2", "prospect"},  // Lead
                                        {"3", "prospect"},
                                        {"4", "other"},  // Dead
                                        {"6", "other"},  // Cancellation
                                        {"7", "vendor"},
                                        {"8", "partner"}}},
                                      {"status",
                                       {{"new", "New"},
                                        {"in_progress", "In Progress"},
                                        {"waiting_customer", "Waiting Customer"},
                                        {"waiting_vendor", "Waiting Vendor"},
                                        {"escalated", "Escalate"},
                                        {"complete", "Complete"}}},
                                      {"ticket_type",
                                       {{"service_request", "Service Request"},
                                        {"incident", "Incident"},
                                        {"problem", "Problem"},
                                        {"change_request", "Change Request"},
                                        {"alert", "Alert"}}}}},
      // base_url is an override: the zone is looked up from the API user (zone.h).
      .discovers_base_url = true,
  };
  return kSpec;
}

http::Headers auth_headers(const Tenant& tenant) {
  const auto& c = tenant.credentials;
  http::Headers headers{{"ApiIntegrationCode", c.at("integration_code")},
                        {"UserName", c.at("username")},
                        {"Secret", c.at("secret")},
                        {"Content-Type", "application/json"},
                        {"Accept", "application/json"}};
  if (auto it = c.find("impersonation_resource_id"); it != c.end()) {
    headers.emplace_back("ImpersonationResourceId", it->second);
  }
  return headers;
}

std::string_view entity_of(std::string_view canonical_type) {
  if (canonical_type == "ticket") return "Tickets";
  if (canonical_type == "company") return "Companies";
  if (canonical_type == "contact") return "Contacts";
  if (canonical_type == "configuration") return "ConfigurationItems";
  if (canonical_type == "agreement") return "Contracts";
  return {};
}

bool AutotaskConnector::is_read(const http::ClientRequest& request) const {
  if (Connector::is_read(request)) return true;
  // Queries are POSTed: <base>/V1.0/<Entity>/query (and .../query/next pages by GET).
  const std::string_view url(request.url);
  const std::string_view path = url.substr(0, url.find('?'));
  return request.method == "POST" && path.ends_with("/query");
}

}  // namespace autotask

void register_autotask(ConnectorRegistry& registry) {
  registry.add(std::make_unique<autotask::AutotaskConnector>());
}

}  // namespace switchyard::connectors
