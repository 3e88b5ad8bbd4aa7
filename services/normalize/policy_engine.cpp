#include "normalize/policy_engine.h"

#include <algorithm>
#include <set>

#include "common/crypto.h"

namespace switchyard::normalize {
namespace {

std::string company_key(const std::string& tenant, const std::string& id) {
  std::string key = tenant;
  key.append("/company/").append(id);
  return key;
}

bool in_policy(const CompanyState& state, std::string_view policy) {
  return state.memory && std::ranges::find(state.memory->in, policy) != state.memory->in.end();
}

// A record the policies derive from a company, based on the company's source.
canonical::RecordBase derived_base(const CompanyState& state, const std::string& tenant, const std::string& id,
                                   const canonical::Event& cause) {
  canonical::RecordBase base;
  if (state.company) base = canonical::base_of(state.company->record);
  base.tenant = tenant;
  if (base.source.psa.empty()) base.source = canonical::base_of(cause.record).source;
  base.source.id = id;
  base.custom_fields.clear();
  base.updated_at = canonical::base_of(cause.record).updated_at;
  return base;
}

std::optional<std::string> company_name(const CompanyState& state) {
  if (!state.company) return std::nullopt;
  return std::get<canonical::Company>(state.company->record).name;
}

canonical::Event derived_event(const canonical::Event& cause, std::string suffix, canonical::Record record) {
  canonical::Event e;
  e.event_id = cause.event_id + suffix;  // one input, one id per derived record: consumers dedup on it
  e.action = canonical::Action::Upserted;
  e.observed_at = cause.observed_at;
  e.origin = cause.origin;
  e.record = std::move(record);
  return e;
}

}  // namespace

CompanyState& PolicyBatch::company(const std::string& tenant, const std::string& id) { return companies_[tenant][id]; }

std::string PolicyBatch::owner(const std::string& tenant, const std::string& field) const {
  auto t = owners_.find(tenant);
  if (t == owners_.end()) return {};
  auto f = t->second.find(field);
  return f == t->second.end() ? std::string() : f->second;
}

policy::CompanyFacts PolicyBatch::facts(const CompanyState& state) const {
  policy::CompanyFacts f;
  for (const auto& [id, a] : state.agreements) f.agreements_in_force += policy::in_force(a, today_);
  f.contacts = static_cast<int>(state.contacts.size());
  return f;
}

Status PolicyBatch::load_companies(const std::string& tenant, const std::vector<std::string>& ids) {
  std::vector<std::string> missing;
  auto& known = companies_[tenant];
  for (const auto& id : ids) {
    if (!id.empty() && !known.contains(id)) missing.push_back(id);
  }
  auto loaded = state_.load(tenant, missing);
  if (!loaded) return loaded.error();
  for (auto& [id, state] : *loaded) known.emplace(id, std::move(state));
  return ok_status();
}

Status PolicyBatch::load(const std::vector<PolicyInput>& inputs) {
  std::map<std::string, std::vector<std::string>> fields;
  std::map<std::string, std::set<std::string>> ids;
  for (const auto& input : inputs) {
    const auto& base = canonical::base_of(input.event->record);
    auto& wanted = ids[base.tenant];
    if (std::holds_alternative<canonical::Company>(input.event->record)) wanted.insert(base.source.id);
    if (const auto* a = std::get_if<canonical::Agreement>(&input.event->record)) {
      fields[base.tenant].push_back("agreement:" + base.source.id);
      if (a->company) wanted.insert(a->company->id);
    }
    if (const auto* c = std::get_if<canonical::Contact>(&input.event->record)) {
      fields[base.tenant].push_back("contact:" + base.source.id);
      if (c->company) wanted.insert(c->company->id);
    }
  }
  for (auto& [tenant, names] : fields) {
    auto found = state_.owners(tenant, names);
    if (!found) return found.error();
    for (size_t i = 0; i < names.size(); ++i) {
      if ((*found)[i].empty()) continue;
      owners_[tenant][names[i]] = (*found)[i];
      ids[tenant].insert((*found)[i]);
    }
  }
  for (auto& [tenant, wanted] : ids) {
    if (auto st = load_companies(tenant, {wanted.begin(), wanted.end()}); !st) return st;
  }
  return ok_status();
}

PolicyDecision PolicyBatch::apply(const PolicyInput& input) {
  PolicyDecision out;
  if (auto* c = std::get_if<canonical::Company>(&input.event->record)) apply_company(input, *c, out);
  else if (auto* a = std::get_if<canonical::Agreement>(&input.event->record)) apply_agreement(input, *a, out);
  else if (auto* p = std::get_if<canonical::Contact>(&input.event->record)) apply_contact(input, *p, out);
  // Every other record (tickets, notes, configurations, billing lines, sites) is not a policy's concern.
  return out;
}

void PolicyBatch::apply_company(const PolicyInput& input, canonical::Company& record, PolicyDecision& out) {
  const std::string tenant = record.tenant;
  const std::string id = record.source.id;
  CompanyState& state = company(tenant, id);
  const canonical::Event& cause = *input.event;
  if (cause.action == canonical::Action::Deleted) {
    std::vector<policy::ScopeChange> left;
    if (state.memory) {
      for (const auto& p : state.memory->in) left.push_back({p, false, "deleted"});
    }
    out.publish = !left.empty();  // the vendor only knows it if it was in scope
    if (!out.publish) out.suppressed = "out_of_scope";
    scope_records(tenant, state, left, cause, out);
    state.company.reset();
    state.memory.reset();
    state.summary.clear();
    writes_.drop_company(tenant, id);
    return;
  }
  auto d = policy::decide_company(state.memory, record, facts(state), *input.settings);
  if (!d.emit && d.suppressed == "unchanged" && input.resync) {
    d.emit = true;
    d.suppressed.clear();
    d.trigger = "resync";
  }
  out.publish = d.emit;
  out.suppressed = d.suppressed;
  if (d.emit) input.event->trigger = d.trigger;
  state.company = *input.event;
  state.memory = d.remember;
  writes_.company(tenant, id, *input.event);
  writes_.memory(tenant, id, d.remember);
  scope_records(tenant, state, d.scope, cause, out);
  entered_agreements(tenant, state, d.scope, cause, "", out);
  summary_record(tenant, id, state, cause, out, input.resync);
}

void PolicyBatch::apply_agreement(const PolicyInput& input, const canonical::Agreement& record, PolicyDecision& out) {
  const std::string& tenant = record.tenant;
  const std::string id = record.source.id;
  const std::string field = "agreement:" + id;
  const bool deleted = input.event->action == canonical::Action::Deleted;
  const std::string before_owner = owner(tenant, field);
  std::string now_owner = record.company ? record.company->id : std::string();
  if (deleted && now_owner.empty()) now_owner = before_owner;  // a deletion names only the record

  std::optional<canonical::Agreement> before;
  if (!before_owner.empty()) {
    CompanyState& was = company(tenant, before_owner);
    if (auto it = was.agreements.find(id); it != was.agreements.end()) before = it->second;
    if (deleted || before_owner != now_owner) {
      was.agreements.erase(id);
      writes_.drop_agreement(tenant, before_owner, id);
    }
  }
  if (deleted) {
    owners_[tenant].erase(field);
    writes_.drop_owner(tenant, field);
  } else if (!now_owner.empty()) {
    company(tenant, now_owner).agreements[id] = record;
    owners_[tenant][field] = now_owner;
    writes_.agreement(tenant, now_owner, id, *input.event);
    writes_.owner(tenant, field, now_owner);
  }
  const auto& settings = *input.settings;
  if (!before_owner.empty() && before_owner != now_owner) {
    reconsider(tenant, before_owner, settings, *input.event, "first_agreement", out);
  }
  if (!now_owner.empty()) reconsider(tenant, now_owner, settings, *input.event, "first_agreement", out);

  // Active Customers syncs companies only; the agreements policy syncs the agreements of the
  // companies in its scope, when a synced detail (vendor, name, cost) changes.
  const bool in_scope = settings.active_customer_agreements && !now_owner.empty() &&
                        in_policy(company(tenant, now_owner), policy::kActiveCustomerAgreements);
  if (!in_scope) {
    out.publish = false;
    out.suppressed = "out_of_scope";
  } else if (deleted) {
    out.publish = true;
  } else if (!before) {
    input.event->trigger = "new";
  } else if (policy::agreement_fingerprint(*before) != policy::agreement_fingerprint(record)) {
    input.event->trigger = "changed";
  } else if (input.resync) {
    input.event->trigger = "resync";
  } else {
    out.publish = false;
    out.suppressed = "unchanged";
  }
}

void PolicyBatch::apply_contact(const PolicyInput& input, const canonical::Contact& record, PolicyDecision& out) {
  const std::string& tenant = record.tenant;
  const std::string id = record.source.id;
  const std::string field = "contact:" + id;
  const bool deleted = input.event->action == canonical::Action::Deleted;
  const std::string before_owner = owner(tenant, field);
  const std::string now_owner = deleted || !record.company ? std::string() : record.company->id;
  if (!before_owner.empty() && before_owner != now_owner) {
    company(tenant, before_owner).contacts.erase(id);
    writes_.drop_contact(tenant, before_owner, id);
    owners_[tenant].erase(field);
    writes_.drop_owner(tenant, field);
  }
  if (!now_owner.empty()) {
    company(tenant, now_owner).contacts.insert(id);
    owners_[tenant][field] = now_owner;
    writes_.contact(tenant, now_owner, id);
    writes_.owner(tenant, field, now_owner);
  }
  // Contacts themselves are published as they come; they count for audIT's rule and the summary.
  if (!before_owner.empty() && before_owner != now_owner) {
    reconsider(tenant, before_owner, *input.settings, *input.event, "entered", out);
  }
  if (!now_owner.empty()) reconsider(tenant, now_owner, *input.settings, *input.event, "entered", out);
}

void PolicyBatch::reconsider(const std::string& tenant, const std::string& id, const policy::SyncPolicies& settings,
                             const canonical::Event& cause, std::string_view trigger, PolicyDecision& out) {
  CompanyState& state = company(tenant, id);
  if (!state.company) return;  // decided when the company itself comes
  const auto& record = std::get<canonical::Company>(state.company->record);
  auto d = policy::decide_company(state.memory, record, facts(state), settings);
  // The company's record did not change: only entering a policy's scope brings it out again.
  if (d.emit && (d.trigger == "entered" || d.trigger == "new")) {
    canonical::Event e = derived_event(cause, ":company:" + id, state.company->record);
    const bool gains_agreements = !in_policy(state, policy::kActiveCustomerAgreements) &&
                                  std::ranges::find(d.remember.in, policy::kActiveCustomerAgreements) != d.remember.in.end();
    if (trigger == "recompute") e.trigger = "recompute";
    else if (trigger == "first_agreement" && gains_agreements) e.trigger = "first_agreement";
    else e.trigger = "entered";
    out.added.push_back({company_key(tenant, id), std::move(e)});
  }
  if (!state.memory || *state.memory != d.remember) {
    state.memory = d.remember;
    writes_.memory(tenant, id, d.remember);
  }
  scope_records(tenant, state, d.scope, cause, out);
  // The agreement that caused this (if one did) is published by itself.
  const auto* agreement = std::get_if<canonical::Agreement>(&cause.record);
  entered_agreements(tenant, state, d.scope, cause, agreement ? agreement->source.id : "", out);
  summary_record(tenant, id, state, cause, out, false);
}

PolicyDecision PolicyBatch::recompute(const std::string& tenant, const std::string& id,
                                      const policy::SyncPolicies& settings, const std::string& observed_at) {
  PolicyDecision out;
  CompanyState& state = company(tenant, id);
  if (!state.company) return out;
  canonical::Event cause = *state.company;
  cause.event_id = "recompute:" + today_ + ":" + tenant + ":" + id;
  cause.observed_at = observed_at;
  cause.origin = "poll";
  cause.trigger = "recompute";
  reconsider(tenant, id, settings, cause, "recompute", out);
  return out;
}

void PolicyBatch::scope_records(const std::string& tenant, const CompanyState& state,
                                const std::vector<policy::ScopeChange>& changes, const canonical::Event& cause,
                                PolicyDecision& out) {
  for (const auto& change : changes) {
    const std::string id = state.company ? canonical::base_of(state.company->record).source.id
                                         : canonical::base_of(cause.record).source.id;
    auto record = canonical::with_base<canonical::ScopeChange>(derived_base(state, tenant, id, cause));
    record.company = canonical::Ref{id, company_name(state)};
    record.policy = change.policy;
    record.in_scope = change.in_scope;
    record.reason = change.reason == "new" ? "entered" : change.reason;
    canonical::Event e = derived_event(cause, ":scope:" + id + ":" + change.policy, std::move(record));
    e.trigger = cause.trigger;
    out.added.push_back({company_key(tenant, id), std::move(e)});
  }
}

// A company entering the agreements policy brings out the agreements held back while it was
// outside (one may even have arrived before the company itself).
void PolicyBatch::entered_agreements(const std::string& tenant, const CompanyState& state,
                                     const std::vector<policy::ScopeChange>& changes, const canonical::Event& cause,
                                     const std::string& except, PolicyDecision& out) {
  const bool entered = std::ranges::any_of(changes, [](const policy::ScopeChange& c) {
    return c.in_scope && c.policy == policy::kActiveCustomerAgreements;
  });
  if (!entered) return;
  for (const auto& [id, agreement] : state.agreements) {
    if (id == except) continue;
    canonical::Event e = derived_event(cause, ":agreement:" + id, agreement);
    e.trigger = "entered";
    std::string key = tenant;
    key.append("/agreement/").append(id);  // as the agreement's own events are keyed
    out.added.push_back({std::move(key), std::move(e)});
  }
}

void PolicyBatch::summary_record(const std::string& tenant, const std::string& id, CompanyState& state,
                                 const canonical::Event& cause, PolicyDecision& out, bool force) {
  if (!state.company || !state.memory || state.memory->in.empty()) {
    // Out of every scope: nothing to display. Entering again publishes a summary afresh.
    if (!state.summary.empty()) {
      state.summary.clear();
      writes_.summary(tenant, id, "");
    }
    return;
  }
  auto summary = canonical::with_base<canonical::CompanySummary>(derived_base(state, tenant, id, cause));
  summary.company = canonical::Ref{id, company_name(state)};
  summary.contact_count = static_cast<int>(state.contacts.size());
  std::vector<canonical::Agreement> agreements;
  for (const auto& [agreement_id, a] : state.agreements) {
    agreements.push_back(a);
    if (!policy::in_force(a, today_)) continue;
    if (a.recurring.value_or(false)) ++summary.active_recurring_agreements;
    canonical::SummaryAgreement line;
    line.agreement = canonical::Ref{agreement_id, a.name};
    line.vendor = policy::policy_vendor(a);  // the policy's output: "MSP Managed Services" when the PSA names none
    line.cost = a.bill_amount;
    line.monthly = a.monthly_amount;
    line.currency = a.currency;
    line.recurring = a.recurring.value_or(false);
    summary.agreements.push_back(std::move(line));
  }
  for (const auto& m : policy::company_mrr(agreements, today_)) {
    canonical::MrrAmount amount;
    if (!m.currency.empty()) amount.currency = m.currency;
    amount.monthly = m.monthly;
    amount.agreements = m.agreements;
    summary.mrr.push_back(std::move(amount));
  }
  // What the summary says, without when it was said.
  canonical::Event probe;
  auto unstamped = summary;
  unstamped.updated_at.clear();
  probe.record = std::move(unstamped);
  const std::string fingerprint = crypto::sha256_hex(canonical::to_json(probe));
  if (fingerprint == state.summary && !force) return;
  state.summary = fingerprint;
  writes_.summary(tenant, id, fingerprint);
  canonical::Event e = derived_event(cause, ":summary:" + id, std::move(summary));
  e.trigger = cause.trigger ? cause.trigger : std::optional<std::string>("changed");
  out.added.push_back({company_key(tenant, id), std::move(e)});
}

Status PolicyBatch::commit() {
  auto st = state_.apply(writes_);
  if (st) writes_.clear();
  return st;
}

}  // namespace switchyard::normalize
