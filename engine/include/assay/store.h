// Workspace: the SQLite file that holds assessments and their history.
//
// One file per workspace (docs/WORKSPACE.md describes its schema). Opening
// a workspace applies forward-only schema migrations in one transaction; a
// workspace written by a newer assay (PRAGMA user_version above
// Workspace::kSchemaVersion) is refused with Unsupported and left untouched,
// and a file that is not an assay workspace (not SQLite, or another
// application_id) is refused with InvalidInput. New files are created with
// owner-only permissions (0600), in WAL mode, with foreign keys on and a busy
// timeout so that several processes can write to one workspace.
//
// Records (assessment, scope, units, instances, people, interviews, evidence,
// ratings) are never updated in place: a change inserts a new version row
// that supersedes the old one, and every write appends an event to a
// hash-chained log in the same transaction. VerifyLog() walks the chain and
// compares each stored record with the event that wrote it, so that an edit
// or a deletion made with the sqlite3 shell is detected. Ratings (schema
// version 4) live in a typed table; an import writes its ratings as one
// batch with one event that holds a SHA-256 digest of every row it wrote,
// which VerifyLog recomputes from the rows.
//
// Every write validates against the model pack the assessment pins (loaded
// through WorkspaceOptions::resolve_model): unknown IDs are answered with the
// nearest valid ones. A write either completes or leaves the workspace
// exactly as it was.
//
// Status codes: InvalidInput (bad value, unknown ID, illegal transition, not
// a workspace), NotFound (no such assessment, no workspace file), IOError
// (SQLite or file system failure, including a lock held longer than the busy
// timeout), Corruption (VerifyLog found a mismatch), Unsupported (newer
// workspace, or a pinned model whose content hash changed).
//
// Thread safety: a Workspace owns one SQLite connection and is not
// thread-safe; use one Workspace per thread (or process). Concurrent writers
// on separate Workspace objects are serialized by SQLite.
#ifndef ASSAY_STORE_H_
#define ASSAY_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "assay/assessment.h"
#include "assay/model.h"
#include "assay/model_library.h"
#include "assay/status.h"

namespace assay {

// Loads the model pack an assessment pins ("itsm-20000", "1.0.0").
using ModelResolver =
    std::function<Status(const std::string& id, const std::string& version, std::shared_ptr<const Model>* model)>;

// A resolver over `library` (which must outlive the resolver and be scanned).
ModelResolver LibraryResolver(const ModelLibrary* library);

struct WorkspaceOptions {
  // Create the file (and the schema) when it does not exist. Default: true.
  // When false, a missing file is NotFound.
  bool create_if_missing = true;
  // Who is writing; recorded in every event. Default: "unknown".
  std::string actor = "unknown";
  // How long a writer waits for another writer's lock. Default: 10 s.
  int busy_timeout_ms = 10000;
  // Loads pinned models for validation. REQUIRED for writes and imports;
  // reads, the log and VerifyLog do not need it.
  ModelResolver resolve_model;
  // Open the file read-only (SQLITE_OPEN_READONLY): for reading a
  // workspace file without write permission (archived evidence). Nothing is
  // created or migrated; a workspace of an older schema is Unsupported (open
  // it once with write access), and every write fails with IOError
  // ("workspace is read-only"). Default: false.
  bool read_only = false;
  // Current UTC time as ISO 8601 ("2026-11-24T10:30:00Z"). Default: the
  // system clock. Tests set a fixed clock.
  std::function<std::string()> clock;
};

// One entry of the hash-chained event log.
struct Event {
  int64_t seq = 0;
  std::string at;          // UTC, ISO 8601
  std::string actor;
  std::string assessment;  // assessment ID
  std::string action;      // "create", "update" (a new version) or "status"
  std::string entity;      // "assessment", "scope", "unit", "instance", "person",
                           // "interview", "evidence", "rating"
  std::string entity_id;   // the record's key within the assessment
  int64_t row = 0;         // the record row written
  std::string before;      // canonical JSON of the superseded version, or ""
  std::string after;       // canonical JSON of the new version
  std::string prev_hash;   // hash of event seq-1 ("" for the first)
  std::string hash;        // SHA-256(prev_hash + canonical JSON of the content)
};

// What a single write did.
struct WriteResult {
  enum class Kind { kCreated, kUpdated, kUnchanged };
  Kind kind = Kind::kCreated;
  int64_t row = 0;     // the current row of the record
  int64_t event = 0;   // the event appended (0 when unchanged)
  bool outside_scope = false;  // ratings: attribute above the target level
};

struct VerifyReport {
  int64_t events = 0;   // events walked
  int64_t records = 0;  // record rows compared
  int64_t head_seq = 0;
  std::string head_hash;
  int64_t first_bad_event = 0;  // 0 when the log verifies
};

// A problem found in an import file: "file:line:column: message" (CSV,
// JSON syntax) or "file: /json/pointer: message".
using ImportProblem = Diagnostic;

struct ImportOptions {
  bool dry_run = false;  // validate everything, write nothing. Default: false.
  // For CSV rows and JSON rating batches without an assessment column/field.
  std::string default_assessment;
};

struct ImportReport {
  std::string assessment;  // the assessment imported into
  int created = 0;         // records created
  int updated = 0;         // records superseded by a new version
  int unchanged = 0;       // records identical to the current version
  std::vector<ImportProblem> problems;  // every problem found (nothing written)
};

class Workspace {
 public:
  // The schema version this build writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 4;
  // PRAGMA application_id of assay workspaces ("ASSY").
  static constexpr int32_t kApplicationId = 0x41535359;

