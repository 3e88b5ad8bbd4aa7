// Sandbox wiring: one HttpServer, the two PSA APIs behind a shared lock, faults checked
// before any processing, writes recorded after, control routes, request logging.
#include "psa-sandbox/sandbox.h"

#include <chrono>
#include <mutex>
#include <stdexcept>

#include "common/http_server.h"
#include "common/json_writer.h"
#include "psa-sandbox/autotask_api.h"
#include "psa-sandbox/autotask_model.h"
#include "psa-sandbox/callbacks.h"
#include "psa-sandbox/connectwise_api.h"
#include "psa-sandbox/connectwise_model.h"
#include "psa-sandbox/control_api.h"
#include "psa-sandbox/faults.h"
#include "psa-sandbox/store.h"

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

}  // namespace

struct Sandbox::Impl {
  explicit Impl(SandboxOptions opts) : options(std::move(opts)) { seed(store); }

  std::string base_url() const { return "http://" + options.address + ":" + std::to_string(port); }

  // Both PSAs: fault first (nothing processed), then the API, then the write record.
  void serve(std::string_view psa, http::Request&& req, http::Responder respond) {
    http::Response response;
    {
      std::lock_guard lock(mu);
      const bool exempt = psa == "autotask" && AutotaskApi::is_zone_lookup(req);
      const auto fault = exempt ? std::nullopt : faults.take(psa);
      const std::string base = request_base(req, base_url());
      if (fault) response = fault_response(psa, *fault);
      else if (psa == "connectwise") response = connectwise.handle(req, base);
      else response = autotask.handle(req, base);
      const bool write = psa == "autotask" ? AutotaskApi::is_write(req)
                                           : (req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                                              req.method == "DELETE");
      if (write) record(psa, req, response.status);
    }
    respond(std::move(response));
  }

  void record(std::string_view psa, const http::Request& req, int status) {
    if (writes.size() >= kMaxRecordedWrites) writes.erase(writes.begin(), writes.begin() + kMaxRecordedWrites / 2);
    writes.push_back({std::string(psa), req.method, req.path, req.body.substr(0, kMaxRecordedBodyBytes), status});
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
        w.begin_object().field("ts", at_now()).field("psa", psa).field("method", method).field("path", path);
        w.field("status", r.status).field("ms", ms).end_object();
        options.request_log(w.str());
        respond(std::move(r));
      });
    };
  }

  std::string store_key(std::string_view psa, std::string_view entity) const {
    if (psa == "connectwise") {
      if (const CwEntity* e = cw_entity(entity)) return cw_store_key(*e);
    } else if (psa == "autotask") {
      if (const AtEntity* e = at_entity(entity)) return at_store_key(*e);
    }
    return {};
  }

  SandboxOptions options;
  mutable std::mutex mu;
  Store store;
  Faults faults;
  std::vector<RecordedRequest> writes;
  ConnectWiseApi connectwise{options.connectwise, store};
  AutotaskApi autotask{options.autotask, store};
  std::unique_ptr<http::HttpServer> server;
  uint16_t port = 0;
};

Sandbox::Sandbox(SandboxOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Sandbox::~Sandbox() { stop(); }

void Sandbox::start() {
  if (impl_->server) throw std::logic_error("Sandbox::start called twice");
  http::ServerOptions opts;
  opts.address = impl_->options.address;
  opts.port = impl_->options.port;
  opts.threads = 4;  // a blocking callback send must not stall the APIs
  auto server = std::make_unique<http::HttpServer>(opts);
  Impl* impl = impl_.get();
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    server->route(method, "/connectwise/{rest...}", impl->logged("connectwise", [impl](http::Request&& r, http::Responder d) {
      impl->serve("connectwise", std::move(r), std::move(d));
    }));
    server->route(method, "/autotask/{rest...}", impl->logged("autotask", [impl](http::Request&& r, http::Responder d) {
      impl->serve("autotask", std::move(r), std::move(d));
    }));
  }
  register_control_routes(*server, *this, [impl](std::string psa, http::Handler h) {
    return impl->logged(std::move(psa), std::move(h));
  });
  server->start();
  impl_->port = server->port();
  impl_->server = std::move(server);
}

