#include "assay/checks.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "assay/scale.h"

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

std::string Where(const Rating& r) { return r.process + "/" + r.instance + " " + r.item; }

// The standard-scale ordinal of a rating value, or nothing if it does not parse.
std::optional<int> Ordinal(const Framework& fw, const std::string& value) {
  int ord = 0;
  if (!ResolveRating(fw, ScaleKind::kStandard, value, &ord).ok()) return std::nullopt;
  return ord;
}

const char* kStandardValues[] = {"N", "P", "L", "F"};

// One indicator's effective rating in one instance: the consolidated rating,
// else the lowest assessor rating (as the rating engine resolves teams).
struct Effective {
  int ordinal = 0;
  const Rating* rating = nullptr;
};

class RuleEvaluator {
 public:
  RuleEvaluator(const Model& model, const AssessmentData& data) : model_(model) {
    for (const Rating& r : data.ratings) {
      auto ord = Ordinal(model.framework(), r.value);
      if (!ord) continue;
      Key key{r.process, r.instance, r.item};
      auto it = by_key_.find(key);
      bool better = it == by_key_.end() || (r.consolidated && !it->second.rating->consolidated) ||
                    (r.consolidated == it->second.rating->consolidated && *ord < it->second.ordinal);
      if (better) by_key_[key] = Effective{*ord, &r};
    }
    for (const ScopedProcess& s : data.scope) scoped_.push_back(s.process);
  }

  void Run(std::vector<CheckFinding>* out) {
    for (const ConsistencyRule& rule : model_.rules()) Evaluate(rule, out);
  }

 private:
  struct Key {
    std::string process, instance, item;
    bool operator<(const Key& o) const {
      return std::tie(process, instance, item) < std::tie(o.process, o.instance, o.item);
    }
  };

  // The process that owns a process-specific indicator, or "" for generic ones.
  std::string OwnerProcess(const std::string& indicator) const {
    const Indicator* ind = model_.FindIndicator(indicator);
    if (!ind) return "";
    if (ind->kind == IndicatorKind::kBasePractice || ind->kind == IndicatorKind::kWorkProduct) return ind->owner;
    return "";
  }

  std::vector<const Effective*> ValuesIn(const std::string& process, const std::string& item) const {
    std::vector<const Effective*> out;
    for (const auto& [key, eff] : by_key_)
      if (key.process == process && key.item == item) out.push_back(&eff);
    return out;
  }

