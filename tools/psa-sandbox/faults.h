// Faults: queued error answers per PSA (inject_fault), consumed one per API request before
// the request is processed, answered in that PSA's error body shape.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/http_types.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {

class Faults {
 public:
  void inject(std::string_view psa, Fault fault);
  // Takes one occurrence of the pending fault for `psa`, if any.
  std::optional<Fault> take(std::string_view psa);
  void clear() { pending_.clear(); }

 private:
  std::map<std::string, Fault, std::less<>> pending_;
};

// The answer for a fault: status, Retry-After when set, and the PSA's error body.
http::Response fault_response(std::string_view psa, const Fault& fault);

}  // namespace switchyard::sandbox
