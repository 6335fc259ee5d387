// Regression tests for the optimised hot spots of the rating engine and the
// checks: each is compared, on generated data (fixed seeds), with a
// brute-force reference kept here.
//
//  * Sensitivity (rating.cc ScanSensitivity recomputes only the affected
//    attribute): the reference moves each single rating one step through the
//    public API -- it replaces the item's ratings in that instance with one
//    consolidated rating of the moved value, as `assay what-if` does -- and
//    recomputes everything.
//  * DetermineCapability (no maps any more): the reference applies the rule of
//    DOMAIN.md 1.5 literally, level by level.
//  * Consistency rules (checks.cc RuleEvaluator, now indexed): the reference
//    is the former scan-every-rating evaluator.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "assay/rating.h"
#include "assay/model_graph.h"
#include "assay/model.h"
#include "assay/scale.h"
#include "test_util.h"

namespace assay {
namespace {

const std::shared_ptr<const Model>& Itsm() {
  static std::shared_ptr<const Model> model = [] {
    ModelLibrary lib;
    std::shared_ptr<const Model> m;
    std::vector<Diagnostic> diags;
    Status st = lib.Scan();
    if (st.ok()) st = lib.Load("itsm-20000", "", &m, &diags);
    if (!st.ok()) ADD_FAILURE() << st.ToString();
    return m;
  }();
  return model;
}

const ModelGraph& Graph() {
  static ModelGraph graph(Itsm());
  return graph;
}

const Framework& Fw() { return Itsm()->framework(); }

class Random {
 public:
  explicit Random(uint32_t seed) : rng_(seed) {}
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool OneIn(int n) { return Pick(n) == 0; }
  std::mt19937& rng() { return rng_; }

