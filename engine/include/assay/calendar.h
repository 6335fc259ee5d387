// Calendar: civil dates for the certification-audit rules.
//
// A Date is a day of the proleptic Gregorian calendar (year, month, day),
// without a time or a time zone; it is written "YYYY-MM-DD". The audit rules
// of ISO/IEC 17021-1 count in days and months from dates (a surveillance no
// later than 12 months after a decision, a restoration within 6 months after
// expiry), so the engine never reads a clock: "today" is always a parameter.
//
// Month arithmetic clamps to the end of the month when the day does not
// exist in the target month:
//   2024-01-31 + 1 month   = 2024-02-29   (leap year)
//   2025-01-31 + 1 month   = 2025-02-28
//   2024-02-29 + 12 months = 2025-02-28
// so "N months after D" is the last day that is still within N months.
//
// A Date is a small value; all functions are pure and safe to call from any
// thread. Status codes: InvalidInput for a malformed or impossible date.
// Supported years are 1 to 9999; arithmetic whose result leaves that range
// is undefined (REQUIRES, not checked).
#ifndef ASSAY_CALENDAR_H_
#define ASSAY_CALENDAR_H_

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "assay/status.h"

namespace assay {

// True for Gregorian leap years: divisible by 4, except centuries not
// divisible by 400 (2024 and 2000 are, 2025 and 2100 are not).
bool IsLeapYear(int year);

// Number of days in `month` (1..12) of `year`: 28 to 31.
// REQUIRES: 1 <= month <= 12.
int DaysInMonth(int year, int month);

class Date {
 public:
  // 1970-01-01.
  Date() = default;

  // True when year is 1..9999, month 1..12 and day 1..DaysInMonth.
  static bool IsValid(int year, int month, int day);

  // The date year-month-day. InvalidInput naming the date when it does not
  // exist, e.g. "invalid date 2026-02-30: February 2026 has 28 days".
  static Status FromYmd(int year, int month, int day, Date* out);

  // Parses exactly "YYYY-MM-DD" (four, two and two digits; surrounding
  // blanks ignored). InvalidInput names the text, e.g.
  //   invalid date '2026-2-3': expected YYYY-MM-DD
  //   invalid date '2026-13-01': month 13 is not 1 to 12
  //   invalid date '2026-02-30': February 2026 has 28 days
  // *out is unchanged on error.
  static Status Parse(std::string_view text, Date* out);

  // The date `days` days after 1970-01-01 (negative: before).
  static Date FromDays(int64_t days);

  int year() const { return year_; }
  int month() const { return month_; }  // 1..12
  int day() const { return day_; }      // 1..31

  // Days since 1970-01-01 (negative before it).
  int64_t days() const;

  // "YYYY-MM-DD".
  std::string ToString() const;

  // The date `n` days later (n < 0: earlier).
  Date AddDays(int64_t n) const;

  // The date `n` calendar months later (n < 0: earlier); the day is clamped
  // to the last day of the target month (see the top of this file).
  Date AddMonths(int n) const;

  // AddMonths(12 * n): 2024-02-29 + 1 year = 2025-02-28.
  Date AddYears(int n) const;

  // Chronological order. (Spelled out: clang-tidy's modernize-use-nullptr
  // misreads a defaulted operator<=>.)
  friend bool operator==(const Date&, const Date&) = default;
  friend std::strong_ordering operator<=>(const Date& a, const Date& b) {
    if (a.year_ != b.year_) return a.year_ <=> b.year_;
    if (a.month_ != b.month_) return a.month_ <=> b.month_;
    return a.day_ <=> b.day_;
  }

 private:
  Date(int year, int month, int day) : year_(year), month_(month), day_(day) {}

  int year_ = 1970;
  int month_ = 1;
  int day_ = 1;
};

// Days from `from` to `to`: positive when `to` is later, 0 for the same day.
// DaysBetween(2024-02-28, 2024-03-01) == 2.
int64_t DaysBetween(Date from, Date to);

// English month name, "January".."December". REQUIRES: 1 <= month <= 12.
std::string_view MonthName(int month);

// Writes ToString(); for test failure messages and logs.
std::ostream& operator<<(std::ostream& os, const Date& date);

}  // namespace assay

#endif  // ASSAY_CALENDAR_H_
