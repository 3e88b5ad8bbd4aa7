#include "connectors/deleted_record.h"

namespace switchyard::connectors {
namespace {

// A company, contact or configuration says it is gone by being inactive.
template <typename T>
canonical::Record inactive(canonical::RecordBase base) {
  auto r = canonical::with_base<T>(std::move(base));
  r.active = false;
  return canonical::Record{std::move(r)};
}

}  // namespace

Result<canonical::Record> deleted_record(const Envelope& e, std::string_view psa, std::string_view collection) {
  using canonical::with_base;
  canonical::RecordBase base;
  base.tenant = e.tenant;
  base.source = canonical::SourceRef{std::string(psa), std::string(collection), e.entity_id};
  base.updated_at = e.received_at;  // the record's own time went with it
  if (e.entity == "ticket") {
    auto t = with_base<canonical::Ticket>(std::move(base));
    t.closed = true;
    return canonical::Record{std::move(t)};
  }
  if (e.entity == "company") return inactive<canonical::Company>(std::move(base));
  if (e.entity == "contact") return inactive<canonical::Contact>(std::move(base));
  if (e.entity == "configuration") return inactive<canonical::Configuration>(std::move(base));
  if (e.entity == "agreement") {
    auto a = with_base<canonical::Agreement>(std::move(base));
    a.cancelled = true;
    return canonical::Record{std::move(a)};
  }
  if (e.entity == "billing_line") return canonical::Record{with_base<canonical::BillingLine>(std::move(base))};
  return make_error("unsupported_entity", std::string(psa) + ": no mapping for a deleted \"" + e.entity + "\"");
}

}  // namespace switchyard::connectors
