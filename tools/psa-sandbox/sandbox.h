// Sandbox: an HTTP server that imitates the PSA REST APIs Switchyard talks to (ConnectWise
// Manage 3.0 and Autotask REST V1.0, plus token-protected echo PSAs for the token schemes)
// closely enough for connectors and end-to-end tests: same paths, auth headers, query syntax,
// paging, error bodies and quirks as far as the PSAs' public API documentation describes
// them (docs/psa-sandbox.md, docs/psa/). Each PSA is a PsaApi in its own folder, registered
// by name (psa_registry.h). Records live in memory; every write is recorded so tests can
// assert on what the pipeline sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace switchyard::sandbox {

struct ConnectWiseCredentials {
  std::string company_id = "switchyard_demo";
  std::string public_key = "demo-public";
  std::string private_key = "demo-private";
  std::string client_id = "00000000-0000-4000-8000-000000000001";
  std::string signing_key = "demo-signing-key";  // served at the callbacks' key_url
};

struct AutotaskCredentials {
  std::string username = "api@switchyard.test";
  std::string secret = "demo-secret";
  std::string integration_code = "DEMOINTEGRATIONCODE";
  std::string webhook_secret = "demo-at-webhook-secret";
};

// Latency injection (tools/psa-sandbox/tenant_middleware.h): every matching API request waits
// `fixed` plus a uniform draw in [0, jitter] before the PSA handles it; other requests are
// served meanwhile (a timer, not a thread, holds each one). All zero = no latency.
struct Latency {
  std::chrono::milliseconds fixed{0};   // 0..60 s
  std::chrono::milliseconds jitter{0};  // 0..60 s
  std::string psa{};                    // "" or "*" = every PSA
  std::string tenant{};                 // "" = every tenant (see tenants below)
  uint64_t seed = 0;                    // jitter draws; 0 = random
};

// A tenant's request quota, as a PSA instance enforces it. Tenants: a request under
// /tenants/<name>/ belongs to tenant <name>, any other request to tenant "default". Past the
// quota the PSA's own 429 body is answered with Retry-After; nothing is processed. All zero
// (and not exhausted) = no limit.
struct Quota {
  double requests_per_second = 0;  // token bucket refill rate, 0..100000; 0 = no per-second limit
  int burst = 0;                   // bucket size, 0..1000000; 0 = max(1, ceil(requests_per_second))
  int64_t requests_per_hour = 0;   // fixed one-hour window from the window's first request; 0 = none
  // Retry-After on a 429, 0..86400. 0 = computed: seconds until a request would pass again
  // (rounded up, at least 1); 30 for an exhausted quota.
  int retry_after_seconds = 0;
  bool exhausted = false;  // every request is refused (a tenant throttled for the whole run)
  // Autotask's progressive latency as a database nears its hourly threshold: added to each
  // request once half (then three quarters) of requests_per_hour is used. 0..60000 ms each.
  std::chrono::milliseconds slow_from_half{0};
  std::chrono::milliseconds slow_from_three_quarters{0};
};

// Per-tenant request counts (API requests that quotas apply to: zone lookups excluded).
struct TenantCounts {
  int64_t requests = 0;   // every such request, refused or not
  int64_t throttled = 0;  // answered 429 by the tenant's quota
};

class PsaRegistry;

// A token scheme's state (OAuth2 client credentials, user/password exchange), per PSA.
struct TokenStats {
  int64_t token_requests = 0;  // every request to the token endpoint, refused ones included
  int64_t issued = 0;          // access tokens handed out
  int64_t refused = 0;         // token requests refused (bad form, wrong or revoked credentials)
  int64_t live_tokens = 0;     // issued, not expired, credential not revoked
  std::chrono::seconds lifetime{3600};  // of tokens issued from now on
  std::vector<std::string> revoked;     // revoked credential ids (client ids, user names)
};

// One token response's secrets: what must never be readable outside the client's memory.
struct IssuedTokenValues {
  std::string access_token;
  std::string refresh_token;
};

struct SandboxOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0 = ephemeral, see Sandbox::port()
  ConnectWiseCredentials connectwise{};
  AutotaskCredentials autotask{};
  // Called once per answered request with one JSON line (method, path, status, psa, ms).
  // Never contains header values, so no credentials. Empty = no logging.
  std::function<void(std::string_view line)> request_log{};
  // Latency and quotas in force from start; reset() comes back to them. Quotas are keyed by
  // tenant name, "*" = every tenant without a quota of its own.
  Latency latency{};
  std::map<std::string, Quota> quotas{};
  // The PSAs to serve; nullptr = every built-in PSA (builtin_psa_registry()). Must outlive
  // the Sandbox.
  const PsaRegistry* psas = nullptr;
};

