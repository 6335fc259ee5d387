// Tests of the store's one read path (snapshots), its one rating validator,
// the import's options (expected assessment, progress, problem cap) and
// the linear migration.
#include <sqlite3.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "assay/store.h"
#include "engine/store/store_test_util.h"
#include "store/store_internal.h"

namespace assay {
namespace {

class StoreV5Test : public testing::StoreTest {
 protected:
  static ImportOptions Into(const std::string& assessment) {
    ImportOptions o;
    o.default_assessment = assessment;
    return o;
  }
  static std::string Problems(const ImportReport& report) {
    std::string out;
    for (const Diagnostic& d : report.problems) out += d.ToString() + "\n";
    return out;
  }
  // A1 on the refined scale.
  std::unique_ptr<Workspace> Refined() {
    auto ws = OpenWs();
    WriteResult r;
    Assessment a = BasicAssessment("A1");
    a.options.scale = ScaleKind::kRefined;
    EXPECT_OK(ws->CreateAssessment(a, &r));
    EXPECT_OK(ws->PutScope("A1", {"RES.1", 2}, &r));
    EXPECT_OK(ws->PutInstance("A1", {"RES.1/EU", "RES.1", "", "", 1.0}, &r));
    EXPECT_OK(ws->PutPerson("A1", {"ada", "", "", {Role::kLeadAssessor}}, &r));
    EXPECT_OK(ws->SetStatus("A1", AssessmentStatus::kCollecting, &r));
    return ws;
  }
};

// One read gives the data, the assessment's log position and the digest of
// the export of the same state.
TEST_F(StoreV5Test, SnapshotCarriesLogPositionAndExportDigest) {
  auto ws = Populated();
  WriteResult r;
  ASSERT_OK(ws->Rate("A1", AttrRating("L"), &r));
  SnapshotOptions o;
  o.export_digest = true;
  Snapshot snap;
  ASSERT_OK(ws->ReadSnapshot("A1", o, &snap));
  EXPECT_EQ(1u, snap.data.ratings.size());
  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog("A1", &events));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().seq, snap.log_seq);
  EXPECT_EQ(events.back().hash, snap.log_hash);
  std::string json;
  ASSERT_OK(ws->Export("A1", &json));
  EXPECT_EQ(Sha256Hex(json), snap.export_sha256);
  EXPECT_EQ(json, ExportJson(snap.data));
  Snapshot plain;
  ASSERT_OK(ws->ReadSnapshot("A1", SnapshotOptions(), &plain));
  EXPECT_EQ("", plain.export_sha256);
  EXPECT_EQ(snap.log_seq, plain.log_seq);
}

// A reader on its own connection always gets a consistent snapshot while
// another connection writes: the digest always matches the data read with it.
TEST_F(StoreV5Test, SnapshotIsConsistentUnderAWriter) {
  { auto ws = Populated(); }
  std::thread writer([this] {
    auto ws = OpenWs();
    WriteResult r;
    for (int i = 0; i < 40; ++i) {
      Rating rating = AttrRating(i % 2 ? "L" : "F");
      ASSERT_OK(ws->Rate("A1", rating, &r));
    }
  });
  auto reader = OpenWs();
  SnapshotOptions o;
  o.export_digest = true;
  for (int i = 0; i < 40; ++i) {
    Snapshot snap;
    ASSERT_OK(reader->ReadSnapshot("A1", o, &snap));
    EXPECT_EQ(Sha256Hex(ExportJson(snap.data)), snap.export_sha256);
    // The rating read is the one the last rating event up to log_seq wrote.
    std::vector<Event> events;
    ASSERT_OK(reader->ReadLog("A1", &events));
    const Event* last = nullptr;
    for (const Event& e : events)
      if (e.seq <= snap.log_seq && e.entity == "rating") last = &e;
    if (!last) {
      EXPECT_TRUE(snap.data.ratings.empty());
      continue;
    }
    ASSERT_EQ(1u, snap.data.ratings.size());
    EXPECT_NE(std::string::npos, last->after.find("\"value\":\"" + snap.data.ratings[0].value + "\""));
  }
  writer.join();
}

