#include "fault_runner.h"

#include <cstdio>
#include <optional>

#include "common/topics.h"

namespace switchyard::chaos {
namespace {

using namespace std::chrono_literals;

std::string seconds(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

}  // namespace

void FaultRunner::log(const std::string& what) {
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_);
  std::printf("chaos: [+%s] %s\n", seconds(elapsed).c_str(), what.c_str());
  std::fflush(stdout);
}

void FaultRunner::after(std::chrono::milliseconds delay, std::string what, std::function<void()> action) {
  pending_.emplace(Clock::now() + delay, std::make_pair(std::move(what), std::move(action)));
}

void FaultRunner::sandbox_fault(const std::string& psa, const std::string& json) {
  auto r = client_.send(
      {.method = "POST", .url = stack_.sandbox_url() + "/_sandbox/faults/" + psa, .body = json, .timeout = 5000ms});
  if (!r.ok() || r->status != 200) log("  sandbox refused the fault: " + (r.ok() ? r->body : r.error().message));
}

bool FaultRunner::sandbox_busy(const std::string& psa) {
  auto r = client_.send({.url = stack_.sandbox_url() + "/_sandbox/faults", .timeout = 5000ms});
  return r.ok() && r->body.find("\"psa\":\"" + psa + "\"") != std::string::npos;
}

void FaultRunner::kafka(const std::string& command) {
  const std::string answer = stack_.kafka_control(command);
  if (answer != "ok") log("  devkafka: " + command + " -> " + answer);
}

namespace {

// The sandbox rule (target PSA or "*", JSON) for each PSA fault.
std::optional<std::pair<std::string, std::string>> sandbox_rule(FaultType type) {
  using F = FaultType;
  switch (type) {
    case F::psa_throttle: return {{"autotask", R"({"status":429,"retry_after_seconds":1,"count":6})"}};
    case F::psa_server_errors: return {{"*", R"({"status":500,"retry_after_seconds":0,"body":"","duration_ms":4000})"}};
    case F::psa_rejections: return {{"autotask", R"({"status":500,"retry_after_seconds":0,"count":2})"}};
    // Creates whose answer is late or lost: the case where a blind retry writes twice.
    case F::psa_timeouts:
      return {
          {"autotask", R"({"kind":"timeout","hold_ms":12000,"count":2,"method":"POST","path":"/(Tickets|Charges)$"})"}};
    case F::psa_hang: return {{"*", R"({"kind":"timeout","hold_ms":12000,"count":1,"process":false})"}};
    case F::psa_drops: return {{"*", R"({"kind":"drop","cut":"body","probability":0.3,"duration_ms":15000})"}};
    case F::psa_drop_headers:
      return {
          {"autotask", R"({"kind":"drop","cut":"headers","count":3,"method":"POST","path":"/(Tickets|Charges)$"})"}};
    case F::psa_drop_before:
      return {{"autotask", R"({"kind":"drop","cut":"before","count":2,"method":"POST","path":"/(Tickets|Charges)$"})"}};
    default: return std::nullopt;
  }
}

}  // namespace

void FaultRunner::apply(const PlannedFault& fault) {
  using F = FaultType;
  std::string what(fault_name(fault.type));
  if (const auto rule = sandbox_rule(fault.type)) {
    const auto since = deferred_since_.try_emplace(fault.type, Clock::now()).first->second;
    if (Clock::now() - since < 20s && sandbox_busy(rule->first)) {
      after(1s, "", [this, fault] { apply(fault); });  // deferred, see sandbox_busy
      return;
    }
    deferred_since_.erase(fault.type);
    sandbox_fault(rule->first, rule->second);
    ledger_.fault(what);
    log(what + " (" + rule->first + ")");
    return;
  }
  bool explains_copies = false;
  switch (fault.type) {
    case F::kill_ingest:
    case F::kill_normalize:
    case F::kill_dispatch: {
      const std::string name = fault.type == F::kill_ingest      ? "ingest"
                               : fault.type == F::kill_normalize ? "normalize"
                                                                 : "dispatch";
      // Recorded before the kill: a copy produced before the kill still counts as after it.
      ledger_.fault(what, fault.type == F::kill_normalize);
      stack_.kill_service(name);
      after(fault.recover_after, "restart " + name, [this, name] { stack_.start_service(name); });
      log(what + " (restart in " + seconds(fault.recover_after) + ")");
      return;
    }
    case F::redis_crash: stack_.redis().crash_and_restart(); break;
    case F::redis_graceful: stack_.redis().graceful_restart(); break;
    case F::redis_wipe:
      ledger_.fault(what, true);  // before: copies made right after the data is gone are explained
      stack_.redis().restart_losing_data();
      log(what);
      return;
    case F::broker_outage:
      kafka("broker down all");
      what += " for " + seconds(fault.recover_after);
      after(fault.recover_after, "every Kafka broker up", [this] { kafka("broker up all"); });
      break;
    case F::broker_down_one: {
      const std::string id = std::to_string(1 + leader_shift_ % kBrokers);
      kafka("broker down " + id);
      what += " (" + id + ") for " + seconds(fault.recover_after);
      after(fault.recover_after, "Kafka broker " + id + " up", [this, id] { kafka("broker up " + id); });
      break;
    }
    case F::produce_leader_errors: kafka("errors Produce NOT_LEADER_FOR_PARTITION 5"); break;
    case F::fetch_leader_errors: kafka("errors Fetch NOT_LEADER_FOR_PARTITION 5"); break;
    case F::leader_moves:
      ++leader_shift_;
      for (const auto topic : topics::kAll) {
        for (int p = 0; p < 4; ++p) {
          kafka("leader " + std::string(topic) + " " + std::to_string(p) + " " +
                std::to_string(1 + (p + leader_shift_) % kBrokers));
        }
      }
      break;
    default: break;
  }
  ledger_.fault(what, explains_copies);
  log(what);
}

void FaultRunner::tick() {
  while (!pending_.empty() && pending_.begin()->first <= Clock::now()) {
    auto [what, action] = std::move(pending_.begin()->second);
    pending_.erase(pending_.begin());
    action();
    if (!what.empty()) log("  " + what);
  }
  for (const auto& line : stack_.restart_exited()) {
    unplanned_.push_back(line);
    log("  " + line);
  }
}

void FaultRunner::recover_all() {
  while (!pending_.empty()) {
    auto [what, action] = std::move(pending_.begin()->second);
    pending_.erase(pending_.begin());
    if (what.empty()) continue;  // a deferred sandbox fault: too late now
    action();
    log("  " + what + " (end of the fault window)");
  }
  auto r = client_.send({.method = "DELETE", .url = stack_.sandbox_url() + "/_sandbox/faults", .timeout = 5000ms});
  if (!r.ok() || r->status != 200) log("  could not clear the sandbox's faults");
  kafka("broker up all");
  kafka("clear-errors Produce");
  kafka("clear-errors Fetch");
  for (const auto& name : ChaosStack::services()) {
    if (!stack_.service_running(name)) stack_.start_service(name);
  }
}

}  // namespace switchyard::chaos
