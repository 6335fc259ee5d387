// Data renderings of rating results: JSON (schemas/profile.schema.json) and CSV.
//
// These functions only format what the engine computed; they never rate.
// Thread-safe (pure).
#ifndef ASSAY_REPORTS_PROFILE_H_
#define ASSAY_REPORTS_PROFILE_H_

#include <string>

#include "assay/assessment.h"
#include "assay/rating.h"
#include "assay/model.h"

namespace assay::reports {

// The capability profile as JSON text (2-space indented, keys in a fixed
// order). `checks` may be null.
std::string ProfileJson(const Model& model, const AssessmentData& data, const RatingResults& results,
                        const CheckReport* checks);

// The capability profile as CSV: a header row, then one row per process and
// attribute for the aggregate (instance column empty) and, with
// `instances`, per instance. Columns: assessment, process, instance,
// attribute, level, state, value, capability_level, target_level.
// Text cells that a spreadsheet would run as a formula are neutralised.
std::string ProfileCsv(const AssessmentData& data, const RatingResults& results, bool instances);

// Check findings as JSON text.
std::string ChecksJson(const AssessmentData& data, const CheckReport& checks);

// Quotes one CSV cell when needed (comma, semicolon, tab, quote, CR/LF: any
// usual separator, so no reader splits it) and neutralises it
// (NeutraliseFormula).
std::string CsvCell(const std::string& text);

// Text that a spreadsheet would run as a formula (starting with =, +, -, @,
// tab or CR) with a single quote before it; other text as it is. The CSV
// writers and the XLSX tables (xlsx.h) use it.
std::string NeutraliseFormula(const std::string& text);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_PROFILE_H_
