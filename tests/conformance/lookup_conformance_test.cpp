// Set-up lists (Connector::lookup), for every connector against its sandbox tenant: each list
// either answers items with a non-empty id and name (ids unique), or says it is not supported,
// or (a list kept per board) asks for a board and then answers for the first board; a list no
// PSA has is not supported; a PSA's 429 ends as "throttled", which the route answers 429.
#include <set>

#include "connectors/lookup_list.h"
#include "conformance/conformance_fixture.h"

namespace switchyard::conformance {
namespace {

class LookupConformance : public ConformanceTest {};

void expect_items(const std::vector<connectors::LookupItem>& items, const std::string& what) {
  std::set<std::string> ids;
  for (const auto& item : items) {
    EXPECT_FALSE(item.id.empty()) << what;
    EXPECT_FALSE(item.name.empty()) << what << " id " << item.id;
    EXPECT_TRUE(ids.insert(item.id).second) << what << ": id " << item.id << " twice";
  }
  EXPECT_LE(items.size(), connectors::kLookupCap + 1) << what;
}

TEST_P(LookupConformance, EveryListAnswersItemsOrSaysItIsNotSupported) {
  std::string first_board;
  int answered = 0;
  for (const std::string list : {"boards", "statuses", "priorities", "ticket_types", "agreements", "products"}) {
    auto r = connector().lookup(sandbox_tenant(), http(), {list});
    if (!r && r.error().code == connectors::kLookupNeedsBoard) {
      ASSERT_FALSE(first_board.empty()) << list << " needs a board, but the PSA listed none";
      r = connector().lookup(sandbox_tenant(), http(), {list, first_board});
    }
    if (!r) {
      EXPECT_EQ(r.error().code, connectors::kNotSupported) << list << ": " << r.error().message;
      EXPECT_NE(r.error().message.find(connector().display_name()), std::string::npos) << r.error().message;
      continue;
    }
    ++answered;
    expect_items(*r, list);
    if (list == "boards" && !r->empty()) first_board = r->front().id;
  }
  EXPECT_GE(answered, 4) << "a PSA with fewer than four of the set-up lists";
  auto unknown = connector().lookup(sandbox_tenant(), http(), {"no_such_list"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, connectors::kNotSupported);
}

TEST_P(LookupConformance, APsa429EndsAsThrottled) {
  // A healthy call first: a token-based PSA holds its token before the fault.
  ASSERT_TRUE(connector().lookup(sandbox_tenant(), http(), {"priorities"}).ok());
  sandbox::Fault fault;
  fault.status = 429;
  fault.retry_after_seconds = 3;
  fault.count = 5;
  inject(fault);
  auto r = connector().lookup(sandbox_tenant(), http(), {"priorities"});
  sandbox().clear_faults();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "throttled") << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(Connectors, LookupConformance, ::testing::ValuesIn(connector_names()), test_name);

}  // namespace
}  // namespace switchyard::conformance
