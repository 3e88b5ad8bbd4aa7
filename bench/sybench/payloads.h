// Realistic PSA webhook bodies and vendor commands for the benchmarks, signed the way the PSAs
// sign them. Every body is a function of a sequence number, so a run can make as many distinct
// events as it needs (or repeat one on purpose, as a duplicate).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::bench {

enum class Psa { ConnectWise, Autotask };

Psa parse_psa(std::string_view name);  // "connectwise" | "autotask"; throws otherwise

// One webhook as ingest receives it: path, signature header and body.
struct Webhook {
  std::string path;              // /v1/webhooks/{psa}/{tenant}
  std::string signature_header;  // x-content-signature | X-Hook-Signature
  std::string signature;
  std::string body;
};

// Record ids are `id_base + seq`; the version (ConnectWise _info.lastUpdated, Autotask
// lastActivityDate) moves with seq too, so (id, version) and hence the idempotency key is
// distinct per seq. ConnectWise callbacks are about 1.5 KB, Autotask webhooks about 2 KB.
Webhook make_webhook(Psa psa, uint64_t seq, uint64_t id_base = 100000);

// The record id make_webhook used for seq (what comes back in the canonical event's key).
inline uint64_t webhook_record_id(uint64_t seq, uint64_t id_base = 100000) { return id_base + seq; }

// A ticket.upsert command for tenant globex (Autotask) with external_ref `ref`.
std::string make_command(std::string_view command_id, std::string_view external_ref);
// The same command for another tenant (the fleet runs' tenants, each an Autotask sandbox tenant).
std::string make_command(std::string_view command_id, std::string_view external_ref, std::string_view tenant);

// The demo tenants' secrets (config/tenants.local.json).
inline constexpr std::string_view kConnectWiseTenant = "acme";
inline constexpr std::string_view kAutotaskTenant = "globex";
inline constexpr std::string_view kConnectWiseSigningKey = "demo-signing-key";
inline constexpr std::string_view kAutotaskWebhookSecret = "demo-at-webhook-secret";

}  // namespace switchyard::bench
