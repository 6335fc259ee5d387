// assay profile | check | what-if: results computed from one snapshot.
#include <algorithm>
#include <iomanip>
#include <map>
#include <iostream>
#include <memory>
#include <sstream>

#include "assay/rating.h"
#include "assay/model_graph.h"
#include "assay/reports/profile.h"
#include "assay/reports/xlsx.h"
#include "assay/scale.h"
#include "assay/store.h"
#include "assay/text.h"
#include "cli.h"
#include "commands.h"
#include "progress.h"

namespace assay::cli {

namespace {

// Compute only what the format shows: the JSON profile holds the
// sensitivity analysis; the table and the CSV do not.
ComputeOptions ComputeWhatIsShown(const std::string& format) {
  ComputeOptions compute;
  compute.sensitivity = format == "json";
  return compute;
}

// The engine's notes on ratings it did not use (above the target level,
// direct attribute ratings under R1, processes out of scope, ...), on
// stderr so that the data on stdout stays as it is.
void PrintNotes(const RatingResults& results, const std::string& prefix) {
  for (const std::string& note : results.notes) std::cerr << "note: " << prefix << note << "\n";
}

int RunProfile(const GlobalOptions& global, const std::string& id, const std::string& format, bool instances,
               const std::string& out_path, bool force) {
  if (format == "xlsx" && (out_path.empty() || out_path == "-"))
    return Fail(Status::InvalidInput("--format xlsx needs --out FILE (a workbook is not written to stdout)"));
  if (format != "xlsx" && !out_path.empty()) return Fail(Status::InvalidInput("--out applies to --format xlsx only"));
  Loaded loaded;
  Status s = LoadAssessment(global, id, &loaded);
  if (!s.ok()) return Fail(s);
  RatingResults results;
  s = ComputeResults(*loaded.model, *loaded.graph, loaded.data, &results, ComputeWhatIsShown(format));
  if (!s.ok()) return Fail(s);
  PrintNotes(results, "");
  if (format == "xlsx") {
    std::string bytes;
    s = reports::ProfileWorkbook(*loaded.model, loaded.data, results, reports::WorkbookOptions(), &bytes);
    if (s.ok()) s = WriteOutputFile(out_path, bytes, force);
    if (!s.ok()) return Fail(s);
    std::cerr << "wrote " << out_path << " (profile of " << loaded.data.assessment.id << ", "
              << results.processes.size() << " processes)\n";
  } else if (format == "json")
    std::cout << reports::ProfileJson(*loaded.model, loaded.data, results, nullptr);
  else if (format == "csv")
    std::cout << reports::ProfileCsv(loaded.data, results, instances);
  else
    PrintProfileTable(*loaded.model, loaded.data, results, instances, global.color, std::cout);
  return kExitOk;
}

// assay profile --all: every assessment of the workspace, oldest first, in
// one process: the library is scanned once, each pinned model loaded and its
// graph built once, and each assessment read in its own snapshot (so memory
// holds one assessment at a time). CSV has one header; JSON is an array of
// the single-assessment documents; the table prints one profile after another.
int RunProfileAll(const GlobalOptions& global, const std::string& format, bool instances) {
  std::unique_ptr<Session> session;
  Status s = OpenSession(global, false, &session);
  if (!s.ok()) return Fail(s);
  std::vector<Assessment> all;
  s = session->ws->ListAssessments(&all);
  if (!s.ok()) return Fail(s);
  if (all.empty())
    return Fail(Status::NotFound("no assessment in " + global.db +
                                 "; create one with: assay assessment new ID --model MODEL"));
  const ComputeOptions compute = ComputeWhatIsShown(format);
  // The table and the CSV show levels and ratings only: each rating is read
  // without its statements, evidence and dates.
  SnapshotOptions read;
  read.results_only = format == "csv" || format == "table";
  if (format == "json") std::cout << "[\n";
  ProgressBar bar("profiles", global.progress);
  for (size_t n = 0; n < all.size(); ++n) {
    bar.Update(n, all.size());
    Loaded loaded;  // pinned models and graphs come from the session's cache
    s = ReadAssessment(session.get(), all[n].id, read, &loaded);
    if (!s.ok()) return Fail(s);
    const AssessmentData& data = loaded.data;
    const Loaded& pinned = loaded;
    RatingResults results;
    s = ComputeResults(*pinned.model, *pinned.graph, data, &results, compute);
    if (!s.ok()) return Fail(s);
    bar.Clear();  // the profile may go to the same terminal
    PrintNotes(results, all[n].id + ": ");
    if (format == "json") {
      std::string doc = reports::ProfileJson(*pinned.model, data, results, nullptr);
      while (!doc.empty() && doc.back() == '\n') doc.pop_back();
      std::cout << doc << (n + 1 < all.size() ? ",\n" : "\n");
    } else if (format == "csv") {
      std::string csv = reports::ProfileCsv(data, results, instances);
      if (n > 0) csv.erase(0, csv.find('\n') + 1);  // one header for all
      std::cout << csv;
    } else {
      if (n > 0) std::cout << "\n";
      PrintProfileTable(*pinned.model, data, results, instances, global.color, std::cout);
    }
    if (global.progress) std::cout.flush();
  }
  bar.Clear();
  if (format == "json") std::cout << "]\n";
  return std::cout.good() ? kExitOk : Fail(Status::IOError("cannot write the profiles to standard output"));
}

int RunCheck(const GlobalOptions& global, const std::string& id, const std::string& format) {
  Loaded loaded;
  Status s = LoadAssessment(global, id, &loaded);
  if (!s.ok()) return Fail(s);
  CheckReport report = RunChecks(*loaded.model, loaded.data);
  // Open disagreements between assessors: checked here, not by RunChecks
  // (rating.h, Team, says why).
  std::vector<OpenDisagreement> open;
  s = FindDisagreements(*loaded.model, loaded.data, &open);
  if (!s.ok()) return Fail(s);
  for (CheckFinding& f : DisagreementFindings(loaded.data, open)) report.findings.push_back(std::move(f));
  if (format == "json") {
    std::cout << reports::ChecksJson(loaded.data, report);
  } else {
    for (const CheckFinding& f : report.findings)
      std::cout << std::left << std::setw(8) << SeverityName(f.severity) << std::setw(26) << f.check << f.message
                << "\n";
    std::cout << "\n";
    std::vector<std::string> names = CheckNames();
    names.push_back(kDisagreementCheck);
    PrintCheckSummary(loaded.data, report, std::cout, names);
  }
  if (!report.passed()) {
    std::cerr << "assay: checks failed: " << report.errors() << (report.errors() == 1 ? " error\n" : " errors\n");
    return kExitChecksFailed;
  }
  return kExitOk;
}

// --rating INSTANCE:ITEM=VALUE
int RunWhatIf(const GlobalOptions& global, const std::string& id, const std::vector<std::string>& given,
              const std::string& format) {
  std::vector<WhatIfChange> changes;
  for (const std::string& change : given) {
    size_t colon = change.find(':'), eq = change.find('=');
    if (colon == std::string::npos || eq == std::string::npos || eq < colon)
      return Fail(Status::InvalidInput("--rating '" + change + "': expected INSTANCE:ITEM=VALUE, e.g. RES.1/EU:PA2.1=F"));
    changes.push_back({change.substr(0, colon), change.substr(colon + 1, eq - colon - 1), change.substr(eq + 1)});
  }
  Loaded loaded;
  Status s = LoadAssessment(global, id, &loaded);
  if (!s.ok()) return Fail(s);
  RatingResults before;  // only its levels are compared
  s = ComputeResults(*loaded.model, *loaded.graph, loaded.data, &before, ComputeWhatIsShown("table"));
  if (!s.ok()) return Fail(s);
  AssessmentData changed;
  size_t failed = 0;
  s = ApplyWhatIf(loaded, changes, &changed, &failed);
  if (!s.ok()) return Fail(Prefixed(s, "--rating '" + given[failed] + "': "));
  RatingResults after;
  s = ComputeResults(*loaded.model, *loaded.graph, changed, &after, ComputeWhatIsShown(format));
  if (!s.ok()) return Fail(s);
  if (format == "json") {
    std::cout << reports::ProfileJson(*loaded.model, changed, after, nullptr);
    return kExitOk;
  }
  PrintProfileTable(*loaded.model, changed, after, false, global.color, std::cout);
  std::cout << "\nWhat changes (nothing was written):\n";
  const std::vector<LevelChange> level_changes = LevelChanges(before, after);
  for (const LevelChange& c : level_changes)
    std::cout << "  " << (c.subject == "maturity" ? "maturity level" : c.subject + ": capability level") << " "
              << c.before << " -> " << c.after << "\n";
  if (level_changes.empty()) std::cout << "  no capability or maturity level changes\n";
  return kExitOk;
}

}  // namespace

Status ApplyWhatIf(const Loaded& loaded, const std::vector<WhatIfChange>& changes, AssessmentData* changed,
                   size_t* failed) {
  *changed = loaded.data;
  for (size_t n = 0; n < changes.size(); ++n) {
    *failed = n;
    const WhatIfChange& change = changes[n];
    auto inst = std::find_if(changed->instances.begin(), changed->instances.end(),
                             [&](const ProcessInstance& i) { return i.id == change.instance; });
    if (inst == changed->instances.end()) {
      std::vector<std::string> ids;
      for (const ProcessInstance& i : changed->instances) ids.push_back(i.id);
      return Status::NotFound("unknown instance '" + change.instance + "'" + SuggestionSuffix(change.instance, ids))
          .About("instance", change.instance);
    }
    int ordinal = 0;
    ASSAY_RETURN_IF_ERROR(
        ResolveRating(loaded.model->framework(), changed->assessment.options.scale, change.value, &ordinal));
    ItemKind kind = ItemKind::kIndicator;
    if (!ItemKindOf(*loaded.model, change.item, &kind))
      return Status::NotFound("unknown item '" + change.item + "'" +
                              SuggestionSuffix(change.item, loaded.model->AllIds()))
          .About("item", change.item);
    // The hypothetical rating replaces the item's ratings in that instance.
    std::erase_if(changed->ratings,
                  [&](const Rating& r) { return r.instance == change.instance && r.item == change.item; });
    Rating r;
    r.process = inst->process;
    r.instance = change.instance;
    r.item = change.item;
    r.item_kind = kind;
    r.consolidated = true;
    r.value = change.value;
    changed->ratings.push_back(r);
  }
  return Status::OK();
}

std::vector<LevelChange> LevelChanges(const RatingResults& before, const RatingResults& after) {
  std::vector<LevelChange> out;
  auto level = [](const CapabilityResult& c) { return c.determined ? std::to_string(c.level) : std::string("-"); };
  for (size_t i = 0; i < after.processes.size() && i < before.processes.size(); ++i) {
    const CapabilityResult& b = before.processes[i].capability;
    const CapabilityResult& a = after.processes[i].capability;
    if (b.determined != a.determined || b.level != a.level)
      out.push_back({after.processes[i].process, level(b), level(a)});
  }
  if (before.maturity.level != after.maturity.level)
    out.push_back({"maturity", std::to_string(before.maturity.level), std::to_string(after.maturity.level)});
  return out;
}

namespace {

}  // namespace

void AddProfileCommand(CLI::App* profile, const GlobalOptions& global, int* exit_code) {
  auto p_id = std::make_shared<std::string>();
  auto p_format = std::make_shared<std::string>("table");
  auto p_instances = std::make_shared<bool>(false);
  profile->add_option("ID", *p_id, "Assessment ID (default: the most recent)");
  auto p_out = std::make_shared<std::string>();
  auto p_force = std::make_shared<bool>(false);
  profile->add_option("--format", *p_format, "table, json, csv or xlsx (a workbook: the profile and the attribute "
                                             "matrix per instance; needs --out)")
      ->check(CLI::IsMember({"table", "json", "csv", "xlsx"}));
  profile->add_option("--out,-o", *p_out, "xlsx: write the workbook to this file");
  profile->add_flag("--force", *p_force, "Overwrite FILE when it exists");
  profile->add_flag("--instances", *p_instances, "Also show each process instance");
  auto p_all = std::make_shared<bool>(false);
  profile->add_flag("--all", *p_all, "Every assessment of the workspace, oldest first (the model loaded once)");
  profile->callback([&global, exit_code, p_id, p_format, p_instances, p_all, p_out, p_force] {
    if (*p_all && !p_id->empty()) {
      *exit_code = Fail(Status::InvalidInput("give an assessment ID or --all, not both"));
      return;
    }
    if (*p_all && *p_format == "xlsx") {
      *exit_code = Fail(Status::InvalidInput("--all writes table, json or csv; a workbook is of one assessment"));
      return;
    }
    *exit_code = *p_all ? RunProfileAll(global, *p_format, *p_instances)
                        : RunProfile(global, *p_id, *p_format, *p_instances, *p_out, *p_force);
  });
}

void AddCheckCommand(CLI::App* check, const GlobalOptions& global, int* exit_code) {
  auto c_id = std::make_shared<std::string>();
  auto c_format = std::make_shared<std::string>("table");
  check->add_option("ID", *c_id, "Assessment ID (default: the most recent)");
  check->add_option("--format", *c_format, "table or json")->check(CLI::IsMember({"table", "json"}));
  check->callback([&global, exit_code, c_id, c_format] { *exit_code = RunCheck(global, *c_id, *c_format); });
}

void AddWhatIfCommand(CLI::App* whatif, const GlobalOptions& global, int* exit_code) {
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
