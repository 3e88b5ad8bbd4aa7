#include "connectors/connectwise/connectwise_connector.h"

#include "common/crypto.h"
#include "connectors/registry.h"

namespace switchyard::connectors {
namespace connectwise {

const ConnectorSpec& ConnectWiseConnector::spec() const {
  static const ConnectorSpec kSpec{
      .required_credentials = {"company_id", "public_key", "private_key", "client_id"},
      .optional_credentials = {},
      .options = {"default_board_id", "default_company_id"},
      .pollable_entities = {"ticket", "company", "contact", "agreement", "configuration"},
      .webhook_entities = {"ticket", "company", "contact", "agreement", "configuration"},  // callbacks
      // No published quota: ConnectWise answers 429 with Retry-After when busy, which every
      // replica then honours. 5 a second with bursts of 10 stays clear of it in practice.
      .budgets = {.tenant_default = {.requests_per_second = 5, .burst = 10}},
      // pageSize defaults to 25 and goes up to 1000 (docs/psa/connectwise.md).
      .page_sizes = {.preferred = 200, .max = 1000},
      // Each callback names where its signing key is served (Metadata.key_url); a configured
      // webhook_signing_secrets entry still works and saves the fetch.
      .webhook_auth = ConnectorSpec::WebhookAuth::PsaServedKey,
      // ConnectWise's stock company types (docs/psa/connectwise.md); tenants add their own.
      .default_mappings = {.tables = {{"company_classification",
                                       {{"Client", "customer"}, {"Prospect", "prospect"}, {"Vendor", "vendor"}}}}},
  };
  return kSpec;
}

std::string_view collection_of(std::string_view canonical_type) {
  if (canonical_type == "ticket") return "service/tickets";
  if (canonical_type == "company") return "company/companies";
  if (canonical_type == "contact") return "company/contacts";
  if (canonical_type == "agreement") return "finance/agreements";
  if (canonical_type == "configuration") return "company/configurations";
  // Additions live below their agreement (finance/agreements/{id}/additions): mapped when a
  // record arrives, never polled on their own.
  if (canonical_type == "billing_line") return "finance/agreements/additions";
  return {};
}

http::Headers auth_headers(const Tenant& tenant) {
  const auto& c = tenant.credentials;
  const std::string user = c.at("company_id") + "+" + c.at("public_key");
  return {{"Authorization", "Basic " + crypto::base64_encode(user + ":" + c.at("private_key"))},
          {"clientId", c.at("client_id")},
          {"Accept", "application/vnd.connectwise.com+json; version=" + std::string(kApiVersion)}};
}

WriteOutcome ConnectWiseConnector::execute(const Tenant&, const Command& command, PsaHttp&, WriteMemo&) const {
  // Outbound ConnectWise writes are the ConnectWise connector issue; until then the command is
  // dead-lettered with this reason rather than silently dropped.
  return WriteOutcome::rejected("connectwise: " + std::string(command_type(command)) +
                                " is not supported by this version of the connectwise connector");
}

}  // namespace connectwise

void register_connectwise(ConnectorRegistry& registry) {
  registry.add(std::make_unique<connectwise::ConnectWiseConnector>());
}

}  // namespace switchyard::connectors
