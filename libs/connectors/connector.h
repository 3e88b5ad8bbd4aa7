// Connector: everything Switchyard knows about one PSA, behind one interface. ingest uses
// verify_webhook/decode_webhook/poll, normalize uses to_canonical, dispatch uses execute.
// Each PSA lives in its own folder (libs/connectors/<psa>/) and registers itself by name; the
// services only ever see this header.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/canonical.h"
#include "common/command.h"
#include "common/envelope.h"
#include "common/http_types.h"
#include "common/label_tables.h"
#include "common/mappings.h"
#include "common/reason_catalogue.h"
#include "common/result.h"
#include "common/tenants.h"
#include "connectors/auth/token_source.h"
#include "connectors/psa_http.h"

namespace switchyard::connectors {

// A webhook as received, for verify_webhook: the raw body, the headers, and the path and query
// (some PSAs sign those, or put a token there). The path never includes the URL secret.
struct WebhookRequest {
  std::string_view body;
  const http::Headers& headers;
  std::string_view path = {};   // "/v1/webhooks/halopsa/acme"
  std::string_view query = {};  // without the '?'
  // Signing keys the PSA served for this webhook (Connector::webhook_key_url), tried after the
  // tenant's configured webhook_signing_secrets. Null when none was fetched.
  const std::vector<std::string>* psa_keys = nullptr;
};

// One change of one PSA record, as decoded from a webhook or found by polling.
struct Change {
  std::string entity;     // canonical type: "ticket", "company", ...
  std::string entity_id;  // PSA id
  std::string action;     // "created" | "updated" | "deleted"
  std::string version;    // see ChangeIdentity::version
  std::string body;       // raw JSON to keep in the envelope
  // The body carries only part of the record (a webhook of the changed fields): ingest still
  // publishes it, and schedules a fetch of the whole record (fetch_record) through Kafka. The
  // connector gives such a change a version no full record has, and maps it to kSuperseded.
  bool needs_fetch = false;
  // The connector parsed `body` whole as JSON (simdjson validates it, UTF-8 included): ingest may
  // embed it as it is in the envelope (version 2) instead of escaping it into a string.
  bool body_is_json = false;
};

// A webhook about the subscription itself rather than a record (Autotask's "Deactivated": the
// PSA switched the webhook off). ingest acknowledges it, publishes nothing, and tells the
// operator (a log line and a metric), since no more changes will come until it is set up again.
struct WebhookSignal {
  std::string kind;    // "deactivated"
  std::string entity;  // canonical type of the subscription, when the PSA says ("ticket")
};

// One call reads up to `max_pages` pages of a *delta*: every record changed at or after
// `since` (`>=`: a record changed in the same instant as the watermark is read again rather
// than missed; its version dedups), or every record when `since` is empty (a backfill). A delta
// larger than one call is read in several, each resuming at the `cursor` the previous one
// returned; the connector never skips a record between calls, whatever order ids and change
// times are in. Connectors stay synchronous and keep no state: the caller stores the cursor
// (ingest keeps it in Redis, so a restart resumes mid-delta).
struct PollRequest {
  std::string entity;  // canonical type, one of ConnectorSpec::pollable_entities
  std::string since;   // RFC 3339 UTC; changes at or after this (empty = every record)
  // Where the previous call of this delta stopped (PollResult::cursor); empty = its start.
  std::string cursor{};
  int max_pages = 50;  // pages to read before returning with complete = false (>= 1)
  int page_size = 0;   // records per page; 0 = the connector's default
};

// The records per page a connector asks for: the request's (up to the PSA's most) or the PSA's
// preferred page.
inline int page_size_of(const PollRequest& request, const PageSizes& sizes) {
  return request.page_size > 0 ? std::min(request.page_size, sizes.max) : sizes.preferred;
}

struct PollResult {
  std::vector<Change> changes;
  // The newest version seen in this call. Empty if no changes.
  std::string high_watermark;
  // Resume point after the last record read; pass it back as PollRequest::cursor.
  std::string cursor;
  // True when the delta has been read to its last page. Until then the caller must not move
  // its watermark: records of later pages may be older than the ones already read.
  bool complete = true;
  int pages = 0;  // pages requested in this call
};

// Outcome of writing one command to the PSA. Retryable outcomes are retried by dispatch
// (honouring retry_after); Rejected ones go to the dead-letter topic with `detail`.
struct WriteOutcome {
  enum class Kind { Done, Retryable, Rejected };
  Kind kind = Kind::Done;
  std::string psa_id;     // the PSA's id of the record written (Done)
  bool created = false;   // Done: true when a new record was made, false when one was updated
  std::string detail;     // human-readable reason for an MSP partner (never a secret)
  int http_status = 0;    // last PSA status, 0 when no answer
  std::chrono::milliseconds retry_after{0};
  // ticket.note (Done): the ticket the note is on, when the write learned it ("" otherwise), so
  // dispatch can mark both as its own write.
  std::string parent_psa_id{};

