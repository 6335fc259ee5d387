#include <cmath>

#include <nlohmann/json.hpp>

#include "assay/reports/profile.h"
#include "data/dispersion_json.h"

namespace assay::reports {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json AttributesJson(const std::vector<AttributeRating>& attrs) {
  ordered_json out = ordered_json::array();
  for (const AttributeRating& a : attrs) {
    ordered_json j;
    j["attribute"] = a.attribute;
    j["level"] = a.level;
    j["state"] = AttributeStateName(a.state);
    j["value"] = a.state == AttributeState::kRated ? ordered_json(a.value) : ordered_json(nullptr);
    if (!a.missing.empty()) j["missing"] = a.missing;
    if (a.dispersion) j["dispersion"] = DispersionJson(*a.dispersion);
    out.push_back(std::move(j));
  }
  return out;
}

ordered_json CapabilityJson(const CapabilityResult& c) {
  ordered_json j;
  j["determined"] = c.determined;
  j["level"] = c.determined ? ordered_json(c.level) : ordered_json(nullptr);
  j["assessed_up_to"] = c.assessed_up_to;
  j["limited_by_target"] = c.limited_by_target;
  ordered_json blockers = ordered_json::array();
  for (const Blocker& b : c.blockers)
    blockers.push_back({{"attribute", b.attribute},
                        {"state", AttributeStateName(b.state)},
                        {"value", b.value.empty() ? ordered_json(nullptr) : ordered_json(b.value)},
                        {"needs", b.needs}});
  j["blockers"] = blockers;
  return j;
}

}  // namespace

std::string ProfileJson(const Model& model, const AssessmentData& data, const RatingResults& results,
                        const CheckReport* checks) {
  const Assessment& a = data.assessment;
  ordered_json out;
  out["format"] = "assay-profile/1";
  ordered_json as;
  as["id"] = a.id;
  as["title"] = a.title;
  as["organization"] = a.organization;
  as["class"] = a.assessment_class;
  as["status"] = AssessmentStatusName(a.status);
  as["model"] = {{"id", a.model_id}, {"version", a.model_version}, {"hash", a.model_hash}};
  as["rating_method"] = RatingMethodName(results.options.method);
  as["aggregation"] = AggregationMethodName(results.options.aggregation);
  as["scale"] = ScaleKindName(results.options.scale);
  out["assessment"] = as;
  ordered_json processes = ordered_json::array();
  for (const ProcessProfile& p : results.processes) {
    ordered_json pj;
    pj["process"] = p.process;
    pj["name"] = p.name;
    pj["target_level"] = p.target_level;
    pj["capability_level"] = p.capability.determined ? ordered_json(p.capability.level) : ordered_json(nullptr);
    pj["gap"] = p.gap ? ordered_json(*p.gap) : ordered_json(nullptr);
    pj["capability"] = CapabilityJson(p.capability);
    pj["attributes"] = AttributesJson(p.aggregate);
    ordered_json instances = ordered_json::array();
    for (const InstanceResult& i : p.instances) {
      ordered_json ij;
      ij["instance"] = i.instance;
      ij["weight"] = i.weight;
      ij["capability_level"] = i.capability.level;
      ij["attributes"] = AttributesJson(i.attributes);
      instances.push_back(std::move(ij));
    }
    pj["instances"] = instances;
    ordered_json sens = ordered_json::array();
    for (const Sensitivity& s : p.sensitivity)
      sens.push_back({{"instance", s.instance},
                      {"attribute", s.attribute},
                      {"statement", s.statement},
                      {"step", s.step},
                      {"from", s.from},
                      {"to", s.to},
                      {"aggregate", s.aggregate},
                      {"level_before", s.level_before},
                      {"level_after", s.level_after}});
    pj["sensitivity"] = sens;
    processes.push_back(std::move(pj));
  }
  out["processes"] = processes;
  const MaturityResult& m = results.maturity;
  ordered_json mj;
  mj["available"] = m.available;
  mj["stated"] = m.stated;
  mj["model"] = m.model;
  mj["level"] = m.level;
  mj["top_level"] = m.top_level;
  mj["attainable"] = m.attainable;
  if (!m.note.empty()) mj["note"] = m.note;
  ordered_json mb = ordered_json::array();
  for (const MaturityBlocker& b : m.blockers)
    mb.push_back({{"process", b.process},
                  {"required", b.required},
                  {"achieved", b.achieved ? ordered_json(*b.achieved) : ordered_json(nullptr)},
                  {"reason", MaturityBlockerReasonName(b.reason)}});
  mj["blockers"] = mb;
  out["maturity"] = mj;
  ordered_json ag;
  ag["statistic"] = results.agreement.statistic;
  ag["items"] = results.agreement.items;
  ag["raters"] = results.agreement.raters;
  ag["observed"] = results.agreement.observed;
  ag["kappa"] = results.agreement.kappa ? ordered_json(*results.agreement.kappa) : ordered_json(nullptr);
  out["agreement"] = ag;
  ordered_json dis = ordered_json::array();
  for (const Disagreement& d : results.disagreements) {
    ordered_json votes = ordered_json::array();
    for (const Vote& v : d.votes) votes.push_back({{"assessor", v.assessor}, {"value", v.value}});
    dis.push_back({{"process", d.process}, {"instance", d.instance}, {"item", d.item}, {"votes", votes},
                   {"used", d.used}});
  }
  out["disagreements"] = dis;
  if (checks) out["checks"] = ordered_json::parse(ChecksJson(data, *checks));
  (void)model;
  return out.dump(2) + "\n";
}

