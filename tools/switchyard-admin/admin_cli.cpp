// switchyard-admin: parses the command line, calls ingest's API and prints the answer for a
// person (or as it came, with --json). See admin_cli.h for the commands.
#include "switchyard-admin/admin_cli.h"

#include <simdjson.h>

#include <algorithm>
#include <ostream>

#include "common/http_types.h"
#include "common/json_writer.h"
#include "common/secret_ref.h"
#include "switchyard-admin/activity_cli.h"
#include "switchyard-admin/erase_cli.h"

namespace switchyard::admin {
namespace {

constexpr std::string_view kDefaultApi = "http://127.0.0.1:8081";
constexpr std::chrono::milliseconds kTimeout{60000};  // a connection test makes several PSA calls

constexpr std::string_view kUsageText =
    "usage: switchyard-admin [--api URL] [--token-file PATH] [--json] <command>\n"
    "  connection-test <tenant>       check the tenant's PSA credentials, API version and permissions\n"
    "  webhooks register <tenant>     register the tenant's webhooks (callbacks) in its PSA\n"
    "  webhooks unregister <tenant>   remove the webhooks Switchyard registered\n"
    "  sync <tenant> [entity ...]     poll the tenant now (every entity it polls when none is named)\n"
    "    --resync                     read every record again from the start (watermarks untouched);\n"
    "                                 prints the resync id\n"
    "    --record ENTITY:ID           import one record by its PSA id (company:123); repeatable, up to\n"
    "                                 100; with records alone nothing is polled\n"
    "  activity <tenant>              the tenant's sync activity, newest first (scope read)\n"
    "    --kind K --outcome O --reason R --since T --problems --limit N\n"
    "  dead-letters <tenant>          its dead letters (--kind, --reason, --since, --limit)\n"
    "  replay <tenant>                replay dead letters once fixed (scope replay):\n"
    "    --dead-letter PLACE ...  |  --reason R [--kind K] [--since T]  |  --all;  --again\n"
    "  health <tenant>                last event and last successful poll per entity\n"
    "  erase <tenant> --contact ID | --email ADDRESS   erase one person (GDPR Art. 17): from Redis,\n"
    "                                 and an erasure event for the canonical topic's consumers;\n"
    "                                 --email - reads the address from standard input\n"
    "  offboard <tenant>              when a partner disconnects: unregister the tenant's webhooks and\n"
    "                                 delete its Redis keys; it must be paused or removed from the\n"
    "                                 tenants file first. Safe to run twice\n"
    "The API URL defaults to $SWITCHYARD_API_URL, then http://127.0.0.1:8081. The token is read from\n"
    "--token-file, $SWITCHYARD_ADMIN_TOKEN_FILE or $SWITCHYARD_ADMIN_TOKEN.\n";

struct Options {
  std::string api;
  std::string token_file;
  bool json = false;
  bool resync = false;  // sync only
  std::vector<std::string> records{};  // sync only: "entity:id" as given
  ActivityArgs activity{};             // activity, dead-letters, replay
  EraseArgs erase{};                   // erase only
  std::vector<std::string> words;  // the command and its arguments
};

// Tenant ids and entity names go into the URL path or body: the characters a tenant id may have.
bool is_plain_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// A record id: what ingest takes (1-64 of A-Z a-z 0-9 . _ : -).
bool is_record_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_plain_name(std::string_view(&c, 1)) || c == ':'; });
}

std::optional<Options> parse_options(const std::vector<std::string>& args, std::ostream& err) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json") {
      o.json = true;
    } else if (a == "--resync") {
      o.resync = true;
    } else if (a == "--record") {
      if (i + 1 >= args.size()) {
        err << "switchyard-admin: --record needs a value (ENTITY:ID, e.g. company:123)\n";
        return std::nullopt;
      }
      o.records.push_back(args[++i]);
    } else if (auto taken = take_activity_option(args, i, o.activity, err)) {
      if (!*taken) return std::nullopt;
    } else if (auto erase = take_erase_option(args, i, o.erase, err)) {
      if (!*erase) return std::nullopt;
    } else if (a == "--api" || a == "--token-file") {
      if (i + 1 >= args.size()) {
        err << "switchyard-admin: " << a << " needs a value\n";
        return std::nullopt;
      }
      (a == "--api" ? o.api : o.token_file) = args[++i];
    } else if (a == "--token") {
      err << "switchyard-admin: tokens are not taken on the command line (other users can read it there); "
             "use --token-file or $SWITCHYARD_ADMIN_TOKEN_FILE\n";
      return std::nullopt;
    } else if (a == "-h" || a == "--help") {
      o.words.clear();
      o.words.push_back("help");
      return o;
    } else if (a.starts_with("--")) {
      err << "switchyard-admin: unknown option " << a << "\n";
      return std::nullopt;
    } else {
      o.words.push_back(a);
    }
  }
  return o;
}

