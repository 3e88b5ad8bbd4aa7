// Router: maps (method, path) to a Handler, with "{name}" segment captures and a trailing
// "{name...}" capture of the rest of the path. Internal to HttpServer; free of Beast so it
// compiles fast and is tested without sockets.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_types.h"

namespace switchyard::http {

class Router {
 public:
  // Throws std::invalid_argument for a malformed pattern (must start with '/', a "{x...}"
  // capture only as the last segment).
  void add(std::string method, std::string_view pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;           // null: no route for (method, path)
    std::map<std::string, std::string> params;  // decoded captures
    std::string allow;                          // handler null, path known: methods for 405
  };
  // `raw_path` is the path as received (still percent-encoded, no query). Literal segments
  // win over captures, so "/a/count" beats "/a/{id}" whatever the registration order.
  Match match(std::string_view method, std::string_view raw_path) const;

 private:
  enum class Kind { kLiteral, kParam, kTail };
  struct Segment {
    Kind kind;
    std::string text;  // literal text or capture name
  };
  struct Route {
    std::string method;
    std::vector<Segment> segments;
    Handler handler;
  };
  static bool match_route(const Route& route, const std::vector<std::string_view>& raw_segments,
                          std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

// Percent-decoding for paths: unlike url_decode, '+' stays '+'.
std::string decode_path(std::string_view raw);

// Splits "/a/b/c" into {"a","b","c"}; "/" into {}. One trailing slash is ignored.
std::vector<std::string_view> split_path(std::string_view raw_path);

}  // namespace switchyard::http
