#include "assay/audit.h"

#include <array>
#include <ostream>
#include <string>

namespace assay {

namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {"January",   "February", "March",    "April",
                                                          "May",       "June",     "July",     "August",
                                                          "September", "October",  "November", "December"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads s[pos, pos+n) as a decimal number; false unless all are digits.
bool ReadDigits(std::string_view s, size_t pos, size_t n, int* value) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  *value = v;
  return true;
}

// Floor division for a positive divisor.
int64_t FloorDiv(int64_t a, int64_t b) { return (a >= 0 ? a : a - (b - 1)) / b; }

// Days since 1970-01-01 of a civil date (H. Hinnant, "chrono-compatible
// low-level date algorithms", days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;                                   // [0, 399]
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return era * 146097 + doe - 719468;
}

// The inverse of DaysFromCivil (civil_from_days).
void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;                                       // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

std::string Pad(int value, size_t width) {
  std::string s = std::to_string(value < 0 ? -value : value);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  if (value < 0) s.insert(0, 1, '-');
  return s;
}

// Why year-month-day is not a date, or "" when it is one.
std::string WhyInvalid(int year, int month, int day) {
  if (year < 1 || year > 9999) return "year " + std::to_string(year) + " is not 1 to 9999";
  if (month < 1 || month > 12) return "month " + std::to_string(month) + " is not 1 to 12";
  const int last = DaysInMonth(year, month);
  if (day < 1 || day > last) {
    if (day < 1) return "day " + std::to_string(day) + " is not 1 to " + std::to_string(last);
    return std::string(MonthName(month)) + " " + std::to_string(year) + " has " + std::to_string(last) + " days";
  }
  return "";
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[static_cast<size_t>(month - 1)];
}

std::string_view MonthName(int month) { return kMonthNames[static_cast<size_t>(month - 1)]; }

bool Date::IsValid(int year, int month, int day) { return WhyInvalid(year, month, day).empty(); }

Status Date::FromYmd(int year, int month, int day, Date* out) {
  std::string why = WhyInvalid(year, month, day);
  if (!why.empty()) {
    return Status::InvalidInput("invalid date " + Pad(year, 4) + "-" + Pad(month, 2) + "-" + Pad(day, 2) + ": " + why);
  }
  *out = Date(year, month, day);
  return Status::OK();
}

Status Date::Parse(std::string_view text, Date* out) {
  const std::string_view t = Trim(text);
  const std::string quoted = "invalid date '" + std::string(text) + "': ";
  int y = 0, m = 0, d = 0;
  if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !ReadDigits(t, 0, 4, &y) || !ReadDigits(t, 5, 2, &m) ||
      !ReadDigits(t, 8, 2, &d)) {
    return Status::InvalidInput(quoted + "expected YYYY-MM-DD");
  }
  std::string why = WhyInvalid(y, m, d);
  if (!why.empty()) return Status::InvalidInput(quoted + why);
  *out = Date(y, m, d);
  return Status::OK();
}

Date Date::FromDays(int64_t days) {
  int64_t y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  return Date(static_cast<int>(y), static_cast<int>(m), static_cast<int>(d));
}

int64_t Date::days() const { return DaysFromCivil(year_, month_, day_); }

std::string Date::ToString() const { return Pad(year_, 4) + "-" + Pad(month_, 2) + "-" + Pad(day_, 2); }

Date Date::AddDays(int64_t n) const { return n == 0 ? *this : FromDays(days() + n); }

Date Date::AddMonths(int n) const {
  const int64_t index = static_cast<int64_t>(year_) * 12 + (month_ - 1) + n;
  const int y = static_cast<int>(FloorDiv(index, 12));
  const int m = static_cast<int>(index - static_cast<int64_t>(y) * 12) + 1;
  const int last = DaysInMonth(y, m);
  return Date(y, m, day_ < last ? day_ : last);
}

Date Date::AddYears(int n) const { return AddMonths(12 * n); }

int64_t DaysBetween(Date from, Date to) { return to.days() - from.days(); }

std::ostream& operator<<(std::ostream& os, const Date& date) { return os << date.ToString(); }

}  // namespace assay
