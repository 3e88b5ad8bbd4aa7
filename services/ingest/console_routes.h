// Serves the operator console (docs/console.md) on ingest's operator listener: GET /console
// (the page) and GET /console/{file} (its script and style sheet). The page itself is public
// and holds no data; everything it shows comes from the tenant API, which asks for a token.
// Every answer forbids loading anything from another origin (Content-Security-Policy), inline
// scripts included, so text from a PSA that reached the page could never run as code.
#pragma once

#include "common/http_server.h"

namespace switchyard::ingest {

void add_console_routes(http::HttpServer& server);

}  // namespace switchyard::ingest
