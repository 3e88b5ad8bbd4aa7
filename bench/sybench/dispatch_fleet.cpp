// `sybench dispatch-fleet`: one dispatch process serving many PSA tenants, each its own
// sandbox instance (/tenants/<id>/ prefix) with its own quota, the sandbox answering after
// its latency. Dispatch is a black box: bench/run.sh starts it with a tenants file and env
// vars; this command produces the commands, watches dispatch's /metrics only to know when to
// stop waiting, and takes every figure from the sandbox (each ticket's createDate, stamped
// when the sandbox handled the create) and from Kafka (committed offsets, dead letters).
//
//   --mode run (default)  produce, wait, stop dispatch (--stop-pid), check, print figures
//   --mode produce        produce only (a backlog), print what the broker holds
//   --mode held           print what the broker holds of --topic
//
// Commands: ticket.upsert, command k for tenant <prefix>-(k mod tenants), external ref
// <ref-prefix>-k, Kafka key <tenant>/<ref>. With --rate 0 all are produced at once and the
// figure is <figure>_per_s (commands that reached the PSA ÷ time from the first produce to
// the last ticket); with --rate R, R per second for --duration s and the figure is the
// latency from the intended produce time to the ticket's createDate (<figure>_p50/_p99).
// A command still unfinished when the run ends counts with the time it had waited by then
// (so a p99 with _unfinished > 0 is a lower bound).
//
// --throttled T: tenant T's commands are produced like the others but left out of the
// latency and the correctness figures; with --throttle 1 the sandbox answers T 429 with
// Retry-After: 30 for the whole run (its quota is exhausted, and restored at the end).
//
// Correctness, after dispatch stopped (so nothing is in flight): _twice (tickets beyond one
// per reference), _dead_lettered (on --dlq-topic), _lost (no ticket, not dead-lettered, but
// below the offset dispatch's group --group committed: dispatch considers it done; a command
// dispatch moved to its retry topic --retry-topic must be committed there too), _unfinished
// (no ticket and not yet committed: the run ended first), _not_in_psa = _lost + _unfinished,
// _moved_to_retry (commands found on the retry topic, whatever became of them). _psa_429: 429s the sandbox's quotas answered the other tenants (dispatch's own
// limiter should keep them rare); _throttled_tenant_429: those the throttled tenant got.
#include <librdkafka/rdkafkacpp.h>
#include <signal.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "commands.h"
#include "common/crypto.h"
#include "common/http_client.h"
#include "common/kafka_producer.h"
#include "payloads.h"
#include "support/kafka_metadata.h"
#include "support/topic_reader.h"

namespace switchyard::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Fleet {
  std::string prefix;
  uint64_t size = 0;
  std::string tenant(uint64_t k) const { return prefix + "-" + std::to_string(k % size); }
};

// Commands dispatch finished (any outcome) by its /metrics, leaving out one tenant's; -1 when
// the metrics cannot be read.
double finished_commands(http::HttpClient& client, const std::string& url, const std::string& excluded) {
  if (url.empty()) return -1;
  auto r = client.send(http::ClientRequest{.method = "GET", .url = url, .timeout = std::chrono::milliseconds(5000)});
  if (!r || r->status != 200) return -1;
  const std::string skip = "tenant=\"" + excluded + "\"";
  double total = 0;
  std::istringstream lines(r->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("switchyard_dispatch_commands_total{", 0) != 0) continue;
    if (!excluded.empty() && line.find(skip) != std::string::npos) continue;
    total += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return total;
}

// 429s the sandbox's quotas answered: to all tenants but `tenant`, or (only) to `tenant` alone.
int64_t sandbox_throttled(http::HttpClient& client, const std::string& sandbox_url, const std::string& tenant,
                          bool only = false) {
  auto r = client.send(http::ClientRequest{.method = "GET", .url = sandbox_url + "/_sandbox/quota"});
  if (!r || r->status != 200) return -1;
  simdjson::dom::parser parser;
  simdjson::dom::object tenants;
  if (parser.parse(r->body)["tenants"].get(tenants) != simdjson::SUCCESS) return -1;
  int64_t total = 0;
  for (auto [name, counts] : tenants) {
    int64_t throttled = 0;
    if ((name == tenant) != only || counts["throttled"].get(throttled) != simdjson::SUCCESS) continue;
    total += throttled;
  }
  return total;
}

