// derive_idempotency_key: same change → same key; any difference in what changed or which
// version → a different key; the concatenation of fields is unambiguous; how the change was
// heard about (webhook or poll) is not an input.
#include "common/idempotency.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

namespace switchyard {
namespace {

ChangeIdentity base_change() {
  return ChangeIdentity{"acme", "connectwise", "ticket", "1001", "2026-11-25T10:00:00Z"};
}

bool is_lower_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

TEST(IdempotencyTest, IsDeterministic) {
  const std::string a = derive_idempotency_key(base_change());
  const std::string b = derive_idempotency_key(base_change());
  EXPECT_EQ(a, b);
  // Equal content in different buffers (as when the webhook and the poll path build it).
  std::string tenant = "ac";
  tenant += "me";
  std::string id = std::to_string(1001);
  const std::string c = derive_idempotency_key({tenant, "connectwise", "ticket", id, "2026-11-25T10:00:00Z"});
  EXPECT_EQ(a, c);
}

TEST(IdempotencyTest, Is64LowercaseHexCharacters) {
  for (const ChangeIdentity& c : {base_change(), ChangeIdentity{"", "", "", "", ""},
                                  ChangeIdentity{"t", "autotask", "company", "7", "deleted"}}) {
    const std::string key = derive_idempotency_key(c);
    EXPECT_EQ(key.size(), 64u) << key;
    EXPECT_TRUE(is_lower_hex(key)) << key;
  }
}

TEST(IdempotencyTest, DiffersWhenAnyFieldDiffers) {
  const std::string reference = derive_idempotency_key(base_change());
  std::set<std::string> keys{reference};

  ChangeIdentity c = base_change();
  c.tenant = "acme2";
  keys.insert(derive_idempotency_key(c));
  c = base_change();
  c.psa = "autotask";
  keys.insert(derive_idempotency_key(c));
  c = base_change();
  c.entity = "company";
  keys.insert(derive_idempotency_key(c));
  c = base_change();
  c.entity_id = "1002";
  keys.insert(derive_idempotency_key(c));
  c = base_change();
  c.version = "2026-11-25T10:00:01Z";
  keys.insert(derive_idempotency_key(c));
  c = base_change();
  c.version = "deleted";
  keys.insert(derive_idempotency_key(c));

  EXPECT_EQ(keys.size(), 7u) << "every single-field change must give a distinct key";
}

TEST(IdempotencyTest, FieldBoundariesAreUnambiguous) {
  // ("ab","c") vs ("a","bc") in every adjacent pair of fields.
  auto key = [](std::string_view a, std::string_view b, std::string_view c, std::string_view d, std::string_view e) {
    return derive_idempotency_key(ChangeIdentity{a, b, c, d, e});
  };
  EXPECT_NE(key("ab", "c", "t", "1", "v"), key("a", "bc", "t", "1", "v"));
  EXPECT_NE(key("t", "ab", "c", "1", "v"), key("t", "a", "bc", "1", "v"));
  EXPECT_NE(key("t", "p", "ab", "c", "v"), key("t", "p", "a", "bc", "v"));
  EXPECT_NE(key("t", "p", "e", "ab", "c"), key("t", "p", "e", "a", "bc"));
  // A field moved wholesale into its neighbour, and empty fields in different places.
  EXPECT_NE(key("acme", "", "ticket", "1", "v"), key("", "acme", "ticket", "1", "v"));
  EXPECT_NE(key("a", "", "", "", ""), key("", "", "", "", "a"));
  // Separator-looking content cannot forge a boundary.
  EXPECT_NE(key("a|1:b", "c", "t", "1", "v"), key("a", "b|1:c", "t", "1", "v"));
  EXPECT_NE(key("t", "p", "e", "1|2", "v"), key("t", "p", "e", "1", "2|v"));
}

TEST(IdempotencyTest, DeliveryPathIsNotAnInput) {
  // The identity is exactly what changed and which version: tenant, psa, entity, id, version.
  // There is no field for "webhook" or "poll", so both paths derive the same key.
  static_assert(sizeof(ChangeIdentity) == 5 * sizeof(std::string_view),
                "ChangeIdentity must hold exactly the five identity fields (no delivery source)");
  const ChangeIdentity from_webhook{"acme", "connectwise", "ticket", "1001", "2026-11-25T10:00:00Z"};
  const ChangeIdentity from_poll{"acme", "connectwise", "ticket", "1001", "2026-11-25T10:00:00Z"};
  EXPECT_EQ(derive_idempotency_key(from_webhook), derive_idempotency_key(from_poll));
}

TEST(IdempotencyTest, GoldenKeysNeverChange) {
  // Keys already in Redis (and on the raw topic) were derived this way. If this test fails, the
  // derivation changed: in a rolling upgrade old and new replicas would emit the same change
  // twice. Such a change needs a new version tag ("switchyard-change-v2") and a migration plan
  // (docs/architecture.md). The expected values come from an independent implementation
  // (Python hashlib over the documented material), not from this code. The versions that go in
  // are pinned per connector in connector_*_test.cpp.
  struct Golden {
    ChangeIdentity change;
    const char* key;
  };
  const Golden golden[] = {
      {{"acme", "connectwise", "ticket", "1001", "2026-11-25T10:00:00Z"},
       "a9a29081f913e1bc5a10c62fc62e27d9aef311b0240fc29ebacc273006a8e179"},
      {{"globex", "autotask", "company", "29683", "2026-11-25T10:00:00.123Z"},
       "96a17fc3e5a0dc0b45aba6e07903aadcb3ac4ec8979f8835f4a220861e36b3aa"},
      {{"acme", "connectwise", "contact", "7", "deleted"},
       "a4fd97989340b672b80d24da9323426adb8d7e9f718762263ac6f99429387a6f"},
      {{"", "", "", "", ""}, "2a9bfb73167332ed4e9ece2380fdbd222b22934a1908ebd21a2194121bb6a536"},
  };
  for (const Golden& g : golden) {
    EXPECT_EQ(derive_idempotency_key(g.change), g.key) << g.change.tenant << "/" << g.change.entity_id;
  }
}

}  // namespace
}  // namespace switchyard
