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

// Autotask echoes values unquoted too, and names records of its own (a contact's name and
// phone): only its message words and field names are kept.
TEST(AutotaskErrors, UnquotedEchoesAndTheRecordsAutotaskNamesAreTakenOut) {
  const std::string said = redacted_messages(
      R"({"errors":["Value Flooded server room at Jane's desk is not valid for title.",)"
      R"("The contact Jane Roe (+15550142) does not belong to the company.","Missing Required Field: title (Ticket)."]})");
  EXPECT_EQ(said,
            "Value … is not valid for title.; The contact … (+…) does not belong to the company.; "
            "Missing Required Field: title (Ticket).");
  for (const char* personal : {"Flooded", "Jane", "Roe", "5550142", "desk"}) {
    EXPECT_EQ(said.find(personal), std::string::npos) << personal;
  }
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
