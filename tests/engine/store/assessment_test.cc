#include "assay/assessment.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace assay {
namespace {

// Every value's Name() parses back to the value.
template <typename E>
void ExpectRoundTrip(const std::vector<E>& all, const char* (*name)(E), Status (*parse)(std::string_view, E*)) {
  for (E v : all) {
    E back = all.back() == v ? all.front() : all.back();
    EXPECT_OK(parse(name(v), &back));
    EXPECT_EQ(v, back) << name(v);
  }
}

TEST(AssessmentNames, EveryNameParsesBack) {
  ExpectRoundTrip<RatingMethod>({RatingMethod::kR1, RatingMethod::kR2, RatingMethod::kR3}, &RatingMethodName,
                                &ParseRatingMethod);
  ExpectRoundTrip<AggregationMethod>({AggregationMethod::kMean, AggregationMethod::kWeightedMean,
                                      AggregationMethod::kMedian, AggregationMethod::kMinimum},
                                     &AggregationMethodName, &ParseAggregationMethod);
  ExpectRoundTrip<ScaleKind>({ScaleKind::kStandard, ScaleKind::kRefined}, &ScaleKindName, &ParseScaleKind);
  ExpectRoundTrip<AssessmentStatus>({AssessmentStatus::kPlanned, AssessmentStatus::kCollecting,
                                     AssessmentStatus::kValidating, AssessmentStatus::kRated,
                                     AssessmentStatus::kReported, AssessmentStatus::kClosed},
                                    &AssessmentStatusName, &ParseAssessmentStatus);
  ExpectRoundTrip<Role>({Role::kSponsor, Role::kLeadAssessor, Role::kAssessor, Role::kCoordinator, Role::kInterviewee,
                         Role::kObserver},
                        &RoleName, &ParseRole);
  ExpectRoundTrip<EvidenceKind>({EvidenceKind::kDocument, EvidenceKind::kRecord, EvidenceKind::kInterviewStatement,
                                 EvidenceKind::kObservation, EvidenceKind::kToolDemonstration},
                                &EvidenceKindName, &ParseEvidenceKind);
  ExpectRoundTrip<ItemKind>({ItemKind::kIndicator, ItemKind::kOutcome, ItemKind::kAchievement, ItemKind::kAttribute},
                            &ItemKindName, &ParseItemKind);
  EXPECT_STREQ("lead-assessor", RoleName(Role::kLeadAssessor));
  EXPECT_STREQ("weighted-mean", AggregationMethodName(AggregationMethod::kWeightedMean));
}

// An unknown name: InvalidInput naming the text and the nearest valid names
// (or all of them when none is near), with the subject; *out is unchanged.
TEST(AssessmentNames, UnknownNamesSuggestTheNearest) {
  const struct {
    Status status;
    const char* message;
    const char* kind;
    const char* id;
    std::vector<std::string> nearest;
  } cases[] = {
      {[] {
         Role r = Role::kObserver;
         Status s = ParseRole("lead", &r);
         EXPECT_EQ(Role::kObserver, r);
         return s;
       }(),
       "unknown role 'lead'; nearest: lead-assessor", "role", "lead", {"lead-assessor"}},
      {[] {
         ItemKind k = ItemKind::kIndicator;
         Status s = ParseItemKind("Outcome", &k);
         EXPECT_EQ(ItemKind::kIndicator, k);
         return s;
       }(),
       "unknown item kind 'Outcome'; nearest: outcome", "item kind", "Outcome", {"outcome"}},
      {[] {
         EvidenceKind k;
         return ParseEvidenceKind("interview", &k);
       }(),
       "unknown evidence kind 'interview'; nearest: interview-statement", "evidence kind", "interview",
       {"interview-statement"}},
      {[] {
         RatingMethod m;
         return ParseRatingMethod("R4", &m);
       }(),
       "unknown rating method 'R4'; nearest: R1, R2, R3", "rating method", "R4", {"R1", "R2", "R3"}},
      {[] {
         AggregationMethod m;
         return ParseAggregationMethod("quadratic", &m);
       }(),
       "unknown aggregation method 'quadratic': expected one of mean, weighted-mean, median, minimum",
       "aggregation method", "quadratic", {}},
      {[] {
         AssessmentStatus s;
         return ParseAssessmentStatus("finished", &s);
       }(),
       "unknown assessment status 'finished': expected one of planned, collecting, validating, rated, reported, "
       "closed",
       "assessment status", "finished", {}},
      {[] {
         ScaleKind k;
         return ParseScaleKind("refine", &k);
       }(),
       "unknown scale 'refine'; nearest: refined", "scale", "refine", {"refined"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Status::Code::kInvalidInput, c.status.code()) << c.message;
    EXPECT_EQ(c.message, c.status.message());
    EXPECT_EQ(c.kind, c.status.subject().kind);
    EXPECT_EQ(c.id, c.status.subject().id);
    EXPECT_EQ(c.nearest, c.status.subject().nearest) << c.message;
    EXPECT_EQ("missing", c.status.subject().reason);
  }
}

}  // namespace
}  // namespace assay
