#include "ingest/lookup_handler.h"

#include <algorithm>

#include "common/json_writer.h"
#include "common/log.h"
#include "common/time_format.h"
#include "connectors/auth/token_auth_psa_http.h"
#include "connectors/lookup_list.h"

namespace switchyard::ingest {
namespace {

std::string known_lists() {
  std::string out;
  for (std::string_view name : connectors::lookup_list_names()) out.append(out.empty() ? "" : ", ").append(name);
  return out;
}

// The cached value: "<fetched_at> <0|1 truncated> <items JSON>" (the time has no spaces).
std::string cache_value(const std::string& fetched_at, bool truncated, const std::string& items) {
  return fetched_at + (truncated ? " 1 " : " 0 ") + items;
}

http::Response ok(const std::string& tenant, const std::string& list, std::string_view items, bool truncated,
                  bool cached, std::string_view fetched_at) {
  JsonWriter w;
  w.begin_object().field("tenant", tenant).field("list", list);
  w.key("items").raw(items);
  w.field("truncated", truncated).field("cached", cached).field("fetched_at", fetched_at).end_object();
  return http::json_response(200, w.take());
}

}  // namespace

LookupHandler::LookupHandler(TenantAdminRoute route, PsaCallWorker& worker, Metrics& metrics, LookupOptions options)
    : route_(std::move(route)),
      worker_(worker),
      options_(std::move(options)),
      requests_(prometheus::BuildCounter()
                    .Name("switchyard_lookup_requests_total")
                    .Help("Set-up list requests (GET /v1/tenants/{t}/psa/{list}) by list and outcome "
                          "(fetched|cached|unknown_list|invalid|not_supported|throttled|failed|busy)")
                    .Register(metrics.registry())) {}

http::Response LookupHandler::refuse(std::string_view list, std::string_view outcome, int status, std::string_view code,
                                     std::string_view message) {
  requests_.Add({{"list", std::string(list)}, {"outcome", std::string(outcome)}}).Increment();
  return route_.reject(status, code, message);
}

std::string LookupHandler::cache_key(const std::string& tenant, const Ask& ask) const {
  // Ids are validated plain text (no ':'), so the parts cannot run into each other.
  return options_.key_prefix + tenant + ":" + ask.canonical + ":b=" + ask.query.board_id + ":c=" + ask.query.company_id;
}

void LookupHandler::handle(http::Request&& request, http::Responder respond) {
  const auto target = route_.admit(request, respond);
  if (!target) return;
  Ask ask;
  const auto param = request.params.find("list");
  ask.list = param == request.params.end() ? std::string() : param->second;
  const auto canonical = connectors::canonical_lookup_list(ask.list);
  if (!canonical) {
    // Never the asked name as a label: only the known lists are.
    return respond(refuse("unknown", "unknown_list", 404, "unknown_list",
                          "no set-up list \"" + ask.list.substr(0, 64) + "\"; the lists are: " + known_lists()));
  }
  ask.canonical = *canonical;
  ask.query.list = *canonical;
  ask.query.board_id = request.query_param("board");
  ask.query.company_id = request.query_param("company");
  for (const auto& [name, value] : {std::pair{"board", &ask.query.board_id}, std::pair{"company", &ask.query.company_id}}) {
    if (!value->empty() && !connectors::valid_lookup_id(*value)) {
      return respond(refuse(ask.canonical, "invalid", 400, "invalid_argument",
                            std::string(name) + " must be an id of 1 to 64 letters, digits, '-' or '_'"));
    }
  }
  auto answer_once = std::make_shared<http::Responder>(std::move(respond));
  const bool queued = worker_.submit(
      target->tenant, *target->connector,
      [this, answer_once, ask = std::move(ask)](PsaCall& call) { (*answer_once)(answer(call, ask)); },
      [this, answer_once] { (*answer_once)(route_.reject(503, "shutting_down", "ingest is shutting down")); });
  if (!queued) {
    (*answer_once)(refuse(*canonical, "busy", 503, "busy", "PSA calls are queued up; try again in a few seconds"));
  }
}

http::Response LookupHandler::answer(PsaCall& call, const Ask& ask) {
  const Tenant& tenant = call.tenant;
  const std::string key = cache_key(tenant.id, ask);
  const bool caching = options_.cache_ttl.count() > 0 && call.redis != nullptr;
  if (caching) {
    // A Redis failure only costs the cache: the PSA is read instead.
    auto cached = call.redis->command({"GET", key});
    if (cached && cached->type == RedisReply::Type::String) {
      const std::string& v = cached->str;
      const size_t a = v.find(' '), b = a == std::string::npos ? a : v.find(' ', a + 1);
      if (b != std::string::npos) {
        requests_.Add({{"list", ask.canonical}, {"outcome", "cached"}}).Increment();
        return ok(tenant.id, ask.list, std::string_view(v).substr(b + 1), v.substr(a + 1, b - a - 1) == "1", true,
                  std::string_view(v).substr(0, a));
      }
    }
  }
  connectors::auth::TokenAuthPsaHttp authorized(call.http, call.tokens, tenant, call.connector.token_source());
  auto items = call.connector.lookup(tenant, authorized, ask.query);
  if (!items) {
    const std::string& code = items.error().code;
    log::warn("set-up list not read", {{"tenant", tenant.id}, {"psa", tenant.psa}, {"list", ask.canonical}, {"code", code}});
    if (code == connectors::kNotSupported) return refuse(ask.canonical, "not_supported", 501, code, items.error().message);
    if (code == connectors::kLookupNeedsBoard) return refuse(ask.canonical, "invalid", 400, code, items.error().message);
    if (code == "invalid_filter") return refuse(ask.canonical, "invalid", 400, "invalid_argument", items.error().message);
    if (code == "throttled" || code == "shutting_down") {
      // The tenant's budget, or the PSA's 429: the wizard tries again after Retry-After.
      auto until = call.limiter ? call.limiter->throttled_until() : std::nullopt;
      const auto wait = until ? std::chrono::ceil<std::chrono::seconds>(*until - std::chrono::steady_clock::now())
                              : std::chrono::seconds(1);
      http::Response r = refuse(ask.canonical, "throttled", 429, "psa_throttled",
                                "the tenant's PSA rate limit is spent; try again in a few seconds");
      r.headers.emplace_back("Retry-After", std::to_string(std::max<int64_t>(1, wait.count())));
      return r;
    }
    return refuse(ask.canonical, "failed", 502, code, "the PSA could not give the list: " + items.error().message);
  }
  const bool truncated = items->size() > connectors::kLookupCap;
  if (truncated) items->resize(connectors::kLookupCap);
  JsonWriter w;
  w.begin_array();
  for (const auto& item : *items) {
    w.begin_object().field("id", item.id).field("name", item.name).field("active", item.active).end_object();
  }
  w.end_array();
  const std::string json = w.take();
  const std::string fetched_at = format_rfc3339_utc_seconds(std::chrono::system_clock::now());
  if (caching) {
    auto stored = call.redis->command(
        {"SET", key, cache_value(fetched_at, truncated, json), "EX", std::to_string(options_.cache_ttl.count())});
    if (!stored) log::warn("set-up list not cached", {{"tenant", tenant.id}, {"error", stored.error().message}});
  }
  requests_.Add({{"list", ask.canonical}, {"outcome", "fetched"}}).Increment();
  log::info("set-up list read", {{"tenant", tenant.id}, {"psa", tenant.psa}, {"list", ask.canonical},
                                 {"items", static_cast<int64_t>(items->size())}});
  return ok(tenant.id, ask.list, json, truncated, false, fetched_at);
}

}  // namespace switchyard::ingest
