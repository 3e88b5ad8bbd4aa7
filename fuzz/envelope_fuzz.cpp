// Envelopes as normalize reads them off the raw topic (any producer can write there): parse,
// then map with the envelope's connector as normalize does, whatever PSA, source or body.
#include "connectors/registry.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchyard;
  auto envelope = envelope_from_json(fuzz::as_text(data, size));
  if (!envelope) {
    FUZZ_CHECK(!envelope.error().code.empty(), "an error without a code");
    return 0;
  }
  fuzz::check_envelope_round_trip(*envelope);
  (void)envelope_kafka_key(*envelope);
  (void)envelope_kafka_headers(*envelope);
  if (const connectors::Connector* connector = connectors::builtin_registry().find(envelope->psa)) {
    fuzz::check_canonical(*connector, *envelope);
  }
  return 0;
}
