// PSA → vendor, end to end over the real parts: a ConnectWise callback posted to ingest comes
// out of normalize as exactly one canonical event, whatever the duplicates; bad requests get
// a clear 4xx and produce nothing; a Kafka outage gives 503 and loses nothing.
#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <simdjson.h>

#include <filesystem>
#include <fstream>

#include <atomic>
#include <thread>
#include <vector>

#include "common/canonical.h"
#include "common/http_client.h"
#include "common/json_writer.h"
#include "common/topics.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class PipelineWebhookTest : public ::testing::Test {
 protected:
  // Seeds a ticket in the sandbox's ConnectWise and returns its stored JSON.
  std::string seed_ticket(const std::string& summary) {
    return stack_.psa().upsert_record("connectwise", "tickets",
                                      R"({"summary":")" + summary +
                                          R"(","board":{"id":1,"name":"Service"},"status":{"id":1,"name":"New"},)"
                                          R"("company":{"id":2,"identifier":"Acme","name":"Acme Corp"}})");
  }

  static int64_t id_of(const std::string& record) {
    simdjson::dom::parser parser;
    return parser.parse(record)["id"].get_int64().value();
  }

  http::ClientResponse post_webhook(const std::string& body, std::string signature = "",
                                    const std::string& path = "/v1/webhooks/connectwise/acme") {
    if (signature.empty()) signature = cw_signature(sandbox::ConnectWiseCredentials{}.signing_key, body);
    auto r = client_.send({.method = "POST", .url = stack_.ingest_webhook_url() + path,
                           .headers = {{"Content-Type", "application/json"}, {"x-content-signature", signature}},
                           .body = body, .timeout = std::chrono::milliseconds(15000)});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : http::ClientResponse{};
  }

  // Canonical events for one ConnectWise ticket id, once normalize has finished everything on
  // the raw topic (its committed offsets reached the end), so "exactly one" really means one.
  std::vector<canonical::Event> canonical_for(int64_t ticket_id) {
    std::vector<canonical::Event> out;
    EXPECT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-normalize", std::string(topics::kRaw)));
    for (const auto& m : read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical))) {
      auto event = canonical::event_from_json(m.value);
      EXPECT_TRUE(event.ok()) << m.value;
      if (event && canonical::base_of(event->record).source.id == std::to_string(ticket_id)) out.push_back(*event);
    }
    return out;
  }

  // ingest answers only after Kafka acknowledged, so the topic's end is everything it produced.
  size_t raw_messages() { return read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kRaw)).size(); }

  PipelineStack stack_;
  http::HttpClient client_;
};

TEST_F(PipelineWebhookTest, CallbackEndsAsExactlyOneCanonicalEvent) {
  const std::string ticket = seed_ticket("Printer on fire");
  const auto response = post_webhook(connectwise_ticket_callback(ticket));
  ASSERT_EQ(response.status, 202) << response.body;

  const auto events = canonical_for(id_of(ticket));
  ASSERT_EQ(events.size(), 1u);
  const auto& record = std::get<canonical::Ticket>(events[0].record);
  EXPECT_EQ(record.tenant, "acme");
  EXPECT_EQ(record.title, "Printer on fire");
  EXPECT_EQ(record.source.psa, "connectwise");
  EXPECT_EQ(record.status, "New");
  ASSERT_TRUE(record.company.has_value());
  EXPECT_EQ(record.company->name, "Acme Corp");
  EXPECT_EQ(events[0].origin, "webhook");
}

// A ConnectWise company callback (the record as the escaped Entity string, facts as for tickets).
std::string company_callback(int64_t id, const std::string& type_name) {
  const std::string entity = R"({"id":)" + std::to_string(id) + R"(,"identifier":"Co)" + std::to_string(id) +
                             R"(","name":"Company )" + std::to_string(id) + R"(","types":[{"id":7,"name":")" +
                             type_name + R"("}],"_info":{"lastUpdated":"2026-11-25T10:00:00Z"}})";
  JsonWriter w;
  w.begin_object()
      .field("MessageId", "6a0c9b9e-3f4c-4b2a-9d7e-00000000" + std::to_string(id))
      .field("FromUrl", "sandbox.local")
      .field("CompanyId", "switchyard_demo")
      .field("MemberId", "tests")
      .field("Action", "updated")
      .field("Type", "company")
      .field("ID", id)
      .field("Entity", entity)
      .end_object();
  return w.take();
}

