#include "common/http_client.h"

#include <sys/socket.h>

#include <cerrno>

#include <map>
#include <cctype>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace switchyard::http {
namespace {

bool is_idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS";
}

// A pooled connection is reused only while it is open and silent: the server closing it (EOF)
// or sending anything unasked (a TLS close_notify, garbage) makes it unusable, and finding that
// out before a request is sent is what keeps a non-idempotent request from being lost on it.
bool idle_and_open(boost::asio::ip::tcp::socket& socket) {
  if (!socket.is_open()) return false;
  char byte;
  const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxUrlBytes = 8192;
constexpr uint32_t kMaxResponseHeaderBytes = 64 * 1024;
// Each connection's read buffer, reserved when it opens. Beast reads at most the buffer's free
// space (512 bytes when it has none) and its parser empties the buffer after every read, so an
// unreserved buffer never grows: a 200 KB page of records took 400 reads. 16 KB is one TLS
// record, or one read of most PSA responses.
constexpr size_t kReadBufferBytes = 16 * 1024;

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool is_field_value(std::string_view s) {
  for (const char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

bool host_char_ok(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_';
}

Error io_error(std::string_view what, const beast::error_code& ec) {
  if (ec == beast::error::timeout) return make_error("timeout", std::string(what) + ": timed out");
  return make_error("io_error", std::string(what) + ": " + ec.message());
}

// One keep-alive connection; exactly one of plain/tls is set.
struct Connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

}  // namespace

Result<Url> parse_url(std::string_view url) {
  const auto invalid = [&](std::string_view why) {
    return make_error("invalid_url", std::string(why));
  };
  if (url.size() > kMaxUrlBytes) return invalid("URL longer than 8192 bytes");
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return invalid("URL contains spaces or control characters");
  }
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return invalid("URL has no scheme");
  Url out;
  for (const char c : url.substr(0, sep)) out.scheme.push_back(ascii_lower(c));
  if (out.scheme != "http" && out.scheme != "https") return invalid("scheme must be http or https");
  std::string_view rest = url.substr(sep + 3);
  const size_t auth_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, auth_end);
  rest = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
  // Credentials in URLs end up in logs; they belong in headers.
  if (authority.find('@') != std::string_view::npos) return invalid("URL must not contain user info");

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unterminated IPv6 literal");
    out.host = std::string(authority.substr(1, close - 1));
    for (const char c : out.host) {
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return invalid("bad IPv6 literal");
    }
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("garbage after IPv6 literal");
      port_text = after.substr(1);
      if (port_text.empty()) return invalid("empty port");
    }
  } else {
    const size_t colon = authority.find(':');
    const std::string_view host = authority.substr(0, colon);
    for (const char c : host) {
      if (!host_char_ok(c)) return invalid("bad character in host");
    }
    out.host = std::string(host);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return invalid("empty port");
    }
  }
  if (out.host.empty()) return invalid("URL has no host");
  if (!port_text.empty()) {
    unsigned long port = 0;
    if (port_text.size() > 5) return invalid("port out of range");
    for (const char c : port_text) {
      if (c < '0' || c > '9') return invalid("port is not a number");
      port = port * 10 + static_cast<unsigned long>(c - '0');
    }
    if (port == 0 || port > 65535) return invalid("port out of range");
    out.port = static_cast<uint16_t>(port);
  } else {
    out.port = out.scheme == "https" ? 443 : 80;
  }
  rest = rest.substr(0, rest.find('#'));
  out.target = rest.empty() || rest.front() != '/' ? "/" + std::string(rest) : std::string(rest);
  return out;
}

struct HttpClient::Impl {
  explicit Impl(ClientOptions opts) : options(std::move(opts)) {}

  // Built on first https use: loading the system CA store costs tens of milliseconds.
  ssl::context& tls_context() {
    if (!tls) {
      tls.emplace(ssl::context::tls_client);
      tls->set_default_verify_paths();
      tls->set_verify_mode(options.verify_tls ? ssl::verify_peer : ssl::verify_none);
    }
    return *tls;
  }

