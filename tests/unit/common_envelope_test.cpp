// Envelopes v1 and v2: JSON round trip keeps the raw body byte for byte (v2 embeds a body the
// connector parsed as the JSON it is); parsing rejects missing fields (naming
// "envelope.<field>"), other versions and bad source/action values; the Kafka key and headers
// carry the routing facts.
#include "common/envelope.h"
#include "common/json_read.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace switchyard {
namespace {

Envelope sample() {
  Envelope e;
  e.tenant = "acme";
  e.psa = "connectwise";
  e.entity = "ticket";
  e.entity_id = "1001";
  e.action = "updated";
  e.source = "webhook";
  e.received_at = "2026-11-25T10:00:01.250Z";
  e.idempotency_key = std::string(64, 'a');
  e.body = R"({"Action":"updated","ID":1001})";
  return e;
}

// Writes a document with `skip` left out and `override_key` set to the raw JSON `override_value`.
std::string envelope_text(const std::string& skip, const std::string& override_key = "",
                          const std::string& override_value = "") {
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"envelope_version", "1"},
      {"tenant", "\"acme\""},
      {"psa", "\"connectwise\""},
      {"entity", "\"ticket\""},
      {"entity_id", "\"1001\""},
      {"action", "\"updated\""},
      {"source", "\"poll\""},
      {"received_at", "\"2026-11-25T10:00:01.250Z\""},
      {"idempotency_key", "\"" + std::string(64, 'b') + "\""},
      {"body", "\"{}\""},
  };
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : fields) {
    if (k == skip) continue;
    if (!first) out += ",";
    first = false;
    out += "\"" + k + "\":" + (k == override_key ? override_value : v);
  }
  return out + "}";
}

TEST(EnvelopeTest, HandWrittenDocumentParses) {
  auto e = envelope_from_json(envelope_text(""));
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(envelope_version(*e), 1);
  EXPECT_FALSE(e->body_is_json);
  EXPECT_EQ(e->tenant, "acme");
  EXPECT_EQ(e->psa, "connectwise");
  EXPECT_EQ(e->entity, "ticket");
  EXPECT_EQ(e->entity_id, "1001");
  EXPECT_EQ(e->action, "updated");
  EXPECT_EQ(e->source, "poll");
  EXPECT_EQ(e->received_at, "2026-11-25T10:00:01.250Z");
  EXPECT_EQ(e->idempotency_key, std::string(64, 'b'));
  EXPECT_EQ(e->body, "{}");
}

TEST(EnvelopeTest, RoundTripKeepsAwkwardBodiesByteForByte) {
  const std::vector<std::string> bodies = {
      "",
      R"({"summary":"Printer \"HQ-2\" down","note":"line1\nline2"})",
      "{\"a\":\"tab\there\",\"b\":\"cr\r\",\"c\":\"\\\\server\\\\share\"}\n",
      // Unicode: 2-, 3- and 4-byte UTF-8, and the JSON-escaped form of the same characters.
      "{\"name\":\"M\xC3\xBCller \xE2\x80\x94 \xF0\x9F\x96\xA8\xEF\xB8\x8F\",\"esc\":\"\\u00fc\\u2028\\ud83d\\udda8\"}",
      // Nested JSON with an escaped JSON string inside (ConnectWise's Entity field).
      R"({"Entity":"{\"id\":1001,\"summary\":\"x \\\"y\\\"\",\"_info\":{\"lastUpdated\":\"2026-11-25T10:00:00Z\"}}","Metadata":{"key_url":"https://x/y"}})",
      // Control characters (NUL included) and a raw backslash at the end.
      std::string("ctl:\x01\x02\x1f\x7f end\\") + std::string(1, '\0') + "after-nul",
      // Whitespace layout must be kept too (signature checks run over the exact bytes).
      "{ \"a\" : [ 1 , 2 ,\r\n 3 ] }",
  };
  for (const std::string& body : bodies) {
    Envelope original = sample();
    original.body = body;
    const std::string json = to_json(original);

    // The serialized envelope itself is one valid JSON document.
    simdjson::dom::parser check;
    simdjson::dom::element root;
    ASSERT_EQ(check.parse(json).get(root), simdjson::SUCCESS) << json;

    auto parsed = envelope_from_json(json);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message << "\n" << json;
    EXPECT_EQ(parsed->body.size(), body.size());
    EXPECT_EQ(parsed->body, body) << json;
    EXPECT_EQ(*parsed, original);
  }
}

