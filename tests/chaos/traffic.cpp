#include "traffic.h"

#include <simdjson.h>

#include <cstdio>
#include <deque>
#include <random>

#include "chaos_stack.h"
#include "common/http_client.h"
#include "common/json_writer.h"
#include "support/reference_signatures.h"

namespace switchyard::chaos {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr double kRedeliver = 0.07;  // share of deliveries that repeat an accepted webhook
constexpr double kUpdate = 0.30;     // share (cumulative) that update a record instead of creating one
constexpr size_t kRecent = 40;       // records and bodies kept for updates and redeliveries

// Paces a stream at `per_second` without bursting to catch up after a slow delivery.
class Pacer {
 public:
  explicit Pacer(double per_second) : interval_(std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(1.0 / per_second))) {}
  void wait() {
    next_ = std::max(next_ + interval_, Clock::now());
    std::this_thread::sleep_until(next_);
  }

 private:
  Clock::duration interval_;
  Clock::time_point next_ = Clock::now();
};

std::string iso_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

int64_t id_of(const std::string& record) {
  simdjson::dom::parser parser;
  int64_t id = 0;
  if (parser.parse(record)["id"].get(id) != simdjson::SUCCESS) return 0;
  return id;
}

std::vector<std::string> idempotency_keys(const std::string& accepted_body) {
  std::vector<std::string> keys;
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(accepted_body)["idempotency_keys"].get(array) != simdjson::SUCCESS) return keys;
  for (auto k : array) {
    std::string_view s;
    if (k.get(s) == simdjson::SUCCESS) keys.emplace_back(s);
  }
  return keys;
}

// A record created or updated in the sandbox through its control endpoint; empty on failure.
std::string upsert(http::HttpClient& client, const std::string& sandbox, const std::string& entity,
                   const std::string& json) {
  auto r = client.send({.method = "POST", .url = sandbox + "/_sandbox/records/" + entity, .body = json, .timeout = 5s});
  return r.ok() && r->status == 200 ? r->body : std::string();
}

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

template <class T>
void keep(std::deque<T>& items, T item) {
  items.push_back(std::move(item));
  if (items.size() > kRecent) items.pop_front();
}

}  // namespace

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

namespace {

// Retries one delivery until ingest answers 202, like a PSA or the vendor platform would.
// Returns the 202 body, or nothing when refused or given up.
std::optional<std::string> deliver(http::HttpClient& client, const http::ClientRequest& request,
                                   const std::atomic<int64_t>& give_up_at_ms, std::atomic<size_t>& refused,
                                   std::atomic<size_t>& given_up) {
  auto backoff = 200ms;
  for (;;) {
    auto r = client.send(request);
    if (r.ok() && r->status == 202) return r->body;
    if (r.ok() && r->status >= 400 && r->status < 500 && r->status != 408 && r->status != 429) {
      if (refused.fetch_add(1) < 5) {
        std::fprintf(stderr, "chaos: %s answered %d: %.300s\n", request.url.c_str(), r->status, r->body.c_str());
      }
      return std::nullopt;
    }
    if (now_ms() >= give_up_at_ms.load()) {
      ++given_up;
      return std::nullopt;
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, 2000ms);
  }
}

}  // namespace

void Traffic::connectwise_stream() {
  std::mt19937_64 rng(options_.seed * 3 + 1);
  std::uniform_real_distribution<double> roll(0.0, 1.0);
  http::HttpClient sandbox, ingest;
  std::deque<Recent> recent;
  std::deque<Delivered> delivered;
  const std::string url = options_.ingest_url + "/v1/webhooks/connectwise/" + kCwTenant;
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
        record = upsert(sandbox, options_.sandbox_url, "connectwise/tickets",
                        R"({"id":)" + std::to_string(old->id) + R"(,"summary":")" + d.title + R"("})");
      } else {
        const int number = ++created;
        d.title = "chaos cw " + std::to_string(number) + " v1";
        action = "added";
        record = upsert(sandbox, options_.sandbox_url, "connectwise/tickets",
                        R"({"summary":")" + d.title + R"(","board":{"id":1,"name":"Service Board"},)"
                        R"("status":{"id":1,"name":"New"},"company":{"id":1,"identifier":"AcmeCorp","name":"AcmeCorp"}})");
        if (!record.empty()) keep(recent, Recent{id_of(record), number, 1, Clock::now()});
      }
      if (record.empty()) continue;
      JsonWriter w;
      w.begin_object().field("MessageId", "6a0c9b9e-3f4c-4b2a-9d7e-" + std::to_string(1000000000000 + rng() % 1000000000))
          .field("FromUrl", "sandbox.local").field("CompanyId", "switchyard_demo").field("MemberId", "chaos")
          .field("Action", action).field("Type", "ticket").field("ID", id_of(record)).field("Entity", record).end_object();
      d.body = w.take();
      d.signature = testing::cw_signature("demo-signing-key", d.body);
    }
    auto accepted = deliver(ingest,
                            {.method = "POST", .url = url,
                             .headers = {{"Content-Type", "application/json"}, {"x-content-signature", d.signature}},
                             .body = d.body, .timeout = 15s},
                            give_up_at_ms_, refused_, given_up_);
    if (!accepted) continue;
    ledger_.webhook_accepted({"connectwise", d.title, idempotency_keys(*accepted), now_ms()});
    keep(delivered, d);
  }
}

