#include "common/command_echo.h"

namespace switchyard {
namespace {

// The canonical type of the record each command type writes.
struct TypeOf {
  std::string_view operator()(const TicketUpsert&) const { return "ticket"; }
  std::string_view operator()(const TicketClose&) const { return "ticket"; }
  std::string_view operator()(const TicketNoteAdd&) const { return "ticket_note"; }
  std::string_view operator()(const BillingLineAdd&) const { return "billing_line"; }
  std::string_view operator()(const ConfigurationUpsert&) const { return "configuration"; }
};

}  // namespace

std::vector<EchoRecord> echo_records_of(const Command& command, std::string_view psa_id,
                                        std::string_view ticket_psa_id) {
  std::vector<EchoRecord> out;
  const std::string_view type = std::visit(TypeOf{}, command.payload);
  if (!psa_id.empty()) out.push_back({command.tenant, std::string(type), std::string(psa_id)});
  // A new note changes its ticket too (the PSA bumps its last-updated stamp).
  if (std::holds_alternative<TicketNoteAdd>(command.payload) && !ticket_psa_id.empty()) {
    out.push_back({command.tenant, "ticket", std::string(ticket_psa_id)});
  }
  return out;
}

}  // namespace switchyard
