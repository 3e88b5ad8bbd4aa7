#include "common/label_tables.h"

#include <simdjson.h>

#include "common/json_writer.h"

namespace switchyard {

std::string label_tables_to_json(const LabelTables& tables) {
  JsonWriter w;
  w.begin_object();
  for (const auto& [table, labels] : tables.tables) {
    w.key(table).begin_object();
    for (const auto& [id, label] : labels) w.field(id, label);
    w.end_object();
  }
  w.end_object();
  return w.take();
}

Result<LabelTables> label_tables_from_json(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS || root.get(obj) != simdjson::SUCCESS) {
    return make_error("invalid_labels", "label tables: not a JSON object");
  }
  LabelTables out;
  for (auto [table, value] : obj) {
    simdjson::dom::object entries;
    if (table.empty() || table.size() > kMaxLabelIdLength || value.get(entries) != simdjson::SUCCESS) {
      return make_error("invalid_labels", "label tables: a table must be a named object");
    }
    if (out.tables.size() >= kMaxLabelTables) return make_error("invalid_labels", "label tables: too many tables");
    auto& labels = out.tables[std::string(table)];
    for (auto [id, label_value] : entries) {
      std::string_view label;
      if (label_value.get(label) != simdjson::SUCCESS || id.empty() || id.size() > kMaxLabelIdLength ||
          label.size() > kMaxLabelLength) {
        return make_error("invalid_labels", "label tables: " + std::string(table) + " has an invalid entry");
      }
      if (labels.size() >= kMaxLabelsPerTable) {
        return make_error("invalid_labels", "label tables: " + std::string(table) + " has too many entries");
      }
      labels.emplace(std::string(id), std::string(label));
    }
  }
  return out;
}

}  // namespace switchyard
