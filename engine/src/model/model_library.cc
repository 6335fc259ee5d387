#include "assay/model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <nlohmann/json.hpp>

#include "assay/text.h"
#include "util/json_input.h"

#ifndef ASSAY_BUNDLED_MODELS_DIR
#define ASSAY_BUNDLED_MODELS_DIR ""
#endif

namespace assay {

std::string Diagnostic::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line) + ":" + std::to_string(column);
  }
  out += ": ";
  if (!pointer.empty()) out += pointer + ": ";
  out += message;
  // Keys, IDs and values quoted from the input may hold control characters
  // (a JSON "\u000a", a CSV field with a line break) or bidirectional
  // overrides: shown escaped, so that a diagnostic stays one line and
  // cannot drive the terminal.
  return DisplaySafe(out);
}

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A pack file after syntax and schema validation.
struct ParsedPack {
  PackInfo info;
  json doc;
};

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> StrList(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it != j.end() && it->is_array())
    for (const json& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}


// A parsed pack file's schema validation and PackInfo. False when there
// were problems (appended to diags).
bool FinishPack(const std::string& path, ParsedPack* out, std::vector<Diagnostic>* diags) {
  size_t before = diags->size();
  if (!out->doc.is_object()) {
    diags->push_back({path, "/", 0, 0, "expected a JSON object (a model pack), got " + internal::JsonTypeName(out->doc)});
    return false;
  }
  internal::ValidateSchema("model", out->doc, path, diags);
  const json& d = out->doc;
  PackInfo& info = out->info;
  info.kind = Str(d, "kind");
  info.id = Str(d, "id");
  info.version = Str(d, "version");
  info.title = Str(d, "title");
  info.description = Str(d, "description");
  info.follows = StrList(d, "follows");
  info.notice = Str(d, "notice");
  info.path = path;
  info.sha256 = Sha256Hex(d.dump());
  return diags->size() == before;
}

// Parses, schema-validates and describes one pack file's text.
bool ParsePack(const std::string& path, std::string_view text, ParsedPack* out, std::vector<Diagnostic>* diags) {
  if (!internal::ParseJson(text, path, JsonLimits{}, &out->doc, diags)) return false;
  return FinishPack(path, out, diags);
}

// The whole file, or false (the caller then reads it through ReadJsonFile,
// which words the problem).
bool Slurp(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0 || static_cast<size_t>(size) > JsonLimits{}.max_bytes) return false;
  in.seekg(0);
  text->assign(static_cast<size_t>(size), '\0');
  in.read(text->data(), size);
  return static_cast<bool>(in);
}

// Parsing and schema validation of a pack file, the bulk of the cost of
// loading a model, done once per process and file content: Scan, Load,
// CheckFile and the framework look-ups of a PAM all read the same files. An
// entry is used only when the file's bytes are still the ones it was made
// from, so an edited file is read again. Nothing is kept on disk.
struct CachedPack {
  std::string text;
  bool ok = false;
  std::shared_ptr<const ParsedPack> pack;
  std::vector<Diagnostic> diags;
};

std::shared_ptr<const ParsedPack> ReadPack(const std::string& path, std::vector<Diagnostic>* diags) {
  // Never destroyed (the process's exit need not free every pack's tree).
  static std::mutex& mu = *new std::mutex;
  static std::map<std::string, CachedPack>& cache = *new std::map<std::string, CachedPack>;
  std::string text;
  if (!Slurp(path, &text)) {
    // Unreadable or too large: ReadJsonFile says why (and, should the file
    // have become readable meanwhile, reads it uncached).
    auto pack = std::make_shared<ParsedPack>();
    if (!internal::ReadJsonFile(path, JsonLimits{}, &pack->doc, diags)) return nullptr;
    if (!FinishPack(path, pack.get(), diags)) return nullptr;
    return pack;
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(path);
    if (it != cache.end() && it->second.text == text) {
      diags->insert(diags->end(), it->second.diags.begin(), it->second.diags.end());
      return it->second.ok ? it->second.pack : nullptr;
    }
  }
  CachedPack entry;
  auto pack = std::make_shared<ParsedPack>();
  entry.ok = ParsePack(path, text, pack.get(), &entry.diags);
  entry.pack = std::move(pack);
  entry.text = std::move(text);
  diags->insert(diags->end(), entry.diags.begin(), entry.diags.end());
  std::shared_ptr<const ParsedPack> result = entry.ok ? entry.pack : nullptr;
  std::lock_guard<std::mutex> lock(mu);
  cache[path] = std::move(entry);
  return result;
}

// Collects semantic problems of one pack with their JSON pointers: the
// first internal::kMaxListedProblems, then one line saying how many more.
class Checker {
 public:
  Checker(std::string file, std::vector<Diagnostic>* diags) : file_(std::move(file)), diags_(diags) {}
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;
  ~Checker() {
    if (unlisted_ > 0)
      diags_->push_back({file_, "", 0, 0,
                         std::to_string(unlisted_) + " more problems not shown (the first " +
                             std::to_string(internal::kMaxListedProblems) + " are listed)"});
  }

