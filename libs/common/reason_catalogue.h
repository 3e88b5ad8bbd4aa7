// The catalogue of reason codes: every code an activity record, dead letter or API error can
// carry, with what it means in plain language, its likely cause, how to fix it and whether
// Switchyard tries again by itself. The shared entries live here; the steps that differ per PSA
// live in that PSA's connector folder (Connector::reason_steps) and are merged with these by the
// connector registry, so adding a PSA still touches one folder. docs/troubleshooting.md is
// generated from the merged catalogue (`make docs`), and a test keeps the two equal.
#pragma once

#include <span>
#include <string_view>

namespace switchyard {

struct Reason {
  std::string_view code;
  std::string_view message;  // what happened
  std::string_view cause;    // the likely cause
  std::string_view fix;      // what to do, for any PSA
  bool retried = false;      // Switchyard tries again by itself
};

// Where one PSA's fix differs: its own steps (menu paths, permission names).
struct PsaReasonSteps {
  std::string_view code;
  std::string_view steps;
};

// In the order docs/troubleshooting.md lists them.
std::span<const Reason> shared_reasons();
// nullptr for a code the catalogue does not have.
const Reason* find_reason(std::string_view code);

}  // namespace switchyard
