// The erasure request's body (ingest/erasure_request.h) and how an e-mail is found in stored
// text (ingest/person_erasure.h): bounded, validated, and never repeated in an error.
#include <gtest/gtest.h>

#include "ingest/erasure_request.h"
#include "ingest/person_erasure.h"

namespace switchyard::ingest {
namespace {

TEST(ErasureRequestTest, TakesAContactIdAnEmailOrBoth) {
  auto both = parse_erasure_request(R"({"contact_id":"77","email":"  Jane.Doe@Example.COM "})");
  ASSERT_TRUE(both.ok()) << both.error().message;
  EXPECT_EQ(both->contact_id, "77");
  EXPECT_EQ(both->email, "jane.doe@example.com");
  auto number = parse_erasure_request(R"({"contact_id":4021})");
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->contact_id, "4021");
  EXPECT_EQ(number->email, "");
  auto email = parse_erasure_request(R"({"email":"a.b+tag@sub.example.co.uk"})");
  ASSERT_TRUE(email.ok());
  EXPECT_EQ(email->contact_id, "");
}

TEST(ErasureRequestTest, RefusesBadInputWithoutRepeatingTheEmail) {
  const std::string long_email = std::string(250, 'x') + "@example.com";
  const std::string huge = R"({"contact_id":"1","email":")" + std::string(5000, 'y') + R"(@example.com"})";
  for (const std::string& body :
       {std::string(""), std::string("[]"), std::string("{}"), std::string(R"({"contact_id":""})"),
        std::string(R"({"contact_id":"a b"})"), std::string(R"({"contact_id":"x/../y"})"),
        std::string(R"({"contact_id":-1})"), std::string(R"({"contact_id":true})"),
        std::string(R"({"contact_id":")") + std::string(65, '1') + "\"}",
        std::string(R"({"email":"secret.person"})"), std::string(R"({"email":"secret@person"})"),
        std::string(R"({"email":"secret@@person.example"})"), std::string(R"({"email":"secret person@x.example"})"),
        std::string(R"({"email":"secret\"q@x.example"})"), std::string(R"({"email":7})"),
        R"({"email":")" + long_email + "\"}", huge, std::string(R"({"contact_id":"1","name":"Jane"})")}) {
    auto parsed = parse_erasure_request(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code, "invalid_request");
    EXPECT_EQ(parsed.error().message.find("secret"), std::string::npos) << parsed.error().message;
    EXPECT_EQ(parsed.error().message.find("xxxx"), std::string::npos) << parsed.error().message;
  }
}

TEST(EmailInTextTest, FindsAndBlanksWholeAddressesInAnyCaseOnly) {
  EXPECT_TRUE(mentions_email(R"({"emails":["Jane.Doe@Example.com"]})", "jane.doe@example.com"));
  EXPECT_FALSE(mentions_email(R"({"emails":["mary.jane.doe@example.com"]})", "jane.doe@example.com"));
  EXPECT_FALSE(mentions_email(R"({"emails":["jane.doe@example.com.au"]})", "jane.doe@example.com"));
  EXPECT_FALSE(mentions_email("anything", ""));
  int64_t count = 0;
  EXPECT_EQ(without_email(R"(["JANE.DOE@example.com","office@example.com","jane.doe@example.com"])",
                          "jane.doe@example.com", count),
            R"(["","office@example.com",""])");
  EXPECT_EQ(count, 2);
  EXPECT_EQ(without_email("no address here", "jane.doe@example.com", count), "no address here");
  EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace switchyard::ingest
