#include "ingest/person_erasure.h"

#include <algorithm>
#include <cctype>

#include "common/activity.h"
#include "common/activity_log.h"
#include "common/echo_marks.h"

namespace switchyard::ingest {
namespace {

constexpr int kPage = 500;  // entries or keys per round trip

// The sync policies' keys (normalize/policy_state.h): "sy:policy:{tenant}:<what>".
std::string policy_key(const std::string& tenant, std::string_view what) {
  std::string key = "sy:policy:{";
  key.append(tenant).append("}:").append(what);
  return key;
}

bool local_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool domain_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'; }

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Where `email` starts as a whole address in `lower` (text already lower-cased), from `from`.
size_t find_whole(const std::string& lower, std::string_view email, size_t from) {
  for (size_t at = lower.find(email, from); at != std::string::npos; at = lower.find(email, at + 1)) {
    const size_t end = at + email.size();
    const bool starts = at == 0 || !local_char(lower[at - 1]);
    const bool ends = end == lower.size() || !domain_char(lower[end]);
    if (starts && ends) return at;
  }
  return std::string::npos;
}

Error unavailable(const Error& e) { return make_error("redis_unavailable", "redis: " + e.message); }

}  // namespace

bool mentions_email(std::string_view text, std::string_view email) {
  return !email.empty() && find_whole(lowered(text), email, 0) != std::string::npos;
}

std::string without_email(std::string_view text, std::string_view email, int64_t& count) {
  count = 0;
  if (email.empty()) return std::string(text);
  const std::string lower = lowered(text);
  std::string out;
  size_t from = 0;
  for (size_t at = find_whole(lower, email, 0); at != std::string::npos; at = find_whole(lower, email, from)) {
    out.append(text.substr(from, at - from));
    from = at + email.size();
    ++count;
  }
  out.append(text.substr(from));
  return out;
}

PersonEraser::PersonEraser(RedisClient& redis, ErasureKeys keys) : redis_(redis), keys_(std::move(keys)) {}

Result<RedisReply> PersonEraser::run(const std::vector<std::string>& argv) {
  auto reply = redis_.checked_command(argv);
  if (!reply) return unavailable(reply.error());
  return reply;
}

Result<std::vector<std::string>> PersonEraser::scan(const std::string& pattern) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = run({"SCAN", cursor, "MATCH", pattern, "COUNT", std::to_string(kPage)});
    if (!reply) return reply.error();
    if (reply->elements.size() != 2) return make_error("redis_unavailable", "redis: unexpected SCAN reply");
    cursor = reply->elements[0].str;
    for (const auto& key : reply->elements[1].elements) keys.push_back(key.str);
  } while (cursor != "0");
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());  // SCAN may return a key twice
  return keys;
}

Status PersonEraser::erase_activity(const std::string& tenant, const ErasureSubject& subject, ErasureReport& report) {
  for (const std::string& key :
       {activity_stream_key(tenant), activity_problems_key(tenant), activity_dead_letters_key(tenant)}) {
    std::string start = "-";
    for (;;) {
      auto page = run({"XRANGE", key, start, "+", "COUNT", std::to_string(kPage)});
      if (!page) return page.error();
      std::vector<std::string> xdel = {"XDEL", key};
      for (const auto& entry : page->elements) {
        if (entry.elements.size() != 2) continue;
        const auto& fields = entry.elements[1].elements;
        for (size_t i = 0; i + 1 < fields.size(); i += 2) {
          if (fields[i].str != "r") continue;
          const std::string& json = fields[i + 1].str;
          auto record = activity_from_json(json);
          const bool about_contact = !subject.contact_id.empty() && record && record->entity == "contact" &&
                                     record->psa_id == subject.contact_id;
          if (about_contact || mentions_email(json, subject.email)) xdel.push_back(entry.elements[0].str);
        }
      }
      if (xdel.size() > 2) {
        auto deleted = run(xdel);
        if (!deleted) return deleted.error();
        report.activity_records += deleted->integer;
      }
      if (page->elements.size() < static_cast<size_t>(kPage)) break;
      start = "(" + page->elements.back().elements[0].str;  // after the last entry read
    }
  }
  return ok_status();
}

Status PersonEraser::erase_policy_entries(const std::string& tenant, const std::string& contact_id,
                                          ErasureReport& report) {
  auto sets = scan(policy_key(tenant, "contacts:*"));
  if (!sets) return sets.error();
  for (const std::string& key : *sets) {
    auto removed = run({"SREM", key, contact_id});
    if (!removed) return removed.error();
    report.policy_entries += removed->integer;
  }
  auto owner = run({"HDEL", policy_key(tenant, "owners"), "contact:" + contact_id});
  if (!owner) return owner.error();
  report.policy_entries += owner->integer;
  auto echo = run({"DEL", EchoMarks::key(EchoRecord{tenant, "contact", contact_id})});
  if (!echo) return echo.error();
  report.echo_marks += echo->integer;
  return ok_status();
}

Status PersonEraser::redact_records(const std::string& tenant, const std::string& email, ErasureReport& report) {
  for (const char* what : {"company:*", "agreements:*"}) {
    auto keys = scan(policy_key(tenant, what));
    if (!keys) return keys.error();
    for (const std::string& key : *keys) {
      auto fields = run({"HGETALL", key});
      if (!fields) return fields.error();
      const auto& kv = fields->elements;
      for (size_t i = 0; i + 1 < kv.size(); i += 2) {
        int64_t count = 0;
        std::string redacted = without_email(kv[i + 1].str, email, count);
        if (count == 0) continue;
        auto written = run({"HSET", key, kv[i].str, redacted});
        if (!written) return written.error();
        ++report.redacted_records;
      }
    }
  }
  return ok_status();
}

Status PersonEraser::drop_caches(const std::string& tenant, const std::string& email, ErasureReport& report) {
  auto keys = scan(keys_.lookup_prefix + tenant + ":*");
  if (!keys) return keys.error();
  keys->push_back(keys_.labels_prefix + tenant);
  for (const std::string& key : *keys) {
    auto value = redis_.command({"GET", key});
    if (!value) return unavailable(value.error());
    if (value->type != RedisReply::Type::String || !mentions_email(value->str, email)) continue;
    auto deleted = run({"DEL", key});
    if (!deleted) return deleted.error();
    report.cache_entries += deleted->integer;
  }
  return ok_status();
}

Result<ErasureReport> PersonEraser::erase(const std::string& tenant, const ErasureSubject& subject) {
  ErasureReport report;
  if (auto st = erase_activity(tenant, subject, report); !st) return st.error();
  if (!subject.contact_id.empty()) {
    if (auto st = erase_policy_entries(tenant, subject.contact_id, report); !st) return st.error();
  }
  if (!subject.email.empty()) {
    if (auto st = redact_records(tenant, subject.email, report); !st) return st.error();
    if (auto st = drop_caches(tenant, subject.email, report); !st) return st.error();
  }
  return report;
}

}  // namespace switchyard::ingest