// A POST/PUT/PATCH/DELETE against a PSA API (control endpoints excluded), with the status
// the sandbox answered, including refused and fault-injected ones.
struct RecordedRequest {
  std::string psa;     // a registered PSA name: "connectwise", "autotask", ...
  std::string method;
  std::string path;    // decoded, without the query
  std::string body;
  int status = 0;
  std::string fault;  // "" or the kind of fault applied ("status", "timeout", "drop", "quota")
  std::string tenant = "default";  // the /tenants/<name>/ prefix, or "default"
};

// Faults are PSA-agnostic: the same kinds apply to every PSA's API (tools/psa-sandbox/
// fault_middleware.h); only the error body takes the PSA's shape. See docs/psa-sandbox.md.
enum class FaultKind {
  status,   // answer `status` (+ Retry-After) before any processing; nothing is stored
  timeout,  // hold the answer for `hold` (past the client's timeout)
  drop,     // close the connection part-way through the answer (see `cut`)
};
// Where a dropped answer is cut.
enum class DropCut {
  before,   // nothing is sent: the connection just closes
  headers,  // half of the status line and headers
  body,     // the whole header, half of the body
};

// One fault rule for a PSA (or "*", every PSA). The first three members keep the original
// meaning: the next `count` API requests are answered with `status`.
struct Fault {
  int status = 429;
  int retry_after_seconds = 1;  // Retry-After header on status faults when > 0
  int count = 1;                // requests to fault; 0 with a duration = no limit within it
  FaultKind kind = FaultKind::status;
  std::chrono::milliseconds duration{0};  // burst window from injection; 0 = until count is used
  double probability = 1.0;               // chance that a request during the burst is faulted
  std::chrono::milliseconds hold{15000};  // timeout: how long the answer is held (max 10 min)
  // timeout/drop: the PSA processes (stores) the request first, and only the answer is late or
  // lost — the case that makes a blind retry write twice. When false, nothing is stored: a
  // timeout answers 504 after the hold, a drop cuts a 502.
  bool process = true;
  DropCut cut = DropCut::body;
  std::optional<std::string> body{};  // status: replaces the PSA's error body ("" = no body)
  uint64_t seed = 0;                // probability draws; 0 = random
  // Only requests with this method / whose decoded path matches this regular expression
  // (ECMAScript, searched, case-insensitive) are faulted; empty = any. Others use up nothing.
  std::string method{};
  std::string path{};
  // Only requests of this tenant are faulted; "" = every tenant. A rule for one tenant and
  // one for every tenant coexist (the tenant's own applies first): faults are kept per
  // (psa or "*", tenant or "").
  std::string tenant{};
};

class Sandbox {
 public:
  explicit Sandbox(SandboxOptions options = {});
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  void start();  // throws std::runtime_error when the address cannot be bound
  void stop();
  uint16_t port() const;

  std::string base_url() const;              // "http://127.0.0.1:PORT"
  std::string connectwise_base_url() const;  // base_url() + "/connectwise/v4_6_release/apis/3.0"
  std::string autotask_base_url() const;     // base_url() + "/autotask/ATServicesRest" (zone URL)
  // The same for one tenant: base_url() + "/tenants/<tenant>" + the PSA's prefix. Each tenant
  // is a separate PSA instance (its own records, seeded like the default one) with its own
  // quota. Names: 1-64 of A-Z a-z 0-9 . _ - (std::invalid_argument otherwise).
  std::string connectwise_base_url(std::string_view tenant) const;
  std::string autotask_base_url(std::string_view tenant) const;
  // Any served PSA's base URL (base_url() + [/tenants/<tenant>] + the PSA's base path).
  // Throws std::out_of_range for a PSA not served, std::invalid_argument for a bad tenant.
  std::string psa_base_url(std::string_view psa, std::string_view tenant = "default") const;
  std::vector<std::string> psas() const;  // the served PSAs' names, in registration order

