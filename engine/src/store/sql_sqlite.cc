// The SQLite implementation of the SQL layer (sql.h).
#include "store/sql_sqlite.h"

#include <sqlite3.h>

#include <string>

namespace assay::internal::sql {

namespace {

}  // namespace

ErrorCode SqliteErrorCode(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::kBusy;
    case SQLITE_NOTADB:
      return ErrorCode::kNotADb;
    case SQLITE_CORRUPT:
      return ErrorCode::kCorrupt;
    case SQLITE_READONLY:
      return ErrorCode::kReadOnly;
    case SQLITE_CANTOPEN:
      return ErrorCode::kCantOpen;
    case SQLITE_CONSTRAINT:
      return ErrorCode::kConstraint;
    default:
      return ErrorCode::kOther;
  }
}

namespace {

class SqliteStatement final : public StatementImpl {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql, bool persistent) : db_(db) {
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st_, nullptr);
    if (rc != SQLITE_OK) throw SqliteErrorOf(db, rc);
  }
  ~SqliteStatement() override { sqlite3_finalize(st_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void BindText(int i, std::string_view v, bool copy) override {
    Check(sqlite3_bind_text(st_, i, v.empty() ? "" : v.data(), static_cast<int>(v.size()),
                            copy ? SQLITE_TRANSIENT : SQLITE_STATIC));
  }
  void BindInt(int i, int64_t v) override { Check(sqlite3_bind_int64(st_, i, v)); }
  void BindNull(int i) override { Check(sqlite3_bind_null(st_, i)); }
  bool Step() override {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    rc = sqlite3_extended_errcode(db_);
    Error e = SqliteErrorOf(db_, rc);
    sqlite3_reset(st_);
    throw e;
  }
  void Reset() override {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  std::string_view Text(int col) override {
    const unsigned char* p = sqlite3_column_text(st_, col);
    if (!p) return std::string_view();
    return std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st_, col)));
  }
  int64_t Int64(int col) override { return sqlite3_column_int64(st_, col); }
  bool IsNull(int col) override { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK) throw SqliteErrorOf(db_, rc);
  }
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

}  // namespace

Error SqliteErrorOf(sqlite3* db, int rc) { return Error(SqliteErrorCode(rc), rc, sqlite3_errmsg(db)); }

std::unique_ptr<StatementImpl> SqliteConnection::Prepare(std::string_view sql, bool persistent) {
  return std::make_unique<SqliteStatement>(db_->getHandle(), sql, persistent);
}

void SqliteConnection::Exec(const std::string& script) {
  int rc = sqlite3_exec(db_->getHandle(), script.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw SqliteErrorOf(db_->getHandle(), sqlite3_extended_errcode(db_->getHandle()));
}

void SqliteConnection::Begin(Tx kind) { Exec(kind == Tx::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"); }

void SqliteConnection::Commit() { Exec("COMMIT"); }

void SqliteConnection::Rollback() { sqlite3_exec(db_->getHandle(), "ROLLBACK", nullptr, nullptr, nullptr); }

std::vector<std::string> SqliteConnection::IntegrityProblems(int max) {
  std::vector<std::string> out;
  Statement q(*this, "PRAGMA integrity_check(" + std::to_string(max) + ")");
  while (q.Step()) {
    std::string m = q.String(0);
    if (m != "ok") out.push_back(m);
  }
  return out;
}

// A page cache of up to 8 MiB for a batch (SQLite's default is 2 MiB): new
// ratings are appended and their index keys arrive clustered, so a larger
// cache gains nothing (measured: 64 MiB cost 75 MiB of peak memory at
// 1,000,000 ratings for no gain in time); it helps the look-ups of a
// re-import. Reads keep the default, so that a profile's memory stays flat.
void SqliteConnection::BulkLoad(bool on) {
  sqlite3_exec(db_->getHandle(), on ? "PRAGMA cache_size = -8192" : "PRAGMA cache_size = -2000", nullptr, nullptr,
               nullptr);
}

}  // namespace assay::internal::sql
