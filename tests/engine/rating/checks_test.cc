// Each check has a test that triggers it and one that shows it clear.
#include "assay/rating.h"

#include <gtest/gtest.h>

#include "assay/model.h"
#include "test_util.h"

namespace assay {
namespace {

class ChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ModelLibrary library;
    ASSERT_OK(library.Scan());
    std::vector<Diagnostic> diags;
    ASSERT_OK(library.Load("itsm-20000", "", &model_, &diags));
    Assessment& a = data_.assessment;
    a.id = "A1";
    a.assessment_class = 2;
    a.end_date = "2026-10-31";
    a.options.method = RatingMethod::kR2;
    data_.scope = {{"RES.1", 1}, {"RES.2", 1}};
    data_.instances = {{"RES.1/EU", "RES.1", "EU desk", "", 1.0}, {"RES.2/EU", "RES.2", "EU desk", "", 1.0}};
    data_.people = {{"lead", "Lea Lead", "", {Role::kLeadAssessor}},
                    {"ann", "Ann Assessor", "", {Role::kAssessor}},
                    {"ivan", "Ivan Interviewee", "", {Role::kInterviewee}}};
    data_.evidence = {
        {"E1", EvidenceKind::kDocument, "DOC-1", "procedure", "2026-09-01", "2026-10-01", "ann", "", ""},
        {"E2", EvidenceKind::kInterviewStatement, "INT-1", "interview", "2026-10-01", "2026-10-01", "ann", "", ""}};
    data_.ratings = {MakeRating(1, "RES.1", "RES.1/EU", "PA1.1", "F"), MakeRating(2, "RES.2", "RES.2/EU", "PA1.1", "F")};
  }

  static Rating MakeRating(int64_t id, const std::string& process, const std::string& instance,
                           const std::string& item, const std::string& value) {
    Rating r;
    r.id = id;
    r.process = process;
    r.instance = instance;
    r.item = item;
    r.item_kind = item.rfind("PA", 0) == 0 ? ItemKind::kAttribute : ItemKind::kIndicator;
    r.assessor = "ann";
    r.value = value;
    r.evidence = {"E1", "E2"};
    r.rated_at = "2026-10-02T10:00:00Z";
    return r;
  }

  std::vector<CheckFinding> Findings(const std::string& check) {
    std::vector<CheckFinding> out;
    for (const CheckFinding& f : RunChecks(*model_, data_).findings)
      if (f.check == check) out.push_back(f);
    return out;
  }

  std::shared_ptr<const Model> model_;
  AssessmentData data_;
};

TEST_F(ChecksTest, CleanAssessmentPasses) {
  CheckReport report = RunChecks(*model_, data_);
  EXPECT_TRUE(report.passed());
  EXPECT_TRUE(report.findings.empty()) << report.findings.front().message;
}

TEST_F(ChecksTest, NoEvidence) {
  data_.ratings[0].evidence.clear();
  auto f = Findings("no-evidence");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "RES.1/EU PA1.1 by ann: rating F links no evidence");
  EXPECT_EQ(f[0].rating, 1);
  EXPECT_EQ(f[0].process, "RES.1");
  EXPECT_EQ(f[0].instance, "RES.1/EU");
  EXPECT_EQ(f[0].item, "PA1.1");
  EXPECT_EQ(f[0].assessor, "ann");
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_FALSE(RunChecks(*model_, data_).passed());
  data_.ratings[0].evidence = {"E1"};
  EXPECT_TRUE(Findings("no-evidence").empty());
  EXPECT_TRUE(RunChecks(*model_, data_).passed());
}

