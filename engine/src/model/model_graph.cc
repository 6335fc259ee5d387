#include "assay/model_graph.h"

#include <algorithm>

#include "assay/text.h"

namespace assay {

const char* NodeKindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kGroup: return "process group";
    case NodeKind::kProcess: return "process";
    case NodeKind::kOutcome: return "outcome";
    case NodeKind::kBasePractice: return "base practice";
    case NodeKind::kWorkProduct: return "work product";
    case NodeKind::kLevel: return "capability level";
    case NodeKind::kAttribute: return "process attribute";
    case NodeKind::kAchievement: return "achievement";
    case NodeKind::kGenericPractice: return "generic practice";
    case NodeKind::kGenericResource: return "generic resource";
  }
  return "node";
}

const char* EdgeKindName(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kHas: return "has";
    case EdgeKind::kSupports: return "supports";
    case EdgeKind::kComprises: return "comprises";
    case EdgeKind::kRequires: return "requires";
    case EdgeKind::kConstrains: return "constrains";
  }
  return "edge";
}

namespace {
std::string LevelId(int n) { return "CL" + std::to_string(n); }

template <typename T>
void AddUnique(std::vector<T>* v, const T& x) {
  if (std::find(v->begin(), v->end(), x) == v->end()) v->push_back(x);
}
}  // namespace

ModelGraph::Vertex ModelGraph::Add(NodeKind kind, const std::string& id, const std::string& label) {
  Vertex v = boost::add_vertex(GraphNode{kind, id, label}, graph_);
  index_.emplace(id, v);
  return v;
}

void ModelGraph::Connect(const std::string& from, const std::string& to, EdgeKind kind, const std::string& rule) {
  auto a = index_.find(from), b = index_.find(to);
  if (a == index_.end() || b == index_.end()) return;  // the loader has reported it
  boost::add_edge(a->second, b->second, GraphEdge{kind, rule}, graph_);
}

ModelGraph::ModelGraph(std::shared_ptr<const Model> model) : model_(std::move(model)) {
  const Model& m = *model_;
  const Framework& fw = m.framework();
  for (const CapabilityLevel& lv : fw.levels) Add(NodeKind::kLevel, LevelId(lv.number), lv.name);
  for (const ProcessAttribute& a : fw.attributes) {
    Add(NodeKind::kAttribute, a.id, a.name);
    for (const Statement& s : a.achievements) Add(NodeKind::kAchievement, s.id, s.text);
  }
  for (const Indicator& gp : fw.generic_practices) Add(NodeKind::kGenericPractice, gp.id, gp.name);
  for (const Indicator& gr : fw.generic_resources) Add(NodeKind::kGenericResource, gr.id, gr.name);
  for (const ProcessGroup& g : m.groups()) Add(NodeKind::kGroup, g.id, g.name);
  for (const Process& p : m.processes()) {
    Add(NodeKind::kProcess, p.id, p.name);
    for (const Statement& o : p.outcomes) Add(NodeKind::kOutcome, o.id, o.text);
    for (const Indicator& bp : p.base_practices) Add(NodeKind::kBasePractice, bp.id, bp.name);
    for (const Indicator& wp : p.work_products) Add(NodeKind::kWorkProduct, wp.id, wp.name);
  }

  for (const CapabilityLevel& lv : fw.levels) {
    if (lv.number > 0) Connect(LevelId(lv.number), LevelId(lv.number - 1), EdgeKind::kRequires);
    for (const std::string& a : lv.attributes) Connect(LevelId(lv.number), a, EdgeKind::kComprises);
  }
  for (const ProcessAttribute& a : fw.attributes)
    for (const Statement& s : a.achievements) Connect(a.id, s.id, EdgeKind::kHas);
  for (const auto* list : {&fw.generic_practices, &fw.generic_resources})
    for (const Indicator& ind : *list)
      for (const std::string& s : ind.supports) Connect(ind.id, s, EdgeKind::kSupports);
  for (const Process& p : m.processes()) {
    Connect(p.group, p.id, EdgeKind::kHas);
    for (const Statement& o : p.outcomes) Connect(p.id, o.id, EdgeKind::kHas);
    for (const auto* list : {&p.base_practices, &p.work_products})
      for (const Indicator& ind : *list)
        for (const std::string& s : ind.supports) Connect(ind.id, s, EdgeKind::kSupports);
  }
  for (const ConsistencyRule& r : m.rules())
    if (r.reference) Connect(r.subject.indicator, r.reference->indicator, EdgeKind::kConstrains, r.id);
}

