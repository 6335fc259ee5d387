// assay model list | show | check | graph
#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "assay/model_graph.h"
#include "assay/reports/dot.h"
#include "assay/text.h"
#include "cli.h"
#include "commands.h"

namespace assay::cli {

namespace {

// Wraps `text` to `width` columns with `indent` spaces on continuation lines.
std::string Wrap(const std::string& text, size_t width, size_t indent) {
  std::istringstream words(text);
  std::string word, out, line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}


Status LoadModel(const GlobalOptions& global, const std::string& id, const std::string& version,
                 std::shared_ptr<const Model>* model) {
  ModelLibrary library;
  ASSAY_RETURN_IF_ERROR(OpenLibrary(global, &library));
  std::vector<Diagnostic> diags;
  Status s = library.Load(id, version, model, &diags);
  if (!s.ok() && s.code() == Status::Code::kNotFound) {
    // A pack that failed validation is not listed; say why rather than "not found".
    for (const Diagnostic& d : library.problems())
      if (d.file.find(id) != std::string::npos) diags.push_back(d);
  }
  PrintDiagnostics(diags);
  return s;
}

int RunList(const GlobalOptions& global, const std::string& format) {
  ModelLibrary library;
  Status s = OpenLibrary(global, &library);
  if (!s.ok()) return Fail(s);
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const PackInfo& p : library.packs())
      out.push_back({{"id", p.id}, {"version", p.version}, {"kind", p.kind}, {"title", p.title},
                     {"sha256", p.sha256}, {"path", p.path}});
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << std::left << std::setw(14) << "ID" << std::setw(9) << "VERSION" << std::setw(11) << "KIND"
              << "TITLE\n";
    for (const PackInfo& p : library.packs())
      std::cout << std::setw(14) << p.id << std::setw(9) << p.version << std::setw(11) << p.kind << p.title << "\n";
    std::cout << "\nsearched: " << Join(library.search_dirs()) << "\n";
  }
  if (!library.problems().empty()) {
    std::cerr << "assay: some pack files were skipped because they are invalid:\n";
    PrintDiagnostics(library.problems());
  }
  return kExitOk;
}

void ShowFramework(const Framework& fw, std::ostream& out) {
  out << "Measurement framework " << fw.info.id << " " << fw.info.version << ": " << fw.info.title << "\n";
  out << "  rating scale:";
  for (const ScaleBand& b : fw.standard.bands) out << "  " << b.value << " (" << b.lower << "-" << b.upper << "%)";
  out << "\n";
  if (fw.refined) {
    out << "  refined scale:";
    for (const ScaleBand& b : fw.refined->bands) out << "  " << b.value << " (" << b.lower << "-" << b.upper << "%)";
    out << "\n";
  }
  for (const CapabilityLevel& lv : fw.levels) {
    out << "  Level " << lv.number << " " << lv.name << "\n";
    for (const std::string& aid : lv.attributes) {
      for (const ProcessAttribute& a : fw.attributes) {
        if (a.id != aid) continue;
        out << "    " << a.id << " " << a.name << "  (" << a.achievements.size() << " achievements; ";
        std::vector<std::string> gps;
        for (const Indicator& gp : fw.generic_practices)
          if (gp.owner == a.id) gps.push_back(gp.id);
        out << (gps.empty() ? "no generic practices" : Join(gps, " ")) << ")\n";
      }
    }
  }
}