  // Runs the io_context until the operation started by `start` completes. Stream operations
  // carry the exchange's deadline themselves (tcp_stream::expires_at).
  template <typename Start>
  beast::error_code run(Start&& start) {
    beast::error_code result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  Result<tcp::resolver::results_type> resolve(const Url& url, Clock::time_point deadline) {
    tcp::resolver resolver(ioc);
    net::steady_timer timer(ioc);
    beast::error_code ec;
    tcp::resolver::results_type results;
    bool timed_out = false;
    timer.expires_at(deadline);
    timer.async_wait([&](beast::error_code tec) {
      if (tec) return;
      timed_out = true;
      resolver.cancel();
    });
    resolver.async_resolve(url.host, std::to_string(url.port), tcp::resolver::numeric_service,
                           [&](beast::error_code rec, tcp::resolver::results_type r) {
                             ec = rec;
                             results = std::move(r);
                             timer.cancel();
                           });
    ioc.restart();
    ioc.run();
    if (timed_out) return make_error("timeout", "resolving " + url.host + ": timed out");
    if (ec || results.empty()) return make_error("connect_failed", "cannot resolve " + url.host + ": " + ec.message());
    return results;
  }

  Result<std::unique_ptr<Connection>> connect(const Url& url, Clock::time_point deadline) {
    auto endpoints = resolve(url, deadline);
    if (!endpoints) return endpoints.error();
    auto conn = std::make_unique<Connection>();
    conn->buffer.reserve(kReadBufferBytes);
    const bool secure = url.scheme == "https";
    if (secure) {
      conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, tls_context());
    } else {
      conn->plain = std::make_unique<beast::tcp_stream>(ioc);
    }
    auto& lowest = conn->lowest();
    lowest.expires_at(deadline);
    const auto ec = run([&](auto handler) { lowest.async_connect(*endpoints, std::move(handler)); });
    const std::string where = url.host + ":" + std::to_string(url.port);
    if (ec == beast::error::timeout) return make_error("timeout", "connecting to " + where + ": timed out");
    if (ec) return make_error("connect_failed", "connecting to " + where + ": " + ec.message());
    beast::error_code ignored;
    lowest.socket().set_option(tcp::no_delay(true), ignored);
    if (secure) {
      if (auto err = handshake(*conn->tls, url, deadline)) return *err;
    }
    return conn;
  }

  std::optional<Error> handshake(beast::ssl_stream<beast::tcp_stream>& stream, const Url& url,
                                 Clock::time_point deadline) {
    beast::error_code ec;
    net::ip::make_address(url.host, ec);
    const bool ip_literal = !ec;
    // SNI must not carry an IP literal (RFC 6066); virtual-hosted APIs need the name.
    if (!ip_literal && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
      return make_error("tls_failed", "cannot set SNI for " + url.host);
    }
    if (options.verify_tls) stream.set_verify_callback(ssl::host_name_verification(url.host));
    beast::get_lowest_layer(stream).expires_at(deadline);
    ec = run([&](auto handler) { stream.async_handshake(ssl::stream_base::client, std::move(handler)); });
    if (ec == beast::error::timeout) return make_error("timeout", "TLS handshake with " + url.host + ": timed out");
    if (ec) return make_error("tls_failed", "TLS handshake with " + url.host + ": " + ec.message());
    return std::nullopt;
  }

  template <typename Fn>
  auto with_stream(Connection& conn, Fn&& fn) {
    return conn.tls ? fn(*conn.tls) : fn(*conn.plain);
  }

  ClientOptions options;
  net::io_context ioc;
  std::optional<ssl::context> tls;
  // Key "scheme://host:port". Declared after ioc so the streams are destroyed first.
  std::map<std::string, std::unique_ptr<Connection>> pool;
};

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

