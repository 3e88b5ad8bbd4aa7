#include "connectors/connection_test.h"

#include "connectors/auth/token_auth_psa_http.h"

namespace switchyard::connectors {
namespace {

ConnectionReport one_check(std::string name, bool ok, std::string detail) {
  return ConnectionReport{ok, {ConnectionCheck{std::move(name), ok, std::move(detail)}}, {}};
}

// A token PSA without a test of its own: the credentials are good when the PSA issues a token
// for them now. A cached token proves nothing, so the one in hand is named as rejected, which
// makes the provider fetch a new one (once, for every replica).
Result<ConnectionReport> token_check(const Tenant& tenant, const auth::TokenSource& source, PsaHttp& http,
                                     auth::TokenProvider& tokens) {
  auto current = tokens.access_token(tenant, source, http);
  auto fresh = current ? tokens.access_token(tenant, source, http, *current) : current;
  if (fresh) return one_check("credentials", true, "the PSA issued an access token for the configured credentials");
  if (fresh.error().code == "auth_suspended") return one_check("credentials", false, fresh.error().message);
  return fresh.error();
}

}  // namespace

Result<ConnectionTestOutcome> run_connection_test(const Tenant& tenant, const Connector& connector, PsaHttp& http,
                                                  auth::TokenProvider& tokens) {
  ConnectionTestOutcome out;
  const auth::TokenSource* source = connector.token_source();
  if (source != nullptr && tokens.suspended(tenant)) {
    out.was_suspended = true;
    if (auto st = tokens.resume(tenant); !st) return st.error();
  }
  auth::TokenAuthPsaHttp authorized(http, tokens, tenant, source);
  auto report = connector.test_connection(tenant, authorized);
  if (!report && report.error().code == kNotSupported && source != nullptr) {
    report = token_check(tenant, *source, http, tokens);
  }
  if (!report) {
    if (report.error().code == "auth_suspended") {
      report = one_check("credentials", false, report.error().message);
    } else {
      return report.error();
    }
  }
  out.report = std::move(*report);
  out.resumed = out.was_suspended && !tokens.suspended(tenant);
  return out;
}

}  // namespace switchyard::connectors
