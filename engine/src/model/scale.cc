#include "assay/scale.h"

#include <algorithm>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cmath>
#include <string>
#include <system_error>

namespace assay {

namespace {

const std::vector<std::string> kStandardValues = {"N", "P", "L", "F"};
const std::vector<std::string> kRefinedValues = {"N", "P-", "P+", "L-", "L+", "F"};

constexpr const char* kValidText = "expected one of N, P-, P, P+, L-, L, L+, F or a percentage such as 72% or 72.5%";

// The typographic minus (U+2212, as printed in the standards), in UTF-8.
constexpr std::string_view kTypographicMinus = "\xE2\x88\x92";

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string FormatPercent(double p) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, p, std::chars_format::fixed);
  if (ec != std::errc()) return "?";
  return std::string(buf, end) + "%";
}

}  // namespace

int ScaleSize(ScaleKind scale) { return scale == ScaleKind::kRefined ? 6 : 4; }

const std::vector<std::string>& ScaleValues(ScaleKind scale) {
  return scale == ScaleKind::kRefined ? kRefinedValues : kStandardValues;
}

Status ParseRatingValue(std::string_view text, ParsedValue* out) {
  *out = ParsedValue{};
  std::string_view t = Trim(text);
  auto invalid = [&]() { return Status::InvalidInput("invalid rating value '" + std::string(text) + "': " + kValidText); };
  if (t.empty()) return invalid();
  if (t.back() == '%') {
    std::string_view num = t.substr(0, t.size() - 1);
    // Plain decimal only: digits with an optional fraction and an optional
    // leading minus (so "-1%" is reported as out of range, not as malformed).
    size_t i = 0;
    if (i < num.size() && num[i] == '-') ++i;
    size_t digits = 0, dots = 0;
    for (size_t j = i; j < num.size(); ++j) {
      if (num[j] >= '0' && num[j] <= '9') {
        ++digits;
      } else if (num[j] == '.') {
        ++dots;
      } else {
        return invalid();
      }
    }
    if (digits == 0 || dots > 1 || num.back() == '.' || num[i] == '.') return invalid();
    double p = 0;
    auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), p);
    if (ec != std::errc() || ptr != num.data() + num.size()) return invalid();
    if (!(p >= 0.0 && p <= 100.0))
      return Status::InvalidInput("invalid rating value '" + std::string(text) +
                                  "': a percentage must be within 0% and 100%");
    out->is_percentage = true;
    out->percent = p;
    return Status::OK();
  }
  std::string v(t);
  if (v.size() == 1 + kTypographicMinus.size() && v.compare(1, std::string::npos, kTypographicMinus) == 0)
    v = v.substr(0, 1) + "-";
  for (const char* s : {"N", "P-", "P", "P+", "L-", "L", "L+", "F"}) {
    if (v == s) {
      out->value = v;
      return Status::OK();
    }
  }
  return invalid();
}

Status CanonicalRatingValue(std::string_view text, std::string* canonical) {
  const std::string quoted = "value '" + std::string(text) + "'";
  std::string v;
  v.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, kTypographicMinus.size(), kTypographicMinus) == 0) {
      v += '-';
      i += kTypographicMinus.size() - 1;
    } else if (text[i] != ' ') {
      v += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
    }
  }
  for (const char* s : {"N", "P-", "P", "P+", "L-", "L", "L+", "F"}) {
    if (v == s) {
      *canonical = v;
      return Status::OK();
    }
  }
  if (v.size() >= 2 && v.back() == '%') {
    // A decimal comma ("72,5%", as a spreadsheet in many locales writes it)
    // is a decimal point.
    if (std::count(v.begin(), v.end(), ',') == 1 && v.find('.') == std::string::npos) v[v.find(',')] = '.';
    std::string_view num(v.data(), v.size() - 1);
    const bool negative = num.front() == '-';  // "-20%" is out of range, not malformed
    if (negative) num.remove_prefix(1);
    const size_t dot = num.find('.');
    std::string_view whole = num.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view() : num.substr(dot + 1);
    if (AllDigits(whole) && (dot == std::string_view::npos || AllDigits(frac))) {
      const std::string range = quoted + " is not between 0% and 100%";
      if (negative) return Status::InvalidInput(range);
      if (frac.size() > static_cast<size_t>(kMaxPercentDecimals))
        return Status::InvalidInput(quoted + " has " + std::to_string(frac.size()) +
                                    " decimal places; a percentage has at most " +
                                    std::to_string(kMaxPercentDecimals) + " (such as 66.666667%)");
      while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);  // "072%" -> "72%"
      std::string out(whole);
      if (dot != std::string_view::npos) out += "." + std::string(frac);
      if (whole.size() > 3 || std::strtod(out.c_str(), nullptr) > 100.0) return Status::InvalidInput(range);
      *canonical = out + "%";
      return Status::OK();
    }
  }
  return Status::InvalidInput(quoted +
                              " is not a rating: use N, P-, P, P+, L-, L, L+, F or a percentage from 0% to 100% "
                              "such as 72% or 72.5%");
}

