#include "psa-sandbox/control_api.h"

#include <stdexcept>

#include "common/json_writer.h"
#include "psa-sandbox/fault_json.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {
namespace {

using http::Request;
using http::Responder;
using http::Response;

Response ok() { return http::json_response(200, R"({"ok":true})"); }

bool known_psa(std::string_view psa) { return psa == "connectwise" || psa == "autotask"; }

Response writes(Sandbox& sandbox) {
  JsonWriter w;
  w.begin_array();
  for (const auto& r : sandbox.writes()) {
    w.begin_object().field("psa", r.psa).field("method", r.method).field("path", r.path);
    w.field("body", r.body).field("status", r.status);
    if (!r.fault.empty()) w.field("fault", r.fault);
    w.end_object();
  }
  w.end_array();
  return http::json_response(200, w.take());
}

Response records(Sandbox& sandbox, const Request& req) {
  const std::string& psa = req.params.at("psa");
  if (!known_psa(psa)) return http::error_response(400, "unknown_psa", "psa must be connectwise or autotask");
  JsonWriter w;
  w.begin_array();
  for (const auto& json : sandbox.records(psa, req.params.at("entity"))) w.raw(json);
  w.end_array();
  return http::json_response(200, w.take());
}

Response upsert(Sandbox& sandbox, const Request& req) {
  try {
    return http::json_response(200, sandbox.upsert_record(req.params.at("psa"), req.params.at("entity"), req.body));
  } catch (const std::invalid_argument& e) {
    return http::error_response(400, "invalid_record", e.what());
  }
}

Response fault(Sandbox& sandbox, const Request& req) {
  auto f = fault_from_json(req.body);
  if (!f) return http::error_response(400, f.error().code, f.error().message);
  try {
    sandbox.inject_fault(req.params.at("psa"), *f);
  } catch (const std::out_of_range& e) {
    return http::error_response(400, "unknown_psa", e.what());
  } catch (const std::invalid_argument& e) {
    return http::error_response(400, "invalid_fault", e.what());
  }
  return ok();
}

Response callback(Sandbox& sandbox, const Request& req) {
  auto body = parse_json(req.body);
  if (!body || !body->is_object()) return http::error_response(400, "invalid_json", "body must be a JSON object");
  std::string fields[4];
  const char* names[4] = {"url", "entity", "id", "action"};
  for (int i = 0; i < 4; ++i) {
    const Value* v = body->find(names[i]);
    if (v && v->is_string()) fields[i] = v->as_string();
    else if (v && v->is_int()) fields[i] = std::to_string(v->as_int());
    else return http::error_response(400, "missing_field", std::string(names[i]) + ": required");
  }
  // Blocks this io thread while the receiver answers (bounded by the client timeout).
  auto status = sandbox.fire_connectwise_callback(fields[0], fields[1], fields[2], fields[3]);
  if (!status) {
    const Error& e = status.error();
    const int code = e.code == "not_found" ? 404 : e.code == "invalid_argument" || e.code == "invalid_url" ? 400 : 502;
    return http::error_response(code, e.code, e.message);
  }
  return http::json_response(200, "{\"status\":" + std::to_string(*status) + "}");
}

}  // namespace

void register_control_routes(http::HttpServer& server, Sandbox& sandbox,
                             const std::function<http::Handler(std::string, http::Handler)>& wrap) {
  const auto add = [&](std::string method, std::string pattern, std::function<Response(const Request&)> fn) {
    server.route(method, pattern, wrap("control", [fn = std::move(fn)](Request&& req, Responder respond) {
                   respond(fn(req));
                 }));
  };
  Sandbox* s = &sandbox;
  add("GET", "/_sandbox/health", [](const Request&) { return ok(); });
  add("GET", "/_sandbox/writes", [s](const Request&) { return writes(*s); });
  add("GET", "/_sandbox/records/{psa}/{entity...}", [s](const Request& r) { return records(*s, r); });
  add("POST", "/_sandbox/records/{psa}/{entity...}", [s](const Request& r) { return upsert(*s, r); });
  add("POST", "/_sandbox/faults/{psa}", [s](const Request& r) { return fault(*s, r); });
  add("GET", "/_sandbox/faults", [s](const Request&) {
    return http::json_response(200, faults_to_json(s->pending_faults(), s->applied_faults()));
  });
  add("DELETE", "/_sandbox/faults", [s](const Request&) {
    s->clear_faults();
    return ok();
  });
  add("POST", "/_sandbox/reset", [s](const Request&) {
    s->reset();
    return ok();
  });
  add("POST", "/_sandbox/connectwise/callbacks", [s](const Request& r) { return callback(*s, r); });
}

}  // namespace switchyard::sandbox
