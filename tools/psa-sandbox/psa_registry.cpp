#include "psa-sandbox/psa_registry.h"

#include <algorithm>
#include <stdexcept>

namespace switchyard::sandbox {
namespace {

bool valid_psa_name(std::string_view name) {
  if (name.empty() || name.size() > 32 || name == "tenants") return false;
  return std::all_of(name.begin(), name.end(),
                     // '_' as in connector names ("kaseya_bms"): the sandbox serves a PSA under its connector's name.
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}

}  // namespace

void PsaRegistry::add(std::string name, PsaFactory factory) {
  if (!valid_psa_name(name)) throw std::logic_error("invalid sandbox PSA name: " + name);
  if (find(name)) throw std::logic_error("sandbox PSA registered twice: " + name);
  factories_.emplace_back(std::move(name), std::move(factory));
}

const PsaFactory* PsaRegistry::find(std::string_view name) const {
  for (const auto& [n, factory] : factories_) {
    if (n == name) return &factory;
  }
  return nullptr;
}

std::vector<std::string> PsaRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, factory] : factories_) out.push_back(n);
  return out;
}

const PsaRegistry& builtin_psa_registry() {
  static const PsaRegistry registry = [] {
    PsaRegistry r;
    register_builtin_psas(r);
    return r;
  }();
  return registry;
}

}  // namespace switchyard::sandbox
