// Copying a whole workspace into an empty one, of either kind (SQLite file
// or PostgreSQL database): every row as it is, so the copy's log is the same
// chain with the same hashes.
#include <algorithm>
#include <string>

#include "store/store_impl.h"

namespace assay::internal {

namespace {

// The tables of the schema and their columns, in an order that keeps
// every reference to a row already copied (events first).
struct TableCopy {
  const char* table;
  const char* columns;
  const char* order;
};
constexpr TableCopy kTables[] = {
    {"events",
     "seq, at, actor, assessment, action, entity, entity_id, row_id, before_json, after_json, prev_hash, hash", "seq"},
    {"records",
     "row_id, assessment, kind, record_key, data, supersedes, superseded_by, is_current, event_seq, event_hash",
     "row_id"},
    {"ratings",
     "row_id, assessment, instance, item, assessor, consolidated, process, item_kind, value, strength, weakness, "
     "reasons, evidence, rated_at, justification, supersedes, superseded_by, is_current, event_seq",
     "row_id"},
    {"keys", "row_id, key_id, person, public_key, event_seq", "row_id"},
    {"seals", "row_id, workspace, seq, hash, at, signer, key_id, signature, event_seq", "row_id"},
    {"accounts", "row_id, account, data, password_hash, supersedes, is_current, event_seq", "row_id"},
    {"files", "row_id, sha256, size, content, event_seq", "row_id"},
    {"audit_records",
     "row_id, client, kind, record_key, data, supersedes, superseded_by, is_current, event_seq, event_hash",
     "row_id"},
};

// Copies every row of `t` from `from` to `to`; the number of rows.
int64_t CopyTable(sql::Connection& from, sql::Connection& to, const TableCopy& t) {
  const std::string columns = t.columns;
  const int n = static_cast<int>(std::count(columns.begin(), columns.end(), ',')) + 1;
  std::string values;
  for (int i = 1; i <= n; ++i) values += (i > 1 ? ",?" : "?") + std::to_string(i);
  sql::Statement q(from, "SELECT " + columns + " FROM " + t.table + " ORDER BY " + t.order);
  sql::Statement ins(to, std::string("INSERT INTO ") + t.table + " (" + columns + ") VALUES (" + values + ")", true);
  int64_t rows = 0;
  while (q.Step()) {
    for (int i = 0; i < n; ++i) {
      if (q.IsNull(i))
        ins.BindNull(i + 1);
      else
        ins.BindNoCopy(i + 1, q.Text(i));
    }
    ins.Exec();
    ins.Reset();
    ++rows;
  }
  return rows;
}

}  // namespace

Status SqlWorkspace::CopyInto(Workspace* dest_ws, CopyReport* report) {
  *report = CopyReport();
  auto* dest = dynamic_cast<SqlWorkspace*>(dest_ws);
  if (!dest) return Status::Unsupported(dest_ws->path() + ": not a workspace this assay can copy into");
  if (dest == this)
    return Status::InvalidInput(path_ + ": not empty; a workspace is copied into a new one")
        .About("workspace", path_, {}, "not-empty");
  if (version_ != dest->version_)
    return Status::Unsupported(path_ + ": schema version " + std::to_string(version_) + ", but " + dest->path() +
                               " has " + std::to_string(dest->version_) + "; open both with this assay first");
  std::string head_hash;
  try {
    sql::Transaction read(*db_, sql::Tx::kRead);  // one consistent state
    sql::Transaction write(dest->db(), sql::Tx::kWrite);
    if (sql::QueryInt64(dest->db(), "SELECT count(*) FROM events") > 0 ||
        sql::QueryInt64(dest->db(), "SELECT count(*) FROM records") > 0)
      return Status::InvalidInput(dest->path() + ": not empty; a workspace is copied into a new one")
          .About("workspace", dest->path(), {}, "not-empty");
    report->events = CopyTable(*db_, dest->db(), kTables[0]);
    report->records = CopyTable(*db_, dest->db(), kTables[1]);
    if (version_ >= 4) report->ratings = CopyTable(*db_, dest->db(), kTables[2]);
    if (version_ >= 5) {
      report->keys = CopyTable(*db_, dest->db(), kTables[3]);
      report->seals = CopyTable(*db_, dest->db(), kTables[4]);
      // A copy is a backup: the accounts come along with their password
      // hashes (Argon2id), so that the copy's log verifies and sign-in works.
      if (version_ >= 7) report->accounts = CopyTable(*db_, dest->db(), kTables[5]);
      if (version_ >= 8) report->files = CopyTable(*db_, dest->db(), kTables[6]);
      // The certification-audit records (schema 9; in records before):
      // counted with the records, as they were before.
      if (version_ >= 9) report->records += CopyTable(*db_, dest->db(), kTables[7]);
      // The workspace's ID (seals name it) and a hand-out's statement.
      sql::Statement info(*db_, "SELECT name, value FROM workspace_info WHERE name IN ('id', 'handout') ORDER BY name");
      sql::Statement put(dest->db(),
                         "INSERT INTO workspace_info (name, value) VALUES (?1, ?2) "
                         "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
      while (info.Step()) {
        put.Bind(1, info.Text(0));
        put.Bind(2, info.Text(1));
        put.Exec();
        put.Reset();
      }
    }
    sql::Statement head(*db_, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
    if (head.Step()) {
      report->head_seq = head.Int64(0);
      head_hash = head.String(1);
    }
    write.Commit();
    read.Commit();
  } catch (const std::exception& e) {
    return SqliteError(dest->path(), e);
  }
  ASSAY_RETURN_IF_ERROR(dest->VerifyLog(&report->verified));
  if (report->verified.head_seq != report->head_seq || report->verified.head_hash != head_hash)
    return Status::Corruption(dest->path() + ": the copy ends at event " + std::to_string(report->verified.head_seq) +
                              ", not at the source's head " + std::to_string(report->head_seq));
  return Status::OK();
}

}  // namespace assay::internal
