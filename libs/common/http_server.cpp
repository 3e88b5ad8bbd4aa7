#include "common/http_server.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/heartbeats.h"
#include "common/http_header_reader.h"
#include "common/http_router.h"

namespace switchyard::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Beyond this many open connections new ones are closed at once: sockets are an input too.
constexpr size_t kMaxConnections = 4096;
// After an error response that closes the connection, how long and how much we keep reading
// (and discarding) so the peer sees our response instead of a reset (lingering close).
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

class Session;

// State shared by the server, its sessions and outstanding Responders. A Responder may be
// called after the server stopped, so it reaches a session only through this gate: while
// `open` is true (checked under `mu`) the io_context is alive and posting to it is safe.
struct Core {
  ServerOptions options;
  Router router;
  std::atomic<size_t> connections{0};

  std::mutex mu;
  std::condition_variable idle_cv;
  bool open = true;       // false once stop() gave up waiting; Responders become no-ops
  // No new requests: connections close after their current response. Atomic, not under `mu`:
  // every request reads it, and `mu` is shared by all io threads and the delivery thread.
  std::atomic<bool> stopping{false};
  // Sessions whose handler has not answered yet (or whose answer is still being written).
  // The strong reference keeps the session alive while no I/O is pending on it.
  std::unordered_map<const Session*, std::shared_ptr<Session>> in_flight;
};

bool header_value_ok(std::string_view s) {
  return s.find_first_of("\r\n") == std::string_view::npos && s.find('\0') == std::string_view::npos;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Core> core) : core_(std::move(core)), stream_(std::move(socket)) {
    buffer_.reserve(core_->options.read_buffer_bytes);  // see ServerOptions::read_buffer_bytes
    beast::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = remote.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
    ++core_->connections;
  }
  ~Session() { --core_->connections; }

  void start() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_header, shared_from_this())); }

  // Any thread, caller holds core_->mu with core_->open true.
  void post_response(Response response) {
    net::post(stream_.get_executor(), [self = shared_from_this(), response = std::move(response)]() mutable {
      self->write_response(std::move(response), false);
    });
  }

 private:
  void read_header() {
    parser_.emplace();  // its header limit is HeaderReader's to set
    parser_->body_limit(core_->options.max_body_bytes);
    // Between keep-alive requests the peer may be quiet for idle_timeout; a first request
    // must arrive within read_timeout.
    stream_.expires_after(first_request_ ? core_->options.read_timeout : core_->options.idle_timeout);
    header_reader_.emplace(core_->options.max_header_bytes);
    parse_header();
  }

  // The header is read by this loop rather than async_read_header, so that its limit holds for
  // the whole header, not each read (HeaderReader says why).
  void parse_header() {
    beast::error_code ec;
    buffer_.consume(header_reader_->put(*parser_, buffer_.data(), ec));
    if (!ec) return on_header();
    if (ec != bhttp::error::need_more) return on_read_error(ec);
    const size_t room = std::clamp<size_t>(buffer_.capacity() - buffer_.size(), 512, 65536);  // as Beast's read_size
    stream_.async_read_some(buffer_.prepare(room), [self = shared_from_this()](beast::error_code rec, size_t n) {
      self->buffer_.commit(n);
      if (rec == net::error::eof) {
        // As Beast's read: a peer that closed between requests ended the stream; one that
        // closed inside a header left a partial message.
        rec = self->parser_->got_some() ? bhttp::error::partial_message : bhttp::error::end_of_stream;
      }
      if (rec) return self->on_read_error(rec);
      self->parse_header();
    });
  }

  void on_header() {
    stream_.expires_after(core_->options.read_timeout);
    const auto expect = parser_->get()[bhttp::field::expect];
    if (!parser_->is_done() && beast::iequals(expect, "100-continue")) {
      // curl and others wait for this before sending a large body.
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code wec, size_t) {
                         if (wec) return self->close_now();
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_read_error(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return reject(413, "payload_too_large",
                    "request body exceeds " + std::to_string(core_->options.max_body_bytes) + " bytes");
    }
    if (ec == bhttp::error::header_limit) {
      return reject(431, "headers_too_large",
                    "request header exceeds " + std::to_string(core_->options.max_header_bytes) + " bytes");
    }
    // A peer that closed, reset or timed out gets no answer; a peer that sent something that
    // is not HTTP/1.1 gets a 400 and the connection is closed (we cannot find the next request).
    const bool parse_error = ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                             ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
    if (parse_error) return reject(400, "bad_request", "malformed HTTP request: " + ec.message());
    close_now();
  }

  void on_body(beast::error_code ec, size_t) {
    if (ec) return on_read_error(ec);
    auto message = parser_->release();
    parser_.reset();
    keep_alive_ = message.keep_alive();

    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    const std::string_view target = message.target();
    if (target.empty() || target.front() != '/') {
      return reject(400, "bad_request", "request target must be an absolute path");
    }
    const size_t q = target.find('?');
    const std::string_view raw_path = target.substr(0, q);
    request.path = decode_path(raw_path);
    if (q != std::string_view::npos) request.query = std::string(target.substr(q + 1));
    request.headers.reserve(std::distance(message.begin(), message.end()));
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_address = remote_address_;

    if (core_->stopping.load()) return reject(503, "shutting_down", "the server is stopping");

    auto match = core_->router.match(request.method, raw_path);
    if (match.handler == nullptr) {
      if (match.allow.empty()) {
        return write_response(error_response(404, "not_found", "no route for " + request.path), false);
      }
      Response response = error_response(405, "method_not_allowed", request.method + " is not allowed here");
      response.headers.emplace_back("Allow", match.allow);
      return write_response(std::move(response), false);
    }
    request.params = std::move(match.params);
    invoke(*match.handler, std::move(request));
  }

  void invoke(const Handler& handler, Request&& request);

  void write_response(Response response, bool force_close) {
    auto res = std::make_unique<bhttp::response<bhttp::string_body>>();
    res->version(11);
    const bool valid_status = response.status >= 100 && response.status <= 999;
    res->result(static_cast<unsigned>(valid_status ? response.status : 500));
    for (const auto& [name, value] : response.headers) {
      // A handler echoing input into a header must not be able to split the response.
      if (name.empty() || !header_value_ok(name) || !header_value_ok(value)) continue;
      res->insert(name, value);
    }
    if (!response.body.empty() && !response.content_type.empty() && header_value_ok(response.content_type)) {
      res->set(bhttp::field::content_type, response.content_type);
    }
    const bool close = force_close || !keep_alive_ || core_->stopping.load();
    res->keep_alive(!close);
    res->body() = std::move(response.body);
    res->prepare_payload();
    response_ = std::move(res);
    stream_.expires_after(core_->options.read_timeout);
    bhttp::async_write(stream_, *response_, beast::bind_front_handler(&Session::on_write, shared_from_this(), close));
  }

  void on_write(bool close, beast::error_code ec, size_t) {
    response_.reset();
    release_in_flight();
    if (ec) return close_now();
    if (close) return linger_close();
    first_request_ = false;
    read_header();  // pipelined requests: the next one is read only now
  }

  void release_in_flight() {
    std::lock_guard lock(core_->mu);
    if (core_->in_flight.erase(this) > 0 && core_->in_flight.empty()) core_->idle_cv.notify_all();
  }

  void reject(int status, std::string_view code, std::string message) {
    keep_alive_ = false;
    write_response(error_response(status, code, message), true);
  }

  void linger_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close_now();
    drain_limit_ = core_->options.max_body_bytes * 4 + 65536;
    drain_buffer_.resize(16384);
    stream_.expires_after(kLingerTime);
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(drain_buffer_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > self->drain_limit_) return self->close_now();
      self->drain();
    });
  }

  void close_now() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  // Declared first so that it is destroyed last: the destructor uses it.
  std::shared_ptr<Core> core_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::unique_ptr<bhttp::response<bhttp::string_body>> response_;
  std::string remote_address_;
  std::optional<HeaderReader> header_reader_;  // of the request being read
  bool first_request_ = true;
  bool keep_alive_ = false;
  std::vector<char> drain_buffer_;
  size_t drained_ = 0;
  size_t drain_limit_ = 0;
};

