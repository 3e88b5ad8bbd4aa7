// The poller over the real parts (redis-server, the embedded Kafka, the PSA sandbox over HTTP),
// in-process ingest services with their poll workers on:
//   - a delta larger than a turn's page budget, with ids in the opposite order of change
//     times, skips nothing (both PSAs);
//   - a backfill stopped mid-way resumes where it was in a new process, reading no page twice
//     but the one in flight;
//   - sync-now needs a token with scope sync for the tenant, and schedules a poll at once;
//     records named with it are imported by id as well;
//   - a throttled tenant (its PSA answers 429 + Retry-After) does not hold up another tenant,
//     even with one worker;
//   - two replicas share the tenants, and none polls an item twice in one interval.
// Timing assertions are loose (a loaded two-core machine, ASan): only orders of magnitude.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "common/api_tokens.h"
#include "common/crypto.h"
#include "common/envelope.h"
#include "common/http_client.h"
#include "common/redis_client.h"
#include "common/time_format.h"
#include "common/topics.h"
#include "connectors/registry.h"
#include "ingest/ingest_service.h"
#include "psa-sandbox/halopsa/halo_model.h"
#include "psa-sandbox/sandbox.h"
#include "support/activity_reader.h"
#include "support/embedded_kafka.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/redis_server.h"
#include "support/service_binary.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

using ingest::PollKind;
using ingest::PollTurn;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kSyncToken = "sync-token-0123456789abcdef";
constexpr std::string_view kCommandsToken = "commands-token-0123456789abcd";

struct TenantSpec {
  std::string id;
  std::string psa = "connectwise";
  int interval_seconds = 60;
  std::vector<std::string> entities = {"ticket"};
  double rps = 50;
  int burst = 50;
  std::string client_secret = std::string(sandbox::halopsa::kClientSecret);  // halopsa: what the tenant holds
};

// Every turn of every worker, from the on_turn hook (called on worker threads).
class TurnLog {
 public:
  std::function<void(const PollTurn&)> hook(int replica) {
    return [this, replica](const PollTurn& t) {
      std::lock_guard lock(mutex_);
      turns_.push_back({replica, t});
    };
  }
  std::vector<std::pair<int, PollTurn>> all() const {
    std::lock_guard lock(mutex_);
    return turns_;
  }
  // Turns matching, optionally of one replica.
  size_t count(const std::string& tenant, PollKind kind, const std::string& outcome, int replica = -1) const {
    std::lock_guard lock(mutex_);
    return static_cast<size_t>(std::count_if(turns_.begin(), turns_.end(), [&](const auto& rt) {
      return (replica < 0 || rt.first == replica) && (tenant.empty() || rt.second.tenant == tenant) &&
             rt.second.kind == kind && rt.second.outcome == outcome;
    }));
  }
  bool completed(const std::string& tenant, PollKind kind) const {
    std::lock_guard lock(mutex_);
    return std::any_of(turns_.begin(), turns_.end(), [&](const auto& rt) {
      return rt.second.tenant == tenant && rt.second.kind == kind && rt.second.outcome == "ok" && rt.second.complete;
    });
  }
  int pages(PollKind kind, int replica) const {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& [r, t] : turns_) {
      if (r == replica && t.kind == kind) n += t.pages;
    }
    return n;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<int, PollTurn>> turns_;
};

std::string id_of(const std::string& record) {
  simdjson::dom::parser parser;
  return std::to_string(parser.parse(record)["id"].get_int64().value());
}

