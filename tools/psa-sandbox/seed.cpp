// Seed data: a small, fixed world that tests can rely on (documented in docs/psa-sandbox.md).
// Change timestamps are fixed in 2024 so "changed since" filters can tell seeds from writes.
#include <stdexcept>

#include "psa-sandbox/store.h"

namespace switchyard::sandbox {
namespace {

void add(Store& store, std::string_view key, std::string_view json) {
  auto value = parse_json(json);
  if (!value || !value->is_object() || !value->find("id") || !value->find("id")->is_int()) {
    throw std::logic_error("bad seed record for " + std::string(key));
  }
  const int64_t id = value->find("id")->as_int();
  store.collection(key)[id] = std::move(value).value();
}

constexpr std::string_view kCwCompanies[] = {
    R"({"id":1,"identifier":"AcmeCorp","name":"Acme Corp","status":{"id":1,"name":"Active"},
        "types":[{"id":1,"name":"Client"}],"deletedFlag":false,"isVendorFlag":false,"leadFlag":false,
        "website":"https://acme.example","phoneNumber":"555-0100","parentCompany":null,
        "_info":{"lastUpdated":"2024-05-01T09:00:00Z","updatedBy":"sandbox"}})",
    R"({"id":2,"identifier":"Globex","name":"Globex Corporation","status":{"id":1,"name":"Active"},
        "types":[{"id":1,"name":"Client"}],"deletedFlag":false,"isVendorFlag":false,"leadFlag":false,
        "website":"https://globex.example","phoneNumber":"555-0200","parentCompany":null,
        "_info":{"lastUpdated":"2024-05-01T09:30:00Z","updatedBy":"sandbox"}})",
};

constexpr std::string_view kCwContacts[] = {
    R"({"id":1,"firstName":"Wile","lastName":"Coyote","company":{"id":1,"identifier":"AcmeCorp","name":"Acme Corp"},
        "communicationItems":[{"type":{"id":1,"name":"Email"},"value":"wile@acme.example","defaultFlag":true,
        "communicationType":"Email"}],"inactiveFlag":false,"types":[],
        "_info":{"lastUpdated":"2024-05-01T10:00:00Z","updatedBy":"sandbox"}})",
    R"({"id":2,"firstName":"Hank","lastName":"Scorpio","company":{"id":2,"identifier":"Globex","name":"Globex Corporation"},
        "communicationItems":[],"inactiveFlag":false,"types":[],
        "_info":{"lastUpdated":"2024-05-01T10:30:00Z","updatedBy":"sandbox"}})",
};

constexpr std::string_view kCwTickets[] = {
    R"({"id":1,"summary":"Printer on fire","initialDescription":"The second floor printer is on fire again.",
        "board":{"id":1,"name":"Service Board"},"status":{"id":1,"name":"New"},
        "priority":{"id":3,"name":"Priority 3 - Normal Response"},
        "company":{"id":1,"identifier":"AcmeCorp","name":"Acme Corp"},"contact":{"id":1,"name":"Wile Coyote"},
        "closedFlag":false,"closedDate":null,"dateEntered":"2024-05-02T10:00:00Z","externalXRef":null,
        "_info":{"lastUpdated":"2024-05-02T10:00:00Z","dateEntered":"2024-05-02T10:00:00Z","updatedBy":"sandbox"}})",
    R"({"id":2,"summary":"VPN drops every hour","initialDescription":"Remote staff lose the VPN hourly.",
        "board":{"id":1,"name":"Service Board"},"status":{"id":2,"name":"In Progress"},
        "priority":{"id":2,"name":"Priority 2 - Quick Response"},
        "company":{"id":2,"identifier":"Globex","name":"Globex Corporation"},"contact":{"id":2,"name":"Hank Scorpio"},
        "closedFlag":false,"closedDate":null,"dateEntered":"2024-06-01T12:00:00Z","externalXRef":"sandbox-ext-2",
        "_info":{"lastUpdated":"2024-06-01T12:00:00Z","dateEntered":"2024-06-01T12:00:00Z","updatedBy":"sandbox"}})",
};

constexpr std::string_view kCwAgreements[] = {
    R"({"id":1,"name":"Acme Managed Services","type":{"id":1,"name":"Managed Services"},
        "company":{"id":1,"identifier":"AcmeCorp","name":"Acme Corp"},"contact":{"id":1,"name":"Wile Coyote"},
        "agreementStatus":"Active","startDate":"2024-01-01T00:00:00Z","endDate":null,"noEndingDateFlag":true,
        "billAmount":1500.0,"billingCycle":{"id":2,"name":"Monthly"},"billStartDate":"2024-01-01T00:00:00Z",
        "cancelledFlag":false,"applicationUnits":"Amount","periodType":"Current","parentAgreement":null,
        "_info":{"lastUpdated":"2024-01-01T00:00:00Z","updatedBy":"sandbox"}})",
};

constexpr std::string_view kCwConfigurations[] = {
    R"({"id":1,"name":"ACME-DC01","type":{"id":1,"name":"Server"},"status":{"id":1,"name":"Active"},
        "company":{"id":1,"identifier":"AcmeCorp","name":"Acme Corp"},"serialNumber":"SN-0001",
        "modelNumber":"PowerEdge R650","activeFlag":true,
        "_info":{"lastUpdated":"2024-03-01T08:00:00Z","updatedBy":"sandbox"}})",
};

