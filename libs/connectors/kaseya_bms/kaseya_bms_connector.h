// Kaseya BMS (API 2.0): the shared v2 connector (libs/connectors/kaseya_v2/) with BMS's names,
// its webhooks (/v2/admin/webhooks, registered with the URL secret, verified by it, and read as
// partial changes whose full ticket is fetched), and its spec. See docs/psa/kaseya-bms.md.
#pragma once

#include "connectors/kaseya_v2/v2_connector.h"

namespace switchyard::connectors::kaseya_bms {

// The name the connector gives the webhook it registers: how it finds its own again.
inline constexpr std::string_view kWebhookName = "Switchyard";

class KaseyaBmsConnector final : public kaseya_v2::V2Connector {
 public:
  KaseyaBmsConnector();
  const ConnectorSpec& spec() const override;
  std::span<const PsaReasonSteps> reason_steps() const override;
  Status verify_webhook(const Tenant& tenant, const WebhookRequest& request) const override;
  Result<std::vector<Change>> decode_webhook(const Tenant& tenant, std::string_view body) const override;
  Result<WebhookRegistration> register_webhooks(const Tenant& tenant, PsaHttp& http,
                                                const std::string& callback_url) const override;
  Status unregister_webhooks(const Tenant& tenant, PsaHttp& http, const std::string& callback_url) const override;
};

}  // namespace switchyard::connectors::kaseya_bms
