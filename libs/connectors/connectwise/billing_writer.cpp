// billing_line.add → an addition on the ConnectWise agreement. Additions have no external
// reference field, so the internal description ends with a marker naming external_ref and the
// customer-facing invoice description carries the vendor's text alone; before adding, the
// agreement's additions are searched for the marker, so a retry never bills twice.
#include "common/json_writer.h"
#include "connectors/connectwise/write_calls.h"
#include "connectors/connectwise/writers.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr std::string_view kAgreementsGrant = "Finance › Agreements";

std::string marker_of(std::string_view ref) { return "(sy-ref " + std::string(ref) + ")"; }

}  // namespace

WriteOutcome add_billing_line(const Tenant& t, const BillingLineAdd& cmd, PsaHttp& psa, WriteMemo& memo) {
  if (auto id = memo.lookup(t, "billing_line", cmd.external_ref)) return WriteOutcome::done(*id, false);
  const std::string product = cmd.product_id.value_or(option_or(t, "default_product_id"));
  if (product.empty()) {
    return WriteOutcome::rejected("a ConnectWise agreement addition needs a product: send product_id, or set "
                                  "options.default_product_id for the tenant");
  }
  if (!is_numeric_id(cmd.agreement_id)) {
    return WriteOutcome::rejected("agreement_id \"" + cmd.agreement_id + "\" is not a ConnectWise agreement id");
  }
  const std::string path = "/finance/agreements/" + cmd.agreement_id + "/additions";
  const std::string marker = marker_of(cmd.external_ref);
  std::optional<WriteOutcome> failure;
  if (auto found = find_marked(psa, t, path, "description", marker,
                               {"looking for the agreement addition", kAgreementsGrant}, failure)) {
    memo.remember(t, "billing_line", cmd.external_ref, *found);
    return WriteOutcome::done(*found, false);
  }
  if (failure) return *failure;
  JsonWriter w;
  w.begin_object();
  w.key("product").begin_object();
  if (is_numeric_id(product)) {
    w.field("id", static_cast<int64_t>(std::stoll(product)));
  } else {
    w.field("identifier", product);  // a catalog item's identifier ("AV-SEAT")
  }
  w.end_object();
  w.field("quantity", cmd.quantity);
  if (cmd.unit_price) w.field("unitPrice", *cmd.unit_price);
  if (cmd.effective_date) w.field("effectiveDate", *cmd.effective_date + "T00:00:00Z");
  w.field("billCustomer", "Billable");
  w.field("description", cmd.description + " " + marker);
  w.field("invoiceDescription", cmd.description);
  w.end_object();
  auto call = send(psa, t, "POST", path, w.take(), {"adding the agreement addition", kAgreementsGrant});
  if (call.failure) return *call.failure;
  const auto id = id_of(*call.response);
  if (!id) return WriteOutcome::retryable("ConnectWise added an addition but its answer has no id");
  memo.remember(t, "billing_line", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

}  // namespace switchyard::connectors::connectwise