  void Error(const std::string& pointer, const std::string& message) {
    if (Full()) return;
    ++listed_;
    diags_->push_back({file_, pointer, 0, 0, message});
  }

  // Registers an ID; reports a duplicate with the place of the first definition.
  void Define(const std::string& id, const std::string& pointer) {
    auto [it, inserted] = ids_.emplace(id, pointer);
    if (!inserted) Error(pointer + "/id", "duplicate ID " + Quote(id) + " (first defined at " + it->second + ")");
  }
  bool Defined(const std::string& id) const { return ids_.count(id) > 0; }

  // Reports an unknown reference with the nearest candidates.
  void Unknown(const std::string& pointer, const std::string& what, const std::string& id,
               const std::vector<std::string>& candidates) {
    if (Full()) return;
    Error(pointer, "unknown " + what + " " + Quote(id) + SuggestionSuffix(id, candidates));
  }

  const std::string& file() const { return file_; }

 private:
  // True (and the problem counted) when no more problems are listed.
  bool Full() {
    if (listed_ < internal::kMaxListedProblems) return false;
    ++unlisted_;
    return true;
  }

  std::string file_;
  std::vector<Diagnostic>* diags_;
  std::map<std::string, std::string> ids_;
  size_t listed_ = 0;
  size_t unlisted_ = 0;
};

std::string Ptr(const std::string& base, size_t index) { return base + "/" + std::to_string(index); }

void ParseScale(const json& arr, Scale* scale) {
  int ordinal = 0;
  for (const json& b : arr) {
    ScaleBand band;
    band.value = Str(b, "value");
    band.name = Str(b, "name");
    band.meaning = Str(b, "meaning");
    band.lower = b.at("lower").get<double>();
    band.upper = b.at("upper").get<double>();
    band.folds_to = Str(b, "folds_to");
    if (band.folds_to.empty()) band.folds_to = band.value;
    band.ordinal = ordinal++;
    scale->bands.push_back(band);
  }
}

void CheckScale(const Scale& scale, const std::string& pointer, bool refined, Checker* c) {
  static const std::vector<std::string> kStandard = {"N", "P", "L", "F"};
  const auto& bands = scale.bands;
  if (!refined) {
    std::vector<std::string> values;
    for (const ScaleBand& b : bands) values.push_back(b.value);
    if (values != kStandard) c->Error(pointer, "the standard scale must be N, P, L, F in this order");
  } else {
    std::vector<std::string> folded;
    for (const ScaleBand& b : bands) folded.push_back(b.folds_to);
    for (size_t i = 0; i < bands.size(); ++i) {
      if (bands[i].value.size() == 2 && bands[i].folds_to != bands[i].value.substr(0, 1))
        c->Error(Ptr(pointer, i) + "/folds_to", "refined value " + Quote(bands[i].value) + " must fold to " +
                                                    Quote(bands[i].value.substr(0, 1)));
    }
    if (bands.empty() || bands.front().value != "N" || bands.back().value != "F")
      c->Error(pointer, "the refined scale must start with N and end with F");
  }
  for (size_t i = 0; i < bands.size(); ++i) {
    const ScaleBand& b = bands[i];
    if (!(b.lower < b.upper))
      c->Error(Ptr(pointer, i), "band " + Quote(b.value) + " is empty: lower " + std::to_string(b.lower) +
                                    " is not below upper " + std::to_string(b.upper));
    if (i == 0 && b.lower != 0)
      c->Error(Ptr(pointer, i) + "/lower", "the first band must start at 0, not " + std::to_string(b.lower));
    if (i + 1 == bands.size() && b.upper != 100)
      c->Error(Ptr(pointer, i) + "/upper", "the last band must end at 100, not " + std::to_string(b.upper));
    if (i > 0 && b.lower != bands[i - 1].upper) {
      const char* what = b.lower > bands[i - 1].upper ? "gap" : "overlap";
      c->Error(Ptr(pointer, i) + "/lower", std::string(what) + " between bands " + Quote(bands[i - 1].value) +
                                               " and " + Quote(b.value) + ": expected lower " +
                                               std::to_string(bands[i - 1].upper) + ", got " +
                                               std::to_string(b.lower));
    }
  }
}

Indicator ParseIndicator(const json& j, IndicatorKind kind, const std::string& owner) {
  Indicator ind;
  ind.id = Str(j, "id");
  ind.kind = kind;
  ind.owner = owner.empty() ? Str(j, "attribute") : owner;
  ind.name = Str(j, "name");
  ind.description = Str(j, "description");
  ind.supports = StrList(j, "supports");
  return ind;
}

std::vector<Statement> ParseStatements(const json& arr) {
  std::vector<Statement> out;
  for (const json& s : arr) out.push_back({Str(s, "id"), Str(s, "text")});
  return out;
}

