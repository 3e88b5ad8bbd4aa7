#include "psa-sandbox/json_patch.h"

#include <charconv>
#include <optional>
#include <vector>

namespace switchyard::sandbox {
namespace {

constexpr size_t kMaxOperations = 100;

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty()) {
    const size_t slash = path.find('/');
    std::string seg(path.substr(0, slash));
    // RFC 6901 escapes.
    for (size_t p = 0; (p = seg.find('~', p)) != std::string::npos; ++p) {
      if (p + 1 < seg.size() && seg[p + 1] == '1') seg.replace(p, 2, "/");
      else if (p + 1 < seg.size() && seg[p + 1] == '0') seg.replace(p, 2, "~");
    }
    out.push_back(std::move(seg));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return out;
}

std::optional<size_t> index_of(const std::string& seg) {
  size_t n = 0;
  const auto [ptr, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), n);
  if (ec != std::errc{} || ptr != seg.data() + seg.size()) return std::nullopt;
  return n;
}

Status apply_one(Value& target, std::string_view op, const std::vector<std::string>& segs, const Value* value) {
  const auto bad = [&](std::string why) { return make_error("invalid_patch", why); };
  if (segs.empty()) return bad("path must name a field");
  Value* cur = &target;
  for (size_t i = 0; i + 1 < segs.size(); ++i) {
    if (cur->is_array()) {
      const auto idx = index_of(segs[i]);
      if (!idx || *idx >= cur->as_array().size()) return bad("no element " + segs[i]);
      cur = &cur->as_array()[*idx];
      continue;
    }
    Value* child = cur->find(segs[i]);
    if (child == nullptr || child->is_null()) {
      if (op == "remove") return bad("no field " + segs[i]);
      child = &cur->set(segs[i], Value::Object{});  // replacing "status/name" on a null status
    }
    cur = child;
  }
  const std::string& last = segs.back();
  if (cur->is_array()) {
    auto& arr = cur->as_array();
    if (op == "add" && last == "-") {
      arr.push_back(*value);
      return ok_status();
    }
    const auto idx = index_of(last);
    if (!idx || *idx > arr.size() || (op != "add" && *idx == arr.size())) return bad("no element " + last);
    if (op == "remove") arr.erase(arr.begin() + static_cast<long>(*idx));
    else if (op == "add") arr.insert(arr.begin() + static_cast<long>(*idx), *value);
    else arr[*idx] = *value;
    return ok_status();
  }
  if (!cur->is_object()) return bad("cannot descend into a scalar");
  if (op == "remove") {
    if (!cur->erase(last)) return bad("no field " + last);
    return ok_status();
  }
  cur->set(last, *value);
  return ok_status();
}

}  // namespace

std::string patch_root(std::string_view path) {
  const auto segs = split(path);
  return segs.empty() ? std::string{} : segs.front();
}

Status apply_json_patch(Value& target, const Value& operations) {
  if (!operations.is_array()) return make_error("invalid_patch", "the body must be a JSON-Patch array");
  if (operations.as_array().size() > kMaxOperations) return make_error("invalid_patch", "too many operations");
  for (const Value& item : operations.as_array()) {
    const Value* op = item.find("op");
    const Value* path = item.find("path");
    if (op == nullptr || !op->is_string() || path == nullptr || !path->is_string()) {
      return make_error("invalid_patch", "each operation needs string op and path");
    }
    const std::string name = to_lower(op->as_string());
    const Value* value = item.find("value");
    if (name != "remove" && name != "replace" && name != "add") {
      return make_error("invalid_patch", "unsupported op '" + op->as_string() + "'");
    }
    if (name != "remove" && value == nullptr) return make_error("invalid_patch", "op " + name + " needs a value");
    if (auto st = apply_one(target, name, split(path->as_string()), value); !st) return st;
  }
  return ok_status();
}

}  // namespace switchyard::sandbox
