// Rating: process attribute ratings, capability levels, profiles and
// organizational maturity, computed from a snapshot of an assessment.
//
// Concept. ComputeResults() turns the current ratings of an AssessmentData
// into RatingResults following the assessment's RatingOptions (method,
// aggregation, scale). It is the single place where ISO/IEC 33020's rules
// are applied; the CLI, the reports and the what-if command all call it.
// Everything here is a pure function of its arguments: no storage, no clock,
// no output. The building blocks (Aggregate, DetermineCapability,
// DetermineMaturity, ResolveTeamRatings, ComputeAgreement) are public so that
// they can be tested and reused on their own.
//
// Rules (each one tested in tests/engine/rating_test.cc):
//
//  * Team ratings. Ratings of one item (instance + item ID) are resolved
//    first: the consolidated rating counts when there is one (the newest by
//    row ID if there are several). Otherwise a single assessor's rating
//    counts. When several assessors rated the item and their values differ
//    (compared as ordinals on the assessment's scale) a Disagreement is
//    recorded with every assessor's value and the LOWEST value is used:
//    conservative, and monotone (raising one assessor's value never lowers
//    the result).
//  * Inter-assessor agreement over the items rated by two or more assessors
//    (non-consolidated ratings): Cohen's kappa when exactly two assessors
//    rated such items, Fleiss' kappa (with a varying number of raters per
//    item: P_i = (sum_j n_ij^2 - n_i) / (n_i (n_i - 1))) when more did.
//    Categories are the ordinals of the assessment's scale. When chance
//    agreement is 1 (every rating the same value) kappa is undefined; it is
//    reported as 1 when the observed agreement is complete, else absent.
//  * R1. Per instance every process outcome and every achievement of the
//    attributes at levels 2..5 is characterised: by its direct rating, or,
//    without one, by the mean (half up) of the ratings of the indicators that
//    support it (ModelGraph::Supporters: base practices and work products
//    for outcomes, generic practices and resources for achievements).
//    PA 1.1 of an instance aggregates the instance's outcome
//    characterisations and each other attribute its achievement
//    characterisations, with the assessment's aggregation method (all
//    weights 1). The aggregate attribute rating aggregates the
//    characterisations of ALL instances together (33020's matrix
//    aggregation), each weighted by its instance's weight. Ratings of PA 1.1's
//    own achievement and direct attribute ratings are not used under R1.
//    Statements left uncharacterised are listed in AttributeRating::missing;
//    an attribute none of whose statements is characterised is "not rated".
//  * R2. Attributes are rated per instance; the aggregate aggregates the
//    instances that rated the attribute (instance weights for the weighted
//    mean). Instances without a rating are listed in missing; with none
//    the aggregate is "not rated".
//  * R3. Attributes are rated per instance and not aggregated. With exactly
//    one instance of a process, that instance's ratings ARE the process's
//    ratings (nothing needs aggregating). With several, the aggregate is
//    "not aggregated", the aggregate capability level is not determined
//    (CapabilityResult::determined == false), and the maturity level cannot
//    use the process.
//  * Aggregation methods, over ordinals of the assessment's scale:
//      mean           arithmetic mean, rounded half up (x.5 -> x+1); exact
//                     integer arithmetic
//      weighted mean  sum(w*v)/sum(w), rounded half up with a tolerance of
//                     1e-9 for floating point; weights must be finite and > 0
//      median         middle value; for an even count the LOWER of the two
//                     middle values (conservative, like the minimum, and it
//                     is always a value someone actually gave)
//      minimum        the lowest value
//  * Capability level: the highest k such that every attribute of level k is
//    at least L and every attribute of the levels below k is F, refined
//    values folded first (P-/P+ count as P, L-/L+ as L). Attributes above
//    the process's target level are "not assessed" (never N) and the level
//    is claimed only up to the target. An attribute within the target
//    without any rating is "not rated" and blocks its level like a rating
//    below L would, but it is reported as not rated, not as N.
//  * Sensitivity: each single rating that feeds an aggregate (instance
//    attribute ratings under R2/R3, instance characterisations under R1)
//    moved one step up or down on the assessment's scale; reported when the
//    aggregate capability level changes (the instance's level under R3 with
//    several instances, where there is no aggregate).
//  * Maturity: rule "staged" (model.h). Level n holds when every process of
//    the sets of levels k = 1..n reaches, in its aggregate capability level,
//    min(n, max(k, 3)) (the largest such requirement if it is named at
//    several levels). The result names the processes that hold the
//    organization back from the next level; a process of a set that is not
//    in the assessment scope, or whose target level is below what a level
//    requires, makes that level unattainable, and the result says so.
//
// The parts after the results, each with its own contract: the items of a
// rating sheet (RatingItems), the checks (RunChecks), open disagreements
// between assessors (Team), traceability of evidence and attributes (Trace)
// and the trend of a series of assessments (ComputeTrend, portfolios).
//
// Thread safety: all functions are pure and reentrant; results are values.
//
// Status codes (ComputeResults): InvalidInput when a rating value cannot be
// read or placed on the assessment's scale (e.g. plain "P" on the refined
// scale; the message names the rating, its item and instance), a rating
// names an unknown instance or an instance of another process, an instance
// weight is not finite and > 0 under the weighted mean, or the refined scale
// is asked of a framework without one, or a process is scoped twice;
// NotFound when a scoped process is not in the model. The first 20 problems are listed, one per line.
#ifndef ASSAY_RATING_H_
#define ASSAY_RATING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "assay/assessment.h"
#include "assay/model.h"
#include "assay/model_graph.h"
#include "assay/status.h"

