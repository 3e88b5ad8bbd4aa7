// devkafka: a Kafka broker for local runs — librdkafka's mock cluster, served on loopback ports
// until SIGINT/SIGTERM. In-memory and plaintext; production points the services at real Kafka.
//
//   devkafka [--brokers N] [--partitions P] [--topics a,b,c] [--bootstrap-file PATH]
//            [--control-port PORT] [--control-file PATH]
//
// Prints "devkafka bootstrap=<host:port,...>" once ready and, with --bootstrap-file, writes the
// bootstrap list to PATH (atomically, removed again on exit) for scripts to pick up.
//
// Control channel (fault injection for tests such as `make chaos`). With --control-port, devkafka
// listens on 127.0.0.1:PORT (0 = a free port), prints "devkafka control=127.0.0.1:PORT" and, with
// --control-file, writes that address to PATH the same way as the bootstrap file. Protocol: one
// command per line, one answer line each, "ok" or "error <why>"; clients may send several lines
// on one connection and are served one at a time. Loopback only, no authentication.
//   ping
//   broker down|up <id>|all              refuse (and drop) connections / accept them again
//   rtt <id>|all <ms>                    added round-trip time
//   errors <api> <error> [count]         the next <count> (1) requests of an API fail with <error>
//   clear-errors <api>
//   leader <topic> <partition> <id>      move a partition's leader; -1 leaves it leaderless
//   topic-error <topic> <error>          metadata reports <error> for the topic (NO_ERROR clears)
// e.g.  printf 'broker down all\n' | nc -q1 127.0.0.1 PORT      (control_commands.h has details)
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "../../libs/common/topics.h"
#include "control_server.h"

namespace {

struct Options {
  int brokers = 1;
  int partitions = 4;
  std::vector<std::string> topics;
  std::string bootstrap_file;
  int control_port = -1;  // -1: no control channel
  std::string control_file;
};

void usage(FILE* out) {
  std::fprintf(out,
               "usage: devkafka [--brokers N (1)] [--partitions P (4)] [--topics a,b,c]"
               " [--bootstrap-file PATH]\n"
               "                [--control-port PORT (0 = any)] [--control-file PATH]\n"
               "Default topics: Switchyard's (switchyard::topics::kAll). Unknown topics are\n"
               "auto-created with 4 partitions on first use.\n");
}

bool parse_count(std::string_view text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 1 && out <= 1000;
}

std::vector<std::string> split_topics(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t end = std::min(list.find(',', start), list.size());
    if (end > start) out.emplace_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Returns false (after printing why) on bad arguments.
bool parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      usage(stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "devkafka: %s needs a value\n", argv[i]);
      return false;
    }
    const std::string_view value = argv[++i];
    if (arg == "--brokers") {
      if (!parse_count(value, o.brokers)) {
        std::fprintf(stderr, "devkafka: --brokers must be a number from 1 to 1000\n");
        return false;
      }
    } else if (arg == "--partitions") {
      if (!parse_count(value, o.partitions)) {
        std::fprintf(stderr, "devkafka: --partitions must be a number from 1 to 1000\n");
        return false;
      }
    } else if (arg == "--topics") {
      o.topics = split_topics(value);
    } else if (arg == "--bootstrap-file") {
      o.bootstrap_file = std::string(value);
    } else if (arg == "--control-port") {
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), o.control_port);
      if (ec != std::errc() || end != value.data() + value.size() || o.control_port < 0 || o.control_port > 65535) {
        std::fprintf(stderr, "devkafka: --control-port must be a port number (0 = any free port)\n");
        return false;
      }
    } else if (arg == "--control-file") {
      o.control_file = std::string(value);
    } else {
      std::fprintf(stderr, "devkafka: unknown option %s\n", argv[i - 1]);
      return false;
    }
  }
  if (!o.control_file.empty() && o.control_port < 0) {
    std::fprintf(stderr, "devkafka: --control-file needs --control-port\n");
    return false;
  }
  if (o.topics.empty()) {
    for (const auto topic : switchyard::topics::kAll) o.topics.emplace_back(topic);
  }
  return true;
}

// Written to a temporary file and renamed, so a reader never sees a half-written list.
bool write_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content << '\n';
    if (!out.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_args(argc, argv, options)) {
    usage(stderr);
    return 2;
  }

  // Blocked before librdkafka starts its threads (they inherit the mask), so only sigwait()
  // below sees these signals.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The handle only owns the cluster; keep librdkafka's own chatter to errors.
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "client.id", "devkafka", errstr, sizeof errstr);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    std::fprintf(stderr, "devkafka: rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, options.brokers);
  if (!cluster) {
    std::fprintf(stderr, "devkafka: cannot create the mock cluster\n");
    rd_kafka_destroy(rk);
    return 1;
  }
  for (const auto& topic : options.topics) {
    const auto err = rd_kafka_mock_topic_create(cluster, topic.c_str(), options.partitions, 1);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::fprintf(stderr, "devkafka: cannot create topic %s: %s\n", topic.c_str(), rd_kafka_err2str(err));
      rd_kafka_mock_cluster_destroy(cluster);
      rd_kafka_destroy(rk);
      return 1;
    }
  }

  const std::string bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
  if (!options.bootstrap_file.empty() && !write_atomically(options.bootstrap_file, bootstrap)) {
    std::fprintf(stderr, "devkafka: cannot write %s: %s\n", options.bootstrap_file.c_str(), std::strerror(errno));
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(rk);
    return 1;
  }
  devkafka::ControlServer control(cluster, options.brokers);
  if (options.control_port >= 0) {
    std::string error;
    if (!control.start(static_cast<uint16_t>(options.control_port), error)) {
      std::fprintf(stderr, "devkafka: cannot listen on control port %d: %s\n", options.control_port, error.c_str());
      rd_kafka_mock_cluster_destroy(cluster);
      rd_kafka_destroy(rk);
      return 1;
    }
    const std::string address = "127.0.0.1:" + std::to_string(control.port());
    if (!options.control_file.empty() && !write_atomically(options.control_file, address)) {
      std::fprintf(stderr, "devkafka: cannot write %s: %s\n", options.control_file.c_str(), std::strerror(errno));
      control.stop();
      rd_kafka_mock_cluster_destroy(cluster);
      rd_kafka_destroy(rk);
      return 1;
    }
    std::fprintf(stdout, "devkafka control=%s\n", address.c_str());
  }
  std::fprintf(stdout, "devkafka bootstrap=%s\n", bootstrap.c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "devkafka: %d broker(s), %zu topic(s) with %d partition(s); Ctrl-C to stop\n",
               options.brokers, options.topics.size(), options.partitions);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "devkafka: %s, stopping\n", strsignal(signal_number));

  // A stale bootstrap file would point scripts at a dead broker.
  if (!options.bootstrap_file.empty()) std::remove(options.bootstrap_file.c_str());
  if (!options.control_file.empty()) std::remove(options.control_file.c_str());
  control.stop();  // before the cluster it drives goes away
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