// Builds a Framework from a schema-valid framework pack and checks it.
void BuildFramework(const ParsedPack& pack, Framework* fw, Checker* c) {
  const json& d = pack.doc;
  fw->info = pack.info;
  ParseScale(d.at("scales").at("standard"), &fw->standard);
  CheckScale(fw->standard, "/scales/standard", false, c);
  if (d.at("scales").contains("refined")) {
    fw->refined.emplace();
    ParseScale(d.at("scales").at("refined"), &*fw->refined);
    CheckScale(*fw->refined, "/scales/refined", true, c);
  }
  const json& levels = d.at("levels");
  for (size_t i = 0; i < levels.size(); ++i) {
    CapabilityLevel lv;
    lv.number = levels[i].at("number").get<int>();
    lv.name = Str(levels[i], "name");
    lv.description = Str(levels[i], "description");
    if (lv.number != static_cast<int>(i))
      c->Error(Ptr("/levels", i) + "/number", "capability levels must run 0, 1, 2, ... without gaps: expected " +
                                                  std::to_string(i) + ", got " + std::to_string(lv.number));
    fw->levels.push_back(lv);
  }
  std::vector<std::string> attribute_ids, achievement_ids;
  const json& attrs = d.at("attributes");
  for (size_t i = 0; i < attrs.size(); ++i) {
    std::string p = Ptr("/attributes", i);
    ProcessAttribute a;
    a.id = Str(attrs[i], "id");
    a.level = attrs[i].at("level").get<int>();
    a.name = Str(attrs[i], "name");
    a.description = Str(attrs[i], "description");
    a.achievements = ParseStatements(attrs[i].at("achievements"));
    c->Define(a.id, p);
    attribute_ids.push_back(a.id);
    for (size_t k = 0; k < a.achievements.size(); ++k) {
      c->Define(a.achievements[k].id, Ptr(p + "/achievements", k));
      achievement_ids.push_back(a.achievements[k].id);
    }
    auto lv = std::find_if(fw->levels.begin(), fw->levels.end(),
                           [&](const CapabilityLevel& l) { return l.number == a.level; });
    if (lv == fw->levels.end())
      c->Error(p + "/level", "attribute " + Quote(a.id) + " names capability level " + std::to_string(a.level) +
                                 ", which the pack does not define");
    else
      lv->attributes.push_back(a.id);
    fw->attributes.push_back(std::move(a));
  }
  for (size_t i = 0; i < fw->levels.size(); ++i) {
    const CapabilityLevel& lv = fw->levels[i];
    if (lv.number > 0 && lv.attributes.empty())
      c->Error(Ptr("/levels", i), "capability level " + std::to_string(lv.number) + " has no process attribute");
  }
  auto parse_generic = [&](const char* key, IndicatorKind kind, std::vector<Indicator>* out) {
    if (!d.contains(key)) return;
    const json& arr = d.at(key);
    for (size_t i = 0; i < arr.size(); ++i) {
      std::string p = Ptr(std::string("/") + key, i);
      Indicator ind = ParseIndicator(arr[i], kind, "");
      c->Define(ind.id, p);
      const ProcessAttribute* attr = nullptr;
      for (const ProcessAttribute& a : fw->attributes)
        if (a.id == ind.owner) attr = &a;
      if (!attr) {
        c->Unknown(p + "/attribute", "process attribute", ind.owner, attribute_ids);
      } else {
        std::vector<std::string> own;
        for (const Statement& s : attr->achievements) own.push_back(s.id);
        for (size_t k = 0; k < ind.supports.size(); ++k) {
          const std::string& target = ind.supports[k];
          if (std::find(own.begin(), own.end(), target) == own.end()) {
            if (std::find(achievement_ids.begin(), achievement_ids.end(), target) != achievement_ids.end())
              c->Error(Ptr(p + "/supports", k), Quote(target) + " is an achievement of another attribute, not of " +
                                                    Quote(attr->id) + SuggestionSuffix(target, own));
            else
              c->Unknown(Ptr(p + "/supports", k), "achievement", target, own);
          }
        }
      }
      out->push_back(std::move(ind));
    }
  };
  parse_generic("generic_practices", IndicatorKind::kGenericPractice, &fw->generic_practices);
  parse_generic("generic_resources", IndicatorKind::kGenericResource, &fw->generic_resources);
  for (size_t i = 0; i < fw->attributes.size(); ++i) {
    const ProcessAttribute& a = fw->attributes[i];
    for (size_t k = 0; k < a.achievements.size(); ++k) {
      const std::string& id = a.achievements[k].id;
      bool supported = std::any_of(fw->generic_practices.begin(), fw->generic_practices.end(), [&](const Indicator& gp) {
        return std::find(gp.supports.begin(), gp.supports.end(), id) != gp.supports.end();
      });
      if (!supported)
        c->Error(Ptr(Ptr("/attributes", i) + "/achievements", k),
                 "achievement " + Quote(id) + " is supported by no generic practice");
    }
  }
}

ProcessScope ParseScope(const json& ref, ProcessScope fallback) {
  std::string s = Str(ref, "processes");
  if (s == "same") return ProcessScope::kSame;
  if (s == "all") return ProcessScope::kAll;
  if (s == "others") return ProcessScope::kOthers;
  return fallback;
}

