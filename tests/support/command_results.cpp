#include "support/command_results.h"

#include <simdjson.h>

#include "common/topics.h"
#include "support/topic_reader.h"

namespace switchyard::testing {

std::string command_result(const std::string& bootstrap, const std::string& command_id, const std::string& outcome) {
  simdjson::dom::parser parser;
  for (const auto& m : read_topic_to_end(bootstrap, std::string(topics::kCommandResults))) {
    simdjson::dom::element doc;
    if (parser.parse(m.value).get(doc) != simdjson::SUCCESS) continue;
    std::string_view id, out;
    if (doc["command_id"].get(id) || id != command_id) continue;
    if (doc["outcome"].get(out) || out != outcome) continue;
    return m.value;
  }
  return "";
}

}  // namespace switchyard::testing
