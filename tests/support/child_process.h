// A child process for tests (redis-server, the services, the dev broker), stopped for sure when
// the test ends: the destructor terminates it, and the kernel kills it (PR_SET_PDEATHSIG) if
// the test process dies first, so a crashed test leaves no servers behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::testing {

class ChildProcess {
 public:
  // argv[0] is looked up in PATH when it has no '/'. extra_env is added to (or overrides) this
  // process's environment. stdout and stderr are appended to log_path, or inherited when empty.
  // Throws std::runtime_error when the program cannot be started.
  // PR_SET_PDEATHSIG fires when the *thread* that started the child exits: start children from
  // the test's main thread (or another thread that outlives them).
  explicit ChildProcess(std::vector<std::string> argv,
                        std::map<std::string, std::string> extra_env = {},
                        std::string log_path = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // SIGTERM, then SIGKILL if still running after `grace`; reaps the child.
  void terminate(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // Blocks until the child exits: its exit code, or 128 + signal number when killed.
  int wait();
  const std::string& log_path() const { return log_path_; }

 private:
  bool reap(bool block);

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string log_path_;
};

}  // namespace switchyard::testing
