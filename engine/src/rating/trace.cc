#include "assay/rating.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "assay/text.h"

namespace assay {

namespace {

template <typename T>
void AddUnique(std::vector<T>* v, const T& x) {
  if (std::find(v->begin(), v->end(), x) == v->end()) v->push_back(x);
}

// Position of a model element in the graph (vertices are added in model
// order), for sorting IDs the way the model lists them.
size_t Rank(const ModelGraph& graph, const std::string& id) {
  auto v = graph.Find(id);
  return v ? static_cast<size_t>(*v) : static_cast<size_t>(-1);
}

void SortByModel(const ModelGraph& graph, std::vector<std::string>* ids) {
  std::stable_sort(ids->begin(), ids->end(), [&](const std::string& a, const std::string& b) {
    return std::make_tuple(Rank(graph, a), a) < std::make_tuple(Rank(graph, b), b);
  });
}

// Index of the instance in the snapshot (unknown instances last).
size_t InstanceRank(const AssessmentData& data, const std::string& id) {
  for (size_t i = 0; i < data.instances.size(); ++i)
    if (data.instances[i].id == id) return i;
  return data.instances.size();
}

std::map<std::string, size_t> CitationCounts(const AssessmentData& data) {
  std::map<std::string, size_t> cited;
  for (const Rating& r : data.ratings)
    for (const std::string& e : r.evidence) ++cited[e];
  return cited;
}

Status UnknownId(const std::string& kind, const std::string& id, const std::string& where,
                 const std::vector<std::string>& valid) {
  if (valid.empty())
    return Status::NotFound(where + " has no " + kind + " records; '" + id + "' is unknown")
        .About(kind, id, {}, "none-yet");
  return Status::NotFound("unknown " + kind + " '" + id + "' in " + where + SuggestionSuffix(id, valid))
      .About(kind, id, NearestIds(id, valid));
}

// The attributes of capability level 1 (which process outcomes are rated for).
std::vector<std::string> LevelOneAttributes(const Framework& fw) {
  for (const CapabilityLevel& lv : fw.levels)
    if (lv.number == 1) return lv.attributes;
  return {};
}

std::string ItemLabel(const Model& model, const std::string& item) {
  ItemKind kind = ItemKind::kIndicator;
  if (!ItemKindOf(model, item, &kind)) return "item";
  switch (kind) {
    case ItemKind::kAttribute: return "process attribute";
    case ItemKind::kOutcome: return "outcome";
    case ItemKind::kAchievement: return "achievement";
    case ItemKind::kIndicator: break;
  }
  const Indicator* ind = model.FindIndicator(item);
  return ind ? IndicatorKindName(ind->kind) : "indicator";
}

// What rating item `item` feeds, through the graph.
Support SupportOf(const ModelGraph& graph, const std::string& item) {
  const Model& model = graph.model();
  Support s;
  ItemKind kind = ItemKind::kIndicator;
  if (!ItemKindOf(model, item, &kind)) return s;
  std::string owner;
  switch (kind) {
    case ItemKind::kAttribute:
      s.attributes.push_back(item);
      break;
    case ItemKind::kOutcome:
      s.outcomes.push_back(item);
      s.attributes = LevelOneAttributes(model.framework());
      break;
    case ItemKind::kAchievement:
      s.achievements.push_back(item);
      if (model.FindStatement(item, &owner)) s.attributes.push_back(owner);
      break;
    case ItemKind::kIndicator: {
      s.indicators.push_back(item);
      Contribution c;
      if (!graph.ContributesTo(item, &c).ok()) break;
      for (const std::string& st : c.statements) {
        const bool achievement = model.FindStatement(st, &owner) && model.FindAttribute(owner) != nullptr;
        AddUnique(achievement ? &s.achievements : &s.outcomes, st);
      }
      s.attributes = c.attributes;
      break;
    }
  }
  for (const std::string& a : s.attributes)
    if (const ProcessAttribute* pa = model.FindAttribute(a)) AddUnique(&s.levels, pa->level);
  return s;
}

// Adds `from` to `into` and puts every list in model order.
void Merge(const ModelGraph& graph, const Support& from, Support* into) {
  for (const std::string& x : from.indicators) AddUnique(&into->indicators, x);
  for (const std::string& x : from.outcomes) AddUnique(&into->outcomes, x);
  for (const std::string& x : from.achievements) AddUnique(&into->achievements, x);
  for (const std::string& x : from.attributes) AddUnique(&into->attributes, x);
  for (int x : from.levels) AddUnique(&into->levels, x);
  for (auto* list : {&into->indicators, &into->outcomes, &into->achievements, &into->attributes})
    SortByModel(graph, list);
  std::sort(into->levels.begin(), into->levels.end());
}

// Ratings by instance (snapshot order), the team's consolidated rating
// first, then assessor.
bool InstanceOrder(const AssessmentData& data, const Rating& a, const Rating& b) {
  return std::make_tuple(InstanceRank(data, a.instance), !a.consolidated, a.assessor) <
         std::make_tuple(InstanceRank(data, b.instance), !b.consolidated, b.assessor);
}

}  // namespace

std::vector<EvidenceEntry> ListEvidence(const AssessmentData& data) {
  std::map<std::string, size_t> cited = CitationCounts(data);
  std::vector<EvidenceEntry> out;
  out.reserve(data.evidence.size());
  for (const Evidence& e : data.evidence) out.push_back({e, cited[e.id]});
  return out;
}

std::vector<InterviewEntry> ListInterviews(const AssessmentData& data) {
  std::vector<InterviewEntry> out;
  out.reserve(data.interviews.size());
  for (const Interview& i : data.interviews) {
    InterviewEntry entry{i, {}};
    for (const Evidence& e : data.evidence)
      if (e.interview == i.id) entry.evidence.push_back(e.id);
    out.push_back(std::move(entry));
  }
  return out;
}

Status GetEvidence(const AssessmentData& data, const std::string& id, EvidenceEntry* out) {
  std::vector<std::string> ids;
  for (const Evidence& e : data.evidence) {
    if (e.id == id) {
      *out = EvidenceEntry{e, CitationCounts(data)[e.id]};
      return Status::OK();
    }
    ids.push_back(e.id);
  }
  return UnknownId("evidence", id, "assessment " + data.assessment.id, ids);
}

Status GetInterview(const AssessmentData& data, const std::string& id, InterviewEntry* out) {
  std::vector<std::string> ids;
  for (const Interview& i : data.interviews) {
    if (i.id == id) {
      *out = InterviewEntry{i, {}};
      for (const Evidence& e : data.evidence)
        if (e.interview == i.id) out->evidence.push_back(e.id);
      return Status::OK();
    }
    ids.push_back(i.id);
  }
  return UnknownId("interview", id, "assessment " + data.assessment.id, ids);
}

Status TraceEvidence(const ModelGraph& graph, const AssessmentData& data, const std::string& evidence,
                     EvidenceTrace* out) {
  EvidenceTrace t;
  ASSAY_RETURN_IF_ERROR(GetEvidence(data, evidence, &t.evidence));
  for (const Interview& i : data.interviews)
    if (!t.evidence.evidence.interview.empty() && i.id == t.evidence.evidence.interview) t.interview = i;
  for (const Rating& r : data.ratings) {
    if (std::find(r.evidence.begin(), r.evidence.end(), evidence) == r.evidence.end()) continue;
    t.ratings.push_back({r, ItemLabel(graph.model(), r.item), SupportOf(graph, r.item)});
  }
  std::stable_sort(t.ratings.begin(), t.ratings.end(), [&](const TracedRating& a, const TracedRating& b) {
    const Rating &x = a.rating, &y = b.rating;
    if (x.process != y.process) return Rank(graph, x.process) < Rank(graph, y.process);
    if (x.instance != y.instance) return InstanceRank(data, x.instance) < InstanceRank(data, y.instance);
    if (x.item != y.item) return Rank(graph, x.item) < Rank(graph, y.item);
    return std::make_tuple(!x.consolidated, x.assessor) < std::make_tuple(!y.consolidated, y.assessor);
  });
  for (const TracedRating& tr : t.ratings) {
    AddUnique(&t.processes, tr.rating.process);
    AddUnique(&t.instances, tr.rating.instance);
    Merge(graph, tr.supports, &t.supports);
  }
  std::stable_sort(t.instances.begin(), t.instances.end(), [&](const std::string& a, const std::string& b) {
    return InstanceRank(data, a) < InstanceRank(data, b);
  });
  *out = std::move(t);
  return Status::OK();
}

namespace {

// The process and attribute being traced, their scope and instances.
Status ResolveAttribute(const Model& model, const AssessmentData& data, const std::string& process,
                        const std::string& attribute, AttributeTrace* t) {
  const Process* p = model.FindProcess(process);
  if (p == nullptr) return UnknownId("process", process, "model " + model.Key(), model.ProcessIds());
  const ProcessAttribute* pa = model.FindAttribute(attribute);
  if (pa == nullptr) {
    std::vector<std::string> ids;
    for (const ProcessAttribute& a : model.framework().attributes) ids.push_back(a.id);
    return UnknownId("attribute", attribute, "model " + model.Key(), ids);
  }
  t->process = p->id;
  t->process_name = p->name;
  t->attribute = pa->id;
  t->attribute_name = pa->name;
  t->level = pa->level;
  for (const ScopedProcess& s : data.scope) {
    if (s.process != process) continue;
    t->in_scope = true;
    t->target_level = s.target_level;
    t->above_target = pa->level > s.target_level;
  }
  for (const ProcessInstance& i : data.instances)
    if (i.process == process) t->instances.push_back(i.id);
  return Status::OK();
}

}  // namespace

Status TraceAttribute(const ModelGraph& graph, const AssessmentData& data, const std::string& process,
                      const std::string& attribute, AttributeTrace* out) {
  const Model& model = graph.model();
  AttributeTrace t;
  ASSAY_RETURN_IF_ERROR(ResolveAttribute(model, data, process, attribute, &t));

  // The items, each with its ratings; the evidence those cite, by item.
  std::map<std::string, std::vector<std::string>> cited;  // evidence ID -> item IDs
  for (RatingItem& item : ItemsToRate(model, t.process, t.level, RatingMethod::kR1)) {
    if (item.attribute != t.attribute) continue;
    BackingItem b{std::move(item), {}};
    for (const Rating& r : data.ratings)
      if (r.process == t.process && r.item == b.item.id) b.ratings.push_back(r);
    std::stable_sort(b.ratings.begin(), b.ratings.end(),
                     [&](const Rating& x, const Rating& y) { return InstanceOrder(data, x, y); });
    for (const Rating& r : b.ratings)
      for (const std::string& e : r.evidence) AddUnique(&cited[e], b.item.id);
    t.items.push_back(std::move(b));
  }

  for (const EvidenceEntry& e : ListEvidence(data)) {
    auto it = cited.find(e.evidence.id);
    if (it != cited.end()) t.evidence.push_back({e, it->second});
  }
  for (const Interview& i : data.interviews) {
    BackingInterview b{i, {}, false};
    for (const BackingEvidence& e : t.evidence)
      if (e.evidence.evidence.interview == i.id) b.evidence.push_back(e.evidence.evidence.id);
    b.covers_process = std::find(i.processes.begin(), i.processes.end(), t.process) != i.processes.end();
    for (const std::string& inst : i.instances)
      if (std::find(t.instances.begin(), t.instances.end(), inst) != t.instances.end()) b.covers_process = true;
    if (b.covers_process || !b.evidence.empty()) t.interviews.push_back(std::move(b));
  }
  *out = std::move(t);
  return Status::OK();
}

}  // namespace assay