// docs/RATING.md section 1: a plain P or L is ambiguous on the refined
// scale and refused when written, whatever the source (issue 20).
TEST_F(StoreV5Test, RefinedScaleRefusesAmbiguousValuesFromEverySource) {
  auto ws = Refined();
  const std::string before = Head(ws.get());
  WriteResult r;
  Status s = ws->Rate("A1", AttrRating("L"), &r);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_EQ("value 'L' is ambiguous on the refined scale: use L- or L+ (or a percentage)", s.message());
  ImportReport report;
  s = ws->ImportText("instance,item,value,assessor\nRES.1/EU,PA1.1,P,ada\n", "r.csv", Into("A1"), &report);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_EQ("r.csv:2:3: value 'P' is ambiguous on the refined scale: use P- or P+ (or a percentage)\n",
            Problems(report));
  s = ws->ImportText(R"({"format": "assay-assessment/1", "assessment_id": "A1",
      "ratings": [{"instance": "RES.1/EU", "item": "PA1.1", "value": "l", "assessor": "ada"}]})",
                     "r.json", Into("A1"), &report);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_EQ("r.json: /ratings/0/value: value 'L' is ambiguous on the refined scale: use L- or L+ (or a percentage)\n",
            Problems(report));
  EXPECT_EQ(before, Head(ws.get()));
  ASSERT_OK(ws->Rate("A1", AttrRating("L+"), &r));
  ASSERT_OK(ws->Rate("A1", AttrRating("60%"), &r));
}

// `import FILE -a B2` of a file about A1 writes nothing (issue 20).
TEST_F(StoreV5Test, ImportOfAnotherAssessmentIsRefused) {
  auto ws = Populated();
  WriteResult r;
  Assessment b2 = BasicAssessment("B2");
  ASSERT_OK(ws->CreateAssessment(b2, &r));
  const std::string before = Head(ws.get());
  ImportOptions o = Into("B2");
  o.expect_assessment = "B2";
  ImportReport report;
  Status s = ws->ImportText("assessment,instance,item,value,assessor\nA1,RES.1/EU,PA1.1,L,ada\n", "r.csv", o,
                            &report);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_EQ("r.csv:2:1: the file imports into assessment 'A1', not 'B2'\n", Problems(report));
  s = ws->ImportText(R"({"format": "assay-assessment/1", "assessment_id": "A1",
      "ratings": [{"instance": "RES.1/EU", "item": "PA1.1", "value": "L", "assessor": "ada"}]})",
                     "r.json", o, &report);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_EQ("r.json: /assessment_id: the file imports into assessment 'A1', not 'B2'\n", Problems(report));
  EXPECT_EQ(before, Head(ws.get()));
  // Without an assessment in the file, -a decides.
  o.default_assessment = "A1";
  o.expect_assessment = "A1";
  ASSERT_OK(ws->ImportText("instance,item,value,assessor\nRES.1/EU,PA1.1,L,ada\n", "r.csv", o, &report));
}

// The progress callback: called a bounded number of times, ending at total.
TEST_F(StoreV5Test, ImportReportsProgress) {
  auto ws = Populated();
  std::string csv = "instance,item,value,assessor,weakness\n";
  for (int i = 0; i < 3000; ++i)
    csv += "RES.1/EU,PA1.1,L," + std::string(i ? "cy" : "ada") + ",gap " + std::to_string(i) + "\n";
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  ImportOptions o = Into("A1");
  o.dry_run = true;
  o.progress = [&calls](uint64_t done, uint64_t total) { calls.emplace_back(done, total); };
  ImportReport report;
  Status s = ws->ImportText(csv, "r.csv", o, &report);  // duplicates: a problem per row from the third
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  ASSERT_FALSE(calls.empty());
  EXPECT_LE(calls.size(), 300u);
  for (size_t i = 1; i < calls.size(); ++i) EXPECT_LE(calls[i - 1].first, calls[i].first);
  EXPECT_EQ(csv.size(), calls.front().second);
  // Imported for real: the last call says done.
  calls.clear();
  o.dry_run = false;
  ASSERT_OK(ws->ImportText("instance,item,value,assessor\nRES.1/EU,PA1.1,L,ada\n", "ok.csv", o, &report));
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().first, calls.back().second);
}

