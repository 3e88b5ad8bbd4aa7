// `sybench sandbox-load`: how many delayed requests the PSA sandbox carries at once. Autotask
// ticket queries (reads: the sandbox's records do not grow) over many keep-alive connections
// at a fixed rate, spread over tenants by their /tenants/<name>/ prefix, while the sandbox adds
// its latency. With latency L and C connections the most it can answer is C / L per second;
// a sandbox that held a thread per delayed request, or delayed on its io threads, answers far
// fewer (docs/performance.md, "dispatch fleet").
#include "commands.h"
#include "http_pacer.h"

namespace switchyard::bench {

int sandbox_load(const Options& o) {
  const std::string figure = o.required("figure");
  const double rate = o.num("rate", 1500);
  const auto count = static_cast<uint64_t>(rate * o.num("duration", 5));
  const auto tenants = static_cast<uint64_t>(o.num("tenants", 200));
  const std::string tenant_prefix = o.str("tenant-prefix", "load");
  PacerOptions pacing;
  pacing.port = static_cast<uint16_t>(o.num("port", 0));
  pacing.rate = rate;
  pacing.count = count;
  pacing.connections = static_cast<int>(o.num("connections", 400));
  const std::string auth =
      "ApiIntegrationCode: DEMOINTEGRATIONCODE\r\nUserName: api@switchyard.test\r\nSecret: demo-secret\r\n";
  const std::string body = R"({"filter":[{"op":"eq","field":"id","value":1000}]})";
  note(figure + ": " + std::to_string(count) + " requests at " + std::to_string(static_cast<int>(rate)) + "/s over " +
       std::to_string(pacing.connections) + " connections and " + std::to_string(tenants) + " tenants");
  PacerResult result = run_paced(
      pacing,
      [&](uint64_t k) {
        return PacedRequest{"/tenants/" + tenant_prefix + std::to_string(k % tenants) +
                                "/autotask/ATServicesRest/V1.0/Tickets/query",
                            auth, body};
      },
      [](uint64_t, double) {});
  emit(figure + "_achieved", static_cast<double>(result.ok) / result.elapsed_s, "requests/s");
  result.latency.emit_percentiles(figure);
  emit(figure + "_failed", static_cast<double>(result.failed), "requests");
  return 0;
}

}  // namespace switchyard::bench
