// What ConnectWise says the API member's security role allows beyond Switchyard's needs
// (docs/psa/connectwise.md, "Permissions (least privilege)"). GET /system/mySecurity answers the
// calling member's own levels, one row per security-role item (the MySecurity model:
// moduleName, moduleFunctionName, addLevel, editLevel, deleteLevel, inquireLevel, each
// "None" | "My" | "All"). Items are matched by the names ConnectWise's role screen shows.
#include <simdjson.h>

#include "common/text.h"
#include "connectors/connectwise/connectwise_connector.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr size_t kNamesShown = 3;    // items named per warning; the rest are counted
constexpr size_t kMaxNameBytes = 60;  // per module or item name: the PSA's text, bounded

// The items Switchyard adds, edits or deletes in, and which of those it does (step 1 of the
// set-up guide). Inquire is never judged: reads outside these are harmless to the PSA.
struct Needed {
  std::string_view module;
  std::string_view item;
  bool add, edit, remove;
};
constexpr Needed kNeeded[] = {
    {"Service Desk", "Service Tickets", true, true, false},  // tickets, closes, notes
    {"Companies", "Configurations", true, true, false},      // configuration.upsert
    {"Finance", "Agreements", true, false, false},           // billing_line.add (additions)
    {"System", "Table Setup", true, true, true},             // callbacks, moved and removed
};

// Names and levels are compared ignoring case: releases differ in how they capitalise them.
bool same(std::string_view a, std::string_view b) { return ascii_lowercase(a) == ascii_lowercase(b); }

const Needed* needed(std::string_view module, std::string_view item) {
  for (const Needed& n : kNeeded) {
    if (same(n.module, module) && same(n.item, item)) return &n;
  }
  return nullptr;
}

bool granted(simdjson::dom::object row, std::string_view level_field) {
  std::string_view level;
  return row[level_field].get(level) == simdjson::SUCCESS && !level.empty() && !same(level, "None");
}

// One warning's list of items: "Companies › Company Maintenance, System › Members and 2 more".
class Items {
 public:
  void add(std::string_view module, std::string_view item) {
    if (count_++ >= kNamesShown) return;
    if (!text_.empty()) text_.append(", ");
    text_.append(utf8_prefix(valid_utf8(module), kMaxNameBytes)).append(" › ").append(utf8_prefix(valid_utf8(item), kMaxNameBytes));
  }
  bool empty() const { return count_ == 0; }
  std::string text() const {
    return count_ > kNamesShown ? text_ + " and " + std::to_string(count_ - kNamesShown) + " more" : text_;
  }

 private:
  std::string text_;
  size_t count_ = 0;
};

}  // namespace

Result<std::vector<ConnectionWarning>> privilege_warnings(const Tenant& tenant, PsaHttp& http) {
  std::vector<ConnectionWarning> out;
  auto answer = http.send({.method = "GET",
                           .url = tenant.base_url + "/system/mySecurity?pageSize=1000",
                           .headers = auth_headers(tenant)});
  if (!answer) return answer.error();
  if (answer->status != 200) return out;  // not readable here: nothing can be judged
  simdjson::dom::parser parser;
  simdjson::dom::array rows;
  if (parser.parse(answer->body).get(rows) != simdjson::SUCCESS) return out;
  Items admin, removing, unused;
  for (simdjson::dom::element element : rows) {
    simdjson::dom::object row;
    std::string_view module, item;
    if (element.get(row) != simdjson::SUCCESS || row["moduleName"].get(module) != simdjson::SUCCESS ||
        row["moduleFunctionName"].get(item) != simdjson::SUCCESS) {
      continue;
    }
    const Needed* need = needed(module, item);
    const bool adds = granted(row, "addLevel"), edits = granted(row, "editLevel"), deletes = granted(row, "deleteLevel");
    if (deletes && !(need && need->remove)) removing.add(module, item);
    // The System module is ConnectWise's own administration (members, security roles, set-up).
    if (same(module, "System") && !need && (adds || edits || deletes)) {
      admin.add(module, item);
    } else if ((adds && !(need && need->add)) || (edits && !(need && need->edit))) {
      unused.add(module, item);
    }
  }
  const std::string fix = ": under System › Security Roles, set the API member's role as in docs/psa/connectwise.md step 1";
  if (!admin.empty()) {
    out.push_back({std::string(kPrivilegeAdmin),
                   "the API member's security role may change ConnectWise's administration (" + admin.text() + ")" + fix});
  }
  if (!removing.empty()) {
    out.push_back({std::string(kPrivilegeDelete),
                   "the API member's security role may delete (" + removing.text() +
                       "), which Switchyard never does outside its callbacks" + fix});
  }
  if (!unused.empty()) {
    out.push_back({std::string(kPrivilegeUnused),
                   "the API member's security role may add or edit where no Switchyard feature writes (" +
                       unused.text() + ")" + fix});
  }
  return out;
}

}  // namespace switchyard::connectors::connectwise
