// Evidence files kept in the workspace (schema version 8; store.h,
// docs/WORKSPACE.md). A file is stored once per content, keyed by its
// SHA-256, as base64 text (both SQL back ends hold it as text), and written
// with one event of entity "file" whose after JSON names its size and
// SHA-256: the log shows who kept which file when, and `log verify` finds a
// file changed, replaced or removed outside assay.
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "assay/text.h"
#include "store/store_impl.h"

namespace assay::internal {

namespace {

using nlohmann::json;

std::string ToBase64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// False unless `text` is base64 through to its end.
bool FromBase64(std::string_view text, std::string* bytes) {
  bytes->assign(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (text.empty()) {
    bytes->clear();
    return true;
  }
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes->data()), bytes->size(), text.data(), text.size(),
                        nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return false;
  bytes->resize(len);
  return true;
}

bool IsSha256Hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void SqlWorkspace::InsertKeptFile(Event* e, const std::string& sha256, int64_t size, const std::string& base64) {
  int64_t unused_row = 0;
  NextRowAndEvent(&unused_row, &e->seq, &e->prev_hash);
  e->row = sql::QueryInt64(*db_, "SELECT coalesce(max(row_id), 0) + 1 FROM files");
  e->action = "keep";
  e->entity = kKindFile;
  e->entity_id = sha256;
  InsertEvent(e);
  sql::Statement ins(*db_, "INSERT INTO files (row_id, sha256, size, content, event_seq) VALUES (?, ?, ?, ?, ?)");
  ins.Bind(1, e->row);
  ins.Bind(2, sha256);
  ins.Bind(3, size);
  ins.Bind(4, base64);
  ins.Bind(5, e->seq);
  ins.Exec();
}

Status SqlWorkspace::KeepEvidenceFile(const std::string& assessment, const std::string& evidence,
                                      const std::string& bytes, WriteResult* result) {
  *result = WriteResult();
  if (version_ < 8) return Status::Unsupported(path_ + ": keeping evidence files needs workspace schema version 8");
  if (bytes.empty())
    return Status::InvalidInput("evidence " + Quote(evidence) + ": the file is empty").About("file", evidence, {}, "empty");
  if (static_cast<int64_t>(bytes.size()) > kMaxKeptFileBytes)
    return Status::InvalidInput("evidence " + Quote(evidence) + ": the file has " + std::to_string(bytes.size()) +
                                " bytes, more than the " + std::to_string(kMaxKeptFileBytes >> 20) +
                                " MiB a workspace keeps; record its SHA-256 only and keep the file elsewhere")
        .About("file", evidence, {}, "too-large");
  const std::string sha = Sha256Hex(bytes);
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    Context ctx;
    ASSAY_RETURN_IF_ERROR(LoadContext(assessment, false, &ctx));
    auto it = ctx.evidence.find(evidence);
    if (it == ctx.evidence.end()) {
      std::vector<std::string> ids;
      for (const auto& [id, unused] : ctx.evidence) ids.push_back(id);
      return Status::NotFound("no evidence item " + Quote(evidence) + " in assessment " + Quote(assessment) +
                              SuggestionSuffix(evidence, ids))
          .About("evidence", evidence, NearestIds(evidence, ids), ids.empty() ? "none-yet" : "missing");
    }
    bool changed = false;
    if (it->second.sha256 != sha) {
      Evidence e = it->second;
      e.sha256 = sha;
      WriteResult update;
      ASSAY_RETURN_IF_ERROR(ApplyRecord(&ctx, e, "update", true, &update));
      result->event = update.event;
      result->row = update.row;
      changed = true;
    }
    sql::Statement have(*db_, "SELECT 1 FROM files WHERE sha256 = ?");
    have.Bind(1, sha);
    if (!have.Step()) {
      Event e;
      e.at = Now();
      e.actor = options_.actor;
      e.assessment = assessment;
      e.after = Canonical(json{{"bytes", static_cast<int64_t>(bytes.size())}, {"evidence", evidence}, {"sha256", sha}});
      InsertKeptFile(&e, sha, static_cast<int64_t>(bytes.size()), ToBase64(bytes));
      result->event = e.seq;
      changed = true;
    }
    have.Reset();
    result->kind = changed ? WriteResult::Kind::kUpdated : WriteResult::Kind::kUnchanged;
    if (result->row == 0) result->row = ctx.rows[kKindEvidence][evidence].row;
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);  // a PermissionError too
  }
}

