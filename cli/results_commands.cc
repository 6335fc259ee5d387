// assay profile | check | what-if: results computed from one snapshot.
#include <algorithm>
#include <iomanip>
#include <map>
#include <iostream>
#include <memory>
#include <sstream>

#include "assay/checks.h"
#include "assay/model_graph.h"
#include "assay/rating.h"
#include "assay/reports/profile.h"
#include "assay/scale.h"
#include "assay/store.h"
#include "assay/text.h"
#include "cli.h"

namespace assay::cli {

namespace {

const char* kReset = "\033[0m";

const char* ColorOf(const std::string& folded) {
  if (folded == "N") return "\033[1;31m";
  if (folded == "P") return "\033[33m";
  if (folded == "L") return "\033[36m";
  if (folded == "F") return "\033[32m";
  return "";
}

// A 3-column cell for one attribute: its value, "." not assessed, "?" not
// rated, "~" not aggregated.
std::string Cell(const AttributeRating& a, bool color) {
  std::string text;
  switch (a.state) {
    case AttributeState::kRated: text = a.value; break;
    case AttributeState::kNotRated: text = "?"; break;
    case AttributeState::kNotAssessed: text = "."; break;
    case AttributeState::kNotAggregated: text = "~"; break;
  }
  std::string padded = " " + text + std::string(text.size() < 3 ? 3 - text.size() : 0, ' ');
  if (color && a.state == AttributeState::kRated)
    return std::string(" ") + ColorOf(FoldToStandard(a.value)) + text + kReset +
           std::string(text.size() < 3 ? 3 - text.size() : 0, ' ');
  return padded;
}

std::string Truncate(const std::string& s, size_t n) {
  if (s.size() <= n) return s + std::string(n - s.size(), ' ');
  size_t cut = n - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "~" + std::string(n - 1 - cut, ' ');
}

void PrintTable(const Model& model, const AssessmentData& data, const RatingResults& r, bool instances, bool color,
                std::ostream& out) {
  const Assessment& a = data.assessment;
  out << a.id << "  " << a.title << "\n";
  out << "model " << a.model_id << "@" << a.model_version << ", " << RatingMethodName(r.options.method) << ", "
      << AggregationMethodName(r.options.aggregation) << ", " << ScaleKindName(r.options.scale) << " scale\n\n";
  out << std::left << std::setw(8) << "PROCESS" << std::setw(21) << "NAME";
  for (const ProcessAttribute& attr : model.framework().attributes) {
    std::string short_id = attr.id.substr(attr.id.rfind("PA", 0) == 0 ? 2 : 0);
    out << " " << std::setw(3) << short_id;
  }
  out << "  CL TGT GAP\n";
  for (const ProcessProfile& p : r.processes) {
    out << std::setw(8) << p.process << Truncate(p.name, 20) << " ";
    for (const AttributeRating& attr : p.aggregate) out << Cell(attr, color);
    out << "  " << std::right << std::setw(2) << (p.capability.determined ? std::to_string(p.capability.level) : "-")
        << std::setw(4) << p.target_level << std::setw(4) << (p.gap ? std::to_string(*p.gap) : "-") << std::left
        << "\n";
    if (!instances) continue;
    for (const InstanceResult& i : p.instances) {
      out << "  " << Truncate(i.instance, 26) << " ";
      for (const AttributeRating& attr : i.attributes) out << Cell(attr, color);
      out << "  " << std::right << std::setw(2) << i.capability.level << std::left << "\n";
    }
  }
  out << "\n. not assessed (above target)   ? not rated   ~ not aggregated (R3)\n";
  const MaturityResult& m = r.maturity;
  if (m.available) {
    out << "Organizational maturity level: " << m.level << " of " << m.top_level << " (" << m.model << ")";
    if (m.attainable < m.top_level) out << "; at most " << m.attainable << " with this scope";
    out << "\n";
    if (!m.blockers.empty()) {
      out << "  held back from level " << m.level + 1 << " by:";
      size_t shown = 0;
      for (const MaturityBlocker& b : m.blockers) {
        if (shown++ == 6) {
          out << " ... (" << m.blockers.size() - 6 << " more)";
          break;
        }
        out << " " << b.process << " (" << MaturityBlockerReasonName(b.reason);
        if (b.achieved) out << " CL" << *b.achieved;
        out << ", needs CL" << b.required << ")";
      }
      out << "\n";
    }
  }
  if (!r.disagreements.empty())
    out << r.disagreements.size() << " items rated differently by assessors without a consolidated rating "
        << "(the lowest value is used meanwhile)\n";
  if (r.agreement.items > 0 && r.agreement.kappa)
    out << "Inter-assessor agreement: " << r.agreement.statistic << " kappa " << std::fixed << std::setprecision(2)
        << *r.agreement.kappa << " over " << r.agreement.items << " items\n";
}

int RunProfile(const GlobalOptions& global, const std::string& id, const std::string& format, bool instances) {
  Loaded loaded;
  Status s = LoadAssessment(global, id, &loaded);
  if (!s.ok()) return Fail(s);
  RatingResults results;
  s = ComputeResults(*loaded.model, *loaded.graph, loaded.data, &results);
  if (!s.ok()) return Fail(s);
  if (format == "json")
    std::cout << reports::ProfileJson(*loaded.model, loaded.data, results, nullptr);
  else if (format == "csv")
    std::cout << reports::ProfileCsv(loaded.data, results, instances);
  else
    PrintTable(*loaded.model, loaded.data, results, instances, global.color, std::cout);
  return kExitOk;
}

int RunCheck(const GlobalOptions& global, const std::string& id, const std::string& format) {
  Loaded loaded;
  Status s = LoadAssessment(global, id, &loaded);
  if (!s.ok()) return Fail(s);
  CheckReport report = RunChecks(*loaded.model, loaded.data);
  if (format == "json") {
    std::cout << reports::ChecksJson(loaded.data, report);
  } else {
    for (const CheckFinding& f : report.findings)
      std::cout << std::left << std::setw(8) << SeverityName(f.severity) << std::setw(26) << f.check << f.message
                << "\n";
    std::map<std::string, size_t> counts;
    for (const CheckFinding& f : report.findings) ++counts[f.check];
    std::cout << "\n" << loaded.data.assessment.id << ": " << report.errors() << " errors, "
              << report.findings.size() - report.errors() << " warnings and notes\n";
    for (const std::string& name : CheckNames())
      std::cout << "  " << std::setw(28) << name << (counts[name] ? std::to_string(counts[name]) : "ok") << "\n";
  }
  if (!report.passed()) {
    std::cerr << "assay: checks failed: " << report.errors() << " errors\n";
    return kExitChecksFailed;
  }
  return kExitOk;
}

// --rating INSTANCE:ITEM=VALUE
int RunWhatIf(const GlobalOptions& global, const std::string& id, const std::vector<std::string>& changes,
              const std::string& format) {
  Loaded loaded;
  Status s = LoadAssessment(global, id, &loaded);
  if (!s.ok()) return Fail(s);
  RatingResults before;
  s = ComputeResults(*loaded.model, *loaded.graph, loaded.data, &before);
  if (!s.ok()) return Fail(s);
  AssessmentData changed = loaded.data;
  for (const std::string& change : changes) {
    size_t colon = change.find(':'), eq = change.find('=');
    if (colon == std::string::npos || eq == std::string::npos || eq < colon)
      return Fail(Status::InvalidInput("--rating '" + change + "': expected INSTANCE:ITEM=VALUE, e.g. RES.1/EU:PA2.1=F"));
    std::string instance = change.substr(0, colon), item = change.substr(colon + 1, eq - colon - 1),
                value = change.substr(eq + 1);
    auto inst = std::find_if(changed.instances.begin(), changed.instances.end(),
                             [&](const ProcessInstance& i) { return i.id == instance; });
    if (inst == changed.instances.end()) {
      std::vector<std::string> ids;
      for (const ProcessInstance& i : changed.instances) ids.push_back(i.id);
      return Fail(Status::NotFound("--rating '" + change + "': unknown instance '" + instance + "'" +
                                   SuggestionSuffix(instance, ids)));
    }
    int ordinal = 0;
    s = ResolveRating(loaded.model->framework(), changed.assessment.options.scale, value, &ordinal);
    if (!s.ok()) return Fail(Status::InvalidInput("--rating '" + change + "': " + s.message()));
    std::string owner;
    ItemKind kind = ItemKind::kIndicator;
    if (loaded.model->FindAttribute(item))
      kind = ItemKind::kAttribute;
    else if (loaded.model->FindStatement(item, &owner))
      kind = owner.rfind("PA", 0) == 0 ? ItemKind::kAchievement : ItemKind::kOutcome;
    else if (!loaded.model->FindIndicator(item))
      return Fail(Status::NotFound("--rating '" + change + "': unknown item '" + item + "'" +
                                   SuggestionSuffix(item, loaded.model->AllIds())));
    // The hypothetical rating replaces the item's ratings in that instance.
    std::erase_if(changed.ratings, [&](const Rating& r) { return r.instance == instance && r.item == item; });
    Rating r;
    r.process = inst->process;
    r.instance = instance;
    r.item = item;
    r.item_kind = kind;
    r.consolidated = true;
    r.value = value;
    changed.ratings.push_back(r);
  }
  RatingResults after;
  s = ComputeResults(*loaded.model, *loaded.graph, changed, &after);
  if (!s.ok()) return Fail(s);
  if (format == "json") {
    std::cout << reports::ProfileJson(*loaded.model, changed, after, nullptr);
    return kExitOk;
  }
  PrintTable(*loaded.model, changed, after, false, global.color, std::cout);
  std::cout << "\nWhat changes (nothing was written):\n";
  bool any = false;
  for (size_t i = 0; i < after.processes.size() && i < before.processes.size(); ++i) {
    const CapabilityResult& b = before.processes[i].capability;
    const CapabilityResult& a = after.processes[i].capability;
    if (b.determined != a.determined || b.level != a.level) {
      any = true;
      std::cout << "  " << after.processes[i].process << ": capability level "
                << (b.determined ? std::to_string(b.level) : "-") << " -> "
                << (a.determined ? std::to_string(a.level) : "-") << "\n";
    }
  }
  if (before.maturity.level != after.maturity.level) {
    any = true;
    std::cout << "  maturity level " << before.maturity.level << " -> " << after.maturity.level << "\n";
  }
  if (!any) std::cout << "  no capability or maturity level changes\n";
  return kExitOk;
}

}  // namespace

void AddResultsCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto* profile = app.add_subcommand("profile", "Capability profile: attribute ratings, levels, gaps, maturity");
  auto p_id = std::make_shared<std::string>();
  auto p_format = std::make_shared<std::string>("table");
  auto p_instances = std::make_shared<bool>(false);
  profile->add_option("ID", *p_id, "Assessment ID (default: the most recent)");
  profile->add_option("--format", *p_format, "table, json or csv")->check(CLI::IsMember({"table", "json", "csv"}));
  profile->add_flag("--instances", *p_instances, "Also show each process instance");
  profile->callback([&global, exit_code, p_id, p_format, p_instances] {
    *exit_code = RunProfile(global, *p_id, *p_format, *p_instances);
  });

