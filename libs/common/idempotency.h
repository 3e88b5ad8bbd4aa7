// Idempotency keys for PSA changes. A change is identified by what changed and which version
// of it we saw, not by how we heard about it: the webhook and the poll that report the same
// update of the same record derive the same key, so normalize emits it once.
#pragma once

#include <string>
#include <string_view>

namespace switchyard {

struct ChangeIdentity {
  std::string_view tenant;
  std::string_view psa;
  std::string_view entity;     // canonical type
  std::string_view entity_id;
  // The record's version as the PSA states it (ConnectWise _info.lastUpdated, Autotask
  // lastActivityDate, normalized to RFC 3339 UTC), or "deleted" for a deletion. When a PSA
  // gives no version, the connector passes a digest of the record body instead.
  std::string_view version;
};

// 64 lowercase hex characters: SHA-256 over the length-prefixed fields (unambiguous).
std::string derive_idempotency_key(const ChangeIdentity& change);

}  // namespace switchyard
