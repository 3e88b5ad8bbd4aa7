// The webhook streams of the chaos traffic (traffic.h): records created and updated in the
// sandbox, delivered to ingest as each PSA delivers them, signed as each PSA signs them.
#include <cstdio>
#include <random>

#include "chaos_stack.h"
#include "common/json_writer.h"
#include "support/reference_signatures.h"
#include "traffic.h"
#include "traffic_support.h"

namespace switchyard::chaos {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr double kRedeliver = 0.07;  // share of deliveries that repeat an accepted webhook
constexpr double kUpdate = 0.30;     // share (cumulative) that update a record instead of creating one

struct Recent {
  int64_t id = 0;
  int number = 0;
  int version = 1;
  Clock::time_point changed;
};

// A change delivered earlier, to deliver again.
struct Delivered {
  std::string title;
  std::string body;
  std::string signature;
};

}  // namespace

void Traffic::connectwise_stream() {
  std::mt19937_64 rng(options_.seed * 3 + 1);
  std::uniform_real_distribution<double> roll(0.0, 1.0);
  http::HttpClient sandbox, ingest;
  std::deque<Recent> recent;
  std::deque<Delivered> delivered;
  const std::string url = options_.ingest_webhook_url + "/v1/webhooks/connectwise/" + kCwTenant;
  Pacer pacer(options_.webhooks_per_second);
  int created = 0;
  while (!stopping_) {
    pacer.wait();
    const double r = roll(rng);
    Delivered d;
    if (r < kRedeliver && !delivered.empty()) {
      d = delivered[rng() % delivered.size()];  // ConnectWise retrying a delivery
    } else {
      std::string record, action = "updated";
      Recent* old = recent.empty() ? nullptr : &recent[rng() % recent.size()];
      // lastUpdated has whole seconds: a version must be over a second younger than the last.
      if (r < kUpdate && old != nullptr && Clock::now() - old->changed > 1100ms) {
        ++old->version;
        old->changed = Clock::now();
        d.title = "chaos cw " + std::to_string(old->number) + " v" + std::to_string(old->version);
        record = upsert_record(sandbox, options_.sandbox_url, "connectwise/tickets",
                               R"({"id":)" + std::to_string(old->id) + R"(,"summary":")" + d.title + R"("})");
      } else {
        const int number = ++created;
        d.title = "chaos cw " + std::to_string(number) + " v1";
        action = "added";
        record = upsert_record(
            sandbox, options_.sandbox_url, "connectwise/tickets",
            R"({"summary":")" + d.title +
                R"(","board":{"id":1,"name":"Service Board"},)"
                R"("status":{"id":1,"name":"New"},"company":{"id":1,"identifier":"AcmeCorp","name":"AcmeCorp"}})");
        if (!record.empty()) keep(recent, Recent{id_of(record), number, 1, Clock::now()});
      }
      if (record.empty()) continue;
      JsonWriter w;
      w.begin_object()
          .field("MessageId", "6a0c9b9e-3f4c-4b2a-9d7e-" + std::to_string(1000000000000 + rng() % 1000000000))
          .field("FromUrl", "sandbox.local")
          .field("CompanyId", "switchyard_demo")
          .field("MemberId", "chaos")
          .field("Action", action)
          .field("Type", "ticket")
          .field("ID", id_of(record))
          .field("Entity", record)
          .end_object();
      d.body = w.take();
      d.signature = testing::cw_signature("demo-signing-key", d.body);
    }
    if (deliver_webhook(ingest, url, "x-content-signature", "connectwise", d.title, d.body, d.signature)) keep(delivered, d);
  }
}

bool Traffic::deliver_webhook(http::HttpClient& ingest, const std::string& url, const std::string& signature_header,
                              const std::string& psa, const std::string& title, const std::string& body,
                              const std::string& signature) {
  auto accepted = deliver(ingest,
                          {.method = "POST",
                           .url = url,
                           .headers = {{"Content-Type", "application/json"}, {signature_header, signature}},
                           .body = body,
                           .timeout = 15s},
                          give_up_at_ms_, refused_, given_up_);
  if (!accepted) return false;
  auto keys = idempotency_keys(*accepted);
  if (keys.empty()) {  // nothing to look for on the canonical topic: the check would be blind
    if (refused_.fetch_add(1) < 5) std::fprintf(stderr, "chaos: a 202 without idempotency keys: %.300s\n", accepted->c_str());
    return false;
  }
  ledger_.webhook_accepted({psa, title, std::move(keys), now_ms()});
  return true;
}

void Traffic::autotask_stream() {
  std::mt19937_64 rng(options_.seed * 3 + 2);
  std::uniform_real_distribution<double> roll(0.0, 1.0);
  http::HttpClient sandbox, ingest;
  std::deque<Recent> recent;
  std::deque<Delivered> delivered;
  const std::string url = options_.ingest_webhook_url + "/v1/webhooks/autotask/" + kAtTenant;
  Pacer pacer(options_.webhooks_per_second);
  int created = 0, sequence = 0;
  while (!stopping_) {
    pacer.wait();
    const double r = roll(rng);
    Delivered d;
    if (r < kRedeliver && !delivered.empty()) {
      d = delivered[rng() % delivered.size()];  // Autotask retrying a delivery
    } else {
      std::string record, action = "Update";
      Recent* old = recent.empty() ? nullptr : &recent[rng() % recent.size()];
      if (r < kUpdate && old != nullptr) {  // lastActivityDate has milliseconds
        ++old->version;
        d.title = "chaos at " + std::to_string(old->number) + " v" + std::to_string(old->version);
        record = upsert_record(sandbox, options_.sandbox_url, "autotask/Tickets",
                               R"({"id":)" + std::to_string(old->id) + R"(,"title":")" + d.title + R"("})");
      } else {
        const int number = ++created;
        d.title = "chaos at " + std::to_string(number) + " v1";
        action = "Create";
        record = upsert_record(sandbox, options_.sandbox_url, "autotask/Tickets",
                               R"({"title":")" + d.title + R"(","companyID":100,"status":1,"priority":2,"queueID":8})");
        if (!record.empty()) keep(recent, Recent{id_of(record), number, 1, Clock::now()});
      }
      if (record.empty()) continue;
      JsonWriter w;
      w.begin_object()
          .field("Action", action)
          .field("Guid", "5f2e8c1a-3b4d-4e6f-8a9b-" + std::to_string(100000000000 + rng() % 100000000))
          .field("EntityType", "Ticket")
          .field("Id", id_of(record))
          .key("Fields")
          .raw(record)
          .field("EventTime", iso_now())
          .field("SequenceNumber", ++sequence)
          .field("PersonID", 1)
          .end_object();
      d.body = w.take();
      d.signature = testing::at_signature(kAtWebhookSecret, d.body);
    }
    if (deliver_webhook(ingest, url, "X-Hook-Signature", "autotask", d.title, d.body, d.signature)) keep(delivered, d);
  }
}

}  // namespace switchyard::chaos
