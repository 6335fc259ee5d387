// Internal: the SQLite implementation of Workspace (store.cc, store_import.cc).
#ifndef ASSAY_ENGINE_STORE_IMPL_H_
#define ASSAY_ENGINE_STORE_IMPL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/store.h"
#include "store/sql.h"
#include "store/store_internal.h"

namespace assay::internal {

// --- Ratings (schema version 4: the typed `ratings` table; store_ratings.cc) ---

// The stored columns of one rating, as views ("" = absent, stored as NULL).
// reasons and evidence are JSON array text (JsonListText) or "".
struct RatingFields {
  std::string_view assessment, instance, item, assessor, process, item_kind, value, strength, weakness, reasons,
      evidence, rated_at, justification;
  bool consolidated = false;
};

// Views of a Rating's fields; *reasons and *evidence hold the list texts.
RatingFields FieldsOf(const std::string& assessment, const Rating& r, std::string* reasons, std::string* evidence);
// The Rating a row holds (lists parsed); InvalidInput when a list is not a
// JSON array of strings.
Status RatingOf(const RatingFields& f, Rating* r);
// Whether two ratings have the same content apart from rated_at.
bool SameRatingContent(const RatingFields& a, const RatingFields& b);

// RatingKey(r) from its parts, without building JSON: the canonical JSON
// array ["instance","item","assessor"] ("" assessor when consolidated).
std::string RatingKeyText(std::string_view instance, std::string_view item, std::string_view assessor);
// Appends `s` as a JSON string, escaped as nlohmann::json::dump() does
// (ensure_ascii off: UTF-8 is copied as is).
void AppendJsonText(std::string* out, std::string_view s);
// ["a","b"] for a non-empty list, "" for an empty one.
std::string JsonListText(const std::vector<std::string>& list);
void AppendJsonList(std::string* out, const std::vector<std::string_view>& list);
bool ParseJsonList(std::string_view text, std::vector<std::string>* out);
// Appends the canonical row content of a rating row (what an import event's
// digest covers; docs/WORKSPACE.md): every field as <decimal length>:<bytes>,
// in the order row, assessment, instance, item, assessor, consolidated,
// process, item_kind, value, strength, weakness, reasons, evidence,
// rated_at, justification, supersedes ("" when none).
void AppendRowContent(std::string* out, int64_t row, const RatingFields& f, int64_t supersedes);

// The condition that selects, of the rows `r` of `records` (or of
// `audit_records`, or of `ratings`), the versions current right after event ?2: written by an
// event up to ?2 and not superseded by a row written up to ?2.
inline constexpr const char* kVersionAtSeq =
    "r.event_seq <= ?2 AND (r.superseded_by IS NULL OR "
    "(SELECT s.event_seq FROM records s WHERE s.row_id = r.superseded_by) > ?2)";
// (kAuditVersionAtSeq takes the event as ?1.)
inline constexpr const char* kAuditVersionAtSeq =
    "r.event_seq <= ?1 AND (r.superseded_by IS NULL OR "
    "(SELECT s.event_seq FROM audit_records s WHERE s.row_id = r.superseded_by) > ?1)";
inline constexpr const char* kRatingVersionAtSeq =
    "r.event_seq <= ?2 AND (r.superseded_by IS NULL OR "
    "(SELECT s.event_seq FROM ratings s WHERE s.row_id = r.superseded_by) > ?2)";

// The columns a rating is read from, in RatingFields order after row_id.
inline constexpr const char* kRatingColumns =
    "assessment, instance, item, assessor, consolidated, process, item_kind, value, strength, weakness, reasons, "
    "evidence, rated_at, justification";

// The RatingFields of columns first..first+13 of a row (kRatingColumns
// order). The views live until the statement steps again.
RatingFields FieldsFromColumns(sql::Statement& st, int first);

// Incremental SHA-256 (OpenSSL EVP).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view bytes);
  std::string HexDigest();  // finishes; call once

 private:
  void* ctx_;
};

// The SQLite implementation of Workspace (store.cc: opening, migrations,
// records and the log; store_ratings.cc: the ratings table; store_import.cc:
// import). One connection; every write one IMMEDIATE transaction, every read
// one deferred (snapshot) transaction; WAL mode lets readers and the writer
// proceed side by side.
class SqlWorkspace final : public Workspace {
 public:
  SqlWorkspace(std::string path, WorkspaceOptions options, std::unique_ptr<sql::Connection> db, int version);
  ~SqlWorkspace() override;

