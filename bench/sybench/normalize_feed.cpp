// `sybench normalize-feed`: feeds ingest-made envelopes (20 % of them repeats of earlier ones)
// to the raw topic while normalize runs, and counts what comes out on the canonical topic.
// The embedded broker keeps only about 5 MB per partition, so the feed never runs more than
// --window events ahead of the output: nothing is lost to retention.
#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "commands.h"
#include "common/http_client.h"
#include "common/redis_client.h"
#include "connectors/registry.h"
#include "ingest/change_envelopes.h"
#include "payloads.h"
#include "redis_proxy.h"
#include "tail_reader.h"

namespace switchyard::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Prepared {
  std::string key;
  std::string value;
  std::vector<KafkaHeader> headers;
};

// What ingest would have produced for webhook `seq` (the connectors' and ingest's own code).
Prepared prepare(const TenantDirectory& tenants, Psa psa, uint64_t seq, uint64_t id_base) {
  const Webhook hook = make_webhook(psa, seq, id_base);
  const bool cw = psa == Psa::ConnectWise;
  const Tenant& tenant = *tenants.find(cw ? kConnectWiseTenant : kAutotaskTenant);
  const auto* connector = connectors::builtin_registry().find(cw ? "connectwise" : "autotask");
  auto changes = connector->decode_webhook(tenant, hook.body);
  if (!changes) throw std::runtime_error("payload does not decode: " + changes.error().message);
  auto envelopes = ingest::to_envelopes(tenant, std::move(*changes), "webhook");
  return Prepared{envelope_kafka_key(envelopes.at(0)), to_json(envelopes[0]), envelope_kafka_headers(envelopes[0])};
}

std::map<std::string, double> redis_stats(RedisClient& redis) {
  std::map<std::string, double> out;
  auto reply = redis.command({"INFO", "stats"});
  if (!reply) return out;
  std::istringstream lines(reply->str);
  for (std::string line; std::getline(lines, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    try {
      out[line.substr(0, colon)] = std::stod(line.substr(colon + 1));
    } catch (const std::exception&) {
    }
  }
  return out;
}

void wait_ready(const std::vector<std::string>& urls) {
  http::HttpClient client;
  for (const auto& url : urls) {
    bool ready = false;
    for (int i = 0; i < 600 && !ready; ++i) {
      auto r = client.send(http::ClientRequest{.method = "GET", .url = url, .timeout = std::chrono::milliseconds(1000)});
      ready = r && r->status == 200;
      if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!ready) throw std::runtime_error(url + " did not become ready");
  }
}

}  // namespace

