// HTTP requests as HttpServer reads them (libs/common/http_server.cpp): Beast's request_parser
// with the server's header and body limits, fed as the read loop feeds it, then what the
// session does with a complete request: target checks, path decoding, routing with ingest's
// routes, query parameters, and the JSON error answers (which echo decoded input).
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include <optional>

#include "common/http_header_reader.h"
#include "common/http_router.h"
#include "common/http_server.h"
#include "fuzz_support.h"

namespace {

using namespace switchyard;
namespace bhttp = boost::beast::http;

// Every answer the server builds from input must be valid JSON, whatever bytes the input had.
void check_error(int status, std::string_view code, const std::string& message) {
  const http::Response r = http::error_response(status, code, message);
  FUZZ_CHECK(fuzz::is_valid_json(r.body), r.body);
}

const http::Router& ingest_router() {
  static const http::Router router = [] {
    http::Router r;
    const http::Handler noop = [](http::Request&&, http::Responder) {};
    r.add("POST", "/v1/webhooks/{psa}/{tenant}", noop);
    r.add("POST", "/v1/tenants/{tenant}/commands", noop);
    r.add("GET", "/metrics", noop);
    r.add("GET", "/healthz", noop);
    r.add("GET", "/readyz", noop);
    r.add("GET", "/_sandbox/records/{psa}/{entity...}", noop);  // a tail capture, as the sandbox uses
    return r;
  }();
  return router;
}

// Session::on_body, without the socket: false when the server would close the connection.
bool handle(bhttp::request<bhttp::string_body>&& message) {
  http::Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  const std::string_view target = message.target();
  if (target.empty() || target.front() != '/') {
    check_error(400, "bad_request", "request target must be an absolute path");
    return false;
  }
  const size_t q = target.find('?');
  const std::string_view raw_path = target.substr(0, q);
  request.path = http::decode_path(raw_path);
  if (q != std::string_view::npos) request.query = std::string(target.substr(q + 1));
  for (const auto& field : message) request.headers.emplace_back(field.name_string(), field.value());
  request.body = std::move(message.body());

  (void)request.header("X-Content-Signature");
  (void)request.query_param("pageSize");
  (void)http::split_path(raw_path);
  auto match = ingest_router().match(request.method, raw_path);
  if (match.handler == nullptr) {
    if (match.allow.empty()) check_error(404, "not_found", "no route for " + request.path);
    else check_error(405, "method_not_allowed", request.method + " is not allowed here");
    return message.keep_alive();
  }
  // ingest echoes captures in its answers ("no connector for PSA \"...\"").
  for (const auto& [name, value] : match.params) {
    FUZZ_CHECK(!value.empty(), "an empty capture: " + name);
    check_error(404, "unknown_" + name, "no " + name + " \"" + value + "\"");
  }
  return message.keep_alive();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const http::ServerOptions limits;  // the server's defaults: 16 KiB of header, 1 MiB of body
  const std::string_view input = fuzz::as_text(data, size);
  // The input arrives in reads of a size derived from its length (1..61 bytes), so the
  // parser sees requests split at arbitrary points as over a socket.
  const size_t read_size = 1 + size % 61;
  size_t offered = 0;       // bytes "received" so far
  std::string buffer;       // received, not yet consumed (the session's flat_buffer)
  for (int requests = 0; requests < 16; ++requests) {  // pipelined requests on one connection
    std::optional<bhttp::request_parser<bhttp::string_body>> parser;
    parser.emplace();
    parser->body_limit(limits.max_body_bytes);
    parser->eager(false);  // the header first (HeaderReader), then async_read (eager) for the body
    boost::beast::error_code ec;
    http::HeaderReader header(limits.max_header_bytes);  // the server's own header loop
    while (!parser->is_done()) {
      size_t used = 0;
      if (!parser->is_header_done()) {
        used = header.put(*parser, boost::asio::buffer(buffer.data(), buffer.size()), ec);
        buffer.erase(0, used);
        if (!ec) continue;  // the header is done: on to the body
      } else {
        parser->eager(true);
        if (!buffer.empty()) used = parser->put(boost::asio::buffer(buffer.data(), buffer.size()), ec);
        buffer.erase(0, used);
      }
      if (ec == bhttp::error::need_more || (!ec && used == 0)) {
        ec = {};
        if (offered == input.size()) {
          parser->put_eof(ec);  // the peer closed
          if (!ec && !parser->is_done()) ec = bhttp::error::partial_message;
          break;
        }
        const size_t n = std::min(read_size, input.size() - offered);
        buffer.append(input.substr(offered, n));
        offered += n;
        continue;
      }
      if (ec) break;
    }
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;  // closed, no answer
    if (ec) {
      if (ec == bhttp::error::body_limit) check_error(413, "payload_too_large", "request body exceeds the limit");
      else if (ec == bhttp::error::header_limit) check_error(431, "headers_too_large", "request header too large");
      else check_error(400, "bad_request", "malformed HTTP request: " + ec.message());
      return 0;
    }
    if (!handle(parser->release())) return 0;
    if (buffer.empty() && offered == input.size()) return 0;
  }
  return 0;
}
