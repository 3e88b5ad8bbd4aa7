#include "ingest/change_envelopes.h"

#include "common/idempotency.h"
#include "common/time_format.h"
#include "common/trace.h"

namespace switchyard::ingest {

std::vector<Envelope> to_envelopes(const Tenant& tenant, std::vector<connectors::Change>&& changes,
                                   std::string_view source, std::string_view resync_id,
                                   std::string_view trace_id) {
  const std::string received_at = now_rfc3339();
  std::vector<Envelope> out;
  out.reserve(changes.size());
  for (auto& c : changes) {
    Envelope e;
    e.tenant = tenant.id;
    e.psa = tenant.psa;
    e.entity = std::move(c.entity);
    e.entity_id = std::move(c.entity_id);
    e.action = std::move(c.action);
    e.source = std::string(source);
    e.received_at = received_at;
    // A resync's copy has a version of its own, "<resync id>/<version>": never the poll's or
    // webhook's key, and the same for every read within the resync (a resumed one too). The
    // id ("rs-" + hex) has no '/', and no PSA version starts like that.
    std::string version = c.version;
    if (!resync_id.empty()) {
      version = resync_id;
      version += '/';
      version += c.version;
    }
    e.idempotency_key = derive_idempotency_key({e.tenant, e.psa, e.entity, e.entity_id, version});
    e.body = std::move(c.body);
    e.body_is_json = c.body_is_json && embeds_as_json(e.body);  // envelope version 2
    e.trace_id = trace_id.empty() ? new_trace_id() : std::string(trace_id);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace switchyard::ingest
