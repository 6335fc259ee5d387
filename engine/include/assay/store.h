// Workspace: where assessments and their history are kept.
//
// Workspace is an abstract interface (as leveldb's DB): callers see only the
// calls below and never the storage behind them. Workspace::Open returns the
// SQLite implementation (one file per workspace; docs/WORKSPACE.md describes
// its schema); another implementation (a PostgreSQL server) must give the
// same guarantees, which are stated with each call, and then nothing above
// this header changes.
//
// This header also holds the accounts of a shared workspace (the first part
// below), the records of the workspace's Workspace calls and their options.
//
// What every implementation guarantees:
//  - Versioned records. Records (assessment, scope, units, instances,
//    people, interviews, evidence, ratings) are never updated in place: a
//    change stores a new version that supersedes the current one.
//  - One hash-chained log. Every write appends, in the same transaction as
//    the rows it writes, one event per record version (or one event per
//    imported rating batch, carrying a SHA-256 digest of every row it wrote).
//    Each event's hash covers the previous event's hash. VerifyLog() walks
//    the chain and compares every stored row with the event that wrote it.
//  - Atomic writes. Each writing call is one transaction: it either
//    completes (rows and events) or leaves the workspace exactly as it was.
//    Concurrent writers are serialized; a writer waits up to
//    WorkspaceOptions::busy_timeout_ms for another one, then fails with
//    IOError, having written nothing.
//  - Snapshot reads. Each reading call reads one consistent state: it sees
//    all or nothing of any concurrent write, never a mixture, and never
//    blocks a writer (nor is blocked by one).
//  - Validation. Every write validates against the model pack the assessment
//    pins (loaded through WorkspaceOptions::resolve_model) and against the
//    assessment's other records, by one validation path whatever the source
//    (a single call, JSON or CSV import). Unknown IDs are answered with the
//    nearest valid ones (Status::subject()).
//
// Opening a workspace applies forward-only schema migrations in one
// transaction; a workspace written by a newer assay (schema above
// Workspace::kSchemaVersion) is refused with Unsupported and left untouched,
// and a file that is not an assay workspace is refused with InvalidInput
// (or Corruption when it carries assay's identity but not its tables).
// Opening never creates anything unless WorkspaceOptions::create_if_missing.
//
// Status codes: InvalidInput (bad value, unknown ID, illegal transition, not
// a workspace), NotFound (no such assessment, no workspace), IOError
// (storage or file system failure, including a lock held longer than the
// busy timeout), Corruption (VerifyLog found a mismatch, damaged storage),
// Unsupported (newer workspace, or a pinned model whose content hash changed).
//
// Thread safety: a Workspace owns one connection and is not thread-safe; use
// one Workspace per thread (or process). Ownership: Open gives the caller the
// Workspace; the model resolver it holds must outlive it.
#ifndef ASSAY_STORE_H_
#define ASSAY_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "assay/assessment.h"
#include "assay/model.h"
#include "assay/signing.h"
#include "assay/status.h"

// ===========================================================================
// Accounts of a shared workspace (docs/ACCOUNTS.md; schema version 7).
//
// A workspace without accounts is open to whoever can open it, as before.
// Once it has one, every write names the account it is made for
// (WorkspaceOptions::user): the engine reads that account's roles in the
// write's own transaction and refuses (PermissionDenied) what they do not
// allow, and the refused attempt is appended to the hash-chained log
// (entity "access", action "refused") so that an accreditation body sees
// who tried what. Passwords are hashed with libsodium's crypto_pwhash_str
// (Argon2id); the hash is stored beside the account, never in the log.
//
// Thread safety: the functions are pure (password hashing aside, which is
// thread-safe); Account is a value.

