#include "switchyard-admin/activity_cli.h"

#include <ostream>

#include "common/http_types.h"
#include "common/json_writer.h"

namespace switchyard::admin {
namespace {

std::string_view text(simdjson::dom::element e, const char* key) {
  std::string_view v;
  return e[key].get(v) == simdjson::SUCCESS ? v : std::string_view{};
}

int64_t number(simdjson::dom::element e, const char* key) {
  int64_t v = 0;
  return e[key].get(v) == simdjson::SUCCESS ? v : 0;
}

void append_query(std::string& path, const char* name, const std::string& value) {
  if (value.empty()) return;
  path.push_back(path.find('?') == std::string::npos ? '?' : '&');
  path.append(name).append("=").append(http::url_encode(value));
}

// One record a line: when, what, the PSA id, the outcome and reason, the message, the trace.
void print_record(simdjson::dom::element r, std::ostream& out) {
  out << text(r, "at") << "  " << text(r, "kind");
  if (!text(r, "entity").empty()) out << " " << text(r, "entity");
  if (!text(r, "psa_id").empty()) out << " #" << text(r, "psa_id");
  if (!text(r, "command_id").empty()) out << " (command " << text(r, "command_id") << ")";
  out << ": " << text(r, "outcome");
  if (!text(r, "reason").empty()) out << " [" << text(r, "reason") << "]";
  if (!text(r, "message").empty()) out << " " << text(r, "message");
  out << "\n";
  if (!text(r, "dead_letter").empty()) {
    out << "    dead letter " << text(r, "dead_letter");
    if (!text(r, "replayed_at").empty()) out << ", replayed " << text(r, "replayed_at");
    out << "\n";
  }
  if (!text(r, "help").empty()) out << "    help: " << text(r, "help") << "\n";
  if (!text(r, "trace_id").empty()) out << "    trace " << text(r, "trace_id") << "\n";
}

}  // namespace

std::optional<bool> take_activity_option(const std::vector<std::string>& args, size_t& i, ActivityArgs& a,
                                         std::ostream& err) {
  const std::string& o = args[i];
  if (o == "--problems" || o == "--again" || o == "--all") {
    (o == "--problems" ? a.problems : o == "--again" ? a.again : a.all) = true;
    return true;
  }
  std::string* value = o == "--kind"      ? &a.kind
                       : o == "--outcome" ? &a.outcome
                       : o == "--reason"  ? &a.reason
                       : o == "--since"   ? &a.since
                       : o == "--limit"   ? &a.limit
                                          : nullptr;
  if (value == nullptr && o != "--dead-letter") return std::nullopt;
  if (i + 1 >= args.size()) {
    err << "switchyard-admin: " << o << " needs a value\n";
    return false;
  }
  if (value != nullptr) {
    *value = args[++i];
  } else {
    a.dead_letters.push_back(args[++i]);
  }
  return true;
}

bool any_activity_option(const ActivityArgs& a) {
  return !a.kind.empty() || !a.outcome.empty() || !a.reason.empty() || !a.since.empty() || !a.limit.empty() ||
         a.problems || a.again || a.all || !a.dead_letters.empty();
}

bool is_activity_command(const std::string& word) {
  return word == "activity" || word == "dead-letters" || word == "replay" || word == "health";
}

std::optional<ApiCall> activity_call(const std::string& command, const ActivityArgs& a, std::ostream& err) {
  const auto refuse = [&](const char* why) -> std::optional<ApiCall> {
    err << "switchyard-admin: " << command << ": " << why << "\n";
    return std::nullopt;
  };
  ApiCall call{"GET", "", ""};
  if (command == "health") {
    if (any_activity_option(a)) return refuse("takes no options");
    call.path = "/health";
    return call;
  }
  if (command == "replay") {
    if (!a.outcome.empty() || a.problems || !a.limit.empty()) return refuse("--outcome, --problems and --limit are not replay options");
    const bool filtered = !a.reason.empty() || !a.kind.empty() || !a.since.empty();
    if (a.dead_letters.empty() && !filtered && !a.all) return refuse("say which: --dead-letter PLACE, a filter, or --all");
    if (!a.dead_letters.empty() && (filtered || a.all)) return refuse("give either --dead-letter or filters, not both");
    JsonWriter j;
    j.begin_object();
    if (!a.dead_letters.empty()) {
      j.key("dead_letters").begin_array();
      for (const auto& d : a.dead_letters) j.value(d);
      j.end_array();
    }
    if (!a.reason.empty()) j.field("reason", a.reason);
    if (!a.kind.empty()) j.field("kind", a.kind);
    if (!a.since.empty()) j.field("since", a.since);
    if (a.all) j.field("all", true);
    if (a.again) j.field("again", true);
    j.end_object();
    return ApiCall{"POST", "/dead-letters/replay", j.take()};
  }
  if (a.again || a.all || !a.dead_letters.empty()) return refuse("--again, --all and --dead-letter go with replay");
  if (command == "dead-letters" && (a.problems || !a.outcome.empty())) return refuse("--problems and --outcome go with activity");
  call.path = command == "activity" ? "/activity" : "/dead-letters";
  append_query(call.path, "kind", a.kind);
  append_query(call.path, "outcome", a.outcome);
  append_query(call.path, "reason", a.reason);
  append_query(call.path, "since", a.since);
  append_query(call.path, "limit", a.limit);
  if (a.problems) append_query(call.path, "problems", "true");
  return call;
}

int print_activity_answer(const std::string& command, simdjson::dom::element root, std::ostream& out) {
  if (command == "health") {
    bool silent = false;
    if (root["silent"].get(silent) != simdjson::SUCCESS) silent = false;  // absent: not known to be silent
    out << text(root, "tenant") << ": " << (silent ? "SILENT" : "ok") << ", last event "
        << (text(root, "last_event").empty() ? std::string_view("never") : text(root, "last_event")) << " (threshold "
        << number(root, "silence_threshold_seconds") / 60 << " min)\n";
    simdjson::dom::object entities;
    if (root["entities"].get(entities) == simdjson::SUCCESS) {
      for (auto [entity, h] : entities) {
        out << "  " << entity << ": last event " << (text(h, "last_event").empty() ? "-" : text(h, "last_event"))
            << ", last poll " << (text(h, "last_poll").empty() ? "-" : text(h, "last_poll")) << "\n";
      }
    }
    return 0;
  }
  if (command == "replay") {
    out << text(root, "tenant") << ": replayed " << number(root, "replayed") << ", already replayed "
        << number(root, "already_replayed") << ", not found " << number(root, "not_found") << ", failed "
        << number(root, "failed") << "\n";
    bool more = false;
    if (root["more"].get(more) == simdjson::SUCCESS && more) out << "More dead letters match: run it again.\n";
    return number(root, "failed") > 0 ? 1 : 0;
  }
  simdjson::dom::array records;
  const char* member = command == "activity" ? "records" : "dead_letters";
  size_t n = 0;
  if (root[member].get(records) == simdjson::SUCCESS) {
    for (simdjson::dom::element r : records) {
      print_record(r, out);
      ++n;
    }
  }
  if (n == 0) out << text(root, "tenant") << ": nothing recorded\n";
  if (!text(root, "next_cursor").empty()) out << "(more: the API's cursor " << text(root, "next_cursor") << ")\n";
  return 0;
}

}  // namespace switchyard::admin
