#include "assay/assessment.h"

#include <array>
#include <string_view>
#include <utility>

namespace assay {

namespace {

template <typename E, size_t N>
bool ParseByName(const std::string& s, const std::array<std::pair<E, const char*>, N>& table, E* out) {
  for (const auto& [value, name] : table)
    if (s == name) {
      *out = value;
      return true;
    }
  return false;
}

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

bool ParseRatingMethod(const std::string& s, RatingMethod* out) { return ParseByName(s, kMethods, out); }
bool ParseAggregationMethod(const std::string& s, AggregationMethod* out) {
  return ParseByName(s, kAggregations, out);
}
bool ParseScaleKind(const std::string& s, ScaleKind* out) { return ParseByName(s, kScales, out); }
bool ParseAssessmentStatus(const std::string& s, AssessmentStatus* out) { return ParseByName(s, kStatuses, out); }
bool ParseRole(const std::string& s, Role* out) { return ParseByName(s, kRoles, out); }
bool ParseEvidenceKind(const std::string& s, EvidenceKind* out) { return ParseByName(s, kEvidenceKinds, out); }
bool ParseItemKind(const std::string& s, ItemKind* out) { return ParseByName(s, kItemKinds, out); }

}  // namespace assay
