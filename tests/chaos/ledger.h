// The chaos suite's ledger: what the pipeline accepted (webhooks answered 202, commands answered
// 202) and which faults happened when; at the end, checked against what came out (canonical and
// dead-letter topics, the sandbox's records). Thread-safe: traffic threads and the fault loop
// write to it concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/kafka_consumer.h"

namespace switchyard::chaos {

int64_t now_ms();  // wall clock, the same clock as Kafka message timestamps

struct AcceptedWebhook {
  std::string psa;
  std::string title;              // unique per change: identifies it on the canonical topic
  std::vector<std::string> keys;  // idempotency keys from ingest's 202
  int64_t at_ms = 0;
};

struct AcceptedCommand {
  std::string id;
  std::string type;  // "ticket.upsert" | "billing_line.add"
  std::string external_ref;
  int64_t at_ms = 0;
};

struct FaultRecord {
  int64_t at_ms = 0;
  std::string what;
  // A normalize kill -9 or a Redis restart that lost the data: the only faults after which a
  // second canonical copy of a change is allowed.
  bool explains_copies = false;
};

class Ledger {
 public:
  void webhook_accepted(AcceptedWebhook w);
  void command_accepted(AcceptedCommand c);
  void fault(std::string what, bool explains_copies = false);

  std::vector<AcceptedWebhook> webhooks() const;
  std::vector<AcceptedCommand> commands() const;
  std::vector<FaultRecord> faults() const;

 private:
  mutable std::mutex mu_;
  std::vector<AcceptedWebhook> webhooks_;
  std::vector<AcceptedCommand> commands_;
  std::vector<FaultRecord> faults_;
};

// What came out of the pipeline, as read at the end.
struct Observed {
  std::vector<KafkaMessage> canonical;
  // Diagnosis only: the raw topic, so a lost change says which hop lost it.
  std::vector<KafkaMessage> raw;
  std::vector<KafkaMessage> raw_dead_letters;
  std::vector<KafkaMessage> command_dead_letters;
  std::vector<std::string> tickets;  // sandbox Autotask Tickets, JSON
  std::vector<std::string> charges;  // sandbox Autotask ContractCharges, JSON
};

struct Verdict {
  size_t webhooks = 0, commands = 0, faults = 0;
  size_t lost_webhooks = 0, lost_commands = 0;
  // Accepted and dead-lettered with a reason (a command's record may still exist: made by an
  // earlier command with the same reference).
  size_t dead_lettered_webhooks = 0, dead_lettered_commands = 0;
  size_t extra_copies = 0;            // canonical copies beyond the first, all of them
  size_t explained_copies = 0;        // ... after a normalize kill or a Redis data loss
  size_t unexplained_copies = 0;      // ... after neither: "twice"
  size_t duplicate_records = 0;       // sandbox records beyond one per command reference: "twice"
  size_t inconsistent_event_ids = 0;  // one change seen under two event_ids
  std::vector<std::string> details;   // examples of every problem, bounded

  size_t lost() const { return lost_webhooks + lost_commands; }
  size_t twice() const { return unexplained_copies + duplicate_records; }
};

// The billing line description a command carries, by which its charge is found in the sandbox.
std::string billing_description(const std::string& external_ref);

Verdict check(const Ledger& ledger, const Observed& observed);
// Whether every accepted webhook and command can already be accounted for (used to wait for
// the pipeline to drain; `observed` need not hold sandbox records when commands are skipped).
bool all_webhooks_resolved(const Ledger& ledger, const Observed& observed);
bool all_commands_resolved(const Ledger& ledger, const Observed& observed);

}  // namespace switchyard::chaos