namespace assay {

// The roles an account can have, as stored and given on the command line:
//   viewer               reads everything, writes nothing
//   assessor             rates (as themselves) in assessments whose team
//                        has them as assessor or lead assessor; evidence,
//                        interviews
//   lead-assessor        creates assessments; in an assessment whose team
//                        has them as lead assessor: its records, any
//                        rating, consolidation, status moves, imports, merges
//   audit-team-member    writes certification audit records (clients,
//                        audits, findings, nonconformities)
//   technical-reviewer   the same (the review before the decision)
//   decision-maker       records certification decisions as themselves (the
//                        audit store refuses one who was on the cycle's
//                        audit teams)
//   admin                accounts, the people registry, keys and seals
//   client               the client's representative: reads the reports of
//                        its own client (Account::client) until
//                        Account::until, nothing else
inline constexpr const char* kAccountRoles[] = {"viewer",           "assessor",         "lead-assessor",
                                                "audit-team-member", "technical-reviewer", "decision-maker",
                                                "admin",            "client"};

// Whether `role` is one of kAccountRoles.
bool IsAccountRole(std::string_view role);

struct Account {
  std::string id;    // the sign-in name: the safe set of IDs (text.h WhyNotSafeId)
  std::string name;  // "" allowed
  // The person of the registry (and of teams) this account acts as: by
  // default the account's ID. Team membership is checked by this ID.
  std::string person;
  std::vector<std::string> roles;  // sorted, unique, each IsAccountRole, at least one
  std::string client;              // with role client: the client it may read (required then)
  std::string until;               // YYYY-MM-DD: no access after this day ("" none); required with role client
  bool disabled = false;
  // When the password was last set (UTC, ISO 8601; the event that set it).
  // What the log says of a password: that and when, never the hash.
  std::string password_set;
  // Read back only: the event that wrote this version.
  int64_t event = 0;
};

bool HasRole(const Account& account, std::string_view role);

// InvalidInput naming the field when `account` is not valid (the ID, roles,
// client and until as above). Sorts and dedupes the roles.
Status CheckAccount(Account* account);

// Whether the account may act on `today` (YYYY-MM-DD): not disabled and not
// past its `until`. PermissionDenied saying why otherwise.
Status AccountActive(const Account& account, const std::string& today);

// Argon2id (crypto_pwhash_str, libsodium's interactive limits) of `password`.
// InvalidInput for a password shorter than kMinPasswordLength bytes or
// longer than 1024; IOError when hashing fails (out of memory).
inline constexpr size_t kMinPasswordLength = 10;
Status HashPassword(const std::string& password, std::string* hash);
// Whether `password` matches `hash` (crypto_pwhash_str_verify); false for
// an empty or malformed hash.
bool PasswordMatches(const std::string& hash, const std::string& password);

}  // namespace assay

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
  // The account this connection acts for (docs/ACCOUNTS.md), already
  // authenticated by the caller (Workspace::Authenticate). When set it is
  // the actor of every event. In a workspace with accounts every write is
  // checked against this account's current roles in the write's own
  // transaction, and refused (PermissionDenied, one "access" event in the
  // log) when they do not allow it, or when no user is given. Reads are
  // checked only when a user is given (AuthorizeRead). Default: "" (none).
  std::string user;
};

// One entry of the hash-chained event log.
struct Event {
  int64_t seq = 0;
  std::string at;          // UTC, ISO 8601
  std::string actor;
  std::string assessment;  // assessment ID
  std::string action;      // "create", "update" (a new version), "status" or "import" (a rating batch)
  std::string entity;      // "assessment", "scope", "unit", "instance", "person",
                           // "interview", "evidence", "rating" ("person" with
                           // assessment "": the registry, schema 6)
  std::string entity_id;   // the record's key within the assessment
  int64_t row = 0;         // the record row written (the first row of a batch)
  std::string before;      // canonical JSON of the superseded version, or ""
  std::string after;       // canonical JSON of the new version (of a batch: its source, counts and digest)
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
  int64_t records = 0;  // record rows compared (ratings and audit records included)
  int64_t head_seq = 0;
  std::string head_hash;
  int64_t first_bad_event = 0;  // 0 when the log verifies
  int64_t keys = 0;   // registered keys checked against their events (schema 5)
  int64_t seals = 0;  // recorded seals checked: signature, and the head they seal
  int64_t files = 0;  // kept evidence files checked: content, size and event (schema 8)
  // Merge records checked (docs/TEAMWORK.md): the hand-out chains they
  // record, the events of this log traced to a hand-out event, and the
  // hand-out seals verified with the keys registered here.
  int64_t merges = 0, traced = 0, handout_seals = 0;
};

// One consistent read of an assessment (Workspace::ReadSnapshot).
struct SnapshotOptions {
  // Also compute export_sha256 (costs one encoding of the whole assessment).
  // Default: false.
  bool export_digest = false;
  // Read the assessment as it was right after log event `at_seq` (a
  // position of the whole log, e.g. a report's recorded log_seq): every
  // record version written by an event up to at_seq and not superseded by
  // one up to at_seq. log_seq and log_hash are then the assessment's newest
  // event up to at_seq. Later writes (including status moves) never change
  // what this reads, so a report made at a position can be reproduced
  // byte for byte. InvalidInput when at_seq is beyond the log's head;
  // NotFound (reason "not-yet") when the assessment had no record then.
  // Default: 0, the current state.
  int64_t at_seq = 0;
  // Read each rating's key, process, item kind and value only: what
  // ComputeResults uses. Its strength, weakness, reasons, evidence, rated_at
  // and justification are left empty (a profile shows none of them), which
  // saves most of the reading. InvalidInput with export_digest (the export
  // covers every field). Default: false, every field.
  bool results_only = false;
};

