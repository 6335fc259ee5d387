#include "assay/text.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "assay/audit.h"

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

// IDs come from a safe set: letters of any script and inner U+0020 spaces,
// nothing that hides, reorders or imitates other characters (issue 14).
TEST(SafeId, AcceptsLettersOfAnyScriptAndInnerSpaces) {
  for (const char* id : {"RES.1/EU", "Zürich-東京", "EU North", "A1", "=cmd|' /C calc'!A0", "👍"})
    EXPECT_EQ("", WhyNotSafeId(id)) << id;
}

TEST(SafeId, RefusesHiddenCharactersNamingThem) {
  struct Case {
    std::string id, why;
  };
  const Case cases[] = {
      {"", "is empty"},
      {std::string(201, 'a'), "is longer than 200 bytes"},
      {"RES.1/\xe2\x80\xae" "EU", "contains the invisible character U+202E (right-to-left override)"},
      {"RES.1/\xe2\x80\x8b" "EU", "contains the invisible character U+200B (zero width space)"},
      {"RES.1/\xc2\xa0" "EU", "contains the space U+00A0 (no-break space); only U+0020 is allowed"},
      {"RES.1/\xe3\x80\x80" "EU", "contains the space U+3000 (ideographic space); only U+0020 is allowed"},
      {"RES.1/\xc2\x9b" "EU", "contains the control character U+009B"},
      {"a\x1b[2Jb", "contains the control character U+001B (escape)"},
      {"a\tb", "contains the control character U+0009 (tab)"},
      {"a\nb", "contains the control character U+000A (line feed)"},
      {"a\x7f", "contains the control character U+007F"},
      {"\xef\xbb\xbf" "A1", "contains the invisible character U+FEFF (zero width no-break space)"},
      {"ab\xff", "is not valid UTF-8 (byte 3)"},
      {" A1", "has leading or trailing blanks"},
      {"A1 ", "has leading or trailing blanks"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.why, WhyNotSafeId(c.id)) << c.id;
}

TEST(SafeId, HiddenCharacters) {
  for (unsigned v : {0x00u, 0x1bu, 0x7fu, 0x85u, 0x9fu, 0x061cu, 0x200bu, 0x200du, 0x200eu, 0x202au, 0x202eu, 0x2066u,
                     0x2069u, 0x2060u, 0xfeffu})
    EXPECT_TRUE(IsHiddenCharacter(static_cast<char32_t>(v))) << v;
  for (unsigned v : {0x20u, 0x41u, 0xa0u, 0xe9u, 0x2013u, 0x2212u, 0x1f44du})
    EXPECT_FALSE(IsHiddenCharacter(static_cast<char32_t>(v))) << v;
}

TEST(Utf8, DecodesOneSequenceAtATime) {
  const std::string s = "a\xc3\xa9\xe2\x80\xae\xf0\x9f\x91\x8d\xff";
  char32_t cp = 0;
  size_t len = 0;
  ASSERT_TRUE(DecodeUtf8(s, 0, &cp, &len));
  EXPECT_EQ(U'a', cp);
  EXPECT_EQ(1u, len);
  ASSERT_TRUE(DecodeUtf8(s, 1, &cp, &len));
  EXPECT_EQ(0xe9u, static_cast<unsigned>(cp));
  EXPECT_EQ(2u, len);
  ASSERT_TRUE(DecodeUtf8(s, 3, &cp, &len));
  EXPECT_EQ(0x202eu, static_cast<unsigned>(cp));
  ASSERT_TRUE(DecodeUtf8(s, 6, &cp, &len));
  EXPECT_EQ(0x1f44du, static_cast<unsigned>(cp));
  EXPECT_EQ(4u, len);
  EXPECT_FALSE(DecodeUtf8(s, 10, &cp, &len));
  EXPECT_EQ(1u, len);
  EXPECT_FALSE(DecodeUtf8("\xc0\xaf", 0, &cp, &len));      // overlong '/'
  EXPECT_FALSE(DecodeUtf8("\xed\xa0\x80", 0, &cp, &len));  // a surrogate
  EXPECT_FALSE(DecodeUtf8("\xe2\x80", 0, &cp, &len));      // truncated
}

}  // namespace
}  // namespace assay