void Traffic::autotask_stream() {
  std::mt19937_64 rng(options_.seed * 3 + 2);
  std::uniform_real_distribution<double> roll(0.0, 1.0);
  http::HttpClient sandbox, ingest;
  std::deque<Recent> recent;
  std::deque<Delivered> delivered;
  const std::string url = options_.ingest_url + "/v1/webhooks/autotask/" + kAtTenant;
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
        record = upsert(sandbox, options_.sandbox_url, "autotask/Tickets",
                        R"({"id":)" + std::to_string(old->id) + R"(,"title":")" + d.title + R"("})");
      } else {
        const int number = ++created;
        d.title = "chaos at " + std::to_string(number) + " v1";
        action = "Create";
        record = upsert(sandbox, options_.sandbox_url, "autotask/Tickets",
                        R"({"title":")" + d.title + R"(","companyID":100,"status":1,"priority":2,"queueID":8})");
        if (!record.empty()) keep(recent, Recent{id_of(record), number, 1, Clock::now()});
      }
      if (record.empty()) continue;
      JsonWriter w;
      w.begin_object().field("Action", action).field("Guid", "5f2e8c1a-3b4d-4e6f-8a9b-" + std::to_string(100000000000 + rng() % 100000000))
          .field("EntityType", "Ticket").field("Id", id_of(record)).key("Fields").raw(record)
          .field("EventTime", iso_now()).field("SequenceNumber", ++sequence).field("PersonID", 1).end_object();
      d.body = w.take();
      d.signature = testing::at_signature(kAtWebhookSecret, d.body);
    }
    auto accepted = deliver(ingest,
                            {.method = "POST", .url = url,
                             .headers = {{"Content-Type", "application/json"}, {"X-Hook-Signature", d.signature}},
                             .body = d.body, .timeout = 15s},
                            give_up_at_ms_, refused_, given_up_);
    if (!accepted) continue;
    ledger_.webhook_accepted({"autotask", d.title, idempotency_keys(*accepted), now_ms()});
    keep(delivered, d);
  }
}

void Traffic::command_stream() {
  std::mt19937_64 rng(options_.seed * 3 + 3);
  std::uniform_real_distribution<double> roll(0.0, 1.0);
  http::HttpClient ingest;
  std::deque<std::pair<std::string, int>> refs;  // ticket references and their last version
  const std::string url = options_.ingest_url + "/v1/tenants/" + kAtTenant + "/commands";
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
      w.field("type", c.type).key("payload").begin_object().field("external_ref", c.external_ref)
          .field("title", title).field("priority", r < 0.4 ? "high" : "medium").end_object();
    } else {
      c.type = "billing_line.add";
      c.external_ref = "chaos-" + options_.run_id + "-usage-" + std::to_string(n);
      w.field("type", c.type).key("payload").begin_object().field("external_ref", c.external_ref)
          .field("agreement_id", 200).field("description", billing_description(c.external_ref))
          .field("quantity", static_cast<int64_t>(1 + rng() % 5)).field("unit_price", 1.5).end_object();
    }
    w.end_object();
    auto accepted = deliver(ingest,
                            {.method = "POST", .url = url,
                             .headers = {{"Content-Type", "application/json"},
                                         {"Authorization", std::string("Bearer ") + kApiToken}},
                             .body = w.take(), .timeout = 15s},
                            give_up_at_ms_, refused_, given_up_);
    if (!accepted) continue;
    c.at_ms = now_ms();
    ledger_.command_accepted(std::move(c));
  }
}

}  // namespace switchyard::chaos
