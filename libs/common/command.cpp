// Commands to and from JSON, with the validation rules listed in command.h. The format is
// described for vendors by docs/schemas/v1/command.schema.json and docs/schema.md.
#include "common/command.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <utility>

#include "common/command_fields.h"
#include "common/json_read.h"
#include "common/json_writer.h"
#include "common/overloaded.h"
#include "common/text.h"
#include "common/time_format.h"

namespace switchyard {
namespace {

constexpr std::string_view kTicketUpsert = "ticket.upsert";
constexpr std::string_view kTicketClose = "ticket.close";
constexpr std::string_view kBillingLineAdd = "billing_line.add";
constexpr std::string_view kTicketNote = "ticket.note";
constexpr std::string_view kConfigurationUpsert = "configuration.upsert";
constexpr std::array<std::string_view, 5> kKnownTypes = {kTicketUpsert, kTicketClose, kBillingLineAdd, kTicketNote,
                                                         kConfigurationUpsert};
constexpr std::array<std::string_view, 4> kPriorities = {"low", "medium", "high", "critical"};
constexpr size_t kMaxTitleLength = 255;
// Limits of the fields added after v1.0 (older fields keep theirs, so old commands still pass).
constexpr size_t kMaxRefLength = 255;
constexpr size_t kMaxNoteText = 8000;
constexpr size_t kMaxConfigurationName = 200;
constexpr size_t kMaxSerialNumber = 100;
constexpr size_t kMaxUrlLength = 2048;

using command_fields::check;
using command_fields::check_length;
using command_fields::is_id;
using command_fields::optional_id;
using command_fields::required_id;

void required_non_empty(json::ObjectReader& r, std::string_view key, std::string& out) {
  r.required(key, out);
  check(r, !out.empty(), key, "must not be empty");
}

void optional_choice(json::ObjectReader& r, std::string_view key, std::optional<FieldChoice>& out,
                     std::span<const std::string_view> canonical_values = {}) {
  if (!r.ok()) return;
  auto choice = read_field_choice(r.object(), key, r.path(), canonical_values);
  if (!choice) return r.fail(choice.error());
  out = std::move(*choice);
}

// The external_ref of the types added after v1.0: bounded, since it is stored at the PSA.
void required_ref(json::ObjectReader& r, std::string_view key, std::string& out) {
  r.required(key, out);
  check(r, !out.empty() && utf8_length(out) <= kMaxRefLength, key, "must be 1 to 255 characters");
}

void optional_date(json::ObjectReader& r, std::string_view key, std::optional<std::string>& out) {
  r.optional(key, out);
  check(r, !out || is_valid_date(*out), key, "must be a date (YYYY-MM-DD)");
}

bool is_http_url(std::string_view url) {
  const bool scheme = url.starts_with("https://") || url.starts_with("http://");
  return scheme && url.size() <= kMaxUrlLength &&
         std::ranges::none_of(url, [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

TicketUpsert read_ticket_upsert(json::ObjectReader& r) {
  TicketUpsert p;
  required_non_empty(r, "external_ref", p.external_ref);
  r.required("title", p.title);
  check(r, !p.title.empty() && utf8_length(p.title) <= kMaxTitleLength, "title",
        "must be 1 to 255 characters");
  r.optional("description", p.description);
  optional_choice(r, "priority", p.priority, kPriorities);
  optional_id(r, "company_id", p.company_id);
  optional_id(r, "board_id", p.board_id);
  optional_choice(r, "status", p.status);
  optional_choice(r, "type", p.type);
  optional_id(r, "contact_id", p.contact_id);
  return p;
}

TicketNoteAdd read_ticket_note(json::ObjectReader& r) {
  TicketNoteAdd p;
  required_ref(r, "external_ref", p.external_ref);
  r.required("note_ref", p.note_ref);
  check(r, is_id(p.note_ref), "note_ref",
        "must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
  r.required("text", p.text);
  check_length(r, "text", p.text, 1, kMaxNoteText);
  std::optional<std::string> visibility;
  r.optional("visibility", visibility);
  check(r, !visibility || *visibility == "internal" || *visibility == "public", "visibility",
        "must be internal or public");
  if (visibility == "public") p.visibility = TicketNoteAdd::Visibility::Public;
  return p;
}

void read_vendor_link(json::ObjectReader& r, std::optional<ConfigurationUpsert::VendorLink>& out) {
  if (!r.ok()) return;
  auto obj = json::optional_object(r.object(), "vendor_ref", r.path());
  if (!obj) return r.fail(obj.error());
  if (!*obj) return;
  json::ObjectReader v(**obj, r.field("vendor_ref"));
  ConfigurationUpsert::VendorLink link;
  v.required("id", link.id);
  check(v, !link.id.empty() && utf8_length(link.id) <= command_fields::kMaxIdLength, "id", "must be 1 to 128 characters");
  v.optional("url", link.url);
  check(v, !link.url || is_http_url(*link.url), "url", "must be an http(s) URL of at most 2048 characters");
  if (!v.ok()) return r.fail(v.error());
  out = std::move(link);
}

ConfigurationUpsert read_configuration_upsert(json::ObjectReader& r) {
  ConfigurationUpsert p;
  required_ref(r, "external_ref", p.external_ref);
  r.required("name", p.name);
  check_length(r, "name", p.name, 1, kMaxConfigurationName);
  optional_id(r, "company_id", p.company_id);
  optional_choice(r, "type", p.type);
  r.optional("serial_number", p.serial_number);
  if (p.serial_number) check_length(r, "serial_number", *p.serial_number, 1, kMaxSerialNumber);
  optional_date(r, "purchase_date", p.purchase_date);
  optional_date(r, "install_date", p.install_date);
  optional_date(r, "warranty_expiry_date", p.warranty_expiry_date);
  r.optional("last_seen_at", p.last_seen_at);
  check(r, !p.last_seen_at || parse_rfc3339(*p.last_seen_at).ok(), "last_seen_at", "must be an RFC 3339 timestamp");
  read_vendor_link(r, p.vendor_ref);
  return p;
}

TicketClose read_ticket_close(json::ObjectReader& r) {
  TicketClose p;
  required_non_empty(r, "external_ref", p.external_ref);
  r.optional("resolution", p.resolution);
  return p;
}

BillingLineAdd read_billing_line_add(json::ObjectReader& r) {
  BillingLineAdd p;
  required_non_empty(r, "external_ref", p.external_ref);
  required_id(r, "agreement_id", p.agreement_id);
  required_non_empty(r, "description", p.description);
  r.required("quantity", p.quantity);
  check(r, p.quantity > 0, "quantity", "must be greater than 0");
  r.optional("unit_price", p.unit_price);
  check(r, !p.unit_price || *p.unit_price >= 0, "unit_price", "must not be negative");
  optional_id(r, "product_id", p.product_id);
  optional_date(r, "effective_date", p.effective_date);
  return p;
}

bool is_known_type(std::string_view type) { return std::ranges::find(kKnownTypes, type) != kKnownTypes.end(); }

Error unknown_type(std::string_view type) {
  std::string known;
  for (const auto t : kKnownTypes) known += (known.empty() ? "" : ", ") + std::string(t);
  return make_error("unknown_command_type",
                    "type: unknown command type \"" + std::string(type) + "\" (known: " + known + ")");
}

Result<CommandPayload> read_payload(std::string_view type, simdjson::dom::object obj) {
  json::ObjectReader r(obj, "payload");
  CommandPayload payload;
  if (type == kTicketUpsert) {
    payload = read_ticket_upsert(r);
  } else if (type == kTicketClose) {
    payload = read_ticket_close(r);
  } else if (type == kBillingLineAdd) {
    payload = read_billing_line_add(r);
  } else if (type == kTicketNote) {
    payload = read_ticket_note(r);
  } else if (type == kConfigurationUpsert) {
    payload = read_configuration_upsert(r);
  } else {
    return unknown_type(type);
  }
  if (!r.ok()) return r.error();
  return payload;
}

void write_optional(JsonWriter& w, std::string_view key, const std::optional<std::string>& v) {
  if (v) w.field(key, *v);
}

void write_optional(JsonWriter& w, std::string_view key, const std::optional<FieldChoice>& v) {
  if (v) write_field_choice(w, key, *v);
}

void write_payload(JsonWriter& w, const TicketUpsert& p) {
  w.field("external_ref", p.external_ref).field("title", p.title);
  write_optional(w, "description", p.description);
  write_optional(w, "priority", p.priority);
  write_optional(w, "company_id", p.company_id);
  write_optional(w, "board_id", p.board_id);
  write_optional(w, "status", p.status);
  write_optional(w, "type", p.type);
  write_optional(w, "contact_id", p.contact_id);
}

void write_payload(JsonWriter& w, const TicketNoteAdd& p) {
  w.field("external_ref", p.external_ref).field("note_ref", p.note_ref).field("text", p.text);
  w.field("visibility", p.visibility == TicketNoteAdd::Visibility::Public ? "public" : "internal");
}

void write_payload(JsonWriter& w, const ConfigurationUpsert& p) {
  w.field("external_ref", p.external_ref).field("name", p.name);
  write_optional(w, "company_id", p.company_id);
  write_optional(w, "type", p.type);
  write_optional(w, "serial_number", p.serial_number);
  write_optional(w, "purchase_date", p.purchase_date);
  write_optional(w, "install_date", p.install_date);
  write_optional(w, "warranty_expiry_date", p.warranty_expiry_date);
  write_optional(w, "last_seen_at", p.last_seen_at);
  if (p.vendor_ref) {
    w.key("vendor_ref").begin_object().field("id", p.vendor_ref->id);
    write_optional(w, "url", p.vendor_ref->url);
    w.end_object();
  }
}

void write_payload(JsonWriter& w, const TicketClose& p) {
  w.field("external_ref", p.external_ref);
  write_optional(w, "resolution", p.resolution);
}

void write_payload(JsonWriter& w, const BillingLineAdd& p) {
  w.field("external_ref", p.external_ref)
      .field("agreement_id", p.agreement_id)
      .field("description", p.description)
      .field("quantity", p.quantity);
  if (p.unit_price) w.field("unit_price", *p.unit_price);
  write_optional(w, "product_id", p.product_id);
  write_optional(w, "effective_date", p.effective_date);
}

}  // namespace

std::span<const std::string_view> command_types() { return kKnownTypes; }

std::string_view command_type(const Command& command) {
  return std::visit(Overloaded{
                        [](const TicketUpsert&) { return kTicketUpsert; },
                        [](const TicketClose&) { return kTicketClose; },
                        [](const BillingLineAdd&) { return kBillingLineAdd; },
                        [](const TicketNoteAdd&) { return kTicketNote; },
                        [](const ConfigurationUpsert&) { return kConfigurationUpsert; },
                    },
                    command.payload);
}

std::string command_partition_key(const Command& command) {
  const std::string& ref = std::visit(
      [](const auto& p) -> const std::string& { return p.external_ref; }, command.payload);
  return command.tenant + "/" + ref;
}

std::string to_json(const Command& command) {
  JsonWriter w;
  w.reserve(256);
  w.begin_object();
  w.field("command_version", kCommandVersion)
      .field("id", command.id)
      .field("tenant", command.tenant)
      .field("type", command_type(command));
  if (!command.issued_at.empty()) w.field("issued_at", command.issued_at);
  w.key("payload").begin_object();
  std::visit([&](const auto& p) { write_payload(w, p); }, command.payload);
  w.end_object();
  w.end_object();
  return w.take();
}

Result<Command> command_from_json(std::string_view json_text) {
  auto obj = command_fields::parse_object(json_text, "command");
  if (!obj) return obj.error();
  auto header = command_fields::read_header(*obj);
  if (!header) return header.error();
  // Before the payload: a command this build cannot run is reported as such, whatever its
  // payload looks like.
  if (!is_known_type(header->type)) return unknown_type(header->type);
  Command command;
  command.id = std::move(header->id);
  command.tenant = std::move(header->tenant);
  command.issued_at = std::move(header->issued_at);
  auto payload_obj = command_fields::payload_object(*obj);
  if (!payload_obj) return payload_obj.error();
  auto payload = read_payload(header->type, *payload_obj);
  if (!payload) return payload.error();
  command.payload = std::move(*payload);
  return command;
}

}  // namespace switchyard
