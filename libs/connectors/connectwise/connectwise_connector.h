// ConnectWise Manage (PSA) REST 3.0: callbacks in, polling by lastUpdated, mapping of tickets,
// companies, contacts, agreements, agreement additions and configurations. See
// docs/psa/connectwise.md.
#pragma once

#include "connectors/connector.h"

namespace switchyard::connectors::connectwise {

// Callback "Type" / canonical type → REST collection, e.g. "ticket" → "service/tickets".
std::string_view collection_of(std::string_view canonical_type);

// The API version every call asks for in Accept (ConnectWise versions its API by media type); the
// connector's mappings follow this version's models.
inline constexpr std::string_view kApiVersion = "2025.8";

// Headers every ConnectWise call carries: Basic auth "companyId+publicKey:privateKey", clientId,
// and Accept pinning kApiVersion.
http::Headers auth_headers(const Tenant& tenant);

// Maps one ConnectWise record (the JSON object of `canonical_type`) to the canonical record.
Result<canonical::Record> map_record(std::string_view tenant_id, std::string_view canonical_type,
                                     simdjson::dom::object record, const MappingLookup& mappings = {});

// Polls the notes of the tickets changed in the request's delta, ticket by ticket (ConnectWise
// lists notes only below their ticket); note_poller.cpp.
Result<PollResult> poll_ticket_notes(const Tenant& tenant, PsaHttp& http, const PollRequest& request);

// The connection test's warnings of more access than needed, from the API member's own
// security levels (privileges.cpp): none when ConnectWise does not say.
Result<std::vector<ConnectionWarning>> privilege_warnings(const Tenant& tenant, PsaHttp& http);

class ConnectWiseConnector final : public Connector {
 public:
  std::string_view name() const override { return "connectwise"; }
  std::string_view display_name() const override { return "ConnectWise Manage"; }
  std::span<const PsaReasonSteps> reason_steps() const override;
  const ConnectorSpec& spec() const override;
  Status verify_webhook(const Tenant& tenant, const WebhookRequest& request) const override;
  Result<std::vector<Change>> decode_webhook(const Tenant& tenant, std::string_view body) const override;
  Result<std::optional<std::string>> webhook_key_url(const Tenant& tenant, std::string_view body) const override;
  Result<std::string> fetch_webhook_key(const Tenant& tenant, PsaHttp& http, const std::string& url) const override;
  Result<PollResult> poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const override;
  Result<Change> fetch_record(const Tenant& tenant, PsaHttp& http, std::string_view entity,
                              std::string_view id) const override;
  std::vector<std::string_view> fetchable_entities() const override;
  WriteOutcome execute(const Tenant& tenant, const Command& command, PsaHttp& http, WriteMemo& memo) const override;
  Result<ConnectionReport> test_connection(const Tenant& tenant, PsaHttp& http) const override;
  Result<std::vector<LookupItem>> lookup(const Tenant& tenant, PsaHttp& http, const LookupQuery& query) const override;
  std::vector<std::string_view> supported_commands() const override {
    return {"ticket.upsert", "ticket.close", "ticket.note", "billing_line.add", "configuration.upsert"};
  }
  Result<WebhookRegistration> register_webhooks(const Tenant& tenant, PsaHttp& http,
                                                const std::string& callback_url) const override;
  Status unregister_webhooks(const Tenant& tenant, PsaHttp& http, const std::string& callback_url) const override;

 protected:
  Result<canonical::Record> map_to_canonical(const Envelope& envelope, simdjson::dom::parser& parser,
                                             const MappingLookup& mappings) const override;
};

}  // namespace switchyard::connectors::connectwise
