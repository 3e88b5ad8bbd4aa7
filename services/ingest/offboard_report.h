// What one offboarding did (docs/runbooks.md#offboarding-a-tenant): the answer's JSON and the
// audit record's details. Counts and codes only: never a key's content.
#pragma once

#include <string>

#include "common/tenant_key_removal.h"

namespace switchyard::ingest {

struct WebhookRemoval {
  // "unregistered": the connector removed what Switchyard had registered; "none_registered":
  // nothing was registered through the API (or an earlier run removed it), so no PSA was called;
  // "not_supported": the PSA's webhooks are set up by the partner; "skipped": they could not be
  // looked for (reason says why); "failed": the PSA refused or could not be reached.
  std::string outcome;
  std::string reason;   // a code, for skipped and failed
  std::string message;  // plain words, for everything but unregistered
  bool done() const { return outcome != "failed"; }
};

struct OffboardReport {
  std::string tenant;
  bool configured = false;  // still in the tenants file (then paused)
  WebhookRemoval webhooks;
  TenantKeyRemoval keys;

  // ok when the keys are gone and the webhooks are as far as Switchyard can take them; failed
  // when the PSA refused to remove a webhook (the keys are gone all the same).
  std::string outcome() const { return webhooks.done() ? "ok" : "failed"; }
  // {"tenant","configured","outcome","webhooks":{...},"keys_removed","removed":{family: n},
  //  "not_removed":[{"what","why"}]}
  std::string to_json() const;
  // {"configured","webhooks","keys_removed","removed":{...}}: AuditRecord::details_json.
  std::string audit_details() const;
};

}  // namespace switchyard::ingest
