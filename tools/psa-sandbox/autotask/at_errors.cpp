#include "psa-sandbox/autotask/at_errors.h"

#include "common/json_writer.h"

namespace switchyard::sandbox {

http::Response at_error(int status, const std::vector<std::string>& messages) {
  JsonWriter w;
  w.begin_object().key("errors").begin_array();
  for (const auto& m : messages) w.value(m);
  w.end_array().end_object();
  return http::json_response(status, w.take());
}

http::Response at_error(int status, std::string_view message) { return at_error(status, std::vector{std::string(message)}); }

}  // namespace switchyard::sandbox