 private:
  std::mt19937 rng_;
};

ItemKind KindOf(const std::string& item) {
  std::string owner;
  if (Itsm()->FindAttribute(item)) return ItemKind::kAttribute;
  if (Itsm()->FindIndicator(item)) return ItemKind::kIndicator;
  if (Itsm()->FindStatement(item, &owner) && Itsm()->FindAttribute(owner)) return ItemKind::kAchievement;
  return ItemKind::kOutcome;
}

// A random assessment over a few processes: every method, aggregation and
// scale; 1 to 3 instances with weights; some items unrated, some rated by two
// assessors, some consolidated.
AssessmentData RandomAssessment(Random* r) {
  AssessmentData d;
  d.assessment.id = "A1";
  RatingOptions& opt = d.assessment.options;
  const RatingMethod methods[] = {RatingMethod::kR1, RatingMethod::kR2, RatingMethod::kR3};
  const AggregationMethod aggregations[] = {AggregationMethod::kMean, AggregationMethod::kWeightedMean,
                                            AggregationMethod::kMedian, AggregationMethod::kMinimum};
  opt.method = methods[r->Pick(3)];
  opt.aggregation = aggregations[r->Pick(4)];
  opt.scale = r->OneIn(2) ? ScaleKind::kRefined : ScaleKind::kStandard;
  opt.weights_rationale = "test";
  const std::vector<std::string>& values = ScaleValues(opt.scale);
  const int n = static_cast<int>(values.size());
  auto value = [&]() -> std::string {
    if (r->OneIn(10)) return std::to_string(r->Pick(101)) + "%";
    return values[static_cast<size_t>(std::max({r->Pick(n), r->Pick(n), r->Pick(n)}))];
  };
  int64_t id = 0;
  const std::vector<Process>& processes = Itsm()->processes();
  for (int k = 0; k < 2; ++k) {
    const Process& proc = processes[static_cast<size_t>(r->Pick(static_cast<int>(processes.size())))];
    if (std::any_of(d.scope.begin(), d.scope.end(), [&](const ScopedProcess& s) { return s.process == proc.id; }))
      continue;
    const int target = 1 + r->Pick(5);
    d.scope.push_back({proc.id, target});
    const int instances = 1 + r->Pick(3);
    for (int i = 0; i < instances; ++i) {
      ProcessInstance pi;
      pi.id = proc.id + "/i" + std::to_string(i);
      pi.process = proc.id;
      pi.weight = 0.5 + r->Pick(4);
      d.instances.push_back(pi);
      std::vector<std::string> items;
      if (opt.method == RatingMethod::kR1) {
        for (const Statement& o : proc.outcomes) items.push_back(o.id);
        for (const Indicator& bp : proc.base_practices) items.push_back(bp.id);
        for (const Indicator& wp : proc.work_products) items.push_back(wp.id);
        for (const ProcessAttribute& pa : Fw().attributes)
          for (const Statement& a : pa.achievements) items.push_back(a.id);
        for (const Indicator& gp : Fw().generic_practices) items.push_back(gp.id);
      } else {
        for (const ProcessAttribute& pa : Fw().attributes) items.push_back(pa.id);
      }
      for (const std::string& item : items) {
        if (r->OneIn(4)) continue;
        const int raters = r->OneIn(5) ? 2 : 1;
        for (int a = 0; a < raters; ++a) {
          Rating rt;
          rt.id = ++id;
          rt.process = proc.id;
          rt.instance = pi.id;
          rt.item = item;
          rt.item_kind = KindOf(item);
          rt.assessor = a == 0 ? "ann" : "bob";
          rt.value = value();
          d.ratings.push_back(rt);
        }
        if (raters == 2 && r->OneIn(3)) {
          Rating rt;
          rt.id = ++id;
          rt.process = proc.id;
          rt.instance = pi.id;
          rt.item = item;
          rt.item_kind = KindOf(item);
          rt.consolidated = true;
          rt.value = value();
          d.ratings.push_back(rt);
        }
      }
    }
  }
  return d;
}

std::string Describe(const Sensitivity& s) {
  return s.instance + " " + s.attribute + " " + s.statement + " " + std::to_string(s.step) + " " + s.from + "->" +
         s.to + " " + std::to_string(s.level_before) + "->" + std::to_string(s.level_after) +
         (s.aggregate ? " aggregate" : " instance");
}

// The sensitivity of `p` by brute force: every rating feeding an aggregate
// moved one step, then everything recomputed from the changed data.
std::vector<std::string> ReferenceSensitivity(const AssessmentData& data, const RatingResults& base, size_t index) {
  const ProcessProfile& p = base.processes[index];
  const RatingOptions& opt = data.assessment.options;
  const bool per_instance = !p.capability.determined;
  const int size = ScaleSize(opt.scale);
  std::vector<std::string> out;
  for (size_t i = 0; i < p.instances.size(); ++i) {
    const InstanceResult& inst = p.instances[i];
    const int before = per_instance ? inst.capability.level : p.capability.level;
    for (const ProcessAttribute& pa : Fw().attributes) {
      if (pa.level > p.target_level) continue;
      // The ratings that feed the attribute: (item moved, statement, ordinal).
      std::vector<std::tuple<std::string, std::string, int>> entries;
      if (opt.method == RatingMethod::kR1) {
        for (const StatementRating& sr : inst.statements)
          if (sr.attribute == pa.id && sr.ordinal >= 0) entries.emplace_back(sr.statement, sr.statement, sr.ordinal);
      } else {
        for (const AttributeRating& a : inst.attributes)
          if (a.attribute == pa.id && a.state == AttributeState::kRated) entries.emplace_back(pa.id, "", a.ordinal);
      }
      for (const auto& [item, statement, ord] : entries) {
        for (int step : {+1, -1}) {
          const int moved = ord + step;
          if (moved < 0 || moved >= size) continue;
          AssessmentData changed = data;
          std::erase_if(changed.ratings,
                        [&](const Rating& r) { return r.instance == inst.instance && r.item == item; });
          Rating r;
          r.id = 1000000;
          r.process = p.process;
          r.instance = inst.instance;
          r.item = item;
          r.item_kind = KindOf(item);
          r.consolidated = true;
          r.value = ValueOf(opt.scale, moved);
          changed.ratings.push_back(r);
          RatingResults after;
          EXPECT_OK(ComputeResults(*Itsm(), Graph(), changed, &after));
          const ProcessProfile& q = after.processes[index];
          const int level = per_instance ? q.instances[i].capability.level : q.capability.level;
          if (level == before) continue;
          Sensitivity s;
          s.instance = inst.instance;
          s.attribute = pa.id;
          s.statement = statement;
          s.step = step;
          s.from = ValueOf(opt.scale, ord);
          s.to = ValueOf(opt.scale, moved);
          s.aggregate = !per_instance;
          s.level_before = before;
          s.level_after = level;
          out.push_back(Describe(s));
        }
      }
    }
  }
  return out;
}

TEST(RatingReference, SensitivityMatchesBruteForce) {
  Random r(4242);
  size_t listed = 0, per_instance = 0, r1 = 0;
  for (int round = 0; round < 60; ++round) {
    AssessmentData data = RandomAssessment(&r);
    RatingResults results;
    ASSERT_OK(ComputeResults(*Itsm(), Graph(), data, &results));
    for (size_t p = 0; p < results.processes.size(); ++p) {
      std::vector<std::string> got;
      for (const Sensitivity& s : results.processes[p].sensitivity) got.push_back(Describe(s));
      EXPECT_EQ(ReferenceSensitivity(data, results, p), got)
          << "round " << round << ", " << results.processes[p].process << ", "
          << RatingMethodName(data.assessment.options.method) << " "
          << AggregationMethodName(data.assessment.options.aggregation) << " "
          << ScaleKindName(data.assessment.options.scale);
      listed += got.size();
      per_instance += !results.processes[p].capability.determined;
      r1 += data.assessment.options.method == RatingMethod::kR1 && !got.empty();
    }
  }
  // The comparison was not vacuous: sensitivities were found, R1 and R3 with
  // several instances (per-instance levels) occurred.
  EXPECT_GT(listed, 100u);
  EXPECT_GT(per_instance, 0u);
  EXPECT_GT(r1, 0u);
}

// The capability level rule as DOMAIN.md 1.5 states it, with "not assessed"
// above the target: the highest k <= min(target, 5) such that every attribute
// of level k is at least L and every attribute below k is F.
int ReferenceLevel(const std::map<std::string, int>& folded, int target) {
  int level = 0;
  const int top = std::min(target, 5);
  for (int k = 1; k <= top; ++k) {
    bool ok = true;
    for (const ProcessAttribute& pa : Fw().attributes) {
      if (pa.level > k) continue;
      auto it = folded.find(pa.id);
      const int v = it == folded.end() ? -1 : it->second;
      if (v < (pa.level == k ? kOrdinalL : kOrdinalF)) ok = false;
    }
    if (!ok) break;
    level = k;
  }
  return level;
}

TEST(RatingReference, CapabilityLevelMatchesTheRuleInAnyOrder) {
  Random r(33020);
  int shuffled = 0;
  for (int round = 0; round < 3000; ++round) {
    const ScaleKind scale = r.OneIn(2) ? ScaleKind::kRefined : ScaleKind::kStandard;
    std::vector<AttributeRating> list;
    std::map<std::string, int> folded;
    for (const ProcessAttribute& pa : Fw().attributes) {
      AttributeRating a;
      a.attribute = pa.id;
      a.level = pa.level;
      const int roll = r.Pick(10);
      if (roll == 0) continue;  // missing: not rated
      if (roll == 1) {
        a.state = AttributeState::kNotRated;
      } else {
        a.state = AttributeState::kRated;
        const int size = ScaleSize(scale);
        a.ordinal = std::max(r.Pick(size), r.Pick(size));
        a.value = ValueOf(scale, a.ordinal);
        a.folded = FoldOrdinal(scale, a.ordinal);
        folded[pa.id] = a.folded;
      }
      list.push_back(a);
    }
    if (r.OneIn(2)) {
      std::shuffle(list.begin(), list.end(), r.rng());
      ++shuffled;
    }
    const int target = r.Pick(7);
    CapabilityResult cr = DetermineCapability(Fw(), list, target);
    ASSERT_EQ(ReferenceLevel(folded, target), cr.level) << "round " << round;
    EXPECT_EQ(std::clamp(target, 0, 5), cr.assessed_up_to);
    EXPECT_EQ(cr.level >= cr.assessed_up_to, cr.limited_by_target);
    // Blockers: exactly the attributes failing level + 1.
    if (!cr.limited_by_target) {
      std::vector<std::string> expected;
      for (const ProcessAttribute& pa : Fw().attributes) {
        if (pa.level > cr.level + 1) continue;
        auto it = folded.find(pa.id);
        const int v = it == folded.end() ? -1 : it->second;
        if (v < (pa.level == cr.level + 1 ? kOrdinalL : kOrdinalF)) expected.push_back(pa.id);
      }
      std::vector<std::string> got;
      for (const Blocker& b : cr.blockers) got.push_back(b.attribute);
      EXPECT_EQ(expected, got) << "round " << round;
    }
  }
  EXPECT_GT(shuffled, 1000);
}

// ---------------------------------------------------------------------------
// Consistency rules: the former evaluator, which scanned every rating for each
// subject and process.

struct RefEffective {
  int ordinal = 0;
  const Rating* rating = nullptr;
};

class ReferenceRules {
 public:
  ReferenceRules(const Model& model, const AssessmentData& data) : model_(model) {
    for (const Rating& r : data.ratings) {
      int ord = 0;
      if (!ResolveRating(model.framework(), ScaleKind::kStandard, r.value, &ord).ok()) continue;
      auto key = std::make_tuple(r.process, r.instance, r.item);
      auto it = by_key_.find(key);
      bool better = it == by_key_.end() || (r.consolidated && !it->second.rating->consolidated) ||
                    (r.consolidated == it->second.rating->consolidated && ord < it->second.ordinal);
      if (better) by_key_[key] = RefEffective{ord, &r};
    }
    for (const ScopedProcess& s : data.scope) scoped_.push_back(s.process);
  }

