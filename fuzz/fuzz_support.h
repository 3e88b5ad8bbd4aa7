// Shared by the libFuzzer targets: invariant checks that crash (so libFuzzer keeps the input),
// the tenants the connector targets use, and the path a webhook's changes take after decoding
// (ingest wraps them in envelopes, Kafka carries the JSON, normalize maps it to canonical).
#pragma once

#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/canonical.h"
#include "common/envelope.h"
#include "common/idempotency.h"
#include "common/tenants.h"
#include "connectors/connector.h"

// A broken invariant is a finding like a sanitizer report: abort so libFuzzer saves the input.
#define FUZZ_CHECK(cond, detail)                                                                   \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  %s\n", __FILE__, __LINE__, #cond, \
                   std::string(detail).c_str());                                                   \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)

namespace switchyard::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Valid JSON, read by simdjson (which also rejects invalid UTF-8): what we emit to Kafka or
// answer over HTTP must be readable by any consumer.
inline bool is_valid_json(std::string_view text) {
  static simdjson::dom::parser parser;
  simdjson::dom::element ignored;
  return parser.parse(text.data(), text.size()).get(ignored) == simdjson::SUCCESS;
}

inline Tenant connectwise_tenant() {
  Tenant t;
  t.id = "acme";
  t.psa = "connectwise";
  t.base_url = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0";
  t.credentials = {{"company_id", "acme"}, {"public_key", "pub"}, {"private_key", "priv"}, {"client_id", "cid"}};
  t.webhook_signing_secrets = {"signing-key-current", "signing-key-next"};
  return t;
}

inline Tenant autotask_tenant() {
  Tenant t;
  t.id = "globex";
  t.psa = "autotask";
  t.base_url = "https://webservices2.autotask.net/ATServicesRest";
  t.credentials = {{"username", "api@globex.test"}, {"secret", "s"}, {"integration_code", "CODE"}};
  t.webhook_signing_secrets = {"at-webhook-secret"};
  t.options = {{"default_company_id", "100"}, {"default_queue_id", "8"}};
  return t;
}

// What ingest does with decoded changes (services/ingest/change_envelopes.cpp), with a fixed
// receive time so runs are reproducible.
inline Envelope envelope_of(const Tenant& tenant, const connectors::Change& c) {
  Envelope e;
  e.tenant = tenant.id;
  e.psa = tenant.psa;
  e.entity = c.entity;
  e.entity_id = c.entity_id;
  e.action = c.action;
  e.source = "webhook";
  e.received_at = "2026-11-25T10:00:02.500Z";
  e.idempotency_key = derive_idempotency_key({e.tenant, e.psa, e.entity, e.entity_id, c.version});
  e.body = c.body;
  e.body_is_json = c.body_is_json && embeds_as_json(e.body);
  return e;
}

// normalize's half: maps the envelope and checks that the canonical event it would produce is
// valid JSON that reads back as the same event.
inline void check_canonical(const connectors::Connector& connector, const Envelope& e) {
  static simdjson::dom::parser parser;  // normalize reuses one parser per worker too
  auto record = connector.to_canonical(e, parser);
  if (!record) {
    FUZZ_CHECK(!record.error().code.empty(), "an error without a code");
    return;
  }
  const canonical::Event event{e.idempotency_key,
                               e.action == "deleted" ? canonical::Action::Deleted : canonical::Action::Upserted,
                               e.received_at, e.source, std::move(*record),
                               /*caused_by_command=*/std::nullopt, /*trigger=*/std::nullopt};
  const std::string json = canonical::to_json(event);
  FUZZ_CHECK(is_valid_json(json), json);
  auto back = canonical::event_from_json(json);
  FUZZ_CHECK(back.ok(), json + "\n  " + (back.ok() ? "" : back.error().message));
  FUZZ_CHECK(*back == event, json);
}

// The envelope survives the raw topic: its JSON reads back equal.
inline void check_envelope_round_trip(const Envelope& e) {
  // A version 2 body is skipped over when the envelope is read, and validated when its
  // connector parses it to map it: one that is not JSON fails there (and is dead-lettered), and
  // written back it would not make a valid envelope.
  if (e.body_is_json && !is_valid_json(e.body)) return;
  const std::string json = to_json(e);
  FUZZ_CHECK(is_valid_json(json), json);
  auto back = envelope_from_json(json);
  FUZZ_CHECK(back.ok(), json + "\n  " + (back.ok() ? "" : back.error().message));
  FUZZ_CHECK(*back == e, json);
}

// A webhook body through a connector as ingest and normalize see it. The signature is checked
// first: a correct one must pass, a missing or wrong one must not.
inline void run_webhook(const connectors::Connector& connector, const Tenant& tenant, std::string_view body,
                        const http::Headers& signed_headers, const http::Headers& wrong_headers) {
  FUZZ_CHECK(connector.verify_webhook(tenant, {body, signed_headers}).ok(), "a correct signature was refused");
  FUZZ_CHECK(!connector.verify_webhook(tenant, {body, {}}).ok(), "no signature was accepted");
  FUZZ_CHECK(!connector.verify_webhook(tenant, {body, wrong_headers}).ok(), "a wrong signature was accepted");

  if (auto signal = connector.webhook_signal(tenant, body)) {
    FUZZ_CHECK(!signal->kind.empty(), "a signal without a kind");
  }
  auto changes = connector.decode_webhook(tenant, body);
  if (!changes) {
    FUZZ_CHECK(!changes.error().code.empty(), "an error without a code");
    return;
  }
  for (const auto& change : *changes) {
    FUZZ_CHECK(!change.entity_id.empty(), "a change without an id");
    const Envelope e = envelope_of(tenant, change);
    check_envelope_round_trip(e);
    check_canonical(connector, e);
    if (change.needs_fetch) {
      // A partial change is never published as a record (it would blank what it lacks).
      static simdjson::dom::parser parser;
      auto record = connector.to_canonical(e, parser);
      FUZZ_CHECK(!record.ok(), "a partial change was mapped to a record");
    }
  }
}

}  // namespace switchyard::fuzz
