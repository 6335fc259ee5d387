// Scale: the ordinal rating scales of the measurement framework.
//
// A rating value is written either as a scale value ("N", "P-", "P", "P+",
// "L-", "L", "L+", "F") or as a percentage of achievement ("72%", "72.5%").
// Two ordinal scales are supported (see ScaleKind in assessment.h):
//
//   standard (4-point)  N=0  P=1  L=2  F=3
//   refined  (6-point)  N=0  P-=1 P+=2 L-=3 L+=4 F=5
//
// A percentage maps to a value through the framework's bands: the lower
// bound of each band is exclusive and its upper bound inclusive, except that
// 0 % belongs to the first band (N). With the bundled framework mf-33020:
// N 0..15, P 15..50 (P- ..32.5, P+ ..50), L 50..85 (L- ..67.5, L+ ..85),
// F 85..100.
//
// Values between the scales:
//   * A refined value on the standard scale folds: P-/P+ -> P, L-/L+ -> L.
//   * A plain "P" or "L" on the refined scale is REJECTED (InvalidInput):
//     it says which half it belongs to no more than a coin toss would, and
//     the band midpoint (32.5 %, 67.5 %) is itself a band edge, so mapping
//     it would silently bias every such rating to the lower half. The
//     message asks for P-/P+ (L-/L+) or a percentage. N and F mean the same
//     on both scales and are accepted.
//
// All functions are pure; they are safe to call from any thread.
// Status codes: InvalidInput for a malformed value, a value not on the scale,
// or a percentage outside 0..100; NotFound when the framework has no refined
// scale and one is asked for.
#ifndef ASSAY_SCALE_H_
#define ASSAY_SCALE_H_

#include <string>
#include <string_view>
#include <vector>

#include "assay/assessment.h"
#include "assay/model.h"
#include "assay/status.h"

namespace assay {

// Ordinals of the standard scale, used by the capability level rule.
inline constexpr int kOrdinalN = 0;
inline constexpr int kOrdinalP = 1;
inline constexpr int kOrdinalL = 2;
inline constexpr int kOrdinalF = 3;

// Number of values on a scale: 4 or 6.
int ScaleSize(ScaleKind scale);

// The values of a scale, ascending: {"N","P","L","F"} or
// {"N","P-","P+","L-","L+","F"}.
const std::vector<std::string>& ScaleValues(ScaleKind scale);

// A rating value as written, parsed but not yet placed on a scale.
struct ParsedValue {
  bool is_percentage = false;
  double percent = 0;  // when is_percentage
  std::string value;   // when !is_percentage: "N", "P-", "P", ... (U+2212 minus normalised to '-')
};

// The most decimal places a percentage may have: 66.666667% (two thirds to
// a millionth of a percent) is accepted, 15.0000001% is refused. Finer
// values mean nothing for an assessor's judgement and would only be rounded
// by the arithmetic.
inline constexpr int kMaxPercentDecimals = 6;

// The canonical form of a rating value as a user writes it (assay rate, a
// JSON or CSV import): blanks dropped, letters upper-cased, the typographic
// minus U+2212 read as '-', a decimal comma read as a point, leading zeros
// of a percentage dropped: "l-" -> "L-", "L\u2212" -> "L-", "072.5 %" ->
// "72.5%", "72,5%" -> "72.5%". A percentage is a
// number from 0 to 100 with at most kMaxPercentDecimals decimal places and at
// most 3 digits before the point (leading zeros aside). InvalidInput says
// what is wrong and what is allowed:
//   value 'Q' is not a rating: use N, P-, P, P+, L-, L, L+, F or a
//   percentage from 0% to 100% such as 72% or 72.5%
//   value '15.0000001%' has 7 decimal places; a percentage has at most 6
//   (such as 66.666667%)
//   value '120%' is not between 0% and 100%
Status CanonicalRatingValue(std::string_view text, std::string* canonical);

// Parses `text` (surrounding blanks ignored). InvalidInput names the bad text
// and the valid values:
//   invalid rating value 'Q': expected one of N, P-, P, P+, L-, L, L+, F or a
//   percentage such as 72% or 72.5%
// A percentage outside 0..100 is InvalidInput too.
Status ParseRatingValue(std::string_view text, ParsedValue* out);

// The value of `percent` on `scale`, using the bands of `fw`.
// InvalidInput when percent is not within 0..100 (or not a number);
// NotFound when `scale` is refined and `fw` has none.
Status PercentageToValue(const Framework& fw, ScaleKind scale, double percent, std::string* value);

// The ordinal of a scale value on `scale` (see the table above). Refined
// values fold on the standard scale; plain "P"/"L" are rejected on the refined
// scale. InvalidInput for anything else.
Status ValueToOrdinal(ScaleKind scale, std::string_view value, int* ordinal);

// The scale value of `ordinal`. InvalidInput when out of 0..ScaleSize-1.
Status OrdinalToValue(ScaleKind scale, int ordinal, std::string* value);

// The value of an ordinal known to be in range (for internal tables and
// reports). REQUIRES: 0 <= ordinal < ScaleSize(scale).
const std::string& ValueOf(ScaleKind scale, int ordinal);

// Parses `text` (a value or a percentage) and places it on `scale`:
// ParseRatingValue, then PercentageToValue when needed, then ValueToOrdinal.
Status ResolveRating(const Framework& fw, ScaleKind scale, std::string_view text, int* ordinal);

// The standard-scale value of a value of either scale: "P-"/"P+" -> "P",
// "L-"/"L+" -> "L"; N, P, L, F unchanged; anything else returned as is.
std::string FoldToStandard(std::string_view value);

// The standard-scale ordinal (0..3) of an ordinal of `scale`.
// REQUIRES: 0 <= ordinal < ScaleSize(scale).
int FoldOrdinal(ScaleKind scale, int ordinal);

}  // namespace assay

#endif  // ASSAY_SCALE_H_