std::optional<ModelGraph::Vertex> ModelGraph::Find(const std::string& id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

Status ModelGraph::Supporters(const std::string& statement, std::vector<std::string>* indicators) const {
  indicators->clear();
  auto v = Find(statement);
  if (!v || (graph_[*v].kind != NodeKind::kOutcome && graph_[*v].kind != NodeKind::kAchievement)) {
    std::vector<std::string> candidates;
    for (const auto& [id, vx] : index_)
      if (graph_[vx].kind == NodeKind::kOutcome || graph_[vx].kind == NodeKind::kAchievement)
        candidates.push_back(id);
    return Status::NotFound("'" + statement + "' is not an outcome or achievement of model " + model_->Key() +
                            SuggestionSuffix(statement, candidates));
  }
  for (auto [e, end] = boost::in_edges(*v, graph_); e != end; ++e)
    if (graph_[*e].kind == EdgeKind::kSupports) indicators->push_back(graph_[boost::source(*e, graph_)].id);
  std::sort(indicators->begin(), indicators->end());
  return Status::OK();
}

Status ModelGraph::ContributesTo(const std::string& indicator, Contribution* out) const {
  *out = Contribution{};
  auto v = Find(indicator);
  auto is_indicator = [&](Vertex x) {
    NodeKind k = graph_[x].kind;
    return k == NodeKind::kBasePractice || k == NodeKind::kWorkProduct || k == NodeKind::kGenericPractice ||
           k == NodeKind::kGenericResource;
  };
  if (!v || !is_indicator(*v)) {
    std::vector<std::string> candidates;
    for (const auto& [id, vx] : index_)
      if (is_indicator(vx)) candidates.push_back(id);
    return Status::NotFound("'" + indicator + "' is not an indicator of model " + model_->Key() +
                            SuggestionSuffix(indicator, candidates));
  }
  for (auto [e, end] = boost::out_edges(*v, graph_); e != end; ++e) {
    if (graph_[*e].kind != EdgeKind::kSupports) continue;
    Vertex s = boost::target(*e, graph_);
    AddUnique(&out->statements, graph_[s].id);
    for (auto [h, hend] = boost::in_edges(s, graph_); h != hend; ++h) {
      if (graph_[*h].kind != EdgeKind::kHas) continue;
      Vertex owner = boost::source(*h, graph_);
      if (graph_[owner].kind == NodeKind::kProcess) {
        AddUnique(&out->processes, graph_[owner].id);
        // Process outcomes are what PA 1.1 (level 1) rates.
        for (const CapabilityLevel& lv : model_->framework().levels)
          if (lv.number == 1)
            for (const std::string& a : lv.attributes) AddUnique(&out->attributes, a);
      } else if (graph_[owner].kind == NodeKind::kAttribute) {
        AddUnique(&out->attributes, graph_[owner].id);
      }
    }
  }
  for (const std::string& a : out->attributes) {
    const ProcessAttribute* attr = model_->FindAttribute(a);
    if (attr) AddUnique(&out->levels, attr->level);
  }
  std::sort(out->levels.begin(), out->levels.end());
  return Status::OK();
}

std::vector<const ConsistencyRule*> ModelGraph::RulesTouching(const std::string& indicator) const {
  std::vector<const ConsistencyRule*> out;
  for (const ConsistencyRule& r : model_->rules())
    if (r.subject.indicator == indicator || (r.reference && r.reference->indicator == indicator)) out.push_back(&r);
  return out;
}

}  // namespace assay
