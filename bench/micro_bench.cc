// Micro-benchmarks of the engine's hot functions (issue 7, item 2).
//
// Scale conversion, aggregation, capability level determination, model load
// and validation of the bundled itsm-20000 pack, ModelGraph construction and
// queries, and ComputeResults / RunChecks on synthetic assessments of growing
// size. Synthetic data is generated here, deterministically (std::mt19937
// with a fixed seed), so that two runs measure the same work.
//
// The bundled itsm-20000 pack has 29 processes. For the 30- and 100-process
// assessments the benchmark writes a scaled copy of the pack to a temporary
// directory ("itsm-bench": the 29 processes cloned 4 times with renamed IDs,
// 116 processes) and loads it through ModelLibrary like any other pack. Every
// ComputeResults/RunChecks size uses that same scaled model so that the
// figures differ only in the size of the assessment.
//
// Run: build-bench/bench/assay_micro_bench [--benchmark_filter=REGEX]
// (see bench/README.md).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "assay/assessment.h"
#include "assay/rating.h"
#include "assay/model.h"
#include "assay/model_graph.h"
#include "assay/reports/assessment_report.h"
#include "assay/reports/profile.h"
#include "assay/scale.h"
#include "assay/status.h"

namespace assay {
namespace {

constexpr uint32_t kSeed = 20261124;

[[noreturn]] void Die(const std::string& what, const Status& st) {
  std::fprintf(stderr, "assay_micro_bench: %s: %s\n", what.c_str(), st.ToString().c_str());
  std::exit(1);
}

std::string BundledPackPath() { return std::string(ASSAY_MODELS_DIR) + "/itsm-20000.json"; }

// ---------------------------------------------------------------------------
// Models

std::shared_ptr<const Model> LoadFromLibrary(ModelLibrary* lib, const std::string& id) {
  Status st = lib->Scan();
  if (!st.ok()) Die("scan", st);
  std::shared_ptr<const Model> model;
  std::vector<Diagnostic> diags;
  st = lib->Load(id, "", &model, &diags);
  if (!st.ok()) {
    for (const Diagnostic& d : diags) std::fprintf(stderr, "%s\n", d.ToString().c_str());
    Die("load " + id, st);
  }
  return model;
}

const std::shared_ptr<const Model>& Itsm() {
  static const std::shared_ptr<const Model> model = [] {
    ModelLibrary lib;
    return LoadFromLibrary(&lib, "itsm-20000");
  }();
  return model;
}

// Renames a process ID inside one string: "SPM.1" and "SPM.1.*" only (so that
// "SMS.1" does not touch "SMS.10").
std::string Rename(const std::string& s, const std::string& from, const std::string& to) {
  if (s == from) return to;
  if (s.size() > from.size() && s.compare(0, from.size(), from) == 0 && s[from.size()] == '.')
    return to + s.substr(from.size());
  return s;
}

constexpr int kCopies = 4;

// The itsm-20000 pack with its processes cloned kCopies times: copy 0 keeps
// the original IDs, copy c renames "SPM.1" to "SPM.1x<c>". Written once to a
// temporary directory and loaded through the library.
const std::shared_ptr<const Model>& Scaled() {
  static const std::shared_ptr<const Model> model = [] {
    std::ifstream in(BundledPackPath());
    nlohmann::json pack = nlohmann::json::parse(in);
    pack["id"] = "itsm-bench";
    pack["title"] = "itsm-20000 scaled for benchmarks";
    nlohmann::json processes = nlohmann::json::array();
    for (int c = 0; c < kCopies; ++c) {
      for (nlohmann::json p : pack["processes"]) {
        if (c > 0) {
          const std::string from = p["id"].get<std::string>();
          const std::string to = from + "x" + std::to_string(c);
          p["id"] = to;
          p["name"] = p["name"].get<std::string>() + " (copy " + std::to_string(c) + ")";
          for (nlohmann::json& o : p["outcomes"]) o["id"] = Rename(o["id"].get<std::string>(), from, to);
          for (const char* list : {"base_practices", "work_products"}) {
            for (nlohmann::json& ind : p[list]) {
              ind["id"] = Rename(ind["id"].get<std::string>(), from, to);
              for (nlohmann::json& s : ind["supports"]) s = Rename(s.get<std::string>(), from, to);
            }
          }
        }
        processes.push_back(std::move(p));
      }
    }
    pack["processes"] = std::move(processes);
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("assay_micro_bench." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "itsm-bench.json") << pack.dump(1);
    ModelLibrary lib({dir.string()});
    std::shared_ptr<const Model> m = LoadFromLibrary(&lib, "itsm-bench");
    std::filesystem::remove_all(dir);
    return m;
  }();
  return model;
}

const ModelGraph& ItsmGraph() {
  static const ModelGraph graph(Itsm());
  return graph;
}

const ModelGraph& ScaledGraph() {
  static const ModelGraph graph(Scaled());
  return graph;
}

// ---------------------------------------------------------------------------
// Synthetic assessments

// Skewed towards L/F at level 1 and lower at higher levels: weights of
// N, P, L, F for capability level 1, 2 and 3 (and above).
int DrawOrdinal(std::mt19937& rng, int level) {
  static const std::array<std::array<double, 4>, 3> kWeights = {{
      {5, 15, 35, 45},   // level 1
      {10, 30, 35, 25},  // level 2
      {20, 35, 30, 15},  // level 3+
  }};
  const auto& w = kWeights[static_cast<size_t>(std::clamp(level, 1, 3) - 1)];
  std::discrete_distribution<int> dist(w.begin(), w.end());
  return dist(rng);
}

// One in ten values is written as a percentage inside the ordinal's band.
std::string DrawValue(std::mt19937& rng, int level) {
  static const char* const kValues[] = {"N", "P", "L", "F"};
  static const double kLow[] = {0, 15.5, 50.5, 85.5};
  static const double kHigh[] = {15, 50, 85, 100};
  const int ord = DrawOrdinal(rng, level);
  const auto i = static_cast<size_t>(ord);
  if (std::uniform_int_distribution<int>(0, 9)(rng) == 0) {
    const double pct = std::uniform_real_distribution<double>(kLow[i], kHigh[i])(rng);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", pct);
    return buf;
  }
  return kValues[i];
}

struct DataSpec {
  int processes = 10;
  int instances = 5;
  int target_level = 3;
  RatingMethod method = RatingMethod::kR2;
};

// `processes` processes of `model` in scope, each with `instances` instances.
// R2: every attribute up to the target level rated per instance. R1: every
// base practice and work product of the process and every generic practice
// and resource of levels 2..target rated per instance. Every rating links one
// evidence item; ratings below F carry a weakness.
AssessmentData MakeData(const Model& model, const DataSpec& spec) {
  std::mt19937 rng(kSeed);
  AssessmentData d;
  d.assessment.id = "BENCH";
  d.assessment.title = "Synthetic benchmark assessment";
  d.assessment.assessment_class = 2;
  d.assessment.model_id = model.pam().id;
  d.assessment.model_version = model.pam().version;
  d.assessment.options.method = spec.method;
  d.assessment.start_date = "2026-11-01";
  d.assessment.end_date = "2026-11-30";
  d.people = {
      Person{"lead", "Lead Assessor", "Bench", {Role::kLeadAssessor}},
      Person{"a1", "Assessor One", "Bench", {Role::kAssessor}},
      Person{"a2", "Assessor Two", "Bench", {Role::kAssessor}},
  };
  const char* const kAssessors[] = {"lead", "a1", "a2"};
  d.units.push_back(OrgUnit{"U1", "Service desk", ""});

  const Framework& fw = model.framework();
  int64_t next_rating = 0;
  int evidence_count = 0;
  auto add = [&](const std::string& process, const std::string& instance, const std::string& item, ItemKind kind,
                 int level) {
    Rating r;
    r.id = ++next_rating;
    r.process = process;
    r.instance = instance;
    r.item = item;
    r.item_kind = kind;
    r.assessor = kAssessors[next_rating % 3];
    r.value = DrawValue(rng, level);
    if (r.value != "F") r.weakness = "Not applied in every team.";
    r.strength = "Documented and known to the team.";
    r.rated_at = "2026-11-20T10:00:00Z";
    // Evidence: one item per five ratings, shared.
    if (next_rating % 5 == 1) {
      Evidence e;
      e.id = "E" + std::to_string(++evidence_count);
      e.kind = (evidence_count % 2) ? EvidenceKind::kDocument : EvidenceKind::kInterviewStatement;
      e.reference = "DOC-" + std::to_string(evidence_count);
      e.description = "Procedure and records";
      e.effective_date = "2026-10-01";
      e.collected_date = "2026-11-10";
      e.collected_by = "lead";
      d.evidence.push_back(std::move(e));
    }
    r.evidence.push_back("E" + std::to_string(evidence_count));
    d.ratings.push_back(std::move(r));
  };

  const auto n = std::min(static_cast<size_t>(spec.processes), model.processes().size());
  for (size_t pi = 0; pi < n; ++pi) {
    const Process& p = model.processes()[pi];
    d.scope.push_back(ScopedProcess{p.id, spec.target_level});
    for (int k = 1; k <= spec.instances; ++k) {
      ProcessInstance inst;
      inst.id = p.id + "/Team-" + std::to_string(k);
      inst.process = p.id;
      inst.name = "Team " + std::to_string(k);
      inst.unit = "U1";
      inst.weight = 1.0 + (k % 3);
      d.instances.push_back(inst);
      if (spec.method == RatingMethod::kR1) {
        for (const Indicator& bp : p.base_practices) add(p.id, inst.id, bp.id, ItemKind::kIndicator, 1);
        for (const Indicator& wp : p.work_products) add(p.id, inst.id, wp.id, ItemKind::kIndicator, 1);
        for (const auto* list : {&fw.generic_practices, &fw.generic_resources}) {
          for (const Indicator& g : *list) {
            const ProcessAttribute* pa = model.FindAttribute(g.owner);
            if (pa == nullptr || pa->level < 2 || pa->level > spec.target_level) continue;
            add(p.id, inst.id, g.id, ItemKind::kIndicator, pa->level);
          }
        }
      } else {
        for (const ProcessAttribute& pa : fw.attributes)
          if (pa.level <= spec.target_level) add(p.id, inst.id, pa.id, ItemKind::kAttribute, pa.level);
      }
    }
  }
  return d;
}

const AssessmentData& Data(RatingMethod method, int processes, int instances = 5) {
  static std::map<std::tuple<int, int, int>, AssessmentData> cache;
  const auto key = std::make_tuple(static_cast<int>(method), processes, instances);
  auto it = cache.find(key);
  if (it == cache.end()) {
    DataSpec spec;
    spec.processes = processes;
    spec.instances = instances;
    spec.method = method;
    it = cache.emplace(key, MakeData(*Scaled(), spec)).first;
  }
  return it->second;
}

// ---------------------------------------------------------------------------
// Scale conversion

std::vector<double> Percentages() {
  std::mt19937 rng(kSeed);
  std::uniform_real_distribution<double> dist(0, 100);
  std::vector<double> v(1024);
  for (double& x : v) x = dist(rng);
  return v;
}

void BM_PercentageToValue(benchmark::State& state) {
  const Framework& fw = Itsm()->framework();
  const auto scale = static_cast<ScaleKind>(state.range(0));
  const std::vector<double> pcts = Percentages();
  std::string value;
  size_t i = 0;
  for (auto _ : state) {
    Status st = PercentageToValue(fw, scale, pcts[i++ & 1023], &value);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(value);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(ScaleKindName(scale));
}
BENCHMARK(BM_PercentageToValue)
    ->Arg(static_cast<int>(ScaleKind::kStandard))
    ->Arg(static_cast<int>(ScaleKind::kRefined));

// range(0): scale; range(1): 0 = scale values, 1 = percentages.
void BM_ResolveRating(benchmark::State& state) {
  const Framework& fw = Itsm()->framework();
  const auto scale = static_cast<ScaleKind>(state.range(0));
  const bool percent = state.range(1) != 0;
  std::vector<std::string> texts;
  if (percent) {
    for (double p : Percentages()) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.1f%%", p);
      texts.emplace_back(buf);
    }
  } else {
    const std::vector<std::string>& values = ScaleValues(scale);
    for (size_t i = 0; i < 1024; ++i) texts.push_back(values[i % values.size()]);
  }
  int ordinal = 0;
  size_t i = 0;
  for (auto _ : state) {
    Status st = ResolveRating(fw, scale, texts[i++ & 1023], &ordinal);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(ordinal);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(ScaleKindName(scale)) + (percent ? " percentages" : " values"));
}
BENCHMARK(BM_ResolveRating)->ArgsProduct({{0, 1}, {0, 1}});

// ---------------------------------------------------------------------------
// Aggregation and capability levels

// range(0): AggregationMethod; range(1): number of ordinals.
void BM_Aggregate(benchmark::State& state) {
  const auto method = static_cast<AggregationMethod>(state.range(0));
  const auto n = static_cast<size_t>(state.range(1));
  std::mt19937 rng(kSeed);
  std::vector<int> ordinals(n);
  std::vector<double> weights(n);
  for (size_t i = 0; i < n; ++i) {
    ordinals[i] = DrawOrdinal(rng, 2);
    weights[i] = 1.0 + static_cast<double>(i % 3);
  }
  const std::vector<double> no_weights;
  const std::vector<double>& w = method == AggregationMethod::kWeightedMean ? weights : no_weights;
  int result = 0;
  for (auto _ : state) {
    Status st = Aggregate(method, ordinals, w, &result);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * state.range(1));
  state.SetLabel(AggregationMethodName(method));
}
BENCHMARK(BM_Aggregate)->ArgsProduct({{0, 1, 2, 3}, {2, 5, 100}});

// range(0): target level. Attributes: level 1 F, level 2 F/L, level 3 L/P,
// levels 4-5 not rated.
void BM_DetermineCapability(benchmark::State& state) {
  const Framework& fw = Itsm()->framework();
  const int target = static_cast<int>(state.range(0));
  std::vector<AttributeRating> attrs;
  for (const ProcessAttribute& pa : fw.attributes) {
    AttributeRating a;
    a.attribute = pa.id;
    a.level = pa.level;
    if (pa.level <= 3) {
      a.state = AttributeState::kRated;
      a.ordinal = pa.level == 1 ? kOrdinalF : (pa.level == 2 ? kOrdinalF : kOrdinalL);
      if (pa.id == "PA3.2") a.ordinal = kOrdinalP;
      a.value = ValueOf(ScaleKind::kStandard, a.ordinal);
      a.folded = a.ordinal;
    }
    attrs.push_back(a);
  }
  for (auto _ : state) {
    CapabilityResult r = DetermineCapability(fw, attrs, target);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DetermineCapability)->Arg(3)->Arg(5);

// ---------------------------------------------------------------------------
// Model load and validation

void BM_ModelLibraryScan(benchmark::State& state) {
  for (auto _ : state) {
    ModelLibrary lib;
    Status st = lib.Scan();
    if (!st.ok()) Die("scan", st);
    benchmark::DoNotOptimize(lib.packs().data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ModelLibraryScan)->Unit(benchmark::kMillisecond);

void BM_ModelLibraryLoad(benchmark::State& state) {
  ModelLibrary lib;
  Status st = lib.Scan();
  if (!st.ok()) Die("scan", st);
  for (auto _ : state) {
    std::shared_ptr<const Model> model;
    std::vector<Diagnostic> diags;
    st = lib.Load("itsm-20000", "", &model, &diags);
    if (!st.ok()) Die("load", st);
    benchmark::DoNotOptimize(model.get());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ModelLibraryLoad)->Unit(benchmark::kMillisecond);

// What a cold `assay` pays before its first rating: Scan + Load.
void BM_ModelLibraryScanAndLoad(benchmark::State& state) {
  for (auto _ : state) {
    ModelLibrary lib;
    benchmark::DoNotOptimize(LoadFromLibrary(&lib, "itsm-20000").get());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ModelLibraryScanAndLoad)->Unit(benchmark::kMillisecond);

void BM_CheckFile(benchmark::State& state) {
  ModelLibrary lib;
  Status st = lib.Scan();
  if (!st.ok()) Die("scan", st);
  const std::string path = BundledPackPath();
  for (auto _ : state) {
    PackInfo info;
    std::vector<Diagnostic> diags;
    st = lib.CheckFile(path, {}, &info, &diags);
    if (!st.ok()) Die("check " + path, st);
    benchmark::DoNotOptimize(info);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckFile)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------
// ModelGraph

// range(0): 0 = itsm-20000 (29 processes), 1 = itsm-bench (116).
void BM_ModelGraphBuild(benchmark::State& state) {
  const std::shared_ptr<const Model>& model = state.range(0) ? Scaled() : Itsm();
  size_t nodes = 0;
  for (auto _ : state) {
    ModelGraph g(model);
    nodes = g.node_count();
    benchmark::DoNotOptimize(nodes);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(nodes));
  state.SetLabel(model->pam().id + ", items = nodes");
}
BENCHMARK(BM_ModelGraphBuild)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

std::vector<std::string> AllStatements(const Model& m) {
  std::vector<std::string> ids;
  for (const Process& p : m.processes())
    for (const Statement& s : p.outcomes) ids.push_back(s.id);
  for (const ProcessAttribute& pa : m.framework().attributes)
    for (const Statement& s : pa.achievements) ids.push_back(s.id);
  return ids;
}

std::vector<std::string> AllIndicators(const Model& m) {
  std::vector<std::string> ids;
  for (const Process& p : m.processes()) {
    for (const Indicator& i : p.base_practices) ids.push_back(i.id);
    for (const Indicator& i : p.work_products) ids.push_back(i.id);
  }
  for (const Indicator& i : m.framework().generic_practices) ids.push_back(i.id);
  for (const Indicator& i : m.framework().generic_resources) ids.push_back(i.id);
  return ids;
}

void BM_GraphSupporters(benchmark::State& state) {
  const ModelGraph& g = ItsmGraph();
  const std::vector<std::string> ids = AllStatements(g.model());
  std::vector<std::string> out;
  size_t i = 0;
  for (auto _ : state) {
    out.clear();
    Status st = g.Supporters(ids[i++ % ids.size()], &out);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GraphSupporters);

void BM_GraphContributesTo(benchmark::State& state) {
  const ModelGraph& g = ItsmGraph();
  const std::vector<std::string> ids = AllIndicators(g.model());
  size_t i = 0;
  for (auto _ : state) {
    Contribution c;
    Status st = g.ContributesTo(ids[i++ % ids.size()], &c);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GraphContributesTo);

void BM_GraphRulesTouching(benchmark::State& state) {
  const ModelGraph& g = ItsmGraph();
  const std::vector<std::string> ids = AllIndicators(g.model());
  size_t i = 0;
  for (auto _ : state) {
    std::vector<const ConsistencyRule*> rules = g.RulesTouching(ids[i++ % ids.size()]);
    benchmark::DoNotOptimize(rules.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GraphRulesTouching);

// ---------------------------------------------------------------------------
// ComputeResults and RunChecks; range(0): processes, range(1): instances per
// process (target level 3). Items are ratings.

void BM_ComputeResults(benchmark::State& state, RatingMethod method) {
  const AssessmentData& data = Data(method, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const Model& model = *Scaled();
  const ModelGraph& graph = ScaledGraph();
  for (auto _ : state) {
    RatingResults results;
    Status st = ComputeResults(model, graph, data, &results);
    if (!st.ok()) Die("ComputeResults", st);
    benchmark::DoNotOptimize(results.processes.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.ratings.size()));
  state.counters["ratings"] = static_cast<double>(data.ratings.size());
}
// Growing processes at 5 instances each, then growing instances of 10
// processes (the cost per process depends on its instance count).
BENCHMARK_CAPTURE(BM_ComputeResults, R2, RatingMethod::kR2)
    ->ArgsProduct({{10, 30, 100}, {5}})
    ->ArgsProduct({{10}, {1, 10, 20}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ComputeResults, R1, RatingMethod::kR1)
    ->ArgsProduct({{10, 30, 100}, {5}})
    ->ArgsProduct({{10}, {1, 10, 20}})
    ->Unit(benchmark::kMillisecond);

void BM_RunChecks(benchmark::State& state, RatingMethod method) {
  const AssessmentData& data = Data(method, static_cast<int>(state.range(0)));
  const Model& model = *Scaled();
  size_t findings = 0;
  for (auto _ : state) {
    CheckReport report = RunChecks(model, data);
    findings = report.findings.size();
    benchmark::DoNotOptimize(report.findings.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.ratings.size()));
  state.counters["ratings"] = static_cast<double>(data.ratings.size());
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK_CAPTURE(BM_RunChecks, R2, RatingMethod::kR2)->Arg(10)->Arg(30)->Arg(100)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_RunChecks, R1, RatingMethod::kR1)->Arg(10)->Arg(30)->Arg(100)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------
// What `assay profile --format csv --instances` does after the snapshot is
// read: the results without the sensitivity analysis (which the CSV does not
// show), then the CSV. range(0): processes, range(1): instances per process.

void BM_ProfileCsv(benchmark::State& state) {
  const AssessmentData& data =
      Data(RatingMethod::kR1, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const Model& model = *Scaled();
  const ModelGraph& graph = ScaledGraph();
  ComputeOptions lean;
  lean.sensitivity = false;
  size_t bytes = 0;
  for (auto _ : state) {
    RatingResults results;
    Status st = ComputeResults(model, graph, data, &results, lean);
    if (!st.ok()) Die("ComputeResults", st);
    std::string csv = reports::ProfileCsv(data, results, true);
    bytes = csv.size();
    benchmark::DoNotOptimize(csv.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.ratings.size()));
  state.counters["ratings"] = static_cast<double>(data.ratings.size());
  state.counters["csv_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ProfileCsv)->ArgsProduct({{10, 30, 100}, {5}})->Unit(benchmark::kMillisecond);

// The PDF assessment report from computed results and checks (what `assay
// report` does after reading): content, layout, fonts and compression.
// range(0): processes, 10 instances each.
void BM_ReportPdf(benchmark::State& state) {
  const AssessmentData& data = Data(RatingMethod::kR1, static_cast<int>(state.range(0)), 10);
  const Model& model = *Scaled();
  RatingResults results;
  Status st = ComputeResults(model, ScaledGraph(), data, &results);
  if (!st.ok()) Die("ComputeResults", st);
  const CheckReport checks = RunChecks(model, data);
  reports::AssessmentReportInput input;
  input.model = &model;
  input.data = &data;
  input.results = &results;
  input.checks = &checks;
  input.manifest.kind = reports::ReportKind::kAssessment;
  input.manifest.subject = data.assessment.id;
  input.manifest.snapshot_sha256 = std::string(64, '0');
  input.manifest.assay_version = "bench";
  input.manifest.model = model.Key();
  input.manifest.model_sha256 = model.hash();
  input.manifest.data_as_of = reports::AssessmentDataAsOf(data);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string pdf;
    st = reports::RenderAssessmentReport(input, reports::ReportOptions{}, &pdf);
    if (!st.ok()) Die("RenderAssessmentReport", st);
    bytes = pdf.size();
    benchmark::DoNotOptimize(pdf.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.ratings.size()));
  state.counters["ratings"] = static_cast<double>(data.ratings.size());
  state.counters["pdf_kib"] = static_cast<double>(bytes) / 1024.0;
}
BENCHMARK(BM_ReportPdf)->Arg(10)->Arg(30)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace assay

BENCHMARK_MAIN();
