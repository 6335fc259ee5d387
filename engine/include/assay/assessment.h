// AssessmentData: one consistent snapshot of an assessment, as plain values.
//
// The workspace (store.h) reads it in one transaction; the rating engine
// (rating.h) computes results from it as pure functions. Only the current
// version of each record is in a snapshot: superseded ratings stay in the
// workspace's history but not here. All dates are ISO 8601 strings
// ("2026-11-24" or "2026-11-24T10:30:00Z"). Plain value types; no thread
// safety concerns beyond those of std::vector.
#ifndef ASSAY_ASSESSMENT_H_
#define ASSAY_ASSESSMENT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assay/status.h"

namespace assay {

// Enumerations. Each has a Name() giving its stable text form (used in JSON,
// the CLI and the store; a string literal) and a Parse() accepting exactly
// that form. Parse leaves *out unchanged on error and returns InvalidInput
// naming the text and the nearest valid names, or all of them when none is
// near, with the subject (kind: what was parsed, id: the text, nearest):
//   unknown role 'lead'; nearest: lead-assessor
//   unknown rating method 'X': expected one of R1, R2, R3
enum class RatingMethod { kR1, kR2, kR3 };
enum class AggregationMethod { kMean, kWeightedMean, kMedian, kMinimum };
enum class ScaleKind { kStandard, kRefined };  // N/P/L/F or N/P-/P+/L-/L+/F

const char* RatingMethodName(RatingMethod m);            // "R1", "R2", "R3"
const char* AggregationMethodName(AggregationMethod m);  // "mean", "weighted-mean", "median", "minimum"
const char* ScaleKindName(ScaleKind k);                  // "standard", "refined"
Status ParseRatingMethod(std::string_view text, RatingMethod* out);
Status ParseAggregationMethod(std::string_view text, AggregationMethod* out);
Status ParseScaleKind(std::string_view text, ScaleKind* out);

enum class AssessmentStatus { kPlanned, kCollecting, kValidating, kRated, kReported, kClosed };
const char* AssessmentStatusName(AssessmentStatus s);  // "planned", ...
Status ParseAssessmentStatus(std::string_view text, AssessmentStatus* out);

// How ratings are turned into process attribute ratings. Declared in the
// assessment input and cited in the report.
struct RatingOptions {
  RatingMethod method = RatingMethod::kR2;                  // Default: R2
  AggregationMethod aggregation = AggregationMethod::kMean;  // Default: arithmetic mean
  ScaleKind scale = ScaleKind::kStandard;                   // Default: N/P/L/F
  std::string weights_rationale;  // required for kWeightedMean
};

struct ScopedProcess {
  std::string process;   // process ID of the pinned model
  int target_level = 3;  // attributes above it are "not assessed"
};

struct OrgUnit {
  std::string id;
  std::string name;
  std::string description;
};

struct ProcessInstance {
  std::string id;       // unique within the assessment, e.g. "RES.1/ServiceDesk-EU"
  std::string process;  // process ID
  std::string name;
  std::string unit;     // OrgUnit ID
  double weight = 1.0;  // for weighted aggregation
};

enum class Role { kSponsor, kLeadAssessor, kAssessor, kCoordinator, kInterviewee, kObserver };
const char* RoleName(Role r);  // "sponsor", "lead-assessor", "assessor", ...
Status ParseRole(std::string_view text, Role* out);

// A member of one assessment's team (or a participant): the person, by the
// ID of their entry in the workspace's registry (RegisteredPerson), and
// their roles in this assessment. The name is that of the registry entry.
struct Person {
  std::string id;  // short handle, e.g. "mkoch"
  std::string name;
  std::string organization;
  std::vector<Role> roles;
};

// A competence or qualification held since a date (and, when it expires,
// until one): "competent assessor, ISO/IEC 33002" since 2024-03-01.
struct Credential {
  std::string name;
  std::string since;  // YYYY-MM-DD, or "" when not known
  std::string until;  // YYYY-MM-DD, or "" when it does not expire
};

// A person of the workspace's registry (schema version 6): known once for
// every assessment and audit, which refer to them by ID.
struct RegisteredPerson {
  std::string id;  // the ID teams use ("mkoch"): the safe set of IDs
  std::string name;
  std::string organization;
  std::vector<Role> roles;                  // roles the person can take (sorted, unique)
  std::vector<Credential> competences;      // in the order given
  std::vector<Credential> qualifications;   // in the order given
  std::vector<std::string> areas;           // technical areas ("service desk", "networks")
  // Other names the ID was recorded with in teams before the registry
  // existed (schema migration 6, docs/TEAMWORK.md); sorted. Teams may use them.
  std::vector<std::string> aliases;
};

struct Interview {
  std::string id;
  std::string held_at;  // date-time
  std::vector<std::string> interviewers;  // person IDs
  std::vector<std::string> interviewees;  // person IDs
  std::vector<std::string> processes;
  std::vector<std::string> instances;
  std::string notes;
};

enum class EvidenceKind { kDocument, kRecord, kInterviewStatement, kObservation, kToolDemonstration };
const char* EvidenceKindName(EvidenceKind k);  // "document", "record", "interview-statement", ...
Status ParseEvidenceKind(std::string_view text, EvidenceKind* out);

struct Evidence {
  std::string id;
  EvidenceKind kind = EvidenceKind::kDocument;
  std::string reference;  // document ID, ticket, URL, interview ID
  std::string description;
  std::string effective_date;  // date the evidence speaks for
  std::string collected_date;
  std::string collected_by;    // person ID
  std::string sha256;          // of an attached file, optional
  std::string interview;       // interview ID, optional
};

// The kind of item a rating is about.
enum class ItemKind {
  kIndicator,    // base practice, work product, generic practice or resource
  kOutcome,      // process outcome (R1)
  kAchievement,  // process attribute achievement (R1)
  kAttribute,    // process attribute (R2, R3)
};
const char* ItemKindName(ItemKind k);  // "indicator", "outcome", "achievement", "attribute"
Status ParseItemKind(std::string_view text, ItemKind* out);

// One rating: the current version of it. `value` is a scale value ("N",
// "P-", "P", "P+", "L-", "L", "L+", "F") or a percentage ("72%").
struct Rating {
  int64_t id = 0;          // workspace row ID of this version
  std::string process;     // process ID
  std::string instance;    // process instance ID
  std::string item;        // indicator, outcome, achievement or attribute ID
  ItemKind item_kind = ItemKind::kAttribute;
  std::string assessor;    // person ID; empty when consolidated
  bool consolidated = false;  // the team's agreed rating
  std::string value;
  std::string strength;    // strength statement, optional
  std::string weakness;    // weakness statement, required below F by the checks
  std::vector<std::string> reasons;   // reason codes of the model
  std::vector<std::string> evidence;  // evidence IDs
  std::string rated_at;    // date-time
  std::string justification;  // why a consistency rule deviation is accepted
  // Derived when read (not stored): an attribute above the process's target
  // level. Accepted, but outside the assessment's scope.
  bool outside_scope = false;
};

struct Assessment {
  std::string id;
  std::string title;
  std::string organization;
  // Assessments of one organization with the same series name form a series
  // (assay trend); "" is the organization's default series.
  std::string series;
  std::string sponsor;  // person ID or name
  std::string purpose;
  int assessment_class = 3;       // 1, 2 or 3
  std::string independence;       // "A", "B", "C" or "D"
  std::string model_id;           // pinned model pack
  std::string model_version;
  std::string model_hash;
  RatingOptions options;
  std::string constraints;
  std::string confidentiality;    // confidentiality and ownership statement
  std::string start_date;
  std::string end_date;           // the assessment date used by the checks
  AssessmentStatus status = AssessmentStatus::kPlanned;
};

struct AssessmentData {
  Assessment assessment;
  std::vector<ScopedProcess> scope;
  std::vector<OrgUnit> units;
  std::vector<ProcessInstance> instances;
  std::vector<Person> people;
  std::vector<Interview> interviews;
  std::vector<Evidence> evidence;
  std::vector<Rating> ratings;  // current versions only
};

}  // namespace assay

#endif  // ASSAY_ASSESSMENT_H_
