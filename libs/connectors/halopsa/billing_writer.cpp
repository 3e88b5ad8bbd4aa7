// billing_line.add → a line of a HaloPSA recurring invoice (POST /RecurringInvoice/Lines with a
// JSON array of InvoiceDetail; agreement_id is the recurring invoice's id, the line's ihid).
// A line carries "sy-line:<external_ref>" in item_external_reference, and the invoice's lines
// (GET /RecurringInvoice/{id}?includedetails=true) are read for it first (after the write
// memo): a redelivered line is added once.
#include <simdjson.h>

#include "common/json_writer.h"
#include "connectors/halopsa/write_calls.h"
#include "connectors/halopsa/writers.h"

namespace switchyard::connectors::halopsa {
namespace {

constexpr std::string_view kRecurringEdit = "Recurring Invoices (edit)";
constexpr size_t kShortBytes = 100;  // a short description; the whole text stays in the long one
constexpr size_t kMaxInvoiceAnswer = 16 * 1024 * 1024;

std::string line_reference(std::string_view external_ref) {
  std::string reference = "sy-line:";
  reference.append(external_ref);
  return reference;
}

std::optional<std::string> marked_line(const http::ClientResponse& invoice, std::string_view reference) {
  simdjson::dom::parser parser;
  simdjson::dom::array lines;
  if (invoice.body.size() > kMaxInvoiceAnswer || parser.parse(invoice.body)["lines"].get(lines) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  for (simdjson::dom::element line : lines) {
    std::string_view stamped;
    int64_t id = 0;
    if (line["item_external_reference"].get(stamped) == simdjson::SUCCESS && stamped == reference &&
        line["id"].get(id) == simdjson::SUCCESS) {
      return std::to_string(id);
    }
  }
  return std::nullopt;
}

// The first bytes of `text` up to `n`, not cutting a UTF-8 character.
std::string first_bytes(std::string_view text, size_t n) {
  if (text.size() <= n) return std::string(text);
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return std::string(text.substr(0, n));
}

}  // namespace

WriteOutcome add_billing_line(const Tenant& t, const BillingLineAdd& cmd, PsaHttp& psa, WriteMemo& memo) {
  if (auto id = memo.lookup(t, "billing_line", cmd.external_ref)) return WriteOutcome::done(*id, false);
  const auto invoice_id = halo_id(cmd.agreement_id);
  if (!invoice_id) {
    std::string detail = "payload.agreement_id: \"";
    detail.append(cmd.agreement_id).append("\" is not a HaloPSA recurring invoice id");
    return WriteOutcome::rejected(std::move(detail));
  }
  std::string path = "RecurringInvoice/";
  path.append(cmd.agreement_id).append("?includedetails=true");
  const std::string reference = line_reference(cmd.external_ref);
  auto invoice = send(psa, t, "GET", path, "", "reading the recurring invoice", "Recurring Invoices (read)");
  if (invoice.failure) return *invoice.failure;
  if (auto found = marked_line(*invoice.response, reference)) {
    memo.remember(t, "billing_line", cmd.external_ref, *found);
    return WriteOutcome::done(*found, false);
  }
  JsonWriter w;
  w.begin_array().begin_object()
      .field("ihid", *invoice_id)
      .field("item_shortdescription", first_bytes(cmd.description, kShortBytes))
      .field("item_longdescription", cmd.description)
      .field("qty_order", cmd.quantity)
      .field("item_external_reference", reference);
  if (cmd.unit_price) w.field("unit_price", *cmd.unit_price);
  if (cmd.product_id) {
    if (auto item = halo_id(*cmd.product_id)) w.field("_itemid", *item);
  }
  if (cmd.effective_date) w.field("startdate", *cmd.effective_date);
  w.end_object().end_array();
  auto call = send(psa, t, "POST", "RecurringInvoice/Lines", w.take(), "adding the recurring invoice line",
                   kRecurringEdit);
  if (call.failure) return *call.failure;
  const auto id = written_id(*call.response);
  if (!id) return WriteOutcome::retryable("HaloPSA added a recurring invoice line but its answer has no id");
  memo.remember(t, "billing_line", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

}  // namespace switchyard::connectors::halopsa