  // Workspace (see store.h).
  const std::string& path() const override { return path_; }
  int schema_version() const override { return version_; }
  Status Backup(const std::string& dest) override;
  Status CopyInto(Workspace* dest, CopyReport* report) override;  // store_copy.cc
  Status CreateAssessment(const Assessment& assessment, WriteResult* result) override;
  Status UpdateAssessment(const Assessment& assessment, WriteResult* result) override;
  Status SetStatus(const std::string& id, AssessmentStatus to, WriteResult* result) override;
  Status ListAssessments(std::vector<Assessment>* out) override;
  Status GetAssessment(const std::string& id, Assessment* out) override;
  Status LatestAssessment(std::string* id) override;
  Status PutScope(const std::string& assessment, const ScopedProcess& scope, WriteResult* result) override;
  Status PutUnit(const std::string& assessment, const OrgUnit& unit, WriteResult* result) override;
  Status PutInstance(const std::string& assessment, const ProcessInstance& instance, WriteResult* result) override;
  Status PutPerson(const std::string& assessment, const Person& person, WriteResult* result) override;
  Status PutInterview(const std::string& assessment, const Interview& interview, WriteResult* result) override;
  Status PutEvidence(const std::string& assessment, const Evidence& evidence, WriteResult* result) override;
  Status Rate(const std::string& assessment, const Rating& rating, WriteResult* result) override;
  Status RateAtVersion(const std::string& assessment, const Rating& rating, int64_t expected_version,
                       WriteResult* result) override;
  // Evidence files (store_files.cc).
  Status KeepEvidenceFile(const std::string& assessment, const std::string& evidence, const std::string& bytes,
                          WriteResult* result) override;
  Status ReadKeptFile(const std::string& sha256, std::string* bytes) override;
  Status ListKeptFiles(std::vector<KeptFile>* out) override;
  Status ReadSnapshot(const std::string& id, const SnapshotOptions& options, Snapshot* out) override;
  using Workspace::ReadSnapshot;
  Status RatingHistory(const std::string& id, const std::string& instance, const std::string& item,
                       std::vector<Rating>* versions) override;
  Status ReadLog(const std::string& id, std::vector<Event>* events) override;
  Status LogPositionAt(const std::string& until, int64_t* seq, std::string* hash) override;
  Status VerifyLog(VerifyReport* report) override;
  Status ImportText(const std::string& text, const std::string& name, const ImportOptions& options,
                    ImportReport* report) override;
  // The people registry (store_people.cc).
  Status RegisterPerson(const RegisteredPerson& person, WriteResult* result) override;
  Status ListPeople(std::vector<RegisteredPerson>* out) override;
  Status GetPerson(const std::string& id, RegisteredPerson* out) override;
  // Withdrawal (store_withdraw.cc).
  Status Withdraw(const std::string& assessment, const Withdrawal& what, WriteResult* result) override;
  // Hand-outs and merge (store_merge.cc).
  Status Handout(const std::string& assessment, const std::string& person, const std::string& dest,
                 HandoutInfo* out) override;
  Status Merge(const std::vector<std::string>& files, const MergeOptions& options, MergeReport* report) override;
  // Keys and seals (store_trust.cc).
  Status WorkspaceId(std::string* id) override;
  Status RegisterKey(const PublicKey& key, const std::string& person, KeyInfo* out) override;
  Status ListKeys(std::vector<KeyInfo>* out) override;
  Status Seal(const SecretKey& key, SealInfo* out) override;
  Status ListSeals(std::vector<SealInfo>* out) override;
  Status LatestSeal(int64_t up_to_event, SealInfo* out, bool* found) override;
  using Workspace::LatestSeal;
  Status CheckSeal(const SealInfo& seal, const PublicKey* key) override;
  // Accounts and permissions (store_accounts.cc).
  Status PutAccount(const Account& account, const std::string& password_hash, WriteResult* result) override;
  Status ListAccounts(std::vector<Account>* out) override;
  Status GetAccount(const std::string& id, Account* out, std::string* password_hash) override;
  Status HasAccounts(bool* has) override;
  Status AuthorizeRead(const std::string& assessment, const std::string& client) override;

