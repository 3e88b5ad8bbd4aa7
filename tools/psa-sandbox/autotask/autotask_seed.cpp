// Autotask seed data: a small, fixed world that tests can rely on (docs/psa-sandbox.md).
// Change timestamps are fixed in 2024 so "changed since" filters can tell seeds from writes.
#include "psa-sandbox/autotask/autotask_seed.h"

namespace switchyard::sandbox {
namespace {

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
    R"({"id":101,"companyName":"Roadrunner Software","companyType":7,"companyNumber":"RRS","isActive":true,
        "phone":"555-0199","webAddress":"https://roadrunner.example","createDate":"2024-01-01T00:00:00.000Z",
        "lastActivityDate":"2024-01-02T09:00:00.000Z","lastTrackedModifiedDateTime":"2024-01-02T09:00:00.000Z"})",
};

constexpr std::string_view kAtContacts[] = {
    R"({"id":300,"companyID":100,"firstName":"Wile","lastName":"Coyote","emailAddress":"wile@acme.example",
        "isActive":1,"phone":"555-0101","createDate":"2024-01-01T00:00:00.000Z",
        "lastActivityDate":"2024-05-01T10:00:00.000Z","lastModifiedDate":"2024-05-01T10:00:00.000Z"})",
};

constexpr std::string_view kAtContracts[] = {
    R"({"id":200,"contractName":"Acme Managed Services","contractType":7,"companyID":100,"contactID":300,
        "startDate":"2024-01-01T00:00:00.000Z","endDate":"2099-12-31T00:00:00.000Z","status":1,
        "contractPeriodType":1,"setupFee":0.0,"estimatedRevenue":18000.0,"isDefaultContract":false,
        "contractNumber":"C-200","lastModifiedDateTime":"2024-01-01T00:00:00.000Z"})",
};

// The product catalog (Products), for the set-up lists: one inactive.
constexpr std::string_view kAtProducts[] = {
    R"({"id":700,"name":"Managed workstation","description":"Per-seat monitoring","isActive":true,
        "productBillingCodeID":29682801,"sku":"MW-1","unitPrice":50.0})",
    R"({"id":701,"name":"Cloud backup","description":"Per GB","isActive":true,"productBillingCodeID":29682801,
        "sku":"BK-GB","unitPrice":0.1})",
    R"({"id":702,"name":"Legacy antivirus","description":"Retired","isActive":false,
        "productBillingCodeID":29682801,"sku":"AV-OLD","unitPrice":3.0})",
};

// Contract 200's services (a recurring service contract): 10 managed workstations at 50 and one
// backup service at 200, both of vendor company 101: 700 a month.
constexpr std::string_view kAtContractServices[] = {
    R"({"id":500,"contractID":200,"serviceID":1,"unitPrice":50.0,"unitCost":20.0,
        "invoiceDescription":"Managed workstation","internalDescription":"MW"})",
    R"({"id":501,"contractID":200,"serviceID":2,"unitPrice":200.0,"unitCost":80.0,
        "invoiceDescription":"Cloud backup","internalDescription":"BK"})",
};

constexpr std::string_view kAtContractServiceUnits[] = {
    R"({"id":600,"contractID":200,"contractServiceID":500,"serviceID":1,"units":10,"price":500.0,"cost":200.0,
        "vendorCompanyID":101,"startDate":"2024-01-01T00:00:00.000Z","endDate":"2099-12-31T00:00:00.000Z"})",
    R"({"id":601,"contractID":200,"contractServiceID":501,"serviceID":2,"units":1,"price":200.0,"cost":80.0,
        "vendorCompanyID":101,"startDate":"2024-01-01T00:00:00.000Z","endDate":"2099-12-31T00:00:00.000Z"})",
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

}  // namespace

void seed_autotask(Store& store) {
  seed_records(store, "autotask/Companies", kAtCompanies);
  seed_records(store, "autotask/Contacts", kAtContacts);
  seed_records(store, "autotask/Contracts", kAtContracts);
  seed_records(store, "autotask/Products", kAtProducts);
  seed_records(store, "autotask/ContractServices", kAtContractServices);
  seed_records(store, "autotask/ContractServiceUnits", kAtContractServiceUnits);
  seed_records(store, "autotask/ConfigurationItems", kAtConfigurationItems);
  seed_records(store, "autotask/Tickets", kAtTickets);
  store.collection("autotask/ContractCharges");
  store.collection("autotask/TicketNotes");
}

}  // namespace switchyard::sandbox
