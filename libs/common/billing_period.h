// Agreement billing periods: the one place a PSA's billing-cycle text becomes a canonical
// period, and a recurring amount becomes its monthly equivalent. Every connector uses these,
// so "monthly_amount" means the same thing whichever PSA an agreement came from.
#pragma once

#include <optional>
#include <string_view>

namespace switchyard::canonical {

enum class BillingPeriod { Weekly, Biweekly, Monthly, Quarterly, Semiannual, Yearly, OneTime, Other };

// The canonical value: "weekly", "monthly", "quarterly", "semiannual", "yearly", "one_time",
// "other". Biweekly has no canonical value of its own (v1.1 keeps the list short): it is
// "other", but its monthly amount is still computed exactly.
std::string_view billing_period_name(BillingPeriod period);

// A PSA's billing-cycle label ("Monthly", "Bi-Weekly", "Annually", "One Time", ...), matched
// case-insensitively, ignoring spaces, '-' and '_'. Unknown text → Other.
BillingPeriod billing_period_from_text(std::string_view psa_text);

// The amount billed per `period`, as a monthly amount: weekly × 52 / 12, biweekly × 26 / 12,
// quarterly / 3, semiannual / 6, yearly / 12. One-time and unknown periods have none.
std::optional<double> monthly_amount(double amount, BillingPeriod period);

}  // namespace switchyard::canonical
