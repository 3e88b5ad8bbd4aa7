#include "common/recipe_settings.h"

#include <algorithm>
#include <array>
#include <initializer_list>

#include "common/json_read.h"

namespace switchyard {
namespace {

// A common monitoring scale, and the canonical names themselves.
constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kDefaultSeverityPriority = {{
    {"critical", "critical"}, {"disaster", "critical"}, {"emergency", "critical"},
    {"high", "high"},         {"major", "high"},        {"error", "high"},
    {"medium", "medium"},     {"warning", "medium"},    {"low", "low"},
    {"minor", "low"},         {"info", "low"},
}};
constexpr std::array<std::string_view, 4> kPriorities = {"low", "medium", "high", "critical"};

Error field_error(const std::string& path, std::string_view problem) {
  return make_error("invalid_tenant_config", path + ": " + std::string(problem));
}

Status only_keys(simdjson::dom::object obj, std::initializer_list<std::string_view> known, const std::string& path) {
  for (auto [key, value] : obj) {
    (void)value;
    if (std::ranges::find(known, key) == known.end()) return field_error(json::join_path(path, key), "unknown setting");
  }
  return ok_status();
}

Result<AlertTicketSettings> parse_alert_ticket(simdjson::dom::object obj, const std::string& path) {
  if (auto st = only_keys(obj, {"after_resolved", "severity_priority", "reopen_status", "board_id"}, path); !st) {
    return st.error();
  }
  AlertTicketSettings s;
  auto after = json::optional_string(obj, "after_resolved", path);
  if (!after) return after.error();
  if (*after) {
    if (**after == "reopen") s.after_resolved = AlertTicketSettings::AfterResolved::Reopen;
    else if (**after != "new_ticket") return field_error(path + ".after_resolved", "must be \"reopen\" or \"new_ticket\"");
  }
  auto table = json::optional_object(obj, "severity_priority", path);
  if (!table) return table.error();
  if (*table) {
    for (auto [severity, value] : **table) {
      const std::string field = path + ".severity_priority." + std::string(severity);
      std::string_view priority;
      if (value.get(priority) != simdjson::SUCCESS || std::ranges::find(kPriorities, priority) == kPriorities.end()) {
        return field_error(field, "must be one of low, medium, high, critical");
      }
      if (severity.empty() || severity.size() > 32) return field_error(field, "a severity is 1 to 32 characters");
      s.severity_priority.emplace(std::string(severity), std::string(priority));
    }
  }
  auto status = json::optional_string(obj, "reopen_status", path);
  if (!status) return status.error();
  if (*status) {
    if ((*status)->empty() || (*status)->size() > 64) return field_error(path + ".reopen_status", "must be 1 to 64 characters");
    s.reopen_status = **status;
  }
  auto board = json::optional_id(obj, "board_id", path);
  if (!board) return board.error();
  s.board_id = *board;
  return s;
}

Result<UsageBillingSettings> parse_usage_billing(simdjson::dom::object obj, const std::string& path) {
  if (auto st = only_keys(obj, {"close_after_minutes", "description"}, path); !st) return st.error();
  UsageBillingSettings s;
  auto close_after = json::optional_int(obj, "close_after_minutes", path);
  if (!close_after) return close_after.error();
  if (*close_after) {
    if (**close_after < 0 || **close_after > 60 * 24 * 31) {
      return field_error(path + ".close_after_minutes", "must be 0 to 44640 (31 days)");
    }
    s.close_after = std::chrono::minutes(**close_after);
  }
  auto description = json::optional_string(obj, "description", path);
  if (!description) return description.error();
  if (*description) {
    if ((*description)->empty() || (*description)->size() > 100) {
      return field_error(path + ".description", "must be 1 to 100 characters");
    }
    s.description = **description;
  }
  return s;
}

}  // namespace

std::string priority_for_severity(const AlertTicketSettings& settings, std::string_view severity) {
  if (auto it = settings.severity_priority.find(severity); it != settings.severity_priority.end()) return it->second;
  for (const auto& [from, to] : kDefaultSeverityPriority) {
    if (from == severity) return std::string(to);
  }
  return "medium";
}

Result<RecipeSettings> parse_recipe_settings(simdjson::dom::object obj, const std::string& path) {
  if (auto st = only_keys(obj, {"alert_ticket", "usage_billing"}, path); !st) return st.error();
  RecipeSettings settings;
  auto alert = json::optional_object(obj, "alert_ticket", path);
  if (!alert) return alert.error();
  if (*alert) {
    auto parsed = parse_alert_ticket(**alert, path + ".alert_ticket");
    if (!parsed) return parsed.error();
    settings.alert_ticket = std::move(*parsed);
  }
  auto usage = json::optional_object(obj, "usage_billing", path);
  if (!usage) return usage.error();
  if (*usage) {
    auto parsed = parse_usage_billing(**usage, path + ".usage_billing");
    if (!parsed) return parsed.error();
    settings.usage_billing = std::move(*parsed);
  }
  return settings;
}

}  // namespace switchyard