int normalize_feed(const Options& o) {
  const std::string figure = o.required("figure");
  const double duration = o.num("duration", 15);
  const double dup_rate = o.num("dup-rate", 0.2);
  const auto window = static_cast<uint64_t>(o.num("window", 6000));
  const auto pool_size = static_cast<uint64_t>(o.num("pool", 400000));
  const auto id_base = static_cast<uint64_t>(o.num("id-base", 5000000));
  const std::string psa_name = o.str("psa", "mix");
  const std::string redis_host = o.str("redis-host", "127.0.0.1");
  const auto redis_port = static_cast<uint16_t>(o.num("redis-port", 6379));

  // Round trips are counted by a relay the normalize services are pointed at.
  std::unique_ptr<RedisProxy> proxy;
  if (const std::string port_file = o.str("proxy-port-file", ""); !port_file.empty()) {
    proxy = std::make_unique<RedisProxy>(redis_host, redis_port);
    std::ofstream(port_file + ".tmp") << proxy->port() << "\n";
    std::rename((port_file + ".tmp").c_str(), port_file.c_str());
  }

  // Envelopes are made before the clock starts, so the feeder's CPU goes to producing only.
  const auto& registry = connectors::builtin_registry();
  const TenantDirectory tenants = load_tenants_file(o.required("tenants"), connectors::spec_lookup(registry), Env());
  note(figure + ": preparing " + std::to_string(pool_size) + " envelopes");
  std::vector<Prepared> pool;
  pool.reserve(pool_size);
  for (uint64_t seq = 0; seq < pool_size; ++seq) {
    const Psa psa = psa_name == "mix" ? (seq % 2 == 0 ? Psa::ConnectWise : Psa::Autotask) : parse_psa(psa_name);
    pool.push_back(prepare(tenants, psa, seq, id_base));
  }

  KafkaSettings kafka;
  kafka.bootstrap_servers = o.required("bootstrap");
  kafka.client_id = "sybench-feed";
  auto producer = KafkaProducer::create(kafka);
  if (!producer) throw std::runtime_error(producer.error().message);
  auto reader = open_tail_reader(o.required("bootstrap"), o.required("canonical-topic"), o.str("fetch-wait-ms", "5"));

  // The services to wait for and to measure: from the options, or from a file that appears
  // once the caller has started them (it starts them after this process, which owns the relay
  // their Redis URL points at).
  std::string ready_list = o.str("ready-urls", ""), pid_list = o.str("pids", "");
  if (const std::string file = o.str("services-file", ""); !file.empty()) {
    for (int i = 0; i < 600 && !std::ifstream(file).good(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream in(file);
    if (!std::getline(in, ready_list) || !std::getline(in, pid_list)) throw std::runtime_error("cannot read " + file);
  }
  std::vector<pid_t> pids;
  for (const auto& pid : split_list(pid_list)) pids.push_back(static_cast<pid_t>(std::stol(pid)));
  wait_ready(split_list(ready_list));

  // Output side: this run's canonical events counted, and distinct records among them.
  std::atomic<uint64_t> out_count{0};
  std::atomic<int64_t> last_out_ns{0};
  std::unordered_set<std::string> distinct;
  BackgroundLoop reading([&](const std::atomic<bool>& stopping) {
    while (!stopping.load()) {
      auto batch = reader->poll_batch(5000, std::chrono::milliseconds(20));
      uint64_t ours = 0;
      for (const auto& m : batch) {
        const uint64_t id = record_id_of_key(m.key);
        if (id < id_base || id - id_base >= pool_size) continue;  // another run's event
        distinct.insert(m.key);
        ++ours;
      }
      if (ours == 0) continue;
      last_out_ns = Clock::now().time_since_epoch().count();
      out_count.fetch_add(ours);
    }
  });

  RedisSettings redis_settings;
  redis_settings.host = redis_host;
  redis_settings.port = redis_port;
  RedisClient redis(redis_settings);
  const auto stats_before = redis_stats(redis);
  const uint64_t trips_before = proxy ? proxy->round_trips() : 0;
  double cpu_before = 0;
  for (pid_t p : pids) cpu_before += cpu_seconds(p);
  const double feeder_cpu_before = cpu_seconds(::getpid());

  // Feed: a fresh change, or (dup_rate of the time) a copy of a recent one, as a webhook
  // retried by the PSA or a change seen by both webhook and poll would be.
  const std::string raw_topic = o.required("raw-topic");
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> coin(0, 1);
  uint64_t unique = 0, sent = 0;
  std::atomic<uint64_t> failed{0};
  // The first produce waits for the topic's metadata (up to a second): it goes before the clock.
  if (const DeliveryResult r = (*producer)->produce_sync(raw_topic, pool[0].key, pool[0].value, pool[0].headers); !r.ok) {
    throw std::runtime_error("cannot produce to " + raw_topic + ": " + r.error);
  }
  unique = sent = 1;
  const auto start = Clock::now();
  const auto feed_until = start + std::chrono::duration<double>(duration);
  while (Clock::now() < feed_until && unique < pool.size()) {
    if (unique - std::min(unique, out_count.load()) >= window) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    const bool duplicate = unique > 0 && coin(random) < dup_rate;
    const Prepared& p = duplicate ? pool[unique - 1 - random() % std::min<uint64_t>(unique, 2000)] : pool[unique++];
    (*producer)->produce(raw_topic, p.key, p.value, p.headers, [&failed](const DeliveryResult& r) {
      if (!r.ok) failed.fetch_add(1);
    });
    ++sent;
  }
  const auto fed_at = Clock::now();
  const auto give_up = fed_at + std::chrono::seconds(30);
  while (out_count.load() < unique && Clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto end = out_count.load() >= unique ? Clock::time_point(Clock::duration(last_out_ns.load())) : Clock::now();
  double cpu = -cpu_before;
  for (pid_t p : pids) cpu += cpu_seconds(p);
  const double feeder_cpu = cpu_seconds(::getpid()) - feeder_cpu_before;
  const auto stats_after = redis_stats(redis);
  const uint64_t trips = proxy ? proxy->round_trips() - trips_before : 0;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // late duplicates would show now
  reading.stop();

  const double seconds = std::chrono::duration<double>(end - start).count();
  const double events = static_cast<double>(sent);
  emit(figure + "_events_per_s", events / seconds, "events/s");
  emit(figure + "_canonical_per_s", static_cast<double>(out_count.load()) / seconds, "events/s");
  if (!pids.empty() && cpu > 0) {
    emit(figure + "_cpu", cpu / seconds, "cores");
    emit(figure + "_events_per_cpu_s", events / cpu, "events/cpu-s");
  }
  emit(figure + "_duplicate_share", 1.0 - static_cast<double>(unique) / events, "ratio");
  const auto delta = [&](const std::string& name) {
    const auto a = stats_after.find(name), b = stats_before.find(name);
    return a == stats_after.end() || b == stats_before.end() ? 0.0 : a->second - b->second;
  };
  emit(figure + "_redis_commands_per_event", (delta("total_commands_processed") - 1) / events, "commands/event");
  if (proxy) emit(figure + "_redis_round_trips_per_event", static_cast<double>(trips) / events, "round-trips/event");
  emit(figure + "_feeder_cpu", feeder_cpu / seconds, "cores");
  // Every fresh change must come out once, and no repeat may come out at all.
  emit(figure + "_missing", static_cast<double>(unique - std::min<uint64_t>(unique, distinct.size())), "events");
  emit(figure + "_emitted_twice", static_cast<double>(out_count.load() - distinct.size()), "events");
  emit(figure + "_produce_errors", static_cast<double>(failed.load()), "events");
  note(figure + ": fed " + std::to_string(sent) + " (" + std::to_string(unique) + " distinct) in " +
       std::to_string(std::chrono::duration<double>(fed_at - start).count()) + " s");
  return 0;
}

}  // namespace switchyard::bench
