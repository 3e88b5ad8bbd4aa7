// switchyard-admin's partner-visibility commands (docs/activity.md):
//   activity <tenant>      [--kind K] [--outcome O] [--reason R] [--since T] [--problems] [--limit N]
//   dead-letters <tenant>  [--kind K] [--reason R] [--since T] [--limit N]
//   replay <tenant>        --dead-letter PLACE ... | --reason R [--kind K] [--since T] | --all   [--again]
//   health <tenant>
// The token needs scope read (replay: scope replay) for the tenant.
#pragma once

#include <simdjson.h>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::admin {

struct ActivityArgs {
  std::string kind, outcome, reason, since, limit;
  bool problems = false, again = false, all = false;
  std::vector<std::string> dead_letters;
};

// Takes the option at args[i] (and its value) when it is one of the above, advancing i; nullopt
// when it is not one of them, false when it is but its value is missing.
std::optional<bool> take_activity_option(const std::vector<std::string>& args, size_t& i, ActivityArgs& a,
                                         std::ostream& err);
bool any_activity_option(const ActivityArgs& a);

bool is_activity_command(const std::string& word);

struct ApiCall {
  std::string method, path, body;  // path below /v1/tenants/{tenant}, with its query
};
// The call `command` makes, or nullopt (with the reason on `err`) when its options do not fit.
std::optional<ApiCall> activity_call(const std::string& command, const ActivityArgs& a, std::ostream& err);

// Prints the answer for a person; returns the exit code (1 when a replay failed some letters).
int print_activity_answer(const std::string& command, simdjson::dom::element root, std::ostream& out);

}  // namespace switchyard::admin
