// Sandbox wiring: one HttpServer behind the fault front; one PsaApi per registered PSA
// (psa_registry.h); one record store (behind its own lock) per tenant, shared by every PSA;
// each PSA's API wrapped in the same tenant middleware (prefix, quota, latency), fault
// middleware and write recording; control routes; request logging. Nothing here names a PSA
// but for the ConnectWise/Autotask conveniences of the public API.
#include "psa-sandbox/sandbox.h"

#include <chrono>
#include <mutex>
#include <stdexcept>

#include "common/http_server.h"
#include "common/json_writer.h"
#include "common/time_format.h"
#include "psa-sandbox/auth/token_issuer.h"
#include "psa-sandbox/control_api.h"
#include "psa-sandbox/fault_front.h"
#include "psa-sandbox/fault_middleware.h"
#include "psa-sandbox/faults.h"
#include "psa-sandbox/held_answers.h"
#include "psa-sandbox/psa_api.h"
#include "psa-sandbox/psa_registry.h"
#include "psa-sandbox/store.h"
#include "psa-sandbox/tenant_limits.h"
#include "psa-sandbox/tenant_middleware.h"
#include "psa-sandbox/webhook_sender.h"

namespace switchyard::sandbox {
namespace {

// Recorded writes are for tests and short runs; a long-running sandbox keeps the newest.
constexpr size_t kMaxRecordedWrites = 10000;
constexpr size_t kMaxRecordedBodyBytes = 256 * 1024;

// "http://host:port" as the client addressed us, so URLs we hand out (Link headers, zone
// URL, nextPageUrl) work through port mappings; falls back to the configured address.
std::string request_base(const http::Request& req, const std::string& fallback) {
  const std::string_view host = req.header("host");
  if (host.empty() || host.size() > 255) return fallback;
  for (const char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return fallback;
  }
  return "http://" + std::string(host);
}

int64_t record_id(const Value& v) {
  if (v.is_int()) return v.as_int();
  if (v.is_string()) {
    try {
      size_t used = 0;
      const long long n = std::stoll(v.as_string(), &used);
      if (used == v.as_string().size()) return n;
    } catch (const std::exception&) {
    }
  }
  throw std::invalid_argument("id must be an integer");
}

void check_tenant(std::string_view tenant) {
  if (!valid_tenant_name(tenant)) throw std::invalid_argument("tenant names are 1-64 of A-Z a-z 0-9 . _ -");
}

using PsaApis = std::vector<std::unique_ptr<PsaApi>>;

// One tenant's PSA instance: the records of every PSA, seeded by each, behind its own lock,
// so tenants do not wait for each other.
struct Instance {
  explicit Instance(const PsaApis& psas) {
    for (const auto& psa : psas) psa->seed(store);
  }
  std::mutex mu;
  Store store;
};

PsaApis make_psas(const SandboxOptions& options) {
  const PsaRegistry& registry = options.psas ? *options.psas : builtin_psa_registry();
  PsaApis out;
  for (const auto& name : registry.names()) {
    auto psa = (*registry.find(name))(options);
    if (!psa || psa->name() != name) throw std::logic_error("sandbox PSA " + name + " makes a PsaApi of another name");
    out.push_back(std::move(psa));
  }
  return out;
}

}  // namespace

struct Sandbox::Impl {
  explicit Impl(SandboxOptions opts) : options(std::move(opts)), psas(make_psas(options)) {
    for (const auto& psa : psas) limits.register_psa(psa->name());
    limits.reset(options.latency, options.quotas);  // throws std::invalid_argument for bad options
    instances.emplace(std::string(kDefaultTenant), std::make_shared<Instance>(psas));
  }

  PsaApi* find_psa(std::string_view name) const {
    for (const auto& psa : psas) {
      if (psa->name() == name) return psa.get();
    }
    return nullptr;
  }
  PsaApi& psa(std::string_view name) const {
    PsaApi* p = find_psa(name);
    if (!p) throw std::out_of_range("unknown psa " + std::string(name));
    return *p;
  }
  TokenIssuer& tokens(std::string_view name) const {
    TokenIssuer* t = psa(name).tokens();
    if (!t) throw std::out_of_range(std::string(name) + " has no token scheme");
    return *t;
  }

  std::string base_url() const { return "http://" + options.address + ":" + std::to_string(port); }

