// The PostgreSQL implementation of the SQL layer (sql.h), over libpqxx: the
// module libassay-pg.so, which the engine loads (sql_pg.cc) the first time a
// workspace on a PostgreSQL server is opened, so that libpq and the libraries
// it brings (Kerberos, LDAP, GnuTLS: two dozen) are loaded by no other command.
//
// One connection, in autocommit mode between transactions; Transaction
// issues BEGIN and COMMIT itself. Statements kept by the store (persistent)
// are prepared on the server once; the others run as one parameterised
// query each. Parameters go as text, typed by the server from their context.
#include "store/sql_pg.h"

#include <cstdlib>
#include <string>

#include <libpq-fe.h>
#include <pqxx/pqxx>

namespace assay::internal::sql {

namespace {

// The advisory lock that serializes the writers of a workspace (one
// workspace per database schema): "ASSY" as in SQLite's application_id, and
// the schema.
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(1095979865, hashtext(current_schema()))";

ErrorCode CodeOfState(const std::string& state) {
  if (state == "55P03" || state == "40P01" || state == "40001") return ErrorCode::kBusy;  // lock timeout, deadlock
  if (state.rfind("23", 0) == 0) return ErrorCode::kConstraint;
  if (state == "25006") return ErrorCode::kReadOnly;
  if (state.rfind("08", 0) == 0 || state.rfind("28", 0) == 0 || state == "3D000") return ErrorCode::kCantOpen;
  if (state == "XX001" || state == "XX002") return ErrorCode::kCorrupt;
  return ErrorCode::kOther;
}

// The server's message without libpq's trailing newline (and the
// "ERROR:  " prefix).
std::string Clean(std::string m) {
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  if (m.rfind("ERROR:  ", 0) == 0) m.erase(0, 8);
  const size_t nl = m.find('\n');
  if (nl != std::string::npos) m.resize(nl);
  return m;
}

[[noreturn]] void Rethrow() {
  try {
    throw;
  } catch (const pqxx::sql_error& e) {
    throw Error(CodeOfState(e.sqlstate()), 0, Clean(e.what()));
  } catch (const pqxx::broken_connection& e) {
    throw Error(ErrorCode::kCantOpen, 0, Clean(e.what()));
  } catch (const pqxx::transaction_rollback& e) {
    throw Error(ErrorCode::kBusy, 0, Clean(e.what()));
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCode::kOther, 0, Clean(e.what()));
  }
}

class PgConnection;

class PgStatement final : public StatementImpl {
 public:
  PgStatement(PgConnection* c, std::string sql, std::string name, int params)
      : c_(c), sql_(std::move(sql)), name_(std::move(name)), values_(static_cast<size_t>(params)),
        nulls_(static_cast<size_t>(params), true) {}

  void BindText(int i, std::string_view v, bool) override {
    if (i < 1 || static_cast<size_t>(i) > values_.size()) return;  // a parameter the SQL does not use
    values_[static_cast<size_t>(i - 1)].assign(v.data(), v.size());
    nulls_[static_cast<size_t>(i - 1)] = false;
  }
  void BindInt(int i, int64_t v) override { BindText(i, std::to_string(v), true); }
  void BindNull(int i) override {
    if (i >= 1 && static_cast<size_t>(i) <= values_.size()) nulls_[static_cast<size_t>(i - 1)] = true;
  }
  bool Step() override;
  void Reset() override {
    ran_ = false;
    row_ = 0;
    result_ = pqxx::result();
    for (size_t i = 0; i < values_.size(); ++i) {
      values_[i].clear();
      nulls_[i] = true;
    }
  }
  std::string_view Text(int col) override {
    const pqxx::field f = result_[static_cast<pqxx::result::size_type>(row_ - 1)][col];
    if (f.is_null()) return std::string_view();
    return std::string_view(f.c_str(), f.size());
  }
  int64_t Int64(int col) override {
    const std::string_view t = Text(col);
    return t.empty() ? 0 : std::strtoll(std::string(t).c_str(), nullptr, 10);
  }
  bool IsNull(int col) override {
    return result_[static_cast<pqxx::result::size_type>(row_ - 1)][col].is_null();
  }