// Locations name the process once: an instance ID that starts with its
// process is shown as it is, any other as "ID (process)"; a consolidated
// rating says so instead of naming an assessor.
TEST_F(ChecksTest, LocationsNameProcessInstanceItemAndAssessor) {
  EXPECT_EQ(InstanceLabel("RES.1", "RES.1/EU"), "RES.1/EU");
  EXPECT_EQ(InstanceLabel("RES.1", "EU-desk"), "EU-desk (RES.1)");
  EXPECT_EQ(InstanceLabel("RES.1", "RES.10/EU"), "RES.10/EU (RES.1)");  // a prefix of another process is not its own
  EXPECT_EQ(InstanceLabel("RES.1", "RES.1"), "RES.1 (RES.1)");
  EXPECT_EQ(InstanceLabel("", "EU"), "EU");
  data_.instances[0].id = "EU-desk";
  data_.ratings[0].instance = "EU-desk";
  data_.ratings[0].evidence.clear();
  data_.ratings[1].evidence.clear();
  data_.ratings[1].consolidated = true;
  data_.ratings[1].assessor.clear();
  auto f = Findings("no-evidence");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].message, "EU-desk (RES.1) PA1.1 by ann: rating F links no evidence");
  EXPECT_EQ(f[1].message, "RES.2/EU PA1.1 (consolidated): rating F links no evidence");
  EXPECT_EQ(f[1].assessor, "");
  EXPECT_EQ(RatingLocation(data_.ratings[0]), "EU-desk (RES.1) PA1.1 by ann");
}

TEST_F(ChecksTest, TwoSourcesOnlyForClass1) {
  data_.ratings[0].evidence = {"E1"};
  EXPECT_TRUE(Findings("two-sources").empty());  // class 2
  data_.assessment.assessment_class = 1;
  auto f = Findings("two-sources");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "RES.1/EU PA1.1 by ann: a class 1 rating needs testimony and a document or record; it has no testimony");
  data_.ratings[0].evidence = {"E2"};
  f = Findings("two-sources");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message,
            "RES.1/EU PA1.1 by ann: a class 1 rating needs testimony and a document or record; it has no document or "
            "record");
  data_.ratings[0].evidence = {"E1", "E2"};
  EXPECT_TRUE(Findings("two-sources").empty());
}

TEST_F(ChecksTest, NoWeaknessBelowF) {
  data_.ratings[0].value = "L";
  auto f = Findings("no-weakness");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "RES.1/EU PA1.1 by ann: rated L (below F) without a weakness statement");
  data_.ratings[0].weakness = "Major incidents are not reviewed.";
  EXPECT_TRUE(Findings("no-weakness").empty());
  data_.ratings[0].value = "80%";  // L+ band: below F
  data_.ratings[0].weakness.clear();
  EXPECT_EQ(Findings("no-weakness").size(), 1u);
}

TEST_F(ChecksTest, RaterNotOnTeam) {
  data_.ratings[1].assessor = "ivan";
  auto f = Findings("rater-not-on-team");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message,
            "RES.2/EU PA1.1 by ivan: 'ivan' is not a lead assessor or assessor of the team (roles: interviewee)");
  EXPECT_EQ(f[0].assessor, "ivan");
  data_.ratings[1].assessor = "anne";  // not a person of the assessment at all
  f = Findings("rater-not-on-team");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "RES.2/EU PA1.1 by anne: 'anne' is not a person of the assessment; nearest: ann");
  data_.ratings[1].assessor = "lead";
  EXPECT_TRUE(Findings("rater-not-on-team").empty());
  // A consolidated rating is the team's, whoever entered it.
  data_.ratings[1].assessor.clear();
  data_.ratings[1].consolidated = true;
  EXPECT_TRUE(Findings("rater-not-on-team").empty());
}

TEST_F(ChecksTest, EvidenceCollectedAfterRating) {
  data_.evidence[0].collected_date = "2026-10-05";
  auto f = Findings("evidence-after-rating");
  ASSERT_EQ(f.size(), 2u);  // both ratings cite E1
  EXPECT_EQ(f[0].message, "RES.1/EU PA1.1 by ann: rated on 2026-10-02 but evidence E1 was collected on 2026-10-05");
  data_.evidence[0].collected_date = "2026-10-02";  // same day is fine
  EXPECT_TRUE(Findings("evidence-after-rating").empty());
}

