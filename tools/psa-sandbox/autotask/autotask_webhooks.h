// Autotask webhooks in the sandbox: the *Webhooks entities (CompanyWebhooks, ContactWebhooks,
// TicketWebhooks, ConfigurationItemWebhooks) with their Fields children, whose fieldID picklist
// lists the parent entity's fields (labels are the REST field names), and the signed callouts
// Autotask posts: whole payloads (the registered fields, or every field when none is
// registered), partial ones (a changed field only), deletions and the "Deactivated" notice.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "psa-sandbox/autotask/autotask_fields.h"
#include "psa-sandbox/autotask/autotask_model.h"
#include "psa-sandbox/psa_api.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {

// `entities` plus the webhook entities and their Fields children.
std::vector<AtEntity> with_webhook_entities(std::vector<AtEntity> entities);
// The fields of a webhook entity or its Fields child; nullptr for any other entity.
const std::vector<AutotaskField>* at_webhook_fields(std::string_view entity);
// The webhook entity ("TicketWebhooks") of a record entity ("Tickets"), or empty.
std::string_view at_webhooks_of(std::string_view entity);

// The callout for `event` (entity "ticket" | "company" | "contact" | "configuration", or the
// REST name; action "created" | "updated" | "deleted" | "updated_partial" | "deactivated"),
// signed with the SecretKey of the entity's registered webhook, else the sandbox's
// webhook_secret.
Result<WebhookMessage> build_autotask_webhook(Store& store, const AutotaskCredentials& credentials,
                                              const WebhookEvent& event);

}  // namespace switchyard::sandbox