namespace assay {

// ---------------------------------------------------------------------------
// Aggregation

// Aggregates `ordinals` with `method`. `weights` is used by kWeightedMean
// only; it must then have the size of `ordinals` (empty means all 1).
// InvalidInput when `ordinals` is empty, the sizes differ, or a weight is not
// finite and > 0.
Status Aggregate(AggregationMethod method, const std::vector<int>& ordinals, const std::vector<double>& weights,
                 int* result);

// ---------------------------------------------------------------------------
// Team ratings

struct Vote {
  std::string assessor;
  std::string value;  // as written
};

// Several assessors rated one item differently and no consolidated rating
// exists yet.
struct Disagreement {
  std::string process;
  std::string instance;
  std::string item;
  ItemKind item_kind = ItemKind::kAttribute;
  std::vector<Vote> votes;  // sorted by assessor
  std::string used;         // the value used meanwhile: the lowest
};

// The rating that counts for one item of one instance.
struct ResolvedRating {
  std::string process;
  std::string instance;
  std::string item;
  ItemKind item_kind = ItemKind::kAttribute;
  int ordinal = 0;          // on the assessment's scale
  std::string value;        // ValueOf(scale, ordinal)
  bool consolidated = false;
  bool disputed = false;    // a Disagreement was recorded for it
  std::vector<int64_t> rating_ids;  // the Rating rows behind it
};

// Inter-assessor agreement.
struct Agreement {
  std::string statistic = "none";  // "none", "cohen" or "fleiss"
  size_t items = 0;                // items rated by two or more assessors
  size_t raters = 0;               // distinct assessors over those items
  double observed = 0;             // observed agreement (share of agreeing pairs)
  std::optional<double> kappa;     // absent when undefined or items == 0
};

// Resolves every rating of `data` on `scale` (see the rules above). Appends
// to `resolved` (sorted by instance, then item) and `disagreements`.
// InvalidInput lists the values that cannot be read.
Status ResolveTeamRatings(const Framework& fw, ScaleKind scale, const std::vector<Rating>& ratings,
                          std::vector<ResolvedRating>* resolved, std::vector<Disagreement>* disagreements,
                          Agreement* agreement);

// ---------------------------------------------------------------------------
// Attribute ratings and capability levels

enum class AttributeState {
  kRated,
  kNotRated,       // within the target level, but no rating
  kNotAssessed,    // above the process's target level
  kNotAggregated,  // R3 with several instances: no aggregate exists
};
const char* AttributeStateName(AttributeState s);  // "rated", "not rated", "not assessed", "not aggregated"

// How an R1 statement (outcome or achievement) was characterised.
enum class Characterisation { kDirect, kDerived, kNone };

struct StatementRating {
  std::string statement;  // outcome or achievement ID
  std::string attribute;  // the attribute it is aggregated into
  Characterisation how = Characterisation::kNone;
  int ordinal = -1;       // on the assessment's scale; -1 when kNone
  std::string value;      // "" when kNone
  std::vector<std::string> from;  // kDerived: the supporting indicators rated
};

// ---------------------------------------------------------------------------
// Reliability of an aggregate rating
//
// How far apart the values behind one aggregate attribute rating are: the
// instances' ratings (R2), or every characterisation of every instance (R1).
// Each value counts as the midpoint of its band on the assessment's scale in
// percent (mf-33020: N 7.5, P 32.5, L 67.5, F 92.5; refined P- 23.75 ...), with
// the instances' weights. The coefficient of variation is the weighted
// population standard deviation over the weighted mean, in percent; it is
// banded after rounding to one decimal, as it is shown:
//   cv < 30 %  high;  30 % <= cv <= 50 %  moderate;  cv > 50 %  poor.

enum class Reliability { kHigh, kModerate, kPoor };
const char* ReliabilityName(Reliability r);  // "high", "moderate", "poor"
// The band of a coefficient of variation in percent (rounded to 0.1 first).
Reliability ReliabilityOf(double cv_percent);

struct Dispersion {
  size_t values = 0;  // how many values are behind the aggregate (>= 2)
  double mean = 0;    // weighted mean of the band midpoints, percent
  double sd = 0;      // weighted population standard deviation, percentage points
  double cv = 0;      // sd / mean * 100
  Reliability reliability = Reliability::kHigh;
};

// The dispersion of `percents` (each in 0..100, weights > 0; empty weights:
// all 1). REQUIRES: at least 2 values, the same number of weights (or none),
// and a positive weighted mean.
Dispersion ComputeDispersion(const std::vector<double>& percents, const std::vector<double>& weights);

struct AttributeRating {
  std::string attribute;  // "PA2.1"
  int level = 0;
  AttributeState state = AttributeState::kNotRated;
  int ordinal = -1;       // on the assessment's scale when kRated, else -1
  std::string value;      // ValueOf(scale, ordinal) when kRated, else ""
  int folded = -1;        // on the standard scale (0..3) when kRated, else -1
  // R1: statements without a characterisation; R2 aggregate: instances
  // without a rating of the attribute.
  std::vector<std::string> missing;
  // Aggregates (R1, R2) of two or more values: how far apart they are.
  std::optional<Dispersion> dispersion;
};

// What stops the next capability level.
struct Blocker {
  std::string attribute;
  AttributeState state = AttributeState::kNotRated;
  std::string value;  // when rated
  std::string needs;  // "L" (at least L) or "F"
};

struct CapabilityResult {
  bool determined = true;  // false: no aggregate exists (R3, several instances)
  int level = 0;           // meaningful when determined
  int assessed_up_to = 0;  // the highest level that can be claimed: min(target, top level)
  // Why the level is not higher: the next level is above the target (or the
  // top level was reached) and thus not assessed, ...
  bool limited_by_target = false;
  // ... or these attributes do not meet the rule for level + 1.
  std::vector<Blocker> blockers;
};

// The capability level from attribute ratings. Attributes of the framework
// missing from `attributes`, or present as kNotRated, are "not rated";
// attributes above `target_level` are not assessed whatever `attributes`
// says. `attributes` values are folded through AttributeRating::folded.
CapabilityResult DetermineCapability(const Framework& fw, const std::vector<AttributeRating>& attributes,
                                     int target_level);

// ---------------------------------------------------------------------------
// Profiles

struct InstanceResult {
  std::string instance;
  double weight = 1.0;
  std::vector<AttributeRating> attributes;  // every framework attribute, in framework order
  std::vector<StatementRating> statements;  // R1 only: every characterised-or-not statement
  CapabilityResult capability;
};

// One rating moved one step would change the level.
struct Sensitivity {
  std::string instance;
  std::string attribute;
  std::string statement;  // R1: the outcome or achievement; else ""
  int step = 0;           // +1 or -1
  std::string from;       // value before
  std::string to;         // value after
  bool aggregate = true;  // false: the instance level (R3, several instances)
  int level_before = 0;
  int level_after = 0;
};

struct ProcessProfile {
  std::string process;
  std::string name;
  int target_level = 0;
  std::vector<InstanceResult> instances;    // in the order of AssessmentData::instances
  std::vector<AttributeRating> aggregate;   // every framework attribute, in framework order
  CapabilityResult capability;              // from `aggregate`
  std::optional<int> gap;                   // target - achieved; absent when not determined
  // What stands between the aggregate and the target level when gap > 0:
  // every attribute of levels 1..target that does not meet the capability
  // rule for the target level itself (F below it, at least L at it), rated
  // or not rated, in framework order. Empty otherwise.
  std::vector<Blocker> to_target;
  std::vector<Sensitivity> sensitivity;
};

// ---------------------------------------------------------------------------
// Maturity

struct MaturityBlocker {
  enum class Reason {
    kBelow,          // aggregate capability level below the requirement
    kNotDetermined,  // no aggregate capability level (R3 with several instances)
    kNotInScope,     // the process is not in the assessment scope: unattainable
    kTargetTooLow,   // the scope's target level is below the requirement: unattainable
  };
  std::string process;
  int required = 0;                // capability level needed
  std::optional<int> achieved;     // its aggregate capability level, when known
  Reason reason = Reason::kBelow;
};
const char* MaturityBlockerReasonName(MaturityBlocker::Reason r);  // "below", "not determined", ...

struct MaturityResult {
  bool available = false;  // the model has a maturity model with a supported rule
  // A maturity level is stated only when the scope could show one: it covers
  // the process set of maturity level 1 at sufficient target levels
  // (attainable >= 1). Otherwise `level` is 0 but means nothing, and `note`
  // says why no level is stated.
  bool stated = false;
  std::string model;       // maturity model ID
  std::string note;        // why not available, or why no level is stated
  int level = 0;           // achieved maturity level
  int top_level = 0;       // highest level the maturity model defines
  // The highest level this assessment could ever show given its scope and
  // target levels (levels above it are unattainable).
  int attainable = 0;
  std::vector<MaturityBlocker> blockers;  // for level + 1 (empty at the top level)
};

// Maturity from the aggregate capability levels of `profiles` (scoped
// processes; a profile without a determined level cannot count).
MaturityResult DetermineMaturity(const Model& model, const std::vector<ProcessProfile>& profiles);

// ---------------------------------------------------------------------------
// Everything

struct RatingResults {
  RatingOptions options;
  std::vector<ProcessProfile> processes;  // in scope order
  std::vector<ResolvedRating> resolved;   // every item's counting rating
  std::vector<Disagreement> disagreements;
  Agreement agreement;
  MaturityResult maturity;
  std::vector<std::string> notes;  // ratings not used and why
};

// What ComputeResults computes beyond the profile itself.
struct ComputeOptions {
  // ProcessProfile::sensitivity. Off, it is left empty and everything else
  // is the same; commands that do not show it (assay profile --format
  // csv|table) skip its cost. Default: true.
  bool sensitivity = true;
};

// Computes all results of `data` with data.assessment.options.
// REQUIRES: `graph` was built from `model`.
Status ComputeResults(const Model& model, const ModelGraph& graph, const AssessmentData& data, RatingResults* out);
Status ComputeResults(const Model& model, const ModelGraph& graph, const AssessmentData& data, RatingResults* out,
                      const ComputeOptions& compute);

}  // namespace assay

