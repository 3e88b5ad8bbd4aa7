// The conformance fixtures of one connector, read from its own folder:
// libs/connectors/<psa>/conformance/ (layout: docs/conformance.md). The suite knows no PSA:
// everything PSA-specific is in these files.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_types.h"
#include "common/result.h"

namespace switchyard::conformance {

// What decode_webhook must report for a sample (Change without its body).
struct ExpectedChange {
  std::string entity, entity_id, action, version;
  // A partial payload: the record is fetched whole, and the change itself maps to kSuperseded.
  bool needs_fetch = false;
};

// webhooks/<name>.body (the raw bytes the PSA sends) + webhooks/<name>.json.
struct WebhookSample {
  std::string name;
  std::string body;
  http::Headers headers;
  std::vector<ExpectedChange> changes;
  // Per change, in order: canonical fields the change must map to (a JSON object that must be
  // a subset of the canonical event), or "" when the sample does not say.
  std::vector<std::string> canonical;
};

// records/<name>.json: a record as the PSA's API returns it (what a poll publishes).
struct RecordSample {
  std::string name, entity, entity_id;
  std::string body;       // the record, minified
  std::string canonical;  // subset of the canonical event
};

// poll.json: how to make more records than one page of each pollable entity.
struct PollSeed {
  std::string entity;          // canonical type
  std::string sandbox_entity;  // the sandbox's name for its records
  std::string record;          // JSON object; "{{n}}" is replaced by 1..count
  int count = 0;
  // Calls a full read may take beyond one per page of records: for entities polled below a
  // parent (ConnectWise ticket notes walk the changed tickets), which spend requests on listing.
  int extra_calls = 0;
};

// A record put into the sandbox before a command runs.
struct SandboxRecord {
  std::string sandbox_entity;
  std::string json;
};

// commands/<name>.json: one command and what the sandbox must hold after it.
struct CommandSample {
  std::string name;
  std::string type;  // parsed from the command ("ticket.upsert", ...)
  std::vector<SandboxRecord> setup;
  std::string command;         // command JSON as on the commands topic
  std::string sandbox_entity;  // where the written record is
  bool creates = false;        // the first execution makes a new record
  std::string record;          // subset the written record must contain
};

// served_key.json, for a PSA that signs its webhooks with a key it serves and names in each
// one: a record to put in the sandbox, and the webhook the sandbox is to send about it.
struct ServedKeySample {
  std::string sandbox_entity;
  std::string record;          // JSON object
  std::string webhook_entity;  // as the sandbox names it for Sandbox::fire_webhook
  std::string action;          // "added" | "updated" | "deleted"
};

// registration.json, for a connector that registers webhooks (register_webhooks): where the
// sandbox keeps what it registers, the field holding each entry's URL, and an entry of the MSP's
// own (another integration's) that registering and unregistering must leave alone.
struct RegistrationSample {
  std::vector<std::string> sandbox_entities;  // e.g. ["callbacks"]
  std::string url_field;                      // e.g. "url"
  SandboxRecord foreign;                      // its url_field holds a URL of its own
};

struct Fixtures {
  std::string dir;
  std::string tenant;  // tenant.json, "{{sandbox_base_url}}" not yet replaced
  std::vector<WebhookSample> webhooks;
  std::vector<RecordSample> records;
  int page_size = 0;
  std::vector<PollSeed> polls;
  std::vector<CommandSample> commands;
  std::optional<ServedKeySample> served_key;
  std::optional<RegistrationSample> registration;
};

inline constexpr std::string_view kBaseUrlPlaceholder = "{{sandbox_base_url}}";

std::string fixtures_dir(std::string_view connector);
// Every file of the folder, validated; errors name the file and the member.
Result<Fixtures> load_fixtures(std::string_view connector);

const PollSeed* find_poll_seed(const Fixtures& fixtures, std::string_view entity);

}  // namespace switchyard::conformance
