// The rating workbook (`assay export --format xlsx`): its sheets, drop-down
// lists, protection, frozen headers, current values, reproducible bytes,
// and (where LibreOffice is installed) that it opens without repair.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "assay/model.h"
#include "assay/rating.h"
#include "assay/reports/xlsx.h"
#include "test_util.h"

namespace assay {
namespace {

using testing::RunCommand;
using testing::SourcePath;
using testing::TempDir;

class RatingWorkbookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int rc = -1;
    Run("import '" + SourcePath("models/examples/northwind-2026.json") + "'", &rc);
    ASSERT_EQ(0, rc);
  }
  std::string Run(const std::string& args, int* rc) {
    return RunCommand("cd '" + dir_.path() + "' && '" + std::string(ASSAY_BIN) + "' --db nw.db " + args + " 2>&1", rc);
  }
  std::string Unzip(const std::string& file, const std::string& member) {
    return RunCommand("unzip -p '" + dir_.path() + "/" + file + "' '" + member + "' 2>/dev/null");
  }
  std::string ReadFile(const std::string& name) {
    std::ifstream in(dir_.path() + "/" + name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  TempDir dir_;
};

bool HaveUnzip() { return std::system("command -v unzip >/dev/null 2>&1") == 0; }

TEST_F(RatingWorkbookTest, SheetsValidationProtectionAndValues) {
  if (!HaveUnzip()) GTEST_SKIP() << "unzip is needed (scripts/setup.sh --test)";
  int rc = -1;
  std::string out = Run("export --format xlsx -o nw.xlsx", &rc);
  ASSERT_EQ(0, rc) << out;
  EXPECT_NE(std::string::npos, out.find("wrote nw.xlsx (rating workbook of NW-2026-01, 11 process sheets)")) << out;

  std::string workbook = Unzip("nw.xlsx", "xl/workbook.xml");
  for (const char* sheet : {"Cover", "RES.1", "RES.3", "DBT.1", "Profile"})
    EXPECT_NE(std::string::npos, workbook.find(std::string("name=\"") + sheet + "\"")) << sheet;

  std::string res1 = Unzip("nw.xlsx", "xl/worksheets/sheet2.xml");  // the first process sheet
  EXPECT_NE(std::string::npos, res1.find("<formula1>\"N,P,L,F\"</formula1>")) << "drop-down list of the scale";
  EXPECT_NE(std::string::npos, res1.find("<sheetProtection sheet=\"1\""));
  EXPECT_NE(std::string::npos, res1.find("state=\"frozen\""));
  EXPECT_NE(std::string::npos, res1.find("<conditionalFormatting"));

  std::string strings = Unzip("nw.xlsx", "xl/sharedStrings.xml");
  for (const char* text : {"instance", "rater", "team", "strength", "weakness", "evidence", "process attribute",
                           "base practice", "How to fill it in"})
    EXPECT_NE(std::string::npos, strings.find(text)) << text;
}

TEST_F(RatingWorkbookTest, SameWorkspaceSameBytes) {
  int rc = -1;
  ASSERT_EQ(0, (Run("export --format xlsx -o a.xlsx", &rc), rc));
  ASSERT_EQ(0, (Run("export --format xlsx -o b.xlsx", &rc), rc));
  std::string a = ReadFile("a.xlsx");
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, ReadFile("b.xlsx"));
}

TEST_F(RatingWorkbookTest, OneAssessorsHandOut) {
  if (!HaveUnzip()) GTEST_SKIP() << "unzip is needed (scripts/setup.sh --test)";
  int rc = -1;
  std::string out = Run("export --format xlsx --assessor nobody -o x.xlsx", &rc);
  EXPECT_EQ(4, rc) << out;
  EXPECT_NE(std::string::npos, out.find("unknown person 'nobody'")) << out;
  EXPECT_FALSE(std::ifstream(dir_.path() + "/x.xlsx").good());
}

TEST_F(RatingWorkbookTest, RefusedWithoutAFileAndNotOverwritten) {
  int rc = -1;
  std::string out = Run("export --format xlsx", &rc);
  EXPECT_EQ(3, rc) << out;
  EXPECT_NE(std::string::npos, out.find("--format xlsx needs --out FILE")) << out;
  std::ofstream(dir_.path() + "/keep.xlsx") << "mine";
  out = Run("export --format xlsx -o keep.xlsx", &rc);
  EXPECT_EQ(3, rc) << out;
  EXPECT_EQ("mine", ReadFile("keep.xlsx"));
}

TEST_F(RatingWorkbookTest, OpensInLibreOffice) {
  // Skipped unless soffice runs (a package removed by halves may leave the
  // command without the program behind it).
  if (std::system("timeout 60 soffice --version >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "LibreOffice (soffice) not installed";
  int rc = -1;
  ASSERT_EQ(0, (Run("export --format xlsx -o nw.xlsx", &rc), rc));
  std::string out = RunCommand("cd '" + dir_.path() + "' && HOME='" + dir_.path() +
                                   "' timeout 120 soffice --headless --convert-to csv nw.xlsx >/dev/null 2>&1; cat nw.csv",
                               &rc);
  // The first sheet (the cover) as CSV.
  EXPECT_NE(std::string::npos, out.find("Rating workbook: NW-2026-01")) << out;
  EXPECT_NE(std::string::npos, out.find("R2")) << out;
}

// Issue 17: the profile and attribute matrix for management.
TEST_F(RatingWorkbookTest, ProfileWorkbook) {
  if (!HaveUnzip()) GTEST_SKIP() << "unzip is needed (scripts/setup.sh --test)";
  int rc = -1;
  std::string out = Run("profile --format xlsx -o p.xlsx", &rc);
  ASSERT_EQ(0, rc) << out;
  EXPECT_NE(std::string::npos, out.find("wrote p.xlsx (profile of NW-2026-01, 11 processes)"));
  const std::string wb = Unzip("p.xlsx", "xl/workbook.xml");
  EXPECT_NE(std::string::npos, wb.find("<sheet name=\"Profile\""));
  EXPECT_NE(std::string::npos, wb.find("<sheet name=\"Instances\""));
  const std::string sheet = Unzip("p.xlsx", "xl/worksheets/sheet1.xml");
  EXPECT_NE(std::string::npos, sheet.find("<sheetProtection"));
  EXPECT_NE(std::string::npos, sheet.find("<autoFilter ref=\"A3:"));
  const std::string strings = Unzip("p.xlsx", "xl/sharedStrings.xml");
  EXPECT_NE(std::string::npos, strings.find("<t>RES.1/LEJ-SD</t>"));
  EXPECT_NE(std::string::npos, strings.find("<t>PA2.1</t>"));
  // Never to stdout; --out only with xlsx; the same bytes again.
  out = Run("profile --format xlsx", &rc);
  EXPECT_EQ(3, rc);
  EXPECT_NE(std::string::npos, out.find("--format xlsx needs --out FILE")) << out;
  out = Run("profile --format csv -o p.csv", &rc);
  EXPECT_EQ(3, rc);
  EXPECT_NE(std::string::npos, out.find("--out applies to --format xlsx only")) << out;
  ASSERT_EQ(0, (Run("profile --format xlsx -o q.xlsx", &rc), rc));
  EXPECT_EQ(ReadFile("p.xlsx"), ReadFile("q.xlsx"));
}

// The audit programme and the nonconformity register for management.
TEST_F(RatingWorkbookTest, AuditProgrammeAndRegisterWorkbooks) {
  if (!HaveUnzip()) GTEST_SKIP() << "unzip is needed (scripts/setup.sh --test)";
  int rc = -1;
  std::string out = Run("audit import '" + SourcePath("models/examples/northwind-2024-cycle.json") + "'", &rc);
  ASSERT_EQ(0, rc) << out;
  out = Run("audit programme NORTHWIND --today 2026-12-01 --format xlsx -o prog.xlsx", &rc);
  ASSERT_EQ(0, rc) << out;
  const std::string wb = Unzip("prog.xlsx", "xl/workbook.xml");
  EXPECT_NE(std::string::npos, wb.find("<sheet name=\"Programme\""));
  EXPECT_NE(std::string::npos, wb.find("<sheet name=\"Nonconformities\""));
  const std::string strings = Unzip("prog.xlsx", "xl/sharedStrings.xml");
  EXPECT_NE(std::string::npos, strings.find("Audit programme of NORTHWIND"));
  EXPECT_NE(std::string::npos, strings.find("<t>NC-01</t>"));
  EXPECT_EQ(std::string::npos, strings.find("<t>'-</t>"));  // no placeholder dashes
  out = Run("audit nc list --today 2026-12-01 --format xlsx -o nc.xlsx", &rc);
  ASSERT_EQ(0, rc) << out;
  EXPECT_NE(std::string::npos, Unzip("nc.xlsx", "xl/sharedStrings.xml").find("Nonconformity register as of 2026-12-01"));
  out = Run("audit nc list --format xlsx", &rc);
  EXPECT_EQ(3, rc);
  EXPECT_NE(std::string::npos, out.find("--format xlsx needs --out FILE")) << out;
}

// Formula-like text is neutralised as in the CSV output; numbers stay numbers.
TEST(TableWorkbook, NeutralisesFormulaLikeText) {
  if (!HaveUnzip()) GTEST_SKIP() << "unzip is needed (scripts/setup.sh --test)";
  reports::XlsxTable t{"T", "=title", {"a", "n"}, {{"=1+1", "3"}, {"@SUM(A1)", "x"}, {"+cmd", "-2"}, {"plain", ""}},
                       {false, true}};
  std::string bytes;
  ASSERT_TRUE(reports::TableWorkbook({t}, "t", "2026-11-24", reports::WorkbookOptions(), &bytes).ok());
  TempDir dir;
  {
    std::ofstream f(dir.path() + "/t.xlsx", std::ios::binary);
    f << bytes;
  }
  const std::string strings = RunCommand("unzip -p '" + dir.path() + "/t.xlsx' xl/sharedStrings.xml");
  for (const char* want : {"<t>'=1+1</t>", "<t>'@SUM(A1)</t>", "<t>'+cmd</t>", "<t>'=title</t>", "<t>plain</t>", "<t>x</t>"})
    EXPECT_NE(std::string::npos, strings.find(want)) << want;
  const std::string sheet = RunCommand("unzip -p '" + dir.path() + "/t.xlsx' xl/worksheets/sheet1.xml");
  EXPECT_NE(std::string::npos, sheet.find("<c r=\"B4\"><v>3</v></c>")) << sheet;
  EXPECT_NE(std::string::npos, sheet.find("<c r=\"B6\"><v>-2</v></c>")) << sheet;
  EXPECT_EQ(std::string::npos, sheet.find("<f>"));
}

TEST(RatingItems, AttributesThenIndicatorsPerLevel) {
  ModelLibrary library(std::vector<std::string>{SourcePath("models")});
  ASSERT_TRUE(library.Scan().ok());
  std::shared_ptr<const Model> model;
  std::vector<Diagnostic> diags;
  ASSERT_TRUE(library.Load("itsm-20000", "", &model, &diags).ok());
  std::vector<RatingItem> r2 = ItemsToRate(*model, "RES.1", 2, RatingMethod::kR2);
  ASSERT_FALSE(r2.empty());
  EXPECT_EQ("PA1.1", r2[0].id);
  EXPECT_EQ(ItemKind::kAttribute, r2[0].kind);
  EXPECT_EQ("base practice", r2[1].label);
  int attributes = 0, outcomes = 0, generic = 0;
  for (const RatingItem& i : r2) {
    attributes += i.kind == ItemKind::kAttribute;
    outcomes += i.kind == ItemKind::kOutcome;
    generic += i.label == "generic practice";
    EXPECT_LE(i.level, 2) << i.id;
  }
  EXPECT_EQ(3, attributes);  // PA1.1, PA2.1, PA2.2
  EXPECT_EQ(0, outcomes);
  EXPECT_GT(generic, 0);

  std::vector<RatingItem> r1 = ItemsToRate(*model, "RES.1", 1, RatingMethod::kR1);
  const Process* p = model->FindProcess("RES.1");
  ASSERT_NE(nullptr, p);
  int r1_outcomes = 0;
  for (const RatingItem& i : r1) r1_outcomes += i.kind == ItemKind::kOutcome;
  EXPECT_EQ(static_cast<int>(p->outcomes.size()), r1_outcomes);
  EXPECT_TRUE(ItemsToRate(*model, "NOPE.1", 3, RatingMethod::kR2).empty());
}

}  // namespace
}  // namespace assay
