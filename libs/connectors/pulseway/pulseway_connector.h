// Pulseway PSA (V2 API): the shared v2 connector (libs/connectors/kaseya_v2/) with Pulseway's
// names and spec. No public Pulseway spec was found: it follows the Kaseya BMS shapes, and every
// difference known or suspected lives in this folder. No webhooks are documented, so changes are
// polled only. See docs/psa/pulseway.md for what still needs checking against a live instance.
#pragma once

#include "connectors/kaseya_v2/v2_connector.h"

namespace switchyard::connectors::pulseway {

class PulsewayConnector final : public kaseya_v2::V2Connector {
 public:
  PulsewayConnector();
  const ConnectorSpec& spec() const override;
  std::span<const PsaReasonSteps> reason_steps() const override;
  Status verify_webhook(const Tenant& tenant, const WebhookRequest& request) const override;
  Result<std::vector<Change>> decode_webhook(const Tenant& tenant, std::string_view body) const override;
};

}  // namespace switchyard::connectors::pulseway