class PollerTest : public ::testing::Test {
 protected:
  PollerTest() {
    dir_ = std::filesystem::temp_directory_path() / ("switchyard-poll-test-" + crypto::random_hex(6));
    std::filesystem::create_directories(dir_);
    kafka_.create_default_topics(2);
    sandbox_.start();
  }
  ~PollerTest() override {
    services_.clear();
    sandbox_.stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  void write_tenants(const std::vector<TenantSpec>& specs) {
    const sandbox::ConnectWiseCredentials cw;
    const sandbox::AutotaskCredentials at;
    std::string json = R"({"tenants": [)";
    for (size_t i = 0; i < specs.size(); ++i) {
      const TenantSpec& s = specs[i];
      if (i > 0) json += ",";
      json += R"({"id": ")" + s.id + R"(", "psa": ")" + s.psa + R"(", "allow_insecure_http": true,)";
      if (s.psa == "connectwise") {
        json += R"("base_url": ")" + sandbox_.connectwise_base_url() + R"(",)";
        json += R"("credentials": {"company_id": ")" + cw.company_id + R"(", "public_key": ")" + cw.public_key +
                R"(", "private_key": ")" + cw.private_key + R"(", "client_id": ")" + cw.client_id + R"("},)";
        json += R"("webhook_signing_secrets": [")" + cw.signing_key + R"("],)";
      } else if (s.psa == "halopsa") {
        json += R"("base_url": ")" + sandbox_.psa_base_url("halopsa") + R"(",)";
        json += R"("credentials": {"client_id": ")" + std::string(sandbox::halopsa::kClientId) +
                R"(", "client_secret": ")" + s.client_secret + R"("},)";
        json += R"("webhook_url_secrets": ["poller-test-url-secret-0123456789"],)";
      } else {
        json += R"("base_url": ")" + sandbox_.autotask_base_url() + R"(",)";
        json += R"("credentials": {"username": ")" + at.username + R"(", "secret": ")" + at.secret +
                R"(", "integration_code": ")" + at.integration_code + R"("},)";
        json += R"("webhook_signing_secrets": [")" + at.webhook_secret + R"("],)";
        json += R"("options": {"default_company_id": "100", "default_queue_id": "8"},)";
      }
      json += R"("rate_limit": {"requests_per_second": )" + std::to_string(s.rps) + R"(, "burst": )" +
              std::to_string(s.burst) + "},";
      json += R"("poll": {"enabled": true, "interval_seconds": )" + std::to_string(s.interval_seconds) +
              R"(, "entities": [)";
      for (size_t e = 0; e < s.entities.size(); ++e) json += (e > 0 ? ", \"" : "\"") + s.entities[e] + "\"";
      json += "]}}";
    }
    json += "]}";
    std::ofstream(dir_ / "tenants.json") << json;
    std::ofstream(dir_ / "api-tokens.json")
        << R"({"tokens": [{"id": "ops", "token": ")" << kSyncToken
        << R"(", "tenants": ["*"], "scopes": ["sync"]}, {"id": "vendor", "token": ")" << kCommandsToken
        << R"(", "tenants": ["*"], "scopes": ["commands"]}]})";
  }

  ServiceConfig config() const {
    ServiceConfig c;
    c.kafka.bootstrap_servers = kafka_.bootstrap();
    c.kafka.delivery_timeout_ms = 5000;
    c.redis = redis_.settings();
    c.tenants_file = (dir_ / "tenants.json").string();
    c.operator_listen = c.webhook_listen = c.api_listen = ListenAddress{"127.0.0.1", 0, true};
    c.topics.raw = std::string(topics::kRaw);
    c.topics.raw_backfill = std::string(topics::kRawBackfill);
    c.topics.commands = std::string(topics::kCommands);
    return c;
  }

  // Options every test starts from: few workers, small pages, quick turns.
  ingest::PollerOptions poller_options(int replica) {
    ingest::PollerOptions o;
    o.workers = 4;
    o.backfill = false;
    o.page_size = 10;
    o.pages_per_turn = 2;
    o.start_spread = std::chrono::milliseconds(200);
    o.control_interval = std::chrono::milliseconds(100);
    o.replica_id = "replica-" + std::to_string(replica);
    o.on_turn = turns_.hook(replica);
    return o;
  }

  ingest::IngestService& start_ingest(ingest::PollerOptions options, bool polling = true) {
    ingest::IngestOptions o;
    o.polling = polling;
    o.poller = std::move(options);
    o.api_tokens = load_api_tokens_file((dir_ / "api-tokens.json").string(), Env());
    const auto& registry = connectors::builtin_registry();
    auto tenants = load_tenants_file(config().tenants_file, connectors::spec_lookup(registry), Env());
    services_.push_back(std::make_unique<ingest::IngestService>(config(), o, std::move(tenants), registry));
    services_.back()->start();
    return *services_.back();
  }

  // Envelopes on a topic (everything there now), as (tenant, entity_id) → source.
  std::vector<Envelope> envelopes(std::string_view topic) {
    std::vector<Envelope> out;
    for (const auto& m : read_topic_to_end(kafka_.bootstrap(), std::string(topic))) {
      auto e = envelope_from_json(m.value);
      EXPECT_TRUE(e.ok()) << m.value;
      if (e) out.push_back(std::move(*e));
    }
    return out;
  }
  std::set<std::string> ids_on(std::string_view topic, const std::string& tenant) {
    std::set<std::string> ids;
    for (const Envelope& e : envelopes(topic)) {
      if (e.tenant == tenant) ids.insert(e.entity_id);
    }
    return ids;
  }

  RedisClient& redis() { return redis_client_; }


  std::filesystem::path dir_;
  RedisServer redis_;
  RedisClient redis_client_{redis_.settings()};
  EmbeddedKafka kafka_;
  sandbox::Sandbox sandbox_;
  TurnLog turns_;
  std::vector<std::unique_ptr<ingest::IngestService>> services_;
};

