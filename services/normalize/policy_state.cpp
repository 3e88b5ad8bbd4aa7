#include "normalize/policy_state.h"

#include <simdjson.h>

#include "common/json_writer.h"

namespace switchyard::normalize {
namespace {

std::string memory_json(const policy::CompanyMemory& m) {
  JsonWriter w;
  w.begin_object().field("fingerprint", m.fingerprint).field("active", m.active).key("in").begin_array();
  for (const auto& p : m.in) w.value(p);
  w.end_array().end_object();
  return w.str();
}

std::optional<policy::CompanyMemory> memory_from_json(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(json).get(obj) != simdjson::SUCCESS) return std::nullopt;
  policy::CompanyMemory m;
  std::string_view fingerprint;
  simdjson::dom::array in;
  if (obj["fingerprint"].get(fingerprint) != simdjson::SUCCESS || obj["active"].get(m.active) != simdjson::SUCCESS ||
      obj["in"].get(in) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  m.fingerprint = fingerprint;
  for (auto p : in) {
    std::string_view name;
    if (p.get(name) == simdjson::SUCCESS) m.in.emplace_back(name);
  }
  return m;
}

Status check(const Result<std::vector<RedisReply>>& replies) {
  if (!replies) return replies.error();
  for (const auto& r : *replies) {
    if (r.type == RedisReply::Type::Error) return make_error("policy_state", "policy state: " + r.str);
  }
  return ok_status();
}

}  // namespace

std::string policy_key(const std::string& tenant, std::string_view what) {
  std::string key = "sy:policy:{";
  key.append(tenant).append("}:").append(what);
  return key;
}

void PolicyWrites::company(const std::string& tenant, const std::string& id, const canonical::Event& event) {
  commands_.push_back({"HSET", policy_key(tenant, "company:" + id), "record", canonical::to_json(event)});
  commands_.push_back({"SADD", policy_key(tenant, "companies"), id});
}

void PolicyWrites::memory(const std::string& tenant, const std::string& id, const policy::CompanyMemory& memory) {
  commands_.push_back({"HSET", policy_key(tenant, "company:" + id), "memory", memory_json(memory)});
  commands_.push_back({"SADD", policy_key(tenant, "companies"), id});
}

void PolicyWrites::summary(const std::string& tenant, const std::string& id, const std::string& fingerprint) {
  commands_.push_back({"HSET", policy_key(tenant, "company:" + id), "summary", fingerprint});
}

void PolicyWrites::drop_company(const std::string& tenant, const std::string& id) {
  commands_.push_back({"DEL", policy_key(tenant, "company:" + id)});
  // Its agreements and contacts stay: they name the company and may outlive it in the PSA.
  commands_.push_back({"SREM", policy_key(tenant, "companies"), id});
}

void PolicyWrites::agreement(const std::string& tenant, const std::string& company, const std::string& id,
                             const canonical::Event& event) {
  commands_.push_back({"HSET", policy_key(tenant, "agreements:" + company), id, canonical::to_json(event)});
  commands_.push_back({"SADD", policy_key(tenant, "companies"), company});
}

void PolicyWrites::drop_agreement(const std::string& tenant, const std::string& company, const std::string& id) {
  commands_.push_back({"HDEL", policy_key(tenant, "agreements:" + company), id});
}

void PolicyWrites::contact(const std::string& tenant, const std::string& company, const std::string& id) {
  commands_.push_back({"SADD", policy_key(tenant, "contacts:" + company), id});
  commands_.push_back({"SADD", policy_key(tenant, "companies"), company});
}

void PolicyWrites::drop_contact(const std::string& tenant, const std::string& company, const std::string& id) {
  commands_.push_back({"SREM", policy_key(tenant, "contacts:" + company), id});
}

void PolicyWrites::owner(const std::string& tenant, const std::string& field, const std::string& company) {
  commands_.push_back({"HSET", policy_key(tenant, "owners"), field, company});
}

void PolicyWrites::drop_owner(const std::string& tenant, const std::string& field) {
  commands_.push_back({"HDEL", policy_key(tenant, "owners"), field});
}

Result<std::vector<std::string>> PolicyState::owners(const std::string& tenant, const std::vector<std::string>& fields) {
  std::vector<std::string> out(fields.size());
  if (fields.empty()) return out;
  std::vector<std::string> argv{"HMGET", policy_key(tenant, "owners")};
  argv.insert(argv.end(), fields.begin(), fields.end());
  auto reply = redis_.checked_command(argv);
  if (!reply) return reply.error();
  for (size_t i = 0; i < fields.size() && i < reply->elements.size(); ++i) {
    if (reply->elements[i].type == RedisReply::Type::String) out[i] = reply->elements[i].str;
  }
  return out;
}

Result<std::map<std::string, CompanyState>> PolicyState::load(const std::string& tenant,
                                                              const std::vector<std::string>& companies) {
  std::vector<std::vector<std::string>> commands;
  for (const auto& id : companies) {
    commands.push_back({"HMGET", policy_key(tenant, "company:" + id), "record", "memory", "summary"});
    commands.push_back({"HGETALL", policy_key(tenant, "agreements:" + id)});
    commands.push_back({"SMEMBERS", policy_key(tenant, "contacts:" + id)});
  }
  std::map<std::string, CompanyState> out;
  if (commands.empty()) return out;
  auto replies = redis_.pipeline(commands);
  if (auto st = check(replies); !st) return st.error();
  for (size_t c = 0; c < companies.size(); ++c) {
    CompanyState& s = out[companies[c]];
    const RedisReply& fields = (*replies)[3 * c];
    if (fields.elements.size() == 3) {
      if (fields.elements[0].type == RedisReply::Type::String) {
        if (auto e = canonical::event_from_json(fields.elements[0].str)) s.company = std::move(*e);
      }
      if (fields.elements[1].type == RedisReply::Type::String) s.memory = memory_from_json(fields.elements[1].str);
      if (fields.elements[2].type == RedisReply::Type::String) s.summary = fields.elements[2].str;
    }
    const RedisReply& agreements = (*replies)[3 * c + 1];
    for (size_t i = 0; i + 1 < agreements.elements.size(); i += 2) {
      auto e = canonical::event_from_json(agreements.elements[i + 1].str);
      if (!e) continue;  // written by this code; a record it cannot read is left for the next change
      if (auto* a = std::get_if<canonical::Agreement>(&e->record)) s.agreements.emplace(agreements.elements[i].str, std::move(*a));
    }
    for (const auto& member : (*replies)[3 * c + 2].elements) s.contacts.insert(member.str);
  }
  return out;
}

Result<std::vector<std::string>> PolicyState::companies(const std::string& tenant) {
  auto reply = redis_.checked_command({"SMEMBERS", policy_key(tenant, "companies")});
  if (!reply) return reply.error();
  std::vector<std::string> out;
  for (const auto& member : reply->elements) out.push_back(member.str);
  return out;
}

Status PolicyState::apply(const PolicyWrites& writes) {
  if (writes.empty()) return ok_status();
  return check(redis_.pipeline(writes.commands()));
}

}  // namespace switchyard::normalize
