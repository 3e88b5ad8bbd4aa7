// Pieces the in-process test stacks share: a tenants-file entry for an Autotask tenant on the
// sandbox, the services' config for a stack's Kafka, Redis and tenants file, and loading the
// tenants back.
#pragma once

#include <string>
#include <string_view>

#include "common/json_writer.h"
#include "common/redis_client.h"
#include "common/service_config.h"
#include "common/tenants.h"

namespace switchyard::testing {

// One tenants-file object: `id` on Autotask at `base_url` with the sandbox's default
// credentials and webhook secret, company 100 and queue 8 as defaults.
void write_autotask_tenant(JsonWriter& w, std::string_view id, const std::string& base_url,
                           double requests_per_second, int burst);

// Default topics, an ephemeral listen port on loopback.
ServiceConfig stack_config(const std::string& bootstrap, const RedisSettings& redis, const std::string& tenants_file,
                           int kafka_delivery_timeout_ms);

TenantDirectory load_stack_tenants(const std::string& tenants_file);

}  // namespace switchyard::testing
