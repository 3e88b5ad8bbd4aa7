// The canonical records a command changed once the PSA accepted it: what dispatch marks as
// echoes (common/echo_marks.h). PSA-agnostic: the ids come from the write's outcome.
#pragma once

#include <string_view>
#include <vector>

#include "common/command.h"
#include "common/echo_marks.h"

namespace switchyard {

// `psa_id`: the record the command wrote (the note for ticket.note). `ticket_psa_id`: for
// ticket.note, the ticket the note is on, "" when the write did not learn it. Records without
// an id are left out.
std::vector<EchoRecord> echo_records_of(const Command& command, std::string_view psa_id,
                                        std::string_view ticket_psa_id = {});

}  // namespace switchyard
