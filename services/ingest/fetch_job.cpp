#include "ingest/fetch_job.h"

#include <algorithm>
#include <charconv>

#include <simdjson.h>

#include "common/json_read.h"
#include "common/json_writer.h"
#include "common/time_format.h"

namespace switchyard::ingest {

std::string to_json(const FetchJob& job) {
  JsonWriter w;
  w.begin_object()
      .field("job_version", kFetchJobVersion)
      .field("tenant", job.tenant)
      .field("psa", job.psa)
      .field("entity", job.entity)
      .field("entity_id", job.entity_id)
      .field("reason", job.reason)
      .field("scheduled_at", job.scheduled_at)
      .end_object();
  return w.take();
}

Result<FetchJob> fetch_job_from_json(std::string_view text) {
  // Any producer can write to the topic: every field is required and bounded.
  if (text.size() > 4096) return make_error("invalid_fetch_job", "fetch job: larger than 4096 bytes");
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(text.data(), text.size()).get(obj) != simdjson::SUCCESS) {
    return make_error("invalid_fetch_job", "fetch job: not a JSON object");
  }
  auto version = json::optional_int(obj, "job_version", "job");
  if (!version) return version.error();
  if (!*version || **version != kFetchJobVersion) return make_error("invalid_fetch_job", "job.job_version: must be 1");
  FetchJob job;
  struct Field {
    std::string_view key;
    std::string* target;
    size_t max;
  };
  constexpr size_t kMax = kFetchJobFieldMax;
  for (const Field& f : {Field{"tenant", &job.tenant, kMax}, Field{"psa", &job.psa, kMax},
                         Field{"entity", &job.entity, kMax}, Field{"entity_id", &job.entity_id, kMax},
                         Field{"reason", &job.reason, kMax}, Field{"scheduled_at", &job.scheduled_at, kMax}}) {
    auto value = json::required_string(obj, f.key, "job");
    if (!value) return value.error();
    if (value->empty() || value->size() > f.max) {
      return make_error("invalid_fetch_job", "job." + std::string(f.key) + ": must be 1 to " + std::to_string(f.max) +
                                                 " characters");
    }
    *f.target = std::move(*value);
  }
  return job;
}

std::string fetch_job_key(const FetchJob& job) {
  std::string key = job.tenant;
  key.append("/").append(job.entity).append("/").append(job.entity_id);
  return key;
}

std::vector<KafkaHeader> fetch_job_headers(const FetchJob& job, const FetchJobRetry& retry) {
  std::vector<KafkaHeader> headers{{"sy-tenant", job.tenant}, {"sy-psa", job.psa}, {"sy-entity", job.entity}};
  if (retry.attempts > 0) headers.push_back({"sy-attempts", std::to_string(retry.attempts)});
  if (retry.not_before_ms > 0) headers.push_back({"sy-not-before", std::to_string(retry.not_before_ms)});
  return headers;
}

FetchJobRetry fetch_job_retry(const std::vector<KafkaHeader>& headers) {
  const auto number = [](const std::string& text) {
    int64_t n = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return ec == std::errc{} && ptr == text.data() + text.size() && n > 0 ? n : 0;
  };
  FetchJobRetry retry;
  for (const KafkaHeader& h : headers) {
    if (h.name == "sy-attempts") retry.attempts = static_cast<int>(std::min<int64_t>(number(h.value), 1000000));
    if (h.name == "sy-not-before") retry.not_before_ms = number(h.value);
  }
  return retry;
}

bool is_importable_record_id(std::string_view id) {
  if (id.empty() || id.size() > kFetchJobFieldMax) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
  });
}

std::vector<FetchJob> fetch_jobs_for(const Tenant& tenant, const std::vector<connectors::Change>& changes,
                                     std::string_view reason) {
  std::vector<FetchJob> jobs;
  const std::string now = now_rfc3339();
  for (const auto& c : changes) {
    if (!c.needs_fetch) continue;
    jobs.push_back(FetchJob{tenant.id, tenant.psa, c.entity, c.entity_id, std::string(reason), now});
  }
  return jobs;
}

}  // namespace switchyard::ingest
