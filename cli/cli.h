// Shared pieces of the `assay` command line.
#ifndef ASSAY_CLI_CLI_H_
#define ASSAY_CLI_CLI_H_

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "assay/assessment.h"
#include "assay/rating.h"
#include "assay/model.h"
#include "assay/model_graph.h"
#include "assay/status.h"
#include "assay/store.h"

namespace assay::cli {

// Exit codes (documented in README.md and `assay --help`).
enum ExitCode {
  kExitOk = 0,
  kExitInternal = 1,
  kExitUsage = 2,
  kExitInvalidInput = 3,
  kExitNotFound = 4,
  kExitChecksFailed = 5,
  kExitStorage = 6,
  kExitCorruption = 7,
  kExitUnsupported = 8,
  kExitPermissionDenied = 9,
  kExitConflict = 10,
};

// Options every command can see.
// The environment is read in main.cc only, into these.
struct GlobalOptions {
  std::vector<std::string> model_dirs;  // --models, searched first
  std::vector<std::string> env_model_dirs;  // $ASSAY_MODELS (colon separated), searched next
  std::string bundled_models;  // the installed (or build tree's) models/, searched last
  std::string font_dir;  // $ASSAY_FONT_DIR; empty: the PDF renderer's default
  std::string db = "assay.db";  // the workspace: --db, else $ASSAY_DB, else ./assay.db
  bool color = false;  // decided from the terminal and NO_COLOR
  bool progress = false;  // progress bars (progress.h): stderr is a terminal and TERM is not dumb
  // A workspace with accounts (docs/ACCOUNTS.md): the account to act as
  // (--user, else $ASSAY_USER) and where its password is read from
  // (--login-password-file; else a prompt, or stdin when not a terminal).
  std::string user;
  std::string login_password_file;
};

// A password: the first line of `file` ("-": standard input), else of
// standard input when it is not a terminal, else asked for on the terminal
// without echo after `prompt` (twice with `confirm`). user_commands.cc.
Status ReadPassword(const std::string& file, const std::string& prompt, bool confirm, std::string* out);

// Fills in *global from the environment ($ASSAY_DB, $ASSAY_MODELS,
// $ASSAY_FONT_DIR, NO_COLOR, TERM) and the installation (the bundled model packs
// next to the executable). The one place, with Actor(), that reads it.
void ReadEnvironment(GlobalOptions* global);

// The exit code of a status code (the one table; main.cc).
int ExitCodeOf(Status::Code code);

// Prints "assay: <message>" on stderr (with a hint from the status's
// subject where there is one) and returns the status's exit code.
int Fail(const Status& status);

// The CLI's hint for an engine error, from its subject ("; add people with:
// assay person add"), or "" (session.cc).
std::string Hint(const Status& status);

// Prints every diagnostic on stderr, one per line.
void PrintDiagnostics(const std::vector<Diagnostic>& diags);

// The model library of the command line, not yet scanned: --models, then
// $ASSAY_MODELS, then the bundled packs.
ModelLibrary MakeLibrary(const GlobalOptions& global);

// Builds and scans the model library. Prints problems of packs on stderr
// only when `verbose`.
Status OpenLibrary(const GlobalOptions& global, ModelLibrary* library);

// Who is writing: $ASSAY_ACTOR, else $USER, else $LOGNAME, else "unknown".
std::string Actor();

// The current UTC time, ISO 8601 ("2026-11-24T10:30:00Z").
std::string NowUtc();

// Joins `parts` with `sep`.
std::string Join(const std::vector<std::string>& parts, const char* sep = ", ");

// What a write did, for messages: "added", "updated (new version)", "unchanged".
const char* Done(const WriteResult& r);

// Prints `rows` on stdout, each line starting with `indent`, columns padded
// to their widest cell (the last column is not padded). trace_commands.cc.
void PrintTable(const std::vector<std::vector<std::string>>& rows, const std::string& indent = "");

// A command's session: the model library, one workspace connection over it
// and the pinned models loaded so far (a pack is parsed once per process;
// the workspace's resolver reads the same cache).
struct Session {
  ModelLibrary library;
  std::unique_ptr<Workspace> ws;
  std::map<std::string, std::shared_ptr<const Model>> models;  // by id@version
  std::map<std::string, std::shared_ptr<const ModelGraph>> graphs;  // by id@version#hash
};

// Scans the model library and opens the workspace (--db). When `create` is
// false a missing workspace is NotFound.
Status OpenSession(const GlobalOptions& global, bool create, std::unique_ptr<Session>* out);

// The assessment a command works on: `given` (-a), else the most recent one
// (with a note on stderr when there are several, saying to choose another
// `how`: "with -a", or "with the ID argument" for commands that take it so).
Status PickAssessment(Workspace* ws, const std::string& given, std::string* id, const char* how = "with -a");

// Everything a results command needs, from one snapshot: the assessment's
// records, its log position and (on request) export digest, its pinned model
// (hash checked) and the model graph.
struct Loaded {
  std::shared_ptr<const Model> model;
  std::shared_ptr<const ModelGraph> graph;
  AssessmentData data;
  int64_t log_seq = 0;        // the assessment's newest event
  std::string log_hash;       // its hash
  std::string head_hash;      // with SnapshotOptions::at_seq: the hash of event at_seq
  std::string export_sha256;  // with SnapshotOptions::export_digest
};

// Reads assessment `id` (the most recent when empty) through the session.
Status ReadAssessment(Session* session, std::string id, const SnapshotOptions& options, Loaded* out);

// The same through a session of its own.
Status LoadAssessment(const GlobalOptions& global, std::string id, Loaded* out);

// The same status (code and subject) with `prefix` before its message:
// Prefixed(s, "--rating 'X': ") or Prefixed(s, "/ratings/0/item: ").
Status Prefixed(const Status& s, const std::string& prefix);

// assay what-if (results_commands.cc; assay serve too): a hypothetical
// consolidated rating replaces every rating of the item in that instance.
struct WhatIfChange {
  std::string instance, item, value;
};
// `loaded.data` with `changes` applied. On bad input (unknown instance or
// item, a value not on the scale) *failed is the index of the change.
Status ApplyWhatIf(const Loaded& loaded, const std::vector<WhatIfChange>& changes, AssessmentData* changed,
                   size_t* failed);
// The capability levels (per process) and the maturity level that differ
// between two results of the same scope: {"RES.1", "1", "2"}, a level not
// determined is "-"; the maturity level's subject is "maturity".
struct LevelChange {
  std::string subject, before, after;
};
std::vector<LevelChange> LevelChanges(const RatingResults& before, const RatingResults& after);

// assay consolidate (team_commands.cc; assay serve too): the team's agreed
// rating of INSTANCE ITEM with its rationale, written through `writer`.
// Without statements or evidence of its own, the rating takes the evidence
// of every assessor's rating and the statements of the first assessor who
// gave the agreed value. *was: "ada L, bob P" (the assessors' values).
Status Consolidate(Session* session, Workspace* writer, const std::string& assessment, const std::string& instance,
                   const std::string& item, Rating rating, const std::string& rationale, std::string* was,
                   WriteResult* result);
// The files the workspace keeps: size by SHA-256.
using KeptFiles = std::map<std::string, int64_t>;
Status ReadKeptFiles(Workspace* ws, KeptFiles* out);
// What `assay evidence list --format json` and `assay interview list
// --format json` print (trace_commands.cc; assay serve too); each
// evidence item says whether its file is `kept`.
std::string EvidenceListJson(const AssessmentData& data, const KeptFiles& kept);
std::string InterviewListJson(const AssessmentData& data);
// What `assay disagreements --format json` prints.
std::string DisagreementsJson(const std::string& assessment, const std::vector<OpenDisagreement>& open);

// The assessments of one series (assay/rating.h, Trend), read and rated.
struct SeriesData {
  std::vector<Loaded> loaded;          // in series order
  std::vector<RatingResults> results;  // of each, without the sensitivity analysis
};

// The assessments that formed the series of `subject` (its organization and
// series name) at log position `at_seq` (0: now), up to and including
// `subject` itself (read in `*subject_loaded`, rated in `*subject_results`),
// which are not read again. With the assessment naming no organization the
// series is the assessment alone. The entries point into *out and the
// subject's data.
Status ReadSeriesUpTo(Session* session, const Loaded& subject, const RatingResults& subject_results, int64_t at_seq,
                      SeriesData* out, std::vector<SeriesEntry>* entries);

// Writes `bytes` to `path` atomically (a temporary file in the same
// directory, created 0600, then rename). An existing file is InvalidInput
// unless `force` ("... exists; use --force to overwrite"); `force` replaces
// regular files only (a symbolic link, FIFO, device or directory is always
// InvalidInput). A failed or interrupted write (SIGINT, SIGTERM, SIGHUP)
// leaves no temporary file and any existing file untouched. The file gets
// OutputFileMode().
Status WriteOutputFile(const std::string& path, const std::string& bytes, bool force);
// The same, with the content written by `fill` into the open temporary file
// (descriptor and path), e.g. a database backup.
Status WriteOutputWith(const std::string& path, bool force,
                       const std::function<Status(int fd, const std::string& temp)>& fill);
// Whether `path` may be written: absent, or a regular file with `force`.
Status CheckOutputTarget(const std::string& path, bool force);
// The mode of output files: 0666 less the umask, and at most 0600 when the
// workspace file (noted by OpenSession) is owner-only.
mode_t OutputFileMode();
void NoteWorkspaceForOutputs(const std::string& db);

// The commands themselves are registered through the table in main.cc; their
// functions are declared in commands.h.

// The capability profile as the `assay profile` table (profile_view.cc):
// one row per process (and per instance with `instances`), the legend, the
// maturity level and the team's agreement. `color` adds ANSI colours.
void PrintProfileTable(const Model& model, const AssessmentData& data, const RatingResults& results, bool instances,
                       bool color, std::ostream& out);

// The mark after an aggregate whose values lie far apart, as the profile and
// trend tables show it: "*" moderate, "!" poor reliability; "" otherwise
// (profile_view.cc). kReliabilityLegend explains the marks under a table.
const char* ReliabilityMark(const std::optional<Dispersion>& d);
extern const char kReliabilityLegend[];

// The per-check summary `assay check` ends with: "<ID>: n errors, m warnings
// and notes" and one line per check of `names` (default: CheckNames())
// (profile_view.cc).
void PrintCheckSummary(const AssessmentData& data, const CheckReport& report, std::ostream& out,
                       const std::vector<std::string>& names = {});

// For `assay demo`: `assay audit import FILE` and `assay audit report AUDIT
// --out OUT [--force]`; each prints what it did (or the error) and returns
// the exit code.
int AuditImportCommand(const GlobalOptions& global, const std::string& file);
int AuditReportCommand(const GlobalOptions& global, const std::string& audit, const std::string& out, bool force);
// `assay trend -o ORGANIZATION` as a table (trend_commands.cc), for the demo.
int TrendCommand(const GlobalOptions& global, const std::string& organization);
// The audit report of `audit` as of `date` ("" for the default: the decision's
// date, else the audit's last day), made from the workspace as it was right
// after log event `at_seq` (0: the position the report date gives, see
// AuditStore::ReportPosition), as a PDF on `paper` or as JSON; *manifest
// gets what the report's manifest states. For verify-report.
Status AuditReportAt(const GlobalOptions& global, const std::string& audit, const std::string& date, int64_t at_seq,
                     bool pdf, bool letter, std::string* bytes, std::string* snapshot_sha256, std::string* log_head);

}  // namespace assay::cli

#endif  // ASSAY_CLI_CLI_H_