constexpr std::string_view kAtCompanies[] = {
    // Autotask always has company 0: the tenant's own organisation.
    R"({"id":0,"companyName":"Switchyard Sandbox","companyType":1,"companyNumber":"0","isActive":true,
        "phone":"555-0000","address1":"1 Main Street","city":"Springfield","state":"IL","postalCode":"62701",
        "countryID":237,"parentCompanyID":null,"createDate":"2024-01-01T00:00:00.000Z",
        "lastActivityDate":"2024-01-01T00:00:00.000Z","lastTrackedModifiedDateTime":"2024-01-01T00:00:00.000Z"})",
    R"({"id":100,"companyName":"Acme Corp","companyType":1,"companyNumber":"ACME","isActive":true,
        "phone":"555-0100","address1":"1 Road Runner Way","city":"Phoenix","state":"AZ","postalCode":"85001",
        "countryID":237,"parentCompanyID":null,"createDate":"2024-01-01T00:00:00.000Z",
        "lastActivityDate":"2024-05-01T09:00:00.000Z","lastTrackedModifiedDateTime":"2024-05-01T09:00:00.000Z"})",
};

constexpr std::string_view kAtContacts[] = {
    R"({"id":300,"companyID":100,"firstName":"Wile","lastName":"Coyote","emailAddress":"wile@acme.example",
        "isActive":1,"phone":"555-0101","createDate":"2024-01-01T00:00:00.000Z",
        "lastActivityDate":"2024-05-01T10:00:00.000Z","lastModifiedDate":"2024-05-01T10:00:00.000Z"})",
};

constexpr std::string_view kAtContracts[] = {
    R"({"id":200,"contractName":"Acme Managed Services","contractType":7,"companyID":100,"contactID":300,
        "startDate":"2024-01-01T00:00:00.000Z","endDate":"2026-12-31T00:00:00.000Z","status":1,
        "contractPeriodType":"m","setupFee":0.0,"estimatedRevenue":18000.0,"isDefaultContract":false,
        "contractNumber":"C-200","lastModifiedDateTime":"2024-01-01T00:00:00.000Z"})",
};

constexpr std::string_view kAtConfigurationItems[] = {
    R"({"id":400,"companyID":100,"referenceTitle":"ACME-DC01","serialNumber":"SN-0001","configurationItemType":1,
        "productID":1,"isActive":true,"installDate":"2024-02-01T00:00:00.000Z","warrantyExpirationDate":null,
        "rmmDeviceUID":null,"createDate":"2024-02-01T00:00:00.000Z","lastModifiedTime":"2024-03-01T08:00:00.000Z"})",
};

constexpr std::string_view kAtTickets[] = {
    R"({"id":1000,"ticketNumber":"T20240502.0001","title":"Printer on fire",
        "description":"The second floor printer is on fire again.","status":1,"priority":2,"queueID":5,
        "companyID":100,"contactID":300,"contractID":null,"configurationItemID":null,"externalID":null,
        "ticketType":1,"issueType":null,"subIssueType":null,"assignedResourceID":null,"assignedResourceRoleID":null,
        "createDate":"2024-05-02T10:00:00.000Z","lastActivityDate":"2024-05-02T10:00:00.000Z",
        "completedDate":null,"dueDateTime":null})",
    R"({"id":1001,"ticketNumber":"T20240601.0001","title":"VPN drops every hour",
        "description":"Remote staff lose the VPN hourly.","status":8,"priority":3,"queueID":5,
        "companyID":100,"contactID":300,"contractID":200,"configurationItemID":400,"externalID":"sandbox-ext-1001",
        "ticketType":1,"issueType":null,"subIssueType":null,"assignedResourceID":null,"assignedResourceRoleID":null,
        "createDate":"2024-06-01T12:00:00.000Z","lastActivityDate":"2024-06-01T12:00:00.000Z",
        "completedDate":null,"dueDateTime":null})",
};

template <size_t N>
void add_all(Store& store, std::string_view key, const std::string_view (&records)[N]) {
  for (const auto json : records) add(store, key, json);
}

}  // namespace

void seed(Store& store) {
  add_all(store, "connectwise/companies", kCwCompanies);
  add_all(store, "connectwise/contacts", kCwContacts);
  add_all(store, "connectwise/tickets", kCwTickets);
  add_all(store, "connectwise/agreements", kCwAgreements);
  add_all(store, "connectwise/configurations", kCwConfigurations);
  store.collection("connectwise/additions");
  store.collection("connectwise/callbacks");
  add_all(store, "autotask/Companies", kAtCompanies);
  add_all(store, "autotask/Contacts", kAtContacts);
  add_all(store, "autotask/Contracts", kAtContracts);
  add_all(store, "autotask/ConfigurationItems", kAtConfigurationItems);
  add_all(store, "autotask/Tickets", kAtTickets);
  store.collection("autotask/ContractCharges");
  store.collection("autotask/TicketNotes");
}

}  // namespace switchyard::sandbox