void Sandbox::stop() {
  if (!impl_->server) return;
  impl_->server->stop(std::chrono::milliseconds(1000));
  impl_->server.reset();
}

uint16_t Sandbox::port() const { return impl_->port; }
std::string Sandbox::base_url() const { return impl_->base_url(); }
std::string Sandbox::connectwise_base_url() const { return base_url() + std::string(kConnectWisePrefix); }
std::string Sandbox::autotask_base_url() const { return base_url() + std::string(kAutotaskPrefix); }

std::vector<RecordedRequest> Sandbox::writes() const {
  std::lock_guard lock(impl_->mu);
  return impl_->writes;
}

std::vector<std::string> Sandbox::records(std::string_view psa, std::string_view entity) const {
  std::lock_guard lock(impl_->mu);
  std::vector<std::string> out;
  const std::string key = impl_->store_key(psa, entity);
  if (key.empty()) return out;
  if (const auto* records = impl_->store.find_collection(key)) {
    for (const auto& [id, record] : *records) out.push_back(record.dump());
  }
  return out;
}

std::string Sandbox::upsert_record(std::string_view psa, std::string_view entity, std::string_view json) {
  auto body = parse_json(json);
  if (!body || !body->is_object()) throw std::invalid_argument("record must be a JSON object");
  std::lock_guard lock(impl_->mu);
  const std::string key = impl_->store_key(psa, entity);
  if (key.empty()) throw std::invalid_argument("unknown entity " + std::string(psa) + "/" + std::string(entity));
  Store& store = impl_->store;
  const Value* given_id = body->find("id");
  const int64_t id = given_id && !given_id->is_null() ? record_id(*given_id) : store.allocate_id(key);
  Value* existing = store.find(key, id);
  const bool created = existing == nullptr;
  Value::Object members{{"id", id}};
  Value record = created ? Value(std::move(members)) : *existing;
  for (const auto& [k, v] : body->as_object()) {
    if (k != "id") record.set(k, v);
  }
  if (psa == "connectwise") {
    Value info = record.find("_info") && record.find("_info")->is_object() ? *record.find("_info")
                                                                           : Value(Value::Object{});
    info.set("lastUpdated", cw_now());
    if (!info.find("updatedBy")) info.set("updatedBy", "sandbox");
    record.erase("_info");
    record.set("_info", std::move(info));
  } else {
    const AtEntity& e = *at_entity(entity);
    if (created && !e.create_date.empty() && !record.find(e.create_date)) record.set(e.create_date, at_now());
    if (e.name == "Tickets" && !record.find("ticketNumber")) record.set("ticketNumber", at_ticket_number(store));
    at_stamp(e, record, store, false);
  }
  Value& stored = store.collection(key)[id] = std::move(record);
  return stored.dump();
}

void Sandbox::inject_fault(std::string_view psa, Fault fault) {
  if (psa != "connectwise" && psa != "autotask") throw std::invalid_argument("psa must be connectwise or autotask");
  if (fault.status < 400 || fault.status > 599) throw std::invalid_argument("fault status must be 4xx or 5xx");
  if (fault.retry_after_seconds < 0 || fault.retry_after_seconds > 86400) {
    throw std::invalid_argument("retry_after_seconds must be 0..86400");
  }
  std::lock_guard lock(impl_->mu);
  impl_->faults.inject(psa, fault);
}

Result<int> Sandbox::fire_connectwise_callback(const std::string& url, std::string_view entity, std::string_view id,
                                               std::string_view action) {
  Result<CallbackMessage> message = make_error("not_started", "");
  {
    std::lock_guard lock(impl_->mu);
    message = build_connectwise_callback(impl_->store, impl_->options.connectwise, base_url(), entity, id, action);
  }
  if (!message) return message.error();
  return send_callback(url, *message);  // outside the lock: the receiver may call us back
}

void Sandbox::reset() {
  std::lock_guard lock(impl_->mu);
  impl_->store.clear();
  seed(impl_->store);
  impl_->writes.clear();
  impl_->faults.clear();
}

}  // namespace switchyard::sandbox
