// RESP (the Redis protocol) encoding of a pipeline of commands into one buffer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

// One argument made of two parts, a key prefix and a name say, written one after the other with
// no string built to join them.
struct RespJoin {
  std::string_view first, second;
};

// A pipeline written straight into the bytes Redis reads: "*<argc>\r\n" then
// "$<len>\r\n<arg>\r\n" per argument. The hot pipelines (claims, done marks, activity records)
// append their arguments as they are, instead of building a vector of strings per command and
// copying it again (issue #18).
class RespPipeline {
 public:
  template <class... Args>
  void add(const Args&... args) {
    static_assert(sizeof...(Args) > 0, "a Redis command has a name");
    header('*', sizeof...(Args));
    (arg(args), ...);
    ++commands_;
  }
  // A command built elsewhere; an empty one throws std::invalid_argument.
  void add_argv(const std::vector<std::string>& argv);
  void reserve(size_t bytes) { bytes_.reserve(bytes); }

  size_t size() const { return commands_; }
  bool empty() const { return commands_ == 0; }
  const std::string& bytes() const { return bytes_; }

 private:
  void header(char kind, size_t n);
  void arg(std::string_view a);
  void arg(const RespJoin& a);

  std::string bytes_;
  size_t commands_ = 0;
};

// A pipeline of built commands, sized once; nullopt when a command is empty. (hiredis's
// redisFormatCommandArgv allocated and freed a buffer per command: 3 % of normalize's CPU.)
std::optional<RespPipeline> resp_encode(const std::vector<std::vector<std::string>>& commands);

}  // namespace switchyard
