// HttpClient against a real HttpServer (and a tiny raw-socket server where the test needs to
// count connections or misbehave) on 127.0.0.1.
#include "common/http_client.h"
#include "support/eventually.h"
#include "support/patterned_bytes.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/http_server.h"

namespace switchyard::http {
namespace {

using namespace std::chrono_literals;

// Designated initialisers would trip -Wmissing-field-initializers on GCC 12.
ClientRequest req(std::string method, std::string url, std::string body = {}, Headers headers = {},
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
  ClientRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.timeout = timeout;
  return r;
}

// A port nothing listens on: bind an ephemeral port, then release it.
uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Minimal HTTP server on a raw socket: counts accepted connections and answers each request
// with 200 "ok". With close_after_response it closes the connection after every response
// without announcing it, like a server whose keep-alive timer fired. With answers_per_connection
// it answers only that many requests on a connection, then reads the next one and closes the
// connection without answering (a server that processed it and died before replying).
class CountingServer {
 public:
  explicit CountingServer(bool close_after_response, int answers_per_connection = -1)
      : close_after_(close_after_response), answers_per_connection_(answers_per_connection) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~CountingServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }
  uint16_t port() const { return port_; }
  int accepted() const { return accepted_.load(); }
  int requests() const { return requests_.load(); }
  int closed() const { return closed_.load(); }

 private:
  void run() {
    std::vector<int> clients;
    std::vector<std::string> buffers;
    while (!stop_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
      for (int c : clients) fds.push_back({c, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        const int c = ::accept(listen_fd_, nullptr, nullptr);
        if (c >= 0) {
          ++accepted_;
          clients.push_back(c);
          buffers.emplace_back();
        }
      }
      for (size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buf[4096];
        const ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
        auto& b = buffers[i - 1];
        if (n > 0) b.append(buf, static_cast<size_t>(n));
        bool close_it = n <= 0;
        if (const size_t end = b.find("\r\n\r\n"); n > 0 && end != std::string::npos) {
          b.erase(0, end + 4);
          ++requests_;
          if (answers_per_connection_ >= 0 && answered_[fds[i].fd]++ >= answers_per_connection_) {
            close_it = true;  // read, "processed", never answered
          } else {
            const std::string_view response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            (void)!::send(fds[i].fd, response.data(), response.size(), MSG_NOSIGNAL);
            close_it = close_after_;
          }
        }
        if (close_it) {
          answered_.erase(fds[i].fd);
          ::close(fds[i].fd);
          clients[i - 1] = -1;
          ++closed_;
        }
      }
      for (size_t i = clients.size(); i-- > 0;) {
        if (clients[i] < 0) {
          clients.erase(clients.begin() + static_cast<long>(i));
          buffers.erase(buffers.begin() + static_cast<long>(i));
        }
      }
    }
    for (int c : clients) ::close(c);
  }

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  bool close_after_;
  int answers_per_connection_;
  std::map<int, int> answered_;  // server thread only
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::atomic<int> requests_{0};
  std::atomic<int> closed_{0};
  std::thread thread_;
};

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<HttpServer>(ServerOptions{});
    server_->route("GET", "/echo", [](Request&& req, Responder respond) { respond(json_response(200, describe(req))); });
    server_->route("POST", "/echo", [](Request&& req, Responder respond) { respond(json_response(201, describe(req))); });
    server_->route("GET", "/big", [](Request&&, Responder respond) { respond(json_response(200, std::string(4096, 'x'))); });
    server_->route("GET", "/pattern/{size}", [](Request&& req, Responder respond) {
      respond(json_response(200, testing::patterned_bytes(std::stoul(req.params["size"]))));
    });
    server_->route("GET", "/status/{code}", [](Request&& req, Responder respond) {
      respond(error_response(std::stoi(req.params["code"]), "as_asked", "status on request"));
    });
    server_->route("GET", "/slow", [this](Request&&, Responder respond) {
      std::lock_guard lock(mu_);
      workers_.emplace_back([respond = std::move(respond)] {
        std::this_thread::sleep_for(1500ms);
        respond(json_response(200, "{}"));
      });
    });
    server_->start();
  }
  void TearDown() override {
    server_->stop(100ms);
    std::lock_guard lock(mu_);
    for (auto& t : workers_) t.join();
  }

