#include "psa-sandbox/control_api.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "common/json_writer.h"
#include "psa-sandbox/fault_json.h"
#include "psa-sandbox/json_value.h"
#include "psa-sandbox/token_control.h"
#include "psa-sandbox/tenant_json.h"
#include "psa-sandbox/tenant_limits.h"

namespace switchyard::sandbox {
namespace {

using http::Request;
using http::Responder;
using http::Response;

Response ok() { return http::json_response(200, R"({"ok":true})"); }

bool known_psa(const Sandbox& sandbox, std::string_view psa) {
  const auto names = sandbox.psas();
  return std::find(names.begin(), names.end(), psa) != names.end();
}

// ?tenant=NAME of the records endpoints; "default" when absent.
std::optional<std::string> tenant_param(const Request& req) {
  std::string tenant = req.query_param("tenant");
  if (tenant.empty()) return std::string(kDefaultTenant);
  if (!valid_tenant_name(tenant)) return std::nullopt;
  return tenant;
}

Response bad_tenant() {
  return http::error_response(400, "invalid_tenant", "tenant: must be 1-64 of A-Z a-z 0-9 . _ -");
}

Response writes(Sandbox& sandbox) {
  JsonWriter w;
  w.begin_array();
  for (const auto& r : sandbox.writes()) {
    w.begin_object().field("psa", r.psa).field("method", r.method).field("path", r.path);
    w.field("body", r.body).field("status", r.status).field("tenant", r.tenant);
    if (!r.fault.empty()) w.field("fault", r.fault);
    w.end_object();
  }
  w.end_array();
  return http::json_response(200, w.take());
}

Response records(Sandbox& sandbox, const Request& req) {
  const std::string& psa = req.params.at("psa");
  if (!known_psa(sandbox, psa)) return http::error_response(400, "unknown_psa", "psa: not a PSA the sandbox serves");
  const auto tenant = tenant_param(req);
  if (!tenant) return bad_tenant();
  JsonWriter w;
  w.begin_array();
  for (const auto& json : sandbox.records(psa, req.params.at("entity"), *tenant)) w.raw(json);
  w.end_array();
  return http::json_response(200, w.take());
}

Response upsert(Sandbox& sandbox, const Request& req) {
  const auto tenant = tenant_param(req);
  if (!tenant) return bad_tenant();
  try {
    return http::json_response(200,
                               sandbox.upsert_record(req.params.at("psa"), req.params.at("entity"), req.body, *tenant));
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

Response latency(Sandbox& sandbox, const Request& req) {
  auto l = latency_from_json(req.body);
  if (!l) return http::error_response(400, l.error().code, l.error().message);
  try {
    sandbox.set_latency(*l);
  } catch (const std::invalid_argument& e) {
    return http::error_response(400, "invalid_latency", e.what());
  }
  return http::json_response(200, latency_to_json(sandbox.latency()));
}

Response quotas(Sandbox& sandbox) {
  return http::json_response(200, quotas_to_json(sandbox.tenant_quotas(), sandbox.tenant_counts()));
}

Response quota(Sandbox& sandbox, const Request& req) {
  auto q = quota_from_json(req.body);
  if (!q) return http::error_response(400, q.error().code, q.error().message);
  try {
    sandbox.set_tenant_quota(req.params.at("tenant"), *q);
  } catch (const std::invalid_argument& e) {
    return http::error_response(400, "invalid_quota", e.what());
  }
  return quotas(sandbox);
}

// POST /_sandbox/webhooks/{psa} (and the older /_sandbox/connectwise/callbacks).
Response webhook(Sandbox& sandbox, std::string_view psa, const Request& req) {
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
  const auto tenant = tenant_param(req);
  if (!tenant) return bad_tenant();
  auto status = sandbox.fire_webhook(psa, fields[0], fields[1], fields[2], fields[3], *tenant);
  if (!status) {
    const Error& e = status.error();
    const bool bad_request = e.code == "invalid_argument" || e.code == "invalid_url" || e.code == "unknown_psa" ||
                             e.code == "not_supported";
    const int code = e.code == "not_found" ? 404 : bad_request ? 400 : 502;
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
  add("POST", "/_sandbox/connectwise/callbacks", [s](const Request& r) { return webhook(*s, "connectwise", r); });
  add("POST", "/_sandbox/webhooks/{psa}", [s](const Request& r) { return webhook(*s, r.params.at("psa"), r); });
  add("GET", "/_sandbox/psas", [s](const Request&) {
    JsonWriter w;
    w.begin_array();
    for (const auto& name : s->psas()) w.value(name);
    w.end_array();
    return http::json_response(200, w.take());
  });
  register_token_control_routes(add, sandbox);
  add("GET", "/_sandbox/latency", [s](const Request&) { return http::json_response(200, latency_to_json(s->latency())); });
  add("POST", "/_sandbox/latency", [s](const Request& r) { return latency(*s, r); });
  add("DELETE", "/_sandbox/latency", [s](const Request&) {
    s->set_latency({});
    return ok();
  });
  add("GET", "/_sandbox/quota", [s](const Request&) { return quotas(*s); });
  add("POST", "/_sandbox/quota/{tenant}", [s](const Request& r) { return quota(*s, r); });
  add("DELETE", "/_sandbox/quota/{tenant}", [s](const Request& r) {
    s->clear_tenant_quota(r.params.at("tenant"));
    return ok();
  });
  add("DELETE", "/_sandbox/quota", [s](const Request&) {
    s->clear_tenant_quotas();
    return ok();
  });
  add("GET", "/_sandbox/tenants", [s](const Request&) {
    JsonWriter w;
    w.begin_array();
    for (const auto& t : s->tenants()) w.value(t);
    w.end_array();
    return http::json_response(200, w.take());
  });
}

}  // namespace switchyard::sandbox
