// Each blocking call starts Asio operations on a private io_context and runs it until they
// complete or the deadline passes; on expiry the socket is closed, which ends the pending
// operation (operation_aborted), and the call reports a timeout. One io_context per transport:
// the transport belongs to one worker thread, like the RedisClient that owns it.
#include "common/redis_transport.h"

#include "common/resp_encode.h"

#include <hiredis/hiredis.h>
#include <openssl/ssl.h>

#include <array>
#include <functional>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <optional>

namespace switchyard {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct ReaderFree {
  void operator()(redisReader* r) const { redisReaderFree(r); }
};
using ReaderPtr = std::unique_ptr<redisReader, ReaderFree>;

RedisReply convert(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::String;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::Status;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::Error;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::Integer;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::Array;
      out.elements.reserve(r.elements);
      for (size_t i = 0; i < r.elements; ++i) out.elements.push_back(convert(*r.element[i]));
      break;
    default:
      out.type = RedisReply::Type::Nil;
  }
  return out;
}

bool is_ip_address(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

struct RedisTransport::Impl {
  asio::io_context io;
  std::optional<ssl::context> tls_context;
  std::unique_ptr<tcp::socket> plain;
  std::unique_ptr<ssl::stream<tcp::socket>> tls;
  ReaderPtr reader;
  std::string peer;
  std::array<char, 16 * 1024> read_buffer{};

  tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }
  bool open() const { return (plain && plain->is_open()) || (tls && tls->next_layer().is_open()); }

  void close() {
    error_code ignored;
    if (plain) plain->close(ignored);
    if (tls) tls->next_layer().close(ignored);  // no TLS close_notify: it could block on a dead peer
    plain.reset();
    tls.reset();
    reader.reset();
  }

  // Runs the io_context until `done` or the deadline; on expiry cancels (by default: closes the
  // socket) and lets the aborted operation finish before returning, so no handler outlives the
  // caller's frame.
  error_code run(const bool& done, const error_code& result, Deadline deadline,
                 const std::function<void()>& cancel = {}) {
    io.restart();
    io.run_until(deadline);
    if (done) return result;
    if (cancel) {
      cancel();
    } else if (plain || tls) {
      error_code ignored;
      socket().close(ignored);
    }
    io.restart();
    io.run();
    return asio::error::timed_out;
  }

  Error fail(const std::string& code, const std::string& what, const std::string& detail) {
    close();
    return make_error(code, "redis " + what + " (" + peer + "): " + detail);
  }

  Status make_tls_context(const RedisTlsSettings& settings) {
    tls_context.emplace(ssl::context::tls_client);
    tls_context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                             ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    error_code ec;
    if (!settings.ca_file.empty()) {
      tls_context->load_verify_file(settings.ca_file, ec);
      if (ec) return make_error("redis_tls", "redis TLS: cannot load CA file " + settings.ca_file + ": " + ec.message());
    } else {
      tls_context->set_default_verify_paths(ec);
      if (ec) return make_error("redis_tls", "redis TLS: cannot load the system CA store: " + ec.message());
    }
    if (!settings.cert_file.empty() || !settings.key_file.empty()) {
      if (settings.cert_file.empty() || settings.key_file.empty()) {
        return make_error("redis_tls", "redis TLS: a client certificate needs both a certificate and a key file");
      }
      tls_context->use_certificate_chain_file(settings.cert_file, ec);
      if (ec) return make_error("redis_tls", "redis TLS: cannot load certificate " + settings.cert_file + ": " + ec.message());
      tls_context->use_private_key_file(settings.key_file, ssl::context::pem, ec);
      if (ec) return make_error("redis_tls", "redis TLS: cannot load key " + settings.key_file + ": " + ec.message());
    }
    return ok_status();
  }

  Status connect(const std::string& host, int port, const RedisTlsSettings& settings, Deadline deadline) {
    close();
    peer = host + ":" + std::to_string(port);
    bool done = false;
    error_code result;

    tcp::resolver resolver(io);
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(host, std::to_string(port), [&](const error_code& ec, tcp::resolver::results_type r) {
      result = ec;
      endpoints = std::move(r);
      done = true;
    });
    // A cancelled lookup still ends only when getaddrinfo returns (the system resolver's own
    // timeouts bound it); an IP address resolves at once.
    if (auto ec = run(done, result, deadline, [&] { resolver.cancel(); })) {
      return fail("redis_unavailable", "resolve failed", ec.message());
    }

    if (settings.enabled) {
      // A fresh context per connection: rotated certificates and CA files take effect on the
      // next reconnect.
      if (auto s = make_tls_context(settings); !s) return s;
      tls = std::make_unique<ssl::stream<tcp::socket>>(io, *tls_context);
      const std::string name = settings.server_name.empty() ? host : settings.server_name;
      if (settings.insecure_skip_verify) {
        tls->set_verify_mode(ssl::verify_none);
      } else {
        tls->set_verify_mode(ssl::verify_peer);
        tls->set_verify_callback(ssl::host_name_verification(name));
      }
      if (!is_ip_address(name)) SSL_set_tlsext_host_name(tls->native_handle(), name.c_str());  // SNI
    } else {
      plain = std::make_unique<tcp::socket>(io);
    }

    done = false;
    asio::async_connect(socket(), endpoints, [&](const error_code& ec, const tcp::endpoint&) {
      result = ec;
      done = true;
    });
    if (auto ec = run(done, result, deadline)) return fail("redis_unavailable", "connect failed", ec.message());
    error_code ignored;
    socket().set_option(tcp::no_delay(true), ignored);

    if (tls) {
      done = false;
      tls->async_handshake(ssl::stream_base::client, [&](const error_code& ec) {
        result = ec;
        done = true;
      });
      if (auto ec = run(done, result, deadline)) {
        std::string hint;
        if (ec.category() == asio::error::get_ssl_category()) {
          hint = " (check SWITCHYARD_REDIS_TLS_CA_FILE, SWITCHYARD_REDIS_TLS_SERVER_NAME and the client certificate)";
        }
        return fail(ec == asio::error::timed_out ? "redis_unavailable" : "redis_tls", "TLS handshake failed",
                    ec.message() + hint);
      }
    }
    reader.reset(redisReaderCreate());
    if (!reader) return fail("redis_unavailable", "connect failed", "cannot allocate a reply reader");
    return ok_status();
  }

  error_code write(const std::string& bytes, Deadline deadline) {
    bool done = false;
    error_code result;
    auto handler = [&](const error_code& ec, size_t) {
      result = ec;
      done = true;
    };
    if (tls) {
      asio::async_write(*tls, asio::buffer(bytes), handler);
    } else {
      asio::async_write(*plain, asio::buffer(bytes), handler);
    }
    return run(done, result, deadline);
  }

  error_code read_some(size_t& bytes, Deadline deadline) {
    bool done = false;
    error_code result;
    auto handler = [&](const error_code& ec, size_t n) {
      result = ec;
      bytes = n;
      done = true;
    };
    if (tls) {
      tls->async_read_some(asio::buffer(read_buffer), handler);
    } else {
      plain->async_read_some(asio::buffer(read_buffer), handler);
    }
    return run(done, result, deadline);
  }

  Result<std::vector<RedisReply>> round_trip(const RespPipeline& commands, Deadline deadline, size_t max_reply_bytes) {
    std::vector<RedisReply> out;
    if (commands.empty()) return out;
    if (!open() || !reader) return make_error("redis_unavailable", "redis: not connected");
    if (auto ec = write(commands.bytes(), deadline)) return fail("redis_unavailable", "write failed", ec.message());
    out.reserve(commands.size());
    size_t received = 0;
    while (out.size() < commands.size()) {
      void* raw = nullptr;
      if (redisReaderGetReply(reader.get(), &raw) != REDIS_OK) {
        return fail("redis_unavailable", "protocol error", reader->errstr[0] ? reader->errstr : "bad reply");
      }
      if (raw) {
        out.push_back(convert(*static_cast<redisReply*>(raw)));
        freeReplyObject(raw);
        continue;
      }
      size_t n = 0;
      if (auto ec = read_some(n, deadline)) {
        return fail("redis_unavailable", "read failed", ec == asio::error::eof ? "connection closed" : ec.message());
      }
      received += n;
      if (received > max_reply_bytes) {
        return fail("redis_unavailable", "read failed",
                    "replies larger than " + std::to_string(max_reply_bytes) + " bytes");
      }
      if (redisReaderFeed(reader.get(), read_buffer.data(), n) != REDIS_OK) {
        return fail("redis_unavailable", "protocol error", "cannot buffer the reply");
      }
    }
    return out;
  }
};

RedisTransport::RedisTransport() : impl_(std::make_unique<Impl>()) {}
RedisTransport::~RedisTransport() { impl_->close(); }

Status RedisTransport::connect(const std::string& host, int port, const RedisTlsSettings& tls, Deadline deadline) {
  return impl_->connect(host, port, tls, deadline);
}

bool RedisTransport::connected() const { return impl_->open() && impl_->reader; }

void RedisTransport::close() { impl_->close(); }

Result<std::vector<RedisReply>> RedisTransport::round_trip(const RespPipeline& commands, Deadline deadline,
                                                           size_t max_reply_bytes) {
  return impl_->round_trip(commands, deadline, max_reply_bytes);
}

Result<std::vector<RedisReply>> RedisTransport::round_trip(const std::vector<std::vector<std::string>>& commands,
                                                           Deadline deadline, size_t max_reply_bytes) {
  const auto encoded = resp_encode(commands);
  if (!encoded) return make_error("redis_usage", "redis: empty command");
  return impl_->round_trip(*encoded, deadline, max_reply_bytes);
}

const std::string& RedisTransport::peer() const { return impl_->peer; }

}  // namespace switchyard
