// The erasure event (canonical schema v1.3, docs/schema.md "Erasure"): a person was erased from
// Switchyard at a partner's request (GDPR Article 17), so every consumer of the canonical topic
// deletes its own copies. It carries as little personal data as lets a consumer act:
//   - the PSA's contact id, when the request named one (consumers already key contacts by it);
//   - the SHA-256 of the lower-cased e-mail, when the request named one: a consumer hashes the
//     e-mails it holds the same way to find them, and the e-mail itself is never published again.
// Keyed like the contact's own events, "tenant/contact/<id>", so it follows them in order; without
// a contact id, "tenant/erasure/<erasure id>".
#pragma once

#include <string>
#include <vector>

#include "common/kafka_producer.h"

namespace switchyard {

inline constexpr std::string_view kErasureType = "erasure";
inline constexpr std::string_view kErasureAction = "erased";
inline constexpr std::string_view kErasureOrigin = "request";

struct ErasureEvent {
  std::string tenant;
  std::string psa;           // the tenant's connector name
  std::string erasure_id;    // "er-<16 hex>", also in the audit record and the answer
  std::string requested_at;  // RFC 3339 UTC with milliseconds
  std::string contact_id;    // "" when the request named none
  std::string email_sha256;  // hex; "" when the request named no e-mail
};

// SHA-256 (hex) of an e-mail as the event carries it: trimmed and lower-cased first.
std::string email_sha256(std::string_view email);

std::string erasure_event_key(const ErasureEvent& event);
// {"schema","schema_version","type":"erasure","event_id","action":"erased","observed_at",
//  "origin":"request","record":{"tenant","psa","erasure_id","requested_at","contact_id"?,"email_sha256"?}}
std::string to_json(const ErasureEvent& event);
// sy-tenant, sy-type, sy-schema: the headers of every canonical event.
std::vector<KafkaHeader> erasure_event_headers(const ErasureEvent& event);

}  // namespace switchyard
