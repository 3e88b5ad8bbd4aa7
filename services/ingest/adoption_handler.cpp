#include "ingest/adoption_handler.h"

#include "common/adoption.h"

namespace switchyard::ingest {

AdoptionHandler::AdoptionHandler(TenantAdminRoute route, RedisWorker& redis) : route_(std::move(route)), redis_(redis) {}

void AdoptionHandler::handle(http::Request&& request, http::Responder respond) {
  const auto target = route_.admit(request, respond);
  if (!target) return;
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  const TenantAdminRoute& route = route_;
  const bool queued = redis_.submit(
      [shared, id = target->tenant->id, &route](RedisClient& redis) {
        auto adoption = read_adoption(redis, id);
        if (!adoption) return (*shared)(route.reject(503, adoption.error().code, adoption.error().message));
        (*shared)(http::json_response(200, adoption_json(id, *adoption)));
      },
      [shared, &route] { (*shared)(route.reject(503, "shutting_down", "ingest is stopping; ask again")); });
  if (!queued) (*shared)(route_.reject(503, "busy", "too many reads are waiting; ask again shortly"));
}

}  // namespace switchyard::ingest
