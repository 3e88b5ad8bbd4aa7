// Control endpoints under /_sandbox for scripts and tests in other processes: the same
// operations as the Sandbox C++ API, over HTTP (see docs/psa-sandbox.md). They answer in
// Switchyard's own error format, not a PSA's, and are never recorded as writes.
#pragma once

#include <functional>

#include "common/http_server.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {

// `wrap` decorates each handler (request logging).
void register_control_routes(http::HttpServer& server, Sandbox& sandbox,
                             const std::function<http::Handler(std::string, http::Handler)>& wrap);

}  // namespace switchyard::sandbox
