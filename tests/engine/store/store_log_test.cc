// Tests of opening workspaces (migrations, refusals), the hash-chained log
// and concurrent writers.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>

#include "assay/store.h"
#include "store/store_internal.h"
#include "engine/store/store_test_util.h"

namespace assay {
namespace {

class WorkspaceTest : public testing::StoreTest {
 protected:
  std::string FileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

class EventLogTest : public testing::StoreTest {};

TEST_F(WorkspaceTest, MissingFileIsNotFoundWithoutCreate) {
  ASSAY_SQLITE_ONLY();
  WorkspaceOptions o = Options();
  o.create_if_missing = false;
  std::unique_ptr<Workspace> ws;
  Status s = Workspace::Open(db_path_, o, &ws);
  EXPECT_EQ(Status::Code::kNotFound, s.code()) << s.ToString();
  EXPECT_FALSE(std::filesystem::exists(db_path_));
}

TEST_F(WorkspaceTest, NotSqliteIsRefusedAndUntouched) {
  ASSAY_SQLITE_ONLY();
  std::string path = dir_.Write("notes.db", "this is not a database, just text\n");
  std::unique_ptr<Workspace> ws;
  Status s = Workspace::Open(path, Options(), &ws);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("not an assay workspace (not an SQLite database)")) << s.message();
  EXPECT_EQ("this is not a database, just text\n", FileBytes(path));
}

TEST_F(WorkspaceTest, OtherSqliteDatabaseIsRefused) {
  ASSAY_SQLITE_ONLY();
  {
    SQLite::Database other(db_path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    other.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
  }
  std::string before = FileBytes(db_path_);
  std::unique_ptr<Workspace> ws;
  Status s = Workspace::Open(db_path_, Options(), &ws);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("another application")) << s.message();
  EXPECT_EQ(before, FileBytes(db_path_));
}

TEST_F(WorkspaceTest, NewerWorkspaceIsRefusedAndNeverModified) {
  ASSAY_SQLITE_ONLY();
  { Populated(); }
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  std::string before = FileBytes(db_path_);
  struct stat st_before {};
  ASSERT_EQ(0, ::stat(db_path_.c_str(), &st_before));
  std::unique_ptr<Workspace> ws;
  Status s = Workspace::Open(db_path_, Options(), &ws);
  EXPECT_EQ(Status::Code::kUnsupported, s.code()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("schema version 99 is newer")) << s.message();
  EXPECT_EQ(Status::Code::kUnsupported, s.code());
  EXPECT_EQ(before, FileBytes(db_path_));
}

TEST_F(WorkspaceTest, OldVersionIsMigratedOnOpen) {
  ASSAY_SQLITE_ONLY();
  {
    std::unique_ptr<Workspace> v1;
    ASSERT_OK(internal::OpenWorkspaceAtVersion(db_path_, Options(), 1, &v1));
    EXPECT_EQ(1, v1->schema_version());
    WriteResult r;
    ASSERT_OK(v1->CreateAssessment(BasicAssessment("OLD"), &r));
    ASSERT_OK(v1->PutScope("OLD", {"RES.1", 1}, &r));
  }
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
    EXPECT_EQ(1, db.execAndGet("PRAGMA user_version").getInt());
    EXPECT_FALSE(db.tableExists("current_ratings"));
  }
  auto ws = OpenWs();
  EXPECT_EQ(Workspace::kSchemaVersion, ws->schema_version());
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("OLD", &d));
  ASSERT_EQ(1u, d.scope.size());
  ExpectVerifies(ws.get());
  SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
  EXPECT_EQ(Workspace::kSchemaVersion, db.execAndGet("PRAGMA user_version").getInt());
  EXPECT_EQ(Workspace::kApplicationId, db.execAndGet("PRAGMA application_id").getInt());
  EXPECT_EQ(0, db.execAndGet("SELECT count(*) FROM current_ratings").getInt());
}

