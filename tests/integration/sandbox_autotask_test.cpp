// The PSA sandbox's Autotask imitation over real HTTP on 127.0.0.1: zone lookup, Autotask's
// auth quirks, create/patch, QueryModel filters and paging, child URLs, picklists, faults.
#include <simdjson.h>

#include <string>

#include <gtest/gtest.h>

#include "common/http_client.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {
namespace {

using http::ClientRequest;
using http::ClientResponse;
using http::HttpClient;

class SandboxAutotaskTest : public ::testing::Test {
 protected:
  void SetUp() override { sandbox_.start(); }
  void TearDown() override { sandbox_.stop(); }

  static http::Headers auth() {
    const AutotaskCredentials c;
    return {{"ApiIntegrationCode", c.integration_code}, {"UserName", c.username}, {"Secret", c.secret}};
  }

  // `path` is below the zone URL ("/V1.0/Tickets") or absolute.
  ClientResponse call(std::string method, const std::string& path, std::string body = {},
                      std::optional<http::Headers> headers = std::nullopt) {
    ClientRequest req;
    req.method = std::move(method);
    req.url = path.rfind("http", 0) == 0 ? path : sandbox_.autotask_base_url() + path;
    req.headers = headers ? *headers : auth();
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    req.body = std::move(body);
    auto r = client_.send(req);
    EXPECT_TRUE(r.ok()) << req.method << " " << req.url << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? std::move(r).value() : ClientResponse{};
  }

  simdjson::dom::element parse(const std::string& text) {
    simdjson::dom::element root;
    EXPECT_EQ(parser_.parse(text).get(root), simdjson::SUCCESS) << text;
    return root;
  }

  std::vector<int64_t> item_ids(const std::string& body) {
    std::vector<int64_t> ids;
    simdjson::dom::array items;
    if (parse(body)["items"].get(items) != simdjson::SUCCESS) return ids;
    for (auto item : items) ids.push_back(item["id"].get_int64().value());
    return ids;
  }

  int64_t create_ticket(const std::string& title, const std::string& external_id = "") {
    auto r = call("POST", "/V1.0/Tickets",
                  R"({"companyID":100,"title":")" + title + R"(","status":1,"priority":2,"queueID":5)" +
                      (external_id.empty() ? "" : R"(,"externalID":")" + external_id + "\"") + "}");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? parse(r.body)["itemId"].get_int64().value() : -1;
  }

  Sandbox sandbox_;
  HttpClient client_;
  simdjson::dom::parser parser_;
};

TEST_F(SandboxAutotaskTest, ZoneLookupReturnsTheZoneUrl) {
  const AutotaskCredentials c;
  // Path case as Autotask documents it: lower-case atservicesrest/v1.0.
  auto r = call("GET", sandbox_.base_url() + "/autotask/atservicesrest/v1.0/zoneInformation?user=" +
                           http::url_encode(c.username),
                {}, http::Headers{});
  ASSERT_EQ(r.status, 200) << r.body;
  auto zone = parse(r.body);
  EXPECT_EQ(std::string_view(zone["url"].get_string().value()), sandbox_.autotask_base_url() + "/");
  EXPECT_EQ(std::string_view(zone["zoneName"].get_string().value()), "Sandbox");
  EXPECT_EQ(zone["ci"].get_int64().value(), 0);

  r = call("GET", sandbox_.base_url() + "/autotask/atservicesrest/v1.0/zoneInformation?user=nobody%40example.com", {},
           http::Headers{});
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(parse(r.body)["errors"].is_array());
}

