#include "assay/scale.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "assay/model.h"
#include "test_util.h"

namespace assay {
namespace {

// The bundled measurement framework (mf-33020), loaded once.
const Framework& Fw() {
  static std::shared_ptr<const Model> model = [] {
    ModelLibrary lib;
    std::shared_ptr<const Model> m;
    std::vector<Diagnostic> diags;
    Status st = lib.Scan();
    if (st.ok()) st = lib.Load("mf-33020", "", &m, &diags);
    if (!st.ok()) ADD_FAILURE() << st.ToString();
    return m;
  }();
  return model->framework();
}

struct BandCase {
  double percent;
  const char* standard;
  const char* refined;
};

TEST(ScaleBands, EdgesOnBothScales) {
  const BandCase cases[] = {
      {0, "N", "N"},          {7.5, "N", "N"},         {15, "N", "N"},          {15.0001, "P", "P-"},
      {32.5, "P", "P-"},      {32.5001, "P", "P+"},    {50, "P", "P+"},         {50.0001, "L", "L-"},
      {67.5, "L", "L-"},      {67.5001, "L", "L+"},    {85, "L", "L+"},         {85.0001, "F", "F"},
      {100, "F", "F"},
  };
  for (const BandCase& c : cases) {
    std::string v;
    ASSERT_OK(PercentageToValue(Fw(), ScaleKind::kStandard, c.percent, &v));
    EXPECT_EQ(c.standard, v) << c.percent << "% on the standard scale";
    ASSERT_OK(PercentageToValue(Fw(), ScaleKind::kRefined, c.percent, &v));
    EXPECT_EQ(c.refined, v) << c.percent << "% on the refined scale";
  }
}

TEST(ScaleBands, OutOfRangeRejected) {
  const struct {
    double percent;
    const char* message;
  } cases[] = {
      {-1, "percentage -1% is outside 0% to 100%"},
      {100.5, "percentage 100.5% is outside 0% to 100%"},
      {-0.0001, "percentage -0.0001% is outside 0% to 100%"},
      {std::numeric_limits<double>::quiet_NaN(), "percentage nan% is outside 0% to 100%"},
  };
  for (const auto& c : cases) {
    for (ScaleKind k : {ScaleKind::kStandard, ScaleKind::kRefined}) {
      std::string v = "unchanged";
      Status st = PercentageToValue(Fw(), k, c.percent, &v);
      EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << c.percent;
      EXPECT_EQ(c.message, st.message());
      EXPECT_EQ("unchanged", v);
    }
  }
}

TEST(ScaleBands, RefinedScaleMissingIsNotFound) {
  Framework fw = Fw();
  fw.refined.reset();
  std::string v;
  Status st = PercentageToValue(fw, ScaleKind::kRefined, 40, &v);
  EXPECT_EQ(Status::Code::kNotFound, st.code());
  EXPECT_EQ("framework mf-33020 has no refined scale", st.message());
  EXPECT_OK(PercentageToValue(fw, ScaleKind::kStandard, 40, &v));
  EXPECT_EQ("P", v);
}

TEST(Scale, ParseValid) {
  const struct {
    const char* text;
    bool is_percentage;
    double percent;
    const char* value;
  } cases[] = {
      {"N", false, 0, "N"},        {"P-", false, 0, "P-"},   {"P", false, 0, "P"},     {"P+", false, 0, "P+"},
      {"L-", false, 0, "L-"},      {"L", false, 0, "L"},     {"L+", false, 0, "L+"},   {"F", false, 0, "F"},
      {" F ", false, 0, "F"},      {"P\xE2\x88\x92", false, 0, "P-"},                  {"72%", true, 72, ""},
      {"72.5%", true, 72.5, ""},   {"0%", true, 0, ""},      {"100%", true, 100, ""},  {"15.0001%", true, 15.0001, ""},
  };
  for (const auto& c : cases) {
    ParsedValue p;
    ASSERT_OK(ParseRatingValue(c.text, &p));
    EXPECT_EQ(c.is_percentage, p.is_percentage) << c.text;
    EXPECT_DOUBLE_EQ(c.percent, p.percent) << c.text;
    EXPECT_EQ(c.value, p.value) << c.text;
  }
}

TEST(Scale, ParseInvalidNamesTextAndValidValues) {
  const std::string valid = "expected one of N, P-, P, P+, L-, L, L+, F or a percentage such as 72% or 72.5%";
  const struct {
    const char* text;
    std::string message;
  } cases[] = {
      {"", "invalid rating value '': " + valid},
      {"Q", "invalid rating value 'Q': " + valid},
      {"f", "invalid rating value 'f': " + valid},
      {"F+", "invalid rating value 'F+': " + valid},
      {"N-", "invalid rating value 'N-': " + valid},
      {"72", "invalid rating value '72': " + valid},
      {"%", "invalid rating value '%': " + valid},
      {"7.2.5%", "invalid rating value '7.2.5%': " + valid},
      {"72.%", "invalid rating value '72.%': " + valid},
      {".5%", "invalid rating value '.5%': " + valid},
      {"1e2%", "invalid rating value '1e2%': " + valid},
      {"+5%", "invalid rating value '+5%': " + valid},
      {"-1%", "invalid rating value '-1%': a percentage must be within 0% and 100%"},
      {"100.5%", "invalid rating value '100.5%': a percentage must be within 0% and 100%"},
  };
  for (const auto& c : cases) {
    ParsedValue p;
    Status st = ParseRatingValue(c.text, &p);
    EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << c.text;
    EXPECT_EQ(c.message, st.message());
  }
}

TEST(Scale, OrdinalsRoundTripOnBothScales) {
  const std::vector<std::string> standard = {"N", "P", "L", "F"};
  const std::vector<std::string> refined = {"N", "P-", "P+", "L-", "L+", "F"};
  EXPECT_EQ(4, ScaleSize(ScaleKind::kStandard));
  EXPECT_EQ(6, ScaleSize(ScaleKind::kRefined));
  EXPECT_EQ(standard, ScaleValues(ScaleKind::kStandard));
  EXPECT_EQ(refined, ScaleValues(ScaleKind::kRefined));
  for (ScaleKind k : {ScaleKind::kStandard, ScaleKind::kRefined}) {
    const std::vector<std::string>& values = k == ScaleKind::kStandard ? standard : refined;
    for (int i = 0; i < static_cast<int>(values.size()); ++i) {
      int ord = -1;
      ASSERT_OK(ValueToOrdinal(k, values[static_cast<size_t>(i)], &ord));
      EXPECT_EQ(i, ord) << values[static_cast<size_t>(i)];
      std::string back;
      ASSERT_OK(OrdinalToValue(k, ord, &back));
      EXPECT_EQ(values[static_cast<size_t>(i)], back);
    }
  }
}

TEST(Scale, OrdinalOutOfRange) {
  std::string v;
  Status st = OrdinalToValue(ScaleKind::kStandard, 4, &v);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ("ordinal 4 is outside the standard scale (0..3)", st.message());
  st = OrdinalToValue(ScaleKind::kRefined, -1, &v);
  EXPECT_EQ("ordinal -1 is outside the refined scale (0..5)", st.message());
  EXPECT_OK(OrdinalToValue(ScaleKind::kRefined, 5, &v));
  EXPECT_EQ("F", v);
}

TEST(Scale, RefinedFoldsToStandard) {
  const struct {
    const char* value;
    const char* folded;
    int refined_ordinal;
    int standard_ordinal;
  } cases[] = {
      {"N", "N", 0, 0}, {"P-", "P", 1, 1}, {"P+", "P", 2, 1}, {"L-", "L", 3, 2}, {"L+", "L", 4, 2}, {"F", "F", 5, 3},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.folded, FoldToStandard(c.value));
    EXPECT_EQ(c.standard_ordinal, FoldOrdinal(ScaleKind::kRefined, c.refined_ordinal)) << c.value;
    int ord = -1;
    // A refined value given on the standard scale folds.
    ASSERT_OK(ValueToOrdinal(ScaleKind::kStandard, c.value, &ord));
    EXPECT_EQ(c.standard_ordinal, ord) << c.value;
  }
  for (int i = 0; i < 4; ++i) EXPECT_EQ(i, FoldOrdinal(ScaleKind::kStandard, i));
  EXPECT_EQ("P", FoldToStandard("P"));
  EXPECT_EQ("L", FoldToStandard("L"));
}

// Decision: plain P or L on the refined scale is rejected (not mapped).
TEST(Scale, PlainPAndLRejectedOnRefinedScale) {
  int ord = -1;
  Status st = ValueToOrdinal(ScaleKind::kRefined, "P", &ord);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ("rating value 'P' is ambiguous on the refined scale: use P- or P+ (or a percentage)", st.message());
  st = ValueToOrdinal(ScaleKind::kRefined, "L", &ord);
  EXPECT_EQ("rating value 'L' is ambiguous on the refined scale: use L- or L+ (or a percentage)", st.message());
  EXPECT_EQ(-1, ord);
  // N and F mean the same on both scales.
  ASSERT_OK(ValueToOrdinal(ScaleKind::kRefined, "N", &ord));
  EXPECT_EQ(0, ord);
  ASSERT_OK(ValueToOrdinal(ScaleKind::kRefined, "F", &ord));
  EXPECT_EQ(5, ord);
  // A percentage always resolves.
  ASSERT_OK(ResolveRating(Fw(), ScaleKind::kRefined, "40%", &ord));
  EXPECT_EQ(2, ord);
  st = ValueToOrdinal(ScaleKind::kStandard, "X", &ord);
  EXPECT_EQ("'X' is not a value of the standard scale (N, P, L, F)", st.message());
}

TEST(Scale, ResolveRating) {
  const struct {
    const char* text;
    ScaleKind scale;
    int ordinal;
  } cases[] = {
      {"F", ScaleKind::kStandard, 3},      {"L+", ScaleKind::kStandard, 2},    {"15%", ScaleKind::kStandard, 0},
      {"15.5%", ScaleKind::kStandard, 1},  {"85%", ScaleKind::kStandard, 2},   {"85.5%", ScaleKind::kStandard, 3},
      {"32.5%", ScaleKind::kRefined, 1},   {"33%", ScaleKind::kRefined, 2},    {"67.5%", ScaleKind::kRefined, 3},
      {"70%", ScaleKind::kRefined, 4},     {"L-", ScaleKind::kRefined, 3},     {"100%", ScaleKind::kRefined, 5},
  };
  for (const auto& c : cases) {
    int ord = -1;
    ASSERT_OK(ResolveRating(Fw(), c.scale, c.text, &ord));
    EXPECT_EQ(c.ordinal, ord) << c.text << " on " << ScaleKindName(c.scale);
  }
  int ord = -1;
  Status st = ResolveRating(Fw(), ScaleKind::kRefined, "L", &ord);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  st = ResolveRating(Fw(), ScaleKind::kStandard, "101%", &ord);
  EXPECT_EQ("invalid rating value '101%': a percentage must be within 0% and 100%", st.message());
}


// Issue 20: the value a user writes (assay rate, imports) is canonicalised
// by CanonicalRatingValue. U+2212 is read as '-' wherever it stands, and a
// percentage may have up to kMaxPercentDecimals decimal places (it was cut at
// 8 characters, so 66.666667% was "not a rating").
TEST(Issue20, CanonicalRatingValueAcceptsWhatTheDocsSay) {
  const struct {
    const char* text;
    const char* canonical;
  } cases[] = {
      {"L\xE2\x88\x92", "L-"}, {"P\xE2\x88\x92", "P-"}, {"l-", "L-"},        {" p + ", "P+"},
      {"F", "F"},             {"72%", "72%"},          {"072%", "72%"},     {"72.5 %", "72.5%"},
      {"66.666667%", "66.666667%"}, {"15.000001%", "15.000001%"}, {"100.00000%", "100.00000%"},
      {"100.000000%", "100.000000%"}, {"0%", "0%"}, {"000.5%", "0.5%"},
  };
  for (const auto& c : cases) {
    std::string v;
    ASSERT_OK(CanonicalRatingValue(c.text, &v));
    EXPECT_EQ(c.canonical, v) << c.text;
  }
  // The canonical percentages land in the right band.
  int ord = -1;
  ASSERT_OK(ResolveRating(Fw(), ScaleKind::kStandard, "15.000001%", &ord));
  EXPECT_EQ(kOrdinalP, ord);
  ASSERT_OK(ResolveRating(Fw(), ScaleKind::kRefined, "66.666667%", &ord));
  EXPECT_EQ(3, ord);  // L-
}

TEST(Issue20, CanonicalRatingValueSaysWhatIsAllowed) {
  const std::string use = " is not a rating: use N, P-, P, P+, L-, L, L+, F or a percentage from 0% to 100% such as 72% "
                          "or 72.5%";
  const struct {
    const char* text;
    std::string message;
  } cases[] = {
      {"Q", "value 'Q'" + use},
      {"F\xE2\x88\x92", "value 'F\xE2\x88\x92'" + use},
      {"=1+1", "value '=1+1'" + use},
      {"1e2%", "value '1e2%'" + use},
      {".5%", "value '.5%'" + use},
      {"5.%", "value '5.%'" + use},
      {"15.0000001%", "value '15.0000001%' has 7 decimal places; a percentage has at most 6 (such as 66.666667%)"},
      {"66.666666666666667%",
       "value '66.666666666666667%' has 15 decimal places; a percentage has at most 6 (such as 66.666667%)"},
      {"100.0000001%", "value '100.0000001%' has 7 decimal places; a percentage has at most 6 (such as 66.666667%)"},
      {"100.000001%", "value '100.000001%' is not between 0% and 100%"},
      {"120%", "value '120%' is not between 0% and 100%"},
      {"1000%", "value '1000%' is not between 0% and 100%"},
      {"-20%", "value '-20%' is not between 0% and 100%"},
  };
  for (const auto& c : cases) {
    std::string v;
    Status st = CanonicalRatingValue(c.text, &v);
    EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << c.text;
    EXPECT_EQ(c.message, st.message());
  }
}

// Issue 17: a spreadsheet in many locales writes a decimal comma.
TEST(Issue17, DecimalCommaInAPercentage) {
  std::string v;
  ASSERT_OK(CanonicalRatingValue("72,5%", &v));
  EXPECT_EQ("72.5%", v);
  ASSERT_OK(CanonicalRatingValue("066,666667 %", &v));
  EXPECT_EQ("66.666667%", v);
  EXPECT_EQ("value '7,2,5%' is not a rating: use N, P-, P, P+, L-, L, L+, F or a percentage from 0% to 100% such as 72% "
            "or 72.5%",
            CanonicalRatingValue("7,2,5%", &v).message());
  EXPECT_EQ("value '100,5%' is not between 0% and 100%", CanonicalRatingValue("100,5%", &v).message());
  EXPECT_EQ(Status::Code::kInvalidInput, CanonicalRatingValue("7,5", &v).code());  // not a percentage
}

}  // namespace
}  // namespace assay
