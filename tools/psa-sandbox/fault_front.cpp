#include "psa-sandbox/fault_front.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "psa-sandbox/response_cutter.h"

namespace switchyard::sandbox {
namespace {

// MSG_NOSIGNAL: a client that went away must not SIGPIPE the whole sandbox.
bool send_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void no_delay(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int connect_loopback(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  no_delay(fd);
  return fd;
}

}  // namespace

FaultFront::FaultFront(std::string address, uint16_t port, uint16_t upstream_port)
    : address_(std::move(address)), port_(port), upstream_port_(upstream_port) {}

FaultFront::~FaultFront() { stop(); }

void FaultFront::start() {
  const std::string where = address_ + ":" + std::to_string(port_);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (::getaddrinfo(address_.c_str(), std::to_string(port_).c_str(), &hints, &found) != 0 || found == nullptr) {
    throw std::runtime_error("psa sandbox: cannot resolve " + where);
  }
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  const bool ok = fd >= 0 && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
                  ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0;
  const std::string error = std::strerror(errno);
  ::freeaddrinfo(found);
  if (!ok) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("psa sandbox: cannot listen on " + where + ": " + error);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  if (::pipe2(wake_, O_CLOEXEC) != 0) {
    ::close(fd);
    throw std::runtime_error("psa sandbox: pipe failed");
  }
  listen_fd_ = fd;
  acceptor_ = std::thread([this] { accept_loop(); });
}

void FaultFront::stop() {
  if (listen_fd_ < 0) return;
  [[maybe_unused]] const ssize_t n = ::write(wake_[1], "x", 1);
  acceptor_.join();
  {
    std::lock_guard lock(mu_);
    // A relay blocked in send() to a client that does not read wakes up on shutdown.
    for (auto& c : connections_) {
      ::shutdown(c->client, SHUT_RDWR);
      if (c->upstream >= 0) ::shutdown(c->upstream, SHUT_RDWR);
    }
  }
  reap(true);
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
  listen_fd_ = -1;
}

// Joins finished relays (all of them when stopping) and closes their sockets only then, so a
// descriptor is never reused while stop() may still shut it down.
void FaultFront::reap(bool all) {
  std::list<std::unique_ptr<Connection>> finished;
  {
    std::lock_guard lock(mu_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (all || (*it)->done.load()) {
        finished.push_back(std::move(*it));
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : finished) {
    c->thread.join();
    ::close(c->client);
    if (c->upstream >= 0) ::close(c->upstream);
  }
}

void FaultFront::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EMFILE || errno == ENFILE) ::poll(nullptr, 0, 50);  // back off, do not spin
      continue;
    }
    reap(false);
    no_delay(client);
    auto c = std::make_unique<Connection>();
    c->client = client;
    c->upstream = connect_loopback(upstream_port_);
    Connection* raw = c.get();
    std::lock_guard lock(mu_);
    connections_.push_back(std::move(c));
    raw->thread = std::thread([this, raw] { relay(*raw); });
  }
}

void FaultFront::relay(Connection& c) {
  if (c.upstream < 0) {  // server gone (stopping): the client sees a closed connection
    c.done = true;
    return;
  }
  ResponseCutter cutter;
  std::string out;
  char buffer[16384];
  pollfd fds[3] = {{c.client, POLLIN, 0}, {c.upstream, POLLIN, 0}, {wake_[0], POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[2].revents != 0) break;
    if (fds[0].revents != 0) {
      const ssize_t n = ::recv(c.client, buffer, sizeof buffer, 0);
      if (n <= 0) {
        // The client finished sending (or went away): let the server answer what it has.
        ::shutdown(c.upstream, SHUT_WR);
        fds[0].fd = -1;
      } else if (!send_all(c.upstream, buffer, static_cast<size_t>(n))) {
        break;
      }
    }
    if (fds[1].revents != 0) {
      const ssize_t n = ::recv(c.upstream, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      out.clear();
      const bool cut = cutter.feed(std::string_view(buffer, static_cast<size_t>(n)), out);
      if (!send_all(c.client, out.data(), out.size()) || cut) break;
    }
  }
  ::shutdown(c.client, SHUT_RDWR);
  ::shutdown(c.upstream, SHUT_RDWR);
  c.done = true;
}

}  // namespace switchyard::sandbox
