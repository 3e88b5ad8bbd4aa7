#include "support/activity_reader.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/activity_view.h"
#include "support/eventually.h"

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

std::vector<ActivityRecord> activity_records(std::string_view body, std::string* next_cursor) {
  std::vector<ActivityRecord> out;
  if (next_cursor != nullptr) next_cursor->clear();
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array records;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS ||
      root["records"].get(records) != simdjson::SUCCESS) {
    ADD_FAILURE() << "not an activity page: " << body;
    return out;
  }
  for (simdjson::dom::element r : records) {
    auto record = activity_from_json(simdjson::minify(r));
    EXPECT_TRUE(record.ok()) << simdjson::minify(r);
    if (record) out.push_back(std::move(*record));
  }
  std::string_view cursor;
  if (next_cursor != nullptr && root["next_cursor"].get(cursor) == simdjson::SUCCESS) *next_cursor = cursor;
  return out;
}

std::optional<ActivityRecord> wait_for_activity(const std::function<std::vector<ActivityRecord>()>& read,
                                                const std::function<bool(const ActivityRecord&)>& wanted,
                                                std::chrono::seconds timeout) {
  std::optional<ActivityRecord> found;
  eventually(
      [&] {
        for (const auto& r : read()) {
          if (wanted(r)) {
            found = r;
            return true;
          }
        }
        return false;
      },
      timeout);
  return found;
}

}  // namespace switchyard::testing
