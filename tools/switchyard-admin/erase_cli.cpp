#include "switchyard-admin/erase_cli.h"

#include <algorithm>
#include <istream>
#include <ostream>

#include "common/json_writer.h"

namespace switchyard::admin {
namespace {

// What ingest accepts (ingest/erasure_request.h); ingest checks the e-mail's shape itself.
bool is_contact_id(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}
bool is_email_like(std::string_view s) {
  return !s.empty() && s.size() <= 254 && s.find('@') != std::string_view::npos &&
         std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

// A member by JSON pointer ("/removed/echo_marks"): 0 or "" when missing or of another type.
int64_t count(simdjson::dom::element e, std::string_view pointer) {
  int64_t v = 0;
  return e.at_pointer(pointer).get(v) == simdjson::SUCCESS ? v : 0;
}
std::string_view text(simdjson::dom::element e, std::string_view pointer) {
  std::string_view v;
  return e.at_pointer(pointer).get(v) == simdjson::SUCCESS ? v : std::string_view{};
}

}  // namespace

std::optional<bool> take_erase_option(const std::vector<std::string>& args, size_t& i, EraseArgs& erase,
                                      std::ostream& err) {
  const std::string& a = args[i];
  if (a != "--contact" && a != "--email") return std::nullopt;
  if (i + 1 >= args.size()) {
    err << "switchyard-admin: " << a << " needs a value\n";
    return false;
  }
  (a == "--contact" ? erase.contact : erase.email) = args[++i];
  return true;
}

bool any_erase_option(const EraseArgs& erase) { return !erase.contact.empty() || !erase.email.empty(); }

bool read_erase_email(EraseArgs& erase, std::istream* in, std::ostream& err) {
  if (erase.email != "-") return true;
  std::string line;
  if (in != nullptr) std::getline(*in, line);  // erase_body checks its length and form
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!line.empty() && blank(line.back())) line.pop_back();
  size_t start = 0;
  while (start < line.size() && blank(line[start])) ++start;
  line.erase(0, start);
  if (line.empty()) {
    err << "switchyard-admin: --email -: no address on standard input\n";
    return false;
  }
  erase.email = std::move(line);
  return true;
}

std::optional<std::string> erase_body(const EraseArgs& erase, std::ostream& err) {
  if (!any_erase_option(erase)) {
    err << "switchyard-admin: erase needs --contact ID, --email ADDRESS or both\n";
    return std::nullopt;
  }
  if (!erase.contact.empty() && !is_contact_id(erase.contact)) {
    err << "switchyard-admin: --contact must be the PSA's contact id (1-64 of A-Z a-z 0-9 . _ -)\n";
    return std::nullopt;
  }
  // Never repeated back: it is personal data.
  if (!erase.email.empty() && !is_email_like(erase.email)) {
    err << "switchyard-admin: --email is not an e-mail address\n";
    return std::nullopt;
  }
  JsonWriter j;
  j.begin_object();
  if (!erase.contact.empty()) j.field("contact_id", erase.contact);
  if (!erase.email.empty()) j.field("email", erase.email);
  j.end_object();
  return j.take();
}

void print_erasure(simdjson::dom::element answer, std::ostream& out) {
  out << text(answer, "/tenant") << ": person erased (erasure " << text(answer, "/erasure_id") << ")\n"
      << "  activity records deleted:    " << count(answer, "/removed/activity_records") << "\n"
      << "  sync-policy entries removed: " << count(answer, "/removed/policy_entries") << "\n"
      << "  stored records redacted:     " << count(answer, "/removed/redacted_records") << "\n"
      << "  cache entries dropped:       " << count(answer, "/removed/cache_entries") << "\n"
      << "  echo marks deleted:          " << count(answer, "/removed/echo_marks") << "\n"
      << "  erasure event: " << text(answer, "/event/topic") << " key " << text(answer, "/event/key") << "\n";
}

}  // namespace switchyard::admin