void post_quota(http::HttpClient& client, const std::string& sandbox_url, const std::string& tenant,
                const std::string& body) {
  auto r = client.send(http::ClientRequest{.method = body.empty() ? "DELETE" : "POST",
                                           .url = sandbox_url + "/_sandbox/quota/" + tenant,
                                           .headers = {{"Content-Type", "application/json"}},
                                           .body = body});
  if (!r || r->status != 200) {
    throw std::runtime_error("sandbox quota for " + tenant + ": " + (r ? r->body : r.error().message));
  }
}

std::unique_ptr<RdKafka::KafkaConsumer> inspector(const std::string& bootstrap, const std::string& group) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  // Never subscribes: group.id only names whose committed offsets to read.
  for (const auto& [k, v] : {std::pair<std::string, std::string>{"bootstrap.servers", bootstrap},
                             {"group.id", group.empty() ? "sybench-inspector-" + crypto::random_hex(4) : group},
                             {"enable.auto.commit", "false"},
                             {"log_level", "3"}}) {
    if (conf->set(k, v, err) != RdKafka::Conf::CONF_OK) throw std::runtime_error(err);
  }
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer) throw std::runtime_error(err);
  return consumer;
}

int partitions_of(RdKafka::KafkaConsumer& consumer, const std::string& topic) {
  for (int i = 0; i < 100; ++i) {
    if (const int n = testing::partition_count(consumer, topic); n > 0) return n;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("topic " + topic + " has no partitions");
}

// What the broker holds of `topic`: the sum of high - low watermarks, and the sum of the low
// ones (messages it dropped from the front: the mock broker keeps about 5 MB a partition).
std::pair<int64_t, int64_t> held(const std::string& bootstrap, const std::string& topic) {
  auto consumer = inspector(bootstrap, "");
  const int partitions = partitions_of(*consumer, topic);
  int64_t held = 0, dropped = 0;
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0, high = 0;
    if (consumer->query_watermark_offsets(topic, p, &low, &high, 5000) != RdKafka::ERR_NO_ERROR) {
      throw std::runtime_error("watermarks of " + topic + " unavailable");
    }
    held += high - low;
    dropped += low;
  }
  consumer->close();
  return {held, dropped};
}

std::vector<int64_t> committed_offsets(const std::string& bootstrap, const std::string& group, const std::string& topic) {
  auto consumer = inspector(bootstrap, group);
  const int partitions = partitions_of(*consumer, topic);
  std::vector<RdKafka::TopicPartition*> list;
  for (int p = 0; p < partitions; ++p) list.push_back(RdKafka::TopicPartition::create(topic, p));
  std::vector<int64_t> out(partitions, -1);
  if (consumer->committed(list, 10000) == RdKafka::ERR_NO_ERROR) {
    for (int p = 0; p < partitions; ++p) out[p] = list[p]->offset();  // negative: nothing committed
  } else {
    note("committed offsets of group " + group + " unavailable: lost and unfinished are not told apart");
    out.clear();
  }
  RdKafka::TopicPartition::destroy(list);
  consumer->close();
  return out;
}

bool gone(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return true;
  const size_t paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] == 'Z';
}

// SIGTERM, then up to `wait` for the process to exit (dispatch commits its offsets on the way).
void stop_process(pid_t pid, std::chrono::seconds wait) {
  if (::kill(pid, SIGTERM) != 0) return;
  const auto until = Clock::now() + wait;
  while (!gone(pid) && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!gone(pid)) note("process " + std::to_string(pid) + " did not exit: its last offsets may not be committed");
}

double peak_rss_mib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

}  // namespace

