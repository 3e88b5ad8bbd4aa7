// Walks the tenant objects of a tenants file ({"tenants": [...]}) or directory (one object per
// <id>.json), for the readers that need one setting of every tenant and never its secrets
// (normalize's mappings and sync policies).
#pragma once

#include <simdjson.h>

#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace switchyard {

// `path` locates the tenant in errors: "tenants[2]" in a file, "<id>.json" in a directory.
using TenantObjectVisitor =
    std::function<Status(simdjson::dom::object tenant, std::string_view id, const std::string& path)>;

Status for_each_tenant_object(std::string_view json, const TenantObjectVisitor& visit);
// A file or a directory, as SWITCHYARD_TENANTS_FILE may name either.
Status for_each_tenant_object_at(const std::string& path, const TenantObjectVisitor& visit);

}  // namespace switchyard
