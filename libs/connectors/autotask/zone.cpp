#include "connectors/autotask/zone.h"

#include <simdjson.h>

#include <cctype>
#include <map>
#include <mutex>

#include "common/http_client.h"
#include "common/log.h"
#include "connectors/autotask/autotask_connector.h"

namespace switchyard::connectors::autotask {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kZoneTtl = std::chrono::hours(24);
constexpr auto kRecheckEvery = std::chrono::seconds(60);
constexpr size_t kMaxUrl = 256;

struct Cached {
  std::string url;  // empty: none known (the configured base_url is used)
  Clock::time_point expires{};
  Clock::time_point checked{};  // last lookup, to look again at most once a minute
};

// Process-wide: connectors keep no state between calls, but a zone is a fact about the
// database that every call of every operation shares.
std::mutex g_mutex;
std::map<std::string, Cached> g_zones;

std::string option_or_default(const Tenant& t, std::string_view name, std::string_view fallback) {
  auto it = t.options.find(std::string(name));
  return it != t.options.end() && !it->second.empty() ? it->second : std::string(fallback);
}

std::string lookup_base(const Tenant& t) {
  std::string base = option_or_default(t, "zone_lookup_url", kZoneLookupUrl);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

std::string key_of(const Tenant& t) {
  std::string key = t.id;
  key.append("\n").append(t.credentials.count("username") ? t.credentials.at("username") : "");
  key.append("\n").append(lookup_base(t));
  return key;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s.remove_prefix(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != suffix[i]) return false;
  }
  return true;
}

// A zone URL we may send the tenant's credentials to: https (http only for a tenant that allows
// it), on Autotask's own domain, or on the lookup's own host when the lookup was redirected.
Status check_zone_url(const Tenant& t, std::string_view url) {
  if (url.size() > kMaxUrl) return make_error("invalid_zone", "zoneInformation answered an over-long zone URL");
  auto parsed = http::parse_url(url);
  if (!parsed) return make_error("invalid_zone", "zoneInformation answered a zone URL that is not absolute");
  if (parsed->scheme != "https" && !t.allow_insecure_http) {
    return make_error("invalid_zone", "zoneInformation answered a zone without https");
  }
  const std::string lookup = lookup_base(t);
  if (lookup == kZoneLookupUrl) {
    if (!ends_with_ci(parsed->host, ".autotask.net")) {
      return make_error("invalid_zone", "zoneInformation answered a zone outside autotask.net");
    }
  } else if (auto own = http::parse_url(lookup); !own || own->host != parsed->host || own->port != parsed->port) {
    return make_error("invalid_zone", "zoneInformation answered a zone on another host than zone_lookup_url");
  }
  return ok_status();
}

std::optional<std::string> cached_zone(const std::string& key) {
  std::lock_guard lock(g_mutex);
  auto it = g_zones.find(key);
  if (it == g_zones.end() || it->second.url.empty() || Clock::now() >= it->second.expires) return std::nullopt;
  return it->second.url;
}

void remember(const std::string& key, const std::string& url) {
  std::lock_guard lock(g_mutex);
  auto& entry = g_zones[key];
  entry.url = url;
  entry.expires = Clock::now() + kZoneTtl;
}

// True (and the time noted) when the zone may be looked up again now.
bool may_recheck(const std::string& key) {
  std::lock_guard lock(g_mutex);
  auto& entry = g_zones[key];
  const auto now = Clock::now();
  if (entry.checked != Clock::time_point{} && now - entry.checked < kRecheckEvery) return false;
  entry.checked = now;
  return true;
}

// The call's URL on `base`: relative ones, and those on `from` (the base the call was built on).
std::optional<std::string> rebased(std::string_view url, std::string_view from, std::string_view base) {
  if (url.starts_with('/')) return std::string(base) + std::string(url);
  if (!from.empty() && url.size() > from.size() && url.starts_with(from) && url[from.size()] == '/') {
    return std::string(base) + std::string(url.substr(from.size()));
  }
  return std::nullopt;
}

// An answer a wrong zone gives: a 401, or a 500 about authentication (Autotask answers an
// unknown user 500), not a field's validation nor a bare server fault.
bool may_be_wrong_zone(const http::ClientResponse& r) {
  if (r.status == 401) return true;
  if (r.status != 500) return false;
  std::string body = r.body.substr(0, 2000);
  for (char& c : body) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return body.find("authenticat") != std::string::npos || body.find("zone") != std::string::npos ||
         body.find("api user") != std::string::npos;
}

}  // namespace

Result<Zone> lookup_zone(const Tenant& tenant, PsaHttp& http) {
  const std::string username = tenant.credentials.count("username") ? tenant.credentials.at("username") : "";
  auto lookup = http::parse_url(lookup_base(tenant));
  if (!lookup || (lookup->scheme != "https" && !tenant.allow_insecure_http)) {
    return make_error("invalid_zone", "options.zone_lookup_url must be an https:// URL (http:// only with "
                                      "\"allow_insecure_http\": true, for a local sandbox)");
  }
  http::ClientRequest call{.method = "GET",
                           .url = lookup_base(tenant) + "/v1.0/zoneInformation?user=" + http::url_encode(username),
                           .headers = auth_headers(tenant)};
  auto response = http.send(call);
  if (!response) return make_error("zone_unreachable", "the Autotask zone lookup failed: " + response.error().message);
  if (response->status != 200) {
    return make_error("zone_unknown",
                      "Autotask could not tell the zone of the API user (zoneInformation answered " +
                          std::to_string(response->status) +
                          "): check credentials.username, the API user's e-mail address (docs/psa/autotask.md#zone)");
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view url, web_url;
  if (parser.parse(response->body).get(root) != simdjson::SUCCESS || root["url"].get(url) != simdjson::SUCCESS) {
    return make_error("invalid_zone", "zoneInformation answered no zone url");
  }
  if (root["webUrl"].get(web_url) != simdjson::SUCCESS) web_url = {};
  std::string base(url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (auto st = check_zone_url(tenant, base); !st) return st.error();
  return Zone{std::move(base), std::string(web_url.substr(0, kMaxUrl))};
}

void forget_zones() {
  std::lock_guard lock(g_mutex);
  g_zones.clear();
}

Result<std::string> ZoneHttp::base() {
  const std::string key = key_of(tenant_);
  if (auto zone = cached_zone(key)) return *zone;
  if (!tenant_.base_url.empty()) return tenant_.base_url;  // the override, until it proves wrong
  auto zone = lookup_zone(tenant_, inner_);
  if (!zone) return zone.error();
  remember(key, zone->url);
  return zone->url;
}

Result<http::ClientResponse> ZoneHttp::send(const http::ClientRequest& request) {
  auto zone = base();
  if (!zone) return zone.error();
  http::ClientRequest call = request;
  if (auto url = rebased(request.url, tenant_.base_url, *zone)) call.url = std::move(*url);
  auto response = inner_.send(call);
  if (!response || !may_be_wrong_zone(*response)) return response;
  // Autotask answers a call in another zone as it answers an unknown user: look again.
  const std::string key = key_of(tenant_);
  if (!may_recheck(key)) return response;
  auto found = lookup_zone(tenant_, inner_);
  if (!found || found->url == *zone) return response;
  remember(key, found->url);
  log::warn("autotask zone corrected", {{"tenant", tenant_.id}, {"zone", found->url}});
  auto moved = rebased(call.url, *zone, found->url);
  if (!moved) return response;
  call.url = std::move(*moved);
  return inner_.send(call);
}

}  // namespace switchyard::connectors::autotask
