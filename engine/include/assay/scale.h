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