TEST_F(PipelineWebhookTest, CompanyClassificationUsesTheTenantsMappingsOverTheDefaults) {
  // The stack's acme tenant maps its own "Reseller" type; "Client" is a ConnectWise default.
  ASSERT_EQ(post_webhook(company_callback(880001, "Reseller")).status, 202);
  ASSERT_EQ(post_webhook(company_callback(880002, "Client")).status, 202);
  const auto reseller = canonical_for(880001);
  ASSERT_EQ(reseller.size(), 1u);
  EXPECT_EQ(std::get<canonical::Company>(reseller[0].record).classification, std::optional<std::string>("partner"));
  const auto client = canonical_for(880002);
  ASSERT_EQ(client.size(), 1u);
  EXPECT_EQ(std::get<canonical::Company>(client[0].record).classification, std::optional<std::string>("customer"));
}

TEST_F(PipelineWebhookTest, SameCallbackTwiceEndsAsOne) {
  const std::string ticket = seed_ticket("Duplicate delivery");
  const std::string body = connectwise_ticket_callback(ticket);
  ASSERT_EQ(post_webhook(body).status, 202);
  ASSERT_EQ(post_webhook(body).status, 202);  // ConnectWise retried: same change, new delivery
  EXPECT_EQ(canonical_for(id_of(ticket)).size(), 1u);
}

TEST_F(PipelineWebhookTest, SeenByWebhookAndByPollEndsAsOne) {
  const std::string ticket = seed_ticket("Seen twice");
  ASSERT_EQ(post_webhook(connectwise_ticket_callback(ticket)).status, 202);

  const Tenant* acme = nullptr;
  TenantDirectory tenants = stack_.tenants();
  acme = tenants.find("acme");
  ASSERT_NE(acme, nullptr);
  auto polled = stack_.ingest().poller().poll_now(*acme, "ticket");
  ASSERT_TRUE(polled.ok()) << polled.error().message;
  EXPECT_GE(*polled, 1u);  // the poll did see the ticket

  const auto events = canonical_for(id_of(ticket));
  EXPECT_EQ(events.size(), 1u);
}

TEST_F(PipelineWebhookTest, ANewVersionOfTheRecordIsANewEvent) {
  const std::string first = seed_ticket("Version one");
  ASSERT_EQ(post_webhook(connectwise_ticket_callback(first)).status, 202);
  ASSERT_EQ(canonical_for(id_of(first)).size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // lastUpdated has one-second precision
  const std::string second = stack_.psa().upsert_record(
      "connectwise", "tickets", R"({"id":)" + std::to_string(id_of(first)) + R"(,"summary":"Version two"})");
  ASSERT_EQ(post_webhook(connectwise_ticket_callback(second)).status, 202);
  const auto events = canonical_for(id_of(first));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<canonical::Ticket>(events[1].record).title, "Version two");
}

TEST_F(PipelineWebhookTest, SandboxFiredCallbackIsAccepted) {
  const std::string ticket = seed_ticket("Fired by the sandbox");
  auto status = stack_.psa().fire_connectwise_callback(stack_.ingest_webhook_url() + "/v1/webhooks/connectwise/acme",
                                                       "ticket", std::to_string(id_of(ticket)), "added");
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(*status, 202);
  EXPECT_EQ(canonical_for(id_of(ticket)).size(), 1u);
}

TEST_F(PipelineWebhookTest, BadRequestsGetClear4xxAndProduceNothing) {
  const std::string ticket = seed_ticket("Never stored");
  const std::string good = connectwise_ticket_callback(ticket);

  auto malformed = post_webhook("{\"Type\": \"ticket\", ");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_NE(malformed.body.find("invalid_json"), std::string::npos) << malformed.body;

  auto oversized = post_webhook(std::string(70 * 1024, ' ') + good);
  EXPECT_EQ(oversized.status, 413);

  auto unknown_psa = post_webhook(good, "", "/v1/webhooks/notapsa/acme");
  EXPECT_EQ(unknown_psa.status, 404);  // the connector list is public, unlike the tenants
  EXPECT_NE(unknown_psa.body.find("unknown_psa"), std::string::npos);

  auto bad_signature = post_webhook(good, "bm90IHRoZSBzaWduYXR1cmU=");
  EXPECT_EQ(bad_signature.status, 401);

  EXPECT_EQ(raw_messages(), 0u);
}

