// switchyard-admin: operator commands over ingest's vendor API (docs/runbooks.md#switchyard-admin).
//
//   switchyard-admin [--api URL] [--token-file PATH] [--json] <command> ...
//     connection-test <tenant>        check the tenant's PSA connection now
//     webhooks register <tenant>      register the tenant's webhooks/callbacks in its PSA
//     webhooks unregister <tenant>    remove them
//     sync <tenant> [entity ...]      poll the tenant now (all its entities when none is named)
//       --resync                      read every record again from the start; prints the resync id
//     activity | dead-letters | replay | health <tenant>   partner visibility (activity_cli.h)
//     offboard <tenant>               unregister its webhooks and delete its Redis keys (it must
//                                     be paused, or gone from the tenants file); prints the report
//       --record ENTITY:ID            import one record by its PSA id (repeatable; alone: no poll)
//     erase <tenant> --contact ID | --email ADDRESS   erase one person (erase_cli.h); --email - reads
//                                     the address from standard input, off the process list
//
// The token (scope admin, or sync for `sync`) is read from --token-file, else the file named by
// SWITCHYARD_ADMIN_TOKEN_FILE, else SWITCHYARD_ADMIN_TOKEN; never from the command line, where
// other users of the machine could read it. The API URL comes from --api, else SWITCHYARD_API_URL,
// else http://127.0.0.1:8081.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/result.h"

namespace switchyard::admin {

// Exit codes: what a script can branch on.
enum ExitCode : int {
  kOk = 0,
  kCheckFailed = 1,  // the API answered: the connection test failed, or the PSA refused
  kUsage = 2,        // bad arguments or configuration (no token, bad URL)
  kUnavailable = 3,  // ingest could not be reached or answered 5xx
};

// Sends one request to ingest (the real client in main, a recording one in tests).
using Send = std::function<Result<http::ClientResponse>(const http::ClientRequest&)>;

// Environment lookup, injectable for tests.
using Getenv = std::function<std::optional<std::string>(const std::string&)>;

// Runs the command in `args` (without the program name); prints to `out` (results) and `err`
// (errors and usage). `in` is standard input, read only by `erase --email -` (nullptr: none).
// Returns the exit code.
int run(const std::vector<std::string>& args, const Send& send, const Getenv& getenv, std::ostream& out,
        std::ostream& err, std::istream* in = nullptr);

}  // namespace switchyard::admin
