// Ratings as CSV in the format `assay import` reads (docs/SPREADSHEETS.md):
// what a spreadsheet user edits and imports back.
//
// Both texts start with a UTF-8 byte order mark (so that Excel reads UTF-8
// names), separate fields with commas and end lines with CRLF. Cells go
// through CsvCell (profile.h): a formula-like statement is neutralised with a
// leading quote, which the import drops again. Thread-safe (pure).
#ifndef ASSAY_REPORTS_RATINGS_CSV_H_
#define ASSAY_REPORTS_RATINGS_CSV_H_

#include <string>

#include "assay/assessment.h"
#include "assay/model.h"

namespace assay::reports {

// The columns both texts have, in order.
inline constexpr const char* kRatingsCsvHeader =
    "assessment,process,instance,item,value,assessor,consolidated,strength,weakness,reasons,evidence,justification";

// Every current rating of `data`, one per row, in the order of data.ratings.
// The rating time is left out: an edited row is rated when it is imported,
// and an unchanged row is recognised as unchanged.
std::string RatingsCsv(const AssessmentData& data);

// A row to fill in per instance and item to rate (ItemsToRate, up to each
// process's target level), with the assessment, process, instance and item
// filled in; rows left unfilled are skipped by the import.
std::string RatingsCsvTemplate(const Model& model, const AssessmentData& data);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_RATINGS_CSV_H_
