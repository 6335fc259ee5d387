// Fuzzes the model pack loader: the bytes are written to a pack file and
// checked as `assay model check` does (JSON syntax and limits, the schema,
// the semantic checks, the framework lookup). A pack that checks clean is
// loaded, turned into a ModelGraph and written as Graphviz dot.
//
// Contracts checked besides "no crash": CheckFile fails exactly when it
// reported a diagnostic, and every diagnostic names the file.
#include <cstddef>
#include <cstdint>
#include <sstream>

#include "assay/model_graph.h"
#include "assay/reports/dot.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assay;
  const ModelLibrary& library = fuzz::Library();
  const std::string& path = fuzz::WriteTempFile(data, size, ".json");

  std::vector<Diagnostic> diags;
  PackInfo info;
  Status s = library.CheckFile(path, {}, &info, &diags);
  FUZZ_CHECK(s.ok() == diags.empty(), s.ToString() + " with " + std::to_string(diags.size()) + " diagnostics");
  for (const Diagnostic& d : diags) FUZZ_CHECK(d.ToString().rfind(path + ":", 0) == 0, d.ToString());
  if (!s.ok()) return 0;

  std::shared_ptr<const Model> model;
  diags.clear();
  s = library.LoadFile(path, &model, &diags);
  FUZZ_CHECK(s.ok(), "CheckFile passed but LoadFile failed: " + s.ToString());
  FUZZ_CHECK(model != nullptr, "LoadFile gave no model");

  ModelGraph graph(model);
  std::ostringstream dot;
  reports::WriteDot(graph, "", dot);
  FUZZ_CHECK(dot.str().rfind("digraph", 0) == 0, "dot output does not start with digraph");
  size_t n = 0;
  for (const Process& p : model->processes()) {
    if (n++ == 3) break;
    std::ostringstream one;
    reports::WriteDot(graph, p.id, one);
  }
  for (const ProcessAttribute& a : model->framework().attributes) {
    Contribution c;
    for (const Statement& st : a.achievements) {
      std::vector<std::string> supporters;
      (void)graph.Supporters(st.id, &supporters);
      for (const std::string& ind : supporters) (void)graph.ContributesTo(ind, &c);
    }
  }
  return 0;
}
