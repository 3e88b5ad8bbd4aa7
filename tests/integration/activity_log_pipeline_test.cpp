// ActivityLog::stage and finish, normalize's way of writing a batch's records in a pipeline it
// shares with the done marks: the records land in the tenant's streams and on the history topic
// as flush() writes them, and only the activity's own replies count as its write errors.
#include <gtest/gtest.h>

#include "common/activity_log.h"
#include "common/metrics.h"
#include "common/resp_encode.h"
#include "support/embedded_kafka.h"
#include "support/kafka_helpers.h"
#include "support/redis_server.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

ActivityRecord inbound(std::string_view outcome, std::string psa_id) {
  ActivityRecord r;
  r.tenant = "acme";
  r.kind = activity::kInbound;
  r.entity = "ticket";
  r.psa_id = std::move(psa_id);
  r.outcome = outcome;
  r.message = "published the change";
  return r;
}

int64_t stream_length(RedisClient& redis, const std::string& key) {
  auto reply = redis.command({"XLEN", key});
  return reply ? reply->integer : -1;
}

class ActivityLogPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override { kafka_.create_topic("activity", 1); }

  bool redis_error_counted() const {
    return metrics_.serialize().find("switchyard_activity_write_errors_total{sink=\"redis\"} 1") != std::string::npos;
  }

  EmbeddedKafka kafka_;
  RedisServer server_;
  RedisClient redis_{server_.settings()};
  std::unique_ptr<KafkaProducer> producer_ = make_producer(settings_for(kafka_));
  Metrics metrics_;
  ActivityMetrics activity_metrics_{metrics_};
  ActivitySettings settings_{.topic = "activity"};
  ActivityLog log_{settings_, "normalize", redis_, *producer_, activity_metrics_};
};

TEST_F(ActivityLogPipelineTest, StagedRecordsAreWrittenWithAnotherWritersCommands) {
  ASSERT_TRUE(redis_.command({"SET", "not-a-number", "x"}));
  ActivityRecord dead = inbound(activity::kDeadLettered, "43");
  dead.reason = "unmappable";
  dead.dead_letter = "switchyard.raw.dlq/0/7";
  log_.add(inbound(activity::kEmitted, "42"));
  log_.add(dead);

  RespPipeline pipeline;
  pipeline.add("INCR", "not-a-number");  // another writer's command, whose error is not ours
  const ActivityLog::Staged staged = log_.stage(pipeline);
  pipeline.add("INCR", "not-a-number");
  EXPECT_EQ(staged.first, 1u);
  EXPECT_EQ(staged.records, 2u);
  EXPECT_EQ(staged.end, pipeline.size() - 1);
  log_.finish(staged, redis_.pipeline(pipeline));

  EXPECT_EQ(stream_length(redis_, activity_stream_key("acme")), 2);
  EXPECT_EQ(stream_length(redis_, activity_problems_key("acme")), 1);
  EXPECT_EQ(stream_length(redis_, activity_dead_letters_key("acme")), 1);
  EXPECT_FALSE(redis_error_counted());
  const auto history = read_topic(kafka_.bootstrap(), "activity", 2, std::chrono::seconds(10));
  ASSERT_EQ(history.size(), 2u);
  auto first = activity_from_json(history[0].value);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->psa_id, "42");
  EXPECT_EQ(first->service, "normalize");

  // Nothing pending: nothing staged, and finishing it counts nothing.
  RespPipeline empty;
  const ActivityLog::Staged none = log_.stage(empty);
  EXPECT_EQ(none.records, 0u);
  EXPECT_TRUE(empty.empty());
}

TEST_F(ActivityLogPipelineTest, AFailedRoundTripCountsAWriteError) {
  log_.add(inbound(activity::kEmitted, "44"));
  RespPipeline pipeline;
  const ActivityLog::Staged staged = log_.stage(pipeline);
  server_.stop();
  log_.finish(staged, redis_.pipeline(pipeline));
  EXPECT_TRUE(redis_error_counted());
}

}  // namespace
}  // namespace switchyard::testing