// A file with a million problems lists the first kMaxImportProblems and
// counts the rest (issue 20: a 1,000,000-column header).
TEST_F(StoreV5Test, ProblemsAreCapped) {
  auto ws = Populated();
  std::string header = "instance,item,value";
  for (int i = 0; i < 5000; ++i) header += ",x" + std::to_string(i);
  ImportReport report;
  Status s = ws->ImportText(header + "\n", "wide.csv", Into("A1"), &report);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_EQ(kMaxImportProblems, report.problems.size());
  EXPECT_EQ(5000 - static_cast<int>(kMaxImportProblems), report.more_problems);
  EXPECT_EQ("wide.csv: 5000 problems; nothing was imported", s.message());
}

// UTF-32 is named as such (issue 20), UTF-16 still as UTF-16.
TEST_F(StoreV5Test, Utf32IsReportedAsUtf32) {
  auto ws = Populated();
  ImportReport report;
  std::string utf32le("\xFF\xFE\0\0i\0\0\0", 8), utf32be("\0\0\xFE\xFF\0\0\0i", 8), utf16("i\0n\0", 4);
  EXPECT_EQ(Status::Code::kInvalidInput, ws->ImportText(utf32le, "a.csv", Into("A1"), &report).code());
  EXPECT_EQ("a.csv:1:1: file is UTF-32; assay reads UTF-8 only\n", Problems(report));
  EXPECT_EQ(Status::Code::kInvalidInput, ws->ImportText(utf32be, "a.csv", Into("A1"), &report).code());
  EXPECT_EQ("a.csv:1:1: file is UTF-32; assay reads UTF-8 only\n", Problems(report));
  EXPECT_EQ(Status::Code::kInvalidInput, ws->ImportText(utf16, "a.csv", Into("A1"), &report).code());
  EXPECT_EQ("a.csv:1:1: file is UTF-16; assay reads UTF-8 only\n", Problems(report));
}

// The one validator gives a CSV row the same messages as Rate.
TEST_F(StoreV5Test, CsvAndRateShareOneValidator) {
  auto ws = Populated();
  Rating bad = AttrRating("Q");
  bad.instance = "RES.1/EX";
  bad.assessor = "bob";
  bad.reasons = {"RC.NOPE"};
  WriteResult r;
  Status s = ws->Rate("A1", bad, &r);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  std::vector<internal::FieldProblem> direct;
  {
    ImportReport report;
    s = ws->ImportText("instance,item,value,assessor,reasons\nRES.1/EX,PA1.1,Q,bob,RC.NOPE\n", "r.csv", Into("A1"),
                       &report);
    EXPECT_EQ(Status::Code::kInvalidInput, s.code());
    ASSERT_EQ(4u, report.problems.size()) << Problems(report);
    EXPECT_NE(std::string::npos, report.problems[0].message.find("unknown process instance 'RES.1/EX'"));
    EXPECT_NE(std::string::npos, report.problems[1].message.find("value 'Q' is not a rating"));
    EXPECT_NE(std::string::npos, report.problems[2].message.find("person 'bob' is not an assessor"));
    EXPECT_NE(std::string::npos, report.problems[3].message.find("unknown reason code 'RC.NOPE'"));
  }
}

}  // namespace
}  // namespace assay

