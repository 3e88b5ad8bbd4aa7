#include "common/sync_policy.h"

#include <algorithm>
#include <map>

#include "common/crypto.h"
#include "common/json_writer.h"

namespace switchyard::policy {
namespace {

void write_optional(JsonWriter& w, std::string_view key, const std::optional<std::string>& value) {
  w.key(key);
  if (value) w.value(*value);
  else w.null();
}

}  // namespace

bool is_active_customer(const canonical::Company& company) {
  return company.active && company.classification == std::optional<std::string>("customer");
}

bool in_force(const canonical::Agreement& agreement, std::string_view day) {
  if (agreement.cancelled.value_or(false)) return false;
  // Dates are YYYY-MM-DD, which order as text.
  if (agreement.start_date && *agreement.start_date > day) return false;
  if (agreement.end_date && *agreement.end_date < day) return false;
  return true;
}

bool counts_for_mrr(const canonical::Agreement& agreement, std::string_view day) {
  return in_force(agreement, day) && agreement.recurring.value_or(false) && agreement.monthly_amount.has_value();
}

std::string policy_vendor(const canonical::Agreement& agreement) {
  if (agreement.vendor && agreement.vendor->name && !agreement.vendor->name->empty()) return *agreement.vendor->name;
  return std::string(kDefaultVendor);
}

std::string company_fingerprint(const canonical::Company& c) {
  JsonWriter w;
  w.begin_object().field("name", c.name);
  w.key("addresses").begin_array();
  for (const auto& a : c.addresses) {
    w.begin_object().key("street").begin_array();
    for (const auto& line : a.street_lines) w.value(line);
    w.end_array();
    write_optional(w, "city", a.city);
    write_optional(w, "region", a.region);
    write_optional(w, "postal_code", a.postal_code);
    write_optional(w, "country", a.country);
    w.end_object();
  }
  w.end_array().key("emails").begin_array();
  for (const auto& e : c.emails) w.value(e);
  w.end_array();
  write_optional(w, "phone", c.phone);
  write_optional(w, "website", c.website);
  w.end_object();
  return crypto::sha256_hex(w.str());
}

std::string agreement_fingerprint(const canonical::Agreement& a) {
  JsonWriter w;
  w.begin_object().field("name", a.name).field("vendor", policy_vendor(a));
  w.key("cost");
  if (a.bill_amount) w.value(*a.bill_amount);
  else w.null();
  write_optional(w, "currency", a.currency);
  w.end_object();
  return crypto::sha256_hex(w.str());
}

std::vector<Mrr> company_mrr(std::span<const canonical::Agreement> agreements, std::string_view day) {
  std::map<std::string, Mrr> by_currency;
  for (const auto& a : agreements) {
    if (!counts_for_mrr(a, day)) continue;
    Mrr& m = by_currency[a.currency.value_or("")];
    m.currency = a.currency.value_or("");
    m.monthly += *a.monthly_amount;
    ++m.agreements;
  }
  std::vector<Mrr> out;
  for (auto& [currency, m] : by_currency) out.push_back(std::move(m));
  return out;
}

std::string out_of_scope_reason(std::string_view policy, const canonical::Company& company,
                                const CompanyFacts& facts, const SyncPolicies& settings) {
  if (!company.active) return "inactive";
  if (company.classification != std::optional<std::string>("customer")) return "not_customer";
  if (policy == kActiveCustomerAgreements && facts.agreements_in_force == 0) return "no_agreement";
  if (settings.require_contact && facts.contacts == 0) return "no_contact";
  return {};
}

CompanyDecision decide_company(const std::optional<CompanyMemory>& before, const canonical::Company& company,
                               const CompanyFacts& facts, const SyncPolicies& settings) {
  CompanyDecision d;
  d.remember.fingerprint = company_fingerprint(company);
  d.remember.active = company.active;
  const auto was_in = [&](std::string_view p) {
    return before && std::ranges::find(before->in, p) != before->in.end();
  };
  std::vector<std::string_view> policies;
  if (settings.all()) {
    policies.clear();
  } else {
    if (settings.active_customers) policies.push_back(kActiveCustomers);
    if (settings.active_customer_agreements) policies.push_back(kActiveCustomerAgreements);
  }
  bool entered = false;
  for (std::string_view p : policies) {
    const std::string reason = out_of_scope_reason(p, company, facts, settings);
    const bool in = reason.empty();
    if (in) d.remember.in.emplace_back(p);
    if (in && !was_in(p)) {
      d.scope.push_back({std::string(p), true, before ? "entered" : "new"});
      entered = true;
    } else if (!in && was_in(p)) {
      d.scope.push_back({std::string(p), false, reason});
    }
  }
  const bool in_any = settings.all() || !d.remember.in.empty();
  if (!in_any) {
    d.suppressed = "out_of_scope";
    return d;
  }
  if (!before) {
    d.emit = true;
    d.trigger = "new";
  } else if (!before->active && company.active) {
    d.emit = true;
    d.trigger = "reactivated";
  } else if (entered) {
    d.emit = true;
    d.trigger = "entered";
  } else if (before->fingerprint != d.remember.fingerprint) {
    d.emit = true;
    d.trigger = "changed";
  } else {
    d.suppressed = "unchanged";
  }
  return d;
}

}  // namespace switchyard::policy
