// The sync route's body (ingest/sync_request.h): entities, resync and records to import by id,
// each bounded, every refusal naming its field.
#include <gtest/gtest.h>

#include "ingest/fetch_job.h"
#include "ingest/sync_request.h"

namespace switchyard::ingest {
namespace {

SyncRequest parsed(std::string_view body) {
  auto r = parse_sync_request(body);
  EXPECT_TRUE(r.ok()) << body << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : SyncRequest{};
}

std::string refusal(std::string_view body) {
  auto r = parse_sync_request(body);
  EXPECT_FALSE(r.ok()) << body << " was taken";
  return r.ok() ? std::string() : r.error().code + ": " + r.error().message;
}

TEST(SyncRequestTest, AnEmptyBodyPollsEveryEntity) {
  for (std::string_view body : {"", " \r\n", "{}"}) {
    const SyncRequest r = parsed(body);
    EXPECT_TRUE(r.entities.empty());
    EXPECT_FALSE(r.resync);
    EXPECT_TRUE(r.records.empty());
    EXPECT_TRUE(r.polls());
  }
}

TEST(SyncRequestTest, EntitiesAndResyncAsBefore) {
  const SyncRequest r = parsed(R"({"entities": ["ticket", "company", "ticket"], "resync": true})");
  EXPECT_EQ(r.entities, (std::vector<std::string>{"ticket", "company"}));
  EXPECT_TRUE(r.resync);
  EXPECT_TRUE(r.polls());
  EXPECT_EQ(refusal(R"({"resync": "yes"})"), "invalid_request: resync: must be true or false");
  EXPECT_EQ(refusal(R"({"entities": "ticket"})"), "invalid_request: entities: must be an array of entity names");
}

TEST(SyncRequestTest, RecordsAloneImportWithoutAPoll) {
  const SyncRequest r =
      parsed(R"({"records": [{"entity": "company", "id": "123"}, {"id": 9, "entity": "contact"},
                             {"entity": "company", "id": "123"}, {"entity": "ticket", "id": "T-1.a_b:2"}]})");
  ASSERT_EQ(r.records.size(), 3u) << "a record named twice is imported once";
  EXPECT_EQ(r.records[0], (RecordRef{"company", "123"}));
  EXPECT_EQ(r.records[1], (RecordRef{"contact", "9"})) << "a numeric id is taken as its digits";
  EXPECT_EQ(r.records[2], (RecordRef{"ticket", "T-1.a_b:2"}));
  EXPECT_FALSE(r.polls());
  EXPECT_TRUE(parsed(R"({"records": [{"entity": "company", "id": "1"}], "resync": true})").polls());
  EXPECT_TRUE(parsed(R"({"records": [{"entity": "company", "id": "1"}], "entities": ["company"]})").polls());
}

TEST(SyncRequestTest, RecordsAreBoundedAndEachRefusalNamesTheField) {
  std::string hundred = R"({"records": [)";
  for (int i = 0; i < 100; ++i) hundred.append(i > 0 ? "," : "").append(R"({"entity":"company","id":")" + std::to_string(i) + R"("})");
  EXPECT_EQ(parsed(hundred + "]}").records.size(), 100u);
  EXPECT_NE(refusal(hundred + R"(,{"entity":"company","id":"x"}]})").find("records: must be an array of 1 to 100"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"records": []})").find("records: must be an array of 1 to 100"), std::string::npos);
  EXPECT_NE(refusal(R"({"records": null})").find("records: must be an array"), std::string::npos);
  EXPECT_NE(refusal(R"({"records": [7]})").find("records[0]: must be an object"), std::string::npos);
  EXPECT_NE(refusal(R"({"records": [{"entity": "company"}]})").find("records[0].id: missing"), std::string::npos);
  EXPECT_NE(refusal(R"({"records": [{"id": "1"}]})").find("records[0].entity: missing"), std::string::npos);
  EXPECT_NE(refusal(R"({"records": [{"entity": 3, "id": "1"}]})").find("records[0].entity: must be an entity name"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"records": [{"entity": "", "id": "1"}]})").find("records[0].entity"), std::string::npos);
  EXPECT_NE(refusal(R"({"records": [{"entity": "company", "id": true}]})").find("records[0].id: must be a string"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"records": [{"entity": "company", "id": 1.5}]})").find("records[0].id: must be a string"),
            std::string::npos);
  // As they appear inside the JSON string.
  for (const char* id : {"", "a b", "../1", "1/2", "1?x=2", "\u00e9", R"(1\")", R"(1\u0000)"}) {
    std::string body = R"({"records": [{"entity": "company", "id": "1"}, {"entity": "company", "id": ")";
    body.append(id).append(R"("}]})");
    EXPECT_NE(refusal(body).find("records[1].id: must be 1 to 64 characters"), std::string::npos) << body;
  }
  const std::string longest(64, '9');
  EXPECT_EQ(parsed(R"({"records": [{"entity": "company", "id": ")" + longest + R"("}]})").records[0].id, longest);
  EXPECT_NE(refusal(R"({"records": [{"entity": "company", "id": ")" + longest + R"(9"}]})").find("records[0].id"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"records": [{"entity": "company", "id": "1", "extra": 1}]})")
                .find("records[0]: unknown field \"extra\""),
            std::string::npos);
}

TEST(SyncRequestTest, OtherBodiesAreRefused) {
  EXPECT_EQ(refusal("{"), "invalid_json: the body is not valid JSON");
  EXPECT_NE(refusal("[]").find("invalid_request: the body must be a JSON object"), std::string::npos);
  EXPECT_NE(refusal(R"({"record": []})").find("unknown field \"record\""), std::string::npos);
}

TEST(SyncRequestTest, ImportableRecordIds) {
  EXPECT_TRUE(is_importable_record_id("123"));
  EXPECT_TRUE(is_importable_record_id("abc-DEF_1.2:3"));
  EXPECT_TRUE(is_importable_record_id(std::string(kFetchJobFieldMax, 'a')));
  EXPECT_FALSE(is_importable_record_id(std::string(kFetchJobFieldMax + 1, 'a')));
  EXPECT_FALSE(is_importable_record_id(""));
  EXPECT_FALSE(is_importable_record_id("a/b"));
  EXPECT_FALSE(is_importable_record_id("a%2F"));
}

}  // namespace
}  // namespace switchyard::ingest
