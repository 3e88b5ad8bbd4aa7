#include "support/pipeline/stack_config.h"

#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::testing {

void write_autotask_tenant(JsonWriter& w, std::string_view id, const std::string& base_url,
                           double requests_per_second, int burst) {
  const sandbox::AutotaskCredentials at;
  w.begin_object()
      .field("id", id)
      .field("psa", "autotask")
      .field("base_url", base_url)
      .field("allow_insecure_http", true)  // the sandbox listens on plain http
      .key("credentials")
      .begin_object()
      .field("username", at.username)
      .field("secret", at.secret)
      .field("integration_code", at.integration_code)
      .end_object()
      .key("webhook_signing_secrets")
      .begin_array()
      .value(at.webhook_secret)
      .end_array()
      .key("rate_limit")
      .begin_object()
      .field("requests_per_second", requests_per_second)
      .field("burst", burst)
      .end_object()
      .key("options")
      .begin_object()
      .field("default_company_id", "100")
      .field("default_queue_id", "8")
      .field("zone_lookup_url", base_url)  // zones are looked up in the sandbox, not at Autotask
      .end_object()
      .end_object();
}

ServiceConfig stack_config(const std::string& bootstrap, const RedisSettings& redis, const std::string& tenants_file,
                           int kafka_delivery_timeout_ms) {
  ServiceConfig c;
  c.kafka.bootstrap_servers = bootstrap;
  c.kafka.delivery_timeout_ms = kafka_delivery_timeout_ms;
  c.redis = redis;
  c.tenants_file = tenants_file;
  // Every listener on 127.0.0.1, a free port each (ListenAddress's defaults).
  c.operator_listen = c.webhook_listen = c.api_listen = ListenAddress{"127.0.0.1", 0, true};
  c.topics = default_topic_names();
  return c;
}

TenantDirectory load_stack_tenants(const std::string& tenants_file) {
  const auto& registry = connectors::builtin_registry();
  return load_tenants_file(tenants_file, connectors::spec_lookup(registry), Env());
}

}  // namespace switchyard::testing
