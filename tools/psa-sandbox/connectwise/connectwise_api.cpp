#include "psa-sandbox/connectwise/connectwise_api.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "common/http_router.h"
#include "psa-sandbox/connectwise/connectwise_model.h"
#include "psa-sandbox/connectwise/cw_conditions.h"
#include "psa-sandbox/json_patch.h"
#include "psa-sandbox/connectwise/cw_errors.h"

namespace switchyard::sandbox {
namespace {

constexpr int64_t kDefaultPageSize = 25;
constexpr int64_t kMaxPageSize = 1000;  // docs/psa/connectwise.md

using http::Request;
using http::Response;


std::string capitalized(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

Response json(int status, const Value& v) { return http::json_response(status, v.dump()); }

Response not_found(std::string message) { return cw_error(404, "NotFound", message); }

Response invalid(std::string message, const std::vector<CwFieldError>& errors = {}) {
  return cw_error(400, "InvalidObject", message, errors);
}

// Orders missing/null first, then by type: numbers numerically, strings case-insensitively
// (CW's SQL collation), booleans false < true.
int compare_values(const Value* a, const Value* b) {
  const bool an = a == nullptr || a->is_null();
  const bool bn = b == nullptr || b->is_null();
  if (an || bn) return an == bn ? 0 : (an ? -1 : 1);
  if (a->is_number() && b->is_number()) {
    return a->as_number() < b->as_number() ? -1 : (b->as_number() < a->as_number() ? 1 : 0);
  }
  if (a->is_string() && b->is_string()) {
    const auto x = to_lower(a->as_string()), y = to_lower(b->as_string());
    return x < y ? -1 : (y < x ? 1 : 0);
  }
  if (a->is_bool() && b->is_bool()) return static_cast<int>(a->as_bool()) - static_cast<int>(b->as_bool());
  return 0;
}

struct SortKey {
  std::string field;
  bool descending = false;
};

std::optional<std::vector<SortKey>> parse_order_by(std::string_view text) {
  std::vector<SortKey> keys;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty()) continue;
    SortKey key;
    const size_t space = part.find(' ');
    key.field = std::string(part.substr(0, space));
    if (space != std::string_view::npos) {
      std::string_view dir = part.substr(space + 1);
      while (!dir.empty() && dir.front() == ' ') dir.remove_prefix(1);
      if (iequals(dir, "desc")) key.descending = true;
      else if (!iequals(dir, "asc")) return std::nullopt;
    }
    keys.push_back(std::move(key));
    if (keys.size() > 8) return std::nullopt;
  }
  if (keys.empty()) keys.push_back({"id", false});
  return keys;
}

// Keeps only the listed top-level members ("fields=id,summary,status/name" keeps id,
// summary and status).
Value project(const Value& record, const std::vector<std::string>& fields) {
  if (fields.empty()) return record;
  Value::Object out;
  for (const auto& [k, v] : record.as_object()) {
    if (std::find(fields.begin(), fields.end(), k) != fields.end()) out.emplace_back(k, v);
  }
  return out;
}

std::vector<std::string> parse_fields(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view f = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    while (!f.empty() && f.front() == ' ') f.remove_prefix(1);
    f = f.substr(0, f.find('/'));
    if (!f.empty()) out.emplace_back(f);
  }
  return out;
}

// The same request URL with page=N, for Link headers.
std::string page_url(std::string_view base, const Request& req, int64_t page) {
  const std::string_view target = req.target;
  std::string url = std::string(base) + std::string(target.substr(0, target.find('?'))) + "?";
  std::string_view query = req.query;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty() || iequals(http::url_decode(pair.substr(0, pair.find('='))), "page")) continue;
    url.append(pair).push_back('&');
  }
  return url + "page=" + std::to_string(page);
}

class Handler {
 public:
  Handler(const ConnectWiseCredentials& credentials, Store& store, const Request& req, std::string_view base)
      : credentials_(credentials), store_(store), req_(req), base_(base) {}

