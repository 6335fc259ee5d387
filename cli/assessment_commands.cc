// assay assessment new|list|show|status|set: create an assessment, list and
// show them, move the status, change descriptive fields.
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/store.h"
#include "assay/text.h"
#include "cli.h"
#include "commands.h"

namespace assay::cli {

namespace {

using nlohmann::json;

// ---- assessment -------------------------------------------------------------

struct NewArgs {
  Assessment a;
  std::string method = "R2", aggregation = "mean", scale = "standard";
};

int RunNew(const GlobalOptions& global, NewArgs args) {
  if (Status s = ParseRatingMethod(args.method, &args.a.options.method); !s.ok())
    return Fail(s.Reworded("--method: " + s.message()));
  if (Status s = ParseAggregationMethod(args.aggregation, &args.a.options.aggregation); !s.ok())
    return Fail(s.Reworded("--aggregation: " + s.message()));
  if (Status s = ParseScaleKind(args.scale, &args.a.options.scale); !s.ok())
    return Fail(s.Reworded("--scale: " + s.message()));
  return WithSession(global, true, [&](Workspace& ws) {
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws.CreateAssessment(args.a, &r));
    Assessment a;
    ASSAY_RETURN_IF_ERROR(ws.GetAssessment(args.a.id, &a));
    std::cerr << "assessment " << a.id << " created in " << ws.path() << ": model " << a.model_id << "@"
              << a.model_version << " (sha256 " << a.model_hash.substr(0, 12) << "...), status planned\n"
              << "next: assay scope add PROCESS --target LEVEL\n";
    return Status::OK();
  });
}

int RunList(const GlobalOptions& global, const std::string& format) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::vector<Assessment> all;
    ASSAY_RETURN_IF_ERROR(ws.ListAssessments(&all));
    if (format == "json") {
      json out = json::array();
      for (const Assessment& a : all)
        out.push_back({{"id", a.id},
                       {"title", a.title},
                       {"organization", a.organization},
                       {"model", a.model_id + "@" + a.model_version},
                       {"status", AssessmentStatusName(a.status)}});
      std::cout << out.dump(2) << "\n";
      return Status::OK();
    }
    std::cout << std::left << std::setw(18) << "ID" << std::setw(12) << "STATUS" << std::setw(18) << "MODEL"
              << "TITLE\n";
    for (const Assessment& a : all)
      std::cout << std::setw(18) << a.id << std::setw(12) << AssessmentStatusName(a.status) << std::setw(18)
                << (a.model_id + "@" + a.model_version) << a.title << "\n";
    return Status::OK();
  });
}

int RunShow(const GlobalOptions& global, const std::string& given, const std::string& format) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::string id;
    ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, given, &id));
    if (format == "json") {
      std::string out;
      ASSAY_RETURN_IF_ERROR(ws.Export(id, &out));
      std::cout << out;
      return Status::OK();
    }
    AssessmentData d;
    ASSAY_RETURN_IF_ERROR(ws.ReadSnapshot(id, &d));
    const Assessment& a = d.assessment;
    std::ostream& out = std::cout;
    out << a.id << "  " << a.title << "\n";
    out << "  status:       " << AssessmentStatusName(a.status) << "\n";
    if (!a.organization.empty()) out << "  organization: " << a.organization << "\n";
    if (!a.series.empty()) out << "  series:       " << a.series << "\n";
    if (!a.sponsor.empty()) out << "  sponsor:      " << a.sponsor << "\n";
    if (!a.purpose.empty()) out << "  purpose:      " << a.purpose << "\n";
    out << "  class:        " << a.assessment_class << (a.independence.empty() ? "" : ", independence " + a.independence)
        << "\n";
    out << "  model:        " << a.model_id << "@" << a.model_version << "  sha256 " << a.model_hash << "\n";
    out << "  rating:       " << RatingMethodName(a.options.method) << ", " << AggregationMethodName(a.options.aggregation)
        << ", " << ScaleKindName(a.options.scale) << " scale\n";
    if (!a.start_date.empty() || !a.end_date.empty())
      out << "  dates:        " << a.start_date << " .. " << a.end_date << "\n";
    out << "  scope:";
    if (d.scope.empty()) out << "        (none)";
    for (const ScopedProcess& s : d.scope) out << "  " << s.process << " (target " << s.target_level << ")";
    out << "\n";
    for (const ProcessInstance& i : d.instances) {
      size_t n = 0;
      for (const Rating& r : d.ratings) n += r.instance == i.id;
      out << "  instance      " << std::left << std::setw(20) << i.id << " " << std::setw(8) << i.process
          << (i.unit.empty() ? "" : " unit " + i.unit) << "  weight " << i.weight << "  " << n << " ratings\n";
    }
    for (const Person& p : d.people) {
      std::vector<std::string> roles;
      for (Role r : p.roles) roles.push_back(RoleName(r));
      out << "  person        " << std::setw(12) << p.id << " " << p.name << (roles.empty() ? "" : " (" + Join(roles) + ")")
          << "\n";
    }
    size_t outside = 0;
    for (const Rating& r : d.ratings) outside += r.outside_scope;
    out << "  " << d.units.size() << " units, " << d.interviews.size() << " interviews, " << d.evidence.size()
        << " evidence items, " << d.ratings.size() << " current ratings";
    if (outside) out << " (" << outside << " outside scope)";
    out << "\n";
    std::vector<AssessmentStatus> next = AllowedTransitions(a.status);
    std::vector<std::string> names;
    for (AssessmentStatus s : next) names.push_back(AssessmentStatusName(s));
    if (!names.empty()) out << "  next status:  " << Join(names, " or ") << "\n";
    return Status::OK();
  });
}

