// Polling through the sandbox over HTTP: with more records than one page, a backfill read one
// page per call (resuming at each call's cursor) reads every record exactly once and ends
// complete; a delta since a time reads exactly the records changed from then on. Every record
// read maps to canonical.
#include <map>
#include <set>
#include <thread>

#include "common/time_format.h"
#include "conformance/canonical_event.h"
#include "conformance/conformance_fixture.h"
#include "conformance/json_subset.h"

namespace switchyard::conformance {
namespace {

using namespace std::chrono_literals;

class PollConformance : public ConformanceTest {
 protected:
  struct Read {
    std::map<std::string, int> seen;  // id → times read
    int calls = 0;
  };
  // Reads a delta (or a backfill, when `since` is empty) one page per call.
  Read read_all(const std::string& entity, const std::string& since, int expected_records, int extra_calls) {
    Read read;
    auto& seen = read.seen;
    auto& calls = read.calls;
    PollRequest request = poll_request(entity, since, fixtures().page_size, 1);
    // A page more than needed, and the empty last page some PSAs answer, before giving up.
    const int limit = expected_records / fixtures().page_size + 3 + extra_calls;
    while (true) {
      auto result = connector().poll(sandbox_tenant(), http(), request);
      ++calls;
      EXPECT_TRUE(result.ok()) << result.error().code << ": " << result.error().message;
      if (!result.ok()) break;
      EXPECT_EQ(result->pages, 1) << "max_pages 1 was asked";
      for (const auto& change : result->changes) {
        ++seen[change.entity_id];
        EXPECT_EQ(change.entity, entity);
        EXPECT_FALSE(change.version.empty()) << entity << " " << change.entity_id;
        auto event = canonical_event_json(connector(), sandbox_tenant(),
                                          polled_envelope(sandbox_tenant(), entity, change.entity_id, change.body),
                                          parser_);
        EXPECT_TRUE(event.ok()) << entity << " " << change.entity_id << ": " << event.error().message;
      }
      if (result->complete) break;
      EXPECT_NE(result->cursor, request.cursor) << "an incomplete call must move the cursor";
      request.cursor = result->cursor;
      if (calls >= limit) {
        ADD_FAILURE() << "still not complete after " << calls << " calls";
        break;
      }
    }
    return read;
  }

  std::set<std::string> ids_in_sandbox(const std::string& sandbox_entity) {
    std::set<std::string> ids;
    for (const auto& r : records(sandbox_entity)) ids.insert(id_of(r));
    return ids;
  }
};

std::string with_n(std::string text, int n) {
  for (size_t at; (at = text.find("{{n}}")) != std::string::npos;) text.replace(at, 5, std::to_string(n));
  return text;
}

std::string describe(const std::map<std::string, int>& seen, const std::set<std::string>& expected) {
  std::string out;
  for (const auto& id : expected) {
    auto it = seen.find(id);
    const int times = it == seen.end() ? 0 : it->second;
    if (times != 1) out += "record " + id + " read " + std::to_string(times) + " times\n";
  }
  for (const auto& [id, times] : seen) {
    if (!expected.count(id)) out += "record " + id + " read but not expected\n";
  }
  return out;
}

TEST_P(PollConformance, ABackfillReadsEverySeededRecordExactlyOnceAcrossPages) {
  ASSERT_FALSE(connector().spec().pollable_entities.empty()) << "spec().pollable_entities is empty";
  for (const auto& entity : connector().spec().pollable_entities) {
    SCOPED_TRACE("entity " + entity);
    const PollSeed* seed = find_poll_seed(fixtures(), entity);
    ASSERT_NE(seed, nullptr) << fixtures().dir << "/poll.json: no entry for pollable entity \"" << entity << "\"";
    for (int n = 1; n <= seed->count; ++n) upsert(seed->sandbox_entity, with_n(seed->record, n));
    const std::set<std::string> expected = ids_in_sandbox(seed->sandbox_entity);
    ASSERT_GT(static_cast<int>(expected.size()), fixtures().page_size)
        << "poll.json must seed more " << entity << " records than one page";
    const Read read = read_all(entity, "", static_cast<int>(expected.size()), seed->extra_calls);
    EXPECT_EQ(describe(read.seen, expected), "");
    EXPECT_GE(read.calls, 2) << "the records fit one page: nothing was paged";
  }
}

TEST_P(PollConformance, ADeltaReadsExactlyTheRecordsChangedSinceItsStart) {
  for (const auto& entity : connector().spec().pollable_entities) {
    SCOPED_TRACE("entity " + entity);
    const PollSeed* seed = find_poll_seed(fixtures(), entity);
    ASSERT_NE(seed, nullptr) << fixtures().dir << "/poll.json: no entry for pollable entity \"" << entity << "\"";
    for (int n = 1; n <= seed->count; ++n) upsert(seed->sandbox_entity, with_n(seed->record, n));
    // PSAs keep change times to the second: start the delta in a second no record changed in.
    const auto second_of = [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
    const auto seeded = second_of();
    while (second_of() == seeded) std::this_thread::sleep_for(20ms);
    const std::string since = format_rfc3339_utc_seconds(second_of());
    // Changes to more records than one page, every other one.
    std::set<std::string> changed;
    int i = 0;
    for (const auto& record : records(seed->sandbox_entity)) {
      if (i++ % 2 != 0) continue;
      upsert(seed->sandbox_entity, "{\"id\":" + id_json_of(record) + "}");  // touches it: a new change time
      changed.insert(id_of(record));
    }
    const Read read = read_all(entity, since, static_cast<int>(changed.size()), seed->extra_calls);
    EXPECT_EQ(describe(read.seen, changed), "") << "delta since " << since;
  }
}

INSTANTIATE_TEST_SUITE_P(Connectors, PollConformance, ::testing::ValuesIn(connector_names()), test_name);

}  // namespace
}  // namespace switchyard::conformance
