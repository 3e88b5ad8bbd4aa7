// The fault-injection commands of devkafka's control channel (see main.cpp for the protocol),
// each one line of words, applied to the mock cluster:
//   ping
//   broker down|up <id>|all              every connection refused / accepted again
//   rtt <id>|all <ms>                    added round-trip time
//   errors <api> <error> [count]         the next <count> (1) requests of that API answer <error>
//   clear-errors <api>
//   leader <topic> <partition> <id>      move a partition's leader (-1: no leader)
//   topic-error <topic> <error>          metadata reports <error> for the topic (NO_ERROR clears)
// <api> is a Kafka API name (Produce, Fetch, Metadata, OffsetCommit, ...) or number; <error> is
// a librdkafka error name (NOT_LEADER_FOR_PARTITION, with or without RD_KAFKA_RESP_ERR_) or number.
#pragma once

#include <string>
#include <string_view>

struct rd_kafka_mock_cluster_s;

namespace devkafka {

// Runs one command line; returns "ok" or "error <why>", without a newline.
std::string run_control_command(rd_kafka_mock_cluster_s* cluster, int brokers, std::string_view line);

}  // namespace devkafka
