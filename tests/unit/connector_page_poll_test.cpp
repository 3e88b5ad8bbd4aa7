// start_page_poll: where a poll of a page-numbered list (HaloPSA, Syncro, the v2 API) starts.
#include <gtest/gtest.h>

#include "common/time_format.h"
#include "connectors/page_poll.h"

namespace switchyard::connectors {
namespace {

PollRequest request(std::string cursor, std::string since = "", int max_pages = 50) {
  PollRequest r;
  r.entity = "ticket";
  r.cursor = std::move(cursor);
  r.since = std::move(since);
  r.max_pages = max_pages;
  return r;
}

TEST(PagePollStartTest, ABackfillStartsAtPageOneWithNoSince) {
  const auto start = start_page_poll("somepsa", request(""));
  ASSERT_TRUE(start) << start.error().message;
  EXPECT_EQ(start->page, 1);
  EXPECT_FALSE(start->since.has_value());
  EXPECT_EQ(start->max_pages, 50);
}

TEST(PagePollStartTest, ACursorIsTheNextPageAndSinceIsParsed) {
  const auto start = start_page_poll("somepsa", request("7", "2026-11-25T12:00:00+02:00", 3));
  ASSERT_TRUE(start) << start.error().message;
  EXPECT_EQ(start->page, 7);
  ASSERT_TRUE(start->since.has_value());
  EXPECT_EQ(format_rfc3339_utc_seconds(*start->since), "2026-11-25T10:00:00Z");
  EXPECT_EQ(start->max_pages, 3);
}

TEST(PagePollStartTest, APageBudgetBelowOneReadsOnePage) {
  const auto start = start_page_poll("somepsa", request("", "", 0));
  ASSERT_TRUE(start);
  EXPECT_EQ(start->max_pages, 1);
}

TEST(PagePollStartTest, ACorruptCursorIsRefusedNamingThePsa) {
  for (const char* cursor : {"0", "-1", "abc", "3x", "1000001", "99999999999"}) {
    const auto start = start_page_poll("somepsa", request(cursor));
    ASSERT_FALSE(start) << cursor;
    EXPECT_EQ(start.error().code, "invalid_cursor") << cursor;
    EXPECT_NE(start.error().message.find("somepsa"), std::string::npos);
  }
  EXPECT_TRUE(start_page_poll("somepsa", request("1000000")));
}

TEST(PagePollStartTest, ASinceThatIsNotRfc3339IsRefused) {
  const auto start = start_page_poll("somepsa", request("", "yesterday"));
  ASSERT_FALSE(start);
  EXPECT_EQ(start.error().code, "invalid_argument");
}

}  // namespace
}  // namespace switchyard::connectors
