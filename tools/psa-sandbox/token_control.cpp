#include "psa-sandbox/token_control.h"

#include <stdexcept>

#include "common/json_writer.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {
namespace {

using http::Request;
using http::Response;

Response stats_json(const TokenStats& stats) {
  JsonWriter w;
  w.begin_object().field("token_requests", stats.token_requests).field("issued", stats.issued);
  w.field("refused", stats.refused).field("live_tokens", stats.live_tokens);
  w.field("lifetime_seconds", static_cast<int64_t>(stats.lifetime.count()));
  w.key("revoked").begin_array();
  for (const auto& id : stats.revoked) w.value(id);
  w.end_array().end_object();
  return http::json_response(200, w.take());
}

Response issued_json(const std::vector<IssuedTokenValues>& issued) {
  JsonWriter w;
  w.begin_object().key("tokens").begin_array();
  for (const auto& t : issued) {
    w.begin_object().field("access_token", t.access_token).field("refresh_token", t.refresh_token).end_object();
  }
  w.end_array().end_object();
  return http::json_response(200, w.take());
}

// Runs `fn` on the PSA's token state; an unknown PSA or one without tokens answers 404.
Response with_tokens(const Request& req, const std::function<Response(const std::string&)>& fn) {
  const std::string& psa = req.params.at("psa");
  try {
    return fn(psa);
  } catch (const std::out_of_range&) {
    return http::error_response(404, "no_token_scheme", "psa: not a PSA of the sandbox with a token scheme");
  }
}

Response lifetime(Sandbox& sandbox, const Request& req) {
  const auto body = parse_json(req.body);
  const Value* seconds = body && body->is_object() ? body->find("seconds") : nullptr;
  if (!seconds || !seconds->is_int()) return http::error_response(400, "invalid_lifetime", "seconds: integer required");
  return with_tokens(req, [&](const std::string& psa) {
    try {
      sandbox.set_token_lifetime(psa, std::chrono::seconds(seconds->as_int()));
    } catch (const std::invalid_argument& e) {
      return http::error_response(400, "invalid_lifetime", e.what());
    }
    return stats_json(sandbox.token_stats(psa));
  });
}

Response credential_change(Sandbox& sandbox, const Request& req, bool revoke) {
  const auto body = parse_json(req.body);
  const Value* credential = body && body->is_object() ? body->find("credential") : nullptr;
  if (!credential || !credential->is_string()) {
    return http::error_response(400, "invalid_credential", "credential: string required");
  }
  return with_tokens(req, [&](const std::string& psa) {
    const std::string& id = credential->as_string();
    const bool known = revoke ? sandbox.revoke_credential(psa, id) : sandbox.restore_credential(psa, id);
    if (!known) return http::error_response(404, "unknown_credential", "credential: not one the PSA knows");
    return stats_json(sandbox.token_stats(psa));
  });
}

}  // namespace

void register_token_control_routes(const ControlRouteAdder& add, Sandbox& sandbox) {
  Sandbox* s = &sandbox;
  add("GET", "/_sandbox/tokens/{psa}", [s](const Request& r) {
    return with_tokens(r, [s](const std::string& psa) { return stats_json(s->token_stats(psa)); });
  });
  add("GET", "/_sandbox/tokens/{psa}/issued", [s](const Request& r) {
    return with_tokens(r, [s](const std::string& psa) { return issued_json(s->issued_tokens(psa)); });
  });
  add("POST", "/_sandbox/tokens/{psa}/lifetime", [s](const Request& r) { return lifetime(*s, r); });
  add("POST", "/_sandbox/tokens/{psa}/revoke", [s](const Request& r) { return credential_change(*s, r, true); });
  add("POST", "/_sandbox/tokens/{psa}/restore", [s](const Request& r) { return credential_change(*s, r, false); });
  add("POST", "/_sandbox/tokens/{psa}/expire", [s](const Request& r) {
    return with_tokens(r, [s](const std::string& psa) {
      s->expire_tokens(psa);
      return stats_json(s->token_stats(psa));
    });
  });
}

}  // namespace switchyard::sandbox
