// Workspace: opening, migrations, versioned writes and the hash-chained log.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <sstream>

#include "assay/text.h"
#include "store/sql_pg.h"
#include "store/sql_sqlite.h"
#include "store/store_impl.h"

namespace assay {

namespace internal {

namespace {

using nlohmann::json;

// Forward-only schema migrations: migration i brings the schema from
// version i-1 to version i. Never edit a released migration; add one.
struct Migration {
  int version;
  const char* sql;
  // Runs after `sql`, in the same transaction (when not null).
  Status (*step)(sql::Connection& db, const std::string& at, const std::string& actor) = nullptr;
};

constexpr Migration kMigrations[] = {
    {1,
     // The log: one row per write, each hash covering the previous one.
     "CREATE TABLE events ("
     "  seq INTEGER PRIMARY KEY,"
     "  at TEXT NOT NULL,"
     "  actor TEXT NOT NULL,"
     "  assessment TEXT NOT NULL,"
     "  action TEXT NOT NULL,"
     "  entity TEXT NOT NULL,"
     "  entity_id TEXT NOT NULL,"
     "  row_id INTEGER NOT NULL,"
     "  before_json TEXT,"
     "  after_json TEXT NOT NULL,"
     "  prev_hash TEXT NOT NULL,"
     "  hash TEXT NOT NULL UNIQUE);"
     // Every version of every record; never updated except to mark it superseded.
     "CREATE TABLE records ("
     "  row_id INTEGER PRIMARY KEY,"
     "  assessment TEXT NOT NULL,"
     "  kind TEXT NOT NULL CHECK (kind IN ('assessment','scope','unit','instance','person',"
     "                                    'interview','evidence','rating')),"
     "  record_key TEXT NOT NULL,"
     "  data TEXT NOT NULL,"
     "  supersedes INTEGER REFERENCES records(row_id),"
     "  superseded_by INTEGER REFERENCES records(row_id) DEFERRABLE INITIALLY DEFERRED,"
     "  is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),"
     "  event_seq INTEGER NOT NULL REFERENCES events(seq),"
     "  event_hash TEXT NOT NULL);"
     "CREATE UNIQUE INDEX records_current ON records(assessment, kind, record_key) WHERE is_current = 1;"
     "CREATE INDEX records_by_kind ON records(assessment, kind, record_key);"},
    {2,
     // Filtering the log by assessment; readable views for the sqlite3 shell.
     "CREATE INDEX events_by_assessment ON events(assessment, seq);"
     "CREATE VIEW current_ratings AS SELECT row_id, assessment,"
     "  json_extract(data, '$.process') AS process, json_extract(data, '$.instance') AS instance,"
     "  json_extract(data, '$.item') AS item, json_extract(data, '$.item_kind') AS item_kind,"
     "  json_extract(data, '$.assessor') AS assessor,"
     "  coalesce(json_extract(data, '$.consolidated'), 0) AS consolidated,"
     "  json_extract(data, '$.value') AS value, json_extract(data, '$.rated_at') AS rated_at,"
     "  supersedes, event_seq"
     "  FROM records WHERE kind = 'rating' AND is_current = 1;"
     "CREATE VIEW current_records AS SELECT row_id, assessment, kind, record_key, data, supersedes, event_seq"
     "  FROM records WHERE is_current = 1;"},
    {3,
     // The records table admits the certification-audit kinds (policy,
     // client, certificate, audit, finding, nc, decision) next to the
     // assessment kinds. SQLite cannot change a CHECK constraint in place, so
     // the table is rebuilt: renamed aside, created anew, copied row for row
     // (same row IDs, so every event still points at its row), dropped.
     // Foreign keys are deferred to the commit for the copy.
     "PRAGMA defer_foreign_keys = ON;"
     "DROP VIEW current_ratings;"
     "DROP VIEW current_records;"
     "ALTER TABLE records RENAME TO records_v2;"
     "CREATE TABLE records ("
     "  row_id INTEGER PRIMARY KEY,"
     "  assessment TEXT NOT NULL,"
     "  kind TEXT NOT NULL CHECK (kind IN ('assessment','scope','unit','instance','person',"
     "                                    'interview','evidence','rating',"
     "                                    'policy','client','certificate','audit','finding','nc','decision')),"
     "  record_key TEXT NOT NULL,"
     "  data TEXT NOT NULL,"
     "  supersedes INTEGER REFERENCES records(row_id),"
     "  superseded_by INTEGER REFERENCES records(row_id) DEFERRABLE INITIALLY DEFERRED,"
     "  is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),"
     "  event_seq INTEGER NOT NULL REFERENCES events(seq),"
     "  event_hash TEXT NOT NULL);"
     "INSERT INTO records (row_id, assessment, kind, record_key, data, supersedes, superseded_by, is_current,"
     "                     event_seq, event_hash)"
     "  SELECT row_id, assessment, kind, record_key, data, supersedes, superseded_by, is_current, event_seq,"
     "         event_hash FROM records_v2 ORDER BY row_id;"
     "DROP TABLE records_v2;"
     "CREATE UNIQUE INDEX records_current ON records(assessment, kind, record_key) WHERE is_current = 1;"
     "CREATE INDEX records_by_kind ON records(assessment, kind, record_key);"
     "CREATE VIEW current_ratings AS SELECT row_id, assessment,"
     "  json_extract(data, '$.process') AS process, json_extract(data, '$.instance') AS instance,"
     "  json_extract(data, '$.item') AS item, json_extract(data, '$.item_kind') AS item_kind,"
     "  json_extract(data, '$.assessor') AS assessor,"
     "  coalesce(json_extract(data, '$.consolidated'), 0) AS consolidated,"
     "  json_extract(data, '$.value') AS value, json_extract(data, '$.rated_at') AS rated_at,"
     "  supersedes, event_seq"
     "  FROM records WHERE kind = 'rating' AND is_current = 1;"
     "CREATE VIEW current_records AS SELECT row_id, assessment, kind, record_key, data, supersedes, event_seq"
     "  FROM records WHERE is_current = 1;"},
    {4,
     // Ratings get a typed table of their own (issue 7): an import writes
     // one narrow row per rating and one event per batch, and a profile
     // reads the columns without parsing JSON. Rows keep their row IDs, so
     // the events that wrote them still point at them; records and ratings
     // share one sequence of row IDs. records_by_kind repeated the columns of
     // records_current and is dropped.
     "PRAGMA defer_foreign_keys = ON;"
     "CREATE TABLE ratings ("
     "  row_id INTEGER PRIMARY KEY,"
     "  assessment TEXT NOT NULL,"
     "  instance TEXT NOT NULL,"
     "  item TEXT NOT NULL,"
     "  assessor TEXT NOT NULL,"
     "  consolidated INTEGER NOT NULL DEFAULT 0 CHECK (consolidated IN (0, 1)),"
     "  process TEXT,"
     "  item_kind TEXT,"
     "  value TEXT NOT NULL,"
     "  strength TEXT,"
     "  weakness TEXT,"
     "  reasons TEXT,"
     "  evidence TEXT,"
     "  rated_at TEXT,"
     "  justification TEXT,"
     "  supersedes INTEGER,"
     "  superseded_by INTEGER,"
     "  is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),"
     "  event_seq INTEGER NOT NULL);"
     "INSERT INTO ratings (row_id, assessment, instance, item, assessor, consolidated, process, item_kind, value,"
     "                     strength, weakness, reasons, evidence, rated_at, justification, supersedes,"
     "                     superseded_by, is_current, event_seq)"
     "  SELECT row_id, assessment, coalesce(json_extract(data, '$.instance'), ''),"
     "    coalesce(json_extract(data, '$.item'), ''),"
     "    CASE WHEN coalesce(json_extract(data, '$.consolidated'), 0) THEN ''"
     "         ELSE coalesce(json_extract(data, '$.assessor'), '') END,"
     "    CASE WHEN coalesce(json_extract(data, '$.consolidated'), 0) THEN 1 ELSE 0 END,"
     "    json_extract(data, '$.process'), json_extract(data, '$.item_kind'),"
     "    coalesce(json_extract(data, '$.value'), ''), json_extract(data, '$.strength'),"
     "    json_extract(data, '$.weakness'), json_extract(data, '$.reasons'), json_extract(data, '$.evidence'),"
     "    json_extract(data, '$.rated_at'), json_extract(data, '$.justification'),"
     "    supersedes, superseded_by, is_current, event_seq"
     "  FROM records WHERE kind = 'rating' ORDER BY row_id;"
     "DELETE FROM records WHERE kind = 'rating';"
     "DROP INDEX records_by_kind;"
     "CREATE UNIQUE INDEX ratings_current ON ratings(assessment, instance, item, assessor) WHERE is_current = 1;"
     "DROP VIEW current_ratings;"
     "DROP VIEW current_records;"
     "CREATE VIEW current_ratings AS SELECT row_id, assessment, process, instance, item, item_kind,"
     "  nullif(assessor, '') AS assessor, consolidated, value, rated_at, supersedes, event_seq"
     "  FROM ratings WHERE is_current = 1;"
     "CREATE VIEW current_records AS"
     "  SELECT row_id, assessment, kind, record_key, data, supersedes, event_seq FROM records WHERE is_current = 1"
     "  UNION ALL SELECT row_id, assessment, 'rating', json_array(instance, item, assessor),"
     "    json_patch('{}', json_object('assessor', nullif(assessor, ''),"
     "      'consolidated', CASE WHEN consolidated THEN json('true') END, 'evidence', json(evidence),"
     "      'instance', instance, 'item', item, 'item_kind', item_kind, 'justification', justification,"
     "      'process', process, 'rated_at', rated_at, 'reasons', json(reasons), 'strength', strength,"
     "      'value', value, 'weakness', weakness)),"
     "    supersedes, event_seq FROM ratings WHERE is_current = 1;"},
    {5,
     // Keys and seals (issue 14, docs/TRUST.md): the workspace gets a random
     // ID that seals name; registered public keys and recorded seals each
     // get a table, their rows written with one event each (assessment '').
     "CREATE TABLE workspace_info (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
     "INSERT INTO workspace_info (name, value) VALUES ('id', lower(hex(randomblob(16))));"
     "CREATE TABLE keys ("
     "  row_id INTEGER PRIMARY KEY,"
     "  key_id TEXT NOT NULL UNIQUE,"
     "  person TEXT NOT NULL,"
     "  public_key TEXT NOT NULL,"
     "  event_seq INTEGER NOT NULL);"
     "CREATE TABLE seals ("
     "  row_id INTEGER PRIMARY KEY,"
     "  workspace TEXT NOT NULL,"
     "  seq INTEGER NOT NULL,"
     "  hash TEXT NOT NULL,"
     "  at TEXT NOT NULL,"
     "  signer TEXT NOT NULL,"
     "  key_id TEXT NOT NULL,"
     "  signature TEXT NOT NULL,"
     "  event_seq INTEGER NOT NULL);"},
    {6,
     // The people registry (issue 15, docs/TEAMWORK.md): records of
     // assessment '' and kind 'person', logged like every record. The step
     // registers the people of every team (one event each, action 'migrate').
     "CREATE VIEW people AS SELECT record_key AS id, json_extract(data, '$.name') AS name,"
     "  json_extract(data, '$.organization') AS organization, data, event_seq"
     "  FROM records WHERE assessment = '' AND kind = 'person' AND is_current = 1;",
     SeedRegistry},
    {7,
     // Accounts (issue 21, docs/ACCOUNTS.md): one row per version, the
     // canonical JSON its event holds, and the Argon2id password hash, which
     // is never in the log. Refused attempts are events only (entity 'access').
     "CREATE TABLE accounts ("
     "  row_id INTEGER PRIMARY KEY,"
     "  account TEXT NOT NULL,"
     "  data TEXT NOT NULL,"
     "  password_hash TEXT NOT NULL,"
     "  supersedes INTEGER,"
     "  is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),"
     "  event_seq INTEGER NOT NULL);"
     "CREATE UNIQUE INDEX accounts_current ON accounts(account) WHERE is_current = 1;"},
    {8,
     // Evidence files kept in the workspace (issue 16, docs/WORKSPACE.md):
     // one row per content, keyed by SHA-256, the bytes as base64 text,
     // written with one event of entity 'file'.
     "CREATE TABLE files ("
     "  row_id INTEGER PRIMARY KEY,"
     "  sha256 TEXT NOT NULL UNIQUE,"
     "  size INTEGER NOT NULL,"
     "  content TEXT NOT NULL,"
     "  event_seq INTEGER NOT NULL);"},
    {9,
     // Certification-audit records get a table of their own (issue 13):
     // the rows of the " audit:CLIENT" subjects move out of records with
     // their row IDs (one sequence with records and ratings), so the events
     // that wrote them still name their rows; the events are not touched
     // (their assessment stays " audit:CLIENT": the log is never rewritten).
     // One pass over records (foreign keys are off during migrations, so the
     // DELETE checks no reference row by row) and an append in row order.
     "CREATE TABLE audit_records ("
     "  row_id INTEGER PRIMARY KEY,"
     "  client TEXT NOT NULL,"
     "  kind TEXT NOT NULL,"
     "  record_key TEXT NOT NULL,"
     "  data TEXT NOT NULL,"
     "  supersedes INTEGER,"
     "  superseded_by INTEGER,"
     "  is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),"
     "  event_seq INTEGER NOT NULL,"
     "  event_hash TEXT NOT NULL);"
     "INSERT INTO audit_records (row_id, client, kind, record_key, data, supersedes, superseded_by, is_current,"
     "                           event_seq, event_hash)"
     "  SELECT row_id, substr(assessment, 8), kind, record_key, data, supersedes, superseded_by, is_current,"
     "         event_seq, event_hash FROM records WHERE substr(assessment, 1, 7) = ' audit:' ORDER BY row_id;"
     "DELETE FROM records WHERE substr(assessment, 1, 7) = ' audit:';"
     "CREATE UNIQUE INDEX audit_records_current ON audit_records(client, record_key) WHERE is_current = 1;"},
};

// --- PostgreSQL (sql_pg.cc): the schema at version 6, the first
// PostgreSQL had; kPostgresMigrations, the later steps of kMigrations in
// PostgreSQL's dialect, bring it to the current version, both for a new
// database (in the transaction that creates it) and for one an older
// assay made. Text columns
// compare bytewise (COLLATE "C"), as SQLite's do, so every ORDER BY gives
// the same order on both.
constexpr const char* kPostgresSchema =
    "CREATE TABLE workspace_info (name TEXT COLLATE \"C\" PRIMARY KEY, value TEXT COLLATE \"C\" NOT NULL);"
    "CREATE TABLE events ("
    "  seq BIGINT PRIMARY KEY,"
    "  at TEXT COLLATE \"C\" NOT NULL,"
    "  actor TEXT COLLATE \"C\" NOT NULL,"
    "  assessment TEXT COLLATE \"C\" NOT NULL,"
    "  action TEXT COLLATE \"C\" NOT NULL,"
    "  entity TEXT COLLATE \"C\" NOT NULL,"
    "  entity_id TEXT COLLATE \"C\" NOT NULL,"
    "  row_id BIGINT NOT NULL,"
    "  before_json TEXT COLLATE \"C\","
    "  after_json TEXT COLLATE \"C\" NOT NULL,"
    "  prev_hash TEXT COLLATE \"C\" NOT NULL,"
    "  hash TEXT COLLATE \"C\" NOT NULL UNIQUE);"
    "CREATE INDEX events_by_assessment ON events(assessment, seq);"
    "CREATE TABLE records ("
    "  row_id BIGINT PRIMARY KEY,"
    "  assessment TEXT COLLATE \"C\" NOT NULL,"
    "  kind TEXT COLLATE \"C\" NOT NULL CHECK (kind IN ('assessment','scope','unit','instance','person',"
    "    'interview','evidence','rating','policy','client','certificate','audit','finding','nc','decision')),"
    "  record_key TEXT COLLATE \"C\" NOT NULL,"
    "  data TEXT COLLATE \"C\" NOT NULL,"
    "  supersedes BIGINT REFERENCES records(row_id),"
    "  superseded_by BIGINT REFERENCES records(row_id) DEFERRABLE INITIALLY DEFERRED,"
    "  is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),"
    "  event_seq BIGINT NOT NULL REFERENCES events(seq),"
    "  event_hash TEXT COLLATE \"C\" NOT NULL);"
    "CREATE UNIQUE INDEX records_current ON records(assessment, kind, record_key) WHERE is_current = 1;"
    "CREATE TABLE ratings ("
    "  row_id BIGINT PRIMARY KEY,"
    "  assessment TEXT COLLATE \"C\" NOT NULL,"
    "  instance TEXT COLLATE \"C\" NOT NULL,"
    "  item TEXT COLLATE \"C\" NOT NULL,"
    "  assessor TEXT COLLATE \"C\" NOT NULL,"
    "  consolidated INTEGER NOT NULL DEFAULT 0 CHECK (consolidated IN (0, 1)),"
    "  process TEXT COLLATE \"C\","
    "  item_kind TEXT COLLATE \"C\","
    "  value TEXT COLLATE \"C\" NOT NULL,"
    "  strength TEXT COLLATE \"C\","
    "  weakness TEXT COLLATE \"C\","
    "  reasons TEXT COLLATE \"C\","
    "  evidence TEXT COLLATE \"C\","
    "  rated_at TEXT COLLATE \"C\","
    "  justification TEXT COLLATE \"C\","
    "  supersedes BIGINT,"
    "  superseded_by BIGINT,"
    "  is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),"
    "  event_seq BIGINT NOT NULL);"
    "CREATE UNIQUE INDEX ratings_current ON ratings(assessment, instance, item, assessor) WHERE is_current = 1;"
    "CREATE TABLE keys ("
    "  row_id BIGINT PRIMARY KEY,"
    "  key_id TEXT COLLATE \"C\" NOT NULL UNIQUE,"
    "  person TEXT COLLATE \"C\" NOT NULL,"
    "  public_key TEXT COLLATE \"C\" NOT NULL,"
    "  event_seq BIGINT NOT NULL);"
    "CREATE TABLE seals ("
    "  row_id BIGINT PRIMARY KEY,"
    "  workspace TEXT COLLATE \"C\" NOT NULL,"
    "  seq BIGINT NOT NULL,"
    "  hash TEXT COLLATE \"C\" NOT NULL,"
    "  at TEXT COLLATE \"C\" NOT NULL,"
    "  signer TEXT COLLATE \"C\" NOT NULL,"
    "  key_id TEXT COLLATE \"C\" NOT NULL,"
    "  signature TEXT COLLATE \"C\" NOT NULL,"
    "  event_seq BIGINT NOT NULL);"
    "CREATE VIEW people AS SELECT record_key AS id, data::json->>'name' AS name,"
    "  data::json->>'organization' AS organization, data, event_seq"
    "  FROM records WHERE assessment = '' AND kind = 'person' AND is_current = 1;"
    "CREATE VIEW current_ratings AS SELECT row_id, assessment, process, instance, item, item_kind,"
    "  nullif(assessor, '') AS assessor, consolidated, value, rated_at, supersedes, event_seq"
    "  FROM ratings WHERE is_current = 1;";

struct PostgresMigration {
  int version;
  const char* sql;
};
constexpr int kFirstPostgresVersion = 6;
constexpr PostgresMigration kPostgresMigrations[] = {
    {7,
     "CREATE TABLE accounts ("
     "  row_id BIGINT PRIMARY KEY,"
     "  account TEXT COLLATE \"C\" NOT NULL,"
     "  data TEXT COLLATE \"C\" NOT NULL,"
     "  password_hash TEXT COLLATE \"C\" NOT NULL,"
     "  supersedes BIGINT,"
     "  is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),"
     "  event_seq BIGINT NOT NULL);"
     "CREATE UNIQUE INDEX accounts_current ON accounts(account) WHERE is_current = 1;"},
    {8,
     "CREATE TABLE files ("
     "  row_id BIGINT PRIMARY KEY,"
     "  sha256 TEXT COLLATE \"C\" NOT NULL UNIQUE,"
     "  size BIGINT NOT NULL,"
     "  content TEXT COLLATE \"C\" NOT NULL,"
     "  event_seq BIGINT NOT NULL);"},
    {9,
     // As kMigrations 9. PostgreSQL checks the foreign keys of records row
     // by row as the audit rows leave it (supersedes and superseded_by refer
     // to records): two indexes, dropped after, make each check a lookup
     // instead of a scan, and the deferred checks are fired before they go.
     "CREATE TABLE audit_records ("
     "  row_id BIGINT PRIMARY KEY,"
     "  client TEXT COLLATE \"C\" NOT NULL,"
     "  kind TEXT COLLATE \"C\" NOT NULL,"
     "  record_key TEXT COLLATE \"C\" NOT NULL,"
     "  data TEXT COLLATE \"C\" NOT NULL,"
     "  supersedes BIGINT,"
     "  superseded_by BIGINT,"
     "  is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),"
     "  event_seq BIGINT NOT NULL,"
     "  event_hash TEXT COLLATE \"C\" NOT NULL);"
     "INSERT INTO audit_records (row_id, client, kind, record_key, data, supersedes, superseded_by, is_current,"
     "                           event_seq, event_hash)"
     "  SELECT row_id, substr(assessment, 8), kind, record_key, data, supersedes, superseded_by, is_current,"
     "         event_seq, event_hash FROM records WHERE substr(assessment, 1, 7) = ' audit:' ORDER BY row_id;"
     "CREATE INDEX records_supersedes_m9 ON records(supersedes);"
     "CREATE INDEX records_superseded_by_m9 ON records(superseded_by);"
     "DELETE FROM records WHERE substr(assessment, 1, 7) = ' audit:';"
     "SET CONSTRAINTS ALL IMMEDIATE;"
     "DROP INDEX records_supersedes_m9;"
     "DROP INDEX records_superseded_by_m9;"
     "CREATE UNIQUE INDEX audit_records_current ON audit_records(client, record_key) WHERE is_current = 1;"},
};
static_assert(std::size(kPostgresMigrations) > 0 &&
                  kPostgresMigrations[std::size(kPostgresMigrations) - 1].version == Workspace::kSchemaVersion,
              "every schema version needs its PostgreSQL migration too");

std::string DefaultNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}


// The hash of an event: SHA-256 of prev_hash + the canonical JSON of its
// content (docs/WORKSPACE.md). before and after are canonical JSON text
// already (every writer makes them with Canonical()), so the content is
// built by concatenation, keys in sorted order, strings escaped as
// Canonical() escapes them.
std::string ComputeEventHash(const Event& e) {
  std::string c;
  c.reserve(e.prev_hash.size() + e.before.size() + e.after.size() + e.entity_id.size() + 200);
  c.append(e.prev_hash);
  c.append("{\"action\":");
  AppendJsonText(&c, e.action);
  c.append(",\"actor\":");
  AppendJsonText(&c, e.actor);
  c.append(",\"after\":");
  c.append(e.after.empty() ? std::string("null") : e.after);
  c.append(",\"assessment\":");
  AppendJsonText(&c, e.assessment);
  c.append(",\"at\":");
  AppendJsonText(&c, e.at);
  c.append(",\"before\":");
  c.append(e.before.empty() ? std::string("null") : e.before);
  c.append(",\"entity\":");
  AppendJsonText(&c, e.entity);
  c.append(",\"entity_id\":");
  AppendJsonText(&c, e.entity_id);
  c.append(",\"row\":");
  c.append(std::to_string(e.row));
  c.append(",\"seq\":");
  c.append(std::to_string(e.seq));
  c.push_back('}');
  return Sha256Hex(c);
}

int QueryInt(sql::Connection& db, const char* sql) { return static_cast<int>(sql::QueryInt64(db, sql)); }

// A number the SQLite file answers before it is a workspace (SQLiteCpp
// throws SQLite::Exception: the opening maps its codes).
int QueryInt(SQLite::Database& db, const char* sql) {
  SQLite::Statement q(db, sql);
  q.executeStep();
  return q.getColumn(0).getInt();
}

Status Migrate(sql::Connection& db, const std::string& path, int target, const std::string& at,
               const std::string& actor, int* version) {
  sql::Transaction tx(db, sql::Tx::kWrite);
  int current = QueryInt(db, "PRAGMA user_version");  // again: another process may have migrated
  if (current > Workspace::kSchemaVersion)
    return Status::Unsupported(path + ": workspace schema version " + std::to_string(current) +
                               " is newer than this assay supports (" + std::to_string(Workspace::kSchemaVersion) +
                               "); use a newer assay");
  if (current == 0) db.Exec("PRAGMA application_id = " + std::to_string(Workspace::kApplicationId));
  for (const Migration& m : kMigrations) {
    if (m.version <= current || m.version > target) continue;
    db.Exec(m.sql);
    if (m.step) ASSAY_RETURN_IF_ERROR(m.step(db, at, actor));
    db.Exec("PRAGMA user_version = " + std::to_string(m.version));
    current = m.version;
  }
  // The steps run with foreign keys off (the caller turns them on after):
  // checked row by row, a DELETE or DROP of the records table looks up the
  // unindexed self-references of every row, which is quadratic. They are
  // checked here once, for the whole file.
  sql::Statement check(db, "PRAGMA foreign_key_check");
  if (check.Step())
    return Status::Corruption(path + ": migration to schema version " + std::to_string(current) +
                              " left a dangling reference in table " + check.String(0) + " (row " +
                              std::to_string(check.Int64(1)) + "); nothing was changed");
  tx.Commit();
  *version = current;
  return Status::OK();
}

// A file: URI for `path` (RFC 3986 percent-encoding of what a URI path
// cannot hold) with the given query.
std::string FileUri(const std::string& path, const char* query) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = "file:";
  for (char ch : path) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || std::strchr("/-._~", ch)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out + "?" + query;
}

// Opens `path` read-only. A WAL workspace needs its -shm file; when that
// cannot be created (a directory without write permission), the file is
// opened as immutable: nobody can write it then either.
// A Workspace is used by one thread at a time (store.h), so its connection
// goes without SQLite's own mutex, which every column read would otherwise
// take and release (SQLite's "multi-thread" mode).
constexpr int kOneThreadAtATime = SQLITE_OPEN_NOMUTEX;

// A read-only workspace: opened normally when SQLite can read it so (its
// -wal, if any, included); else, when neither the file nor its directory is
// writable (an archived copy), opened immutable, which reads the database
// file alone. That is refused when a -wal file with content lies beside it:
// the newest committed writes would be silently missing.
Status OpenReadOnly(const std::string& path, int busy_timeout_ms, std::unique_ptr<SQLite::Database>* out) {
  try {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY | kOneThreadAtATime, busy_timeout_ms);
    QueryInt(*db, "SELECT count(*) FROM sqlite_master");
    *out = std::move(db);
    return Status::OK();
  } catch (const SQLite::Exception& e) {
    int code = e.getErrorCode() & 0xff;
    if (code != SQLITE_CANTOPEN && code != SQLITE_READONLY) throw;
  }
  std::error_code ec;
  const uintmax_t wal = std::filesystem::file_size(path + "-wal", ec);
  if (!ec && wal > 0)
    return Status::InvalidInput(path + ": read-only, and its write-ahead log " + path + "-wal (" +
                                std::to_string(wal) +
                                " bytes) holds committed writes that cannot be read without write access; "
                                "copy the file and its -wal together to a writable directory and open it there")
        .About("workspace", path, {}, "pending-wal");
  *out = std::make_unique<SQLite::Database>(FileUri(path, "mode=ro&immutable=1"),
                                            SQLite::OPEN_READONLY | SQLite::OPEN_URI | kOneThreadAtATime,
                                            busy_timeout_ms);
  return Status::OK();
}