// Shared by all copies of one Responder: answers at most once, and answers 500 if every copy
// is dropped unanswered, so a buggy handler cannot leave a client hanging until its timeout.
class ResponseSlot {
 public:
  ResponseSlot(std::weak_ptr<Session> session, std::shared_ptr<Core> core)
      : session_(std::move(session)), core_(std::move(core)) {}
  ResponseSlot(const ResponseSlot&) = delete;
  ResponseSlot& operator=(const ResponseSlot&) = delete;
  ~ResponseSlot() {
    if (!answered_.load()) answer(error_response(500, "no_response", "the handler did not answer"));
  }

  void answer(Response response) {
    if (answered_.exchange(true)) return;
    std::lock_guard lock(core_->mu);
    if (!core_->open) return;
    if (auto session = session_.lock()) session->post_response(std::move(response));
  }

 private:
  std::weak_ptr<Session> session_;
  std::shared_ptr<Core> core_;
  std::atomic<bool> answered_{false};
};

void Session::invoke(const Handler& handler, Request&& request) {
  {
    std::lock_guard lock(core_->mu);
    core_->in_flight.emplace(this, shared_from_this());
  }
  auto slot = std::make_shared<ResponseSlot>(weak_from_this(), core_);
  Responder responder = [slot](Response response) { slot->answer(std::move(response)); };
  try {
    handler(std::move(request), std::move(responder));
  } catch (const std::exception&) {
    // The message may carry request data; keep it out of the response.
    slot->answer(error_response(500, "internal_error", "the handler failed"));
  }
}

}  // namespace

