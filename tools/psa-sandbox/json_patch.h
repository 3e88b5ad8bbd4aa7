// JSON-Patch (RFC 6902) subset that ConnectWise PATCH takes: [{"op","path","value"}] with
// op replace | add | remove and paths like "summary", "/status/name" or "/types/0".
#pragma once

#include "common/result.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {

// Applies the operations to `target` in order; on error `target` may be half-patched, so
// callers patch a copy. Error code "invalid_patch".
Status apply_json_patch(Value& target, const Value& operations);

// The first segment of a patch path ("/status/name" → "status"), for read-only checks.
std::string patch_root(std::string_view path);

}  // namespace switchyard::sandbox
