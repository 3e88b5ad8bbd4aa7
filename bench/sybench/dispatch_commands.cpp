// `sybench dispatch`: ticket.upsert commands to the commands topic — as fast as possible, or at
// a fixed rate — while dispatch executes them against the PSA sandbox. Throughput comes from
// dispatch's own counter; latency from each ticket's createDate in the sandbox (stamped when the
// sandbox handled the POST) against the time the command was produced.
#include <simdjson.h>

#include <fstream>
#include <thread>

#include "commands.h"
#include "common/crypto.h"
#include "common/http_client.h"
#include "common/kafka_producer.h"
#include "payloads.h"

namespace switchyard::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Commands dispatch has finished (executed, skipped or dead-lettered), from its /metrics.
double finished_commands(http::HttpClient& client, const std::string& metrics_url, double& dead_lettered) {
  auto r = client.send(http::ClientRequest{.method = "GET", .url = metrics_url});
  if (!r || r->status != 200) return -1;
  double total = 0;
  dead_lettered = 0;
  std::istringstream lines(r->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("switchyard_dispatch_commands_total{", 0) != 0) continue;
    const double v = std::stod(line.substr(line.rfind(' ') + 1));
    total += v;
    if (line.find("outcome=\"dead_lettered\"") != std::string::npos) dead_lettered += v;
  }
  return total;
}

}  // namespace

