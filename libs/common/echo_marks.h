// What dispatch wrote to a PSA, so normalize can tell a change coming back from Switchyard's own
// write (an echo) from the MSP's. Key sy:echo:{tenant}:{type}:{psa_id} -> command id, with a TTL.
// Known limit: an MSP's own edit of the same record within the TTL is marked as an echo too.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/redis_client.h"
#include "common/result.h"

namespace switchyard {

struct EchoRecord {
  std::string tenant;
  std::string type;    // canonical type: "ticket", "ticket_note", "billing_line", "agreement", ...
  std::string psa_id;  // the record's id in the PSA
  bool operator==(const EchoRecord&) const = default;
};

class EchoMarks {
 public:
  EchoMarks(RedisClient& redis, std::chrono::seconds ttl);
  // SET ... EX ttl; one round trip for all records of one command.
  Status record(const std::vector<EchoRecord>& records, const std::string& command_id);
  // One pipelined round trip: for each record, the id of the command that wrote it within the
  // TTL, or "" when none.
  Result<std::vector<std::string>> lookup(const std::vector<EchoRecord>& records);

  static std::string key(const EchoRecord& record);  // "sy:echo:{tenant}:{type}:{psa_id}"

 private:
  RedisClient& redis_;
  std::chrono::seconds ttl_;
};

}  // namespace switchyard
