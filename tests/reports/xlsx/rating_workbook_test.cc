// The rating workbook (`assay export --format xlsx`): its sheets, drop-down
// lists, protection, frozen headers, current values, reproducible bytes,
// and (where LibreOffice is installed) that it opens without repair.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "assay/model_library.h"
#include "assay/rating_items.h"
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
  if (std::system("command -v soffice >/dev/null 2>&1") != 0) GTEST_SKIP() << "LibreOffice (soffice) not installed";
  int rc = -1;
  ASSERT_EQ(0, (Run("export --format xlsx -o nw.xlsx", &rc), rc));
  std::string out = RunCommand("cd '" + dir_.path() + "' && HOME='" + dir_.path() +
                                   "' timeout 120 soffice --headless --convert-to csv nw.xlsx >/dev/null 2>&1; cat nw.csv",
                               &rc);
  // The first sheet (the cover) as CSV.
  EXPECT_NE(std::string::npos, out.find("Rating workbook: NW-2026-01")) << out;
  EXPECT_NE(std::string::npos, out.find("R2")) << out;
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