// Probing must not tell which tenants exist or which PSA each uses: an unknown tenant, a
// tenant on another PSA, a missing and a wrong signature all get the same answer. Only the
// metric's reason (internal) tells them apart.
TEST_F(PipelineWebhookTest, UnknownTenantsAndBadSignaturesGetTheSameAnswer) {
  const std::string good = connectwise_ticket_callback(seed_ticket("Probed"));
  const auto bad_signature = post_webhook(good, "bm90IHRoZSBzaWduYXR1cmU=");
  const auto unknown_tenant = post_webhook(good, "", "/v1/webhooks/connectwise/nobody");
  // acme is on ConnectWise; globex is on Autotask, here signed as ConnectWise with its own secret.
  const auto acme_as_autotask = post_webhook(good, "", "/v1/webhooks/autotask/acme");
  const auto globex_as_connectwise =
      post_webhook(good, cw_signature(sandbox::AutotaskCredentials{}.webhook_secret, good), "/v1/webhooks/connectwise/globex");
  auto unsigned_request = client_.send({.method = "POST", .url = stack_.ingest_webhook_url() + "/v1/webhooks/connectwise/acme",
                                        .headers = {{"Content-Type", "application/json"}}, .body = good});
  ASSERT_TRUE(unsigned_request.ok());

  EXPECT_EQ(bad_signature.status, 401);
  EXPECT_EQ(bad_signature.body, R"({"error":{"code":"unauthorized","message":"signature check failed"}})");
  const http::ClientResponse& unsigned_answer = *unsigned_request;
  for (const http::ClientResponse* r : {&unknown_tenant, &acme_as_autotask, &globex_as_connectwise, &unsigned_answer}) {
    EXPECT_EQ(r->status, bad_signature.status) << r->body;
    EXPECT_EQ(r->body, bad_signature.body);
    EXPECT_EQ(r->header("Content-Type"), bad_signature.header("Content-Type"));
  }

  const std::string metrics = stack_.ingest().metrics().serialize();
  for (const std::string reason : {"bad_signature", "unknown_tenant", "missing_signature"}) {
    EXPECT_EQ(metric_value(metrics, R"(switchyard_ingest_rejected_total{reason=")" + reason + R"(",route="webhook"})"), 1)
        << reason << "\n" << metrics;
  }
  EXPECT_EQ(metric_value(metrics, R"(switchyard_ingest_rejected_total{reason="wrong_psa",route="webhook"})"), 2);
  EXPECT_EQ(raw_messages(), 0u);
}

// A tenant with URL secrets: its webhook URL must end with one of them (two during a rotation);
// without it, with a wrong one, or with one for a tenant that has none, the answer is the same
// 401 as a bad signature. The secret never becomes a metric label.
TEST_F(PipelineWebhookTest, AUrlSecretIsRequiredWhenTheTenantHasOne) {
  const std::string current = "u7Jq2w9LmZx4Pq8Rt6Yv3Nb1cur", next = "Zp4Lq8Wm2Xr6Tv1Ny5Bc9Hd3nxt";
  std::string tenants = stack_.tenants_json();
  const std::string id = R"("id":"acme")";
  tenants.insert(tenants.find(id) + id.size(), R"(,"webhook_url_secrets":[")" + current + R"(",")" + next + R"("])");
  const std::string path = stack_.config().tenants_file;
  std::ofstream(path + ".new") << tenants;
  std::filesystem::rename(path + ".new", path);
  ASSERT_TRUE(stack_.ingest().tenant_reloader()->reload_now().value());

  const std::string body = connectwise_ticket_callback(seed_ticket("Behind a URL secret"));
  EXPECT_EQ(post_webhook(body, "", "/v1/webhooks/connectwise/acme/" + current).status, 202);
  EXPECT_EQ(post_webhook(body, "", "/v1/webhooks/connectwise/acme/" + next).status, 202) << "the next secret, mid-rotation";
  const auto missing = post_webhook(body, "", "/v1/webhooks/connectwise/acme");
  const auto wrong = post_webhook(body, "", "/v1/webhooks/connectwise/acme/" + current + "x");
  const auto unexpected = post_webhook(body, cw_signature(sandbox::AutotaskCredentials{}.webhook_secret, body),
                                       "/v1/webhooks/autotask/globex/" + current);
  const auto unsigned_but_secret = client_.send({.method = "POST",
                                                 .url = stack_.ingest_webhook_url() + "/v1/webhooks/connectwise/acme/" + current,
                                                 .headers = {{"Content-Type", "application/json"}}, .body = body});
  ASSERT_TRUE(unsigned_but_secret.ok());
  for (const http::ClientResponse* r : {&missing, &wrong, &unexpected, &*unsigned_but_secret}) {
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_EQ(r->body, R"({"error":{"code":"unauthorized","message":"signature check failed"}})");
  }
  const std::string metrics = stack_.ingest().metrics().serialize();
  for (const std::string reason : {"missing_url_secret", "bad_url_secret", "unexpected_url_secret", "missing_signature"}) {
    EXPECT_EQ(metric_value(metrics, R"(switchyard_ingest_rejected_total{reason=")" + reason + R"(",route="webhook"})"), 1)
        << reason;
  }
  EXPECT_EQ(metrics.find(current), std::string::npos) << "a URL secret leaked into the metrics";
}

