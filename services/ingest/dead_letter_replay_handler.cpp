#include "ingest/dead_letter_replay_handler.h"

#include "common/log.h"

namespace switchyard::ingest {

DeadLetterReplayHandler::DeadLetterReplayHandler(TenantAdminRoute route, RedisWorker& worker,
                                                 const ServiceConfig& config, std::unique_ptr<KafkaReader> reader,
                                                 KafkaProducer& producer, Metrics& metrics)
    : route_(std::move(route)), worker_(worker), reader_(std::move(reader)), activity_metrics_(metrics) {
  if (reader_) replayer_ = std::make_unique<DeadLetterReplayer>(config, *reader_, producer, activity_metrics_);
}

void DeadLetterReplayHandler::handle(http::Request&& request, http::Responder respond) {
  const auto target = route_.admit(request, respond);
  if (!target) return;
  auto selection = replay_selection_from_json(request.body);
  if (!selection) return respond(route_.reject(400, selection.error().code, selection.error().message));
  if (!replayer_) return respond(route_.reject(503, "kafka_unavailable", "dead letters cannot be read: Kafka was unreachable"));
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  const std::string tenant = target->tenant->id;
  const bool queued = worker_.submit(
      [this, shared, tenant, selection = std::move(*selection)](RedisClient& redis) {
        auto report = replayer_->replay(redis, tenant, selection);
        if (!report) return (*shared)(route_.reject(503, report.error().code, report.error().message));
        (*shared)(http::json_response(200, to_json(tenant, *report)));
      },
      [this, shared] { (*shared)(route_.reject(503, "shutting_down", "ingest is stopping; ask again")); });
  if (!queued) (*shared)(route_.reject(503, "busy", "too many requests are waiting; ask again shortly"));
}

}  // namespace switchyard::ingest
