// Internal: the PostgreSQL implementation of the SQL layer (sql.h).
//
// It lives in a module of its own, libassay-pg.so (store/pg/sql_pg_module.cc,
// over libpqxx), loaded the first time a PostgreSQL workspace is opened:
// libpq brings two dozen shared libraries (Kerberos, LDAP, GnuTLS, ...) whose
// loading would otherwise be paid by every command, SQLite ones included.
#ifndef ASSAY_ENGINE_STORE_SQL_PG_H_
#define ASSAY_ENGINE_STORE_SQL_PG_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql.h"

namespace assay::internal::sql {

// Whether `path` names a PostgreSQL server: a postgresql:// or postgres:// URI.
bool IsPostgresUri(std::string_view path);
// The URI without its password (for messages and Workspace::path()).
std::string PostgresUriForMessages(const std::string& uri);

// "" when the PostgreSQL module is loaded (loading it the first time), else
// why it cannot be: the files tried and the loader's messages.
std::string WhyNoPostgres();

// "" when `uri` is a connection URI libpq accepts, else why not (without
// connecting). REQUIRES: WhyNoPostgres() is "".
std::string WhyNotPostgresUri(const std::string& uri);

// Opens a connection to the server `uri` names. Writers wait up to
// `busy_timeout_ms` for the workspace's write lock (lock_timeout);
// `read_only` makes every transaction read-only. Throws sql::Error
// (kCantOpen when the server cannot be reached or refuses the login).
// REQUIRES: WhyNoPostgres() is "".
std::unique_ptr<Connection> OpenPostgres(const std::string& uri, int busy_timeout_ms, bool read_only);

// What the module hands the engine: built from the same sources, checked by
// `abi` and `size` when loaded.
constexpr int kPgModuleAbi = 1;
struct PgModule {
  int abi;
  size_t size;
  std::string (*why_not_uri)(const std::string& uri);
  std::unique_ptr<Connection> (*open)(const std::string& uri, int busy_timeout_ms, bool read_only);
};

}  // namespace assay::internal::sql

// The module's one exported symbol.
#define ASSAY_PG_EXPORT __attribute__((visibility("default")))
extern "C" ASSAY_PG_EXPORT const assay::internal::sql::PgModule* assay_pg_module();

#endif  // ASSAY_ENGINE_STORE_SQL_PG_H_
