// The calls every v2 writer makes: one request whose answer (envelope included) becomes the
// outcome in plain language, the choice ids a write needs, and finding a ticket again.
#pragma once

#include <optional>
#include <string>

#include "common/field_choice.h"
#include "connectors/kaseya_v2/v2_api.h"

namespace switchyard::connectors::kaseya_v2 {

struct WriteContext {
  const Flavor& flavor;
  const Tenant& tenant;
  PsaHttp& http;
  WriteMemo& memo;
};

struct Call {
  std::optional<std::string> result;     // the envelope's Result, minified (ok)
  std::optional<WriteOutcome> failure;   // otherwise what to report
};

// `path` below /v2/; `what` and `permission` word a failure.
Call send(const WriteContext& c, std::string method, std::string_view path, std::string body, std::string_view what,
          std::string_view permission);

// {"Id": N, ...} (a Result object) → "N".
std::optional<std::string> id_of(const std::string& result);

// The marker a ticket made for `external_ref` carries at the end of its Details:
// "(sy-ref <external_ref>)" (external refs have no spaces or parentheses).
std::string reference_marker(std::string_view external_ref);

// The ticket made for `ref`: the memo, else a search of the ticket list by Details
// (Filter.Details), whose hits must carry the marker exactly. nullopt with `failure` unset when
// there is none.
std::optional<std::string> existing_ticket(const WriteContext& c, const std::string& ref,
                                           std::optional<WriteOutcome>& failure);

// A status or priority choice as the instance's id: an id as sent, a label (or a canonical
// value through the tenant's mappings) looked up by name in /v2/system/<list>/lookup.
// `list`: "statuses" | "priorities"; `kind`: the mapping kind ("status", "priority").
std::optional<int64_t> choice_id(const WriteContext& c, const std::optional<FieldChoice>& choice, std::string_view list,
                                 std::string_view kind, const MappingLookup& mappings,
                                 std::optional<WriteOutcome>& failure);

}  // namespace switchyard::connectors::kaseya_v2