std::string ChecksJson(const AssessmentData& data, const CheckReport& checks) {
  ordered_json out;
  out["assessment"] = data.assessment.id;
  out["passed"] = checks.passed();
  out["errors"] = checks.errors();
  ordered_json list = ordered_json::array();
  for (const CheckFinding& f : checks.findings) {
    ordered_json j;
    j["check"] = f.check;
    j["severity"] = SeverityName(f.severity);
    j["process"] = f.process;
    j["instance"] = f.instance;
    j["item"] = f.item;
    j["assessor"] = f.assessor;
    j["rating"] = f.rating;
    j["evidence"] = f.evidence;
    j["rule"] = f.rule;
    j["justification"] = f.justification;
    j["message"] = f.message;
    list.push_back(std::move(j));
  }
  out["findings"] = list;
  return out.dump(2) + "\n";
}

std::string NeutraliseFormula(const std::string& text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' ||
                        text[0] == '\r'))
    return "'" + text;
  return text;
}

std::string CsvCell(const std::string& text) {
  const std::string cell = NeutraliseFormula(text);
  // Quoted when it holds any usual separator (comma, semicolon, tab), so a
  // spreadsheet splitting on another one cannot start a cell inside it.
  if (cell.find_first_of(",;\t\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string ProfileCsv(const AssessmentData& data, const RatingResults& results, bool instances) {
  std::string out = "assessment,process,instance,attribute,level,state,value,capability_level,target_level\r\n";
  auto row = [&](const std::string& process, const std::string& instance, const AttributeRating& a,
                 const std::string& level, int target) {
    out += CsvCell(data.assessment.id) + "," + CsvCell(process) + "," + CsvCell(instance) + "," +
           CsvCell(a.attribute) + "," + std::to_string(a.level) + "," + CsvCell(AttributeStateName(a.state)) + "," +
           CsvCell(a.state == AttributeState::kRated ? a.value : "") + "," + level + "," + std::to_string(target) +
           "\r\n";
  };
  for (const ProcessProfile& p : results.processes) {
    std::string level = p.capability.determined ? std::to_string(p.capability.level) : "";
    for (const AttributeRating& a : p.aggregate) row(p.process, "", a, level, p.target_level);
    if (!instances) continue;
    for (const InstanceResult& i : p.instances)
      for (const AttributeRating& a : i.attributes)
        row(p.process, i.instance, a, std::to_string(i.capability.level), p.target_level);
  }
  return out;
}

}  // namespace assay::reports