// A workspace written by schema version 1 and committed to the tree.
TEST_F(WorkspaceTest, CommittedVersion1FixtureOpens) {
  ASSAY_SQLITE_ONLY();
  std::string fixture = std::string(ASSAY_FIXTURES_DIR) + "/workspaces/v1.db";
  if (!std::filesystem::exists(fixture)) GTEST_SKIP() << "no fixture " << fixture;
  std::filesystem::copy_file(fixture, db_path_);
  auto ws = OpenWs();
  ASSERT_TRUE(ws);
  EXPECT_EQ(Workspace::kSchemaVersion, ws->schema_version());
  std::vector<Assessment> all;
  ASSERT_OK(ws->ListAssessments(&all));
  ASSERT_EQ(1u, all.size());
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot(all[0].id, &d));
  EXPECT_FALSE(d.ratings.empty());
  ExpectVerifies(ws.get());
}

// Writes tests/fixtures/workspaces/v1.db (run once, by hand:
// assay_tests --gtest_also_run_disabled_tests --gtest_filter='*WriteVersion1Fixture').
TEST_F(WorkspaceTest, DISABLED_WriteVersion1Fixture) {
  ASSAY_SQLITE_ONLY();
  std::string out = std::string(ASSAY_FIXTURES_DIR) + "/workspaces/v1.db";
  std::filesystem::create_directories(std::string(ASSAY_FIXTURES_DIR) + "/workspaces");
  std::filesystem::remove(out);
  {
    std::unique_ptr<Workspace> v1;
    ASSERT_OK(internal::OpenWorkspaceAtVersion(db_path_, Options(), 1, &v1));
    WriteResult r;
    ASSERT_OK(v1->CreateAssessment(BasicAssessment("V1"), &r));
    ASSERT_OK(v1->PutScope("V1", {"RES.1", 2}, &r));
    ASSERT_OK(v1->PutInstance("V1", {"RES.1/EU", "RES.1", "Incidents EU", "", 1.0}, &r));
    ASSERT_OK(v1->PutPerson("V1", {"ada", "Ada L.", "", {Role::kLeadAssessor}}, &r));
    ASSERT_OK(v1->SetStatus("V1", AssessmentStatus::kCollecting, &r));
    ASSERT_OK(v1->Rate("V1", AttrRating("P"), &r));
    ASSERT_OK(v1->Rate("V1", AttrRating("L"), &r));
  }
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db.exec("PRAGMA journal_mode = DELETE");
  }
  std::filesystem::copy_file(db_path_, out);
}

TEST_F(WorkspaceTest, InMemoryWorkspace) {
  auto ws = OpenWs(":memory:");
  WriteResult r;
  ASSERT_OK(ws->CreateAssessment(BasicAssessment("M"), &r));
  ExpectVerifies(ws.get());
}

TEST_F(EventLogTest, ChainCoversEveryWrite) {
  auto ws = Populated();
  std::vector<Event> log;
  ASSERT_OK(ws->ReadLog("", &log));
  ASSERT_EQ(15u, log.size());  // 12 records of A1, 3 people registered
  EXPECT_EQ("", log[0].prev_hash);
  for (size_t i = 1; i < log.size(); ++i) {
    EXPECT_EQ(log[i - 1].hash, log[i].prev_hash);
    EXPECT_EQ(static_cast<int64_t>(i + 1), log[i].seq);
  }
  EXPECT_EQ("tester", log[0].actor);
  EXPECT_EQ("2026-11-24T12:00:00Z", log[0].at);
  EXPECT_EQ("create", log[0].action);
  EXPECT_EQ("assessment", log[0].entity);
  VerifyReport v;
  ASSERT_OK(ws->VerifyLog(&v));
  EXPECT_EQ(15, v.events);
  EXPECT_EQ(15, v.records);
  EXPECT_EQ(15, v.head_seq);
}