// Framework IDs are in scope: a PAM ID must not reuse them.
void DefineFrameworkIds(const Framework& fw, Checker* c) {
  for (size_t i = 0; i < fw.attributes.size(); ++i) {
    c->Define(fw.attributes[i].id, "(framework " + fw.info.id + ")");
    for (const Statement& s : fw.attributes[i].achievements) c->Define(s.id, "(framework " + fw.info.id + ")");
  }
  for (const Indicator& gp : fw.generic_practices) c->Define(gp.id, "(framework " + fw.info.id + ")");
  for (const Indicator& gr : fw.generic_resources) c->Define(gr.id, "(framework " + fw.info.id + ")");
}

// One process of the pack (`pj` at pointer `p`): its outcomes, base
// practices and work products, each indicator supporting outcomes of its
// own process, every outcome supported by some base practice.
Process BuildProcess(const json& pj, const std::string& p, const std::vector<std::string>& group_ids, Checker* c) {
  Process proc;
  proc.id = Str(pj, "id");
  proc.name = Str(pj, "name");
  proc.group = Str(pj, "group");
  proc.clauses = StrList(pj, "clauses");
  proc.purpose = Str(pj, "purpose");
  c->Define(proc.id, p);
  if (std::find(group_ids.begin(), group_ids.end(), proc.group) == group_ids.end())
    c->Unknown(p + "/group", "process group", proc.group, group_ids);
  proc.outcomes = ParseStatements(pj.at("outcomes"));
  std::vector<std::string> outcome_ids;
  for (size_t k = 0; k < proc.outcomes.size(); ++k) {
    c->Define(proc.outcomes[k].id, Ptr(p + "/outcomes", k));
    outcome_ids.push_back(proc.outcomes[k].id);
  }
  auto parse_specific = [&](const char* key, IndicatorKind kind, std::vector<Indicator>* out) {
    const json& arr = pj.at(key);
    for (size_t k = 0; k < arr.size(); ++k) {
      std::string ip = Ptr(p + "/" + key, k);
      Indicator ind = ParseIndicator(arr[k], kind, proc.id);
      c->Define(ind.id, ip);
      for (size_t s = 0; s < ind.supports.size(); ++s)
        if (std::find(outcome_ids.begin(), outcome_ids.end(), ind.supports[s]) == outcome_ids.end())
          c->Unknown(Ptr(ip + "/supports", s), "outcome of " + proc.id, ind.supports[s], outcome_ids);
      out->push_back(std::move(ind));
    }
  };
  parse_specific("base_practices", IndicatorKind::kBasePractice, &proc.base_practices);
  parse_specific("work_products", IndicatorKind::kWorkProduct, &proc.work_products);
  for (size_t k = 0; k < proc.outcomes.size(); ++k) {
    const std::string& id = proc.outcomes[k].id;
    bool supported = std::any_of(proc.base_practices.begin(), proc.base_practices.end(), [&](const Indicator& bp) {
      return std::find(bp.supports.begin(), bp.supports.end(), id) != bp.supports.end();
    });
    if (!supported) c->Error(Ptr(p + "/outcomes", k), "outcome " + Quote(id) + " is supported by no base practice");
  }
  return proc;
}

// The maturity model of the pack (`m`), its levels 1, 2, 3, ... naming
// processes of the pack.
MaturityModel BuildMaturity(const json& m, const std::vector<std::string>& process_ids, Checker* c) {
  MaturityModel mm;
  mm.id = Str(m, "id");
  mm.name = Str(m, "name");
  mm.description = Str(m, "description");
  mm.rule = Str(m, "rule");
  int all_others = 0;
  const json& lv = m.at("levels");
  for (size_t i = 0; i < lv.size(); ++i) {
    std::string p = Ptr("/maturity/levels", i);
    MaturityLevel ml;
    ml.level = lv[i].at("level").get<int>();
    ml.name = Str(lv[i], "name");
    ml.description = Str(lv[i], "description");
    ml.processes = StrList(lv[i], "processes");
    ml.all_other_processes = lv[i].value("all_other_processes", false);
    if (ml.level != static_cast<int>(i) + 1)
      c->Error(p + "/level", "maturity levels must run 1, 2, 3, ... without gaps: expected " + std::to_string(i + 1) +
                                 ", got " + std::to_string(ml.level));
    if (ml.all_other_processes && ++all_others > 1)
      c->Error(p + "/all_other_processes", "only one maturity level may take all other processes");
    for (size_t k = 0; k < ml.processes.size(); ++k) {
      const std::string& pid = ml.processes[k];
      std::string pp = Ptr(p + "/processes", k);
      if (std::find(process_ids.begin(), process_ids.end(), pid) == process_ids.end()) {
        c->Unknown(pp, "process", pid, process_ids);
      } else {
        for (size_t j = 0; j < k; ++j)
          if (ml.processes[j] == pid)
            c->Error(pp, "process " + Quote(pid) + " is named twice in this maturity level (also at " +
                             Ptr(p + "/processes", j) + ")");
      }
    }
    mm.levels.push_back(ml);
  }
  return mm;
}

