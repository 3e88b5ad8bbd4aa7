#include "psa-sandbox/connectwise/connectwise_model.h"

#include <algorithm>
#include <chrono>

#include "common/text.h"
#include "common/time_format.h"

namespace switchyard::sandbox {

std::string cw_now() { return format_rfc3339_utc_seconds(std::chrono::system_clock::now()); }

namespace {

struct NamedRef {
  int id;
  std::string_view name;
};

const std::vector<NamedRef>& boards() {
  static const std::vector<NamedRef> k = {{1, "Service Board"}, {2, "Alerts"}};
  return k;
}

const std::vector<NamedRef>& priorities() {
  static const std::vector<NamedRef> k = {{1, "Priority 1 - Emergency Response"},
                                          {2, "Priority 2 - Quick Response"},
                                          {3, "Priority 3 - Normal Response"},
                                          {4, "Priority 4 - Schedule Maintenance"},
                                          {5, "Priority 5 - Next Time"}};
  return k;
}

const std::vector<NamedRef>& company_statuses() {
  static const std::vector<NamedRef> k = {{1, "Active"}, {2, "Inactive"}};
  return k;
}

Value ref_json(int id, std::string_view name) { return Value::Object{{"id", id}, {"name", name}}; }

// Finds {id} or {name} of `ref` in `table`; null if neither matches.
template <typename T>
const T* lookup(const Value& ref, const std::vector<T>& table) {
  const Value* id = ref.find("id");
  const Value* name = ref.find("name");
  for (const auto& row : table) {
    if (id && id->is_number() && id->as_number() == row.id) return &row;
    if ((!id || id->is_null()) && name && name->is_string() && iequals(name->as_string(), row.name)) return &row;
  }
  return nullptr;
}

class Completer {
 public:
  Completer(const CwEntity& entity, Value& record, Store& store) : entity_(entity), record_(record), store_(store) {}

  std::vector<CwFieldError> run() {
    check_rules();
    if (!errors_.empty()) return errors_;
    const std::string_view alias = entity_.alias;
    if (alias == "tickets") complete_ticket();
    if (alias == "companies") complete_company();
    if (alias == "contacts" || alias == "agreements" || alias == "configurations") resolve_company(false);
    if (alias == "agreements") {
      default_to("agreementStatus", "Active");
      default_to("cancelledFlag", false);
    }
    if (alias == "contacts") default_to("inactiveFlag", false);
    if (alias == "callbacks") default_to("inactiveFlag", false);
    if (alias == "notes") {
      // ConnectWise files a note under exactly one of these; the discussion when none is set.
      default_to("detailDescriptionFlag", false);
      default_to("internalAnalysisFlag", false);
      default_to("resolutionFlag", false);
      default_to("dateCreated", cw_now());
      default_to("createdBy", "sandbox");
    }
    return errors_;
  }

 private:
  void error(std::string_view code, std::string_view field, std::string message) {
    errors_.push_back({std::string(code), std::move(message), std::string(entity_.resource), std::string(field)});
  }

  void default_to(std::string_view field, Value value) {
    const Value* v = record_.find(field);
    if (v == nullptr || v->is_null()) record_.set(field, std::move(value));
  }

  void check_rules() {
    for (const auto& rule : entity_.rules) {
      const Value* v = record_.find(rule.field);
      const bool missing = v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty());
      if (rule.required && missing) {
        error("MissingRequiredField", rule.field, "The " + std::string(rule.field) + " field is required.");
      } else if (!missing && rule.max_length > 0 && v->is_string() && utf8_length(v->as_string()) > rule.max_length) {
        // Limits count characters (SQL nvarchar), not bytes.
        error("MaxLengthField", rule.field,
              std::string(rule.field) + " cannot be longer than " + std::to_string(rule.max_length) + " characters.");
      }
    }
  }

  template <typename T>
  void resolve_table(std::string_view field, const std::vector<T>& table, const T& fallback) {
    Value* ref = record_.find(field);
    if (ref == nullptr || ref->is_null()) {
      record_.set(field, ref_json(fallback.id, fallback.name));
      return;
    }
    const T* row = ref->is_object() ? lookup(*ref, table) : nullptr;
    if (row == nullptr) {
      error("InvalidField", field, std::string(field) + " is not a valid " + std::string(field) + " reference.");
      return;
    }
    *ref = ref_json(row->id, row->name);
  }