struct Snapshot {
  AssessmentData data;  // the current version of every record
  // The assessment's log position when it was read: its newest event (0 and
  // "" when it has none). Any later write to the assessment appends an event
  // after it.
  int64_t log_seq = 0;
  std::string log_hash;
  // With SnapshotOptions::at_seq: the hash of event at_seq itself, the head
  // of the whole log at that position (a report states it). Otherwise "".
  std::string head_hash;
  // SHA-256 (hex) of the bytes Export() gives for this very snapshot (only
  // with SnapshotOptions::export_digest; otherwise "").
  std::string export_sha256;
};

// What Workspace::Withdraw withdraws (docs/TEAMWORK.md).
enum class WithdrawKind { kRating, kEvidence, kInstance, kPerson };
struct Withdrawal {
  WithdrawKind kind = WithdrawKind::kRating;
  std::string id;  // evidence, instance or person (team member) ID
  // A rating: its key (assessor empty and consolidated for the team's rating).
  std::string instance, item, assessor;
  bool consolidated = false;
  std::string reason;  // required: why it was entered by mistake
};
// The value of a withdrawn rating's tombstone version (never a rating value).
inline constexpr const char* kWithdrawnValue = "withdrawn";

// --- Hand-outs and merge (docs/TEAMWORK.md) ---------------------------------

// What identifies a hand-out: the workspace and assessment it was made from,
// the assessor it is for, and the position of the source log it starts from.
struct HandoutInfo {
  std::string workspace;   // the source workspace's ID (WorkspaceId)
  std::string assessment;
  std::string person;      // the team member it is for
  int64_t base_seq = 0;    // the source log's head when handed out
  std::string base_hash;   // that event's hash
};

struct MergeOptions {
  bool dry_run = false;  // compute and list everything, write nothing. Default: false.
  // The assessment the caller means: a hand-out of another one is refused.
  // Default: "" (the first file's assessment; every file must be of it).
  std::string expect_assessment;
};

// One record version a hand-out brings back.
struct MergeChange {
  enum class Outcome {
    kApplied,        // changed on the hand-out's side only: written
    kSame,           // this workspace has it already: nothing written
    kConflictTaken,  // changed on both sides: the hand-out's version is the newer, written
    kConflictKept,   // changed on both sides: this workspace's version is the newer, kept
  };
  std::string file;
  std::string entity;     // "rating", "evidence", "instance", "person", ...
  std::string key;        // the record's key (a rating: ["instance","item","assessor"])
  std::string was;        // canonical JSON of this workspace's version before ("" none)
  std::string becomes;    // canonical JSON of the hand-out's version
  std::string actor, at;  // who made it in the hand-out, and when (its event)
  std::string hash;       // the hand-out event's hash
  Outcome outcome = Outcome::kApplied;
};

// An item that assessors rate differently after the merge, touched by it:
// both ratings are kept, the team consolidates (rating.h, Team).
struct MergeConflict {
  std::string instance, item;
  std::vector<std::pair<std::string, std::string>> votes;  // (assessor, value), by assessor
};

// Where one hand-out's versions came from, as the merge records it in this
// workspace's log (one event, no record row: entity and action "merge",
// entity_id the hand-out's head hash; docs/TEAMWORK.md): every hand-out event after the
// base, whole (its seq, row, prev_hash, hash and content), each with the
// events of this log that wrote its versions; so that VerifyLog can
// recompute the hand-out's chain from the base to its head, check each
// traced event against the hand-out event it came from, and check the
// hand-out's seals with the keys registered here.
struct MergeProvenance {
  std::string file;
  int64_t head_seq = 0;        // the hand-out's newest event
  std::string head_hash;
  int64_t handout_events = 0;  // hand-out events after the base
  int64_t traced = 0;          // events of this log written from them
  // The newest seal the hand-out recorded after its base, checked at the
  // merge: made for this workspace with a key registered here to the
  // hand-out's person (seal.event is the hand-out's seal event). sealed is
  // false when there is none.
  bool sealed = false;
  SealInfo seal;
  // The event recording it here; 0 with dry_run, when the hand-out's head
  // was recorded before (merged already), or when it has no events after
  // its base.
  int64_t event = 0;
};

