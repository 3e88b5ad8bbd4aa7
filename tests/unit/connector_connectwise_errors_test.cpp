// ConnectWise error answers in plain words: a 400 names fields and codes but never the values
// ConnectWise echoes in its messages; 401/403/404 say what to check; 429 and 5xx are retried.
#include "connectors/connectwise/errors.h"

#include <gtest/gtest.h>

namespace switchyard::connectors::connectwise {
namespace {

http::ClientResponse answer(int status, std::string body, http::Headers headers = {}) {
  return http::ClientResponse{status, std::move(headers), std::move(body)};
}

TEST(ConnectWiseErrorsTest, A400NamesFieldsAndCodesButNoEchoedValue) {
  const auto r = answer(400, R"({"code":"InvalidObject","message":"ticket object is invalid",)"
                             R"("errors":[{"code":"MaxLengthField","message":"Summary 'Call Jane Roe at 555-0101' exceeds 100",)"
                             R"("resource":"ticket","field":"summary"},)"
                             R"({"code":"MissingRequiredField","message":"company is required","resource":"ticket","field":"company"}]})");
  const auto o = outcome_of_error(r, "creating the ticket", "Service Desk › Service Tickets");
  EXPECT_EQ(o.kind, WriteOutcome::Kind::Rejected);
  EXPECT_EQ(o.http_status, 400);
  EXPECT_NE(o.detail.find("summary is too long (MaxLengthField)"), std::string::npos) << o.detail;
  EXPECT_NE(o.detail.find("company is required"), std::string::npos) << o.detail;
  EXPECT_NE(o.detail.find("creating the ticket"), std::string::npos) << o.detail;
  EXPECT_EQ(o.detail.find("Jane"), std::string::npos) << "an echoed value leaked: " << o.detail;
  EXPECT_EQ(o.detail.find("555"), std::string::npos) << o.detail;
}

TEST(ConnectWiseErrorsTest, AuthPermissionAndMissingRecords) {
  const auto keys = outcome_of_error(answer(401, "{}"), "closing the ticket", "x");
  EXPECT_EQ(keys.kind, WriteOutcome::Kind::Retryable);
  EXPECT_NE(keys.detail.find("credentials.company_id"), std::string::npos);
  const auto role = outcome_of_error(answer(403, R"({"code":"Security","message":"no"})"), "adding the note",
                                     "Service Desk › Service Tickets");
  EXPECT_EQ(role.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(role.detail.find("grant Service Desk › Service Tickets"), std::string::npos) << role.detail;
  const auto gone = outcome_of_error(answer(404, R"({"code":"NotFound"})"), "updating the ticket", "x");
  EXPECT_EQ(gone.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(gone.detail.find("404"), std::string::npos);
}

TEST(ConnectWiseErrorsTest, ThrottlingAndServerFaultsAreRetried) {
  const auto throttled = outcome_of_error(answer(429, "", {{"Retry-After", "7"}}), "creating the ticket", "x");
  EXPECT_EQ(throttled.kind, WriteOutcome::Kind::Retryable);
  EXPECT_EQ(throttled.retry_after, std::chrono::seconds(7));
  EXPECT_EQ(outcome_of_error(answer(503, "busy"), "creating the ticket", "x").kind, WriteOutcome::Kind::Retryable);
  EXPECT_EQ(outcome_of_error(answer(500, "{}"), "creating the ticket", "x").kind, WriteOutcome::Kind::Retryable);
}

TEST(ConnectWiseErrorsTest, ABodyThatIsNotTheUsualShapeStillExplains) {
  const auto o = outcome_of_error(answer(400, "<html>bad</html>"), "creating the ticket", "x");
  EXPECT_EQ(o.kind, WriteOutcome::Kind::Rejected);
  EXPECT_EQ(o.detail, "ConnectWise refused creating the ticket (400)");
}

}  // namespace
}  // namespace switchyard::connectors::connectwise
