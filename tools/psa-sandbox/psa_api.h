// PsaApi: everything the sandbox knows about one PSA. The sandbox serves every PSA the same
// way (tenants, quotas, latency, faults, write recording, request log: sandbox.cpp) and asks
// the PsaApi only for what differs: its routes and auth, its error body, its seed data, how
// tests name its records, and the webhook it sends. Each PSA lives in its own folder and
// registers itself by name (psa_registry.h), like the connectors in libs/connectors/.
#pragma once

#include <string>
#include <string_view>

#include "common/http_types.h"
#include "common/result.h"
#include "psa-sandbox/json_value.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox {

class TokenIssuer;

// A webhook (callback) for a stored record, as the control API and Sandbox::fire_webhook ask.
struct WebhookEvent {
  std::string entity;  // PSA-specific: "ticket" for ConnectWise
  std::string id;
  std::string action;  // "added" | "updated" | "deleted"
};

// What the PSA would POST to a receiver: the body and its (signature) headers.
struct WebhookMessage {
  std::string body;
  http::Headers headers;
};

class PsaApi {
 public:
  virtual ~PsaApi() = default;

  // The first path segment of every route (/<name>/..., /tenants/<t>/<name>/...), and the
  // name the control API, faults, latency and the request log use.
  virtual std::string_view name() const = 0;
  // The path a client's base URL ends in ("/connectwise/v4_6_release/apis/3.0").
  virtual std::string_view base_path() const = 0;

  // Fills a fresh tenant's store with this PSA's seed records (keys "<name>/...").
  virtual void seed(Store& store) const = 0;

  // Serves one request below /<name>/, auth included. Called under the tenant's lock (so
  // `store` is the caller's alone) but concurrently for different tenants: state of the
  // PsaApi itself must be thread-safe. `base` is "http://host:port[/tenants/<t>]", for URLs
  // the PSA hands out.
  virtual http::Response handle(const http::Request& request, Store& store, std::string_view base) = 0;

  // The PSA's error answer for an injected fault's or a quota's status.
  virtual http::Response error(int status, std::string_view message) const = 0;
  // Requests that faults and quotas never touch (Autotask's zone lookup).
  virtual bool exempt_from_faults(const http::Request&) const { return false; }
  // Whether a request changes records (recorded in Sandbox::writes()).
  virtual bool is_write(const http::Request& request) const {
    const std::string& m = request.method;
    return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
  }

  // The store key of an entity as tests name it ("tickets" → "connectwise/tickets"); ""
  // for an unknown entity.
  virtual std::string store_key(std::string_view entity) const = 0;
  // Sets the change fields a write through Sandbox::upsert_record must bump.
  virtual void stamp_upsert(std::string_view /*entity*/, Value& /*record*/, bool /*created*/,
                            Store& /*store*/) const {}

  // The webhook this PSA sends for `event`; Error "not_supported" when it sends none,
  // "invalid_argument" or "not_found" for a bad event. `base` is the sandbox's base URL.
  virtual Result<WebhookMessage> build_webhook(Store& /*store*/, std::string_view /*base*/,
                                               const WebhookEvent& /*event*/) const {
    return make_error("not_supported", std::string(name()) + " sends no webhooks in the sandbox");
  }

  // The token state behind a token scheme (control API: /_sandbox/tokens/<name>); nullptr
  // for PSAs whose auth needs no tokens.
  virtual TokenIssuer* tokens() { return nullptr; }
};

}  // namespace switchyard::sandbox
