// billing_line.add → a line item of a Syncro recurring invoice schedule
// (POST /schedules/{agreement_id}/add_line_item). Line items have no reference field, so the
// description ends with the line's marker and the schedule's lines are read for it first (after
// the write memo): a redelivered line is added once.
#include <cmath>

#include <simdjson.h>

#include "common/json_writer.h"
#include "connectors/marked_item.h"
#include "connectors/syncro/write_calls.h"
#include "connectors/syncro/writers.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::syncro {
namespace {

constexpr std::string_view kRecurringEdit = "Recurring Invoices - Edit";
constexpr size_t kNameBytes = 100;  // a short name; the whole text stays in the description

std::string line_marker(std::string_view external_ref) {
  std::string marker = "(sy-line ";
  marker.append(external_ref).append(")");
  return marker;
}

std::optional<std::string> marked_line(const http::ClientResponse& schedule, std::string_view marker) {
  simdjson::dom::parser parser;
  simdjson::dom::array lines;
  if (parser.parse(schedule.body)["schedule"]["lines"].get(lines) != simdjson::SUCCESS) return std::nullopt;
  return id_of_marked_item(lines, "description", marker);
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
  if (!is_numeric_id(cmd.agreement_id)) {
    std::string detail = "payload.agreement_id: \"";
    detail.append(cmd.agreement_id).append("\" is not a Syncro recurring invoice (schedule) id");
    return WriteOutcome::rejected(std::move(detail));
  }
  std::string path = "schedules/";
  path.append(cmd.agreement_id);
  const std::string marker = line_marker(cmd.external_ref);
  auto schedule = send(psa, t, "GET", path, "", "reading the recurring invoice", "Recurring Invoices - List");
  if (schedule.failure) return *schedule.failure;
  if (auto found = marked_line(*schedule.response, marker)) {
    memo.remember(t, "billing_line", cmd.external_ref, *found);
    return WriteOutcome::done(*found, false);
  }
  std::string description = cmd.description;
  description.append("\n\n").append(marker);
  JsonWriter w;
  w.begin_object()
      .field("name", first_bytes(cmd.description, kNameBytes))
      .field("description", description)
      .field("quantity", cmd.quantity);
  if (cmd.unit_price) w.field("retail_cents", static_cast<int64_t>(std::llround(*cmd.unit_price * 100)));
  if (cmd.product_id && is_numeric_id(*cmd.product_id)) {
    w.field("product_id", static_cast<int64_t>(std::stoll(*cmd.product_id)));
  }
  w.end_object();
  path.append("/add_line_item");
  auto call = send(psa, t, "POST", path, w.take(), "adding the recurring invoice line", kRecurringEdit);
  if (call.failure) return *call.failure;
  const auto id = member_id_of(*call.response, "schedule_line_item");
  if (!id) return WriteOutcome::retryable("Syncro added a line item but its answer has no id");
  memo.remember(t, "billing_line", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

}  // namespace switchyard::connectors::syncro