int RunStatus(const GlobalOptions& global, const std::string& given, const std::string& to) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::string id;
    ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, given, &id));
    Assessment a;
    ASSAY_RETURN_IF_ERROR(ws.GetAssessment(id, &a));
    std::vector<std::string> allowed;
    for (AssessmentStatus s : AllowedTransitions(a.status)) allowed.push_back(AssessmentStatusName(s));
    if (to.empty()) {
      std::cout << id << ": " << AssessmentStatusName(a.status) << "\n";
      std::cerr << "allowed next: " << (allowed.empty() ? "none (closed is final)" : Join(allowed)) << "\n";
      return Status::OK();
    }
    AssessmentStatus target;
    ASSAY_RETURN_IF_ERROR(ParseAssessmentStatus(to, &target));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws.SetStatus(id, target, &r));
    std::cerr << id << ": " << AssessmentStatusName(a.status) << " -> " << AssessmentStatusName(target)
              << (r.kind == WriteResult::Kind::kUnchanged ? " (unchanged)" : "") << "\n";
    return Status::OK();
  });
}

// ---- registration -------------------------------------------------------------

void AddNew(CLI::App* assessment, const GlobalOptions& global, int* exit_code) {
  auto* cmd = assessment->add_subcommand("new", "Create an assessment pinned to a model pack");
  auto args = std::make_shared<NewArgs>();
  cmd->add_option("ID", args->a.id, "Assessment ID, e.g. ACME-2026")->required();
  cmd->add_option("--model,-m", args->a.model_id, "Process assessment model pack ID (see assay model list)")
      ->required();
  cmd->add_option("--model-version", args->a.model_version, "Pack version (default: the newest)");
  cmd->add_option("--title,-t", args->a.title, "Title");
  cmd->add_option("--organization", args->a.organization, "Assessed organization");
  cmd->add_option("--series", args->a.series, "Series name within the organization (assay trend)");
  cmd->add_option("--sponsor", args->a.sponsor, "Sponsor (person ID or name)");
  cmd->add_option("--purpose", args->a.purpose, "Purpose of the assessment");
  cmd->add_option("--class", args->a.assessment_class, "Assessment class 1, 2 or 3 (default 3)");
  cmd->add_option("--independence", args->a.independence, "Independence category A, B, C or D");
  cmd->add_option("--method", args->method, "Rating method R1, R2 or R3 (default R2)")
      ->check(CLI::IsMember({"R1", "R2", "R3"}));
  cmd->add_option("--aggregation", args->aggregation, "mean, weighted-mean, median or minimum (default mean)")
      ->check(CLI::IsMember({"mean", "weighted-mean", "median", "minimum"}));
  cmd->add_option("--scale", args->scale, "standard (N P L F) or refined (N P- P+ L- L+ F)")
      ->check(CLI::IsMember({"standard", "refined"}));
  cmd->add_option("--weights-rationale", args->a.options.weights_rationale, "Why instances weigh what they do");
  cmd->add_option("--constraints", args->a.constraints, "Constraints (resources, duration, exclusions)");
  cmd->add_option("--confidentiality", args->a.confidentiality, "Confidentiality and ownership statement");
  cmd->add_option("--start", args->a.start_date, "Start date (YYYY-MM-DD)");
  cmd->add_option("--end", args->a.end_date, "End date (YYYY-MM-DD)");
  cmd->callback([&global, exit_code, args] { *exit_code = RunNew(global, *args); });
}

