// ResponseCutter: follows the HTTP/1.1 responses flowing from the sandbox's server to one
// client and cuts the one marked "X-Sandbox-Fault: drop; cut=..." where the mark says. Only
// as much parsing as our own server's output needs: Content-Length framing; anything else
// (chunked, read-until-close) is passed through untouched.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::sandbox {

class ResponseCutter {
 public:
  // Appends to `out` what the client must receive of `bytes`. Returns true when a marked
  // response was cut: the caller sends `out` and closes both connections.
  bool feed(std::string_view bytes, std::string& out);

 private:
  enum class State { header, body, cut, passthrough };
  bool on_header(size_t header_end, std::string& out);

  State state_ = State::header;
  std::string buffer_;
  uint64_t body_left_ = 0;
  size_t cut_at_ = 0;
};

}  // namespace switchyard::sandbox