  // --- Building blocks (callers hold a transaction) ---
  // Loads the current records of `id`; NotFound (with nearest IDs) when absent.
  // With `need_model`, resolves the pinned model too (checking its hash).
  // With at_seq > 0, the records as they were right after event at_seq
  // (SnapshotOptions::at_seq).
  Status LoadContext(const std::string& id, bool need_model, Context* ctx, int64_t at_seq = 0);
  // Resolves a model pack and checks `hash` when not empty.
  Status ResolveModel(const std::string& id, const std::string& version, const std::string& hash,
                      std::shared_ptr<const Model>* model);
  // Makes `text` (canonical JSON) the current version of (kind, key) of
  // ctx's assessment, unless identical; appends the event; records the row
  // in ctx->rows. With write == false only ctx is updated (dry run). The
  // caller adds the typed record to ctx.
  Status Apply(Context* ctx, const std::string& kind, const std::string& key, const std::string& text,
               const std::string& action, bool write, WriteResult* result);
  // As above, for a record given as JSON (the audit store's records).
  Status Apply(Context* ctx, const std::string& kind, const std::string& key, const nlohmann::json& data,
               const std::string& action, bool write, WriteResult* result);
  // A typed record (not a rating): encoded once, applied, added to ctx.
  template <typename R>
  Status ApplyRecord(Context* ctx, const R& record, const std::string& action, bool write, WriteResult* result);
  // Writes the tombstone of the current rating `w` names (store_withdraw.cc).
  Status WithdrawRating(Context* ctx, const Withdrawal& w, WriteResult* result);
  // A team member about to be written (schema 6): registers the ID when it
  // is new (one event; nothing with write == false), takes the registered
  // name when none is given, refuses another name (store.h, PutPerson).
  Status SyncTeamMember(Person* member, bool write);
  // A validated rating: one row in `ratings`, one event (schema 4); a record
  // row before schema version 4.
  Status ApplyRating(Context* ctx, const Rating& rating, bool write, WriteResult* result);
  // Sorts `scope` (records of assessment `id`) into the order in which the
  // processes were scoped. The caller holds a transaction.
  void SortScope(const std::string& id, std::vector<ScopedProcess>* scope, int64_t at_seq = 0);
  std::string Now() const;
  // Who and when the events Apply and ApplyRating append are by: the
  // workspace's actor and clock, or, while a merge writes a hand-out's
  // version, that version's origin (its actor, time and, when not empty,
  // action). With accounts, Authorize checks such a write against the
  // signed-in user and also against what `person` (the hand-out's person,
  // when not empty) may write.
  struct Origin {
    std::string actor, at, action;
    std::string person;
  };
  const Origin* origin() const { return origin_; }
  void set_origin(const Origin* origin) { origin_ = origin; }

  // --- Ratings (store_ratings.cc) ---
  // The next record row ID (rows of `records`, `ratings` and
  // `audit_records` share one sequence) and the next event's seq and
  // prev_hash.
  void NextRowAndEvent(int64_t* row, int64_t* seq, std::string* prev_hash);
  // Computes e->hash and inserts the event.
  void InsertEvent(Event* e);
  // A kept evidence file: its "keep" event `e` (at, actor, assessment and
  // after set by the caller; seq, prev_hash, row, action and entity filled
  // here) and its row in files, content in base64. Inside the caller's
  // write transaction.
  void InsertKeptFile(Event* e, const std::string& sha256, int64_t size, const std::string& base64);
  // Inserts one rating row; marks `supersedes` (when not 0) superseded by it.
  void InsertRating(int64_t row, const RatingFields& f, int64_t supersedes, int64_t event_seq);
  // The current rating of (instance, item, assessor) in `assessment`.
  // false when none.
  Status RateIf(const std::string& assessment, const Rating& rating, const int64_t* expected_version,
                WriteResult* result);
  // Conflict unless the current version of `rating`'s key is `expected`
  // (RateAtVersion); inside the caller's write transaction.
  Status CheckRatingVersion(const std::string& assessment, const Rating& rating, int64_t expected);
  bool FindCurrentRating(const std::string& assessment, std::string_view instance, std::string_view item,
                         std::string_view assessor, int64_t* row, Rating* rating);
  // Reads one rating row by its row ID (false when absent).
  bool ReadRatingRow(int64_t row, std::string* assessment, Rating* rating, int64_t* supersedes);
  // The current ratings of an assessment, ordered by RatingKey, with row IDs.
  // With at_seq > 0: the ratings current right after event at_seq.
  // results_only: the fields SnapshotOptions::results_only names, the others empty.
  Status ReadCurrentRatings(const std::string& assessment, std::vector<Rating>* out, int64_t at_seq = 0,
                            bool results_only = false);
  // The current ratings of `id`: from the ratings table, or (before schema
  // version 4) from ctx.
  Status CurrentRatings(const std::string& id, const Context& ctx, std::vector<Rating>* out, int64_t at_seq = 0,
                        bool results_only = false);
  // VerifyLog's part for the ratings table: reports problems by event seq.
  Status VerifyRatings(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
                       int64_t* rows_checked, std::vector<int64_t>* rating_rows);

