// HaloPSA (REST API v2): OAuth2 client credentials through the shared token provider, webhooks
// (HMAC, basic credentials or the URL secret), polling by lastupdatefromdate with
// pageinate/page_size/page_no, mapping of tickets, clients, users, assets, client contracts and
// sites to canonical v1.2, a connection test, and writes: ticket.upsert, ticket.close, ticket.note
// (Actions), billing_line.add (recurring invoice lines) and configuration.upsert (assets). See
// docs/psa/halopsa.md.
#pragma once

#include "connectors/auth/oauth_client_credentials.h"
#include "connectors/connector.h"

namespace switchyard::connectors::halopsa {

// A canonical type's Halo resource and the member its list answer wraps the records in:
// "ticket" → {"Tickets", "tickets"}. Empty for a type Halo is not polled for.
struct Resource {
  std::string_view path;         // below <base_url>/api/
  std::string_view list_member;  // {"record_count": N, "<list_member>": [...]}
  std::string_view change_field; // the record's last-change time
  // Whether the list takes lastupdatefromdate; ClientContract does not (the spec lists no such
  // parameter), so its delta is every page, filtered here by change_field.
  bool filters_by_change = true;
};
const Resource* resource_of(std::string_view canonical_type);

// <base_url>/api/<path>: every API call's URL.
std::string api_url(const Tenant& tenant, std::string_view path);

// Halo writes times in UTC, with or without a zone ("2024-05-01T09:00:00" or "...Z"): the
// canonical RFC 3339 UTC form, or nullopt when it is not a time.
std::optional<std::string> halo_time(std::string_view text);

// Maps one Halo record (the JSON object of `canonical_type`) to the canonical record.
Result<canonical::Record> map_record(std::string_view tenant_id, std::string_view canonical_type,
                                     simdjson::dom::object record, const MappingLookup& mappings = {});

// The connection test's warnings of more access than needed (privileges.cpp): none when
// HaloPSA does not say.
Result<std::vector<ConnectionWarning>> privilege_warnings(const Tenant& tenant, PsaHttp& http);

class HaloConnector final : public Connector {
 public:
  HaloConnector();
  std::string_view name() const override { return "halopsa"; }
  std::string_view display_name() const override { return "HaloPSA"; }
  std::span<const PsaReasonSteps> reason_steps() const override;
  const ConnectorSpec& spec() const override;
  Status verify_webhook(const Tenant& tenant, const WebhookRequest& request) const override;
  Result<std::vector<Change>> decode_webhook(const Tenant& tenant, std::string_view body) const override;
  Result<PollResult> poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const override;
  WriteOutcome execute(const Tenant& tenant, const Command& command, PsaHttp& http, WriteMemo& memo) const override;
  Result<ConnectionReport> test_connection(const Tenant& tenant, PsaHttp& http) const override;
  Result<std::vector<LookupItem>> lookup(const Tenant& tenant, PsaHttp& http, const LookupQuery& query) const override;
  std::vector<std::string_view> supported_commands() const override;
  const auth::TokenSource* token_source() const override { return &tokens_; }

 protected:
  Result<canonical::Record> map_to_canonical(const Envelope& envelope, simdjson::dom::parser& parser,
                                             const MappingLookup& mappings) const override;

 private:
  auth::OAuthClientCredentials tokens_;
};

}  // namespace switchyard::connectors::halopsa
