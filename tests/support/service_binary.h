// The service binaries as built in this tree, and reading what they logged, for tests that run
// them as Kubernetes would (service_*_test).
#pragma once

#include <string>

namespace switchyard::testing {

// <build>/services/<service>/switchyard-<service>
std::string service_binary(const std::string& service);
// The whole file, or "" when it cannot be read (a log not written yet).
std::string read_file(const std::string& path);

}  // namespace switchyard::testing