TEST_F(SandboxAutotaskTest, AuthFailuresFollowAutotaskQuirks) {
  const AutotaskCredentials c;
  auto r = call("GET", "/V1.0/Tickets/1000", {},
                http::Headers{{"ApiIntegrationCode", c.integration_code}, {"UserName", "who@x.test"}, {"Secret", c.secret}});
  EXPECT_EQ(r.status, 500) << "unknown user name is a 500 in Autotask";
  EXPECT_TRUE(parse(r.body)["errors"].is_array());

  r = call("GET", "/V1.0/Tickets/1000", {},
           http::Headers{{"ApiIntegrationCode", c.integration_code}, {"UserName", c.username}, {"Secret", "nope"}});
  EXPECT_EQ(r.status, 401);

  r = call("GET", "/V1.0/Tickets/1000", {},
           http::Headers{{"ApiIntegrationCode", "WRONG"}, {"UserName", c.username}, {"Secret", c.secret}});
  EXPECT_EQ(r.status, 500);

  r = call("GET", "/V1.0/Tickets/1000");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(std::string_view(parse(r.body)["item"]["title"].get_string().value()), "Printer on fire");
  // URLs are case-insensitive in practice.
  EXPECT_EQ(call("GET", sandbox_.base_url() + "/autotask/atservicesrest/v1.0/tickets/1000").status, 200);
}

TEST_F(SandboxAutotaskTest, CreateReturnsItemIdAndIsRecorded) {
  const int64_t id = create_ticket("Server down", "sy-evt-1");
  ASSERT_GT(id, 1001);
  auto r = call("GET", "/V1.0/Tickets/" + std::to_string(id));
  ASSERT_EQ(r.status, 200);
  auto item = parse(r.body)["item"];
  EXPECT_EQ(std::string_view(item["title"].get_string().value()), "Server down");
  EXPECT_EQ(std::string_view(item["externalID"].get_string().value()), "sy-evt-1");
  const std::string_view number = item["ticketNumber"].get_string().value();
  EXPECT_EQ(number.size(), 14u) << number;  // T20261125.0001
  EXPECT_EQ(number.front(), 'T');
  EXPECT_TRUE(item["createDate"].is_string());
  EXPECT_TRUE(item["completedDate"].is_null());

  const auto writes = sandbox_.writes();
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].psa, "autotask");
  EXPECT_EQ(writes[0].method, "POST");
  EXPECT_EQ(writes[0].path, "/autotask/ATServicesRest/V1.0/Tickets");
  EXPECT_EQ(writes[0].status, 200);
  EXPECT_NE(writes[0].body.find("sy-evt-1"), std::string::npos);

  EXPECT_EQ(call("GET", "/V1.0/Tickets/999999").status, 404);
}

TEST_F(SandboxAutotaskTest, CreateValidationAnswers500WithErrors) {
  auto r = call("POST", "/V1.0/Tickets", R"({"companyID":100,"title":"no queue","status":1,"priority":2})");
  ASSERT_EQ(r.status, 500);
  const std::string first(parse(r.body)["errors"].at(0).get_string().value());
  EXPECT_NE(first.find("queueID"), std::string::npos) << first;

  r = call("POST", "/V1.0/Tickets", R"({"companyID":555,"title":"x","status":1,"priority":2,"queueID":5})");
  EXPECT_EQ(r.status, 500) << "companyID must exist";
  r = call("POST", "/V1.0/Tickets",
           R"({"companyID":100,"title":")" + std::string(256, 't') + R"(","status":1,"priority":2,"queueID":5})");
  EXPECT_EQ(r.status, 500) << "title max 255";
  r = call("POST", "/V1.0/Tickets", R"({"companyID":100,"title":"x","status":77,"priority":2,"queueID":5})");
  EXPECT_EQ(r.status, 500) << "status must be a picklist value";
  EXPECT_EQ(sandbox_.records("autotask", "Tickets").size(), 2u);
}

