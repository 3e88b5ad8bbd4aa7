#include "psa-sandbox/connectwise/cw_errors.h"

#include "common/json_writer.h"

namespace switchyard::sandbox {

http::Response cw_error(int status, std::string_view code, std::string_view message,
                        const std::vector<CwFieldError>& errors) {
  JsonWriter w;
  w.begin_object().field("code", code).field("message", message);
  if (!errors.empty()) {
    w.key("errors").begin_array();
    for (const auto& e : errors) {
      w.begin_object().field("code", e.code).field("message", e.message).field("resource", e.resource);
      w.field("field", e.field).end_object();
    }
    w.end_array();
  }
  w.end_object();
  return http::json_response(status, w.take());
}

}  // namespace switchyard::sandbox
