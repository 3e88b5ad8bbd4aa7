// The service binaries as built in this tree, and reading what they logged, for tests that run
// them as Kubernetes would (service_*_test).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace switchyard::testing {

// <build>/services/<service>/switchyard-<service>
std::string service_binary(const std::string& service);
// The whole file, or "" when it cannot be read (a log not written yet).
std::string read_file(const std::string& path);

// SWITCHYARD_OPERATOR_LISTEN on 127.0.0.1:`operator_port` (0 = a free one), and ingest's
// webhook and API listeners on free ports (normalize and dispatch do not read those), so
// tests running in parallel never meet on ingest's default ports.
std::map<std::string, std::string> test_listeners(uint16_t operator_port);
// The bound port a service logged in its "<service> started" line for `field` (webhook_port,
// api_port, operator_port): 0 until that line is in the log (or when the listener is off).
uint16_t logged_port(const std::string& log_path, const std::string& field);

}  // namespace switchyard::testing
