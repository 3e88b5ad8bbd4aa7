#include "redis_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>
#include <thread>

namespace switchyard::bench {
namespace {

bool send_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

struct Link {
  int client = -1;
  int server = -1;
  std::atomic<int> last{0};  // 0 none yet, 1 client spoke last, 2 server spoke last
  ~Link() {
    ::close(client);
    ::close(server);
  }
};

}  // namespace

RedisProxy::RedisProxy(std::string upstream_host, uint16_t upstream_port)
    : upstream_host_(std::move(upstream_host)), upstream_port_(upstream_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0) {
    throw std::runtime_error("redis proxy: cannot listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  std::thread([this] { accept_loop(); }).detach();
}

void RedisProxy::accept_loop() {
  for (;;) {
    const int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    auto link = std::make_shared<Link>();
    link->client = client;
    link->server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(upstream_port_);
    ::inet_pton(AF_INET, upstream_host_.c_str(), &addr.sin_addr);
    if (::connect(link->server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) continue;
    const int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(link->server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread([this, link] {
      char buf[256 * 1024];
      for (;;) {
        const ssize_t n = ::recv(link->client, buf, sizeof buf, 0);
        if (n <= 0) break;
        if (link->last.exchange(1) != 1) round_trips_.fetch_add(1);
        if (!send_all(link->server, buf, static_cast<size_t>(n))) break;
      }
      ::shutdown(link->server, SHUT_RDWR);
    }).detach();
    std::thread([link] {
      char buf[256 * 1024];
      for (;;) {
        const ssize_t n = ::recv(link->server, buf, sizeof buf, 0);
        if (n <= 0) break;
        link->last.store(2);
        if (!send_all(link->client, buf, static_cast<size_t>(n))) break;
      }
      ::shutdown(link->client, SHUT_RDWR);
    }).detach();
  }
}

}  // namespace switchyard::bench