// ===========================================================================
// The items an assessor rates for one process: the rows of a rating sheet.
//
// Per capability level up to the target: the process attribute, then (R1)
// the outcomes (PA 1.1) or achievements (higher attributes) that characterise
// it, then the indicators that support it (base practices and work products
// for PA 1.1; generic practices and resources for the others), in the
// model's order. Pure functions of the model; thread-safe.

namespace assay {

struct RatingItem {
  std::string id;         // attribute, outcome, achievement or indicator ID
  ItemKind kind = ItemKind::kAttribute;
  std::string label;      // "process attribute", "outcome", "achievement", "base practice", ...
  std::string text;       // the name and statement, as the model words them
  std::string attribute;  // the attribute the item belongs to ("PA2.1")
  std::vector<std::string> supports;  // for indicators: the outcomes or achievements they support
  int level = 0;          // the capability level of `attribute`
};

// The items of `process` for levels 1..target_level under `method`. Empty
// when the model has no such process.
std::vector<RatingItem> ItemsToRate(const Model& model, const std::string& process, int target_level,
                                    RatingMethod method);

// The kind of rating item `id` is in `model`: a process attribute, an
// indicator, a process outcome or an attribute achievement. False (and
// *kind untouched) when the model defines no such item.
bool ItemKindOf(const Model& model, const std::string& id, ItemKind* kind);

}  // namespace assay

