// ConnectorRegistry: connectors by PSA name. Services look connectors up by the tenant's
// `psa` field and never include a PSA's own headers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector.h"

namespace switchyard::connectors {

class ConnectorRegistry {
 public:
  void add(std::unique_ptr<Connector> connector);
  // nullptr when no connector has that name.
  const Connector* find(std::string_view psa) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Connector>> connectors_;
};

// Defined in the generated builtin_connectors.cpp: registers every folder's connector.
void register_builtin_connectors(ConnectorRegistry& registry);
// The process-wide registry with all built-in connectors.
const ConnectorRegistry& builtin_registry();
// Adapts a registry to the tenants loader (validates tenants against connector specs).
ConnectorSpecLookup spec_lookup(const ConnectorRegistry& registry);

}  // namespace switchyard::connectors
