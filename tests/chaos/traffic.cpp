#include "traffic.h"

#include <random>

#include "chaos_stack.h"
#include "common/json_writer.h"
#include "traffic_support.h"

namespace switchyard::chaos {

using namespace std::chrono_literals;

Traffic::Traffic(TrafficOptions options, Ledger& ledger) : options_(std::move(options)), ledger_(ledger) {}

Traffic::~Traffic() { stop(0ms); }

void Traffic::start() {
  threads_.emplace_back([this] { connectwise_stream(); });
  threads_.emplace_back([this] { autotask_stream(); });
  threads_.emplace_back([this] { command_stream(); });
}

void Traffic::stop(std::chrono::milliseconds grace) {
  give_up_at_ms_ = std::min<int64_t>(give_up_at_ms_.load(), now_ms() + grace.count());
  stopping_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Traffic::command_stream() {
  std::mt19937_64 rng(options_.seed * 3 + 3);
  std::uniform_real_distribution<double> roll(0.0, 1.0);
  http::HttpClient ingest;
  std::deque<std::pair<std::string, int>> refs;  // ticket references and their last version
  const std::string url = options_.ingest_api_url + "/v1/tenants/" + kAtTenant + "/commands";
  Pacer pacer(options_.commands_per_second);
  int n = 0;
  while (!stopping_) {
    pacer.wait();
    const double r = roll(rng);
    const std::string id = "chaos-" + options_.run_id + "-" + std::to_string(++n);
    AcceptedCommand c{id, "ticket.upsert", "", 0};
    JsonWriter w;
    w.begin_object().field("command_version", 1).field("id", id).field("tenant", kAtTenant);
    if (r < 0.75) {
      std::string title;
      if (r < 0.2 && !refs.empty()) {  // a new version of a ticket made before
        auto& [ref, version] = refs[rng() % refs.size()];
        c.external_ref = ref;
        title = "chaos cmd " + ref + " v" + std::to_string(++version);
      } else {
        c.external_ref = "chaos-" + options_.run_id + "-alert-" + std::to_string(n);
        title = "chaos cmd " + c.external_ref + " v1";
        keep(refs, std::pair<std::string, int>{c.external_ref, 1});
      }
      w.field("type", c.type)
          .key("payload")
          .begin_object()
          .field("external_ref", c.external_ref)
          .field("title", title)
          .field("priority", r < 0.4 ? "high" : "medium")
          .end_object();
    } else {
      c.type = "billing_line.add";
      c.external_ref = "chaos-" + options_.run_id + "-usage-" + std::to_string(n);
      w.field("type", c.type)
          .key("payload")
          .begin_object()
          .field("external_ref", c.external_ref)
          .field("agreement_id", 200)
          .field("description", billing_description(c.external_ref))
          .field("quantity", static_cast<int64_t>(1 + rng() % 5))
          .field("unit_price", 1.5)
          .end_object();
    }
    w.end_object();
    auto accepted = deliver(
        ingest,
        {.method = "POST",
         .url = url,
         .headers = {{"Content-Type", "application/json"}, {"Authorization", std::string("Bearer ") + kApiToken}},
         .body = w.take(),
         .timeout = 15s},
        give_up_at_ms_, refused_, given_up_);
    if (!accepted) continue;
    c.at_ms = now_ms();
    ledger_.command_accepted(std::move(c));
  }
}

}  // namespace switchyard::chaos
