// The routes every service serves for operators: /metrics (Prometheus), /healthz (the process
// is alive) and /readyz (it can do its job: Kafka and Redis reachable, consumer assigned).
#pragma once

#include <functional>
#include <string>

#include "common/http_server.h"
#include "common/metrics.h"

namespace switchyard {

// Returns "" when ready, else the reason it is not (shown in the 503 body).
using ReadinessCheck = std::function<std::string()>;

void add_admin_routes(http::HttpServer& server, Metrics& metrics, ReadinessCheck ready);

}  // namespace switchyard
