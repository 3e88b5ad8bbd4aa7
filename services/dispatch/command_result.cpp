#include "dispatch/command_result.h"

#include <chrono>

#include "common/json_writer.h"
#include "common/time_format.h"

namespace switchyard::dispatch {

std::string to_json(const CommandResult& r) {
  JsonWriter w;
  w.begin_object().field("result_version", int64_t{1}).field("command_id", r.command_id).field("tenant", r.tenant);
  auto optional = [&](std::string_view name, const std::string& value) {
    if (!value.empty()) w.field(name, value);
  };
  optional("type", r.type);
  optional("external_ref", r.external_ref);
  w.field("outcome", r.outcome);
  optional("psa", r.psa);
  optional("psa_id", r.psa_id);
  optional("reason_code", r.reason_code);
  optional("reason", r.reason);
  w.field("attempts", int64_t{r.attempts});
  if (r.parked_until_ms > 0) {
    w.field("parked_until", format_rfc3339_utc(std::chrono::system_clock::time_point(
                                std::chrono::milliseconds(r.parked_until_ms))));
  }
  if (r.would_send) {
    w.key("would_send").begin_object().field("method", r.would_send->method).field("url", r.would_send->url);
    w.key("headers").begin_array();
    for (const auto& [name, value] : r.would_send->headers) w.begin_object().field("name", name).field("value", value).end_object();
    w.end_array().field("body", r.would_send->body).end_object();
  }
  if (!r.commands.empty()) {
    w.key("commands").begin_array();
    for (const auto& id : r.commands) w.value(id);
    w.end_array();
  }
  w.field("finished_at", format_rfc3339_utc(std::chrono::system_clock::now()));
  w.end_object();
  return w.take();
}

}  // namespace switchyard::dispatch
