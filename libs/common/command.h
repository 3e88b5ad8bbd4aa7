// Commands: what the vendor platform asks Switchyard to do in a tenant's PSA. They travel on
// the commands topic as JSON (docs/schemas/v1/command.schema.json) and dispatch executes
// them through the tenant's connector. `id` is the vendor's idempotency key: the same id
// delivered twice never makes a second write.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "common/field_choice.h"
#include "common/result.h"

namespace switchyard {

// Create the ticket for external_ref, or update it when one already exists.
struct TicketUpsert {
  std::string external_ref;  // vendor's reference (alert id, ...), unique per tenant
  std::string title;
  std::optional<std::string> description;
  // Canonical "low" | "medium" | "high" | "critical" (the v1 form), or a PSA label or id.
  std::optional<FieldChoice> priority;
  std::optional<std::string> company_id;  // PSA company id; tenant default when unset
  std::optional<std::string> board_id;    // PSA board/queue id; tenant default when unset
  // Added in v1 (optional): canonical values go through the tenant's "status" and
  // "ticket_type" mappings; a PSA label or id is used without them.
  // (Default-initialised, so code that lists only the v1.0 members stays warning-free.)
  std::optional<FieldChoice> status{};
  std::optional<FieldChoice> type{};
  std::optional<std::string> contact_id{};  // PSA contact id
  bool operator==(const TicketUpsert&) const = default;
};

// A note on the ticket of external_ref. note_ref identifies the note (unique per ticket), so a
// redelivered note is found at the PSA and never added twice.
struct TicketNoteAdd {
  enum class Visibility { Internal, Public };
  std::string external_ref;  // the ticket's (also the Kafka key: ordered with its upserts)
  std::string note_ref;      // 1..128 of [A-Za-z0-9._:-]
  std::string text;          // 1..8000 characters
  Visibility visibility = Visibility::Internal;
  bool operator==(const TicketNoteAdd&) const = default;
};

// A device or asset (a PSA configuration item), created for external_ref or updated when one
// already exists.
struct ConfigurationUpsert {
  struct VendorLink {
    std::string id;                  // the device on the vendor platform
    std::optional<std::string> url;  // http(s) link to it
    bool operator==(const VendorLink&) const = default;
  };
  std::string external_ref;  // the device's reference, unique per tenant
  std::string name;          // 1..200 characters
  std::optional<std::string> company_id;     // PSA company id; tenant default when unset
  std::optional<FieldChoice> type;           // through the tenant's "configuration_type" mapping
  std::optional<std::string> serial_number;  // 1..100 characters
  std::optional<std::string> purchase_date;         // YYYY-MM-DD
  std::optional<std::string> install_date;          // YYYY-MM-DD
  std::optional<std::string> warranty_expiry_date;  // YYYY-MM-DD
  std::optional<std::string> last_seen_at;          // RFC 3339
  std::optional<VendorLink> vendor_ref;
  bool operator==(const ConfigurationUpsert&) const = default;
};

struct TicketClose {
  std::string external_ref;
  std::optional<std::string> resolution;
  bool operator==(const TicketClose&) const = default;
};

struct BillingLineAdd {
  std::string external_ref;  // unique per tenant: the usage record's id
  std::string agreement_id;  // PSA agreement/contract id
  std::string description;
  double quantity = 0;
  std::optional<double> unit_price;
  std::optional<std::string> product_id;
  std::optional<std::string> effective_date;  // YYYY-MM-DD
  bool operator==(const BillingLineAdd&) const = default;
};

using CommandPayload = std::variant<TicketUpsert, TicketClose, BillingLineAdd, TicketNoteAdd, ConfigurationUpsert>;

inline constexpr int64_t kCommandVersion = 1;

struct Command {
  // Vendor-chosen, unique per tenant (idempotency key): 1..128 characters of
  // [A-Za-z0-9._:-], so it is safe in Redis keys, logs and PSA reference fields.
  std::string id;
  // Switchyard tenant id: 1..64 characters of [a-z0-9_-], the same id the tenant config uses.
  std::string tenant;
  // RFC 3339; set by ingest when the vendor leaves it out. Kept exactly as sent (not
  // re-formatted) and omitted from to_json while empty.
  std::string issued_at;
  CommandPayload payload;
  bool operator==(const Command&) const = default;
};

// "ticket.upsert", "ticket.close", "billing_line.add", "ticket.note", "configuration.upsert".
std::string_view command_type(const Command& command);
// Every type above (recipes, common/recipe.h, have their own).
std::span<const std::string_view> command_types();
// The Kafka key: commands about one external_ref stay in order on one partition (a note's is
// its ticket's external_ref, so a note follows the upsert that made the ticket).
std::string command_partition_key(const Command& command);

// {"command_version":1,"id":...,"tenant":...,"type":"ticket.upsert","issued_at":...,"payload":{...}}
std::string to_json(const Command& command);
// Validates type and payload; errors name the field ("payload.title: required").
// Rules beyond the field types:
//   - command_version, when present, must be 1 (absent means 1);
//   - an unknown type is error code "unknown_command_type", naming the known types;
//   - ticket.upsert: title 1..255 characters (Unicode code points); priority one of
//     low|medium|high|critical, status and type 1..64 of [a-z0-9_-] (mapping keys), each or
//     {"label": 1..100 characters} or {"id": ...}; company_id/board_id/contact_id may be given
//     as string or integer;
//   - ticket.note: note_ref 1..128 of [A-Za-z0-9._:-]; text 1..8000 characters; visibility
//     internal|public (internal when absent);
//   - configuration.upsert: name 1..200 characters, serial_number 1..100, dates YYYY-MM-DD,
//     last_seen_at RFC 3339, vendor_ref {id 1..128, url http(s) up to 2048};
//   - billing_line.add: quantity > 0, unit_price >= 0, effective_date YYYY-MM-DD;
//   - external_ref, agreement_id and billing description must not be empty; an external_ref
//     of the new types is at most 255 characters.
// Members this build does not know, at the top level or in the payload, are ignored, so a
// vendor can send fields a newer Switchyard understands without breaking this one.
// Other error codes: "invalid_json", "missing_field", "invalid_field".
Result<Command> command_from_json(std::string_view json);

}  // namespace switchyard
