#include "assay/rating.h"

#include <algorithm>
#include <initializer_list>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "assay/scale.h"
#include "assay/text.h"

namespace assay {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "?";
}

size_t CheckReport::errors() const {
  return static_cast<size_t>(std::count_if(findings.begin(), findings.end(),
                                           [](const CheckFinding& f) { return f.severity == Severity::kError; }));
}

const std::vector<std::string>& CheckNames() {
  static const std::vector<std::string> kNames = {
      "no-evidence", "two-sources", "no-weakness", "rule", "never-rated", "rater-not-on-team",
      "evidence-after-rating", "evidence-after-assessment"};
  return kNames;
}

namespace {

std::string DatePart(const std::string& iso) { return iso.substr(0, std::min<size_t>(10, iso.size())); }

}  // namespace

std::string InstanceLabel(const std::string& process, const std::string& instance) {
  if (process.empty()) return instance;
  if (instance.size() > process.size() && instance.compare(0, process.size(), process) == 0 &&
      instance[process.size()] == '/')
    return instance;
  return instance + " (" + process + ")";
}

std::string RatingLocation(const Rating& r) {
  std::string where = InstanceLabel(r.process, r.instance) + " " + r.item;
  if (r.consolidated) return where + " (consolidated)";
  if (!r.assessor.empty()) return where + " by " + r.assessor;
  return where;
}

namespace {

std::string Where(const Rating& r) { return RatingLocation(r); }

// The standard-scale ordinal of a rating value, or nothing if it does not parse.
std::optional<int> Ordinal(const Framework& fw, const std::string& value) {
  int ord = 0;
  if (!ResolveRating(fw, ScaleKind::kStandard, value, &ord).ok()) return std::nullopt;
  return ord;
}

// The ordinal of each rating of `ratings`, in their order: each distinct
// value resolved once (an assessment uses a handful).
std::vector<std::optional<int>> Ordinals(const Framework& fw, const std::vector<Rating>& ratings) {
  std::unordered_map<std::string_view, std::optional<int>> by_value;
  std::vector<std::optional<int>> out;
  out.reserve(ratings.size());
  for (const Rating& r : ratings) {
    auto it = by_value.find(r.value);
    if (it == by_value.end()) it = by_value.emplace(r.value, Ordinal(fw, r.value)).first;
    out.push_back(it->second);
  }
  return out;
}

const char* kStandardValues[] = {"N", "P", "L", "F"};

// One indicator's effective rating in one instance: the consolidated rating,
// else the lowest assessor rating (as the rating engine resolves teams).
struct Effective {
  int ordinal = 0;
  const Rating* rating = nullptr;
};

// Evaluates the model's consistency rules. The ratings are indexed once:
//   by_key_     (process, instance, item) -> effective rating
//   by_item_    item -> its effective ratings, in (process, instance) order
//   lowest_     (process, item) -> the lowest effective rating over the
//               process's instances (the first in instance order on a tie)
// so that a rule costs O(subjects x processes x log n), not a scan of every
// rating per subject and process. The keys view the ratings' strings: `data`
// outlives the evaluator. `ordinals` are the ratings' (Ordinals).
class RuleEvaluator {
 public:
  RuleEvaluator(const Model& model, const AssessmentData& data, const std::vector<std::optional<int>>& ordinals)
      : model_(model) {
    // Every rated key in key order, the ratings of one key in their order
    // (the store reads them in key order already: then nothing moves).
    std::vector<Entry> rated;
    rated.reserve(data.ratings.size());
    for (size_t i = 0; i < data.ratings.size(); ++i) {
      const Rating& r = data.ratings[i];
      if (ordinals[i]) rated.push_back({Key{r.process, r.instance, r.item}, Effective{*ordinals[i], &r}});
    }
    auto by_key = [](const Entry& a, const Entry& b) { return a.key < b.key; };
    auto by_instance_item = [](const Entry& a, const Entry& b) {
      return std::tie(a.key.instance, a.key.item) < std::tie(b.key.instance, b.key.item);
    };
    if (std::is_sorted(rated.begin(), rated.end(), by_key)) {
    } else if (std::is_sorted(rated.begin(), rated.end(), by_instance_item)) {
      // The store's order: a stable sort by process alone gives key order
      // (and keeps equal keys in their order) with a third of the compares.
      std::stable_sort(rated.begin(), rated.end(),
                       [](const Entry& a, const Entry& b) { return a.key.process < b.key.process; });
    } else {
      std::stable_sort(rated.begin(), rated.end(), by_key);
    }
    by_key_.reserve(rated.size());
    for (const Entry& e : rated) {
      if (by_key_.empty() || by_key_.back().key < e.key) {
        by_key_.push_back(e);
        continue;
      }
      Effective& it = by_key_.back().eff;
      const Rating& r = *e.eff.rating;
      if ((r.consolidated && !it.rating->consolidated) ||
          (r.consolidated == it.rating->consolidated && e.eff.ordinal < it.ordinal))
        it = e.eff;
    }
    for (const Entry& e : by_key_) {
      by_item_[e.key.item].push_back(&e.eff);
      const Effective*& low = lowest_[{e.key.process, e.key.item}];
      if (!low || e.eff.ordinal < low->ordinal) low = &e.eff;
    }
    for (const ScopedProcess& s : data.scope) scoped_.push_back(s.process);
  }