namespace assay {
namespace {

// Writes a schema version 2 workspace of $ASSAY_V2_RATINGS rating rows (default
// 40,000: half of them superseded) to $ASSAY_V2_OUT, for measuring the
// migration (docs/PERFORMANCE.md). Run by hand:
//   ASSAY_V2_OUT=/tmp/v2.db assay_tests --gtest_also_run_disabled_tests
//     --gtest_filter='*WriteVersion2Workspace'
TEST_F(StoreV5Test, DISABLED_WriteVersion2Workspace) {
  ASSAY_SQLITE_ONLY();
  const char* out = std::getenv("ASSAY_V2_OUT");
  ASSERT_TRUE(out && *out) << "set ASSAY_V2_OUT";
  const char* n_env = std::getenv("ASSAY_V2_RATINGS");
  const long total = n_env && *n_env ? std::atol(n_env) : 40000;
  std::filesystem::remove(out);
  std::unique_ptr<Workspace> ws;
  ASSERT_OK(internal::OpenWorkspaceAtVersion(out, Options(), 2, &ws));
  WriteResult r;
  ASSERT_OK(ws->CreateAssessment(BasicAssessment("V2"), &r));
  ASSERT_OK(ws->PutScope("V2", {"RES.1", 5}, &r));
  ASSERT_OK(ws->PutPerson("V2", {"ada", "", "", {Role::kLeadAssessor}}, &r));
  ASSERT_OK(ws->SetStatus("V2", AssessmentStatus::kCollecting, &r));
  std::shared_ptr<const Model> model;
  ASSERT_OK(Options().resolve_model("itsm-20000", "", &model));
  std::vector<std::string> items;
  for (const ProcessAttribute& a : model->framework().attributes) {
    items.push_back(a.id);
    for (const Statement& s : a.achievements) items.push_back(s.id);
  }
  const long per_pass = total / 2;
  const long instances = (per_pass + static_cast<long>(items.size()) - 1) / static_cast<long>(items.size());
  for (long i = 0; i < instances; ++i)
    ASSERT_OK(ws->PutInstance("V2", {"RES.1/I" + std::to_string(i), "RES.1", "", "", 1.0}, &r));
  for (const char* value : {"L", "F"}) {  // the second pass supersedes the first
    std::string csv = "instance,item,value,assessor\n";
    long n = 0;
    for (long i = 0; i < instances && n < per_pass; ++i)
      for (size_t k = 0; k < items.size() && n < per_pass; ++k, ++n)
        csv += "RES.1/I" + std::to_string(i) + "," + items[k] + "," + value + ",ada\n";
    ImportReport report;
    ImportOptions o;
    o.default_assessment = "V2";
    ASSERT_OK(ws->ImportText(csv, "v2.csv", o, &report));
  }
  ws.reset();
  SQLite::Database db(out, SQLite::OPEN_READWRITE);
  EXPECT_EQ(2, db.execAndGet("PRAGMA user_version").getInt());
  EXPECT_EQ(total, db.execAndGet("SELECT count(*) FROM records WHERE kind = 'rating'").getInt64());
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

// A version 2 workspace with superseded ratings migrates (foreign keys
// checked once, at the end) and verifies.
TEST_F(StoreV5Test, Version2WorkspaceWithSupersededRatingsMigrates) {
  ASSAY_SQLITE_ONLY();
  {
    std::unique_ptr<Workspace> v2;
    ASSERT_OK(internal::OpenWorkspaceAtVersion(db_path_, Options(), 2, &v2));
    WriteResult r;
    ASSERT_OK(v2->CreateAssessment(BasicAssessment("A1"), &r));
    ASSERT_OK(v2->PutScope("A1", {"RES.1", 2}, &r));
    ASSERT_OK(v2->PutInstance("A1", {"RES.1/EU", "RES.1", "", "", 1.0}, &r));
    ASSERT_OK(v2->PutPerson("A1", {"ada", "", "", {Role::kLeadAssessor}}, &r));
    ASSERT_OK(v2->SetStatus("A1", AssessmentStatus::kCollecting, &r));
    for (const char* v : {"P", "L", "F"}) ASSERT_OK(v2->Rate("A1", AttrRating(v), &r));
  }
  auto ws = OpenWs();
  EXPECT_EQ(Workspace::kSchemaVersion, ws->schema_version());
  ExpectVerifies(ws.get());
  std::vector<Rating> history;
  ASSERT_OK(ws->RatingHistory("A1", "RES.1/EU", "PA1.1", &history));
  ASSERT_EQ(3u, history.size());
  EXPECT_EQ("F", history.back().value);
  SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
  EXPECT_EQ(0, db.execAndGet("SELECT count(*) FROM records WHERE kind = 'rating'").getInt());
  EXPECT_EQ(1, db.execAndGet("SELECT count(*) FROM current_ratings").getInt());
}

}  // namespace
}  // namespace assay

namespace assay {
namespace {

// Reading never turns an empty file into a workspace (issue 20: `profile`
// and `log verify` on a zero-byte file); only a writer that may create one does.
TEST_F(StoreV5Test, EmptyFileIsNotAWorkspaceForReaders) {
  ASSAY_SQLITE_ONLY();
  { std::ofstream touch(db_path_); }
  WorkspaceOptions o = Options();
  o.create_if_missing = false;
  std::unique_ptr<Workspace> ws;
  Status s = Workspace::Open(db_path_, o, &ws);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_EQ(db_path_ + ": not an assay workspace (an empty file)", s.message());
  EXPECT_EQ(0u, std::filesystem::file_size(db_path_));
  EXPECT_FALSE(std::filesystem::exists(db_path_ + "-wal"));
  // A missing file: NotFound, and still nothing created.
  s = Workspace::Open(db_path_ + ".missing", o, &ws);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  EXPECT_EQ("workspace", s.subject().kind);
  EXPECT_FALSE(std::filesystem::exists(db_path_ + ".missing"));
  // A writer that may create the workspace does.
  ASSERT_OK(Workspace::Open(db_path_, Options(), &ws));
  EXPECT_EQ(Workspace::kSchemaVersion, ws->schema_version());
}

// A file with assay's application ID and a schema version but no tables is
// damaged (issue 20: it gave "no such table", exit 6).
TEST_F(StoreV5Test, WorkspaceWithoutTablesIsCorrupt) {
  ASSAY_SQLITE_ONLY();
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA application_id = " + std::to_string(Workspace::kApplicationId));
    db.exec("PRAGMA user_version = 4");
  }
  WorkspaceOptions o = Options();
  o.create_if_missing = false;
  std::unique_ptr<Workspace> ws;
  Status s = Workspace::Open(db_path_, o, &ws);
  EXPECT_EQ(Status::Code::kCorruption, s.code()) << s.ToString();
  EXPECT_EQ(db_path_ + ": an assay workspace (schema version 4) without its tables; the file is damaged", s.message());
}

// JSON import lists the semantic problems of the records the schema accepts
// next to the schema's own problems (issue 20).
TEST_F(StoreV5Test, JsonImportListsSchemaAndSemanticProblems) {
  auto ws = Populated();
  const std::string before = Head(ws.get());
  ImportReport report;
  Status s = ws->ImportText(R"({"format": "assay-assessment/1", "assessment_id": "A1",
      "ratings": [{"instance": "RES.1/EU", "item": "PA1.1", "value": 3, "assessor": "ada"},
                  {"instance": "RES.1/XX", "item": "PA1.1", "value": "L", "assessor": "ada"}]})",
                            "r.json", Into("A1"), &report);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  ASSERT_EQ(2u, report.problems.size()) << Problems(report);
  EXPECT_EQ("/ratings/0/value", report.problems[0].pointer) << Problems(report);
  EXPECT_EQ("/ratings/1/instance", report.problems[1].pointer) << Problems(report);
  EXPECT_EQ(before, Head(ws.get()));
}