struct MergeReport {
  std::string assessment;
  std::vector<HandoutInfo> handouts;       // one per file, in the order given
  std::vector<MergeProvenance> provenance;  // one per file, in the order given
  std::vector<std::string> already;        // files that bring changes, all of them here already
  std::vector<MergeChange> changes;        // in the order considered: by (at, actor, hash)
  std::vector<MergeConflict> conflicts;    // sorted by (instance, item)
  int64_t events = 0;                      // events appended (0 with dry_run)
};

// A problem found in an import file: "file:line:column: message" (CSV,
// JSON syntax) or "file: /json/pointer: message".
using ImportProblem = Diagnostic;

struct ImportOptions {
  bool dry_run = false;  // validate everything, write nothing. Default: false.
  // For CSV rows and JSON rating batches without an assessment column/field.
  std::string default_assessment;
  // The assessment the caller means (`-a`): a file that names another one is
  // refused. Default: "" (the file decides).
  std::string expect_assessment;
  // Import(path) refuses a larger file (it is read whole). Default: 64 MiB
  // (JsonLimits().max_bytes); a JSON document keeps that limit whatever this says.
  uint64_t max_bytes = JsonLimits().max_bytes;
  // Called as the import proceeds with the bytes of the input done and in
  // total: at most a few hundred times, the last time with done == total.
  // It must not call the workspace. Default: none.
  std::function<void(uint64_t done, uint64_t total)> progress;
  // The encoding of a text file: "" or "utf-8" (UTF-8, an optional BOM), or
  // "windows-1252" (converted to UTF-8 first, with iconv; line and column
  // numbers stay those of the file). InvalidInput for any other name.
  // Default: "".
  std::string encoding;
};

struct ImportReport {
  std::string assessment;  // the assessment imported into
  int created = 0;         // records created
  int updated = 0;         // records superseded by a new version
  int unchanged = 0;       // records identical to the current version
  std::vector<ImportProblem> problems;  // every problem found, at most kMaxImportProblems (nothing written)
  int more_problems = 0;   // problems found beyond those listed
  // CSV: the field separator found in the header row (",", ";" or "\t");
  // "" for other formats.
  std::string csv_separator;
  // Set ("windows-1252") when a text file is not UTF-8 but reads as that
  // encoding: the caller may suggest ImportOptions::encoding. Otherwise "".
  std::string suggested_encoding;
};

// What Workspace::CopyInto copied, and the copy's verification.
struct CopyReport {
  // Rows copied; records counts the certification-audit records too
  // (audit_records, schema 9).
  int64_t events = 0, records = 0, ratings = 0, keys = 0, seals = 0, accounts = 0, files = 0;
  int64_t head_seq = 0;   // the source's newest event when it was read
  VerifyReport verified;  // VerifyLog of the copy
};

// An evidence file kept in the workspace (schema version 8; Workspace::
// KeepEvidenceFile). Files are stored once per content, by SHA-256.
struct KeptFile {
  std::string sha256;      // lower-case hex: the key
  int64_t bytes = 0;       // its size
  std::string assessment;  // the assessment and evidence item it was kept for first
  std::string evidence;
  std::string kept_at;     // the time of the event that kept it
  int64_t event = 0;       // that event's seq
};
// The largest file a workspace keeps.
inline constexpr int64_t kMaxKeptFileBytes = 32 << 20;

// An import lists at most this many problems (and counts the rest).
inline constexpr size_t kMaxImportProblems = 1000;

class Workspace {
 public:
  // The schema version this build writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 9;
  // PRAGMA application_id of assay workspaces ("ASSY").
  static constexpr int32_t kApplicationId = 0x41535359;

  // Opens (and creates or migrates) the workspace at `path`: an SQLite file
  // (":memory:" gives a private in-memory one), or a PostgreSQL database
  // named by a postgresql:// (or postgres://) URI (IsServerLocation;
  // docs/WORKSPACE.md): the same records, log and guarantees, its schema
  // created in an empty database (create_if_missing). A URI libpq does not
  // accept is InvalidInput; a server that cannot be reached (or refuses the
  // login, or has no such database) is IOError. On success *workspace owns
  // the connection.
  static Status Open(const std::string& path, const WorkspaceOptions& options,
                     std::unique_ptr<Workspace>* workspace);