// One io_context per io thread, each run by that thread alone: a connection lives on the thread
// that accepted it for its whole life, so its handlers need no strand, and a response posted
// from another thread (a Kafka delivery report) wakes exactly that thread. With one io_context
// shared by all threads every completion could be handed to another thread (a futex wake and a
// context switch per hand-off), which the profile showed as most of ingest's kernel time.
// The acceptor has a thread of its own, so a handler that blocks an io thread stalls only that
// thread's connections, never new ones.
struct HttpServer::Impl {
  explicit Impl(ServerOptions options) : core(std::make_shared<Core>()) {
    core->options = std::move(options);
    const size_t n = std::max<size_t>(1, core->options.threads);
    for (size_t i = 0; i < n; ++i) iocs.push_back(std::make_unique<net::io_context>(1));
  }

  // Accepted connections go to the io threads in turn.
  net::io_context& next_context() { return *iocs[next_io++ % iocs.size()]; }

  void accept() {
    acceptor.async_accept(next_context(), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {
        // Typically EMFILE: back off instead of spinning on the error.
        retry_timer.expires_after(std::chrono::milliseconds(50));
        retry_timer.async_wait([this](beast::error_code wec) {
          if (!wec) accept();
        });
        return;
      }
      if (core->connections.load() >= kMaxConnections) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Session>(std::move(socket), core)->start();
      }
      accept();
    });
  }

  // A thread that runs handlers beats each interval from a timer on its own io_context: a
  // handler that blocks the thread keeps the timer from firing, so the thread shows as stale.
  void beat_every(size_t i) {
    beat_timers[i]->expires_after(beats[i].interval());
    beat_timers[i]->async_wait([this, i](beast::error_code ec) {
      if (ec) return;
      beats[i].beat();
      beat_every(i);
    });
  }

  // Member order matters: the io_contexts outlive the acceptor and the timers, and `core`
  // outlives the sessions that the io_contexts destroy with their pending handlers.
  std::shared_ptr<Core> core;
  std::vector<std::unique_ptr<net::io_context>> iocs;
  net::io_context accept_ioc{1};
  tcp::acceptor acceptor{accept_ioc};
  net::steady_timer retry_timer{accept_ioc};
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<Heartbeat> beats;
  std::vector<std::unique_ptr<net::steady_timer>> beat_timers;
  std::vector<std::thread> threads;
  size_t next_io = 0;  // only the acceptor's handler uses it
  uint16_t port = 0;
  bool started = false;
  bool stopped = false;
};

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { stop(std::chrono::milliseconds(0)); }

void HttpServer::route(std::string method, std::string pattern, Handler handler) {
  if (impl_->started) throw std::logic_error("HttpServer::route called after start()");
  impl_->core->router.add(std::move(method), pattern, std::move(handler));
}

void HttpServer::start() {
  if (impl_->started) throw std::logic_error("HttpServer::start called twice");
  const auto& opts = impl_->core->options;
  const std::string where = opts.address + ":" + std::to_string(opts.port);
  beast::error_code ec;
  tcp::resolver resolver(impl_->accept_ioc);
  const auto endpoints = resolver.resolve(opts.address, std::to_string(opts.port),
                                          tcp::resolver::numeric_service | tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) throw std::runtime_error("http server: cannot resolve " + where + ": " + ec.message());
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto& acceptor = impl_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) throw std::runtime_error("http server: open " + where + ": " + ec.message());
  acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec) throw std::runtime_error("http server: bind " + where + ": " + ec.message());
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
    throw std::runtime_error("http server: listen " + where + ": " + ec.message());
  }
  impl_->port = acceptor.local_endpoint().port();
  impl_->started = true;
  for (auto& ioc : impl_->iocs) impl_->work.emplace_back(ioc->get_executor());
  impl_->work.emplace_back(impl_->accept_ioc.get_executor());
  impl_->accept();
  impl_->threads.emplace_back([ioc = &impl_->accept_ioc] { ioc->run(); });
  for (size_t i = 0; i < impl_->iocs.size(); ++i) {
    if (opts.heartbeats != nullptr) {
      impl_->beats.push_back(opts.heartbeats->add(opts.heartbeat_group, opts.heartbeat_group + "-" + std::to_string(i)));
      impl_->beat_timers.push_back(std::make_unique<net::steady_timer>(*impl_->iocs[i]));
      impl_->beat_every(i);
    }
    impl_->threads.emplace_back([ioc = impl_->iocs[i].get()] { ioc->run(); });
  }
}

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::stop(std::chrono::milliseconds grace) {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  auto& core = *impl_->core;
  {
    std::lock_guard lock(core.mu);
    core.stopping = true;
  }
  net::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    beast::error_code ec;
    impl->acceptor.close(ec);
    impl->retry_timer.cancel();
  });
  std::unordered_map<const Session*, std::shared_ptr<Session>> abandoned;
  {
    std::unique_lock lock(core.mu);
    core.idle_cv.wait_for(lock, grace, [&] { return core.in_flight.empty(); });
    core.open = false;
    abandoned.swap(core.in_flight);
  }
  impl_->work.clear();
  impl_->accept_ioc.stop();
  for (auto& ioc : impl_->iocs) ioc->stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  beast::error_code ignored;
  impl_->acceptor.close(ignored);  // the posted close may not have run before ioc.stop()
  abandoned.clear();  // while the io_contexts still exist: their sockets belong to them
}

}  // namespace switchyard::http
