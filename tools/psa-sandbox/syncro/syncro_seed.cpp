#include "psa-sandbox/syncro/syncro_seed.h"

namespace switchyard::sandbox::syncro {
namespace {

// Shapes as in the Syncro v1 spec's response examples.
constexpr std::string_view kCustomers[] = {
    R"({"id":1,"firstname":"Wile","lastname":"Coyote","fullname":"Wile Coyote","business_name":"Acme Corp",
        "business_then_name":"Acme Corp","email":"accounts@acme.example","phone":"555-0100","mobile":null,
        "address":"1 Desert Road","address_2":null,"city":"Phoenix","state":"AZ","zip":"85001",
        "disabled":false,"properties":{},"created_at":"2024-01-01T09:00:00.000Z","updated_at":"2024-05-01T09:00:00.000Z"})",
    R"({"id":2,"firstname":"Hank","lastname":"Scorpio","fullname":"Hank Scorpio","business_name":"Globex Corporation",
        "business_then_name":"Globex Corporation","email":null,"phone":null,"disabled":false,"properties":{},
        "created_at":"2024-01-01T09:00:00.000Z","updated_at":"2024-05-01T09:30:00.000Z"})",
};

constexpr std::string_view kContacts[] = {
    R"({"id":1,"name":"Road Runner","customer_id":1,"email":"runner@acme.example","phone":"555-0101","mobile":null,
        "address1":null,"city":null,"state":null,"zip":null,"properties":{},"opt_out":false,
        "created_at":"2024-01-01T09:00:00.000Z","updated_at":"2024-05-01T10:00:00.000Z"})",
};

constexpr std::string_view kTickets[] = {
    R"({"id":1,"number":1001,"subject":"Printer on fire","customer_id":1,"customer_business_then_name":"Acme Corp",
        "problem_type":"Hardware","status":"New","priority":"2 Normal","contact_id":1,"contact_fullname":"Road Runner",
        "resolved_at":null,"created_at":"2024-05-02T10:00:00.000Z","updated_at":"2024-05-02T10:00:00.000Z","comments":[]})",
};

constexpr std::string_view kAssets[] = {
    R"({"id":1,"name":"ACME-DC01","customer_id":1,"contact_id":null,"asset_type":"Server","asset_serial":"SN-0001",
        "properties":{},"created_at":"2024-01-01T09:00:00.000Z","updated_at":"2024-03-01T08:00:00.000Z"})",
};

constexpr std::string_view kContracts[] = {
    R"({"id":1,"account_id":1,"customer_id":1,"name":"Managed Services 2024","contract_amount":"1500.0",
        "start_date":"2024-01-01T00:00:00.000Z","end_date":"2026-12-31T00:00:00.000Z","status":"Active",
        "description":"Monthly managed services","likelihood":100,"apply_to_all":false,"sla_id":null,
        "created_at":"2024-01-01T00:00:00.000Z","updated_at":"2024-01-01T00:00:00.000Z"})",
};

constexpr std::string_view kSchedules[] = {
    R"({"id":1,"customer_id":1,"name":"Acme monthly","frequency":"Monthly","next_run":"2024-06-01T00:00:00.000Z",
        "paused":false,"lines":[]})",
};

// GET /me's answer, shaped as the spec's example: the API token of a least-privileged set-up
// (docs/psa/syncro.md, "Permissions (least privilege)"). Tests make it an administrator or
// give it more with upsert_record("syncro", "me", ...).
constexpr std::string_view kMe[] = {
    R"({"id":1,"user_id":1,"user_name":"Sandbox API User","subdomain":"sandbox","admin":false,
        "permissions":{"ticket":{"read":true,"write":true,"delete":false},
                       "customer":{"read":true,"write":false,"delete":false},
                       "asset":{"read":true,"write":false,"delete":false},
                       "invoice":{"read":true,"write":true,"delete":false},
                       "payment":{"read":false,"write":false,"delete":false},
                       "worksheet":{"add":false,"manage":false,"delete":false},
                       "script":{"execute":false}}})",
};

}  // namespace

// Products, for the set-up lists: one disabled.
constexpr std::string_view kProducts[] = {
    R"({"id":1,"name":"Managed workstation","description":"Per seat","price_retail":50.0,"disabled":false})",
    R"({"id":2,"name":"Old antivirus","description":"Retired","price_retail":3.0,"disabled":true})",
};

void seed_syncro(Store& store) {
  seed_records(store, "syncro/me", kMe);
  seed_records(store, "syncro/customers", kCustomers);
  seed_records(store, "syncro/contacts", kContacts);
  seed_records(store, "syncro/tickets", kTickets);
  seed_records(store, "syncro/customer_assets", kAssets);
  seed_records(store, "syncro/contracts", kContracts);
  seed_records(store, "syncro/schedules", kSchedules);
  seed_records(store, "syncro/products", kProducts);
}

}  // namespace switchyard::sandbox::syncro
