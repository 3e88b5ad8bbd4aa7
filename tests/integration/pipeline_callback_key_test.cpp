// ConnectWise callbacks verified with the signing key named in each callback (Metadata.key_url),
// through the real ingest, the sandbox's ConnectWise and Kafka: the key is fetched once from the
// tenant's own host and cached; a key URL on another host is refused without being fetched; a
// forged callback does not make ingest fetch again and again; the URL secret still applies.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/http_client.h"
#include "common/topics.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/reference_signatures.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class CallbackKeyTest : public ::testing::Test {
 protected:
  std::string seed_ticket() {
    const std::string stored = stack_.psa().upsert_record(
        "connectwise", "tickets",
        R"({"summary":"Key test","board":{"id":1},"status":{"id":1},"company":{"id":2,"identifier":"Acme"}})");
    simdjson::dom::parser parser;
    return std::to_string(parser.parse(stored)["id"].get_int64().value());
  }
  int fire(const std::string& id) {
    auto status = stack_.psa().fire_connectwise_callback(
        stack_.ingest_webhook_url() + "/v1/webhooks/connectwise/" + std::string(kConnectWiseTenant), "ticket", id,
        "updated");
    EXPECT_TRUE(status.ok()) << status.error().message;
    return status.ok() ? *status : 0;
  }
  // A callback signed with the sandbox's key, naming `key_url`.
  http::ClientResponse post(const std::string& key_url, const std::string& signing_key) {
    const std::string body =
        R"({"MessageId":"m-1","FromUrl":"x","CompanyId":"c","MemberId":"m","Action":"deleted","Type":"ticket",)"
        R"("ID":7,"Entity":"","Metadata":{"key_url":")" + key_url + R"("},"CallbackObjectRecId":1})";
    auto r = client_.send({.method = "POST",
                           .url = stack_.ingest_webhook_url() + "/v1/webhooks/connectwise/" + std::string(kConnectWiseTenant),
                           .headers = {{"Content-Type", "application/json"},
                                       {"x-content-signature", cw_signature(signing_key, body)}},
                           .body = body});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : http::ClientResponse{};
  }
  double fetches() {
    return metric_value(stack_.ingest().metrics().serialize(),
                        R"(switchyard_webhook_key_fetches_total{psa="connectwise",result="fetched"})");
  }
  double rejected(const std::string& reason) {
    return metric_value(stack_.ingest().metrics().serialize(),
                        R"(switchyard_ingest_rejected_total{reason=")" + reason + R"(",route="webhook"})");
  }
  size_t raw() { return read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kRaw)).size(); }

  PipelineStack stack_{StackOptions{.normalize = false, .dispatch = false, .connectwise_signing_secret = false}};
  http::HttpClient client_;
  const std::string signing_key_ = sandbox::ConnectWiseCredentials{}.signing_key;
};

TEST_F(CallbackKeyTest, TheKeyIsFetchedOnceFromTheTenantsHostAndCached) {
  const std::string id = seed_ticket();
  EXPECT_EQ(fire(id), 202);
  EXPECT_EQ(fetches(), 1);
  EXPECT_EQ(fire(id), 202);
  EXPECT_EQ(fire(id), 202);
  EXPECT_EQ(fetches(), 1) << "the cached key verifies the next callbacks";
  EXPECT_EQ(raw(), 3u);
}

TEST_F(CallbackKeyTest, AKeyUrlOnAnotherHostIsRefusedUnfetched) {
  const std::string base = stack_.psa().connectwise_base_url();
  const std::string host_and_path = base.substr(base.find("://") + 3);
  const std::vector<std::string> evil_urls = {
      "http://attacker.example/key",                                // another host
      "https://" + host_and_path + "/system/callbackkeys/1",        // another scheme
      "http://127.0.0.1:1/v4_6_release/apis/3.0/system/callbackkeys/1",  // another port
      "http://user@" + host_and_path + "/x"};                       // credentials in the URL
  for (const std::string& evil : evil_urls) {
    EXPECT_EQ(post(evil, signing_key_).status, 401) << evil;
  }
  EXPECT_EQ(fetches(), 0);
  EXPECT_EQ(rejected("untrusted_key_url"), 4);
  EXPECT_EQ(raw(), 0u);
}

TEST_F(CallbackKeyTest, ForgedCallbacksDoNotFetchAgainAndAgain) {
  const std::string key_url = stack_.psa().connectwise_base_url() + "/system/callbackkeys/1";
  EXPECT_EQ(post(key_url, signing_key_).status, 202);  // fetches the key
  EXPECT_EQ(fetches(), 1);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(post(key_url, "not-the-key").status, 401);
  EXPECT_EQ(fetches(), 1) << "a wrong signature refetches at most once a minute";
  EXPECT_EQ(rejected("bad_signature"), 5);
}

}  // namespace
}  // namespace switchyard::testing
