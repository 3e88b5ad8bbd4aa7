// The audit trail's parts that need no running Kafka: the record's JSON, the details of a change
// read from the tenants file, the file's hash, and the keyed hash an erasure's record keeps.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>

#include "common/config_change_audit.h"
#include "common/crypto.h"
#include "common/kafka_audit_trail.h"
#include "common/secret_box.h"

namespace switchyard {
namespace {

TEST(AuditRecordJsonTest, CarriesEveryFieldAndTheDetailsAsAnObject) {
  AuditRecord r{"token:ops", "sync", "acme", "ok", R"({"status":202})"};
  const std::string json = audit_record_json(r, "00ff", "2026-12-01T20:00:00.123Z", "ingest", "ingest-7d9f");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  EXPECT_EQ(std::string_view(doc["id"].get_string().value()), "00ff");
  EXPECT_EQ(std::string_view(doc["time"].get_string().value()), "2026-12-01T20:00:00.123Z");
  EXPECT_EQ(std::string_view(doc["service"].get_string().value()), "ingest");
  EXPECT_EQ(std::string_view(doc["replica"].get_string().value()), "ingest-7d9f");
  EXPECT_EQ(std::string_view(doc["actor"].get_string().value()), "token:ops");
  EXPECT_EQ(std::string_view(doc["action"].get_string().value()), "sync");
  EXPECT_EQ(std::string_view(doc["tenant"].get_string().value()), "acme");
  EXPECT_EQ(std::string_view(doc["outcome"].get_string().value()), "ok");
  EXPECT_EQ(doc["details"]["status"].get_int64().value(), 202);

  r.details_json.clear();
  const std::string empty = audit_record_json(r, "1", "t", "ingest", "x");
  EXPECT_NE(empty.find(R"("details":{})"), std::string::npos) << empty;
}

TEST(ConfigChangeDetailsTest, NamesTheHashesAndEachKindOfChange) {
  TenantChanges c;
  c.added = {"initech"};
  c.removed = {"umbrella"};
  c.changed = {"globex", "acme"};
  c.paused = {"acme"};
  c.test_mode_on = {"globex"};
  const std::string json = config_change_details("aaa", "bbb", c);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  EXPECT_EQ(std::string_view(doc["file"].get_string().value()), "tenants");
  EXPECT_EQ(std::string_view(doc["sha256"].get_string().value()), "bbb");
  EXPECT_EQ(std::string_view(doc["previous_sha256"].get_string().value()), "aaa");
  EXPECT_EQ(std::string_view(doc.at_pointer("/added/0").get_string().value()), "initech");
  EXPECT_EQ(std::string_view(doc.at_pointer("/removed/0").get_string().value()), "umbrella");
  EXPECT_EQ(doc["changed"].get_array().size(), 2u);
  EXPECT_EQ(std::string_view(doc.at_pointer("/paused/0").get_string().value()), "acme");
  EXPECT_EQ(doc["resumed"].get_array().size(), 0u);
  EXPECT_EQ(std::string_view(doc.at_pointer("/test_mode_on/0").get_string().value()), "globex");
  EXPECT_EQ(doc["test_mode_off"].get_array().size(), 0u);
}

class TenantsHashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sy-audit-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" + crypto::random_hex(4));
    std::filesystem::create_directories(dir_ / "tenants");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }
  std::filesystem::path dir_;
};

TEST_F(TenantsHashTest, AFileHashesToTheSha256OfItsBytes) {
  const auto file = dir_ / "tenants.json";
  write(file, R"({"tenants":[]})");
  EXPECT_EQ(tenants_source_sha256(file.string()), crypto::sha256_hex(R"({"tenants":[]})"));
  write(file, R"({"tenants": []})");
  EXPECT_EQ(tenants_source_sha256(file.string()), crypto::sha256_hex(R"({"tenants": []})"));
  EXPECT_EQ(tenants_source_sha256((dir_ / "missing.json").string()), "");
}

TEST_F(TenantsHashTest, ADirectoryHashesItsTenantFilesNamesAndContents) {
  const auto dir = dir_ / "tenants";
  write(dir / "acme.json", R"({"id":"acme"})");
  const std::string one = tenants_source_sha256(dir.string());
  ASSERT_EQ(one.size(), 64u);
  write(dir / "..data", "ignored, like every file the reader skips");
  EXPECT_EQ(tenants_source_sha256(dir.string()), one);
  write(dir / "globex.json", R"({"id":"globex"})");
  const std::string two = tenants_source_sha256(dir.string());
  EXPECT_NE(two, one);
  write(dir / "globex.json", R"({"id":"globex","paused":true})");
  EXPECT_NE(tenants_source_sha256(dir.string()), two);
  std::filesystem::remove(dir / "globex.json");
  EXPECT_EQ(tenants_source_sha256(dir.string()), one);
}

TEST(KeyedHashTest, OnlyTheKeyringReproducesIt) {
  const std::string key_a = crypto::base64_encode(std::string(32, 'a'));
  const std::string key_b = crypto::base64_encode(std::string(32, 'b'));
  auto ring_a = SecretKeyring::parse("k1 " + key_a + "\n");
  auto ring_b = SecretKeyring::parse("k2 " + key_b + "\nk1 " + key_a + "\n");
  ASSERT_TRUE(ring_a.ok() && ring_b.ok());
  const std::string h = ring_a->keyed_hash("erasure-audit", "jane.doe@example.com");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h, ring_a->keyed_hash("erasure-audit", "jane.doe@example.com"));
  EXPECT_NE(h, crypto::sha256_hex("jane.doe@example.com")) << "a plain hash could be guessed from a list of e-mails";
  EXPECT_NE(h, ring_a->keyed_hash("another-purpose", "jane.doe@example.com"));
  EXPECT_NE(h, ring_a->keyed_hash("erasure-audit", "john.doe@example.com"));
  // The current (first) key hashes: after a rotation the same e-mail hashes differently.
  EXPECT_NE(h, ring_b->keyed_hash("erasure-audit", "jane.doe@example.com"));
}

}  // namespace
}  // namespace switchyard
