#include "ingest/adoption_handler.h"

#include "common/adoption.h"
#include "common/json_writer.h"

namespace switchyard::ingest {

AdoptionHandler::AdoptionHandler(TenantAdminRoute route, RedisWorker& redis) : route_(std::move(route)), redis_(redis) {}

void AdoptionHandler::handle(http::Request&& request, http::Responder respond) {
  const auto target = route_.admit(request, respond);
  if (!target) return;
  read({target->tenant->id}, true, std::move(respond));
}

void AdoptionHandler::all(http::Request&& request, http::Responder respond) {
  const ApiToken* token = route_.admit_token(request, respond);
  if (token == nullptr) return;
  std::vector<std::string> tenants;
  for (const Tenant& tenant : route_.tenants.snapshot()->all()) {
    if (token->allows_tenant(tenant.id)) tenants.push_back(tenant.id);
  }
  read(std::move(tenants), false, std::move(respond));
}

void AdoptionHandler::read(std::vector<std::string> tenants, bool one, http::Responder respond) {
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  const TenantAdminRoute& route = route_;
  const bool queued = redis_.submit(
      [shared, tenants = std::move(tenants), one, &route](RedisClient& redis) {
        auto read = read_adoptions(redis, tenants);
        if (!read) return (*shared)(route.reject(503, read.error().code, read.error().message));
        if (one) return (*shared)(http::json_response(200, adoption_json(tenants.front(), read->front())));
        JsonWriter w;
        w.begin_object().key("tenants").begin_array();
        for (size_t i = 0; i < tenants.size(); ++i) w.raw(adoption_json(tenants[i], (*read)[i]));
        w.end_array().end_object();
        (*shared)(http::json_response(200, w.take()));
      },
      [shared, &route] { (*shared)(route.reject(503, "shutting_down", "ingest is stopping; ask again")); });
  if (!queued) (*shared)(route_.reject(503, "busy", "too many reads are waiting; ask again shortly"));
}

}  // namespace switchyard::ingest
