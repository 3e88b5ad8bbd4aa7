// The classification of Redis keys that offboarding deletes by (common/tenant_keys.h): every
// "sy:" literal in the source is classified, so a new key cannot escape offboarding; the keys
// the code's own builders make belong to the right tenant; a tenant's patterns never reach a
// tenant whose id starts with the same letters ("acme" / "acme2"); glob characters are escaped.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/activity_log.h"
#include "common/adoption.h"
#include "common/echo_marks.h"
#include "common/sync_health.h"
#include "common/tenant_keys.h"
#include "ingest/poll_store.h"
#include "ingest/webhook_keeper.h"
#include "normalize/policy_state.h"

namespace switchyard::tenant_keys {
namespace {

// Redis's MATCH for the patterns tenant_keys makes: "*" and "\" escapes (the other glob
// characters only ever appear escaped, which SafeTemplates checks).
bool redis_match(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '*') {
    for (size_t i = 0; i <= text.size(); ++i) {
      if (redis_match(pattern.substr(1), text.substr(i))) return true;
    }
    return false;
  }
  if (pattern[0] == '\\' && pattern.size() > 1) pattern.remove_prefix(1);
  return !text.empty() && pattern[0] == text[0] && redis_match(pattern.substr(1), text.substr(1));
}

// One key of `key_template` for `tenant`: "<t>" replaced, a trailing "*" made into a suffix.
std::string sample_key(std::string_view key_template, std::string_view tenant) {
  std::string key(key_template);
  if (const size_t at = key.find("<t>"); at != std::string::npos) key.replace(at, 3, tenant);
  if (key.ends_with('*')) key.back() = 'x';
  return key;
}

TEST(TenantKeysTest, GlobCharactersAreEscaped) {
  EXPECT_EQ(glob_escape("acme"), "acme");
  EXPECT_EQ(glob_escape("a*b?c[d]e\\f"), "a\\*b\\?c\\[d\\]e\\\\f");
  bool exact = true;
  EXPECT_EQ(pattern("sy:poll:<t>:*", "we*rd", &exact), "sy:poll:we\\*rd:*");
  EXPECT_FALSE(exact);
  EXPECT_EQ(pattern("sy:auth:token:<t>", "acme", &exact), "sy:auth:token:acme");
  EXPECT_TRUE(exact);
  EXPECT_EQ(pattern("<t>/*", "acme"), "acme/*");
  // An escaped star matches only a star.
  EXPECT_TRUE(redis_match(pattern("sy:poll:<t>:*", "we*rd"), "sy:poll:we*rd:ticket"));
  EXPECT_FALSE(redis_match(pattern("sy:poll:<t>:*", "we*rd"), "sy:poll:weXXrd:ticket"));
}

TEST(TenantKeysTest, SafeTemplates) {
  std::set<std::string_view> names;
  for (const KeyFamily& f : families()) {
    EXPECT_TRUE(names.insert(f.name).second) << "two families named " << f.name;
    EXPECT_FALSE(f.templates.empty()) << f.name;
    for (const KeyTemplate& t : f.templates) {
      for (std::string_view text : {t.key, t.member}) {
        EXPECT_EQ(text.find_first_of("?[]\\"), std::string_view::npos) << f.name << ": " << text;
        const size_t star = text.find('*');
        EXPECT_TRUE(star == std::string_view::npos || star == text.size() - 1) << f.name << ": " << text;
      }
      // A tenant's key names the tenant; a member template lives in a global key.
      const bool names_tenant = (t.member.empty() ? t.key : t.member).find("<t>") != std::string_view::npos;
      EXPECT_EQ(names_tenant, f.per_tenant) << f.name << ": " << t.key;
      if (!t.member.empty()) {
        EXPECT_EQ(t.key.find("<t>"), std::string_view::npos) << f.name;
      }
    }
  }
}

// Every tenant template's pattern for "acme" matches acme's keys and never those of "acme2",
// "acme-eu", "ac" or "xacme", which start or end with the same letters.
TEST(TenantKeysTest, PatternsAreDelimiterExact) {
  const std::vector<std::string> neighbours = {"acme2", "acme-eu", "acme_old", "ac", "xacme", "me"};
  size_t checked = 0;
  for (const KeyFamily& f : families()) {
    for (const KeyTemplate& t : f.templates) {
      const std::string_view tmpl = t.member.empty() ? t.key : t.member;
      if (!f.per_tenant) continue;
      const std::string mine = pattern(tmpl, "acme");
      EXPECT_TRUE(redis_match(mine, sample_key(tmpl, "acme"))) << mine;
      for (const std::string& other : neighbours) {
        EXPECT_FALSE(redis_match(mine, sample_key(tmpl, other))) << mine << " matches " << sample_key(tmpl, other);
      }
      // No global key falls under a tenant's pattern, even for tenants named like parts of them.
      for (const KeyFamily& g : families()) {
        if (g.per_tenant || !t.member.empty()) continue;
        for (const KeyTemplate& gt : g.templates) {
          for (std::string_view tenant : {"acme", "requests", "egress", "test", "usage-open"}) {
            EXPECT_FALSE(redis_match(pattern(tmpl, tenant), sample_key(gt.key, "")))
                << pattern(tmpl, tenant) << " matches the global " << gt.key;
          }
        }
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 30u);
}

// The keys the code's own builders make are classified as the tenant's, in the expected family.
TEST(TenantKeysTest, KeysBuiltByTheCodeBelongToTheirTenant) {
  const ingest::PollKeys poll;
  const std::vector<std::pair<std::string, std::string_view>> keys = {
      {poll.watermark("acme", "ticket"), "watermarks"},
      {poll.delta("acme", "ticket"), "poll_state"},
      {poll.backfill("acme", "ticket"), "poll_state"},
      {poll.resync("acme", "ticket"), "poll_state"},
      {poll.sync_flag("acme", "ticket"), "poll_state"},
      {poll.lease("acme", "ticket", ingest::PollKind::Live), "leases"},
      {poll.lease("acme", "ticket", ingest::PollKind::Backfill) + ":nosync", "leases"},
      {activity_stream_key("acme"), "activity"},
      {activity_problems_key("acme"), "activity"},
      {activity_dead_letters_key("acme"), "activity"},
      {replayed_dead_letters_key("acme"), "activity"},
      {adoption_key("acme"), "adoption"},
      {sync_health_key("acme"), "sync_health"},
      {ingest::webhooks_registered_key("acme"), "webhooks"},
      {ingest::webhooks_registered_key("acme") + ":checked", "webhooks"},
      {normalize::policy_key("acme", "company:42"), "policy_state"},
      {normalize::policy_key("acme", "recomputed:2026-12-01"), "policy_state"},
      {EchoMarks::key({"acme", "ticket_note", "77"}), "echo_marks"},
  };
  for (const auto& [key, family] : keys) {
    const auto owner = owner_of(key);
    ASSERT_TRUE(owner.has_value()) << key << " is not classified";
    EXPECT_EQ(owner->family, family) << key;
    EXPECT_EQ(owner->tenant, "acme") << key;
  }
  // The globals of the same builders.
  for (const std::string& key : {poll.sync_requests(), poll.sync_sequence()}) {
    const auto owner = owner_of(key);
    ASSERT_TRUE(owner.has_value()) << key;
    EXPECT_EQ(owner->tenant, "") << key;
  }
}

TEST(TenantKeysTest, OwnersOfKeysAndMembers) {
  EXPECT_EQ(owner_of("sy:rl:{acme2}:backfill:tat")->tenant, "acme2");
  EXPECT_EQ(owner_of("sy:rl:{egress:connectwise:eu}:tat")->family, "egress_rate_limits");
  EXPECT_EQ(owner_of("sy:rl:{egress:connectwise:eu}:tat")->tenant, "");
  EXPECT_EQ(owner_of("sy:rl:{egress}:tat")->tenant, "egress") << "a tenant may be called egress";
  EXPECT_EQ(owner_of("sy:poll-sync:{requests}")->family, "sync_announcements");
  EXPECT_EQ(owner_of("sy:poll-sync:{requests:ticket}")->tenant, "requests") << "a tenant may be called requests";
  EXPECT_EQ(owner_of("sy:recipe:test:alert:acme:disk-full")->family, "recipes");
  EXPECT_EQ(owner_of("sy:recipe:usage-open")->tenant, "");
  EXPECT_EQ(owner_of("sy:dedup:0123abcd")->family, "dedup");
  EXPECT_FALSE(owner_of("sy:somethingnew:acme").has_value());
  EXPECT_FALSE(owner_of("sy:poll:ACME:ticket").has_value()) << "not a tenant id";
  EXPECT_FALSE(owner_of("sy:auth:token:acme:extra").has_value());
  EXPECT_FALSE(owner_of("other:acme").has_value());

  EXPECT_EQ(owner_of_member("sy:poll-sync:{requests}", "acme/ticket")->tenant, "acme");
  EXPECT_EQ(owner_of_member("sy:recipe:usage-open", "acme2 agr-1 2026-11")->tenant, "acme2");
  EXPECT_FALSE(owner_of_member("sy:recipe:usage-open", "acme/agr").has_value());
  EXPECT_FALSE(owner_of_member("sy:dedup:x", "acme/ticket").has_value());
}

// Every string literal starting with "sy:" in libs/, services/ and tools/ is a key family's,
// a building block of one, or a value known not to be a key. A new key prefix fails here until
// it is classified in common/tenant_keys.cpp (and so deleted by offboarding, or named global).
TEST(TenantKeysTest, EverySyLiteralInTheSourceIsClassified) {
  const std::regex literal(R"re("(sy:[^"\s]*)")re");
  size_t found = 0;
  std::set<std::string> unclassified;
  for (const char* dir : {"libs", "services", "tools"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(SWITCHYARD_SOURCE_DIR) + "/" + dir)) {
      const auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".h" && ext != ".in")) continue;
      std::ifstream in(entry.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        // Comments describe keys with placeholders; only code makes them. "//" inside a string
        // (a URL) is not a comment: an odd number of quotes before it means it is in one.
        for (size_t at = line.find("//"); at != std::string::npos; at = line.find("//", at + 2)) {
          if (std::count(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(at), '"') % 2 == 0) {
            line.resize(at);
            break;
          }
        }
        for (std::sregex_iterator m(line.begin(), line.end(), literal), end; m != end; ++m) {
          ++found;
          if (!literal_is_classified((*m)[1].str())) {
            unclassified.insert(entry.path().string() + ":" + std::to_string(n) + ": \"" + (*m)[1].str() + "\"");
          }
        }
      }
    }
  }
  EXPECT_GT(found, 20u) << "the scan found too few literals to be looking at the source";
  for (const std::string& u : unclassified) {
    ADD_FAILURE() << u << " is not classified in libs/common/tenant_keys.cpp";
  }
  // And the rule itself: a literal of no family is not classified.
  EXPECT_FALSE(literal_is_classified("sy:somethingnew:"));
  EXPECT_TRUE(literal_is_classified("sy:poll-"));
  EXPECT_TRUE(literal_is_classified("sy:"));
}

}  // namespace
}  // namespace switchyard::tenant_keys