// ===========================================================================
// Checks: what an assessment team must fix or justify before reporting.
//
// RunChecks() inspects one snapshot of an assessment against its model and
// returns findings, each with its location (process, instance, item, rating
// row, evidence or rule). It is a pure function: no storage, no clock (the
// assessment's own dates are the reference), no output. Thread-safe.
//
// The checks (CheckFinding::check):
//   no-evidence          a rating links no evidence
//   two-sources          class 1 assessments: a rating lacks testimony
//                        (interview statement or observation) or an artefact
//                        (document, record or tool demonstration)
//   no-weakness          a rating below F carries no weakness statement
//   rule                 a consistency rule of the model is violated (see
//                        model.h); a justification recorded on the subject's
//                        rating turns it into a justified deviation (info)
//   never-rated          an item in scope has no rating: under R2/R3 an
//                        attribute up to the target level of each instance;
//                        under R1 an outcome or achievement of each instance
//                        with neither a direct rating nor a rated supporter
//   rater-not-on-team    the rating's assessor is not a person with the
//                        lead-assessor or assessor role
//   evidence-after-rating  evidence collected after the rating was made
//   evidence-after-assessment  evidence effective after the assessment's end date
//
// Severity: errors make `assay check` fail; warnings (rules of severity
// "recommendation") and infos (justified deviations) do not.
//
// Locations. A message starts with where the finding is, then a colon:
//   RES.1/EU PA2.1 by ann: rated L (below F) without a weakness statement
//   RES.1/EU GP3.2.1 (consolidated): ...
// An instance is named by its ID when the ID already starts with its process
// ("RES.1/EU"), else as "EU (RES.1)", so the process never appears twice; a
// rating adds its item and its assessor ("by ann") or "(consolidated)". Rule
// findings start with the rule ("RL.PA3.2.1 (not_above): ...") and name the
// subject rating and the reference rating the same way. The structured
// fields (process, instance, item, assessor, rating) carry the same location.

