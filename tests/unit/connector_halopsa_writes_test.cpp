// HaloPSA's write pieces on spec-shaped answers: the id of a written record (the spec declares
// POST answers without a body shape, so an object and an array are both read), the reference a
// ticket carries, the ids a command may name, and each error status in plain language.
#include <gtest/gtest.h>

#include "connectors/halopsa/errors.h"
#include "connectors/halopsa/write_calls.h"
#include "connectors/halopsa/writers.h"

namespace switchyard::connectors::halopsa {
namespace {

http::ClientResponse answer(int status, std::string body = {}) { return http::ClientResponse{status, {}, std::move(body)}; }

TEST(HaloWrites, TheWrittenIdIsReadFromAnObjectOrAnArray) {
  EXPECT_EQ(written_id(answer(200, R"({"id":4021,"summary":"Disk full","status_id":1})")), "4021");
  EXPECT_EQ(written_id(answer(200, R"([{"id":77,"ticket_id":4021,"note":"x"},{"id":78}])")), "77");
  EXPECT_EQ(written_id(answer(200, R"([])")), std::nullopt);
  EXPECT_EQ(written_id(answer(200, R"({"id":0})")), std::nullopt);
  EXPECT_EQ(written_id(answer(200, R"({"id":"12"})")), std::nullopt);
  EXPECT_EQ(written_id(answer(200, "")), std::nullopt);
  EXPECT_EQ(written_id(answer(200, "not json")), std::nullopt);
}

TEST(HaloWrites, IdsAreHaloNumbers) {
  EXPECT_EQ(halo_id("12"), 12);
  EXPECT_EQ(halo_id("0"), std::nullopt);
  EXPECT_EQ(halo_id("-3"), std::nullopt);
  EXPECT_EQ(halo_id("Closed"), std::nullopt);
  EXPECT_EQ(halo_id("123456789012345678901"), std::nullopt);
  EXPECT_EQ(reference_of("alert-1"), "sy-ref:alert-1");
}

TEST(HaloWrites, TheClosedStatusDefaultsToTheStockNine) {
  Tenant t;
  EXPECT_EQ(closed_status_id(t), 9);
  t.options["closed_status_id"] = "17";
  EXPECT_EQ(closed_status_id(t), 17);
  t.options["closed_status_id"] = "Closed";
  EXPECT_EQ(closed_status_id(t), std::nullopt);
}

TEST(HaloWrites, EveryErrorStatusIsExplainedWithoutTheBody) {
  const std::string secret_body = R"({"message":"Wile Coyote <wile@acme.example> is not valid"})";
  for (int status : {400, 401, 403, 404, 409, 422, 429, 500, 503, 418}) {
    SCOPED_TRACE(status);
    const std::string text = explain_error(answer(status, secret_body), "creating the ticket", "Tickets (edit)");
    EXPECT_NE(text.find("HaloPSA"), std::string::npos) << text;
    EXPECT_NE(text.find(std::to_string(status)), std::string::npos) << text;
    EXPECT_EQ(text.find("wile@acme.example"), std::string::npos) << "the body may hold personal data";
  }
  EXPECT_NE(explain_error(answer(403), "x", "Tickets (edit)").find("allow Tickets (edit)"), std::string::npos);
  EXPECT_NE(explain_error(answer(422), "x", "p").find("required field"), std::string::npos);
  EXPECT_NE(explain_error(answer(409), "x", "p").find("changed or is locked"), std::string::npos);
}

TEST(HaloWrites, OnlyCredentialsThrottlingAndFaultsAreRetried) {
  using Kind = WriteOutcome::Kind;
  for (int status : {400, 403, 404, 409, 422}) EXPECT_EQ(outcome_of_error(answer(status), "x", "p").kind, Kind::Rejected);
  for (int status : {401, 408, 429, 500, 502, 503}) {
    EXPECT_EQ(outcome_of_error(answer(status), "x", "p").kind, Kind::Retryable);
  }
}

}  // namespace
}  // namespace switchyard::connectors::halopsa
