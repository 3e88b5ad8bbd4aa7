#include "ingest/erasure_handler.h"

#include "common/crypto.h"
#include "common/erasure_event.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/secret_box.h"
#include "common/time_format.h"
#include "ingest/audited_route.h"

namespace switchyard::ingest {
namespace {

// The purpose the audit record's keyed hashes are derived for (SecretKeyring::keyed_hash).
constexpr std::string_view kHashPurpose = "erasure-audit";

std::string removed_json(const ErasureReport& r) {
  JsonWriter w;
  w.begin_object()
      .field("activity_records", r.activity_records)
      .field("policy_entries", r.policy_entries)
      .field("redacted_records", r.redacted_records)
      .field("cache_entries", r.cache_entries)
      .field("echo_marks", r.echo_marks)
      .end_object();
  return w.take();
}

std::string status_details(int status) {
  JsonWriter w;
  w.begin_object().field("status", static_cast<int64_t>(status)).end_object();
  return w.take();
}

}  // namespace

struct ErasureHandler::Job {
  std::string actor;  // "" when the token is unknown (nothing is recorded then)
  std::string tenant;
  std::string psa;
  ErasureSubject subject;
  http::Responder respond;
};

ErasureHandler::ErasureHandler(TenantAdminRoute route, RedisWorker& worker, KafkaProducer& producer,
                               std::string canonical_topic, AuditTrail& audit, Metrics& metrics, ErasureKeys keys)
    : route_(std::move(route)),
      worker_(worker),
      producer_(producer),
      canonical_topic_(std::move(canonical_topic)),
      audit_(audit),
      keys_(std::move(keys)),
      erasures_(prometheus::BuildCounter()
                    .Name("switchyard_erasures_total")
                    .Help("Erasures of a person (POST /v1/tenants/{tenant}/erasure), by outcome (ok, refused, failed)")
                    .Register(metrics.registry())) {}

void ErasureHandler::finish(const Job& job, http::Response response, std::string details_json) {
  const std::string outcome(audit_outcome(response.status));
  erasures_.Add({{"outcome", outcome}}).Increment();
  if (job.actor.empty()) return job.respond(std::move(response));
  AuditRecord record{job.actor, "erasure", job.tenant, outcome,
                     details_json.empty() ? status_details(response.status) : std::move(details_json)};
  respond_when_recorded(audit_, std::move(record), std::move(response), job.respond);
}

void ErasureHandler::handle(http::Request&& request, http::Responder respond) {
  auto job = std::make_shared<Job>();
  const ApiToken* token = presented_token(route_.api_tokens, request.header("Authorization"));
  if (token != nullptr) job->actor = token_actor(*token);
  const auto tenant = request.params.find("tenant");
  if (tenant != request.params.end()) job->tenant = tenant->second.substr(0, 128);
  job->respond = std::move(respond);
  const auto target = route_.admit(request, [this, job](http::Response r) { finish(*job, std::move(r)); });
  if (!target) return;
  job->psa = target->tenant->psa;
  auto subject = parse_erasure_request(request.body);
  if (!subject) return finish(*job, route_.reject(400, subject.error().code, subject.error().message));
  job->subject = std::move(*subject);
  const bool queued = worker_.submit(
      [this, job](RedisClient& redis) { run(redis, job); },
      [this, job] { finish(*job, route_.reject(503, "shutting_down", "ingest is stopping; ask again")); });
  if (!queued) finish(*job, route_.reject(503, "busy", "too many requests are waiting; ask again shortly"));
}

void ErasureHandler::run(RedisClient& redis, const std::shared_ptr<Job>& job) {
  ErasureEvent event;
  event.tenant = job->tenant;
  event.psa = job->psa;
  event.erasure_id = "er-" + crypto::random_hex(8);
  event.requested_at = now_rfc3339();
  event.contact_id = job->subject.contact_id;
  if (!job->subject.email.empty()) event.email_sha256 = email_sha256(job->subject.email);

  // The audit record names the person only by keyed hashes: an auditor holding the keyring can
  // check a given e-mail against it; nobody else can read or guess it from the record.
  const SecretKeyring& keys = redis.at_rest_keys();
  JsonWriter details;
  details.begin_object().field("erasure_id", event.erasure_id).field("hmac_key_id", keys.current_id());
  if (!event.contact_id.empty()) details.field("contact_id_hmac_sha256", keys.keyed_hash(kHashPurpose, event.contact_id));
  if (!job->subject.email.empty()) details.field("email_hmac_sha256", keys.keyed_hash(kHashPurpose, job->subject.email));

  auto report = PersonEraser(redis, keys_).erase(job->tenant, job->subject);
  if (!report) {
    log::error("erasure failed", {{"tenant", job->tenant}, {"erasure_id", event.erasure_id}, {"error", report.error().message}});
    details.field("step", "redis").end_object();
    auto r = route_.reject(503, report.error().code, "the person could not be removed from Redis; ask again");
    r.headers.emplace_back("Retry-After", "5");
    return finish(*job, std::move(r), details.take());
  }
  const std::string removed = removed_json(*report);
  details.key("removed").raw(removed);

  const std::string key = erasure_event_key(event);
  JsonWriter answer;
  answer.begin_object().field("tenant", job->tenant).field("erasure_id", event.erasure_id).key("removed").raw(removed);
  answer.key("event").begin_object().field("topic", canonical_topic_).field("key", key).end_object().end_object();
  producer_.produce(canonical_topic_, key, to_json(event), erasure_event_headers(event),
                    [this, job, erasure_id = event.erasure_id, details = std::make_shared<JsonWriter>(std::move(details)),
                     answer = answer.take()](const DeliveryResult& delivery) {
                      details->field("event", delivery.ok ? "published" : "not_published").end_object();
                      if (!delivery.ok) {
                        log::error("erasure event not published: kafka did not acknowledge",
                                   {{"tenant", job->tenant}, {"erasure_id", erasure_id}, {"error", delivery.error}});
                        auto r = route_.reject(503, "kafka_unavailable",
                                               "the person was removed from Redis but the erasure event was not "
                                               "published; ask again");
                        r.headers.emplace_back("Retry-After", "5");
                        return finish(*job, std::move(r), details->take());
                      }
                      log::info("person erased", {{"tenant", job->tenant}, {"erasure_id", erasure_id}});
                      finish(*job, http::json_response(200, answer), details->take());
                    });
}

}  // namespace switchyard::ingest