  // VerifyLog's part for keys and seals (store_trust.cc): every key and
  // seal row against its event, every seal's signature and sealed head,
  // every key or seal event's row; problems by event seq.
  Status VerifyTrust(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
                     VerifyReport* report);
  // VerifyLog's part for accounts (store_accounts.cc): every account row
  // against its event, every account event's row.
  Status VerifyAccounts(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
                        int64_t* rows_checked);
  // VerifyLog's part for kept evidence files (store_files.cc): every file
  // row against its event and its content against its SHA-256, every file
  // event's row.
  Status VerifyFiles(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
                     int64_t* files_checked);
  // With accounts: throws PermissionError when options().user may not
  // write event `e`, having noted the attempt, which is appended to the
  // log once the write's transaction has rolled back (InsertEvent calls it).
  void Authorize(const Event& e);
  // With accounts and a user, a rule of the write path (the audit store's
  // impartiality of a decision maker) that refuses `s` becomes
  // PermissionDenied with the attempt logged; otherwise `s` as it is. The
  // caller holds the write transaction.
  Status RefusalFor(const Status& s, const std::string& assessment, const std::string& entity, const std::string& id);
  // VerifyLog's part for merge records (store_merge.cc): each recorded
  // hand-out chain from the base to its head, the events traced to it, its
  // seals with the keys registered here; problems by the record's event.
  Status VerifyMerges(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
                      VerifyReport* report);
  // PRAGMA integrity_check: Corruption naming the first problems (an index
  // out of step with its table, a damaged page). The caller holds a
  // transaction.
  Status CheckIntegrity();

  // A prepared statement kept for the life of the connection: compiled on
  // first use, reset and unbound on every later one (Apply's hot path).
  sql::Statement& Cached(std::unique_ptr<sql::Statement>* slot, const char* sql);
  sql::Connection& db() { return *db_; }
  const WorkspaceOptions& options() const { return options_; }

 private:
  // Import phases (store_import.cc).
  class Importer;
  // Backup of a workspace that is not an SQLite file (store.cc).
  Status BackupByCopy(const std::string& dest);
  // Writes one typed record in its own transaction (the Put* calls).
  template <typename R>
  Status Put(const std::string& assessment, R record, WriteResult* result);
  // The newest event of `id` (up to at_seq when > 0): seq and hash (0 and
  // "" when none).
  void LogHead(const std::string& id, int64_t* seq, std::string* hash, int64_t at_seq = 0);

  std::string path_;
  WorkspaceOptions options_;
  std::unique_ptr<sql::Connection> db_;
  int version_ = 0;
  std::map<std::string, std::shared_ptr<const Model>> models_;  // by "id@version"
  const Origin* origin_ = nullptr;  // see origin()
  // A refused attempt waiting for its transaction to roll back
  // (Authorize), written by WriteRefusal; empty after_json when none.
  Event refusal_;
  bool writing_refusal_ = false;
  void WriteRefusal();
  // Why options_.user may not write `e` ("" when it may); *account gets
  // the account (the caller holds the write transaction).
  std::string WhyRefused(const Event& e);
  // Why no account acting as `person` may write `e` ("" when one may): what
  // a merged hand-out of `person` brings must be theirs to write.
  std::string WhyHandoutRefused(const std::string& person, const Event& e);
  std::string WhyReadRefused(const std::string& assessment, const std::string& client);
  void NoteRefusal(const std::string& assessment, const std::string& entity, const std::string& action,
                   const std::string& id, const std::string& why);
  // Apply's statements (declared after db_, so destroyed before it).
  std::unique_ptr<sql::Statement> st_head_, st_max_row_, st_event_, st_supersede_, st_record_;
  std::unique_ptr<sql::Statement> st_audit_supersede_, st_audit_record_;  // audit_records (schema 9)
  // Rating statements (store_ratings.cc).
  std::unique_ptr<sql::Statement> st_rating_supersede_, raw_insert_, raw_current_, raw_row_;
};

// A write the signed-in account may not make (Authorize): SqlError turns it
// into PermissionDenied.
class PermissionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The audit store's name for the implementation.
using WorkspaceImpl = SqlWorkspace;

// An import's ratings: validated ratings are streamed into the `ratings`
// table as they come, and one event (action "import") records the batch:
// its source, counts and the SHA-256 digest of every row it wrote, in row
// order (docs/WORKSPACE.md). Duplicates within the batch are found in
// memory (8-byte keys); the assessment's current ratings are looked up in
// one scan at Begin.
class RatingBatch {
 public:
  RatingBatch(SqlWorkspace* w, Context* ctx, bool write);
  ~RatingBatch();
  RatingBatch(const RatingBatch&) = delete;
  RatingBatch& operator=(const RatingBatch&) = delete;