TEST_F(PipelineWebhookTest, KafkaDownGives503AndNothingIsLostOnceBack) {
  const std::string ticket = seed_ticket("Through an outage");
  const std::string body = connectwise_ticket_callback(ticket);

  stack_.kafka().set_brokers_down(true);
  const auto refused = post_webhook(body);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_NE(refused.body.find("kafka_unavailable"), std::string::npos);

  stack_.kafka().set_brokers_down(false);
  // The PSA retries its delivery, as it does on any non-2xx answer.
  ASSERT_TRUE(eventually([&] { return post_webhook(body).status == 202; }, std::chrono::seconds(20),
                         std::chrono::milliseconds(500)));
  EXPECT_EQ(canonical_for(id_of(ticket)).size(), 1u);
}

TEST_F(PipelineWebhookTest, ShortOutageDuringTheRequestStillAnswers202) {
  const std::string ticket = seed_ticket("Brief blip");
  const std::string body = connectwise_ticket_callback(ticket);
  stack_.kafka().set_brokers_down(true);
  // The whole request is on the wire before the broker comes back (ordered by the socket
  // write, not by a timer), and the answer is read after.
  namespace beast = boost::beast;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), stack_.ingest().webhook_port()});
  beast::http::request<beast::http::string_body> request{beast::http::verb::post, "/v1/webhooks/connectwise/acme", 11};
  request.set(beast::http::field::host, "127.0.0.1");
  request.set(beast::http::field::content_type, "application/json");
  request.set("x-content-signature", cw_signature(sandbox::ConnectWiseCredentials{}.signing_key, body));
  request.body() = body;
  request.prepare_payload();
  beast::http::write(stream, request);
  stack_.kafka().set_brokers_down(false);
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> response;
  stream.expires_after(std::chrono::seconds(30));
  beast::http::read(stream, buffer, response);
  EXPECT_EQ(response.result_int(), 202u) << response.body();
  EXPECT_EQ(canonical_for(id_of(ticket)).size(), 1u);
}

TEST_F(PipelineWebhookTest, AdminEndpointsReportHealthReadinessAndMetrics) {
  const std::string ticket = seed_ticket("Counted");
  ASSERT_EQ(post_webhook(connectwise_ticket_callback(ticket)).status, 202);
  ASSERT_EQ(post_webhook("{broken").status, 400);

  auto get = [this](uint16_t port, const std::string& path) {
    auto r = client_.send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(port) + path});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : http::ClientResponse{};
  };
  EXPECT_EQ(get(stack_.ingest().operator_port(), "/healthz").status, 200);
  EXPECT_EQ(get(stack_.ingest().operator_port(), "/readyz").status, 200);
  // normalize is ready once Redis answers and the group gave it partitions.
  EXPECT_TRUE(eventually([&] { return get(stack_.normalize().operator_port(), "/readyz").status == 200; },
                         std::chrono::seconds(20)));
  EXPECT_TRUE(eventually([&] { return get(stack_.dispatch().operator_port(), "/readyz").status == 200; },
                         std::chrono::seconds(20)));

  const std::string metrics = get(stack_.ingest().operator_port(), "/metrics").body;
  EXPECT_EQ(metric_value(metrics, R"(switchyard_ingest_events_total{psa="connectwise",source="webhook",tenant="acme"})"),
            1)
      << metrics;
  EXPECT_EQ(metric_value(metrics, R"(switchyard_ingest_rejected_total{reason="invalid_json",route="webhook"})"), 1);
  EXPECT_NE(metrics.find("switchyard_kafka_produce_duration_seconds_bucket"), std::string::npos);
  // No secret ever reaches the metrics.
  EXPECT_EQ(metrics.find(sandbox::ConnectWiseCredentials{}.signing_key), std::string::npos);

  EXPECT_TRUE(eventually(
      [&] {
        return metric_value(get(stack_.normalize().operator_port(), "/metrics").body,
                            R"(switchyard_normalize_events_total{tenant="acme",type="ticket"})") == 1;
      },
      std::chrono::seconds(20)));
}

