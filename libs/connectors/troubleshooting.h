// docs/troubleshooting.md, generated from the reason catalogue (common/reason_catalogue.h)
// merged with every connector's own steps, so the document and the codes never disagree.
// `make docs` writes it; a unit test fails when the committed file differs.
#pragma once

#include <string>

#include "connectors/registry.h"

namespace switchyard::connectors {

std::string troubleshooting_markdown(const ConnectorRegistry& registry);

}  // namespace switchyard::connectors
