#include "ingest/activity_handler.h"

#include <charconv>

#include "common/activity_log.h"
#include "common/activity_view.h"
#include "common/json_writer.h"
#include "common/sync_health.h"

namespace switchyard::ingest {
namespace {

// The query of either route; a refusal names the parameter.
Result<ActivityQuery> query_of(const http::Request& request, const std::string& tenant, bool dead_letters) {
  ActivityQuery query;
  query.tenant = tenant;
  query.dead_letters = dead_letters;
  query.kind = request.query_param("kind");
  query.outcome = request.query_param("outcome");
  query.reason = request.query_param("reason");
  query.since = request.query_param("since");
  query.cursor = request.query_param("cursor");
  const std::string problems = request.query_param("problems");
  if (!problems.empty() && (dead_letters || (problems != "true" && problems != "false"))) {
    return make_error("invalid_request", dead_letters ? "problems: not a filter of dead letters" : "problems: must be true or false");
  }
  query.problems = problems == "true";
  if (const std::string limit = request.query_param("limit"); !limit.empty()) {
    size_t n = 0;
    const auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc{} || end != limit.data() + limit.size()) return make_error("invalid_request", "limit: must be 1 to 500");
    query.limit = n;
  }
  if (auto valid = validate_activity_query(query); !valid) return valid.error();
  return query;
}

// The dead letters' page: each record with "replayed_at" when it was replayed (one HMGET).
Result<std::string> dead_letters_json(RedisClient& redis, const std::string& tenant, const ActivityPage& page) {
  std::vector<std::string> places;
  std::vector<std::string> argv{"HMGET", replayed_dead_letters_key(tenant)};
  for (const auto& json : page.records) {
    auto record = activity_from_json(json);
    places.push_back(record ? record->dead_letter : std::string());
    argv.push_back(places.back().empty() ? std::string("-") : places.back());
  }
  std::vector<RedisReply> replayed;
  if (!page.records.empty()) {
    auto reply = redis.command(argv);
    if (!reply || reply->type != RedisReply::Type::Array) {
      return make_error("redis_unavailable", "the activity store (Redis) did not answer");
    }
    replayed = std::move(reply->elements);
  }
  JsonWriter w;
  w.begin_object().field("tenant", tenant).key("dead_letters").begin_array();
  for (size_t i = 0; i < page.records.size(); ++i) {
    const std::string& json = page.records[i];
    if (i < replayed.size() && replayed[i].type == RedisReply::Type::String && json.size() > 1 && json.back() == '}') {
      std::string with = json.substr(0, json.size() - 1);
      with.append(",\"replayed_at\":");
      append_json_string(with, replayed[i].str);
      with.push_back('}');
      w.raw(with);
    } else {
      w.raw(json);
    }
  }
  w.end_array();
  if (!page.next_cursor.empty()) w.field("next_cursor", page.next_cursor);
  w.end_object();
  return w.take();
}

}  // namespace

ActivityHandler::ActivityHandler(TenantAdminRoute route, RedisWorker& redis, View view)
    : route_(std::move(route)), redis_(redis), view_(view) {}

void ActivityHandler::handle(http::Request&& request, http::Responder respond) {
  const auto target = route_.admit(request, respond);
  if (!target) return;
  if (view_ == View::Health) return health(target->tenant, std::move(respond));
  const bool dead_letters = view_ == View::DeadLetters;
  auto query = query_of(request, target->tenant->id, dead_letters);
  if (!query) return respond(route_.reject(400, query.error().code, query.error().message));
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  const TenantAdminRoute& route = route_;
  const bool queued = redis_.submit(
      [shared, query = std::move(*query), dead_letters, &route](RedisClient& redis) {
        auto page = read_activity(redis, query);
        if (!page) return (*shared)(route.reject(503, page.error().code, page.error().message));
        if (!dead_letters) return (*shared)(http::json_response(200, activity_page_json(query.tenant, *page)));
        auto body = dead_letters_json(redis, query.tenant, *page);
        if (!body) return (*shared)(route.reject(503, body.error().code, body.error().message));
        (*shared)(http::json_response(200, std::move(*body)));
      },
      [shared, &route] { (*shared)(route.reject(503, "shutting_down", "ingest is stopping; ask again")); });
  if (!queued) (*shared)(route_.reject(503, "busy", "too many activity reads are waiting; ask again shortly"));
}

void ActivityHandler::health(const TenantRef& tenant, http::Responder respond) {
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  const TenantAdminRoute& route = route_;
  const std::string id = tenant->id;
  const auto threshold = std::chrono::duration_cast<std::chrono::seconds>(tenant->silence_threshold);
  const bool queued = redis_.submit(
      [shared, id, threshold, &route](RedisClient& redis) {
        auto health = read_sync_health(redis, id);
        if (!health) return (*shared)(route.reject(503, health.error().code, health.error().message));
        (*shared)(http::json_response(200, sync_health_json(id, *health, threshold, std::chrono::system_clock::now())));
      },
      [shared, &route] { (*shared)(route.reject(503, "shutting_down", "ingest is stopping; ask again")); });
  if (!queued) (*shared)(route_.reject(503, "busy", "too many reads are waiting; ask again shortly"));
}

}  // namespace switchyard::ingest