// Creates `n` records of one PSA's tickets, then touches them again in blocks from the highest
// id down, one block per second (ConnectWise stamps changes to the second): the newest changes
// have the lowest ids, so a poll in id order whose watermark jumped to the newest change seen
// would skip the older, higher ids on later pages.
std::vector<std::string> tickets_in_reverse_change_order(sandbox::Sandbox& sandbox, const std::string& psa, int n,
                                                         int blocks) {
  const std::string entity = psa == "connectwise" ? "tickets" : "Tickets";
  const std::string field = psa == "connectwise" ? "summary" : "title";
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) {
    ids.push_back(id_of(
        sandbox.upsert_record(psa, entity, R"({")" + field + R"(":"out of order )" + std::to_string(i) + R"("})")));
  }
  const int per_block = (n + blocks - 1) / blocks;
  for (int b = 0; b < blocks; ++b) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    for (int i = n - 1 - b * per_block; i >= std::max(0, n - (b + 1) * per_block); --i) {
      sandbox.upsert_record(psa, entity, R"({"id":)" + ids[i] + R"(,")" + field + R"(":"touched"})");
    }
  }
  return ids;
}

TEST_F(PollerTest, DeltaLargerThanThePageBudgetWithOutOfOrderIdsSkipsNothing) {
  write_tenants({{.id = "cwacme", .psa = "connectwise", .interval_seconds = 3600},
                 {.id = "atglobex", .psa = "autotask", .interval_seconds = 3600}});
  // The watermark the delta starts from: before any of the records below was changed.
  const std::string since = format_rfc3339_utc_seconds(std::chrono::system_clock::now() - std::chrono::seconds(2));
  ASSERT_TRUE(redis().checked_command({"SET", "sy:poll:cwacme:ticket", since}).ok());
  ASSERT_TRUE(redis().checked_command({"SET", "sy:poll:atglobex:ticket", since}).ok());
  const auto cw_ids = tickets_in_reverse_change_order(sandbox_, "connectwise", 60, 3);
  const auto at_ids = tickets_in_reverse_change_order(sandbox_, "autotask", 60, 3);

  // A turn reads at most 2 pages of 10: the 60 records take several turns, and the watermark
  // may only move when the last one was read. No overlap, so a watermark that moved too early
  // would not be papered over by re-reading.
  auto options = poller_options(0);
  options.overlap = std::chrono::seconds(0);
  start_ingest(options);
  ASSERT_TRUE(eventually([&] { return turns_.completed("cwacme", PollKind::Live) && turns_.completed("atglobex", PollKind::Live); },
                         60s))
      << "the deltas did not complete";
  EXPECT_GE(turns_.count("cwacme", PollKind::Live, "ok"), 3u) << "the delta should have needed several turns";
  EXPECT_GE(turns_.count("atglobex", PollKind::Live, "ok"), 3u);

  const auto cw_seen = ids_on(topics::kRaw, "cwacme");
  for (const auto& id : cw_ids) EXPECT_TRUE(cw_seen.contains(id)) << "connectwise ticket " << id << " was skipped";
  const auto at_seen = ids_on(topics::kRaw, "atglobex");
  for (const auto& id : at_ids) EXPECT_TRUE(at_seen.contains(id)) << "autotask ticket " << id << " was skipped";

  // The watermark moved to the delta's start (not past it), and no delta is left half read.
  auto cw_mark = redis().checked_command({"GET", "sy:poll:cwacme:ticket"});
  ASSERT_TRUE(cw_mark.ok());
  EXPECT_GT(cw_mark->str, since);
  auto delta = redis().checked_command({"EXISTS", "sy:poll-delta:{cwacme:ticket}"});
  ASSERT_TRUE(delta.ok());
  EXPECT_EQ(delta->integer, 0);
}

