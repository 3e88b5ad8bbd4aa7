// `sybench e2e-webhook`: signed webhooks to ingest at a fixed rate while a consumer reads the
// canonical topic; each canonical event is matched to its webhook by record id.
#include <atomic>
#include <string>
#include <thread>

#include "commands.h"
#include "http_pacer.h"
#include "payloads.h"
#include "tail_reader.h"

namespace switchyard::bench {

int e2e_webhook(const Options& o) {
  const Psa psa = parse_psa(o.str("psa", "connectwise"));
  const double rate = o.num("rate", 1000);
  const auto count = static_cast<uint64_t>(rate * o.num("duration", 10));
  const auto id_base = static_cast<uint64_t>(o.num("id-base", 1000000));
  const std::string figure = o.required("figure");

  auto reader = open_tail_reader(o.required("bootstrap"), o.required("topic"), o.str("fetch-wait-ms", "5"));
  std::vector<double> intended(count, -1), received(count, -1);
  Latencies pipeline;  // observed_at (ingest received) → canonical message timestamp (produced)
  std::atomic<uint64_t> matched{0};
  BackgroundLoop reading([&](const std::atomic<bool>& stopping) {
    while (!stopping.load()) {
      auto batch = reader->poll_batch(2000, std::chrono::milliseconds(50));
      const double now = wall_ms_precise();
      for (const auto& m : batch) {
        const uint64_t id = record_id_of_key(m.key);
        if (id < id_base || id - id_base >= count || received[id - id_base] >= 0) continue;
        received[id - id_base] = now;
        const double observed = parse_time_ms(json_string_field(m.value, "observed_at"));
        if (observed >= 0) pipeline.add(static_cast<double>(m.timestamp_ms) - observed);
        matched.fetch_add(1);
      }
    }
  });

  PacerOptions pacing;
  // ingest's webhook listener (SWITCHYARD_WEBHOOK_LISTEN); required, no guessed default.
  pacing.port = static_cast<uint16_t>(std::stoul(o.required("webhook-port")));
  pacing.rate = rate;
  pacing.count = count;
  pacing.connections = static_cast<int>(o.num("connections", 64));
  note(figure + ": " + std::to_string(count) + " webhooks at " + std::to_string(static_cast<int>(rate)) + "/s");
  PacerResult result = run_paced(
      pacing,
      [&](uint64_t k) {
        Webhook hook = make_webhook(psa, k, id_base);
        return PacedRequest{std::move(hook.path), hook.signature_header + ": " + hook.signature + "\r\n",
                            std::move(hook.body)};
      },
      [&](uint64_t k, double wall) { intended[k] = wall; });

  const auto drain_until = std::chrono::steady_clock::now() + std::chrono::seconds(static_cast<int>(o.num("drain", 20)));
  while (matched.load() < result.ok && std::chrono::steady_clock::now() < drain_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  reading.stop();

  Latencies e2e;
  e2e.reserve(count);
  for (uint64_t k = 0; k < count; ++k) {
    if (received[k] >= 0 && intended[k] >= 0) e2e.add(received[k] - intended[k]);
  }
  emit(figure + "_achieved", static_cast<double>(result.sent) / result.elapsed_s, "webhooks/s");
  result.latency.emit_percentiles(figure + "_http");
  e2e.emit_percentiles(figure);
  pipeline.emit_percentiles(figure + "_pipeline");
  emit(figure + "_lost", static_cast<double>(result.ok - std::min<uint64_t>(result.ok, matched.load())), "events");
  emit(figure + "_errors", static_cast<double>(result.failed), "requests");
  return 0;
}

}  // namespace switchyard::bench
