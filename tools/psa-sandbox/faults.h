// Faults: the pending fault rules (one per PSA, plus "*" for every PSA, each for every tenant
// or for one) and the decision, per
// API request, whether that request is faulted. Knows nothing about any PSA: PSAs register by
// name when their routes are wrapped (fault_middleware.h). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {

// Response header naming the fault applied ("status", "timeout", "drop; cut=body"). The
// sandbox's front (fault_front.h) acts on "drop"; the others are informational.
inline constexpr std::string_view kFaultHeader = "X-Sandbox-Fault";
inline constexpr std::string_view kEveryPsa = "*";
// Longest a timeout fault may hold an answer ("never answers", as far as any client can tell).
inline constexpr std::chrono::minutes kMaxFaultHold{10};

std::string_view kind_name(FaultKind kind);
std::string_view cut_name(DropCut cut);

class Faults {
 public:
  void register_psa(std::string_view psa);
  bool known_target(std::string_view target) const;  // a registered PSA or "*"

  // Validates and replaces the rule for `target`; count 0 without a duration clears it.
  // Throws std::out_of_range for an unknown target, std::invalid_argument naming a bad member.
  void inject(std::string_view target, const Fault& fault);
  // Decides for one request of `tenant` to `psa`: the most specific rule first (the PSA's
  // for the tenant, the PSA's, "*" for the tenant, "*"). A request that the rule's method
  // and path do not match, or that the probability spares, consumes nothing.
  std::optional<Fault> take(std::string_view psa, std::string_view tenant, std::string_view method,
                            const std::string& path);
  void clear_rules();
  void clear();  // rules and counts

  std::map<std::string, int64_t> applied() const;
  std::vector<std::pair<std::string, Fault>> pending() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Rule {
    std::string target;  // a PSA or "*"
    Fault fault;
    std::optional<Clock::time_point> until;  // set when the rule has a duration
    std::mt19937_64 rng;
    std::optional<std::regex> path;
  };
  std::optional<Fault> take_locked(const std::string& key, std::string_view psa, std::string_view method,
                                   const std::string& path, Clock::time_point now);

  mutable std::mutex mu_;
  std::set<std::string, std::less<>> psas_;
  std::map<std::string, Rule, std::less<>> rules_;
  std::map<std::string, int64_t> applied_;
};

}  // namespace switchyard::sandbox
