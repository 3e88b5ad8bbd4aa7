#include "common/erasure_event.h"

#include <algorithm>
#include <cctype>

#include "common/canonical.h"
#include "common/crypto.h"
#include "common/json_writer.h"

namespace switchyard {

std::string email_sha256(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) email.remove_prefix(1);
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) email.remove_suffix(1);
  std::string lower(email);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return crypto::sha256_hex(lower);
}

std::string erasure_event_key(const ErasureEvent& event) {
  if (!event.contact_id.empty()) return event.tenant + "/contact/" + event.contact_id;
  return event.tenant + "/" + std::string(kErasureType) + "/" + event.erasure_id;
}

std::string to_json(const ErasureEvent& event) {
  JsonWriter w;
  w.begin_object()
      .field("schema", canonical::kSchemaId)
      .field("schema_version", canonical::kSchemaRelease)
      .field("type", kErasureType)
      .field("event_id", "erasure:" + event.tenant + ":" + event.erasure_id)
      .field("action", kErasureAction)
      .field("observed_at", event.requested_at)
      .field("origin", kErasureOrigin)
      .key("record")
      .begin_object()
      .field("tenant", event.tenant)
      .field("psa", event.psa)
      .field("erasure_id", event.erasure_id)
      .field("requested_at", event.requested_at);
  if (!event.contact_id.empty()) w.field("contact_id", event.contact_id);
  if (!event.email_sha256.empty()) w.field("email_sha256", event.email_sha256);
  w.end_object().end_object();
  return w.take();
}

std::vector<KafkaHeader> erasure_event_headers(const ErasureEvent& event) {
  return {{"sy-tenant", event.tenant}, {"sy-type", std::string(kErasureType)}, {"sy-schema", std::string(canonical::kSchemaId)}};
}

}  // namespace switchyard
