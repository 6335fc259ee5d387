// Small text helpers shared by the engine and its front ends.
#ifndef ASSAY_TEXT_H_
#define ASSAY_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace assay {

// Up to `max` candidates nearest to `word` by edit distance (case-insensitive),
// best first; candidates sharing `word` as a prefix rank first. Returns none
// when nothing is reasonably close.
std::vector<std::string> NearestIds(std::string_view word, const std::vector<std::string>& candidates,
                                    size_t max = 3);

// "; nearest: A, B, C" or "" when there is no suggestion.
std::string SuggestionSuffix(std::string_view word, const std::vector<std::string>& candidates);

// SHA-256 of `data` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

// JSON pointer escaping of one reference token (RFC 6901: ~ -> ~0, / -> ~1).
std::string JsonPointerToken(std::string_view token);

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF). When not, *bad (if given) is the byte offset of the
// first invalid sequence.
bool IsValidUtf8(std::string_view s, size_t* bad = nullptr);

// Converts Windows-1252 text (Excel's "CSV" in Western European locales) to
// UTF-8 with the C library's iconv. False, with *out unspecified, when `in`
// holds a byte Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
// or the conversion is not available.
bool Windows1252ToUtf8(std::string_view in, std::string* out);

// Decodes the UTF-8 sequence starting at s[i]: on success *cp is the code
// point and *len its length in bytes (1 to 4); false (with *len = 1) when the
// byte at i does not start a well-formed sequence (overlong forms, surrogates
// and code points above U+10FFFF are not well-formed).
bool DecodeUtf8(std::string_view s, size_t i, char32_t* cp, size_t* len);

// Whether `cp` would change what a terminal or a reader sees without being
// seen itself: C0 and C1 controls (ESC among them), DEL, bidirectional
// formatting (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and
// zero-width characters (U+200B-U+200D, U+2060, U+FEFF).
bool IsHiddenCharacter(char32_t cp);

// Why `id` is not a safe ID, or "" when it is one. The safe set (docs/
// WORKSPACE.md): 1 to 200 bytes of well-formed UTF-8, with no hidden
// characters (IsHiddenCharacter), no space other than U+0020 (no tab, no
// no-break or other Unicode spaces) and no leading or trailing blank.
// Examples of answers: "contains the control character U+001B",
// "contains the invisible character U+202E (right-to-left override)",
// "contains the space U+00A0 (no-break space); only U+0020 is allowed".
std::string WhyNotSafeId(std::string_view id);

// `s` safe to display on one line of a terminal or a message: C0 controls
// (ESC, CR, BEL, ... and, unless `keep_newlines`, LF and tab), DEL and bytes
// that are not UTF-8 as \xNN; C1 controls as \u00NN; bidirectional
// formatting and zero-width characters as \uNNNN (U+202E -> \u202E).
// Other UTF-8 text (accents, CJK, emoji) is kept as it is.
std::string DisplaySafe(std::string_view s, bool keep_newlines = false);

// `s` quoted for a message: 'RES.1'.
std::string Quote(std::string_view s);

// Why `text` is not an ISO 8601 date or date-time as assay records them, or
// "" when it is one. Accepted: YYYY-MM-DD, optionally followed by 'T' (or a
// blank) and hh:mm, then optionally :ss, then optionally a fraction of a
// second of 1 to 9 digits, then optionally a zone: Z, +hh:mm, -hh:mm (or
// +hhmm, +hh), at most 14:00 from UTC. The date must exist, in years 0001 to
// 9999 as the audit calendar (Date, audit.h) has them. Examples of answers:
//   "second 99 is not 0 to 59", "year 0 is not 1 to 9999",
//   "UTC offset +99:99 is not within -14:00 and +14:00",
//   "a fraction of a second has at most 9 digits, not 15"
std::string WhyNotDateTime(std::string_view text);

}  // namespace assay

#endif  // ASSAY_TEXT_H_
