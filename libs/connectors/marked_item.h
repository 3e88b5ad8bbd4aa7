// Finding again what a connector wrote with a marker at the end of one of its text fields (a
// note's "(sy-note ...)", a billing line's "(sy-line ...)"), among a list the PSA returns: the
// id of the first item whose `text_field` ends with `marker`. Shared by every connector whose
// records have no reference field of their own.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::connectors {

inline std::optional<std::string> id_of_marked_item(simdjson::dom::array items, std::string_view text_field,
                                                    std::string_view marker) {
  for (simdjson::dom::element item : items) {
    std::string_view text;
    int64_t id = 0;
    if (item[text_field].get(text) == simdjson::SUCCESS && text.ends_with(marker) &&
        item["id"].get(id) == simdjson::SUCCESS) {
      return std::to_string(id);
    }
  }
  return std::nullopt;
}

}  // namespace switchyard::connectors