TEST_F(SandboxAutotaskTest, QueryFiltersEqOnExternalIdAndGtOnLastActivityDate) {
  auto r = call("POST", "/V1.0/Tickets/query",
                R"({"MaxRecords":10,"IncludeFields":["id","title"],
                    "Filter":[{"op":"eq","field":"externalID","value":"sandbox-ext-1001"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(item_ids(r.body), std::vector<int64_t>{1001});
  EXPECT_EQ(r.body.find("description"), std::string::npos) << "IncludeFields limits the fields";
  EXPECT_TRUE(parse(r.body)["pageDetails"]["nextPageUrl"].is_null());

  // Key and field names in any case, as Autotask accepts them.
  r = call("POST", "/V1.0/Tickets/query", R"({"filter":[{"op":"eq","field":"EXTERNALID","value":"SANDBOX-EXT-1001"}]})");
  EXPECT_EQ(item_ids(r.body), std::vector<int64_t>{1001});

  sandbox_.upsert_record("autotask", "Tickets", R"({"id":1000,"description":"touched"})");
  const std::string recent = R"({"filter":[{"op":"gt","field":"lastActivityDate","value":"2025-01-01T00:00:00Z"}]})";
  r = call("POST", "/V1.0/Tickets/query", recent);
  EXPECT_EQ(item_ids(r.body), std::vector<int64_t>{1000});
  r = call("GET", "/V1.0/Tickets/query?search=" + http::url_encode(recent));
  EXPECT_EQ(item_ids(r.body), std::vector<int64_t>{1000});
  r = call("POST", "/V1.0/Tickets/query/count", recent);
  EXPECT_EQ(parse(r.body)["queryCount"].get_int64().value(), 1);

  r = call("POST", "/V1.0/Tickets/query",
           R"({"filter":[{"op":"or","items":[{"op":"eq","field":"status","value":8},
                                            {"op":"beginsWith","field":"title","value":"printer"}]}]})");
  EXPECT_EQ(item_ids(r.body), (std::vector<int64_t>{1000, 1001}));
  r = call("POST", "/V1.0/Tickets/query", R"({"filter":[{"op":"in","field":"id","value":[1001,5]}]})");
  EXPECT_EQ(item_ids(r.body), std::vector<int64_t>{1001});
  r = call("POST", "/V1.0/Tickets/query", R"({"filter":[{"op":"notExist","field":"contractID"}]})");
  EXPECT_EQ(item_ids(r.body), std::vector<int64_t>{1000});

  r = call("POST", "/V1.0/Tickets/query", R"({"filter":[{"op":"eq","field":"noSuchField","value":1}]})");
  EXPECT_EQ(r.status, 500);
  r = call("POST", "/V1.0/Tickets/query", R"({"MaxRecords":501,"filter":[{"op":"gte","field":"id","value":0}]})");
  EXPECT_EQ(r.status, 500);
  r = call("POST", "/V1.0/Tickets/query", R"({"MaxRecords":10})");
  EXPECT_EQ(r.status, 500) << "a filter is required";
  EXPECT_TRUE(sandbox_.writes().empty()) << "queries are reads";
}

TEST_F(SandboxAutotaskTest, QueryPagesThroughNextPageUrl) {
  for (int i = 0; i < 3; ++i) create_ticket("Paged " + std::to_string(i));
  auto r = call("POST", "/V1.0/Tickets/query", R"({"MaxRecords":2,"Filter":[{"op":"gte","field":"id","value":0}]})");
  std::vector<int64_t> all;
  int pages = 0;
  while (true) {
    ASSERT_EQ(r.status, 200) << r.body;
    ++pages;
    const auto ids = item_ids(r.body);
    all.insert(all.end(), ids.begin(), ids.end());
    auto details = parse(r.body)["pageDetails"];
    EXPECT_EQ(details["count"].get_int64().value(), static_cast<int64_t>(ids.size()));
    EXPECT_EQ(details["requestCount"].get_int64().value(), 2);
    if (details["nextPageUrl"].is_null()) break;
    ASSERT_LT(pages, 5);
    r = call("GET", std::string(details["nextPageUrl"].get_string().value()));
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front(), 1000);
}

