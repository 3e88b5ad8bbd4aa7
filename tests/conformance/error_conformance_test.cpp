// PSA errors, injected by the sandbox for this tenant only: a poll and a command that meet
// 401, 403, 404, 429 (with Retry-After) or a 5xx end in the result their kind calls for —
// 429 and 5xx retryable (429 with its Retry-After), 401/403/404 rejected — with a
// plain-language message that names the status and carries no secret.
#include "conformance/conformance_fixture.h"
#include "conformance/memory_memo.h"

namespace switchyard::conformance {
namespace {

using namespace std::chrono_literals;
using Kind = connectors::WriteOutcome::Kind;

struct PsaError {
  int status;
  Kind kind;                   // what execute() must report
  std::optional<std::string> body = std::nullopt;  // nullopt: the PSA's own error body
};

// A 500 with the PSA's error body is, for some PSAs, how validation failures are reported
// (Autotask: a rejection), so the server fault is a 500 without a body, plus 502 and 503.
const std::vector<PsaError> kErrors = {{401, Kind::Rejected}, {403, Kind::Rejected}, {404, Kind::Rejected},
                                       {429, Kind::Retryable}, {500, Kind::Retryable, ""},
                                       {502, Kind::Retryable}, {503, Kind::Retryable}};
constexpr int kRetryAfterSeconds = 7;

std::string kind_name(Kind kind) {
  return kind == Kind::Done ? "Done" : kind == Kind::Retryable ? "Retryable" : "Rejected";
}

class ErrorConformance : public ConformanceTest {
 protected:
  // Every request of this tenant answers `e` until cleared.
  void fail_every_request(const PsaError& e) {
    sandbox().clear_faults();
    sandbox::Fault fault;
    fault.status = e.status;
    fault.retry_after_seconds = e.status == 429 ? kRetryAfterSeconds : 0;
    fault.count = 1000;
    fault.body = e.body;
    inject(fault);
  }
  void expect_plain(const std::string& message, int status) {
    EXPECT_FALSE(message.empty()) << "no message for the partner";
    EXPECT_NE(message.find(std::to_string(status)), std::string::npos) << "the message does not name the status: " << message;
    EXPECT_EQ(leaked_secret(message), "") << "a secret is in the message: " << message;
  }
};

TEST_P(ErrorConformance, APollMeetingAnErrorFailsWithAPlainMessage) {
  ASSERT_FALSE(connector().spec().pollable_entities.empty());
  const std::string entity = connector().spec().pollable_entities.front();
  for (const auto& e : kErrors) {
    SCOPED_TRACE("status " + std::to_string(e.status));
    fail_every_request(e);
    auto result = connector().poll(sandbox_tenant(), http(), poll_request(entity, "", fixtures().page_size, 2));
    ASSERT_FALSE(result.ok()) << "a poll answered " << e.status << " reported " << result->changes.size() << " changes";
    expect_plain(result.error().message, e.status);
  }
  sandbox().clear_faults();
  auto healthy = connector().poll(sandbox_tenant(), http(), poll_request(entity));
  EXPECT_TRUE(healthy.ok()) << "the faults outlived their test: " << healthy.error().message;
}

TEST_P(ErrorConformance, ACommandMeetingAnErrorIsRetryableOrRejectedAsItsStatusSays) {
  if (connector().supported_commands().empty()) {
    GTEST_SKIP() << connector().display_name() << " supports no commands yet (supported_commands() is empty)";
  }
  ASSERT_FALSE(fixtures().commands.empty()) << fixtures().dir << "/commands/: no sample command";
  for (const auto& sample : fixtures().commands) {
    SCOPED_TRACE("commands/" + sample.name);
    for (const auto& r : sample.setup) upsert(r.sandbox_entity, r.json);
    auto command = command_from_json(sample.command);
    ASSERT_TRUE(command.ok()) << command.error().message;
    command->tenant = sandbox_tenant().id;
    for (const auto& e : kErrors) {
      SCOPED_TRACE("status " + std::to_string(e.status));
      fail_every_request(e);
      MemoryMemo memo;
      const auto outcome = connector().execute(sandbox_tenant(), *command, http(), memo);
      EXPECT_EQ(kind_name(outcome.kind), kind_name(e.kind)) << outcome.detail;
      EXPECT_EQ(outcome.http_status, e.status) << outcome.detail;
      if (e.status == 429) {
        EXPECT_EQ(outcome.retry_after, std::chrono::milliseconds(kRetryAfterSeconds * 1000))
            << "Retry-After was not passed on";
      }
      expect_plain(outcome.detail, e.status);
    }
    sandbox().clear_faults();
  }
}

INSTANTIATE_TEST_SUITE_P(Connectors, ErrorConformance, ::testing::ValuesIn(connector_names()), test_name);

}  // namespace
}  // namespace switchyard::conformance
