// The Kafka headers of every canonical event normalize produces, mapped or derived by the sync
// policies, so consumers can route on tenant, type and schema without parsing the value.
#pragma once

#include <string>
#include <vector>

#include "common/canonical.h"
#include "common/kafka_producer.h"

namespace switchyard::normalize {

inline std::vector<KafkaHeader> canonical_headers(const std::string& tenant, const std::string& type) {
  return {{"sy-tenant", tenant}, {"sy-type", type}, {"sy-schema", std::string(canonical::kSchemaId)}};
}

}  // namespace switchyard::normalize