namespace assay {

enum class Severity { kError, kWarning, kInfo };
const char* SeverityName(Severity s);  // "error", "warning", "info"

struct CheckFinding {
  std::string check;  // see the list above
  Severity severity = Severity::kError;
  std::string process;
  std::string instance;
  std::string item;
  std::string assessor;    // the rating's assessor; "" when consolidated or no rating
  int64_t rating = 0;      // rating row ID, 0 when none
  std::string evidence;    // evidence ID, when the finding is about one
  std::string rule;        // rule ID for "rule"
  std::string justification;
  std::string message;     // one line, in words
};

struct CheckReport {
  std::vector<CheckFinding> findings;  // in a stable order: by check, then location
  // Number of findings of severity error.
  size_t errors() const;
  bool passed() const { return errors() == 0; }
};

// The names of every check, in report order.
const std::vector<std::string>& CheckNames();

CheckReport RunChecks(const Model& model, const AssessmentData& data);

// How findings name an instance (see Locations above): "RES.1/EU", or
// "EU (RES.1)" when the instance ID does not start with "<process>/".
std::string InstanceLabel(const std::string& process, const std::string& instance);

// How findings name a rating: "RES.1/EU PA1.1 by ann",
// "RES.1/EU PA1.1 (consolidated)".
std::string RatingLocation(const Rating& r);

}  // namespace assay

// ===========================================================================
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

// ===========================================================================
// Trace: what an evidence item supports, and what backs a process attribute.
//
// Concept. A rating cites evidence and rates one item of the model in one
// instance of a process; the model graph (model_graph.h) says what that item
// feeds: an indicator supports outcomes or achievements, a process's outcomes
// are characterised for its level 1 attribute (PA 1.1) and an attribute's
// achievements for the attribute, and an attribute belongs to a capability
// level. TraceEvidence() follows one evidence item up that chain:
//
//   evidence -> ratings citing it -> indicator -> outcome / achievement
//            -> attribute -> capability level -> process
//
// TraceAttribute() goes down from one process attribute of one process: the
// model items that feed it (the attribute, its outcomes or achievements, the
// indicators supporting those), the current ratings of each in the process's
// instances, the evidence those ratings cite and the interviews behind it.
// ListEvidence(), ListInterviews(), GetEvidence() and GetInterview() are the
// reading side of the evidence and interview records.
//
// What is traced is the model's structure, whatever the rating method: under
// R2 an indicator rating is recorded and traced although only attribute
// ratings enter the profile (rating.h says which ratings count).
//
// Everything here is a pure function of its arguments (no storage, no clock,
// no output); results are values that copy what they show, so they outlive
// the inputs. Thread-safe.
//
// Status codes: NotFound for an evidence item, interview, process or
// attribute that does not exist (the message names it and the nearest valid
// IDs; subject() carries kind, id and nearest).

