// Envelopes from connector changes: a resync's copies have keys of their own, the same for every
// read within that resync, and pinned (normalize's dedup holds keys across upgrades).
#include <gtest/gtest.h>

#include "ingest/change_envelopes.h"

namespace switchyard::ingest {
namespace {

Envelope one(std::string_view source, std::string_view resync_id = {}) {
  Tenant tenant;
  tenant.id = "acme";
  tenant.psa = "connectwise";
  std::vector<connectors::Change> changes(1);
  changes[0].entity = "ticket";
  changes[0].entity_id = "1001";
  changes[0].action = "updated";
  changes[0].version = "2026-11-25T10:00:00Z";
  changes[0].body = "{}";
  return to_envelopes(tenant, std::move(changes), source, resync_id).front();
}

TEST(ChangeEnvelopesTest, AResyncCopyHasItsOwnKeyTheSameWithinTheResync) {
  const Envelope polled = one("poll");
  const Envelope resynced = one("resync", "rs-0123456789abcdef");
  EXPECT_EQ(resynced.source, "resync");
  EXPECT_NE(resynced.idempotency_key, polled.idempotency_key);
  EXPECT_EQ(one("resync", "rs-0123456789abcdef").idempotency_key, resynced.idempotency_key);
  EXPECT_NE(one("resync", "rs-fedcba9876543210").idempotency_key, resynced.idempotency_key);
  // Python hashlib over the documented material with version "rs-0123456789abcdef/<version>".
  EXPECT_EQ(resynced.idempotency_key, "98052ece0a1e617208691633cea04d583bc6959e994437c95ea19467c3d10054");
  // The poll's key is the one every earlier version derived (IdempotencyTest.GoldenKeysNeverChange).
  EXPECT_EQ(polled.idempotency_key, "a9a29081f913e1bc5a10c62fc62e27d9aef311b0240fc29ebacc273006a8e179");
}

// A body the connector parsed whole goes into an envelope version 2, embedded as it is; one with
// space around it (or not parsed) stays version 1. ConnectWise and Autotask webhooks are parsed.
TEST(ChangeEnvelopesTest, ParsedBodiesAreEmbeddedAsJson) {
  Tenant tenant;
  tenant.id = "acme";
  tenant.psa = "connectwise";
  std::vector<connectors::Change> changes(3);
  for (auto& c : changes) {
    c.entity = "ticket";
    c.entity_id = "1";
    c.action = "updated";
    c.version = "v";
  }
  changes[0].body = R"({"ID":1})";
  changes[0].body_is_json = true;
  changes[1].body = " {\"ID\":1}";
  changes[1].body_is_json = true;
  changes[2].body = R"({"ID":1})";
  const auto envelopes = to_envelopes(tenant, std::move(changes), "webhook");
  EXPECT_EQ(envelope_version(envelopes[0]), 2);
  EXPECT_NE(to_json(envelopes[0]).find(R"("body":{"ID":1})"), std::string::npos) << to_json(envelopes[0]);
  EXPECT_EQ(envelope_version(envelopes[1]), 1);
  EXPECT_FALSE(envelopes[1].body_is_json);
  EXPECT_EQ(envelope_version(envelopes[2]), 1);
}

}  // namespace
}  // namespace switchyard::ingest
