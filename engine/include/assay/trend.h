// Trend: the capability profiles of one organization's assessments side by
// side, oldest first, with what changed between each one and the next.
//
// A series is the assessments of one organization (Assessment::organization)
// and, when given, one series name (Assessment::series). Processes are
// matched by ID and attributes by ID; values are compared on the standard
// scale (a refined P+ and a standard P are the same step), so assessments
// on different scales compare.
//
// Change of a process from one assessment to the next:
//   new        in scope now, not before
//   dropped    in scope before, not now
//   improved   a higher capability level
//   regressed  a lower capability level
//   unchanged  the same level
//   not comparable  either level is not determined (R3, several instances)
// Of an attribute: the same by its rating (rated in both: higher, lower or
// the same; rated now only: new; rated before only: dropped).
//
// Pure functions; thread-safe.
#ifndef ASSAY_TREND_H_
#define ASSAY_TREND_H_

#include <optional>
#include <string>
#include <vector>

#include "assay/assessment.h"
#include "assay/rating.h"

namespace assay {

enum class Change { kUnchanged, kImproved, kRegressed, kNew, kDropped, kNotComparable };
const char* ChangeName(Change c);  // "unchanged", "improved", "regressed", "new", "dropped", "not comparable"

// The date an assessment is placed at in a series: its end date, else its
// start date, else "".
std::string SeriesDate(const Assessment& a);

// Sorts assessments into series order: by SeriesDate (undated ones first),
// then by ID.
void SortSeries(std::vector<Assessment>* assessments);

// One process at one assessment of the series.
struct TrendPoint {
  bool in_scope = false;
  int target_level = 0;         // when in_scope
  std::optional<int> level;     // aggregate capability level, when determined
  std::optional<int> gap;       // target - level, when determined
  // Every framework attribute's aggregate, in framework order (empty when
  // not in scope).
  std::vector<AttributeRating> attributes;
};

struct AttributeTrend {
  std::string attribute;
  std::vector<std::string> values;  // per assessment; "" when not rated there
  // Per assessment: how far apart the values behind the aggregate were
  // (AttributeRating::dispersion), when it had two or more.
  std::vector<std::optional<Dispersion>> dispersions;
  std::vector<Change> changes;      // per assessment after the first: from the previous one
};

struct ProcessTrend {
  std::string process;
  std::string name;                 // from the newest assessment that scopes it
  std::vector<TrendPoint> points;   // per assessment of the series
  std::vector<Change> changes;      // per assessment after the first: from the previous one
  // changes.back(): from the second newest assessment to the newest
  // (kUnchanged for a series of one).
  Change latest = Change::kUnchanged;
  std::vector<AttributeTrend> attributes;  // every attribute rated somewhere in the series
};

struct Trend {
  std::vector<Assessment> assessments;  // the series, oldest first
  // The processes of the newest assessment in its scope order, then those
  // only earlier assessments scoped (from the newer to the older ones).
  std::vector<ProcessTrend> processes;
};

// One assessment of the series with its results.
struct SeriesEntry {
  const AssessmentData* data = nullptr;
  const RatingResults* results = nullptr;
};

// The trend of `series`, which must be in series order (SortSeries).
Trend ComputeTrend(const std::vector<SeriesEntry>& series);

// ---------------------------------------------------------------------------
// Portfolio: every organization's latest assessment side by side.

// The latest assessment of each organization (Assessment::organization): the
// newest in series order (SortSeries) among all its series, one per
// organization, ordered by organization. Assessments that name no
// organization are left out.
std::vector<Assessment> LatestPerOrganization(std::vector<Assessment> all);

struct PortfolioRow {
  Assessment assessment;           // its organization's latest assessment
  std::vector<TrendPoint> points;  // per Portfolio::processes (in_scope false where not scoped)
};

struct Portfolio {
  // Every process a row scopes: the first row's scope order, then the
  // processes only later rows scope, in the order they are met.
  std::vector<std::string> processes;
  std::vector<std::string> names;  // the process names, from the first row that scopes each
  std::vector<PortfolioRow> rows;  // in the order given
};

// The portfolio of `latest` (e.g. LatestPerOrganization's assessments with
// their results).
Portfolio ComputePortfolio(const std::vector<SeriesEntry>& latest);

}  // namespace assay

#endif  // ASSAY_TREND_H_
