#include "ledger.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace switchyard::chaos {
namespace {

constexpr size_t kMaxDetails = 40;

std::string text(simdjson::dom::element e) {
  std::string_view s;
  if (e.get(s) == simdjson::SUCCESS) return std::string(s);
  int64_t n;
  if (e.get(n) == simdjson::SUCCESS) return std::to_string(n);
  return {};
}

std::string member(simdjson::dom::element e, std::string_view key) {
  simdjson::dom::element m;
  return e[key].get(m) == simdjson::SUCCESS ? text(m) : std::string();
}

// A dead letter's reason code and the original message's value.
struct DeadLetter {
  std::string reason;
  std::string original;
};
DeadLetter dead_letter(simdjson::dom::parser& parser, const std::string& value) {
  simdjson::dom::element root;
  if (parser.parse(value).get(root) != simdjson::SUCCESS) return {};
  simdjson::dom::element reason, original;
  DeadLetter d;
  if (root["reason"].get(reason) == simdjson::SUCCESS) d.reason = member(reason, "code");
  if (root["original"].get(original) == simdjson::SUCCESS) d.original = member(original, "value");
  return d;
}

// idempotency key → reason, for raw dead letters that carry one.
std::unordered_map<std::string, std::string> dead_lettered_keys(const Observed& o) {
  std::unordered_map<std::string, std::string> out;
  simdjson::dom::parser parser, inner;
  for (const auto& m : o.raw_dead_letters) {
    const DeadLetter d = dead_letter(parser, m.value);
    simdjson::dom::element envelope;
    if (inner.parse(d.original).get(envelope) != simdjson::SUCCESS) continue;
    if (const std::string key = member(envelope, "idempotency_key"); !key.empty()) out[key] = d.reason;
  }
  return out;
}

std::unordered_map<std::string, std::string> dead_lettered_commands(const Observed& o) {
  std::unordered_map<std::string, std::string> out;
  simdjson::dom::parser parser, inner;
  for (const auto& m : o.command_dead_letters) {
    const DeadLetter d = dead_letter(parser, m.value);
    simdjson::dom::element command;
    if (inner.parse(d.original).get(command) != simdjson::SUCCESS) continue;
    if (const std::string id = member(command, "id"); !id.empty()) out[id] = d.reason;
  }
  return out;
}

struct Copy {
  int64_t at_ms;
  std::string where;  // partition/offset, for the report
};

struct Canonical {
  std::unordered_map<std::string, std::vector<Copy>> copies;         // event_id → copies
  std::map<std::string, std::set<std::string>> event_ids_by_change;  // "tenant/id/title" → event_ids
};

Canonical read_canonical(const Observed& o) {
  Canonical c;
  simdjson::dom::parser parser;
  for (const auto& m : o.canonical) {
    simdjson::dom::element root, record, source;
    if (parser.parse(m.value).get(root) != simdjson::SUCCESS) continue;
    const std::string event_id = member(root, "event_id");
    c.copies[event_id].push_back({m.timestamp_ms, std::to_string(m.partition) + "@" + std::to_string(m.offset)});
    if (root["record"].get(record) != simdjson::SUCCESS) continue;
    const std::string title = member(record, "title");
    // Only records the webhook traffic changes have a new title with every version; a command
    // redelivered to dispatch may write the same title again as a new version.
    if (!title.starts_with("chaos cw ") && !title.starts_with("chaos at ")) continue;
    std::string id;
    if (record["source"].get(source) == simdjson::SUCCESS) id = member(source, "id");
    c.event_ids_by_change[member(record, "tenant") + "/" + id + "/" + title].insert(event_id);
  }
  return c;
}

// How many sandbox records carry each value of `field`.
std::unordered_map<std::string, size_t> count_by(const std::vector<std::string>& records, std::string_view field) {
  std::unordered_map<std::string, size_t> out;
  simdjson::dom::parser parser;
  for (const auto& json : records) {
    simdjson::dom::element root;
    if (parser.parse(json).get(root) != simdjson::SUCCESS) continue;
    if (const std::string value = member(root, field); !value.empty()) ++out[value];
  }
  return out;
}

void detail(Verdict& v, std::string line) {
  if (v.details.size() < kMaxDetails) v.details.push_back(std::move(line));
}

}  // namespace

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Ledger::webhook_accepted(AcceptedWebhook w) {
  std::lock_guard lock(mu_);
  webhooks_.push_back(std::move(w));
}

void Ledger::command_accepted(AcceptedCommand c) {
  std::lock_guard lock(mu_);
  commands_.push_back(std::move(c));
}

void Ledger::fault(std::string what, bool explains_copies) {
  std::lock_guard lock(mu_);
  faults_.push_back({now_ms(), std::move(what), explains_copies});
}

std::vector<AcceptedWebhook> Ledger::webhooks() const {
  std::lock_guard lock(mu_);
  return webhooks_;
}
std::vector<AcceptedCommand> Ledger::commands() const {
  std::lock_guard lock(mu_);
  return commands_;
}
std::vector<FaultRecord> Ledger::faults() const {
  std::lock_guard lock(mu_);
  return faults_;
}

std::string billing_description(const std::string& external_ref) { return "chaos billing " + external_ref; }

