#include "common/billing_period.h"

#include <array>
#include <string>
#include <utility>

namespace switchyard::canonical {
namespace {

// "Semi-Annual" → "semiannual": PSAs differ in case and separators, not in words.
std::string squeezed(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '_') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace

std::string_view billing_period_name(BillingPeriod period) {
  switch (period) {
    case BillingPeriod::Weekly: return "weekly";
    case BillingPeriod::Monthly: return "monthly";
    case BillingPeriod::Quarterly: return "quarterly";
    case BillingPeriod::Semiannual: return "semiannual";
    case BillingPeriod::Yearly: return "yearly";
    case BillingPeriod::OneTime: return "one_time";
    case BillingPeriod::Biweekly:
    case BillingPeriod::Other: return "other";
  }
  return "other";
}

BillingPeriod billing_period_from_text(std::string_view psa_text) {
  static const std::array<std::pair<std::string_view, BillingPeriod>, 18> kWords = {{
      {"weekly", BillingPeriod::Weekly},
      {"week", BillingPeriod::Weekly},
      {"biweekly", BillingPeriod::Biweekly},
      {"fortnightly", BillingPeriod::Biweekly},
      {"monthly", BillingPeriod::Monthly},
      {"month", BillingPeriod::Monthly},
      {"quarterly", BillingPeriod::Quarterly},
      {"quarter", BillingPeriod::Quarterly},
      {"semiannual", BillingPeriod::Semiannual},
      {"semiannually", BillingPeriod::Semiannual},
      {"halfyearly", BillingPeriod::Semiannual},
      {"yearly", BillingPeriod::Yearly},
      {"annual", BillingPeriod::Yearly},
      {"annually", BillingPeriod::Yearly},
      {"year", BillingPeriod::Yearly},
      {"onetime", BillingPeriod::OneTime},
      {"once", BillingPeriod::OneTime},
      {"onetimefee", BillingPeriod::OneTime},
  }};
  const std::string key = squeezed(psa_text);
  for (const auto& [word, period] : kWords) {
    if (key == word) return period;
  }
  return BillingPeriod::Other;
}

std::optional<double> monthly_amount(double amount, BillingPeriod period) {
  switch (period) {
    case BillingPeriod::Weekly: return amount * 52.0 / 12.0;
    case BillingPeriod::Biweekly: return amount * 26.0 / 12.0;
    case BillingPeriod::Monthly: return amount;
    case BillingPeriod::Quarterly: return amount / 3.0;
    case BillingPeriod::Semiannual: return amount / 6.0;
    case BillingPeriod::Yearly: return amount / 12.0;
    case BillingPeriod::OneTime:
    case BillingPeriod::Other: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace switchyard::canonical