  static WriteOutcome done(std::string id, bool created) {
    WriteOutcome o;
    o.psa_id = std::move(id);
    o.created = created;
    return o;
  }
  static WriteOutcome retryable(std::string detail, int status = 0, std::chrono::milliseconds after = {}) {
    return WriteOutcome{Kind::Retryable, {}, false, std::move(detail), status, after};
  }
  static WriteOutcome rejected(std::string detail, int status = 0) {
    return WriteOutcome{Kind::Rejected, {}, false, std::move(detail), status, {}};
  }
};

// Remembers which PSA record a vendor reference became, so a redelivered command updates it
// instead of creating a second one (dispatch backs this with Redis).
class WriteMemo {
 public:
  virtual ~WriteMemo() = default;
  virtual std::optional<std::string> lookup(const Tenant& tenant, std::string_view kind,
                                            std::string_view external_ref) = 0;
  virtual void remember(const Tenant& tenant, std::string_view kind, std::string_view external_ref,
                        std::string_view psa_id) = 0;
};

// A connection test's finding, in words a partner can act on ("The API member lacks the
// Service Desk > Service Tickets permission: add it under System > Security Roles").
struct ConnectionCheck {
  std::string name;    // "credentials", "api_version", "permission:tickets", ...
  bool ok = false;
  std::string detail;  // plain language; never a secret
};
// More access than Switchyard needs, as far as the PSA lets the test see it (an administrator
// account, a delete permission): a warning, never a failure, since the connection works. The
// code is one of the PSA-neutral kPrivilege* below; the message names the PSA's screen to narrow
// it on, in plain language, and never a person, a secret or a record.
struct ConnectionWarning {
  std::string code;
  std::string message;
};
// The account is an administrator of the PSA (an admin role, security level or flag).
inline constexpr std::string_view kPrivilegeAdmin = "privilege_admin";
// The account may delete records Switchyard never deletes.
inline constexpr std::string_view kPrivilegeDelete = "privilege_delete";
// The account holds a permission no Switchyard feature uses (payments, scripts, security set-up).
inline constexpr std::string_view kPrivilegeUnused = "privilege_unused";

struct ConnectionReport {
  bool ok = false;  // every check passed
  std::vector<ConnectionCheck> checks;
  std::vector<ConnectionWarning> warnings;  // do not affect ok
};

// One entry of a set-up list (boards or queues, statuses, priorities, types, agreements, products).
struct LookupItem {
  std::string id;
  std::string name;
  bool active = true;
};

// Which set-up list to read (connectors/lookup_list.h names them; "queues" arrives as "boards",
// "contracts" as "agreements"), narrowed to a board (statuses, ticket types) or a company
// (agreements) when the PSA keys the list by one. Ids are checked by the caller (short, plain).
struct LookupQuery {
  std::string list;
  std::string board_id{};
  std::string company_id{};
};

// A set-up list reads at most this many items; a connector stops reading once it has one more,
// so the caller can say the list was cut short (kLookupCap + 1 items = truncated).
inline constexpr size_t kLookupCap = 1000;

// The webhooks or callbacks registered for a tenant: the PSA's ids, to unregister them later.
struct WebhookRegistration {
  std::vector<std::string> ids;
  bool changed = false;  // false: everything was already registered as asked (idempotent)
};

// The error code of every operation a PSA does not have ("Syncro does not support ...").
inline constexpr std::string_view kNotSupported = "not_supported";
// to_canonical's error for an envelope whose change a later envelope completes (a partial
// webhook: its full record follows as a fetched envelope). normalize skips it and counts it; it
// is not a failure.
inline constexpr std::string_view kSuperseded = "superseded";
// lookup's error for a list the PSA keeps per board (ConnectWise statuses) asked for without one.
inline constexpr std::string_view kLookupNeedsBoard = "board_required";
// fetch_record's error for a record the PSA no longer has.
inline constexpr std::string_view kRecordNotFound = "record_not_found";

class Connector {
 public:
  virtual ~Connector() = default;

