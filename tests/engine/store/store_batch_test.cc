// Tests of the typed ratings table (schema version 4): import batches with
// one digest-carrying event, their verification against edits made with
// SQLite directly, streaming CSV import, migrations of workspaces that hold
// ratings, and read-only opening.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "assay/store.h"
#include "store/store_impl.h"
#include "engine/store/store_test_util.h"

namespace assay {
namespace {

class BatchTest : public testing::StoreTest {
 protected:
  static constexpr int kInstances = 100;

  // The items rated by the big CSV: attributes, achievements and generic
  // practices of the framework (all ratable for any process).
  static std::vector<std::string> Items() {
    std::shared_ptr<const Model> model;
    EXPECT_OK(Options().resolve_model("itsm-20000", "", &model));
    std::vector<std::string> items;
    for (const ProcessAttribute& a : model->framework().attributes) {
      items.push_back(a.id);
      for (const Statement& s : a.achievements) items.push_back(s.id);
    }
    for (const Indicator& i : model->framework().generic_practices) items.push_back(i.id);
    return items;
  }

  // Populated() plus instances RES.1/U000..U099.
  std::unique_ptr<Workspace> Big() {
    auto ws = Populated();
    WriteResult r;
    for (int i = 0; i < kInstances; ++i)
      EXPECT_OK(ws->PutInstance("A1", {Instance(i), "RES.1", "", "EU", 1.0}, &r));
    return ws;
  }

  static std::string Instance(int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "RES.1/U%03d", i);
    return buf;
  }

  // A CSV of `n` distinct ratings (instances x items x {ada, cy}); the row
  // on line `bad` (0 = none) names an unknown item. `value` for every row.
  static std::string Csv(size_t n, int bad_line = 0, const std::string& value = "L") {
    std::vector<std::string> items = Items();
    std::string csv = "instance,item,value,assessor,weakness,reasons,evidence,rated_at\n";
    size_t rows = 0;
    for (int i = 0; i < kInstances && rows < n; ++i)
      for (const char* who : {"ada", "cy"})
        for (size_t k = 0; k < items.size() && rows < n; ++k) {
          const int line = static_cast<int>(rows) + 2;
          csv += Instance(i) + "," + (line == bad_line ? std::string("PA9.9") : items[k]) + "," + value + "," + who +
                 ",\"gap, \"\"" + std::to_string(rows) + "\"\"\"," + (rows % 3 == 0 ? "RC.NO_DATA" : "") + "," +
                 (rows % 2 == 0 ? "EV-1" : "") + ",2026-11-24T10:00:00Z\n";
          ++rows;
        }
    EXPECT_EQ(n, rows) << "not enough distinct keys";
    return csv;
  }

  static ImportOptions Into(const std::string& assessment, bool dry_run = false) {
    ImportOptions o;
    o.default_assessment = assessment;
    o.dry_run = dry_run;
    return o;
  }

  static std::string Problems(const ImportReport& report) {
    std::string out;
    for (const Diagnostic& d : report.problems) out += d.ToString() + "\n";
    return out;
  }

  int64_t Count(const std::string& sql) { return testing::QueryCount(db_path_, sql); }

