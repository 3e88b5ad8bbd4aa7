#include "common/http_router.h"

#include <stdexcept>

#include "common/text.h"

namespace switchyard::http {

std::string decode_path(std::string_view raw) { return percent_decode(raw); }

std::vector<std::string_view> split_path(std::string_view raw_path) {
  std::vector<std::string_view> out;
  if (!raw_path.empty() && raw_path.front() == '/') raw_path.remove_prefix(1);
  if (!raw_path.empty() && raw_path.back() == '/') raw_path.remove_suffix(1);
  if (raw_path.empty()) return out;
  size_t start = 0;
  while (true) {
    const size_t slash = raw_path.find('/', start);
    out.push_back(raw_path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

void Router::add(std::string method, std::string_view pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  Route route{std::move(method), {}, std::move(handler)};
  const auto parts = split_path(pattern);
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      std::string_view name = part.substr(1, part.size() - 2);
      Kind kind = Kind::kParam;
      if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
        if (i + 1 != parts.size()) {
          throw std::invalid_argument("'{name...}' must be the last segment: " + std::string(pattern));
        }
        name.remove_suffix(3);
        kind = Kind::kTail;
      }
      route.segments.push_back({kind, std::string(name)});
    } else {
      route.segments.push_back({Kind::kLiteral, std::string(part)});
    }
  }
  routes_.push_back(std::move(route));
}

bool Router::match_route(const Route& route, const std::vector<std::string_view>& raw,
                         std::map<std::string, std::string>* params) {
  const auto& segs = route.segments;
  const bool has_tail = !segs.empty() && segs.back().kind == Kind::kTail;
  if (has_tail ? raw.size() < segs.size() : raw.size() != segs.size()) return false;
  for (size_t i = 0; i < segs.size(); ++i) {
    const Segment& seg = segs[i];
    if (seg.kind == Kind::kLiteral) {
      if (decode_path(raw[i]) != seg.text) return false;
    } else if (seg.kind == Kind::kParam) {
      if (raw[i].empty()) return false;
      if (params) (*params)[seg.text] = decode_path(raw[i]);
    } else {
      // The tail keeps its '/' separators; each piece is decoded on its own.
      std::string tail;
      for (size_t j = i; j < raw.size(); ++j) {
        if (raw[j].empty()) return false;
        if (j > i) tail.push_back('/');
        tail += decode_path(raw[j]);
      }
      if (params) (*params)[seg.text] = std::move(tail);
    }
  }
  return true;
}

Router::Match Router::match(std::string_view method, std::string_view raw_path) const {
  const auto raw = split_path(raw_path);
  Match result;
  const Route* best = nullptr;
  std::vector<int> best_rank;
  for (const Route& route : routes_) {
    if (!match_route(route, raw, nullptr)) continue;
    if (route.method != method) {
      if (result.allow.find(route.method) == std::string::npos) {
        if (!result.allow.empty()) result.allow += ", ";
        result.allow += route.method;
      }
      continue;
    }
    std::vector<int> rank;
    for (const Segment& seg : route.segments) rank.push_back(static_cast<int>(seg.kind));
    if (best == nullptr || rank < best_rank) {
      best = &route;
      best_rank = std::move(rank);
    }
  }
  if (best != nullptr) {
    match_route(*best, raw, &result.params);
    result.handler = &best->handler;
    result.allow.clear();
  }
  return result;
}

}  // namespace switchyard::http
