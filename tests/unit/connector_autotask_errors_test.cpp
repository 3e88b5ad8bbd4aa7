// Autotask's error answers, as the connector reads them: which failure a status and message
// mean (Autotask answers some authentication failures with 500), the words a partner gets, and
// the values its messages echo taken out.
#include <gtest/gtest.h>

#include "connectors/autotask/errors.h"

namespace switchyard::connectors::autotask {
namespace {

http::ClientResponse answer(int status, std::string body = {}) { return http::ClientResponse{status, {}, std::move(body)}; }

TEST(AutotaskErrors, StatusAndMessageTellTheFailureApart) {
  EXPECT_EQ(kind_of_error(answer(401)), ErrorKind::BadSecret);
  EXPECT_EQ(kind_of_error(answer(500, R"({"errors":["Unable to authenticate: the UserName is not a valid API user."]})")),
            ErrorKind::NotApiUser);
  EXPECT_EQ(kind_of_error(answer(500, R"({"errors":["IntegrationCode is invalid."]})")), ErrorKind::BadIntegration);
  EXPECT_EQ(kind_of_error(answer(500, R"({"errors":["Zone information could not be determined for the user."]})")),
            ErrorKind::WrongZone);
  EXPECT_EQ(kind_of_error(answer(500, R"({"errors":["Missing Required Field: title (Ticket)."]})")),
            ErrorKind::Validation);
  EXPECT_EQ(kind_of_error(answer(500, "Internal Server Error")), ErrorKind::ServerFault);
  EXPECT_EQ(kind_of_error(answer(500, R"({"errors":[]})")), ErrorKind::ServerFault);
  EXPECT_EQ(kind_of_error(answer(403)), ErrorKind::Forbidden);
  EXPECT_EQ(kind_of_error(answer(404)), ErrorKind::NotFound);
  EXPECT_EQ(kind_of_error(answer(429)), ErrorKind::Throttled);
  EXPECT_EQ(kind_of_error(answer(503)), ErrorKind::ServerFault);
}

TEST(AutotaskErrors, CredentialFailuresAreRetriedRefusalsAreNot) {
  EXPECT_EQ(outcome_of_error(answer(401), "POST /V1.0/Tickets").kind, WriteOutcome::Kind::Retryable);
  EXPECT_EQ(outcome_of_error(answer(500, R"({"errors":["ApiIntegrationCode is not valid"]})"), "x").kind,
            WriteOutcome::Kind::Retryable);
  EXPECT_EQ(outcome_of_error(answer(500, R"({"errors":["Missing Required Field: title (Ticket)."]})"), "x").kind,
            WriteOutcome::Kind::Rejected);
  EXPECT_EQ(outcome_of_error(answer(403), "x").kind, WriteOutcome::Kind::Rejected);
  EXPECT_EQ(outcome_of_error(answer(404), "x").kind, WriteOutcome::Kind::Rejected);
  EXPECT_EQ(outcome_of_error(answer(502), "x").kind, WriteOutcome::Kind::Retryable);
}

TEST(AutotaskErrors, MessagesNameTheSettingToFix) {
  EXPECT_NE(explain_error(answer(401), "POST /V1.0/Tickets").find("credentials.secret"), std::string::npos);
  EXPECT_NE(explain_error(answer(500, R"({"errors":["UserName is not a valid API user"]})"), "x").find("API User (system)"),
            std::string::npos);
  EXPECT_NE(explain_error(answer(500, R"({"errors":["IntegrationCode is invalid"]})"), "x")
                .find("credentials.integration_code"),
            std::string::npos);
  EXPECT_NE(explain_error(answer(500, R"({"errors":["wrong zone"]})"), "x").find("base_url"), std::string::npos);
  EXPECT_NE(explain_error(answer(403), "querying Contracts").find("Security Levels"), std::string::npos);
}

TEST(AutotaskErrors, EchoedValuesAreTakenOutOfTheMessages) {
  const std::string said = redacted_messages(
      R"({"errors":["Value 'Jane Roe' for field contactID is invalid.","Email jane@acme.example is taken by \"Acme\""]})");
  EXPECT_EQ(said, "Value '…' for field contactID is invalid.; Email … is taken by \"…\"");
  EXPECT_EQ(redacted_messages("not json"), "");
  // Bounded, and still valid UTF-8 where the bound falls.
  std::string many = R"({"errors":[)";
  for (int i = 0; i < 5; ++i) many += std::string(i ? "," : "") + "\"" + std::string(200, 'x') + "\"";
  many += "]}";
  EXPECT_LE(redacted_messages(many).size(), 300u);
}

}  // namespace
}  // namespace switchyard::connectors::autotask