  // The seq of the newest event.
  int64_t HeadSeq() { return Count("SELECT max(seq) FROM events"); }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

TEST_F(BatchTest, ImportWritesOneEventAndVerifies) {
  ASSAY_SQLITE_ONLY();
  auto ws = Big();
  const int64_t before = HeadSeq();
  ImportReport rep;
  Status s = ws->ImportText(Csv(1000), "r.csv", Into("A1"), &rep);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << Problems(rep);
  EXPECT_EQ(1000, rep.created);
  EXPECT_EQ(before + 1, HeadSeq());  // one event for the batch
  std::vector<Event> log;
  ASSERT_OK(ws->ReadLog("A1", &log));
  const Event& e = log.back();
  EXPECT_EQ("import", e.action);
  EXPECT_EQ("rating", e.entity);
  EXPECT_EQ("r.csv", e.entity_id);
  nlohmann::json after = nlohmann::json::parse(e.after);
  EXPECT_EQ(1000, after["count"].get<int>());
  EXPECT_EQ(1000, after["created"].get<int>());
  EXPECT_EQ(Sha256Hex(Csv(1000)), after["source"]["sha256"].get<std::string>());
  EXPECT_EQ(64u, after["digest"].get<std::string>().size());
  EXPECT_EQ(after["first_row"].get<int64_t>(), e.row);
  EXPECT_EQ(1000, Count("SELECT count(*) FROM ratings WHERE event_seq = " + std::to_string(e.seq)));
  EXPECT_EQ(0, Count("SELECT count(*) FROM records WHERE kind = 'rating'"));
  ExpectVerifies(ws.get());

  // The snapshot reads the typed columns.
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  ASSERT_EQ(1000u, d.ratings.size());
  const Rating& r0 = d.ratings.front();
  EXPECT_EQ("RES.1", r0.process);
  EXPECT_EQ("L", r0.value);
  EXPECT_GE(r0.id, e.row);
  EXPECT_EQ("ada", r0.assessor);
  // Sorted by key, as the export lists them.
  for (size_t i = 1; i < d.ratings.size(); ++i)
    EXPECT_LT(internal::RatingKey(d.ratings[i - 1]), internal::RatingKey(d.ratings[i]));
  // The sqlite3 shell's view of the current ratings.
  EXPECT_EQ(1000, Count("SELECT count(*) FROM current_ratings WHERE assessment = 'A1'"));
  EXPECT_EQ(1000, Count("SELECT count(*) FROM current_records WHERE kind = 'rating'"));

  // The same file again changes nothing and writes no event.
  const int64_t head = HeadSeq();
  ASSERT_OK(ws->ImportText(Csv(1000), "r.csv", Into("A1"), &rep));
  EXPECT_EQ(0, rep.created);
  EXPECT_EQ(1000, rep.unchanged);
  EXPECT_EQ(head, HeadSeq());
}

TEST_F(BatchTest, EditsOfBatchRowsAreDetected) {
  ASSAY_SQLITE_ONLY();
  struct Case {
    const char* what;
    std::string sql;
    const char* message;
  };
  // The batch is event 116 (12 events of Populated, 3 people registered, 100 instances).
  const std::vector<Case> cases = {
      {"value changed", "UPDATE ratings SET value = 'F' WHERE row_id = (SELECT min(row_id) + 37 FROM ratings)",
       "were changed after it wrote them (digest mismatch)"},
      {"statement changed", "UPDATE ratings SET weakness = 'x' WHERE row_id = (SELECT max(row_id) FROM ratings)",
       "digest mismatch"},
      {"row deleted", "DELETE FROM ratings WHERE row_id = (SELECT min(row_id) + 5 FROM ratings)",
       "wrote 300 rating rows, but 299 carry its seq"},
      {"row inserted", "INSERT INTO ratings (row_id, assessment, instance, item, assessor, consolidated, process, "
                       "item_kind, value, event_seq) VALUES (99999, 'A1', 'RES.2/EU', 'PA1.1', 'ada', 0, 'RES.2', "
                       "'attribute', 'F', 116)",
       "wrote 300 rating rows, but 301 carry its seq"},
      {"current flag cleared", "UPDATE ratings SET is_current = 0 WHERE row_id = (SELECT min(row_id) FROM ratings)",
       "current flag does not match"},
      {"event digest replaced", "UPDATE events SET after_json = replace(after_json, '\"count\":300', '\"count\":299') "
                                "WHERE seq = 116",
       "hash mismatch"},
  };
  for (const Case& c : cases) {
    std::filesystem::remove(db_path_);
    std::filesystem::remove(db_path_ + "-wal");
    std::filesystem::remove(db_path_ + "-shm");
    {
      auto ws = Big();
      ImportReport rep;
      ASSERT_OK(ws->ImportText(Csv(300), "r.csv", Into("A1"), &rep));
      ASSERT_EQ(116, HeadSeq());
      ExpectVerifies(ws.get());
    }
    Tamper(c.sql);
    auto ws = OpenWs();
    VerifyReport v;
    Status s = ws->VerifyLog(&v);
    EXPECT_EQ(Status::Code::kCorruption, s.code()) << c.what;
    EXPECT_EQ(116, v.first_bad_event) << c.what << ": " << s.message();
    EXPECT_NE(std::string::npos, s.message().find("log does not verify at event 116")) << s.message();
    EXPECT_NE(std::string::npos, s.message().find(c.message)) << c.what << ": " << s.message();
  }
}

TEST_F(BatchTest, BadRowInTheMiddleWritesNothing) {
  auto ws = Big();
  const std::string head = Head(ws.get());
  ImportReport rep;
  Status s = ws->ImportText(Csv(10000, 5002), "big.csv", Into("A1"), &rep);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  ASSERT_EQ(1u, rep.problems.size()) << Problems(rep);
  EXPECT_EQ("big.csv:5002:2: item: unknown item 'PA9.9' in model itsm-20000@1.0.0; nearest: PA1.1, PA2.1, PA2.2",
            rep.problems[0].ToString().substr(0, rep.problems[0].ToString().find(", PA3")) );
  EXPECT_EQ(head, Head(ws.get()));
  EXPECT_EQ(0, Count("SELECT count(*) FROM ratings"));
  // Problems after the first are still found: a duplicate and a bad value.
  std::string csv = Csv(2000);
  csv += "RES.1/U000,PA1.1,L,ada,,,,\n";   // line 2002: the same key as line 2
  csv += "RES.1/U099,PA1.1,Q,ada,,,,\n";   // line 2003
  s = ws->ImportText(csv, "dup.csv", Into("A1"), &rep);
  ASSERT_EQ(2u, rep.problems.size()) << Problems(rep);
  EXPECT_EQ("dup.csv:2002:1: duplicate rating: the same instance, item and assessor as line 2",
            rep.problems[0].ToString());
  EXPECT_NE(std::string::npos, rep.problems[1].ToString().find("dup.csv:2003:3: value 'Q' is not a rating"))
      << Problems(rep);
  EXPECT_EQ(head, Head(ws.get()));
}

TEST_F(BatchTest, DryRunWritesNothing) {
  auto ws = Big();
  const std::string head = Head(ws.get());
  ImportReport rep;
  ASSERT_OK(ws->ImportText(Csv(500), "r.csv", Into("A1", true), &rep));
  EXPECT_EQ(500, rep.created);
  EXPECT_EQ(head, Head(ws.get()));
  EXPECT_EQ(0, Count("SELECT count(*) FROM ratings"));
}

TEST_F(BatchTest, ReimportSupersedesAndHistoryShowsBothVersions) {
  ASSAY_SQLITE_ONLY();
  auto ws = Big();
  ImportReport rep;
  ASSERT_OK(ws->ImportText(Csv(200), "a.csv", Into("A1"), &rep));
  ASSERT_OK(ws->ImportText(Csv(200, 0, "F"), "b.csv", Into("A1"), &rep));
  EXPECT_EQ(0, rep.created);
  EXPECT_EQ(200, rep.updated);
  ExpectVerifies(ws.get());
  std::vector<Rating> versions;
  ASSERT_OK(ws->RatingHistory("A1", Instance(0), "PA1.1", &versions));
  // ada's and cy's ratings of U000 PA1.1: L, L, then F, F.
  ASSERT_EQ(4u, versions.size());
  EXPECT_EQ("L", versions[0].value);
  EXPECT_EQ("L", versions[1].value);
  EXPECT_EQ("F", versions[2].value);
  EXPECT_EQ("F", versions[3].value);
  EXPECT_EQ("ada", versions[0].assessor);
  EXPECT_EQ("ada", versions[2].assessor);
  EXPECT_LT(versions[0].id, versions[2].id);
  // A single write after the batch supersedes a batch row, with one event.
  WriteResult r;
  Rating t;
  t.instance = Instance(0);
  t.item = "PA1.1";
  t.assessor = "ada";
  t.value = "P";
  t.weakness = "regressed";
  ASSERT_OK(ws->Rate("A1", t, &r));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);
  std::vector<Event> log;
  ASSERT_OK(ws->ReadLog("A1", &log));
  EXPECT_EQ("update", log.back().action);
  EXPECT_NE(std::string::npos, log.back().before.find("\"value\":\"F\"")) << log.back().before;
  ExpectVerifies(ws.get());
  ASSERT_OK(ws->RatingHistory("A1", Instance(0), "PA1.1", &versions));
  ASSERT_EQ(5u, versions.size());
  // Tampering with the superseded batch row is still detected.
  ws.reset();
  Tamper("UPDATE ratings SET value = 'N' WHERE row_id = " + std::to_string(versions[2].id));
  ws = OpenWs();
  VerifyReport v;
  EXPECT_EQ(Status::Code::kCorruption, ws->VerifyLog(&v).code());
}

TEST_F(BatchTest, ExportRoundTripIsByteIdentical) {
  ASSAY_SQLITE_ONLY();
  auto ws = Big();
  ImportReport rep;
  // Csv(300) with a consolidated column, and one consolidated percentage.
  std::string fixed;
  std::istringstream lines(Csv(300));
  std::string line;
  while (std::getline(lines, line)) fixed += (fixed.empty() ? "consolidated," : ",") + line + "\n";
  fixed += "x,RES.2/EU,PA1.1,72.5%,,,,,2026-11-24T11:00:00Z\n";
  Status s = ws->ImportText(fixed, "r.csv", Into("A1"), &rep);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << Problems(rep);
  std::string first;
  ASSERT_OK(ws->Export("A1", &first));
  EXPECT_NE(std::string::npos, first.find("\"value\": \"72.5%\""));
  EXPECT_NE(std::string::npos, first.find("\"consolidated\": true"));
  auto other = OpenWs(dir_.path() + "/other.db");
  s = other->ImportText(first, "export.json", ImportOptions(), &rep);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << Problems(rep);
  std::string second;
  ASSERT_OK(other->Export("A1", &second));
  EXPECT_EQ(first, second);
  ExpectVerifies(other.get());
  // The JSON import wrote its ratings as one batch too.
  std::vector<Event> log;
  ASSERT_OK(other->ReadLog("A1", &log));
  int imports = 0;
  for (const Event& e : log) imports += e.action == "import";
  EXPECT_EQ(1, imports);
}

// A workspace of schema version 2 holding ratings, written by the assay of
// commit 5343b8a (CLI: base.json, three `assay rate`, one CSV import), and
// its export at that time.
TEST_F(BatchTest, Version2FixtureMigratesAndExportsTheSameBytes) {
  ASSAY_SQLITE_ONLY();
  std::string fixture = std::string(ASSAY_FIXTURES_DIR) + "/workspaces/v2.db";
  std::filesystem::copy_file(fixture, db_path_);
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
    ASSERT_EQ(2, db.execAndGet("PRAGMA user_version").getInt());
    ASSERT_EQ(5, db.execAndGet("SELECT count(*) FROM records WHERE kind = 'rating'").getInt());
  }
  auto ws = OpenWs();
  ASSERT_TRUE(ws);
  EXPECT_EQ(Workspace::kSchemaVersion, ws->schema_version());
  ExpectVerifies(ws.get());
  EXPECT_EQ(5, Count("SELECT count(*) FROM ratings"));
  EXPECT_EQ(0, Count("SELECT count(*) FROM records WHERE kind = 'rating'"));
  EXPECT_EQ(4, Count("SELECT count(*) FROM current_ratings"));
  EXPECT_EQ(1, Count("SELECT count(*) FROM current_ratings WHERE assessor IS NULL AND consolidated = 1"));
  std::string exported;
  ASSERT_OK(ws->Export("A1", &exported));
  EXPECT_EQ(ReadFile(std::string(ASSAY_FIXTURES_DIR) + "/workspaces/v2-export.json"), exported);
  std::vector<Rating> versions;
  ASSERT_OK(ws->RatingHistory("A1", "RES.1/EU", "PA1.1", &versions));
  ASSERT_EQ(3u, versions.size());
  EXPECT_EQ("P", versions[0].value);
  EXPECT_EQ(std::vector<std::string>{"RC.NO_DATA"}, versions[0].reasons);
  EXPECT_EQ("L", versions[1].value);
  EXPECT_TRUE(versions[2].consolidated);
  // The old per-rating events still verify against the moved rows, and an
  // edit of a moved row is caught at the event that wrote it.
  WriteResult r;
  Rating t = versions[1];
  t.value = "F";
  ASSERT_OK(ws->Rate("A1", t, &r));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);
  ExpectVerifies(ws.get());
  ws.reset();
  Tamper("UPDATE ratings SET value = 'N' WHERE row_id = " + std::to_string(versions[0].id));
  ws = OpenWs();
  VerifyReport v;
  Status s = ws->VerifyLog(&v);
  EXPECT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_NE(std::string::npos, s.message().find("was changed after event")) << s.message();
}

