// What GET /me says the API token may do beyond Switchyard's needs (docs/psa/syncro.md,
// "Permissions (least privilege)"): the spec's example answer carries "admin" and a
// "permissions" object of groups ({"ticket": {"read","write","delete"}, "payment": {...},
// "script": {"execute"}, ...}). Only the groups named here are read, so nothing the PSA sends is
// echoed into a message.
#include <simdjson.h>

#include "connectors/syncro/syncro_connector.h"

namespace switchyard::connectors::syncro {
namespace {

// Groups with a "delete" flag. Switchyard deletes nothing in Syncro.
constexpr std::string_view kDeletable[] = {"ticket", "customer", "asset", "invoice", "payment", "worksheet"};

// Rights no Switchyard feature uses: its commands write tickets and recurring invoice lines
// only (SyncroConnector::supported_commands), never customers, assets, payments or scripts.
struct Unused {
  std::string_view group;
  std::string_view right;
  std::string_view said;  // as the warning names it
};
constexpr Unused kUnused[] = {
    {"customer", "write", "change customers"},
    {"asset", "write", "change assets"},
    {"payment", "write", "record payments"},
    {"worksheet", "manage", "manage worksheets"},
    {"script", "execute", "run scripts on devices"},
};

bool flag(simdjson::dom::object permissions, std::string_view group, std::string_view right) {
  bool value = false;
  return permissions[group][right].get(value) == simdjson::SUCCESS && value;
}

std::string joined(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view n : names) out.append(out.empty() ? "" : ", ").append(n);
  return out;
}

}  // namespace

std::vector<ConnectionWarning> privilege_warnings(std::string_view me_body) {
  std::vector<ConnectionWarning> out;
  simdjson::dom::parser parser;
  simdjson::dom::object me;
  if (parser.parse(me_body).get(me) != simdjson::SUCCESS) return out;  // nothing to judge by
  bool admin = false;
  if (me["admin"].get(admin) == simdjson::SUCCESS && admin) {
    out.push_back({std::string(kPrivilegeAdmin),
                   "Syncro says the API token acts as an administrator: make a token with Custom Permissions "
                   "(Admin > API Tokens > New Token) holding only the permissions in docs/psa/syncro.md"});
  }
  simdjson::dom::object permissions;
  if (me["permissions"].get(permissions) != simdjson::SUCCESS) return out;
  std::vector<std::string_view> deletable;
  for (std::string_view group : kDeletable) {
    if (flag(permissions, group, "delete")) deletable.push_back(group);
  }
  if (!deletable.empty()) {
    out.push_back({std::string(kPrivilegeDelete),
                   "the API token may delete " + joined(deletable) +
                       " records, which Switchyard never does: under Admin > API Tokens, make a token without the "
                       "Delete permissions"});
  }
  std::vector<std::string_view> unused;
  for (const Unused& u : kUnused) {
    if (flag(permissions, u.group, u.right)) unused.push_back(u.said);
  }
  if (!unused.empty()) {
    out.push_back({std::string(kPrivilegeUnused),
                   "the API token may " + joined(unused) +
                       ", which no Switchyard feature needs: under Admin > API Tokens, make a token without them"});
  }
  return out;
}

}  // namespace switchyard::connectors::syncro