  // The tenant's instance, made (and seeded) on first use.
  std::shared_ptr<Instance> instance(std::string_view tenant) {
    std::lock_guard lock(instances_mu);
    auto it = instances.find(tenant);
    if (it == instances.end()) it = instances.emplace(std::string(tenant), std::make_shared<Instance>(psas)).first;
    return it->second;
  }
  std::shared_ptr<Instance> find_instance(std::string_view tenant) const {
    std::lock_guard lock(instances_mu);
    const auto it = instances.find(tenant);
    return it == instances.end() ? nullptr : it->second;
  }

  // One PSA's API call, under the lock that serialises the tenant's in-memory store. URLs the
  // PSA hands out keep the tenant's prefix.
  http::Response handle(PsaApi& psa, const http::Request& req) {
    const auto inst = instance(tenant_of(req));
    std::lock_guard lock(inst->mu);
    const std::string base = request_base(req, base_url()) + tenant_path(req);
    return psa.handle(req, inst->store, base);
  }

  // What is PSA-specific about a fault: the error body shape, and what is never faulted.
  static FaultShape fault_shape(const PsaApi& psa) {
    return {[&psa](int status, std::string_view message) { return psa.error(status, message); },
            [&psa](const http::Request& req) { return psa.exempt_from_faults(req); }};
  }

  // Every PSA is served the same way, innermost first: the API, the fault middleware (the
  // one place faults happen), the tenant's quota and latency, the write record (with the
  // status answered), the tenant prefix, the log line (with the path as requested).
  http::Handler psa_handler(PsaApi& psa) {
    const std::string name(psa.name());
    http::Handler api = [this, &psa](http::Request&& req, http::Responder respond) { respond(handle(psa, req)); };
    http::Handler faulted = with_faults(faults, held, name, fault_shape(psa), std::move(api));
    http::Handler limited = with_tenant_limits(limits, delays, name, fault_shape(psa), std::move(faulted));
    return logged(name, with_tenant_prefix(limits, recorded(psa, std::move(limited))));
  }

  http::Handler recorded(const PsaApi& psa, http::Handler inner) {
    return [this, &psa, inner = std::move(inner)](http::Request&& req, http::Responder respond) {
      if (!psa.is_write(req)) return inner(std::move(req), std::move(respond));
      auto entry = std::make_shared<RecordedRequest>(RecordedRequest{std::string(psa.name()), req.method, req.path,
                                                                     req.body.substr(0, kMaxRecordedBodyBytes), 0,
                                                                     {}, std::string(tenant_of(req))});
      inner(std::move(req), [this, entry, respond = std::move(respond)](http::Response r) {
        entry->status = r.status;
        const std::string_view fault = http::find_header(r.headers, kFaultHeader);
        entry->fault = std::string(fault.substr(0, fault.find(';')));
        record(std::move(*entry));
        respond(std::move(r));
      });
    };
  }

  void record(RecordedRequest entry) {
    std::lock_guard lock(writes_mu);
    if (writes.size() >= kMaxRecordedWrites) writes.erase(writes.begin(), writes.begin() + kMaxRecordedWrites / 2);
    writes.push_back(std::move(entry));
  }

  // Logs one JSON line per answered request; never header values (credentials live there).
  http::Handler logged(std::string psa, http::Handler inner) {
    if (!options.request_log) return inner;
    return [this, psa = std::move(psa), inner = std::move(inner)](http::Request&& req, http::Responder respond) {
      const auto start = std::chrono::steady_clock::now();
      std::string method = req.method, path = req.path;
      inner(std::move(req), [this, psa, method = std::move(method), path = std::move(path), start,
                             respond = std::move(respond)](http::Response r) {
        const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        JsonWriter w;
        w.begin_object().field("ts", format_rfc3339_utc(std::chrono::system_clock::now()));
        w.field("psa", psa).field("method", method).field("path", path);
        w.field("status", r.status).field("ms", ms);
        if (const auto fault = http::find_header(r.headers, kFaultHeader); !fault.empty()) w.field("fault", fault);
        w.end_object();
        options.request_log(w.str());
        respond(std::move(r));
      });
    };
  }

  std::string store_key(std::string_view psa, std::string_view entity) const {
    const PsaApi* p = find_psa(psa);
    return p ? p->store_key(entity) : std::string{};
  }

