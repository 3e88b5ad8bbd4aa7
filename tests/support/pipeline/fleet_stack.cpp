#include "support/pipeline/fleet_stack.h"

#include "support/pipeline/stack_config.h"

#include <simdjson.h>

#include <fstream>
#include <map>
#include <stdexcept>

#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/topics.h"
#include "connectors/registry.h"

namespace switchyard::testing {

FleetStack::FleetStack(FleetOptions options) : options_(std::move(options)) {
  dir_ = std::filesystem::temp_directory_path() / ("switchyard-fleet-" + crypto::random_hex(6));
  std::filesystem::create_directories(dir_);
  kafka_.create_default_topics(options_.partitions);
  sandbox_.start();
  JsonWriter w;
  w.begin_object().key("tenants").begin_array();
  for (const auto& id : options_.tenants) {
    write_autotask_tenant(w, id, sandbox_.autotask_base_url(id), options_.requests_per_second, options_.burst);
  }
  w.end_array().end_object();
  std::ofstream(dir_ / "tenants.json") << w.str();
  KafkaSettings settings;
  settings.bootstrap_servers = kafka_.bootstrap();
  settings.extra["linger.ms"] = "0";
  auto producer = KafkaProducer::create(settings);
  if (!producer) throw std::runtime_error(producer.error().message);
  producer_ = std::move(*producer);
}

FleetStack::~FleetStack() {
  producer_.reset();
  sandbox_.stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

ServiceConfig FleetStack::config() const {
  ServiceConfig c = stack_config(kafka_.bootstrap(), redis_.settings(), (dir_ / "tenants.json").string(), 5000);
  c.kafka.extra["session.timeout.ms"] = "6000";  // a leaving replica's partitions move quickly
  c.kafka.extra["heartbeat.interval.ms"] = "500";
  return c;
}

TenantDirectory FleetStack::tenants() const { return load_stack_tenants(config().tenants_file); }

dispatch::DispatchOptions FleetStack::dispatch_options() const {
  dispatch::DispatchOptions o;
  o.initial_backoff = std::chrono::milliseconds(50);
  o.max_backoff = std::chrono::milliseconds(500);
  o.concurrency = 16;
  return o;
}

std::unique_ptr<dispatch::DispatchService> FleetStack::start_dispatch(const dispatch::DispatchOptions& options) {
  auto service = std::make_unique<dispatch::DispatchService>(config(), options, tenants(), connectors::builtin_registry());
  service->start();
  return service;
}

void FleetStack::upsert(const std::string& tenant, const std::string& id, const std::string& ref,
                        const std::string& title) {
  JsonWriter w;
  w.begin_object()
      .field("command_version", int64_t{1})
      .field("id", id)
      .field("tenant", tenant)
      .field("type", "ticket.upsert")
      .key("payload")
      .begin_object()
      .field("external_ref", ref)
      .field("title", title)
      .end_object()
      .end_object();
  const auto r = producer_->produce_sync(topics::kCommands, tenant + "/" + ref, w.str());
  if (!r.ok) throw std::runtime_error("produce: " + r.error);
}

size_t FleetStack::tickets(const std::string& tenant, const std::string& ref) const {
  size_t n = 0;
  simdjson::dom::parser parser;
  for (const auto& json : sandbox_.records("autotask", "Tickets", tenant)) {
    std::string_view external;
    if (parser.parse(json)["externalID"].get(external) == simdjson::SUCCESS && external == ref) ++n;
  }
  return n;
}

size_t FleetStack::creates(const std::string& tenant) const {
  size_t n = 0;
  for (const auto& w : sandbox_.writes()) {
    if (w.tenant == tenant && w.method == "POST" && w.path.ends_with("/V1.0/Tickets") && w.status < 300) ++n;
  }
  return n;
}

std::vector<std::string> FleetStack::titles_written(const std::string& tenant, const std::string& ref) const {
  simdjson::dom::parser parser;
  int64_t ticket_id = -1;
  for (const auto& json : sandbox_.records("autotask", "Tickets", tenant)) {
    auto record = parser.parse(json);
    std::string_view external;
    if (record["externalID"].get(external) == simdjson::SUCCESS && external == ref) {
      ticket_id = record["id"].get_int64().value();
    }
  }
  std::vector<std::string> titles;
  for (const auto& w : sandbox_.writes()) {
    if (w.tenant != tenant || w.status >= 300 || !w.path.ends_with("/V1.0/Tickets")) continue;
    auto body = parser.parse(w.body);
    if (body.error()) continue;
    std::string_view external, title;
    int64_t id = 0;
    const bool ours = (w.method == "POST" && body["externalID"].get(external) == simdjson::SUCCESS && external == ref) ||
                      (w.method == "PATCH" && body["id"].get(id) == simdjson::SUCCESS && id == ticket_id);
    if (ours && body["title"].get(title) == simdjson::SUCCESS) titles.emplace_back(title);
  }
  return titles;
}

}  // namespace switchyard::testing
