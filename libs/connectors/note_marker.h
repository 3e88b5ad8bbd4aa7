// The marker a connector appends to a note it adds, naming the command's note_ref, so the note
// is found again (searched for by its marker) and a redelivered note is never added twice. One
// form for every PSA whose notes have no reference field of their own.
#pragma once

#include <string>
#include <string_view>

namespace switchyard::connectors {

// note_ref has no spaces or parentheses (common/command.h), so ")" ends it unambiguously.
inline std::string note_marker(std::string_view note_ref) { return "(sy-note " + std::string(note_ref) + ")"; }

}  // namespace switchyard::connectors