// What a consistency rule may name: the indicators of the pack and the
// framework, the values of its scales, its reason codes.
struct RuleVocabulary {
  std::vector<std::string> indicator_ids;
  std::set<std::string> indicators;
  std::set<std::string> scale_values;
  std::vector<std::string> reason_ids;
};

// One consistency rule (`rj` at pointer `p`).
ConsistencyRule BuildRule(const json& rj, const std::string& p, const RuleVocabulary& vocab, Checker* c) {
  ConsistencyRule r;
  r.id = Str(rj, "id");
  std::string type = Str(rj, "type");
  r.type = type == "cap"         ? RuleType::kCap
           : type == "not_f"     ? RuleType::kNotF
           : type == "not_above" ? RuleType::kNotAbove
                                 : RuleType::kAlign;
  r.recommendation = Str(rj, "severity") == "recommendation";
  r.subject.indicator = Str(rj.at("subject"), "indicator");
  r.subject.processes = ParseScope(rj.at("subject"), ProcessScope::kAll);
  r.value = Str(rj, "value");
  r.when_reason = Str(rj, "when_reason");
  r.statement = Str(rj, "statement");
  c->Define(r.id, p);
  if (!vocab.indicators.count(r.subject.indicator))
    c->Unknown(p + "/subject/indicator", "indicator", r.subject.indicator, vocab.indicator_ids);
  if (rj.contains("reference")) {
    IndicatorRef ref;
    ref.indicator = Str(rj.at("reference"), "indicator");
    ref.processes = ParseScope(rj.at("reference"), ProcessScope::kSame);
    if (!vocab.indicators.count(ref.indicator))
      c->Unknown(p + "/reference/indicator", "indicator", ref.indicator, vocab.indicator_ids);
    else if (ref.indicator == r.subject.indicator && ref.processes == ProcessScope::kSame)
      c->Error(p + "/reference", "rule " + Quote(r.id) + " compares " + Quote(ref.indicator) + " with itself");
    r.reference = ref;
  }
  if (r.type == RuleType::kCap && !vocab.scale_values.count(r.value))
    c->Error(p + "/value", "value " + Quote(r.value) + " is not on the framework's scales");
  if (!r.when_reason.empty() &&
      std::find(vocab.reason_ids.begin(), vocab.reason_ids.end(), r.when_reason) == vocab.reason_ids.end())
    c->Unknown(p + "/when_reason", "reason code", r.when_reason, vocab.reason_ids);
  return r;
}

RuleVocabulary Vocabulary(const Framework& fw, const std::vector<Process>& processes,
                          const std::vector<ReasonCode>& reasons) {
  RuleVocabulary v;
  for (const Process& pr : processes) {
    for (const Indicator& i : pr.base_practices) v.indicator_ids.push_back(i.id);
    for (const Indicator& i : pr.work_products) v.indicator_ids.push_back(i.id);
  }
  for (const Indicator& i : fw.generic_practices) v.indicator_ids.push_back(i.id);
  for (const Indicator& i : fw.generic_resources) v.indicator_ids.push_back(i.id);
  v.indicators.insert(v.indicator_ids.begin(), v.indicator_ids.end());
  for (const ScaleBand& b : fw.standard.bands) v.scale_values.insert(b.value);
  if (fw.refined)
    for (const ScaleBand& b : fw.refined->bands) v.scale_values.insert(b.value);
  for (const ReasonCode& r : reasons) v.reason_ids.push_back(r.id);
  return v;
}

// No cycle among ordering rules: "not_above" makes subject <= reference.
void CheckRuleCycles(const std::vector<ConsistencyRule>* rules, Checker* c) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  std::map<std::string, size_t> vertex;
  std::vector<std::string> names;
  auto v = [&](const std::string& id) {
    auto [it, inserted] = vertex.emplace(id, names.size());
    if (inserted) names.push_back(id);
    return it->second;
  };
  std::vector<std::pair<size_t, size_t>> edges;
  std::map<std::pair<size_t, size_t>, size_t> edge_rule;
  for (size_t i = 0; i < rules->size(); ++i) {
    const ConsistencyRule& r = (*rules)[i];
    if (r.type != RuleType::kNotAbove || !r.reference || r.reference->indicator == r.subject.indicator) continue;
    auto e = std::make_pair(v(r.subject.indicator), v(r.reference->indicator));
    edges.push_back(e);
    edge_rule.emplace(e, i);
  }
  Graph graph(names.size());
  for (const auto& e : edges) boost::add_edge(e.first, e.second, graph);
  struct CycleFinder : boost::default_dfs_visitor {
    std::vector<size_t>* parent;
    std::vector<std::pair<size_t, size_t>>* back;
    void tree_edge(Graph::edge_descriptor e, const Graph& g) const {
      (*parent)[boost::target(e, g)] = boost::source(e, g);
    }
    void back_edge(Graph::edge_descriptor e, const Graph& g) const {
      back->emplace_back(boost::source(e, g), boost::target(e, g));
    }
  };
  std::vector<size_t> parent(names.size(), SIZE_MAX);
  std::vector<std::pair<size_t, size_t>> back;
  if (!names.empty()) boost::depth_first_search(graph, boost::visitor(CycleFinder{{}, &parent, &back}));
  for (const auto& [from, to] : back) {
    // Walk the tree from `from` back to `to` to name the cycle.
    std::vector<size_t> path = {from};
    for (size_t x = from; x != to && parent[x] != SIZE_MAX; x = parent[x]) path.push_back(parent[x]);
    std::reverse(path.begin(), path.end());
    std::string text;
    for (size_t x : path) text += names[x] + " <= ";
    text += names[to];
    size_t rule_index = edge_rule[{from, to}];
    c->Error(Ptr("/rules", rule_index), "rules form a cycle: " + text);
  }
}

