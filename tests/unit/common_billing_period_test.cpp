#include "common/billing_period.h"

#include <gtest/gtest.h>

namespace switchyard::canonical {
namespace {

TEST(BillingPeriod, PsaLabelsMapToCanonicalPeriods) {
  EXPECT_EQ(billing_period_from_text("Weekly"), BillingPeriod::Weekly);
  EXPECT_EQ(billing_period_from_text("Bi-Weekly"), BillingPeriod::Biweekly);
  EXPECT_EQ(billing_period_from_text("Monthly"), BillingPeriod::Monthly);
  EXPECT_EQ(billing_period_from_text("QUARTERLY"), BillingPeriod::Quarterly);
  EXPECT_EQ(billing_period_from_text("Semi-Annual"), BillingPeriod::Semiannual);
  EXPECT_EQ(billing_period_from_text("Semi Annually"), BillingPeriod::Semiannual);
  EXPECT_EQ(billing_period_from_text("Yearly"), BillingPeriod::Yearly);
  EXPECT_EQ(billing_period_from_text("Annually"), BillingPeriod::Yearly);
  EXPECT_EQ(billing_period_from_text("One Time"), BillingPeriod::OneTime);
  EXPECT_EQ(billing_period_from_text("one_time"), BillingPeriod::OneTime);
}

TEST(BillingPeriod, UnknownOrEmptyTextIsOther) {
  EXPECT_EQ(billing_period_from_text("Every blue moon"), BillingPeriod::Other);
  EXPECT_EQ(billing_period_from_text(""), BillingPeriod::Other);
  EXPECT_EQ(billing_period_name(billing_period_from_text("Every blue moon")), "other");
}

TEST(BillingPeriod, CanonicalNames) {
  EXPECT_EQ(billing_period_name(BillingPeriod::Weekly), "weekly");
  EXPECT_EQ(billing_period_name(BillingPeriod::Biweekly), "other");
  EXPECT_EQ(billing_period_name(BillingPeriod::Monthly), "monthly");
  EXPECT_EQ(billing_period_name(BillingPeriod::Quarterly), "quarterly");
  EXPECT_EQ(billing_period_name(BillingPeriod::Semiannual), "semiannual");
  EXPECT_EQ(billing_period_name(BillingPeriod::Yearly), "yearly");
  EXPECT_EQ(billing_period_name(BillingPeriod::OneTime), "one_time");
  EXPECT_EQ(billing_period_name(BillingPeriod::Other), "other");
}

TEST(BillingPeriod, MonthlyAmountProratesEveryPeriod) {
  EXPECT_DOUBLE_EQ(*monthly_amount(120, BillingPeriod::Weekly), 520);
  EXPECT_DOUBLE_EQ(*monthly_amount(120, BillingPeriod::Biweekly), 260);
  EXPECT_DOUBLE_EQ(*monthly_amount(120, BillingPeriod::Monthly), 120);
  EXPECT_DOUBLE_EQ(*monthly_amount(120, BillingPeriod::Quarterly), 40);
  EXPECT_DOUBLE_EQ(*monthly_amount(120, BillingPeriod::Semiannual), 20);
  EXPECT_DOUBLE_EQ(*monthly_amount(120, BillingPeriod::Yearly), 10);
}

TEST(BillingPeriod, OneTimeAndUnknownHaveNoMonthlyAmount) {
  EXPECT_FALSE(monthly_amount(500, BillingPeriod::OneTime).has_value());
  EXPECT_FALSE(monthly_amount(500, BillingPeriod::Other).has_value());
}

}  // namespace
}  // namespace switchyard::canonical