  void Run(std::vector<CheckFinding>* out) {
    for (const ConsistencyRule& rule : model_.rules()) Evaluate(rule, out);
  }

 private:
  struct Key {
    std::string_view process, instance, item;
    bool operator<(const Key& o) const {
      return std::tie(process, instance, item) < std::tie(o.process, o.instance, o.item);
    }
  };
  struct Entry {
    Key key;
    Effective eff;
  };

  // The process that owns a process-specific indicator, or "" for generic ones.
  std::string OwnerProcess(const std::string& indicator) const {
    const Indicator* ind = model_.FindIndicator(indicator);
    if (!ind) return "";
    if (ind->kind == IndicatorKind::kBasePractice || ind->kind == IndicatorKind::kWorkProduct) return ind->owner;
    return "";
  }

  const Effective* Lowest(const std::string& process, const std::string& item) const {
    auto it = lowest_.find({process, item});
    return it == lowest_.end() ? nullptr : it->second;
  }

  const Effective* ValueAt(const std::string& process, const std::string& instance, const std::string& item) const {
    const Key key{process, instance, item};
    auto it = std::lower_bound(by_key_.begin(), by_key_.end(), key,
                               [](const Entry& e, const Key& k) { return e.key < k; });
    return it == by_key_.end() || key < it->key ? nullptr : &it->eff;
  }

  static bool HasReason(const Rating* r, const std::string& reason) {
    return r && std::find(r->reasons.begin(), r->reasons.end(), reason) != r->reasons.end();
  }

  void Report(const ConsistencyRule& rule, const Effective& subject, const std::string& detail,
              std::vector<CheckFinding>* out) const {
    CheckFinding f;
    f.check = "rule";
    f.rule = rule.id;
    f.process = subject.rating->process;
    f.instance = subject.rating->instance;
    f.item = subject.rating->item;
    f.assessor = subject.rating->assessor;
    f.rating = subject.rating->id;
    f.justification = subject.rating->justification;
    if (!f.justification.empty())
      f.severity = Severity::kInfo;
    else
      f.severity = rule.recommendation ? Severity::kWarning : Severity::kError;
    f.message = std::string(f.justification.empty() ? "" : "justified deviation: ") + rule.id + " (" +
                RuleTypeName(rule.type) + "): " + detail;
    out->push_back(std::move(f));
  }

