#include "common/admin_routes.h"

#include "common/json_writer.h"
#include "common/log.h"

namespace switchyard {

void add_admin_routes(http::HttpServer& server, Metrics& metrics, ReadinessCheck ready, const Heartbeats* heartbeats) {
  server.route("GET", "/metrics", [&metrics, heartbeats](http::Request&&, http::Responder respond) {
    if (heartbeats != nullptr) metrics.update_heartbeats(heartbeats->loops(), heartbeats->timeout());
    http::Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics.serialize();
    respond(std::move(r));
  });
  server.route("GET", "/healthz", [heartbeats](http::Request&&, http::Responder respond) {
    if (heartbeats == nullptr) return respond(http::json_response(200, R"({"status":"ok"})"));
    const Heartbeats::Report report = heartbeats->check();
    if (!report.healthy) {
      // Loop names and ages only: nothing about tenants, requests or secrets.
      const auto& worst = report.stale.front();
      log::warn("liveness check failed: a worker loop is stuck",
                {{"loop", worst.name},
                 {"age_seconds", worst.age_seconds},
                 {"stale_loops", static_cast<int64_t>(report.stale.size())},
                 {"timeout_seconds", std::chrono::duration<double>(heartbeats->timeout()).count()}});
    }
    respond(http::json_response(report.healthy ? 200 : 503, heartbeat_report_json(report, heartbeats->timeout())));
  });
  server.route("GET", "/readyz", [ready = std::move(ready)](http::Request&&, http::Responder respond) {
    const std::string reason = ready();
    JsonWriter w;
    w.begin_object().field("status", reason.empty() ? "ready" : "not_ready");
    if (!reason.empty()) w.field("reason", reason);
    w.end_object();
    respond(http::json_response(reason.empty() ? 200 : 503, w.take()));
  });
}

http::ServerOptions listener_options(const ListenAddress& address, size_t threads, Heartbeats& heartbeats,
                                     std::string heartbeat_group) {
  http::ServerOptions options;
  options.address = address.host;
  options.port = address.port;
  options.threads = threads;
  options.heartbeats = &heartbeats;
  options.heartbeat_group = std::move(heartbeat_group);
  return options;
}

std::unique_ptr<http::HttpServer> make_operator_server(const ListenAddress& address, Metrics& metrics,
                                                       ReadinessCheck ready, Heartbeats& heartbeats) {
  auto server = std::make_unique<http::HttpServer>(listener_options(address, 1, heartbeats, "http-operator"));
  add_admin_routes(*server, metrics, std::move(ready), &heartbeats);
  return server;
}

}  // namespace switchyard
