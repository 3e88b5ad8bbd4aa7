#include "connectors/autotask/webhook_entities.h"

#include "common/time_format.h"
#include "connectors/autotask/fields.h"

namespace switchyard::connectors::autotask {

const std::vector<WebhookEntity>& webhook_entities() {
  // The fields are what the mapper reads, so a callout carries the whole mapped record. Field
  // names from the entities' REST models (docs/psa/autotask.md#4-webhooks).
  static const std::vector<WebhookEntity> kEntities = {
      {"ticket", "Ticket", "", "Tickets", "TicketWebhooks", "title", "lastActivityDate",
       {"title", "description", "status", "priority", "queueID", "companyID", "contactID", "externalID", "ticketType",
        "issueType", "subIssueType", "source", "ticketNumber", "createDate", "completedDate", "lastActivityDate"}},
      {"company", "Company", "Account", "Companies", "CompanyWebhooks", "companyName", "lastActivityDate",
       {"companyName", "companyNumber", "companyType", "isActive", "phone", "webAddress", "address1", "address2", "city",
        "state", "postalCode", "countryID", "parentCompanyID", "lastActivityDate"}},
      {"contact", "Contact", "", "Contacts", "ContactWebhooks", "lastName", "lastModifiedDate",
       {"firstName", "lastName", "emailAddress", "phone", "mobilePhone", "title", "companyID", "isActive", "externalID",
        "lastModifiedDate"}},
      {"configuration", "ConfigurationItem", "InstalledProduct", "ConfigurationItems", "ConfigurationItemWebhooks",
       "referenceTitle", "lastModifiedTime",
       {"referenceTitle", "referenceNumber", "serialNumber", "configurationItemType", "productID", "companyID",
        "contactID", "isActive", "installDate", "warrantyExpirationDate", "lastModifiedTime"}},
  };
  return kEntities;
}

const WebhookEntity* webhook_entity_by_payload(std::string_view entity_type) {
  for (const auto& e : webhook_entities()) {
    if (entity_type == e.payload_name || (!e.legacy_name.empty() && entity_type == e.legacy_name)) return &e;
  }
  return nullptr;
}

const WebhookEntity* webhook_entity_by_type(std::string_view canonical_type) {
  for (const auto& e : webhook_entities()) {
    if (canonical_type == e.type) return &e;
  }
  return nullptr;
}

std::optional<std::string> change_version(const WebhookEntity& entity, simdjson::dom::object fields) {
  auto text = text_of(fields, entity.changed_at);
  if (!text) return std::nullopt;
  auto parsed = parse_rfc3339(*text);
  return parsed ? std::optional<std::string>(format_rfc3339_utc(*parsed)) : std::nullopt;
}

}  // namespace switchyard::connectors::autotask