Result<ClientResponse> HttpClient::send(const ClientRequest& request) {
  auto url = parse_url(request.url);
  if (!url) return url.error();
  if (!is_token(request.method)) return make_error("invalid_request", "bad HTTP method");
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name) || !is_field_value(value)) {
      return make_error("invalid_request", "bad header name or value (" + name + ")");
    }
  }
  const auto deadline = Clock::now() + request.timeout;

  bhttp::request<bhttp::string_body> req;
  req.version(11);
  req.method_string(request.method);
  req.target(url->target);
  const bool default_port = (url->scheme == "https" && url->port == 443) || (url->scheme == "http" && url->port == 80);
  const std::string host = url->host.find(':') != std::string::npos ? "[" + url->host + "]" : url->host;
  req.set(bhttp::field::host, default_port ? host : host + ":" + std::to_string(url->port));
  req.set(bhttp::field::user_agent, impl_->options.user_agent);
  for (const auto& [name, value] : request.headers) {
    // Framing is ours: a caller's Content-Length or Host could desynchronise the connection.
    if (beast::iequals(name, "host") || beast::iequals(name, "content-length") ||
        beast::iequals(name, "transfer-encoding") || beast::iequals(name, "connection")) {
      continue;
    }
    if (beast::iequals(name, "user-agent")) {
      req.set(bhttp::field::user_agent, value);
    } else {
      req.insert(name, value);
    }
  }
  req.keep_alive(true);
  req.body() = request.body;
  req.prepare_payload();
  if (request.body.empty() && (request.method == "POST" || request.method == "PUT" || request.method == "PATCH")) {
    req.content_length(0);
  }

  const std::string key = url->scheme + "://" + url->host + ":" + std::to_string(url->port);
  auto& pool = impl_->pool;
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    auto it = pool.find(key);
    if (it != pool.end() && idle_and_open(it->second->lowest().socket())) {
      reused = true;
    } else {
      auto conn = impl_->connect(*url, deadline);
      if (!conn) {
        pool.erase(key);
        return conn.error();
      }
      it = pool.insert_or_assign(key, std::move(conn).value()).first;
    }
    Connection& conn = *it->second;
    // A kept-alive connection the server closed just now can fail the write: the request never
    // reached a handler, so it is sent once more on a new connection. A request that was
    // written and then got no answer may have been processed: only an idempotent one is sent
    // again (RFC 9110 §9.2.2); a POST or PATCH is the caller's to retry (after a lookup).
    const bool may_retry = reused && attempt == 0;
    const bool may_resend = may_retry && is_idempotent(request.method);

    conn.lowest().expires_at(deadline);
    auto ec = impl_->with_stream(conn, [&](auto& stream) {
      return impl_->run([&](auto handler) { bhttp::async_write(stream, req, std::move(handler)); });
    });
    if (ec) {
      pool.erase(it);
      if (may_retry && ec != beast::error::timeout) continue;
      return io_error("writing request to " + url->host, ec);
    }

    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(kMaxResponseHeaderBytes);
    parser.body_limit(impl_->options.max_response_bytes);
    if (request.method == "HEAD") parser.skip(true);
    conn.lowest().expires_at(deadline);
    ec = impl_->with_stream(conn, [&](auto& stream) {
      return impl_->run([&](auto handler) { bhttp::async_read(stream, conn.buffer, parser, std::move(handler)); });
    });
    if (ec) {
      const bool nothing_received = !parser.got_some() && conn.buffer.size() == 0;
      pool.erase(it);
      if (may_resend && nothing_received && ec != beast::error::timeout) continue;
      if (ec == bhttp::error::body_limit) {
        return make_error("response_too_large",
                          "response body exceeds " + std::to_string(impl_->options.max_response_bytes) + " bytes");
      }
      if (ec == bhttp::error::header_limit) return make_error("response_too_large", "response header too large");
      return io_error("reading response from " + url->host, ec);
    }

    auto message = parser.release();
    ClientResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(message.body());
    // Unsolicited bytes after the response would be read as the next response: drop them.
    if (!message.keep_alive() || conn.buffer.size() != 0) pool.erase(it);
    return response;
  }
}

}  // namespace switchyard::http