namespace assay {

// An evidence item and how many current ratings cite it.
struct EvidenceEntry {
  Evidence evidence;
  size_t cited_by = 0;
};

// An interview and the evidence items recorded from it (IDs, in data order).
struct InterviewEntry {
  Interview interview;
  std::vector<std::string> evidence;
};

// Every evidence item / interview of `data`, in the snapshot's order.
std::vector<EvidenceEntry> ListEvidence(const AssessmentData& data);
std::vector<InterviewEntry> ListInterviews(const AssessmentData& data);

// One evidence item / interview by ID. NotFound with the nearest IDs.
Status GetEvidence(const AssessmentData& data, const std::string& id, EvidenceEntry* out);
Status GetInterview(const AssessmentData& data, const std::string& id, InterviewEntry* out);

// What the item of one rating feeds in the model. Lists are in model order.
struct Support {
  std::vector<std::string> indicators;    // the rated item, when it is an indicator
  std::vector<std::string> outcomes;      // process outcomes
  std::vector<std::string> achievements;  // attribute achievements
  std::vector<std::string> attributes;    // the attributes rated from them
  std::vector<int> levels;                // capability levels of those attributes, ascending
};

// One current rating and what it supports.
struct TracedRating {
  Rating rating;
  std::string item_label;  // "process attribute", "outcome", "achievement", "base practice", ...
  Support supports;
};

struct EvidenceTrace {
  EvidenceEntry evidence;
  // The interview it was recorded from; interview.id is empty when none is
  // recorded (or the recorded ID names no interview of the assessment).
  Interview interview;
  // The current ratings that cite it, by process (model order), instance,
  // item and assessor (the team's consolidated rating first).
  std::vector<TracedRating> ratings;
  // The union over `ratings`: processes (model order), instances (data
  // order) and what they support.
  std::vector<std::string> processes;
  std::vector<std::string> instances;
  Support supports;
};

// Everything evidence item `evidence` of `data` supports.
// REQUIRES: `graph` was built from the model `data` pins.
Status TraceEvidence(const ModelGraph& graph, const AssessmentData& data, const std::string& evidence,
                     EvidenceTrace* out);

// One model item that feeds the traced attribute, with its ratings.
struct BackingItem {
  RatingItem item;               // id, kind, label, text, supports (RatingItem above)
  std::vector<Rating> ratings;   // current ratings of it in the process's instances
};

// Evidence cited by the ratings behind an attribute.
struct BackingEvidence {
  EvidenceEntry evidence;          // cited_by: over the whole assessment
  std::vector<std::string> items;  // the traced items whose ratings cite it, in item order
};

// An interview behind an attribute: evidence recorded from it is cited, or
// it covered the process or one of its instances.
struct BackingInterview {
  Interview interview;
  std::vector<std::string> evidence;  // its evidence items cited by the traced ratings
  bool covers_process = false;        // lists the process or one of its instances
};

struct AttributeTrace {
  std::string process;
  std::string process_name;
  std::string attribute;
  std::string attribute_name;
  int level = 0;                   // the attribute's capability level
  bool in_scope = false;           // the process is in the assessment's scope
  int target_level = 0;            // when in_scope
  bool above_target = false;       // in_scope and level > target_level: not assessed
  std::vector<std::string> instances;  // the process's instances, in data order
  // The attribute, then its outcomes (level 1) or achievements, then the
  // indicators that support them, in model order (as a rating sheet lists
  // them under R1).
  std::vector<BackingItem> items;
  std::vector<BackingEvidence> evidence;     // in the snapshot's evidence order
  std::vector<BackingInterview> interviews;  // in the snapshot's interview order
};

// Everything that backs attribute `attribute` of process `process`.
// REQUIRES: `graph` was built from the model `data` pins.
Status TraceAttribute(const ModelGraph& graph, const AssessmentData& data, const std::string& process,
                      const std::string& attribute, AttributeTrace* out);

}  // namespace assay

