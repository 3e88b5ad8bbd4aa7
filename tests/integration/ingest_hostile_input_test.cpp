// Hostile input against the real ingest over real HTTP: malformed, truncated, huge and deeply
// nested JSON, wrong types, invalid UTF-8, bad percent-encoding, header floods, oversized
// bodies, bad or missing signatures and tokens, unknown tenants, and bytes that are not HTTP.
// Each must get a 4xx whose body is a JSON reason, nothing may reach the raw or commands topic,
// and ingest must still accept a valid signed webhook afterwards. Requests go over raw sockets
// so the test controls every byte (an HTTP client would fix or refuse some of them).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "common/topics.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/reference_signatures.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

struct RawResponse {
  int status = 0;  // 0: no answer
  std::string body;
};

// Writes `bytes` to a new connection and reads one response (the server may answer and close
// before it has read everything we send: that is fine, the answer is what counts).
RawResponse exchange(uint16_t port, const std::string& bytes) {
  RawResponse out;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return out;
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  for (size_t sent = 0; sent < bytes.size();) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string in;
  char buf[16384];
  for (;;) {
    const size_t end = in.find("\r\n\r\n");
    if (end != std::string::npos) {
      // Content-Length is the only framing our server uses for its answers.
      const size_t cl = in.find("Content-Length: ");
      if (cl != std::string::npos && cl < end) {
        const size_t length = std::stoul(in.substr(cl + 16));
        if (in.size() >= end + 4 + length) {
          in.resize(end + 4 + length);
          break;
        }
      }
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (in.starts_with("HTTP/1.1 ") && in.size() >= 12) out.status = std::stoi(in.substr(9, 3));
  if (const size_t end = in.find("\r\n\r\n"); end != std::string::npos) out.body = in.substr(end + 4);
  return out;
}

std::string request(const std::string& method, const std::string& target, const std::string& body,
                    const std::vector<std::string>& headers = {}) {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: ingest.test\r\nConnection: close\r\n";
  for (const auto& h : headers) r += h + "\r\n";
  r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return r + body;
}

const std::string kConnectWisePath = "/v1/webhooks/connectwise/acme";
const std::string kAutotaskPath = "/v1/webhooks/autotask/globex";
const std::string kCommandsPath = "/v1/tenants/acme/commands";

std::string cw_signed(const std::string& body) {
  return "x-content-signature: " + cw_signature(sandbox::ConnectWiseCredentials{}.signing_key, body);
}
std::string at_signed(const std::string& body) {
  return "X-Hook-Signature: " + at_signature(sandbox::AutotaskCredentials{}.webhook_secret, body);
}
std::string bearer() { return "Authorization: Bearer " + std::string(kApiToken); }

const std::string kTicket = R"({"id":4242,"summary":"Printer down","_info":{"lastUpdated":"2026-11-25T10:00:00Z"}})";

struct Case {
  std::string name;
  std::string bytes;  // the whole request as sent
};

class IngestHostileInputTest : public ::testing::Test {
 protected:
  uint16_t port() { return stack_.ingest().webhook_port(); }

  // A 4xx with {"error":{"code":"...","message":"..."}} (valid JSON, so valid UTF-8).
  void expect_rejected(const Case& c) {
    SCOPED_TRACE(c.name);
    const RawResponse r = exchange(port(), c.bytes);
    EXPECT_GE(r.status, 400) << c.name << ": " << r.body;
    EXPECT_LT(r.status, 500) << c.name << ": " << r.body;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    ASSERT_EQ(parser.parse(r.body).get(root), simdjson::SUCCESS) << c.name << ": body is not JSON: " << r.body;
    std::string_view code, message;
    EXPECT_EQ(root["error"]["code"].get(code), simdjson::SUCCESS) << c.name << ": " << r.body;
    EXPECT_EQ(root["error"]["message"].get(message), simdjson::SUCCESS) << c.name << ": " << r.body;
    EXPECT_FALSE(code.empty()) << c.name;
  }

  void expect_all_rejected(const std::vector<Case>& cases) {
    for (const Case& c : cases) expect_rejected(c);
  }

  // Every request was answered, and ingest answers only after Kafka acknowledged (202) or
  // without producing (4xx): what is on the topic now is all there will be.
  size_t messages_on(std::string_view topic) {
    return read_topic_to_end(stack_.kafka().bootstrap(), std::string(topic)).size();
  }

  // Nothing got through, and ingest still takes a valid webhook (and only that one).
  void expect_nothing_produced_and_still_serving() {
    EXPECT_EQ(messages_on(topics::kRaw), 0u);
    EXPECT_EQ(messages_on(topics::kCommands), 0u);
    const std::string body = connectwise_ticket_callback(kTicket);
    const RawResponse ok = exchange(port(), request("POST", kConnectWisePath, body, {cw_signed(body)}));
    EXPECT_EQ(ok.status, 202) << ok.body;
    EXPECT_EQ(messages_on(topics::kRaw), 1u);
    EXPECT_EQ(messages_on(topics::kCommands), 0u);
  }

  PipelineStack stack_{StackOptions{.normalize = false, .dispatch = false}};
};

TEST_F(IngestHostileInputTest, HostileWebhookBodiesAreRejected) {
  const std::string valid = connectwise_ticket_callback(kTicket);
  const std::string deep_array(30000, '[');
  std::string deep_object;
  for (int i = 0; i < 3000; ++i) deep_object += R"({"a":)";
  std::vector<Case> cases;
  const auto signed_cw = [&](std::string name, std::string body) {
    cases.push_back({std::move(name), request("POST", kConnectWisePath, body, {cw_signed(body)})});
  };
  const auto signed_at = [&](std::string name, std::string body) {
    cases.push_back({std::move(name), request("POST", kAutotaskPath, body, {at_signed(body)})});
  };
  // Correctly signed, so they reach the decoder.
  signed_cw("malformed json", R"({"Type":"ticket","ID":)");
  signed_cw("truncated callback", valid.substr(0, valid.size() / 2));
  signed_cw("not an object", R"(["ticket",4242])");
  signed_cw("wrong types", R"({"Type":42,"ID":{"id":1},"Action":true,"Entity":[]})");
  signed_cw("fractional id", R"({"Type":"ticket","ID":1.5,"Action":"updated","Entity":"{}"})");
  signed_cw("number out of range", R"({"Type":"ticket","ID":1e999,"Action":"updated"})");
  signed_cw("deep array", deep_array);
  signed_cw("deep object", deep_object);
  std::string escaped;  // deep_object as a JSON string: only its quotes need escaping
  for (char c : deep_object) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  signed_cw("deep entity", R"({"Type":"ticket","ID":1,"Action":"updated","Entity":")" + escaped + R"("})");
  signed_cw("entity not json", R"({"Type":"ticket","ID":1,"Action":"updated","Entity":"{not json"})");
  signed_cw("entity without version", connectwise_ticket_callback(R"({"id":4242,"summary":"x"})"));
  signed_cw("bad entity time",
            connectwise_ticket_callback(R"({"id":1,"_info":{"lastUpdated":"2026-02-30T10:00:00Z"}})"));
  signed_cw("invalid utf-8", "{\"Type\":\"ticket\xff\xfe\",\"ID\":1,\"Action\":\"updated\"}");
  signed_cw("overlong utf-8", "{\"Type\":\"\xc0\xaf\",\"ID\":1,\"Action\":\"deleted\"}");
  signed_cw("lone surrogate escape", R"({"Type":"\ud800","ID":1,"Action":"deleted"})");
  signed_cw("nul bytes", std::string("{\"Type\":\"ticket\"\0,\"ID\":1}", 25));
  signed_cw("unknown action", R"({"Type":"ticket","ID":1,"Action":"exploded"})");
  signed_cw("unknown entity", R"({"Type":"opportunity","ID":1,"Action":"deleted"})");
  signed_cw("empty body", "");
  signed_at("autotask wrong types", R"({"EntityType":["Ticket"],"Id":"","Action":"Update","Fields":[]})");
  signed_at("autotask malformed", R"({"EntityType":"Ticket","Id":123,"Action":"Upd)");
  signed_at("autotask unknown action", R"({"EntityType":"Ticket","Id":123,"Action":"Explode"})");
  // Signatures.
  cases.push_back({"missing signature", request("POST", kConnectWisePath, valid)});
  cases.push_back({"wrong signature", request("POST", kConnectWisePath, valid, {"x-content-signature: AAAA"})});
  cases.push_back({"signature of another body", request("POST", kConnectWisePath, valid, {cw_signed(valid + " ")})});
  cases.push_back(
      {"signature with another key",
       request("POST", kConnectWisePath, valid, {"x-content-signature: " + cw_signature("not-the-key", valid)})});
  cases.push_back({"autotask signature on connectwise", request("POST", kConnectWisePath, valid, {at_signed(valid)})});
  cases.push_back(
      {"autotask without sha1=", request("POST", kAutotaskPath, valid, {at_signed(valid).replace(18, 5, "")})});
  cases.push_back({"autotask bad signature", request("POST", kAutotaskPath, valid, {"X-Hook-Signature: sha1=AAAA"})});
  // Tenants and PSAs that do not exist or do not match (signed with the real key: still refused).
  cases.push_back({"unknown tenant", request("POST", "/v1/webhooks/connectwise/nosuch", valid, {cw_signed(valid)})});
  cases.push_back({"tenant of another psa", request("POST", "/v1/webhooks/autotask/acme", valid, {at_signed(valid)})});
  cases.push_back({"unknown psa", request("POST", "/v1/webhooks/nopsa/acme", valid, {cw_signed(valid)})});
  cases.push_back({"wrong method", request("GET", kConnectWisePath, "")});
  expect_all_rejected(cases);

  // No probing for tenants: an unknown tenant, a tenant of another PSA and a missing or wrong
  // signature get the very same answer.
  const RawResponse bad_signature =
      exchange(port(), request("POST", kConnectWisePath, valid, {"x-content-signature: AAAA"}));
  EXPECT_EQ(bad_signature.status, 401);
  for (const std::string& bytes : {request("POST", kConnectWisePath, valid),
                                   request("POST", "/v1/webhooks/connectwise/nosuch", valid, {cw_signed(valid)}),
                                   request("POST", "/v1/webhooks/autotask/acme", valid, {at_signed(valid)}),
                                   request("POST", "/v1/webhooks/connectwise/%FF", valid, {cw_signed(valid)})}) {
    const RawResponse r = exchange(port(), bytes);
    EXPECT_EQ(r.status, bad_signature.status) << bytes.substr(0, bytes.find('\r'));
    EXPECT_EQ(r.body, bad_signature.body) << bytes.substr(0, bytes.find('\r'));
  }
  expect_nothing_produced_and_still_serving();
}

TEST_F(IngestHostileInputTest, MalformedRequestsAreRejected) {
  const std::string valid = connectwise_ticket_callback(kTicket);
  const std::string sig = cw_signed(valid);
  std::vector<Case> cases;
  // Bad percent-encoding and bytes in paths; the answers echo the decoded path or tenant.
  for (const std::string path :
       {"/v1/webhooks/connectwise/%FF%FE", "/v1/webhooks/%C0%AF/acme", "/v1/webhooks/connectwise/ac%00me",
        "/v1/webhooks/connectwise/%", "/v1/webhooks/connectwise/%zz", "/v1/webhooks/connectwise/acme%2F..%2F..",
        "/v1/webhooks/connectwise/%ED%A0%80", "/v1/webhooks//acme", "/v1/webhooks/connectwise/acme/extra", "/v1/%FF"}) {
    cases.push_back({"path " + path, request("POST", path, valid, {sig})});
  }
  cases.push_back({"raw 0xff in path", request("POST", "/v1/webhooks/connectwise/\xff", valid, {sig})});
  cases.push_back({"not an absolute path", request("POST", "v1/webhooks/connectwise/acme", valid, {sig})});
  cases.push_back(
      {"absolute-form target", request("POST", "http://evil.test/v1/webhooks/connectwise/acme", valid, {sig})});
  // Header floods: one huge header, and thousands of small ones (limit 16 KiB).
  cases.push_back(
      {"huge header", request("POST", kConnectWisePath, valid, {sig, "X-Flood: " + std::string(20000, 'a')})});
  std::vector<std::string> many{sig};
  for (int i = 0; i < 3000; ++i) many.push_back("X-F" + std::to_string(i) + ": y");
  cases.push_back({"header flood", request("POST", kConnectWisePath, valid, many)});
  // Oversized bodies (the stack's limit is 64 KiB): announced only, and actually sent.
  cases.push_back({"announced oversized body",
                   "POST " + kConnectWisePath + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n{}"});
  const std::string big = R"({"Type":"ticket","pad":")" + std::string(200000, 'x') + R"("})";
  cases.push_back({"oversized body", request("POST", kConnectWisePath, big, {cw_signed(big)})});
  const std::string big_chunk = "30000\r\n" + std::string(0x30000, '[') + "\r\n0\r\n\r\n";
  cases.push_back(
      {"oversized chunked body",
       "POST " + kConnectWisePath + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + big_chunk});
  // Framing that could smuggle a second request.
  cases.push_back(
      {"two content lengths",
       "POST " + kConnectWisePath + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}"});
  cases.push_back(
      {"bad content length", "POST " + kConnectWisePath + " HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"});
  cases.push_back(
      {"bad chunk size",
       "POST " + kConnectWisePath + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"});
  // Not HTTP at all.
  cases.push_back({"tls client hello", std::string("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11) + "\r\n\r\n"});
  cases.push_back({"garbage request line", "\x01\x02 / HTTP/1.1\r\n\r\n"});
  cases.push_back({"bad version", "POST " + kConnectWisePath + " HTTP/9.9\r\nHost: x\r\n\r\n"});
  cases.push_back({"header without colon", "POST " + kConnectWisePath + " HTTP/1.1\r\nHost x\r\n\r\n"});
  cases.push_back({"bare LF in header", "POST " + kConnectWisePath + " HTTP/1.1\r\nHost: x\nX: y\r\n\r\n"});
  expect_all_rejected(cases);
  expect_nothing_produced_and_still_serving();
}

TEST_F(IngestHostileInputTest, HostileCommandsAreRejected) {
  const std::string valid =
      R"({"id":"cmd-1","tenant":"acme","type":"ticket.upsert","payload":{"external_ref":"alert-9","title":"Disk full"}})";
  std::vector<Case> cases;
  const auto with_token = [&](std::string name, std::string body, std::string path = kCommandsPath) {
    cases.push_back({std::move(name), request("POST", path, body, {bearer()})});
  };
  with_token("malformed json", R"({"id":"cmd-1","tenant":)");
  with_token("truncated", valid.substr(0, valid.size() - 3));
  with_token("not an object", R"(["ticket.upsert"])");
  with_token("wrong types", R"({"id":1,"tenant":["acme"],"type":"ticket.upsert","payload":"x"})");
  with_token("wrong payload types",
             R"({"id":"c","tenant":"acme","type":"billing_line.add",)"
             R"("payload":{"external_ref":"u","agreement_id":"1","description":"d","quantity":"2"}})");
  with_token("negative quantity",
             R"({"id":"c","tenant":"acme","type":"billing_line.add",)"
             R"("payload":{"external_ref":"u","agreement_id":"1","description":"d","quantity":-2}})");
  with_token("unknown type", R"({"id":"c","tenant":"acme","type":"ticket.delete","payload":{}})");
  with_token("bad id characters",
             R"({"id":"c/../x","tenant":"acme","type":"ticket.close","payload":{"external_ref":"r"}})");
  with_token("deep nesting", std::string(30000, '['));
  with_token("deep payload", R"({"id":"c","tenant":"acme","type":"ticket.upsert","payload":)" + std::string(5000, '['));
  with_token("invalid utf-8",
             "{\"id\":\"c\",\"tenant\":\"acme\",\"type\":\"ticket.upsert\",\"payload\":"
             "{\"external_ref\":\"r\",\"title\":\"\xff\xfe\"}}");
  with_token("tenant mismatch", R"({"id":"c","tenant":"globex","type":"ticket.close","payload":{"external_ref":"r"}})");
  with_token("unknown tenant", valid, "/v1/tenants/nosuch/commands");
  with_token("undecodable tenant", valid, "/v1/tenants/%FF%C0/commands");
  with_token("empty body", "");
  with_token("oversized", R"({"id":"c","tenant":"acme","type":"ticket.upsert","payload":{"title":")" +
                              std::string(100000, 't') + R"("}})");
  cases.push_back({"no token", request("POST", kCommandsPath, valid)});
  cases.push_back(
      {"wrong token", request("POST", kCommandsPath, valid, {"Authorization: Bearer not-a-token-0123456789"})});
  cases.push_back(
      {"token as basic", request("POST", kCommandsPath, valid, {"Authorization: Basic " + std::string(kApiToken)})});
  cases.push_back({"empty bearer", request("POST", kCommandsPath, valid, {"Authorization: Bearer "})});
  cases.push_back({"token prefix", request("POST", kCommandsPath, valid,
                                           {"Authorization: Bearer " + std::string(kApiToken.substr(0, 10))})});
  expect_all_rejected(cases);
  expect_nothing_produced_and_still_serving();
}

}  // namespace
}  // namespace switchyard::testing
