// psa-sandbox: runs the PSA sandbox as a process for local runs and scripts.
//   psa-sandbox [--listen 127.0.0.1:PORT] [--port-file PATH] [--quiet]
//               [--latency-ms MS] [--jitter-ms MS] [--latency-psa PSA]
//               [--tenant-quota-rps N] [--tenant-quota-burst N] [--tenant-quota-per-hour N]
//               [--tenant-quota-retry-after S]
// PORT 0 picks a free port; --port-file receives the bound port (written atomically) so a
// script can wait for the file instead of parsing output. Runs until SIGINT/SIGTERM. One
// JSON line per request goes to stderr (no header values, so no credentials) unless --quiet.
// The latency applies to every API request (of --latency-psa only, when given); the quota
// flags set the quota of every tenant ("*"): see docs/psa-sandbox.md. Both stay in force
// across POST /_sandbox/reset and can be changed through the control API.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "psa-sandbox/psa_registry.h"
#include "psa-sandbox/sandbox.h"

namespace {

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--listen ADDRESS:PORT] [--port-file PATH] [--quiet]\n"
               "         [--latency-ms 0..60000] [--jitter-ms 0..60000] [--latency-psa PSA]\n"
               "         [--tenant-quota-rps 0..100000] [--tenant-quota-burst 0..1000000]\n"
               "         [--tenant-quota-per-hour 0..100000000] [--tenant-quota-retry-after 0..86400]\n",
               argv0);
  return 2;
}

// A whole decimal number within [lo, hi].
bool parse_number(const std::string& text, double lo, double hi, bool integer, double& out) {
  if (text.empty() || text.size() > 20) return false;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || !(v >= lo && v <= hi)) return false;
  if (integer && v != static_cast<double>(static_cast<int64_t>(v))) return false;
  out = v;
  return true;
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
  switchyard::sandbox::Quota quota;
  bool has_quota = false, quiet = false;
  std::string port_file;
  // Numeric flags: name, bounds, integer?, and where the value goes.
  const auto numeric = [&](const std::string& arg, const std::string& value) -> int {
    double v = 0;
    const auto need = [&](double lo, double hi, bool integer) {
      if (parse_number(value, lo, hi, integer, v)) return true;
      std::fprintf(stderr, "psa-sandbox: %s must be %s %g..%g, not \"%s\"\n", arg.c_str(),
                   integer ? "a whole number in" : "a number in", lo, hi, value.c_str());
      return false;
    };
    if (arg == "--latency-ms") {
      if (!need(0, 60000, true)) return 2;
      options.latency.fixed = std::chrono::milliseconds(static_cast<int64_t>(v));
    } else if (arg == "--jitter-ms") {
      if (!need(0, 60000, true)) return 2;
      options.latency.jitter = std::chrono::milliseconds(static_cast<int64_t>(v));
    } else if (arg == "--tenant-quota-rps") {
      if (!need(0, 100000, false)) return 2;
      quota.requests_per_second = v;
    } else if (arg == "--tenant-quota-burst") {
      if (!need(0, 1000000, true)) return 2;
      quota.burst = static_cast<int>(v);
    } else if (arg == "--tenant-quota-per-hour") {
      if (!need(0, 100000000, true)) return 2;
      quota.requests_per_hour = static_cast<int64_t>(v);
    } else if (arg == "--tenant-quota-retry-after") {
      if (!need(0, 86400, true)) return 2;
      quota.retry_after_seconds = static_cast<int>(v);
    } else {
      return 1;  // not a numeric flag
    }
    has_quota = has_quota || arg.rfind("--tenant-quota-", 0) == 0;
    return 0;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--listen" && i + 1 < argc) {
      if (!parse_listen(argv[++i], options)) return usage(argv[0]);
    } else if (arg == "--port-file" && i + 1 < argc) {
      port_file = argv[++i];
    } else if (arg == "--latency-psa" && i + 1 < argc) {
      options.latency.psa = argv[++i];
      if (!switchyard::sandbox::builtin_psa_registry().find(options.latency.psa)) {
        std::fprintf(stderr, "psa-sandbox: --latency-psa must name a sandbox PSA (connectwise, autotask, ...)\n");
        return usage(argv[0]);
      }
    } else if (arg == "--quiet") {
      quiet = true;
    } else if (i + 1 < argc) {
      const int r = numeric(arg, argv[i + 1]);
      if (r == 1) return usage(argv[0]);
      if (r != 0) return r;
      ++i;
    } else {
      return usage(argv[0]);
    }
  }
  if (has_quota) options.quotas.emplace("*", quota);
  if (!quiet) {
    options.request_log = [](std::string_view line) {
      std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    };
  }

  // Block the signals before any thread starts, so only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::unique_ptr<switchyard::sandbox::Sandbox> owned;
  try {
    owned = std::make_unique<switchyard::sandbox::Sandbox>(options);
  } catch (const std::invalid_argument& e) {  // a combination the flags' bounds let through
    std::fprintf(stderr, "psa-sandbox: %s\n", e.what());
    return 2;
  }
  switchyard::sandbox::Sandbox& sandbox = *owned;
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
  const auto latency = sandbox.latency();
  if (latency.fixed.count() > 0 || latency.jitter.count() > 0) {
    std::printf("psa-sandbox latency %lld ms + 0..%lld ms%s%s\n", static_cast<long long>(latency.fixed.count()),
                static_cast<long long>(latency.jitter.count()), latency.psa.empty() ? "" : " for ",
                latency.psa.c_str());
  }
  if (has_quota) {
    std::printf("psa-sandbox tenant quota %g/s burst %d, %lld/hour\n", quota.requests_per_second, quota.burst,
                static_cast<long long>(quota.requests_per_hour));
  }
  std::fflush(stdout);

  int received = 0;
  sigwait(&signals, &received);
  std::fprintf(stderr, "psa-sandbox: %s, stopping\n", received == SIGINT ? "SIGINT" : "SIGTERM");
  sandbox.stop();
  return 0;
}
