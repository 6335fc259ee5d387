// Graphviz DOT rendering of a ModelGraph.
#ifndef ASSAY_REPORTS_DOT_H_
#define ASSAY_REPORTS_DOT_H_

#include <ostream>
#include <string>

#include "assay/model_graph.h"

namespace assay::reports {

// Writes the graph as a DOT digraph: one cluster per process (its outcomes,
// base practices and work products), one for the measurement framework.
// With `process` set, only that process and the framework nodes its
// indicators reach are written. REQUIRES: `process` is empty or a process ID.
void WriteDot(const ModelGraph& graph, const std::string& process, std::ostream& out);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_DOT_H_
