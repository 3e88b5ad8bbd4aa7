// Mapping: every sample (each change of each sample webhook, and each sample record as a poll
// publishes it) maps to a canonical event that holds the fields the fixture states and
// validates against the canonical JSON schema (docs/schemas/v1/). Every pollable entity needs
// a sample record.
#include "conformance/canonical_event.h"
#include "conformance/conformance_fixture.h"
#include "conformance/json_subset.h"
#include "ingest/change_envelopes.h"

namespace switchyard::conformance {
namespace {

class MappingConformance : public ConformanceTest {
 protected:
  // Maps `e`, compares with `expected` (a subset; "" = only map and validate).
  void check(const Envelope& e, const std::string& expected) {
    auto event = canonical_event_json(connector(), tenant_, e, parser_);
    ASSERT_TRUE(event.ok()) << event.error().code << ": " << event.error().message;
    if (!expected.empty()) {
      EXPECT_EQ(joined(subset_mismatches(expected, *event)), "") << *event;
    }
    EXPECT_EQ(joined(schemas().validate_text(*event, "event.schema.json")), "") << *event;
  }
  Tenant tenant_;
};

TEST_P(MappingConformance, EverySampleRecordMapsToItsCanonicalFields) {
  tenant_ = tenant_at("http://127.0.0.1:9/unused");
  for (const auto& entity : connector().spec().pollable_entities) {
    bool sampled = false;
    for (const auto& r : fixtures().records) sampled = sampled || r.entity == entity;
    EXPECT_TRUE(sampled) << fixtures().dir << "/records/: no sample record of pollable entity \"" << entity << "\"";
  }
  for (const auto& sample : fixtures().records) {
    SCOPED_TRACE("records/" + sample.name);
    check(polled_envelope(tenant_, sample.entity, sample.entity_id, sample.body), sample.canonical);
  }
}

TEST_P(MappingConformance, EverySampleWebhookMapsToItsCanonicalFields) {
  tenant_ = tenant_at("http://127.0.0.1:9/unused");
  for (const auto& sample : fixtures().webhooks) {
    SCOPED_TRACE("webhooks/" + sample.name);
    auto changes = connector().decode_webhook(tenant_, sample.body);
    ASSERT_TRUE(changes.ok()) << changes.error().message;
    ASSERT_EQ(changes->size(), sample.canonical.size());
    std::vector<bool> partial;
    for (const auto& c : *changes) partial.push_back(c.needs_fetch);
    auto envelopes = ingest::to_envelopes(tenant_, std::move(*changes), "webhook");
    for (size_t i = 0; i < envelopes.size(); ++i) {
      SCOPED_TRACE("change " + std::to_string(i));
      if (partial[i]) {
        // Its record comes whole from fetch_record; the partial envelope itself maps to nothing.
        auto mapped = connector().to_canonical(envelopes[i], parser_);
        ASSERT_FALSE(mapped.ok()) << "a partial change was mapped to a record";
        EXPECT_EQ(mapped.error().code, connectors::kSuperseded);
        continue;
      }
      check(envelopes[i], sample.canonical[i]);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Connectors, MappingConformance, ::testing::ValuesIn(connector_names()), test_name);

}  // namespace
}  // namespace switchyard::conformance