TEST(EnvelopeTest, RoundTripOfEveryField) {
  Envelope original = sample();
  original.source = "poll";
  original.action = "deleted";
  original.entity = "company";
  original.entity_id = "guid-7f3a";
  auto parsed = envelope_from_json(to_json(original));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, original);
}

TEST(EnvelopeTest, MissingFieldIsNamed) {
  for (const std::string field : {"tenant", "psa", "entity", "entity_id", "action", "source", "received_at",
                                  "idempotency_key", "body"}) {
    auto e = envelope_from_json(envelope_text(field));
    ASSERT_FALSE(e.ok()) << field;
    EXPECT_NE(e.error().message.find("envelope." + field), std::string::npos)
        << "missing " << field << " gave: " << e.error().message;
  }
}

TEST(EnvelopeTest, WrongTypeIsNamed) {
  auto e = envelope_from_json(envelope_text("", "body", R"({"not":"a string"})"));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("envelope.body"), std::string::npos) << e.error().message;
  e = envelope_from_json(envelope_text("", "entity_id", "1001"));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("envelope.entity_id"), std::string::npos) << e.error().message;
}

TEST(EnvelopeTest, OtherVersionsAreRejected) {
  for (const std::string v : {"3", "0", "-1", "\"1\"", "1.5", "null", "18446744073709551615", "true", "{}"}) {
    auto e = envelope_from_json(envelope_text("", "envelope_version", v));
    ASSERT_FALSE(e.ok()) << "version " << v;
    EXPECT_NE(e.error().message.find("envelope_version"), std::string::npos) << e.error().message;
  }
  auto missing = envelope_from_json(envelope_text("envelope_version"));
  EXPECT_FALSE(missing.ok());
}

// Version 2 (issue #18): a body the connector parsed whole is embedded as the JSON it is, and
// read back as its exact text.
TEST(EnvelopeTest, VersionTwoEmbedsAParsedBodyAndReadsItBackByteForByte) {
  const std::vector<std::string> bodies = {
      R"({"summary":"Printer \"HQ-2\" down","note":"line1\nline2","n":[1,2.5e3,-0,{"deep":[[[]]]}]})",
      R"({"Entity":"{\"id\":1001,\"summary\":\"x \\\"y\\\"\"}","Metadata":{"key_url":"https://x/y"}})",
      "{\"name\":\"M\xC3\xBCller \xF0\x9F\x96\xA8\",\"esc\":\"\\u00fc\\ud83d\\udda8\"}",
      "{ \"a\" : [ 1 , 2 ,\r\n 3 ] }",  // whitespace inside is kept
      R"([{"id":1},{"id":2}])",
      "{}",
  };
  for (const std::string& body : bodies) {
    Envelope original = sample();
    original.body = body;
    original.body_is_json = true;
    ASSERT_EQ(envelope_version(original), 2) << body;
    const std::string json = to_json(original);
    EXPECT_NE(json.find("\"envelope_version\":2"), std::string::npos) << json;
    EXPECT_NE(json.find("\"body\":" + body), std::string::npos) << json;  // embedded, not escaped
    simdjson::dom::parser check;
    simdjson::dom::element root;
    ASSERT_EQ(check.parse(json).get(root), simdjson::SUCCESS) << json;
    auto parsed = envelope_from_json(json);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message << "\n" << json;
    EXPECT_EQ(parsed->body, body);
    EXPECT_TRUE(parsed->body_is_json);
    EXPECT_EQ(*parsed, original);
    // Read where it is, as normalize reads a Kafka message's value: the same envelope.
    std::string spare = json;
    spare.reserve(json.size() + switchyard::json::kPadding);
    auto in_place = envelope_from_json(spare, spare.capacity() - spare.size());
    ASSERT_TRUE(in_place.ok()) << in_place.error().message;
    EXPECT_EQ(*in_place, original);
    for (const auto& h : envelope_kafka_headers(original)) {
      if (h.name == "sy-envelope-version") {
        EXPECT_EQ(h.value, "2");
      }
    }
  }
}

