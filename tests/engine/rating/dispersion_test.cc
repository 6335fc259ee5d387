// The reliability of an aggregate rating: the coefficient of variation of
// the band midpoints behind it, and its bands (docs/RATING.md).
#include <gtest/gtest.h>

#include "assay/model.h"
#include "assay/rating.h"
#include "test_util.h"

namespace assay {
namespace {

TEST(DispersionTest, CoefficientOfVariationOfBandMidpoints) {
  // P and F: mean 62.5, population sd 30, cv 48 %.
  Dispersion d = ComputeDispersion({32.5, 92.5}, {});
  EXPECT_EQ(d.values, 2u);
  EXPECT_DOUBLE_EQ(d.mean, 62.5);
  EXPECT_DOUBLE_EQ(d.sd, 30);
  EXPECT_DOUBLE_EQ(d.cv, 48);
  EXPECT_EQ(d.reliability, Reliability::kModerate);

  d = ComputeDispersion({67.5, 92.5}, {});  // L and F: cv 15.625 %
  EXPECT_DOUBLE_EQ(d.cv, 15.625);
  EXPECT_EQ(d.reliability, Reliability::kHigh);

  d = ComputeDispersion({7.5, 92.5}, {});  // N and F: cv 85 %
  EXPECT_DOUBLE_EQ(d.cv, 85);
  EXPECT_EQ(d.reliability, Reliability::kPoor);

  d = ComputeDispersion({92.5, 92.5, 92.5}, {});
  EXPECT_DOUBLE_EQ(d.sd, 0);
  EXPECT_EQ(d.reliability, Reliability::kHigh);
}

TEST(DispersionTest, WeightsCountLikeRepeatedValues) {
  // P weighted 3, F weighted 1: the same as P, P, P, F.
  const Dispersion w = ComputeDispersion({32.5, 92.5}, {3, 1});
  const Dispersion r = ComputeDispersion({32.5, 32.5, 32.5, 92.5}, {});
  EXPECT_DOUBLE_EQ(w.mean, 47.5);
  EXPECT_NEAR(w.sd, r.sd, 1e-9);
  EXPECT_NEAR(w.cv, 54.696, 1e-3);
  EXPECT_EQ(w.reliability, Reliability::kPoor);
}

TEST(DispersionTest, BandsAtTheirEdgesAsShownToOneDecimal) {
  EXPECT_EQ(ReliabilityOf(0), Reliability::kHigh);
  EXPECT_EQ(ReliabilityOf(29.94), Reliability::kHigh);      // shown 29.9
  EXPECT_EQ(ReliabilityOf(29.96), Reliability::kModerate);  // shown 30.0
  EXPECT_EQ(ReliabilityOf(30), Reliability::kModerate);
  EXPECT_EQ(ReliabilityOf(50), Reliability::kModerate);
  EXPECT_EQ(ReliabilityOf(50.04), Reliability::kModerate);  // shown 50.0
  EXPECT_EQ(ReliabilityOf(50.06), Reliability::kPoor);      // shown 50.1
  EXPECT_EQ(ReliabilityOf(200), Reliability::kPoor);
  EXPECT_STREQ(ReliabilityName(Reliability::kHigh), "high");
  EXPECT_STREQ(ReliabilityName(Reliability::kModerate), "moderate");
  EXPECT_STREQ(ReliabilityName(Reliability::kPoor), "poor");
}

Rating Attr(const std::string& instance, const std::string& item, const std::string& value) {
  Rating r;
  r.process = "RES.1";
  r.instance = instance;
  r.item = item;
  r.item_kind = ItemKind::kAttribute;
  r.consolidated = true;
  r.value = value;
  return r;
}

class AggregateDispersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ModelLibrary library;
    ASSERT_OK(library.Scan());
    std::vector<Diagnostic> diags;
    ASSERT_OK(library.Load("itsm-20000", "", &model_, &diags));
    graph_ = std::make_unique<ModelGraph>(model_);
    data_.assessment.id = "A1";
    data_.scope = {{"RES.1", 1}};
    data_.instances = {{"RES.1/A", "RES.1", "", "", 1}, {"RES.1/B", "RES.1", "", "", 1}};
  }
  const AttributeRating& PA11(std::vector<Rating> ratings) {
    data_.ratings = std::move(ratings);
    EXPECT_OK(ComputeResults(*model_, *graph_, data_, &results_));
    const ProcessProfile& p = results_.processes.at(0);
    EXPECT_EQ(p.aggregate.at(0).attribute, "PA1.1");
    return p.aggregate.at(0);
  }
  std::shared_ptr<const Model> model_;
  std::unique_ptr<ModelGraph> graph_;
  AssessmentData data_;
  RatingResults results_;
};

TEST_F(AggregateDispersionTest, TwoInstancesR2) {
  const AttributeRating& a = PA11({Attr("RES.1/A", "PA1.1", "F"), Attr("RES.1/B", "PA1.1", "P")});
  EXPECT_EQ(a.value, "L");
  ASSERT_TRUE(a.dispersion.has_value());
  EXPECT_EQ(a.dispersion->values, 2u);
  EXPECT_DOUBLE_EQ(a.dispersion->cv, 48);
  EXPECT_EQ(a.dispersion->reliability, Reliability::kModerate);
}

TEST_F(AggregateDispersionTest, InstanceWeightsApply) {
  data_.instances[1].weight = 3;
  data_.assessment.options.aggregation = AggregationMethod::kWeightedMean;
  const AttributeRating& a = PA11({Attr("RES.1/A", "PA1.1", "F"), Attr("RES.1/B", "PA1.1", "P")});
  ASSERT_TRUE(a.dispersion.has_value());
  EXPECT_DOUBLE_EQ(a.dispersion->mean, 47.5);
  EXPECT_EQ(a.dispersion->reliability, Reliability::kPoor);
}

TEST_F(AggregateDispersionTest, NoneForOneValueOrR3) {
  // One instance not rated: one value behind the aggregate.
  EXPECT_FALSE(PA11({Attr("RES.1/A", "PA1.1", "F")}).dispersion.has_value());
  data_.instances.pop_back();
  EXPECT_FALSE(PA11({Attr("RES.1/A", "PA1.1", "F")}).dispersion.has_value());
  data_.assessment.options.method = RatingMethod::kR3;
  EXPECT_FALSE(PA11({Attr("RES.1/A", "PA1.1", "F")}).dispersion.has_value());
}

TEST_F(AggregateDispersionTest, RefinedScaleUsesItsOwnBands) {
  data_.assessment.options.scale = ScaleKind::kRefined;
  const AttributeRating& a = PA11({Attr("RES.1/A", "PA1.1", "L+"), Attr("RES.1/B", "PA1.1", "L-")});
  ASSERT_TRUE(a.dispersion.has_value());
  // L- 50..67.5 and L+ 67.5..85: midpoints 58.75 and 76.25, mean 67.5.
  EXPECT_DOUBLE_EQ(a.dispersion->mean, 67.5);
  EXPECT_NEAR(a.dispersion->cv, 8.75 / 67.5 * 100, 1e-9);
  EXPECT_EQ(a.dispersion->reliability, Reliability::kHigh);
}

}  // namespace
}  // namespace assay
