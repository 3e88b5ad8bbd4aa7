#include "common/admin_routes.h"

#include "common/json_writer.h"

namespace switchyard {

void add_admin_routes(http::HttpServer& server, Metrics& metrics, ReadinessCheck ready) {
  server.route("GET", "/metrics", [&metrics](http::Request&&, http::Responder respond) {
    http::Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics.serialize();
    respond(std::move(r));
  });
  server.route("GET", "/healthz", [](http::Request&&, http::Responder respond) {
    respond(http::json_response(200, R"({"status":"ok"})"));
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

}  // namespace switchyard
