// ModelGraph: a Model as a typed graph (Boost.Graph).
//
// Vertices are the model's elements: process groups, processes, outcomes,
// base practices, work products, capability levels, process attributes,
// achievements, generic practices and generic resources. Edges are typed:
//   has         group -> process, process -> outcome, attribute -> achievement
//   supports    indicator -> outcome or achievement
//   comprises   capability level -> process attribute
//   requires    capability level k -> level k-1
//   constrains  consistency rule subject -> reference indicator
// The graph answers what supports what, what an indicator contributes to,
// and which rules touch an indicator. It shares (and keeps alive) its Model;
// it is immutable after construction and safe to share between threads.
#ifndef ASSAY_MODEL_GRAPH_H_
#define ASSAY_MODEL_GRAPH_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "assay/model.h"
#include "assay/status.h"

namespace assay {

enum class NodeKind {
  kGroup,
  kProcess,
  kOutcome,
  kBasePractice,
  kWorkProduct,
  kLevel,
  kAttribute,
  kAchievement,
  kGenericPractice,
  kGenericResource,
};
const char* NodeKindName(NodeKind kind);

enum class EdgeKind { kHas, kSupports, kComprises, kRequires, kConstrains };
const char* EdgeKindName(EdgeKind kind);

struct GraphNode {
  NodeKind kind = NodeKind::kProcess;
  std::string id;     // e.g. "RES.1", "RES.1.O2", "GP2.1.1", "CL2"
  std::string label;  // a short human name
};

struct GraphEdge {
  EdgeKind kind = EdgeKind::kHas;
  std::string rule;  // for kConstrains: the rule ID
};

// What one indicator ultimately contributes to.
struct Contribution {
  std::vector<std::string> statements;  // outcomes or achievements it supports
  std::vector<std::string> attributes;  // process attributes rated from them
  std::vector<int> levels;              // capability levels those attributes belong to
  std::vector<std::string> processes;   // the owning process; empty for generic
                                        // indicators, which apply in every process
};

class ModelGraph {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, GraphNode, GraphEdge>;
  using Vertex = Graph::vertex_descriptor;

  explicit ModelGraph(std::shared_ptr<const Model> model);

  const Model& model() const { return *model_; }
  const Graph& graph() const { return graph_; }
  size_t node_count() const { return boost::num_vertices(graph_); }
  size_t edge_count() const { return boost::num_edges(graph_); }

  std::optional<Vertex> Find(const std::string& id) const;

  // IDs of the indicators that support an outcome or achievement.
  // NotFound (with the nearest IDs) when `statement` is neither.
  Status Supporters(const std::string& statement, std::vector<std::string>* indicators) const;

  // Everything `indicator` contributes to, up to attribute, level and process.
  Status ContributesTo(const std::string& indicator, Contribution* out) const;

  // The consistency rules whose subject or reference is `indicator`.
  std::vector<const ConsistencyRule*> RulesTouching(const std::string& indicator) const;

 private:
  Vertex Add(NodeKind kind, const std::string& id, const std::string& label);
  void Connect(const std::string& from, const std::string& to, EdgeKind kind, const std::string& rule = "");

  std::shared_ptr<const Model> model_;
  Graph graph_;
  std::map<std::string, Vertex> index_;
};

}  // namespace assay

#endif  // ASSAY_MODEL_GRAPH_H_
