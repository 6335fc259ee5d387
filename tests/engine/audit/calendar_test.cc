#include "assay/audit.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "test_util.h"

namespace assay {
namespace {

Date D(const char* text) {
  Date d;
  Status st = Date::Parse(text, &d);
  if (!st.ok()) ADD_FAILURE() << st.ToString();
  return d;
}

TEST(CalendarParse, ValidDates) {
  const struct {
    const char* text;
    int year, month, day;
  } cases[] = {
      {"2026-01-01", 2026, 1, 1},   {"2024-02-29", 2024, 2, 29},   {"2000-02-29", 2000, 2, 29},
      {"2025-12-31", 2025, 12, 31}, {" 2026-04-30 ", 2026, 4, 30}, {"0001-01-01", 1, 1, 1},
      {"9999-12-31", 9999, 12, 31},
  };
  for (const auto& c : cases) {
    Date d;
    ASSERT_OK(Date::Parse(c.text, &d));
    EXPECT_EQ(c.year, d.year()) << c.text;
    EXPECT_EQ(c.month, d.month()) << c.text;
    EXPECT_EQ(c.day, d.day()) << c.text;
  }
}

TEST(CalendarParse, InvalidDatesNameTheText) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"2026-02-30", "invalid date '2026-02-30': February 2026 has 28 days"},
      {"2025-02-29", "invalid date '2025-02-29': February 2025 has 28 days"},
      {"2100-02-29", "invalid date '2100-02-29': February 2100 has 28 days"},
      {"2024-02-30", "invalid date '2024-02-30': February 2024 has 29 days"},
      {"2026-04-31", "invalid date '2026-04-31': April 2026 has 30 days"},
      {"2026-13-01", "invalid date '2026-13-01': month 13 is not 1 to 12"},
      {"2026-00-10", "invalid date '2026-00-10': month 0 is not 1 to 12"},
      {"2026-01-00", "invalid date '2026-01-00': day 0 is not 1 to 31"},
      {"0000-01-01", "invalid date '0000-01-01': year 0 is not 1 to 9999"},
      {"2026-2-3", "invalid date '2026-2-3': expected YYYY-MM-DD"},
      {"2026/02/03", "invalid date '2026/02/03': expected YYYY-MM-DD"},
      {"20260203", "invalid date '20260203': expected YYYY-MM-DD"},
      {"2026-02-03T10:00", "invalid date '2026-02-03T10:00': expected YYYY-MM-DD"},
      {"", "invalid date '': expected YYYY-MM-DD"},
      {"+202-01-01", "invalid date '+202-01-01': expected YYYY-MM-DD"},
  };
  for (const auto& c : cases) {
    Date d = D("1999-09-09");
    Status st = Date::Parse(c.text, &d);
    EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << c.text;
    EXPECT_EQ(c.message, st.message());
    EXPECT_EQ(D("1999-09-09"), d) << "unchanged on error";
  }
}

TEST(CalendarParse, FromYmd) {
  Date d;
  ASSERT_OK(Date::FromYmd(2024, 2, 29, &d));
  EXPECT_EQ("2024-02-29", d.ToString());
  Status st = Date::FromYmd(2026, 2, 30, &d);
  EXPECT_EQ("invalid date 2026-02-30: February 2026 has 28 days", st.message());
  EXPECT_FALSE(Date::IsValid(2026, 2, 29));
  EXPECT_TRUE(Date::IsValid(2028, 2, 29));
}

TEST(CalendarFormat, ToStringPadsAndRoundTrips) {
  EXPECT_EQ("0001-01-01", D("0001-01-01").ToString());
  EXPECT_EQ("2026-03-07", D("2026-03-07").ToString());
  EXPECT_EQ("1970-01-01", Date().ToString());
  std::ostringstream os;
  os << D("2026-11-24");
  EXPECT_EQ("2026-11-24", os.str());
}

TEST(CalendarLeapYears, GregorianRule) {
  const struct {
    int year;
    bool leap;
  } cases[] = {{2024, true},  {2025, false}, {2026, false}, {2028, true}, {2000, true},
               {1900, false}, {2100, false}, {2400, true},  {1996, true}, {1, false}};
  for (const auto& c : cases) EXPECT_EQ(c.leap, IsLeapYear(c.year)) << c.year;
}

TEST(CalendarMonths, DaysInMonth) {
  const int common[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int m = 1; m <= 12; ++m) {
    EXPECT_EQ(common[m - 1], DaysInMonth(2025, m)) << m;
    EXPECT_EQ(m == 2 ? 29 : common[m - 1], DaysInMonth(2024, m)) << m;
  }
  EXPECT_EQ("February", MonthName(2));
  EXPECT_EQ("December", MonthName(12));
}