  virtual std::string_view name() const = 0;
  // The PSA's product name, for messages to partners ("ConnectWise Manage").
  virtual std::string_view display_name() const { return name(); }
  virtual const ConnectorSpec& spec() const = 0;

  // Inbound. verify_webhook checks the signature over the raw bytes before anything parses
  // (ingest has already checked the URL secret, when the tenant has one)
  // them; decode_webhook turns a verified body into the changes it reports.
  virtual Status verify_webhook(const Tenant& tenant, const WebhookRequest& request) const = 0;
  virtual Result<std::vector<Change>> decode_webhook(const Tenant& tenant, std::string_view body) const = 0;
  // A verified body that reports on the webhook subscription rather than a change; checked
  // before decode_webhook. nullopt for an ordinary webhook.
  virtual std::optional<WebhookSignal> webhook_signal(const Tenant& tenant, std::string_view body) const {
    (void)tenant, (void)body;
    return std::nullopt;
  }
  // For PSAs whose webhooks name where their signing key is served (ConnectWise's
  // Metadata.key_url): that URL, once checked to be on the tenant's own PSA host, so ingest can
  // fetch the key (fetch_webhook_key), cache it, and pass it to verify_webhook as psa_keys.
  // nullopt when this webhook names none. Error "untrusted_key_url" when it names another host:
  // nothing is fetched and the webhook is refused. Reads the unverified body, so it must treat
  // every byte as hostile (bounded, no allocation beyond the body's size).
  virtual Result<std::optional<std::string>> webhook_key_url(const Tenant& tenant, std::string_view body) const {
    (void)tenant, (void)body;
    return std::optional<std::string>{};
  }
  // The signing key served at `url` (from webhook_key_url), through the tenant's limit and auth.
  virtual Result<std::string> fetch_webhook_key(const Tenant& tenant, PsaHttp& http, const std::string& url) const {
    (void)tenant, (void)http, (void)url;
    return not_supported("fetching a webhook signing key");
  }
  virtual Result<PollResult> poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const = 0;

  // Maps an envelope this connector produced to the canonical record. `parser` is reused
  // across calls by the caller (one per worker thread). `tenant_mappings` are the envelope
  // tenant's "mappings", consulted before this connector's defaults (spec().default_mappings).
  // `labels`: the tenant's label tables (label_tables(), as ingest stored them), for PSAs that
  // send picklist ids; without them an id stands in for its name, and `label_misses` (when
  // given) counts each such id.
  Result<canonical::Record> to_canonical(const Envelope& envelope, simdjson::dom::parser& parser,
                                         const Mappings& tenant_mappings = {}, const LabelTables* labels = nullptr,
                                         size_t* label_misses = nullptr) const {
    return map_to_canonical(envelope, parser,
                            MappingLookup(tenant_mappings, spec().default_mappings, labels, label_misses));
  }

  // Outbound: performs the command against the tenant's PSA, idempotently.
  virtual WriteOutcome execute(const Tenant& tenant, const Command& command, PsaHttp& http, WriteMemo& memo) const = 0;

  // The PSA's token scheme, for PSAs that authenticate with access tokens (the engines then
  // send every call through auth::TokenAuthPsaHttp); nullptr for static credentials, which the
  // connector puts on its requests itself.
  virtual const auth::TokenSource* token_source() const { return nullptr; }

