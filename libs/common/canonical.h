// Canonical schema v1: the one shape every PSA's objects are mapped to. Consumers of the
// canonical topic rely on it, so changes are additive within v1 (see docs/schema.md and the
// JSON Schema files in docs/schemas/v1/). Every record carries tenant, source reference,
// updated_at and a custom-fields map; optional fields are omitted from JSON when unset.
// Fields added after v1.0 are all optional (arrays among them are omitted when empty), so an
// event written by an older v1.x still validates against the current schema files.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.h"

namespace switchyard::canonical {

inline constexpr std::string_view kSchemaVersion = "v1";
inline constexpr std::string_view kSchemaId = "switchyard.canonical/v1";
// The v1.x release this build writes, announced in every event as "schema_version". The schema
// id stays "switchyard.canonical/v1" for every v1.x: minor releases only add optional fields and
// new record types (v1.2: site; v1.3: the erasure event, common/erasure_event.h).
inline constexpr std::string_view kSchemaRelease = "1.3";

// What a company is to the MSP; mapped from the PSA's company types through the tenant's
// "company_classification" mapping (common/mappings.h).
inline constexpr std::array<std::string_view, 5> kCompanyClassifications = {"customer", "prospect", "vendor",
                                                                            "partner", "other"};

// Where a record came from: which PSA, which of its entities, and its id there.
struct SourceRef {
  std::string psa;     // connector name: "connectwise", "autotask", ...
  std::string entity;  // the PSA's own entity name: "service/tickets", "Tickets", ...
  std::string id;      // the PSA's id, as a string
  bool operator==(const SourceRef&) const = default;
};

// A reference to another record of the same PSA (ticket → company, ...).
struct Ref {
  std::string id;
  std::optional<std::string> name;
  bool operator==(const Ref&) const = default;
};

// A postal address as the PSA holds it; every part optional.
struct Address {
  std::vector<std::string> street_lines;  // address line 1, line 2, ... (non-empty lines only)
  std::optional<std::string> city;
  std::optional<std::string> region;       // state, province, county
  std::optional<std::string> postal_code;
  std::optional<std::string> country;      // as the PSA names it (a name, or its country id)
  bool empty() const { return street_lines.empty() && !city && !region && !postal_code && !country; }
  bool operator==(const Address&) const = default;
};

// The vendor platform's own identity of a device, so a consumer can link back to it.
struct VendorRef {
  std::string id;
  std::optional<std::string> url;
  bool operator==(const VendorRef&) const = default;
};

// Custom field values keep their JSON type.
using CustomValue = std::variant<std::nullptr_t, bool, double, std::string>;

struct RecordBase {
  std::string tenant;
  SourceRef source;
  std::string updated_at;  // RFC 3339 UTC, e.g. "2026-11-25T10:00:00Z"
  std::map<std::string, CustomValue> custom_fields;
  bool operator==(const RecordBase&) const = default;
};

// A record of type T carrying `base` (what every mapper reads first), the rest default.
template <typename T>
T with_base(RecordBase base) {
  T record;
  static_cast<RecordBase&>(record) = std::move(base);
  return record;
}

struct Company : RecordBase {
  std::string name;
  std::optional<std::string> identifier;  // short code (ConnectWise identifier, Autotask companyNumber)
  std::optional<std::string> status;      // PSA status name, e.g. "Active"
  bool active = true;
  std::vector<std::string> types;         // "Client", "Prospect", "Vendor", ...
  std::optional<std::string> website;
  std::optional<std::string> phone;
  std::optional<Ref> parent;
  // v1.1
  std::optional<std::string> status_id;        // the PSA's id of `status`
  std::vector<std::string> type_ids;           // the PSA's ids of `types`, same order
  std::vector<Address> addresses;              // main address first
  std::vector<std::string> emails;
  std::optional<std::string> classification;  // one of kCompanyClassifications
  bool operator==(const Company&) const = default;
};

struct Contact : RecordBase {
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<Ref> company;
  std::vector<std::string> emails;
  std::vector<std::string> phones;
  bool active = true;
  bool operator==(const Contact&) const = default;
};

struct Ticket : RecordBase {
  std::string title;
  std::optional<std::string> description;
  std::optional<std::string> status;    // PSA status name
  std::optional<std::string> priority;  // PSA priority name
  std::optional<Ref> board;             // board / queue / team
  std::optional<Ref> company;
  std::optional<Ref> contact;
  std::optional<std::string> external_ref;  // the vendor's reference, when the ticket came from a command
  bool closed = false;
  std::optional<std::string> created_at;  // RFC 3339 UTC, like updated_at
  std::optional<std::string> closed_at;   // RFC 3339 UTC
  // v1.1
  std::optional<std::string> status_id;    // the PSA's id of `status`
  std::optional<std::string> priority_id;  // the PSA's id of `priority`
  std::optional<std::string> type;         // PSA ticket type name
  std::optional<std::string> type_id;
  std::optional<std::string> subtype;      // PSA ticket sub-type name (ConnectWise subType, Autotask subIssueType)
  std::optional<std::string> subtype_id;
  std::optional<std::string> issue_type;     // what the ticket is about (Autotask issueType), a name
  std::optional<std::string> issue_type_id;
  // How the ticket reached the MSP ("Phone", "Email", "Monitoring Alert"); `source` is the record's origin.
  std::optional<std::string> channel;
  std::optional<std::string> channel_id;
  bool operator==(const Ticket&) const = default;
};

struct Agreement : RecordBase {
  std::string name;
  std::optional<std::string> type;
  std::optional<Ref> company;
  std::optional<std::string> status;  // "Active", "Cancelled", "Expired", ...
  std::optional<std::string> start_date;  // YYYY-MM-DD
  std::optional<std::string> end_date;    // YYYY-MM-DD
  std::optional<double> bill_amount;
  std::optional<std::string> billing_cycle;
  // v1.1
  std::optional<std::string> type_id;
  std::optional<std::string> status_id;
  std::optional<std::string> billing_cycle_id;
  std::optional<Ref> vendor;                   // as the PSA records it; never a default
  std::optional<bool> recurring;
  std::optional<bool> cancelled;
  std::optional<std::string> currency;         // ISO 4217 code when the PSA gives one
  std::optional<std::string> billing_period;   // billing_period_name() of billing_cycle
  std::optional<double> monthly_amount;        // common/billing_period.h monthly_amount()
  bool operator==(const Agreement&) const = default;
};

struct BillingLine : RecordBase {
  std::optional<Ref> agreement;
  std::string description;
  std::optional<std::string> product;
  double quantity = 0;
  std::optional<double> unit_price;
  std::optional<double> unit_cost;
  std::optional<std::string> effective_date;  // YYYY-MM-DD
  bool billable = true;
  bool operator==(const BillingLine&) const = default;
};

struct Configuration : RecordBase {
  std::string name;
  std::optional<std::string> type;
  std::optional<Ref> company;
  std::optional<std::string> serial_number;
  std::optional<std::string> status;
  bool active = true;
  // v1.1
  std::optional<std::string> type_id;
  std::optional<std::string> status_id;
  std::optional<std::string> purchase_date;         // YYYY-MM-DD
  std::optional<std::string> warranty_expiry_date;  // YYYY-MM-DD
  std::optional<std::string> last_seen_at;          // RFC 3339 UTC
  std::optional<VendorRef> vendor_ref;
  bool operator==(const Configuration&) const = default;
};

// v1.1: a note on a ticket.
struct TicketNote : RecordBase {
  std::optional<Ref> ticket;
  std::string text;
  bool internal = false;  // true: visible to the MSP only; false: public (the customer sees it)
  std::optional<std::string> created_at;  // RFC 3339 UTC
  std::optional<Ref> author;
  bool operator==(const TicketNote&) const = default;
};

// v1.1: a company entering or leaving a sync policy's scope (docs/sync-policies.md), so the
// vendor can link or unlink it. Its source is the company's.
struct ScopeChange : RecordBase {
  Ref company;             // the company's id (and name when known)
  std::string policy;      // "active_customers" | "active_customer_agreements"
  bool in_scope = false;
  std::string reason;      // why: "entered", or why it left: "not_customer", "inactive", "no_agreement", "no_contact", "deleted"
  bool operator==(const ScopeChange&) const = default;
};

// v1.1: audIT's monthly recurring revenue of one company in one currency.
struct MrrAmount {
  std::optional<std::string> currency;  // ISO 4217 code as the PSA states it; unset when it states none
  double monthly = 0;                   // sum of the counted agreements' monthly amounts
  int agreements = 0;                   // how many agreements count toward it
  bool operator==(const MrrAmount&) const = default;
};

// v1.1: one agreement in force as the agreements policy syncs it (Channel Program: vendor,
// contract name, overall cost).
struct SummaryAgreement {
  Ref agreement;                        // its id and name
  std::string vendor;                   // the agreement's own, else "MSP Managed Services"
  std::optional<double> cost;           // bill_amount: the overall cost per billing period
  std::optional<double> monthly;        // monthly_amount
  std::optional<std::string> currency;
  bool recurring = false;
  bool operator==(const SummaryAgreement&) const = default;
};

// v1.1: what the partner guides display for a company, recomputed whenever the company, one of
// its agreements or its contacts change. Its source is the company's.
struct CompanySummary : RecordBase {
  Ref company;
  int contact_count = 0;
  int active_recurring_agreements = 0;  // agreements in force today that recur
  std::vector<MrrAmount> mrr;           // one entry per currency; empty when nothing counts
  std::vector<SummaryAgreement> agreements;  // the agreements in force; empty when none
  bool operator==(const CompanySummary&) const = default;
};

// v1.2: a location of a company (an office, a branch), as the PSA keeps it.
struct Site : RecordBase {
  std::string name;
  std::optional<Ref> company;
  bool main = false;                // the company's main (head office) site
  std::vector<Address> addresses;   // as the PSA orders them; omitted from JSON when empty
  std::optional<std::string> phone;
  bool active = true;
  bool operator==(const Site&) const = default;
};

// New alternatives go last: type_name() indexes kTypeNames by the variant index.
using Record = std::variant<Company, Contact, Ticket, Agreement, BillingLine, Configuration, TicketNote, ScopeChange,
                            CompanySummary, Site>;

// "company", "contact", "ticket", "agreement", "billing_line", "configuration", "ticket_note",
// "scope_change", "company_summary", "site".
std::string_view type_name(const Record& record);
const RecordBase& base_of(const Record& record);

enum class Action { Upserted, Deleted };
std::string_view action_name(Action action);

// One message on the canonical topic.
struct Event {
  std::string event_id;         // = the idempotency key of the raw event it came from
  Action action = Action::Upserted;
  std::string observed_at;      // when ingest received the change (RFC 3339 UTC)
  std::string origin;           // "webhook" or "poll"
  Record record;
  // v1.1: the vendor command whose write to the PSA caused this change (an echo), when known.
  std::optional<std::string> caused_by_command;
  // v1.1: why a sync policy emitted it: "new", "changed", "reactivated", "entered",
  // "first_agreement", "resync", "recompute". Unset when the tenant syncs everything.
  std::optional<std::string> trigger;
  bool operator==(const Event&) const = default;
};

// {"schema":"switchyard.canonical/v1","schema_version":"1.3","type":"ticket","event_id":...,"action":"upserted",
//  "observed_at":...,"origin":"webhook",["caused_by_command":...,"trigger":...,]"record":{...}}
std::string to_json(const Event& event);
// Parses and validates a canonical event; errors name the offending field
// ("record.source.id: required"). Members this build does not know are ignored, so a
// consumer keeps working when a later v1.x adds optional fields.
Result<Event> event_from_json(std::string_view json);

}  // namespace switchyard::canonical
