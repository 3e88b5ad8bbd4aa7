// Reads command results (switchyard.command-results.v1) for assertions on what became of a command.
#pragma once

#include <string>

namespace switchyard::testing {

// The command's first result with `outcome`, as produced (JSON); "" when there is none yet.
std::string command_result(const std::string& bootstrap, const std::string& command_id, const std::string& outcome);

}  // namespace switchyard::testing