Status SqlWorkspace::ReadKeptFile(const std::string& given, std::string* bytes) {
  bytes->clear();
  const std::string sha = Lower(given);
  if (!IsSha256Hex(sha))
    return Status::InvalidInput(Quote(given) + " is not a SHA-256 (64 hexadecimal digits)")
        .About("file", given, {}, "invalid");
  if (version_ < 8) return Status::NotFound("no file of SHA-256 " + sha + " is kept in " + path_).About("file", sha);
  try {
    sql::Transaction tx(*db_, sql::Tx::kRead);
    sql::Statement q(*db_, "SELECT content, size FROM files WHERE sha256 = ?");
    q.Bind(1, sha);
    if (!q.Step()) return Status::NotFound("no file of SHA-256 " + sha + " is kept in " + path_).About("file", sha);
    std::string content;
    if (!FromBase64(q.Text(0), &content) || static_cast<int64_t>(content.size()) != q.Int64(1) ||
        Sha256Hex(content) != sha)
      return Status::Corruption(path_ + ": the kept file " + sha +
                                " no longer has that SHA-256; the workspace was changed outside assay")
          .About("file", sha, {}, "changed");
    tx.Commit();
    *bytes = std::move(content);
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::ListKeptFiles(std::vector<KeptFile>* out) {
  out->clear();
  if (version_ < 8) return Status::OK();
  try {
    sql::Transaction tx(*db_, sql::Tx::kRead);
    sql::Statement q(*db_,
                     "SELECT f.sha256, f.size, e.assessment, e.after_json, e.at, f.event_seq FROM files f "
                     "JOIN events e ON e.seq = f.event_seq ORDER BY f.sha256");
    while (q.Step()) {
      KeptFile f;
      f.sha256 = q.String(0);
      f.bytes = q.Int64(1);
      f.assessment = q.String(2);
      json j = json::parse(q.Text(3), nullptr, false);
      if (j.is_object() && j.contains("evidence") && j["evidence"].is_string()) f.evidence = j["evidence"];
      f.kept_at = q.String(4);
      f.event = q.Int64(5);
      out->push_back(std::move(f));
    }
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::VerifyFiles(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
                                 int64_t* files_checked) {
  std::set<int64_t> rows;
  sql::Statement q(*db_, "SELECT row_id, sha256, size, content, event_seq FROM files ORDER BY row_id");
  while (q.Step()) {
    ++*files_checked;
    const int64_t row = q.Int64(0), size = q.Int64(2), seq = q.Int64(4);
    const std::string sha = q.String(1);
    const std::string what = "kept file row " + std::to_string(row) + " (" + sha + ")";
    rows.insert(row);
    auto ev = by_seq.find(seq);
    if (ev == by_seq.end()) {
      bad->emplace(seq, "event " + std::to_string(seq) + " that kept " + what + " is missing");
      continue;
    }
    const Event& e = *ev->second;
    json after = json::parse(e.after, nullptr, false);
    if (e.entity != kKindFile || e.row != row || e.entity_id != sha || !after.is_object() ||
        after.value("bytes", int64_t{-1}) != size) {
      bad->emplace(seq, what + " does not match event " + std::to_string(seq));
      continue;
    }
    std::string content;
    if (!FromBase64(q.Text(3), &content) || static_cast<int64_t>(content.size()) != size ||
        Sha256Hex(content) != sha)
      bad->emplace(seq, what + " was changed after event " + std::to_string(seq) + " kept it");
  }
  for (const auto& [seq, e] : by_seq)
    if (e->entity == kKindFile && !rows.count(e->row))
      bad->emplace(seq, "kept file row " + std::to_string(e->row) + " (" + e->entity_id + ") written by event " +
                            std::to_string(seq) + " is missing");
  return Status::OK();
}

}  // namespace assay::internal
