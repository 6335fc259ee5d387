// XLSX workbooks (libxlsxwriter): the rating workbook assessors fill in.
//
// The rating workbook of an assessment (docs/SPREADSHEETS.md) has a cover
// sheet (the assessment, its model, method and scale, how to fill it in),
// one sheet per scoped process with the items to rate as rows (see
// RatingItem in assay/rating.h) and, per instance and rater, four columns (value,
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
#include <vector>

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

// One sheet of a table workbook: a title row, a blank row, a header row, then
// the rows. Cells are text, except in `numeric` columns, where a cell that
// is a number is written as one.
struct XlsxTable {
  std::string name;   // the sheet's name (at most 31 characters; none of []:*?/\)
  std::string title;  // row 1
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column; missing columns are text
};

// A workbook of read-only tables, for management (the profile, the audit
// programme, the nonconformity register): every text cell neutralised as in
// the CSV output (NeutraliseFormula in profile.h), rating values (N, P-, P,
// P+, L-, L, L+, F) coloured as in the reports, the header frozen, a filter
// on it, the sheets protected. `date` (ISO) is the document's date.
Status TableWorkbook(const std::vector<XlsxTable>& tables, const std::string& title, const std::string& date,
                     const WorkbookOptions& options, std::string* bytes);

// The capability profile as a table workbook: "Profile" (per process the
// aggregated attribute ratings, capability level, target and gap) and
// "Instances" (the attribute matrix: per process instance its attribute
// ratings and level). "n/a" marks an attribute not assessed (above the
// target level), "n/r" one not rated.
Status ProfileWorkbook(const Model& model, const AssessmentData& data, const RatingResults& results,
                       const WorkbookOptions& options, std::string* bytes);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_XLSX_H_