void AddList(CLI::App* assessment, const GlobalOptions& global, int* exit_code) {
  auto* cmd = assessment->add_subcommand("list", "List the assessments of the workspace");
  auto format = std::make_shared<std::string>("table");
  cmd->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([&global, exit_code, format] { *exit_code = RunList(global, *format); });
}

void AddShow(CLI::App* assessment, const GlobalOptions& global, int* exit_code) {
  auto* cmd = assessment->add_subcommand("show", "Show an assessment: scope, instances, people, counts");
  auto id = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  cmd->add_option("ID", *id, "Assessment ID (default: the most recent)");
  cmd->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([&global, exit_code, id, format] { *exit_code = RunShow(global, *id, *format); });
}

void AddStatus(CLI::App* assessment, const GlobalOptions& global, int* exit_code) {
  auto* cmd = assessment->add_subcommand(
      "status", "Show the status, or move it: planned, collecting, validating, rated, reported, closed");
  auto id = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  cmd->add_option("STATUS", *to, "The new status (omit to show the current one)");
  AddAssessmentOption(cmd, id.get());
  cmd->callback([&global, exit_code, id, to] { *exit_code = RunStatus(global, *id, *to); });
}

void AddSet(CLI::App* assessment, const GlobalOptions& global, int* exit_code) {
  auto* cmd = assessment->add_subcommand("set", "Change descriptive fields (a new version of the assessment)");
  auto id = std::make_shared<std::string>();
  auto values = std::make_shared<std::map<std::string, std::string>>();
  std::vector<std::pair<const char*, const char*>> fields = {
      {"title", "Title"},           {"organization", "Assessed organization"},
      {"series", "Series name within the organization"},
      {"sponsor", "Sponsor"},       {"purpose", "Purpose"},
      {"independence", "A-D"},      {"constraints", "Constraints"},
      {"confidentiality", "Confidentiality and ownership statement"},
      {"start", "Start date"},      {"end", "End date"},
      {"weights-rationale", "Why instances weigh what they do"}};
  auto options = std::make_shared<std::vector<std::pair<std::string, CLI::Option*>>>();
  for (const auto& [name, help] : fields) {
    std::string& slot = (*values)[name];
    options->emplace_back(name, cmd->add_option(std::string("--") + name, slot, help));
  }
  AddAssessmentOption(cmd, id.get());
  cmd->callback([&global, exit_code, id, values, options] {
    *exit_code = WithSession(global, false, [&](Workspace& ws) {
      std::string aid;
      ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, *id, &aid));
      Assessment a;
      ASSAY_RETURN_IF_ERROR(ws.GetAssessment(aid, &a));
      std::map<std::string, std::string*> target = {
          {"title", &a.title},           {"organization", &a.organization},
          {"series", &a.series},
          {"sponsor", &a.sponsor},       {"purpose", &a.purpose},
          {"independence", &a.independence}, {"constraints", &a.constraints},
          {"confidentiality", &a.confidentiality}, {"start", &a.start_date},
          {"end", &a.end_date},          {"weights-rationale", &a.options.weights_rationale}};
      for (const auto& [name, opt] : *options)
        if (opt->count()) *target[name] = (*values)[name];
      WriteResult r;
      ASSAY_RETURN_IF_ERROR(ws.UpdateAssessment(a, &r));
      std::cerr << "assessment " << aid << ": " << Done(r) << "\n";
      return Status::OK();
    });
  });
}

}  // namespace

void AddAssessmentCommand(CLI::App* assessment, const GlobalOptions& global, int* exit_code) {
  assessment->require_subcommand(1);
  AddNew(assessment, global, exit_code);
  AddList(assessment, global, exit_code);
  AddShow(assessment, global, exit_code);
  AddStatus(assessment, global, exit_code);
  AddSet(assessment, global, exit_code);
}

void AddAssessmentOption(CLI::App* cmd, std::string* target) {
  cmd->add_option("-a,--assessment", *target, "Assessment ID (default: the most recent)");
}

}  // namespace assay::cli