TEST(CalendarArithmetic, AddMonthsClampsToMonthEnd) {
  const struct {
    const char* from;
    int months;
    const char* to;
  } cases[] = {
      {"2024-01-31", 1, "2024-02-29"},   {"2025-01-31", 1, "2025-02-28"},  {"2024-02-29", 12, "2025-02-28"},
      {"2024-02-29", 48, "2028-02-29"},  {"2025-03-31", 1, "2025-04-30"},  {"2025-08-31", 6, "2026-02-28"},
      {"2025-12-20", 12, "2026-12-20"},  {"2025-12-20", 36, "2028-12-20"}, {"2025-11-30", 3, "2026-02-28"},
      {"2025-01-15", 0, "2025-01-15"},   {"2025-03-31", -1, "2025-02-28"}, {"2024-03-31", -1, "2024-02-29"},
      {"2026-01-15", -13, "2024-12-15"}, {"2025-12-31", 2, "2026-02-28"},  {"2025-10-31", 4, "2026-02-28"},
      {"2028-12-20", -3, "2028-09-20"},  {"2026-05-31", -3, "2026-02-28"}, {"2023-12-31", 2, "2024-02-29"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.to, D(c.from).AddMonths(c.months).ToString()) << c.from << " + " << c.months << " months";
  }
}

TEST(CalendarArithmetic, AddYears) {
  EXPECT_EQ("2025-02-28", D("2024-02-29").AddYears(1).ToString());
  EXPECT_EQ("2028-02-29", D("2024-02-29").AddYears(4).ToString());
  EXPECT_EQ("2027-02-28", D("2024-02-29").AddYears(3).ToString());
  EXPECT_EQ("2023-02-28", D("2024-02-29").AddYears(-1).ToString());
  EXPECT_EQ("2028-12-20", D("2025-12-20").AddYears(3).ToString());
}

TEST(CalendarArithmetic, AddDaysAcrossMonthsYearsAndLeapDays) {
  const struct {
    const char* from;
    int days;
    const char* to;
  } cases[] = {
      {"2024-02-28", 1, "2024-02-29"},  {"2024-02-28", 2, "2024-03-01"},   {"2025-02-28", 1, "2025-03-01"},
      {"2025-12-31", 1, "2026-01-01"},  {"2026-01-01", -1, "2025-12-31"},  {"2025-08-31", 90, "2025-11-29"},
      {"2026-01-15", 30, "2026-02-14"}, {"2024-01-01", 366, "2025-01-01"}, {"2025-01-01", 365, "2026-01-01"},
      {"1970-01-01", -1, "1969-12-31"}, {"2000-02-28", 1, "2000-02-29"},   {"2100-02-28", 1, "2100-03-01"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.to, D(c.from).AddDays(c.days).ToString()) << c.from << " + " << c.days << " days";
    EXPECT_EQ(c.days, DaysBetween(D(c.from), D(c.to))) << c.from << " .. " << c.to;
  }
}

TEST(CalendarArithmetic, DaysRoundTripOverFourCenturies) {
  Date d = D("1900-01-01");
  const int64_t start = d.days();
  for (int64_t i = 0; i < 146097 + 400; ++i) {
    Date next = Date::FromDays(start + i);
    ASSERT_EQ(start + i, next.days()) << next;
    ASSERT_TRUE(Date::IsValid(next.year(), next.month(), next.day())) << next;
    if (i > 0) {
      ASSERT_LT(d, next);
      ASSERT_EQ(d.AddDays(1), next);
    }
    d = next;
  }
  EXPECT_EQ(0, D("1970-01-01").days());
  EXPECT_EQ(20416, D("2025-11-24").days());
}

TEST(CalendarCompare, ChronologicalOrder) {
  EXPECT_LT(D("2025-12-31"), D("2026-01-01"));
  EXPECT_LT(D("2026-01-31"), D("2026-02-01"));
  EXPECT_LT(D("2026-02-01"), D("2026-02-02"));
  EXPECT_EQ(D("2026-02-01"), D(" 2026-02-01"));
  EXPECT_GT(D("2027-01-01"), D("2026-12-31"));
  EXPECT_LE(D("2026-01-01"), D("2026-01-01"));
  EXPECT_EQ(-365, DaysBetween(D("2026-01-01"), D("2025-01-01")));
}

}  // namespace
}  // namespace assay