  // company {id} (or {identifier}) must exist; filled out to {id, identifier, name}.
  void resolve_company(bool required) {
    Value* ref = record_.find("company");
    if (ref == nullptr || ref->is_null()) {
      if (required) error("MissingRequiredField", "company", "The company field is required.");
      return;
    }
    const Value* found = nullptr;
    for (const auto& [id, company] : store_.collection("connectwise/companies")) {
      const Value* want_id = ref->find("id");
      const Value* want_identifier = ref->find("identifier");
      const Value* identifier = company.find("identifier");
      if ((want_id && want_id->is_number() && want_id->as_number() == static_cast<double>(id)) ||
          ((!want_id || want_id->is_null()) && want_identifier && want_identifier->is_string() && identifier &&
           identifier->is_string() && iequals(identifier->as_string(), want_identifier->as_string()))) {
        found = &company;
        break;
      }
    }
    if (found == nullptr) {
      error("InvalidField", "company", "company is not a valid company reference.");
      return;
    }
    Value::Object out{{"id", *found->find("id")}};
    if (const Value* v = found->find("identifier")) out.emplace_back("identifier", *v);
    if (const Value* v = found->find("name")) out.emplace_back("name", *v);
    *ref = Value(std::move(out));
  }

  void resolve_contact() {
    Value* ref = record_.find("contact");
    if (ref == nullptr || ref->is_null()) return;
    const Value* id = ref->find("id");
    Value* contact = id && id->is_int() ? store_.find("connectwise/contacts", id->as_int()) : nullptr;
    if (contact == nullptr) {
      error("InvalidField", "contact", "contact is not a valid contact reference.");
      return;
    }
    std::string name;
    if (const Value* f = contact->find("firstName"); f && f->is_string()) name = f->as_string();
    if (const Value* l = contact->find("lastName"); l && l->is_string()) name += (name.empty() ? "" : " ") + l->as_string();
    *ref = Value::Object{{"id", id->as_int()}, {"name", name}};
  }

  void complete_ticket() {
    resolve_table("board", boards(), boards().front());
    static const CwStatus kNew = cw_ticket_statuses().front();
    resolve_table("status", cw_ticket_statuses(), kNew);
    resolve_table("priority", priorities(), priorities()[2]);
    resolve_company(false);
    resolve_contact();
    if (!errors_.empty()) return;
    // closedFlag is derived from the board status (read-only in CW).
    const Value* status_id = record_.at_path("status/id");
    bool closed = false;
    for (const auto& s : cw_ticket_statuses()) {
      if (status_id && status_id->is_number() && status_id->as_number() == s.id) closed = s.closed;
    }
    record_.set("closedFlag", closed);
    const Value* closed_date = record_.find("closedDate");
    if (!closed) {
      record_.set("closedDate", nullptr);
    } else if (closed_date == nullptr || closed_date->is_null()) {
      record_.set("closedDate", cw_now());
    }
  }

  void complete_company() {
    resolve_table("status", company_statuses(), company_statuses().front());
    const Value* types = record_.find("types");
    if (types == nullptr || !types->is_array()) record_.set("types", Value::Array{ref_json(1, "Client")});
    default_to("deletedFlag", false);
  }

  const CwEntity& entity_;
  Value& record_;
  Store& store_;
  std::vector<CwFieldError> errors_;
};

Value table_json(const std::vector<NamedRef>& rows) {
  Value::Array out;
  for (const auto& r : rows) out.push_back(ref_json(r.id, r.name));
  return out;
}

}  // namespace