  // The command types execute() performs ("ticket.upsert", ...). dispatch dead-letters any
  // other at once, saying the PSA does not support it, instead of calling execute().
  virtual std::vector<std::string_view> supported_commands() const { return {}; }

  // What every connector offers beyond the engines' calls, each "not supported by this PSA"
  // (error kNotSupported) until the connector has it. All idempotent; all through `http`, so
  // they spend the tenant's rate limit and use its token like any other call.
  //
  // Credentials, API version and the permissions the enabled features need, in plain language;
  // and, as warnings, any permission beyond those the PSA lets the account see (docs/psa/*.md,
  // "Permissions (least privilege)").
  virtual Result<ConnectionReport> test_connection(const Tenant& tenant, PsaHttp& http) const {
    (void)tenant, (void)http;
    return not_supported("a connection test");
  }
  // Registers (or updates) the tenant's webhooks/callbacks to `callback_url`.
  virtual Result<WebhookRegistration> register_webhooks(const Tenant& tenant, PsaHttp& http,
                                                        const std::string& callback_url) const {
    (void)tenant, (void)http, (void)callback_url;
    return not_supported("registering webhooks");
  }
  // Removes what register_webhooks made (by `callback_url`); nothing registered is not an error.
  virtual Status unregister_webhooks(const Tenant& tenant, PsaHttp& http, const std::string& callback_url) const {
    (void)tenant, (void)http, (void)callback_url;
    return not_supported("unregistering webhooks");
  }
  // One record by canonical entity and PSA id, as a Change (partial webhooks, resyncs): the
  // record as a poll reads it, with the poll's version, so the two dedup. Error
  // kRecordNotFound when the PSA no longer has it.
  virtual Result<Change> fetch_record(const Tenant& tenant, PsaHttp& http, std::string_view entity,
                                      std::string_view id) const {
    (void)tenant, (void)http, (void)id;
    return not_supported("fetching a " + std::string(entity) + " record");
  }
  // The canonical types fetch_record reads; ingest refuses an import of any other (empty: none).
  virtual std::vector<std::string_view> fetchable_entities() const { return {}; }
  // The names of the PSA's picklist ids ("ticket.status" → {"5": "Complete"}), for PSAs whose
  // records carry only ids. ingest reads them on its PSA-calling workers and stores them per
  // tenant; normalize passes them to to_canonical (common/label_tables.h). Never called by
  // normalize itself.
  virtual Result<LabelTables> label_tables(const Tenant& tenant, PsaHttp& http) const {
    (void)tenant, (void)http;
    return not_supported("reading picklist labels");
  }
  // A set-up list for the vendor's set-up wizard (connectors/lookup_list.h): every page of it, up to
  // kLookupCap + 1 items. Errors: kNotSupported for a list this PSA does not have, kLookupNeedsBoard
  // when it is kept per board and none was given, else the call's own error ("throttled", ...).
  virtual Result<std::vector<LookupItem>> lookup(const Tenant& tenant, PsaHttp& http, const LookupQuery& query) const {
    (void)tenant, (void)http;
    return not_supported("the set-up list \"" + query.list + "\"");
  }
  // This PSA's own steps for the catalogue's reason codes (common/reason_catalogue.h): menu
  // paths and permission names where the shared fix says "give the API user the permission".
  // Every code must be in the shared catalogue (a test checks).
  virtual std::span<const PsaReasonSteps> reason_steps() const { return {}; }
  // Whether a request only reads (test mode lets reads through and keeps writes,
  // connectors/test_mode_psa_http.h): GET and HEAD, and what else the PSA reads with (a POST
  // of a query, for one).
  virtual bool is_read(const http::ClientRequest& request) const {
    return request.method == "GET" || request.method == "HEAD";
  }

 protected:
  Error not_supported(const std::string& what) const {
    return make_error(std::string(kNotSupported), std::string(display_name()) + " does not support " + what);
  }

  // to_canonical's work, with the tenant's mappings over this connector's defaults.
  virtual Result<canonical::Record> map_to_canonical(const Envelope& envelope, simdjson::dom::parser& parser,
                                                     const MappingLookup& mappings) const = 0;
};

}  // namespace switchyard::connectors
