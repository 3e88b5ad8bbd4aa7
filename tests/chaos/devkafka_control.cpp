#include "devkafka_control.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace switchyard::chaos {

std::string devkafka_command(uint16_t port, std::string_view command) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "error no answer: socket failed";
  const timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    answer = std::string("error no answer: ") + std::strerror(errno);
  } else {
    const std::string line = std::string(command) + "\n";
    if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
      answer = "error no answer: send failed";
    } else {
      char c;
      while (::recv(fd, &c, 1, 0) == 1 && c != '\n') answer += c;
      if (answer.empty()) answer = "error no answer: connection closed";
    }
  }
  ::close(fd);
  return answer;
}

}  // namespace switchyard::chaos
