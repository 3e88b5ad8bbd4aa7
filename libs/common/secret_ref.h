// A secret value in a configuration file (tenant credentials, webhook secrets, API tokens):
// a literal string, {"env": NAME} or {"file": PATH}, resolved at load. Shared so that every
// file that holds secrets accepts the same forms and reports errors the same way.
#pragma once

#include <simdjson.h>

#include <string>

#include "common/env.h"
#include "common/result.h"

namespace switchyard {

// Resolves `value` found at `path` ("tenants[0].credentials.private_key"). A file's trailing
// newlines are dropped. Errors (code "invalid_secret") name `path`, and the variable or file
// where relevant, never the secret's value. An empty result is an error.
Result<std::string> resolve_secret(simdjson::dom::element value, const std::string& path, const Env& env);

// A secret mounted as a file (a Kubernetes Secret volume): at most 64 KiB, trailing newlines
// dropped, not empty. Errors (code "invalid_secret") name the file, never its content.
Result<std::string> read_secret_file(const std::string& file);

}  // namespace switchyard