  std::vector<RecordedRequest> writes() const;
  // Current records of one entity as JSON objects, ordered by id. psa "connectwise" takes
  // "tickets", "companies", "contacts", "agreements", "additions", "configurations",
  // "callbacks" (or the API path, "service/tickets"); "autotask" takes the API entity name
  // ("Tickets", "Companies", "Contacts", "Contracts", "ContractCharges",
  // "ConfigurationItems", "TicketNotes"), case-insensitively. Unknown → empty.
  // `tenant` selects the instance ("default": the one without a prefix); a tenant that has not
  // been used yet has no records.
  std::vector<std::string> records(std::string_view psa, std::string_view entity,
                                   std::string_view tenant = "default") const;
  // Seeds or modifies a record without validation: merges the given top-level fields into
  // the record with the same id (or creates it, assigning an id when missing) and bumps
  // its change timestamp (_info.lastUpdated / lastActivityDate). Returns the stored JSON.
  // Throws std::invalid_argument for an unknown psa/entity or a body that is not an object.
  std::string upsert_record(std::string_view psa, std::string_view entity, std::string_view json,
                            std::string_view tenant = "default");
  // Tenants that have an instance (were used or upserted into), "default" first.
  std::vector<std::string> tenants() const;
  // `psa` is a PSA name or "*" (every PSA). Replaces the pending rule of that target and
  // fault.tenant; count 0 without a duration clears it. Throws std::out_of_range for an unknown psa and
  // std::invalid_argument for a bad fault.
  void inject_fault(std::string_view psa, Fault fault);
  void clear_faults();  // every pending rule; counts stay
  std::vector<std::pair<std::string, Fault>> pending_faults() const;  // (psa or "*", rule)
  // Faults actually applied since start or reset, keyed "psa/kind" ("autotask/drop").
  std::map<std::string, int64_t> applied_faults() const;

  // Latency and quotas are PSA-agnostic like faults (tools/psa-sandbox/tenant_middleware.h).
  // Both throw std::invalid_argument naming a bad member (unknown psa, bad tenant name,
  // out-of-range value). A quota change starts every tenant's bucket and hour afresh.
  void set_latency(Latency latency);
  Latency latency() const;
  // `tenant` is a tenant name or "*" (every tenant without a quota of its own).
  void set_tenant_quota(std::string_view tenant, Quota quota);
  void clear_tenant_quota(std::string_view tenant);  // back to "*" (or none)
  void clear_tenant_quotas();                        // every quota, "*" included; counts stay
  std::map<std::string, Quota> tenant_quotas() const;
  std::map<std::string, TenantCounts> tenant_counts() const;  // since start or reset

  // Builds a ConnectWise callback for a stored record (entity "ticket" | "company" |
  // "contact" | "agreement" | "configuration"; action "added" | "updated" | "deleted"),
  // signs it like ConnectWise (x-content-signature) and POSTs it to `url`. Returns the
  // receiver's HTTP status, or an Error ("not_found" for an unknown record, or the
  // HttpClient's error).
  Result<int> fire_connectwise_callback(const std::string& url, std::string_view entity, std::string_view id,
                                        std::string_view action);
  // The same for any PSA that sends webhooks (its PsaApi builds and signs the message) on
  // `tenant`'s records. Errors: "unknown_psa", "not_supported" (the PSA sends none),
  // "invalid_argument", "not_found", or the HttpClient's error.
  Result<int> fire_webhook(std::string_view psa, const std::string& url, std::string_view entity,
                           std::string_view id, std::string_view action, std::string_view tenant = "default");

  // Token schemes (PSAs whose PsaApi has a TokenIssuer; std::out_of_range for any other).
  // One token state per PSA, shared by its tenants. See docs/psa-sandbox.md.
  TokenStats token_stats(std::string_view psa) const;
  // Lifetime of tokens issued from now on, 1 s .. 24 h (std::invalid_argument otherwise).
  void set_token_lifetime(std::string_view psa, std::chrono::seconds lifetime);
  // Revoked: the token endpoint refuses the credential (401) and its issued tokens get 401.
  // Restored: it gets new tokens again; tokens issued before stay dead. False for an
  // unknown credential id (client id or user name).
  bool revoke_credential(std::string_view psa, std::string_view credential);
  bool restore_credential(std::string_view psa, std::string_view credential);
  void expire_tokens(std::string_view psa);  // every issued token expires now
  // Every token the PSA issued since start or reset, oldest first (expired and revoked ones
  // too): what a test looks for in a Redis dump or a log.
  std::vector<IssuedTokenValues> issued_tokens(std::string_view psa) const;

  // Back to the seed data (tenants' instances are dropped); clears writes, faults, tenant
  // counts and token state, and puts latency and quotas back to the SandboxOptions ones.
  void reset();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::sandbox
