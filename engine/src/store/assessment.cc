#include "assay/assessment.h"

#include <array>
#include <string_view>
#include <utility>

#include "util/enum_names.h"

namespace assay {

namespace {

template <typename E, size_t N>
const char* NameOf(E v, const std::array<std::pair<E, const char*>, N>& table) {
  for (const auto& [value, name] : table)
    if (value == v) return name;
  return "?";
}

constexpr std::array<std::pair<RatingMethod, const char*>, 3> kMethods = {
    {{RatingMethod::kR1, "R1"}, {RatingMethod::kR2, "R2"}, {RatingMethod::kR3, "R3"}}};
constexpr std::array<std::pair<AggregationMethod, const char*>, 4> kAggregations = {
    {{AggregationMethod::kMean, "mean"},
     {AggregationMethod::kWeightedMean, "weighted-mean"},
     {AggregationMethod::kMedian, "median"},
     {AggregationMethod::kMinimum, "minimum"}}};
constexpr std::array<std::pair<ScaleKind, const char*>, 2> kScales = {
    {{ScaleKind::kStandard, "standard"}, {ScaleKind::kRefined, "refined"}}};
constexpr std::array<std::pair<AssessmentStatus, const char*>, 6> kStatuses = {
    {{AssessmentStatus::kPlanned, "planned"},
     {AssessmentStatus::kCollecting, "collecting"},
     {AssessmentStatus::kValidating, "validating"},
     {AssessmentStatus::kRated, "rated"},
     {AssessmentStatus::kReported, "reported"},
     {AssessmentStatus::kClosed, "closed"}}};
constexpr std::array<std::pair<Role, const char*>, 6> kRoles = {{{Role::kSponsor, "sponsor"},
                                                                 {Role::kLeadAssessor, "lead-assessor"},
                                                                 {Role::kAssessor, "assessor"},
                                                                 {Role::kCoordinator, "coordinator"},
                                                                 {Role::kInterviewee, "interviewee"},
                                                                 {Role::kObserver, "observer"}}};
constexpr std::array<std::pair<EvidenceKind, const char*>, 5> kEvidenceKinds = {
    {{EvidenceKind::kDocument, "document"},
     {EvidenceKind::kRecord, "record"},
     {EvidenceKind::kInterviewStatement, "interview-statement"},
     {EvidenceKind::kObservation, "observation"},
     {EvidenceKind::kToolDemonstration, "tool-demonstration"}}};
constexpr std::array<std::pair<ItemKind, const char*>, 4> kItemKinds = {{{ItemKind::kIndicator, "indicator"},
                                                                         {ItemKind::kOutcome, "outcome"},
                                                                         {ItemKind::kAchievement, "achievement"},
                                                                         {ItemKind::kAttribute, "attribute"}}};

}  // namespace

const char* RatingMethodName(RatingMethod m) { return NameOf(m, kMethods); }
const char* AggregationMethodName(AggregationMethod m) { return NameOf(m, kAggregations); }
const char* ScaleKindName(ScaleKind k) { return NameOf(k, kScales); }
const char* AssessmentStatusName(AssessmentStatus s) { return NameOf(s, kStatuses); }
const char* RoleName(Role r) { return NameOf(r, kRoles); }
const char* EvidenceKindName(EvidenceKind k) { return NameOf(k, kEvidenceKinds); }
const char* ItemKindName(ItemKind k) { return NameOf(k, kItemKinds); }

Status ParseRatingMethod(std::string_view text, RatingMethod* out) {
  return internal::ParseName("rating method", kMethods, text, out);
}
Status ParseAggregationMethod(std::string_view text, AggregationMethod* out) {
  return internal::ParseName("aggregation method", kAggregations, text, out);
}
Status ParseScaleKind(std::string_view text, ScaleKind* out) { return internal::ParseName("scale", kScales, text, out); }
Status ParseAssessmentStatus(std::string_view text, AssessmentStatus* out) {
  return internal::ParseName("assessment status", kStatuses, text, out);
}
Status ParseRole(std::string_view text, Role* out) { return internal::ParseName("role", kRoles, text, out); }
Status ParseEvidenceKind(std::string_view text, EvidenceKind* out) {
  return internal::ParseName("evidence kind", kEvidenceKinds, text, out);
}
Status ParseItemKind(std::string_view text, ItemKind* out) {
  return internal::ParseName("item kind", kItemKinds, text, out);
}

}  // namespace assay