  Response route(const std::vector<std::string_view>& seg) {
    const auto is = [&](size_t i, std::string_view word) { return i < seg.size() && iequals(seg[i], word); };
    const std::string& m = req_.method;

    if (seg.size() == 3 && is(0, "system") && is(1, "callbackkeys")) {
      if (m != "GET") return method_not_allowed();
      if (seg[2] != "1") return not_found("Callback key " + std::string(seg[2]) + " not found");
      return json(200, Value::Object{{"id", 1}, {"signing_key", credentials_.signing_key}});
    }
    // GET /system/info: the server's version, as a connection test reads it.
    if (seg.size() == 2 && is(0, "system") && is(1, "info")) {
      if (m != "GET") return method_not_allowed();
      return json(200, Value::Object{{"version", std::string(kConnectWiseVersion)},
                                     {"isCloud", true},
                                     {"serverTimeZone", "Eastern Standard Time"},
                                     {"cloudRegion", "NA"}});
    }
    // GET /system/mySecurity: the member's own levels, served from the store; never written.
    if (seg.size() >= 2 && is(0, "system") && is(1, "mySecurity") && m != "GET") return method_not_allowed();
    if (is(0, "service") && is(1, "boards")) {
      if (m != "GET") return method_not_allowed();
      if (seg.size() == 2) return table(cw_boards_json());
      if (seg.size() == 4 && (is(3, "statuses") || is(3, "types"))) {
        if (seg[2] != "1" && seg[2] != "2") return not_found("Board " + std::string(seg[2]) + " not found");
        return table(is(3, "statuses") ? cw_ticket_statuses_json() : cw_board_types_json(seg[2] == "1" ? 1 : 2));
      }
    }
    if (seg.size() == 2 && is(0, "service") && is(1, "priorities")) {
      return m == "GET" ? table(cw_priorities_json()) : method_not_allowed();
    }
    if (seg.size() == 3 && is(0, "company") && is(1, "companies") && is(2, "statuses")) {
      return m == "GET" ? json(200, cw_company_statuses_json()) : method_not_allowed();
    }
    // Children: finance/agreements/{parentId}/additions, service/tickets/{parentId}/notes
    // [/{id}|/count].
    if (seg.size() >= 4) {
      const CwEntity* child = cw_entity(std::string(seg[0]) + "/" + std::string(seg[1]) + "/" + std::string(seg[3]));
      if (child != nullptr && !child->parent_alias.empty()) {
        const CwEntity& parent_entity = *cw_entity(child->parent_alias);
        const auto parent = parse_int(seg[2]);
        if (!parent || store_.find(cw_store_key(parent_entity), *parent) == nullptr) {
          return not_found(capitalized(parent_entity.resource) + " with id " + std::string(seg[2]) + " not found");
        }
        return entity(*child, std::vector(seg.begin() + 4, seg.end()), parent);
      }
    }
    if (seg.size() >= 2) {
      const std::string path = std::string(seg[0]) + "/" + std::string(seg[1]);
      const CwEntity* e = cw_entity(path);
      if (e != nullptr && e->parent_alias.empty() && iequals(e->path, path)) {
        return entity(*e, std::vector(seg.begin() + 2, seg.end()), std::nullopt);
      }
    }
    return not_found("The requested resource was not found: " + req_.path);
  }

 private:
  Response method_not_allowed() {
    return cw_error(405, "MethodNotAllowed", "The requested method " + req_.method + " is not allowed on this resource");
  }

  std::string key() const { return cw_store_key(*entity_); }

  Response entity(const CwEntity& e, const std::vector<std::string_view>& rest, std::optional<int64_t> parent) {
    entity_ = &e;
    parent_ = parent;
    const std::string& m = req_.method;
    if (rest.empty()) {
      if (m == "GET") return list(false);
      if (m == "POST") return create();
      return method_not_allowed();
    }
    if (rest.size() == 1 && iequals(rest[0], "count")) return m == "GET" ? list(true) : method_not_allowed();
    if (rest.size() != 1) return not_found("The requested resource was not found: " + req_.path);
    const auto id = parse_int(rest[0]);
    Value* record = id ? store_.find(key(), *id) : nullptr;
    if (record != nullptr && parent_ && !belongs_to_parent(*record)) record = nullptr;
    if (record == nullptr) {
      if (m != "GET" && m != "PUT" && m != "PATCH" && m != "DELETE") return method_not_allowed();
      return not_found(capitalized(e.resource) + " with id " + std::string(rest[0]) + " not found");
    }
    if (m == "GET") return json(200, *record);
    if (m == "PUT") return replace(*id, *record);
    if (m == "PATCH") return patch(*id, *record);
    if (m == "DELETE") {
      store_.collection(key()).erase(*id);
      Response r;
      r.status = 204;
      return r;
    }
    return method_not_allowed();
  }

