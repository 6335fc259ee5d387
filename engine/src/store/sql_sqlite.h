// Internal: the SQLite implementation of the SQL layer (sql.h).
#ifndef ASSAY_ENGINE_STORE_SQL_SQLITE_H_
#define ASSAY_ENGINE_STORE_SQL_SQLITE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sql.h"

namespace assay::internal::sql {

// A Connection over an open SQLiteCpp database (opened by OpenSqlite in
// store.cc, which checks the file first). Statements run on the raw
// sqlite3 handle: text bound without copies where asked (SQLITE_STATIC).
class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
  Dialect dialect() const override { return Dialect::kSqlite; }
  std::unique_ptr<StatementImpl> Prepare(std::string_view sql, bool persistent) override;
  void Exec(const std::string& script) override;
  void Begin(Tx kind) override;
  void Commit() override;
  void Rollback() override;
  std::vector<std::string> IntegrityProblems(int max) override;
  void BulkLoad(bool on) override;

  // The database itself (backups, the file's identity and PRAGMAs at opening).
  SQLite::Database& database() { return *db_; }

 private:
  std::unique_ptr<SQLite::Database> db_;
};

// The portable meaning of SQLite result code `rc` (primary or extended).
ErrorCode SqliteErrorCode(int rc);
// The sql::Error of SQLite result code `rc` on `db` (its message is sqlite3_errmsg).
Error SqliteErrorOf(sqlite3* db, int rc);

}  // namespace assay::internal::sql

#endif  // ASSAY_ENGINE_STORE_SQL_SQLITE_H_
