// Fault middleware: wraps one PSA's API handler so that every fault kind (status, timeout,
// drop, in bursts) applies to it the same way. It is the only place faults are carried out;
// a PSA contributes nothing but its FaultShape, so a new or moved PSA gets every fault by
// being wrapped. Dropped connections are cut by the sandbox's front (fault_front.h), which
// acts on the kFaultHeader this middleware puts on the answer.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/http_types.h"
#include "psa-sandbox/faults.h"
#include "psa-sandbox/held_answers.h"

namespace switchyard::sandbox {

// What is PSA-specific about failing.
struct FaultShape {
  // The PSA's error answer for `status`, in that PSA's body shape.
  std::function<http::Response(int status, std::string_view message)> error;
  // Requests that are never faulted (Autotask's zone lookup); empty = none.
  std::function<bool(const http::Request&)> exempt;
};

// Registers `psa` with `faults` and returns `inner` wrapped.
http::Handler with_faults(Faults& faults, HeldAnswers& held, std::string psa, FaultShape shape, http::Handler inner);

}  // namespace switchyard::sandbox