  bool belongs_to_parent(const Value& record) const {
    const Value* parent = record.find(entity_->parent_field);
    return parent && parent->is_number() && parent->as_number() == static_cast<double>(*parent_);
  }

  Response list(bool count_only) {
    auto conditions = Conditions::parse(req_.query_param("conditions"));
    if (!conditions) return invalid(conditions.error().message);
    std::vector<const Value*> matches;
    for (const auto& [id, record] : store_.collection(key())) {
      if (parent_ && !belongs_to_parent(record)) continue;
      if (conditions->matches(record)) matches.push_back(&record);
    }
    return page_of(std::move(matches), count_only);
  }

  // Reference data (boards, statuses, types, priorities): conditions, order and pages like a
  // stored list, as ConnectWise serves them.
  Response table(Value rows) {
    auto conditions = Conditions::parse(req_.query_param("conditions"));
    if (!conditions) return invalid(conditions.error().message);
    table_ = std::move(rows);
    std::vector<const Value*> matches;
    for (const Value& row : table_.as_array()) {
      if (conditions->matches(row)) matches.push_back(&row);
    }
    return page_of(std::move(matches), false);
  }

  Response page_of(std::vector<const Value*> matches, bool count_only) {
    int64_t page = 1, page_size = kDefaultPageSize;
    if (const std::string p = req_.query_param("page"); !p.empty()) {
      const auto v = parse_int(p);
      if (!v || *v < 1) return invalid("page must be a positive integer");
      page = *v;
    }
    if (const std::string p = req_.query_param("pageSize"); !p.empty()) {
      const auto v = parse_int(p);
      if (!v || *v < 1) return invalid("pageSize must be a positive integer");
      if (*v > kMaxPageSize) return invalid("pageSize cannot be greater than 1000");
      page_size = *v;
    }
    const auto order = parse_order_by(req_.query_param("orderBy"));
    if (!order) return invalid("orderBy must be \"field [asc|desc]\"");

    if (count_only) return json(200, Value::Object{{"count", static_cast<int64_t>(matches.size())}});
    std::stable_sort(matches.begin(), matches.end(), [&](const Value* a, const Value* b) {
      for (const auto& k : *order) {
        const int c = compare_values(cw_field(*a, k.field), cw_field(*b, k.field));
        if (c != 0) return k.descending ? c > 0 : c < 0;
      }
      return false;
    });

    const auto total = static_cast<int64_t>(matches.size());
    const int64_t last_page = std::max<int64_t>(1, (total + page_size - 1) / page_size);
    const auto fields = parse_fields(req_.query_param("fields"));
    Value::Array items;
    // Only multiplied when page <= last_page, so it cannot overflow.
    const int64_t first = page > last_page ? total : (page - 1) * page_size;
    for (int64_t i = first; i < std::min(total, first + page_size); ++i) items.push_back(project(*matches[i], fields));
    Response r = json(200, Value(std::move(items)));

    std::string link;
    const auto add = [&](int64_t p, std::string_view rel) {
      if (!link.empty()) link += ", ";
      // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "<" + string.
      link.append("<").append(page_url(base_, req_, p)).append(">; rel=\"").append(rel).append("\"");
    };
    if (page > 1) {
      add(1, "first");
      add(std::min(page - 1, last_page), "prev");
    }
    if (page < last_page) {
      add(page + 1, "next");
      add(last_page, "last");
    }
    if (!link.empty()) r.headers.emplace_back("Link", link);
    return r;
  }

  Response bad_body() { return invalid("The request body is not a valid " + std::string(entity_->resource) + " object"); }