  // "METHOD|path|query q|X-Test|Host|User-Agent|Content-Length|body"
  static std::string describe(const Request& r) {
    return r.method + "|" + r.path + "|" + r.query_param("q") + "|" + std::string(r.header("x-test")) + "|" +
           std::string(r.header("host")) + "|" + std::string(r.header("user-agent")) + "|" +
           std::string(r.header("content-length")) + "|" + r.body;
  }

  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
  }

  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
};

TEST_F(HttpClientTest, GetSendsHeadersAndQuery) {
  HttpClient client;
  auto r = client.send(req("GET", url("/echo?q=hello%20world"), "", {{"X-Test", "v1"}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  const std::string host = "127.0.0.1:" + std::to_string(server_->port());
  EXPECT_EQ(r->body, "GET|/echo|hello world|v1|" + host + "|switchyard/0.1||");
  EXPECT_EQ(r->header("Content-Type"), "application/json");
}

TEST_F(HttpClientTest, PostSendsBodyWithContentLength) {
  ClientOptions options;
  options.user_agent = "tester/1";
  HttpClient client(options);
  auto r = client.send(req("POST", url("/echo"), R"({"a":1})", {{"x-test", "v2"}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 201);
  const std::string host = "127.0.0.1:" + std::to_string(server_->port());
  EXPECT_EQ(r->body, "POST|/echo||v2|" + host + "|tester/1|7|{\"a\":1}");
}

TEST_F(HttpClientTest, ErrorStatusesAreResponses) {
  HttpClient client;
  auto r = client.send(req("GET", url("/status/503")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(r->body.find("as_asked"), std::string::npos);
}

TEST_F(HttpClientTest, TimeoutCoversSlowHandler) {
  HttpClient client;
  const auto start = std::chrono::steady_clock::now();
  auto r = client.send(req("GET", url("/slow"), "", {}, 300ms));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "timeout");
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 1200ms);
  // The client is usable afterwards (the timed-out connection was dropped).
  auto again = client.send(req("GET", url("/echo")));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->status, 200);
}

TEST_F(HttpClientTest, ResponseTooLarge) {
  ClientOptions options;
  options.max_response_bytes = 1024;
  HttpClient client(options);
  auto r = client.send(req("GET", url("/big")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "response_too_large");
  auto fine = client.send(req("GET", url("/echo")));
  ASSERT_TRUE(fine.ok()) << fine.error().message;
}

// The connection's read buffer is reserved at 16 KB: responses around and well past it, one after
// the other on one kept-alive connection, must arrive byte for byte.
TEST_F(HttpClientTest, ResponsesLargerThanTheReadBufferArriveIntact) {
  HttpClient client;
  for (const size_t size : {size_t{1}, size_t{16383}, size_t{16385}, size_t{300000}, size_t{700}}) {
    auto r = client.send(req("GET", url("/pattern/" + std::to_string(size))));
    ASSERT_TRUE(r.ok()) << size << ": " << r.error().message;
    EXPECT_EQ(r->body, testing::patterned_bytes(size)) << size;
  }
}

TEST(HttpClientErrors, ConnectFailedOnClosedPort) {
  HttpClient client;
  auto r = client.send(req("GET", "http://127.0.0.1:" + std::to_string(closed_port()) + "/", "", {}, 2000ms));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "connect_failed") << r.error().message;
}

TEST(HttpClientErrors, InvalidUrls) {
  HttpClient client;
  for (const char* bad : {"ftp://example.com/", "http://", "not a url", "http://user:pw@example.com/",
                          "http://example.com:0/", "http://example.com:99999/", "http://exa mple.com/",
                          "http://[::1/", "http://example.com:/x"}) {
    auto r = client.send(req("GET", bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "invalid_url") << bad;
  }
}

TEST(HttpClientErrors, InvalidHeaderIsRejectedBeforeSending) {
  HttpClient client;
  auto r = client.send(req("GET", "http://127.0.0.1:1/", "", {{"X-A", "v\r\nInjected: 1"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_request");
}

TEST(HttpClientErrors, TlsToPlainServerFails) {
  HttpServer server({});
  server.route("GET", "/", [](Request&&, Responder respond) { respond(json_response(200, "{}")); });
  server.start();
  HttpClient client;
  auto r = client.send(req("GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/", "", {}, 3000ms));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "tls_failed") << r.error().message;
}

TEST(ParseUrl, Components) {
  auto u = parse_url("HTTPS://api-na.myconnectwise.net/v4_6_release/apis/3.0/service/tickets?page=2#frag");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "api-na.myconnectwise.net");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/v4_6_release/apis/3.0/service/tickets?page=2");

  u = parse_url("http://127.0.0.1:8080");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->target, "/");

  u = parse_url("http://[::1]:9000?x=1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 9000);
  EXPECT_EQ(u->target, "/?x=1");
}

TEST(HttpClientReuse, KeepsOneConnectionForManyRequests) {
  CountingServer server(false);
  HttpClient client;
  const std::string target = "http://127.0.0.1:" + std::to_string(server.port()) + "/x";
  for (int i = 0; i < 5; ++i) {
    auto r = client.send(req("GET", target, "", {}, 2000ms));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->body, "ok");
  }
  EXPECT_EQ(server.accepted(), 1);
}

TEST(HttpClientReuse, ReconnectsOnceWhenKeptConnectionWasClosed) {
  CountingServer server(true);
  HttpClient client;
  const std::string target = "http://127.0.0.1:" + std::to_string(server.port()) + "/x";
  for (int i = 0; i < 3; ++i) {
    // The server has closed the cached connection, so it is really stale: the client notices
    // before sending and opens a new one (a POST is never sent on a connection known dead).
    ASSERT_TRUE(switchyard::testing::eventually([&] { return server.closed() == i; }, 5000ms, 1ms));
    auto r = client.send(req("POST", target, "payload", {}, 2000ms));
    ASSERT_TRUE(r.ok()) << "request " << i << ": " << r.error().message;
    EXPECT_EQ(r->body, "ok");
  }
  EXPECT_EQ(server.accepted(), 3);
  EXPECT_EQ(server.requests(), 3);
}

// A request that reached the server and got no answer may have been processed: a POST or
// PATCH is not sent again (RFC 9110 §9.2.2) — the caller decides, e.g. after looking the
// record up. An idempotent GET may be.
TEST(HttpClientReuse, NonIdempotentRequestIsNeverResentAfterTheServerGotIt) {
  CountingServer server(false, 1);
  HttpClient client;
  const std::string target = "http://127.0.0.1:" + std::to_string(server.port()) + "/x";
  ASSERT_TRUE(client.send(req("POST", target, "one", {}, 2000ms)).ok());
  auto lost = client.send(req("POST", target, "two", {}, 2000ms));
  EXPECT_FALSE(lost.ok());
  EXPECT_EQ(server.requests(), 2) << "the unanswered POST was sent again";

  ASSERT_TRUE(client.send(req("GET", target, "", {}, 2000ms)).ok());  // new connection, answered
  auto resent = client.send(req("GET", target, "", {}, 2000ms));      // read, unanswered, resent
  ASSERT_TRUE(resent.ok()) << resent.error().message;
  EXPECT_EQ(server.requests(), 5);
}

TEST(HttpClientReuse, ReusesConnectionToHttpServer) {
  std::atomic<int> calls{0};
  HttpServer server({});
  server.route("GET", "/", [&](Request&&, Responder respond) { ++calls, respond(json_response(200, "{}")); });
  server.start();
  HttpClient client;
  for (int i = 0; i < 10; ++i) {
    auto r = client.send(req("GET", "http://127.0.0.1:" + std::to_string(server.port()) + "/"));
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  EXPECT_EQ(calls.load(), 10);
}

}  // namespace
}  // namespace switchyard::http
