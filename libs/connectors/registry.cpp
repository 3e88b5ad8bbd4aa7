#include "connectors/registry.h"

namespace switchyard::connectors {

void ConnectorRegistry::add(std::unique_ptr<Connector> connector) { connectors_.push_back(std::move(connector)); }

const Connector* ConnectorRegistry::find(std::string_view psa) const {
  for (const auto& c : connectors_) {
    if (c->name() == psa) return c.get();
  }
  return nullptr;
}

std::vector<std::string> ConnectorRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& c : connectors_) out.emplace_back(c->name());
  return out;
}

const ConnectorRegistry& builtin_registry() {
  static const ConnectorRegistry registry = [] {
    ConnectorRegistry r;
    register_builtin_connectors(r);
    return r;
  }();
  return registry;
}

ConnectorSpecLookup spec_lookup(const ConnectorRegistry& registry) {
  return [&registry](std::string_view psa) -> const ConnectorSpec* {
    const Connector* c = registry.find(psa);
    return c ? &c->spec() : nullptr;
  };
}

}  // namespace switchyard::connectors