TEST_F(PollerTest, BackfillResumesAfterARestartWithoutReadingItAllAgain) {
  // 150 tickets of a tenant never polled before: its first poll backfills every one. The
  // backfill's share of the rate limit (2 requests/s) makes it take a while; the first
  // process stops part-way, a second one finishes it.
  std::set<std::string> created;
  for (int i = 0; i < 150; ++i) {
    created.insert(id_of(sandbox_.upsert_record("autotask", "Tickets", R"({"title":"old ticket )" + std::to_string(i) + R"("})")));
  }
  write_tenants({{.id = "initech", .psa = "autotask", .interval_seconds = 3600, .rps = 4, .burst = 1}});
  auto options = poller_options(0);
  options.backfill = true;
  options.backfill_rate_share = 0.5;
  options.pages_per_turn = 1;
  options.max_inline_wait = std::chrono::milliseconds(50);
  const size_t pages_needed = (sandbox_.records("autotask", "Tickets").size() + 9) / 10;

  start_ingest(options);
  const auto pages_stored = [&] {
    auto r = redis().checked_command({"HGET", "sy:poll-backfill:{initech:ticket}", "pages"});
    return r.ok() && !r->is_nil() ? std::stoll(r->str) : 0;
  };
  ASSERT_TRUE(eventually([&] { return pages_stored() >= 4; }, 60s)) << "the backfill did not start";
  services_.clear();  // the process stops mid-backfill
  const int first_pages = turns_.pages(PollKind::Backfill, 0);
  const auto stored_at_stop = pages_stored();
  ASSERT_LT(static_cast<size_t>(stored_at_stop), pages_needed) << "the backfill finished before the restart";

  auto second = poller_options(1);
  second.backfill = true;
  second.backfill_rate_share = 0.5;
  second.pages_per_turn = 1;
  second.max_inline_wait = std::chrono::milliseconds(50);
  start_ingest(second);
  ASSERT_TRUE(eventually([&] { return turns_.completed("initech", PollKind::Backfill); }, 120s))
      << "the backfill did not complete after the restart";
  const int second_pages = turns_.pages(PollKind::Backfill, 1);

  // Everything arrived, on the backfill topic, marked as such.
  std::set<std::string> seen;
  for (const Envelope& e : envelopes(topics::kRawBackfill)) {
    if (e.tenant != "initech") continue;
    EXPECT_EQ(e.source, "backfill");
    seen.insert(e.entity_id);
  }
  for (const auto& id : created) EXPECT_TRUE(seen.contains(id)) << "ticket " << id << " was not backfilled";
  // The second process started where the first stopped: it read the pages left (plus at most
  // the one in flight at the stop, and the empty last one), not the whole table again.
  EXPECT_LE(static_cast<size_t>(second_pages), pages_needed - static_cast<size_t>(stored_at_stop) + 2)
      << "first process read " << first_pages << " pages, " << stored_at_stop << " stored; second read "
      << second_pages << " of " << pages_needed;
  EXPECT_LT(static_cast<size_t>(second_pages), pages_needed);
  auto state = redis().checked_command({"HGET", "sy:poll-backfill:{initech:ticket}", "state"});
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->str, "done");

  // The partner saw the import run and finish, once, in the tenant's activity.
  size_t progress = 0, completed = 0;
  for (const ActivityRecord& r : recent_activity(redis(), "initech")) {
    if (r.kind != "backfill") continue;
    EXPECT_EQ(r.entity, "ticket");
    if (r.outcome == "progress") {
      ++progress;
      EXPECT_TRUE(r.message.starts_with("import running")) << r.message;
    }
    if (r.outcome == "completed") {
      ++completed;
      EXPECT_TRUE(r.message.starts_with("import finished")) << r.message;
    }
  }
  EXPECT_GE(progress, 1u);
  EXPECT_EQ(completed, 1u);
}

// Credentials the PSA refuses are the partner's to fix: the poll stops, the tenant is
// suspended, and its activity says so with the reason; another tenant polls on.
TEST_F(PollerTest, RefusedCredentialsAreRecordedAsAnAuthFailureForThePartner) {
  write_tenants({{.id = "halo-refused", .psa = "halopsa", .interval_seconds = 3600, .client_secret = "revoked-secret-0123"},
                 {.id = "halo-fine", .psa = "halopsa", .interval_seconds = 3600}});
  auto& ingest = start_ingest(poller_options(0), false);
  const TenantRef refused = ingest.tenants().find("halo-refused");
  const TenantRef fine = ingest.tenants().find("halo-fine");
  ASSERT_NE(refused, nullptr);
  ASSERT_NE(fine, nullptr);
  EXPECT_FALSE(ingest.poller().poll_now(*refused, "ticket").ok());
  EXPECT_TRUE(ingest.poller().poll_now(*fine, "ticket").ok());

  const auto records = recent_activity(redis(), "halo-refused");
  const auto auth = std::ranges::find_if(records, [](const ActivityRecord& r) { return r.kind == "auth"; });
  ASSERT_NE(auth, records.end());
  EXPECT_EQ(auth->outcome, "failed");
  EXPECT_EQ(auth->reason, "credentials_refused");
  EXPECT_EQ(auth->entity, "ticket");
  EXPECT_EQ(auth->message.find("revoked-secret"), std::string::npos) << "never the secret: " << auth->message;
  EXPECT_TRUE(std::ranges::none_of(recent_activity(redis(), "halo-fine"),
                                   [](const ActivityRecord& r) { return r.kind == "auth"; }));
}

