// Trace ids: one id follows a change from its webhook or poll, and a command from the API,
// through every service, Kafka message (header sy-trace), activity record and log line
// (docs/activity.md#trace-ids). The form is W3C Trace Context's trace-id (32 lowercase hex
// characters), so a caller's `traceparent` carries over and tracing tools can join on it.
#pragma once

#include <string>
#include <string_view>

namespace switchyard {

inline constexpr std::string_view kTraceHeader = "sy-trace";

// A new random trace id.
std::string new_trace_id();
// The trace-id of a W3C `traceparent` header ("00-<32 hex>-<16 hex>-<2 hex>"); empty when the
// header is absent or malformed, or its trace-id is all zeros (invalid by the standard).
std::string trace_id_from_traceparent(std::string_view traceparent);
// True for 32 lowercase hex characters, not all zero.
bool is_trace_id(std::string_view id);

}  // namespace switchyard