// A file changed outside assay may hold text that is not UTF-8 (found by
// the workspace_file fuzzer): reading it is a Corruption naming the file,
// never an exception out of the engine.
TEST_F(StoreV5Test, StoredTextThatIsNotUtf8IsCorruption) {
  ASSAY_SQLITE_ONLY();
  {
    auto ws = Populated();
    WriteResult r;
    ASSERT_OK(ws->Rate("A1", AttrRating("L"), &r));
  }
  Tamper("UPDATE ratings SET strength = CAST(X'C328' AS TEXT)");
  auto ws = OpenWs();
  std::string json;
  Status s = ws->Export("A1", &json);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find(db_path_), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("UTF-8"), std::string::npos) << s.ToString();
  SnapshotOptions o;
  o.export_digest = true;
  Snapshot snap;
  s = ws->ReadSnapshot("A1", o, &snap);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
}

// RateAtVersion compares the key's current version in the write's own
// transaction: a write based on a version another connection has replaced
// is a conflict and writes nothing; a withdrawn rating is at version 0.
TEST_F(StoreV5Test, RatingAtAVersionIsACompareAndSetInTheWrite) {
  auto ws = Populated();
  auto other = OpenWs();
  WriteResult first;
  ASSERT_OK(ws->RateAtVersion("A1", AttrRating("L"), 0, &first));
  EXPECT_EQ(WriteResult::Kind::kCreated, first.kind);
  const std::string before = Head(ws.get());
  WriteResult r;
  Status again = ws->RateAtVersion("A1", AttrRating("P"), 0, &r);
  EXPECT_EQ(Status::Code::kConflict, again.code()) << again.ToString();
  EXPECT_NE(std::string::npos, again.message().find("is at version " + std::to_string(first.row) + ", not 0"))
      << again.message();
  EXPECT_EQ("rating", again.subject().kind);
  EXPECT_EQ("conflict", again.subject().reason);
  EXPECT_EQ(before, Head(ws.get()));

  WriteResult second;  // another connection writes on top of the first version
  ASSERT_OK(other->RateAtVersion("A1", AttrRating("F"), first.row, &second));
  EXPECT_EQ(WriteResult::Kind::kUpdated, second.kind);
  const std::string after_other = Head(ws.get());
  Status stale = ws->RateAtVersion("A1", AttrRating("P"), first.row, &r);  // still based on the first
  EXPECT_EQ(Status::Code::kConflict, stale.code()) << stale.ToString();
  EXPECT_EQ(after_other, Head(ws.get()));

  Withdrawal w;
  w.instance = "RES.1/EU";
  w.item = "PA1.1";
  w.assessor = "ada";
  w.reason = "entered against the wrong instance";
  ASSERT_OK(ws->Withdraw("A1", w, &r));
  EXPECT_EQ(Status::Code::kConflict, ws->RateAtVersion("A1", AttrRating("L"), second.row, &r).code());
  ASSERT_OK(ws->RateAtVersion("A1", AttrRating("L"), 0, &r));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);
  Snapshot snap;
  ASSERT_OK(ws->ReadSnapshot("A1", SnapshotOptions(), &snap));
  ASSERT_EQ(1u, snap.data.ratings.size());
  EXPECT_EQ("L", snap.data.ratings[0].value);
  EXPECT_EQ(r.row, snap.data.ratings[0].id);
  ExpectVerifies(ws.get());
}