TEST_F(PollerTest, SyncNowNeedsATokenForTheTenantAndSchedulesAPoll) {
  write_tenants({{.id = "cwacme", .psa = "connectwise", .interval_seconds = 3600, .entities = {"ticket", "company"}}});
  ingest::IngestService& ingest = start_ingest(poller_options(0));
  ASSERT_TRUE(eventually([&] { return turns_.completed("cwacme", PollKind::Live); }, 30s));
  // Both entities had their first poll; the next is an hour away.
  ASSERT_TRUE(eventually([&] { return turns_.count("cwacme", PollKind::Live, "ok") >= 2; }, 30s));

  http::HttpClient client;
  const std::string url = "http://127.0.0.1:" + std::to_string(ingest.api_port()) + "/v1/tenants/cwacme/sync";
  const auto post = [&](const std::string& path_url, std::string_view token, const std::string& body) {
    http::Headers headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(token));
    auto r = client.send({.method = "POST", .url = path_url, .headers = headers, .body = body});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : http::ClientResponse{};
  };
  EXPECT_EQ(post(url, "", "").status, 401);
  EXPECT_EQ(post(url, "not-a-known-token-0123456789", "").status, 401);
  EXPECT_EQ(post(url, kCommandsToken, "").status, 403) << "scope commands does not allow sync";
  EXPECT_EQ(post("http://127.0.0.1:" + std::to_string(ingest.api_port()) + "/v1/tenants/nobody/sync", kSyncToken, "").status,
            404);
  EXPECT_EQ(post(url, kSyncToken, "{not json").status, 400);
  EXPECT_EQ(post(url, kSyncToken, R"({"entities": ["agreement"]})").status, 400);
  EXPECT_EQ(post(url, kSyncToken, R"({"entities": "ticket"})").status, 400);
  const size_t before = turns_.count("cwacme", PollKind::Live, "ok");
  ASSERT_EQ(turns_.count("cwacme", PollKind::Live, "ok"), before) << "a refused sync polled something";

  // A change the PSA sent no webhook for, then the sync.
  const std::string changed = id_of(sandbox_.upsert_record("connectwise", "tickets", R"({"summary":"synced"})"));
  auto accepted = post(url, kSyncToken, R"({"entities": ["ticket"]})");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  EXPECT_NE(accepted.body.find(R"("entities":["ticket"])"), std::string::npos) << accepted.body;
  EXPECT_TRUE(eventually([&] { return turns_.count("cwacme", PollKind::Live, "ok") > before; }, 20s))
      << "the sync did not poll";
  EXPECT_TRUE(eventually([&] { return ids_on(topics::kRaw, "cwacme").contains(changed); }, 20s));
  // Only the entity asked for.
  std::this_thread::sleep_for(500ms);
  size_t companies = 0;
  for (const auto& [replica, t] : turns_.all()) {
    if (t.entity == "company" && t.outcome == "ok") ++companies;
  }
  EXPECT_EQ(companies, 1u) << "company was polled again although only ticket was asked for";
}

