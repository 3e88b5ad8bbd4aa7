#include "common/resp_encode.h"

#include <charconv>
#include <stdexcept>

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

}  // namespace

void RespPipeline::header(char kind, size_t n) {
  char buf[24];
  buf[0] = kind;
  const auto end = std::to_chars(buf + 1, buf + sizeof buf, n).ptr;
  bytes_.append(buf, end).append("\r\n");
}

void RespPipeline::arg(std::string_view a) {
  header('$', a.size());
  bytes_.append(a).append("\r\n");
}

void RespPipeline::arg(const RespJoin& a) {
  header('$', a.first.size() + a.second.size());
  bytes_.append(a.first).append(a.second).append("\r\n");
}

void RespPipeline::add_argv(const std::vector<std::string>& argv) {
  if (argv.empty()) throw std::invalid_argument("redis: empty command");
  header('*', argv.size());
  for (const auto& a : argv) arg(std::string_view(a));
  ++commands_;
}

std::optional<RespPipeline> resp_encode(const std::vector<std::vector<std::string>>& commands) {
  size_t size = 0;
  for (const auto& argv : commands) {
    if (argv.empty()) return std::nullopt;
    size += 3 + digits(argv.size());
    for (const auto& a : argv) size += 5 + digits(a.size()) + a.size();
  }
  RespPipeline pipeline;
  pipeline.reserve(size);
  for (const auto& argv : commands) pipeline.add_argv(argv);
  return pipeline;
}

}  // namespace switchyard