// Brings a PostgreSQL workspace of an older schema *version up to `target`
// (the current version but in tests) in one transaction (the row lock on
// schema_version keeps two assay processes from migrating at once).
// Refused read-only.
Status MigratePostgres(sql::Connection& db, const std::string& where, const WorkspaceOptions& options, int target,
                       int* version) {
  if (options.read_only)
    return Status::Unsupported(where + ": workspace schema version " + std::to_string(*version) +
                               " is older than this assay's (" + std::to_string(Workspace::kSchemaVersion) +
                               ") and it is opened read-only; open it once with write access to migrate it");
  sql::Transaction tx(db, sql::Tx::kWrite);
  sql::Statement q(db, "SELECT value FROM workspace_info WHERE name = 'schema_version' FOR UPDATE");
  int current = q.Step() ? std::atoi(q.String(0).c_str()) : 0;  // again: another process may have migrated
  q.Reset();
  for (const PostgresMigration& m : kPostgresMigrations) {
    if (m.version <= current || m.version > target) continue;
    db.Exec(m.sql);
    current = m.version;
  }
  sql::Statement set(db, "UPDATE workspace_info SET value = ? WHERE name = 'schema_version'");
  set.Bind(1, std::to_string(current));
  set.Exec();
  tx.Commit();
  *version = current;
  return Status::OK();
}