// Ratings written at schema version 3 (the records table) move to the
// ratings table when the workspace is opened.
TEST_F(BatchTest, Version3RatingsMigrate) {
  ASSAY_SQLITE_ONLY();
  {
    std::unique_ptr<Workspace> v3;
    ASSERT_OK(internal::OpenWorkspaceAtVersion(db_path_, Options(), 3, &v3));
    WriteResult r;
    ASSERT_OK(v3->CreateAssessment(BasicAssessment("A1"), &r));
    ASSERT_OK(v3->PutScope("A1", {"RES.1", 2}, &r));
    ASSERT_OK(v3->PutInstance("A1", {"RES.1/EU", "RES.1", "", "", 1.0}, &r));
    ASSERT_OK(v3->PutPerson("A1", {"ada", "", "", {Role::kLeadAssessor}}, &r));
    ASSERT_OK(v3->SetStatus("A1", AssessmentStatus::kCollecting, &r));
    ASSERT_OK(v3->Rate("A1", AttrRating("P"), &r));
    ASSERT_OK(v3->Rate("A1", AttrRating("L"), &r));
    ImportOptions o;
    o.default_assessment = "A1";
    ImportReport rep;
    ASSERT_OK(v3->ImportText("instance,item,value,assessor\nRES.1/EU,PA2.1,F,ada\n", "r.csv", o, &rep));
    ExpectVerifies(v3.get());
    EXPECT_EQ(3, Count("SELECT count(*) FROM records WHERE kind = 'rating'"));
  }
  auto ws = OpenWs();
  EXPECT_EQ(Workspace::kSchemaVersion, ws->schema_version());
  ExpectVerifies(ws.get());
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  ASSERT_EQ(2u, d.ratings.size());
  EXPECT_EQ("L", d.ratings[0].value);
  EXPECT_EQ("F", d.ratings[1].value);
  EXPECT_EQ(3, Count("SELECT count(*) FROM ratings"));
}