TEST_F(SandboxAutotaskTest, PatchUpdatesAndCompletes) {
  const int64_t id = create_ticket("To close");
  auto r = call("PATCH", "/V1.0/Tickets", R"({"id":)" + std::to_string(id) + R"(,"status":5,"resolution":"Rebooted"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(parse(r.body)["itemId"].get_int64().value(), id);
  auto item = parse(call("GET", "/V1.0/Tickets/" + std::to_string(id)).body)["item"];
  EXPECT_EQ(item["status"].get_int64().value(), 5);
  EXPECT_TRUE(item["completedDate"].is_string());
  EXPECT_EQ(std::string_view(item["title"].get_string().value()), "To close") << "PATCH keeps other fields";

  r = call("PATCH", "/V1.0/Tickets", R"({"status":5})");
  EXPECT_EQ(r.status, 500) << "id is required";
  r = call("PATCH", "/V1.0/Tickets", R"({"id":424242,"status":5})");
  EXPECT_EQ(r.status, 404);
}

TEST_F(SandboxAutotaskTest, ContractChargesAreCreatedThroughTheContract) {
  auto r = call("POST", "/V1.0/Contracts/200/Charges",
                R"({"name":"M365 E3 x 12","unitQuantity":12,"unitPrice":36.0,"datePurchased":"2026-11-01T00:00:00Z"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto charges = sandbox_.records("autotask", "ContractCharges");
  ASSERT_EQ(charges.size(), 1u);
  EXPECT_EQ(parse(charges[0])["contractID"].get_int64().value(), 200);

  EXPECT_EQ(call("POST", "/V1.0/ContractCharges", R"({"name":"x","unitQuantity":1})").status, 405);
  EXPECT_EQ(call("POST", "/V1.0/Contracts/999/Charges", R"({"name":"x","unitQuantity":1})").status, 404);
  EXPECT_EQ(call("POST", "/V1.0/Contracts/200/Charges", R"({"unitQuantity":1})").status, 500);
}

TEST_F(SandboxAutotaskTest, PicklistsComeFromEntityInformation) {
  auto r = call("GET", "/V1.0/Tickets/entityInformation/fields");
  ASSERT_EQ(r.status, 200);
  bool saw_complete = false, saw_critical = false;
  for (auto field : parse(r.body)["fields"].get_array()) {
    const std::string_view name = field["name"].get_string().value();
    if (name != "status" && name != "priority") continue;
    EXPECT_TRUE(field["isPickList"].get_bool().value());
    for (auto v : field["picklistValues"].get_array()) {
      const std::string_view value = v["value"].get_string().value();
      const std::string_view label = v["label"].get_string().value();
      saw_complete = saw_complete || (name == "status" && value == "5" && label == "Complete");
      saw_critical = saw_critical || (name == "priority" && value == "4" && label == "Critical");
    }
  }
  EXPECT_TRUE(saw_complete);
  EXPECT_TRUE(saw_critical);
}

TEST_F(SandboxAutotaskTest, InjectedFault429IsAnsweredBeforeProcessing) {
  sandbox_.inject_fault("autotask", Fault{429, 2, 1});
  const AutotaskCredentials c;
  // The zone lookup is not throttled and does not consume the fault.
  auto zone = call("GET", sandbox_.base_url() + "/autotask/atservicesrest/v1.0/zoneInformation?user=" +
                              http::url_encode(c.username),
                   {}, http::Headers{});
  EXPECT_EQ(zone.status, 200);

  auto r = call("POST", "/V1.0/Tickets", R"({"companyID":100,"title":"throttled","status":1,"priority":2,"queueID":5})");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("Retry-After"), "2");
  EXPECT_TRUE(parse(r.body)["errors"].is_array());
  EXPECT_EQ(sandbox_.records("autotask", "Tickets").size(), 2u);
  ASSERT_EQ(sandbox_.writes().size(), 1u);
  EXPECT_EQ(sandbox_.writes()[0].status, 429);

  EXPECT_GT(create_ticket("after the fault"), 0);
}

}  // namespace
}  // namespace switchyard::sandbox
