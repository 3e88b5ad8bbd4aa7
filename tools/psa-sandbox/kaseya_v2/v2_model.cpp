#include "psa-sandbox/kaseya_v2/v2_model.h"

#include <stdexcept>

#include "common/time_format.h"

namespace switchyard::sandbox::kaseya_v2 {

const std::vector<V2Resource>& v2_resources() {
  static const std::vector<V2Resource> kResources = {
      {"tickets", "servicedesk/tickets", "servicedesk/tickets", "Filter.LastActivityUpdateFrom", "LastActivityUpdate"},
      {"accounts", "crm/accounts/summary", "crm/accounts/summary", "Filter.ModifiedOnFrom", "ModifiedOn"},
      {"contacts", "crm/contacts/search", "", "", ""},
      {"contracts", "finance/contracts/summary", "finance/contracts/recurringservices", "", ""},
      {"assets", "servicedesk/hardwareasset/searchselect", "servicedesk/hardwareasset", "", ""},
      {"notes", "", "", "", ""},     // ticket notes: /servicedesk/tickets/{id}/notes
      {"services", "", "", "", ""},  // contract services: /finance/contracts/recurringservices/{id}/services
      {"webhooks", "", "admin/webhooks", "", ""},
      {"userinfo", "", "", "", ""},  // GET /security/userinfo: the API user, one record (Id 1)
  };
  return kResources;
}

const V2Resource* v2_resource(std::string_view entity) {
  for (const auto& r : v2_resources()) {
    if (r.entity == entity) return &r;
  }
  return nullptr;
}

std::string v2_store_key(std::string_view psa, std::string_view entity) {
  std::string key(psa);
  key.append("/").append(entity);
  return key;
}

std::string v2_now() {
  std::string now = format_rfc3339_utc_seconds(std::chrono::system_clock::now());
  if (!now.empty() && now.back() == 'Z') now.pop_back();
  return now;
}

void seed_v2(Store& store, std::string_view key, std::span<const std::string_view> records) {
  for (std::string_view text : records) {
    auto record = parse_json(text);
    const Value* id = record ? record->find("Id") : nullptr;
    if (!id || !id->is_int()) throw std::logic_error("v2 seed record without an integer Id");
    store.collection(key)[id->as_int()] = *record;
  }
}

namespace {

constexpr std::string_view kAccounts[] = {
    R"({"Id":1,"AccountName":"Acme Corp","AccountCode":"ACME","AccountTypeId":1,"AccountType":"Customer",
        "IsActive":true,"Website":"https://acme.example","CreatedOn":"2024-01-01T09:00:00",
        "ModifiedOn":"2024-05-01T09:00:00"})",
    R"({"Id":2,"AccountName":"Globex Corporation","AccountCode":"GLOBEX","AccountTypeId":2,"AccountType":"Prospect",
        "IsActive":true,"CreatedOn":"2024-01-01T09:30:00","ModifiedOn":"2024-05-01T09:30:00"})",
};

constexpr std::string_view kContacts[] = {
    R"({"Id":1,"AccountId":1,"AccountName":"Acme Corp","LocationId":1,"LocationName":"Main","FirstName":"Wile",
        "LastName":"Coyote","JobTitle":"Engineer","EmailAddress":"wile@acme.example","IsPoc":true,"IsActive":true,
        "HasClientPortalAccess":false,"ModifiedOn":"2024-05-01T10:00:00"})",
};

constexpr std::string_view kTickets[] = {
    R"({"Id":1,"TicketNumber":"T20240502.0001","Title":"Printer on fire","Details":"The second floor printer is on fire again.",
        "AccountId":1,"AccountName":"Acme Corp","ContactId":1,"ContactName":"Wile Coyote","QueueId":1,"QueueName":"Service Desk",
        "StatusId":1,"StatusName":"New","PriorityId":2,"PriorityName":"High","TypeId":1,"TypeName":"Incident",
        "OpenDate":"2024-05-02T10:00:00","CompletedDate":null,"CreatedOn":"2024-05-02T10:00:00",
        "ModifiedOn":"2024-05-02T10:00:00","LastActivityUpdate":"2024-05-02T10:00:00"})",
};

constexpr std::string_view kAssets[] = {
    R"({"Id":1,"AssetName":"ACME-DC01","CategoryId":1,"CategoryName":"Server","SerialNumber":"SN-0001",
        "LocationName":"Main","AccountId":1,"AccountName":"Acme Corp","IsActive":true,"ModifiedOn":"2024-03-01T08:00:00"})",
};

constexpr std::string_view kContracts[] = {
    R"({"Id":1,"ContractName":"Acme Managed Services","AccountName":"Acme Corp","AccountId":1,
        "ContractType":"Recurring Service","ContractBillingPrice":1500.0,"Status":"Active","ContractNumber":"C-0001",
        "BillingCycle":"Monthly","StartDate":"2024-01-01T00:00:00","EndDate":"2026-12-31T00:00:00","ModifiedOn":"2024-01-01T00:00:00"})",
};

// The API user as GET /security/userinfo describes it (the spec's UserInfoOutputDto): not an
// administrator, as docs/psa/kaseya-bms.md "Permissions (least privilege)" asks. Tests make it
// one with upsert_record(psa, "userinfo", R"({"id":1,"IsUserSystemAdmin":true})").
constexpr std::string_view kUserInfo[] = {
    R"({"Id":1,"UserId":1,"FullName":"Sandbox API User","TenantId":1,"IsUserSystemAdmin":false,
        "UserAccessRights":[{"CanView":true,"CanModify":true,"CanDelete":false,"MainMenuId":1,"MenuCategoryId":1,
                             "ListingIDEnum":1}]})",
};

}  // namespace

void seed_v2_demo(Store& store, std::string_view psa) {
  seed_v2(store, v2_store_key(psa, "userinfo"), kUserInfo);
  seed_v2(store, v2_store_key(psa, "accounts"), kAccounts);
  seed_v2(store, v2_store_key(psa, "contacts"), kContacts);
  seed_v2(store, v2_store_key(psa, "tickets"), kTickets);
  seed_v2(store, v2_store_key(psa, "assets"), kAssets);
  seed_v2(store, v2_store_key(psa, "contracts"), kContracts);
}

}  // namespace switchyard::sandbox::kaseya_v2