// Where a lost change's envelopes are on the raw topic (by the sy-idempotency-key header):
// none means ingest's acknowledged write is missing, some means normalize did not emit it.
std::string raw_copies(const Observed& observed, const std::string& key) {
  std::string where;
  size_t n = 0;
  for (const auto& m : observed.raw) {
    for (const auto& h : m.headers) {
      if (h.name != "sy-idempotency-key" || h.value != key) continue;
      ++n;
      where.append(" ").append(std::to_string(m.partition)).append("@").append(std::to_string(m.offset));
      where.append(" (t=").append(std::to_string(m.timestamp_ms)).append(")");
    }
  }
  return std::to_string(n) + " copies on the raw topic" + where;
}

bool all_webhooks_resolved(const Ledger& ledger, const Observed& observed) {
  std::unordered_set<std::string> seen;
  simdjson::dom::parser parser;
  for (const auto& m : observed.canonical) {
    simdjson::dom::element root;
    if (parser.parse(m.value).get(root) == simdjson::SUCCESS) seen.insert(member(root, "event_id"));
  }
  const auto dead = dead_lettered_keys(observed);
  for (const auto& w : ledger.webhooks()) {
    for (const auto& key : w.keys) {
      if (!seen.contains(key) && !dead.contains(key)) return false;
    }
  }
  return true;
}

bool all_commands_resolved(const Ledger& ledger, const Observed& observed) {
  const auto tickets = count_by(observed.tickets, "externalID");
  const auto charges = count_by(observed.charges, "description");
  const auto dead = dead_lettered_commands(observed);
  for (const auto& c : ledger.commands()) {
    const bool stored = c.type == "ticket.upsert" ? tickets.contains(c.external_ref)
                                                  : charges.contains(billing_description(c.external_ref));
    if (!stored && !dead.contains(c.id)) return false;
  }
  return true;
}

Verdict check(const Ledger& ledger, const Observed& observed) {
  Verdict v;
  const auto webhooks = ledger.webhooks();
  const auto commands = ledger.commands();
  const auto faults = ledger.faults();
  v.webhooks = webhooks.size();
  v.commands = commands.size();
  v.faults = faults.size();

  // Webhooks: every accepted change is on the canonical topic or dead-lettered with a reason.
  const Canonical canonical = read_canonical(observed);
  const auto dead_keys = dead_lettered_keys(observed);
  for (const auto& w : webhooks) {
    for (const auto& key : w.keys) {
      const auto dead = dead_keys.find(key);
      const bool dead_lettered = dead != dead_keys.end() && !dead->second.empty();
      v.dead_lettered_webhooks += dead_lettered;
      if (canonical.copies.contains(key) || dead_lettered) continue;
      ++v.lost_webhooks;
      detail(v, "lost webhook: " + w.psa + " \"" + w.title + "\" key " + key.substr(0, 16) + "... accepted at " +
                    std::to_string(w.at_ms) + "; " + raw_copies(observed, key));
    }
  }

  // Extra copies: allowed only when a normalize kill or a Redis data loss came between the
  // first copy and this one.
  std::vector<int64_t> explaining;
  for (const auto& f : faults) {
    if (f.explains_copies) explaining.push_back(f.at_ms);
  }
  std::sort(explaining.begin(), explaining.end());
  for (const auto& [event_id, raw_copies] : canonical.copies) {
    if (raw_copies.size() < 2) continue;
    auto copies = raw_copies;
    std::sort(copies.begin(), copies.end(), [](const Copy& a, const Copy& b) { return a.at_ms < b.at_ms; });
    for (size_t i = 1; i < copies.size(); ++i) {
      ++v.extra_copies;
      const auto it = std::lower_bound(explaining.begin(), explaining.end(), copies.front().at_ms);
      if (it != explaining.end() && *it <= copies[i].at_ms) {
        ++v.explained_copies;
      } else {
        ++v.unexplained_copies;
        detail(v, "unexplained copy of event " + event_id.substr(0, 16) + "...: first " + copies.front().where +
                      " at " + std::to_string(copies.front().at_ms) + ", again " + copies[i].where + " at " +
                      std::to_string(copies[i].at_ms));
      }
    }
  }
  for (const auto& [change, ids] : canonical.event_ids_by_change) {
    if (ids.size() < 2) continue;
    ++v.inconsistent_event_ids;
    detail(v, "one change under " + std::to_string(ids.size()) + " event_ids: " + change);
  }

  // Commands: exactly one record per reference in the sandbox, or dead-lettered with a reason.
  const auto tickets = count_by(observed.tickets, "externalID");
  const auto charges = count_by(observed.charges, "description");
  const auto dead_commands = dead_lettered_commands(observed);
  std::set<std::string> duplicated_refs;
  for (const auto& c : commands) {
    const bool ticket = c.type == "ticket.upsert";
    const auto& counts = ticket ? tickets : charges;
    const auto it = counts.find(ticket ? c.external_ref : billing_description(c.external_ref));
    const size_t n = it == counts.end() ? 0 : it->second;
    if (n > 1 && duplicated_refs.insert(c.external_ref).second) {
      v.duplicate_records += n - 1;
      detail(v, std::to_string(n) + " " + (ticket ? "tickets" : "charges") + " for " + c.external_ref + " (command " +
                    c.id + ")");
    }
    const auto dead = dead_commands.find(c.id);
    const bool dead_lettered = dead != dead_commands.end() && !dead->second.empty();
    v.dead_lettered_commands += dead_lettered;
    if (n >= 1 || dead_lettered) continue;
    ++v.lost_commands;
    detail(v,
           "lost command " + c.id + " (" + c.type + " " + c.external_ref + ") accepted at " + std::to_string(c.at_ms));
  }
  return v;
}

}  // namespace switchyard::chaos