// Reads (or, when the database has no tables and options allow, creates)
// the workspace schema of a PostgreSQL database: *version. A new one is
// made at version `target`, an older one migrated to it.
Status PostgresSchema(sql::Connection& db, const std::string& where, const WorkspaceOptions& options, int target,
                      int* version) {
  auto info = [&db](const char* name) {
    sql::Statement q(db, "SELECT value FROM workspace_info WHERE name = ?");
    q.Bind(1, name);
    return q.Step() ? q.String(0) : std::string();
  };
  auto exists = [&db] { return sql::QueryInt64(db, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
                                                   "AND tablename = 'workspace_info'") > 0; };
  if (!exists()) {
    const int64_t tables =
        sql::QueryInt64(db, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
    if (tables > 0)
      return Status::InvalidInput(where + ": not an assay workspace (a PostgreSQL database of another application)");
    if (!options.create_if_missing || options.read_only)
      return Status::NotFound(where + ": no workspace here (an empty database)").About("workspace", where);
    sql::Transaction tx(db, sql::Tx::kWrite);
    if (!exists()) {  // another process may have created it meanwhile
      db.Exec(kPostgresSchema);
      for (const PostgresMigration& m : kPostgresMigrations)
        if (m.version <= target) db.Exec(m.sql);
      db.Exec("INSERT INTO workspace_info (name, value) VALUES ('application', 'assay'), ('schema_version', '" +
              std::to_string(target) +
              "'), ('id', md5(random()::text || clock_timestamp()::text))");
    }
    tx.Commit();
  }
  if (info("application") != "assay")
    return Status::InvalidInput(where + ": not an assay workspace (a PostgreSQL database of another application)");
  *version = std::atoi(info("schema_version").c_str());
  if (*version > Workspace::kSchemaVersion)
    return Status::Unsupported(where + ": workspace schema version " + std::to_string(*version) +
                               " is newer than this assay supports (" + std::to_string(Workspace::kSchemaVersion) +
                               "); use a newer assay");
  if (*version < kFirstPostgresVersion)
    return Status::Corruption(where + ": workspace schema version " + std::to_string(*version) +
                              " in a PostgreSQL database (they start at version " +
                              std::to_string(kFirstPostgresVersion) + "); the database is damaged");
  if (*version < target) return MigratePostgres(db, where, options, target, version);
  return Status::OK();
}

// Opens the workspace in the PostgreSQL database `uri` names.
Status OpenPostgresWorkspace(const std::string& uri, const WorkspaceOptions& options, int target,
                             std::unique_ptr<Workspace>* workspace) {
  const std::string where = sql::PostgresUriForMessages(uri);
  if (target < kFirstPostgresVersion || target > Workspace::kSchemaVersion)
    return Status::Unsupported(where + ": a PostgreSQL workspace has schema version " +
                               std::to_string(kFirstPostgresVersion) + " or later");
  if (const std::string why = sql::WhyNoPostgres(); !why.empty())
    return Status::Unsupported(where + ": this assay cannot open PostgreSQL workspaces: " + why)
        .About("workspace", where, {}, "no-postgres");
  if (const std::string why = sql::WhyNotPostgresUri(uri); !why.empty())
    return Status::InvalidInput(where + ": not a valid PostgreSQL connection URI: " + why)
        .About("workspace", where, {}, "bad-uri");
  std::unique_ptr<sql::Connection> db;
  try {
    db = sql::OpenPostgres(uri, options.busy_timeout_ms, options.read_only);
  } catch (const std::exception& e) {
    return Status::IOError(where + ": cannot connect to the PostgreSQL server: " + e.what())
        .About("workspace", where, {}, "unreachable");
  }
  try {
    int version = 0;
    ASSAY_RETURN_IF_ERROR(PostgresSchema(*db, where, options, target, &version));
    workspace->reset(new SqlWorkspace(where, options, std::move(db), version));
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(where, e);
  }
}

Status OpenImpl(const std::string& path, const WorkspaceOptions& options, int target,
                std::unique_ptr<Workspace>* workspace) {
  const bool memory = path == ":memory:";
  // The actor is written into every event and shown by the log: refused
  // when it could hide or forge part of a log line.
  if (const std::string why = WhyNotSafeId(options.actor); !options.read_only && !why.empty())
    return Status::InvalidInput("the actor name " + (IsValidUtf8(options.actor) ? Quote(options.actor) + " " : "") +
                                why)
        .About("actor", options.actor, {}, "unsafe");
  if (sql::IsPostgresUri(path)) return OpenPostgresWorkspace(path, options, target, workspace);
  if (options.read_only && !memory) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return Status::InvalidInput(path + ": is a directory, not a workspace");
    if (!std::filesystem::exists(path, ec))
      return Status::NotFound(path + ": no workspace here").About("workspace", path);
  } else if (!memory) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return Status::InvalidInput(path + ": is a directory, not a workspace");
    if (!std::filesystem::exists(path, ec)) {
      if (!options.create_if_missing)
        return Status::NotFound(path + ": no workspace here").About("workspace", path);
      // Owner-only permissions; SQLite gives its -wal and -shm files the same.
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0 && errno != EEXIST) return Status::IOError(path + ": cannot create: " + std::strerror(errno));
      if (fd >= 0) ::close(fd);
    }
  }
  try {
    std::unique_ptr<SQLite::Database> db;
    if (options.read_only && !memory)
      ASSAY_RETURN_IF_ERROR(OpenReadOnly(path, options.busy_timeout_ms, &db));
    else
      db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | (memory ? SQLite::OPEN_CREATE : 0) |
                                                        kOneThreadAtATime,
                                              options.busy_timeout_ms);
    int app_id = 0, version = 0, objects = 0;
    try {
      app_id = QueryInt(*db, "PRAGMA application_id");
      version = QueryInt(*db, "PRAGMA user_version");
      objects = QueryInt(*db, "SELECT count(*) FROM sqlite_master");
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_NOTADB)
        return Status::InvalidInput(path + ": not an assay workspace (not an SQLite database)");
      throw;
    }
    if (app_id != Workspace::kApplicationId && (app_id != 0 || objects != 0 || version != 0))
      return Status::InvalidInput(path + ": not an assay workspace (an SQLite database of another application)");
    if (version > Workspace::kSchemaVersion)
      return Status::Unsupported(path + ": workspace schema version " + std::to_string(version) +
                                 " is newer than this assay supports (" +
                                 std::to_string(Workspace::kSchemaVersion) + "); use a newer assay");
    // Only a writer that may create the workspace turns an empty file into one.
    if (!memory && version == 0 && objects == 0 && (!options.create_if_missing || options.read_only))
      return Status::InvalidInput(path + ": not an assay workspace (an empty file)").About("workspace", path, {}, "empty");
    if (app_id == Workspace::kApplicationId && version > 0 &&
        QueryInt(*db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'") == 0)
      return Status::Corruption(path + ": an assay workspace (schema version " + std::to_string(version) +
                                ") without its tables; the file is damaged");
    if (options.read_only && !memory) {
      if (version < target)
        return Status::Unsupported(path + ": workspace schema version " + std::to_string(version) +
                                   " is older than this assay's (" + std::to_string(target) +
                                   ") and the file is read-only; open it once with write access to migrate it");
      workspace->reset(
          new SqlWorkspace(path, options, std::make_unique<sql::SqliteConnection>(std::move(db)), version));
      return Status::OK();
    }
    if (!memory) db->exec("PRAGMA journal_mode = WAL");
    auto conn = std::make_unique<sql::SqliteConnection>(std::move(db));
    if (version < target) {
      conn->Exec("PRAGMA foreign_keys = OFF");  // Migrate checks them once
      ASSAY_RETURN_IF_ERROR(Migrate(*conn, path, target, options.clock ? options.clock() : DefaultNow(),
                                    options.actor, &version));
    }
    conn->Exec("PRAGMA foreign_keys = ON");
    workspace->reset(new SqlWorkspace(path, options, std::move(conn), version));
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path, e);
  }
}