  Workspace() = default;
  virtual ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  // Where the workspace is (a file path, or a server address), for messages.
  virtual const std::string& path() const = 0;
  virtual int schema_version() const = 0;

  // Copies the whole workspace, every committed write included (those still
  // in a write-ahead log too), into the database file at `dest`, which must
  // not exist or be empty; the copy is a workspace of the same schema whose
  // log verifies. Readers and writers may run meanwhile: the copy is one
  // consistent state. Appends nothing to the log. IOError when `dest`
  // cannot be written; InvalidInput when it holds data.
  virtual Status Backup(const std::string& dest) = 0;

  // Copies every row of this workspace (records, ratings, events, keys,
  // seals, the workspace ID and a hand-out's statement) as it is into
  // `dest`, a workspace of either kind (SQLite or PostgreSQL) that holds no
  // record or event yet: from one read snapshot of this one, in one
  // transaction of `dest`, so that `dest` has the same log with the same
  // hashes and gives the same exports byte for byte. Then verifies `dest`
  // (VerifyLog, and that its head is this workspace's head as read).
  // Appends nothing to either log. InvalidInput (nothing written) when
  // `dest` holds data; Unsupported when the two schema versions differ;
  // Corruption when the copy does not verify.
  virtual Status CopyInto(Workspace* dest, CopyReport* report) = 0;

  // --- Assessments -------------------------------------------------------
  // Each write below is atomic and appends one event per record version it
  // stores (none when kUnchanged).
  //
  // Creates an assessment. model_id is required; model_version empty means
  // the newest the resolver finds; model_hash, when given, must match. The
  // status is always "planned". InvalidInput when the ID exists.
  virtual Status CreateAssessment(const Assessment& assessment, WriteResult* result) = 0;
  // Replaces the descriptive fields (not the ID, model or status) by a new version.
  virtual Status UpdateAssessment(const Assessment& assessment, WriteResult* result) = 0;
  // Moves the assessment to `to` (event action "status"). Illegal transitions
  // are InvalidInput with the allowed ones listed (see AllowedTransitions).
  virtual Status SetStatus(const std::string& assessment, AssessmentStatus to, WriteResult* result) = 0;
  // Assessments, oldest first (current versions).
  virtual Status ListAssessments(std::vector<Assessment>* out) = 0;
  virtual Status GetAssessment(const std::string& id, Assessment* out) = 0;
  // The ID of the most recently created assessment; NotFound when none.
  virtual Status LatestAssessment(std::string* id) = 0;

  // --- Records of one assessment: create, or a new version when different
  // from the current one (kUnchanged when identical, nothing written).
  // Validated against the pinned model and the assessment's other records.
  // Refused when the assessment is reported or closed. Each is atomic and
  // appends one event (action "create" or "update") holding the record's
  // canonical JSON and that of the version it supersedes.
  virtual Status PutScope(const std::string& assessment, const ScopedProcess& scope, WriteResult* result) = 0;
  virtual Status PutUnit(const std::string& assessment, const OrgUnit& unit, WriteResult* result) = 0;
  virtual Status PutInstance(const std::string& assessment, const ProcessInstance& instance, WriteResult* result) = 0;
  virtual Status PutPerson(const std::string& assessment, const Person& person, WriteResult* result) = 0;
  virtual Status PutInterview(const std::string& assessment, const Interview& interview, WriteResult* result) = 0;
  virtual Status PutEvidence(const std::string& assessment, const Evidence& evidence, WriteResult* result) = 0;
  // One rating. Its key is (instance, item, assessor or consolidated); the
  // process is that of the instance. item_kind is derived from the model.
  // rated_at defaults to the clock. Identical content (ignoring rated_at) is
  // kUnchanged.
  virtual Status Rate(const std::string& assessment, const Rating& rating, WriteResult* result) = 0;
  // Rate, only if the rating's key is still at `expected_version`: the row
  // ID of its current version (Rating::id in a snapshot), 0 when the key
  // has no current rating. Compared in the write's own transaction, so no
  // writer (another server, the command line) can slip in between a read
  // and this write. Otherwise Conflict naming the current version (subject
  // kind "rating", id the current version's row as text, reason
  // "conflict") and nothing is written.
  virtual Status RateAtVersion(const std::string& assessment, const Rating& rating, int64_t expected_version,
                               WriteResult* result) = 0;

