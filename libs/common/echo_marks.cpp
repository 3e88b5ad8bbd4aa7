// EchoMarks: one pipelined round trip to record or look up the marks of a batch of records.
#include "common/echo_marks.h"

#include <algorithm>

#include "common/resp_encode.h"

namespace switchyard {

EchoMarks::EchoMarks(RedisClient& redis, std::chrono::seconds ttl) : redis_(redis), ttl_(ttl) {}

std::string EchoMarks::key(const EchoRecord& r) {
  // Appended piece by piece: a chain of + trips GCC 12's -Wrestrict false positive.
  std::string k = "sy:echo:";
  k.append(r.tenant).append(":").append(r.type).append(":").append(r.psa_id);
  return k;
}

Status EchoMarks::record(const std::vector<EchoRecord>& records, const std::string& command_id) {
  std::vector<std::vector<std::string>> commands;
  const std::string ttl = std::to_string(std::max<int64_t>(1, ttl_.count()));
  for (const auto& r : records) {
    if (r.psa_id.empty()) continue;  // nothing to recognise the echo by
    commands.push_back({"SET", key(r), command_id, "EX", ttl});
  }
  if (commands.empty()) return ok_status();
  auto replies = redis_.pipeline(commands);
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (reply.type == RedisReply::Type::Error) return make_error("echo_mark_failed", "echo mark: " + reply.str);
  }
  return ok_status();
}

Result<std::vector<std::string>> EchoMarks::lookup(const std::vector<EchoRecord>& records) {
  std::vector<std::string> out(records.size());
  if (records.empty()) return out;
  RespPipeline commands;
  for (const auto& r : records) commands.add("GET", key(r));
  auto replies = redis_.pipeline(commands);
  if (!replies) return replies.error();
  if (replies->size() != records.size()) return make_error("echo_lookup_failed", "echo lookup: reply count");
  for (size_t i = 0; i < records.size(); ++i) {
    const RedisReply& reply = (*replies)[i];
    if (reply.type == RedisReply::Type::Error) return make_error("echo_lookup_failed", "echo lookup: " + reply.str);
    if (reply.type == RedisReply::Type::String) out[i] = reply.str;
  }
  return out;
}

}  // namespace switchyard