template <typename T>
Status ParseRecord(const std::string& data, T* out) {
  json j;
  try {
    j = json::parse(data);
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("stored record is not JSON: ") + e.what());
  }
  return FromJson(j, out);
}

}  // namespace

std::string EventHash(const Event& e) { return ComputeEventHash(e); }

bool EventHashMatches(const Event& e) { return ComputeEventHash(e) == e.hash; }

Status CheckNotFrozen(const Assessment& a) {
  AssessmentStatus st = a.status;
  if (st != AssessmentStatus::kReported && st != AssessmentStatus::kClosed) return Status::OK();
  return Status::InvalidInput("assessment " + Quote(a.id) + " is " + AssessmentStatusName(st) +
                              "; its records can no longer change")
      .About("assessment", a.id, {}, "frozen");
}

Status SqliteError(const std::string& path, const std::exception& e) {
  if (dynamic_cast<const PermissionError*>(&e)) return Status::PermissionDenied(e.what()).About("account", "", {}, "denied");
  sql::ErrorCode code = sql::ErrorCode::kOther;
  if (const auto* se = dynamic_cast<const sql::Error*>(&e)) code = se->code();
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e))  // from the opening (SQLiteCpp)
    code = sql::SqliteErrorCode(se->getErrorCode());
  switch (code) {
    case sql::ErrorCode::kBusy:
      return Status::IOError(path + ": the workspace is locked by another writer; try again");
    case sql::ErrorCode::kNotADb:
      return Status::InvalidInput(path + ": not an assay workspace (not an SQLite database)");
    case sql::ErrorCode::kCorrupt:
      return Status::Corruption(path + ": database file is damaged: " + e.what());
    case sql::ErrorCode::kReadOnly:
      return Status::IOError(path + ": workspace is read-only (no write permission on the file or its directory); "
                                    "nothing was written");
    default:
      return Status::IOError(path + ": " + e.what());
  }
}

