#include "http_pacer.h"

#include <boost/asio.hpp>

#include <charconv>
#include <deque>
#include <memory>
#include <stdexcept>
#include <vector>

namespace switchyard::bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Pacer;

// One keep-alive connection: write a request, read its response (status line, headers,
// Content-Length body), then take the next due request.
struct Connection : std::enable_shared_from_this<Connection> {
  Connection(asio::io_context& io, Pacer& p) : socket(io), pacer(p) {}
  void send(uint64_t k);
  void on_headers(size_t header_bytes);
  void finish(int status);

  tcp::socket socket;
  Pacer& pacer;
  std::string out;
  asio::streambuf in;
  uint64_t current = 0;
};

struct Pacer {
  Pacer(const PacerOptions& o, const std::function<PacedRequest(uint64_t)>& m,
        const std::function<void(uint64_t, double)>& s)
      : options(o), make(m), sent_cb(s), timer(io) {}

  // Intended send time of request k.
  Clock::time_point due(uint64_t k) const {
    return start + std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(k) * 1e9 / options.rate));
  }

  void dispatch_due() {
    const auto now = Clock::now();
    while (next < options.count && due(next) <= now && !idle.empty()) {
      auto c = idle.back();
      idle.pop_back();
      c->send(next++);
    }
    if (next < options.count && alive > 0) {
      // Wake at the next due time, or soon if requests are waiting for a free connection.
      const auto wake = std::max(due(next), now + std::chrono::microseconds(200));
      timer.expires_at(wake);
      timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) dispatch_due();
      });
    }
  }

  void completed(const std::shared_ptr<Connection>& c, uint64_t k, int status) {
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - due(k)).count();
    result.latency.add(ms);
    if (status >= 200 && status < 300) ++result.ok;
    else ++result.failed;
    if (status == 0) {  // the connection is broken: drop it
      --alive;
      return;
    }
    idle.push_back(c);
    if (next < options.count && due(next) <= Clock::now()) {
      auto free = idle.back();
      idle.pop_back();
      free->send(next++);
    }
  }

  const PacerOptions& options;
  const std::function<PacedRequest(uint64_t)>& make;
  const std::function<void(uint64_t, double)>& sent_cb;
  asio::io_context io;
  asio::steady_timer timer;
  std::vector<std::shared_ptr<Connection>> idle;
  Clock::time_point start;
  std::chrono::system_clock::time_point wall_start;
  uint64_t next = 0;
  int alive = 0;
  PacerResult result;
};

void Connection::send(uint64_t k) {
  current = k;
  const PacedRequest r = pacer.make(k);
  const double intended_wall =
      std::chrono::duration<double, std::milli>(pacer.wall_start.time_since_epoch()).count() +
      std::chrono::duration<double, std::milli>(pacer.due(k) - pacer.start).count();
  pacer.sent_cb(k, intended_wall);
  ++pacer.result.sent;
  out.clear();
  out.reserve(r.body.size() + 256);
  out += "POST " + r.path + " HTTP/1.1\r\nHost: " + pacer.options.host + "\r\nContent-Type: application/json\r\n";
  out += r.extra_headers;
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n";
  out += r.body;
  auto self = shared_from_this();
  asio::async_write(socket, asio::buffer(out), [self](const boost::system::error_code& ec, size_t) {
    if (ec) return self->finish(0);
    asio::async_read_until(self->socket, self->in, "\r\n\r\n",
                           [self](const boost::system::error_code& ec2, size_t n) {
                             if (ec2) return self->finish(0);
                             self->on_headers(n);
                           });
  });
}

void Connection::on_headers(size_t header_bytes) {
  const std::string head(asio::buffers_begin(in.data()), asio::buffers_begin(in.data()) + header_bytes);
  in.consume(header_bytes);
  int status = 0;
  if (head.size() > 12) std::from_chars(head.data() + 9, head.data() + 12, status);
  size_t length = 0;
  for (size_t pos = 0; (pos = head.find("\r\n", pos)) != std::string::npos;) {
    pos += 2;
    static constexpr std::string_view kName = "content-length:";
    if (head.size() - pos > kName.size()) {
      bool match = true;
      for (size_t i = 0; i < kName.size() && match; ++i) match = std::tolower(head[pos + i]) == kName[i];
      if (match) {
        size_t v = pos + kName.size();
        while (v < head.size() && head[v] == ' ') ++v;
        std::from_chars(head.data() + v, head.data() + head.size(), length);
      }
    }
  }
  if (in.size() >= length) {
    in.consume(length);
    return finish(status);
  }
  auto self = shared_from_this();
  asio::async_read(socket, in, asio::transfer_exactly(length - in.size()),
                   [self, status, length](const boost::system::error_code& ec, size_t) {
                     if (ec) return self->finish(0);
                     self->in.consume(length);
                     self->finish(status);
                   });
}

void Connection::finish(int status) { pacer.completed(shared_from_this(), current, status); }

}  // namespace

PacerResult run_paced(const PacerOptions& options, const std::function<PacedRequest(uint64_t)>& make,
                      const std::function<void(uint64_t, double)>& sent) {
  Pacer pacer(options, make, sent);
  tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
  for (int i = 0; i < options.connections; ++i) {
    auto c = std::make_shared<Connection>(pacer.io, pacer);
    c->socket.connect(endpoint);
    c->socket.set_option(tcp::no_delay(true));
    pacer.idle.push_back(c);
  }
  pacer.alive = options.connections;
  pacer.result.latency.reserve(options.count);
  pacer.start = Clock::now();
  pacer.wall_start = std::chrono::system_clock::now();
  pacer.dispatch_due();
  pacer.io.run();
  pacer.result.elapsed_s = std::chrono::duration<double>(Clock::now() - pacer.start).count();
  if (pacer.result.sent < options.count) {
    throw std::runtime_error("every connection broke after " + std::to_string(pacer.result.sent) + " requests");
  }
  return pacer.result;
}

}  // namespace switchyard::bench