void ShowProcess(const Model& model, const ModelGraph& graph, const Process& p, std::ostream& out) {
  out << p.id << "  " << p.name << "   [group " << p.group;
  if (!p.clauses.empty()) out << "; ISO/IEC 20000-1 " << Join(p.clauses);
  out << "]\n";
  out << "  Purpose: " << Wrap(p.purpose, 68, 11) << "\n";
  out << "  Outcomes\n";
  for (const Statement& o : p.outcomes) {
    std::vector<std::string> sup;
    Status s = graph.Supporters(o.id, &sup);
    out << "    " << std::left << std::setw(12) << o.id << Wrap(o.text, 62, 16) << "\n";
    if (s.ok()) out << "                <- " << Wrap(Join(sup, " "), 58, 19) << "\n";
  }
  out << "  Base practices\n";
  for (const Indicator& bp : p.base_practices)
    out << "    " << std::setw(12) << bp.id << Wrap(bp.name, 62, 16) << "  -> " << Join(bp.supports, " ") << "\n";
  out << "  Work products\n";
  for (const Indicator& wp : p.work_products)
    out << "    " << std::setw(12) << wp.id << Wrap(wp.name, 62, 16) << "  -> " << Join(wp.supports, " ") << "\n";
  std::vector<const ConsistencyRule*> rules;
  for (const auto* list : {&p.base_practices, &p.work_products})
    for (const Indicator& ind : *list)
      for (const ConsistencyRule* r : graph.RulesTouching(ind.id))
        if (std::find(rules.begin(), rules.end(), r) == rules.end()) rules.push_back(r);
  if (!rules.empty()) {
    out << "  Consistency rules\n";
    for (const ConsistencyRule* r : rules) {
      out << "    " << std::setw(12) << r->id << RuleTypeName(r->type) << " " << r->subject.indicator;
      if (r->reference) out << " vs " << r->reference->indicator;
      if (!r->value.empty()) out << " " << r->value;
      out << "\n                " << Wrap(r->statement, 62, 16) << "\n";
    }
  }
  (void)model;
}

int RunShow(const GlobalOptions& global, const std::string& id, const std::string& version,
            const std::string& process) {
  std::shared_ptr<const Model> model;
  Status s = LoadModel(global, id, version, &model);
  if (!s.ok()) return Fail(s);
  ModelGraph graph(model);
  const PackInfo& info = model->pam();
  std::ostream& out = std::cout;
  if (!process.empty()) {
    const Process* p = model->FindProcess(process);
    if (!p)
      return Fail(Status::NotFound("process '" + process + "' is not in model " + model->Key() +
                                   SuggestionSuffix(process, model->ProcessIds())));
    ShowProcess(*model, graph, *p, out);
    return kExitOk;
  }
  out << info.id << " " << info.version << "  " << info.title << "\n";
  if (!info.follows.empty()) out << "  follows: " << Join(info.follows, "; ") << "\n";
  out << "  sha256:  " << model->hash() << "\n";
  out << "  graph:   " << graph.node_count() << " nodes, " << graph.edge_count() << " edges\n\n";
  if (info.kind == "framework") {
    ShowFramework(model->framework(), out);
    return kExitOk;
  }
  size_t outcomes = 0, bps = 0, wps = 0;
  for (const Process& p : model->processes()) {
    outcomes += p.outcomes.size();
    bps += p.base_practices.size();
    wps += p.work_products.size();
  }
  out << model->processes().size() << " processes, " << outcomes << " outcomes, " << bps << " base practices, "
      << wps << " work products, " << model->rules().size() << " consistency rules\n\n";
  for (const ProcessGroup& g : model->groups()) {
    out << g.id << "  " << g.name;
    if (!g.clause.empty()) out << "  (clause " << g.clause << ")";
    out << "\n";
    for (const Process& p : model->processes()) {
      if (p.group != g.id) continue;
      out << "  " << std::left << std::setw(8) << p.id << std::setw(44) << p.name << p.outcomes.size() << " outcomes, "
          << p.base_practices.size() << " BPs, " << p.work_products.size() << " WPs\n";
    }
  }
  if (model->maturity()) {
    const MaturityModel& mm = *model->maturity();
    out << "\nMaturity model " << mm.id << " (" << mm.rule << "): " << mm.name << "\n";
    for (const MaturityLevel& ml : mm.levels) {
      std::vector<std::string> set = model->MaturitySet(ml.level);
      out << "  ML" << ml.level << " " << std::setw(12) << ml.name << " "
          << Wrap(Join(set, " "), 60, 20) << "\n";
    }
  }
  out << "\n";
  ShowFramework(model->framework(), out);
  out << "\nTry: assay model show " << info.id << " --process " << model->processes().front().id << "\n";
  return kExitOk;
}