  // --- Evidence files (schema version 8; docs/WORKSPACE.md) ----------------
  // Keeps `bytes` in the workspace as the attached file of evidence item
  // `evidence` and records their SHA-256 on the item, in one transaction:
  // the evidence item's new version (one "update" event, only when its
  // sha256 changes; refused while the assessment is frozen) and, unless a
  // file of that content is kept already, one event of entity "file",
  // action "keep", entity_id the SHA-256, with {bytes, evidence, sha256}.
  // Authorized as an evidence write. Nothing is ever deleted: a replaced
  // or withdrawn item's file stays. kUnchanged when both were there
  // already. InvalidInput for an empty file or one over kMaxKeptFileBytes,
  // NotFound (nearest IDs) for an unknown evidence item.
  virtual Status KeepEvidenceFile(const std::string& assessment, const std::string& evidence,
                                  const std::string& bytes, WriteResult* result) = 0;
  // The bytes of the kept file with SHA-256 `sha256` (hex, any case).
  // NotFound when no such file is kept; Corruption when the stored bytes
  // no longer have that SHA-256 (changed outside assay).
  virtual Status ReadKeptFile(const std::string& sha256, std::string* bytes) = 0;
  // Every kept file, by SHA-256 (without their bytes).
  virtual Status ListKeptFiles(std::vector<KeptFile>* out) = 0;

  // --- The people registry (schema version 6; docs/TEAMWORK.md) ------------
  // People belong to the whole workspace: their records and events have
  // assessment "". A team member (PutPerson, or the people of an import)
  // whose ID is not registered yet is registered in the same transaction
  // (one more event); one whose ID is registered takes the registered name
  // when it gives none, and is refused (InvalidInput, reason "name-differs")
  // when it gives another name than the registry's (or one of its aliases).
  //
  // Registers `person`, or stores a new version of the entry with that ID
  // (kUnchanged when identical): one event, action "create" or "update",
  // entity "person", assessment "". Roles are sorted and made unique.
  // InvalidInput (nothing written) for an ID outside the safe set, a
  // credential without a name, a date that is not YYYY-MM-DD, or an `until`
  // before its `since`.
  virtual Status RegisterPerson(const RegisteredPerson& person, WriteResult* result) = 0;
  // The registry, sorted by ID (current versions).
  virtual Status ListPeople(std::vector<RegisteredPerson>* out) = 0;
  // One entry. NotFound, with the nearest registered IDs, when absent.
  virtual Status GetPerson(const std::string& id, RegisteredPerson* out) = 0;

  // --- Withdrawal (docs/TEAMWORK.md) ---------------------------------------
  // Withdraws a rating, evidence item, instance or team member of
  // `assessment` entered by mistake: one event (action "withdraw") stores a
  // tombstone version superseding the current one (a rating: value
  // kWithdrawnValue with the reason as justification; a record:
  // {"id","reason","withdrawn":true}). Nothing is deleted. Snapshots (and so
  // profiles, checks, reports and exports) leave withdrawn things out; a
  // later write of the same key supersedes the tombstone. InvalidInput
  // (nothing written) without a reason, for a reported or closed
  // assessment, for something withdrawn already, or while current records
  // still refer to it (reason "in-use": ratings citing evidence; ratings and
  // interviews of an instance; ratings, interviews and evidence of a
  // person). NotFound, with the nearest IDs, when there is no such thing.
  virtual Status Withdraw(const std::string& assessment, const Withdrawal& what, WriteResult* result) = 0;

