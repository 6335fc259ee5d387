// Internal: the small SQL layer the store runs on (store*.cc), with an
// SQLite implementation (sql_sqlite.cc) and a PostgreSQL one (sql_pg.cc).
//
// The store writes one SQL text for both: positional parameters `?N` or `?`
// (translated to `$N` for PostgreSQL), the subset of SQL both engines speak
// (upserts as INSERT ... ON CONFLICT, no scalar max(a, b), IN (SELECT ...)).
// What differs lives here and nowhere else: opening, the schema's DDL and
// version, transaction kinds, integrity checks, bulk-load tuning, backups.
//
// Errors are thrown as sql::Error (carrying a portable code and the engine's
// own message); the store turns them into a Status at its boundary
// (SqlError in store.cc). Not thread-safe: one Connection per thread.
#ifndef ASSAY_ENGINE_STORE_SQL_H_
#define ASSAY_ENGINE_STORE_SQL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace assay::internal::sql {

enum class Dialect { kSqlite, kPostgres };

// The portable meaning of an engine error.
enum class ErrorCode {
  kOther,
  kBusy,      // another writer holds the lock longer than the busy timeout
  kNotADb,    // the file is not a database
  kCorrupt,   // damaged storage
  kReadOnly,  // no write permission
  kCantOpen,  // cannot open the file or reach the server
  kConstraint,  // a UNIQUE, CHECK or foreign key constraint failed
};

class Error : public std::runtime_error {
 public:
  // `native` is the engine's own code (SQLite's extended result code; 0 for PostgreSQL).
  Error(ErrorCode code, int native, const std::string& message)
      : std::runtime_error(message), code_(code), native_(native) {}
  ErrorCode code() const { return code_; }
  int native() const { return native_; }

 private:
  ErrorCode code_;
  int native_;
};

// One prepared statement of a backend (see Statement).
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void BindText(int i, std::string_view v, bool copy) = 0;
  virtual void BindInt(int i, int64_t v) = 0;
  virtual void BindNull(int i) = 0;
  virtual bool Step() = 0;
  virtual void Reset() = 0;
  virtual std::string_view Text(int col) = 0;
  virtual int64_t Int64(int col) = 0;
  virtual bool IsNull(int col) = 0;
};

// How a transaction reads and locks.
enum class Tx {
  // One consistent snapshot for every statement; never blocks a writer.
  kRead,
  // Serialized with every other kWrite of the workspace from its start
  // (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level advisory lock
  // taken first), waiting up to the busy timeout.
  kWrite,
};

// A database connection.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Prepares `sql` (one statement, `?N` or `?` parameters). `persistent`
  // hints that it is kept and reused (Statement::Reset).
  virtual std::unique_ptr<StatementImpl> Prepare(std::string_view sql, bool persistent) = 0;
  // Runs a script of statements without parameters or results.
  virtual void Exec(const std::string& script) = 0;
  virtual void Begin(Tx kind) = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;  // never throws

  // --- What differs between engines ---
  // The integrity problems the engine finds in its own structures (indexes
  // against tables, damaged pages), at most `max`; empty when sound.
  virtual std::vector<std::string> IntegrityProblems(int max) = 0;
  // While a large batch is written: more cache (true), then back (false). Best effort.
  virtual void BulkLoad(bool on) = 0;

  // Called by a Transaction right after it rolled back (not after a
  // commit), outside any transaction; it must not throw. The store writes
  // a refused attempt there (store_accounts.cc). Default: none.
  std::function<void()> after_rollback;
};

// A prepared statement: bind parameters (1-based), step through the rows,
// read columns (0-based). Column text views live until the next Step,
// Reset or destruction. NULL reads as "" or 0 (IsNull tells).
class Statement {
 public:
  Statement(Connection& db, std::string_view sql) : impl_(db.Prepare(sql, false)) {}
  Statement(Connection& db, std::string_view sql, bool persistent) : impl_(db.Prepare(sql, persistent)) {}

  // Text, copied.
  void Bind(int i, std::string_view v) { impl_->BindText(i, v, true); }
  void Bind(int i, const std::string& v) { impl_->BindText(i, v, true); }
  void Bind(int i, const char* v) { impl_->BindText(i, v, true); }
  // Text not copied: the bytes must stay unchanged until the statement is
  // stepped to its end or reset (the hot paths).
  void BindNoCopy(int i, std::string_view v) { impl_->BindText(i, v, false); }
  // As BindNoCopy, NULL for "".
  void BindNoCopyOrNull(int i, std::string_view v) {
    if (v.empty())
      impl_->BindNull(i);
    else
      impl_->BindText(i, v, false);
  }
  void Bind(int i, int64_t v) { impl_->BindInt(i, v); }
  void Bind(int i, int v) { impl_->BindInt(i, v); }
  void BindNull(int i) { impl_->BindNull(i); }

  // The next row: true when one is ready, false at the end.
  bool Step() { return impl_->Step(); }
  // Runs a statement that returns no rows to its end.
  void Exec() {
    while (impl_->Step()) {
    }
  }
  // Ready to run again, every parameter unbound.
  void Reset() { impl_->Reset(); }

  std::string_view Text(int col) { return impl_->Text(col); }
  std::string String(int col) { return std::string(impl_->Text(col)); }
  int64_t Int64(int col) { return impl_->Int64(col); }
  int Int(int col) { return static_cast<int>(impl_->Int64(col)); }
  bool IsNull(int col) { return impl_->IsNull(col); }

 private:
  std::unique_ptr<StatementImpl> impl_;
};

// A transaction: rolled back on destruction unless committed.
class Transaction {
 public:
  Transaction(Connection& db, Tx kind) : db_(db) { db_.Begin(kind); }
  ~Transaction() {
    if (done_) return;
    db_.Rollback();
    if (db_.after_rollback) db_.after_rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit() {
    db_.Commit();
    done_ = true;
  }

 private:
  Connection& db_;
  bool done_ = false;
};

// `sql` with `?N` and `?` placeholders as PostgreSQL's `$N` (a bare `?` is
// one more than the previous parameter); text in quotes is left alone.
std::string PostgresPlaceholders(std::string_view sql);

// Runs `sql` and returns column 0 of its first row as a number (0 when none).
int64_t QueryInt64(Connection& db, std::string_view sql);

}  // namespace assay::internal::sql

#endif  // ASSAY_ENGINE_STORE_SQL_H_
