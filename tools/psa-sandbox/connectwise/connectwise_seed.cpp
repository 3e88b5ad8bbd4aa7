// ConnectWise seed data: a small, fixed world that tests can rely on (docs/psa-sandbox.md).
// Change timestamps are fixed in 2024 so "changed since" filters can tell seeds from writes.
#include "psa-sandbox/connectwise/connectwise_seed.h"

namespace switchyard::sandbox {
namespace {

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

// Catalog items (procurement/catalog), for the set-up lists: one inactive.
constexpr std::string_view kCwCatalog[] = {
    R"({"id":1,"identifier":"AV-SEAT","description":"Antivirus seat","inactiveFlag":false,
        "price":4.5,"_info":{"lastUpdated":"2024-01-01T00:00:00Z","updatedBy":"sandbox"}})",
    R"({"id":2,"identifier":"BACKUP-GB","description":"Backup storage per GB","inactiveFlag":false,
        "price":0.1,"_info":{"lastUpdated":"2024-01-01T00:00:00Z","updatedBy":"sandbox"}})",
    R"({"id":3,"identifier":"OLD-PLAN","description":"Retired plan","inactiveFlag":true,
        "price":10.0,"_info":{"lastUpdated":"2024-01-01T00:00:00Z","updatedBy":"sandbox"}})",
};

constexpr std::string_view kCwConfigurations[] = {
    R"({"id":1,"name":"ACME-DC01","type":{"id":1,"name":"Server"},"status":{"id":1,"name":"Active"},
        "company":{"id":1,"identifier":"AcmeCorp","name":"Acme Corp"},"serialNumber":"SN-0001",
        "modelNumber":"PowerEdge R650","activeFlag":true,
        "_info":{"lastUpdated":"2024-03-01T08:00:00Z","updatedBy":"sandbox"}})",
};

// GET /system/mySecurity: the API member's own levels per security-role item (the MySecurity
// model), as the least-privileged role of docs/psa/connectwise.md step 1 sets them. Tests widen
// a row with upsert_record("connectwise", "mySecurity", ...).
constexpr std::string_view kCwMySecurity[] = {
    R"({"id":1,"moduleName":"Service Desk","moduleFunctionName":"Service Tickets","addLevel":"All","editLevel":"All",
        "deleteLevel":"None","inquireLevel":"All"})",
    R"({"id":2,"moduleName":"Service Desk","moduleFunctionName":"Service Desk","addLevel":"None","editLevel":"None",
        "deleteLevel":"None","inquireLevel":"All"})",
    R"({"id":3,"moduleName":"Companies","moduleFunctionName":"Company Maintenance","addLevel":"None","editLevel":"None",
        "deleteLevel":"None","inquireLevel":"All"})",
    R"({"id":4,"moduleName":"Companies","moduleFunctionName":"Contacts","addLevel":"None","editLevel":"None",
        "deleteLevel":"None","inquireLevel":"All"})",
    R"({"id":5,"moduleName":"Companies","moduleFunctionName":"Configurations","addLevel":"All","editLevel":"All",
        "deleteLevel":"None","inquireLevel":"All"})",
    R"({"id":6,"moduleName":"Finance","moduleFunctionName":"Agreements","addLevel":"All","editLevel":"None",
        "deleteLevel":"None","inquireLevel":"All"})",
    R"({"id":7,"moduleName":"System","moduleFunctionName":"Table Setup","addLevel":"All","editLevel":"All",
        "deleteLevel":"All","inquireLevel":"All"})",
    R"({"id":8,"moduleName":"System","moduleFunctionName":"Security Roles","addLevel":"None","editLevel":"None",
        "deleteLevel":"None","inquireLevel":"None"})",
    R"({"id":9,"moduleName":"System","moduleFunctionName":"Member Maintenance","addLevel":"None","editLevel":"None",
        "deleteLevel":"None","inquireLevel":"None"})",
};

}  // namespace

void seed_connectwise(Store& store) {
  seed_records(store, "connectwise/mySecurity", kCwMySecurity);
  seed_records(store, "connectwise/companies", kCwCompanies);
  seed_records(store, "connectwise/contacts", kCwContacts);
  seed_records(store, "connectwise/tickets", kCwTickets);
  seed_records(store, "connectwise/agreements", kCwAgreements);
  seed_records(store, "connectwise/configurations", kCwConfigurations);
  seed_records(store, "connectwise/catalog", kCwCatalog);
  store.collection("connectwise/additions");
  store.collection("connectwise/callbacks");
}

}  // namespace switchyard::sandbox
