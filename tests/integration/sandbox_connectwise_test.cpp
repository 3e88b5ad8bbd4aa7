// The PSA sandbox's ConnectWise imitation, exercised over real HTTP on 127.0.0.1 the way a
// connector talks to ConnectWise: auth, conditions, paging, create/patch/delete, errors,
// faults, signed callbacks and the control endpoints.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <simdjson.h>

#include <atomic>
#include <mutex>
#include <string>

#include <gtest/gtest.h>

#include "common/http_client.h"
#include "common/http_server.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {
namespace {

using http::ClientRequest;
using http::ClientResponse;
using http::HttpClient;

std::string base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(len));
  return out;
}

// Computed here with OpenSSL directly, independent of the sandbox's own helpers.
std::string expected_signature(const std::string& signing_key, const std::string& body) {
  unsigned char key[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(signing_key.data()), signing_key.size(), key);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key, sizeof key, reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &mac_len);
  return base64(mac, mac_len);
}

std::string basic_auth(const std::string& user, const std::string& password) {
  const std::string plain = user + ":" + password;
  return "Basic " + base64(reinterpret_cast<const unsigned char*>(plain.data()), plain.size());
}

class SandboxConnectWiseTest : public ::testing::Test {
 protected:
  void SetUp() override { sandbox_.start(); }
  void TearDown() override { sandbox_.stop(); }

  http::Headers auth() const {
    const ConnectWiseCredentials c;
    return {{"Authorization", basic_auth(c.company_id + "+" + c.public_key, c.private_key)}, {"clientId", c.client_id}};
  }

  ClientResponse call(std::string method, const std::string& path, std::string body = {},
                      std::optional<http::Headers> headers = std::nullopt) {
    ClientRequest req;
    req.method = std::move(method);
    req.url = path.rfind("http", 0) == 0 ? path : sandbox_.connectwise_base_url() + path;
    req.headers = headers ? *headers : auth();
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    req.body = std::move(body);
    auto r = client_.send(req);
    EXPECT_TRUE(r.ok()) << req.method << " " << req.url << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? std::move(r).value() : ClientResponse{};
  }

  simdjson::dom::element parse(const std::string& text) {
    simdjson::dom::element root;
    EXPECT_EQ(parser_.parse(text).get(root), simdjson::SUCCESS) << text;
    return root;
  }

  std::vector<int64_t> ids_of(const std::string& body) {
    std::vector<int64_t> ids;
    simdjson::dom::array items;
    if (parse(body).get(items) != simdjson::SUCCESS) return ids;
    for (auto item : items) ids.push_back(item["id"].get_int64().value());
    return ids;
  }

  Sandbox sandbox_;
  HttpClient client_;
  simdjson::dom::parser parser_;
};

TEST_F(SandboxConnectWiseTest, AuthFailuresAre401WithConnectWiseBody) {
  const ConnectWiseCredentials c;
  auto r = call("GET", "/service/tickets", {}, http::Headers{});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(std::string_view(parse(r.body)["code"].get_string().value()), "Unauthorized");

  r = call("GET", "/service/tickets", {},
           http::Headers{{"Authorization", basic_auth(c.company_id + "+" + c.public_key, "wrong")},
                         {"clientId", c.client_id}});
  EXPECT_EQ(r.status, 401);

  r = call("GET", "/service/tickets", {},
           http::Headers{{"Authorization", basic_auth(c.company_id + "+" + c.public_key, c.private_key)}});
  EXPECT_EQ(r.status, 401) << "clientId is required";
  EXPECT_NE(r.body.find("clientId"), std::string::npos);

  r = call("GET", "/service/tickets");
  EXPECT_EQ(r.status, 200);
}

