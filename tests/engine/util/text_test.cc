#include "assay/text.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "assay/calendar.h"

namespace assay {
namespace {

TEST(DateTime, AcceptsTheIsoFormsAssayRecords) {
  for (const char* ok : {"2026-11-24", "2026-11-24T10:30", "2026-11-24 10:30", "2026-11-24T10:30:00",
                         "2026-11-24T10:30:00Z", "2026-11-24T23:59:59.5Z", "2026-11-24T10:30:00.123456789Z",
                         "2026-11-24T10:30:00+02:00", "2026-11-24T10:30-05:30", "2026-11-24T10:30:00+0200",
                         "2026-11-24T10:30:00+14:00", "2026-11-24T10:30:00-14:00", "2026-11-24T10:30:00+02",
                         "2024-02-29T00:00:00Z", "0001-01-01", "9999-12-31T23:59:59Z"})
    EXPECT_EQ("", WhyNotDateTime(ok)) << ok;
}

// Issue 20: these were accepted in timestamps (rate --at, rated_at, held_at,
// evidence dates) although the audit calendar refuses year 0.
TEST(Issue20, DateTimeRefusedWithTheReason) {
  const struct {
    const char* text;
    const char* why;
  } cases[] = {
      {"2026-11-24T10:30:99Z", "second 99 is not 0 to 59"},
      {"2026-11-24T10:30:00+99:99", "UTC offset +99:99 is not within -14:00 and +14:00"},
      {"2026-11-24T10:30+99:99", "UTC offset +99:99 is not within -14:00 and +14:00"},
      {"2026-11-24T10:30:00+14:01", "UTC offset +14:01 is not within -14:00 and +14:00"},
      {"2026-11-24T10:30:00+02:60", "UTC offset +02:60 is not within -14:00 and +14:00"},
      {"2026-11-24T10:30ZZ-+:", "unexpected 'ZZ-+:' after the time"},
      {"2026-11-24T10:30:00Z+01:00", "unexpected 'Z+01:00' after the time"},
      {"2026-11-24T10:30:00+2", "time zone '+2' is not Z, +hh:mm or -hh:mm"},
      {"0000-01-01", "year 0 is not 1 to 9999"},
      {"0000-01-01T10:30:00Z", "year 0 is not 1 to 9999"},
      {"2026-11-24T10:30:00.123456789012345Z", "a fraction of a second has at most 9 digits, not 15"},
      {"2026-11-24T10:30:00.Z", "expected digits of a fraction of a second after '.'"},
      {"2026-11-24T10:30:5Z", "expected two digits of seconds after hh:mm:"},
      {"2026-02-30", "February 2026 has 28 days"},
      {"2026-13-01", "month 13 is not 1 to 12"},
      {"2026-11-24T24:00", "hour 24 is not 0 to 23"},
      {"2026-11-24T10:60", "minute 60 is not 0 to 59"},
      {"2026-11-24X10:30", "expected 'T' and a time after the date"},
      {"2026-11-24T10", "expected a time hh:mm after the date"},
      {"yesterday", "expected a date YYYY-MM-DD"},
      {"26-11-24", "expected a date YYYY-MM-DD"},
  };
  for (const auto& c : cases) EXPECT_EQ(c.why, WhyNotDateTime(c.text)) << c.text;
}

// The date part agrees with the audit calendar on every day of a leap and a
// common year, and on the years it refuses.
TEST(Issue20, DateTimeAgreesWithTheAuditCalendar) {
  for (int year : {0, 1, 1900, 2000, 2024, 2026, 9999}) {
    for (int month = 0; month <= 13; ++month) {
      for (int day = 0; day <= 32; ++day) {
        char text[32];
        std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
        Date d;
        EXPECT_EQ(Date::Parse(text, &d).ok(), WhyNotDateTime(text).empty()) << text;
      }
    }
  }
}

}  // namespace
}  // namespace assay
