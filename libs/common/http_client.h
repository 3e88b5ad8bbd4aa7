// HttpClient: a blocking HTTP/1.1 client (Boost.Beast) for talking to PSA APIs over http or
// https (OpenSSL, peer verification against the system CA store, SNI). Keeps one keep-alive
// connection per scheme/host/port. Not thread-safe: one client per worker thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/http_types.h"
#include "common/result.h"

namespace switchyard::http {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;
  uint16_t port = 0;
  std::string target;  // path + query, at least "/"
};
Result<Url> parse_url(std::string_view url);

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // absolute
  Headers headers{};
  std::string body{};
  std::chrono::milliseconds timeout{10000};  // whole exchange: connect + write + read
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

struct ClientOptions {
  size_t max_response_bytes = 8 << 20;  // larger responses are an error, not an allocation
  bool verify_tls = true;
  std::string user_agent = "switchyard/0.1";
};

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Error codes: "invalid_url", "connect_failed", "timeout", "tls_failed",
  // "response_too_large", "io_error", "invalid_request" (bad method token or a header
  // name/value with CR/LF). HTTP error statuses are responses, not errors.
  Result<ClientResponse> send(const ClientRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::http
