// Internal: the PostgreSQL implementation of the SQL layer (sql.h), over libpqxx.
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

// "" when `uri` is a connection URI libpq accepts, else why not (without connecting).
std::string WhyNotPostgresUri(const std::string& uri);

// Opens a connection to the server `uri` names. Writers wait up to
// `busy_timeout_ms` for the workspace's write lock (lock_timeout);
// `read_only` makes every transaction read-only. Throws sql::Error
// (kCantOpen when the server cannot be reached or refuses the login).
std::unique_ptr<Connection> OpenPostgres(const std::string& uri, int busy_timeout_ms, bool read_only);

}  // namespace assay::internal::sql

#endif  // ASSAY_ENGINE_STORE_SQL_PG_H_