// Records to import and entities to poll in one request: both are done, the records as fetched
// envelopes (here a company, which the tenant does not even poll), the poll as asked.
TEST_F(PollerTest, SyncWithRecordsImportsThemAndPollsAsWell) {
  write_tenants({{.id = "cwimport", .psa = "connectwise", .interval_seconds = 3600, .entities = {"ticket"}}});
  ingest::IngestService& ingest = start_ingest(poller_options(0));
  ASSERT_TRUE(eventually([&] { return turns_.completed("cwimport", PollKind::Live); }, 30s));
  const size_t before = turns_.count("cwimport", PollKind::Live, "ok");

  const std::string company =
      id_of(sandbox_.upsert_record("connectwise", "companies", R"({"identifier":"Hooli","name":"Hooli Prospect"})"));
  const std::string ticket = id_of(sandbox_.upsert_record("connectwise", "tickets", R"({"summary":"with import"})"));
  http::HttpClient client;
  http::Headers headers{{"Content-Type", "application/json"}, {"Authorization", "Bearer " + std::string(kSyncToken)}};
  auto accepted = client.send(
      {.method = "POST",
       .url = "http://127.0.0.1:" + std::to_string(ingest.api_port()) + "/v1/tenants/cwimport/sync",
       .headers = headers,
       .body = R"({"entities": ["ticket"], "records": [{"entity": "company", "id": ")" + company + R"("}]})"});
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  ASSERT_EQ(accepted->status, 202) << accepted->body;
  EXPECT_NE(accepted->body.find(R"("entities":["ticket"])"), std::string::npos) << accepted->body;
  EXPECT_NE(accepted->body.find(R"("records":[{"entity":"company","id":")" + company + R"("}])"), std::string::npos)
      << accepted->body;

  EXPECT_TRUE(eventually([&] { return turns_.count("cwimport", PollKind::Live, "ok") > before; }, 20s))
      << "the sync did not poll";
  EXPECT_TRUE(eventually([&] { return ids_on(topics::kRaw, "cwimport").contains(ticket); }, 20s));
  const auto fetched = [&] {
    size_t n = 0;
    for (const Envelope& e : envelopes(topics::kRaw)) {
      if (e.tenant == "cwimport" && e.entity == "company" && e.entity_id == company && e.source == "fetch") ++n;
    }
    return n;
  };
  ASSERT_TRUE(eventually([&] { return fetched() == 1; }, 20s)) << "the company was not imported";
}

