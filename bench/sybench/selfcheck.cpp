// `sybench selfcheck`: the bench payloads are what the connectors accept — the signature
// verifies, the webhook decodes, the envelope maps to a canonical record, the command parses —
// so a benchmark never measures rejections.
#include <simdjson.h>

#include "commands.h"
#include "common/command.h"
#include "connectors/registry.h"
#include "ingest/change_envelopes.h"
#include "payloads.h"

namespace switchyard::bench {

int selfcheck(const Options& o) {
  const auto& registry = connectors::builtin_registry();
  const TenantDirectory tenants = load_tenants_file(o.required("tenants"), connectors::spec_lookup(registry), Env());
  simdjson::dom::parser parser;
  for (const Psa psa : {Psa::ConnectWise, Psa::Autotask}) {
    const bool cw = psa == Psa::ConnectWise;
    const Webhook hook = make_webhook(psa, 7);
    const Tenant& tenant = *tenants.find(cw ? kConnectWiseTenant : kAutotaskTenant);
    const auto* connector = registry.find(cw ? "connectwise" : "autotask");
    const http::Headers headers{{hook.signature_header, hook.signature}};
    if (auto s = connector->verify_webhook(tenant, connectors::WebhookRequest{hook.body, headers}); !s) {
      throw std::runtime_error(std::string(connector->name()) + " signature: " + s.error().message);
    }
    // Ingest rejects a webhook whose signing-key URL is not on the tenant's host before anything else.
    if (auto named = connector->webhook_key_url(tenant, hook.body); !named) {
      throw std::runtime_error(std::string(connector->name()) + " key_url: " + named.error().message +
                               " (run.sh sets SYBENCH_CONNECTWISE_KEY_URL)");
    }
    auto changes = connector->decode_webhook(tenant, hook.body);
    if (!changes) throw std::runtime_error(std::string(connector->name()) + " decode: " + changes.error().message);
    auto envelopes = ingest::to_envelopes(tenant, std::move(*changes), "webhook");
    auto record = connector->to_canonical(envelopes.at(0), parser);
    if (!record) throw std::runtime_error(std::string(connector->name()) + " map: " + record.error().message);
    emit(std::string(connector->name()) + "_webhook_body", static_cast<double>(hook.body.size()), "bytes");
    emit(std::string(connector->name()) + "_envelope", static_cast<double>(to_json(envelopes[0]).size()), "bytes");
  }
  const std::string command = make_command("c-1", "ref-1");
  if (auto c = command_from_json(command); !c) throw std::runtime_error("command: " + c.error().message);
  emit("command", static_cast<double>(command.size()), "bytes");
  return 0;
}

}  // namespace switchyard::bench
