#include "connectors/autotask/picklists.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>

#include "connectors/autotask/write_calls.h"

namespace switchyard::connectors::autotask {
namespace {

bool same_label(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<std::string> PicklistResolver::resolve(std::string_view field, std::string_view kind,
                                                     const FieldChoice& choice, const std::string& path,
                                                     std::optional<WriteOutcome>& failure) {
  switch (choice.kind) {
    case FieldChoice::Kind::Id: return choice.value;
    case FieldChoice::Kind::Label: return id_of_label(field, choice.value, path, failure);
    case FieldChoice::Kind::Canonical: break;
  }
  const auto mapped = mappings_.resolve(kind, choice.value);
  if (!mapped) {
    failure = WriteOutcome::rejected(path + ": \"" + choice.value + "\" is not in the tenant's \"" + std::string(kind) +
                                     "\" mappings (nor the Autotask defaults); add it, or send {\"label\": ...} or "
                                     "{\"id\": ...}");
    return std::nullopt;
  }
  // Mapping values are ids or names (common/mappings.h): a name is a picklist label.
  if (is_numeric_id(*mapped)) return mapped;
  return id_of_label(field, *mapped, path, failure);
}

std::optional<std::vector<PicklistValue>> picklist_values(simdjson::dom::array fields, std::string_view field) {
  for (simdjson::dom::element f : fields) {
    std::string_view name;
    simdjson::dom::array values;
    if (f["name"].get(name) != simdjson::SUCCESS || name != field) continue;
    if (f["picklistValues"].get(values) != simdjson::SUCCESS) return std::nullopt;
    std::vector<PicklistValue> out;
    for (simdjson::dom::element v : values) {
      PicklistValue p;
      if (v["label"].get(p.label) != simdjson::SUCCESS || v["value"].get(p.value) != simdjson::SUCCESS) continue;
      if (v["isActive"].get(p.active) != simdjson::SUCCESS) p.active = true;
      out.push_back(p);
    }
    return out;
  }
  return std::nullopt;
}

std::optional<std::string> PicklistResolver::id_of_label(std::string_view field, std::string_view label,
                                                         const std::string& path,
                                                         std::optional<WriteOutcome>& failure) {
  if (!fields_json_) {
    auto call = send(psa_, tenant_, "GET", "/V1.0/" + entity_ + "/entityInformation/fields", "");
    if (call.failure) {
      failure = std::move(call.failure);
      return std::nullopt;
    }
    fields_json_ = std::move(call.response->body);
  }
  simdjson::dom::parser parser;
  simdjson::dom::array fields;
  if (parser.parse(*fields_json_)["fields"].get(fields) != simdjson::SUCCESS) {
    failure = WriteOutcome::retryable("autotask " + entity_ + "/entityInformation/fields: no fields array");
    return std::nullopt;
  }
  for (const PicklistValue& v : picklist_values(fields, field).value_or(std::vector<PicklistValue>{})) {
    if (v.active && same_label(v.label, label)) return std::string(v.value);
  }
  failure = WriteOutcome::rejected(path + ": Autotask has no active " + std::string(field) + " labelled \"" +
                                   std::string(label) + "\" on " + entity_);
  return std::nullopt;
}

}  // namespace switchyard::connectors::autotask
