// ModelLibrary: finds, loads and validates model packs.
//
// Validation runs in three passes and reports every problem it finds, not
// only the first: (1) JSON syntax, with line:column, plus duplicate keys and
// nesting depth; (2) the JSON Schema schemas/model.schema.json (compiled into
// the engine), with JSON pointers; (3) semantic checks: unique IDs, every
// reference resolves (with the nearest valid IDs), every outcome supported by
// a base practice, every achievement by a generic practice, capability levels
// contiguous, scale bands covering 0..100 without gap or overlap, maturity
// sets, consistency rules without cycles.
//
// A library is a list of directories searched for *.json packs: directories
// given by the caller, then the bundled packs. The library reads no
// environment variable: the command line adds $ASSAY_MODELS and finds the
// installed packs. Not thread-safe while scanning; afterwards read-only.
#ifndef ASSAY_MODEL_LIBRARY_H_
#define ASSAY_MODEL_LIBRARY_H_

#include <memory>
#include <string>
#include <vector>

#include "assay/diagnostic.h"
#include "assay/model.h"
#include "assay/status.h"

namespace assay {

// Diagnostic (one problem found in a pack file) is in assay/diagnostic.h.

// Limits on pack files (and on any JSON input read through ReadJsonFile).
struct JsonLimits {
  size_t max_bytes = 64u << 20;  // Default: 64 MiB
  int max_depth = 64;            // Default: 64 nested arrays/objects
  size_t max_string = 1u << 20;  // Default: 1 MiB per string or object key (bytes, after unescaping)
};

class ModelLibrary {
 public:
  // `dirs` are searched first, in order; then the bundled packs of the
  // source tree this engine was built from (BuildTreeModelsDir()).
  explicit ModelLibrary(std::vector<std::string> dirs = {});
  // `dirs`, then `bundled_dir` (none when empty). Directories that do not
  // exist are left out; a directory given twice is searched once.
  ModelLibrary(std::vector<std::string> dirs, const std::string& bundled_dir);

  // The models/ directory of the source tree this engine was built from
  // (for tests and for running from the build tree).
  static std::string BuildTreeModelsDir();

  // The directories that will be searched, in order (only existing ones).
  const std::vector<std::string>& search_dirs() const { return dirs_; }

  // Reads and validates every *.json pack file of the search directories.
  // Files with problems are left out of packs() and reported in problems().
  // Returns IOError only when a directory cannot be read.
  Status Scan();
  const std::vector<PackInfo>& packs() const { return packs_; }
  const std::vector<Diagnostic>& problems() const { return problems_; }

  // Loads the pack `id` (its newest version when `version` is empty). A
  // process assessment model is joined to its framework; a framework pack
  // loads as a Model without processes. REQUIRES: Scan() was called.
  // Returns NotFound (with the nearest IDs) or InvalidInput (see diags).
  Status Load(const std::string& id, const std::string& version, std::shared_ptr<const Model>* model,
              std::vector<Diagnostic>* diags) const;

  // Loads and validates one pack file, looking its framework up among
  // `siblings` (other files being checked) and then in this library.
  // Appends problems to `diags`; returns InvalidInput when there were any.
  Status CheckFile(const std::string& path, const std::vector<std::string>& siblings, PackInfo* info,
                   std::vector<Diagnostic>* diags) const;

  // Loads a pack file into a Model directly (framework looked up as in CheckFile).
  Status LoadFile(const std::string& path, std::shared_ptr<const Model>* model,
                  std::vector<Diagnostic>* diags) const;

 private:
  std::vector<std::string> dirs_;
  std::vector<PackInfo> packs_;
  std::vector<Diagnostic> problems_;
};

}  // namespace assay

#endif  // ASSAY_MODEL_LIBRARY_H_