// An evidence file kept in the workspace: once per content, with its own
// event; read back only when its bytes still have their SHA-256; `log
// verify` finds it changed or removed; a copy carries it.
TEST_F(StoreV5Test, EvidenceFilesAreKeptOncePerContentAndVerified) {
  auto ws = Populated();
  WriteResult r;
  const std::string bytes = std::string("minutes of the\0 change board\n", 30);
  const std::string sha = Sha256Hex(bytes);
  ASSERT_OK(ws->KeepEvidenceFile("A1", "EV-1", bytes, &r));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);
  Snapshot snap;
  ASSERT_OK(ws->ReadSnapshot("A1", SnapshotOptions(), &snap));
  ASSERT_EQ(1u, snap.data.evidence.size());
  EXPECT_EQ(sha, snap.data.evidence[0].sha256);
  std::string back;
  ASSERT_OK(ws->ReadKeptFile(sha, &back));
  EXPECT_EQ(bytes, back);
  std::string upper = sha;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_OK(ws->ReadKeptFile(upper, &back));
  std::vector<KeptFile> kept;
  ASSERT_OK(ws->ListKeptFiles(&kept));
  ASSERT_EQ(1u, kept.size());
  EXPECT_EQ(sha, kept[0].sha256);
  EXPECT_EQ(30, kept[0].bytes);
  EXPECT_EQ("EV-1", kept[0].evidence);
  EXPECT_EQ("A1", kept[0].assessment);
  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog("A1", &events));
  EXPECT_EQ("file", events.back().entity);
  EXPECT_EQ("keep", events.back().action);
  EXPECT_EQ(sha, events.back().entity_id);

  const std::string head = Head(ws.get());
  ASSERT_OK(ws->KeepEvidenceFile("A1", "EV-1", bytes, &r));  // the same again
  EXPECT_EQ(WriteResult::Kind::kUnchanged, r.kind);
  Status unknown = ws->KeepEvidenceFile("A1", "EV-2", bytes, &r);
  EXPECT_EQ(Status::Code::kNotFound, unknown.code()) << unknown.ToString();
  EXPECT_EQ(std::vector<std::string>{"EV-1"}, unknown.subject().nearest);
  EXPECT_EQ(Status::Code::kInvalidInput, ws->KeepEvidenceFile("A1", "EV-1", "", &r).code());
  Status big = ws->KeepEvidenceFile("A1", "EV-1", std::string(kMaxKeptFileBytes + 1, 'x'), &r);
  EXPECT_EQ(Status::Code::kInvalidInput, big.code());
  EXPECT_NE(std::string::npos, big.message().find("32 MiB")) << big.message();
  EXPECT_EQ(head, Head(ws.get()));
  EXPECT_EQ(Status::Code::kNotFound, ws->ReadKeptFile(Sha256Hex("other"), &back).code());
  EXPECT_EQ(Status::Code::kInvalidInput, ws->ReadKeptFile("not-a-hash", &back).code());
  VerifyReport v;
  ASSERT_OK(ws->VerifyLog(&v));
  EXPECT_EQ(1, v.files);

  // A copy carries the file, and its log verifies.
  const std::string dest = ::testing::TempDir() + "kept-files-copy-" + std::to_string(::getpid()) + ".db";
  std::filesystem::remove(dest);
  {
    std::unique_ptr<Workspace> copy;
    ASSERT_OK(Workspace::Open(dest, Options(), &copy));
    CopyReport report;
    ASSERT_OK(ws->CopyInto(copy.get(), &report));
    EXPECT_EQ(1, report.files);
    ASSERT_OK(copy->ReadKeptFile(sha, &back));
    EXPECT_EQ(bytes, back);
  }
  std::filesystem::remove(dest);

  // Changed outside assay: other bytes under the same SHA-256, then gone.
  Outside("UPDATE files SET content = 'bWludXRlcw==', size = 7");
  Status changed = ws->ReadKeptFile(sha, &back);
  EXPECT_EQ(Status::Code::kCorruption, changed.code()) << changed.ToString();
  Status verify = ws->VerifyLog(&v);
  EXPECT_EQ(Status::Code::kCorruption, verify.code());
  EXPECT_NE(std::string::npos, verify.message().find("kept file row")) << verify.message();
  Outside("DELETE FROM files");
  verify = ws->VerifyLog(&v);
  EXPECT_EQ(Status::Code::kCorruption, verify.code());
  EXPECT_NE(std::string::npos, verify.message().find("is missing")) << verify.message();
}

}  // namespace
}  // namespace assay
