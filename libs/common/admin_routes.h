// The routes every service serves for operators: /metrics (Prometheus), /healthz (the process
// is alive: every watched worker loop beat within the liveness timeout) and /readyz (it can do
// its job: Kafka and Redis reachable, consumer assigned).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/heartbeats.h"
#include "common/http_server.h"
#include "common/metrics.h"
#include "common/service_config.h"

namespace switchyard {

// Returns "" when ready, else the reason it is not (shown in the 503 body).
using ReadinessCheck = std::function<std::string()>;

// With `heartbeats`, /healthz answers 503 naming each loop whose heartbeat is older than the
// timeout (and how old), and /metrics carries switchyard_heartbeat_age_seconds{loop}. Without,
// /healthz always answers 200. `heartbeats` must outlive the server.
void add_admin_routes(http::HttpServer& server, Metrics& metrics, ReadinessCheck ready,
                      const Heartbeats* heartbeats = nullptr);

// Options for one listener of a service: its address, `threads` io threads, each watched by
// `heartbeats` as loop "<heartbeat_group>-<i>" (so /healthz covers every listener).
http::ServerOptions listener_options(const ListenAddress& address, size_t threads, Heartbeats& heartbeats,
                                     std::string heartbeat_group);

// The operator listener every service has (docs/configuration.md#listeners): its own server,
// one io thread (heartbeat group "http-operator"), serving the admin routes and nothing else.
// Not started.
std::unique_ptr<http::HttpServer> make_operator_server(const ListenAddress& address, Metrics& metrics,
                                                       ReadinessCheck ready, Heartbeats& heartbeats);

}  // namespace switchyard
