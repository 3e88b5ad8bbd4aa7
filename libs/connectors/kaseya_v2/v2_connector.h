// The connector both v2 PSAs are: token auth through the shared token provider, polling,
// mapping, the connection test, fetching one record, and the writes. KaseyaBmsConnector and
// PulsewayConnector (their own folders) add their name, spec and webhooks.
#pragma once

#include "connectors/auth/password_token_exchange.h"
#include "connectors/connector.h"
#include "connectors/kaseya_v2/v2_api.h"

namespace switchyard::connectors::kaseya_v2 {

// The credential names every v2 tenant configures.
inline constexpr std::string_view kUserName = "username";
inline constexpr std::string_view kPassword = "password";
inline constexpr std::string_view kCompany = "company";  // the PSA's tenant (company) name

class V2Connector : public Connector {
 public:
  explicit V2Connector(Flavor flavor);

  std::string_view name() const override { return flavor_.psa; }
  std::string_view display_name() const override { return flavor_.product; }
  const auth::TokenSource* token_source() const override { return &tokens_; }
  const Flavor& flavor() const { return flavor_; }

  Result<PollResult> poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const override;
  Result<ConnectionReport> test_connection(const Tenant& tenant, PsaHttp& http) const override;
  Result<std::vector<LookupItem>> lookup(const Tenant& tenant, PsaHttp& http, const LookupQuery& query) const override;
  Result<Change> fetch_record(const Tenant& tenant, PsaHttp& http, std::string_view entity,
                              std::string_view id) const override;
  std::vector<std::string_view> fetchable_entities() const override;
  std::vector<std::string_view> supported_commands() const override;
  WriteOutcome execute(const Tenant& tenant, const Command& command, PsaHttp& http, WriteMemo& memo) const override;

 protected:
  // The connection test's warnings of more access than needed (v2_privileges.cpp).
  Result<std::vector<ConnectionWarning>> privilege_warnings(const Tenant& tenant, PsaHttp& http) const;
  Result<canonical::Record> map_to_canonical(const Envelope& envelope, simdjson::dom::parser& parser,
                                             const MappingLookup& mappings) const override;

 private:
  Flavor flavor_;
  auth::PasswordTokenExchange tokens_;
};

// The headers of every API call (the bearer token is added by the token layer).
http::Headers json_headers();

}  // namespace switchyard::connectors::kaseya_v2
