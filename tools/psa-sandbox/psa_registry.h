// PsaRegistry: the sandbox's PSAs by name. Each folder below tools/psa-sandbox/ (but auth/)
// defines `void register_<folder>(PsaRegistry&)`, and the list of built-in PSAs is generated
// from the folders (CMakeLists.txt, builtin_psas.cpp.in), so adding a PSA touches only its
// own folder.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "psa-sandbox/psa_api.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {

// Makes one PSA's imitation for a sandbox (each Sandbox has its own).
using PsaFactory = std::function<std::unique_ptr<PsaApi>(const SandboxOptions& options)>;

class PsaRegistry {
 public:
  // Throws std::logic_error for a name registered twice or one that is not a path segment
  // of a-z 0-9 - (reserved: "tenants", "_sandbox").
  void add(std::string name, PsaFactory factory);
  const PsaFactory* find(std::string_view name) const;
  std::vector<std::string> names() const;  // in registration order

 private:
  std::vector<std::pair<std::string, PsaFactory>> factories_;
};

// Defined in the generated builtin_psas.cpp: registers every folder's PSA.
void register_builtin_psas(PsaRegistry& registry);
// The process-wide registry with every built-in PSA.
const PsaRegistry& builtin_psa_registry();

}  // namespace switchyard::sandbox
