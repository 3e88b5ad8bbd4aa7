// A tenant's connection test, the same for every PSA: the connector's own test_connection()
// (credentials, API version, permissions), or, for a PSA that issues tokens and has no test of
// its own yet, a fresh token for the configured credentials. A tenant suspended because its
// credentials were refused is given one more try first: when the test passes it stays resumed
// (docs/architecture.md, "PSA access tokens"); when the PSA refuses again it is suspended again.
#pragma once

#include "connectors/auth/token_provider.h"
#include "connectors/connector.h"

namespace switchyard::connectors {

struct ConnectionTestOutcome {
  ConnectionReport report;
  bool was_suspended = false;  // the tenant's credentials had been refused before this test
  bool resumed = false;        // ... and are accepted now: its polls and commands go on
};

// `http` is the tenant's rate-limited PsaHttp (the test spends the tenant's budget). Errors:
// kNotSupported when the PSA has neither a test nor tokens; "token_unavailable", "throttled",
// Redis failures: try again later.
Result<ConnectionTestOutcome> run_connection_test(const Tenant& tenant, const Connector& connector, PsaHttp& http,
                                                  auth::TokenProvider& tokens);

}  // namespace switchyard::connectors