// /readyz needs no authentication, so it must never hold an IO thread: while Kafka is down
// a readiness check blocks for a second, and many probes would otherwise stall webhooks.
TEST_F(PipelineWebhookTest, ReadinessProbesDuringAnOutageNeverDelayOtherRequests) {
  using clock = std::chrono::steady_clock;
  constexpr auto kDeadline = std::chrono::milliseconds(750);  // a blocked IO thread costs >= 1 s
  auto status_of = [this](http::HttpClient& client, const std::string& method, const std::string& path,
                          std::chrono::milliseconds timeout, http::Headers headers = {}, std::string body = "") {
    // Webhooks on their listener, the probes on the operator listener.
    const std::string base =
        path.starts_with("/v1/webhooks/") ? stack_.ingest_webhook_url() : stack_.ingest_operator_url();
    auto r = client.send({.method = method, .url = base + path, .headers = std::move(headers),
                          .body = std::move(body), .timeout = timeout});
    return r.ok() ? r->status : 0;
  };

  stack_.kafka().set_brokers_down(true);
  ASSERT_TRUE(eventually([&] { return status_of(client_, "GET", "/readyz", std::chrono::seconds(5)) == 503; },
                         std::chrono::seconds(15)));

  // Probes from more clients than ingest has IO threads, for as long as the test measures.
  std::atomic<bool> stop{false};
  std::atomic<int> probes{0};
  std::vector<std::thread> probers;
  for (int i = 0; i < 8; ++i) {
    probers.emplace_back([&] {
      http::HttpClient client;
      while (!stop) {
        status_of(client, "GET", "/readyz", std::chrono::seconds(10));
        ++probes;
      }
    });
  }
  const bool probing = eventually([&] { return probes >= 8; }, std::chrono::seconds(20));

  // Each request must be answered before the deadline, not merely eventually.
  const std::string body = connectwise_ticket_callback(seed_ticket("Never stalled"));
  struct Answer {
    std::string what;
    int status;
    clock::duration took;
  };
  std::vector<Answer> answers;
  auto timed = [&](std::string what, auto&& request) {
    const auto start = clock::now();
    const int status = request();
    answers.push_back({std::move(what), status, clock::now() - start});
  };
  for (int i = 0; i < 5; ++i) {
    timed("healthz", [&] { return status_of(client_, "GET", "/healthz", kDeadline); });
    timed("readyz", [&] { return status_of(client_, "GET", "/readyz", kDeadline); });
    timed("webhook", [&] {
      return status_of(client_, "POST", "/v1/webhooks/connectwise/acme", kDeadline,
                       {{"x-content-signature", "bm90IHRoZSBzaWduYXR1cmU="}}, body);
    });
  }
  stop = true;
  for (auto& t : probers) t.join();
  ASSERT_TRUE(probing) << "the probes never got going";

  for (const auto& a : answers) {
    const int expected = a.what == "healthz" ? 200 : a.what == "readyz" ? 503 : 401;
    EXPECT_EQ(a.status, expected) << a.what << " not answered within " << kDeadline.count() << " ms";
    EXPECT_LT(a.took, kDeadline) << a.what;
  }

  stack_.kafka().set_brokers_down(false);
  EXPECT_TRUE(eventually([&] { return status_of(client_, "GET", "/readyz", std::chrono::seconds(5)) == 200; },
                         std::chrono::seconds(15)));
}

TEST_F(PipelineWebhookTest, ReadinessFailsWhileKafkaIsDown) {
  auto get_ready = [this] {
    auto r = client_.send({.method = "GET", .url = stack_.ingest_operator_url() + "/readyz",
                           .timeout = std::chrono::milliseconds(5000)});
    return r.ok() ? r->status : 0;
  };
  EXPECT_EQ(get_ready(), 200);
  stack_.kafka().set_brokers_down(true);
  EXPECT_TRUE(eventually([&] { return get_ready() == 503; }, std::chrono::seconds(15)));
  stack_.kafka().set_brokers_down(false);
  EXPECT_TRUE(eventually([&] { return get_ready() == 200; }, std::chrono::seconds(15)));
}

}  // namespace
}  // namespace switchyard::testing
