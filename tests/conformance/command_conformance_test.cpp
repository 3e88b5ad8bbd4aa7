// Commands: the fixtures hold one sample per command type the connector supports, no more and
// no fewer; each runs against the sandbox, leaves the record the fixture states, and run again
// (a redelivery, with the write memo lost as after a crash) finds that record instead of
// making a second one.
#include <set>

#include "conformance/conformance_fixture.h"
#include "conformance/json_subset.h"
#include "conformance/memory_memo.h"

namespace switchyard::conformance {
namespace {

using Kind = connectors::WriteOutcome::Kind;

class CommandConformance : public ConformanceTest {};

TEST_P(CommandConformance, FixturesCoverExactlyTheSupportedCommands) {
  std::set<std::string> supported, sampled;
  for (auto type : connector().supported_commands()) supported.insert(std::string(type));
  for (const auto& sample : fixtures().commands) sampled.insert(sample.type);
  for (const auto& type : supported) {
    EXPECT_TRUE(sampled.count(type)) << connector().name() << " supports " << type << " but " << fixtures().dir
                                     << "/commands/ has no sample of it";
  }
  for (const auto& type : sampled) {
    EXPECT_TRUE(supported.count(type)) << fixtures().dir << "/commands/ has a sample of " << type << ", which "
                                       << connector().name() << "'s supported_commands() does not list";
  }
}

TEST_P(CommandConformance, EverySampleIsWrittenOnceAndARedeliveryFindsIt) {
  if (connector().supported_commands().empty()) {
    GTEST_SKIP() << connector().display_name() << " supports no commands yet (supported_commands() is empty)";
  }
  for (const auto& sample : fixtures().commands) {
    SCOPED_TRACE("commands/" + sample.name + " (" + sample.type + ")");
    for (const auto& r : sample.setup) upsert(r.sandbox_entity, r.json);
    auto command = command_from_json(sample.command);
    ASSERT_TRUE(command.ok()) << command.error().message;
    command->tenant = sandbox_tenant().id;

    const size_t before = records(sample.sandbox_entity).size();
    MemoryMemo memo;
    const auto first = connector().execute(sandbox_tenant(), *command, http(), memo);
    ASSERT_EQ(kind_name(first.kind), "Done") << first.detail;
    ASSERT_FALSE(first.psa_id.empty()) << "Done without the PSA's id";
    EXPECT_EQ(first.created, sample.creates);
    const auto after = records(sample.sandbox_entity);
    EXPECT_EQ(after.size(), before + (sample.creates ? 1 : 0)) << sample.sandbox_entity << " records";
    bool found = false;
    for (const auto& record : after) {
      if (id_of(record) != first.psa_id) continue;
      found = true;
      EXPECT_EQ(joined(subset_mismatches(sample.record, record)), "") << record;
    }
    EXPECT_TRUE(found) << "no " << sample.sandbox_entity << " record has the id " << first.psa_id;

    for (const bool memo_lost : {false, true}) {
      SCOPED_TRACE(memo_lost ? "redelivered, write memo lost" : "redelivered");
      MemoryMemo empty;
      const auto again = connector().execute(sandbox_tenant(), *command, http(), memo_lost ? empty : memo);
      ASSERT_EQ(kind_name(again.kind), "Done") << again.detail;
      EXPECT_EQ(again.psa_id, first.psa_id);
      EXPECT_FALSE(again.created) << "a redelivery made a second record";
      EXPECT_EQ(records(sample.sandbox_entity).size(), after.size()) << sample.sandbox_entity << " records";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Connectors, CommandConformance, ::testing::ValuesIn(connector_names()), test_name);

}  // namespace
}  // namespace switchyard::conformance