  // --- Hand-outs and merge (docs/TEAMWORK.md) -------------------------------
  // Writes a new workspace at `dest` (which must not exist or be empty) for
  // one team member to work on offline: a copy of this workspace (as Backup),
  // its log unchanged, that also states the HandoutInfo (the base is the
  // copy's head), so that Merge can check where the file came from. NotFound
  // (nearest IDs) when the assessment does not exist or `person` is not a
  // current member of its team; InvalidInput for a reported or closed
  // assessment or a non-empty dest; IOError when dest cannot be written (no
  // file is left behind on failure).
  virtual Status Handout(const std::string& assessment, const std::string& person, const std::string& dest,
                         HandoutInfo* out) = 0;
  // Brings back what was done in hand-outs since their base: every record
  // and rating version of the assessment (not its own record: status and
  // descriptive fields stay the lead's) and of people registered there,
  // written after the base. Per key, three-way against the
  // base: a change on the hand-out's side only is written, each version as
  // one event with the hand-out event's actor and time (the hand-out
  // event's hash is in the change list); a key this workspace has changed
  // too keeps the newer version by (time, actor, content), both stay in the
  // log. Ratings are keyed by assessor, so two assessors' ratings of one
  // item never replace each other: an item rated differently is listed in
  // report->conflicts and stays an open disagreement. The result does not
  // depend on the order of the files or of separate merges, and a hand-out
  // merged again changes nothing (report->already names it). Each hand-out
  // with events after its base is recorded once, after the versions it
  // brings, as one more event (MergeProvenance, report->provenance). All
  // files in one transaction; nothing is
  // written with dry_run or on any error: NotFound when a file is missing;
  // InvalidInput for a file that is not a workspace or not a hand-out, a
  // hand-out of another workspace or assessment, or one whose base this log
  // does not hold (unknown base), or a hand-out sealed after its base with
  // a key not registered here, or registered to another person than the
  // hand-out's (reason "seal-key-unknown", "seal-other-person"); Corruption
  // when a hand-out's log does not verify (tampered) or one of its seals
  // does not verify with the key registered here (reason "seal-bad").
  virtual Status Merge(const std::vector<std::string>& files, const MergeOptions& options, MergeReport* report) = 0;

  // --- Reading: each call reads one consistent snapshot -------------------
  // The current version of every record of the assessment, its log position
  // and (on request) the digest of its export, all from one read. Ratings
  // carry outside_scope when the pinned model can be resolved.
  virtual Status ReadSnapshot(const std::string& assessment, const SnapshotOptions& options, Snapshot* out) = 0;
  // Every version of the ratings of one instance and item, oldest first.
  virtual Status RatingHistory(const std::string& assessment, const std::string& instance, const std::string& item,
                               std::vector<Rating>* versions) = 0;

  // --- The log -------------------------------------------------------------
  // Events of one assessment (all when empty), in order.
  virtual Status ReadLog(const std::string& assessment, std::vector<Event>* events) = 0;
  // The position of the whole log at time `until` (UTC, ISO 8601 such as
  // "2026-10-02T23:59:59Z"; "" means now): the newest event recorded at or
  // before it, *seq and *hash (0 and "" when there is none). Events are
  // ordered by seq; their times are the writer's clock, so the newest event
  // whose time is not after `until` is taken.
  virtual Status LogPositionAt(const std::string& until, int64_t* seq, std::string* hash) = 0;
  // Checks the database's own integrity first (every index agrees with its
  // table: an index edited to show a superseded row is caught here), then
  // walks the whole chain, compares every record, rating, key and seal row
  // with its event, and checks every recorded seal (its signature with the
  // registered key, and that the event it seals still has its hash).
  // Corruption names the first event that does not match (or the integrity
  // problem, with first_bad_event 0).
  virtual Status VerifyLog(VerifyReport* report) = 0;

  // --- Keys and seals (docs/TRUST.md; schema version 5) --------------------
  // Keys and seals belong to the whole workspace, not to one assessment:
  // their events have assessment "". Each write is atomic and appends one
  // event, kept in the hash chain like every other; VerifyLog checks every
  // key and seal row against its event and every seal against the chain.
  //
  // The workspace's ID: 32 lower-case hex digits, random, made when the
  // workspace was created (or migrated to schema 5); copies share it.
  virtual Status WorkspaceId(std::string* id) = 0;
  // Registers `key` for `person` (IsValidKeyPerson): one event, action
  // "register", entity "key", entity_id the key ID, after the canonical JSON
  // {"key","person","public_key"}. InvalidInput when the person is not
  // valid or a key with that ID is registered already (nothing written).
  virtual Status RegisterKey(const PublicKey& key, const std::string& person, KeyInfo* out) = 0;
  // Registered keys, in the order registered.
  virtual Status ListKeys(std::vector<KeyInfo>* out) = 0;
  // Seals the log head: in one transaction, reads the newest event (seq and
  // hash), signs SealMessage() of (workspace ID, seq, hash, now, the key's
  // person, key ID) with `key` and appends one event recording the seal
  // (action "seal", entity "seal", entity_id the sealed seq, after the
  // canonical JSON {"at","hash","key","seq","signature","signer",
  // "workspace"}). So the seal's own event comes after the head it seals.
  // NotFound when the key is not registered; InvalidInput when the log is
  // empty or the secret key does not match the registered public key.
  virtual Status Seal(const SecretKey& key, SealInfo* out) = 0;
  // Recorded seals, oldest first.
  virtual Status ListSeals(std::vector<SealInfo>* out) = 0;
  // The newest seal recorded by an event at or before `up_to_event` (0: the
  // newest of all). *found is false (and *out empty) when there is none.
  // Reports use it to state the latest seal as of their log position.
  virtual Status LatestSeal(int64_t up_to_event, SealInfo* out, bool* found) = 0;
  // Whether the workspace still holds the head `seal` seals (a seal line
  // kept outside, ParseSealLine): the signature must verify with `key` when
  // given (else with the key registered under the seal's key ID), the
  // workspace ID must be this one's, and the event at seal.seq must exist
  // and have seal.hash. Corruption says what does not hold (a rewritten,
  // truncated or emptied log; a forged or altered seal; a key whose
  // registration was removed). InvalidInput when `key` is not the seal's key.
  virtual Status CheckSeal(const SealInfo& seal, const PublicKey* key) = 0;