  void Evaluate(const ConsistencyRule& rule, std::vector<CheckFinding>* out) const {
    auto subjects = by_item_.find(rule.subject.indicator);
    if (subjects == by_item_.end()) return;
    const std::string subject_owner = OwnerProcess(rule.subject.indicator);
    const std::optional<int> cap =
        rule.type == RuleType::kCap ? Ordinal(model_.framework(), rule.value) : std::nullopt;
    const std::string reason_note = rule.when_reason.empty() ? "" : " (reason " + rule.when_reason + ")";
    for (const Effective* s : subjects->second) {
      const Rating& sr = *s->rating;
      if (!subject_owner.empty() && sr.process != subject_owner) continue;
      switch (rule.type) {
        case RuleType::kCap:
          if (!rule.when_reason.empty() && !HasReason(&sr, rule.when_reason)) break;
          if (cap && s->ordinal > *cap)
            Report(rule, *s,
                   Where(sr) + " is " + kStandardValues[s->ordinal] + ", above the cap " + rule.value + reason_note,
                   out);
          break;
        case RuleType::kNotF:
          if (!rule.when_reason.empty() && !HasReason(&sr, rule.when_reason)) break;
          if (s->ordinal == kOrdinalF) Report(rule, *s, Where(sr) + " is F but must not be" + reason_note, out);
          break;
        case RuleType::kNotAbove:
        case RuleType::kAlign:
          EvaluatePair(rule, *s, out);
          break;
      }
    }
  }

  void EvaluatePair(const ConsistencyRule& rule, const Effective& s, std::vector<CheckFinding>* out) const {
    if (!rule.reference) return;
    const Rating& sr = *s.rating;
    const std::string& ref = rule.reference->indicator;
    const std::string ref_owner = OwnerProcess(ref);
    // Which processes the reference is taken in.
    std::vector<std::string> processes;
    if (!ref_owner.empty()) {
      processes.push_back(ref_owner);
    } else {
      switch (rule.reference->processes) {
        case ProcessScope::kSame: processes.push_back(sr.process); break;
        case ProcessScope::kAll: processes = scoped_; break;
        case ProcessScope::kOthers:
          for (const std::string& p : scoped_)
            if (p != sr.process) processes.push_back(p);
          break;
      }
    }
    for (const std::string& p : processes) {
      // Same process: compare within the instance. Another process: compare
      // with the lowest value the reference has there (conservative).
      const Effective* r = p == sr.process ? ValueAt(p, sr.instance, ref) : Lowest(p, ref);
      if (!r) continue;
      if (!rule.when_reason.empty() && !HasReason(&sr, rule.when_reason) && !HasReason(r->rating, rule.when_reason))
        continue;
      if (rule.type == RuleType::kNotAbove && s.ordinal > r->ordinal)
        Report(rule, s,
               Where(sr) + " is " + kStandardValues[s.ordinal] + ", above " + Where(*r->rating) + " (" +
                   kStandardValues[r->ordinal] + ")",
               out);
      if (rule.type == RuleType::kAlign && std::abs(s.ordinal - r->ordinal) > 1)
        Report(rule, s,
               Where(sr) + " is " + kStandardValues[s.ordinal] + " but " + Where(*r->rating) + " is " +
                   kStandardValues[r->ordinal] + " (more than one step apart)",
               out);
    }
  }