Status AddToContext(Context* ctx, const std::string& kind, const json& data) {
  if (kind == kKindAssessment) return FromJson(data, &ctx->assessment);
  if (kind == kKindScope) {
    ScopedProcess s;
    ASSAY_RETURN_IF_ERROR(FromJson(data, &s));
    ctx->scope[s.process] = s;
  } else if (kind == kKindUnit) {
    OrgUnit u;
    ASSAY_RETURN_IF_ERROR(FromJson(data, &u));
    ctx->units[u.id] = u;
  } else if (kind == kKindInstance) {
    ProcessInstance i;
    ASSAY_RETURN_IF_ERROR(FromJson(data, &i));
    ctx->instances[i.id] = i;
  } else if (kind == kKindPerson) {
    Person p;
    ASSAY_RETURN_IF_ERROR(FromJson(data, &p));
    ctx->people[p.id] = p;
  } else if (kind == kKindInterview) {
    Interview i;
    ASSAY_RETURN_IF_ERROR(FromJson(data, &i));
    ctx->interviews[i.id] = i;
  } else if (kind == kKindEvidence) {
    Evidence e;
    ASSAY_RETURN_IF_ERROR(FromJson(data, &e));
    ctx->evidence[e.id] = e;
  } else if (kind == kKindRating) {
    Rating r;
    ASSAY_RETURN_IF_ERROR(FromJson(data, &r));
    ctx->ratings[RatingKey(r)] = r;
  } else if (kind == "policy" || kind == "client" || kind == "certificate" || kind == "audit" ||
             kind == "finding" || kind == "nc" || kind == "decision") {
    // Certification-audit records (schema version 3; audit_store.cc keeps
    // their context itself).
  } else {
    return Status::Corruption("unknown record kind '" + kind + "'");
  }
  return Status::OK();
}

void AddToContext(Context* ctx, const Assessment& a) { ctx->assessment = a; }
void AddToContext(Context* ctx, const ScopedProcess& s) { ctx->scope[s.process] = s; }
void AddToContext(Context* ctx, const OrgUnit& u) { ctx->units[u.id] = u; }
void AddToContext(Context* ctx, const ProcessInstance& i) { ctx->instances[i.id] = i; }
void AddToContext(Context* ctx, const Person& p) { ctx->people[p.id] = p; }
void AddToContext(Context* ctx, const Interview& i) { ctx->interviews[i.id] = i; }
void AddToContext(Context* ctx, const Evidence& e) { ctx->evidence[e.id] = e; }

SqlWorkspace::SqlWorkspace(std::string path, WorkspaceOptions options, std::unique_ptr<sql::Connection> db,
                             int version)
    : path_(std::move(path)), options_(std::move(options)), db_(std::move(db)), version_(version) {
  if (!options_.user.empty()) options_.actor = options_.user;  // the signed-in user is the actor of every event
  db_->after_rollback = [this] { WriteRefusal(); };
}

SqlWorkspace::~SqlWorkspace() = default;

sql::Statement& SqlWorkspace::Cached(std::unique_ptr<sql::Statement>* slot, const char* sql) {
  if (!*slot)
    *slot = std::make_unique<sql::Statement>(*db_, sql, true);
  else
    (*slot)->Reset();
  return **slot;
}

std::string SqlWorkspace::Now() const { return options_.clock ? options_.clock() : DefaultNow(); }

Status SqlWorkspace::ResolveModel(const std::string& id, const std::string& version, const std::string& hash,
                                   std::shared_ptr<const Model>* model) {
  std::string key = id + "@" + version;
  auto it = models_.find(key);
  if (it == models_.end()) {
    if (!options_.resolve_model)
      return Status::InvalidInput("no model resolver configured (WorkspaceOptions::resolve_model)");
    std::shared_ptr<const Model> m;
    ASSAY_RETURN_IF_ERROR(options_.resolve_model(id, version, &m));
    it = models_.emplace(key, std::move(m)).first;
  }
  if (!hash.empty() && it->second->hash() != hash)
    return Status::Unsupported("model pack " + id + "@" + version + " has changed since the assessment pinned it (pinned " +
                               hash.substr(0, 16) + "..., found " + it->second->hash().substr(0, 16) +
                               "...); load the pinned version of the pack");
  *model = it->second;
  return Status::OK();
}

Status SqlWorkspace::LoadContext(const std::string& id, bool need_model, Context* ctx, int64_t at_seq) {
  *ctx = Context();
  sql::Statement q(*db_, std::string("SELECT kind, record_key, row_id, data FROM records r WHERE assessment = ?1 AND ") +
                                (at_seq > 0 ? kVersionAtSeq : "is_current = 1") + " ORDER BY row_id");
  q.Bind(1, id);
  if (at_seq > 0) q.Bind(2, at_seq);
  bool found = false;
  while (q.Step()) {
    std::string kind = q.String(0);
    std::string key = q.String(1);
    int64_t row = q.Int64(2);
    std::string data = q.String(3);
    json j;
    try {
      j = json::parse(data);
    } catch (const std::exception& e) {
      return Status::Corruption(path_ + ": record row " + std::to_string(row) + " is not JSON: " + e.what());
    }
    if (IsWithdrawn(j)) {  // a tombstone: its row is kept, the record left out
      ctx->rows[kind][key] = {row, data};
      continue;
    }
    Status s = AddToContext(ctx, kind, j);
    if (!s.ok()) return Status::Corruption(path_ + ": record row " + std::to_string(row) + ": " + s.message());
    ctx->rows[kind][key] = {row, data};
    if (kind == kKindAssessment) found = true;
  }
  if (!found && at_seq > 0) {
    sql::Statement later(*db_, "SELECT 1 FROM records WHERE assessment = ? AND kind = 'assessment' LIMIT 1");
    later.Bind(1, id);
    if (later.Step())
      return Status::NotFound("assessment " + Quote(id) + " has no record at log position " + std::to_string(at_seq) +
                              " in " + path_ + ": it was created after that event")
          .About("assessment", id, {}, "not-yet");
  }
  if (!found) {
    std::vector<std::string> ids;
    sql::Statement all(*db_, "SELECT DISTINCT record_key FROM records WHERE kind = 'assessment'");
    while (all.Step()) ids.push_back(all.String(0));
    return Status::NotFound("no assessment " + Quote(id) + " in " + path_ + SuggestionSuffix(id, ids))
        .About("assessment", id, NearestIds(id, ids), ids.empty() ? "none-yet" : "missing");
  }
  if (need_model)
    ASSAY_RETURN_IF_ERROR(ResolveModel(ctx->assessment.model_id, ctx->assessment.model_version,
                                       ctx->assessment.model_hash, &ctx->model));
  return Status::OK();
}

Status SqlWorkspace::Apply(Context* ctx, const std::string& kind, const std::string& key, const json& data,
                              const std::string& action, bool write, WriteResult* result) {
  return Apply(ctx, kind, key, Canonical(data), action, write, result);
}

Status SqlWorkspace::Apply(Context* ctx, const std::string& kind, const std::string& key, const std::string& text,
                              const std::string& action, bool write, WriteResult* result) {
  *result = WriteResult();
  const std::string& assessment = ctx->assessment.id;
  auto& rows = ctx->rows[kind];
  auto old = rows.find(key);
  if (old != rows.end()) {
    bool same = old->second.data == text;
    if (!same && kind == kKindRating) {
      // Before schema version 4: a rating given again with only a new time is the same rating.
      json a = json::parse(old->second.data), b = json::parse(text);
      a.erase("rated_at");
      b.erase("rated_at");
      same = a == b;
    }
    if (same) {
      result->kind = WriteResult::Kind::kUnchanged;
      result->row = old->second.row;
      return Status::OK();
    }
  }
  // Only the status may change once the results are reported.
  if (action != "status") ASSAY_RETURN_IF_ERROR(CheckNotFrozen(ctx->assessment));
  result->kind = old == rows.end() ? WriteResult::Kind::kCreated : WriteResult::Kind::kUpdated;
  int64_t new_row = 0;
  if (write) {
    Event e;
    NextRowAndEvent(&new_row, &e.seq, &e.prev_hash);
    e.at = origin_ ? origin_->at : Now();
    e.actor = origin_ ? origin_->actor : options_.actor;
    e.assessment = assessment;
    e.action = origin_ && !origin_->action.empty() ? origin_->action : action;
    e.entity = kind;
    e.entity_id = key;
    e.row = new_row;
    e.before = old == rows.end() ? std::string() : old->second.data;
    e.after = text;
    InsertEvent(&e);
    // A certification-audit record goes into audit_records (schema 9),
    // under its client: the subject without its prefix.
    const bool audit = version_ >= 9 && IsAuditSubject(assessment);
    if (old != rows.end()) {
      sql::Statement& sup =
          audit ? Cached(&st_audit_supersede_,
                         "UPDATE audit_records SET is_current = 0, superseded_by = ? WHERE row_id = ?")
                : Cached(&st_supersede_, "UPDATE records SET is_current = 0, superseded_by = ? WHERE row_id = ?");
      sup.Bind(1, new_row);
      sup.Bind(2, old->second.row);
      sup.Exec();
    }
    sql::Statement& rec =
        audit ? Cached(&st_audit_record_,
                       "INSERT INTO audit_records (row_id, client, kind, record_key, data, supersedes, is_current, "
                       "event_seq, event_hash) VALUES (?,?,?,?,?,?,1,?,?)")
              : Cached(&st_record_,
                       "INSERT INTO records (row_id, assessment, kind, record_key, data, supersedes, is_current, "
                       "event_seq, event_hash) VALUES (?,?,?,?,?,?,1,?,?)");
    rec.Bind(1, new_row);
    rec.Bind(2, audit ? assessment.substr(kAuditSubjectPrefixSize) : assessment);
    rec.Bind(3, kind);
    rec.Bind(4, key);
    rec.BindNoCopy(5, text);
    if (old == rows.end())
      rec.BindNull(6);
    else
      rec.Bind(6, old->second.row);
    rec.Bind(7, e.seq);
    rec.Bind(8, e.hash);
    rec.Exec();
    result->event = e.seq;
  }
  rows[key] = {new_row, text};
  result->row = new_row;
  return Status::OK();
}