// A resync reads every record again although the watermark is at the end (here: far in the
// future, so no regular delta reads a record and none moves it): source "resync" on the
// backfill topic, idempotency keys of their own that a re-read within the same resync (a
// restart that resumes it) derives again; the watermark and the backfill are not touched.
TEST_F(PollerTest, AResyncReadsEveryRecordAgainWithItsOwnKeysAndLeavesTheWatermark) {
  write_tenants({{.id = "cwresync", .psa = "connectwise", .interval_seconds = 3600}});
  const std::string since = format_rfc3339_utc_seconds(std::chrono::system_clock::now() - std::chrono::seconds(2));
  ASSERT_TRUE(redis().checked_command({"SET", "sy:poll:cwresync:ticket", since}).ok());
  std::set<std::string> created;
  for (int i = 0; i < 25; ++i) {
    created.insert(id_of(sandbox_.upsert_record("connectwise", "tickets", R"({"summary":"resync )" + std::to_string(i) + R"("})")));
  }
  ingest::IngestService& ingest = start_ingest(poller_options(0));
  std::map<std::string, std::string> poll_keys;  // entity id → the poll's key
  ASSERT_TRUE(eventually(
      [&] {
        for (const Envelope& e : envelopes(topics::kRaw)) {
          if (e.tenant == "cwresync" && e.source == "poll") poll_keys[e.entity_id] = e.idempotency_key;
        }
        return std::ranges::all_of(created, [&](const std::string& id) { return poll_keys.contains(id); });
      },
      30s))
      << "the regular poll did not read the records";
  // Its turn stores the watermark after the records are in Kafka: wait for that, or it would
  // overwrite the one set next.
  ASSERT_TRUE(eventually([&] { return turns_.completed("cwresync", PollKind::Live); }, 30s));
  const std::string end = "2099-01-01T00:00:00Z";
  ASSERT_TRUE(redis().checked_command({"SET", "sy:poll:cwresync:ticket", end}).ok());

  http::HttpClient client;
  const std::string url = "http://127.0.0.1:" + std::to_string(ingest.api_port()) + "/v1/tenants/cwresync/sync";
  const auto post = [&](const std::string& body) {
    auto r = client.send({.method = "POST", .url = url,
                          .headers = {{"Content-Type", "application/json"},
                                      {"Authorization", "Bearer " + std::string(kSyncToken)}},
                          .body = body});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : http::ClientResponse{};
  };
  EXPECT_EQ(post(R"({"resync": "yes"})").status, 400);
  EXPECT_EQ(post(R"({"resync": 1})").status, 400);
  auto accepted = post(R"({"resync": true, "entities": ["ticket"]})");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  simdjson::dom::parser parser;
  std::string_view resync_view;
  ASSERT_EQ(parser.parse(accepted.body)["resync_id"].get(resync_view), simdjson::SUCCESS) << accepted.body;
  const std::string resync_id(resync_view);
  EXPECT_TRUE(resync_id.starts_with("rs-") && resync_id.size() == 19) << resync_id;

  const std::string state_key = "sy:poll-resync:{cwresync:ticket}";
  const auto resync_done = [&] {
    auto r = redis().checked_command({"HGET", state_key, "state"});
    return r.ok() && r->str == "done";
  };
  ASSERT_TRUE(eventually(resync_done, 30s)) << "the resync did not finish";
  auto stored_id = redis().checked_command({"HGET", state_key, "id"});
  ASSERT_TRUE(stored_id.ok());
  EXPECT_EQ(stored_id->str, resync_id);

  const auto resync_envelopes = [&] {
    std::vector<Envelope> out;
    for (Envelope& e : envelopes(topics::kRawBackfill)) {
      if (e.tenant == "cwresync") out.push_back(std::move(e));
    }
    return out;
  };
  std::map<std::string, std::string> resync_keys;
  const auto first = resync_envelopes();
  for (const Envelope& e : first) {
    EXPECT_EQ(e.source, "resync");
    EXPECT_TRUE(is_polled(e));
    resync_keys[e.entity_id] = e.idempotency_key;
  }
  for (const auto& id : created) {
    ASSERT_TRUE(resync_keys.contains(id)) << "ticket " << id << " was not resynced";
    EXPECT_NE(resync_keys[id], poll_keys[id]) << "a resync copy must not dedup with the poll's";
  }
  auto mark = redis().checked_command({"GET", "sy:poll:cwresync:ticket"});
  ASSERT_TRUE(mark.ok());
  EXPECT_EQ(mark->str, end) << "the resync moved the watermark";
  auto backfill = redis().checked_command({"EXISTS", "sy:poll-backfill:{cwresync:ticket}"});
  ASSERT_TRUE(backfill.ok());
  EXPECT_EQ(backfill->integer, 0) << "the resync touched the backfill state";
  EXPECT_GE(metric_value(ingest.metrics().serialize(),
                         R"(switchyard_ingest_events_total{psa="connectwise",source="resync",tenant="cwresync"})"),
            static_cast<double>(created.size()));

  // A restart that resumes the resync before its progress was stored reads pages again: the
  // copies carry the same keys as the first read.
  ASSERT_TRUE(redis().checked_command({"HSET", state_key, "state", "running", "cursor", ""}).ok());
  ASSERT_EQ(post("").status, 202);  // a plain sync: the item is polled now, the resync resumes
  ASSERT_TRUE(eventually(resync_done, 30s)) << "the resumed resync did not finish";
  std::map<std::string, int> copies;
  for (const Envelope& e : resync_envelopes()) {
    ++copies[e.entity_id];
    EXPECT_EQ(e.idempotency_key, resync_keys[e.entity_id]) << "ticket " << e.entity_id;
  }
  for (const auto& id : created) EXPECT_EQ(copies[id], 2) << "ticket " << id << " was not read again";
}

TEST_F(PollerTest, AReloadStartsPollingANewTenantAndStopsAPausedOrRemovedOne) {
  write_tenants({{.id = "first", .psa = "connectwise", .interval_seconds = 1}});
  ingest::IngestService& ingest = start_ingest(poller_options(0));
  ASSERT_TRUE(eventually([&] { return turns_.count("first", PollKind::Live, "ok") >= 1; }, 30s));

  // A tenant added to the file is polled without a restart.
  write_tenants({{.id = "first", .psa = "connectwise", .interval_seconds = 1},
                 {.id = "second", .psa = "autotask", .interval_seconds = 1}});
  ASSERT_TRUE(ingest.tenant_reloader()->reload_now().value());
  ASSERT_TRUE(eventually([&] { return turns_.count("second", PollKind::Live, "ok") >= 2; }, 30s))
      << "the added tenant was not polled";

  // Paused: its polls stop (a turn already running may finish), the other tenant goes on.
  std::string paused = read_file((dir_ / "tenants.json").string());
  paused.replace(paused.find(R"("id": "first")"), 13, R"("id": "first", "paused": true)");
  std::ofstream(dir_ / "tenants.json", std::ios::trunc) << paused;
  ASSERT_TRUE(ingest.tenant_reloader()->reload_now().value());
  std::this_thread::sleep_for(500ms);
  const size_t first_polls = turns_.count("first", PollKind::Live, "ok");
  const size_t second_polls = turns_.count("second", PollKind::Live, "ok");
  ASSERT_TRUE(eventually([&] { return turns_.count("second", PollKind::Live, "ok") >= second_polls + 2; }, 30s));
  EXPECT_EQ(turns_.count("first", PollKind::Live, "ok"), first_polls) << "a paused tenant was polled";

  // Removed: no more polls either.
  write_tenants({{.id = "first", .psa = "connectwise", .interval_seconds = 1}});
  ASSERT_TRUE(ingest.tenant_reloader()->reload_now().value());
  std::this_thread::sleep_for(500ms);
  const size_t second_after = turns_.count("second", PollKind::Live, "ok");
  ASSERT_TRUE(eventually([&] { return turns_.count("first", PollKind::Live, "ok") >= first_polls + 2; }, 30s))
      << "the resumed tenant was not polled again";
  EXPECT_EQ(turns_.count("second", PollKind::Live, "ok"), second_after) << "a removed tenant was polled";
}