  SandboxOptions options;
  PsaApis psas;  // before the instances, which they seed
  mutable std::mutex instances_mu;
  std::map<std::string, std::shared_ptr<Instance>, std::less<>> instances;
  Faults faults;
  TenantLimits limits;
  HeldAnswers held;    // timeout faults' answers
  HeldAnswers delays;  // requests waiting out the latency
  mutable std::mutex writes_mu;
  std::vector<RecordedRequest> writes;
  std::unique_ptr<http::HttpServer> server;
  std::unique_ptr<FaultFront> front;  // the public port; relays to `server`
  uint16_t port = 0;
};

Sandbox::Sandbox(SandboxOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Sandbox::~Sandbox() { stop(); }

void Sandbox::start() {
  if (impl_->server) throw std::logic_error("Sandbox::start called twice");
  http::ServerOptions opts;
  // Private: clients reach it through the front, which can drop connections mid-response.
  opts.address = "127.0.0.1";
  opts.port = 0;
  opts.threads = 4;  // a blocking callback send must not stall the APIs
  auto server = std::make_unique<http::HttpServer>(opts);
  Impl* impl = impl_.get();
  for (const auto& psa : impl->psas) {
    const http::Handler handler = impl->psa_handler(*psa);
    const std::string name(psa->name());
    for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
      server->route(method, "/" + name + "/{rest...}", handler);
      server->route(method, "/tenants/{tenant}/" + name + "/{rest...}", handler);
    }
  }
  register_control_routes(*server, *this, [impl](std::string psa, http::Handler h) {
    return impl->logged(std::move(psa), std::move(h));
  });
  server->start();
  auto front = std::make_unique<FaultFront>(impl_->options.address, impl_->options.port, server->port());
  front->start();
  impl_->port = front->port();
  impl_->server = std::move(server);
  impl_->front = std::move(front);
}

void Sandbox::stop() {
  if (!impl_->server) return;
  impl_->held.release_all();  // held answers would make the server wait for them
  impl_->delays.release_all();
  impl_->front->stop();
  impl_->front.reset();
  impl_->server->stop(std::chrono::milliseconds(1000));
  impl_->server.reset();
}

uint16_t Sandbox::port() const { return impl_->port; }
std::string Sandbox::base_url() const { return impl_->base_url(); }
std::string Sandbox::connectwise_base_url() const { return psa_base_url("connectwise"); }
std::string Sandbox::autotask_base_url() const { return psa_base_url("autotask"); }
std::string Sandbox::connectwise_base_url(std::string_view tenant) const {
  check_tenant(tenant);
  return base_url() + "/tenants/" + std::string(tenant) + std::string(impl_->psa("connectwise").base_path());
}
std::string Sandbox::autotask_base_url(std::string_view tenant) const {
  check_tenant(tenant);
  return base_url() + "/tenants/" + std::string(tenant) + std::string(impl_->psa("autotask").base_path());
}
std::string Sandbox::psa_base_url(std::string_view psa, std::string_view tenant) const {
  const std::string path(impl_->psa(psa).base_path());
  if (tenant == kDefaultTenant) return base_url() + path;
  check_tenant(tenant);
  return base_url() + "/tenants/" + std::string(tenant) + path;
}
std::vector<std::string> Sandbox::psas() const {
  std::vector<std::string> out;
  for (const auto& psa : impl_->psas) out.emplace_back(psa->name());
  return out;
}

std::vector<RecordedRequest> Sandbox::writes() const {
  std::lock_guard lock(impl_->writes_mu);
  return impl_->writes;
}

std::vector<std::string> Sandbox::records(std::string_view psa, std::string_view entity, std::string_view tenant) const {
  std::vector<std::string> out;
  const std::string key = impl_->store_key(psa, entity);
  const auto inst = impl_->find_instance(tenant);
  if (key.empty() || !inst) return out;
  std::lock_guard lock(inst->mu);
  if (const auto* records = inst->store.find_collection(key)) {
    for (const auto& [id, record] : *records) out.push_back(record.dump());
  }
  return out;
}

std::vector<std::string> Sandbox::tenants() const {
  std::vector<std::string> out{std::string(kDefaultTenant)};
  std::lock_guard lock(impl_->instances_mu);
  for (const auto& [name, inst] : impl_->instances) {
    if (name != kDefaultTenant) out.push_back(name);
  }
  return out;
}

std::string Sandbox::upsert_record(std::string_view psa, std::string_view entity, std::string_view json,
                                   std::string_view tenant) {
  auto body = parse_json(json);
  if (!body || !body->is_object()) throw std::invalid_argument("record must be a JSON object");
  const std::string key = impl_->store_key(psa, entity);
  if (key.empty()) throw std::invalid_argument("unknown entity " + std::string(psa) + "/" + std::string(entity));
  check_tenant(tenant);
  if (!impl_->limits.admit_tenant(tenant)) throw std::invalid_argument("too many tenants");
  const auto inst = impl_->instance(tenant);
  std::lock_guard lock(inst->mu);
  Store& store = inst->store;
  const Value* given_id = body->find("id");
  const int64_t id = given_id && !given_id->is_null() ? record_id(*given_id) : store.allocate_id(key);
  Value* existing = store.find(key, id);
  const bool created = existing == nullptr;
  Value::Object members{{"id", id}};
  Value record = created ? Value(std::move(members)) : *existing;
  for (const auto& [k, v] : body->as_object()) {
    if (k != "id") record.set(k, v);
  }
  impl_->psa(psa).stamp_upsert(entity, record, created, store);
  Value& stored = store.collection(key)[id] = std::move(record);
  return stored.dump();
}

void Sandbox::inject_fault(std::string_view psa, Fault fault) { impl_->faults.inject(psa, fault); }

void Sandbox::set_latency(Latency latency) { impl_->limits.set_latency(latency); }
Latency Sandbox::latency() const { return impl_->limits.latency(); }
void Sandbox::set_tenant_quota(std::string_view tenant, Quota quota) { impl_->limits.set_quota(tenant, quota); }
void Sandbox::clear_tenant_quota(std::string_view tenant) { impl_->limits.clear_quota(tenant); }
void Sandbox::clear_tenant_quotas() { impl_->limits.clear_quotas(); }
std::map<std::string, Quota> Sandbox::tenant_quotas() const { return impl_->limits.quotas(); }
std::map<std::string, TenantCounts> Sandbox::tenant_counts() const { return impl_->limits.counts(); }

void Sandbox::clear_faults() { impl_->faults.clear_rules(); }

std::map<std::string, int64_t> Sandbox::applied_faults() const { return impl_->faults.applied(); }

std::vector<std::pair<std::string, Fault>> Sandbox::pending_faults() const { return impl_->faults.pending(); }

Result<int> Sandbox::fire_connectwise_callback(const std::string& url, std::string_view entity, std::string_view id,
                                               std::string_view action) {
  return fire_webhook("connectwise", url, entity, id, action);
}

Result<int> Sandbox::fire_webhook(std::string_view psa, const std::string& url, std::string_view entity,
                                  std::string_view id, std::string_view action, std::string_view tenant) {
  PsaApi* api = impl_->find_psa(psa);
  if (!api) return make_error("unknown_psa", "unknown psa " + std::string(psa));
  if (!valid_tenant_name(tenant)) return make_error("invalid_argument", "tenant names are 1-64 of A-Z a-z 0-9 . _ -");
  Result<WebhookMessage> message = make_error("not_started", "");
  {
    const auto inst = impl_->instance(tenant);
    std::lock_guard lock(inst->mu);
    message = api->build_webhook(inst->store, base_url(), WebhookEvent{std::string(entity), std::string(id),
                                                                       std::string(action)});
  }
  if (!message) return message.error();
  return send_webhook(url, *message);  // outside the lock: the receiver may call us back
}

TokenStats Sandbox::token_stats(std::string_view psa) const { return impl_->tokens(psa).stats(); }
void Sandbox::set_token_lifetime(std::string_view psa, std::chrono::seconds lifetime) {
  impl_->tokens(psa).set_lifetime(lifetime);
}
bool Sandbox::revoke_credential(std::string_view psa, std::string_view credential) {
  return impl_->tokens(psa).revoke(credential);
}
bool Sandbox::restore_credential(std::string_view psa, std::string_view credential) {
  return impl_->tokens(psa).restore(credential);
}
void Sandbox::expire_tokens(std::string_view psa) { impl_->tokens(psa).expire_all(); }
std::vector<IssuedTokenValues> Sandbox::issued_tokens(std::string_view psa) const {
  return impl_->tokens(psa).issued();
}

void Sandbox::reset() {
  {
    std::lock_guard lock(impl_->instances_mu);
    impl_->instances.clear();
    impl_->instances.emplace(std::string(kDefaultTenant), std::make_shared<Instance>(impl_->psas));
  }
  {
    std::lock_guard lock(impl_->writes_mu);
    impl_->writes.clear();
  }
  impl_->faults.clear();
  impl_->limits.reset(impl_->options.latency, impl_->options.quotas);
  for (const auto& psa : impl_->psas) {
    if (TokenIssuer* tokens = psa->tokens()) tokens->reset();
  }
}

}  // namespace switchyard::sandbox