const std::vector<CwEntity>& cw_entities() {
  // Lengths per docs/psa/connectwise.md (summary 100) and the CW schema's usual limits.
  static const std::vector<CwEntity> k = {
      {"service/tickets", "tickets", "ticket", {{"summary", true, 100}}},
      {"company/companies", "companies", "company", {{"identifier", true, 25}, {"name", true, 50}}},
      {"company/contacts", "contacts", "contact", {{"firstName", true, 30}, {"lastName", false, 30}}},
      {"finance/agreements", "agreements", "agreement", {{"name", true, 100}, {"type", true, 0}, {"company", true, 0}}},
      {"finance/agreements/additions", "additions", "addition", {{"product", true, 0}}, "agreements", "agreementId"},
      {"service/tickets/notes", "notes", "note", {{"text", true, 0}}, "tickets", "ticketId"},
      {"company/configurations", "configurations", "configuration",
       {{"name", true, 100}, {"type", true, 0}, {"company", true, 0}}},
      // Catalog items (products): what agreement additions bill; read by the set-up lists.
      {"procurement/catalog", "catalog", "catalogItem", {{"identifier", true, 25}, {"description", true, 60}}},
      {"system/callbacks", "callbacks", "callback",
       {{"url", true, 1000}, {"type", true, 0}, {"level", true, 0}, {"description", false, 100}}},
      // The calling member's own security levels: read-only (connectwise_api.cpp refuses writes).
      {"system/mySecurity", "mySecurity", "mySecurity", {}},
  };
  return k;
}

const CwEntity* cw_entity(std::string_view alias_or_path) {
  for (const auto& e : cw_entities()) {
    if (iequals(e.alias, alias_or_path) || iequals(e.path, alias_or_path)) return &e;
  }
  return nullptr;
}

const CwEntity* cw_entity_by_type(std::string_view type) {
  for (const auto& e : cw_entities()) {
    if (iequals(e.resource, type)) return &e;
  }
  return nullptr;
}

void cw_touch_parent(Store& store, const CwEntity& entity, const Value& record, const std::string& now) {
  if (entity.alias != "notes") return;
  const CwEntity* parent = cw_entity(entity.parent_alias);
  const Value* parent_id = record.find(entity.parent_field);
  if (parent == nullptr || parent_id == nullptr || !parent_id->is_number()) return;
  Value* ticket = store.find(cw_store_key(*parent), static_cast<int64_t>(parent_id->as_number()));
  if (ticket == nullptr) return;
  if (Value* info = ticket->find("_info")) info->set("lastUpdated", now);
}

std::string cw_store_key(const CwEntity& entity) { return "connectwise/" + std::string(entity.alias); }

const std::vector<CwStatus>& cw_ticket_statuses() {
  static const std::vector<CwStatus> k = {{1, "New", false},       {2, "In Progress", false},
                                          {3, "Waiting Customer", false}, {4, "Scheduled", false},
                                          {5, "Completed", true},   {6, "Closed", true},
                                          {7, "Cancelled", true}};
  return k;
}

Value cw_boards_json() { return table_json(boards()); }

Value cw_ticket_statuses_json() {
  Value::Array out;
  for (const auto& s : cw_ticket_statuses()) {
    out.push_back(Value::Object{{"id", s.id},
                                {"name", s.name},
                                {"board", ref_json(1, "Service Board")},
                                {"closedStatus", s.closed},
                                {"defaultFlag", s.id == 1},
                                {"inactive", false}});
  }
  return out;
}

Value cw_board_types_json(int board) {
  // Board 1 (Service Board) has three types, one of them inactive; Alerts has one.
  struct Type {
    int id;
    int board;
    std::string_view name;
    bool inactive;
  };
  static const Type kTypes[] = {{1, 1, "Incident", false}, {2, 1, "Service Request", false},
                                {3, 1, "Legacy Request", true}, {4, 2, "Monitoring Alert", false}};
  Value::Array out;
  for (const auto& t : kTypes) {
    if (t.board != board) continue;
    out.push_back(Value::Object{{"id", t.id},
                                {"name", t.name},
                                {"board", ref_json(t.board, t.board == 1 ? "Service Board" : "Alerts")},
                                {"inactiveFlag", t.inactive},
                                {"defaultFlag", t.id == 1}});
  }
  return out;
}

Value cw_priorities_json() { return table_json(priorities()); }
Value cw_company_statuses_json() { return table_json(company_statuses()); }

std::vector<CwFieldError> cw_complete_record(const CwEntity& entity, Value& record, Store& store) {
  return Completer(entity, record, store).run();
}

}  // namespace switchyard::sandbox
