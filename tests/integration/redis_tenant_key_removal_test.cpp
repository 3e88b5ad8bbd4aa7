// Deleting one tenant's Redis keys (common/tenant_key_removal.h) on a real redis-server: keys
// written in the shapes the services write them (by hand here, so a template that drifted from
// the code shows), for "acme" and for tenants whose ids start or end alike, plus global keys.
// Only acme's go, counted per family; running again removes nothing; SCAN and ZSCAN pages and
// UNLINK batches are all walked.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/tenant_key_removal.h"
#include "common/tenant_keys.h"
#include "support/redis_server.h"

namespace switchyard::testing {
namespace {

// One key of every per-tenant family, as the code names them, with the family it belongs to.
std::vector<std::pair<std::string, std::string>> keys_of(const std::string& t) {
  return {
      {"sy:poll:" + t + ":ticket", "watermarks"},
      {"sy:poll-delta:{" + t + ":ticket}", "poll_state"},
      {"sy:poll-backfill:{" + t + ":company}", "poll_state"},
      {"sy:poll-resync:{" + t + ":ticket}", "poll_state"},
      {"sy:poll-sync:{" + t + ":ticket}", "poll_state"},
      {"sy:poll-lease:{" + t + ":ticket}", "leases"},
      {"sy:poll-lease:{" + t + ":ticket}:backfill", "leases"},
      {"sy:poll-lease:{" + t + ":ticket}:backfill:nosync", "leases"},
      {"sy:cmd:" + t + ":cmd-1", "executed_commands"},
      {"sy:write:" + t + ":connectwise:ticket:alert-1", "write_memo"},
      {"sy:echo:" + t + ":ticket:42", "echo_marks"},
      {"sy:auth:token:" + t, "auth"},
      {"sy:auth:lock:" + t, "auth"},
      {"sy:auth:suspended:" + t, "auth"},
      {"sy:rl:{" + t + "}:tat", "rate_limits"},
      {"sy:rl:{" + t + "}:backfill:tat", "rate_limits"},
      {"sy:rl:{" + t + "}:pause", "rate_limits"},
      {"sy:policy:{" + t + "}:company:1", "policy_state"},
      {"sy:policy:{" + t + "}:companies", "policy_state"},
      {"sy:activity:{" + t + "}", "activity"},
      {"sy:activity:{" + t + "}:problems", "activity"},
      {"sy:activity:{" + t + "}:dead-letters", "activity"},
      {"sy:activity:{" + t + "}:replayed", "activity"},
      {"sy:health:{" + t + "}", "sync_health"},
      {"sy:adoption:{" + t + "}", "adoption"},
      {"sy:labels:" + t, "labels"},
      {"sy:labels-refresh:" + t, "labels"},
      {"sy:lookup:" + t + ":boards:b=:c=", "lookups"},
      {"sy:recipe:alert:" + t + ":disk-full", "recipes"},
      {"sy:recipe:usage:" + t + ":agr-1", "recipes"},
      {"sy:recipe:usage-closed:" + t + ":agr-1", "recipes"},
      {"sy:recipe:usage-lines:" + t + ":agr-1", "recipes"},
      {"sy:recipe:done:" + t + ":cmd-9", "recipes"},
      {"sy:recipe:test:alert:" + t + ":disk-full", "recipes"},
      {"sy:recipe:test:done:" + t + ":cmd-9", "recipes"},
      {"sy:divert:" + t, "divert"},
      {"sy:webhooks:{" + t + "}", "webhooks"},
      {"sy:webhooks:{" + t + "}:checked", "webhooks"},
  };
}

const std::vector<std::string> kGlobalKeys = {"sy:dedup:3f2a", "sy:poll-sync:{requests}:seq",
                                              "sy:rl:{egress:connectwise:eu}:tat"};
constexpr const char* kRequests = "sy:poll-sync:{requests}";
constexpr const char* kUsageOpen = "sy:recipe:usage-open";

class TenantKeyRemovalTest : public ::testing::Test {
 protected:
  void write(const std::vector<std::string>& argv) {
    auto r = redis.checked_command(argv);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  void write_tenant(const std::string& t) {
    for (const auto& [key, family] : keys_of(t)) write({"SET", key, "1"});
    write({"ZADD", kRequests, "1", t + "/ticket"});
    write({"ZADD", kUsageOpen, "100", t + " agr-1 2026-11"});
  }
  std::set<std::string> all_keys() {
    std::set<std::string> out;
    std::string cursor = "0";
    do {
      auto r = redis.checked_command({"SCAN", cursor, "COUNT", "1000"});
      EXPECT_TRUE(r.ok());
      if (!r.ok()) break;
      cursor = r->elements[0].str;
      for (const auto& k : r->elements[1].elements) out.insert(k.str);
    } while (cursor != "0");
    return out;
  }
  std::set<std::string> members(const std::string& key) {
    std::set<std::string> out;
    auto r = redis.checked_command({"ZRANGE", key, "0", "-1"});
    EXPECT_TRUE(r.ok());
    if (r.ok()) {
      for (const auto& m : r->elements) out.insert(m.str);
    }
    return out;
  }
  static std::map<std::string, int64_t> counts(const TenantKeyRemoval& removal) {
    std::map<std::string, int64_t> out;
    for (const auto& f : removal.families) out[f.family] = f.removed;
    return out;
  }

  RedisServer server;
  RedisClient redis{server.settings()};
  const std::vector<std::string> neighbours_ = {"acme2", "acme-eu", "xacme", "ac"};
};

TEST_F(TenantKeyRemovalTest, RemovesEveryKeyOfTheTenantAndNothingElseAndTwiceIsNothing) {
  write_tenant("acme");
  for (const std::string& t : neighbours_) write_tenant(t);
  for (const std::string& k : kGlobalKeys) write({"SET", k, "1"});

  // What was written is what the classification says (a template that drifted fails here).
  std::map<std::string, int64_t> expected;
  for (const auto& [key, family] : keys_of("acme")) {
    const auto owner = tenant_keys::owner_of(key);
    ASSERT_TRUE(owner.has_value()) << key;
    EXPECT_EQ(owner->family, family) << key;
    EXPECT_EQ(owner->tenant, "acme") << key;
    ++expected[family];
  }
  ++expected["sync_requests"];
  ++expected["recipes"];  // its billing period waiting to close

  auto removed = remove_tenant_keys(redis, "acme");
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  auto got = counts(*removed);
  for (const auto& [family, n] : expected) EXPECT_EQ(got[family], n) << family;
  EXPECT_EQ(removed->total(), static_cast<int64_t>(keys_of("acme").size()) + 2);
  // Every per-tenant family is in the report, including those with nothing to remove.
  size_t per_tenant = 0;
  for (const auto& f : tenant_keys::families()) per_tenant += f.per_tenant;
  EXPECT_EQ(removed->families.size(), per_tenant);

  const auto left = all_keys();
  for (const std::string& key : left) {
    const auto owner = tenant_keys::owner_of(key);
    ASSERT_TRUE(owner.has_value()) << key;
    EXPECT_NE(owner->tenant, "acme") << key << " is still there";
  }
  for (const std::string& t : neighbours_) {
    for (const auto& [key, family] : keys_of(t)) EXPECT_TRUE(left.contains(key)) << key << " was removed";
  }
  for (const std::string& k : kGlobalKeys) EXPECT_TRUE(left.contains(k)) << k;
  EXPECT_EQ(members(kRequests), (std::set<std::string>{"acme-eu/ticket", "acme2/ticket", "ac/ticket", "xacme/ticket"}));
  EXPECT_EQ(members(kUsageOpen).size(), neighbours_.size());
  EXPECT_FALSE(members(kUsageOpen).contains("acme agr-1 2026-11"));

  auto again = remove_tenant_keys(redis, "acme");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->total(), 0);
  EXPECT_EQ(all_keys(), left);
}

TEST_F(TenantKeyRemovalTest, WalksEveryScanPageAndBatch) {
  for (int i = 0; i < 1200; ++i) {
    write({"SET", "sy:poll-lease:{acme:e" + std::to_string(i) + "}", "run:x"});
    write({"SET", "sy:poll-lease:{acme2:e" + std::to_string(i) + "}", "run:x"});
    // Over 128 members: a skiplist, which ZSCAN answers in pages.
    write({"ZADD", kRequests, std::to_string(i), "acme/e" + std::to_string(i)});
    write({"ZADD", kRequests, std::to_string(i), "acme2/e" + std::to_string(i)});
  }
  auto removed = remove_tenant_keys(redis, "acme", {.scan_count = 50, .batch = 7});
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  auto got = counts(*removed);
  EXPECT_EQ(got["leases"], 1200);
  EXPECT_EQ(got["sync_requests"], 1200);
  EXPECT_EQ(all_keys().size(), 1201u) << "acme2's leases and the announcements";
  EXPECT_EQ(members(kRequests).size(), 1200u);
  for (const std::string& m : members(kRequests)) EXPECT_TRUE(m.starts_with("acme2/")) << m;
}

TEST_F(TenantKeyRemovalTest, RefusesWhatIsNotATenantIdAndTouchesNothing) {
  write_tenant("acme");
  const auto before = all_keys();
  for (const std::string& bad : std::vector<std::string>{"acme*", "", "ac?e", "ACME", "acme:1", std::string(65, 'a')}) {
    auto removed = remove_tenant_keys(redis, bad);
    ASSERT_FALSE(removed.ok()) << bad;
    EXPECT_EQ(removed.error().code, "invalid_tenant");
  }
  EXPECT_EQ(all_keys(), before);
}

}  // namespace
}  // namespace switchyard::testing