Result<std::string> token_of(const Options& o, const Getenv& getenv) {
  std::string file = o.token_file;
  if (file.empty()) file = getenv("SWITCHYARD_ADMIN_TOKEN_FILE").value_or("");
  if (!file.empty()) return read_secret_file(file);
  if (auto token = getenv("SWITCHYARD_ADMIN_TOKEN"); token && !token->empty()) return *token;
  return make_error("no_token", "no API token: pass --token-file, or set SWITCHYARD_ADMIN_TOKEN_FILE or SWITCHYARD_ADMIN_TOKEN");
}

// {"error": {"code": ..., "message": ...}} → "message (code)"; the body itself when not that shape.
std::string error_text(const http::ClientResponse& r) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view code, message;
  if (parser.parse(r.body).get(root) == simdjson::SUCCESS && root["error"]["code"].get(code) == simdjson::SUCCESS &&
      root["error"]["message"].get(message) == simdjson::SUCCESS) {
    return std::string(message) + " (" + std::string(code) + ")";
  }
  return r.body.size() > 500 ? r.body.substr(0, 500) + "..." : r.body;
}

// A member of an answer, or empty/false when it is missing or of another type.
std::string_view text(simdjson::dom::element e, const char* key) {
  std::string_view v;
  return e[key].get(v) == simdjson::SUCCESS ? v : std::string_view{};
}
bool flag(simdjson::dom::element e, const char* key) {
  bool v = false;
  return e[key].get(v) == simdjson::SUCCESS && v;
}

int exit_code_of(int status) {
  if (status >= 200 && status < 300) return kOk;
  if (status >= 500 && status != 501 && status != 502) return kUnavailable;
  return kCheckFailed;
}

// Prints a connection test report: the verdict, one line per check, then each warning.
void print_report(simdjson::dom::element root, std::ostream& out) {
  out << text(root, "tenant") << " (" << text(root, "psa")
      << "): " << (flag(root, "ok") ? "connection OK" : "connection FAILED") << "\n";
  simdjson::dom::array checks;
  if (root["checks"].get(checks) == simdjson::SUCCESS) {
    for (simdjson::dom::element c : checks) {
      const std::string_view detail = text(c, "detail");
      out << "  [" << (flag(c, "ok") ? "ok" : "FAIL") << "] " << text(c, "name");
      if (!detail.empty()) out << ": " << detail;
      out << "\n";
    }
  }
  // More access than needed: printed, but the exit code stays the test's own.
  simdjson::dom::array warnings;
  if (root["warnings"].get(warnings) == simdjson::SUCCESS) {
    for (simdjson::dom::element w : warnings) {
      out << "  [WARN] " << text(w, "code") << ": " << text(w, "message") << "\n";
    }
  }
  if (flag(root, "resumed")) {
    out << "The tenant was suspended for refused credentials and is now resumed.\n";
  }
}

void print_registration(simdjson::dom::element root, bool removed, std::ostream& out) {
  const std::string_view tenant = text(root, "tenant"), psa = text(root, "psa");
  if (removed) {
    out << tenant << " (" << psa << "): webhooks removed\n";
    return;
  }
  const bool changed = flag(root, "changed");
  size_t count = 0;
  simdjson::dom::array ids;
  if (root["ids"].get(ids) == simdjson::SUCCESS) count = ids.size();
  out << tenant << " (" << psa << "): " << count << " webhook(s) at " << text(root, "callback_url")
      << (changed ? " registered\n" : " already registered, nothing changed\n");
}

