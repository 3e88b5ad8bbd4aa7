#include "connectors/custom_fields.h"

namespace switchyard::connectors {

canonical::CustomValue custom_value(simdjson::dom::element value) {
  bool b;
  double d;
  std::string_view s;
  if (value.get(b) == simdjson::SUCCESS) return b;
  if (value.get(d) == simdjson::SUCCESS) return d;
  if (value.get(s) == simdjson::SUCCESS) return std::string(s);
  return nullptr;
}

void read_custom_fields(simdjson::dom::array fields, std::string_view name_key,
                        std::map<std::string, canonical::CustomValue>& out) {
  for (simdjson::dom::element item : fields) {
    std::string_view name;
    if (item[name_key].get(name) != simdjson::SUCCESS || name.empty()) continue;
    simdjson::dom::element value;
    out.emplace(std::string(name),
                item["value"].get(value) == simdjson::SUCCESS ? custom_value(value) : canonical::CustomValue(nullptr));
  }
}

}  // namespace switchyard::connectors