// ===========================================================================
// Trend: the capability profiles of one organization's assessments side by
// side, oldest first, with what changed between each one and the next.
//
// A series is the assessments of one organization (Assessment::organization)
// and, when given, one series name (Assessment::series). Processes are
// matched by ID and attributes by ID; values are compared on the standard
// scale (a refined P+ and a standard P are the same step), so assessments
// on different scales compare.
//
// Change of a process from one assessment to the next:
//   new        in scope now, not before
//   dropped    in scope before, not now
//   improved   a higher capability level
//   regressed  a lower capability level
//   unchanged  the same level
//   not comparable  either level is not determined (R3, several instances)
// Of an attribute: the same by its rating (rated in both: higher, lower or
// the same; rated now only: new; rated before only: dropped).
//
// Pure functions; thread-safe.

namespace assay {

enum class Change { kUnchanged, kImproved, kRegressed, kNew, kDropped, kNotComparable };
const char* ChangeName(Change c);  // "unchanged", "improved", "regressed", "new", "dropped", "not comparable"

// The date an assessment is placed at in a series: its end date, else its
// start date, else "".
std::string SeriesDate(const Assessment& a);

// Sorts assessments into series order: by SeriesDate (undated ones first),
// then by ID.
void SortSeries(std::vector<Assessment>* assessments);

// One process at one assessment of the series.
struct TrendPoint {
  bool in_scope = false;
  int target_level = 0;         // when in_scope
  std::optional<int> level;     // aggregate capability level, when determined
  std::optional<int> gap;       // target - level, when determined
  // Every framework attribute's aggregate, in framework order (empty when
  // not in scope).
  std::vector<AttributeRating> attributes;
};

struct AttributeTrend {
  std::string attribute;
  std::vector<std::string> values;  // per assessment; "" when not rated there
  // Per assessment: how far apart the values behind the aggregate were
  // (AttributeRating::dispersion), when it had two or more.
  std::vector<std::optional<Dispersion>> dispersions;
  std::vector<Change> changes;      // per assessment after the first: from the previous one
};

struct ProcessTrend {
  std::string process;
  std::string name;                 // from the newest assessment that scopes it
  std::vector<TrendPoint> points;   // per assessment of the series
  std::vector<Change> changes;      // per assessment after the first: from the previous one
  // changes.back(): from the second newest assessment to the newest
  // (kUnchanged for a series of one).
  Change latest = Change::kUnchanged;
  std::vector<AttributeTrend> attributes;  // every attribute rated somewhere in the series
};

struct Trend {
  std::vector<Assessment> assessments;  // the series, oldest first
  // The processes of the newest assessment in its scope order, then those
  // only earlier assessments scoped (from the newer to the older ones).
  std::vector<ProcessTrend> processes;
};

// One assessment of the series with its results.
struct SeriesEntry {
  const AssessmentData* data = nullptr;
  const RatingResults* results = nullptr;
};

// The trend of `series`, which must be in series order (SortSeries).
Trend ComputeTrend(const std::vector<SeriesEntry>& series);

// ---------------------------------------------------------------------------
// Portfolio: every organization's latest assessment side by side.

// The latest assessment of each organization (Assessment::organization): the
// newest in series order (SortSeries) among all its series, one per
// organization, ordered by organization. Assessments that name no
// organization are left out.
std::vector<Assessment> LatestPerOrganization(std::vector<Assessment> all);

struct PortfolioRow {
  Assessment assessment;           // its organization's latest assessment
  std::vector<TrendPoint> points;  // per Portfolio::processes (in_scope false where not scoped)
};

struct Portfolio {
  // Every process a row scopes: the first row's scope order, then the
  // processes only later rows scope, in the order they are met.
  std::vector<std::string> processes;
  std::vector<std::string> names;  // the process names, from the first row that scopes each
  std::vector<PortfolioRow> rows;  // in the order given
};

// The portfolio of `latest` (e.g. LatestPerOrganization's assessments with
// their results).
Portfolio ComputePortfolio(const std::vector<SeriesEntry>& latest);

}  // namespace assay

#endif  // ASSAY_RATING_H_