TEST_F(ChecksTest, EvidenceEffectiveAfterAssessment) {
  data_.evidence[1].effective_date = "2026-11-01";
  auto f = Findings("evidence-after-assessment");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "evidence E2 is effective on 2026-11-01, after the assessment ended on 2026-10-31");
  data_.evidence[1].effective_date = "2026-10-31";
  EXPECT_TRUE(Findings("evidence-after-assessment").empty());
}

TEST_F(ChecksTest, NeverRatedUnderR2) {
  data_.scope[0].target_level = 2;
  auto f = Findings("never-rated");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].message, "RES.1/EU: attribute PA2.1 is in scope but not rated");
  EXPECT_EQ(f[1].item, "PA2.2");
  data_.ratings.push_back(MakeRating(3, "RES.1", "RES.1/EU", "PA2.1", "F"));
  data_.ratings.push_back(MakeRating(4, "RES.1", "RES.1/EU", "PA2.2", "F"));
  EXPECT_TRUE(Findings("never-rated").empty());
}

TEST_F(ChecksTest, NeverRatedProcessWithoutInstance) {
  data_.scope.push_back({"RES.3", 1});
  auto f = Findings("never-rated");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "RES.3: the process is in scope but has no process instance");
}

TEST_F(ChecksTest, NeverRatedUnderR1UsesSupporters) {
  data_.assessment.options.method = RatingMethod::kR1;
  data_.ratings.clear();
  const Process* p = model_->FindProcess("RES.2");
  size_t outcomes = p->outcomes.size();
  // RES.1 and RES.2 at target 1: every outcome of both is missing.
  EXPECT_EQ(Findings("never-rated").size(), model_->FindProcess("RES.1")->outcomes.size() + outcomes);
  // Rating every base practice of RES.2 characterises all its outcomes.
  int64_t id = 10;
  for (const Indicator& bp : p->base_practices) data_.ratings.push_back(MakeRating(id++, "RES.2", "RES.2/EU", bp.id, "F"));
  EXPECT_EQ(Findings("never-rated").size(), model_->FindProcess("RES.1")->outcomes.size());
}

TEST_F(ChecksTest, ConsistencyRuleNotAboveWithinAProcess) {
  data_.scope[0].target_level = 3;
  data_.ratings.push_back(MakeRating(5, "RES.1", "RES.1/EU", "GP3.1.1", "P"));
  data_.ratings.back().weakness = "The standard process is a draft.";
  data_.ratings.push_back(MakeRating(6, "RES.1", "RES.1/EU", "GP3.2.1", "F"));
  auto f = Findings("rule");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].rule, "RL.PA3.2.1");
  EXPECT_EQ(f[0].message, "RL.PA3.2.1 (not_above): RES.1/EU GP3.2.1 by ann is F, above RES.1/EU GP3.1.1 by ann (P)");
  // A justification makes it a justified deviation, which does not fail the checks.
  data_.ratings.back().justification = "Deployed from the group-wide standard, defined outside this unit.";
  f = Findings("rule");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_EQ(f[0].message.rfind("justified deviation: RL.PA3.2.1", 0), 0u) << f[0].message;
  // Clear: GP3.2.1 not above GP3.1.1.
  data_.ratings.back().value = "P";
  data_.ratings.back().weakness = "Deployed in one team only.";
  EXPECT_TRUE(Findings("rule").empty());
}

