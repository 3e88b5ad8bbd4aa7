// Client of devkafka's control channel (tools/devkafka/main.cpp): one command, one answer line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::chaos {

// Sends `command` to devkafka on 127.0.0.1:port and returns its answer ("ok" or "error ...");
// "error no answer: ..." when the channel cannot be reached within 5 s.
std::string devkafka_command(uint16_t port, std::string_view command);

}  // namespace switchyard::chaos