// Each tampering, made with SQLite directly, and the event verify must name.
TEST_F(EventLogTest, DirectEditsAreDetected) {
  ASSAY_SQLITE_ONLY();
  struct Case {
    const char* what;
    const char* sql;
    int64_t first_bad;
  } cases[] = {
      {"rating value changed", "UPDATE ratings SET value = 'F' WHERE value = 'P' AND is_current = 0", 16},
      {"current rating changed", "UPDATE ratings SET value = 'F' WHERE value = 'L' AND is_current = 1", 17},
      {"rating weakness added", "UPDATE ratings SET weakness = 'none' WHERE row_id = 17", 17},
      // Row 16 now names a missing successor: the first event with a problem.
      {"rating row deleted", "DELETE FROM ratings WHERE row_id = 17", 16},
      {"first rating row deleted", "DELETE FROM ratings WHERE row_id = 16", 16},
      {"rating moved to another event", "UPDATE ratings SET event_seq = 15 WHERE row_id = 17", 15},
      {"event deleted", "DELETE FROM events WHERE seq = 5", 5},
      {"last event deleted", "DELETE FROM events WHERE seq = 17", 17},
      {"record deleted", "DELETE FROM records WHERE row_id = 3", 3},
      {"event actor changed", "UPDATE events SET actor = 'mallory' WHERE seq = 7", 7},
      {"event after_json replaced", "UPDATE events SET after_json = (SELECT data FROM records WHERE "
                                              "row_id = 2) WHERE seq = 4",
       4},
      {"supersession undone", "UPDATE ratings SET superseded_by = NULL WHERE row_id = 16", 16},
      {"event hash rewritten", "UPDATE events SET hash = 'x' WHERE seq = 9", 9},
  };
  for (const Case& c : cases) {
    std::filesystem::remove(db_path_);
    std::filesystem::remove(db_path_ + "-wal");
    std::filesystem::remove(db_path_ + "-shm");
    {
      auto ws = Populated();
      WriteResult r;
      ASSERT_OK(ws->Rate("A1", AttrRating("P"), &r));  // event 16, row 16
      ASSERT_OK(ws->Rate("A1", AttrRating("L"), &r));  // event 17, row 17 supersedes 16
      ExpectVerifies(ws.get());
    }
    Tamper(c.sql);
    auto ws = OpenWs();
    VerifyReport v;
    Status s = ws->VerifyLog(&v);
    EXPECT_EQ(Status::Code::kCorruption, s.code()) << c.what;
    EXPECT_EQ(Status::Code::kCorruption, s.code());
    EXPECT_EQ(c.first_bad, v.first_bad_event) << c.what << ": " << s.message();
  }
}