  // --- Accounts (schema version 7; docs/ACCOUNTS.md) -----------------------
  // Accounts belong to the whole workspace: their events have assessment ""
  // and entity "account"; the event holds the account's canonical JSON
  // (id, name, person, roles, client, until, disabled, password_set) and
  // never the password hash, which is stored beside the row. VerifyLog
  // compares every account row with its event.
  //
  // Creates the account, or stores a new version of it (kUnchanged when
  // identical): one event, action "create" or "update". `password_hash`
  // (HashPassword) is required to create; "" keeps the current one; a new
  // one sets password_set to the event's time. InvalidInput (nothing
  // written) when CheckAccount fails, without a hash for a new account, or
  // when the first account of a workspace is not an admin (nobody could
  // manage the others). With accounts, only an admin may write accounts.
  virtual Status PutAccount(const Account& account, const std::string& password_hash, WriteResult* result) = 0;
  // Accounts, sorted by ID (current versions).
  virtual Status ListAccounts(std::vector<Account>* out) = 0;
  // One account and its password hash (may be null). NotFound, with the
  // nearest IDs, when absent.
  virtual Status GetAccount(const std::string& id, Account* out, std::string* password_hash) = 0;
  // Whether the workspace has any account (false before schema version 7).
  virtual Status HasAccounts(bool* has) = 0;
  // Whether WorkspaceOptions::user may read assessment `assessment` (client
  // "") or the audit records and reports of client `client` (assessment
  // ""): OK without a user or without accounts; PermissionDenied (and one
  // "access" event) for an account that is disabled, past its until, a
  // client representative reading another client or any assessment.
  virtual Status AuthorizeRead(const std::string& assessment, const std::string& client) = 0;

  // --- Import --------------------------------------------------------------
  // Imports `text`: JSON (schemas/assessment.schema.json: a whole
  // assessment or a batch of ratings) or CSV ratings (docs/WORKSPACE.md),
  // decided by content; `name` is used in messages. Every problem is
  // collected into report->problems and the result is InvalidInput without
  // writing anything; otherwise all records are written in one transaction,
  // the other records one event each, the ratings as one batch with one
  // event (nothing is written when dry_run).
  virtual Status ImportText(const std::string& text, const std::string& name, const ImportOptions& options,
                            ImportReport* report) = 0;

  // --- Defined in terms of the calls above (not virtual) -------------------
  // LatestSeal(0, out, found): the newest seal of all.
  Status LatestSeal(SealInfo* out, bool* found) { return LatestSeal(0, out, found); }
  // ReadSnapshot's data alone.
  Status ReadSnapshot(const std::string& assessment, AssessmentData* data);
  // The account `id` when `password` is its password and it is active on
  // `today` (AccountActive). PermissionDenied "unknown user or wrong
  // password" alike for an unknown ID and a wrong password (the caller
  // cannot tell which); PermissionDenied saying why for a disabled or
  // expired account whose password matched.
  Status Authenticate(const std::string& id, const std::string& password, const std::string& today, Account* out);
  // Reads the file at `path` (refused above options.max_bytes) and imports it.
  Status Import(const std::string& path, const ImportOptions& options, ImportReport* report);
  // The assessment as JSON in the import format (ExportJson of one snapshot):
  // importing it into an empty workspace and exporting again gives the same bytes.
  Status Export(const std::string& assessment, std::string* json);
};

// Whether `path` names a database server (a postgresql:// or postgres://
// URI) rather than an SQLite file.
bool IsServerLocation(const std::string& path);

// The import format of one snapshot (what Workspace::Export writes): scope
// in the order scoped, every other section sorted by key.
std::string ExportJson(const AssessmentData& data);

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
