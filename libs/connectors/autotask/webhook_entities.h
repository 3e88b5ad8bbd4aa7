// The Autotask entities Switchyard takes webhooks for, and what it knows of each: the names in a
// payload and in URLs, the field whose presence tells a whole record from a partial one, the
// change time that versions a change, and the fields a registered webhook sends
// (docs/psa/autotask.md#4-webhooks).
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::connectors::autotask {

struct WebhookEntity {
  std::string_view type;            // canonical: "ticket"
  std::string_view payload_name;    // EntityType in a payload: "Ticket"
  std::string_view legacy_name;     // the SOAP-era name some payloads carry ("Account"), or ""
  std::string_view rest_name;       // REST entity: "Tickets"
  std::string_view webhooks_name;   // its webhook entity: "TicketWebhooks"
  std::string_view identifying;     // a field every whole record has: absent = partial payload
  std::string_view changed_at;      // the change time: the change's version
  std::vector<std::string_view> fields;  // sent with every callout (subscribed, display always)
};

const std::vector<WebhookEntity>& webhook_entities();
// By payload EntityType (current or legacy name) or canonical type; nullptr when not handled.
const WebhookEntity* webhook_entity_by_payload(std::string_view entity_type);
const WebhookEntity* webhook_entity_by_type(std::string_view canonical_type);
// The change's version: the entity's change time (`changed_at`) as RFC 3339 UTC with
// milliseconds, as a poll of the record derives it (fields.h version_of).
std::optional<std::string> change_version(const WebhookEntity& entity, simdjson::dom::object fields);

}  // namespace switchyard::connectors::autotask