int dispatch_commands(const Options& o) {
  const std::string figure = o.required("figure");
  const auto count = static_cast<uint64_t>(o.num("count", 10000));
  const double rate = o.num("rate", 0);  // 0: as fast as the producer goes
  const std::string prefix = o.str("ref-prefix", "bench-" + crypto::random_hex(3));
  // --refs M: command k is about external_ref prefix-(k mod M), so after the first M every
  // command updates a ticket dispatch already knows (its write memo), without the PSA lookup.
  const auto refs = static_cast<uint64_t>(o.num("refs", 0));
  const std::string run = crypto::random_hex(3);
  const std::string metrics_url = o.required("metrics-url");
  const std::string sandbox_url = o.required("sandbox-url");
  const std::vector<pid_t> pids = o.pids("pids");

  KafkaSettings kafka;
  kafka.bootstrap_servers = o.required("bootstrap");
  kafka.client_id = "sybench-commands";
  kafka.extra["linger.ms"] = "0";  // the clock starts at produce(): send at once
  auto producer = KafkaProducer::create(kafka);
  if (!producer) throw std::runtime_error(producer.error().message);
  const std::string topic = o.required("topic");
  http::ClientOptions client_options;
  client_options.max_response_bytes = 512u << 20;  // every ticket in the sandbox, as JSON
  http::HttpClient client(client_options);
  double dead_lettered = 0;
  const double before = finished_commands(client, metrics_url, dead_lettered);
  const double dead_before = dead_lettered;
  if (before < 0) throw std::runtime_error("cannot read " + metrics_url);
  double cpu_before = 0;
  for (pid_t p : pids) cpu_before += cpu_seconds(p);
  const auto sandbox_pid = static_cast<pid_t>(o.num("sandbox-pid", 0));
  const double sandbox_cpu_before = sandbox_pid > 0 ? cpu_seconds(sandbox_pid) : 0;

  std::vector<double> produced_at(count, -1);
  std::vector<std::string> values(count), keys(count);
  for (uint64_t k = 0; k < count; ++k) {
    const std::string ref = prefix + "-" + std::to_string(refs > 0 ? k % refs : k);
    values[k] = make_command(prefix + "-" + run + "-" + std::to_string(k), ref);
    keys[k] = std::string(kAutotaskTenant) + "/" + ref;
  }
  note(figure + ": " + std::to_string(count) + " commands" +
       (rate > 0 ? " at " + std::to_string(static_cast<int>(rate)) + "/s" : " at once"));
  // The first produce waits for the topic's metadata (up to a second): command 0 goes first,
  // acknowledged, and is left out of the latency and the clock.
  if (const DeliveryResult r = (*producer)->produce_sync(topic, keys[0], values[0]); !r.ok) {
    throw std::runtime_error("cannot produce to " + topic + ": " + r.error);
  }
  const auto start = Clock::now();
  const double wall_start = wall_ms_precise();
  for (uint64_t k = 1; k < count; ++k) {
    if (rate > 0) {
      const auto due = start + std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(k - 1) * 1e9 / rate));
      std::this_thread::sleep_until(due);
      produced_at[k] = wall_start + std::chrono::duration<double, std::milli>(due - start).count();
    } else {
      produced_at[k] = wall_ms_precise();
    }
    (*producer)->produce(topic, keys[k], values[k], {}, [](const DeliveryResult& r) {
      if (!r.ok) note("command not produced: " + r.error);
    });
  }
  const double produce_seconds = std::chrono::duration<double>(Clock::now() - start).count();

  double done = 0;
  const auto give_up = Clock::now() + std::chrono::seconds(static_cast<int>(o.num("timeout", 120)));
  while ((done = finished_commands(client, metrics_url, dead_lettered) - before) < static_cast<double>(count) &&
         Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  double cpu = -cpu_before;
  for (pid_t p : pids) cpu += cpu_seconds(p);
  const double sandbox_cpu = sandbox_pid > 0 ? cpu_seconds(sandbox_pid) - sandbox_cpu_before : 0;

  // Latency: the sandbox stamps createDate (milliseconds) when it handles the ticket's POST.
  Latencies latency;
  uint64_t in_psa = 0;  // commands whose ticket the sandbox holds
  std::ofstream dump;  // --dump FILE: "k produced_at_ms latency_ms" per command, for a closer look
  if (const std::string path = o.str("dump", ""); !path.empty()) dump.open(path);
  if (refs == 0) {
    auto records = client.send(http::ClientRequest{.method = "GET", .url = sandbox_url + "/_sandbox/records/autotask/Tickets",
                                                   .timeout = std::chrono::milliseconds(60000)});
    simdjson::dom::parser parser;
    simdjson::dom::array tickets;
    if (records && records->status == 200 && parser.parse(records->body).get(tickets) == simdjson::SUCCESS) {
      for (simdjson::dom::element t : tickets) {
        std::string_view ref, created;
        if (t["externalID"].get(ref) != simdjson::SUCCESS || t["createDate"].get(created) != simdjson::SUCCESS) continue;
        if (!ref.starts_with(prefix + "-")) continue;
        const uint64_t k = std::stoull(std::string(ref.substr(prefix.size() + 1)));
        if (k >= count) continue;
        ++in_psa;
        if (produced_at[k] < 0) continue;  // command 0, produced before the clock
        latency.add(parse_time_ms(created) - produced_at[k]);
        if (dump) dump << k << ' ' << std::fixed << produced_at[k] << ' ' << parse_time_ms(created) - produced_at[k] << '\n';
      }
    }
  }

  if (rate > 0) emit(figure + "_achieved", done / seconds, "commands/s");
  else emit(figure + "_per_s", done / seconds, "commands/s");
  if (!pids.empty() && cpu > 0) emit(figure + "_cpu", cpu / seconds, "cores");
  if (sandbox_pid > 0) emit(figure + "_sandbox_cpu", sandbox_cpu / seconds, "cores");
  if (rate > 0 && refs == 0) latency.emit_percentiles(figure);  // at once, latency is only queueing
  emit(figure + "_unfinished", std::max(0.0, static_cast<double>(count) - done), "commands");
  emit(figure + "_dead_lettered", dead_lettered - dead_before, "commands");
  if (refs == 0 && in_psa < count) emit(figure + "_not_in_psa", static_cast<double>(count - in_psa), "commands");
  note(figure + ": produced in " + std::to_string(produce_seconds) + " s, finished in " + std::to_string(seconds) + " s");
  return 0;
}

}  // namespace switchyard::bench
