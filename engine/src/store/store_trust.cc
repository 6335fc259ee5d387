// Workspace: registered keys and sealed log heads (schema version 5;
// docs/TRUST.md, seal.h), and the database's own integrity check.
#include <set>

#include "assay/seal.h"
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
SealInfo SealOfRow(SQLite::Statement& q, int64_t* row) {
  SealInfo s;
  *row = q.getColumn(0).getInt64();
  s.workspace_id = q.getColumn(1).getString();
  s.seq = q.getColumn(2).getInt64();
  s.hash = q.getColumn(3).getString();
  s.at = q.getColumn(4).getString();
  s.signer = q.getColumn(5).getString();
  s.key_id = q.getColumn(6).getString();
  s.signature = q.getColumn(7).getString();
  s.event = q.getColumn(8).getInt64();
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
int64_t NextRowOf(SQLite::Database& db, const char* table) {
  SQLite::Statement q(db, std::string("SELECT coalesce(max(row_id), 0) + 1 FROM ") + table);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

}  // namespace

Status SqliteWorkspace::CheckIntegrity() {
  SQLite::Statement q(*db_, "PRAGMA integrity_check(10)");
  std::string problems;
  while (q.executeStep()) {
    std::string m = q.getColumn(0).getString();
    if (m == "ok") continue;
    problems += (problems.empty() ? "" : "; ") + m;
  }
  if (problems.empty()) return Status::OK();
  return Status::Corruption(path_ + ": the database's own integrity check failed (an index out of step with its table, "
                                    "or a damaged page): " + problems);
}

Status SqliteWorkspace::WorkspaceId(std::string* id) {
  if (version_ < 5)
    return Status::Unsupported(path_ + ": keys and seals need workspace schema version 5 (this one is " +
                               std::to_string(version_) + ")");
  try {
    SQLite::Statement q(*db_, "SELECT value FROM workspace_info WHERE name = 'id'");
    if (!q.executeStep())
      return Status::Corruption(path_ + ": the workspace has no ID (table workspace_info is empty); the file is damaged");
    *id = q.getColumn(0).getString();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqliteWorkspace::ListKeys(std::vector<KeyInfo>* out) {
  out->clear();
  if (version_ < 5) return Status::OK();
  try {
    SQLite::Statement q(*db_,
                        "SELECT k.key_id, k.person, k.public_key, k.event_seq, coalesce(e.at, ''), "
                        "coalesce(e.actor, '') FROM keys k LEFT JOIN events e ON e.seq = k.event_seq "
                        "ORDER BY k.row_id");
    while (q.executeStep()) {
      KeyInfo k;
      k.key_id = q.getColumn(0).getString();
      k.person = q.getColumn(1).getString();
      k.public_key = q.getColumn(2).getString();
      k.event = q.getColumn(3).getInt64();
      k.registered_at = q.getColumn(4).getString();
      k.registered_by = q.getColumn(5).getString();
      out->push_back(std::move(k));
    }
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqliteWorkspace::RegisterKey(const PublicKey& key, const std::string& person, KeyInfo* out) {
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
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement dup(*db_, "SELECT person, event_seq FROM keys WHERE key_id = ?");
    dup.bind(1, id);
    if (dup.executeStep())
      return Status::InvalidInput("key " + id + " is already registered in " + path_ + " (for " +
                                  dup.getColumn(0).getString() + ", by event " +
                                  std::to_string(dup.getColumn(1).getInt64()) + "); nothing was written")
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
    SQLite::Statement ins(*db_, "INSERT INTO keys (row_id, key_id, person, public_key, event_seq) VALUES (?,?,?,?,?)");
    ins.bind(1, e.row);
    ins.bind(2, k.key_id);
    ins.bind(3, k.person);
    ins.bind(4, k.public_key);
    ins.bind(5, e.seq);
    ins.exec();
    tx.commit();
    k.event = e.seq;
    k.registered_at = e.at;
    k.registered_by = e.actor;
    *out = std::move(k);
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqliteWorkspace::Seal(const SecretKey& key, SealInfo* out) {
  if (!key.loaded()) return Status::InvalidInput("no secret key loaded");
  SealInfo s;
  ASSAY_RETURN_IF_ERROR(WorkspaceId(&s.workspace_id));  // schema 5
  const std::string id = key.public_key().KeyIdHex();
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement k(*db_, "SELECT person, public_key FROM keys WHERE key_id = ?");
    k.bind(1, id);
    if (!k.executeStep())
      return Status::NotFound("key " + id + " is not registered in " + path_ + "; nothing was sealed")
          .About("key", id, {}, "unregistered");
    if (k.getColumn(1).getString() != PublicKeyLine(key.public_key()))
      return Status::InvalidInput("the secret key does not match the public key registered as " + id +
                                  "; nothing was sealed");
    s.signer = k.getColumn(0).getString();
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
    SQLite::Statement ins(*db_,
                          "INSERT INTO seals (row_id, workspace, seq, hash, at, signer, key_id, signature, event_seq) "
                          "VALUES (?,?,?,?,?,?,?,?,?)");
    ins.bind(1, e.row);
    ins.bind(2, s.workspace_id);
    ins.bind(3, s.seq);
    ins.bind(4, s.hash);
    ins.bind(5, s.at);
    ins.bind(6, s.signer);
    ins.bind(7, s.key_id);
    ins.bind(8, s.signature);
    ins.bind(9, e.seq);
    ins.exec();
    tx.commit();
    s.event = e.seq;
    *out = std::move(s);
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqliteWorkspace::ListSeals(std::vector<SealInfo>* out) {
  out->clear();
  if (version_ < 5) return Status::OK();
  try {
    SQLite::Statement q(*db_, std::string("SELECT ") + kSealColumns + " FROM seals ORDER BY event_seq, row_id");
    int64_t row = 0;
    while (q.executeStep()) out->push_back(SealOfRow(q, &row));
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqliteWorkspace::LatestSeal(int64_t up_to_event, SealInfo* out, bool* found) {
  *out = SealInfo();
  *found = false;
  if (version_ < 5) return Status::OK();
  try {
    SQLite::Statement q(*db_, std::string("SELECT ") + kSealColumns +
                                  " FROM seals WHERE ?1 = 0 OR event_seq <= ?1 ORDER BY event_seq DESC LIMIT 1");
    q.bind(1, up_to_event);
    int64_t row = 0;
    if (q.executeStep()) {
      *out = SealOfRow(q, &row);
      *found = true;
    }
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqliteWorkspace::CheckSeal(const SealInfo& seal, const PublicKey* key) {
  if (key && key->KeyIdHex() != seal.key_id)
    return Status::InvalidInput("the seal was made with key " + seal.key_id + ", not with the given key " +
                                key->KeyIdHex());
  std::string ws_id;
  ASSAY_RETURN_IF_ERROR(WorkspaceId(&ws_id));
  try {
    SQLite::Transaction tx(*db_);  // one consistent read
    PublicKey registered;
    const PublicKey* use = key;
    if (!use) {
      SQLite::Statement k(*db_, "SELECT public_key FROM keys WHERE key_id = ?");
      k.bind(1, seal.key_id);
      if (k.executeStep()) {
        if (!ParsePublicKey(k.getColumn(0).getString(), &registered).ok())
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
    SQLite::Statement head(*db_, "SELECT coalesce(max(seq), 0), (SELECT hash FROM events WHERE seq = ?1) FROM events");
    head.bind(1, seal.seq);
    head.executeStep();
    const int64_t last = head.getColumn(0).getInt64();
    const std::string where = path_ + ": the log no longer holds the sealed head (event " + std::to_string(seal.seq) +
                              " " + Abbrev(seal.hash) + "): ";
    if (head.getColumn(1).isNull())
      return Status::Corruption(where + (last == 0 ? std::string("the log is empty")
                                                   : "the log ends at event " + std::to_string(last)) +
                                "; events were deleted after the seal");
    const std::string now = head.getColumn(1).getString();
    if (now != seal.hash)
      return Status::Corruption(where + "event " + std::to_string(seal.seq) + " now has hash " + Abbrev(now) +
                                "; the log was changed and rehashed after the seal");
    if (!use)
      return Status::Corruption(path_ + ": the seal's key " + seal.key_id +
                                " is not registered in this workspace (was its registration removed?); its "
                                "signature cannot be checked without the signer's public key")
          .About("key", seal.key_id, {}, "seal-key-unregistered");
    tx.commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqliteWorkspace::VerifyTrust(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
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
  SQLite::Statement kq(*db_, "SELECT row_id, key_id, person, public_key, event_seq FROM keys ORDER BY row_id");
  while (kq.executeStep()) {
    ++report->keys;
    const int64_t row = kq.getColumn(0).getInt64(), seq = kq.getColumn(4).getInt64();
    const std::string id = kq.getColumn(1).getString(), pub = kq.getColumn(3).getString();
    const std::string what = "key row " + std::to_string(row) + " (key " + id + ")";
    written.insert({kKindKey, seq});
    if (!event_of(kKindKey, "register", row, seq, id, KeyJson(id, kq.getColumn(2).getString(), pub), what)) continue;
    PublicKey pk;
    if (!ParsePublicKey(pub, &pk).ok() || pk.KeyIdHex() != id) {
      flag(seq, what + ": its public key is not key " + id);
      continue;
    }
    keys[id] = {pk, seq};
  }
  SQLite::Statement sq(*db_, std::string("SELECT ") + kSealColumns + " FROM seals ORDER BY row_id");
  while (sq.executeStep()) {
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
  for (const auto& [seq, e] : by_seq) {
    if (e->entity != kKindKey && e->entity != kKindSeal) continue;
    if (!written.count({e->entity, seq}))
      flag(seq, e->entity + " row " + std::to_string(e->row) + " written by event " + std::to_string(seq) +
                    " is missing");
  }
  return Status::OK();
}

}  // namespace assay::internal