  // Loads the current keys of ctx's assessment.
  Status Begin();
  // Adds one validated (normalized) rating, given by `where` (a line or an
  // index the caller maps back). *duplicate_of is the `where` of an earlier
  // rating of the batch with the same key (nothing added), else 0.
  Status Add(const RatingFields& f, uint32_t where, WriteResult::Kind* kind, uint32_t* duplicate_of);
  // After the first problem: keep checking, write nothing more (the
  // transaction rolls back).
  void StopWriting() { write_ = false; }
  // Appends the batch event when rows were written; *event is its seq (0 when none).
  Status Finish(const std::string& source_name, const std::string& source_sha256, int64_t* event);

  int created() const { return created_; }
  int updated() const { return updated_; }
  int unchanged() const { return unchanged_; }

 private:
  uint64_t Key(std::string_view instance, std::string_view item, std::string_view assessor);
  uint32_t Intern(int which, std::string_view s);

  SqlWorkspace* w_;
  Context* ctx_;
  bool write_;
  bool began_ = false;
  int64_t first_row_ = 0, next_row_ = 0, seq_ = 0;
  std::string prev_hash_;
  int created_ = 0, updated_ = 0, unchanged_ = 0;
  std::unique_ptr<Sha256> digest_;
  std::string row_buf_;
  // Interned IDs of instances, items and assessors (views into storage_).
  std::unordered_map<std::string_view, uint32_t> ids_[3];
  std::vector<std::unique_ptr<std::string>> storage_;
  // Keys seen in this batch (open addressing; 0 = empty) and where.
  std::vector<uint64_t> seen_keys_;
  std::vector<uint32_t> seen_where_;
  size_t seen_count_ = 0;
  // Current rows of the assessment before the batch, by key (0 once superseded).
  std::unordered_map<uint64_t, int64_t> existing_;
};

// "rating", "evidence", "instance", "person".
const char* WithdrawKindName(WithdrawKind k);
// Whether stored record data is a withdrawal's tombstone.
bool IsWithdrawn(const nlohmann::json& data);

// Migration 6: registers every person of the assessments' teams, one
// entry per ID (the first name recorded, the others as aliases), each with
// one event (action "migrate") by `actor` at `at`. The caller holds the
// migration's transaction.
Status SeedRegistry(sql::Connection& db, const std::string& at, const std::string& actor);

// The columns an Event is read from (EventOfRow), from column 0.
inline constexpr const char* kEventColumns =
    "seq, at, actor, assessment, action, entity, entity_id, row_id, before_json, after_json, prev_hash, hash";
Event EventOfRow(sql::Statement& q);

// The hash of a new event (SHA-256 of prev_hash + the canonical JSON of its
// content; docs/WORKSPACE.md), and whether e.hash is its hash.
std::string EventHash(const Event& e);
bool EventHashMatches(const Event& e);

// Adds one stored record (kind and canonical JSON data) to ctx's maps.
Status AddToContext(Context* ctx, const std::string& kind, const nlohmann::json& data);
// Adds one typed record to ctx's maps.
void AddToContext(Context* ctx, const Assessment& a);
void AddToContext(Context* ctx, const ScopedProcess& s);
void AddToContext(Context* ctx, const OrgUnit& u);
void AddToContext(Context* ctx, const ProcessInstance& i);
void AddToContext(Context* ctx, const Person& p);
void AddToContext(Context* ctx, const Interview& i);
void AddToContext(Context* ctx, const Evidence& e);

// The kind name of a RecordKind ("scope", ...).

// InvalidInput when the assessment is reported or closed (its records can
// no longer change).
Status CheckNotFrozen(const Assessment& a);

// Maps a SQLite exception to a Status.
Status SqliteError(const std::string& path, const std::exception& e);

// ExportJson of data read from the workspace at `path`; Corruption when
// stored text is not UTF-8 (a file changed outside assay).
Status EncodeExport(const std::string& path, const AssessmentData& data, std::string* out);
// The SHA-256 (hex) of EncodeExport's text, hashed as it is encoded
// (store_export.cc); the same Corruption.
Status ExportDigest(const std::string& path, const AssessmentData& data, std::string* sha256);

}  // namespace assay::internal

#endif  // ASSAY_ENGINE_STORE_IMPL_H_
