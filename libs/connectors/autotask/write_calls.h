// The calls every Autotask write is made of: one request with its outcome classified, a
// QueryModel lookup of one record, the create answer's itemId, and the memo-then-PSA lookup
// that makes every create safe to retry. Internal to the Autotask connector.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json_writer.h"
#include "connectors/connector.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::autotask {

// Autotask ids are integers; options and commands carry them as strings.
// (option_or and is_numeric_id: connectors/write_values.h)
void write_id(JsonWriter& w, std::string_view key, const std::string& id);

struct Call {
  std::optional<http::ClientResponse> response;  // set when the PSA answered 2xx
  std::optional<WriteOutcome> failure;
};
Call send(PsaHttp& psa, const Tenant& t, std::string method, const std::string& path, std::string body);

// One QueryModel filter: {"op": op, "field": field, "value": value}.
struct Match {
  std::string field;
  std::string value;
  std::string op = "eq";
};

// The id of the first `entity` record matching every filter; nullopt when none. A PSA failure
// is reported in `failure` (and nullopt returned).
Result<std::optional<std::string>> find_one(PsaHttp& psa, const Tenant& t, const std::string& entity,
                                            const std::vector<Match>& match, std::optional<WriteOutcome>& failure);

Result<std::string> item_id_of(const http::ClientResponse& r);

// The id of the record a command made before: the memo first, then the PSA, queried by the
// reference the create stored on the record. nullopt when none exists. Asking the PSA whenever
// the memo has no answer is what makes a create safe to retry after a lost answer (a timeout
// or a 5xx after the PSA made the record), and safe when Redis is down.
std::optional<std::string> existing_record(PsaHttp& psa, const Tenant& t, WriteMemo& memo, std::string_view kind,
                                           const std::string& ref, const std::string& entity,
                                           const std::vector<Match>& match, std::optional<WriteOutcome>& failure);

// The ticket made for external_ref (Tickets.externalID), through existing_record.
std::optional<std::string> existing_ticket(PsaHttp& psa, const Tenant& t, WriteMemo& memo, const std::string& ref,
                                           std::optional<WriteOutcome>& failure);

}  // namespace switchyard::connectors::autotask
