// Dead letters (common/dead_letter.h): the stored message keeps what a replay needs and links
// its reason to the catalogue; a place reads back as it was written, and nothing else does.
#include <gtest/gtest.h>

#include "common/dead_letter.h"

namespace switchyard {
namespace {

TEST(DeadLetterTest, TheStoredLetterReadsBackWithItsOriginalAndLinksItsReason) {
  KafkaMessage original;
  original.topic = "switchyard.commands.v1";
  original.partition = 2;
  original.offset = 17;
  original.key = "globex/alert-1";
  original.value = R"({"id":"cmd-1"})";
  original.headers = {{"sy-trace", "4bf92f3577b34da6a3ce929d0e0e4736"}};
  const DeadLetter letter{"dispatch", "psa_rejected", "refused", "globex", 3};
  const std::string json = dead_letter_json(letter, original);
  EXPECT_NE(json.find(R"("help":"docs/troubleshooting.md#psa_rejected")"), std::string::npos) << json;

  auto stored = dead_letter_from_json(json);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->letter.reason_code, "psa_rejected");
  EXPECT_EQ(stored->letter.attempts, 3);
  EXPECT_EQ(stored->original.topic, original.topic);
  EXPECT_EQ(stored->original.offset, 17);
  EXPECT_EQ(stored->original.value, original.value);
  ASSERT_EQ(stored->original.headers.size(), 1u);
  EXPECT_EQ(stored->original.headers[0].value, "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(DeadLetterTest, APlaceReadsBackAsWrittenAndNothingElseIsAPlace) {
  const DeadLetterPlace place{"switchyard.raw.dlq.v1", 3, 1234567890123};
  const std::string text = to_string(place);
  EXPECT_EQ(text, "switchyard.raw.dlq.v1/3/1234567890123");
  const auto parsed = parse_dead_letter_place(text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->topic, place.topic);
  EXPECT_EQ(parsed->partition, 3);
  EXPECT_EQ(parsed->offset, 1234567890123);
  // A topic name with a slash keeps it: only the last two segments are numbers.
  EXPECT_EQ(parse_dead_letter_place("a/b/1/2")->topic, "a/b");
  for (const char* bad : {"", "/", "t", "t/1", "/1/2", "t/-1/2", "t/1/-2", "t/x/2", "t/1/2x", "t//2", "t/1/",
                          "t/99999999999/1"}) {
    EXPECT_FALSE(parse_dead_letter_place(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace switchyard
