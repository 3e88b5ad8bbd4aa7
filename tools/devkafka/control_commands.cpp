#include "control_commands.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace devkafka {
namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::optional<int> number(std::string_view text) {
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Kafka protocol API keys (KIP-4 numbering) for the APIs the services use.
std::optional<int16_t> api_key(std::string_view text) {
  static constexpr std::pair<std::string_view, int16_t> kApis[] = {
      {"Produce", 0},        {"Fetch", 1},       {"ListOffsets", 2},      {"Metadata", 3},
      {"OffsetCommit", 8},   {"OffsetFetch", 9}, {"FindCoordinator", 10}, {"JoinGroup", 11},
      {"Heartbeat", 12},     {"LeaveGroup", 13}, {"SyncGroup", 14},       {"ApiVersions", 18},
      {"InitProducerId", 22}};
  for (const auto& [name, key] : kApis) {
    if (iequal(text, name)) return key;
  }
  if (auto n = number(text); n && *n >= 0 && *n < 100) return static_cast<int16_t>(*n);
  return std::nullopt;
}

std::optional<rd_kafka_resp_err_t> error_code(std::string_view text) {
  if (auto n = number(text)) return static_cast<rd_kafka_resp_err_t>(*n);
  constexpr std::string_view kPrefix = "RD_KAFKA_RESP_ERR_";
  if (text.size() > kPrefix.size() && iequal(text.substr(0, kPrefix.size()), kPrefix))
    text.remove_prefix(kPrefix.size());
  const rd_kafka_err_desc* descs = nullptr;
  size_t count = 0;
  rd_kafka_get_err_descs(&descs, &count);
  for (size_t i = 0; i < count; ++i) {
    if (descs[i].name != nullptr && iequal(text, descs[i].name)) return descs[i].code;
  }
  return std::nullopt;
}

std::string result(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR_NO_ERROR ? "ok" : std::string("error ") + rd_kafka_err2name(err);
}

// Applies `fn` to one broker id or to every broker ("all").
template <class Fn>
std::string each_broker(std::string_view which, int brokers, Fn fn) {
  if (which == "all") {
    for (int id = 1; id <= brokers; ++id) {
      if (auto err = fn(id); err != RD_KAFKA_RESP_ERR_NO_ERROR) return result(err);
    }
    return "ok";
  }
  const auto id = number(which);
  if (!id || *id < 1 || *id > brokers) return "error broker must be 1.." + std::to_string(brokers) + " or all";
  return result(fn(*id));
}

}  // namespace

std::string run_control_command(rd_kafka_mock_cluster_s* cluster, int brokers, std::string_view line) {
  const auto w = words(line);
  if (w.empty()) return "error empty command";
  const std::string_view cmd = w[0];
  if (cmd == "ping" && w.size() == 1) return "ok";
  if (cmd == "broker" && w.size() == 3 && (w[1] == "down" || w[1] == "up")) {
    const bool down = w[1] == "down";
    return each_broker(w[2], brokers, [&](int id) {
      return down ? rd_kafka_mock_broker_set_down(cluster, id) : rd_kafka_mock_broker_set_up(cluster, id);
    });
  }
  if (cmd == "rtt" && w.size() == 3) {
    const auto ms = number(w[2]);
    if (!ms || *ms < 0 || *ms > 600000) return "error rtt must be 0..600000 ms";
    return each_broker(w[1], brokers, [&](int id) { return rd_kafka_mock_broker_set_rtt(cluster, id, *ms); });
  }
  if (cmd == "errors" && (w.size() == 3 || w.size() == 4)) {
    const auto api = api_key(w[1]);
    if (!api) return "error unknown api " + std::string(w[1]);
    const auto err = error_code(w[2]);
    if (!err) return "error unknown error code " + std::string(w[2]);
    const auto count = w.size() == 4 ? number(w[3]) : std::optional<int>(1);
    if (!count || *count < 1 || *count > 1000) return "error count must be 1..1000";
    const std::vector<rd_kafka_resp_err_t> errors(static_cast<size_t>(*count), *err);
    rd_kafka_mock_push_request_errors_array(cluster, *api, errors.size(), errors.data());
    return "ok";
  }
  if (cmd == "clear-errors" && w.size() == 2) {
    const auto api = api_key(w[1]);
    if (!api) return "error unknown api " + std::string(w[1]);
    rd_kafka_mock_clear_request_errors(cluster, *api);
    return "ok";
  }
  if (cmd == "leader" && w.size() == 4) {
    const auto partition = number(w[2]);
    const auto broker = number(w[3]);
    if (!partition || *partition < 0) return "error partition must be a number";
    if (!broker || *broker < -1 || *broker > brokers) return "error broker must be -1.." + std::to_string(brokers);
    const std::string topic(w[1]);
    return result(rd_kafka_mock_partition_set_leader(cluster, topic.c_str(), *partition, *broker));
  }
  if (cmd == "topic-error" && w.size() == 3) {
    const auto err = error_code(w[2]);
    if (!err) return "error unknown error code " + std::string(w[2]);
    const std::string topic(w[1]);
    rd_kafka_mock_topic_set_error(cluster, topic.c_str(), *err);
    return "ok";
  }
  return "error unknown command (ping, broker, rtt, errors, clear-errors, leader, topic-error)";
}

}  // namespace devkafka