Status PercentageToValue(const Framework& fw, ScaleKind scale, double percent, std::string* value) {
  if (!(percent >= 0.0 && percent <= 100.0))
    return Status::InvalidInput("percentage " + FormatPercent(percent) + " is outside 0% to 100%");
  const Scale* s = &fw.standard;
  if (scale == ScaleKind::kRefined) {
    if (!fw.refined) return Status::NotFound("framework " + fw.info.id + " has no refined scale");
    s = &*fw.refined;
  }
  for (size_t i = 0; i < s->bands.size(); ++i) {
    const ScaleBand& b = s->bands[i];
    bool above_lower = i == 0 ? percent >= b.lower : percent > b.lower;
    if (above_lower && percent <= b.upper) {
      *value = b.value;
      return Status::OK();
    }
  }
  return Status::InvalidInput("percentage " + FormatPercent(percent) + " falls in no band of the " +
                              ScaleKindName(scale) + " scale of framework " + fw.info.id);
}

Status ValueToOrdinal(ScaleKind scale, std::string_view value, int* ordinal) {
  if (scale == ScaleKind::kStandard) {
    std::string folded = FoldToStandard(value);
    for (size_t i = 0; i < kStandardValues.size(); ++i) {
      if (kStandardValues[i] == folded) {
        *ordinal = static_cast<int>(i);
        return Status::OK();
      }
    }
  } else {
    if (value == "P" || value == "L") {
      std::string v(value);
      return Status::InvalidInput("rating value '" + v + "' is ambiguous on the refined scale: use " + v + "- or " + v +
                                  "+ (or a percentage)");
    }
    for (size_t i = 0; i < kRefinedValues.size(); ++i) {
      if (kRefinedValues[i] == value) {
        *ordinal = static_cast<int>(i);
        return Status::OK();
      }
    }
  }
  std::string valid;
  for (const std::string& s : ScaleValues(scale)) valid += (valid.empty() ? "" : ", ") + s;
  return Status::InvalidInput("'" + std::string(value) + "' is not a value of the " + ScaleKindName(scale) +
                              " scale (" + valid + ")");
}

Status OrdinalToValue(ScaleKind scale, int ordinal, std::string* value) {
  if (ordinal < 0 || ordinal >= ScaleSize(scale))
    return Status::InvalidInput("ordinal " + std::to_string(ordinal) + " is outside the " + ScaleKindName(scale) +
                                " scale (0.." + std::to_string(ScaleSize(scale) - 1) + ")");
  *value = ValueOf(scale, ordinal);
  return Status::OK();
}

const std::string& ValueOf(ScaleKind scale, int ordinal) {
  return ScaleValues(scale)[static_cast<size_t>(ordinal)];
}

Status ResolveRating(const Framework& fw, ScaleKind scale, std::string_view text, int* ordinal) {
  ParsedValue parsed;
  ASSAY_RETURN_IF_ERROR(ParseRatingValue(text, &parsed));
  std::string value = parsed.value;
  if (parsed.is_percentage) ASSAY_RETURN_IF_ERROR(PercentageToValue(fw, scale, parsed.percent, &value));
  return ValueToOrdinal(scale, value, ordinal);
}

std::string FoldToStandard(std::string_view value) {
  if (value == "P-" || value == "P+") return "P";
  if (value == "L-" || value == "L+") return "L";
  return std::string(value);
}

int FoldOrdinal(ScaleKind scale, int ordinal) {
  if (scale == ScaleKind::kStandard) return ordinal;
  static constexpr int kFold[] = {kOrdinalN, kOrdinalP, kOrdinalP, kOrdinalL, kOrdinalL, kOrdinalF};
  return kFold[ordinal];
}

}  // namespace assay
