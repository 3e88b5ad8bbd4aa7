#include "psa-sandbox/auth/form_fields.h"

#include "common/http_types.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {

FormFields::FormFields(std::string_view body) {
  while (!body.empty()) {
    const size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    fields_.emplace_back(http::url_decode(pair.substr(0, eq)),
                         eq == std::string_view::npos ? std::string{} : http::url_decode(pair.substr(eq + 1)));
  }
}

std::optional<std::string> FormFields::get(std::string_view name, bool ignore_case) const {
  for (const auto& [key, value] : fields_) {
    if (ignore_case ? iequals(key, name) : key == name) return value;
  }
  return std::nullopt;
}

}  // namespace switchyard::sandbox
