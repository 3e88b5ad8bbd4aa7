// The Kafka properties file (SWITCHYARD_KAFKA_PROPERTIES_FILE): extra librdkafka settings of a
// real cluster (TLS, SASL), so that no code changes between the embedded broker and Strimzi.
//
// Java-style "key=value" lines, '#' or '!' comments, blank lines ignored, keys and values trimmed.
// A value may reference secrets, in the style of Kafka's config providers, resolved once at start:
//   sasl.password=${env:KAFKA_PASSWORD}             the environment variable's value
//   sasl.password=${file:/etc/kafka-user/password}  the file's content (trailing newlines dropped)
// Several references and literal text may be mixed in one value. A value without "${env:" or
// "${file:" is taken literally; file paths librdkafka reads itself (ssl.ca.location=/etc/...)
// stay paths. Errors (ConfigError) name the file, line and property, and the variable or file
// referenced, never a resolved value.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/env.h"

namespace switchyard {

// A referenced file larger than this is an error (a wrong path: a device, a log), as for tenants'
// {"file": PATH} secrets.
inline constexpr size_t kMaxPropertyFileBytes = 64 * 1024;

// Resolves the ${env:NAME} / ${file:PATH} references in `value` of property `property`.
// `where` prefixes errors ("SWITCHYARD_KAFKA_PROPERTIES_FILE /etc/x.properties line 3").
std::string resolve_property_references(std::string_view value, const std::string& property,
                                        const std::string& where, const Env& env);

// Parses properties text; `source` names it in errors. Duplicate keys are an error.
std::map<std::string, std::string> parse_kafka_properties(std::string_view text, const std::string& source,
                                                          const Env& env);

// Reads and parses the file at `path` (errors start "SWITCHYARD_KAFKA_PROPERTIES_FILE").
std::map<std::string, std::string> read_kafka_properties(const std::string& path, const Env& env);

}  // namespace switchyard
