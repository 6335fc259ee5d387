#include "assay/rating.h"

#include <gtest/gtest.h>

#include "assay/model.h"
#include "test_util.h"

namespace assay {
namespace {

using Ids = std::vector<std::string>;

Rating MakeRating(const std::string& instance, const std::string& item, ItemKind kind, const std::string& value,
                  Ids evidence, const std::string& assessor = "") {
  Rating r;
  r.process = instance.substr(0, instance.find('/'));
  r.instance = instance;
  r.item = item;
  r.item_kind = kind;
  r.value = value;
  r.evidence = std::move(evidence);
  r.assessor = assessor;
  r.consolidated = assessor.empty();
  return r;
}

Evidence MakeEvidence(const std::string& id, const std::string& interview = "") {
  Evidence e;
  e.id = id;
  e.reference = "DOC-" + id;
  e.interview = interview;
  return e;
}

class TraceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ModelLibrary library;
    ASSERT_OK(library.Scan());
    std::vector<Diagnostic> diags;
    std::shared_ptr<const Model> model;
    ASSERT_OK(library.Load("itsm-20000", "", &model, &diags));
    graph_ = std::make_unique<ModelGraph>(model);

    data_.assessment.id = "A1";
    data_.scope = {{"RES.1", 3}, {"RES.2", 1}};
    data_.instances = {{"RES.1/A", "RES.1", "", "", 1}, {"RES.1/B", "RES.1", "", "", 1},
                       {"RES.2/A", "RES.2", "", "", 1}};
    data_.evidence = {MakeEvidence("E1"), MakeEvidence("E2", "I1"), MakeEvidence("E3", "I1"), MakeEvidence("E4")};
    Interview i1, i2, i3;
    i1.id = "I1";
    i1.held_at = "2026-09-14T10:00";
    i2.id = "I2";
    i2.processes = {"RES.1"};
    i3.id = "I3";
    i3.processes = {"RES.2"};
    data_.interviews = {i1, i2, i3};
    data_.ratings = {
        MakeRating("RES.1/B", "PA2.1", ItemKind::kAttribute, "P", {"E1"}),
        MakeRating("RES.1/A", "PA2.1", ItemKind::kAttribute, "L", {"E1"}, "zoe"),
        MakeRating("RES.1/A", "PA2.1", ItemKind::kAttribute, "L", {"E1"}),
        MakeRating("RES.1/A", "GP3.1.1", ItemKind::kIndicator, "P", {"E1", "E2"}),
        MakeRating("RES.1/A", "RES.1.BP1", ItemKind::kIndicator, "F", {"E2"}),
        MakeRating("RES.1/B", "RES.1.O3", ItemKind::kOutcome, "L", {"E2"}),
        MakeRating("RES.1/B", "PA2.1.b", ItemKind::kAchievement, "F", {"E3"}),
        MakeRating("RES.2/A", "PA1.1", ItemKind::kAttribute, "F", {"E3"}),
    };
  }

  std::unique_ptr<ModelGraph> graph_;
  AssessmentData data_;
};

TEST_F(TraceTest, ListsEvidenceWithCitationsAndInterviewsWithTheirEvidence) {
  std::vector<EvidenceEntry> evidence = ListEvidence(data_);
  ASSERT_EQ(evidence.size(), 4u);
  EXPECT_EQ(evidence[0].evidence.id, "E1");
  EXPECT_EQ(evidence[0].cited_by, 4u);
  EXPECT_EQ(evidence[3].cited_by, 0u);
  std::vector<InterviewEntry> interviews = ListInterviews(data_);
  ASSERT_EQ(interviews.size(), 3u);
  EXPECT_EQ(interviews[0].evidence, (Ids{"E2", "E3"}));
  EXPECT_TRUE(interviews[1].evidence.empty());
}

TEST_F(TraceTest, GetAnswersUnknownIdsWithTheNearest) {
  EvidenceEntry e;
  ASSERT_OK(GetEvidence(data_, "E3", &e));
  EXPECT_EQ(e.cited_by, 2u);
  Status s = GetEvidence(data_, "E7", &e);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), "unknown evidence 'E7' in assessment A1; nearest: E1, E2, E3");
  EXPECT_EQ(s.subject().kind, "evidence");
  EXPECT_EQ(s.subject().nearest, (Ids{"E1", "E2", "E3"}));
  InterviewEntry i;
  s = GetInterview(data_, "I4", &i);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), "unknown interview 'I4' in assessment A1; nearest: I1, I2, I3");
  AssessmentData empty;
  empty.assessment.id = "A2";
  s = GetEvidence(empty, "E1", &e);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), "assessment A2 has no evidence records; 'E1' is unknown");
  EXPECT_EQ(s.subject().reason, "none-yet");
}

