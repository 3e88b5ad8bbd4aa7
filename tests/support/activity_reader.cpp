#include "support/activity_reader.h"

#include <gtest/gtest.h>

#include "common/activity_view.h"

namespace switchyard::testing {

std::vector<ActivityRecord> recent_activity(RedisClient& redis, const std::string& tenant) {
  std::vector<ActivityRecord> out;
  auto page = read_activity(redis, ActivityQuery{.tenant = tenant, .limit = kMaxActivityPage});
  EXPECT_TRUE(page.ok()) << page.error().message;
  if (!page) return out;
  for (const auto& json : page->records) {
    auto record = activity_from_json(json);
    EXPECT_TRUE(record.ok()) << json;
    if (record) out.push_back(std::move(*record));
  }
  return out;
}

}  // namespace switchyard::testing