  std::vector<std::string> Run() {
    std::vector<std::string> out;
    for (const ConsistencyRule& rule : model_.rules()) Evaluate(rule, &out);
    return out;
  }

 private:
  std::string Owner(const std::string& indicator) const {
    const Indicator* ind = model_.FindIndicator(indicator);
    if (ind && (ind->kind == IndicatorKind::kBasePractice || ind->kind == IndicatorKind::kWorkProduct))
      return ind->owner;
    return "";
  }
  static bool HasReason(const Rating* r, const std::string& reason) {
    return r && std::find(r->reasons.begin(), r->reasons.end(), reason) != r->reasons.end();
  }
  void Report(const ConsistencyRule& rule, const RefEffective& s, const std::string& detail,
              std::vector<std::string>* out) const {
    const Rating& r = *s.rating;
    const char* severity = !r.justification.empty() ? "info" : rule.recommendation ? "warning" : "error";
    out->push_back(std::to_string(r.id) + " " + severity + " " + (r.justification.empty() ? "" : "justified deviation: ") +
                   rule.id + " (" + RuleTypeName(rule.type) + "): " + detail);
  }
  void Evaluate(const ConsistencyRule& rule, std::vector<std::string>* out) const {
    static const char* kV[] = {"N", "P", "L", "F"};
    const std::string owner = Owner(rule.subject.indicator);
    for (const auto& [key, eff] : by_key_) {
      const auto& [process, instance, item] = key;
      if (item != rule.subject.indicator || (!owner.empty() && process != owner)) continue;
      const Rating& sr = *eff.rating;
      const std::string reason = rule.when_reason.empty() ? "" : " (reason " + rule.when_reason + ")";
      if (rule.type == RuleType::kCap) {
        int cap = 0;
        if (!rule.when_reason.empty() && !HasReason(&sr, rule.when_reason)) continue;
        if (ResolveRating(model_.framework(), ScaleKind::kStandard, rule.value, &cap).ok() && eff.ordinal > cap)
          Report(rule, eff, RatingLocation(sr) + " is " + kV[eff.ordinal] + ", above the cap " + rule.value + reason,
                 out);
      } else if (rule.type == RuleType::kNotF) {
        if (!rule.when_reason.empty() && !HasReason(&sr, rule.when_reason)) continue;
        if (eff.ordinal == kOrdinalF) Report(rule, eff, RatingLocation(sr) + " is F but must not be" + reason, out);
      } else if (rule.reference) {
        const std::string& ref = rule.reference->indicator;
        std::vector<std::string> processes;
        if (!Owner(ref).empty()) {
          processes.push_back(Owner(ref));
        } else if (rule.reference->processes == ProcessScope::kSame) {
          processes.push_back(sr.process);
        } else {
          for (const std::string& p : scoped_)
            if (rule.reference->processes == ProcessScope::kAll || p != sr.process) processes.push_back(p);
        }
        for (const std::string& p : processes) {
          const RefEffective* r = nullptr;
          for (const auto& [k2, e2] : by_key_) {
            if (std::get<0>(k2) != p || std::get<2>(k2) != ref) continue;
            if (p == sr.process && std::get<1>(k2) != sr.instance) continue;
            if (!r || e2.ordinal < r->ordinal) r = &e2;
          }
          if (!r) continue;
          if (!rule.when_reason.empty() && !HasReason(&sr, rule.when_reason) &&
              !HasReason(r->rating, rule.when_reason))
            continue;
          if (rule.type == RuleType::kNotAbove && eff.ordinal > r->ordinal)
            Report(rule, eff,
                   RatingLocation(sr) + " is " + kV[eff.ordinal] + ", above " + RatingLocation(*r->rating) + " (" +
                       kV[r->ordinal] + ")",
                   out);
          if (rule.type == RuleType::kAlign && std::abs(eff.ordinal - r->ordinal) > 1)
            Report(rule, eff,
                   RatingLocation(sr) + " is " + kV[eff.ordinal] + " but " + RatingLocation(*r->rating) + " is " +
                       kV[r->ordinal] + " (more than one step apart)",
                   out);
        }
      }
    }
  }