TEST_F(SandboxConnectWiseTest, ConditionsFilterOnLastUpdated) {
  // Seeds were last updated in 2024; touching ticket 2 makes it the only recent one.
  const std::string stored = sandbox_.upsert_record("connectwise", "tickets", R"J({"id":2,"summary":"VPN (touched)"})J");
  EXPECT_NE(stored.find("VPN (touched)"), std::string::npos);

  auto r = call("GET", "/service/tickets?conditions=" + http::url_encode("lastUpdated > [2025-01-01T00:00:00Z]"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ids_of(r.body), std::vector<int64_t>{2});

  r = call("GET", "/service/tickets?conditions=" + http::url_encode("lastUpdated < [2025-01-01T00:00:00Z]"));
  EXPECT_EQ(ids_of(r.body), std::vector<int64_t>{1});

  r = call("GET", "/service/tickets?conditions=" +
                      http::url_encode("lastUpdated >= [2024-01-01T00:00:00Z] and company/id = 1"));
  EXPECT_EQ(ids_of(r.body), std::vector<int64_t>{1});

  r = call("GET", "/service/tickets?conditions=" + http::url_encode("id = 2 or status/name = \"new\""));
  EXPECT_EQ(ids_of(r.body), (std::vector<int64_t>{1, 2}));

  r = call("GET", "/service/tickets?orderBy=" + http::url_encode("id desc"));
  EXPECT_EQ(ids_of(r.body), (std::vector<int64_t>{2, 1}));

  r = call("GET", "/service/tickets/count?conditions=" + http::url_encode("closedFlag = false"));
  EXPECT_EQ(parse(r.body)["count"].get_int64().value(), 2);

  r = call("GET", "/service/tickets?conditions=" + http::url_encode("lastUpdated > [not a date]"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(std::string_view(parse(r.body)["code"].get_string().value()), "InvalidObject");
}

TEST_F(SandboxConnectWiseTest, PagingWithLinkHeader) {
  for (int i = 0; i < 3; ++i) {
    auto r = call("POST", "/service/tickets", R"({"summary":"Paged )" + std::to_string(i) + R"(","company":{"id":1}})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto r = call("GET", "/service/tickets?pageSize=2&page=1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(ids_of(r.body), (std::vector<int64_t>{1, 2}));
  const std::string link(r.header("Link"));
  EXPECT_NE(link.find("page=2>; rel=\"next\""), std::string::npos) << link;
  EXPECT_NE(link.find("page=3>; rel=\"last\""), std::string::npos) << link;

  // Follow rel="next" verbatim.
  const size_t start = link.find('<') + 1;
  const std::string next = link.substr(start, link.find('>') - start);
  r = call("GET", next);
  EXPECT_EQ(ids_of(r.body), (std::vector<int64_t>{3, 4}));

  r = call("GET", "/service/tickets?pageSize=2&page=3");
  EXPECT_EQ(ids_of(r.body), std::vector<int64_t>{5});
  const std::string last_link(r.header("Link"));
  EXPECT_EQ(last_link.find("rel=\"next\""), std::string::npos) << last_link;
  EXPECT_NE(last_link.find("rel=\"prev\""), std::string::npos) << last_link;

  r = call("GET", "/service/tickets");  // default pageSize 25: everything, no Link
  EXPECT_EQ(ids_of(r.body).size(), 5u);
  EXPECT_EQ(r.header("Link"), "");

  r = call("GET", "/service/tickets?pageSize=1001");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(std::string_view(parse(r.body)["code"].get_string().value()), "InvalidObject");
}

TEST_F(SandboxConnectWiseTest, CreateValidatesAndReturnsTheRecord) {
  auto r = call("POST", "/service/tickets", R"({"initialDescription":"no summary"})");
  ASSERT_EQ(r.status, 400);
  auto body = parse(r.body);
  EXPECT_EQ(std::string_view(body["code"].get_string().value()), "InvalidObject");
  auto error = body["errors"].at(0);
  EXPECT_EQ(std::string_view(error["code"].get_string().value()), "MissingRequiredField");
  EXPECT_EQ(std::string_view(error["field"].get_string().value()), "summary");
  EXPECT_EQ(std::string_view(error["resource"].get_string().value()), "ticket");

  r = call("POST", "/service/tickets", R"({"summary":")" + std::string(101, 's') + R"("})");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(std::string_view(parse(r.body)["errors"].at(0)["code"].get_string().value()), "MaxLengthField");

  r = call("POST", "/service/tickets", R"({"summary":"Disk full","company":{"id":99}})");
  EXPECT_EQ(r.status, 400) << "unknown company";

  r = call("POST", "/service/tickets",
           R"({"summary":"Disk full","company":{"id":2},"externalXRef":"sy-123","status":{"name":"In Progress"}})");
  ASSERT_EQ(r.status, 201) << r.body;
  body = parse(r.body);
  EXPECT_EQ(body["id"].get_int64().value(), 3) << "refused creates use no ids";
  EXPECT_EQ(std::string_view(body["company"]["identifier"].get_string().value()), "Globex");
  EXPECT_EQ(body["status"]["id"].get_int64().value(), 2);
  EXPECT_FALSE(body["closedFlag"].get_bool().value());
  EXPECT_EQ(std::string_view(body["_info"]["lastUpdated"].get_string().value()).size(), 20u);  // ...T10:00:00Z

  r = call("POST", "/company/companies", R"({"name":"No identifier"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(std::string_view(parse(r.body)["errors"].at(0)["field"].get_string().value()), "identifier");

  const auto writes = sandbox_.writes();
  ASSERT_EQ(writes.size(), 5u);
  EXPECT_EQ(writes[0].psa, "connectwise");
  EXPECT_EQ(writes[0].method, "POST");
  EXPECT_EQ(writes[0].path, "/connectwise/v4_6_release/apis/3.0/service/tickets");
  EXPECT_EQ(writes[0].status, 400);
  EXPECT_EQ(writes[3].status, 201);
  EXPECT_NE(writes[3].body.find("sy-123"), std::string::npos);
  EXPECT_EQ(sandbox_.records("connectwise", "tickets").size(), 3u);
}

TEST_F(SandboxConnectWiseTest, PatchClosesTicketAndBumpsLastUpdated) {
  auto r = call("PATCH", "/service/tickets/1",
                R"([{"op":"replace","path":"status/name","value":"Closed"},{"op":"replace","path":"summary","value":"Fire out"}])");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = parse(r.body);
  EXPECT_EQ(std::string_view(body["summary"].get_string().value()), "Fire out");
  EXPECT_EQ(std::string_view(body["status"]["name"].get_string().value()), "Closed");
  EXPECT_TRUE(body["closedFlag"].get_bool().value());
  EXPECT_TRUE(body["closedDate"].is_string());
  EXPECT_GT(std::string_view(body["_info"]["lastUpdated"].get_string().value()), "2025-01-01T00:00:00Z");

  r = call("PATCH", "/service/tickets/1", R"([{"op":"replace","path":"status/name","value":"No Such Status"}])");
  EXPECT_EQ(r.status, 400);
  r = call("PATCH", "/service/tickets/1", R"([{"op":"replace","path":"id","value":7}])");
  EXPECT_EQ(r.status, 400);
  r = call("PATCH", "/service/tickets/1", R"({"summary":"not an array"})");
  EXPECT_EQ(r.status, 400);
  r = call("PATCH", "/service/tickets/42", R"([{"op":"replace","path":"summary","value":"x"}])");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(std::string_view(parse(r.body)["code"].get_string().value()), "NotFound");
}

TEST_F(SandboxConnectWiseTest, PutReplacesAndDeleteRemoves) {
  auto r = call("PUT", "/company/companies/2", R"({"identifier":"Globex","name":"Globex Intl"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(std::string_view(parse(r.body)["name"].get_string().value()), "Globex Intl");
  EXPECT_EQ(r.body.find("website"), std::string::npos) << "PUT replaces the whole record";

  r = call("DELETE", "/company/companies/2");
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  r = call("GET", "/company/companies/2");
  EXPECT_EQ(r.status, 404);
}

TEST_F(SandboxConnectWiseTest, AgreementAdditionsLiveUnderTheirAgreement) {
  auto r = call("POST", "/finance/agreements/1/additions",
                R"({"product":{"id":7,"identifier":"M365-E3"},"quantity":12,"unitPrice":36.0})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(parse(r.body)["agreementId"].get_int64().value(), 1);
  r = call("GET", "/finance/agreements/1/additions");
  EXPECT_EQ(ids_of(r.body).size(), 1u);
  r = call("POST", "/finance/agreements/77/additions", R"({"product":{"id":7}})");
  EXPECT_EQ(r.status, 404);
}

TEST_F(SandboxConnectWiseTest, TicketNotesLiveUnderTheirTicket) {
  auto ticket = call("POST", "/service/tickets", R"({"summary":"noted","company":{"id":1}})");
  ASSERT_EQ(ticket.status, 201) << ticket.body;
  const std::string id = std::to_string(parse(ticket.body)["id"].get_int64().value());
  auto r = call("POST", "/service/tickets/" + id + "/notes", R"({"text":"checked the printer","internalAnalysisFlag":true})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(std::to_string(parse(r.body)["ticketId"].get_int64().value()), id);
  EXPECT_FALSE(parse(r.body)["detailDescriptionFlag"].get_bool().value());
  r = call("GET", "/service/tickets/" + id + "/notes?conditions=" + http::url_encode("text contains \"printer\""));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ids_of(r.body).size(), 1u);
  EXPECT_EQ(call("POST", "/service/tickets/999999/notes", R"({"text":"x"})").status, 404);
  EXPECT_EQ(call("POST", "/service/tickets/" + id + "/notes", R"({"internalAnalysisFlag":true})").status, 400);
}

TEST_F(SandboxConnectWiseTest, InjectedFaultAnswers429WithRetryAfterAndStoresNothing) {
  sandbox_.inject_fault("connectwise", Fault{429, 7, 2});
  for (int i = 0; i < 2; ++i) {
    auto r = call("POST", "/service/tickets", R"({"summary":"during throttling","company":{"id":1}})");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.header("Retry-After"), "7");
    EXPECT_TRUE(parse(r.body)["code"].is_string());
  }
  EXPECT_EQ(sandbox_.records("connectwise", "tickets").size(), 2u);
  auto r = call("POST", "/service/tickets", R"({"summary":"after throttling","company":{"id":1}})");
  EXPECT_EQ(r.status, 201);
  const auto writes = sandbox_.writes();
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_EQ(writes[0].status, 429);
  EXPECT_EQ(writes[1].status, 429);
  EXPECT_EQ(writes[2].status, 201);
  EXPECT_EQ(sandbox_.records("connectwise", "tickets").size(), 3u);
}

TEST_F(SandboxConnectWiseTest, SignedCallbackVerifiesIndependently) {
  struct Received {
    std::mutex mu;
    std::string body;
    std::string signature;
    std::string content_type;
  } received;
  http::HttpServer receiver({});
  receiver.route("POST", "/hooks/cw", [&](http::Request&& req, http::Responder respond) {
    std::lock_guard lock(received.mu);
    received.body = req.body;
    received.signature = std::string(req.header("x-content-signature"));
    received.content_type = std::string(req.header("content-type"));
    respond(http::json_response(202, "{}"));
  });
  receiver.start();
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hooks/cw";

  auto status = sandbox_.fire_connectwise_callback(url, "ticket", "1", "updated");
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(*status, 202);

  std::unique_lock lock(received.mu);
  const ConnectWiseCredentials c;
  EXPECT_EQ(received.signature, expected_signature(c.signing_key, received.body));
  EXPECT_NE(received.signature, expected_signature("another-key", received.body));
  EXPECT_EQ(received.content_type, "application/json");

  auto msg = parse(received.body);
  EXPECT_EQ(std::string_view(msg["Action"].get_string().value()), "updated");
  EXPECT_EQ(std::string_view(msg["Type"].get_string().value()), "ticket");
  EXPECT_EQ(msg["ID"].get_int64().value(), 1);
  EXPECT_EQ(std::string_view(msg["CompanyId"].get_string().value()), c.company_id);
  EXPECT_EQ(std::string_view(msg["MessageId"].get_string().value()).size(), 36u);
  // Entity is the record as an escaped JSON string, not an object.
  ASSERT_TRUE(msg["Entity"].is_string());
  simdjson::dom::parser inner;
  simdjson::dom::element entity;
  ASSERT_EQ(inner.parse(std::string(msg["Entity"].get_string().value())).get(entity), simdjson::SUCCESS);
  EXPECT_EQ(entity["id"].get_int64().value(), 1);
  EXPECT_EQ(std::string_view(entity["summary"].get_string().value()), "Printer on fire");

  // key_url serves the signing key to an authenticated caller.
  const std::string key_url(msg["Metadata"]["key_url"].get_string().value());
  auto key = call("GET", key_url);
  ASSERT_EQ(key.status, 200) << key.body;
  EXPECT_EQ(std::string_view(parse(key.body)["signing_key"].get_string().value()), c.signing_key);
  EXPECT_EQ(call("GET", key_url, {}, http::Headers{}).status, 401);

  lock.unlock();  // the receiver takes it for the next callback

  auto missing = sandbox_.fire_connectwise_callback(url, "ticket", "999", "updated");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "not_found");
  auto deleted = sandbox_.fire_connectwise_callback(url, "ticket", "999", "deleted");
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  lock.lock();
  EXPECT_EQ(std::string_view(parse(received.body)["Entity"].get_string().value()), "");
  EXPECT_EQ(std::string_view(parse(received.body)["Action"].get_string().value()), "deleted");
  lock.unlock();
  receiver.stop();
}

TEST_F(SandboxConnectWiseTest, ControlEndpointsDriveTheSandboxOverHttp) {
  ClientRequest req;
  req.method = "POST";
  req.url = sandbox_.base_url() + "/_sandbox/faults/connectwise";
  req.body = R"({"status":503,"retry_after_seconds":3,"count":1})";
  auto r = client_.send(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(call("GET", "/service/tickets").status, 503);
  EXPECT_EQ(call("GET", "/service/tickets").status, 200);

  req.url = sandbox_.base_url() + "/_sandbox/records/connectwise/service/tickets";
  req.body = R"({"summary":"seeded over http"})";
  r = client_.send(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(parse(r->body)["id"].get_int64().value(), 3);

  req.method = "GET";
  req.body.clear();
  req.url = sandbox_.base_url() + "/_sandbox/records/connectwise/tickets";
  r = client_.send(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ids_of(r->body), (std::vector<int64_t>{1, 2, 3}));

  call("POST", "/service/tickets", R"({"summary":"recorded"})");
  req.url = sandbox_.base_url() + "/_sandbox/writes";
  r = client_.send(req);
  ASSERT_TRUE(r.ok());
  auto writes = parse(r->body);
  ASSERT_EQ(writes.get_array().size(), 1u);
  EXPECT_EQ(writes.at(0)["status"].get_int64().value(), 201);

  req.method = "POST";
  req.url = sandbox_.base_url() + "/_sandbox/reset";
  r = client_.send(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sandbox_.records("connectwise", "tickets").size(), 2u);
  EXPECT_TRUE(sandbox_.writes().empty());
}

}  // namespace
}  // namespace switchyard::sandbox
