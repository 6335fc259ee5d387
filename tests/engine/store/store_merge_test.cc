// Tests of hand-outs and merge (issue 15, docs/TEAMWORK.md): three
// assessors work offline on hand-outs (overlapping and separate items, one
// withdrawal, one conflicting pair); merged in all six orders the exports
// are byte-identical, the conflict is listed, the log verifies and each
// rating's author is the assessor who entered it. Bad hand-outs are refused
// and leave the workspace byte for byte as it was.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "assay/store.h"
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

  // The hand-out of `person`, opened as they open it: their ID, their clock.
  std::unique_ptr<Workspace> Assessor(const std::string& person, const std::string& now) {
    WorkspaceOptions o = Options();
    o.actor = person;
    o.clock = [now] { return now; };
    std::unique_ptr<Workspace> ws;
    Status s = Workspace::Open(File(person), o, &ws);
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
  EXPECT_EQ(9, report.events);
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

}  // namespace
}  // namespace assay
