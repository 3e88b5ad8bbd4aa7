// Autotask webhooks as ingest receives them: the raw POST body, signature check, decoding,
// then the envelope and the canonical mapping normalize does with each change.
#include "common/crypto.h"
#include "connectors/registry.h"
#include "fuzz_support.h"

namespace {

using namespace switchyard;

std::string signature(std::string_view secret, std::string_view body) {
  return "sha1=" + crypto::base64_encode(crypto::hmac_sha1(secret, body));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const connectors::Connector& connector = *connectors::builtin_registry().find("autotask");
  static const Tenant tenant = fuzz::autotask_tenant();
  const std::string_view body = fuzz::as_text(data, size);
  fuzz::run_webhook(connector, tenant, body, {{"x-hook-signature", signature(tenant.webhook_signing_secrets[0], body)}},
                    {{"X-Hook-Signature", signature("not-the-secret", body)}});
  return 0;
}
