// The body of POST /v1/tenants/{tenant}/sync, parsed and bounded before anything looks at the
// tenant (sync_handler.h checks it against the tenant's connector):
//   {"entities": ["ticket", ...], "resync": true, "records": [{"entity": "company", "id": "123"}]}
// Every member optional; an empty body is {}. Errors name the field ("records[2].id: ...").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace switchyard::ingest {

// The most records one request may import (each is a PSA call under the tenant's limit).
inline constexpr size_t kMaxImportRecords = 100;

// One record to import by its PSA id.
struct RecordRef {
  std::string entity{};  // canonical type
  std::string id{};      // PSA id (ingest/fetch_job.h: is_importable_record_id)
  bool operator==(const RecordRef&) const = default;
};

struct SyncRequest {
  std::vector<std::string> entities{};  // as named, each once; empty = none named
  bool resync = false;
  std::vector<RecordRef> records{};  // each once, in the order given
  // Whether the request asks for a poll: always, unless it names records alone.
  bool polls() const { return records.empty() || !entities.empty() || resync; }
};

// Error codes: "invalid_json" (not JSON), "invalid_request" (anything else).
Result<SyncRequest> parse_sync_request(std::string_view body);

}  // namespace switchyard::ingest
