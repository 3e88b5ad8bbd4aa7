#include "common/resp_encode.h"

#include <charconv>

namespace switchyard {
namespace {

size_t digits(size_t n) {
  size_t d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

void append_header(std::string& out, char kind, size_t n) {
  char buf[24];
  buf[0] = kind;
  const auto end = std::to_chars(buf + 1, buf + sizeof buf, n).ptr;
  out.append(buf, end).append("\r\n");
}

}  // namespace

std::optional<std::string> resp_encode(const std::vector<std::vector<std::string>>& commands) {
  size_t size = 0;
  for (const auto& argv : commands) {
    if (argv.empty()) return std::nullopt;
    size += 3 + digits(argv.size());
    for (const auto& a : argv) size += 5 + digits(a.size()) + a.size();
  }
  std::string out;
  out.reserve(size);
  for (const auto& argv : commands) {
    append_header(out, '*', argv.size());
    for (const auto& a : argv) {
      append_header(out, '$', a.size());
      out.append(a).append("\r\n");
    }
  }
  return out;
}

}  // namespace switchyard
