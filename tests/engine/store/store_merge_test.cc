// Tests of hand-outs and merge (issue 15, docs/TEAMWORK.md): three
// assessors work offline on hand-outs (overlapping and separate items, one
// withdrawal, one conflicting pair); merged in all six orders the exports
// are byte-identical, the conflict is listed, the log verifies and each
// rating's author is the assessor who entered it. Each merge records the
// hand-out's events with their hashes (and its seals, checked with the keys
// registered here), and VerifyLog checks what it records. Bad hand-outs are
// refused and leave the workspace byte for byte as it was.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "assay/store.h"
#include "assay/signing.h"
#include "engine/store/store_test_util.h"

namespace assay {
namespace {

class MergeTest : public testing::StoreTest {
 protected:
  // A1 (Populated) with dan on the team too and ada's rating of RES.2/EU
  // PA1.1; then hand-outs for ada, cy and dan, each worked on offline.
  void SetUp() override {
    StoreTest::SetUp();
    base_ = Populated();
    WriteResult r;
    ASSERT_OK(base_->PutPerson("A1", {"dan", "Dan K.", "Assessors Ltd", {Role::kAssessor}}, &r));
    ASSERT_OK(base_->Rate("A1", Rated("RES.2/EU", "PA1.1", "ada", "F"), &r));
    for (const char* p : {"ada", "cy", "dan"}) {
      HandoutInfo info;
      ASSERT_OK(base_->Handout("A1", p, File(p), &info));
      EXPECT_EQ("A1", info.assessment);
      EXPECT_EQ(p, info.person);
      base_seq_ = info.base_seq;
    }
    // ada: a new item, the item cy rates too (the same value), her mistaken
    // rating withdrawn, a new evidence item.
    auto ada = Assessor("ada", "2026-11-25T09:00:00Z");
    Evidence ev;
    ev.id = "EV-2";
    ev.kind = EvidenceKind::kDocument;
    ev.reference = "DOC-2";
    ev.collected_by = "ada";
    ASSERT_OK(ada->PutEvidence("A1", ev, &r));
    ASSERT_OK(ada->Rate("A1", Rated("RES.1/EU", "PA2.1", "ada", "L"), &r));
    ASSERT_OK(ada->Rate("A1", Rated("RES.1/EU", "PA1.1", "ada", "F"), &r));
    Withdrawal w;
    w.instance = "RES.2/EU";
    w.item = "PA1.1";
    w.assessor = "ada";
    w.reason = "wrong instance";
    ASSERT_OK(ada->Withdraw("A1", w, &r));
    // cy: the conflicting value, the shared item.
    auto cy = Assessor("cy", "2026-11-25T10:00:00Z");
    ASSERT_OK(cy->Rate("A1", Rated("RES.1/EU", "PA2.1", "cy", "P"), &r));
    ASSERT_OK(cy->Rate("A1", Rated("RES.1/EU", "PA1.1", "cy", "F"), &r));
    // dan: separate items, one changed twice.
    auto dan = Assessor("dan", "2026-11-25T11:00:00Z");
    ASSERT_OK(dan->Rate("A1", Rated("RES.1/EU", "PA2.2", "dan", "P"), &r));
    ASSERT_OK(dan->Rate("A1", Rated("RES.1/EU", "PA2.2", "dan", "F"), &r));
    ASSERT_OK(dan->Rate("A1", Rated("RES.2/EU", "PA1.1", "dan", "L"), &r));
  }

  std::string File(const std::string& name) const { return dir_.path() + "/" + name + ".db"; }

  static Rating Rated(const std::string& instance, const std::string& item, const std::string& assessor,
                      const std::string& value) {
    Rating r;
    r.instance = instance;
    r.item = item;
    r.assessor = assessor;
    r.value = value;
    return r;
  }

  // The hand-out of `person` (file `name`, by default theirs), opened as
  // they open it: their ID, their clock.
  std::unique_ptr<Workspace> Assessor(const std::string& person, const std::string& now, std::string name = "") {
    WorkspaceOptions o = Options();
    o.actor = person;
    o.clock = [now] { return now; };
    std::unique_ptr<Workspace> ws;
    Status s = Workspace::Open(File(name.empty() ? person : name), o, &ws);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return ws;
  }

  // A new workspace holding what the base holds now (same ID, same log):
  // a file, or a fresh schema on the PostgreSQL server under test.
  std::unique_ptr<Workspace> Fork(const std::string& name) {
    std::string where = File(name);
    if (OnPostgres()) {
      std::string why;
      where = testing::FreshPostgresSchema(testing::PostgresUnderTest(), &why);
      EXPECT_FALSE(where.empty()) << why;
    }
    auto copy = OpenWs(where);
    CopyReport report;
    EXPECT_OK(base_->CopyInto(copy.get(), &report));
    return copy;
  }

