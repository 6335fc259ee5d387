// Tests of import (JSON, CSV) and export of the workspace.
#include <fstream>
#include <sstream>

#include "assay/store.h"
#include "engine/store/store_test_util.h"

// Asserts that an import succeeded, printing its problems otherwise.
#define ASSERT_IMPORTED(expr, report)                                          \
  do {                                                                         \
    ::assay::Status _st = (expr);                                              \
    ASSERT_TRUE(_st.ok()) << _st.ToString() << "\n" << Problems(report);       \
  } while (0)

namespace assay {
namespace {

class ImportTest : public testing::StoreTest {
 protected:
  // The first `n` attribute and achievement IDs of the framework.
  static std::vector<std::string> Items(size_t n) {
    std::shared_ptr<const Model> model;
    EXPECT_OK(Options().resolve_model("itsm-20000", "", &model));
    std::vector<std::string> items;
    for (const ProcessAttribute& a : model->framework().attributes) {
      items.push_back(a.id);
      for (const Statement& s : a.achievements) items.push_back(s.id);
    }
    items.resize(std::min(n, items.size()));
    return items;
  }

  // A CSV of `n` ratings of RES.1/EU by ada; row `bad` (1-based, 0 = none)
  // names an unknown instance.
  static std::string Csv(size_t n, size_t bad = 0) {
    std::string csv = "instance,item,value,assessor,weakness\n";
    std::vector<std::string> items = Items(n);
    for (size_t i = 0; i < items.size(); ++i)
      csv += std::string(i + 1 == bad ? "RES.1/XX" : "RES.1/EU") + "," + items[i] + ",L,ada,\"gap " +
             std::to_string(i) + "\"\n";
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

  std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

TEST_F(ImportTest, ExportImportExportIsByteIdentical) {
  ASSAY_SQLITE_ONLY();
  std::string first;
  {
    auto ws = Populated();
    WriteResult r;
    Rating rt = AttrRating("L");
    rt.strength = "Queue is triaged daily, \"always\"";
    rt.weakness = "No trend analysis\nacross sites";
    rt.reasons = {"RC.NO_DATA", "RC.NO_REVIEW"};
    rt.evidence = {"EV-1"};
    rt.justification = "ok";
    ASSERT_OK(ws->Rate("A1", rt, &r));
    Rating c = AttrRating("72.5%");
    c.assessor.clear();
    c.consolidated = true;
    ASSERT_OK(ws->Rate("A1", c, &r));
    Rating bp = AttrRating("P");
    bp.item = "RES.1.BP1";
    bp.assessor = "cy";
    ASSERT_OK(ws->Rate("A1", bp, &r));
    ASSERT_OK(ws->Rate("A1", AttrRating("F"), &r));  // a second version
    ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kValidating, &r));
    ASSERT_OK(ws->Export("A1", &first));
  }
  std::string file = dir_.Write("a1.json", first);
  auto ws2 = OpenWs(dir_.path() + "/second.db");
  ImportReport report;
  ASSERT_IMPORTED(ws2->Import(file, ImportOptions(), &report), report);
  EXPECT_EQ("A1", report.assessment);
  EXPECT_EQ(0, report.unchanged);
  std::string second;
  ASSERT_OK(ws2->Export("A1", &second));
  EXPECT_EQ(first, second);
  ExpectVerifies(ws2.get());

