// PSA errors, injected by the sandbox for this tenant only: a poll and a command that meet
// 401, 403, 404, 429 (with Retry-After) or a 5xx end in the result their kind calls for —
// 429 and 5xx retryable (429 with its Retry-After), 403/404 rejected, 401 rejected or retried
// as an auth error — with a plain-language message that names the status and carries no
// secret. For a PSA with access tokens a 401 may instead end in the shared token provider's auth
// error (the tenant's credentials refused: the engines park it), whose message is advice rather
// than a status.
#include <algorithm>

#include "conformance/conformance_fixture.h"
#include "conformance/memory_memo.h"

namespace switchyard::conformance {
namespace {

using Kind = connectors::WriteOutcome::Kind;

struct PsaError {
  int status;
  std::vector<Kind> kinds;                         // what execute() may report
  std::optional<std::string> body = std::nullopt;  // nullopt: the PSA's own error body
};

// A 401 is an auth error: rejected, or retried until the operator has fixed the keys (the
// attempts then dead-letter it), as long as the message says what to check. A 500 with the
// PSA's error body is, for some PSAs, how validation failures are reported (Autotask: a
// rejection), so the server fault is a 500 without a body, plus 502 and 503.
const std::vector<PsaError> kErrors = {{401, {Kind::Rejected, Kind::Retryable}}, {403, {Kind::Rejected}},
                                       {404, {Kind::Rejected}},  {429, {Kind::Retryable}},
                                       {500, {Kind::Retryable}, ""}, {502, {Kind::Retryable}},
                                       {503, {Kind::Retryable}}};

std::string kinds_text(const std::vector<Kind>& kinds) {
  std::string out;
  for (Kind k : kinds) out += (out.empty() ? "" : " or ") + kind_name(k);
  return out;
}
constexpr int kRetryAfterSeconds = 7;

class ErrorConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_FALSE(connector().spec().pollable_entities.empty());
    entity_ = connector().spec().pollable_entities.front();
    // A healthy call first: the tenant works, and a token-based PSA holds a token before the
    // faults start (as a running service does).
    auto healthy = connector().poll(sandbox_tenant(), http(), poll_request(entity_));
    ASSERT_TRUE(healthy.ok()) << healthy.error().message;
  }

  // Every request of this tenant answers `e` until cleared.
  void fail_every_request(const PsaError& e) {
    sandbox().clear_faults();
    resume_auth();
    sandbox::Fault fault;
    fault.status = e.status;
    fault.retry_after_seconds = e.status == 429 ? kRetryAfterSeconds : 0;
    fault.count = 1000;
    fault.body = e.body;
    inject(fault);
  }
  bool token_auth_error(int status) const { return status == 401 && auth_suspension().has_value(); }
  void expect_plain(const std::string& message, int status) {
    EXPECT_FALSE(message.empty()) << "no message for the partner";
    if (!token_auth_error(status)) {
      EXPECT_NE(message.find(std::to_string(status)), std::string::npos)
          << "the message does not name the status: " << message;
    }
    EXPECT_EQ(leaked_secret(message), "") << "a secret is in the message: " << message;
  }

  std::string entity_;
};

TEST_P(ErrorConformance, APollMeetingAnErrorFailsWithAPlainMessage) {
  for (const auto& e : kErrors) {
    SCOPED_TRACE("status " + std::to_string(e.status));
    fail_every_request(e);
    auto result = connector().poll(sandbox_tenant(), http(), poll_request(entity_, "", fixtures().page_size, 2));
    ASSERT_FALSE(result.ok()) << "a poll answered " << e.status << " reported " << result->changes.size() << " changes";
    expect_plain(result.error().message, e.status);
  }
  sandbox().clear_faults();
  resume_auth();
  auto healthy = connector().poll(sandbox_tenant(), http(), poll_request(entity_));
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
      EXPECT_NE(kind_name(outcome.kind), "Done") << "a command answered " << e.status << " was taken as written";
      if (!token_auth_error(e.status)) {
        EXPECT_NE(std::find(e.kinds.begin(), e.kinds.end(), outcome.kind), e.kinds.end())
            << "expected " << kinds_text(e.kinds) << ", got " << kind_name(outcome.kind) << ": " << outcome.detail;
        EXPECT_EQ(outcome.http_status, e.status) << outcome.detail;
      }
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