  const Model& model_;
  std::vector<Entry> by_key_;  // sorted by key, one entry each
  std::unordered_map<std::string_view, std::vector<const Effective*>> by_item_;
  struct PairHash {
    size_t operator()(const std::pair<std::string_view, std::string_view>& p) const {
      const size_t a = std::hash<std::string_view>()(p.first);
      return a ^ (std::hash<std::string_view>()(p.second) + 0x9e3779b97f4a7c15ull + (a << 6) + (a >> 2));
    }
  };
  std::unordered_map<std::pair<std::string_view, std::string_view>, const Effective*, PairHash> lowest_;
  std::vector<std::string> scoped_;
};

bool IsTestimony(EvidenceKind k) {
  return k == EvidenceKind::kInterviewStatement || k == EvidenceKind::kObservation;
}
bool IsArtefact(EvidenceKind k) {
  return k == EvidenceKind::kDocument || k == EvidenceKind::kRecord || k == EvidenceKind::kToolDemonstration;
}

// The statements of `process` in scope up to `target` under R1, each with
// the indicators that support it: the outcomes (when the target is at least
// 1) with their base practices and work products, and the achievements of
// the attributes of levels 2..target with their generic practices and
// resources. Computed once per process, not per instance.
struct ScopedStatement {
  const Statement* statement;
  const char* what;  // "outcome" or "achievement"
  std::vector<const Indicator*> supporters;
};

std::vector<ScopedStatement> R1Statements(const Framework& fw, const Process& process, int target) {
  std::vector<ScopedStatement> out;
  auto supporters = [](const std::string& id, std::initializer_list<const std::vector<Indicator>*> lists) {
    std::vector<const Indicator*> sup;
    for (const auto* list : lists)
      for (const Indicator& i : *list)
        if (std::find(i.supports.begin(), i.supports.end(), id) != i.supports.end()) sup.push_back(&i);
    return sup;
  };
  if (target >= 1)
    for (const Statement& o : process.outcomes)
      out.push_back({&o, "outcome", supporters(o.id, {&process.base_practices, &process.work_products})});
  for (const ProcessAttribute& a : fw.attributes) {
    if (a.level < 2 || a.level > target) continue;
    for (const Statement& st : a.achievements)
      out.push_back({&st, "achievement", supporters(st.id, {&fw.generic_practices, &fw.generic_resources})});
  }
  return out;
}

void NeverRated(const Model& model, const AssessmentData& data, std::vector<CheckFinding>* out) {
  // (instance, item) of every rating, sorted (as the store reads them).
  std::vector<std::pair<std::string_view, std::string_view>> rated;
  rated.reserve(data.ratings.size());
  for (const Rating& r : data.ratings) rated.emplace_back(r.instance, r.item);
  if (!std::is_sorted(rated.begin(), rated.end())) std::sort(rated.begin(), rated.end());
  using Rated = std::pair<std::string_view, std::string_view>;
  // The ratings of one instance: found once per instance, searched by item.
  struct Range {
    std::vector<Rated>::const_iterator begin, end;
  };
  auto of_instance = [&rated](const std::string& instance) {
    auto lo = std::lower_bound(rated.cbegin(), rated.cend(), instance,
                               [](const Rated& r, const std::string& i) { return r.first < i; });
    auto hi = std::upper_bound(lo, rated.cend(), instance,
                               [](const std::string& i, const Rated& r) { return i < r.first; });
    return Range{lo, hi};
  };
  auto is_rated = [](const Range& range, const std::string& item) {
    return std::binary_search(range.begin, range.end, Rated(std::string_view(), item),
                              [](const Rated& a, const Rated& b) { return a.second < b.second; });
  };
  const Framework& fw = model.framework();
  const bool r1 = data.assessment.options.method == RatingMethod::kR1;
  for (const ScopedProcess& sp : data.scope) {
    const Process* process = model.FindProcess(sp.process);
    if (!process) continue;
    const std::vector<ScopedStatement> statements = r1 ? R1Statements(fw, *process, sp.target_level)
                                                       : std::vector<ScopedStatement>{};
    bool any_instance = false;
    for (const ProcessInstance& inst : data.instances) {
      if (inst.process != sp.process) continue;
      any_instance = true;
      const Range range = of_instance(inst.id);
      auto missing = [&](const std::string& item, const std::string& what) {
        CheckFinding f;
        f.check = "never-rated";
        f.process = sp.process;
        f.instance = inst.id;
        f.item = item;
        f.message = InstanceLabel(sp.process, inst.id) + ": " + what + " " + item + " is in scope but not rated";
        out->push_back(std::move(f));
      };
      if (r1) {
        for (const ScopedStatement& st : statements) {
          bool characterised = is_rated(range, st.statement->id);
          for (size_t i = 0; !characterised && i < st.supporters.size(); ++i)
            characterised = is_rated(range, st.supporters[i]->id);
          if (!characterised) missing(st.statement->id, st.what);
        }
      } else {
        for (const ProcessAttribute& a : fw.attributes)
          if (a.level >= 1 && a.level <= sp.target_level && !is_rated(range, a.id))
            missing(a.id, "attribute");
      }
    }
    if (!any_instance) {
      CheckFinding f;
      f.check = "never-rated";
      f.process = sp.process;
      f.message = sp.process + ": the process is in scope but has no process instance";
      out->push_back(std::move(f));
    }
  }
}

}  // namespace