TEST_F(TraceTest, EvidenceTracesUpToAttributesLevelsAndProcesses) {
  EvidenceTrace t;
  ASSERT_OK(TraceEvidence(*graph_, data_, "E1", &t));
  ASSERT_EQ(t.ratings.size(), 4u);
  // By instance, then item in model order (attributes before generic
  // practices), the team's rating before an assessor's.
  EXPECT_EQ(t.ratings[0].rating.item, "PA2.1");
  EXPECT_TRUE(t.ratings[0].rating.consolidated);
  EXPECT_EQ(t.ratings[1].rating.assessor, "zoe");
  EXPECT_EQ(t.ratings[2].rating.item, "GP3.1.1");
  EXPECT_EQ(t.ratings[2].item_label, "generic practice");
  EXPECT_EQ(t.ratings[2].supports.achievements, Ids{"PA3.1.a"});
  EXPECT_EQ(t.ratings[2].supports.attributes, Ids{"PA3.1"});
  EXPECT_EQ(t.ratings[2].supports.levels, std::vector<int>{3});
  EXPECT_EQ(t.ratings[3].rating.instance, "RES.1/B");
  EXPECT_EQ(t.processes, Ids{"RES.1"});
  EXPECT_EQ(t.instances, (Ids{"RES.1/A", "RES.1/B"}));
  EXPECT_EQ(t.supports.attributes, (Ids{"PA2.1", "PA3.1"}));
  EXPECT_EQ(t.supports.levels, (std::vector<int>{2, 3}));
  EXPECT_EQ(t.supports.indicators, Ids{"GP3.1.1"});
  EXPECT_TRUE(t.supports.outcomes.empty());
  EXPECT_TRUE(t.interview.id.empty());
}

TEST_F(TraceTest, EvidenceThroughBasePracticesAndOutcomesReachesLevelOne) {
  EvidenceTrace t;
  ASSERT_OK(TraceEvidence(*graph_, data_, "E2", &t));
  EXPECT_EQ(t.interview.id, "I1");
  ASSERT_EQ(t.ratings.size(), 3u);
  EXPECT_EQ(t.ratings[1].rating.item, "RES.1.BP1");
  EXPECT_EQ(t.ratings[1].item_label, "base practice");
  EXPECT_EQ(t.ratings[1].supports.outcomes, (Ids{"RES.1.O1", "RES.1.O6"}));
  EXPECT_EQ(t.ratings[1].supports.attributes, Ids{"PA1.1"});
  EXPECT_EQ(t.ratings[2].item_label, "outcome");
  EXPECT_EQ(t.ratings[2].supports.outcomes, Ids{"RES.1.O3"});
  EXPECT_EQ(t.supports.outcomes, (Ids{"RES.1.O1", "RES.1.O3", "RES.1.O6"}));
  EXPECT_EQ(t.supports.levels, (std::vector<int>{1, 3}));
  EXPECT_EQ(t.supports.indicators, (Ids{"GP3.1.1", "RES.1.BP1"}));

  ASSERT_OK(TraceEvidence(*graph_, data_, "E3", &t));
  EXPECT_EQ(t.processes, (Ids{"RES.1", "RES.2"}));
  EXPECT_EQ(t.supports.achievements, Ids{"PA2.1.b"});
  EXPECT_EQ(t.supports.attributes, (Ids{"PA1.1", "PA2.1"}));

  ASSERT_OK(TraceEvidence(*graph_, data_, "E4", &t));  // cited by nothing
  EXPECT_TRUE(t.ratings.empty());
  EXPECT_TRUE(t.supports.levels.empty());
  EXPECT_EQ(TraceEvidence(*graph_, data_, "EV1", &t).code(), Status::Code::kNotFound);
}

