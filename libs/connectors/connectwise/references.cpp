#include "connectors/connectwise/references.h"

#include "connectors/write_values.h"

namespace switchyard::connectors::connectwise {
Reference id_reference(const std::string& id) { return Reference{true, id}; }

std::optional<Reference> reference_of(const FieldChoice& choice, std::string_view kind, const MappingLookup& mappings,
                                      std::optional<WriteOutcome>& failure) {
  switch (choice.kind) {
    case FieldChoice::Kind::Id:
      return Reference{true, choice.value};
    case FieldChoice::Kind::Label:
      return Reference{false, choice.value};
    case FieldChoice::Kind::Canonical:
      break;
  }
  auto mapped = mappings.resolve(kind, choice.value);
  if (!mapped) {
    failure = WriteOutcome::rejected("the " + std::string(kind) + " \"" + choice.value +
                                     "\" has no ConnectWise value: add it to the tenant's mappings." +
                                     std::string(kind) + ", or send {\"label\": ...} or {\"id\": ...}");
    return std::nullopt;
  }
  return Reference{is_numeric_id(*mapped), *mapped};
}

void write_reference(JsonWriter& w, std::string_view key, const Reference& ref) {
  w.key(key).begin_object();
  if (ref.by_id && is_numeric_id(ref.value)) {
    w.field("id", static_cast<int64_t>(std::stoll(ref.value)));
  } else if (ref.by_id) {
    w.field("id", ref.value);  // ConnectWise will refuse it with a 400 naming the field
  } else {
    w.field("name", ref.value);
  }
  w.end_object();
}

}  // namespace switchyard::connectors::connectwise
