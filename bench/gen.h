// Deterministic generator of synthetic assessments for benchmarks (issue 7,
// item 1).
//
// Given a loaded model and a GenSpec, writes either
//   * a ratings CSV in the format `assay import` reads (the header of
//     `assay import --template csv`); one file per assessment, since the
//     importer takes one assessment per file, or
//   * one assay-assessment/1 JSON document (schemas/assessment.schema.json)
//     per assessment: scope, unit, instances, people, evidence and,
//     unless GenSpec::ratings is false, the ratings.
// Both are a pure function of (model, spec): the same seed gives the same
// bytes. A JSON skeleton (ratings = false) and the CSV of the same spec
// agree on every ID, so the CSV can be imported into the skeleton.
//
// Values are drawn per level, skewed towards L/F at level 1 and lower at
// higher levels; one value in twenty is written as a percentage within the
// value's band. Ratings below F carry a short weakness, ratings of L or F a
// short strength. Output is streamed; nothing is held per rating.
#ifndef ASSAY_BENCH_GEN_H_
#define ASSAY_BENCH_GEN_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "assay/assessment.h"
#include "assay/model.h"
#include "assay/status.h"

namespace assay::bench {

struct GenSpec {
  int assessments = 1;  // Default: 1
  int processes = 30;   // Default: 30; capped at the model's process count
  int instances = 5;    // per process. Default: 5
  // Indicators rated per instance (R1): the process's base practices and work
  // products, then the generic practices and resources of levels 2..target,
  // cycled when more are asked for than exist (a cycled indicator is rated
  // by another assessor). 0 = each exactly once. Default: 0.
  int indicators = 0;
  int assessors = 3;                        // rating assessors; a lead assessor is added. Default: 3
  int target_level = 3;                     // Default: 3
  RatingMethod method = RatingMethod::kR1;  // R1: indicators; R2/R3: attributes. Default: R1
  bool ratings = true;                      // JSON only: false writes a skeleton without ratings. Default: true
  uint32_t seed = 1;                        // Default: 1
  std::string prefix = "GEN";               // assessment IDs are <prefix>-0001, ... Default: "GEN"
};

// The assessment ID of assessment `index` (0-based): "<prefix>-0001".
std::string AssessmentId(const GenSpec& spec, int index);

// Number of ratings the spec produces per assessment (for sizing).
int64_t RatingsPerAssessment(const Model& model, const GenSpec& spec);

// Writes the ratings of assessment `index` (0-based) as CSV, header first.
// InvalidInput when the spec or index is out of range.
Status WriteRatingsCsv(const Model& model, const GenSpec& spec, int index, std::ostream& out);

// Writes assessment `index` (0-based) as an assay-assessment/1 JSON document.
// InvalidInput when the spec or index is out of range.
Status WriteAssessmentJson(const Model& model, const GenSpec& spec, int index, std::ostream& out);

// A scaled copy of a process assessment model pack, for measuring how the
// reports grow with the number of processes (the bundled pack has 29):
// `pack_json` (the text of the source pack) with exactly `processes`
// processes. Process k is source process k % n (n = the source's process
// count); copies after the first get the suffix "x<copy>" on the process ID
// and on the IDs of its outcomes, base practices and work products ("SPM.1"
// becomes "SPM.1x1", "SPM.1.BP1" "SPM.1x1.BP1"), and " (copy <copy>)" on
// the name. The pack's ID becomes `id`; everything else (framework,
// groups, maturity model, reason codes, consistency rules, which name the
// source's processes) is kept, so the copy passes `assay model check`.
// InvalidInput when `pack_json` is not a pack with processes or `processes`
// is below 1.
Status ScalePack(const std::string& pack_json, int processes, const std::string& id, std::string* out);

}  // namespace assay::bench

#endif  // ASSAY_BENCH_GEN_H_
