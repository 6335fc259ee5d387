// XLSX workbooks (libxlsxwriter): the rating workbook assessors fill in.
//
// The rating workbook of an assessment (docs/SPREADSHEETS.md) has a cover
// sheet (the assessment, its model, method and scale, how to fill it in),
// one sheet per scoped process with the items to rate as rows (see
// rating_items.h) and, per instance and rater, four columns (value,
// strength, weakness, evidence), and a sheet with the current profile.
// Value cells offer the scale as a drop-down list and are coloured by value;
// headers are frozen; sheets are protected so that only the rating cells can
// be edited (no password: the protection guards the structure, it is not a
// secret). Text is always written as text, never as a formula.
//
// The same inputs give the same bytes (the document's date is the
// assessment's end date, or its start date). Thread-safe (pure, apart from
// a temporary file in `tmpdir`).
#ifndef ASSAY_REPORTS_XLSX_H_
#define ASSAY_REPORTS_XLSX_H_

#include <string>

#include "assay/assessment.h"
#include "assay/model.h"
#include "assay/rating.h"
#include "assay/status.h"

namespace assay::reports {

struct WorkbookOptions {
  // Only this assessor's columns (a hand-out for one person); empty: every
  // assessor and lead assessor of the team, then the team's consolidated
  // rating.
  std::string assessor;
  // Where libxlsxwriter assembles the file. Default: the system's.
  std::string tmpdir;
};

// The rating workbook's bytes.
Status RatingWorkbook(const Model& model, const AssessmentData& data, const RatingResults& results,
                      const WorkbookOptions& options, std::string* bytes);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_XLSX_H_
