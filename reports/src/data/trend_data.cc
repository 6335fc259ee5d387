#include <cmath>

#include <nlohmann/json.hpp>

#include "assay/reports/profile.h"
#include "assay/reports/trend.h"
#include "data/dispersion_json.h"

namespace assay::reports {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json Optional(const std::optional<int>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

ordered_json PointJson(const Assessment& a, const TrendPoint& p) {
  ordered_json j;
  j["assessment"] = a.id;
  j["in_scope"] = p.in_scope;
  j["capability_level"] = Optional(p.level);
  j["target_level"] = p.in_scope ? ordered_json(p.target_level) : ordered_json(nullptr);
  j["gap"] = Optional(p.gap);
  return j;
}

ordered_json ChangesJson(const std::vector<Change>& changes) {
  ordered_json out = ordered_json::array();
  for (Change c : changes) out.push_back(ChangeName(c));
  return out;
}

}  // namespace

std::string TrendJson(const std::string& organization, const std::string& series, const Trend& trend) {
  ordered_json out;
  out["format"] = "assay-trend/1";
  out["organization"] = organization;
  out["series"] = series;
  ordered_json as = ordered_json::array();
  for (const Assessment& a : trend.assessments)
    as.push_back({{"id", a.id},
                  {"title", a.title},
                  {"date", SeriesDate(a)},
                  {"status", AssessmentStatusName(a.status)},
                  {"model", a.model_id + "@" + a.model_version}});
  out["assessments"] = as;
  ordered_json ps = ordered_json::array();
  for (const ProcessTrend& p : trend.processes) {
    ordered_json pj;
    pj["process"] = p.process;
    pj["name"] = p.name;
    ordered_json points = ordered_json::array();
    for (size_t k = 0; k < p.points.size(); ++k) points.push_back(PointJson(trend.assessments[k], p.points[k]));
    pj["points"] = points;
    pj["changes"] = ChangesJson(p.changes);
    pj["latest"] = ChangeName(p.latest);
    ordered_json attrs = ordered_json::array();
    for (const AttributeTrend& a : p.attributes) {
      ordered_json values = ordered_json::array();
      for (const std::string& v : a.values) values.push_back(v.empty() ? ordered_json(nullptr) : ordered_json(v));
      ordered_json dispersions = ordered_json::array();
      for (const std::optional<Dispersion>& d : a.dispersions)
        dispersions.push_back(d ? DispersionJson(*d) : ordered_json(nullptr));
      attrs.push_back({{"attribute", a.attribute},
                       {"values", values},
                       {"dispersions", dispersions},
                       {"changes", ChangesJson(a.changes)}});
    }
    pj["attributes"] = attrs;
    ps.push_back(std::move(pj));
  }
  out["processes"] = ps;
  return out.dump(2) + "\n";
}

std::string TrendCsv(const std::string& organization, const std::string& series, const Trend& trend) {
  std::string out =
      "organization,series,assessment,date,process,attribute,in_scope,value,capability_level,target_level,gap,"
      "change,cv,reliability\r\n";
  auto opt = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); };
  auto row = [&](size_t k, const std::string& process, const std::string& attribute, const TrendPoint& p,
                 const std::string& value, const std::string& change, const std::optional<Dispersion>& d) {
    const Assessment& a = trend.assessments[k];
    out += CsvCell(organization) + "," + CsvCell(series) + "," + CsvCell(a.id) + "," + CsvCell(SeriesDate(a)) + "," +
           CsvCell(process) + "," + CsvCell(attribute) + "," + (p.in_scope ? "yes" : "no") + "," + CsvCell(value) +
           "," + (attribute.empty() ? opt(p.level) : "") + "," +
           (p.in_scope && attribute.empty() ? std::to_string(p.target_level) : "") + "," +
           (attribute.empty() ? opt(p.gap) : "") + "," + CsvCell(change) + "," +
           (d ? ordered_json(Round2(d->cv)).dump() : "") + "," + (d ? ReliabilityName(d->reliability) : "") + "\r\n";
  };
  for (const ProcessTrend& p : trend.processes) {
    for (size_t k = 0; k < p.points.size(); ++k)
      row(k, p.process, "", p.points[k], "", k == 0 ? "" : ChangeName(p.changes[k - 1]), std::nullopt);
    for (const AttributeTrend& a : p.attributes)
      for (size_t k = 0; k < a.values.size(); ++k)
        row(k, p.process, a.attribute, p.points[k], a.values[k], k == 0 ? "" : ChangeName(a.changes[k - 1]),
            a.dispersions[k]);
  }
  return out;
}

}  // namespace assay::reports
