// Internal: the SQLite implementation of Workspace (store.cc, store_import.cc).
#ifndef ASSAY_ENGINE_STORE_IMPL_H_
#define ASSAY_ENGINE_STORE_IMPL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "assay/store.h"
#include "store_internal.h"

namespace assay::internal {

class WorkspaceImpl : public Workspace {
 public:
  WorkspaceImpl(std::string path, WorkspaceOptions options, std::unique_ptr<SQLite::Database> db, int version);
  ~WorkspaceImpl() override;

  const std::string& path_impl() const { return path_; }
  int version_impl() const { return version_; }

  // Public API (see store.h).
  Status DoCreateAssessment(const Assessment& assessment, WriteResult* result);
  Status DoUpdateAssessment(const Assessment& assessment, WriteResult* result);
  Status DoSetStatus(const std::string& id, AssessmentStatus to, WriteResult* result);
  Status DoListAssessments(std::vector<Assessment>* out);
  Status DoGetAssessment(const std::string& id, Assessment* out);
  Status DoLatestAssessment(std::string* id);
  Status DoReadSnapshot(const std::string& id, AssessmentData* data);
  Status DoRatingHistory(const std::string& id, const std::string& instance, const std::string& item,
                         std::vector<Rating>* versions);
  Status DoReadLog(const std::string& id, std::vector<Event>* events);
  Status DoVerifyLog(VerifyReport* report);
  Status DoImportText(const std::string& text, const std::string& name, const ImportOptions& options,
                      ImportReport* report);
  Status DoExport(const std::string& id, std::string* json);

  // A record: validates it against the context, then writes it (see Apply).
  enum class RecordKind { kScope, kUnit, kInstance, kPerson, kInterview, kEvidence, kRating };
  Status Put(const std::string& assessment, RecordKind kind, const nlohmann::json& record, WriteResult* result);

  // --- Building blocks (callers hold a transaction) ---
  // Loads the current records of `id`; NotFound (with nearest IDs) when absent.
  // With `need_model`, resolves the pinned model too (checking its hash).
  Status LoadContext(const std::string& id, bool need_model, Context* ctx);
  // Resolves a model pack and checks `hash` when not empty.
  Status ResolveModel(const std::string& id, const std::string& version, const std::string& hash,
                      std::shared_ptr<const Model>* model);
  // Validates `record` (a record of `kind` as JSON) against ctx; on success
  // *data is its canonical JSON and *key its key.
  void Prepare(const Context& ctx, RecordKind kind, const nlohmann::json& record, nlohmann::json* data,
               std::string* key, std::vector<FieldProblem>* problems);
  // Makes `data` the current version of (kind, key) of ctx's assessment,
  // unless identical; appends the event. With write == false only ctx is
  // updated (dry run).
  Status Apply(Context* ctx, const std::string& kind, const std::string& key, const nlohmann::json& data,
               const std::string& action, bool write, WriteResult* result);
  // Sorts `scope` (records of assessment `id`) into the order in which the
  // processes were scoped. The caller holds a transaction.
  void SortScope(const std::string& id, std::vector<ScopedProcess>* scope);
  std::string Now() const;
  // A prepared statement kept for the life of the connection: compiled on
  // first use, reset and unbound on every later one (Apply's hot path).
  SQLite::Statement& Cached(std::unique_ptr<SQLite::Statement>* slot, const char* sql);
  SQLite::Database& db() { return *db_; }
  const WorkspaceOptions& options() const { return options_; }

 private:
  std::string path_;
  WorkspaceOptions options_;
  std::unique_ptr<SQLite::Database> db_;
  int version_ = 0;
  std::map<std::string, std::shared_ptr<const Model>> models_;  // by "id@version"
  // Apply's statements (declared after db_, so destroyed before it).
  std::unique_ptr<SQLite::Statement> st_head_, st_max_row_, st_event_, st_supersede_, st_record_;
};

// Adds one stored record (kind and canonical JSON data) to ctx's maps.
Status AddToContext(Context* ctx, const std::string& kind, const nlohmann::json& data);

// The kind name of a RecordKind ("scope", ...).
const char* KindName(WorkspaceImpl::RecordKind kind);

// Maps a SQLite exception to a Status.
Status SqliteError(const std::string& path, const std::exception& e);

}  // namespace assay::internal

#endif  // ASSAY_ENGINE_STORE_IMPL_H_
