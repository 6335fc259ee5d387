// Open disagreements (rating.h, Team): found with the team-rating rules, settled by
// a consolidated rating, checked by severity of the assessment's class.
#include "assay/rating.h"

#include <gtest/gtest.h>

#include "assay/model.h"
#include "test_util.h"

namespace assay {
namespace {

class TeamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ModelLibrary library;
    ASSERT_OK(library.Scan());
    std::vector<Diagnostic> diags;
    ASSERT_OK(library.Load("itsm-20000", "", &model_, &diags));
    data_.assessment.id = "A1";
    data_.assessment.assessment_class = 2;
    data_.scope = {{"RES.1", 1}};
    data_.instances = {{"RES.1/EU", "RES.1", "EU desk", "", 1.0}};
    data_.ratings = {Make(1, "ann", "L", {"E1"}), Make(2, "bob", "F", {"E2"}), Make(3, "cy", "L", {})};
  }

  static Rating Make(int64_t id, const std::string& assessor, const std::string& value,
                     std::vector<std::string> evidence) {
    Rating r;
    r.id = id;
    r.process = "RES.1";
    r.instance = "RES.1/EU";
    r.item = "PA1.1";
    r.assessor = assessor;
    r.value = value;
    r.evidence = std::move(evidence);
    return r;
  }

  std::shared_ptr<const Model> model_;
  AssessmentData data_;
};

TEST_F(TeamTest, DifferentValuesOfOneItemAreAnOpenDisagreement) {
  std::vector<OpenDisagreement> open;
  ASSERT_OK(FindDisagreements(*model_, data_, &open));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].instance, "RES.1/EU");
  EXPECT_EQ(open[0].item, "PA1.1");
  EXPECT_EQ(open[0].used, "L");
  ASSERT_EQ(open[0].ratings.size(), 3u);
  EXPECT_EQ(open[0].ratings[1].assessor, "bob");
  EXPECT_EQ(open[0].ratings[1].evidence, std::vector<std::string>{"E2"});

  std::vector<CheckFinding> f = DisagreementFindings(data_, open);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].check, "disagreement");
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].message,
            "RES.1/EU PA1.1: assessors disagree (ann L, bob F, cy L) and no consolidated rating is recorded");
  data_.assessment.assessment_class = 3;
  EXPECT_EQ(DisagreementFindings(data_, open)[0].severity, Severity::kWarning);
  data_.assessment.assessment_class = 1;
  EXPECT_EQ(DisagreementFindings(data_, open)[0].severity, Severity::kError);
}

TEST_F(TeamTest, AConsolidatedRatingOrAgreementLeavesNoneOpen) {
  Rating c = Make(4, "", "L", {});
  c.consolidated = true;
  data_.ratings.push_back(c);
  std::vector<OpenDisagreement> open;
  ASSERT_OK(FindDisagreements(*model_, data_, &open));
  EXPECT_TRUE(open.empty());
  data_.ratings = {Make(1, "ann", "F", {}), Make(2, "bob", "F", {})};
  ASSERT_OK(FindDisagreements(*model_, data_, &open));
  EXPECT_TRUE(open.empty());
  EXPECT_TRUE(DisagreementFindings(data_, open).empty());
}

TEST_F(TeamTest, AnUnreadableValueIsInvalidInput) {
  data_.ratings[0].value = "Q";
  std::vector<OpenDisagreement> open;
  EXPECT_EQ(FindDisagreements(*model_, data_, &open).code(), Status::Code::kInvalidInput);
}

}  // namespace
}  // namespace assay