CheckReport RunChecks(const Model& model, const AssessmentData& data) {
  CheckReport report;
  std::unordered_map<std::string_view, const Evidence*> evidence;
  for (const Evidence& e : data.evidence) evidence.emplace(e.id, &e);
  std::set<std::string> team;
  std::map<std::string, const Person*> people;
  std::vector<std::string> person_ids;
  for (const Person& p : data.people) {
    people.emplace(p.id, &p);
    person_ids.push_back(p.id);
    for (Role r : p.roles)
      if (r == Role::kLeadAssessor || r == Role::kAssessor) team.insert(p.id);
  }

  std::map<std::string, std::vector<CheckFinding>> by_check;
  const std::vector<std::optional<int>> ordinals = Ordinals(model.framework(), data.ratings);
  for (size_t i = 0; i < data.ratings.size(); ++i) {
    const Rating& r = data.ratings[i];
    auto add = [&](const std::string& check, const std::string& what, const std::string& evidence_id = "") {
      CheckFinding f;
      f.check = check;
      f.process = r.process;
      f.instance = r.instance;
      f.item = r.item;
      f.assessor = r.assessor;
      f.rating = r.id;
      f.evidence = evidence_id;
      f.message = Where(r) + ": " + what;
      by_check[check].push_back(std::move(f));
    };
    if (r.evidence.empty()) add("no-evidence", "rating " + r.value + " links no evidence");
    if (data.assessment.assessment_class == 1 && !r.evidence.empty()) {
      bool testimony = false, artefact = false;
      for (const std::string& id : r.evidence) {
        auto it = evidence.find(id);
        if (it == evidence.end()) continue;
        testimony = testimony || IsTestimony(it->second->kind);
        artefact = artefact || IsArtefact(it->second->kind);
      }
      if (!testimony || !artefact)
        add("two-sources", "a class 1 rating needs testimony and a document or record; it has " +
                               std::string(testimony ? "no document or record" : artefact ? "no testimony" : "neither"));
    }
    const std::optional<int>& ord = ordinals[i];
    if (ord && *ord < kOrdinalF && r.weakness.empty())
      add("no-weakness", "rated " + r.value + " (below F) without a weakness statement");
    if (!r.consolidated && !r.assessor.empty() && !team.count(r.assessor)) {
      auto person = people.find(r.assessor);
      if (person == people.end()) {
        add("rater-not-on-team",
            "'" + r.assessor + "' is not a person of the assessment" + SuggestionSuffix(r.assessor, person_ids));
      } else {
        std::string roles;
        for (Role role : person->second->roles) roles += (roles.empty() ? "" : ", ") + std::string(RoleName(role));
        add("rater-not-on-team", "'" + r.assessor + "' is not a lead assessor or assessor of the team (roles: " +
                                     (roles.empty() ? "none" : roles) + ")");
      }
    }
    for (const std::string& id : r.evidence) {
      auto it = evidence.find(id);
      if (it == evidence.end()) continue;
      const Evidence& e = *it->second;
      if (!e.collected_date.empty() && !r.rated_at.empty() && DatePart(e.collected_date) > DatePart(r.rated_at))
        add("evidence-after-rating",
            "rated on " + DatePart(r.rated_at) + " but evidence " + e.id + " was collected on " +
                DatePart(e.collected_date),
            e.id);
    }
  }
  for (const Evidence& e : data.evidence) {
    const std::string& end = data.assessment.end_date;
    if (!end.empty() && !e.effective_date.empty() && DatePart(e.effective_date) > DatePart(end)) {
      CheckFinding f;
      f.check = "evidence-after-assessment";
      f.evidence = e.id;
      f.message = "evidence " + e.id + " is effective on " + DatePart(e.effective_date) +
                  ", after the assessment ended on " + DatePart(end);
      by_check[f.check].push_back(std::move(f));
    }
  }
  RuleEvaluator(model, data, ordinals).Run(&by_check["rule"]);
  NeverRated(model, data, &by_check["never-rated"]);
  for (const std::string& name : CheckNames())
    for (CheckFinding& f : by_check[name]) report.findings.push_back(std::move(f));
  return report;
}

}  // namespace assay