int dispatch_fleet(const Options& o) {
  const std::string mode = o.str("mode", "run");
  const std::string figure = o.required("figure");
  const std::string bootstrap = o.required("bootstrap");
  const std::string topic = o.required("topic");
  if (mode == "held") {
    const auto [n, dropped] = held(bootstrap, topic);
    emit(figure + "_held", static_cast<double>(n), "commands");
    emit(figure + "_dropped_by_broker", static_cast<double>(dropped), "commands");
    return 0;
  }
  if (mode != "run" && mode != "produce") throw std::invalid_argument("--mode must be run, produce or held");

  const Fleet fleet{o.str("tenant-prefix", "fleet"), static_cast<uint64_t>(o.num("tenants", 200))};
  if (fleet.size == 0) throw std::invalid_argument("--tenants must be at least 1");
  const double rate = o.num("rate", 0);
  const auto count = static_cast<uint64_t>(rate > 0 ? rate * o.num("duration", 10) : o.num("count", 10000));
  const std::string refs = o.str("ref-prefix", "f" + crypto::random_hex(3));
  const std::string run = crypto::random_hex(3);
  const std::string sandbox_url = o.required("sandbox-url");
  const std::string metrics_url = o.str("metrics-url", "");
  const std::string excluded = o.str("throttled", "");
  const bool throttle = o.num("throttle", 0) != 0;
  if (throttle && excluded.empty()) throw std::invalid_argument("--throttle 1 needs --throttled TENANT");
  const std::vector<pid_t> pids = o.pids("pids");
  http::ClientOptions client_options;
  client_options.max_response_bytes = 256u << 20;
  http::HttpClient client(client_options);

  if (mode == "produce" && o.num("exhaust", 0) != 0) {
    // The backlog's tenants answer 429 (Retry-After: 30) to everything: nothing drains.
    for (uint64_t t = 0; t < fleet.size; ++t) {
      post_quota(client, sandbox_url, fleet.tenant(t), R"({"exhausted":true,"retry_after_seconds":30})");
    }
  }
  if (throttle) post_quota(client, sandbox_url, excluded, R"({"exhausted":true,"retry_after_seconds":30})");

  KafkaSettings kafka;
  kafka.bootstrap_servers = bootstrap;
  kafka.client_id = "sybench-fleet";
  if (mode == "produce") {
    kafka.extra["queue.buffering.max.messages"] = "2000000";
    kafka.extra["linger.ms"] = "20";
  } else {
    kafka.extra["linger.ms"] = "0";  // the clock starts at produce(): send at once
  }
  auto producer = KafkaProducer::create(kafka);
  if (!producer) throw std::runtime_error(producer.error().message);

  std::vector<std::string> keys(count), values(count);
  std::vector<bool> skip(count, false);  // the throttled tenant's
  uint64_t expected = 0;
  for (uint64_t k = 0; k < count; ++k) {
    const std::string tenant = fleet.tenant(k);
    const std::string ref = refs + "-" + std::to_string(k);
    keys[k] = tenant + "/" + ref;
    values[k] = make_command(refs + "-" + run + "-" + std::to_string(k), ref, tenant);
    skip[k] = tenant == excluded;
    expected += skip[k] ? 0 : 1;
  }
  std::vector<int32_t> partition(count, -1);
  std::vector<int64_t> offset(count, -1);
  std::atomic<uint64_t> produce_failed{0};
  const auto delivered = [&](uint64_t k) {
    return [&, k](const DeliveryResult& r) {
      if (!r.ok) {
        if (produce_failed.fetch_add(1) < 5) note("command not produced: " + r.error);
        return;
      }
      partition[k] = r.partition;
      offset[k] = r.offset;
    };
  };

  const double finished_before = finished_commands(client, metrics_url, excluded);
  const int64_t throttled_before = sandbox_throttled(client, sandbox_url, excluded);
  const int64_t excluded_throttled_before = sandbox_throttled(client, sandbox_url, excluded, true);
  double cpu_before = 0;
  for (pid_t p : pids) cpu_before += cpu_seconds(p);

  note(figure + ": " + std::to_string(count) + " commands for " + std::to_string(fleet.size) + " tenants " +
       (rate > 0 ? "at " + std::to_string(static_cast<int>(rate)) + "/s" : "at once") +
       (excluded.empty() ? "" : throttle ? ", " + excluded + " throttled" : ", " + excluded + " not throttled"));
  std::vector<double> produced_at(count, -1);
  // The first produce waits for the topic's metadata: command 0 goes first, acknowledged.
  if (count > 0) {
    produced_at[0] = wall_ms_precise();
    const DeliveryResult r = (*producer)->produce_sync(topic, keys[0], values[0]);
    if (!r.ok) throw std::runtime_error("cannot produce to " + topic + ": " + r.error);
    partition[0] = r.partition;
    offset[0] = r.offset;
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
    (*producer)->produce(topic, keys[k], values[k], {}, delivered(k));
  }
  if (!(*producer)->flush(std::chrono::seconds(120))) note("not every command was acknowledged by the broker");
  const auto produced = Clock::now();
  note(figure + ": produced in " + std::to_string(std::chrono::duration<double>(produced - start).count()) + " s");
  if (produce_failed.load() > 0) emit(figure + "_produce_errors", static_cast<double>(produce_failed.load()), "commands");

  if (mode == "produce") {
    const auto [n, dropped] = held(bootstrap, topic);
    emit(figure + "_held", static_cast<double>(n), "commands");
    emit(figure + "_dropped_by_broker", static_cast<double>(dropped), "commands");
    return 0;
  }

  // Wait for dispatch (by its metrics) or the timeout.
  const auto deadline = produced + std::chrono::milliseconds(static_cast<int64_t>(o.num("timeout", 60) * 1000));
  bool metrics_seen = false;
  while (Clock::now() < deadline) {
    const double finished = finished_commands(client, metrics_url, excluded);
    if (finished >= 0 && finished_before >= 0) {
      metrics_seen = true;
      if (finished - finished_before >= static_cast<double>(expected)) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!metrics_seen) note(figure + ": no dispatch metrics: waited the whole timeout");
  const double wall_end = wall_ms_precise();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  double cpu = -cpu_before;
  for (pid_t p : pids) cpu += cpu_seconds(p);
  double rss = 0;
  for (pid_t p : pids) rss += peak_rss_mib(p);
  const int64_t throttled_after = sandbox_throttled(client, sandbox_url, excluded);
  const int64_t excluded_throttled_after = sandbox_throttled(client, sandbox_url, excluded, true);

  // Nothing in flight from here on: dispatch commits what it finished and exits.
  if (const auto stop_pid = static_cast<pid_t>(o.num("stop-pid", 0)); stop_pid > 0) {
    stop_process(stop_pid, std::chrono::seconds(30));
  }
  if (throttle) post_quota(client, sandbox_url, excluded, "");

  // Tickets per reference, and when the first one was created.
  std::vector<uint32_t> tickets(count, 0);
  std::vector<double> created(count, -1);
  simdjson::dom::parser parser;
  const std::string ref_start = refs + "-";
  for (uint64_t t = 0; t < std::min<uint64_t>(fleet.size, count); ++t) {
    const std::string tenant = fleet.tenant(t);
    auto r = client.send(http::ClientRequest{.method = "GET",
                                             .url = sandbox_url + "/_sandbox/records/autotask/Tickets?tenant=" + tenant,
                                             .timeout = std::chrono::milliseconds(60000)});
    simdjson::dom::array records;
    if (!r || r->status != 200 || parser.parse(r->body).get(records) != simdjson::SUCCESS) {
      throw std::runtime_error("cannot read the sandbox tickets of " + tenant);
    }
    for (simdjson::dom::element ticket : records) {
      std::string_view ref, created_text;
      if (ticket["externalID"].get(ref) != simdjson::SUCCESS || !ref.starts_with(ref_start)) continue;
      const uint64_t k = std::stoull(std::string(ref.substr(ref_start.size())));
      if (k >= count) continue;
      ++tickets[k];
      if (ticket["createDate"].get(created_text) == simdjson::SUCCESS) {
        const double at = parse_time_ms(created_text);
        if (created[k] < 0 || at < created[k]) created[k] = at;
      }
    }
  }
  std::vector<bool> dead(count, false);
  if (const std::string dlq = o.str("dlq-topic", ""); !dlq.empty()) {
    for (const auto& m : testing::read_topic_to_end(bootstrap, dlq, std::chrono::seconds(30))) {
      const size_t slash = m.key.find('/');
      if (slash == std::string::npos || m.key.compare(slash + 1, ref_start.size(), ref_start) != 0) continue;
      const uint64_t k = std::stoull(m.key.substr(slash + 1 + ref_start.size()));
      if (k < count) dead[k] = true;
    }
  }
  const std::string group = o.str("group", "");
  const std::vector<int64_t> committed = group.empty() ? std::vector<int64_t>{} : committed_offsets(bootstrap, group, topic);
  // A parked tenant's commands that dispatch moved to its retry topic: done only once the
  // group committed them there as well. The last copy of each counts.
  std::vector<int32_t> retry_partition(count, -1);
  std::vector<int64_t> retry_offset(count, -1);
  std::vector<int64_t> retry_committed;
  uint64_t moved = 0;
  if (const std::string retry = o.str("retry-topic", ""); !retry.empty()) {
    for (const auto& m : testing::read_topic_to_end(bootstrap, retry, std::chrono::seconds(30))) {
      const size_t slash = m.key.find('/');
      if (slash == std::string::npos || m.key.compare(slash + 1, ref_start.size(), ref_start) != 0) continue;
      const uint64_t k = std::stoull(m.key.substr(slash + 1 + ref_start.size()));
      if (k >= count) continue;
      moved += retry_offset[k] < 0 ? 1 : 0;
      if (retry_partition[k] != m.partition || m.offset > retry_offset[k]) {
        retry_partition[k] = m.partition;
        retry_offset[k] = m.offset;
      }
    }
    if (moved > 0 && !group.empty()) retry_committed = committed_offsets(bootstrap, group, retry);
  }
  const auto committed_past = [](const std::vector<int64_t>& offsets, int32_t p, int64_t off) {
    return p >= 0 && static_cast<size_t>(p) < offsets.size() && off >= 0 && offsets[p] > off;
  };

  Latencies latency;
  uint64_t landed = 0, twice = 0, dead_lettered = 0, lost = 0, unfinished = 0, excluded_commands = 0;
  double last_created = wall_start;
  for (uint64_t k = 0; k < count; ++k) {
    if (tickets[k] > 1) twice += tickets[k] - 1;
    if (skip[k]) {
      ++excluded_commands;
      continue;
    }
    if (tickets[k] >= 1) {
      ++landed;
      last_created = std::max(last_created, created[k]);
      if (k > 0 && created[k] >= 0) latency.add(created[k] - produced_at[k]);
      continue;
    }
    if (dead[k]) {
      ++dead_lettered;
      continue;
    }
    const bool done = committed_past(committed, partition[k], offset[k]) &&
                      (retry_offset[k] < 0 || committed_past(retry_committed, retry_partition[k], retry_offset[k]));
    if (done) {
      ++lost;
      if (lost <= 5) note(figure + ": lost command " + keys[k] + " (committed, no ticket, no dead letter)");
    } else {
      ++unfinished;
      if (k > 0) latency.add(wall_end - produced_at[k]);  // waited at least this long
    }
  }

  if (rate > 0) {
    emit(figure + "_achieved", static_cast<double>(landed) / seconds, "commands/s");
    latency.emit_percentiles(figure);
  } else {
    // From the first produce to the last ticket (to the end of the run if some never came).
    const double span_ms = (unfinished == 0 ? last_created : wall_end) - wall_start;
    emit(figure + "_per_s", span_ms > 0 ? static_cast<double>(landed) * 1000.0 / span_ms : 0, "commands/s");
  }
  emit(figure + "_commands", static_cast<double>(expected), "commands");
  if (!excluded.empty()) emit(figure + "_throttled_tenant_commands", static_cast<double>(excluded_commands), "commands");
  emit(figure + "_lost", static_cast<double>(lost), "commands");
  emit(figure + "_twice", static_cast<double>(twice), "commands");
  emit(figure + "_not_in_psa", static_cast<double>(lost + unfinished), "commands");
  emit(figure + "_unfinished", static_cast<double>(unfinished), "commands");
  emit(figure + "_dead_lettered", static_cast<double>(dead_lettered), "commands");
  emit(figure + "_moved_to_retry", static_cast<double>(moved), "commands");
  if (throttled_before >= 0 && throttled_after >= 0) {
    emit(figure + "_psa_429", static_cast<double>(throttled_after - throttled_before), "answers");
  }
  if (throttle && excluded_throttled_before >= 0 && excluded_throttled_after >= 0) {
    // Shows the throttle was in force: how often dispatch asked the throttled tenant's PSA.
    emit(figure + "_throttled_tenant_429", static_cast<double>(excluded_throttled_after - excluded_throttled_before),
         "answers");
  }
  if (!pids.empty()) {
    emit(figure + "_cpu", cpu / seconds, "cores");
    emit(figure + "_peak_rss", rss, "MiB");
  }
  note(figure + ": " + std::to_string(landed) + " of " + std::to_string(expected) + " commands reached the PSA in " +
       std::to_string(seconds) + " s");
  return 0;
}

}  // namespace switchyard::bench