// The offboarding report: what was removed, per key family, and what was left and why.
void print_offboard(simdjson::dom::element root, std::ostream& out) {
  int64_t total = 0;
  if (root["keys_removed"].get(total) != simdjson::SUCCESS) total = 0;
  out << text(root, "tenant") << ": offboarded, " << total << " Redis key(s) removed\n";
  simdjson::dom::object removed;
  if (root["removed"].get(removed) == simdjson::SUCCESS) {
    for (auto [family, count] : removed) {
      int64_t n = 0;
      if (count.get(n) == simdjson::SUCCESS && n > 0) out << "  " << family << ": " << n << "\n";
    }
  }
  simdjson::dom::element webhooks;
  if (root["webhooks"].get(webhooks) == simdjson::SUCCESS) {
    const std::string_view outcome = text(webhooks, "outcome"), message = text(webhooks, "message");
    out << "webhooks: " << outcome;
    if (!message.empty()) out << ": " << message;
    out << "\n";
  }
  simdjson::dom::array left;
  if (root["not_removed"].get(left) == simdjson::SUCCESS) {
    for (simdjson::dom::element e : left) out << "not removed: " << text(e, "what") << ": " << text(e, "why") << "\n";
  }
}

void print_sync(simdjson::dom::element root, std::ostream& out) {
  const std::string_view resync_id = text(root, "resync_id");
  simdjson::dom::array entities, records;
  if (root["entities"].get(entities) == simdjson::SUCCESS && entities.size() > 0) {
    out << text(root, "tenant") << ": " << (resync_id.empty() ? "poll" : "resync") << " scheduled for";
    for (simdjson::dom::element e : entities) {
      std::string_view name;
      if (e.get(name) == simdjson::SUCCESS) out << " " << name;
    }
    out << "\n";
  }
  if (!resync_id.empty()) out << "resync id: " << resync_id << "\n";
  if (root["records"].get(records) == simdjson::SUCCESS && records.size() > 0) {
    out << text(root, "tenant") << ": import scheduled for";
    for (simdjson::dom::element r : records) out << " " << text(r, "entity") << ":" << text(r, "id");
    out << "\n";
  }
}

}  // namespace

