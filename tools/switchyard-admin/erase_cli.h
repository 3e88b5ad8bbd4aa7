// switchyard-admin erase <tenant> --contact <id> | --email <address>   (both may be given)
// Erases one person of a tenant (POST /v1/tenants/{tenant}/erasure, scope admin; docs/runbooks.md
// "Erase a person") and prints what was removed and the erasure event's key. The e-mail is sent
// in the body, never printed back; `--email -` reads it from standard input, so that it is not on
// the command line, where the host's process list shows it to every user.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>

namespace switchyard::admin {

struct EraseArgs {
  std::string contact;
  std::string email;
};

// Takes --contact or --email at args[i] (advancing i past its value): nullopt when args[i] is
// neither, false after printing an error to `err`.
std::optional<bool> take_erase_option(const std::vector<std::string>& args, size_t& i, EraseArgs& erase,
                                      std::ostream& err);
bool any_erase_option(const EraseArgs& erase);
// `--email -`: replaces "-" with the first line of `in` (surrounding blanks dropped). False after
// printing why to `err` (no input, or an empty line). Any other value is left as it is.
bool read_erase_email(EraseArgs& erase, std::istream* in, std::ostream& err);
// The request body, or nullopt after printing why to `err` (neither given, or a value out of bounds).
std::optional<std::string> erase_body(const EraseArgs& erase, std::ostream& err);
void print_erasure(simdjson::dom::element answer, std::ostream& out);

}  // namespace switchyard::admin
