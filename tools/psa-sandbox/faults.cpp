#include "psa-sandbox/faults.h"

#include <stdexcept>

#include "psa-sandbox/tenant_limits.h"

namespace switchyard::sandbox {
namespace {

// Rules are kept per target and tenant ("" = every tenant).
std::string rule_key(std::string_view target, std::string_view tenant) {
  return std::string(target) + "|" + std::string(tenant);
}

}  // namespace

std::string_view kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::status: return "status";
    case FaultKind::timeout: return "timeout";
    case FaultKind::drop: return "drop";
  }
  return "status";
}

std::string_view cut_name(DropCut cut) {
  switch (cut) {
    case DropCut::before: return "before";
    case DropCut::headers: return "headers";
    case DropCut::body: return "body";
  }
  return "body";
}

void Faults::register_psa(std::string_view psa) {
  std::lock_guard lock(mu_);
  psas_.emplace(psa);
}

bool Faults::known_target(std::string_view target) const {
  std::lock_guard lock(mu_);
  return target == kEveryPsa || psas_.contains(target);
}

void Faults::inject(std::string_view target, const Fault& fault) {
  if (!known_target(target)) throw std::out_of_range("psa must be a PSA the sandbox imitates, or \"*\"");
  if (fault.status < 400 || fault.status > 599) throw std::invalid_argument("status must be 4xx or 5xx");
  if (fault.retry_after_seconds < 0 || fault.retry_after_seconds > 86400) {
    throw std::invalid_argument("retry_after_seconds must be 0..86400");
  }
  if (fault.count < 0) throw std::invalid_argument("count must be 0 or more");
  if (fault.duration.count() < 0 || fault.duration > std::chrono::hours(24)) {
    throw std::invalid_argument("duration must be 0..24 h");
  }
  if (!(fault.probability > 0.0 && fault.probability <= 1.0))
    throw std::invalid_argument("probability must be in (0, 1]");
  if (fault.hold.count() < 0 || fault.hold > kMaxFaultHold) throw std::invalid_argument("hold must be 0..10 min");
  if (!fault.tenant.empty() && !valid_tenant_name(fault.tenant)) {
    throw std::invalid_argument("tenant must be empty or 1-64 of A-Z a-z 0-9 . _ -");
  }

  std::optional<std::regex> path;
  if (!fault.path.empty()) {
    try {
      path.emplace(fault.path, std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error&) {
      throw std::invalid_argument("path must be a regular expression");
    }
  }

  std::lock_guard lock(mu_);
  if (fault.count == 0 && fault.duration.count() == 0) {
    rules_.erase(rule_key(target, fault.tenant));
    return;
  }
  Rule rule{std::string(target), fault, std::nullopt,
            std::mt19937_64(fault.seed != 0 ? fault.seed : std::random_device{}()), std::move(path)};
  if (fault.duration.count() > 0) rule.until = Clock::now() + fault.duration;
  rules_.insert_or_assign(rule_key(target, fault.tenant), std::move(rule));
}

std::optional<Fault> Faults::take_locked(const std::string& key, std::string_view psa, std::string_view method,
                                         const std::string& path, Clock::time_point now) {
  const auto it = rules_.find(key);
  if (it == rules_.end()) return std::nullopt;
  Rule& rule = it->second;
  if (rule.until && now >= *rule.until) {
    rules_.erase(it);
    return std::nullopt;
  }
  if (!rule.fault.method.empty() && rule.fault.method != method) return std::nullopt;
  if (rule.path && !std::regex_search(path, *rule.path)) return std::nullopt;
  if (rule.fault.probability < 1.0 &&
      std::uniform_real_distribution<double>(0.0, 1.0)(rule.rng) >= rule.fault.probability) {
    return std::nullopt;
  }
  Fault fault = rule.fault;
  if (rule.fault.count > 0 && --rule.fault.count == 0) rules_.erase(it);
  ++applied_[std::string(psa) + "/" + std::string(kind_name(fault.kind))];
  return fault;
}

std::optional<Fault> Faults::take(std::string_view psa, std::string_view tenant, std::string_view method,
                                  const std::string& path) {
  std::lock_guard lock(mu_);
  if (rules_.empty()) return std::nullopt;
  const auto now = Clock::now();
  // The most specific rule first: this PSA and tenant, this PSA, every PSA for this tenant, every PSA.
  for (const std::string_view target : {psa, kEveryPsa}) {
    for (const std::string_view t : {tenant, std::string_view{}}) {
      if (auto fault = take_locked(rule_key(target, t), psa, method, path, now)) return fault;
    }
  }
  return std::nullopt;
}

void Faults::clear_rules() {
  std::lock_guard lock(mu_);
  rules_.clear();
}

void Faults::clear() {
  std::lock_guard lock(mu_);
  rules_.clear();
  applied_.clear();
}

std::map<std::string, int64_t> Faults::applied() const {
  std::lock_guard lock(mu_);
  return applied_;
}

std::vector<std::pair<std::string, Fault>> Faults::pending() const {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::string, Fault>> out;
  const auto now = Clock::now();
  for (const auto& [key, rule] : rules_) {
    if (rule.until && now >= *rule.until) continue;
    out.emplace_back(rule.target, rule.fault);
  }
  return out;
}

}  // namespace switchyard::sandbox