  const Model& model_;
  std::map<std::tuple<std::string, std::string, std::string>, RefEffective> by_key_;
  std::vector<std::string> scoped_;
};

// Random ratings of the indicators that consistency rules name, with reason
// codes and justifications, over a random subset of the processes.
AssessmentData RandomRuleData(Random* r) {
  AssessmentData d;
  d.assessment.id = "A1";
  std::vector<std::string> reasons;
  std::vector<std::string> generic;
  for (const ConsistencyRule& rule : Itsm()->rules()) {
    if (!rule.when_reason.empty()) reasons.push_back(rule.when_reason);
    for (const std::string& ind : {rule.subject.indicator, rule.reference ? rule.reference->indicator : ""}) {
      const Indicator* i = Itsm()->FindIndicator(ind);
      if (i && i->kind != IndicatorKind::kBasePractice && i->kind != IndicatorKind::kWorkProduct)
        generic.push_back(ind);
    }
  }
  const char* values[] = {"N", "P", "L", "F", "L+", "P-", "40%", "90%"};
  const char* assessors[] = {"ann", "bob", ""};
  int64_t id = 0;
  for (const Process& proc : Itsm()->processes()) {
    if (!r->OneIn(2)) continue;
    d.scope.push_back({proc.id, 3});
    std::vector<std::string> items = generic;
    for (const Indicator& bp : proc.base_practices) items.push_back(bp.id);
    const int instances = 1 + r->Pick(3);
    for (int i = 0; i < instances; ++i) {
      const std::string inst = proc.id + "/i" + std::to_string(i);
      d.instances.push_back({inst, proc.id, inst, "", 1.0});
      for (const std::string& item : items) {
        if (!r->OneIn(3)) continue;
        for (int k = 0, n = 1 + r->Pick(2); k < n; ++k) {
          Rating rt;
          rt.id = ++id;
          rt.process = proc.id;
          rt.instance = inst;
          rt.item = item;
          rt.assessor = assessors[r->Pick(3)];
          rt.consolidated = rt.assessor.empty();
          rt.value = values[r->Pick(8)];
          if (r->OneIn(3)) rt.reasons.push_back(reasons[static_cast<size_t>(r->Pick(static_cast<int>(reasons.size())))]);
          if (r->OneIn(6)) rt.justification = "accepted";
          d.ratings.push_back(rt);
        }
      }
    }
  }
  return d;
}

TEST(RatingReference, RuleFindingsMatchTheFormerEvaluator) {
  Random r(20000);
  size_t findings = 0;
  std::map<std::string, int> severities;
  for (int round = 0; round < 40; ++round) {
    AssessmentData data = RandomRuleData(&r);
    std::vector<std::string> got;
    for (const CheckFinding& f : RunChecks(*Itsm(), data).findings) {
      if (f.check != "rule") continue;
      got.push_back(std::to_string(f.rating) + " " + SeverityName(f.severity) + " " + f.message);
      ++severities[SeverityName(f.severity)];
    }
    std::vector<std::string> expected = ReferenceRules(*Itsm(), data).Run();
    ASSERT_EQ(expected, got) << "round " << round;
    findings += got.size();
  }
  EXPECT_GT(findings, 200u);
  EXPECT_GT(severities["error"], 0);
  EXPECT_GT(severities["warning"], 0);
  EXPECT_GT(severities["info"], 0);
}

}  // namespace
}  // namespace assay