// Builds the PAM part of `model` (its framework already set) and checks it.
void BuildPam(const ParsedPack& pack, Model* model, std::vector<ProcessGroup>* groups,
              std::vector<Process>* processes, std::optional<MaturityModel>* maturity,
              std::vector<ConsistencyRule>* rules, std::vector<ReasonCode>* reasons, Checker* c) {
  const json& d = pack.doc;
  const Framework& fw = model->framework();
  DefineFrameworkIds(fw, c);
  std::vector<std::string> group_ids;
  const json& g = d.at("groups");
  for (size_t i = 0; i < g.size(); ++i) {
    ProcessGroup pg{Str(g[i], "id"), Str(g[i], "name"), Str(g[i], "clause"), Str(g[i], "description")};
    c->Define(pg.id, Ptr("/groups", i));
    group_ids.push_back(pg.id);
    groups->push_back(pg);
  }
  std::vector<std::string> process_ids;
  const json& procs = d.at("processes");
  for (size_t i = 0; i < procs.size(); ++i) process_ids.push_back(Str(procs[i], "id"));
  for (size_t i = 0; i < procs.size(); ++i) processes->push_back(BuildProcess(procs[i], Ptr("/processes", i), group_ids, c));
  if (d.contains("reason_codes")) {
    const json& rc = d.at("reason_codes");
    for (size_t i = 0; i < rc.size(); ++i) {
      reasons->push_back({Str(rc[i], "id"), Str(rc[i], "text")});
      c->Define(reasons->back().id, Ptr("/reason_codes", i));
    }
  }
  if (d.contains("maturity")) *maturity = BuildMaturity(d.at("maturity"), process_ids, c);
  if (d.contains("rules")) {
    const RuleVocabulary vocab = Vocabulary(fw, *processes, *reasons);
    const json& rl = d.at("rules");
    for (size_t i = 0; i < rl.size(); ++i) rules->push_back(BuildRule(rl[i], Ptr("/rules", i), vocab, c));
  }
  CheckRuleCycles(rules, c);
}

}  // namespace

// Write access to a Model under construction; only the loader has it.
class ModelAccess {
 public:
  explicit ModelAccess(Model* m) : m_(m) {}
  PackInfo& pam() { return m_->pam_; }
  Framework& framework() { return m_->framework_; }
  std::vector<ProcessGroup>& groups() { return m_->groups_; }
  std::vector<Process>& processes() { return m_->processes_; }
  std::optional<MaturityModel>& maturity() { return m_->maturity_; }
  std::vector<ConsistencyRule>& rules() { return m_->rules_; }
  std::vector<ReasonCode>& reasons() { return m_->reason_codes_; }
  void Finish() {
    m_->hash_ = m_->pam_.kind == "framework" ? m_->framework_.info.sha256
                                              : Sha256Hex(m_->pam_.sha256 + ":" + m_->framework_.info.sha256);
    m_->BuildIndex();
  }

 private:
  Model* m_;
};

ModelLibrary::ModelLibrary(std::vector<std::string> dirs) : ModelLibrary(std::move(dirs), BuildTreeModelsDir()) {}

ModelLibrary::ModelLibrary(std::vector<std::string> dirs, const std::string& bundled_dir) {
  std::vector<std::string> all = std::move(dirs);
  if (!bundled_dir.empty()) all.push_back(bundled_dir);
  for (const std::string& d : all) {
    std::error_code ec;
    if (!fs::is_directory(d, ec)) continue;
    std::string canon = fs::weakly_canonical(d, ec).string();
    if (std::find(dirs_.begin(), dirs_.end(), canon) == dirs_.end()) dirs_.push_back(canon);
  }
}

std::string ModelLibrary::BuildTreeModelsDir() { return ASSAY_BUNDLED_MODELS_DIR; }

