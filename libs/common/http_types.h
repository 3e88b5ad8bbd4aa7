// Plain HTTP request/response values shared by the server, the client and the handlers.
// Kept free of Beast so that handlers and connectors compile fast and test without sockets.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; empty view when absent.
std::string_view find_header(const Headers& headers, std::string_view name);

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path + query as received
  std::string path;    // decoded path without the query
  std::string query;   // raw query string without '?'
  Headers headers;
  std::string body;
  std::map<std::string, std::string> params;  // route captures: "/v1/webhooks/{psa}" → params["psa"]
  std::string remote_address;

  std::string_view header(std::string_view name) const { return find_header(headers, name); }
  // Decoded value of one query parameter; empty when absent.
  std::string query_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  Headers headers;
  std::string body;
};

// Our own API's error body: {"error":{"code":"...","message":"..."}}, with "help" (the code's
// entry in docs/troubleshooting.md) when the code is in the reason catalogue.
Response error_response(int status, std::string_view code, std::string_view message);
Response json_response(int status, std::string body);

// A handler answers exactly once through the Responder, from any thread, possibly later
// (ingest answers a webhook only when Kafka acknowledged the write).
using Responder = std::function<void(Response)>;
using Handler = std::function<void(Request&&, Responder)>;

// Percent-decoding / encoding for query strings and path segments.
std::string url_decode(std::string_view s);
std::string url_encode(std::string_view s);

}  // namespace switchyard::http
