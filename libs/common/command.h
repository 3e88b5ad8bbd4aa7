// Commands: what the vendor platform asks Switchyard to do in a tenant's PSA. They travel on
// the commands topic as JSON (docs/schemas/v1/command.schema.json) and dispatch executes
// them through the tenant's connector. `id` is the vendor's idempotency key: the same id
// delivered twice never makes a second write.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/result.h"

namespace switchyard {

// Create the ticket for external_ref, or update it when one already exists.
struct TicketUpsert {
  std::string external_ref;  // vendor's reference (alert id, ...), unique per tenant
  std::string title;
  std::optional<std::string> description;
  std::optional<std::string> priority;    // "low" | "medium" | "high" | "critical"
  std::optional<std::string> company_id;  // PSA company id; tenant default when unset
  std::optional<std::string> board_id;    // PSA board/queue id; tenant default when unset
  bool operator==(const TicketUpsert&) const = default;
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

using CommandPayload = std::variant<TicketUpsert, TicketClose, BillingLineAdd>;

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

// "ticket.upsert", "ticket.close", "billing_line.add".
std::string_view command_type(const Command& command);
// The Kafka key: commands about one external_ref stay in order on one partition.
std::string command_partition_key(const Command& command);

// {"command_version":1,"id":...,"tenant":...,"type":"ticket.upsert","issued_at":...,"payload":{...}}
std::string to_json(const Command& command);
// Validates type and payload; errors name the field ("payload.title: required").
// Rules beyond the field types:
//   - command_version, when present, must be 1 (absent means 1);
//   - an unknown type is error code "unknown_command_type", naming the known types;
//   - ticket.upsert: title 1..255 characters (Unicode code points); priority one of
//     low|medium|high|critical; company_id/board_id may be given as string or integer;
//   - billing_line.add: quantity > 0, unit_price >= 0, effective_date YYYY-MM-DD;
//   - external_ref, agreement_id and billing description must not be empty.
// Members this build does not know, at the top level or in the payload, are ignored, so a
// vendor can send fields a newer Switchyard understands without breaking this one.
// Other error codes: "invalid_json", "missing_field", "invalid_field".
Result<Command> command_from_json(std::string_view json);

}  // namespace switchyard
