// RESP (the Redis protocol) encoding of a pipeline of commands into one buffer.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace switchyard {

// "*<argc>\r\n" then "$<len>\r\n<arg>\r\n" per argument, for every command in order; nullopt
// when a command is empty. Sized once, written in place: hiredis's redisFormatCommandArgv
// allocated and freed a buffer per command (issue #18: 3 % of normalize's CPU).
std::optional<std::string> resp_encode(const std::vector<std::vector<std::string>>& commands);

}  // namespace switchyard