TEST_F(TraceTest, AttributeTracesDownToEvidenceAndInterviews) {
  AttributeTrace t;
  ASSERT_OK(TraceAttribute(*graph_, data_, "RES.1", "PA2.1", &t));
  EXPECT_EQ(t.level, 2);
  EXPECT_TRUE(t.in_scope);
  EXPECT_EQ(t.target_level, 3);
  EXPECT_FALSE(t.above_target);
  EXPECT_EQ(t.instances, (Ids{"RES.1/A", "RES.1/B"}));
  ASSERT_FALSE(t.items.empty());
  EXPECT_EQ(t.items[0].item.id, "PA2.1");
  ASSERT_EQ(t.items[0].ratings.size(), 3u);
  EXPECT_EQ(t.items[0].ratings[0].instance, "RES.1/A");
  EXPECT_TRUE(t.items[0].ratings[0].consolidated);
  EXPECT_EQ(t.items[0].ratings[2].instance, "RES.1/B");
  EXPECT_EQ(t.items[1].item.id, "PA2.1.a");
  EXPECT_EQ(t.items[2].item.id, "PA2.1.b");
  EXPECT_EQ(t.items[2].ratings.size(), 1u);
  // Achievements a..h, then the generic practices and resources.
  EXPECT_EQ(t.items[9].item.id, "GP2.1.1");
  ASSERT_EQ(t.evidence.size(), 2u);
  EXPECT_EQ(t.evidence[0].evidence.evidence.id, "E1");
  EXPECT_EQ(t.evidence[0].items, Ids{"PA2.1"});
  EXPECT_EQ(t.evidence[1].evidence.evidence.id, "E3");
  EXPECT_EQ(t.evidence[1].evidence.cited_by, 2u);  // over the whole assessment
  ASSERT_EQ(t.interviews.size(), 2u);
  EXPECT_EQ(t.interviews[0].interview.id, "I1");
  EXPECT_EQ(t.interviews[0].evidence, Ids{"E3"});
  EXPECT_FALSE(t.interviews[0].covers_process);
  EXPECT_EQ(t.interviews[1].interview.id, "I2");
  EXPECT_TRUE(t.interviews[1].covers_process);
}

TEST_F(TraceTest, LevelOneAttributeIsBackedByOutcomesAndBasePractices) {
  AttributeTrace t;
  ASSERT_OK(TraceAttribute(*graph_, data_, "RES.1", "PA1.1", &t));
  Ids ids;
  for (const BackingItem& b : t.items) ids.push_back(b.item.id);
  ASSERT_GE(ids.size(), 8u);
  EXPECT_EQ(ids[0], "PA1.1");
  EXPECT_EQ(ids[1], "RES.1.O1");
  EXPECT_NE(std::find(ids.begin(), ids.end(), "RES.1.BP1"), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), "RES.1.WP5"), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "GP2.1.1"), ids.end());
  ASSERT_EQ(t.evidence.size(), 1u);
  EXPECT_EQ(t.evidence[0].evidence.evidence.id, "E2");
  EXPECT_EQ(t.evidence[0].items, (Ids{"RES.1.O3", "RES.1.BP1"}));
}

TEST_F(TraceTest, AttributeAboveTargetOrOutOfScopeIsSaid) {
  AttributeTrace t;
  ASSERT_OK(TraceAttribute(*graph_, data_, "RES.2", "PA2.1", &t));
  EXPECT_TRUE(t.in_scope);
  EXPECT_TRUE(t.above_target);
  ASSERT_OK(TraceAttribute(*graph_, data_, "RES.3", "PA2.1", &t));
  EXPECT_FALSE(t.in_scope);
  EXPECT_TRUE(t.instances.empty());
  EXPECT_TRUE(t.evidence.empty());
}

TEST_F(TraceTest, UnknownProcessOrAttributeSuggestsTheNearest) {
  AttributeTrace t;
  Status s = TraceAttribute(*graph_, data_, "RES.9", "PA2.1", &t);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.subject().kind, "process");
  EXPECT_NE(s.message().find("unknown process 'RES.9' in model itsm-20000@"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("; nearest: RES.1"), std::string::npos) << s.message();
  s = TraceAttribute(*graph_, data_, "RES.1", "PA2.9", &t);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.subject().kind, "attribute");
  EXPECT_NE(s.message().find("; nearest: PA2.1"), std::string::npos) << s.message();
}

TEST(ItemKindOfTest, TakesTheKindFromTheModel) {
  ModelLibrary library;
  ASSERT_OK(library.Scan());
  std::vector<Diagnostic> diags;
  std::shared_ptr<const Model> model;
  ASSERT_OK(library.Load("itsm-20000", "", &model, &diags));
  const std::pair<const char*, ItemKind> cases[] = {{"PA2.1", ItemKind::kAttribute},
                                                    {"PA2.1.a", ItemKind::kAchievement},
                                                    {"RES.1.O1", ItemKind::kOutcome},
                                                    {"RES.1.BP1", ItemKind::kIndicator},
                                                    {"GP2.1.1", ItemKind::kIndicator}};
  for (const auto& [id, want] : cases) {
    ItemKind kind = ItemKind::kIndicator;
    EXPECT_TRUE(ItemKindOf(*model, id, &kind)) << id;
    EXPECT_EQ(kind, want) << id;
  }
  ItemKind kind = ItemKind::kOutcome;
  EXPECT_FALSE(ItemKindOf(*model, "PA9.9", &kind));
  EXPECT_EQ(kind, ItemKind::kOutcome);
}

}  // namespace
}  // namespace assay
