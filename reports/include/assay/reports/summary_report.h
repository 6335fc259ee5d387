// The summary report of an assessment: the few pages a sponsor reads
// (docs/REPORT.md, "The summary report"). At most 12 pages for 29 processes,
// whatever the number of instances:
//
//   cover; 1 at a glance (key figures, the maturity level or why none is
//   stated, the change since the previous assessment of the series);
//   2 the capability profile against the targets; 3 the gaps, with the
//   attribute that blocks each process's next level; 4 the most important
//   weaknesses (those recorded against the blocking attributes) and
//   strengths; 5 the trend since the previous assessment of the series
//   (chart and the changed processes); 6 the maturity level and the
//   processes that hold it back; the report manifest.
//
// Like the full report it only formats computed results, and the same input
// gives byte-identical output (no clock). Its manifest has kind kSummary and
// names the assessment, so `assay verify-report` reproduces it.
//
// Thread safety: pure functions over const input.
#ifndef ASSAY_REPORTS_SUMMARY_REPORT_H_
#define ASSAY_REPORTS_SUMMARY_REPORT_H_

#include <string>
#include <vector>

#include "assay/reports/assessment_report.h"
#include "assay/rating.h"

namespace assay::reports {

struct SummaryReportInput {
  // As for the full report, but manifest.kind must be kSummary.
  AssessmentReportInput report;
  // The assessment's series up to and including it (assay/rating.h), or null:
  // with fewer than two assessments the summary says that no trend exists yet.
  // When given, its newest assessment must be the report's.
  const Trend* trend = nullptr;
};

// Renders the summary PDF into *pdf (warnings as RenderAssessmentReport).
// InvalidInput when an input pointer is null, the manifest does not name
// this assessment as a summary, or the trend ends at another assessment;
// NotFound when the fonts are missing; IOError when libharu fails.
Status RenderSummaryReport(const SummaryReportInput& input, const ReportOptions& options, std::string* pdf,
                           std::vector<std::string>* warnings);

// The summary's content as JSON ("format": "assay-summary-report/1"):
// the same figures, gaps, statements, trend and maturity as the PDF.
// REQUIRES: the input pointers are non-null.
std::string SummaryReportJson(const SummaryReportInput& input);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_SUMMARY_REPORT_H_