TEST_F(PollerTest, AThrottledTenantDoesNotDelayAnother) {
  // "slow" is on ConnectWise, which answers 429 with Retry-After 30 to everything for a minute;
  // "fast" is on Autotask. One worker only: were it to wait out slow's throttle, fast would
  // not be polled for 30 s.
  write_tenants({{.id = "slow", .psa = "connectwise", .interval_seconds = 1},
                 {.id = "fast", .psa = "autotask", .interval_seconds = 1}});
  sandbox::Fault fault;
  fault.status = 429;
  fault.retry_after_seconds = 30;
  fault.count = 0;
  fault.duration = std::chrono::seconds(60);
  sandbox_.inject_fault("connectwise", fault);
  auto options = poller_options(0);
  options.workers = 1;
  ingest::IngestService& ingest = start_ingest(options);

  ASSERT_TRUE(eventually([&] { return turns_.count("slow", PollKind::Live, "throttled") >= 1; }, 30s));
  const size_t fast_before = turns_.count("fast", PollKind::Live, "ok");
  // Polled every second: several more polls of fast within a window far shorter than 30 s.
  EXPECT_TRUE(eventually([&] { return turns_.count("fast", PollKind::Live, "ok") >= fast_before + 3; }, 15s))
      << "fast was held up by slow's throttle";
  // slow is left alone until its Retry-After has passed (not retried every second), and its
  // throttled polls are not failures.
  EXPECT_LE(turns_.count("slow", PollKind::Live, "throttled"), 2u);
  EXPECT_EQ(turns_.count("slow", PollKind::Live, "error"), 0u);
  const std::string exposition = ingest.metrics().serialize();
  EXPECT_GE(metric_value(exposition, R"(switchyard_ingest_polls_total{entity="ticket",kind="live",outcome="throttled",tenant="slow"})"),
            1.0)
      << exposition;
}

TEST_F(PollerTest, TwoReplicasShareTheWorkAndNonePollsAnItemTwiceInAnInterval) {
  std::vector<TenantSpec> specs;
  for (int i = 0; i < 16; ++i) specs.push_back({.id = "t" + std::to_string(i), .interval_seconds = 2});
  write_tenants(specs);
  start_ingest(poller_options(0));
  start_ingest(poller_options(1));
  std::this_thread::sleep_for(12s);
  services_.clear();

  std::map<std::string, std::vector<Clock::time_point>> starts;  // tenant → ok turn starts
  size_t by_replica[2] = {0, 0};
  for (const auto& [replica, t] : turns_.all()) {
    if (t.kind != PollKind::Live || t.outcome != "ok") continue;
    starts[t.tenant].push_back(t.started);
    ++by_replica[replica];
  }
  const size_t total = by_replica[0] + by_replica[1];
  // 16 items every 2 s for ~12 s: about 90 polls between the two.
  EXPECT_GE(total, 16u * 3);
  EXPECT_GE(by_replica[0], total / 4) << "replica 0 polled " << by_replica[0] << " of " << total;
  EXPECT_GE(by_replica[1], total / 4) << "replica 1 polled " << by_replica[1] << " of " << total;
  for (auto& [tenant, times] : starts) {
    std::sort(times.begin(), times.end());
    EXPECT_GE(times.size(), 3u) << tenant << " was hardly polled";
    for (size_t i = 1; i < times.size(); ++i) {
      EXPECT_GE(times[i] - times[i - 1], std::chrono::milliseconds(1800))
          << tenant << " was polled twice within one 2 s interval";
    }
  }
}

}  // namespace
}  // namespace switchyard::testing
