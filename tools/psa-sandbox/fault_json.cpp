#include "psa-sandbox/fault_json.h"

#include <limits>

#include "common/json_writer.h"
#include "psa-sandbox/faults.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {
namespace {

Error bad(std::string_view member, std::string_view rule) {
  return make_error("invalid_fault", std::string(member) + ": " + std::string(rule));
}

// Reads an integer member into `out` when present; false (with `error`) when it is not one.
bool read_int(const Value& body, std::string_view key, int64_t& out, std::optional<Error>& error) {
  const Value* v = body.find(key);
  if (v == nullptr) return true;
  if (!v->is_int()) {
    error = bad(key, "must be an integer");
    return false;
  }
  out = v->as_int();
  return true;
}

}  // namespace

Result<Fault> fault_from_json(std::string_view json) {
  auto parsed = parse_json(json.empty() ? "{}" : json);
  if (!parsed || !parsed->is_object()) return make_error("invalid_json", "body must be a JSON object");
  const Value& body = *parsed;
  Fault f;
  if (const Value* kind = body.find("kind")) {
    const std::string k = kind->is_string() ? kind->as_string() : "";
    if (k == "status")
      f.kind = FaultKind::status;
    else if (k == "timeout")
      f.kind = FaultKind::timeout;
    else if (k == "drop")
      f.kind = FaultKind::drop;
    else
      return bad("kind", "must be \"status\", \"timeout\" or \"drop\"");
  }
  std::optional<Error> error;
  int64_t status = f.status, retry_after = f.retry_after_seconds, count = f.count;
  int64_t duration_ms = 0, hold_ms = f.hold.count();
  int64_t seed = 0;
  if (!read_int(body, "status", status, error) || !read_int(body, "retry_after_seconds", retry_after, error) ||
      !read_int(body, "count", count, error) || !read_int(body, "duration_ms", duration_ms, error) ||
      !read_int(body, "hold_ms", hold_ms, error) || !read_int(body, "seed", seed, error)) {
    return *error;
  }
  constexpr int64_t kIntMax = std::numeric_limits<int>::max();
  if (status < 0 || status > 999) return bad("status", "must be 4xx or 5xx");
  if (retry_after < 0 || retry_after > kIntMax) return bad("retry_after_seconds", "must be 0..86400");
  if (count < 0 || count > kIntMax) return bad("count", "must be 0 or more");
  // A duration without a count means "every request during it".
  if (body.find("duration_ms") != nullptr && body.find("count") == nullptr) count = 0;
  f.status = static_cast<int>(status);
  f.retry_after_seconds = static_cast<int>(retry_after);
  f.count = static_cast<int>(count);
  f.duration = std::chrono::milliseconds(duration_ms);
  f.hold = std::chrono::milliseconds(hold_ms);
  f.seed = static_cast<uint64_t>(seed);
  if (const Value* p = body.find("probability")) {
    if (!p->is_number()) return bad("probability", "must be a number in (0, 1]");
    f.probability = p->as_number();
  }
  if (const Value* p = body.find("process")) {
    if (!p->is_bool()) return bad("process", "must be true or false");
    f.process = p->as_bool();
  }
  if (const Value* c = body.find("cut")) {
    const std::string cut = c->is_string() ? c->as_string() : "";
    if (cut == "before")
      f.cut = DropCut::before;
    else if (cut == "headers")
      f.cut = DropCut::headers;
    else if (cut == "body")
      f.cut = DropCut::body;
    else
      return bad("cut", "must be \"before\", \"headers\" or \"body\"");
  }
  if (const Value* b = body.find("body")) {
    if (!b->is_string()) return bad("body", "must be a string");
    f.body = b->as_string();
  }
  for (auto [key, out] : {std::pair<std::string_view, std::string*>{"method", &f.method}, {"path", &f.path}, {"tenant", &f.tenant}}) {
    if (const Value* v = body.find(key)) {
      if (!v->is_string()) return bad(key, "must be a string");
      *out = v->as_string();
    }
  }
  return f;
}

std::string faults_to_json(const std::vector<std::pair<std::string, Fault>>& pending,
                           const std::map<std::string, int64_t>& applied) {
  JsonWriter w;
  w.begin_object().key("pending").begin_array();
  for (const auto& [psa, f] : pending) {
    w.begin_object().field("psa", psa).field("kind", kind_name(f.kind)).field("status", f.status);
    w.field("retry_after_seconds", f.retry_after_seconds).field("count", f.count);
    w.field("duration_ms", static_cast<int64_t>(f.duration.count())).field("probability", f.probability);
    w.field("hold_ms", static_cast<int64_t>(f.hold.count())).field("process", f.process);
    w.field("cut", cut_name(f.cut));
    if (!f.method.empty()) w.field("method", f.method);
    if (!f.path.empty()) w.field("path", f.path);
    if (!f.tenant.empty()) w.field("tenant", f.tenant);
    w.end_object();
  }
  w.end_array().key("applied").begin_object();
  for (const auto& [key, n] : applied) w.field(key, n);
  w.end_object().end_object();
  return w.take();
}

}  // namespace switchyard::sandbox