// A parsed body with anything around it (or that is not an object or array) stays a string:
// version 1, so the bytes around it are kept too.
TEST(EnvelopeTest, AParsedBodyWithSpaceAroundItStaysVersionOne) {
  for (const std::string body : {" {\"a\":1}", "{\"a\":1}\n", "\"text\"", "42", "", "{"}) {
    Envelope original = sample();
    original.body = body;
    original.body_is_json = true;
    EXPECT_EQ(envelope_version(original), 1) << body;
    auto parsed = envelope_from_json(to_json(original));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->body, body);
    EXPECT_FALSE(parsed->body_is_json);
  }
}

// SWITCHYARD_ENVELOPE_VERSION=1 (an upgrade with older normalize replicas still running):
// version 1 only, whatever the connector parsed.
TEST(EnvelopeTest, WritingVersionOneOnlyKeepsParsedBodiesInStrings) {
  Envelope original = sample();
  original.body_is_json = true;
  set_envelope_write_version(1);
  const int version = envelope_version(original);
  const std::string json = to_json(original);
  set_envelope_write_version(2);
  EXPECT_EQ(version, 1);
  EXPECT_NE(json.find("\"envelope_version\":1"), std::string::npos) << json;
  auto parsed = envelope_from_json(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->body, original.body);
  EXPECT_FALSE(parsed->body_is_json);
  EXPECT_EQ(envelope_version(original), 2);
}

TEST(EnvelopeTest, EachVersionWantsItsOwnKindOfBody) {
  const auto with = [](const std::string& version, const std::string& body) {
    std::string text = envelope_text("", "body", body);
    return envelope_from_json(text.replace(text.find("\"envelope_version\":1"), 20, "\"envelope_version\":" + version));
  };
  auto e = with("2", R"("{}")");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "envelope.body: must be a JSON object or array in envelope version 2");
  e = with("1", R"({"a":1})");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "envelope.body: must be a string");
  e = with("2", "null");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "envelope.body: required");
  // Another producer may lay its JSON out with spaces: the body ends where its object does.
  e = with("2", "{\"a\" : [1, 2]}  \n ");
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->body, "{\"a\" : [1, 2]}");
}

TEST(EnvelopeTest, RepeatedMembersCountOnceAndUnknownOnesAreSkipped) {
  std::string text = envelope_text("");
  text.insert(1, R"("extra":{"tenant":"nested","body":[1,{"x":"}"}]},"tenant":"first",)");
  auto e = envelope_from_json(text);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->tenant, "first");  // the first of two, as before; the nested one is not a member
  EXPECT_EQ(e->body, "{}");
}

TEST(EnvelopeTest, TrailingContentIsRejected) {
  for (const std::string tail : {"{}", "x", ",", "]"}) {
    auto e = envelope_from_json(envelope_text("") + tail);
    ASSERT_FALSE(e.ok()) << tail;
    EXPECT_EQ(e.error().code, "invalid_envelope") << tail;
  }
  EXPECT_TRUE(envelope_from_json(envelope_text("") + " \n").ok());
}

TEST(EnvelopeTest, BadSourceIsRejected) {
  for (const std::string v : {R"("push")", R"("Webhook")", R"("")"}) {
    auto e = envelope_from_json(envelope_text("", "source", v));
    ASSERT_FALSE(e.ok()) << v;
    EXPECT_NE(e.error().message.find("envelope.source"), std::string::npos) << e.error().message;
  }
}