int run(const std::vector<std::string>& args, const Send& send, const Getenv& getenv, std::ostream& out,
        std::ostream& err, std::istream* in) {
  auto options = parse_options(args, err);
  if (!options) {
    err << kUsageText;
    return kUsage;
  }
  const auto& w = options->words;
  if (w.empty() || w[0] == "help") {
    (w.empty() ? err : out) << kUsageText;
    return w.empty() ? kUsage : kOk;
  }

  // The request each command makes.
  std::string method = "POST", path, body;
  enum class Kind { ConnectionTest, Register, Unregister, Sync, Activity, Erase, Offboard } kind;
  if (is_activity_command(w[0]) && w.size() == 2) {
    kind = Kind::Activity;
    auto call = activity_call(w[0], options->activity, err);
    if (!call) return kUsage;
    method = call->method;
    path = call->path;
    body = call->body;
  } else if (w[0] == "erase" && w.size() == 2) {
    kind = Kind::Erase;
    path = "/erasure";
    if (!read_erase_email(options->erase, in, err)) return kUsage;
    auto erase = erase_body(options->erase, err);
    if (!erase) return kUsage;
    body = std::move(*erase);
  } else if (w[0] == "connection-test" && w.size() == 2) {
    kind = Kind::ConnectionTest;
    path = "/connection-test";
  } else if (w[0] == "offboard" && w.size() == 2) {
    kind = Kind::Offboard;
    path = "/offboard";
  } else if (w[0] == "webhooks" && w.size() == 3 && (w[1] == "register" || w[1] == "unregister")) {
    kind = w[1] == "register" ? Kind::Register : Kind::Unregister;
    if (kind == Kind::Unregister) method = "DELETE";
    path = "/webhooks";
  } else if (w[0] == "sync" && w.size() >= 2) {
    kind = Kind::Sync;
    path = "/sync";
    if (w.size() > 2 || options->resync || !options->records.empty()) {
      JsonWriter j;
      j.begin_object();
      if (w.size() > 2) {
        j.key("entities").begin_array();
        for (size_t i = 2; i < w.size(); ++i) {
          if (!is_plain_name(w[i])) {
            err << "switchyard-admin: \"" << w[i] << "\" is not an entity name (ticket, company, ...)\n";
            return kUsage;
          }
          j.value(w[i]);
        }
        j.end_array();
      }
      if (options->resync) j.field("resync", true);
      if (!options->records.empty()) {
        if (options->records.size() > 100) {
          err << "switchyard-admin: at most 100 --record per sync\n";
          return kUsage;
        }
        j.key("records").begin_array();
        for (const std::string& r : options->records) {
          const size_t colon = r.find(':');
          const std::string entity = r.substr(0, colon);
          const std::string id = colon == std::string::npos ? std::string() : r.substr(colon + 1);
          if (!is_plain_name(entity) || !is_record_id(id)) {
            err << "switchyard-admin: --record \"" << r << "\" is not ENTITY:ID (e.g. company:123; the id 1-64 of "
                << "A-Z a-z 0-9 . _ : -)\n";
            return kUsage;
          }
          j.begin_object().field("entity", entity).field("id", id).end_object();
        }
        j.end_array();
      }
      j.end_object();
      body = j.take();
    }
  } else {
    err << "switchyard-admin: unknown command or wrong arguments: " << w[0] << "\n" << kUsageText;
    return kUsage;
  }
  if (any_activity_option(options->activity) && kind != Kind::Activity) {
    err << "switchyard-admin: the filter options go with activity, dead-letters and replay\n" << kUsageText;
    return kUsage;
  }
  if (any_erase_option(options->erase) && kind != Kind::Erase) {
    err << "switchyard-admin: --contact and --email go with erase only\n" << kUsageText;
    return kUsage;
  }
  if ((options->resync || !options->records.empty()) && kind != Kind::Sync) {
    err << "switchyard-admin: " << (options->resync ? "--resync" : "--record") << " goes with sync only\n" << kUsageText;
    return kUsage;
  }
  const std::string& tenant = kind == Kind::Register || kind == Kind::Unregister ? w[2] : w[1];
  if (!is_plain_name(tenant)) {
    err << "switchyard-admin: \"" << tenant << "\" is not a tenant id (1-64 of A-Z a-z 0-9 . _ -)\n";
    return kUsage;
  }

  auto token = token_of(*options, getenv);
  if (!token) {
    err << "switchyard-admin: " << token.error().message << "\n";
    return kUsage;
  }
  std::string api = !options->api.empty() ? options->api : getenv("SWITCHYARD_API_URL").value_or(std::string(kDefaultApi));
  while (api.ends_with('/')) api.pop_back();
  if (!api.starts_with("http://") && !api.starts_with("https://")) {
    err << "switchyard-admin: the API URL must start with http:// or https://\n";
    return kUsage;
  }

  http::ClientRequest request;
  request.method = method;
  request.url = api + "/v1/tenants/" + http::url_encode(tenant) + path;
  request.headers = {{"Authorization", "Bearer " + *token}, {"Accept", "application/json"}};
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
  }
  request.timeout = kTimeout;
  auto response = send(request);
  if (!response) {
    err << "switchyard-admin: could not reach ingest at " << api << ": " << response.error().message << "\n";
    return kUnavailable;
  }
  if (options->json) {
    out << response->body << "\n";
    return exit_code_of(response->status);
  }
  if (response->status < 200 || response->status >= 300) {
    err << "switchyard-admin: " << response->status << ": " << error_text(*response) << "\n";
    return exit_code_of(response->status);
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(response->body).get(root) != simdjson::SUCCESS) {
    err << "switchyard-admin: ingest answered " << response->status << " with a body that is not JSON\n";
    return kUnavailable;
  }
  switch (kind) {
    case Kind::ConnectionTest: {
      print_report(root, out);
      return flag(root, "ok") ? kOk : kCheckFailed;
    }
    case Kind::Register:
    case Kind::Unregister:
      print_registration(root, kind == Kind::Unregister, out);
      return kOk;
    case Kind::Sync:
      print_sync(root, out);
      return kOk;
    case Kind::Activity:
      return print_activity_answer(w[0], root, out) == 0 ? kOk : kCheckFailed;
    case Kind::Erase:
      print_erasure(root, out);
      return kOk;
    case Kind::Offboard:
      print_offboard(root, out);
      // The keys are gone, but a webhook the PSA would not remove still calls: a script must notice.
      return text(root, "outcome") == "ok" ? kOk : kCheckFailed;
  }
  return kOk;
}

}  // namespace switchyard::admin
