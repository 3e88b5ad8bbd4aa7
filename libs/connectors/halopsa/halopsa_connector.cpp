#include "connectors/halopsa/halopsa_connector.h"

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
      .options = {"webhook_signature_header", "webhook_signature_prefix"},
      .pollable_entities = {"ticket", "company", "contact", "configuration", "agreement"},
      .webhook_entities = {"ticket", "company", "contact", "configuration"},
      // Halo publishes no numeric limit (its clients retry on 429 with back-off); every replica
      // honours a 429's Retry-After. 5 a second with bursts of 10 is a cautious start.
      .budgets = {.tenant_default = {.requests_per_second = 5, .burst = 10}},
      .page_sizes = {.preferred = 100, .max = 1000},
      // Halo signs (HMAC) or sends basic credentials when the webhook is set up so; otherwise the
      // URL secret is the check (webhook.cpp).
      .webhook_auth = ConnectorSpec::WebhookAuth::SignatureOrUrlSecret,
      // Halo's customer types are each instance's own: a tenant maps them by name or id
      // ("Customer" → "customer"); nothing is assumed by default (docs/psa/halopsa.md).
      .default_mappings = {},
  };
  return kSpec;
}

const Resource* resource_of(std::string_view canonical_type) {
  // Change fields per the Halo schemas: Faults.last_update, Area.alastupdate,
  // Users.ulastupdate, Device.dlastupdate, ContractHeader.last_modified.
  static const Resource kTicket{"Tickets", "tickets", "last_update"};
  static const Resource kClient{"Client", "clients", "alastupdate"};
  static const Resource kUser{"Users", "users", "ulastupdate"};
  static const Resource kAsset{"Asset", "assets", "dlastupdate"};
  static const Resource kContract{"ClientContract", "contracts", "last_modified", false};
  if (canonical_type == "ticket") return &kTicket;
  if (canonical_type == "company") return &kClient;
  if (canonical_type == "contact") return &kUser;
  if (canonical_type == "configuration") return &kAsset;
  if (canonical_type == "agreement") return &kContract;
  return nullptr;
}

std::string api_url(const Tenant& tenant, std::string_view path) {
  std::string url = tenant.base_url;
  url.append("/api/").append(path);
  return url;
}

// No command is supported yet (supported_commands() is empty, so dispatch never calls this).
WriteOutcome HaloConnector::execute(const Tenant&, const Command&, PsaHttp&, WriteMemo&) const {
  return WriteOutcome::rejected("HaloPSA does not support writes yet");
}

}  // namespace halopsa

void register_halopsa(ConnectorRegistry& registry) { registry.add(std::make_unique<halopsa::HaloConnector>()); }

}  // namespace switchyard::connectors