Status ModelLibrary::Scan() {
  packs_.clear();
  problems_.clear();
  std::vector<std::string> files;
  for (const std::string& dir : dirs_) {
    std::error_code ec;
    std::vector<std::string> here;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".json" && it->is_regular_file()) here.push_back(it->path().string());
    if (ec) return Status::IOError(dir + ": cannot read directory: " + ec.message());
    std::sort(here.begin(), here.end());
    files.insert(files.end(), here.begin(), here.end());
  }
  // Frameworks first, so PAMs can be checked against them.
  std::vector<std::shared_ptr<const ParsedPack>> parsed;
  for (const std::string& f : files) {
    std::vector<Diagnostic> diags;
    std::shared_ptr<const ParsedPack> pack = ReadPack(f, &diags);
    if (!pack) {
      problems_.insert(problems_.end(), diags.begin(), diags.end());
      continue;
    }
    parsed.push_back(std::move(pack));
  }
  std::stable_partition(parsed.begin(), parsed.end(),
                        [](const std::shared_ptr<const ParsedPack>& p) { return p->info.kind == "framework"; });
  for (const std::shared_ptr<const ParsedPack>& pp : parsed) {
    const ParsedPack& p = *pp;
    // Full validation (semantic checks included) for each pack.
    PackInfo info;
    std::vector<Diagnostic> diags;
    packs_.push_back(p.info);  // provisional: lets PAMs find frameworks
    if (!CheckFile(p.info.path, {}, &info, &diags).ok()) {
      packs_.pop_back();
      problems_.insert(problems_.end(), diags.begin(), diags.end());
    }
  }
  // The same id@version twice: the first directory wins; say so.
  std::vector<PackInfo> unique;
  for (const PackInfo& p : packs_) {
    auto dup = std::find_if(unique.begin(), unique.end(),
                            [&](const PackInfo& u) { return u.id == p.id && u.version == p.version; });
    if (dup == unique.end())
      unique.push_back(p);
    else if (dup->sha256 != p.sha256)
      problems_.push_back({p.path, "", 0, 0,
                           "pack " + p.id + "@" + p.version + " is also in " + dup->path +
                               " with different content; using that one"});
  }
  packs_ = std::move(unique);
  return Status::OK();
}

