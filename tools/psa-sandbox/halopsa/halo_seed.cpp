#include "psa-sandbox/halopsa/halo_seed.h"

namespace switchyard::sandbox::halopsa {
namespace {

constexpr std::string_view kClients[] = {
    R"({"id":1,"name":"Acme Corp","inactive":false,"customertype_new":"Customer","customertype":1,"main_site_id":1,
        "website":"https://acme.example","accountsemailaddress":"accounts@acme.example",
        "datecreated":"2024-01-01T09:00:00Z","alastupdate":"2024-05-01T09:00:00Z"})",
    R"({"id":2,"name":"Globex Corporation","inactive":false,"customertype_new":"Prospect","customertype":2,"main_site_id":2,
        "alastupdate":"2024-05-01T09:30:00Z"})",
};

constexpr std::string_view kUsers[] = {
    R"({"id":1,"name":"Wile Coyote","firstname":"Wile","surname":"Coyote","client_id":1,"client_name":"Acme Corp",
        "site_id":1,"emailaddress":"wile@acme.example","phonenumber":"555-0101","inactive":false,
        "ulastupdate":"2024-05-01T10:00:00Z"})",
};

constexpr std::string_view kTickets[] = {
    R"({"id":1,"summary":"Printer on fire","details":"The second floor printer is on fire again.",
        "status_id":1,"status_name":"New","priority_id":3,"tickettype_id":1,"team":"Service Desk",
        "client_id":1,"client_name":"Acme Corp","site_id":1,"user_id":1,"user_name":"Wile Coyote",
        "dateoccurred":"2024-05-02T10:00:00Z","dateclosed":null,"inactive":false,
        "last_update":"2024-05-02T10:00:00Z"})",
};

constexpr std::string_view kAssets[] = {
    R"({"id":1,"inventory_number":"ACME-DC01","key_field":"ACME-DC01","client_id":1,"client_name":"Acme Corp",
        "site_id":1,"assettype_id":1,"assettype_name":"Server","inactive":false,"warranty_end":"2027-03-01T00:00:00Z",
        "dlastupdate":"2024-03-01T08:00:00Z"})",
};

constexpr std::string_view kContracts[] = {
    R"({"id":1,"client_id":1,"client_name":"Acme Corp","ref":"ACME-MS-2024","contracttype_name":"Managed Services",
        "start_date":"2024-01-01T00:00:00Z","end_date":"2026-12-31T00:00:00Z","status":1,"contract_status":"Active",
        "billingperiod":1,"billing_period_string":"Monthly","periodchargeamount":1500.0,"rollingcontract":true,
        "last_modified":"2024-01-01T00:00:00Z"})",
};

// Sites (Site): each client's main site (main_site_id above) and a branch of Acme whose invoices
// go to its delivery address; addresses are AddressStore objects.
constexpr std::string_view kSites[] = {
    R"({"id":1,"name":"Acme - Head Office","client_id":1,"client_name":"Acme Corp","inactive":false,
        "phonenumber":"555-0100","invoice_address_isdelivery":false,
        "delivery_address":{"line1":"1 Road Runner Way","line2":"Suite 5","line3":"Phoenix","line4":"AZ","postcode":"85001"},
        "invoice_address":{"line1":"PO Box 42","line2":"","line3":"Phoenix","line4":"AZ","postcode":"85002"},
        "delivery_address_line1":"1 Road Runner Way","delivery_address_line2":"Suite 5",
        "delivery_address_line3":"Phoenix","delivery_address_line4":"AZ","delivery_address_line5":"85001",
        "slastupdate":"2024-05-01T09:05:00Z"})",
    R"({"id":2,"name":"Globex - Main","client_id":2,"client_name":"Globex Corporation","inactive":false,
        "delivery_address":{"line1":"2 Cypress Creek Rd","postcode":"90210"},"slastupdate":"2024-05-01T09:35:00Z"})",
    R"({"id":3,"name":"Acme - Warehouse","client_id":1,"client_name":"Acme Corp","inactive":true,
        "phonenumber":"","invoice_address_isdelivery":true,
        "delivery_address":{"line1":"9 Canyon Rd","postcode":"85003"},
        "invoice_address":{"line1":"9 Canyon Rd","postcode":"85003"},"slastupdate":"2024-06-01T12:00:00Z"})",
};

// A recurring invoice (InvoiceHeader) for billing lines; its lines are added by writes.
constexpr std::string_view kRecurringInvoices[] = {
    R"({"id":1,"client_id":1,"client_name":"Acme Corp","reference":"ACME monthly services"})",
};

// The agent the API application acts as, for GET /Agent/me (fields of the spec's Uname
// schema): not an administrator, as docs/psa/halopsa.md "Permissions (least privilege)" asks.
// Tests make it one with upsert_record("halopsa", "Agent", R"({"id":1,"is_admin":true})").
constexpr std::string_view kAgents[] = {
    R"({"id":1,"name":"Switchyard API","is_admin":false})",
};

}  // namespace

// Items (products), for the set-up lists.
constexpr std::string_view kItems[] = {
    R"({"id":1,"name":"Managed workstation","description":"Per seat","baseprice":50.0})",
    R"({"id":2,"name":"Cloud backup","description":"Per GB","baseprice":0.1})",
};

void seed_halopsa(Store& store) {
  seed_records(store, "halopsa/Agent", kAgents);
  seed_records(store, "halopsa/Client", kClients);
  seed_records(store, "halopsa/Users", kUsers);
  seed_records(store, "halopsa/Tickets", kTickets);
  seed_records(store, "halopsa/Asset", kAssets);
  seed_records(store, "halopsa/ClientContract", kContracts);
  seed_records(store, "halopsa/Item", kItems);
  seed_records(store, "halopsa/Site", kSites);
  seed_records(store, "halopsa/RecurringInvoice", kRecurringInvoices);
}

}  // namespace switchyard::sandbox::halopsa
