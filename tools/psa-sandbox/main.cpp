// psa-sandbox: runs the PSA sandbox as a process for local runs and scripts.
//   psa-sandbox [--listen 127.0.0.1:PORT] [--port-file PATH]
// PORT 0 picks a free port; --port-file receives the bound port (written atomically) so a
// script can wait for the file instead of parsing output. Runs until SIGINT/SIGTERM. One
// JSON line per request goes to stderr (no header values, so no credentials).
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "psa-sandbox/sandbox.h"

namespace {

int usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--listen ADDRESS:PORT] [--port-file PATH]\n", argv0);
  return 2;
}

bool parse_listen(const std::string& text, switchyard::sandbox::SandboxOptions& options) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  const unsigned long n = std::stoul(port);
  if (n > 65535) return false;
  options.address = host;
  options.port = static_cast<uint16_t>(n);
  return true;
}

// Write to a temporary file and rename it, so a reader never sees a half-written port.
bool write_port_file(const std::string& path, uint16_t port) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!(out << port << '\n')) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  switchyard::sandbox::SandboxOptions options;
  std::string port_file;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--listen" && i + 1 < argc) {
      if (!parse_listen(argv[++i], options)) return usage(argv[0]);
    } else if (arg == "--port-file" && i + 1 < argc) {
      port_file = argv[++i];
    } else {
      return usage(argv[0]);
    }
  }
  options.request_log = [](std::string_view line) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  };

  // Block the signals before any thread starts, so only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  switchyard::sandbox::Sandbox sandbox(options);
  try {
    sandbox.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "psa-sandbox: %s\n", e.what());
    return 1;
  }
  if (!port_file.empty() && !write_port_file(port_file, sandbox.port())) {
    std::fprintf(stderr, "psa-sandbox: cannot write %s: %s\n", port_file.c_str(), std::strerror(errno));
    return 1;
  }
  std::printf("psa-sandbox listening on %s\n", sandbox.base_url().c_str());
  std::fflush(stdout);

  int received = 0;
  sigwait(&signals, &received);
  std::fprintf(stderr, "psa-sandbox: %s, stopping\n", received == SIGINT ? "SIGINT" : "SIGTERM");
  sandbox.stop();
  return 0;
}