  auto* check = app.add_subcommand("check", "Check an assessment before reporting; exit 5 when a check fails");
  auto c_id = std::make_shared<std::string>();
  auto c_format = std::make_shared<std::string>("table");
  check->add_option("ID", *c_id, "Assessment ID (default: the most recent)");
  check->add_option("--format", *c_format, "table or json")->check(CLI::IsMember({"table", "json"}));
  check->callback([&global, exit_code, c_id, c_format] { *exit_code = RunCheck(global, *c_id, *c_format); });

  auto* whatif = app.add_subcommand("what-if", "The profile with ratings changed; nothing is written");
  auto w_id = std::make_shared<std::string>();
  auto w_changes = std::make_shared<std::vector<std::string>>();
  auto w_format = std::make_shared<std::string>("table");
  whatif->add_option("ID", *w_id, "Assessment ID (default: the most recent)");
  whatif->add_option("--rating,-r", *w_changes, "INSTANCE:ITEM=VALUE, e.g. RES.1/EU:PA2.1=F (repeatable)")
      ->required();
  whatif->add_option("--format", *w_format, "table or json")->check(CLI::IsMember({"table", "json"}));
  whatif->callback([&global, exit_code, w_id, w_changes, w_format] {
    *exit_code = RunWhatIf(global, *w_id, *w_changes, *w_format);
  });
}

}  // namespace assay::cli
