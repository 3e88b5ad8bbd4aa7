// Dead letters: a message a service gave up on, written to a dead-letter topic with where it
// came from (original topic/partition/offset, as Kafka Connect's DLQ headers do) and a reason
// an MSP partner can read, with its entry in docs/troubleshooting.md. The original value is kept
// verbatim so it can be replayed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/kafka_consumer.h"
#include "common/result.h"

namespace switchyard {

struct DeadLetter {
  std::string service;      // "normalize" | "dispatch"
  std::string reason_code;  // machine-readable: "invalid_envelope", "psa_rejected", ...
  std::string reason;       // human-readable
  std::string tenant;       // when known
  int attempts = 1;
};

// The dead-letter message value: {"service","reason":{"code","message","help"},"tenant","attempts",
// "failed_at","original":{"topic","partition","offset","key","value","headers":[{"name","value"}]}}.
std::string dead_letter_json(const DeadLetter& letter, const KafkaMessage& original);

// A dead letter read back (a replay): what failed, and the original message to produce again.
struct StoredDeadLetter {
  DeadLetter letter;
  std::string failed_at;
  KafkaMessage original;
};
// Error "invalid_dead_letter" when `json` is not what dead_letter_json writes. Letters written
// before the original's headers were kept have none.
Result<StoredDeadLetter> dead_letter_from_json(std::string_view json);
std::vector<KafkaHeader> dead_letter_headers(const DeadLetter& letter, const KafkaMessage& original);

// Where a dead letter is, as activity records and the replay API name it:
// "<topic>/<partition>/<offset>".
struct DeadLetterPlace {
  std::string topic{};
  int32_t partition = 0;
  int64_t offset = 0;
};
std::string to_string(const DeadLetterPlace& place);
// nullopt unless `text` is such a place with a non-empty topic and non-negative numbers.
std::optional<DeadLetterPlace> parse_dead_letter_place(std::string_view text);

}  // namespace switchyard
