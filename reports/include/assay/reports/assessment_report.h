// The process assessment report: the document a sponsor receives at the end
// of an ISO/IEC 33002-style assessment, as a PDF and as the same content in
// JSON or CSV.
//
// Contents, in order (docs/REPORT.md): cover; contents and PDF outline;
// purpose; scope (processes with target levels, units, instances); team and
// participants (with the interviews); constraints; method (model pack and
// hash, rating method, aggregation with weights and rationale, scale);
// results (capability profile chart, process attribute matrix per instance
// and aggregate, capability level table, maturity level); strengths and
// weaknesses per process traced to indicators and evidence; check results and
// justified rule deviations; improvement recommendations from the gaps; the
// statement that the results rest on sampled evidence; the evidence register;
// the signature block; the manifest. Every page but the cover carries a
// running header; every page the confidentiality marking and "Page n of N".
//
// The input is computed results: this file formats, it never rates and never
// reads storage (DESIGN.md). What stands between a process and its target
// level (the recommendation table) is the engine's ProcessProfile::to_target.
//
// Determinism: output depends only on the input. Dates come from the
// assessment record and the manifest, never from the clock; the same input
// gives byte-identical PDF, JSON and CSV.
//
// Thread safety: pure functions over const input.
#ifndef ASSAY_REPORTS_ASSESSMENT_REPORT_H_
#define ASSAY_REPORTS_ASSESSMENT_REPORT_H_

#include <string>

#include "assay/assessment.h"
#include "assay/rating.h"
#include "assay/model.h"
#include "assay/reports/report_parts.h"
#include "assay/status.h"

namespace assay::reports {

// Everything the report shows. The pointers must be non-null and outlive the
// call; `results` and `checks` must have been computed from `data` and `model`.
struct AssessmentReportInput {
  const Model* model = nullptr;
  const AssessmentData* data = nullptr;
  const RatingResults* results = nullptr;
  const CheckReport* checks = nullptr;
  // snapshot_sha256 (of Workspace::Export), assay_version, model and hash,
  // data_as_of. kind must be kAssessment and subject the assessment ID.
  ReportManifest manifest;
};

// Whether a report of `a` is a draft: its status is before rated (planned,
// collecting, validating). A draft says DRAFT on every page (the footer), on
// the cover and in its title (PDF /Title, JSON "title"), and its manifest
// has draft set; the report sets ReportManifest::draft itself.
bool IsDraftAssessment(const Assessment& a);

// The newest date in the snapshot (end date, interviews, evidence, ratings),
// as YYYY-MM-DD: the "data as of" date of a report. "" when there is none.
std::string AssessmentDataAsOf(const AssessmentData& data);

// Renders the PDF into *pdf. InvalidInput when an input pointer is null or
// the manifest does not name this assessment; NotFound when the DejaVu fonts
// are missing (install fonts-dejavu-core or set ASSAY_FONT_DIR); IOError
// when libharu fails. *pdf is untouched on error.
Status RenderAssessmentReport(const AssessmentReportInput& input, const ReportOptions& options, std::string* pdf);
// The same; *warnings (when not null) receives PdfDocument::warnings(): texts
// with characters no font has a glyph for. They are no error.
Status RenderAssessmentReport(const AssessmentReportInput& input, const ReportOptions& options, std::string* pdf,
                              std::vector<std::string>* warnings);

// The report's content as JSON (2-space indented, keys in a fixed order,
// "format": "assay-assessment-report/1"): the same sections as the PDF.
// REQUIRES: the input pointers are non-null.
std::string AssessmentReportJson(const AssessmentReportInput& input);

// The report's content as CSV, one fact per row with the columns
// section, process, instance, attribute, item, value, detail
// (sections: assessment, scope, team, method, attribute, capability,
// maturity, statement, check, deviation, recommendation, evidence, manifest).
// REQUIRES: the input pointers are non-null.
std::string AssessmentReportCsv(const AssessmentReportInput& input);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_ASSESSMENT_REPORT_H_