namespace {

int CompareVersions(const std::string& a, const std::string& b) {
  auto parts = [](const std::string& s) {
    std::vector<long> out;
    size_t start = 0;
    while (start < s.size()) {
      size_t end = s.find('.', start);
      if (end == std::string::npos) end = s.size();
      out.push_back(std::strtol(s.substr(start, end - start).c_str(), nullptr, 10));
      start = end + 1;
    }
    return out;
  };
  auto pa = parts(a), pb = parts(b);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

}  // namespace

// Loads a pack file fully. `find_framework` resolves a PAM's framework to a path.
static Status LoadPackFile(const std::string& path,
                           const std::function<std::string(const std::string&, const std::string&,
                                                            std::string*)>& find_framework,
                           std::shared_ptr<Model>* out, PackInfo* info, std::vector<Diagnostic>* diags,
                           int depth);

namespace {

// Finds a PAM's framework among `siblings` (other files being checked), then
// among `packs`; the message names the nearest available ones.
std::function<std::string(const std::string&, const std::string&, std::string*)> FrameworkFinder(
    const std::string& path, const std::vector<std::string>& siblings, const std::vector<PackInfo>& packs) {
  return [&path, &siblings, &packs](const std::string& id, const std::string& version, std::string* err) -> std::string {
    std::vector<std::string> available;
    for (const std::string& s : siblings) {
      if (s == path) continue;
      std::vector<Diagnostic> ignored;
      std::shared_ptr<const ParsedPack> sib = ReadPack(s, &ignored);
      // A pack with problems still names its kind, id and version.
      ParsedPack unread;
      if (!sib) {
        std::vector<Diagnostic> more;
        internal::ReadJsonFile(s, JsonLimits{}, &unread.doc, &more);
        if (unread.doc.is_object()) {
          unread.info.kind = Str(unread.doc, "kind");
          unread.info.id = Str(unread.doc, "id");
          unread.info.version = Str(unread.doc, "version");
        }
      }
      const PackInfo& si = sib ? sib->info : unread.info;
      if (si.kind != "framework") continue;
      if (si.id == id && si.version == version) return s;
      available.push_back(si.id + "@" + si.version);
    }
    for (const PackInfo& p : packs) {
      if (p.kind != "framework") continue;
      if (p.id == id && p.version == version) return p.path;
      available.push_back(p.id + "@" + p.version);
    }
    *err = "framework " + id + "@" + version + " not found" + SuggestionSuffix(id + "@" + version, available);
    return "";
  };
}

}  // namespace

// Loading is checking: one pass reads, validates and builds the model.
Status ModelLibrary::LoadFile(const std::string& path, std::shared_ptr<const Model>* model,
                              std::vector<Diagnostic>* diags) const {
  std::shared_ptr<Model> m;
  PackInfo info;
  const std::vector<std::string> no_siblings;
  Status s = LoadPackFile(path, FrameworkFinder(path, no_siblings, packs_), &m, &info, diags, 0);
  if (s.ok()) *model = m;
  return s;
}

Status ModelLibrary::CheckFile(const std::string& path, const std::vector<std::string>& siblings, PackInfo* info,
                               std::vector<Diagnostic>* diags) const {
  std::shared_ptr<Model> m;
  return LoadPackFile(path, FrameworkFinder(path, siblings, packs_), &m, info, diags, 0);
}

namespace {

// Models built by LoadPackFile, once per process and input: the scan of the
// library checks every pack by building it, and loading the pinned pack
// afterwards gets the same Model. An entry is used only while the parsed
// pack and its framework are the very ones (same file bytes: ReadPack
// replaces a parsed pack whose file changed) it was built from; only
// packs without problems are kept.
struct BuiltModel {
  std::shared_ptr<const ParsedPack> pack, framework;
  std::shared_ptr<Model> model;
};

// Never destroyed, as ReadPack's cache.
std::mutex& BuiltMutex() {
  static std::mutex& mu = *new std::mutex;
  return mu;
}
std::map<std::string, BuiltModel>& Built() {
  static std::map<std::string, BuiltModel>& built = *new std::map<std::string, BuiltModel>;
  return built;
}

bool FindBuilt(const std::string& path, const std::shared_ptr<const ParsedPack>& pack,
               const std::shared_ptr<const ParsedPack>& framework, std::shared_ptr<Model>* out) {
  std::lock_guard<std::mutex> lock(BuiltMutex());
  const std::map<std::string, BuiltModel>& built = Built();
  auto it = built.find(path);
  if (it == built.end() || it->second.pack != pack || it->second.framework != framework) return false;
  *out = it->second.model;
  return true;
}

void KeepBuilt(const std::string& path, std::shared_ptr<const ParsedPack> pack,
               std::shared_ptr<const ParsedPack> framework, std::shared_ptr<Model> model) {
  std::lock_guard<std::mutex> lock(BuiltMutex());
  Built()[path] = BuiltModel{std::move(pack), std::move(framework), std::move(model)};
}

}  // namespace

static Status LoadPackFile(const std::string& path,
                           const std::function<std::string(const std::string&, const std::string&,
                                                            std::string*)>& find_framework,
                           std::shared_ptr<Model>* out, PackInfo* info, std::vector<Diagnostic>* diags,
                           int depth) {
  size_t before = diags->size();
  std::shared_ptr<const ParsedPack> parsed = ReadPack(path, diags);
  if (!parsed) return Status::InvalidInput(path + ": invalid model pack");
  const ParsedPack& pack = *parsed;
  *info = pack.info;
  Checker checker(path, diags);
  auto model = std::make_shared<Model>();
  ModelAccess access(model.get());
  std::shared_ptr<const ParsedPack> fw_pack;  // a PAM's framework
  if (pack.info.kind == "framework") {
    if (diags->size() == before && FindBuilt(path, parsed, nullptr, out)) return Status::OK();
    BuildFramework(pack, &access.framework(), &checker);
    access.pam() = pack.info;
  } else {
    if (depth > 0) return Status::InvalidInput(path + ": a framework pack was expected");
    const json& fwref = pack.doc.at("framework");
    std::string err;
    std::string fw_path = find_framework(Str(fwref, "id"), Str(fwref, "version"), &err);
    if (fw_path.empty()) {
      checker.Error("/framework", err);
      return Status::InvalidInput(path + ": invalid model pack");
    }
    std::vector<Diagnostic> fw_diags;
    fw_pack = ReadPack(fw_path, &fw_diags);
    if (diags->size() == before && fw_diags.empty() && fw_pack && FindBuilt(path, parsed, fw_pack, out))
      return Status::OK();
    if (fw_pack && fw_pack->info.kind == "framework") {
      Checker fw_checker(fw_path, &fw_diags);
      BuildFramework(*fw_pack, &access.framework(), &fw_checker);
    }
    if (!fw_diags.empty() || !fw_pack || fw_pack->info.kind != "framework") {
      checker.Error("/framework", "framework pack " + fw_path + " is invalid (" +
                                      std::to_string(fw_diags.size()) + " problems; check that pack on its own)");
      return Status::InvalidInput(path + ": invalid model pack");
    }
    access.pam() = pack.info;
    BuildPam(pack, model.get(), &access.groups(), &access.processes(), &access.maturity(), &access.rules(),
             &access.reasons(), &checker);
  }
  if (diags->size() != before) return Status::InvalidInput(path + ": invalid model pack");
  access.Finish();
  KeepBuilt(path, parsed, fw_pack, model);
  *out = std::move(model);
  return Status::OK();
}

Status ModelLibrary::Load(const std::string& id, const std::string& version, std::shared_ptr<const Model>* model,
                          std::vector<Diagnostic>* diags) const {
  const PackInfo* best = nullptr;
  std::vector<std::string> ids, versions;
  for (const PackInfo& p : packs_) {
    ids.push_back(p.id);
    if (p.id != id) continue;
    versions.push_back(p.version);
    if (!version.empty() && p.version != version) continue;
    if (!best || CompareVersions(p.version, best->version) > 0) best = &p;
  }
  if (!best) {
    if (!versions.empty()) {
      std::string list;
      for (const std::string& v : versions) list += (list.empty() ? "" : ", ") + v;
      return Status::NotFound("model " + id + "@" + version + " not found; available versions: " + list);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return Status::NotFound("model '" + id + "' not found" + SuggestionSuffix(id, ids));
  }
  return LoadFile(best->path, model, diags);
}

}  // namespace assay