  // Importing the same file again changes nothing.
  std::string head = Head(ws2.get());
  ASSERT_IMPORTED(ws2->Import(file, ImportOptions(), &report), report);
  EXPECT_EQ(0, report.created);
  EXPECT_EQ(0, report.updated);
  EXPECT_GT(report.unchanged, 10);
  EXPECT_EQ(head, Head(ws2.get()));
}

TEST_F(ImportTest, CsvImportIsIdempotent) {
  auto ws = Populated();
  std::string file = dir_.Write("r.csv", Csv(20));
  ImportReport report;
  ASSERT_IMPORTED(ws->Import(file, Into("A1"), &report), report);
  EXPECT_EQ(20, report.created);
  std::string head = Head(ws.get());
  ASSERT_IMPORTED(ws->Import(file, Into("A1"), &report), report);
  EXPECT_EQ(0, report.created);
  EXPECT_EQ(20, report.unchanged);
  EXPECT_EQ(head, Head(ws.get()));
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  EXPECT_EQ(20u, d.ratings.size());
}

TEST_F(ImportTest, DryRunWritesNothing) {
  auto ws = Populated();
  std::string head = Head(ws.get());
  ImportReport report;
  ASSERT_IMPORTED(ws->ImportText(Csv(30), "r.csv", Into("A1", true), &report), report);
  EXPECT_EQ(30, report.created);
  EXPECT_EQ(head, Head(ws.get()));
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  EXPECT_TRUE(d.ratings.empty());
}

TEST_F(ImportTest, OneBadRowAmongManyImportsNothing) {
  auto ws = Populated();
  std::string head = Head(ws.get());
  ImportReport report;
  Status s = ws->ImportText(Csv(50, 37), "r.csv", Into("A1"), &report);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  ASSERT_EQ(1u, report.problems.size()) << Problems(report);
  EXPECT_EQ(38, report.problems[0].line);  // header is line 1
  EXPECT_EQ(1, report.problems[0].column);  // the instance column
  EXPECT_EQ("r.csv:38:1: instance: unknown process instance 'RES.1/XX'; nearest: RES.1/EU",
            report.problems[0].ToString());
  EXPECT_EQ(head, Head(ws.get()));
  // Fixed, the same file imports completely.
  ASSERT_IMPORTED(ws->ImportText(Csv(50), "r.csv", Into("A1"), &report), report);
  EXPECT_EQ(50, report.created);
}

TEST_F(ImportTest, DryRunListsEveryProblem) {
  auto ws = Populated();
  std::string csv =
      "instance,item,value,assessor,reasons\n"
      "RES.1/EU,PA1.1,L,ada,\n"
      "RES.1/EU,PA9.9,L,ada,\n"
      "RES.1/EU,PA2.1,Q,ada,RC.NOPE\n"
      "RES.1/EU,PA1.1,F,ada,\n";
  ImportReport report;
  Status s = ws->ImportText(csv, "r.csv", Into("A1", true), &report);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  std::string all = Problems(report);
  EXPECT_EQ(4u, report.problems.size()) << all;
  EXPECT_NE(std::string::npos, all.find("r.csv:3:2: item: unknown item 'PA9.9'")) << all;
  EXPECT_NE(std::string::npos, all.find("r.csv:4:3: value 'Q' is not a rating")) << all;
  EXPECT_NE(std::string::npos, all.find("r.csv:4:5: reasons: unknown reason code 'RC.NOPE'")) << all;
  EXPECT_NE(std::string::npos, all.find("r.csv:5:1: duplicate rating")) << all;
}

TEST_F(ImportTest, CsvWithBomCrlfAndQuotes) {
  auto ws = Populated();
  std::string csv =
      "\xEF\xBB\xBFinstance,item,value,assessor,weakness,strength\r\n"
      "RES.1/EU,PA1.1,l+,ada,\"Gaps, in \"\"trend\"\" analysis\r\nsecond line\",'; DROP TABLE records; --\r\n";
  ImportReport report;
  Status s = ws->ImportText(csv, "r.csv", Into("A1"), &report);
  // L+ is on the refined scale; A1 uses the standard one.
  ASSERT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, Problems(report).find("r.csv:2:3: value 'L+' is on the refined scale")) << Problems(report);
  std::string fixed = csv;
  fixed.replace(fixed.find("l+"), 2, "L");
  ASSERT_IMPORTED(ws->ImportText(fixed, "r.csv", Into("A1"), &report), report);
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  ASSERT_EQ(1u, d.ratings.size());
  EXPECT_EQ("Gaps, in \"trend\" analysis\r\nsecond line", d.ratings[0].weakness);
  EXPECT_EQ("'; DROP TABLE records; --", d.ratings[0].strength);
}

TEST_F(ImportTest, BadCsvIsRefusedWithItsPlace) {
  auto ws = Populated();
  std::string head = Head(ws.get());
  struct Case {
    std::string csv;
    std::string message;
  } cases[] = {
      {"instance,item,value,assessor\nRES.1/EU,PA1.1,L,a\xff" "da\n", "r.csv:2:4: invalid UTF-8"},
      {"instance,item,value\nRES.1/EU,\"PA1.1,L\n", "r.csv:2:2: unterminated quoted field"},
      {"instance,item,value\nRES.1/EU,\"PA1.1\"x,L\n", "r.csv:2:2: unexpected text after the closing quote"},
      {"instance,item,valu,assessor\n", "r.csv:1:3: unknown column 'valu'; nearest: value"},
      {"instance,item,assessor\n", "missing column 'value'"},
      {"instance,item,value,assessor\nRES.1/EU,PA1.1,L\n", "r.csv:2:4: expected 4 fields, got 3"},
      {"instance,item,value,consolidated\nRES.1/EU,PA1.1,L,maybe\n", "r.csv:2:4: consolidated: expected true"},
      {"", "empty file"},
      {"assessment,instance,item,value,assessor\nA1,RES.1/EU,PA1.1,L,ada\nA2,RES.1/EU,PA2.1,L,ada\n",
       "r.csv:3:1: assessment 'A2' differs from 'A1'"},
  };
  for (const Case& c : cases) {
    ImportReport report;
    Status s = ws->ImportText(c.csv, "r.csv", Into("A1"), &report);
    EXPECT_EQ(Status::Code::kInvalidInput, s.code()) << c.message;
    EXPECT_NE(std::string::npos, Problems(report).find(c.message)) << c.message << "\ngot:\n" << Problems(report);
  }
  EXPECT_EQ(head, Head(ws.get()));
}

TEST_F(ImportTest, BadJsonIsRefusedWithItsPlace) {
  auto ws = Populated();
  std::string head = Head(ws.get());
  struct Case {
    std::string json;
    std::string message;
  } cases[] = {
      {"{\"format\": \"assay-assessment/1\",\n \"ratings\": [}", "r.json:2:"},
      {"{\"format\": \"assay-assessment/1\", \"assessment_id\": \"A1\", \"ratings\": [{\"instance\": 3}]}",
       "/ratings/0"},
      {"{\"format\": \"assay-assessment/1\", \"assessment_id\": \"A1\", \"ratings\": "
       "[{\"instance\": \"RES.1/EU\", \"item\": \"PA1.1\", \"value\": \"L\", \"assessor\": \"zed\"}]}",
       "r.json: /ratings/0/assessor: unknown person 'zed'"},
      {"{\"format\": \"assay-assessment/1\", \"assessment_id\": \"A9\", \"ratings\": []}", "no assessment 'A9'"},
      {"{\"format\": \"assay-assessment/2\"}", "r.json: /format"},
      {"{\"format\": \"assay-assessment/1\", \"assessment_id\": \"A1\", \"ratings\": "
       "[{\"instance\": \"RES.1/EU\", \"item\": \"PA1.1\", \"value\": \"L\", \"assessor\": \"ada\", "
       "\"weakness\": \"bad \xc3\x28\"}]}",
       "r.json:"},
  };
  for (const Case& c : cases) {
    ImportReport report;
    Status s = ws->ImportText(c.json, "r.json", Into(""), &report);
    EXPECT_EQ(Status::Code::kInvalidInput, s.code()) << c.message;
    EXPECT_NE(std::string::npos, Problems(report).find(c.message)) << c.message << "\ngot:\n" << Problems(report);
  }
  EXPECT_EQ(head, Head(ws.get()));
}

TEST_F(ImportTest, JsonBatchOfRatings) {
  auto ws = Populated();
  std::string json =
      "{\"format\": \"assay-assessment/1\", \"assessment_id\": \"A1\", \"ratings\": ["
      "{\"instance\": \"RES.1/EU\", \"item\": \"PA1.1\", \"value\": \"L\", \"assessor\": \"ada\"},"
      "{\"instance\": \"RES.2/EU\", \"item\": \"PA1.1\", \"value\": \"F\", \"consolidated\": true}]}";
  ImportReport report;
  ASSERT_IMPORTED(ws->ImportText(json, "b.json", Into(""), &report), report);
  EXPECT_EQ(2, report.created);
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  EXPECT_EQ(2u, d.ratings.size());
}

TEST_F(ImportTest, ImportIntoExistingAssessmentWithDifferentModelIsRefused) {
  auto ws = Populated();
  std::string exported;
  ASSERT_OK(ws->Export("A1", &exported));
  std::string changed = exported;
  size_t at = changed.find("\"version\": \"1.0.0\"");
  ASSERT_NE(std::string::npos, at);
  changed.replace(at, 18, "\"version\": \"9.0.0\"");
  ImportReport report;
  EXPECT_EQ(Status::Code::kInvalidInput, ws->ImportText(changed, "x.json", Into(""), &report).code());
  EXPECT_NE(std::string::npos, Problems(report).find("/assessment/model")) << Problems(report);
}

TEST_F(ImportTest, CsvLineNumbersCountLineBreaksInsideQuotes) {
  auto ws = Populated();
  std::string csv =
      "instance,item,value,assessor,weakness\n"
      "RES.1/EU,PA1.1,L,ada,\"one\ntwo\nthree\"\n"
      "\n"
      "RES.1/EU,PA2.1,L,zed,\n";
  ImportReport report;
  EXPECT_FALSE(ws->ImportText(csv, "r.csv", Into("A1"), &report).ok());
  ASSERT_EQ(1u, report.problems.size());
  EXPECT_EQ("r.csv:6:4: assessor: unknown person 'zed'", report.problems[0].ToString().substr(0, 41));
}

TEST_F(ImportTest, StatusOfAnExistingAssessmentFollowsTheTransitions) {
  auto ws = Populated();  // collecting
  std::string exported;
  ASSERT_OK(ws->Export("A1", &exported));
  std::string validating = exported, closed = exported;
  validating.replace(validating.find("\"collecting\""), 12, "\"validating\"");
  closed.replace(closed.find("\"collecting\""), 12, "\"closed\"");
  ImportReport report;
  std::string head = Head(ws.get());
  EXPECT_EQ(Status::Code::kInvalidInput, ws->ImportText(closed, "c.json", Into(""), &report).code());
  EXPECT_NE(std::string::npos, Problems(report).find("c.json: /assessment/status: cannot move the assessment from "
                                                     "collecting to closed"))
      << Problems(report);
  EXPECT_EQ(head, Head(ws.get()));
  ASSERT_IMPORTED(ws->ImportText(validating, "v.json", Into(""), &report), report);
  EXPECT_EQ(1, report.updated);
  Assessment a;
  ASSERT_OK(ws->GetAssessment("A1", &a));
  EXPECT_EQ(AssessmentStatus::kValidating, a.status);
}

TEST_F(ImportTest, CsvTemplateHasEveryColumn) {
  std::string t = CsvTemplate();
  EXPECT_EQ(0u, t.find("assessment,process,instance,item,value,assessor,consolidated,strength,weakness,reasons,"
                       "evidence,rated_at,justification\r\n"));
}

}  // namespace