TEST_F(BatchTest, ReadOnlyOpenReadsAndRefusesWrites) {
  ASSAY_SQLITE_ONLY();
  {
    auto ws = Populated();
    WriteResult r;
    ASSERT_OK(ws->Rate("A1", AttrRating("L"), &r));
  }
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  std::filesystem::remove(db_path_ + "-wal");
  std::filesystem::remove(db_path_ + "-shm");
  ASSERT_EQ(0, ::chmod(db_path_.c_str(), 0444));
  const std::string bytes = ReadFile(db_path_);
  WorkspaceOptions o = Options();
  o.read_only = true;
  std::unique_ptr<Workspace> ws;
  ASSERT_OK(Workspace::Open(db_path_, o, &ws));
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  EXPECT_EQ(1u, d.ratings.size());
  ExpectVerifies(ws.get());
  std::string json;
  ASSERT_OK(ws->Export("A1", &json));
  WriteResult r;
  Status s = ws->Rate("A1", AttrRating("F"), &r);
  EXPECT_EQ(Status::Code::kIOError, s.code()) << s.ToString();
  EXPECT_EQ(Status::Code::kIOError, s.code());
  EXPECT_NE(std::string::npos, s.message().find(db_path_ + ": workspace is read-only")) << s.message();
  ImportReport rep;
  s = ws->ImportText("instance,item,value,assessor\nRES.1/EU,PA2.1,F,ada\n", "r.csv", Into("A1"), &rep);
  EXPECT_EQ(Status::Code::kIOError, s.code()) << s.ToString();
  ws.reset();
  EXPECT_EQ(bytes, ReadFile(db_path_));
  // An older schema cannot be migrated read-only.
  ::chmod(db_path_.c_str(), 0644);
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 3");
  }
  s = Workspace::Open(db_path_, o, &ws);
  EXPECT_EQ(Status::Code::kUnsupported, s.code());
  EXPECT_NE(std::string::npos, s.message().find("open it once with write access")) << s.message();
  // A missing file is NotFound, and nothing is created.
  s = Workspace::Open(dir_.path() + "/none.db", o, &ws);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/none.db"));
}

TEST_F(BatchTest, KeyTextMatchesCanonicalJson) {
  for (const char* id : {"RES.1/EU", "a\"b", "back\\slash", "tab\there", "ünï", "A B", "x\x01y"}) {
    Rating r;
    r.instance = id;
    r.item = "PA1.1";
    r.assessor = id;
    EXPECT_EQ(internal::RatingKey(r), internal::RatingKeyText(id, "PA1.1", id)) << id;
    std::vector<std::string> list = {id, "RC.NO_DATA"};
    EXPECT_EQ(internal::Canonical(nlohmann::json(list)), internal::JsonListText(list)) << id;
    std::vector<std::string> back;
    ASSERT_TRUE(internal::ParseJsonList(internal::JsonListText(list), &back));
    EXPECT_EQ(list, back);
  }
}

}  // namespace
}  // namespace assay
