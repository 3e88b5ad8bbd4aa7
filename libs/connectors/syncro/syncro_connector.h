// Syncro (REST API v1): the API token in the Authorization header, polling with page and
// meta.total_pages (since_updated_at where the list takes it), mapping of tickets, customers,
// contacts, contracts and customer assets to canonical v1.1, notification webhooks verified by
// the URL secret, ticket.upsert, ticket.close,
// ticket.note and billing_line.add (recurring schedule line items), and a connection test. See docs/psa/syncro.md.
#pragma once

#include "connectors/connector.h"

namespace switchyard::connectors::syncro {

// A canonical type's Syncro resource: "ticket" → {"tickets", "tickets", "ticket"}.
struct Resource {
  std::string_view path;         // below <base_url>/ ("tickets")
  std::string_view list_member;  // {"<list_member>": [...], "meta": {...}}
  std::string_view one_member;   // {"<one_member>": {...}} (one record by id)
  // The API token permission reading the list needs, as Syncro's API Tokens screen names it.
  std::string_view read_permission;
  // Whether the list takes since_updated_at; in the spec only tickets do, so the other lists
  // are read whole and filtered here by updated_at.
  bool filters_by_change = false;
};
const Resource* resource_of(std::string_view canonical_type);

// <base_url>/<path>: every API call's URL.
std::string api_url(const Tenant& tenant, std::string_view path);

// The request headers every call carries: the tenant's API token, and JSON.
http::Headers api_headers(const Tenant& tenant);

// Syncro's times ("2019-11-04T08:59:31.034Z") as canonical RFC 3339 UTC; nullopt when not a time.
std::optional<std::string> syncro_time(std::string_view text);

// Maps one Syncro record (the JSON object of `canonical_type`) to the canonical record.
Result<canonical::Record> map_record(std::string_view tenant_id, std::string_view canonical_type,
                                     simdjson::dom::object record, const MappingLookup& mappings = {});

// Warnings of more access than Switchyard needs, from the body of GET /me (privileges.cpp);
// none when the body says nothing of it.
std::vector<ConnectionWarning> privilege_warnings(std::string_view me_body);

class SyncroConnector final : public Connector {
 public:
  std::string_view name() const override { return "syncro"; }
  std::string_view display_name() const override { return "Syncro"; }
  std::span<const PsaReasonSteps> reason_steps() const override;
  const ConnectorSpec& spec() const override;
  Status verify_webhook(const Tenant& tenant, const WebhookRequest& request) const override;
  Result<std::vector<Change>> decode_webhook(const Tenant& tenant, std::string_view body) const override;
  Result<PollResult> poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const override;
  WriteOutcome execute(const Tenant& tenant, const Command& command, PsaHttp& http, WriteMemo& memo) const override;
  Result<ConnectionReport> test_connection(const Tenant& tenant, PsaHttp& http) const override;
  Result<std::vector<LookupItem>> lookup(const Tenant& tenant, PsaHttp& http, const LookupQuery& query) const override;
  std::vector<std::string_view> supported_commands() const override;
  Result<Change> fetch_record(const Tenant& tenant, PsaHttp& http, std::string_view entity,
                              std::string_view id) const override;
  std::vector<std::string_view> fetchable_entities() const override;

 protected:
  Result<canonical::Record> map_to_canonical(const Envelope& envelope, simdjson::dom::parser& parser,
                                             const MappingLookup& mappings) const override;
};

}  // namespace switchyard::connectors::syncro