int RunCheck(const GlobalOptions& global, const std::vector<std::string>& files) {
  ModelLibrary library;
  Status s = OpenLibrary(global, &library);
  if (!s.ok()) return Fail(s);
  int bad = 0;
  for (const std::string& f : files) {
    PackInfo info;
    std::vector<Diagnostic> diags;
    Status st = library.CheckFile(f, files, &info, &diags);
    if (st.ok()) {
      std::cout << f << ": ok  " << info.kind << " " << info.id << " " << info.version << "  sha256 "
                << info.sha256.substr(0, 16) << "\n";
    } else {
      ++bad;
      PrintDiagnostics(diags);
      std::cerr << f << ": " << diags.size() << (diags.size() == 1 ? " problem\n" : " problems\n");
    }
  }
  if (bad) {
    std::cerr << "assay: " << bad << " of " << files.size() << " model files are invalid\n";
    return kExitInvalidInput;
  }
  return kExitOk;
}

int RunGraph(const GlobalOptions& global, const std::string& id, const std::string& version,
             const std::string& process, const std::string& out_path, bool force) {
  std::shared_ptr<const Model> model;
  Status s = LoadModel(global, id, version, &model);
  if (!s.ok()) return Fail(s);
  if (!process.empty() && !model->FindProcess(process))
    return Fail(Status::NotFound("process '" + process + "' is not in model " + model->Key() +
                                 SuggestionSuffix(process, model->ProcessIds())));
  ModelGraph graph(model);
  if (out_path.empty() || out_path == "-") {
    reports::WriteDot(graph, process, std::cout);
    return kExitOk;
  }
  std::ostringstream dot;
  reports::WriteDot(graph, process, dot);
  s = WriteOutputFile(out_path, dot.str(), force);
  if (!s.ok()) return Fail(s);
  std::cerr << "wrote " << out_path << " (" << graph.node_count() << " nodes)\n";
  return kExitOk;
}

}  // namespace

void AddModelCommand(CLI::App* model, const GlobalOptions& global, int* exit_code) {
  model->require_subcommand(1);

  auto* list = model->add_subcommand("list", "List the bundled model packs and those in --models directories");
  auto list_format = std::make_shared<std::string>("table");
  list->add_option("--format", *list_format, "table or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([&global, exit_code, list_format] { *exit_code = RunList(global, *list_format); });

  auto* show = model->add_subcommand("show", "Show a model as a readable tree");
  auto show_id = std::make_shared<std::string>();
  auto show_version = std::make_shared<std::string>();
  auto show_process = std::make_shared<std::string>();
  show->add_option("ID", *show_id, "Model pack ID (see assay model list)")->required();
  show->add_option("--version", *show_version, "Pack version (default: the newest)");
  show->add_option("--process,-p", *show_process, "Show one process in full: outcomes, practices, work products, rules");
  show->callback([&global, exit_code, show_id, show_version, show_process] {
    *exit_code = RunShow(global, *show_id, *show_version, *show_process);
  });

  auto* check = model->add_subcommand("check", "Validate model pack files; reports every problem found");
  auto check_files = std::make_shared<std::vector<std::string>>();
  check->add_option("FILE", *check_files, "Model pack files (JSON)")->required();
  check->callback([&global, exit_code, check_files] { *exit_code = RunCheck(global, *check_files); });

  auto* graph = model->add_subcommand("graph", "Write the model graph for Graphviz");
  auto graph_id = std::make_shared<std::string>();
  auto graph_version = std::make_shared<std::string>();
  auto graph_process = std::make_shared<std::string>();
  auto graph_format = std::make_shared<std::string>("dot");
  auto graph_out = std::make_shared<std::string>();
  graph->add_option("ID", *graph_id, "Model pack ID")->required();
  graph->add_option("--version", *graph_version, "Pack version (default: the newest)");
  graph->add_option("--format", *graph_format, "Output format: dot")->check(CLI::IsMember({"dot"}));
  graph->add_option("--process,-p", *graph_process, "Only this process and the framework");
  auto graph_force = std::make_shared<bool>(false);
  graph->add_option("--out,-o", *graph_out, "Write to this file instead of stdout");
  graph->add_flag("--force", *graph_force, "Overwrite FILE when it exists");
  graph->callback([&global, exit_code, graph_id, graph_version, graph_process, graph_out, graph_format, graph_force] {
    (void)graph_format;  // kept alive: CLI11 writes into it during parsing
    *exit_code = RunGraph(global, *graph_id, *graph_version, *graph_process, *graph_out, *graph_force);
  });
}

}  // namespace assay::cli
