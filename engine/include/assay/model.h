// Model: an immutable process assessment model.
//
// A Model joins two packs: a measurement framework pack (rating scales,
// capability levels, process attributes with their achievements, generic
// practices and generic resources) and a process assessment model pack
// (process groups, processes with purpose, outcomes, base practices and work
// products, an optional maturity model and consistency rules). Packs are JSON
// files in the format of schemas/model.schema.json; docs/MODEL-FORMAT.md
// describes them.
//
// Packs are found, loaded and validated by ModelLibrary (the second part of
// this header). Once loaded, a Model never changes; it is safe to share
// between threads.
#ifndef ASSAY_MODEL_H_
#define ASSAY_MODEL_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "assay/status.h"

namespace assay {

// Identity of one loaded pack.
struct PackInfo {
  std::string kind;     // "framework" or "pam"
  std::string id;
  std::string version;  // semantic version "MAJOR.MINOR.PATCH"
  std::string title;
  std::string description;
  std::vector<std::string> follows;  // the standards whose structure it follows
  std::string notice;
  std::string sha256;  // SHA-256 (hex) of the pack's canonical JSON
  std::string path;    // the file it was read from
};

// One band of a rating scale. Percentages: lower is exclusive and upper
// inclusive, except for the first band, which includes its lower bound (0).
struct ScaleBand {
  std::string value;     // "N", "P-", "P", ...
  std::string name;
  std::string meaning;
  double lower = 0;
  double upper = 0;
  std::string folds_to;  // the 4-point value this band counts as: "N","P","L","F"
  int ordinal = 0;       // position on its scale, 0-based
};

struct Scale {
  std::vector<ScaleBand> bands;  // ascending
};

// A statement with an ID: a process outcome or a process attribute achievement.
struct Statement {
  std::string id;
  std::string text;
};

struct CapabilityLevel {
  int number = 0;
  std::string name;
  std::string description;
  std::vector<std::string> attributes;  // IDs of the attributes at this level
};

struct ProcessAttribute {
  std::string id;  // "PA2.1"
  int level = 0;
  std::string name;
  std::string description;
  std::vector<Statement> achievements;
};

enum class IndicatorKind {
  kBasePractice,
  kWorkProduct,
  kGenericPractice,
  kGenericResource,
};

// "base practice", "work product", "generic practice", "generic resource".
const char* IndicatorKindName(IndicatorKind kind);

// An assessment indicator. Base practices and work products belong to a
// process and support its outcomes; generic practices and resources belong
// to a process attribute and support its achievements.
struct Indicator {
  std::string id;
  IndicatorKind kind = IndicatorKind::kBasePractice;
  std::string owner;  // process ID or attribute ID
  std::string name;
  std::string description;
  std::vector<std::string> supports;  // outcome or achievement IDs
};

struct ProcessGroup {
  std::string id;
  std::string name;
  std::string clause;
  std::string description;
};

struct Process {
  std::string id;
  std::string name;
  std::string group;
  std::vector<std::string> clauses;
  std::string purpose;
  std::vector<Statement> outcomes;
  std::vector<Indicator> base_practices;
  std::vector<Indicator> work_products;
};

struct MaturityLevel {
  int level = 0;
  std::string name;
  std::string description;
  std::vector<std::string> processes;  // as written in the pack
  bool all_other_processes = false;
};

// Organizational maturity model. Rule "staged": the organization is at
// maturity level n when, for every level k in 1..n, every process in the set
// of level k reaches capability level min(n, max(k, 3)): up to level 3 all
// sets so far must reach level n; levels 4 and 5 ask their own (small) sets
// for capability level 4 or 5 while the sets of levels 1-3 stay at 3.
// A process may be named at several levels. Level 0 when level 1 is not reached.
struct MaturityModel {
  std::string id;
  std::string name;
  std::string description;
  std::string rule;
  std::vector<MaturityLevel> levels;  // ascending by level
};

enum class RuleType {
  kCap,       // subject must not be rated above `value`
  kNotF,      // subject must not be rated F
  kNotAbove,  // subject must not be rated above the reference
  kAlign,     // subject and reference within one step of each other
};

const char* RuleTypeName(RuleType type);  // "cap", "not_f", "not_above", "align"

// Which processes a generic indicator of a rule is taken in.
enum class ProcessScope { kSame, kAll, kOthers };

struct IndicatorRef {
  std::string indicator;
  ProcessScope processes = ProcessScope::kSame;
};

struct ConsistencyRule {
  std::string id;
  RuleType type = RuleType::kCap;
  bool recommendation = false;  // severity "recommendation": no justification needed
  IndicatorRef subject;
  std::optional<IndicatorRef> reference;
  std::string value;        // for kCap
  std::string when_reason;  // empty: unconditional
  std::string statement;
};

struct ReasonCode {
  std::string id;
  std::string text;
};

// A measurement framework pack.
struct Framework {
  PackInfo info;
  Scale standard;
  std::optional<Scale> refined;
  std::vector<CapabilityLevel> levels;  // 0..5, ascending
  std::vector<ProcessAttribute> attributes;
  std::vector<Indicator> generic_practices;
  std::vector<Indicator> generic_resources;
};

class ModelAccess;  // the loader's write access to a Model (internal)

class Model {
 public:
  Model() = default;
  // Not copyable (the index points into the model's own vectors); movable.
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  Model(Model&&) = default;
  Model& operator=(Model&&) = default;

  const PackInfo& pam() const { return pam_; }
  const Framework& framework() const { return framework_; }
  const std::vector<ProcessGroup>& groups() const { return groups_; }
  const std::vector<Process>& processes() const { return processes_; }
  const std::optional<MaturityModel>& maturity() const { return maturity_; }
  const std::vector<ConsistencyRule>& rules() const { return rules_; }
  const std::vector<ReasonCode>& reason_codes() const { return reason_codes_; }

  // The model's identity for pinning: "<pam id>@<version>".
  std::string Key() const { return pam_.id + "@" + pam_.version; }
  // SHA-256 (hex) over both packs' hashes: the value an assessment pins.
  const std::string& hash() const { return hash_; }

  // Lookups; nullptr when absent.
  const Process* FindProcess(const std::string& id) const;
  const ProcessAttribute* FindAttribute(const std::string& id) const;
  const Indicator* FindIndicator(const std::string& id) const;
  // The process or attribute that owns an outcome or achievement ID.
  const Statement* FindStatement(const std::string& id, std::string* owner) const;
  // Processes in the maturity set of `level` (all_other_processes resolved:
  // every process not named in the sets of this or a lower level).
  std::vector<std::string> MaturitySet(int level) const;

  // Every ID the model defines, sorted (for suggestions).
  std::vector<std::string> AllIds() const;
  std::vector<std::string> ProcessIds() const;

 private:
  friend class ModelAccess;
  void BuildIndex();

  PackInfo pam_;
  Framework framework_;
  std::vector<ProcessGroup> groups_;
  std::vector<Process> processes_;
  std::optional<MaturityModel> maturity_;
  std::vector<ConsistencyRule> rules_;
  std::vector<ReasonCode> reason_codes_;
  std::string hash_;

  std::map<std::string, size_t> process_index_;
  std::map<std::string, size_t> attribute_index_;
  std::map<std::string, const Indicator*> indicator_index_;
  std::map<std::string, std::pair<const Statement*, std::string>> statement_index_;
};

}  // namespace assay

// ===========================================================================
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

namespace assay {

// Diagnostic (one problem found in a pack file) is in assay/status.h.

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

#endif  // ASSAY_MODEL_H_