TEST_F(ChecksTest, ConsistencyRuleCapNeedsItsReasonCode) {
  // Find a cap rule with a reason code in the bundled pack.
  const ConsistencyRule* cap = nullptr;
  for (const ConsistencyRule& r : model_->rules())
    if (r.type == RuleType::kCap && !r.when_reason.empty() && r.subject.indicator.rfind("GP2", 0) == 0) cap = &r;
  ASSERT_NE(cap, nullptr);
  data_.scope[0].target_level = 2;
  data_.ratings.push_back(MakeRating(7, "RES.1", "RES.1/EU", cap->subject.indicator, "F"));
  EXPECT_TRUE(Findings("rule").empty());  // no reason code: the cap does not apply
  data_.ratings.back().reasons = {cap->when_reason};
  auto f = Findings("rule");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, cap->id);
}

TEST_F(ChecksTest, ConsistencyRuleAlignAcrossProcesses) {
  // An align rule between a process's base practice and a generic practice of the other processes.
  const ConsistencyRule* align = nullptr;
  for (const ConsistencyRule& r : model_->rules())
    if (r.type == RuleType::kAlign && r.reference && r.reference->processes == ProcessScope::kOthers &&
        r.subject.indicator.rfind("RAM.2", 0) == 0)
      align = &r;
  ASSERT_NE(align, nullptr);
  data_.scope.push_back({"RAM.2", 1});
  data_.instances.push_back({"RAM.2/EU", "RAM.2", "SLM", "", 1.0});
  data_.ratings.push_back(MakeRating(8, "RAM.2", "RAM.2/EU", align->subject.indicator, "F"));
  data_.ratings.push_back(MakeRating(9, "RES.1", "RES.1/EU", align->reference->indicator, "N"));
  data_.ratings.back().weakness = "No monitoring.";
  auto f = Findings("rule");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].process, "RAM.2");
  EXPECT_NE(f[0].message.find("more than one step apart"), std::string::npos) << f[0].message;
  data_.ratings.back().value = "L";
  EXPECT_TRUE(Findings("rule").empty());
}

TEST_F(ChecksTest, ConsistencyRuleNotF) {
  // RL.PA3.2.7: GP3.2.1 must not be F when the instance patches gaps locally.
  data_.ratings.push_back(MakeRating(5, "RES.1", "RES.1/EU", "GP3.2.1", "F"));
  EXPECT_TRUE(Findings("rule").empty());  // the reason code is what triggers it
  data_.ratings.back().reasons = {"RC.LOCAL_PATCH"};
  auto f = Findings("rule");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "RL.PA3.2.7");
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].message, "RL.PA3.2.7 (not_f): RES.1/EU GP3.2.1 by ann is F but must not be (reason RC.LOCAL_PATCH)");
  EXPECT_FALSE(RunChecks(*model_, data_).passed());
  data_.ratings.back().value = "L";
  data_.ratings.back().weakness = "Gaps in the standard process are patched per team.";
  EXPECT_TRUE(Findings("rule").empty());
  EXPECT_TRUE(RunChecks(*model_, data_).passed());
}

TEST_F(ChecksTest, ConsistencyRuleCapMessage) {
  // RL.PA2.1.2: GP2.1.3 at most P when monitoring rests on no data.
  data_.ratings.push_back(MakeRating(5, "RES.1", "RES.1/EU", "GP2.1.3", "L"));
  data_.ratings.back().weakness = "Monitoring by impression.";
  data_.ratings.back().reasons = {"RC.NO_DATA"};
  data_.ratings.back().consolidated = true;
  data_.ratings.back().assessor.clear();
  auto f = Findings("rule");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "RL.PA2.1.2 (cap): RES.1/EU GP2.1.3 (consolidated) is L, above the cap P (reason RC.NO_DATA)");
  data_.ratings.back().value = "P";
  EXPECT_TRUE(Findings("rule").empty());
}

