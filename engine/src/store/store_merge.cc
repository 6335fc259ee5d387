// Hand-outs and merge (docs/TEAMWORK.md): a copy of the workspace for one
// assessor to work on offline, and the three-way merge that brings back what
// they did since its base without losing anyone's rating.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

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
};

// The versions of one key a hand-out brings back, oldest first.
struct KeyChanges {
  size_t file = 0;
  std::string assessment;  // the hand-out's assessment, or "" (the registry)
  std::string entity, key;
  std::string base;  // the version current at the base ("" none)
  std::vector<Version> versions;
};

struct HandoutFile {
  std::string path;
  HandoutInfo info;
  int64_t head_seq = 0;
  std::string head_hash;
  std::vector<KeyChanges> keys;
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
                        "SELECT r.assessment, r.kind, r.record_key, r.data, e.at, e.actor, e.hash, e.action "
                        "FROM records r JOIN events e ON e.seq = r.event_seq WHERE r.event_seq > ?2 AND "
                        "(r.assessment = ?1 OR (r.assessment = '' AND r.kind = 'person')) AND "
                        "r.kind <> 'assessment' ORDER BY r.row_id");
  rec.Bind(1, assessment);
  rec.Bind(2, after);
  while (rec.Step())
    add(rec.String(0), rec.String(1), rec.String(2),
        Version{rec.String(3), rec.String(4), rec.String(5),
                rec.String(6), rec.String(7)});
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
                ColumnString(rat, 19)});
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
    ReadChanges(h.db(), path, index, out->info.assessment, out->info.base_seq, &out->keys);
    for (KeyChanges& k : out->keys) k.base = VersionAt(h.db(), path, k, out->info.base_seq);
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

// Writes one version a hand-out brings back, as an event by its original
// actor at its original time. Counts the events appended.
Status WriteVersion(SqlWorkspace& w, Context* ctx, Context* registry, const KeyChanges& k, const Version& v,
                    int64_t* events) {
  const SqlWorkspace::Origin origin{v.actor, v.at, v.action == "withdraw" ? "withdraw" : ""};
  w.set_origin(&origin);
  WriteResult res;
  Status s;
  if (k.entity == kKindRating) {
    Rating r;
    s = FromJson(json::parse(v.text), &r);
    if (s.ok()) s = w.ApplyRating(ctx, r, true, &res);
  } else {
    Context* c = k.assessment.empty() ? registry : ctx;
    s = w.Apply(c, k.entity, k.key, v.text, c->rows[k.entity].count(k.key) ? "update" : "create", true, &res);
  }
  w.set_origin(nullptr);
  if (res.event) ++*events;
  return s;
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
void MergeKey(SqlWorkspace& w, const KeyChanges& k, const std::string& file, MergeChange* c, Context* ctx,
              Context* reg, int64_t* events, Status* status) {
  const Version& last = k.versions.back();
  std::string ours, at, actor;
  CurrentOf(w, k, &ours, &at, &actor);
  const std::string theirs_c = Comparable(k.entity, last.text), ours_c = Comparable(k.entity, ours),
                    base_c = Comparable(k.entity, k.base);
  *c = MergeChange{file, k.entity, k.key, ours, last.text, last.actor, last.at, last.hash,
                   MergeChange::Outcome::kSame};
  if (theirs_c == ours_c) return;
  if (ours_c == base_c) {  // changed on the hand-out's side only: every version, in order
    c->outcome = MergeChange::Outcome::kApplied;
    for (const Version& v : k.versions) {
      *status = WriteVersion(w, ctx, reg, k, v, events);
      if (!status->ok()) return;
    }
  } else if (std::tie(last.at, last.actor, theirs_c) > std::tie(at, actor, ours_c)) {
    c->outcome = MergeChange::Outcome::kConflictTaken;
    *status = WriteVersion(w, ctx, reg, k, last, events);
  } else {
    c->outcome = MergeChange::Outcome::kConflictKept;
  }
}

Status MergeInTransaction(SqlWorkspace& w, const std::vector<HandoutFile>& handouts, MergeReport* report) {
  std::vector<const KeyChanges*> all;
  for (const HandoutFile& h : handouts) {
    if (EventHashAt(w.db(), h.info.base_seq) != h.info.base_hash)
      return Status::InvalidInput(h.path + ": unknown base: the hand-out starts from event " +
                                  std::to_string(h.info.base_seq) + " " + h.info.base_hash.substr(0, 16) +
                                  "..., which this workspace's log does not hold (made from another state of it, "
                                  "e.g. a restored backup?)")
          .About("file", h.path, {}, "unknown-base");
    for (const KeyChanges& k : h.keys)
      if (Comparable(k.entity, k.versions.back().text) != Comparable(k.entity, k.base)) all.push_back(&k);
  }
  // One order whatever the order of the files: by the newest version's
  // time, actor and hash.
  std::sort(all.begin(), all.end(), [](const KeyChanges* a, const KeyChanges* b) {
    const Version &x = a->versions.back(), &y = b->versions.back();
    return std::tie(x.at, x.actor, x.hash, a->entity, a->key, a->file) <
           std::tie(y.at, y.actor, y.hash, b->entity, b->key, b->file);
  });
  Context ctx, reg;
  ASSAY_RETURN_IF_ERROR(w.LoadContext(report->assessment, false, &ctx));
  LoadRegistryRows(w.db(), &reg);
  std::set<std::pair<std::string, std::string>> touched;
  std::vector<int> brought(handouts.size(), 0), written(handouts.size(), 0);
  for (const KeyChanges* k : all) {
    MergeChange c;
    Status s;
    MergeKey(w, *k, handouts[k->file].path, &c, &ctx, &reg, &report->events, &s);
    ASSAY_RETURN_IF_ERROR(s);
    ++brought[k->file];
    if (c.outcome == MergeChange::Outcome::kApplied || c.outcome == MergeChange::Outcome::kConflictTaken)
      ++written[k->file];
    if (k->entity == kKindRating) {
      const json key = json::parse(k->key);
      touched.emplace(key.at(0).get<std::string>(), key.at(1).get<std::string>());
    }
    report->changes.push_back(std::move(c));
  }
  // A hand-out that brings changes none of which is new here was merged before.
  for (size_t i = 0; i < handouts.size(); ++i)
    if (brought[i] > 0 && written[i] == 0) report->already.push_back(handouts[i].path);
  return Conflicts(w, report->assessment, touched, &report->conflicts);
}

}  // namespace

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
    }
    return Status::OK();
  } catch (const std::exception& e) {
    set_origin(nullptr);
    return SqliteError(path_, e);
  }
}

}  // namespace internal

}  // namespace assay
