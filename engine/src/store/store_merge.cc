// Hand-outs and merge (docs/TEAMWORK.md): a copy of the workspace for one
// assessor to work on offline, and the three-way merge that brings back what
// they did since its base without losing anyone's rating.
#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "assay/signing.h"
#include "assay/text.h"
#include "store/store_impl.h"

namespace assay {

namespace internal {

namespace {

using nlohmann::json;

// One version of a record or rating written in a hand-out after its
// hand-out record, with the event that wrote it.
struct Version {
  std::string text;  // canonical JSON
  std::string at, actor, hash, action;
  int64_t seq = 0;  // the hand-out event
};

// The versions of one key a hand-out brings back, oldest first.
struct KeyChanges {
  size_t file = 0;
  std::string assessment;  // the hand-out's assessment, or "" (the registry)
  std::string entity, key;
  std::string base;  // the version current at the base ("" none)
  std::vector<Version> versions;
};

// An evidence file a hand-out kept after its base (store_files.cc), with
// the event that kept it.
struct KeptFileChange {
  size_t file = 0;
  std::string sha256;
  std::string content;  // base64, as the files table holds it
  int64_t size = 0;
  Event event;  // the hand-out's keep event
};

struct HandoutFile {
  std::string path;
  HandoutInfo info;
  int64_t head_seq = 0;
  std::string head_hash;
  std::vector<KeyChanges> keys;
  std::vector<KeptFileChange> files;
  std::vector<Event> events;  // every event after the base, in order
};

// Ratings compare without their time (a rating given again is the same).
std::string Comparable(const std::string& entity, const std::string& text) {
  if (entity != kKindRating || text.empty()) return text;
  json j = json::parse(text);
  j.erase("rated_at");
  return Canonical(j);
}

HandoutInfo InfoOf(const json& j) {
  HandoutInfo h;
  h.workspace = j.value("workspace", "");
  h.assessment = j.value("assessment", "");
  h.person = j.value("person", "");
  h.base_seq = j.value("base_seq", int64_t{0});
  h.base_hash = j.value("base_hash", "");
  return h;
}

json JsonOf(const HandoutInfo& h) {
  return {{"assessment", h.assessment},
          {"base_hash", h.base_hash},
          {"base_seq", h.base_seq},
          {"person", h.person},
          {"workspace", h.workspace}};
}

void Head(sql::Connection& db, int64_t* seq, std::string* hash) {
  sql::Statement q(db, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
  *seq = 0;
  hash->clear();
  if (q.Step()) {
    *seq = q.Int64(0);
    *hash = q.String(1);
  }
}

std::string EventHashAt(sql::Connection& db, int64_t seq) {
  sql::Statement q(db, "SELECT hash FROM events WHERE seq = ?");
  q.Bind(1, seq);
  return q.Step() ? q.String(0) : std::string();
}

// The canonical JSON of the rating in the current row of `q` (row_id then
// kRatingColumns from column 0).
std::string RatingText(sql::Statement& q, const std::string& path) {
  Rating r;
  Status s = RatingOf(FieldsFromColumns(q, 1), &r);
  if (!s.ok())
    throw std::runtime_error(path + ": rating row " + std::to_string(q.Int64(0)) + ": " +
                             s.message());
  return Canonical(ToJson(r));
}

std::string ColumnString(sql::Statement& q, int i) { return q.String(i); }

// The key's version current right after event `seq` in `db` ("" none).
std::string VersionAt(sql::Connection& db, const std::string& path, const KeyChanges& k, int64_t seq) {
  if (k.entity == kKindRating) {
    const json key = json::parse(k.key);
    const std::string instance = key.at(0).get<std::string>(), item = key.at(1).get<std::string>(),
                      assessor = key.at(2).get<std::string>();
    sql::Statement q(db, (std::string("SELECT row_id, ") + kRatingColumns +
                                    " FROM ratings r WHERE assessment = ?1 AND instance = ?3 AND item = ?4 AND "
                                    "assessor = ?5 AND " + kRatingVersionAtSeq)
                                       .c_str());
    q.BindNoCopy(1, k.assessment);
    q.Bind(2, seq);
    q.BindNoCopy(3, instance);
    q.BindNoCopy(4, item);
    q.BindNoCopy(5, assessor);
    return q.Step() ? RatingText(q, path) : std::string();
  }
  sql::Statement q(db, std::string("SELECT data FROM records r WHERE assessment = ?1 AND kind = ?3 AND "
                                      "record_key = ?4 AND ") + kVersionAtSeq);
  q.Bind(1, k.assessment);
  q.Bind(2, seq);
  q.Bind(3, k.entity);
  q.Bind(4, k.key);
  return q.Step() ? q.String(0) : std::string();
}

// Appends the versions written after event `after` in the hand-out, grouped
// by key (in the order of their first version).
void ReadChanges(sql::Connection& db, const std::string& path, size_t file, const std::string& assessment,
                 int64_t after, std::vector<KeyChanges>* out) {
  std::map<std::tuple<std::string, std::string, std::string>, size_t> index;
  auto add = [&](const std::string& a, const std::string& entity, const std::string& key, Version v) {
    auto [it, fresh] = index.emplace(std::make_tuple(a, entity, key), out->size());
    if (fresh) out->push_back(KeyChanges{file, a, entity, key, "", {}});
    (*out)[it->second].versions.push_back(std::move(v));
  };
  sql::Statement rec(db,
                        "SELECT r.assessment, r.kind, r.record_key, r.data, e.at, e.actor, e.hash, e.action, "
                        "e.seq FROM records r JOIN events e ON e.seq = r.event_seq WHERE r.event_seq > ?2 AND "
                        "(r.assessment = ?1 OR (r.assessment = '' AND r.kind = 'person')) AND "
                        "r.kind <> 'assessment' AND r.kind <> 'merge' ORDER BY r.row_id");
  rec.Bind(1, assessment);
  rec.Bind(2, after);
  while (rec.Step())
    add(rec.String(0), rec.String(1), rec.String(2),
        Version{rec.String(3), rec.String(4), rec.String(5), rec.String(6), rec.String(7), rec.Int64(8)});
  sql::Statement rat(db,
                   (std::string("SELECT x.*, e.at, e.actor, e.hash, e.action FROM (SELECT row_id, ") + kRatingColumns +
                    ", event_seq FROM ratings WHERE assessment = ?1 AND event_seq > ?2) x "
                    "JOIN events e ON e.seq = x.event_seq ORDER BY x.row_id")
                       .c_str());
  rat.BindNoCopy(1, assessment);
  rat.Bind(2, after);
  while (rat.Step()) {
    const std::string key = RatingKeyText(ColumnString(rat, 2), ColumnString(rat, 3), ColumnString(rat, 4));
    std::string text = RatingText(rat, path);
    add(assessment, kKindRating, key,
        Version{std::move(text), ColumnString(rat, 16), ColumnString(rat, 17), ColumnString(rat, 18),
                ColumnString(rat, 19), rat.Int64(15)});
  }
}

// The evidence files of `assessment` kept in the hand-out after its base
// (its log verified: each file matches its SHA-256 and its event).
void ReadKeptFiles(sql::Connection& db, size_t file, const std::string& assessment, const std::vector<Event>& events,
                   std::vector<KeptFileChange>* out) {
  for (const Event& e : events) {
    if (e.entity != kKindFile || e.assessment != assessment) continue;
    sql::Statement q(db, "SELECT sha256, size, content FROM files WHERE event_seq = ?");
    q.Bind(1, e.seq);
    if (!q.Step()) continue;  // VerifyLog finds a missing row
    out->push_back(KeptFileChange{file, q.String(0), q.String(2), q.Int64(1), e});
  }
}

}  // namespace

// ---- Hand-out ------------------------------------------------------------------

Status SqlWorkspace::Handout(const std::string& assessment, const std::string& person, const std::string& dest,
                                HandoutInfo* out) {
  *out = HandoutInfo();
  std::string workspace;
  ASSAY_RETURN_IF_ERROR(WorkspaceId(&workspace));
  try {
    sql::Transaction tx(*db_, sql::Tx::kRead);
    Context ctx;
    ASSAY_RETURN_IF_ERROR(LoadContext(assessment, false, &ctx));
    ASSAY_RETURN_IF_ERROR(CheckNotFrozen(ctx.assessment));
    if (!ctx.people.count(person)) {
      std::vector<std::string> team;
      for (const auto& [id, p] : ctx.people) team.push_back(id);
      return Status::NotFound("person " + Quote(person) + " is not on the team of assessment " + Quote(assessment) +
                              SuggestionSuffix(person, team))
          .About("person", person, NearestIds(person, team), "not-on-team");
    }
    tx.Commit();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
  ASSAY_RETURN_IF_ERROR(Backup(dest));
  // Stamp the copy with where it came from: one record, in its own chain.
  Status s = [&]() -> Status {
    WorkspaceOptions opts = options_;
    opts.create_if_missing = false;
    std::unique_ptr<Workspace> copy;
    ASSAY_RETURN_IF_ERROR(Workspace::Open(dest, opts, &copy));
    auto& c = static_cast<SqlWorkspace&>(*copy);
    try {
      sql::Transaction tx(c.db(), sql::Tx::kWrite);
      HandoutInfo info;
      info.workspace = workspace;
      info.assessment = assessment;
      info.person = person;
      Head(c.db(), &info.base_seq, &info.base_hash);
      sql::Statement q(c.db(), "INSERT INTO workspace_info (name, value) VALUES ('handout', ?) "
                                 "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
      q.Bind(1, Canonical(JsonOf(info)));
      q.Exec();
      tx.Commit();
      *out = info;
      return Status::OK();
    } catch (const std::exception& e) {
      return SqliteError(dest, e);
    }
  }();
  if (!s.ok()) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(dest + suffix, ec);
  }
  return s;
}

// ---- Merge ---------------------------------------------------------------------

namespace {

// Opens and checks one hand-out against this workspace (ID `ours`): its log
// verifies, it carries a hand-out record of this workspace. Reads what it
// changed after that record.
Status ReadHandoutFile(const std::string& path, const WorkspaceOptions& base_options, const std::string& ours,
                       size_t index, HandoutFile* out) {
  out->path = path;
  WorkspaceOptions options = base_options;
  options.create_if_missing = false;
  options.read_only = true;
  std::unique_ptr<Workspace> ws;
  Status s = Workspace::Open(path, options, &ws);
  if (!s.ok()) return s.code() == Status::Code::kNotFound ? Status::NotFound(path + ": no such hand-out file") : s;
  auto& h = static_cast<SqlWorkspace&>(*ws);
  VerifyReport verify;
  s = h.VerifyLog(&verify);
  if (!s.ok())
    return Status::Corruption(path + ": the hand-out's log does not verify, it was changed outside assay: " +
                              s.message())
        .About("file", path, {}, "tampered");
  try {
    sql::Transaction tx(h.db(), sql::Tx::kRead);
    sql::Statement q(h.db(), "SELECT value FROM workspace_info WHERE name = 'handout'");
    if (!q.Step())
      return Status::InvalidInput(path + ": not a hand-out (a workspace without a hand-out's identity; "
                                         "hand-outs are written by handout)")
          .About("file", path, {}, "not-a-handout");
    out->info = InfoOf(json::parse(q.String(0)));
    if (out->info.workspace != ours)
      return Status::InvalidInput(path + ": a hand-out of another workspace (" + out->info.workspace +
                                  "), not of this one (" + ours + ")")
          .About("file", path, {}, "other-workspace");
    Head(h.db(), &out->head_seq, &out->head_hash);
    sql::Statement ev(h.db(), std::string("SELECT ") + kEventColumns + " FROM events WHERE seq > ? ORDER BY seq");
    ev.Bind(1, out->info.base_seq);
    while (ev.Step()) out->events.push_back(EventOfRow(ev));
    ReadChanges(h.db(), path, index, out->info.assessment, out->info.base_seq, &out->keys);
    for (KeyChanges& k : out->keys) k.base = VersionAt(h.db(), path, k, out->info.base_seq);
    if (h.schema_version() >= 8) ReadKeptFiles(h.db(), index, out->info.assessment, out->events, &out->files);
    tx.Commit();
  } catch (const std::exception& e) {
    return SqliteError(path, e);
  }
  return Status::OK();
}

// This workspace's current version of a key, with the time and actor of
// the event that wrote it (all "" when there is none).
void CurrentOf(SqlWorkspace& w, const KeyChanges& k, std::string* text, std::string* at, std::string* actor) {
  text->clear();
  at->clear();
  actor->clear();
  int64_t row = 0;
  if (k.entity == kKindRating) {
    const json key = json::parse(k.key);
    Rating r;
    if (!w.FindCurrentRating(k.assessment, key.at(0).get<std::string>(), key.at(1).get<std::string>(),
                             key.at(2).get<std::string>(), &row, &r))
      return;
    *text = Canonical(ToJson(r));
  } else {
    sql::Statement q(w.db(),
                        "SELECT row_id, data FROM records WHERE assessment = ? AND kind = ? AND record_key = ? "
                        "AND is_current = 1");
    q.Bind(1, k.assessment);
    q.Bind(2, k.entity);
    q.Bind(3, k.key);
    if (!q.Step()) return;
    row = q.Int64(0);
    *text = q.String(1);
  }
  sql::Statement e(w.db(), k.entity == kKindRating
                                  ? "SELECT e.at, e.actor FROM ratings r JOIN events e ON e.seq = r.event_seq "
                                    "WHERE r.row_id = ?"
                                  : "SELECT e.at, e.actor FROM records r JOIN events e ON e.seq = r.event_seq "
                                    "WHERE r.row_id = ?");
  e.Bind(1, row);
  if (e.Step()) {
    *at = e.String(0);
    *actor = e.String(1);
  }
}

// ---- Provenance (store.h, MergeProvenance) ----------------------------------------

// A key registered in this workspace.
struct KeyOf {
  std::string person;
  PublicKey key;
  int64_t event = 0;  // the registering event
};

std::map<std::string, KeyOf> LoadKeys(sql::Connection& db) {
  std::map<std::string, KeyOf> keys;
  sql::Statement q(db, "SELECT key_id, person, public_key, event_seq FROM keys ORDER BY row_id");
  while (q.Step()) {
    KeyOf k{q.String(1), PublicKey(), q.Int64(3)};
    if (ParsePublicKey(q.String(2), &k.key).ok()) keys.emplace(q.String(0), std::move(k));
  }
  return keys;
}

// The seal a seal event records (its after: store_trust.cc's SealJson);
// false when it is not one.
bool SealOfJson(const std::string& after, SealInfo* s) {
  const json j = json::parse(after, nullptr, false);
  if (!j.is_object()) return false;
  try {
    s->at = j.at("at").get<std::string>();
    s->hash = j.at("hash").get<std::string>();
    s->key_id = j.at("key").get<std::string>();
    s->seq = j.at("seq").get<int64_t>();
    s->signature = j.at("signature").get<std::string>();
    s->signer = j.at("signer").get<std::string>();
    s->workspace_id = j.at("workspace").get<std::string>();
  } catch (const json::exception&) {
    return false;
  }
  s->line = SealLine(*s);
  return true;
}

// Whether `seal`, recorded in the hand-out of `person` after its base,
// holds here: made with a key registered here (by an event before
// `before_event`) to that person, for this workspace (`ours`), its
// signature verifies with that key, and it seals `sealed_hash` (the hash of
// the hand-out's event seal.seq). Messages start with `where`.
Status CheckHandoutSeal(const std::string& where, const SealInfo& seal, const std::string& ours,
                        const std::string& person, const std::map<std::string, KeyOf>& keys, int64_t before_event,
                        const std::string& sealed_hash) {
  const std::string what = where + "the seal of hand-out event " + std::to_string(seal.seq) + " (recorded by its event " +
                           std::to_string(seal.event) + ", key " + seal.key_id + ", signer " + seal.signer + ")";
  auto k = keys.find(seal.key_id);
  if (k == keys.end() || k->second.event >= before_event)
    return Status::InvalidInput(what + " was made with a key that is not registered in this workspace; a "
                                       "hand-out's seal counts only with a key registered here to " + person)
        .About("key", seal.key_id, {}, "seal-key-unknown");
  if (k->second.person != person)
    return Status::InvalidInput(what + " was made with a key of " + k->second.person + ", not of " + person +
                                ", whose hand-out it is")
        .About("key", seal.key_id, {}, "seal-other-person");
  if (seal.signer != person || seal.workspace_id != ours ||
      !VerifyMessage(k->second.key, SealMessage(seal), seal.signature))
    return Status::Corruption(what + " does not verify with " + person + "'s key " + seal.key_id +
                              " registered here")
        .About("key", seal.key_id, {}, "seal-bad");
  if (seal.hash != sealed_hash)
    return Status::Corruption(what + " seals hash " + seal.hash.substr(0, 16) + "..., but that event has hash " +
                              sealed_hash.substr(0, 16) + "...")
        .About("key", seal.key_id, {}, "seal-bad");
  return Status::OK();
}

// A hand-out event as a merge record keeps it: whole, with the events of
// this log that wrote its versions.
json EventJson(const Event& e, const std::vector<int64_t>& merged) {
  return {{"action", e.action}, {"actor", e.actor},       {"after", e.after},         {"assessment", e.assessment},
          {"at", e.at},         {"before", e.before},     {"entity", e.entity},       {"entity_id", e.entity_id},
          {"hash", e.hash},     {"merged", merged},       {"prev_hash", e.prev_hash}, {"row", e.row},
          {"seq", e.seq}};
}

// The reverse (json::exception when a field is missing or of another type).
Event EventOfJson(const json& j) {
  Event e;
  e.seq = j.at("seq").get<int64_t>();
  e.at = j.at("at").get<std::string>();
  e.actor = j.at("actor").get<std::string>();
  e.assessment = j.at("assessment").get<std::string>();
  e.action = j.at("action").get<std::string>();
  e.entity = j.at("entity").get<std::string>();
  e.entity_id = j.at("entity_id").get<std::string>();
  e.row = j.at("row").get<int64_t>();
  e.before = j.at("before").get<std::string>();
  e.after = j.at("after").get<std::string>();
  e.prev_hash = j.at("prev_hash").get<std::string>();
  e.hash = j.at("hash").get<std::string>();
  return e;
}

// What a merge writes as it goes: the contexts it writes into, the events
// appended, and per file which events of this log wrote the versions of
// which hand-out event (store.h, MergeProvenance).
struct Writer {
  SqlWorkspace& w;
  Context ctx, reg;
  int64_t events = 0;
  std::vector<std::map<int64_t, std::vector<int64_t>>> traced;  // per file: hand-out seq -> seqs here
  std::vector<std::string> persons;  // per file: the hand-out's person
};

// Writes one version a hand-out brings back, as an event by its original
// actor at its original time, traced to the hand-out event.
Status WriteVersion(Writer* wr, const KeyChanges& k, const Version& v) {
  SqlWorkspace& w = wr->w;
  const SqlWorkspace::Origin origin{v.actor, v.at, v.action == "withdraw" ? "withdraw" : "", wr->persons[k.file]};
  w.set_origin(&origin);
  WriteResult res;
  Status s;
  if (k.entity == kKindRating) {
    Rating r;
    s = FromJson(json::parse(v.text), &r);
    if (s.ok()) s = w.ApplyRating(&wr->ctx, r, true, &res);
  } else {
    Context* c = k.assessment.empty() ? &wr->reg : &wr->ctx;
    s = w.Apply(c, k.entity, k.key, v.text, c->rows[k.entity].count(k.key) ? "update" : "create", true, &res);
  }
  w.set_origin(nullptr);
  if (res.event) {
    ++wr->events;
    wr->traced[k.file][v.seq].push_back(res.event);
  }
  return s;
}

// Brings back one evidence file a hand-out kept: written with its keep
// event's actor, time and content, traced to it, unless this workspace
// keeps that content already (kept here too, or brought by another
// hand-out: one file per SHA-256).
Status MergeFile(Writer* wr, const KeptFileChange& f, const std::string& path, MergeChange* c) {
  SqlWorkspace& w = wr->w;
  *c = MergeChange{path,           kKindFile,      f.sha256,     "", f.event.after, f.event.actor,
                   f.event.at,     f.event.hash,   MergeChange::Outcome::kApplied};
  if (w.schema_version() < 8)
    return Status::Unsupported(w.path() + ": keeping evidence files needs workspace schema version 8");
  sql::Statement have(w.db(), "SELECT e.after_json FROM files f JOIN events e ON e.seq = f.event_seq WHERE f.sha256 = ?");
  have.Bind(1, f.sha256);
  if (have.Step()) {
    c->was = have.String(0);
    c->outcome = MergeChange::Outcome::kSame;
    return Status::OK();
  }
  Event e;
  e.at = f.event.at;
  e.actor = f.event.actor;
  e.assessment = f.event.assessment;
  e.after = f.event.after;
  const SqlWorkspace::Origin origin{e.actor, e.at, "", wr->persons[f.file]};
  w.set_origin(&origin);
  w.InsertKeptFile(&e, f.sha256, f.size, f.content);  // with accounts: PermissionError when the person may not keep it
  w.set_origin(nullptr);
  ++wr->events;
  wr->traced[f.file][f.event.seq].push_back(e.seq);
  return Status::OK();
}

// Items touched by the merge that assessors now rate differently (no
// consolidated rating): kept as open disagreements.
Status Conflicts(SqlWorkspace& w, const std::string& assessment,
                 const std::set<std::pair<std::string, std::string>>& touched, std::vector<MergeConflict>* out) {
  std::vector<Rating> current;
  ASSAY_RETURN_IF_ERROR(w.ReadCurrentRatings(assessment, &current));
  std::map<std::pair<std::string, std::string>, std::vector<const Rating*>> by_item;
  for (const Rating& r : current)
    if (touched.count({r.instance, r.item})) by_item[{r.instance, r.item}].push_back(&r);
  for (const auto& [item, ratings] : by_item) {
    MergeConflict c{item.first, item.second, {}};
    std::set<std::string> values;
    bool consolidated = false;
    for (const Rating* r : ratings) {
      consolidated = consolidated || r->consolidated;
      if (r->consolidated) continue;
      c.votes.emplace_back(r->assessor, r->value);
      values.insert(r->value);
    }
    std::sort(c.votes.begin(), c.votes.end());
    if (!consolidated && values.size() > 1) out->push_back(std::move(c));
  }
  return Status::OK();
}

// The people of the registry (assessment ""), for writes to it.
void LoadRegistryRows(sql::Connection& db, Context* reg) {
  sql::Statement q(db, "SELECT record_key, row_id, data FROM records WHERE assessment = '' AND kind = 'person' "
                          "AND is_current = 1");
  while (q.Step())
    reg->rows[kKindPerson][q.String(0)] = {q.Int64(1), q.String(2)};
}

// Decides and writes each key, three-way against the base (store.h, Merge).
Status MergeKey(Writer* wr, const KeyChanges& k, const std::string& file, MergeChange* c) {
  const Version& last = k.versions.back();
  std::string ours, at, actor;
  CurrentOf(wr->w, k, &ours, &at, &actor);
  const std::string theirs_c = Comparable(k.entity, last.text), ours_c = Comparable(k.entity, ours),
                    base_c = Comparable(k.entity, k.base);
  *c = MergeChange{file, k.entity, k.key, ours, last.text, last.actor, last.at, last.hash,
                   MergeChange::Outcome::kSame};
  if (theirs_c == ours_c) return Status::OK();
  if (ours_c == base_c) {  // changed on the hand-out's side only: every version, in order
    c->outcome = MergeChange::Outcome::kApplied;
    for (const Version& v : k.versions) ASSAY_RETURN_IF_ERROR(WriteVersion(wr, k, v));
  } else if (std::tie(last.at, last.actor, theirs_c) > std::tie(at, actor, ours_c)) {
    c->outcome = MergeChange::Outcome::kConflictTaken;
    return WriteVersion(wr, k, last);
  } else {
    c->outcome = MergeChange::Outcome::kConflictKept;
  }
  return Status::OK();
}

// Checks a hand-out before anything is written: its base is in this log,
// and every seal it recorded after the base holds here (CheckHandoutSeal);
// fills what the provenance says of it but the event.
Status CheckHandout(SqlWorkspace& w, const HandoutFile& h, const std::string& ours,
                    const std::map<std::string, KeyOf>& keys, MergeProvenance* p) {
  if (EventHashAt(w.db(), h.info.base_seq) != h.info.base_hash)
    return Status::InvalidInput(h.path + ": unknown base: the hand-out starts from event " +
                                std::to_string(h.info.base_seq) + " " + h.info.base_hash.substr(0, 16) +
                                "..., which this workspace's log does not hold (made from another state of it, "
                                "e.g. a restored backup?)")
        .About("file", h.path, {}, "unknown-base");
  *p = MergeProvenance();
  p->file = h.path;
  p->head_seq = h.head_seq;
  p->head_hash = h.head_hash;
  p->handout_events = static_cast<int64_t>(h.events.size());
  std::map<int64_t, std::string> hashes;  // the hand-out's chain from the base
  hashes[h.info.base_seq] = h.info.base_hash;
  for (const Event& e : h.events) {
    hashes[e.seq] = e.hash;
    if (e.entity != kKindSeal) continue;
    SealInfo seal;
    if (!SealOfJson(e.after, &seal))
      return Status::Corruption(h.path + ": hand-out event " + std::to_string(e.seq) + " is not a seal")
          .About("file", h.path, {}, "seal-bad");
    seal.event = e.seq;
    auto sealed = hashes.find(seal.seq);
    const std::string sealed_hash = sealed != hashes.end() ? sealed->second : EventHashAt(w.db(), seal.seq);
    ASSAY_RETURN_IF_ERROR(CheckHandoutSeal(h.path + ": ", seal, ours, h.info.person, keys,
                                           std::numeric_limits<int64_t>::max(), sealed_hash));
    p->sealed = true;
    p->seal = seal;
  }
  return Status::OK();
}

// Whether the merge of the hand-out head `head_hash` into `assessment` is
// recorded in this log.
bool Recorded(sql::Connection& db, const std::string& assessment, const std::string& head_hash) {
  sql::Statement q(db, "SELECT 1 FROM events WHERE assessment = ? AND entity = 'merge' AND entity_id = ?");
  q.Bind(1, assessment);
  q.Bind(2, head_hash);
  return q.Step();
}

// Records where the versions of `h` came from (store.h, MergeProvenance):
// once per hand-out head with events after the base, as one event without
// a record row (its content is all in the event). *already when that head
// was recorded before.
Status RecordProvenance(Writer* wr, const HandoutFile& h, size_t file, MergeProvenance* p, bool* already) {
  *already = Recorded(wr->w.db(), h.info.assessment, h.head_hash);
  if (*already || h.events.empty()) return Status::OK();
  ASSAY_RETURN_IF_ERROR(CheckNotFrozen(wr->ctx.assessment));
  json events = json::array();
  for (const Event& e : h.events) {
    auto t = wr->traced[file].find(e.seq);
    if (t != wr->traced[file].end()) p->traced += static_cast<int64_t>(t->second.size());
    events.push_back(EventJson(e, t == wr->traced[file].end() ? std::vector<int64_t>() : t->second));
  }
  const json record = {{"assessment", h.info.assessment}, {"base_hash", h.info.base_hash},
                       {"base_seq", h.info.base_seq},     {"events", std::move(events)},
                       {"head_hash", h.head_hash},        {"head_seq", h.head_seq},
                       {"person", h.info.person},         {"workspace", h.info.workspace}};
  Event e;
  int64_t unused_row = 0;
  wr->w.NextRowAndEvent(&unused_row, &e.seq, &e.prev_hash);
  e.at = wr->w.Now();
  e.actor = wr->w.options().actor;
  e.assessment = h.info.assessment;
  e.action = "merge";
  e.entity = kKindMerge;
  e.entity_id = h.head_hash;
  e.after = Canonical(record);
  wr->w.InsertEvent(&e);
  ++wr->events;
  p->event = e.seq;
  return Status::OK();
}

Status MergeInTransaction(SqlWorkspace& w, const std::vector<HandoutFile>& handouts, MergeReport* report) {
  std::string ours;
  ASSAY_RETURN_IF_ERROR(w.WorkspaceId(&ours));
  const std::map<std::string, KeyOf> keys = LoadKeys(w.db());
  // With accounts, only the assessment's lead assessor merges (nothing is
  // read or written before that is decided).
  Event attempt;
  attempt.assessment = report->assessment;
  attempt.action = "merge";
  attempt.entity = kKindMerge;
  attempt.entity_id = handouts.empty() ? std::string() : handouts[0].head_hash;
  w.Authorize(attempt);  // PermissionError
  Writer wr{w, {}, {}, 0, std::vector<std::map<int64_t, std::vector<int64_t>>>(handouts.size()), {}};
  for (const HandoutFile& h : handouts) wr.persons.push_back(h.info.person);
  ASSAY_RETURN_IF_ERROR(w.LoadContext(report->assessment, false, &wr.ctx));
  LoadRegistryRows(w.db(), &wr.reg);
  report->provenance.resize(handouts.size());
  std::vector<const KeyChanges*> all;
  std::vector<const KeptFileChange*> files;
  for (size_t i = 0; i < handouts.size(); ++i) {
    const HandoutFile& h = handouts[i];
    ASSAY_RETURN_IF_ERROR(CheckHandout(w, h, ours, keys, &report->provenance[i]));
    if (Recorded(w.db(), h.info.assessment, h.head_hash)) continue;  // merged already
    for (const KeyChanges& k : h.keys)
      if (Comparable(k.entity, k.versions.back().text) != Comparable(k.entity, k.base)) all.push_back(&k);
    for (const KeptFileChange& f : h.files) files.push_back(&f);
  }
  // One order whatever the order of the files: by the newest version's
  // time, actor and hash.
  std::sort(all.begin(), all.end(), [](const KeyChanges* a, const KeyChanges* b) {
    const Version &x = a->versions.back(), &y = b->versions.back();
    return std::tie(x.at, x.actor, x.hash, a->entity, a->key, a->file) <
           std::tie(y.at, y.actor, y.hash, b->entity, b->key, b->file);
  });
  std::set<std::pair<std::string, std::string>> touched;
  for (const KeyChanges* k : all) {
    MergeChange c;
    ASSAY_RETURN_IF_ERROR(MergeKey(&wr, *k, handouts[k->file].path, &c));
    if (k->entity == kKindRating) {
      const json key = json::parse(k->key);
      touched.emplace(key.at(0).get<std::string>(), key.at(1).get<std::string>());
    }
    report->changes.push_back(std::move(c));
  }
  // The evidence files kept offline, in one order too.
  std::sort(files.begin(), files.end(), [](const KeptFileChange* a, const KeptFileChange* b) {
    return std::tie(a->event.at, a->event.actor, a->sha256, a->file) <
           std::tie(b->event.at, b->event.actor, b->sha256, b->file);
  });
  for (const KeptFileChange* f : files) {
    MergeChange c;
    ASSAY_RETURN_IF_ERROR(MergeFile(&wr, *f, handouts[f->file].path, &c));
    report->changes.push_back(std::move(c));
  }
  // Then each hand-out's provenance, after the versions it traces; a
  // hand-out whose head is recorded already was merged before.
  for (size_t i = 0; i < handouts.size(); ++i) {
    bool already = false;
    ASSAY_RETURN_IF_ERROR(RecordProvenance(&wr, handouts[i], i, &report->provenance[i], &already));
    if (already) report->already.push_back(handouts[i].path);
  }
  report->events = wr.events;
  return Conflicts(w, report->assessment, touched, &report->conflicts);
}

}  // namespace

// Beyond store.h: evidence files the hand-out kept after its base
// (KeepEvidenceFile) come back too, each with its keep event's actor and
// time (a change of entity "file", key its SHA-256), unless this workspace
// keeps that content already. With accounts, only the assessment's lead
// assessor merges, and every version written must also be one the
// hand-out's person may write through an account whose person they are (an
// assessor of the team rating as themselves); otherwise PermissionDenied,
// the attempt logged, nothing merged.
Status SqlWorkspace::Merge(const std::vector<std::string>& files, const MergeOptions& options,
                              MergeReport* report) {
  *report = MergeReport();
  std::string ours;
  ASSAY_RETURN_IF_ERROR(WorkspaceId(&ours));
  std::vector<HandoutFile> handouts(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    ASSAY_RETURN_IF_ERROR(ReadHandoutFile(files[i], options_, ours, i, &handouts[i]));
    const std::string& want = options.expect_assessment.empty() ? handouts[0].info.assessment
                                                                : options.expect_assessment;
    if (handouts[i].info.assessment != want)
      return Status::InvalidInput(files[i] + ": a hand-out of assessment " + Quote(handouts[i].info.assessment) +
                                  ", not of " + Quote(want))
          .About("file", files[i], {}, "other-assessment");
    report->handouts.push_back(handouts[i].info);
  }
  report->assessment = handouts.empty() ? options.expect_assessment : handouts[0].info.assessment;
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    ASSAY_RETURN_IF_ERROR(MergeInTransaction(*this, handouts, report));
    if (!options.dry_run) {
      tx.Commit();
    } else {
      report->events = 0;
      for (MergeProvenance& p : report->provenance) p.event = 0;
    }
    return Status::OK();
  } catch (const std::exception& e) {
    set_origin(nullptr);
    return SqliteError(path_, e);
  }
}

// ---- Verifying merge records ----------------------------------------------------

namespace {

// What does not hold of one merge record (written by event `at`): "" when
// it holds. Counts the traced events and the seals checked.
std::string MergeRecordProblem(const json& m, const std::string& ours, const std::map<std::string, KeyOf>& keys,
                               const std::map<int64_t, const Event*>& by_seq, int64_t at, VerifyReport* report) {
  const int64_t base_seq = m.at("base_seq").get<int64_t>(), head_seq = m.at("head_seq").get<int64_t>();
  const std::string base_hash = m.at("base_hash").get<std::string>(), head_hash = m.at("head_hash").get<std::string>();
  const std::string person = m.at("person").get<std::string>();
  auto base = by_seq.find(base_seq);
  if (base == by_seq.end() || base->second->hash != base_hash)
    return "its base, event " + std::to_string(base_seq) + ", is not in this log with the hash it records";
  std::map<int64_t, std::string> hashes = {{base_seq, base_hash}};
  int64_t seq = base_seq;
  for (const json& j : m.at("events")) {
    const Event e = EventOfJson(j);
    const std::string label = "hand-out event " + std::to_string(e.seq);
    if (e.seq != seq + 1 || e.prev_hash != hashes[seq]) return label + " does not follow the one before it";
    if (!EventHashMatches(e)) return label + " does not have the hash recorded for it";
    seq = e.seq;
    hashes[seq] = e.hash;
    for (const json& t : j.at("merged")) {
      auto ours_ev = by_seq.find(t.get<int64_t>());
      if (ours_ev == by_seq.end() || ours_ev->first >= at) return label + " traces to a missing or later event";
      const Event& o = *ours_ev->second;
      const bool batch = e.action == "import";  // one hand-out event for many ratings
      if (o.actor != e.actor || o.at != e.at || o.assessment != e.assessment || o.entity != e.entity ||
          (!batch && (o.entity_id != e.entity_id || o.after != e.after)))
        return "event " + std::to_string(o.seq) + " is not what " + label + " holds (" + e.actor + ", " + e.at +
               ", " + e.entity + " " + e.entity_id + ")";
      ++report->traced;
    }
    if (e.entity != kKindSeal) continue;
    SealInfo seal;
    if (!SealOfJson(e.after, &seal)) return label + " is not a seal";
    seal.event = e.seq;
    auto sealed = hashes.find(seal.seq);
    auto before_base = by_seq.find(seal.seq);
    const std::string sealed_hash = sealed != hashes.end()       ? sealed->second
                                    : before_base != by_seq.end() ? before_base->second->hash
                                                                  : std::string();
    Status s = CheckHandoutSeal("", seal, ours, person, keys, at, sealed_hash);
    if (!s.ok()) return s.message();
    ++report->handout_seals;
  }
  if (seq != head_seq || hashes[seq] != head_hash)
    return "the recorded hand-out events end at event " + std::to_string(seq) + ", not at its head " +
           std::to_string(head_seq) + " " + head_hash.substr(0, 16) + "...";
  return "";
}

}  // namespace

Status SqlWorkspace::VerifyMerges(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
                                  VerifyReport* report) {
  std::string ours;
  ASSAY_RETURN_IF_ERROR(WorkspaceId(&ours));
  const std::map<std::string, KeyOf> keys = LoadKeys(*db_);
  for (const auto& [at, e] : by_seq) {
    if (e->entity != kKindMerge) continue;
    ++report->merges;
    std::string problem;
    try {
      problem = MergeRecordProblem(json::parse(e->after), ours, keys, by_seq, at, report);
    } catch (const json::exception& x) {
      problem = std::string("it is not a merge record: ") + x.what();
    }
    if (!problem.empty())
      bad->emplace(at, "the merge recorded by event " + std::to_string(at) + " (hand-out head " +
                           e->entity_id.substr(0, 16) + "...): " + problem);
  }
  return Status::OK();
}

}  // namespace internal

}  // namespace assay