// A rule of severity "recommendation" gives a warning, which does not fail
// the checks. Across processes the reference is its lowest rating over the
// other process's instances.
TEST_F(ChecksTest, RecommendationAcrossProcessesIsAWarning) {
  data_.scope.push_back({"RES.3", 1});
  data_.instances.push_back({"RES.3/EU", "RES.3", "Problems", "", 1.0});
  data_.instances.push_back({"RES.1/US", "RES.1", "US desk", "", 1.0});
  data_.ratings.push_back(MakeRating(3, "RES.3", "RES.3/EU", "PA1.1", "F"));
  data_.ratings.push_back(MakeRating(4, "RES.1", "RES.1/US", "PA1.1", "F"));
  data_.ratings.push_back(MakeRating(5, "RES.3", "RES.3/EU", "RES.3.BP5", "F"));  // RL.XP.5 subject
  data_.ratings.push_back(MakeRating(6, "RES.1", "RES.1/EU", "RES.1.BP3", "L"));
  data_.ratings.back().weakness = "Known errors are looked up by hand.";
  data_.ratings.push_back(MakeRating(7, "RES.1", "RES.1/US", "RES.1.BP3", "N"));
  data_.ratings.back().weakness = "Known errors are not used.";
  CheckReport report = RunChecks(*model_, data_);
  ASSERT_EQ(report.findings.size(), 1u) << report.findings.front().message;
  const CheckFinding& f = report.findings[0];
  EXPECT_EQ(f.check, "rule");
  EXPECT_EQ(f.rule, "RL.XP.5");
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_EQ(f.rating, 5);
  EXPECT_EQ(f.message,
            "RL.XP.5 (align): RES.3/EU RES.3.BP5 by ann is F but RES.1/US RES.1.BP3 by ann is N (more than one step "
            "apart)");
  EXPECT_TRUE(report.passed());
  EXPECT_EQ(report.errors(), 0u);
  data_.ratings.back().value = "P";  // lowest is now P: two steps from F
  EXPECT_EQ(Findings("rule").size(), 1u);
  data_.ratings.back().value = "L";
  EXPECT_TRUE(Findings("rule").empty());
}

TEST_F(ChecksTest, NeverRatedUnderR1ListsAchievementsUpToTheTarget) {
  data_.assessment.options.method = RatingMethod::kR1;
  data_.scope = {{"RES.2", 2}};
  data_.instances = {{"RES.2/EU", "RES.2", "EU desk", "", 1.0}};
  data_.ratings.clear();
  const Process* p = model_->FindProcess("RES.2");
  int64_t id = 10;
  for (const Statement& o : p->outcomes) data_.ratings.push_back(MakeRating(id++, "RES.2", "RES.2/EU", o.id, "F"));
  std::vector<std::string> expected;
  for (const ProcessAttribute& a : model_->framework().attributes)
    if (a.level == 2)
      for (const Statement& st : a.achievements) expected.push_back(st.id);
  std::vector<std::string> got;
  for (const CheckFinding& f : Findings("never-rated")) got.push_back(f.item);
  EXPECT_EQ(got, expected);
  auto f = Findings("never-rated");
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].message, "RES.2/EU: achievement " + expected[0] + " is in scope but not rated");
  // Target 0: nothing of the process is in scope, not even its outcomes.
  data_.scope[0].target_level = 0;
  data_.ratings.clear();
  EXPECT_TRUE(Findings("never-rated").empty());
}

TEST_F(ChecksTest, EveryCheckHasANameAndAnOrder) {
  EXPECT_EQ(CheckNames(), (std::vector<std::string>{"no-evidence", "two-sources", "no-weakness", "rule", "never-rated",
                                                   "rater-not-on-team", "evidence-after-rating",
                                                   "evidence-after-assessment"}));
  // Findings come in that order.
  data_.ratings[0].evidence.clear();
  data_.ratings[1].assessor = "ivan";
  data_.evidence[1].effective_date = "2026-11-01";
  std::vector<std::string> got;
  for (const CheckFinding& f : RunChecks(*model_, data_).findings) got.push_back(f.check);
  EXPECT_EQ(got, (std::vector<std::string>{"no-evidence", "rater-not-on-team", "evidence-after-assessment"}));
}

}  // namespace
}  // namespace assay