// The import's file size limit: 64 MiB by default (ImportOptions::max_bytes;
// the CLI raises it from $ASSAY_IMPORT_MAX_MB for bulk CSV loads); nothing is
// written when a file is larger.
TEST_F(ImportTest, ImportSizeLimitIsAnOption) {
  ASSAY_SQLITE_ONLY();
  auto ws = Populated();
  const std::string before = Head(ws.get());
  const std::string file = dir_.path() + "/big.csv";
  std::string csv = Csv(3);
  csv += std::string(1100 * 1024, '\n');  // blank lines: 1.1 MiB, still valid CSV
  {
    std::ofstream out(file, std::ios::binary);
    out << csv;
  }
  ImportReport report;
  ImportOptions o = Into("A1");
  o.max_bytes = 1 << 20;
  Status s = ws->Import(file, o, &report);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("big.csv: larger than 1 MiB")) << s.ToString();
  EXPECT_EQ("too-large", s.subject().reason);
  EXPECT_EQ(before, Head(ws.get()));
  o.max_bytes = 2 << 20;
  s = ws->Import(file, o, &report);
  ASSERT_IMPORTED(s, report);
  EXPECT_EQ(3, report.created);
}

// Export writes the scope in the order the processes were scoped, as
// ReadSnapshot gives it; export, import and export again is still stable.
TEST_F(ImportTest, ExportKeepsScopeOrder) {
  ASSAY_SQLITE_ONLY();
  auto ws = OpenWs();
  WriteResult r;
  ASSERT_OK(ws->CreateAssessment(BasicAssessment("A1"), &r));
  ASSERT_OK(ws->PutScope("A1", {"RES.2", 1}, &r));
  ASSERT_OK(ws->PutScope("A1", {"RES.1", 2}, &r));
  std::string text;
  ASSERT_OK(ws->Export("A1", &text));
  EXPECT_LT(text.find("\"RES.2\""), text.find("\"RES.1\"")) << text;
  const std::string file = dir_.path() + "/a1.json";
  {
    std::ofstream out(file, std::ios::binary);
    out << text;
  }
  auto ws2 = OpenWs(dir_.path() + "/second.db");
  ImportReport report;
  ASSERT_IMPORTED(ws2->Import(file, ImportOptions(), &report), report);
  std::string again;
  ASSERT_OK(ws2->Export("A1", &again));
  EXPECT_EQ(text, again);
}

}  // namespace assay