TEST_F(EventLogTest, ConcurrentWritersLoseNothing) {
  {
    auto ws = Populated();
    WriteResult r;
    // 4 writers x 100 ratings: 4 instances x 100 items is too many items;
    // use 4 assessors x 25 items x 4 instances of two processes.
    ASSERT_OK(ws->PutPerson("A1", {"dee", "Dee", "", {Role::kAssessor}}, &r));
    ASSERT_OK(ws->PutPerson("A1", {"eve", "Eve", "", {Role::kAssessor}}, &r));
    for (const char* inst : {"RES.1/A", "RES.1/B", "RES.1/C"})
      ASSERT_OK(ws->PutInstance("A1", {inst, "RES.1", inst, "EU", 1.0}, &r));
  }
  // Items every writer rates: 9 attributes + achievements + generic practices.
  std::vector<std::string> items;
  {
    std::shared_ptr<const Model> model;
    ASSERT_OK(Options().resolve_model("itsm-20000", "", &model));
    for (const ProcessAttribute& a : model->framework().attributes) {
      items.push_back(a.id);
      for (const Statement& s : a.achievements) items.push_back(s.id);
    }
  }
  ASSERT_GE(items.size(), 25u);
  items.resize(25);
  const std::vector<std::string> assessors = {"ada", "cy", "dee", "eve"};
  const std::vector<std::string> instances = {"RES.1/EU", "RES.1/A", "RES.1/B", "RES.1/C"};
  std::vector<std::thread> threads;
  std::vector<std::string> errors(assessors.size());
  for (size_t w = 0; w < assessors.size(); ++w) {
    threads.emplace_back([&, w] {
      WorkspaceOptions o = Options();
      o.actor = assessors[w];
      std::unique_ptr<Workspace> ws;
      Status s = Workspace::Open(db_path_, o, &ws);
      if (!s.ok()) {
        errors[w] = s.ToString();
        return;
      }
      for (const std::string& inst : instances)
        for (const std::string& item : items) {
          Rating r;
          r.instance = inst;
          r.item = item;
          r.assessor = assessors[w];
          r.value = "L";
          WriteResult wr;
          s = ws->Rate("A1", r, &wr);
          if (!s.ok()) {
            errors[w] = s.ToString();
            return;
          }
        }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& e : errors) EXPECT_EQ("", e);
  auto ws = OpenWs();
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  EXPECT_EQ(400u, d.ratings.size());
  ExpectVerifies(ws.get());
  std::vector<Event> log;
  ASSERT_OK(ws->ReadLog("A1", &log));
  EXPECT_EQ(17u + 400u, log.size());
}

// Separate processes (not only threads) writing to one workspace file.
TEST_F(EventLogTest, ConcurrentProcessesLoseNothing) {
  { Populated(); }
  const std::vector<std::string> assessors = {"ada", "cy"};
  std::vector<std::string> items;
  {
    std::shared_ptr<const Model> model;
    ASSERT_OK(Options().resolve_model("itsm-20000", "", &model));
    for (const ProcessAttribute& a : model->framework().attributes)
      for (const Statement& s : a.achievements) items.push_back(s.id);
  }
  items.resize(30);
  std::vector<pid_t> children;
  for (const std::string& who : assessors) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      {
        WorkspaceOptions o = Options();
        o.actor = who;
        std::unique_ptr<Workspace> ws;
        if (!Workspace::Open(db_path_, o, &ws).ok()) ::_exit(10);
        for (const char* inst : {"RES.1/EU", "RES.2/EU"})
          for (const std::string& item : items) {
            Rating r;
            r.instance = inst;
            r.item = item;
            r.assessor = who;
            r.value = "P";
            WriteResult wr;
            if (!ws->Rate("A1", r, &wr).ok()) code = 11;
          }
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(pid, ::waitpid(pid, &status, 0));
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(0, WEXITSTATUS(status));
  }
  auto ws = OpenWs();
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  EXPECT_EQ(assessors.size() * 2 * items.size(), d.ratings.size());
  ExpectVerifies(ws.get());
}

// One writer process of EightWriterProcessesLoseNothing: `per` ratings as
// assessor w<writer>, one by one (each its own transaction and event), over
// `keys` in turn, each a new value of its key (N, P, L, F by pass). Returns
// the process's exit code.
constexpr const char* kValues[] = {"N", "P", "L", "F"};

int WriteRatings(const std::string& path, WorkspaceOptions o, int writer, int per,
                 const std::vector<std::pair<std::string, std::string>>& keys) {
  o.actor = "w" + std::to_string(writer);
  std::unique_ptr<Workspace> ws;
  if (!Workspace::Open(path, o, &ws).ok()) return 10;
  for (int i = 0; i < per; ++i) {
    const size_t k = static_cast<size_t>(i) % keys.size();
    Rating r;
    r.instance = keys[k].first;
    r.item = keys[k].second;
    r.assessor = o.actor;
    r.value = kValues[(static_cast<size_t>(i) / keys.size()) % 4];
    WriteResult wr;
    if (!ws->Rate("A1", r, &wr).ok() || wr.kind == WriteResult::Kind::kUnchanged) return 11;
  }
  return 0;
}

// Eight writer processes at once, each adding its ratings: none is lost
// and the log verifies. On PostgreSQL (store.postgres) 500 each, 4000 in
// all, serialized by the workspace's advisory lock; on an SQLite file 50
// each. A key rated again gets a new version, so every rating is an event.
TEST_F(EventLogTest, EightWriterProcessesLoseNothing) {
  constexpr int kWriters = 8;
  const int per = OnPostgres() ? 500 : 50;
  {
    auto ws = Populated();
    WriteResult r;
    for (int w = 1; w <= kWriters; ++w) {
      const std::string id = "w" + std::to_string(w);
      ASSERT_OK(ws->PutPerson("A1", {id, "Writer " + std::to_string(w), "Assessors Ltd", {Role::kAssessor}}, &r));
    }
  }
  std::vector<std::pair<std::string, std::string>> keys;
  {
    std::shared_ptr<const Model> model;
    ASSERT_OK(Options().resolve_model("itsm-20000", "", &model));
    for (const char* instance : {"RES.1/EU", "RES.2/EU"})
      for (const ProcessAttribute& a : model->framework().attributes)
        for (const Statement& s : a.achievements) keys.emplace_back(instance, s.id);
  }
  ASSERT_GE(keys.size(), 40u);
  std::vector<pid_t> children;
  for (int w = 1; w <= kWriters; ++w) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) ::_exit(WriteRatings(db_path_, Options(), w, per, keys));
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(pid, ::waitpid(pid, &status, 0));
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(0, WEXITSTATUS(status));
  }
  auto ws = OpenWs();
  // Every writer's events, and its last value of each key current.
  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog("A1", &events));
  std::map<std::string, int> rating_events;
  for (const Event& e : events)
    if (e.entity == "rating") ++rating_events[e.actor];
  for (int w = 1; w <= kWriters; ++w) EXPECT_EQ(per, rating_events["w" + std::to_string(w)]) << "writer w" << w;
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  const size_t distinct = std::min(keys.size(), static_cast<size_t>(per));
  EXPECT_EQ(kWriters * distinct, d.ratings.size());
  for (const Rating& r : d.ratings) {
    size_t k = 0;
    while (k < keys.size() && keys[k] != std::pair(r.instance, r.item)) ++k;
    ASSERT_LT(k, keys.size()) << r.instance << " " << r.item;
    const size_t last = k + (static_cast<size_t>(per - 1) - k) / keys.size() * keys.size();  // its last rating
    EXPECT_EQ(kValues[(last / keys.size()) % 4], r.value) << r.assessor << " " << r.instance << " " << r.item;
  }
  ExpectVerifies(ws.get());
}

}  // namespace