template <typename R>
Status SqlWorkspace::ApplyRecord(Context* ctx, const R& record, const std::string& action, bool write,
                                    WriteResult* result) {
  const char* kind = RecordTraits<R>::kKind;
  ASSAY_RETURN_IF_ERROR(Apply(ctx, kind, RecordTraits<R>::Key(record), Canonical(ToJson(record)), action, write,
                              result));
  AddToContext(ctx, record);
  return Status::OK();
}

// An assessment's own record (its key is its ID).
template <>
Status SqlWorkspace::ApplyRecord(Context* ctx, const Assessment& a, const std::string& action, bool write,
                                    WriteResult* result) {
  ASSAY_RETURN_IF_ERROR(Apply(ctx, kKindAssessment, a.id, Canonical(ToJson(a)), action, write, result));
  AddToContext(ctx, a);
  return Status::OK();
}

template Status SqlWorkspace::ApplyRecord(Context*, const ScopedProcess&, const std::string&, bool, WriteResult*);
template Status SqlWorkspace::ApplyRecord(Context*, const OrgUnit&, const std::string&, bool, WriteResult*);
template Status SqlWorkspace::ApplyRecord(Context*, const ProcessInstance&, const std::string&, bool, WriteResult*);
// A team member: registered, or checked against the registry, first (schema 6).
template <>
Status SqlWorkspace::ApplyRecord(Context* ctx, const Person& p, const std::string& action, bool write,
                                    WriteResult* result) {
  Person member = p;
  if (version_ >= 6) {
    ASSAY_RETURN_IF_ERROR(SyncTeamMember(&member, write));
  }
  ASSAY_RETURN_IF_ERROR(Apply(ctx, kKindPerson, member.id, Canonical(ToJson(member)), action, write, result));
  AddToContext(ctx, member);
  return Status::OK();
}
template Status SqlWorkspace::ApplyRecord(Context*, const Interview&, const std::string&, bool, WriteResult*);
template Status SqlWorkspace::ApplyRecord(Context*, const Evidence&, const std::string&, bool, WriteResult*);

