#include "connectors/syncro/syncro_connector.h"

#include "common/time_format.h"
#include "connectors/registry.h"
#include "connectors/syncro/writers.h"

namespace switchyard::connectors {
namespace syncro {

const ConnectorSpec& SyncroConnector::spec() const {
  static const ConnectorSpec kSpec{
      .required_credentials = {"api_token"},
      .optional_credentials = {},
      .options = {"default_customer_id"},
      .pollable_entities = {"ticket", "company", "contact", "configuration", "agreement"},
      // The Notification Center's events: tickets, customers and contracts (docs/psa/syncro.md);
      // contacts and assets change unseen unless polled.
      .webhook_entities = {"ticket", "company", "agreement"},
      // Syncro allows 180 requests a minute per calling IP address (docs/psa/syncro.md): that is
      // the budget of each egress; a tenant alone on its egress may spend all of it.
      .budgets = {.tenant_default = {.requests_per_second = 3, .burst = 10},
                  .per_egress = RateLimitConfig{.requests_per_second = 3, .burst = 10}},
      // Syncro sets the page size itself (25 for most lists); clients only ask for a page.
      .page_sizes = {.preferred = 25, .max = 25},
      // Notification webhooks are unsigned: the URL secret is the whole check.
      .webhook_auth = ConnectorSpec::WebhookAuth::UrlSecret,
      // A Syncro customer is someone the MSP serves unless a tenant maps it otherwise. Statuses
      // and priorities are Syncro's stock strings (docs/psa/syncro.md: check your account's).
      .default_mappings = {.tables = {{"company_classification", {{"Customer", "customer"}}},
                                      {"status",
                                       {{"new", "New"},
                                        {"in_progress", "In Progress"},
                                        {"waiting_customer", "Waiting on Customer"},
                                        {"complete", "Resolved"},
                                        {"closed", "Resolved"}}},
                                      {"priority",
                                       {{"critical", "0 Urgent"}, {"high", "1 High"}, {"medium", "2 Normal"}, {"low", "3 Low"}}}}},
  };
  return kSpec;
}

const Resource* resource_of(std::string_view canonical_type) {
  // Permissions as the spec's "Required permission" notes name them.
  static const Resource kTicket{"tickets", "tickets", "ticket", "Tickets - List/Search", true};
  static const Resource kCustomer{"customers", "customers", "customer", "Customers - List/Search"};
  static const Resource kContact{"contacts", "contacts", "contact", "Customers - View Detail"};
  static const Resource kAsset{"customer_assets", "assets", "asset", "Assets - List/Search"};
  static const Resource kContract{"contracts", "contracts", "contract", "Contracts - List/Search"};
  if (canonical_type == "ticket") return &kTicket;
  if (canonical_type == "company") return &kCustomer;
  if (canonical_type == "contact") return &kContact;
  if (canonical_type == "configuration") return &kAsset;
  if (canonical_type == "agreement") return &kContract;
  return nullptr;
}

std::string api_url(const Tenant& tenant, std::string_view path) {
  std::string url = tenant.base_url;
  url.append("/").append(path);
  return url;
}

http::Headers api_headers(const Tenant& tenant) {
  std::string authorization = "Bearer ";
  authorization.append(tenant.credentials.at("api_token"));
  return {{"Authorization", std::move(authorization)}, {"Accept", "application/json"}};
}

std::optional<std::string> syncro_time(std::string_view text) {
  if (text.size() < 20 || text.size() > 40) return std::nullopt;
  // Milliseconds kept: Syncro stamps them, and two changes in one second are two versions.
  auto parsed = parse_rfc3339(text);
  if (!parsed) return std::nullopt;
  return format_rfc3339_utc(*parsed);
}

std::vector<std::string_view> SyncroConnector::supported_commands() const {
  return {"ticket.upsert", "ticket.close", "ticket.note", "billing_line.add"};
}

WriteOutcome SyncroConnector::execute(const Tenant& tenant, const Command& command, PsaHttp& http,
                                      WriteMemo& memo) const {
  const MappingLookup mappings(tenant.mappings, spec().default_mappings);
  return std::visit(
      [&](const auto& payload) -> WriteOutcome {
        using T = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<T, TicketUpsert>) return upsert_ticket(tenant, payload, http, memo, mappings);
        if constexpr (std::is_same_v<T, TicketClose>) return close_ticket(tenant, payload, http, memo);
        if constexpr (std::is_same_v<T, TicketNoteAdd>) return add_ticket_note(tenant, payload, http, memo);
        if constexpr (std::is_same_v<T, BillingLineAdd>) return add_billing_line(tenant, payload, http, memo);
        // Not in supported_commands(): dispatch dead-letters these before calling execute().
        return WriteOutcome::rejected("Syncro does not support this command yet");
      },
      command.payload);
}

}  // namespace syncro

void register_syncro(ConnectorRegistry& registry) { registry.add(std::make_unique<syncro::SyncroConnector>()); }

}  // namespace switchyard::connectors
