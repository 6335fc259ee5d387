// Workspace: registered keys and sealed log heads (schema version 5;
// docs/TRUST.md, signing.h), and the database's own integrity check.
#include <set>

#include "assay/signing.h"
#include "store/store_impl.h"

namespace assay::internal {

namespace {

using nlohmann::json;

// The canonical JSON an event records for a key and for a seal (its after).
std::string KeyJson(const std::string& key_id, const std::string& person, const std::string& public_key) {
  return Canonical(json{{"key", key_id}, {"person", person}, {"public_key", public_key}});
}

std::string SealJson(const SealInfo& s) {
  return Canonical(json{{"at", s.at},
                        {"hash", s.hash},
                        {"key", s.key_id},
                        {"seq", s.seq},
                        {"signature", s.signature},
                        {"signer", s.signer},
                        {"workspace", s.workspace_id}});
}

// The base64 line of a public key file (PublicKey::ToText's second line).
std::string PublicKeyLine(const PublicKey& key) {
  std::string text = key.ToText();
  size_t nl = text.find('\n');
  std::string line = text.substr(nl + 1);
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

std::string Abbrev(const std::string& hash) { return hash.size() > 16 ? hash.substr(0, 16) + "..." : hash; }

constexpr const char* kSealColumns = "row_id, workspace, seq, hash, at, signer, key_id, signature, event_seq";

// A seal from a row of kSealColumns.
SealInfo SealOfRow(sql::Statement& q, int64_t* row) {
  SealInfo s;
  *row = q.Int64(0);
  s.workspace_id = q.String(1);
  s.seq = q.Int64(2);
  s.hash = q.String(3);
  s.at = q.String(4);
  s.signer = q.String(5);
  s.key_id = q.String(6);
  s.signature = q.String(7);
  s.event = q.Int64(8);
  s.line = SealLine(s);
  return s;
}

// "seal of event 42 (recorded by event 43, key ABCD...)" for messages.
std::string SealLabel(const SealInfo& s) {
  return "the seal of event " + std::to_string(s.seq) + " (recorded by event " + std::to_string(s.event) + ", key " +
         s.key_id + ")";
}

// The next row ID of `table` (keys or seals: each its own sequence; the
// event's entity says which table its row is in).
int64_t NextRowOf(sql::Connection& db, const char* table) {
  sql::Statement q(db, std::string("SELECT coalesce(max(row_id), 0) + 1 FROM ") + table);
  q.Step();
  return q.Int64(0);
}

}  // namespace

Status SqlWorkspace::CheckIntegrity() {
  std::string problems;
  for (const std::string& m : db_->IntegrityProblems(10)) problems += (problems.empty() ? "" : "; ") + m;
  if (problems.empty()) return Status::OK();
  return Status::Corruption(path_ + ": the database's own integrity check failed (an index out of step with its table, "
                                    "or a damaged page): " + problems);
}

Status SqlWorkspace::WorkspaceId(std::string* id) {
  if (version_ < 5)
    return Status::Unsupported(path_ + ": keys and seals need workspace schema version 5 (this one is " +
                               std::to_string(version_) + ")");
  try {
    sql::Statement q(*db_, "SELECT value FROM workspace_info WHERE name = 'id'");
    if (!q.Step())
      return Status::Corruption(path_ + ": the workspace has no ID (table workspace_info is empty); the file is damaged");
    *id = q.String(0);
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::ListKeys(std::vector<KeyInfo>* out) {
  out->clear();
  if (version_ < 5) return Status::OK();
  try {
    sql::Statement q(*db_,
                        "SELECT k.key_id, k.person, k.public_key, k.event_seq, coalesce(e.at, ''), "
                        "coalesce(e.actor, '') FROM keys k LEFT JOIN events e ON e.seq = k.event_seq "
                        "ORDER BY k.row_id");
    while (q.Step()) {
      KeyInfo k;
      k.key_id = q.String(0);
      k.person = q.String(1);
      k.public_key = q.String(2);
      k.event = q.Int64(3);
      k.registered_at = q.String(4);
      k.registered_by = q.String(5);
      out->push_back(std::move(k));
    }
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::RegisterKey(const PublicKey& key, const std::string& person, KeyInfo* out) {
  std::string ws_id;
  ASSAY_RETURN_IF_ERROR(WorkspaceId(&ws_id));  // schema 5
  const std::string id = key.KeyIdHex();
  if (!IsValidKeyPerson(person)) {
    // Quoted when printable; never echo control characters.
    bool printable = !person.empty();
    for (char c : person) printable = printable && c >= 0x20 && c < 0x7f;
    return Status::InvalidInput((printable ? "'" + person + "'" : std::string("this person ID")) +
                                " cannot own a key: a person ID of 1 to 64 characters of A-Z a-z 0-9 . _ @ + - is "
                                "needed; nothing was written")
        .About("key", id, {}, "person");
  }
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    sql::Statement dup(*db_, "SELECT person, event_seq FROM keys WHERE key_id = ?");
    dup.Bind(1, id);
    if (dup.Step())
      return Status::InvalidInput("key " + id + " is already registered in " + path_ + " (for " +
                                  dup.String(0) + ", by event " +
                                  std::to_string(dup.Int64(1)) + "); nothing was written")
          .About("key", id, {}, "duplicate");
    KeyInfo k;
    k.key_id = id;
    k.person = person;
    k.public_key = PublicKeyLine(key);
    Event e;
    int64_t unused_record_row = 0;
    NextRowAndEvent(&unused_record_row, &e.seq, &e.prev_hash);
    e.at = Now();
    e.actor = options_.actor;
    e.action = "register";
    e.entity = kKindKey;
    e.entity_id = id;
    e.row = NextRowOf(*db_, "keys");
    e.after = KeyJson(k.key_id, k.person, k.public_key);
    InsertEvent(&e);
    sql::Statement ins(*db_, "INSERT INTO keys (row_id, key_id, person, public_key, event_seq) VALUES (?,?,?,?,?)");
    ins.Bind(1, e.row);
    ins.Bind(2, k.key_id);
    ins.Bind(3, k.person);
    ins.Bind(4, k.public_key);
    ins.Bind(5, e.seq);
    ins.Exec();
    tx.Commit();
    k.event = e.seq;
    k.registered_at = e.at;
    k.registered_by = e.actor;
    *out = std::move(k);
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::Seal(const SecretKey& key, SealInfo* out) {
  if (!key.loaded()) return Status::InvalidInput("no secret key loaded");
  SealInfo s;
  ASSAY_RETURN_IF_ERROR(WorkspaceId(&s.workspace_id));  // schema 5
  const std::string id = key.public_key().KeyIdHex();
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    sql::Statement k(*db_, "SELECT person, public_key FROM keys WHERE key_id = ?");
    k.Bind(1, id);
    if (!k.Step())
      return Status::NotFound("key " + id + " is not registered in " + path_ + "; nothing was sealed")
          .About("key", id, {}, "unregistered");
    if (k.String(1) != PublicKeyLine(key.public_key()))
      return Status::InvalidInput("the secret key does not match the public key registered as " + id +
                                  "; nothing was sealed");
    s.signer = k.String(0);
    s.key_id = id;
    Event e;
    int64_t unused_record_row = 0;
    NextRowAndEvent(&unused_record_row, &e.seq, &e.prev_hash);
    if (e.seq == 1) return Status::InvalidInput("nothing to seal: the log of " + path_ + " is empty");
    s.seq = e.seq - 1;
    s.hash = e.prev_hash;
    s.at = Now();
    ASSAY_RETURN_IF_ERROR(SignMessage(key, SealMessage(s), &s.signature));
    s.line = SealLine(s);
    e.at = s.at;
    e.actor = options_.actor;
    e.action = "seal";
    e.entity = kKindSeal;
    e.entity_id = std::to_string(s.seq);
    e.row = NextRowOf(*db_, "seals");
    e.after = SealJson(s);
    InsertEvent(&e);
    sql::Statement ins(*db_,
                          "INSERT INTO seals (row_id, workspace, seq, hash, at, signer, key_id, signature, event_seq) "
                          "VALUES (?,?,?,?,?,?,?,?,?)");
    ins.Bind(1, e.row);
    ins.Bind(2, s.workspace_id);
    ins.Bind(3, s.seq);
    ins.Bind(4, s.hash);
    ins.Bind(5, s.at);
    ins.Bind(6, s.signer);
    ins.Bind(7, s.key_id);
    ins.Bind(8, s.signature);
    ins.Bind(9, e.seq);
    ins.Exec();
    tx.Commit();
    s.event = e.seq;
    *out = std::move(s);
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::ListSeals(std::vector<SealInfo>* out) {
  out->clear();
  if (version_ < 5) return Status::OK();
  try {
    sql::Statement q(*db_, std::string("SELECT ") + kSealColumns + " FROM seals ORDER BY event_seq, row_id");
    int64_t row = 0;
    while (q.Step()) out->push_back(SealOfRow(q, &row));
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::LatestSeal(int64_t up_to_event, SealInfo* out, bool* found) {
  *out = SealInfo();
  *found = false;
  if (version_ < 5) return Status::OK();
  try {
    sql::Statement q(*db_, std::string("SELECT ") + kSealColumns +
                                  " FROM seals WHERE ?1 = 0 OR event_seq <= ?1 ORDER BY event_seq DESC LIMIT 1");
    q.Bind(1, up_to_event);
    int64_t row = 0;
    if (q.Step()) {
      *out = SealOfRow(q, &row);
      *found = true;
    }
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::CheckSeal(const SealInfo& seal, const PublicKey* key) {
  if (key && key->KeyIdHex() != seal.key_id)
    return Status::InvalidInput("the seal was made with key " + seal.key_id + ", not with the given key " +
                                key->KeyIdHex());
  std::string ws_id;
  ASSAY_RETURN_IF_ERROR(WorkspaceId(&ws_id));
  try {
    sql::Transaction tx(*db_, sql::Tx::kRead);  // one consistent read
    PublicKey registered;
    const PublicKey* use = key;
    if (!use) {
      sql::Statement k(*db_, "SELECT public_key FROM keys WHERE key_id = ?");
      k.Bind(1, seal.key_id);
      if (k.Step()) {
        if (!ParsePublicKey(k.String(0), &registered).ok())
          return Status::Corruption(path_ + ": the public key registered as " + seal.key_id + " is damaged");
        use = &registered;
      }
    }
    if (use && !VerifyMessage(*use, SealMessage(seal), seal.signature))
      return Status::Corruption("the seal's signature does not verify with key " + seal.key_id +
                                ": the seal line was altered, or was not made with that key");
    if (seal.workspace_id != ws_id)
      return Status::Corruption(path_ + ": the seal is of workspace " + seal.workspace_id + ", not of this one (" +
                                ws_id + ")");
    sql::Statement head(*db_, "SELECT coalesce(max(seq), 0), (SELECT hash FROM events WHERE seq = ?1) FROM events");
    head.Bind(1, seal.seq);
    head.Step();
    const int64_t last = head.Int64(0);
    const std::string where = path_ + ": the log no longer holds the sealed head (event " + std::to_string(seal.seq) +
                              " " + Abbrev(seal.hash) + "): ";
    if (head.IsNull(1))
      return Status::Corruption(where + (last == 0 ? std::string("the log is empty")
                                                   : "the log ends at event " + std::to_string(last)) +
                                "; events were deleted after the seal");
    const std::string now = head.String(1);
    if (now != seal.hash)
      return Status::Corruption(where + "event " + std::to_string(seal.seq) + " now has hash " + Abbrev(now) +
                                "; the log was changed and rehashed after the seal");
    if (!use)
      return Status::Corruption(path_ + ": the seal's key " + seal.key_id +
                                " is not registered in this workspace (was its registration removed?); its "
                                "signature cannot be checked without the signer's public key")
          .About("key", seal.key_id, {}, "seal-key-unregistered");
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::VerifyTrust(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
                                    VerifyReport* report) {
  auto flag = [bad](int64_t seq, std::string msg) { bad->emplace(seq, std::move(msg)); };
  std::string ws_id;
  ASSAY_RETURN_IF_ERROR(WorkspaceId(&ws_id));
  // The event that wrote a row of `entity`, checked; nullptr (flagged) when it does not match.
  auto event_of = [&](const char* entity, const char* action, int64_t row, int64_t seq, const std::string& entity_id,
                      const std::string& after, const std::string& what) -> const Event* {
    auto ev = by_seq.find(seq);
    if (ev == by_seq.end()) {
      flag(seq, "event " + std::to_string(seq) + " that wrote " + what + " is missing");
      return nullptr;
    }
    const Event& e = *ev->second;
    if (e.entity != entity || e.action != action || e.row != row || e.entity_id != entity_id || !e.assessment.empty()) {
      flag(seq, what + " does not match event " + std::to_string(seq));
      return nullptr;
    }
    if (e.after != after) {
      flag(seq, what + " was changed after event " + std::to_string(seq) + " wrote it");
      return nullptr;
    }
    return &e;
  };
  std::set<std::pair<std::string, int64_t>> written;  // (entity, event seq) of every row
  struct Registered {
    PublicKey key;
    int64_t event;
  };
  std::map<std::string, Registered> keys;
  sql::Statement kq(*db_, "SELECT row_id, key_id, person, public_key, event_seq FROM keys ORDER BY row_id");
  while (kq.Step()) {
    ++report->keys;
    const int64_t row = kq.Int64(0), seq = kq.Int64(4);
    const std::string id = kq.String(1), pub = kq.String(3);
    const std::string what = "key row " + std::to_string(row) + " (key " + id + ")";
    written.insert({kKindKey, seq});
    if (!event_of(kKindKey, "register", row, seq, id, KeyJson(id, kq.String(2), pub), what)) continue;
    PublicKey pk;
    if (!ParsePublicKey(pub, &pk).ok() || pk.KeyIdHex() != id) {
      flag(seq, what + ": its public key is not key " + id);
      continue;
    }
    keys[id] = {pk, seq};
  }
  sql::Statement sq(*db_, std::string("SELECT ") + kSealColumns + " FROM seals ORDER BY row_id");
  while (sq.Step()) {
    ++report->seals;
    int64_t row = 0;
    const SealInfo s = SealOfRow(sq, &row);
    const std::string what = "seal row " + std::to_string(row) + " (" + SealLabel(s) + ")";
    written.insert({kKindSeal, s.event});
    const Event* e = event_of(kKindSeal, "seal", row, s.event, std::to_string(s.seq), SealJson(s), what);
    if (!e) continue;
    auto k = keys.find(s.key_id);
    if (s.workspace_id != ws_id) {
      flag(e->seq, SealLabel(s) + " names workspace " + s.workspace_id + ", not this one (" + ws_id + ")");
    } else if (k == keys.end() || k->second.event > e->seq) {
      flag(e->seq, SealLabel(s) + " was made with key " + s.key_id + ", which is not registered before it");
    } else if (!VerifyMessage(k->second.key, SealMessage(s), s.signature)) {
      flag(e->seq, SealLabel(s) + ": its signature does not verify with key " + s.key_id);
    } else if (s.seq >= e->seq) {
      flag(e->seq, SealLabel(s) + " seals an event that is not before it");
    }
    auto sealed = by_seq.find(s.seq);
    if (sealed == by_seq.end())
      flag(s.seq, "event " + std::to_string(s.seq) + ", sealed by " + SealLabel(s) + ", is missing");
    else if (sealed->second->hash != s.hash)
      flag(s.seq, "event " + std::to_string(s.seq) + " no longer has the hash " + Abbrev(s.hash) + " that " +
                      SealLabel(s) + " sealed: the log was changed and rehashed after the seal");
  }
  if (version_ >= 7) ASSAY_RETURN_IF_ERROR(VerifyAccounts(by_seq, bad, &report->records));  // store_accounts.cc
  for (const auto& [seq, e] : by_seq) {
    if (e->entity != kKindKey && e->entity != kKindSeal) continue;
    if (!written.count({e->entity, seq}))
      flag(seq, e->entity + " row " + std::to_string(e->row) + " written by event " + std::to_string(seq) +
                    " is missing");
  }
  return VerifyMerges(by_seq, bad, report);  // hand-out chains and seals (store_merge.cc)
}

}  // namespace assay::internal
