// ProcessProfile::to_target: what stands between a process and its target
// level, computed by the engine (the report renders it).
#include <gtest/gtest.h>

#include "assay/model.h"
#include "assay/rating.h"
#include "test_util.h"

namespace assay {
namespace {

Rating Attr(const std::string& item, const std::string& value) {
  Rating r;
  r.process = "RES.1";
  r.instance = "RES.1/A";
  r.item = item;
  r.item_kind = ItemKind::kAttribute;
  r.consolidated = true;
  r.value = value;
  return r;
}

class GapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ModelLibrary library;
    ASSERT_OK(library.Scan());
    std::vector<Diagnostic> diags;
    ASSERT_OK(library.Load("itsm-20000", "", &model_, &diags));
    graph_ = std::make_unique<ModelGraph>(model_);
    data_.assessment.id = "A1";
    data_.instances = {{"RES.1/A", "RES.1", "", "", 1}};
  }
  const ProcessProfile& Profile(int target, std::vector<Rating> ratings) {
    data_.scope = {{"RES.1", target}};
    data_.ratings = std::move(ratings);
    EXPECT_OK(ComputeResults(*model_, *graph_, data_, &results_));
    return results_.processes.at(0);
  }
  std::shared_ptr<const Model> model_;
  std::unique_ptr<ModelGraph> graph_;
  AssessmentData data_;
  RatingResults results_;
};

TEST_F(GapTest, ListsEveryAttributeBelowTheRuleForTheTarget) {
  const ProcessProfile& p = Profile(3, {Attr("PA1.1", "F"), Attr("PA2.1", "L"), Attr("PA2.2", "P"),
                                        Attr("PA3.1", "L")});
  ASSERT_EQ(p.gap, 2);
  ASSERT_EQ(p.to_target.size(), 3u);
  EXPECT_EQ(p.to_target[0].attribute, "PA2.1");
  EXPECT_EQ(p.to_target[0].value, "L");
  EXPECT_EQ(p.to_target[0].needs, "F");
  EXPECT_EQ(p.to_target[1].attribute, "PA2.2");
  EXPECT_EQ(p.to_target[1].needs, "F");
  EXPECT_EQ(p.to_target[2].attribute, "PA3.2");  // PA3.1 at L is enough at the target level
  EXPECT_EQ(p.to_target[2].state, AttributeState::kNotRated);
  EXPECT_EQ(p.to_target[2].needs, "L");
}

TEST_F(GapTest, EmptyAtTheTarget) {
  const ProcessProfile& p = Profile(2, {Attr("PA1.1", "F"), Attr("PA2.1", "L"), Attr("PA2.2", "F")});
  EXPECT_EQ(p.gap, 0);
  EXPECT_TRUE(p.to_target.empty());
}

}  // namespace
}  // namespace assay
