// The rating conformance runner: executes the vectors of tests/conformance
// (docs/CONFORMANCE.md) against the engine and prints "N passed, M failed".
//
// usage: assay_conformance VECTOR_FILE_OR_DIR... [--models DIR]...
//   Every *.json file of a directory is read, in name order. The model packs
//   (the conformance PAM and the framework mf-33020) are looked up in the
//   --models directories. Exit 0 when every vector passes, 1 when one fails,
//   2 when a file cannot be read or a vector is malformed.
//
// A vector's "expect" is compared with what the engine computes as a subset:
// every key the vector names must be there with the same value; keys it
// leaves out are not compared.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/model_graph.h"
#include "assay/model.h"
#include "assay/rating.h"
#include "assay/scale.h"

namespace assay {
namespace {

using nlohmann::json;

// A vector that does not follow the format (not a failure of the engine).
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

ScaleKind ScaleOf(const json& v) {
  const std::string s = v.value("scale", "standard");
  if (s == "standard") return ScaleKind::kStandard;
  if (s == "refined") return ScaleKind::kRefined;
  throw Malformed("unknown scale '" + s + "'");
}

AggregationMethod AggregationOf(const std::string& s) {
  if (s == "mean") return AggregationMethod::kMean;
  if (s == "weighted-mean") return AggregationMethod::kWeightedMean;
  if (s == "median") return AggregationMethod::kMedian;
  if (s == "minimum") return AggregationMethod::kMinimum;
  throw Malformed("unknown aggregation method '" + s + "'");
}

RatingMethod MethodOf(const std::string& s) {
  if (s == "R1") return RatingMethod::kR1;
  if (s == "R2") return RatingMethod::kR2;
  if (s == "R3") return RatingMethod::kR3;
  throw Malformed("unknown rating method '" + s + "'");
}

// What a user writes, as `assay rate` and the imports read it, placed on the scale.
Status Resolve(const Framework& fw, ScaleKind scale, const std::string& text, int* ordinal) {
  std::string canonical;
  ASSAY_RETURN_IF_ERROR(CanonicalRatingValue(text, &canonical));
  return ResolveRating(fw, scale, canonical, ordinal);
}

json RunValue(const Framework& fw, const json& v) {
  const ScaleKind scale = ScaleOf(v);
  int ordinal = -1;
  Status s = Resolve(fw, scale, v.at("input").get<std::string>(), &ordinal);
  if (!s.ok()) return {{"error", true}};
  return {{"value", ValueOf(scale, ordinal)}};
}

json RunAggregate(const Framework& fw, const json& v) {
  const ScaleKind scale = ScaleOf(v);
  std::vector<int> ordinals;
  for (const json& value : v.at("values")) {
    int ordinal = -1;
    if (!Resolve(fw, scale, value.get<std::string>(), &ordinal).ok())
      throw Malformed("value " + value.dump() + " is not on the scale");
    ordinals.push_back(ordinal);
  }
  std::vector<double> weights;
  if (v.contains("weights")) weights = v.at("weights").get<std::vector<double>>();
  int result = -1;
  if (!Aggregate(AggregationOf(v.at("method").get<std::string>()), ordinals, weights, &result).ok())
    return {{"error", true}};
  return {{"value", ValueOf(scale, result)}};
}

json RunCapability(const Framework& fw, const json& v) {
  const ScaleKind scale = ScaleOf(v);
  std::vector<AttributeRating> attributes;
  for (const ProcessAttribute& pa : fw.attributes) {
    AttributeRating a;
    a.attribute = pa.id;
    a.level = pa.level;
    const json& given = v.at("attributes");
    if (given.contains(pa.id)) {
      if (!Resolve(fw, scale, given.at(pa.id).get<std::string>(), &a.ordinal).ok())
        throw Malformed("the value of " + pa.id + " is not on the scale");
      a.state = AttributeState::kRated;
      a.value = ValueOf(scale, a.ordinal);
      a.folded = FoldOrdinal(scale, a.ordinal);
    }
    attributes.push_back(a);
  }
  const CapabilityResult r = DetermineCapability(fw, attributes, v.value("target", 5));
  return {{"level", r.level}};
}

ItemKind KindOf(const Model& model, const std::string& item) {
  std::string owner;
  if (model.FindAttribute(item)) return ItemKind::kAttribute;
  if (model.FindIndicator(item)) return ItemKind::kIndicator;
  if (model.FindStatement(item, &owner)) return model.FindAttribute(owner) ? ItemKind::kAchievement : ItemKind::kOutcome;
  throw Malformed("'" + item + "' is not an item of model " + model.Key());
}

// One instance's ratings: {"ITEM": "F"} or {"ITEM": [{"assessor": "ann",
// "value": "F"}, {"consolidated": true, "value": "L"}]}.
void AddRatings(const Model& model, const std::string& process, const std::string& instance, const json& ratings,
                std::vector<Rating>* out) {
  for (const auto& [item, given] : ratings.items()) {
    const json votes = given.is_array() ? given : json::array({{{"assessor", "ann"}, {"value", given}}});
    for (const json& vote : votes) {
      Rating r;
      r.id = static_cast<int64_t>(out->size()) + 1;
      r.process = process;
      r.instance = instance;
      r.item = item;
      r.item_kind = KindOf(model, item);
      r.consolidated = vote.value("consolidated", false);
      if (!r.consolidated) r.assessor = vote.value("assessor", "ann");
      if (!CanonicalRatingValue(vote.at("value").get<std::string>(), &r.value).ok())
        throw Malformed("rating value " + vote.at("value").dump() + " of " + item + " is not a rating");
      out->push_back(r);
    }
  }
}

json AttributesJson(const std::vector<AttributeRating>& attributes) {
  json out = json::object();
  for (const AttributeRating& a : attributes)
    out[a.attribute] = a.state == AttributeState::kRated ? a.value : AttributeStateName(a.state);
  return out;
}

json RunAssessment(const Model& model, const ModelGraph& graph, const json& v) {
  AssessmentData data;
  data.assessment.id = "CONFORMANCE";
  RatingOptions& opt = data.assessment.options;
  opt.scale = ScaleOf(v);
  opt.method = MethodOf(v.value("method", "R2"));
  opt.aggregation = AggregationOf(v.value("aggregation", "mean"));
  opt.weights_rationale = "conformance vector";
  for (const json& p : v.at("processes")) {
    const std::string process = p.at("id").get<std::string>();
    data.scope.push_back({process, p.value("target", 5)});
    for (const json& i : p.at("instances")) {
      ProcessInstance pi;
      pi.id = i.at("id").get<std::string>();
      pi.process = process;
      pi.weight = i.value("weight", 1.0);
      data.instances.push_back(pi);
      AddRatings(model, process, pi.id, i.value("ratings", json::object()), &data.ratings);
    }
  }
  RatingResults results;
  ComputeOptions compute;
  compute.sensitivity = false;
  if (!ComputeResults(model, graph, data, &results, compute).ok()) return {{"error", true}};
  json processes = json::object();
  for (const ProcessProfile& p : results.processes) {
    json instances = json::object();
    for (const InstanceResult& i : p.instances)
      instances[i.instance] = {{"attributes", AttributesJson(i.attributes)}, {"level", i.capability.level}};
    processes[p.process] = {{"attributes", AttributesJson(p.aggregate)},
                            {"level", p.capability.determined ? json(p.capability.level) : json(nullptr)},
                            {"instances", instances}};
  }
  return {{"processes", processes}, {"maturity", results.maturity.level}};
}

json RunMaturity(const Model& model, const json& v) {
  std::vector<ProcessProfile> profiles;
  for (const auto& [process, given] : v.at("processes").items()) {
    ProcessProfile p;
    p.process = process;
    p.target_level = given.value("target", 5);
    const json& level = given.at("level");
    p.capability.determined = !level.is_null();
    p.capability.level = level.is_null() ? 0 : level.get<int>();
    profiles.push_back(p);
  }
  const MaturityResult r = DetermineMaturity(model, profiles);
  return {{"level", r.level}, {"attainable", r.attainable}};
}

// Whether `got` holds everything `expected` says.
bool Matches(const json& expected, const json& got) {
  if (!expected.is_object()) {
    if (expected.is_number() && got.is_number()) return expected.get<double>() == got.get<double>();
    return expected == got;
  }
  if (!got.is_object()) return false;
  for (const auto& [key, value] : expected.items())
    if (!got.contains(key) || !Matches(value, got.at(key))) return false;
  return true;
}

struct Tally {
  int passed = 0;
  int failed = 0;
  int malformed = 0;
};

void RunFile(const std::string& path, const Model& model, const ModelGraph& graph, Tally* tally) {
  std::ifstream in(path, std::ios::binary);
  json doc;
  try {
    doc = json::parse(in);
    if (doc.value("format", "") != "assay-conformance/1") throw Malformed("format is not assay-conformance/1");
  } catch (const std::exception& e) {
    std::cout << path << ": cannot read: " << e.what() << "\n";
    ++tally->malformed;
    return;
  }
  for (const json& v : doc.at("vectors")) {
    const std::string id = v.value("id", "?");
    try {
      if (!v.contains("rule") || !v.contains("source") || !v.contains("expect"))
        throw Malformed("a vector needs rule, source and expect");
      const std::string kind = v.at("kind").get<std::string>();
      json got;
      if (kind == "value")
        got = RunValue(model.framework(), v);
      else if (kind == "aggregate")
        got = RunAggregate(model.framework(), v);
      else if (kind == "capability")
        got = RunCapability(model.framework(), v);
      else if (kind == "assessment")
        got = RunAssessment(model, graph, v);
      else if (kind == "maturity")
        got = RunMaturity(model, v);
      else
        throw Malformed("unknown kind '" + kind + "'");
      if (Matches(v.at("expect"), got)) {
        ++tally->passed;
      } else {
        ++tally->failed;
        std::cout << "FAIL " << path << " " << id << " (" << v.at("rule").get<std::string>()
                  << "): expected " << v.at("expect").dump() << ", got " << got.dump() << "\n";
      }
    } catch (const std::exception& e) {
      ++tally->malformed;
      std::cout << "MALFORMED " << path << " " << id << ": " << e.what() << "\n";
    }
  }
}

int Main(int argc, char** argv) {
  std::vector<std::string> inputs, model_dirs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--models" && i + 1 < argc)
      model_dirs.push_back(argv[++i]);
    else
      inputs.push_back(arg);
  }
  if (inputs.empty()) {
    std::cerr << "usage: assay_conformance VECTOR_FILE_OR_DIR... [--models DIR]...\n";
    return 2;
  }
  ModelLibrary library(model_dirs);
  std::shared_ptr<const Model> model;
  std::vector<Diagnostic> diags;
  Status s = library.Scan();
  if (s.ok()) s = library.Load("conformance", "", &model, &diags);
  if (!s.ok()) {
    for (const Diagnostic& d : diags) std::cerr << d.ToString() << "\n";
    std::cerr << "assay_conformance: cannot load the conformance model: " << s.ToString() << "\n";
    return 2;
  }
  const ModelGraph graph(model);
  std::vector<std::string> files;
  for (const std::string& in : inputs) {
    if (std::filesystem::is_directory(in)) {
      for (const auto& e : std::filesystem::directory_iterator(in))
        if (e.path().extension() == ".json") files.push_back(e.path().string());
    } else {
      files.push_back(in);
    }
  }
  std::sort(files.begin(), files.end());
  Tally tally;
  for (const std::string& f : files) RunFile(f, *model, graph, &tally);
  std::cout << files.size() << " vector files\n" << tally.passed << " passed, " << tally.failed << " failed";
  if (tally.malformed) std::cout << ", " << tally.malformed << " malformed";
  std::cout << "\n";
  if (tally.malformed) return 2;
  return tally.failed ? 1 : 0;
}

}  // namespace
}  // namespace assay

int main(int argc, char** argv) { return assay::Main(argc, argv); }