  // Validates and completes `record`, stamps _info and stores it under `id`.
  // `id` is nullopt for a create: allocated only once the record is valid, so refused
  // creates leave no gaps.
  Response store(std::optional<int64_t> id_or_new, Value record, const Value* previous, int status) {
    if (parent_) record.set(entity_->parent_field, *parent_);
    auto errors = cw_complete_record(*entity_, record, store_);
    if (!errors.empty()) return invalid(std::string(entity_->resource) + " object is invalid", errors);
    const int64_t id = id_or_new ? *id_or_new : store_.allocate_id(key());
    const std::string now = cw_now();
    Value info = previous && previous->find("_info") ? *previous->find("_info") : Value(Value::Object{});
    if (!info.find("dateEntered")) info.set("dateEntered", now);
    info.set("lastUpdated", now);
    info.set("updatedBy", "sandbox");
    if (entity_->alias == "tickets") {
      const Value* entered = previous ? previous->find("dateEntered") : nullptr;
      record.set("dateEntered", entered ? *entered : Value(now));
    }
    // id first, _info last: the order CW uses.
    Value::Object out{{"id", id}};
    for (auto& [k, v] : record.as_object()) {
      if (k != "id" && k != "_info") out.emplace_back(k, std::move(v));
    }
    out.emplace_back("_info", std::move(info));
    Value& stored = store_.collection(key())[id] = Value(std::move(out));
    cw_touch_parent(store_, *entity_, stored, now);
    return json(status, stored);
  }

  Response create() {
    auto body = parse_json(req_.body);
    if (!body || !body->is_object()) return bad_body();
    return store(std::nullopt, std::move(body).value(), nullptr, 201);
  }

  Response replace(int64_t id, const Value& existing) {
    auto body = parse_json(req_.body);
    if (!body || !body->is_object()) return bad_body();
    const Value previous = existing;
    return store(id, std::move(body).value(), &previous, 200);
  }

  Response patch(int64_t id, const Value& existing) {
    auto ops = parse_json(req_.body);
    if (!ops || !ops->is_array()) return invalid("The request body must be a JSON-Patch array of operations");
    for (const Value& op : ops->as_array()) {
      const Value* path = op.find("path");
      if (path && path->is_string()) {
        const std::string root = patch_root(path->as_string());
        if (iequals(root, "id") || iequals(root, "_info") || (parent_ && iequals(root, entity_->parent_field))) {
          return invalid(root + " is read-only");
        }
      }
    }
    const Value previous = existing;
    Value copy = existing;
    // Patching "status/name" names a new status: drop the old reference's other keys
    // (its id would otherwise win when the reference is resolved).
    std::vector<std::string> cleared;
    for (const Value& op : ops->as_array()) {
      const Value* path = op.find("path");
      if (path == nullptr || !path->is_string()) continue;
      std::string_view p = path->as_string();
      if (!p.empty() && p.front() == '/') p.remove_prefix(1);
      const size_t slash = p.find('/');
      if (slash == std::string_view::npos || p.find('/', slash + 1) != std::string_view::npos) continue;
      const std::string root(p.substr(0, slash));
      const std::string_view leaf = p.substr(slash + 1);
      const Value* ref = copy.find(root);
      const bool identifying = leaf == "id" || leaf == "name" || leaf == "identifier";
      if (identifying && ref && ref->is_object() && std::find(cleared.begin(), cleared.end(), root) == cleared.end()) {
        copy.set(root, Value::Object{});
        cleared.push_back(root);
      }
    }
    if (auto st = apply_json_patch(copy, *ops); !st) return invalid(st.error().message);
    return store(id, std::move(copy), &previous, 200);
  }

  const ConnectWiseCredentials& credentials_;
  Store& store_;
  const Request& req_;
  std::string_view base_;
  const CwEntity* entity_ = nullptr;
  std::optional<int64_t> parent_;
  Value table_;  // the reference list being served (table())
};

}  // namespace

http::Response ConnectWiseApi::handle(const http::Request& request, std::string_view base) {
  const std::string_view path = request.path;
  if (path.size() < kConnectWisePrefix.size() || !iequals(path.substr(0, kConnectWisePrefix.size()), kConnectWisePrefix) ||
      (path.size() > kConnectWisePrefix.size() && path[kConnectWisePrefix.size()] != '/')) {
    return not_found("The requested resource was not found: " + request.path);
  }
  if (const auto denied = auth_.check(request)) return cw_error(denied->status, "Unauthorized", denied->message);
  return Handler(credentials_, store_, request, base).route(http::split_path(path.substr(kConnectWisePrefix.size())));
}

}  // namespace switchyard::sandbox
