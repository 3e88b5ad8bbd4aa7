// docs/troubleshooting.md, generated from the reason catalogue (common/reason_catalogue.h)
// merged with every connector's own steps, so the document and the codes never disagree.
// `make docs` writes it; a unit test fails when the committed file differs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "connectors/registry.h"

namespace switchyard::connectors {

std::string troubleshooting_markdown(const ConnectorRegistry& registry);

// One entry as the operator console shows it, with the steps of `psa` where they differ:
// {"code","message","cause","fix","psa_steps"?,"retried","help"}. nullopt for an unknown code.
std::optional<std::string> reason_json(const ConnectorRegistry& registry, std::string_view code,
                                       std::string_view psa);

}  // namespace switchyard::connectors
