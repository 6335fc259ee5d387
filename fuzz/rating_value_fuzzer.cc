// Fuzzes the rating value parsers: ParseRatingValue and ResolveRating
// (scale.h) on both bundled frameworks and both scales, and
// NormalizeRatingValue (store.h), which the workspace applies to every
// rating it stores.
//
// Contracts checked besides "no crash": a parsed percentage is within
// 0..100; an ordinal is within the scale; a normalized value normalizes to
// itself and parses with ParseRatingValue to the same value.
#include <cmath>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "assay/scale.h"
#include "fuzz_util.h"

namespace {

const assay::Framework& Fw(const char* id) {
  static std::map<std::string, std::shared_ptr<const assay::Model>> models;
  auto& m = models[id];
  if (m == nullptr) {
    std::vector<assay::Diagnostic> diags;
    assay::Status s = assay::fuzz::Library().Load(id, "", &m, &diags);
    FUZZ_CHECK(s.ok(), s.ToString());
  }
  return m->framework();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assay;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  ParsedValue parsed;
  Status s = ParseRatingValue(text, &parsed);
  if (s.ok() && parsed.is_percentage)
    FUZZ_CHECK(parsed.percent >= 0.0 && parsed.percent <= 100.0, std::to_string(parsed.percent));
  if (s.ok() && !parsed.is_percentage) {
    int ordinal = -1;
    Status st = ValueToOrdinal(ScaleKind::kRefined, parsed.value, &ordinal);
    FUZZ_CHECK(!st.ok() || (ordinal >= 0 && ordinal < ScaleSize(ScaleKind::kRefined)), st.ToString());
  }
  if (!s.ok()) FUZZ_CHECK(s.code() == Status::Code::kInvalidInput, s.ToString());

  for (const char* fw_id : {"mf-33020", "mf-15504-2"}) {
    const Framework& fw = Fw(fw_id);
    for (ScaleKind scale : {ScaleKind::kStandard, ScaleKind::kRefined}) {
      int ordinal = -1;
      Status r = ResolveRating(fw, scale, text, &ordinal);
      if (r.ok()) {
        FUZZ_CHECK(s.ok(), "ResolveRating accepts what ParseRatingValue rejects");
        FUZZ_CHECK(ordinal >= 0 && ordinal < ScaleSize(scale), std::to_string(ordinal));
        std::string value;
        FUZZ_CHECK(OrdinalToValue(scale, ordinal, &value).ok(), "OrdinalToValue");
        FUZZ_CHECK(FoldOrdinal(scale, ordinal) >= 0 && FoldOrdinal(scale, ordinal) <= kOrdinalF, "FoldOrdinal");
      }
      if (s.ok() && parsed.is_percentage) {
        std::string value;
        (void)PercentageToValue(fw, scale, parsed.percent, &value);
      }
    }
  }

  // Percentages that are not numbers at all: the bytes as a double.
  if (size == sizeof(double)) {
    double d;
    std::memcpy(&d, data, sizeof d);
    std::string value;
    Status p = PercentageToValue(Fw("mf-33020"), ScaleKind::kStandard, d, &value);
    FUZZ_CHECK(p.ok() == (d >= 0.0 && d <= 100.0), p.ToString());
  }

  std::string normalized;
  Status n = NormalizeRatingValue(std::string(text), &normalized);
  if (n.ok()) {
    std::string again;
    FUZZ_CHECK(NormalizeRatingValue(normalized, &again).ok() && again == normalized,
               "'" + normalized + "' does not normalize to itself");
    ParsedValue pv;
    Status ps = ParseRatingValue(normalized, &pv);
    FUZZ_CHECK(ps.ok(), "NormalizeRatingValue accepts '" + normalized + "' but ParseRatingValue says " + ps.ToString());
  }
  return 0;
}
