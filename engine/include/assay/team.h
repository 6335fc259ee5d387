// Team: where the assessors of an assessment disagree (docs/TEAMWORK.md).
//
// An item (a process instance and an indicator, outcome, achievement or
// attribute) is in disagreement when two or more assessors have a current
// rating of it with different values (compared as ordinals on the
// assessment's scale) and no consolidated rating of it exists. Two ratings
// of one item by different assessors are kept side by side, never one over
// the other: a merge of hand-outs that changed the same item on both sides
// leaves exactly that. The team settles it with a consolidated rating (a
// Rating with consolidated == true), which the profile then uses.
//
// Pure functions of a snapshot: no storage, no clock, no output.
#ifndef ASSAY_TEAM_H_
#define ASSAY_TEAM_H_

#include <string>
#include <vector>

#include "assay/assessment.h"
#include "assay/checks.h"
#include "assay/model.h"
#include "assay/status.h"

namespace assay {

// One open disagreement with the assessors' ratings behind it.
struct OpenDisagreement {
  std::string process;
  std::string instance;
  std::string item;
  ItemKind item_kind = ItemKind::kAttribute;
  std::vector<Rating> ratings;  // the current rating of each assessor, sorted by assessor
  std::string used;             // the value used meanwhile: the lowest
};

// The open disagreements of `data`, sorted by (instance, item), with the rules
// of ResolveTeamRatings (rating.h) on the assessment's scale. InvalidInput
// when a rating value cannot be read on that scale.
Status FindDisagreements(const Model& model, const AssessmentData& data, std::vector<OpenDisagreement>* out);

// The check "disagreement": one finding per open disagreement, an error for
// class 1 and 2 assessments and a warning for class 3. Message:
//   RES.1/EU PA2.1: assessors disagree (ada L, cy F) and no consolidated rating is recorded
// It is not part of RunChecks (whose counts the assessment report shows,
// with its own section of open disagreements); `assay check` adds it.
inline constexpr const char* kDisagreementCheck = "disagreement";
std::vector<CheckFinding> DisagreementFindings(const AssessmentData& data,
                                               const std::vector<OpenDisagreement>& open);

}  // namespace assay

#endif  // ASSAY_TEAM_H_