TEST(EnvelopeTest, EverySourceParsesAndAllButWebhookArePolled) {
  for (const std::string v : {"webhook", "poll", "backfill", "fetch", "resync"}) {
    auto e = envelope_from_json(envelope_text("", "source", "\"" + v + "\""));
    ASSERT_TRUE(e.ok()) << v << ": " << e.error().message;
    EXPECT_EQ(is_polled(*e), v != "webhook") << v;
  }
}

TEST(EnvelopeTest, BadActionIsRejected) {
  for (const std::string v : {R"("upserted")", R"("added")", R"("Update")", R"("")"}) {
    auto e = envelope_from_json(envelope_text("", "action", v));
    ASSERT_FALSE(e.ok()) << v;
    EXPECT_NE(e.error().message.find("envelope.action"), std::string::npos) << e.error().message;
  }
}

TEST(EnvelopeTest, NotJsonOrNotAnObjectIsRejected) {
  EXPECT_FALSE(envelope_from_json("").ok());
  EXPECT_FALSE(envelope_from_json("{").ok());
  EXPECT_FALSE(envelope_from_json("[]").ok());
  EXPECT_FALSE(envelope_from_json("\"envelope\"").ok());
}

TEST(EnvelopeTest, KafkaKeyIsTenantEntityId) {
  Envelope e = sample();
  EXPECT_EQ(envelope_kafka_key(e), "acme/ticket/1001");
  // Webhook and poll copies of one record share the key (and so the partition).
  Envelope poll = e;
  poll.source = "poll";
  poll.body = "{\"id\":1001}";
  poll.idempotency_key = std::string(64, 'c');
  EXPECT_EQ(envelope_kafka_key(poll), envelope_kafka_key(e));
  e.entity = "company";
  e.entity_id = "250";
  e.tenant = "beta-2";
  EXPECT_EQ(envelope_kafka_key(e), "beta-2/company/250");
}

TEST(EnvelopeTest, HeadersCarryTenantPsaAndIdempotencyKey) {
  Envelope e = sample();
  e.idempotency_key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const auto headers = envelope_kafka_headers(e);
  auto value_of = [&](std::string_view name_part) -> std::optional<std::string> {
    for (const auto& h : headers) {
      if (h.name.find(name_part) != std::string::npos) return h.value;
    }
    return std::nullopt;
  };
  ASSERT_TRUE(value_of("tenant").has_value());
  EXPECT_EQ(*value_of("tenant"), "acme");
  ASSERT_TRUE(value_of("psa").has_value());
  EXPECT_EQ(*value_of("psa"), "connectwise");
  ASSERT_TRUE(value_of("idempotency").has_value());
  EXPECT_EQ(*value_of("idempotency"), e.idempotency_key);
  // Header names are unique.
  std::set<std::string> names;
  for (const auto& h : headers) names.insert(h.name);
  EXPECT_EQ(names.size(), headers.size());
}

TEST(EnvelopeTest, EmptyIdsAndBadReceivedAtAreRejected) {
  // Found by fuzz/envelope_fuzz.cpp: such envelopes (any producer can write the raw topic)
  // became canonical events with an empty id or an observed_at that is not a time.
  for (const std::string field : {"tenant", "psa", "entity", "entity_id", "idempotency_key"}) {
    auto e = envelope_from_json(envelope_text("", field, R"("")"));
    ASSERT_FALSE(e.ok()) << field;
    EXPECT_EQ(e.error().message, "envelope." + field + ": must not be empty");
  }
  for (const std::string v : {R"("")", R"("2026-11-2AT10:00:02.500Z")", R"("yesterday")"}) {
    auto e = envelope_from_json(envelope_text("", "received_at", v));
    ASSERT_FALSE(e.ok()) << v;
    EXPECT_NE(e.error().message.find("envelope.received_at"), std::string::npos) << e.error().message;
  }
  EXPECT_TRUE(envelope_from_json(envelope_text("", "body", R"("")")).ok());  // the body is kept as received
}

}  // namespace
}  // namespace switchyard
