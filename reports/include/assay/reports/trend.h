// Renderings of a trend (assay/rating.h): JSON (schemas/trend.schema.json)
// and CSV. They only format what the engine computed. Thread-safe (pure).
#ifndef ASSAY_REPORTS_TREND_H_
#define ASSAY_REPORTS_TREND_H_

#include <string>

#include "assay/rating.h"

namespace assay::reports {

// The trend as JSON text ("format": "assay-trend/1", 2-space indented, keys
// in a fixed order). `organization` and `series` are what was asked for.
std::string TrendJson(const std::string& organization, const std::string& series, const Trend& trend);

// The trend as CSV: one row per process and assessment, then one per
// attribute and assessment. Columns: organization, series, assessment,
// date, process, attribute (empty on a process row), in_scope, value (the
// attribute's), capability_level, target_level, gap, change (from the
// previous assessment; empty on the first). Formula-like cells neutralised.
std::string TrendCsv(const std::string& organization, const std::string& series, const Trend& trend);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_TREND_H_