  static std::string FileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // What the workspace holds: its log head, record count and export, and
  // (on SQLite) the bytes of its file and write-ahead log.
  std::string Fingerprint(Workspace* ws) {
    std::string out = Head(ws);
    std::string json;
    EXPECT_OK(ws->Export("A1", &json));
    out += "\n" + json;
    if (!OnPostgres()) out += "\n" + FileBytes(ws->path()) + FileBytes(ws->path() + "-wal");
    return out;
  }

  // Merges `files` (names) into `ws`; the report.
  MergeReport MergeFiles(Workspace* ws, const std::vector<std::string>& names, bool dry_run = false) {
    std::vector<std::string> files;
    for (const std::string& n : names) files.push_back(File(n));
    MergeOptions o;
    o.dry_run = dry_run;
    MergeReport report;
    Status s = ws->Merge(files, o, &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return report;
  }

  // Merge refuses `names`: the code, the message (a part of it), nothing written.
  void ExpectRefused(const std::vector<std::string>& names, Status::Code code, const std::string& message,
                     const std::string& expect_assessment = "") {
    std::vector<std::string> files;
    for (const std::string& n : names) files.push_back(File(n));
    MergeOptions o;
    o.expect_assessment = expect_assessment;
    const std::string before = Fingerprint(base_.get());
    MergeReport report;
    Status s = base_->Merge(files, o, &report);
    EXPECT_EQ(code, s.code()) << s.ToString();
    EXPECT_NE(std::string::npos, s.message().find(message)) << s.message();
    EXPECT_EQ(before, Fingerprint(base_.get())) << "the refused merge of " << names.back() << " wrote";
  }

  std::unique_ptr<Workspace> base_;
  int64_t base_seq_ = 0;
};

const MergeConflict kPa21{"RES.1/EU", "PA2.1", {{"ada", "L"}, {"cy", "P"}}};
const MergeConflict kRes2{"RES.2/EU", "PA1.1", {{"ada", "F"}, {"dan", "L"}}};

int Count(const std::vector<MergeConflict>& list, const MergeConflict& c) {
  return static_cast<int>(std::count_if(list.begin(), list.end(), [&](const MergeConflict& x) {
    return x.instance == c.instance && x.item == c.item && x.votes == c.votes;
  }));
}

TEST_F(MergeTest, AllSixOrdersGiveTheSameExport) {
  std::vector<std::string> order = {"ada", "cy", "dan"};
  std::string first;
  int n = 0;
  do {
    auto w = Fork("order" + std::to_string(++n));
    std::vector<MergeConflict> conflicts;
    for (const std::string& p : order) {
      MergeReport report = MergeFiles(w.get(), {p});
      EXPECT_TRUE(report.already.empty());
      EXPECT_GT(report.events, 0);
      conflicts.insert(conflicts.end(), report.conflicts.begin(), report.conflicts.end());
    }
    // The conflict is listed by the merge that brings its second rating.
    // Before ada's withdrawal is back, dan's rating of RES.2/EU PA1.1
    // disagrees with her base rating, and that merge says so too.
    const bool dan_first = std::find(order.begin(), order.end(), "dan") < std::find(order.begin(), order.end(), "ada");
    const std::string label = order[0] + " " + order[1] + " " + order[2];
    ASSERT_EQ(dan_first ? 2u : 1u, conflicts.size()) << label;
    EXPECT_EQ(1, Count(conflicts, kPa21)) << label;
    if (dan_first) {
      EXPECT_EQ(1, Count(conflicts, kRes2)) << label;
    }
    std::string json;
    ASSERT_OK(w->Export("A1", &json));
    if (first.empty()) first = json;
    EXPECT_EQ(first, json) << label;
    ExpectVerifies(w.get());
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(6, n);

  // All three in one merge: the same export, the conflict listed once.
  auto all = Fork("all");
  MergeReport report = MergeFiles(all.get(), {"dan", "cy", "ada"});
  ASSERT_EQ(1u, report.conflicts.size());
  EXPECT_EQ(1, Count(report.conflicts, kPa21));
  ASSERT_EQ(3u, report.handouts.size());
  EXPECT_EQ("dan", report.handouts[0].person);
  std::string json;
  ASSERT_OK(all->Export("A1", &json));
  EXPECT_EQ(first, json);
  EXPECT_NE(std::string::npos, json.find("\"assessor\": \"dan\""));
  ExpectVerifies(all.get());

  // Merging again: nothing new, nothing written.
  const std::string before = Fingerprint(all.get());
  report = MergeFiles(all.get(), {"ada", "cy"});
  EXPECT_EQ(0, report.events);
  EXPECT_EQ((std::vector<std::string>{File("ada"), File("cy")}), report.already);
  EXPECT_EQ(before, Fingerprint(all.get()));
}

TEST_F(MergeTest, EachRatingIsByTheAssessorWhoEnteredIt) {
  MergeReport report = MergeFiles(base_.get(), {"cy", "ada", "dan"});
  // ada's evidence, three ratings and a withdrawal; cy's two ratings
  // (PA1.1 the same value as ada's: two keys); dan's two versions and one.
  EXPECT_EQ(9 + 3, report.events);  // and one merge record per hand-out
  std::vector<Event> events;
  ASSERT_OK(base_->ReadLog("A1", &events));
  int merged_ratings = 0;
  for (const Event& e : events) {
    if (e.seq <= base_seq_ || e.entity != "rating") continue;
    const auto key = nlohmann::json::parse(e.entity_id);
    EXPECT_EQ(key.at(2).get<std::string>(), e.actor) << e.entity_id;
    ++merged_ratings;
  }
  EXPECT_EQ(8, merged_ratings);
  // The original times: ada's at her clock, dan's at his.
  auto by = [&](const std::string& actor) {
    return std::count_if(events.begin(), events.end(), [&](const Event& e) {
      return e.seq > base_seq_ && e.actor == actor &&
             e.at == (actor == "ada" ? "2026-11-25T09:00:00Z" : actor == "cy" ? "2026-11-25T10:00:00Z"
                                                                              : "2026-11-25T11:00:00Z");
    });
  };
  EXPECT_EQ(4, by("ada"));
  EXPECT_EQ(2, by("cy"));
  EXPECT_EQ(3, by("dan"));
  const auto withdrawn = std::count_if(events.begin(), events.end(), [](const Event& e) {
    return e.action == "withdraw" && e.actor == "ada";
  });
  EXPECT_EQ(1, withdrawn);
  // Both conflicting ratings are kept: an open disagreement.
  AssessmentData data;
  ASSERT_OK(base_->ReadSnapshot("A1", &data));
  int pa21 = 0;
  for (const Rating& r : data.ratings) pa21 += r.instance == "RES.1/EU" && r.item == "PA2.1";
  EXPECT_EQ(2, pa21);
  for (const Rating& r : data.ratings) EXPECT_FALSE(r.instance == "RES.2/EU" && r.assessor == "ada");
  ExpectVerifies(base_.get());
}

TEST_F(MergeTest, DryRunListsEveryChangeAndWritesNothing) {
  const std::string before = Fingerprint(base_.get());
  MergeReport report = MergeFiles(base_.get(), {"ada", "cy"}, true);
  EXPECT_EQ(0, report.events);
  ASSERT_EQ(1u, report.conflicts.size());
  // ada: evidence, PA2.1, PA1.1, the withdrawal; cy: PA2.1, PA1.1.
  ASSERT_EQ(6u, report.changes.size());
  for (const MergeChange& c : report.changes) {
    EXPECT_EQ(MergeChange::Outcome::kApplied, c.outcome);
    EXPECT_EQ(64u, c.hash.size());
  }
  const auto withdrawal = std::find_if(report.changes.begin(), report.changes.end(), [](const MergeChange& c) {
    return c.key == R"(["RES.2/EU","PA1.1","ada"])";
  });
  ASSERT_NE(withdrawal, report.changes.end());
  EXPECT_NE(std::string::npos, withdrawal->was.find("\"value\":\"F\""));
  EXPECT_NE(std::string::npos, withdrawal->becomes.find("withdrawn"));
  EXPECT_EQ("ada", withdrawal->actor);
  EXPECT_EQ(before, Fingerprint(base_.get()));
}

TEST_F(MergeTest, MergedTwiceChangesNothing) {
  MergeFiles(base_.get(), {"ada"});
  const std::string before = Fingerprint(base_.get());
  MergeReport report = MergeFiles(base_.get(), {"ada"});
  EXPECT_EQ(0, report.events);
  EXPECT_EQ(std::vector<std::string>{File("ada")}, report.already);
  EXPECT_EQ(before, Fingerprint(base_.get()));
}

TEST_F(MergeTest, BadHandoutsAreRefusedAndNothingWritten) {
  // Another workspace's hand-out of an assessment of the same ID.
  {
    std::unique_ptr<Workspace> other;
    ASSERT_OK(Workspace::Open(File("other-ws"), Options(), &other));
    WriteResult r;
    ASSERT_OK(other->CreateAssessment(BasicAssessment("A1"), &r));
    ASSERT_OK(other->PutPerson("A1", {"ada", "Ada L.", "Assessors Ltd", {Role::kAssessor}}, &r));
    HandoutInfo info;
    ASSERT_OK(other->Handout("A1", "ada", File("other"), &info));
  }
  // A hand-out of another assessment.
  WriteResult r;
  ASSERT_OK(base_->CreateAssessment(BasicAssessment("A2"), &r));
  ASSERT_OK(base_->PutPerson("A2", {"ada", "Ada L.", "Assessors Ltd", {Role::kAssessor}}, &r));
  HandoutInfo info;
  ASSERT_OK(base_->Handout("A2", "ada", File("a2"), &info));
  // A tampered hand-out: a rating changed with the sqlite3 shell.
  std::filesystem::copy_file(File("ada"), File("tampered"));
  {
    SQLite::Database db(File("tampered"), SQLite::OPEN_READWRITE);
    db.exec("UPDATE ratings SET value = 'F' WHERE assessor = 'ada' AND item = 'PA2.1'");
  }
  // A hand-out of a fork: its base is not in this log.
  {
    auto fork = Fork("fork");
    ASSERT_OK(fork->PutUnit("A1", {"US", "America", "Service desk America"}, &r));
    ASSERT_OK(fork->Handout("A1", "ada", File("fork-ada"), &info));
  }
  // A plain copy (not a hand-out), a file that is not a workspace.
  ASSERT_OK(base_->Backup(File("plain")));
  dir_.Write("junk.db", "not a workspace\n");

  ExpectRefused({"ada", "other"}, Status::Code::kInvalidInput, "other.db: a hand-out of another workspace (");
  ExpectRefused({"ada", "a2"}, Status::Code::kInvalidInput, "a2.db: a hand-out of assessment 'A2', not of 'A1'");
  ExpectRefused({"a2"}, Status::Code::kInvalidInput, "a hand-out of assessment 'A2', not of 'A1'", "A1");
  ExpectRefused({"cy", "tampered"}, Status::Code::kCorruption, "tampered.db: the hand-out's log does not verify");
  ExpectRefused({"ada", "fork-ada"}, Status::Code::kInvalidInput, "fork-ada.db: unknown base: the hand-out starts");
  ExpectRefused({"plain"}, Status::Code::kInvalidInput, "plain.db: not a hand-out");
  ExpectRefused({"junk"}, Status::Code::kInvalidInput, "junk.db");
  ExpectRefused({"ada", "none"}, Status::Code::kNotFound, "none.db: no such hand-out file");
  // The good hand-outs still merge.
  MergeReport report = MergeFiles(base_.get(), {"ada", "cy", "dan"});
  EXPECT_EQ(1u, report.conflicts.size());
  ExpectVerifies(base_.get());
}

TEST_F(MergeTest, EachHandoutIsRecordedWithItsHashes) {
  MergeReport dry = MergeFiles(base_.get(), {"cy"}, true);
  ASSERT_EQ(1u, dry.provenance.size());
  EXPECT_EQ(0, dry.provenance[0].event);
  MergeReport report = MergeFiles(base_.get(), {"cy", "ada", "dan"});
  ASSERT_EQ(3u, report.provenance.size());
  // Per hand-out: its events after the base, and the events written here
  // from them (ada: evidence, two ratings, the withdrawal).
  const int64_t events[] = {2, 4, 3};
  for (size_t i = 0; i < 3; ++i) {
    const MergeProvenance& p = report.provenance[i];
    EXPECT_EQ(events[i], p.handout_events) << p.file;
    EXPECT_EQ(events[i], p.traced) << p.file;
    EXPECT_GT(p.event, 0) << p.file;
    EXPECT_FALSE(p.sealed);
    EXPECT_EQ(64u, p.head_hash.size());
  }
  EXPECT_EQ(9 + 3, report.events);  // the versions, then one record per hand-out
  VerifyReport v;
  ASSERT_OK(base_->VerifyLog(&v));
  EXPECT_EQ(3, v.merges);
  EXPECT_EQ(9, v.traced);
  EXPECT_EQ(0, v.handout_seals);

  // cy's record holds cy's own events, hashes and all.
  std::vector<Event> theirs, ours;
  {
    auto cy = Assessor("cy", "2026-11-25T10:00:00Z");
    ASSERT_OK(cy->ReadLog("", &theirs));
  }
  ASSERT_OK(base_->ReadLog("A1", &ours));
  const auto record = std::find_if(ours.begin(), ours.end(), [&](const Event& e) {
    return e.seq == report.provenance[0].event;
  });
  ASSERT_NE(record, ours.end());
  EXPECT_EQ("merge", record->entity);
  EXPECT_EQ("merge", record->action);
  EXPECT_EQ("tester", record->actor);  // who merged
  EXPECT_EQ(theirs.back().hash, record->entity_id);
  const auto m = nlohmann::json::parse(record->after);
  EXPECT_EQ("cy", m.at("person"));
  ASSERT_EQ(2u, m.at("events").size());
  for (const auto& e : m.at("events")) {
    const Event& t = theirs.at(static_cast<size_t>(e.at("seq").get<int64_t>() - 1));
    EXPECT_EQ(t.hash, e.at("hash"));
    EXPECT_EQ(t.after, e.at("after"));
    ASSERT_EQ(1u, e.at("merged").size());
    const int64_t here = e.at("merged")[0].get<int64_t>();
    const auto merged = std::find_if(ours.begin(), ours.end(), [&](const Event& o) { return o.seq == here; });
    ASSERT_NE(merged, ours.end());
    EXPECT_EQ(t.after, merged->after);
    EXPECT_EQ("cy", merged->actor);
  }
  // Exports leave the records out: still the same in every order.
  auto other = Fork("again");
  std::string a, b;
  ASSERT_OK(base_->Export("A1", &a));
  MergeFiles(other.get(), {"dan", "ada", "cy"});
  ASSERT_OK(other->Export("A1", &b));
  EXPECT_EQ(b, a);
}

// A merged rating rewritten later, every hash of this log recomputed: the
// chain verifies again, the merge record does not.
TEST_F(MergeTest, AMergedEventRewrittenIsCaught) {
  ASSAY_SQLITE_ONLY();
  MergeFiles(base_.get(), {"dan"});
  std::vector<Event> events;
  ASSERT_OK(base_->ReadLog("A1", &events));
  int64_t seq = 0;
  for (const Event& e : events)
    if (e.entity_id == R"(["RES.1/EU","PA2.2","dan"])") seq = e.seq;  // F, the newer version
  ASSERT_GT(seq, 0);
  base_.reset();
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    SQLite::Statement e(db, "UPDATE events SET after_json = replace(after_json, '\"value\":\"F\"', '\"value\":\"P\"') "
                            "WHERE seq = ?");
    e.bind(1, seq);
    EXPECT_EQ(1, e.exec());
    SQLite::Statement r(db, "UPDATE ratings SET value = 'P' WHERE event_seq = ?");
    r.bind(1, seq);
    EXPECT_EQ(1, r.exec());
  }
  testing::RehashFrom(db_path_, seq);
  auto ws = OpenWs();
  VerifyReport v;
  Status s = ws->VerifyLog(&v);
  EXPECT_EQ(Status::Code::kCorruption, s.code()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("event " + std::to_string(seq) + " is not what hand-out event"))
      << s.message();
}

// Hand-outs sealed by their assessor: the seal is checked with the key
// registered here and recorded; a seal by another person's key, or by a
// key not registered here, or one whose signature does not verify, is
// refused and nothing is written.
TEST_F(MergeTest, SealedHandouts) {
  SecretKey cy_key, ada_key, stray_key;
  std::string text;
  ASSERT_OK(NewKeyPair("", KdfLimits{}, &cy_key, &text));
  ASSERT_OK(NewKeyPair("", KdfLimits{}, &ada_key, &text));
  ASSERT_OK(NewKeyPair("", KdfLimits{}, &stray_key, &text));
  KeyInfo k;
  ASSERT_OK(base_->RegisterKey(cy_key.public_key(), "cy", &k));
  ASSERT_OK(base_->RegisterKey(ada_key.public_key(), "ada", &k));
  // Four hand-outs for cy, each rated; sealed with cy's key, ada's key, a
  // key cy registered in the hand-out only, and cy's key (then forged).
  const char* names[] = {"cy-sealed", "cy-by-ada", "cy-stray", "cy-forged"};
  for (const char* n : names) {
    HandoutInfo info;
    ASSERT_OK(base_->Handout("A1", "cy", File(n), &info));
    WorkspaceOptions o = Options();
    o.actor = "cy";
    std::unique_ptr<Workspace> h;
    ASSERT_OK(Workspace::Open(File(n), o, &h));
    WriteResult r;
    ASSERT_OK(h->Rate("A1", Rated("RES.1/EU", "PA2.1", "cy", "P"), &r));
    const std::string name = n;
    if (name == "cy-stray") ASSERT_OK(h->RegisterKey(stray_key.public_key(), "cy", &k));
    SealInfo seal;
    ASSERT_OK(h->Seal(name == "cy-by-ada" ? ada_key : name == "cy-stray" ? stray_key : cy_key, &seal));
    if (name != "cy-forged") continue;
    h.reset();
    // Another signature (flipped bits) in the seal row and its event, the
    // hand-out's chain recomputed: its own verification catches it.
    SQLite::Database db(File(n), SQLite::OPEN_READWRITE);
    std::string sig = seal.signature;
    sig[0] = sig[0] == 'A' ? 'B' : 'A';
    SQLite::Statement u(db, "UPDATE seals SET signature = ?");
    u.bind(1, sig);
    u.exec();
    SQLite::Statement e(db, "UPDATE events SET after_json = replace(after_json, ?, ?) WHERE seq = ?");
    e.bind(1, seal.signature);
    e.bind(2, sig);
    e.bind(3, seal.event);
    EXPECT_EQ(1, e.exec());
  }
  testing::RehashFrom(File("cy-forged"), 1);

  ExpectRefused({"cy", "cy-by-ada"}, Status::Code::kInvalidInput, "was made with a key of ada, not of cy, whose hand-out it is");
  ExpectRefused({"cy-stray"}, Status::Code::kInvalidInput, "was made with a key that is not registered in this workspace");
  ExpectRefused({"cy-forged"}, Status::Code::kCorruption, "cy-forged.db: the hand-out's log does not verify");

  MergeReport report = MergeFiles(base_.get(), {"cy-sealed"});
  ASSERT_EQ(1u, report.provenance.size());
  const MergeProvenance& p = report.provenance[0];
  EXPECT_TRUE(p.sealed);
  EXPECT_EQ("cy", p.seal.signer);
  EXPECT_EQ(cy_key.public_key().KeyIdHex(), p.seal.key_id);
  EXPECT_EQ(p.head_seq - 1, p.seal.seq);  // the seal is the hand-out's last event
  EXPECT_EQ(2, p.handout_events);
  EXPECT_EQ(1, p.traced);
  VerifyReport v;
  ASSERT_OK(base_->VerifyLog(&v));
  EXPECT_EQ(1, v.merges);
  EXPECT_EQ(1, v.handout_seals);
}

// Evidence files kept offline come back with the merge: once per content,
// in all six orders, each with its keep event traced; merged twice, nothing
// more; the log verifies and counts them.
TEST_F(MergeTest, KeptEvidenceFilesComeBackInAnyOrder) {
  const std::string minutes = "minutes of the interview with bob\n";
  const std::string photo("photo \x00\x01\x02 of the queue", 22);
  {
    WriteResult r;
    auto ada = Assessor("ada", "2026-11-25T09:30:00Z");
    ASSERT_OK(ada->KeepEvidenceFile("A1", "EV-2", minutes, &r));
    auto cy = Assessor("cy", "2026-11-25T10:30:00Z");
    ASSERT_OK(cy->KeepEvidenceFile("A1", "EV-1", minutes, &r));  // the same content, another item
    auto dan = Assessor("dan", "2026-11-25T11:30:00Z");
    ASSERT_OK(dan->KeepEvidenceFile("A1", "EV-1", photo, &r));  // EV-1 changed by cy and dan: dan's is newer
  }
  std::vector<std::string> order = {"ada", "cy", "dan"};
  std::string first;
  int n = 0;
  do {
    auto w = Fork("files" + std::to_string(++n));
    const std::string label = order[0] + " " + order[1] + " " + order[2];
    int written = 0, same = 0;
    for (const std::string& p : order)
      for (const MergeChange& c : MergeFiles(w.get(), {p}).changes)
        if (c.entity == "file") (c.outcome == MergeChange::Outcome::kApplied ? written : same) += 1;
    EXPECT_EQ(2, written) << label;
    EXPECT_EQ(1, same) << label;  // the minutes, kept in two hand-outs
    std::vector<KeptFile> kept;
    ASSERT_OK(w->ListKeptFiles(&kept));
    ASSERT_EQ(2u, kept.size()) << label;
    for (const std::string& bytes : {minutes, photo}) {
      std::string back;
      ASSERT_OK(w->ReadKeptFile(Sha256Hex(bytes), &back));
      EXPECT_EQ(bytes, back) << label;
    }
    std::string json;
    ASSERT_OK(w->Export("A1", &json));
    EXPECT_NE(std::string::npos, json.find(Sha256Hex(photo))) << label;  // EV-1, dan's version
    if (first.empty()) first = json;
    EXPECT_EQ(first, json) << label;
    VerifyReport v;
    ASSERT_OK(w->VerifyLog(&v));
    EXPECT_EQ(2, v.files) << label;
    EXPECT_EQ(3, v.merges) << label;
    // SetUp's 9 versions, EV-2's new SHA-256, the two files written, and
    // EV-1: cy's then dan's newer version, or dan's only (cy's older one kept).
    const bool cy_first = std::find(order.begin(), order.end(), "cy") < std::find(order.begin(), order.end(), "dan");
    EXPECT_EQ(9 + 1 + 2 + (cy_first ? 2 : 1), v.traced) << label;
    // Merged again, in one command: nothing written.
    const std::string before = Fingerprint(w.get());
    MergeReport again = MergeFiles(w.get(), {"dan", "cy", "ada"});
    EXPECT_EQ(0, again.events);
    EXPECT_EQ(3u, again.already.size());
    EXPECT_EQ(before, Fingerprint(w.get())) << label;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(6, n);
}

// A file the lead kept is in the hand-out, and what the assessor keeps
// there comes back; a dry run lists the file and writes nothing.
TEST_F(MergeTest, KeptFilesTravelBothWays) {
  const std::string procedure = "DOC-17 Incident procedure v3, the file\n", notes = "cy's notes\n";
  WriteResult r;
  ASSERT_OK(base_->KeepEvidenceFile("A1", "EV-1", procedure, &r));
  HandoutInfo info;
  ASSERT_OK(base_->Handout("A1", "cy", File("cy-late"), &info));
  {
    auto cy = Assessor("cy", "2026-11-26T10:00:00Z", "cy-late");
    std::string back;
    ASSERT_OK(cy->ReadKeptFile(Sha256Hex(procedure), &back));
    EXPECT_EQ(procedure, back);
    Evidence ev;
    ev.id = "EV-3";
    ev.kind = EvidenceKind::kRecord;
    ev.reference = "Notes of I-1";
    ev.collected_by = "cy";
    ASSERT_OK(cy->PutEvidence("A1", ev, &r));
    ASSERT_OK(cy->KeepEvidenceFile("A1", "EV-3", notes, &r));
  }
  const std::string before = Fingerprint(base_.get());
  MergeReport dry = MergeFiles(base_.get(), {"cy-late"}, true);
  const auto file = std::find_if(dry.changes.begin(), dry.changes.end(),
                                 [](const MergeChange& c) { return c.entity == "file"; });
  ASSERT_NE(file, dry.changes.end());
  EXPECT_EQ(Sha256Hex(notes), file->key);
  EXPECT_EQ(MergeChange::Outcome::kApplied, file->outcome);
  EXPECT_EQ("cy", file->actor);
  EXPECT_EQ("2026-11-26T10:00:00Z", file->at);
  EXPECT_EQ(before, Fingerprint(base_.get()));
  std::string back;
  EXPECT_EQ(Status::Code::kNotFound, base_->ReadKeptFile(Sha256Hex(notes), &back).code());

  MergeReport report = MergeFiles(base_.get(), {"cy-late"});
  ASSERT_OK(base_->ReadKeptFile(Sha256Hex(notes), &back));
  EXPECT_EQ(notes, back);
  std::vector<KeptFile> kept;
  ASSERT_OK(base_->ListKeptFiles(&kept));
  ASSERT_EQ(2u, kept.size());
  std::vector<Event> events;
  ASSERT_OK(base_->ReadLog("A1", &events));
  const auto keep = std::find_if(events.begin(), events.end(), [&](const Event& e) {
    return e.entity == "file" && e.entity_id == Sha256Hex(notes);
  });
  ASSERT_NE(keep, events.end());
  EXPECT_EQ("cy", keep->actor);  // by who kept it, when
  EXPECT_EQ("2026-11-26T10:00:00Z", keep->at);
  VerifyReport v;
  ASSERT_OK(base_->VerifyLog(&v));
  EXPECT_EQ(2, v.files);
  EXPECT_EQ(1, v.merges);
  EXPECT_EQ(3, v.traced);  // EV-3, its sha256, the file
}

// A kept file changed in the hand-out and the chain recomputed: the
// hand-out's own verification refuses it, nothing is written.
TEST_F(MergeTest, AHandoutFileChangedIsRefused) {
  WriteResult r;
  {
    auto cy = Assessor("cy", "2026-11-25T10:30:00Z");
    ASSERT_OK(cy->KeepEvidenceFile("A1", "EV-1", "the real minutes\n", &r));
  }
  std::filesystem::copy_file(File("cy"), File("cy-file-changed"));
  {
    SQLite::Database db(File("cy-file-changed"), SQLite::OPEN_READWRITE);
    db.exec("UPDATE files SET content = 'b3RoZXIgbWludXRlcwo='");  // "other minutes\n"
  }
  ExpectRefused({"cy-file-changed"}, Status::Code::kCorruption, "cy-file-changed.db: the hand-out's log does not verify");
}

// With accounts (docs/ACCOUNTS.md): only the assessment's lead assessor
// merges, and each version merged must be one the hand-out's person may
// write (an assessor of the team rating as themselves); a refusal is
// PermissionDenied, logged as an access event, and nothing is merged.
TEST_F(MergeTest, WithAccountsOnlyTheLeadMergesWhatTheAssessorMayWrite) {
  WriteResult r;
  // Hand-outs made before the accounts (worked on without signing in, or
  // changed by someone who rewrote their chain): cy rates as dan, cy
  // consolidates, cy withdraws an instance.
  {
    HandoutInfo info;
    for (const char* n : {"cy-as-dan", "cy-consolidates", "cy-adds-instance"})
      ASSERT_OK(base_->Handout("A1", "cy", File(n), &info));
    auto as_dan = Assessor("cy", "2026-11-25T10:00:00Z", "cy-as-dan");
    ASSERT_OK(as_dan->Rate("A1", Rated("RES.1/EU", "PA2.1", "dan", "N"), &r));
    auto consolidates = Assessor("cy", "2026-11-25T10:00:00Z", "cy-consolidates");
    Rating team = Rated("RES.1/EU", "PA2.1", "", "N");
    team.consolidated = true;
    team.justification = "agreed";
    ASSERT_OK(consolidates->Rate("A1", team, &r));
    auto instance = Assessor("cy", "2026-11-25T10:00:00Z", "cy-adds-instance");
    ASSERT_OK(instance->PutInstance("A1", {"RES.1/XX", "RES.1", "Incidents XX", "EU", 1.0}, &r));
  }
  std::string hash;
  ASSERT_OK(HashPassword("correct horse battery", &hash));
  auto account = [](const std::string& id, std::vector<std::string> roles) {
    Account a;
    a.id = id;
    a.roles = std::move(roles);
    return a;
  };
  ASSERT_OK(base_->PutAccount(account("root", {"admin"}), hash, &r));
  auto as = [&](const std::string& user) {
    WorkspaceOptions o = Options();
    o.user = user;
    std::unique_ptr<Workspace> ws;
    EXPECT_OK(Workspace::Open(base_->path(), o, &ws));
    return ws;
  };
  {
    auto root = as("root");
    ASSERT_OK(root->PutAccount(account("ada", {"assessor", "lead-assessor"}), hash, &r));
    ASSERT_OK(root->PutAccount(account("cy", {"assessor"}), hash, &r));
    ASSERT_OK(root->PutAccount(account("dan", {"assessor"}), hash, &r));
  }
  // Refused: the refusal logged, the assessment as it was.
  auto refused = [&](Workspace* ws, const std::vector<std::string>& names, const std::string& why) {
    std::vector<Event> before, after;
    EXPECT_OK(base_->ReadLog("", &before));
    std::string json_before, json_after;
    EXPECT_OK(base_->Export("A1", &json_before));
    std::vector<std::string> files;
    for (const std::string& n : names) files.push_back(File(n));
    MergeReport report;
    Status s = ws->Merge(files, MergeOptions(), &report);
    EXPECT_EQ(Status::Code::kPermissionDenied, s.code()) << s.ToString();
    EXPECT_NE(std::string::npos, s.message().find(why)) << s.message();
    EXPECT_OK(base_->ReadLog("", &after));
    ASSERT_EQ(before.size() + 1, after.size()) << names.back();
    EXPECT_EQ("access", after.back().entity);
    EXPECT_EQ("refused", after.back().action);
    const std::string reason = nlohmann::json::parse(after.back().after).value("reason", "");
    EXPECT_NE(std::string::npos, reason.find(why)) << reason;
    EXPECT_OK(base_->Export("A1", &json_after));
    EXPECT_EQ(json_before, json_after) << names.back();
  };
  auto cy = as("cy"), ada = as("ada");
  refused(cy.get(), {"cy"}, "'cy' (assessor): only the assessment's lead assessor merges hand-outs in assessment A1");
  refused(base_.get(), {"ada"}, "every write needs a signed-in user");
  refused(ada.get(), {"cy", "cy-as-dan"},
          "the hand-out of cy brings rating [\"RES.1/EU\",\"PA2.1\",\"dan\"] by cy, which cy may not write: 'cy' "
          "(assessor): an assessor rates as themselves (cy), not as 'dan'");
  refused(ada.get(), {"cy-consolidates"}, "which cy may not write: 'cy' (assessor): only the assessment's lead "
                                          "assessor consolidates in assessment A1");
  refused(ada.get(), {"cy-adds-instance"}, "which cy may not write: 'cy' (assessor): only the assessment's lead "
                                       "assessor changes its instance records in assessment A1");
  // A person without an account here: what their hand-out brings cannot be theirs.
  {
    auto root = as("root");
    Account dan = account("dan", {"assessor"});
    dan.person = "daniel";
    ASSERT_OK(root->PutAccount(dan, "", &r));
  }
  refused(ada.get(), {"dan"}, "which dan may not write: no account of this workspace acts as dan");
  {
    auto root = as("root");
    ASSERT_OK(root->PutAccount(account("dan", {"assessor"}), "", &r));
  }
  // The lead merges the three assessors' work, each their own.
  MergeReport report;
  ASSERT_OK(ada->Merge({File("ada"), File("cy"), File("dan")}, MergeOptions(), &report));
  EXPECT_EQ(9 + 3, report.events);
  EXPECT_EQ(1u, report.conflicts.size());
  ExpectVerifies(ada.get());
}

}  // namespace
}  // namespace assay
