// ConnectWise callbacks as ingest receives them: the raw POST body, signature check, decoding,
// then the envelope and the canonical mapping normalize does with each change.
#include "common/crypto.h"
#include "connectors/registry.h"
#include "fuzz_support.h"

namespace {

using namespace switchyard;

std::string signature(std::string_view key, std::string_view body) {
  return crypto::base64_encode(crypto::hmac_sha256(crypto::sha256(key), body));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const connectors::Connector& connector = *connectors::builtin_registry().find("connectwise");
  static const Tenant tenant = fuzz::connectwise_tenant();
  const std::string_view body = fuzz::as_text(data, size);
  // The second secret is the one being rotated in: it must verify too.
  fuzz::run_webhook(connector, tenant, body, {{"X-Content-Signature", signature(tenant.webhook_signing_secrets[1], body)}},
                    {{"x-content-signature", signature("not-the-key", body)}});
  return 0;
}
