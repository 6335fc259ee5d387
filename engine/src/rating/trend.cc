#include "assay/rating.h"

#include <algorithm>
#include <map>
#include <set>

#include "assay/scale.h"

namespace assay {

namespace {

// A rated attribute's step on the standard scale; -1 when not rated.
int Step(const AttributeRating& a) { return a.state == AttributeState::kRated ? a.folded : -1; }

Change Compare(bool before, bool now, int from, int to) {
  if (!before && !now) return Change::kUnchanged;
  if (!before) return Change::kNew;
  if (!now) return Change::kDropped;
  if (to > from) return Change::kImproved;
  if (to < from) return Change::kRegressed;
  return Change::kUnchanged;
}

Change CompareLevels(const TrendPoint& before, const TrendPoint& now) {
  if (before.in_scope && now.in_scope && (!before.level || !now.level)) return Change::kNotComparable;
  return Compare(before.in_scope, now.in_scope, before.level.value_or(0), now.level.value_or(0));
}

TrendPoint PointOf(const ProcessProfile& p) {
  TrendPoint t;
  t.in_scope = true;
  t.target_level = p.target_level;
  if (p.capability.determined) t.level = p.capability.level;
  t.gap = p.gap;
  t.attributes = p.aggregate;
  return t;
}

// The attributes rated anywhere in the series, in the order first met.
std::vector<AttributeTrend> AttributesOf(const ProcessTrend& pt) {
  std::vector<std::string> order;
  std::set<std::string> seen;
  for (const TrendPoint& point : pt.points)
    for (const AttributeRating& a : point.attributes)
      if (a.state == AttributeState::kRated && seen.insert(a.attribute).second) order.push_back(a.attribute);
  std::vector<AttributeTrend> out;
  for (const std::string& id : order) {
    AttributeTrend at;
    at.attribute = id;
    std::vector<int> steps;
    for (const TrendPoint& point : pt.points) {
      auto it = std::find_if(point.attributes.begin(), point.attributes.end(),
                             [&id](const AttributeRating& a) { return a.attribute == id; });
      const bool rated = it != point.attributes.end() && it->state == AttributeState::kRated;
      at.values.push_back(rated ? it->value : "");
      at.dispersions.push_back(rated ? it->dispersion : std::nullopt);
      steps.push_back(rated ? Step(*it) : -1);
    }
    for (size_t i = 1; i < steps.size(); ++i)
      at.changes.push_back(Compare(steps[i - 1] >= 0, steps[i] >= 0, steps[i - 1], steps[i]));
    out.push_back(std::move(at));
  }
  return out;
}

}  // namespace

const char* ChangeName(Change c) {
  switch (c) {
    case Change::kUnchanged:
      return "unchanged";
    case Change::kImproved:
      return "improved";
    case Change::kRegressed:
      return "regressed";
    case Change::kNew:
      return "new";
    case Change::kDropped:
      return "dropped";
    case Change::kNotComparable:
      return "not comparable";
  }
  return "?";
}

std::string SeriesDate(const Assessment& a) { return a.end_date.empty() ? a.start_date : a.end_date; }

void SortSeries(std::vector<Assessment>* assessments) {
  std::stable_sort(assessments->begin(), assessments->end(), [](const Assessment& x, const Assessment& y) {
    const std::string dx = SeriesDate(x), dy = SeriesDate(y);
    return dx != dy ? dx < dy : x.id < y.id;
  });
}

Trend ComputeTrend(const std::vector<SeriesEntry>& series) {
  Trend trend;
  const size_t n = series.size();
  // Process order: the newest scope first, then the earlier ones newest first.
  std::vector<std::string> order;
  std::map<std::string, size_t> index;
  for (size_t k = n; k-- > 0;) {
    for (const ProcessProfile& p : series[k].results->processes) {
      if (index.count(p.process)) continue;
      index[p.process] = order.size();
      order.push_back(p.process);
    }
  }
  trend.processes.resize(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    trend.processes[i].process = order[i];
    trend.processes[i].points.resize(n);
  }
  for (size_t k = 0; k < n; ++k) {
    trend.assessments.push_back(series[k].data->assessment);
    for (const ProcessProfile& p : series[k].results->processes) {
      ProcessTrend& pt = trend.processes[index.at(p.process)];
      pt.points[k] = PointOf(p);
      pt.name = p.name;  // the newest name wins
    }
  }
  for (ProcessTrend& pt : trend.processes) {
    for (size_t k = 1; k < n; ++k) pt.changes.push_back(CompareLevels(pt.points[k - 1], pt.points[k]));
    if (!pt.changes.empty()) pt.latest = pt.changes.back();
    pt.attributes = AttributesOf(pt);
  }
  return trend;
}

std::vector<Assessment> LatestPerOrganization(std::vector<Assessment> all) {
  std::erase_if(all, [](const Assessment& a) { return a.organization.empty(); });
  SortSeries(&all);
  std::map<std::string, Assessment> latest;  // by organization: the last in series order wins
  for (Assessment& a : all) latest[a.organization] = std::move(a);
  std::vector<Assessment> out;
  for (auto& [org, a] : latest) out.push_back(std::move(a));
  return out;
}

Portfolio ComputePortfolio(const std::vector<SeriesEntry>& latest) {
  Portfolio portfolio;
  std::map<std::string, size_t> index;
  for (const SeriesEntry& e : latest)
    for (const ProcessProfile& p : e.results->processes) {
      if (index.count(p.process)) continue;
      index[p.process] = portfolio.processes.size();
      portfolio.processes.push_back(p.process);
      portfolio.names.push_back(p.name);
    }
  for (const SeriesEntry& e : latest) {
    PortfolioRow row;
    row.assessment = e.data->assessment;
    row.points.resize(portfolio.processes.size());
    for (const ProcessProfile& p : e.results->processes) row.points[index.at(p.process)] = PointOf(p);
    portfolio.rows.push_back(std::move(row));
  }
  return portfolio;
}

}  // namespace assay
