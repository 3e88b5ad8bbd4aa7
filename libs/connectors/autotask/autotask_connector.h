// Autotask PSA REST (V1.0): ticket and billing writes out, webhooks and QueryModel polling in.
// See docs/psa/autotask.md. The tenant's base_url is the zone
// URL (from zoneInformation), e.g. https://webservices2.autotask.net/ATServicesRest.
#pragma once

#include "connectors/connector.h"

namespace switchyard::connectors::autotask {

// ApiIntegrationCode, UserName, Secret: Autotask's three static auth headers.
http::Headers auth_headers(const Tenant& tenant);

// Canonical type → Autotask entity ("ticket" → "Tickets").
std::string_view entity_of(std::string_view canonical_type);

// The Autotask ids of a ticket's picklist fields, as resolved for a command (labels and mapped
// values need the PSA's picklist; see picklists.h).
struct TicketPicklistIds {
  std::optional<std::string> priority;
  std::optional<std::string> status;
  std::optional<std::string> type;
};

// The JSON body Autotask expects to create a ticket for `upsert` (the outbound mapper).
// Tenant options fill what the command leaves out (company, queue, status, priority ids); a
// canonical priority without a resolved id takes its options.priority_<value> id.
Result<std::string> ticket_create_body(const Tenant& tenant, const TicketUpsert& upsert,
                                       const TicketPicklistIds& ids = {});
std::string ticket_update_body(const Tenant& tenant, std::string_view id, const TicketUpsert& upsert,
                               const TicketPicklistIds& ids = {});
// The reference a record without externalID carries so a retry can find it: "sy:<external_ref>",
// or "sy:h:<hash>" when that would exceed the 50 characters of the fields used for it
// (ContractCharges.internalPurchaseOrderNumber, ConfigurationItems.referenceNumber).
std::string sy_reference(std::string_view external_ref);
inline std::string charge_reference(std::string_view external_ref) { return sy_reference(external_ref); }

// What a webhook's Fields leave out that map_record reads, in place of a merged copy of them:
// the record's id (outside Fields, and it wins over one inside) and, when Fields hold no
// readable change time, the envelope's time for that field.
struct RecordOverlay {
  std::string_view id;
  std::string_view changed_at_field;
  std::optional<std::string_view> changed_at;
};
Result<canonical::Record> map_record(std::string_view tenant_id, std::string_view canonical_type,
                                     simdjson::dom::object record, const MappingLookup& mappings = {},
                                     const RecordOverlay* overlay = nullptr);
// A webhook envelope's Fields (plus its id and event time) → canonical (webhook.cpp).
Result<canonical::Record> map_webhook(const Envelope& envelope, simdjson::dom::object body,
                                      const MappingLookup& mappings);
// A polled record's id as text, and its change version: lastActivityDate as RFC 3339 UTC with
// milliseconds, the same a webhook of that change yields (so both derive one idempotency key).
std::optional<std::string> record_id_text(simdjson::dom::object record);
std::optional<std::string> record_version(simdjson::dom::object record);

class AutotaskConnector final : public Connector {
 public:
  std::string_view name() const override { return "autotask"; }
  std::string_view display_name() const override { return "Autotask"; }
  std::span<const PsaReasonSteps> reason_steps() const override;
  // Autotask also reads with POST <entity>/query (docs/psa/autotask.md).
  bool is_read(const http::ClientRequest& request) const override;
  const ConnectorSpec& spec() const override;
  Status verify_webhook(const Tenant& tenant, const WebhookRequest& request) const override;
  Result<std::vector<Change>> decode_webhook(const Tenant& tenant, std::string_view body) const override;
  std::optional<WebhookSignal> webhook_signal(const Tenant& tenant, std::string_view body) const override;
  Result<Change> fetch_record(const Tenant& tenant, PsaHttp& http, std::string_view entity,
                              std::string_view id) const override;
  std::vector<std::string_view> fetchable_entities() const override;
  Result<WebhookRegistration> register_webhooks(const Tenant& tenant, PsaHttp& http,
                                                const std::string& callback_url) const override;
  Status unregister_webhooks(const Tenant& tenant, PsaHttp& http, const std::string& callback_url) const override;
  Result<PollResult> poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const override;
  Result<LabelTables> label_tables(const Tenant& tenant, PsaHttp& http) const override;
  WriteOutcome execute(const Tenant& tenant, const Command& command, PsaHttp& http, WriteMemo& memo) const override;
  Result<ConnectionReport> test_connection(const Tenant& tenant, PsaHttp& http) const override;
  Result<std::vector<LookupItem>> lookup(const Tenant& tenant, PsaHttp& http, const LookupQuery& query) const override;
  std::vector<std::string_view> supported_commands() const override {
    return {"ticket.upsert", "ticket.close", "billing_line.add", "ticket.note", "configuration.upsert"};
  }

 protected:
  Result<canonical::Record> map_to_canonical(const Envelope& envelope, simdjson::dom::parser& parser,
                                             const MappingLookup& mappings) const override;
};

}  // namespace switchyard::connectors::autotask