// Writers hash a concatenation instead of re-parsing before/after; every
// hash must still be the defined one, SHA-256(prev_hash + canonical JSON of
// the content), also for non-ASCII text, control characters and quotes (and
// an actor that is not ASCII, which takes the parsing path).
TEST_F(EventLogTest, HashesAreTheDefinedOnes) {
  ASSAY_SQLITE_ONLY();
  WorkspaceOptions o = Options();
  o.actor = "Zo\xC3\xAB \"q\"";
  std::unique_ptr<Workspace> ws;
  ASSERT_OK(Workspace::Open(db_path_, o, &ws));
  WriteResult r;
  ASSERT_OK(ws->CreateAssessment(BasicAssessment("A1"), &r));
  ws.reset();
  ws = Populated(dir_.path() + "/second.db");
  Rating rt = AttrRating("L");
  rt.weakness = "caf\xC3\xA9 \"quoted\" back\\slash line\nfeed \xE2\x82\xAC";
  ASSERT_OK(ws->Rate("A1", rt, &r));
  rt.value = "P";
  ASSERT_OK(ws->Rate("A1", rt, &r));  // an update: before is set
  for (const std::string& path : {db_path_, dir_.path() + "/second.db"}) {
    std::unique_ptr<Workspace> w;
    ASSERT_OK(Workspace::Open(path, Options(), &w));
    std::vector<Event> log;
    ASSERT_OK(w->ReadLog("", &log));
    ASSERT_FALSE(log.empty());
    for (const Event& e : log) {
      nlohmann::json content = {{"seq", e.seq},
                                {"at", e.at},
                                {"actor", e.actor},
                                {"assessment", e.assessment},
                                {"action", e.action},
                                {"entity", e.entity},
                                {"entity_id", e.entity_id},
                                {"row", e.row},
                                {"before", e.before.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(e.before)},
                                {"after", nlohmann::json::parse(e.after)}};
      EXPECT_EQ(Sha256Hex(e.prev_hash + internal::Canonical(content)), e.hash) << "event " << e.seq;
    }
    ExpectVerifies(w.get());
  }
}

// Reformatting a stored event's JSON (same value, other bytes) is detected.
TEST_F(EventLogTest, ReformattedEventJsonIsDetected) {
  ASSAY_SQLITE_ONLY();
  auto ws = Populated();
  ws.reset();
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec("UPDATE events SET after_json = replace(after_json, ',', ', ') WHERE seq = 6");
  }
  ws = OpenWs();
  VerifyReport v;
  Status s = ws->VerifyLog(&v);
  EXPECT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_EQ(6, v.first_bad_event) << s.ToString();
}

}  // namespace assay
