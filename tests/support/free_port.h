// A TCP port on 127.0.0.1 that was free a moment ago, for servers started by tests.
#pragma once

#include <cstdint>

namespace switchyard::testing {

// Binds 127.0.0.1:0, reads the port the kernel chose, closes. Another process can take the port
// before the caller binds it; fixtures that start servers retry with a new port when that happens.
uint16_t free_port();

}  // namespace switchyard::testing
