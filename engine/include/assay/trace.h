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
#ifndef ASSAY_TRACE_H_
#define ASSAY_TRACE_H_

#include <string>
#include <vector>

#include "assay/assessment.h"
#include "assay/model_graph.h"
#include "assay/rating_items.h"
#include "assay/status.h"

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
  RatingItem item;               // id, kind, label, text, supports (rating_items.h)
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

#endif  // ASSAY_TRACE_H_
