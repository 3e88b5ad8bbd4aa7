// application/x-www-form-urlencoded bodies, as the token endpoints receive them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::sandbox {

class FormFields {
 public:
  explicit FormFields(std::string_view body);
  // The decoded value of the first field named `name` (exactly, or ignoring case: Kaseya's
  // clients send both "GrantType" and "grantType"); nullopt when absent.
  std::optional<std::string> get(std::string_view name, bool ignore_case = false) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace switchyard::sandbox