 private:
  PgConnection* c_;
  std::string sql_, name_;  // name_ "" for a one-off query
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  bool ran_ = false;
  long row_ = 0;  // the current row + 1
  pqxx::result result_;
};

class PgConnection final : public Connection {
 public:
  PgConnection(const std::string& uri, int busy_timeout_ms, bool read_only) : conn_(uri), work_(conn_) {
    work_.exec("SET lock_timeout = " + std::to_string(busy_timeout_ms > 0 ? busy_timeout_ms : 1));
    work_.exec("SET client_min_messages = warning");
    if (read_only) work_.exec("SET default_transaction_read_only = on");
  }
  Dialect dialect() const override { return Dialect::kPostgres; }
  std::unique_ptr<StatementImpl> Prepare(std::string_view sql, bool persistent) override {
    std::string text = PostgresPlaceholders(sql);
    int params = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '$') continue;
      int n = std::atoi(text.c_str() + i + 1);
      if (n > params) params = n;
    }
    std::string name;
    if (persistent) {
      name = "s" + std::to_string(++statements_);
      try {
        conn_.prepare(name, text);
      } catch (...) {
        Rethrow();
      }
    }
    return std::make_unique<PgStatement>(this, std::move(text), std::move(name), params);
  }
  void Exec(const std::string& script) override {
    try {
      work_.exec(script);
    } catch (...) {
      Rethrow();
    }
  }
  void Begin(Tx kind) override {
    if (kind == Tx::kRead) {
      Exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
      return;
    }
    // Read committed: after the lock, every statement sees what the
    // writer before committed.
    Exec("BEGIN ISOLATION LEVEL READ COMMITTED");
    Exec(kWriteLock);
  }
  void Commit() override { Exec("COMMIT"); }
  void Rollback() override {
    try {
      work_.exec("ROLLBACK");
    } catch (...) {  // never throws: the connection may be gone
    }
  }
  // PostgreSQL checks its pages as it reads them (a damaged page is an
  // error of the statement that meets it); nothing to ask here.
  std::vector<std::string> IntegrityProblems(int) override { return {}; }
  void BulkLoad(bool) override {}

  pqxx::result Run(const std::string& name, const std::string& sql, const std::vector<const char*>& params) {
    try {
      if (name.empty()) return work_.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
      return work_.exec_prepared(name, pqxx::prepare::make_dynamic_params(params));
    } catch (...) {
      Rethrow();
    }
  }

 private:
  pqxx::connection conn_;
  pqxx::nontransaction work_;
  int statements_ = 0;
};

bool PgStatement::Step() {
  if (!ran_) {
    std::vector<const char*> params(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) params[i] = nulls_[i] ? nullptr : values_[i].c_str();
    result_ = c_->Run(name_, sql_, params);
    ran_ = true;
    row_ = 0;
  }
  if (row_ >= static_cast<long>(result_.size())) return false;
  ++row_;
  return true;
}

std::string WhyNotUri(const std::string& uri) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(uri.c_str(), &err);
  std::string why;
  if (!opts) why = err ? Clean(err) : "not a connection URI";
  if (opts) PQconninfoFree(opts);
  if (err) PQfreemem(err);
  return why;
}

std::unique_ptr<Connection> Open(const std::string& uri, int busy_timeout_ms, bool read_only) {
  try {
    return std::make_unique<PgConnection>(uri, busy_timeout_ms, read_only);
  } catch (const pqxx::broken_connection& e) {
    throw Error(ErrorCode::kCantOpen, 0, Clean(e.what()));
  } catch (...) {
    Rethrow();
  }
}

}  // namespace

}  // namespace assay::internal::sql

extern "C" ASSAY_PG_EXPORT const assay::internal::sql::PgModule* assay_pg_module() {
  static const assay::internal::sql::PgModule module = {
      assay::internal::sql::kPgModuleAbi, sizeof(assay::internal::sql::PgModule),
      &assay::internal::sql::WhyNotUri, &assay::internal::sql::Open};
  return &module;
}
