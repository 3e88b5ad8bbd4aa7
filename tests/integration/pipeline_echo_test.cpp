// Echoes: a change that Switchyard's own write caused (dispatch leaves an echo mark) comes back
// by webhook marked with the command's id, and a tenant with suppress_echoes does not get it.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "common/canonical.h"
#include "common/echo_marks.h"
#include "common/redis_client.h"
#include "common/topics.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class PipelineEchoTest : public ::testing::Test {
 protected:
  explicit PipelineEchoTest(std::string policies = {})
      : stack_(StackOptions{.dispatch = false, .connectwise_sync_policies = std::move(policies)}) {}

  // A sandbox ticket, announced by a signed callback; returns its id. With `command_id`, the
  // ticket is first marked as dispatch marks what it wrote: its callback is then an echo.
  std::string post_ticket(const std::string& summary, const std::string& command_id = {}) {
    const std::string ticket =
        stack_.psa().upsert_record("connectwise", "tickets", R"({"summary":")" + summary + R"("})");
    simdjson::dom::parser parser;
    const std::string id = std::to_string(parser.parse(ticket)["id"].get_int64().value());
    if (!command_id.empty()) {
      RedisClient redis(stack_.redis().settings());
      EchoMarks marks(redis, std::chrono::seconds(300));
      EXPECT_TRUE(marks.record({{"acme", "ticket", id}}, command_id).ok());
    }
    auto r = stack_.post_connectwise_callback(connectwise_ticket_callback(ticket));
    EXPECT_TRUE(r.ok() && r->status == 202);
    return id;
  }

  std::map<std::string, canonical::Event> tickets_by_id() {
    EXPECT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-normalize", std::string(topics::kRaw)));
    std::map<std::string, canonical::Event> out;
    for (const auto& m : read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical))) {
      auto e = canonical::event_from_json(m.value);
      if (e && std::holds_alternative<canonical::Ticket>(e->record)) {
        out.emplace(canonical::base_of(e->record).source.id, std::move(*e));
      }
    }
    return out;
  }

  PipelineStack stack_;
};

TEST_F(PipelineEchoTest, TheChangeAWriteCausedComesBackMarkedWithItsCommand) {
  const std::string echoed = post_ticket("Opened by the vendor", "cmd-7f3a");
  const std::string own = post_ticket("Opened by the MSP");
  const auto tickets = tickets_by_id();
  ASSERT_TRUE(tickets.contains(echoed));
  EXPECT_EQ(tickets.at(echoed).caused_by_command, std::optional<std::string>("cmd-7f3a"));
  ASSERT_TRUE(tickets.contains(own));
  EXPECT_FALSE(tickets.at(own).caused_by_command.has_value());
}

class PipelineEchoSuppressedTest : public PipelineEchoTest {
 protected:
  PipelineEchoSuppressedTest() : PipelineEchoTest(R"({"policies":"all","suppress_echoes":true})") {}
};

TEST_F(PipelineEchoSuppressedTest, ATenantThatSuppressesEchoesDoesNotGetThem) {
  const std::string echoed = post_ticket("Opened by the vendor", "cmd-91bc");
  const std::string own = post_ticket("Opened by the MSP");
  const auto tickets = tickets_by_id();
  EXPECT_FALSE(tickets.contains(echoed)) << "an echo, held back";
  EXPECT_TRUE(tickets.contains(own));
  EXPECT_EQ(metric_value(stack_.normalize().metrics().serialize(),
                         R"(switchyard_normalize_suppressed_total{reason="echo",tenant="acme"})"),
            1);
}

}  // namespace
}  // namespace switchyard::testing