  const Effective* ValueAt(const std::string& process, const std::string& instance, const std::string& item) const {
    auto it = by_key_.find(Key{process, instance, item});
    return it == by_key_.end() ? nullptr : &it->second;
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
    const std::string subject_owner = OwnerProcess(rule.subject.indicator);
    // The (process, instance) pairs where the subject is rated.
    std::vector<const Effective*> subjects;
    for (const auto& [key, eff] : by_key_) {
      if (key.item != rule.subject.indicator) continue;
      if (!subject_owner.empty() && key.process != subject_owner) continue;
      subjects.push_back(&eff);
    }
    for (const Effective* s : subjects) {
      const Rating& sr = *s->rating;
      switch (rule.type) {
        case RuleType::kCap: {
          if (!rule.when_reason.empty() && !HasReason(&sr, rule.when_reason)) break;
          auto cap = Ordinal(model_.framework(), rule.value);
          if (cap && s->ordinal > *cap)
            Report(rule, *s,
                   Where(sr) + " is " + kStandardValues[s->ordinal] + ", above the cap " + rule.value +
                       (rule.when_reason.empty() ? "" : " (reason " + rule.when_reason + ")"),
                   out);
          break;
        }
        case RuleType::kNotF:
          if (!rule.when_reason.empty() && !HasReason(&sr, rule.when_reason)) break;
          if (s->ordinal == kOrdinalF)
            Report(rule, *s,
                   Where(sr) + " is F but must not be" +
                       (rule.when_reason.empty() ? "" : " (reason " + rule.when_reason + ")"),
                   out);
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
      const Effective* r = nullptr;
      if (p == sr.process) {
        r = ValueAt(p, sr.instance, ref);
      } else {
        for (const Effective* e : ValuesIn(p, ref))
          if (!r || e->ordinal < r->ordinal) r = e;
      }
      if (!r) continue;
      if (!rule.when_reason.empty() && !HasReason(&sr, rule.when_reason) && !HasReason(r->rating, rule.when_reason))
        continue;
      std::string ref_where = r->rating->process + "/" + r->rating->instance + " " + ref;
      if (rule.type == RuleType::kNotAbove && s.ordinal > r->ordinal)
        Report(rule, s,
               Where(sr) + " is " + kStandardValues[s.ordinal] + ", above " + ref_where + " (" +
                   kStandardValues[r->ordinal] + ")",
               out);
      if (rule.type == RuleType::kAlign && std::abs(s.ordinal - r->ordinal) > 1)
        Report(rule, s,
               Where(sr) + " is " + kStandardValues[s.ordinal] + " but " + ref_where + " is " +
                   kStandardValues[r->ordinal] + " (more than one step apart)",
               out);
    }
  }

  const Model& model_;
  std::map<Key, Effective> by_key_;
  std::vector<std::string> scoped_;
};

bool IsTestimony(EvidenceKind k) {
  return k == EvidenceKind::kInterviewStatement || k == EvidenceKind::kObservation;
}
bool IsArtefact(EvidenceKind k) {
  return k == EvidenceKind::kDocument || k == EvidenceKind::kRecord || k == EvidenceKind::kToolDemonstration;
}

void NeverRated(const Model& model, const AssessmentData& data, std::vector<CheckFinding>* out) {
  std::set<std::pair<std::string, std::string>> rated;  // (instance, item)
  for (const Rating& r : data.ratings) rated.emplace(r.instance, r.item);
  const Framework& fw = model.framework();
  for (const ScopedProcess& sp : data.scope) {
    const Process* process = model.FindProcess(sp.process);
    if (!process) continue;
    bool any_instance = false;
    for (const ProcessInstance& inst : data.instances) {
      if (inst.process != sp.process) continue;
      any_instance = true;
      auto missing = [&](const std::string& item, const std::string& what) {
        CheckFinding f;
        f.check = "never-rated";
        f.process = sp.process;
        f.instance = inst.id;
        f.item = item;
        f.message = sp.process + "/" + inst.id + ": " + what + " " + item + " is in scope but not rated";
        out->push_back(std::move(f));
      };
      if (data.assessment.options.method == RatingMethod::kR1) {
        auto characterised = [&](const std::string& statement, const std::vector<const Indicator*>& supporters) {
          if (rated.count({inst.id, statement})) return true;
          for (const Indicator* i : supporters)
            if (rated.count({inst.id, i->id})) return true;
          return false;
        };
        for (const Statement& o : process->outcomes) {
          std::vector<const Indicator*> sup;
          for (const auto* list : {&process->base_practices, &process->work_products})
            for (const Indicator& i : *list)
              if (std::find(i.supports.begin(), i.supports.end(), o.id) != i.supports.end()) sup.push_back(&i);
          if (!characterised(o.id, sup)) missing(o.id, "outcome");
        }
        for (const ProcessAttribute& a : fw.attributes) {
          if (a.level < 2 || a.level > sp.target_level) continue;
          for (const Statement& s : a.achievements) {
            std::vector<const Indicator*> sup;
            for (const auto* list : {&fw.generic_practices, &fw.generic_resources})
              for (const Indicator& i : *list)
                if (std::find(i.supports.begin(), i.supports.end(), s.id) != i.supports.end()) sup.push_back(&i);
            if (!characterised(s.id, sup)) missing(s.id, "achievement");
          }
        }
      } else {
        for (const ProcessAttribute& a : fw.attributes)
          if (a.level <= sp.target_level && !rated.count({inst.id, a.id})) missing(a.id, "attribute");
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
  std::map<std::string, const Evidence*> evidence;
  for (const Evidence& e : data.evidence) evidence.emplace(e.id, &e);
  std::set<std::string> team;
  for (const Person& p : data.people)
    for (Role r : p.roles)
      if (r == Role::kLeadAssessor || r == Role::kAssessor) team.insert(p.id);

  std::map<std::string, std::vector<CheckFinding>> by_check;
  for (const Rating& r : data.ratings) {
    auto add = [&](const std::string& check, const std::string& message, const std::string& evidence_id = "") {
      CheckFinding f;
      f.check = check;
      f.process = r.process;
      f.instance = r.instance;
      f.item = r.item;
      f.rating = r.id;
      f.evidence = evidence_id;
      f.message = message;
      by_check[check].push_back(std::move(f));
    };
    if (r.evidence.empty()) add("no-evidence", Where(r) + " (" + r.value + ") links no evidence");
    if (data.assessment.assessment_class == 1 && !r.evidence.empty()) {
      bool testimony = false, artefact = false;
      for (const std::string& id : r.evidence) {
        auto it = evidence.find(id);
        if (it == evidence.end()) continue;
        testimony = testimony || IsTestimony(it->second->kind);
        artefact = artefact || IsArtefact(it->second->kind);
      }
      if (!testimony || !artefact)
        add("two-sources", Where(r) + ": a class 1 rating needs testimony and a document or record; it has " +
                               (testimony ? "no document or record" : artefact ? "no testimony" : "neither"));
    }
    auto ord = Ordinal(model.framework(), r.value);
    if (ord && *ord < kOrdinalF && r.weakness.empty())
      add("no-weakness", Where(r) + " is rated " + r.value + " (below F) without a weakness statement");
    if (!r.consolidated && !r.assessor.empty() && !team.count(r.assessor))
      add("rater-not-on-team", Where(r) + " was rated by '" + r.assessor + "', who is not an assessor of the team");
    for (const std::string& id : r.evidence) {
      auto it = evidence.find(id);
      if (it == evidence.end()) continue;
      const Evidence& e = *it->second;
      if (!e.collected_date.empty() && !r.rated_at.empty() && DatePart(e.collected_date) > DatePart(r.rated_at))
        add("evidence-after-rating",
            Where(r) + " was rated on " + DatePart(r.rated_at) + " but evidence " + e.id + " was collected on " +
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
  RuleEvaluator(model, data).Run(&by_check["rule"]);
  NeverRated(model, data, &by_check["never-rated"]);
  for (const std::string& name : CheckNames())
    for (CheckFinding& f : by_check[name]) report.findings.push_back(std::move(f));
  return report;
}

}  // namespace assay