template <typename R>
Status SqlWorkspace::Put(const std::string& assessment, R record, WriteResult* result) {
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    Context ctx;
    ASSAY_RETURN_IF_ERROR(LoadContext(assessment, true, &ctx));
    std::vector<FieldProblem> problems;
    RecordTraits<R>::Validate(ctx, &record, &problems);
    if (!problems.empty()) return problems.front().status;
    const bool exists = ctx.rows[RecordTraits<R>::kKind].count(RecordTraits<R>::Key(record)) > 0;
    ASSAY_RETURN_IF_ERROR(ApplyRecord(&ctx, record, exists ? "update" : "create", true, result));
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::PutScope(const std::string& a, const ScopedProcess& s, WriteResult* r) { return Put(a, s, r); }
Status SqlWorkspace::PutUnit(const std::string& a, const OrgUnit& u, WriteResult* r) { return Put(a, u, r); }
Status SqlWorkspace::PutInstance(const std::string& a, const ProcessInstance& i, WriteResult* r) {
  return Put(a, i, r);
}
Status SqlWorkspace::PutPerson(const std::string& a, const Person& p, WriteResult* r) { return Put(a, p, r); }
Status SqlWorkspace::PutInterview(const std::string& a, const Interview& i, WriteResult* r) { return Put(a, i, r); }
Status SqlWorkspace::PutEvidence(const std::string& a, const Evidence& e, WriteResult* r) { return Put(a, e, r); }

Status SqlWorkspace::Rate(const std::string& assessment, const Rating& rating, WriteResult* result) {
  return RateIf(assessment, rating, nullptr, result);
}

Status SqlWorkspace::RateAtVersion(const std::string& assessment, const Rating& rating, int64_t expected_version,
                                   WriteResult* result) {
  return RateIf(assessment, rating, &expected_version, result);
}

Status SqlWorkspace::RateIf(const std::string& assessment, const Rating& rating, const int64_t* expected_version,
                            WriteResult* result) {
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    Context ctx;
    ASSAY_RETURN_IF_ERROR(LoadContext(assessment, true, &ctx));
    Rating r = rating;
    if (r.rated_at.empty()) r.rated_at = Now();
    std::vector<FieldProblem> problems;
    RatingValidator(ctx).Check(&r, &problems);
    if (!problems.empty()) return problems.front().status;
    if (expected_version) ASSAY_RETURN_IF_ERROR(CheckRatingVersion(assessment, r, *expected_version));
    ASSAY_RETURN_IF_ERROR(ApplyRating(&ctx, r, true, result));
    result->outside_scope = OutsideScope(ctx, r);
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::CreateAssessment(const Assessment& in, WriteResult* result) {
  Assessment a = in;
  a.status = AssessmentStatus::kPlanned;
  std::vector<FieldProblem> problems;
  ValidateAssessment(a, &problems);
  if (!problems.empty()) return problems.front().status;
  if (a.model_id.empty()) return Status::InvalidInput("an assessment needs a model pack (model id)");
  try {
    std::shared_ptr<const Model> model;
    ASSAY_RETURN_IF_ERROR(ResolveModel(a.model_id, a.model_version, a.model_hash, &model));
    if (model->pam().kind != "pam")
      return Status::InvalidInput("model pack " + Quote(a.model_id) +
                                  " is a measurement framework; pin a process assessment model");
    a.model_version = model->pam().version;
    a.model_hash = model->hash();
    if (!model->framework().refined && a.options.scale == ScaleKind::kRefined)
      return Status::InvalidInput("model " + model->Key() + " has no refined rating scale");
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    sql::Statement q(*db_, "SELECT 1 FROM records WHERE kind = 'assessment' AND record_key = ?");
    q.Bind(1, a.id);
    if (q.Step()) return Status::InvalidInput("assessment " + Quote(a.id) + " already exists in " + path_);
    Context ctx;
    ctx.model = model;
    ctx.assessment = a;
    ASSAY_RETURN_IF_ERROR(ApplyRecord(&ctx, a, "create", true, result));
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::UpdateAssessment(const Assessment& in, WriteResult* result) {
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    Context ctx;
    ASSAY_RETURN_IF_ERROR(LoadContext(in.id, false, &ctx));
    Assessment a = in;
    a.model_id = ctx.assessment.model_id;
    a.model_version = ctx.assessment.model_version;
    a.model_hash = ctx.assessment.model_hash;
    a.status = ctx.assessment.status;
    std::vector<FieldProblem> problems;
    ValidateAssessment(a, &problems);
    if (!problems.empty()) return problems.front().status;
    ASSAY_RETURN_IF_ERROR(ApplyRecord(&ctx, a, "update", true, result));
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::SetStatus(const std::string& id, AssessmentStatus to, WriteResult* result) {
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    Context ctx;
    ASSAY_RETURN_IF_ERROR(LoadContext(id, false, &ctx));
    AssessmentStatus from = ctx.assessment.status;
    if (from == to) {
      *result = WriteResult();
      result->kind = WriteResult::Kind::kUnchanged;
      result->row = ctx.rows[kKindAssessment][id].row;
      return Status::OK();
    }
    std::vector<AssessmentStatus> allowed = AllowedTransitions(from);
    if (std::find(allowed.begin(), allowed.end(), to) == allowed.end()) {
      std::string list;
      for (AssessmentStatus s : allowed) list += (list.empty() ? "" : ", ") + std::string(AssessmentStatusName(s));
      return Status::InvalidInput("assessment " + Quote(id) + " cannot move from " + AssessmentStatusName(from) +
                                  " to " + AssessmentStatusName(to) + "; allowed: " +
                                  (list.empty() ? std::string("none (closed is final)") : list));
    }
    Assessment a = ctx.assessment;
    a.status = to;
    ASSAY_RETURN_IF_ERROR(ApplyRecord(&ctx, a, "status", true, result));
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::ListAssessments(std::vector<Assessment>* out) {
  out->clear();
  try {
    sql::Statement q(*db_,
                        "SELECT r.data FROM records r WHERE r.kind = 'assessment' AND r.is_current = 1 ORDER BY "
                        "(SELECT min(o.row_id) FROM records o WHERE o.kind = 'assessment' AND "
                        "o.record_key = r.record_key)");
    while (q.Step()) {
      Assessment a;
      ASSAY_RETURN_IF_ERROR(ParseRecord(q.String(0), &a));
      out->push_back(a);
    }
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::GetAssessment(const std::string& id, Assessment* out) {
  try {
    Context ctx;
    ASSAY_RETURN_IF_ERROR(LoadContext(id, false, &ctx));
    *out = ctx.assessment;
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::LatestAssessment(std::string* id) {
  std::vector<Assessment> all;
  ASSAY_RETURN_IF_ERROR(ListAssessments(&all));
  if (all.empty())
    return Status::NotFound("no assessment in " + path_).About("assessment", "", {}, "none-yet");
  *id = all.back().id;
  return Status::OK();
}

void SqlWorkspace::LogHead(const std::string& id, int64_t* seq, std::string* hash, int64_t at_seq) {
  sql::Statement q(*db_, "SELECT seq, hash FROM events WHERE assessment = ?1 AND (?2 = 0 OR seq <= ?2) "
                            "ORDER BY seq DESC LIMIT 1");
  q.Bind(1, id);
  q.Bind(2, at_seq);
  if (q.Step()) {
    *seq = q.Int64(0);
    *hash = q.String(1);
  } else {
    *seq = 0;
    hash->clear();
  }
}

Status SqlWorkspace::ReadSnapshot(const std::string& id, const SnapshotOptions& options, Snapshot* out) {
  ASSAY_RETURN_IF_ERROR(AuthorizeRead(id, ""));
  if (options.results_only && options.export_digest)
    return Status::InvalidInput("a snapshot read for the results alone has no export digest (the export covers every field)");
  try {
    *out = Snapshot();
    Context ctx;
    std::vector<ScopedProcess> scope;
    std::vector<Rating> ratings;
    {
      sql::Transaction tx(*db_, sql::Tx::kRead);  // one read: the data and its log position
      int64_t at = options.at_seq;
      if (at > 0) {
        const int64_t head = QueryInt64(*db_, "SELECT coalesce(max(seq), 0) FROM events");
        if (at > head)
          return Status::InvalidInput("log position " + std::to_string(at) + " is beyond the head of the log of " +
                                      path_ + " (event " + std::to_string(head) + ")");
        sql::Statement h(*db_, "SELECT hash FROM events WHERE seq = ?");
        h.Bind(1, at);
        if (h.Step()) out->head_hash = h.String(0);
        if (at == head) at = 0;  // the current state, by the cheaper path
      }
      ASSAY_RETURN_IF_ERROR(LoadContext(id, false, &ctx, at));
      for (const auto& [k, v] : ctx.scope) scope.push_back(v);
      SortScope(id, &scope, at);
      ASSAY_RETURN_IF_ERROR(CurrentRatings(id, ctx, &ratings, at, options.results_only));
      LogHead(id, &out->log_seq, &out->log_hash, at);
      tx.Commit();
    }
    if (options_.resolve_model) {
      // outside_scope needs the model; without it the flag stays false.
      std::shared_ptr<const Model> model;
      if (ResolveModel(ctx.assessment.model_id, ctx.assessment.model_version, ctx.assessment.model_hash, &model).ok())
        ctx.model = model;
    }
    AssessmentData& data = out->data;
    data.assessment = ctx.assessment;
    data.scope = std::move(scope);
    for (const auto& [k, v] : ctx.units) data.units.push_back(v);
    for (const auto& [k, v] : ctx.instances) data.instances.push_back(v);
    for (const auto& [k, v] : ctx.people) data.people.push_back(v);
    for (const auto& [k, v] : ctx.interviews) data.interviews.push_back(v);
    for (const auto& [k, v] : ctx.evidence) data.evidence.push_back(v);
    data.ratings = std::move(ratings);
    MarkOutsideScope(ctx, &data.ratings);
    if (options.export_digest) {
      ASSAY_RETURN_IF_ERROR(ExportDigest(path_, data, &out->export_sha256));
    }
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

void SqlWorkspace::SortScope(const std::string& id, std::vector<ScopedProcess>* scope, int64_t at_seq) {
  // The order in which the processes were scoped: the row of each scope
  // record's first version (a later version keeps its place). Every record
  // version has its event (entity the kind, entity_id the key, row_id the
  // row): read through the assessment's events (events_by_assessment), as
  // no index of records holds the versions that are not current (the
  // records table was scanned whole, once per snapshot).
  std::map<std::string, int64_t> first;
  sql::Statement q(*db_,
                      "SELECT entity_id, min(row_id) FROM events WHERE assessment = ?1 AND entity = 'scope' "
                      "AND (?2 = 0 OR seq <= ?2) GROUP BY entity_id");
  q.Bind(1, id);
  q.Bind(2, at_seq);
  while (q.Step()) first[q.String(0)] = q.Int64(1);
  std::stable_sort(scope->begin(), scope->end(), [&first](const ScopedProcess& a, const ScopedProcess& b) {
    return first[a.process] < first[b.process];
  });
}

Status SqlWorkspace::CurrentRatings(const std::string& id, const Context& ctx, std::vector<Rating>* out,
                                       int64_t at_seq, bool results_only) {
  if (version_ >= 4) return ReadCurrentRatings(id, out, at_seq, results_only);
  out->clear();
  for (const auto& [k, v] : ctx.ratings) {  // an old schema, opened by the migration tests
    Rating r = v;
    auto row = ctx.rows.find(kKindRating);
    if (row != ctx.rows.end() && row->second.count(k)) r.id = row->second.at(k).row;
    if (results_only) {
      Rating lean;
      lean.id = r.id;
      lean.process = std::move(r.process);
      lean.instance = std::move(r.instance);
      lean.item = std::move(r.item);
      lean.item_kind = r.item_kind;
      lean.assessor = std::move(r.assessor);
      lean.consolidated = r.consolidated;
      lean.value = std::move(r.value);
      r = std::move(lean);
    }
    out->push_back(r);
  }
  return Status::OK();
}

Status SqlWorkspace::RatingHistory(const std::string& id, const std::string& instance, const std::string& item,
                                      std::vector<Rating>* versions) {
  versions->clear();
  try {
    if (version_ < 4) {
      sql::Statement q(*db_,
                          "SELECT row_id, data FROM records WHERE assessment = ? AND kind = 'rating' ORDER BY row_id");
      q.Bind(1, id);
      while (q.Step()) {
        Rating r;
        ASSAY_RETURN_IF_ERROR(ParseRecord(q.String(1), &r));
        if (r.instance != instance || r.item != item) continue;
        r.id = q.Int64(0);
        versions->push_back(r);
      }
      return Status::OK();
    }
    // Every version is on the supersedes chain of a current one (rows are
    // never deleted): the current rows by the index, then the chain by row ID.
    sql::Transaction tx(*db_, sql::Tx::kRead);
    const std::string sql = std::string("WITH RECURSIVE chain(id) AS (") +
                            "SELECT row_id FROM ratings WHERE assessment = ?1 AND instance = ?2 AND item = ?3 "
                            "AND is_current = 1 "
                            "UNION SELECT r.supersedes FROM ratings r JOIN chain ON r.row_id = chain.id "
                            "WHERE r.supersedes IS NOT NULL) "
                            "SELECT row_id, " + kRatingColumns + " FROM ratings WHERE row_id IN (SELECT id FROM chain) ORDER BY row_id";
    sql::Statement q(*db_, sql.c_str());
    q.BindNoCopy(1, id);
    q.BindNoCopy(2, instance);
    q.BindNoCopy(3, item);
    while (q.Step()) {
      Rating r;
      const int64_t row = q.Int64(0);
      Status s = RatingOf(FieldsFromColumns(q, 1), &r);
      if (!s.ok()) return Status::Corruption(path_ + ": rating row " + std::to_string(row) + ": " + s.message());
      r.id = row;
      versions->push_back(r);
    }
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Event EventOfRow(sql::Statement& q) {
  Event e;
  e.seq = q.Int64(0);
  e.at = q.String(1);
  e.actor = q.String(2);
  e.assessment = q.String(3);
  e.action = q.String(4);
  e.entity = q.String(5);
  e.entity_id = q.String(6);
  e.row = q.Int64(7);
  e.before = q.String(8);
  e.after = q.String(9);
  e.prev_hash = q.String(10);
  e.hash = q.String(11);
  return e;
}

Status SqlWorkspace::ReadLog(const std::string& id, std::vector<Event>* events) {
  events->clear();
  try {
    sql::Statement q(*db_, std::string("SELECT ") + kEventColumns +
                               " FROM events WHERE ?1 = '' OR assessment = ?1 ORDER BY seq");
    q.Bind(1, id);
    while (q.Step()) events->push_back(EventOfRow(q));
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::LogPositionAt(const std::string& until, int64_t* seq, std::string* hash) {
  *seq = 0;
  hash->clear();
  try {
    sql::Statement q(*db_, "SELECT seq, hash FROM events WHERE ?1 = '' OR at <= ?1 ORDER BY seq DESC LIMIT 1");
    q.Bind(1, until);
    if (q.Step()) {
      *seq = q.Int64(0);
      *hash = q.String(1);
    }
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

// A workspace on a server: a backup file is a copy into a new SQLite file.
Status SqlWorkspace::BackupByCopy(const std::string& dest) {
  WorkspaceOptions o = options_;
  o.read_only = false;
  o.create_if_missing = true;
  std::unique_ptr<Workspace> copy;
  ASSAY_RETURN_IF_ERROR(Workspace::Open(dest, o, &copy));
  CopyReport report;
  return CopyInto(copy.get(), &report);
}

Status SqlWorkspace::Backup(const std::string& dest) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(dest, ec);
  if (!ec && size > 0) return Status::InvalidInput(dest + ": not empty; a backup goes into a new file");
  try {
    // SQLite's online backup: page by page from one read transaction, so
    // the copy is one committed state, write-ahead log included.
    auto* lite = dynamic_cast<sql::SqliteConnection*>(db_.get());
    if (!lite) return BackupByCopy(dest);
    lite->database().backup(dest.c_str(), SQLite::Database::Save);
  } catch (const SQLite::Exception& e) {
    return Status::IOError(dest + ": backup failed: " + e.what());
  }
  return Status::OK();
}

namespace {
// Entities whose rows are not records or ratings: keys, seals, accounts,
// refused attempts (no row), kept files and merge records (no row: the
// event is the record, VerifyMerges).
bool WrittenOutsideRecords(const std::string& entity) {
  return entity == kKindKey || entity == kKindSeal || entity == "account" || entity == "access" || entity == kKindFile ||
         entity == kKindMerge;
}

// One row of records or audit_records, as VerifyLog compares it with the
// event that wrote it; `assessment` is the event's subject (for a row of
// audit_records, " audit:" and its client).
struct RecordRow {
  int64_t row;
  std::string assessment, kind, key, data;
  int64_t supersedes, superseded_by;
  bool has_supersedes, has_superseded_by, current;
  int64_t event_seq;
  std::string event_hash;
};
using RecordRows = std::map<int64_t, RecordRow>;
using Flag = std::function<void(int64_t, std::string)>;

// Every row of `table` (records, or audit_records with `subject_prefix`
// before its client), by row ID.
void ReadRecordRows(sql::Connection& db, const char* table, const char* subject_column, const char* subject_prefix,
                    RecordRows* rows) {
  sql::Statement q(db, std::string("SELECT row_id, ") + subject_column +
                           ", kind, record_key, data, supersedes, superseded_by, is_current, event_seq, event_hash "
                           "FROM " + table + " ORDER BY row_id");
  while (q.Step()) {
    RecordRow r;
    r.row = q.Int64(0);
    r.assessment = subject_prefix + q.String(1);
    r.kind = q.String(2);
    r.key = q.String(3);
    r.data = q.String(4);
    r.has_supersedes = !q.IsNull(5);
    r.supersedes = q.Int64(5);
    r.has_superseded_by = !q.IsNull(6);
    r.superseded_by = q.Int64(6);
    r.current = q.Int(7) != 0;
    r.event_seq = q.Int64(8);
    r.event_hash = q.String(9);
    (*rows)[r.row] = std::move(r);
  }
}

// Each row against the event that wrote it (row, kind, key, subject, hash,
// data, the version it supersedes) and against its neighbours on its
// supersedes chain, which stays within its table.
void CheckRecordRows(const RecordRows& rows, const std::map<int64_t, const Event*>& by_seq, const Flag& flag) {
  for (const auto& [row, r] : rows) {
    std::string where = "record row " + std::to_string(row) + " (" + r.kind + " " + r.key + ")";
    auto ev = by_seq.find(r.event_seq);
    if (ev == by_seq.end()) {
      flag(r.event_seq, "event " + std::to_string(r.event_seq) + " that wrote " + where + " is missing");
      continue;
    }
    const Event& e = *ev->second;
    if (e.row != row || e.entity != r.kind || e.entity_id != r.key || e.assessment != r.assessment ||
        e.hash != r.event_hash) {
      flag(e.seq, where + " does not match event " + std::to_string(e.seq));
      continue;
    }
    if (e.after != r.data) {
      flag(e.seq, where + " was changed after event " + std::to_string(e.seq) + " wrote it");
      continue;
    }
    std::string before;
    if (r.has_supersedes) {
      auto old = rows.find(r.supersedes);
      if (old == rows.end()) {
        flag(e.seq, where + " supersedes row " + std::to_string(r.supersedes) + ", which is missing");
        continue;
      }
      before = old->second.data;
      if (!old->second.has_superseded_by || old->second.superseded_by != row)
        flag(e.seq, "record row " + std::to_string(r.supersedes) + " is not marked as superseded by row " +
                        std::to_string(row));
    }
    if (e.before != before)
      flag(e.seq, where + ": the version it supersedes does not match event " + std::to_string(e.seq));
    if (r.current == r.has_superseded_by) flag(e.seq, where + ": its current flag does not match its superseded_by");
    if (r.has_superseded_by) {
      auto next = rows.find(r.superseded_by);
      if (next == rows.end() || !next->second.has_supersedes || next->second.supersedes != row)
        flag(e.seq, where + " is marked superseded by row " + std::to_string(r.superseded_by) +
                        ", which does not supersede it");
    }
  }
}
}  // namespace

Status SqlWorkspace::VerifyLog(VerifyReport* report) {
  *report = VerifyReport();
  try {
    sql::Transaction tx(*db_, sql::Tx::kRead);  // one consistent read
    ASSAY_RETURN_IF_ERROR(CheckIntegrity());
    std::vector<Event> events;
    ASSAY_RETURN_IF_ERROR(ReadLog("", &events));
    // Problems by event; the first one is reported.
    std::map<int64_t, std::string> bad;
    const Flag flag = [&bad](int64_t seq, std::string msg) { bad.emplace(seq, std::move(msg)); };

    std::map<int64_t, const Event*> by_seq;
    std::string prev;
    int64_t expected = 1;
    for (const Event& e : events) {
      by_seq[e.seq] = &e;
      if (e.seq != expected) flag(expected, "event " + std::to_string(expected) + " is missing");
      expected = e.seq + 1;
      if (e.prev_hash != prev)
        flag(e.seq, "event " + std::to_string(e.seq) + " does not follow the event before it (prev_hash mismatch)");
      if (!EventHashMatches(e))
        flag(e.seq, "event " + std::to_string(e.seq) + " was changed after it was written (hash mismatch)");
      prev = e.hash;
      ++report->events;
    }
    if (!events.empty()) {
      report->head_seq = events.back().seq;
      report->head_hash = events.back().hash;
    }

    // Since schema 9 the certification-audit records are in audit_records,
    // and only there; their events keep the subject " audit:CLIENT".
    const bool audit_table = version_ >= 9;
    RecordRows rows, audit_rows;
    ReadRecordRows(*db_, "records", "assessment", "", &rows);
    CheckRecordRows(rows, by_seq, flag);
    if (audit_table) {
      for (const auto& [row, r] : rows)
        if (IsAuditSubject(r.assessment))
          flag(r.event_seq, "record row " + std::to_string(row) + " (" + r.kind + " " + r.key +
                                ") is a certification-audit record outside the table audit_records");
      ReadRecordRows(*db_, "audit_records", "client", kAuditSubjectPrefix, &audit_rows);
      CheckRecordRows(audit_rows, by_seq, flag);
    }
    report->records = static_cast<int64_t>(rows.size() + audit_rows.size());
    std::vector<int64_t> rating_rows;  // sorted
    if (version_ >= 4) ASSAY_RETURN_IF_ERROR(VerifyRatings(by_seq, &bad, &report->records, &rating_rows));
    if (version_ >= 5) ASSAY_RETURN_IF_ERROR(VerifyTrust(by_seq, &bad, report));  // keys, seals, accounts (v7), merges
    if (version_ >= 8) ASSAY_RETURN_IF_ERROR(VerifyFiles(by_seq, &bad, &report->files));
    for (const Event& e : events) {
      if ((e.action == "import" && e.entity == kKindRating) || WrittenOutsideRecords(e.entity)) continue;  // above
      const bool found = audit_table && IsAuditSubject(e.assessment)
                             ? audit_rows.count(e.row) > 0
                             : rows.count(e.row) > 0 || std::binary_search(rating_rows.begin(), rating_rows.end(), e.row);
      if (!found)
        flag(e.seq, std::string(audit_table && IsAuditSubject(e.assessment) ? "audit record row " : "record row ") +
                        std::to_string(e.row) + " written by event " + std::to_string(e.seq) + " is missing");
    }
    tx.Commit();
    if (!bad.empty()) {
      report->first_bad_event = bad.begin()->first;
      return Status::Corruption(path_ + ": log does not verify at event " + std::to_string(bad.begin()->first) +
                                ": " + bad.begin()->second);
    }
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status OpenWorkspaceAtVersion(const std::string& path, const WorkspaceOptions& options, int version,
                              std::unique_ptr<Workspace>* workspace) {
  return OpenImpl(path, options, version, workspace);
}

}  // namespace internal

ModelResolver LibraryResolver(const ModelLibrary* library) {
  return [library](const std::string& id, const std::string& version, std::shared_ptr<const Model>* model) {
    std::vector<Diagnostic> diags;
    Status s = library->Load(id, version, model, &diags);
    if (!s.ok() && s.code() != Status::Code::kNotFound && !diags.empty())
      return Status::InvalidInput(s.message() + ": " + diags.front().ToString());
    return s;
  };
}

bool IsServerLocation(const std::string& path) { return internal::sql::IsPostgresUri(path); }

Status Workspace::Open(const std::string& path, const WorkspaceOptions& options, std::unique_ptr<Workspace>* workspace) {
  return internal::OpenImpl(path, options, kSchemaVersion, workspace);
}

Workspace::~Workspace() = default;

Status Workspace::ReadSnapshot(const std::string& id, AssessmentData* data) {
  Snapshot snapshot;
  ASSAY_RETURN_IF_ERROR(ReadSnapshot(id, SnapshotOptions(), &snapshot));
  *data = std::move(snapshot.data);
  return Status::OK();
}

Status Workspace::Export(const std::string& id, std::string* json) {
  Snapshot snapshot;
  ASSAY_RETURN_IF_ERROR(ReadSnapshot(id, SnapshotOptions(), &snapshot));
  return internal::EncodeExport(path(), snapshot.data, json);
}

Status Workspace::Import(const std::string& path, const ImportOptions& options, ImportReport* report) {
  *report = ImportReport();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidInput(path + ": is a directory");
  const uintmax_t size = std::filesystem::file_size(path, ec);
  // The limit guards memory: the file is read whole.
  if (!ec && size > options.max_bytes)
    return Status::InvalidInput(path + ": larger than " + std::to_string(options.max_bytes >> 20) + " MiB")
        .About("file", path, {}, "too-large");
  // One copy of the bytes in memory: read straight into the buffer the
  // import parses (the CSV rows are views into it).
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  if (!ec) {
    text.resize(static_cast<size_t>(size));
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Status::IOError(path + ": read failed");
  if (!ec && in.peek() != std::char_traits<char>::eof()) {  // the file grew: read the rest
    std::ostringstream rest;
    rest << in.rdbuf();
    text += rest.str();
  }
  return ImportText(text, path, options, report);
}

Status FileSha256(const std::string& path, std::string* hex) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": read failed");
  *hex = Sha256Hex(ss.str());
  return Status::OK();
}

}  // namespace assay
