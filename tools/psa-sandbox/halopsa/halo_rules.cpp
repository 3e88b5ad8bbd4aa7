#include "psa-sandbox/halopsa/halo_rules.h"

#include "psa-sandbox/halopsa/halo_api.h"

namespace switchyard::sandbox::halopsa {
namespace {

// The id in `field` of `record`, when it is a positive integer.
std::optional<int64_t> id_in(const Value& record, std::string_view field) {
  const Value* v = record.find(field);
  if (!v || !v->is_int() || v->as_int() < 1) return std::nullopt;
  return v->as_int();
}

bool has_text(const Value& record, std::string_view field) {
  const Value* v = record.find(field);
  return v && v->is_string() && !v->as_string().empty();
}

std::optional<http::Response> check_ticket(Value& record, bool creates, Store& store) {
  if (creates && !has_text(record, "summary")) return halo_error(400, "summary is required");
  if (record.find("client_id")) {
    const auto client = id_in(record, "client_id");
    if (!client || !store.find("halopsa/Client", *client)) return halo_error(400, "client_id is not a client");
  }
  if (creates && !record.find("status_id")) record.set("status_id", int64_t{1});
  return std::nullopt;
}

std::optional<http::Response> check_asset(const Value& record, bool creates, Store& store) {
  if (!creates) return std::nullopt;
  const auto client = id_in(record, "client_id");
  if (!client || !store.find("halopsa/Client", *client)) return halo_error(400, "client_id is not a client");
  if (!id_in(record, "assettype_id")) return halo_error(400, "assettype_id is required");
  return std::nullopt;
}

std::optional<http::Response> check_action(Value& record, bool creates) {
  if (!creates) return std::nullopt;
  if (!id_in(record, "ticket_id")) return halo_error(400, "ticket_id is required");
  if (!record.find("hiddenfromuser")) record.set("hiddenfromuser", false);
  return std::nullopt;
}

}  // namespace

std::optional<http::Response> check_write(const HaloResource& resource, Value& record, bool creates, Store& store) {
  if (resource.path == "Tickets") return check_ticket(record, creates, store);
  if (resource.path == "Asset") return check_asset(record, creates, store);
  if (resource.path == "Actions") {
    if (auto refused = check_action(record, creates)) return refused;
    if (const auto ticket = id_in(record, "ticket_id"); ticket && !store.find("halopsa/Tickets", *ticket)) {
      return halo_error(404, "Tickets " + std::to_string(*ticket) + " not found");
    }
  }
  if (resource.path == "RecurringInvoice/Lines" && creates) {
    const auto invoice = id_in(record, "ihid");
    if (!invoice || !store.find("halopsa/RecurringInvoice", *invoice)) {
      return halo_error(400, "ihid is not a recurring invoice");
    }
  }
  return std::nullopt;
}

void after_write(const HaloResource& resource, const Value& record, Store& store) {
  if (resource.path != "Actions") return;
  const auto status = id_in(record, "new_status");
  const auto ticket_id = id_in(record, "ticket_id");
  if (!status || !ticket_id) return;
  Value* ticket = store.find("halopsa/Tickets", *ticket_id);
  if (!ticket) return;
  ticket->set("status_id", *status);
  if (*status == kClosedStatus) {
    ticket->set("status_name", "Closed");
    ticket->set("dateclosed", halo_now());
  }
  ticket->set("last_update", halo_now());
}

Value with_details(const HaloResource& resource, const Value& record, bool include_details, Store& store) {
  if (resource.path != "RecurringInvoice" || !include_details) return record;
  Value answer = record;
  Value::Array lines;
  const auto id = id_in(record, "id");
  for (const auto& [line_id, line] : store.collection("halopsa/RecurringInvoice/Lines")) {
    if (id && id_in(line, "ihid") == id) lines.push_back(line);
  }
  answer.set("lines", std::move(lines));
  return answer;
}

}  // namespace switchyard::sandbox::halopsa
