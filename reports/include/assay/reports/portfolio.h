// Renderings of a portfolio (assay/rating.h): JSON (schemas/portfolio.schema.json),
// CSV, the heat map as a PDF and as SVG; and the trend chart as SVG, for
// slides. They only format what the engine computed; the same input gives
// the same bytes. Thread-safe (pure).
#ifndef ASSAY_REPORTS_PORTFOLIO_H_
#define ASSAY_REPORTS_PORTFOLIO_H_

#include <string>
#include <vector>

#include "assay/reports/report_parts.h"
#include "assay/status.h"
#include "assay/rating.h"

namespace assay::reports {

// "format": "assay-portfolio/1", 2-space indented, keys in a fixed order.
std::string PortfolioJson(const Portfolio& portfolio);

// One row per organization and process. Columns: organization, assessment,
// date, process, name, in_scope, capability_level, target_level, gap.
// Formula-like cells neutralised.
std::string PortfolioCsv(const Portfolio& portfolio);

// The heat map as a standalone SVG document: a row per process, a column per
// organization, each cell the capability level (its colour deepening with
// the level) over the target, below-target cells marked. All text escaped.
std::string PortfolioSvg(const Portfolio& portfolio);

// The trend chart (levels per process at each assessment of the series, as
// in the summary report) as a standalone SVG document.
std::string TrendSvg(const std::string& organization, const Trend& trend);

// The heat map as a PDF: a title page section with what the colours mean,
// then the heat map table, the organizations in groups that fit the page.
// `as_of` (YYYY-MM-DD, from the data) dates the document. NotFound when the
// fonts are missing; IOError when libharu fails.
Status RenderPortfolioPdf(const Portfolio& portfolio, const std::string& as_of, const ReportOptions& options,
                          std::string* pdf);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_PORTFOLIO_H_
