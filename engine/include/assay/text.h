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

// Why `text` is not an ISO 8601 date or date-time as assay records them, or
// "" when it is one. Accepted: YYYY-MM-DD, optionally followed by 'T' (or a
// blank) and hh:mm, then optionally :ss, then optionally a fraction of a
// second of 1 to 9 digits, then optionally a zone: Z, +hh:mm, -hh:mm (or
// +hhmm, +hh), at most 14:00 from UTC. The date must exist, in years 0001 to
// 9999 as the audit calendar (calendar.h) has them. Examples of answers:
//   "second 99 is not 0 to 59", "year 0 is not 1 to 9999",
//   "UTC offset +99:99 is not within -14:00 and +14:00",
//   "a fraction of a second has at most 9 digits, not 15"
std::string WhyNotDateTime(std::string_view text);

}  // namespace assay

#endif  // ASSAY_TEXT_H_
