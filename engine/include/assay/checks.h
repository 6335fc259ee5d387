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
#ifndef ASSAY_CHECKS_H_
#define ASSAY_CHECKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "assay/assessment.h"
#include "assay/model.h"

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

#endif  // ASSAY_CHECKS_H_
