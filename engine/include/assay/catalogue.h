// Catalogue: the requirement catalogue of a management-system standard
// (ISO/IEC 20000-1:2018 is bundled as models/catalogues/iso20000-1-2018.json).
//
// A catalogue lists the clauses of the standard in document order: number,
// title, a summary written in assay's own words (never the standard's text),
// whether the clause is auditable (pure headings such as "8.5" are not: their
// requirements sit in their sub-clauses), the processes of a process
// assessment model that realise it, and hints on what an auditor samples.
// Audit findings are recorded against auditable clauses; the audit report
// lists every auditable clause and, when an assessment is linked, the
// capability level of the processes behind each clause.
//
// Loading validates in three passes and reports every problem, not only the
// first, each as a Diagnostic naming the file and a JSON pointer: (1) JSON
// syntax with line:column, duplicate keys, nesting depth; (2) the schema
// schemas/catalogue.schema.json (compiled into the engine); (3) semantic
// checks: clause numbers unique, every parent an earlier clause whose number
// is the child's minus its last component, children following their parent
// in document order, auditable clauses linked to at least one process.
// CheckCatalogueAgainstModel() adds the cross-check that every linked process
// exists in the model pack the catalogue names.
//
// A loaded Catalogue is an immutable value; it is safe to read from several
// threads. The functions here are thread-safe.
//
// Status codes: NotFound (no catalogue with that id or path; the message lists
// the nearest ids), InvalidInput (the file has problems: see the diagnostics),
// and for clause look-ups NotFound for an unknown clause number (with the
// nearest clause numbers) or InvalidInput for a heading where an auditable
// clause is required.
//
// (This header deliberately includes neither model.h nor model_library.h; it
// only declares Model, so that it can be used together with audit.h.)
#ifndef ASSAY_CATALOGUE_H_
#define ASSAY_CATALOGUE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "assay/diagnostic.h"
#include "assay/status.h"

namespace assay {

class Model;  // assay/model.h

struct Clause {
  std::string number;  // "8.5.1.3": decimal components separated by dots
  std::string title;
  std::string parent;  // number of the enclosing clause; "" for 4 .. 10
  bool auditable = true;
  std::string summary;  // in assay's own words
  // Ids of the model's processes that realise the clause (at least one when
  // auditable), in file order.
  std::vector<std::string> processes;
  std::vector<std::string> evidence_hints;  // may be empty

  // 1 for "8", 2 for "8.5", 4 for "8.5.1.3".
  int depth() const;
};

// The model pack whose process ids a catalogue's clauses link to.
struct CatalogueModelRef {
  std::string id;       // e.g. "itsm-20000"
  std::string version;  // e.g. "1.0.0"
};

struct Catalogue {
  std::string id;        // e.g. "iso20000-1-2018"
  std::string version;   // the catalogue file's own version, e.g. "1.0.0"
  std::string title;     // e.g. "ISO/IEC 20000-1:2018 requirement catalogue"
  std::string standard;  // the standard and its edition, e.g. "ISO/IEC 20000-1:2018"
  std::vector<std::string> follows;
  std::string notice;  // copyright / own-words notice, shown in reports
  CatalogueModelRef model;
  std::vector<Clause> clauses;  // document order
  std::string path;             // the file it was loaded from ("" if built in memory)
  std::string sha256;           // of the file's canonical JSON ("" if built in memory)

  // The clause with exactly this number, or nullptr.
  const Clause* FindClause(std::string_view number) const;

  // The auditable clauses in document order.
  std::vector<const Clause*> AuditableClauses() const;

  // The clauses (headings included) linking `process`, in document order.
  std::vector<const Clause*> ClausesOfProcess(std::string_view process) const;

  // The direct sub-clauses of `number`, in document order.
  std::vector<const Clause*> Children(std::string_view number) const;

  // All clause numbers (auditable_only: only the auditable ones), in
  // document order.
  std::vector<std::string> ClauseNumbers(bool auditable_only = false) const;

  // Up to `max` clause numbers nearest to `number`, in document order.
  // Nearness follows the numbering, not the spelling: a number that differs
  // only in its dots ("8.51" for "8.5.1") comes first, then clauses sharing
  // the longest leading components, then the closest number at the first
  // differing component, then the closest depth. With auditable_only, only
  // auditable clauses are candidates. Empty when the catalogue is empty.
  std::vector<std::string> NearestClauses(std::string_view number, bool auditable_only = false, size_t max = 3) const;

  // OK when `number` is a clause of this catalogue. Otherwise NotFound, e.g.
  //   unknown clause '8.9.9' in catalogue iso20000-1-2018; nearest: 8.7.1, 8.7.2, 8.7.3.3
  // (suggestions among the auditable clauses).
  Status CheckClause(std::string_view number) const;

  // OK when `number` is an auditable clause (findings are recorded against
  // these). NotFound as CheckClause for an unknown number; InvalidInput for a
  // heading, naming its auditable sub-clauses, e.g.
  //   clause 8.5.1 (Change management) is a heading, not an auditable clause;
  //   use one of 8.5.1.1, 8.5.1.2, 8.5.1.3
  Status CheckAuditableClause(std::string_view number) const;
};

// Loads and validates one catalogue file. Appends every problem to `diags`
// (InvalidInput "FILE: invalid requirement catalogue (N problems)" when there
// are any; IOError-like read failures are diagnostics too, returned as
// NotFound when the file does not exist). On success sets *out.
Status LoadCatalogueFile(const std::string& path, std::shared_ptr<const Catalogue>* out,
                         std::vector<Diagnostic>* diags);

// Loads a catalogue by id or path. `id_or_path` is a path when it contains a
// '/' or ends in ".json"; otherwise it is an id looked up in `search_dirs`
// (use ModelLibrary::search_dirs(): the caller's directories, $ASSAY_MODELS,
// the bundled models). In each directory, DIR/catalogues/*.json and then
// DIR/*.json files whose "kind" is "catalogue" are considered; the first
// directory holding the id wins, and within it the highest version.
// NotFound when no catalogue has that id:
//   catalogue 'iso20000-1-2019' not found in DIR1, DIR2; nearest: iso20000-1-2018
// Files of other catalogues are not validated, so a broken file elsewhere
// does not stop a good catalogue from loading.
Status LoadCatalogue(const std::string& id_or_path, const std::vector<std::string>& search_dirs,
                     std::shared_ptr<const Catalogue>* out, std::vector<Diagnostic>* diags);

// The ids (with versions and paths) of the catalogues found in `search_dirs`,
// as "id@version path", sorted; files that are not valid JSON or not
// catalogues are skipped.
std::vector<std::string> ListCatalogues(const std::vector<std::string>& search_dirs);

// Checks that `model` is the pack the catalogue names (id, and version
// unless the catalogue's model version is empty) and that every linked
// process exists in it. One diagnostic per problem with the JSON pointer of
// the clause's process entry and the nearest process ids, e.g.
//   models/catalogues/x.json: /clauses/12/processes/0: unknown process
//   'SLM.9' in itsm-20000@1.0.0; nearest: SLM.1
// Returns InvalidInput when there were problems.
Status CheckCatalogueAgainstModel(const Catalogue& catalogue, const Model& model, std::vector<Diagnostic>* diags);

}  // namespace assay

#endif  // ASSAY_CATALOGUE_H_
