// Recipe commands to and from JSON (docs/schemas/v1/command.schema.json describes them with the
// other commands).
#include "common/recipe.h"

#include <algorithm>
#include <array>

#include "common/command.h"
#include "common/command_fields.h"
#include "common/json_writer.h"
#include "common/overloaded.h"
#include "common/time_format.h"

namespace switchyard {
namespace {

using command_fields::check;
using command_fields::check_length;
using command_fields::is_id;
using command_fields::optional_id;

constexpr std::string_view kAlertRaised = "alert.raised";
constexpr std::string_view kAlertResolved = "alert.resolved";
constexpr std::string_view kUsageRecorded = "usage.recorded";
constexpr std::string_view kUsagePeriodClosed = "usage.period_closed";
constexpr std::array<std::string_view, 4> kTypes = {kAlertRaised, kAlertResolved, kUsageRecorded, kUsagePeriodClosed};
constexpr size_t kMaxText = 8000;
constexpr size_t kMaxShortId = 64;

bool is_severity(std::string_view s) {
  return !s.empty() && s.size() <= 32 &&
         std::ranges::all_of(s, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

bool is_period(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  return s[0] >= '1' && month >= 1 && month <= 12;
}

void required_key(json::ObjectReader& r, std::string_view key, std::string& out, size_t max) {
  r.required(key, out);
  check(r, is_id(out, max), key, "must be 1 to " + std::to_string(max) + " characters of A-Z a-z 0-9 . _ : -");
}

void optional_time(json::ObjectReader& r, std::string_view key, std::optional<std::string>& out) {
  r.optional(key, out);
  check(r, !out || parse_rfc3339(*out).ok(), key, "must be an RFC 3339 timestamp");
}

void optional_text(json::ObjectReader& r, std::string_view key, std::optional<std::string>& out) {
  r.optional(key, out);
  if (out) check_length(r, key, *out, 1, kMaxText);
}

AlertRaised read_alert_raised(json::ObjectReader& r) {
  AlertRaised p;
  required_key(r, "alert_key", p.alert_key, command_fields::kMaxIdLength);
  r.required("title", p.title);
  check_length(r, "title", p.title, 1, 255);
  optional_text(r, "description", p.description);
  r.required("severity", p.severity);
  check(r, is_severity(p.severity), "severity", "must be 1 to 32 characters of a-z 0-9 _ -");
  optional_id(r, "company_id", p.company_id);
  optional_id(r, "board_id", p.board_id);
  optional_time(r, "occurred_at", p.occurred_at);
  return p;
}

AlertResolved read_alert_resolved(json::ObjectReader& r) {
  AlertResolved p;
  required_key(r, "alert_key", p.alert_key, command_fields::kMaxIdLength);
  optional_text(r, "resolution", p.resolution);
  optional_time(r, "occurred_at", p.occurred_at);
  return p;
}

void required_agreement(json::ObjectReader& r, std::string& out) {
  command_fields::required_id(r, "agreement_id", out);
  check(r, is_id(out, kMaxShortId), "agreement_id", "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
}

UsageRecorded read_usage_recorded(json::ObjectReader& r) {
  UsageRecorded p;
  required_agreement(r, p.agreement_id);
  optional_id(r, "company_id", p.company_id);
  optional_id(r, "product_id", p.product_id);
  check(r, !p.product_id || is_id(*p.product_id, kMaxShortId), "product_id",
        "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  r.required("quantity", p.quantity);
  check(r, p.quantity > 0 && p.quantity < 1e12, "quantity", "must be greater than 0 and less than 10^12");
  r.required("occurred_at", p.occurred_at);
  check(r, parse_rfc3339(p.occurred_at).ok(), "occurred_at", "must be an RFC 3339 timestamp");
  return p;
}

UsagePeriodClosed read_usage_period_closed(json::ObjectReader& r) {
  UsagePeriodClosed p;
  required_agreement(r, p.agreement_id);
  r.required("period", p.period);
  check(r, is_period(p.period), "period", "must be a month, YYYY-MM");
  return p;
}

Error unknown_type(std::string_view type) {
  std::string known;
  for (const auto t : command_types()) known += (known.empty() ? "" : ", ") + std::string(t);
  for (const auto t : kTypes) known += ", " + std::string(t);
  return make_error("unknown_command_type",
                    "type: unknown command type \"" + std::string(type) + "\" (known: " + known + ")");
}

void write_optional(JsonWriter& w, std::string_view key, const std::optional<std::string>& v) {
  if (v) w.field(key, *v);
}

void write_payload(JsonWriter& w, const AlertRaised& p) {
  w.field("alert_key", p.alert_key).field("title", p.title);
  write_optional(w, "description", p.description);
  w.field("severity", p.severity);
  write_optional(w, "company_id", p.company_id);
  write_optional(w, "board_id", p.board_id);
  write_optional(w, "occurred_at", p.occurred_at);
}

void write_payload(JsonWriter& w, const AlertResolved& p) {
  w.field("alert_key", p.alert_key);
  write_optional(w, "resolution", p.resolution);
  write_optional(w, "occurred_at", p.occurred_at);
}

void write_payload(JsonWriter& w, const UsageRecorded& p) {
  w.field("agreement_id", p.agreement_id);
  write_optional(w, "company_id", p.company_id);
  write_optional(w, "product_id", p.product_id);
  w.field("quantity", p.quantity).field("occurred_at", p.occurred_at);
}

void write_payload(JsonWriter& w, const UsagePeriodClosed& p) {
  w.field("agreement_id", p.agreement_id).field("period", p.period);
}

}  // namespace

std::string_view recipe_type(const RecipeCommand& recipe) {
  return std::visit(Overloaded{
                        [](const AlertRaised&) { return kAlertRaised; },
                        [](const AlertResolved&) { return kAlertResolved; },
                        [](const UsageRecorded&) { return kUsageRecorded; },
                        [](const UsagePeriodClosed&) { return kUsagePeriodClosed; },
                    },
                    recipe.payload);
}

std::span<const std::string_view> recipe_types() { return kTypes; }

bool is_recipe_type(std::string_view type) { return std::ranges::find(kTypes, type) != kTypes.end(); }

std::string recipe_subject(const RecipeCommand& recipe) {
  return std::visit(Overloaded{
                        [](const AlertRaised& p) { return p.alert_key; },
                        [](const AlertResolved& p) { return p.alert_key; },
                        [](const UsageRecorded& p) { return p.agreement_id; },
                        [](const UsagePeriodClosed& p) { return p.agreement_id; },
                    },
                    recipe.payload);
}

std::string recipe_partition_key(const RecipeCommand& recipe) {
  const bool alert = std::holds_alternative<AlertRaised>(recipe.payload) ||
                     std::holds_alternative<AlertResolved>(recipe.payload);
  return recipe.tenant + (alert ? "/alert:" : "/agreement:") + recipe_subject(recipe);
}

std::string to_json(const RecipeCommand& recipe) {
  JsonWriter w;
  w.begin_object();
  w.field("command_version", int64_t{1}).field("id", recipe.id).field("tenant", recipe.tenant).field("type", recipe_type(recipe));
  if (!recipe.issued_at.empty()) w.field("issued_at", recipe.issued_at);
  w.key("payload").begin_object();
  std::visit([&](const auto& p) { write_payload(w, p); }, recipe.payload);
  w.end_object();
  w.end_object();
  return w.take();
}

Result<RecipeCommand> recipe_from_json(std::string_view json_text) {
  auto obj = command_fields::parse_object(json_text, "command");
  if (!obj) return obj.error();
  auto header = command_fields::read_header(*obj);
  if (!header) return header.error();
  if (!is_recipe_type(header->type)) return unknown_type(header->type);
  auto payload_obj = command_fields::payload_object(*obj);
  if (!payload_obj) return payload_obj.error();
  json::ObjectReader r(*payload_obj, "payload");
  RecipeCommand recipe{std::move(header->id), std::move(header->tenant), std::move(header->issued_at), AlertRaised{}};
  const std::string& type = header->type;
  if (type == kAlertRaised) recipe.payload = read_alert_raised(r);
  else if (type == kAlertResolved) recipe.payload = read_alert_resolved(r);
  else if (type == kUsageRecorded) recipe.payload = read_usage_recorded(r);
  else recipe.payload = read_usage_period_closed(r);
  if (!r.ok()) return r.error();
  return recipe;
}

}  // namespace switchyard
