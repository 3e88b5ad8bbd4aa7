#include "connectors/deleted_record.h"

namespace switchyard::connectors {

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
  if (e.entity == "company") {
    auto c = with_base<canonical::Company>(std::move(base));
    c.active = false;
    return canonical::Record{std::move(c)};
  }
  if (e.entity == "contact") {
    auto c = with_base<canonical::Contact>(std::move(base));
    c.active = false;
    return canonical::Record{std::move(c)};
  }
  if (e.entity == "agreement") {
    auto a = with_base<canonical::Agreement>(std::move(base));
    a.cancelled = true;
    return canonical::Record{std::move(a)};
  }
  if (e.entity == "configuration") {
    auto c = with_base<canonical::Configuration>(std::move(base));
    c.active = false;
    return canonical::Record{std::move(c)};
  }
  if (e.entity == "billing_line") return canonical::Record{with_base<canonical::BillingLine>(std::move(base))};
  return make_error("unsupported_entity", std::string(psa) + ": no mapping for a deleted \"" + e.entity + "\"");
}

}  // namespace switchyard::connectors