  // Opens (and creates or migrates) the workspace at `path`. ":memory:" gives
  // a private in-memory workspace. On success *workspace owns the connection.
  static Status Open(const std::string& path, const WorkspaceOptions& options,
                     std::unique_ptr<Workspace>* workspace);

  virtual ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  const std::string& path() const;
  int schema_version() const;

  // --- Assessments -------------------------------------------------------
  // Creates an assessment. model_id is required; model_version empty means
  // the newest the resolver finds; model_hash, when given, must match. The
  // status is always "planned". InvalidInput when the ID exists.
  Status CreateAssessment(const Assessment& assessment, WriteResult* result);
  // Replaces the descriptive fields (not the ID, model or status) by a new version.
  Status UpdateAssessment(const Assessment& assessment, WriteResult* result);
  // Moves the assessment to `to`. Illegal transitions are InvalidInput with
  // the allowed ones listed (see AllowedTransitions).
  Status SetStatus(const std::string& assessment, AssessmentStatus to, WriteResult* result);
  // Assessments, oldest first (current versions).
  Status ListAssessments(std::vector<Assessment>* out);
  Status GetAssessment(const std::string& id, Assessment* out);
  // The ID of the most recently created assessment; NotFound when none.
  Status LatestAssessment(std::string* id);

  // --- Records of one assessment: create, or a new version when different
  // from the current one (kUnchanged when identical). Validated against the
  // pinned model and the assessment's other records. Refused when the
  // assessment is reported or closed.
  Status PutScope(const std::string& assessment, const ScopedProcess& scope, WriteResult* result);
  Status PutUnit(const std::string& assessment, const OrgUnit& unit, WriteResult* result);
  Status PutInstance(const std::string& assessment, const ProcessInstance& instance, WriteResult* result);
  Status PutPerson(const std::string& assessment, const Person& person, WriteResult* result);
  Status PutInterview(const std::string& assessment, const Interview& interview, WriteResult* result);
  Status PutEvidence(const std::string& assessment, const Evidence& evidence, WriteResult* result);
  // One rating. Its key is (instance, item, assessor or consolidated); the
  // process is that of the instance. item_kind is derived from the model.
  // rated_at defaults to the clock. Identical content (ignoring rated_at) is
  // kUnchanged.
  Status Rate(const std::string& assessment, const Rating& rating, WriteResult* result);

  // --- Reading -------------------------------------------------------------
  // The current version of every record of the assessment, read in one
  // transaction. Ratings carry outside_scope.
  Status ReadSnapshot(const std::string& assessment, AssessmentData* data);
  // Every version of the ratings of one instance and item, oldest first.
  Status RatingHistory(const std::string& assessment, const std::string& instance, const std::string& item,
                       std::vector<Rating>* versions);

  // --- The log -------------------------------------------------------------
  // Events of one assessment (all when empty), in order.
  Status ReadLog(const std::string& assessment, std::vector<Event>* events);
  // Walks the whole chain and compares every record row with its event.
  // Corruption names the first event that does not match.
  Status VerifyLog(VerifyReport* report);

  // --- Import and export ---------------------------------------------------
  // Imports `path`: JSON (schemas/assessment.schema.json: a whole assessment
  // or a batch of ratings) or CSV ratings (docs/WORKSPACE.md), decided by
  // content. Every problem is collected into report->problems and the
  // result is InvalidInput without writing anything; otherwise all records
  // are written in one transaction, the ratings as one batch with one event
  // (nothing is written when dry_run). A CSV file is streamed: each row is
  // checked and written as it is parsed.
  Status Import(const std::string& path, const ImportOptions& options, ImportReport* report);
  // As Import, from text already read (`name` is used in messages).
  Status ImportText(const std::string& text, const std::string& name, const ImportOptions& options,
                    ImportReport* report);
  // The assessment as JSON in the import format: importing it into an empty
  // workspace and exporting again gives the same bytes.
  Status Export(const std::string& assessment, std::string* json);

 protected:
  Workspace() = default;
};

// The statuses `from` may move to: the next phase, and one step back where
// that is sensible (collecting->planned, validating->collecting,
// rated->validating, reported->rated). "closed" is final.
std::vector<AssessmentStatus> AllowedTransitions(AssessmentStatus from);

// Normalizes a rating value: "n", "P+", "72%", "72.5 %" -> "N", "P+", "72%",
// "72.5%" (CanonicalRatingValue in scale.h). InvalidInput for anything else.
Status NormalizeRatingValue(const std::string& value, std::string* normalized);

// SHA-256 (hex) of a file's content.
Status FileSha256(const std::string& path, std::string* hex);

// The CSV header `assay import` reads, with one example row.
std::string CsvTemplate();

}  // namespace assay

#endif  // ASSAY_STORE_H_
