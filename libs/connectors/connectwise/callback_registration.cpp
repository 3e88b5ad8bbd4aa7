// Registering the tenant's callbacks through /system/callbacks: one Owner-level callback per
// entity type Switchyard takes in. Ours are found by their description ("Switchyard <tenant>
// <Type>"), so the MSP's other callbacks are never touched, a second run changes nothing, and a
// new callback URL (a rotated URL secret) moves the existing entries instead of adding more.
#include <simdjson.h>

#include "common/json_writer.h"
#include "connectors/connectwise/connectwise_connector.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr std::string_view kTypes[] = {"Ticket", "Company", "Contact", "Agreement", "Configuration"};
constexpr int kMaxPages = 20;  // 20,000 callbacks: far more than any site has

struct Entry {
  std::string id, type, url, description;
  bool inactive = false;
};

std::string description_of(const Tenant& tenant, std::string_view type) {
  return "Switchyard " + tenant.id + " " + std::string(type);
}

Error failed(const std::string& what, const Result<http::ClientResponse>& r) {
  if (!r) return r.error();
  return make_error(r->status == 401 || r->status == 403 ? "forbidden" : "psa_error",
                    "ConnectWise answered " + std::to_string(r->status) + " to " + what +
                        (r->status == 403 ? ": the API member's security role needs System › Table Setup (callbacks)"
                                          : ""));
}

// Every callback of the site that is one of ours (by description).
Result<std::vector<Entry>> our_callbacks(const Tenant& tenant, PsaHttp& http) {
  std::vector<Entry> ours;
  const std::string prefix = "Switchyard " + tenant.id + " ";
  for (int page = 1; page <= kMaxPages; ++page) {
    auto r = http.send({.method = "GET",
                        .url = tenant.base_url + "/system/callbacks?pageSize=1000&page=" + std::to_string(page),
                        .headers = auth_headers(tenant)});
    if (!r || r->status != 200) return failed("GET /system/callbacks", r);
    simdjson::dom::parser parser;
    simdjson::dom::array list;
    if (parser.parse(r->body).get(list) != simdjson::SUCCESS) {
      return make_error("psa_error", "ConnectWise's /system/callbacks answer is not a list");
    }
    size_t count = 0;
    for (simdjson::dom::element item : list) {
      ++count;
      std::string_view description, type, url;
      int64_t id = 0;
      if (item["description"].get(description) != simdjson::SUCCESS || !description.starts_with(prefix)) continue;
      if (item["id"].get(id) != simdjson::SUCCESS) continue;
      bool inactive = false;
      if (item["inactiveFlag"].get(inactive) != simdjson::SUCCESS) inactive = false;
      if (item["type"].get(type) != simdjson::SUCCESS) type = {};
      if (item["url"].get(url) != simdjson::SUCCESS) url = {};
      ours.push_back(Entry{std::to_string(id), std::string(type), std::string(url), std::string(description), inactive});
    }
    if (count < 1000) break;
  }
  return ours;
}

}  // namespace

Result<WebhookRegistration> ConnectWiseConnector::register_webhooks(const Tenant& tenant, PsaHttp& http,
                                                                     const std::string& callback_url) const {
  auto ours = our_callbacks(tenant, http);
  if (!ours) return ours.error();
  WebhookRegistration out;
  http::Headers headers = auth_headers(tenant);
  headers.emplace_back("Content-Type", "application/json");
  for (std::string_view type : kTypes) {
    const std::string description = description_of(tenant, type);
    const auto found = std::find_if(ours->begin(), ours->end(), [&](const Entry& e) { return e.description == description; });
    if (found == ours->end()) {
      JsonWriter body;
      body.begin_object()
          .field("description", description)
          .field("url", callback_url)
          .field("objectId", 1)
          .field("type", type)
          .field("level", "Owner")
          .field("inactiveFlag", false)
          .end_object();
      auto r = http.send({.method = "POST", .url = tenant.base_url + "/system/callbacks", .headers = headers,
                          .body = body.take()});
      if (!r || (r->status != 200 && r->status != 201)) return failed("POST /system/callbacks", r);
      simdjson::dom::parser parser;
      int64_t id = 0;
      if (parser.parse(r->body)["id"].get(id) != simdjson::SUCCESS) {
        return make_error("psa_error", "ConnectWise's new callback has no id");
      }
      out.ids.push_back(std::to_string(id));
      out.changed = true;
      continue;
    }
    out.ids.push_back(found->id);
    if (found->url == callback_url && !found->inactive) continue;  // already as asked
    // A moved URL (a rotated URL secret) or a callback someone switched off: set it right.
    JsonWriter patch;
    patch.begin_array();
    patch.begin_object().field("op", "replace").field("path", "url").field("value", callback_url).end_object();
    patch.begin_object().field("op", "replace").field("path", "inactiveFlag").field("value", false).end_object();
    patch.end_array();
    auto r = http.send({.method = "PATCH", .url = tenant.base_url + "/system/callbacks/" + found->id,
                        .headers = headers, .body = patch.take()});
    if (!r || r->status != 200) return failed("PATCH /system/callbacks/" + found->id, r);
    out.changed = true;
  }
  return out;
}

Status ConnectWiseConnector::unregister_webhooks(const Tenant& tenant, PsaHttp& http, const std::string&) const {
  auto ours = our_callbacks(tenant, http);
  if (!ours) return ours.error();
  for (const Entry& e : *ours) {
    auto r = http.send({.method = "DELETE", .url = tenant.base_url + "/system/callbacks/" + e.id,
                        .headers = auth_headers(tenant)});
    // Gone already (another run got there first) is what was asked for.
    if (!r || (r->status != 204 && r->status != 200 && r->status != 404)) {
      return failed("DELETE /system/callbacks/" + e.id, r);
    }
  }
  return ok_status();
}

}  // namespace switchyard::connectors::connectwise
