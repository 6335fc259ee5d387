#include <map>
#include <set>

#include "assay/reports/dot.h"

namespace assay::reports {

namespace {

std::string Escape(const std::string& s, size_t max_len = 60) {
  std::string out;
  size_t n = 0;
  for (char c : s) {
    if (n >= max_len) {
      out += "...";
      break;
    }
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
    // Count code points, not bytes, so UTF-8 is never cut inside a character.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  // Do not end inside a multi-byte character.
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0xC0) out.pop_back();
  return out;
}

const char* Shape(NodeKind k) {
  switch (k) {
    case NodeKind::kGroup: return "folder";
    case NodeKind::kProcess: return "box3d";
    case NodeKind::kOutcome:
    case NodeKind::kAchievement: return "note";
    case NodeKind::kBasePractice:
    case NodeKind::kGenericPractice: return "box";
    case NodeKind::kWorkProduct:
    case NodeKind::kGenericResource: return "component";
    case NodeKind::kLevel: return "doubleoctagon";
    case NodeKind::kAttribute: return "hexagon";
  }
  return "box";
}

const char* Color(NodeKind k) {
  switch (k) {
    case NodeKind::kGroup: return "#d9d9d9";
    case NodeKind::kProcess: return "#9ecae1";
    case NodeKind::kOutcome: return "#deebf7";
    case NodeKind::kBasePractice: return "#c7e9c0";
    case NodeKind::kWorkProduct: return "#fdd0a2";
    case NodeKind::kLevel: return "#bcbddc";
    case NodeKind::kAttribute: return "#dadaeb";
    case NodeKind::kAchievement: return "#efedf5";
    case NodeKind::kGenericPractice: return "#e5f5e0";
    case NodeKind::kGenericResource: return "#fee6ce";
  }
  return "white";
}

}  // namespace

void WriteDot(const ModelGraph& mg, const std::string& process, std::ostream& out) {
  using Vertex = ModelGraph::Vertex;
  const auto& g = mg.graph();
  const Model& m = mg.model();

  // Which vertices to draw.
  std::set<Vertex> keep;
  if (process.empty()) {
    for (auto [v, end] = boost::vertices(g); v != end; ++v) keep.insert(*v);
  } else {
    auto p = mg.Find(process);
    if (!p) return;
    keep.insert(*p);
    for (auto [e, end] = boost::out_edges(*p, g); e != end; ++e) keep.insert(boost::target(*e, g));
    for (auto [e, end] = boost::in_edges(*p, g); e != end; ++e) keep.insert(boost::source(*e, g));
    std::set<Vertex> outcomes(keep);
    for (Vertex o : outcomes)
      for (auto [e, end] = boost::in_edges(o, g); e != end; ++e)
        if (g[*e].kind == EdgeKind::kSupports) keep.insert(boost::source(*e, g));
    // The framework: levels, attributes, achievements, generic indicators.
    for (auto [v, end] = boost::vertices(g); v != end; ++v) {
      NodeKind k = g[*v].kind;
      if (k == NodeKind::kLevel || k == NodeKind::kAttribute || k == NodeKind::kAchievement ||
          k == NodeKind::kGenericPractice || k == NodeKind::kGenericResource)
        keep.insert(*v);
    }
  }

  auto node_name = [&](Vertex v) { return "n" + std::to_string(v); };
  auto write_node = [&](Vertex v, const std::string& indent) {
    const GraphNode& n = g[v];
    out << indent << node_name(v) << " [label=\"" << Escape(n.id) << "\\n" << Escape(n.label, 40)
        << "\", shape=" << Shape(n.kind) << ", fillcolor=\"" << Color(n.kind) << "\", tooltip=\""
        << NodeKindName(n.kind) << "\"];\n";
  };

  out << "digraph \"" << Escape(m.Key()) << "\" {\n"
      << "  graph [rankdir=LR, fontname=\"DejaVu Sans\", label=\"" << Escape(m.pam().title, 120)
      << "\", labelloc=t, compound=true];\n"
      << "  node [style=filled, fontname=\"DejaVu Sans\", fontsize=10];\n"
      << "  edge [fontname=\"DejaVu Sans\", fontsize=8];\n";

  std::set<Vertex> placed;
  // One cluster per process.
  int cluster = 0;
  for (const Process& p : m.processes()) {
    auto pv = mg.Find(p.id);
    if (!pv || !keep.count(*pv)) continue;
    out << "  subgraph cluster_" << cluster++ << " {\n    label=\"" << Escape(p.id + " " + p.name, 80)
        << "\"; style=rounded; color=\"#6baed6\";\n";
    write_node(*pv, "    ");
    placed.insert(*pv);
    for (auto [e, end] = boost::out_edges(*pv, g); e != end; ++e) {
      Vertex o = boost::target(*e, g);
      if (!keep.count(o) || placed.count(o)) continue;
      write_node(o, "    ");
      placed.insert(o);
    }
    for (const auto* list : {&p.base_practices, &p.work_products})
      for (const Indicator& ind : *list) {
        auto iv = mg.Find(ind.id);
        if (!iv || !keep.count(*iv) || placed.count(*iv)) continue;
        write_node(*iv, "    ");
        placed.insert(*iv);
      }
    out << "  }\n";
  }
  // The measurement framework in one cluster.
  out << "  subgraph cluster_framework {\n    label=\"" << Escape(m.framework().info.title, 80)
      << "\"; style=rounded; color=\"#9e9ac8\";\n";
  for (Vertex v : keep) {
    NodeKind k = g[v].kind;
    if (placed.count(v)) continue;
    if (k == NodeKind::kLevel || k == NodeKind::kAttribute || k == NodeKind::kAchievement ||
        k == NodeKind::kGenericPractice || k == NodeKind::kGenericResource) {
      write_node(v, "    ");
      placed.insert(v);
    }
  }
  out << "  }\n";
  for (Vertex v : keep)
    if (!placed.count(v)) write_node(v, "  ");

  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    Vertex a = boost::source(*e, g), b = boost::target(*e, g);
    if (!keep.count(a) || !keep.count(b)) continue;
    const GraphEdge& ge = g[*e];
    out << "  " << node_name(a) << " -> " << node_name(b) << " [label=\"" << EdgeKindName(ge.kind);
    if (!ge.rule.empty()) out << " " << Escape(ge.rule);
    out << "\"";
    if (ge.kind == EdgeKind::kConstrains) out << ", style=dashed, color=\"#cb181d\"";
    out << "];\n";
  }
  out << "}\n";
}

}  // namespace assay::reports
