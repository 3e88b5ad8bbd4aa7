#include "connectors/halopsa/halopsa_connector.h"

#include "connectors/halopsa/writers.h"
#include "connectors/registry.h"

namespace switchyard::connectors {
namespace halopsa {
namespace {

// Hosted instances (*.halopsa.com) name their tenant on the token request; self-hosted ones
// have none (docs/psa/halopsa.md, "Authentication").
std::string token_url(const Tenant& tenant) {
  std::string url = tenant.base_url;
  url.append("/auth/token");
  if (const auto it = tenant.credentials.find("tenant"); it != tenant.credentials.end() && !it->second.empty()) {
    url.append("?tenant=").append(http::url_encode(it->second));
  }
  return url;
}

auth::OAuthClientCredentialsSettings token_settings() {
  auth::OAuthClientCredentialsSettings s;
  s.token_url = token_url;
  // The least scope the connector needs is still "all" (Halo documents no narrower scope
  // names); the API application's permissions are what limit it (docs/psa/halopsa.md).
  s.scope = "all";
  s.advice =
      "HaloPSA refused the application's client ID and secret: in HaloPSA, open Configuration > "
      "Integrations > HaloPSA API > View Applications, check the application is active and uses "
      "Client ID and Secret (Services), and copy its client ID and secret into credentials.client_id "
      "and credentials.client_secret (and, for a hosted instance, its tenant name into credentials.tenant)";
  return s;
}

}  // namespace

HaloConnector::HaloConnector() : tokens_(token_settings()) {}

const ConnectorSpec& HaloConnector::spec() const {
  static const ConnectorSpec kSpec{
      .required_credentials = {"client_id", "client_secret"},
      .optional_credentials = {"tenant"},
      .options = {"webhook_signature_header", "webhook_signature_prefix", "default_client_id", "closed_status_id",
                  "note_outcome", "default_asset_type_id", "default_site_id"},
      .pollable_entities = {"ticket", "company", "contact", "configuration", "agreement", "site"},
      .webhook_entities = {"ticket", "company", "contact", "configuration"},
      // Halo publishes no numeric limit (its clients retry on 429 with back-off); every replica
      // honours a 429's Retry-After. 5 a second with bursts of 10 is a cautious start.
      .budgets = {.tenant_default = {.requests_per_second = 5, .burst = 10}},
      .page_sizes = {.preferred = 100, .max = 1000},
      // Halo signs (HMAC) or sends basic credentials when the webhook is set up so; otherwise the
      // URL secret is the check (webhook.cpp).
      .webhook_auth = ConnectorSpec::WebhookAuth::SignatureOrUrlSecret,
      // Halo's customer types are each instance's own: a tenant maps them by name or id
      // ("Customer" → "customer"); nothing is assumed by default. Statuses and priorities are
      // the ids of a new instance's stock lists (docs/psa/halopsa.md: check your instance's).
      .default_mappings = {.tables = {{"status",
                                       {{"new", "1"}, {"in_progress", "2"}, {"complete", "9"}, {"closed", "9"}}},
                                      {"priority", {{"critical", "1"}, {"high", "2"}, {"medium", "3"}, {"low", "4"}}}}},
  };
  return kSpec;
}

const Resource* resource_of(std::string_view canonical_type) {
  // Change fields per the Halo schemas: Faults.last_update, Area.alastupdate,
  // Users.ulastupdate, Device.dlastupdate, ContractHeader.last_modified, Site.slastupdate.
  static const Resource kTicket{"Tickets", "tickets", "last_update"};
  static const Resource kClient{"Client", "clients", "alastupdate"};
  static const Resource kUser{"Users", "users", "ulastupdate"};
  static const Resource kAsset{"Asset", "assets", "dlastupdate"};
  static const Resource kContract{"ClientContract", "contracts", "last_modified", false};
  static const Resource kSite{"Site", "sites", "slastupdate"};
  if (canonical_type == "ticket") return &kTicket;
  if (canonical_type == "company") return &kClient;
  if (canonical_type == "contact") return &kUser;
  if (canonical_type == "configuration") return &kAsset;
  if (canonical_type == "agreement") return &kContract;
  if (canonical_type == "site") return &kSite;
  return nullptr;
}

std::string api_url(const Tenant& tenant, std::string_view path) {
  std::string url = tenant.base_url;
  url.append("/api/").append(path);
  return url;
}

std::vector<std::string_view> HaloConnector::supported_commands() const {
  return {"ticket.upsert", "ticket.close", "ticket.note", "billing_line.add", "configuration.upsert"};
}

WriteOutcome HaloConnector::execute(const Tenant& tenant, const Command& command, PsaHttp& http,
                                    WriteMemo& memo) const {
  const MappingLookup mappings(tenant.mappings, spec().default_mappings);
  return std::visit(
      [&](const auto& payload) -> WriteOutcome {
        using T = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<T, TicketUpsert>) return upsert_ticket(tenant, payload, http, memo, mappings);
        if constexpr (std::is_same_v<T, TicketClose>) return close_ticket(tenant, payload, http, memo);
        if constexpr (std::is_same_v<T, TicketNoteAdd>) return add_ticket_note(tenant, payload, http, memo);
        if constexpr (std::is_same_v<T, BillingLineAdd>) return add_billing_line(tenant, payload, http, memo);
        if constexpr (std::is_same_v<T, ConfigurationUpsert>) {
          return upsert_configuration(tenant, payload, http, memo, mappings);
        }
        // Not in supported_commands(): dispatch dead-letters these before calling execute().
        return WriteOutcome::rejected("HaloPSA does not support this command yet");
      },
      command.payload);
}

}  // namespace halopsa

void register_halopsa(ConnectorRegistry& registry) { registry.add(std::make_unique<halopsa::HaloConnector>()); }

}  // namespace switchyard::connectors
