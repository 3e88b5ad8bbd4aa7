// ticket.upsert and ticket.close → Syncro tickets. A ticket made for a command carries the tag
// "sy-ref:<external_ref>" (tag_list): the spec gives tickets no external reference field, so
// a redelivered command whose write memo was lost finds its ticket by searching for the tag
// (GET /tickets?query=) and keeps only a ticket whose tag_list holds it exactly. Statuses and
// priorities are strings; a ticket is closed by setting its status to "Resolved".
#include <simdjson.h>

#include "common/json_writer.h"
#include "connectors/syncro/syncro_connector.h"
#include "connectors/syncro/write_calls.h"
#include "connectors/syncro/writers.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::syncro {
namespace {

constexpr std::string_view kResolved = "Resolved";
constexpr std::string_view kCreate = "Tickets - Create";
constexpr std::string_view kEdit = "Tickets - Edit";

// A choice as the string Syncro takes: a label or id as sent, a canonical value through the
// tenant's mappings over the connector's defaults.
std::optional<std::string> choice_text(const std::optional<FieldChoice>& choice, std::string_view kind,
                                       const MappingLookup& mappings, std::optional<WriteOutcome>& failure) {
  if (!choice || failure) return std::nullopt;
  if (choice->kind != FieldChoice::Kind::Canonical) return choice->value;
  if (auto mapped = mappings.resolve(kind, choice->value)) return mapped;
  std::string detail = "payload.";
  detail.append(kind == "ticket_type" ? "type" : kind).append(": \"").append(choice->value)
      .append("\" is not in the tenant's \"").append(kind).append("\" mappings: add it, or send {\"label\": ...}");
  failure = WriteOutcome::rejected(std::move(detail));
  return std::nullopt;
}

struct TicketFields {
  std::optional<std::string> status, priority, problem_type;
};

void write_fields(JsonWriter& w, const TicketUpsert& cmd, const TicketFields& f) {
  if (f.status) w.field("status", *f.status);
  if (f.priority) w.field("priority", *f.priority);
  if (f.problem_type) w.field("problem_type", *f.problem_type);
  if (cmd.contact_id && is_numeric_id(*cmd.contact_id)) w.field("contact_id", static_cast<int64_t>(std::stoll(*cmd.contact_id)));
}

WriteOutcome create(const Tenant& t, const TicketUpsert& cmd, const TicketFields& f, PsaHttp& psa, WriteMemo& memo) {
  const std::string customer = cmd.company_id.value_or(option_or(t, "default_customer_id"));
  if (customer.empty() || !is_numeric_id(customer)) {
    return WriteOutcome::rejected("a Syncro ticket needs a customer: send company_id (a Syncro customer id), or set "
                                  "options.default_customer_id for the tenant");
  }
  JsonWriter w;
  w.begin_object().field("subject", cmd.title).field("customer_id", static_cast<int64_t>(std::stoll(customer)));
  write_fields(w, cmd, f);
  w.key("tag_list").begin_array().value(reference_tag(cmd.external_ref)).end_array();
  if (cmd.description && !cmd.description->empty()) {
    // The description is the ticket's first comment, as Syncro's own "Initial Issue".
    w.key("comments_attributes").begin_array().begin_object()
        .field("subject", "Initial Issue").field("body", *cmd.description).field("hidden", true)
        .end_object().end_array();
  }
  w.end_object();
  auto call = send(psa, t, "POST", "tickets", w.take(), "creating the ticket", kCreate);
  if (call.failure) return *call.failure;
  const auto id = ticket_id_of(*call.response);
  if (!id) return WriteOutcome::retryable("Syncro created a ticket but its answer has no id");
  memo.remember(t, "ticket", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

// Only what the command carries is replaced; the description stays the first comment.
WriteOutcome update(const Tenant& t, const std::string& id, const TicketUpsert& cmd, const TicketFields& f,
                    PsaHttp& psa) {
  JsonWriter w;
  w.begin_object().field("subject", cmd.title);
  if (cmd.company_id && is_numeric_id(*cmd.company_id)) w.field("customer_id", static_cast<int64_t>(std::stoll(*cmd.company_id)));
  write_fields(w, cmd, f);
  w.end_object();
  std::string path = "tickets/";
  path.append(id);
  auto call = send(psa, t, "PUT", path, w.take(), "updating the ticket", kEdit);
  if (call.failure) return *call.failure;
  return WriteOutcome::done(id, false);
}

}  // namespace

WriteOutcome upsert_ticket(const Tenant& t, const TicketUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                           const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  TicketFields f;
  f.status = choice_text(cmd.status, "status", mappings, failure);
  f.priority = choice_text(cmd.priority, "priority", mappings, failure);
  f.problem_type = choice_text(cmd.type, "ticket_type", mappings, failure);
  if (failure) return *failure;
  const auto existing = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  return existing ? update(t, *existing, cmd, f, psa) : create(t, cmd, f, psa, memo);
}

WriteOutcome close_ticket(const Tenant& t, const TicketClose& cmd, PsaHttp& psa, WriteMemo& memo) {
  std::optional<WriteOutcome> failure;
  const auto id = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!id) {
    std::string detail = "no Syncro ticket carries the tag \"";
    detail.append(reference_tag(cmd.external_ref)).append("\" to close");
    return WriteOutcome::rejected(std::move(detail));
  }
  std::string path = "tickets/";
  path.append(*id);
  auto current = send(psa, t, "GET", path, "", "reading the ticket", "Tickets - View Details");
  if (current.failure) return *current.failure;
  simdjson::dom::parser parser;
  std::string_view status;
  if (parser.parse(current.response->body)["ticket"]["status"].get(status) == simdjson::SUCCESS && status == kResolved) {
    return WriteOutcome::done(*id, false);  // a redelivery: closed already, resolution included
  }
  // One PUT sets the status and adds the resolution comment, so a retry never adds it twice.
  JsonWriter w;
  w.begin_object().field("status", kResolved);
  if (cmd.resolution && !cmd.resolution->empty()) {
    w.key("comments_attributes").begin_array().begin_object()
        .field("subject", "Resolution").field("body", *cmd.resolution).field("hidden", false)
        .end_object().end_array();
  }
  w.end_object();
  auto call = send(psa, t, "PUT", path, w.take(), "closing the ticket", kEdit);
  if (call.failure) return *call.failure;
  return WriteOutcome::done(*id, false);
}

}  // namespace switchyard::connectors::syncro
