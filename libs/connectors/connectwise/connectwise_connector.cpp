#include "connectors/connectwise/connectwise_connector.h"

#include "common/crypto.h"
#include "connectors/connectwise/note_writer.h"
#include "connectors/connectwise/writers.h"
#include "connectors/registry.h"

namespace switchyard::connectors {
namespace connectwise {

const ConnectorSpec& ConnectWiseConnector::spec() const {
  static const ConnectorSpec kSpec{
      .required_credentials = {"company_id", "public_key", "private_key", "client_id"},
      .optional_credentials = {},
      .options = {"default_board_id", "default_company_id", "default_product_id", "default_configuration_type_id"},
      .pollable_entities = {"ticket", "company", "contact", "agreement", "configuration", "ticket_note"},
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
      // Priorities and statuses by the stock names (ConnectWise resolves references by name);
      // no "closed": a close reads the closed statuses of the ticket's own board.
      .default_mappings = {.tables = {{"company_classification",
                                       {{"Client", "customer"}, {"Prospect", "prospect"}, {"Vendor", "vendor"}}},
                                      {"priority",
                                       {{"critical", "Priority 1 - Emergency Response"},
                                        {"high", "Priority 2 - Quick Response"},
                                        {"medium", "Priority 3 - Normal Response"},
                                        {"low", "Priority 4 - Schedule Maintenance"}}},
                                      {"status",
                                       {{"new", "New"},
                                        {"in_progress", "In Progress"},
                                        {"waiting_customer", "Waiting Customer"},
                                        {"scheduled", "Scheduled"}}}}},
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
  // Notes live below their ticket (service/tickets/{id}/notes): polled ticket by ticket
  // (note_poller.cpp).
  if (canonical_type == "ticket_note") return "service/tickets/notes";
  return {};
}

http::Headers auth_headers(const Tenant& tenant) {
  const auto& c = tenant.credentials;
  const std::string user = c.at("company_id") + "+" + c.at("public_key");
  return {{"Authorization", "Basic " + crypto::base64_encode(user + ":" + c.at("private_key"))},
          {"clientId", c.at("client_id")},
          {"Accept", "application/vnd.connectwise.com+json; version=" + std::string(kApiVersion)}};
}

WriteOutcome ConnectWiseConnector::execute(const Tenant& tenant, const Command& command, PsaHttp& http,
                                           WriteMemo& memo) const {
  const MappingLookup mappings(tenant.mappings, spec().default_mappings);
  return std::visit(
      [&](const auto& payload) -> WriteOutcome {
        using T = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<T, TicketUpsert>) return upsert_ticket(tenant, payload, http, memo, mappings);
        if constexpr (std::is_same_v<T, TicketClose>) return close_ticket(tenant, payload, http, memo, mappings);
        if constexpr (std::is_same_v<T, TicketNoteAdd>) return add_ticket_note(tenant, payload, http, memo);
        if constexpr (std::is_same_v<T, BillingLineAdd>) return add_billing_line(tenant, payload, http, memo);
        if constexpr (std::is_same_v<T, ConfigurationUpsert>) {
          return upsert_configuration(tenant, payload, http, memo, mappings);
        }
      },
      command.payload);
}

}  // namespace connectwise

void register_connectwise(ConnectorRegistry& registry) {
  registry.add(std::make_unique<connectwise::ConnectWiseConnector>());
}

}  // namespace switchyard::connectors
