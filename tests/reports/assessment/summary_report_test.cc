// Tests of the summary report (summary_report.h): the Northwind checkpoint
// of 2027 with its trend since 2026 (content, manifest, determinism, the
// trend chart drawn on its page), the first assessment of a series, the page
// limit at 29 processes x 10 instances, the maturity wording when the scope
// cannot show a level, and the refusals.
#include "assay/reports/summary_report.h"

#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "assay/rating.h"
#include "assay/model_graph.h"
#include "assay/model.h"
#include "assay/reports/report_parts.h"
#include "assay/store.h"
#include "assay/text.h"
#include "test_util.h"

namespace assay::reports {
namespace {

using assay::testing::RunCommand;
using assay::testing::SourcePath;
using assay::testing::TempDir;

int PageCount(const std::string& path) {
  std::string info = RunCommand("pdfinfo '" + path + "' 2>/dev/null");
  std::smatch m;
  static const std::regex kPages(R"(Pages:\s+([0-9]+))");
  return std::regex_search(info, m, kPages) ? std::stoi(m[1]) : -1;
}

std::string PageText(const std::string& path, int page) {
  const std::string p = std::to_string(page);
  return RunCommand("pdftotext -layout -f " + p + " -l " + p + " '" + path + "' - 2>/dev/null");
}

// One assessment read from a workspace and rated, as `assay report` does.
struct Rated {
  AssessmentData data;
  RatingResults results;
  CheckReport checks;
};

class SummaryReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(library_.Scan());
    WorkspaceOptions options;
    options.resolve_model = LibraryResolver(&library_);
    options.clock = [] { return std::string("2027-10-02T12:00:00Z"); };
    ASSERT_OK(Workspace::Open(":memory:", options, &ws_));
    std::vector<Diagnostic> diags;
    ASSERT_OK(library_.Load("itsm-20000", "1.0.0", &model_, &diags));
    graph_ = std::make_unique<ModelGraph>(model_);
  }
  void Import(const char* file) {
    std::ifstream in(SourcePath(file));
    std::stringstream text;
    text << in.rdbuf();
    ImportReport report;
    ASSERT_OK(ws_->ImportText(text.str(), file, ImportOptions{}, &report));
    rated_.emplace_back();
    Rated& r = rated_.back();
    ASSERT_OK(ws_->ReadSnapshot(report.assessment, &r.data));
    Rate(&r);
  }
  void Rate(Rated* r) {
    r->results = RatingResults();
    ComputeOptions compute;
    compute.sensitivity = false;
    ASSERT_OK(ComputeResults(*model_, *graph_, r->data, &r->results, compute));
    r->checks = RunChecks(*model_, r->data);
  }
  SummaryReportInput Input(const Rated& r, const Trend* trend) const {
    SummaryReportInput in;
    in.report.model = model_.get();
    in.report.data = &r.data;
    in.report.results = &r.results;
    in.report.checks = &r.checks;
    in.report.manifest.kind = ReportKind::kSummary;
    in.report.manifest.subject = r.data.assessment.id;
    in.report.manifest.snapshot_sha256 = std::string(64, 'a');
    in.report.manifest.assay_version = "9.8.7";
    in.report.manifest.model = model_->Key();
    in.report.manifest.data_as_of = AssessmentDataAsOf(r.data);
    in.report.manifest.log_seq = 7;
    in.trend = trend;
    return in;
  }
  Trend TrendOfAll() const {
    std::vector<SeriesEntry> entries;
    for (const Rated& r : rated_) entries.push_back({&r.data, &r.results});
    return ComputeTrend(entries);
  }
  std::string Render(const SummaryReportInput& in) const {
    std::string pdf;
    Status s = RenderSummaryReport(in, ReportOptions{}, &pdf, nullptr);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return pdf;
  }

  ModelLibrary library_;
  std::unique_ptr<Workspace> ws_;
  std::shared_ptr<const Model> model_;
  std::unique_ptr<ModelGraph> graph_;
  std::deque<Rated> rated_;
};

TEST_F(SummaryReportTest, CheckpointWithItsTrend) {
  REQUIRE_TOOLS();
  Import("models/examples/northwind-2026.json");
  Import("models/examples/northwind-2027.json");
  const Trend trend = TrendOfAll();
  const SummaryReportInput in = Input(rated_[1], &trend);
  const std::string pdf = Render(in);
  EXPECT_EQ(pdf, Render(in)) << "the same input gives the same bytes";
  ReportManifest m;
  ASSERT_OK(ReadPdfManifest(pdf, &m));
  EXPECT_EQ(m.kind, ReportKind::kSummary);
  EXPECT_EQ(m.subject, "NW-2027-01");

  TempDir dir;
  const std::string path = dir.Write("s.pdf", pdf);
  int rc = 0;
  RunCommand("qpdf --check '" + path + "' >/dev/null 2>&1", &rc);
  EXPECT_EQ(rc, 0);
  const int pages = PageCount(path);
  EXPECT_GE(pages, 4);
  EXPECT_LE(pages, 12);
  std::string all;
  int trend_page = 0;
  for (int p = 1; p <= pages; ++p) {
    const std::string t = PageText(path, p);
    if (trend_page == 0 && t.find("5 Trend") != std::string::npos) trend_page = p;
    all += t;
  }
  EXPECT_NE(all.find("ASSESSMENT SUMMARY"), std::string::npos);
  EXPECT_NE(all.find("NW-2026-01: 2 improved, 1 regressed, 8 unchanged, 1 new"), std::string::npos) << all;
  EXPECT_NE(all.find("Organizational maturity level 1 of 5"), std::string::npos);
  // The gaps: SAS.2 (CL1 of 3) first, with what blocks it.
  const size_t gaps = all.find("3 Gaps and what blocks the next level");
  ASSERT_NE(gaps, std::string::npos);
  const size_t sas2 = all.find("SAS.2", gaps), res3 = all.find("RES.3", gaps);
  EXPECT_LT(sas2, res3) << "the largest gap first";
  EXPECT_NE(all.find("PA1.1 is L (needs F)", gaps), std::string::npos);
  // The weaknesses behind the gaps are those of blocking attributes.
  EXPECT_NE(all.find("4.1 Weaknesses behind the gaps"), std::string::npos);
  // The trend table names the changed processes only.
  EXPECT_TRUE(std::regex_search(all, std::regex(R"(SMS\.4\s+Documented information\s+CL2\s+CL1\s+regressed)")))
      << all;
  EXPECT_TRUE(std::regex_search(all, std::regex(R"(SAS\.1\s+Service availability management\s+not in scope\s+CL1\s+new)")));
  EXPECT_NE(all.find("Report manifest"), std::string::npos);

  // The trend chart's page, rendered to an image, is not blank: it carries
  // coloured marks (the improved and regressed segments, the squares).
  ASSERT_GT(trend_page, 0);
  const std::string tp = std::to_string(trend_page);
  RunCommand("pdftoppm -r 40 -f " + tp + " -l " + tp + " -png '" + path + "' '" + dir.path() + "/trend'", &rc);
  ASSERT_EQ(rc, 0);
  std::string png;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    if (e.path().filename().string().rfind("trend", 0) == 0) png = e.path().string();
  ASSERT_FALSE(png.empty());
  RunCommand("pdftoppm -r 40 -f " + tp + " -l " + tp + " '" + path + "' '" + dir.path() + "/ppm'", &rc);
  std::string ppm;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    if (e.path().extension() == ".ppm") ppm = e.path().string();
  ASSERT_FALSE(ppm.empty());
  std::ifstream img(ppm, std::ios::binary);
  std::string magic;
  int w = 0, h = 0, maxval = 0;
  img >> magic >> w >> h >> maxval;
  img.get();
  ASSERT_EQ(magic, "P6");
  std::string pixels((std::istreambuf_iterator<char>(img)), std::istreambuf_iterator<char>());
  ASSERT_EQ(pixels.size(), static_cast<size_t>(w) * static_cast<size_t>(h) * 3);
  int green = 0, red = 0, blue = 0;
  for (size_t i = 0; i + 2 < pixels.size(); i += 3) {
    const int r = static_cast<unsigned char>(pixels[i]), g = static_cast<unsigned char>(pixels[i + 1]),
              b = static_cast<unsigned char>(pixels[i + 2]);
    if (g > r + 40 && g > b + 20) ++green;  // improved (#2E7D4F)
    if (r > g + 60 && r > b + 60) ++red;    // regressed and targets (#B5483B)
    if (b > r + 60 && b > g + 20) ++blue;   // the newest assessment's squares (#1F4E79)
  }
  EXPECT_GT(green, 5) << "no improved segment drawn";
  EXPECT_GT(red, 5) << "no regressed segment or target drawn";
  EXPECT_GT(blue, 20) << "no level squares drawn";

  // The JSON says the same.
  const nlohmann::json j = nlohmann::json::parse(SummaryReportJson(in));
  EXPECT_EQ(j["format"], "assay-summary-report/1");
  EXPECT_EQ(j["trend"]["previous"], "NW-2026-01");
  EXPECT_EQ(j["trend"]["changes"]["improved"], 2);
  EXPECT_EQ(j["trend"]["changes"]["regressed"], 1);
  EXPECT_EQ(j["figures"]["processes"], 12);
  EXPECT_EQ(j["gaps"][0]["process"], "SAS.2");
  EXPECT_EQ(j["maturity"]["stated"], true);
  EXPECT_EQ(j["maturity"]["level"], 1);
  EXPECT_EQ(j["manifest"]["kind"], "summary");
}

TEST_F(SummaryReportTest, FirstOfItsSeriesHasNoTrend) {
  REQUIRE_TOOLS();
  Import("models/examples/northwind-2026.json");
  const Trend trend = TrendOfAll();
  for (const Trend* t : {static_cast<const Trend*>(nullptr), &trend}) {
    TempDir dir;
    const std::string path = dir.Write("s.pdf", Render(Input(rated_[0], t)));
    std::string all;
    for (int p = 1; p <= PageCount(path); ++p) all += PageText(path, p);
    EXPECT_NE(all.find("none: the first assessment of its series"), std::string::npos);
    EXPECT_NE(all.find("This is the first assessment of its series"), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(SummaryReportJson(Input(rated_[0], t)))["trend"], nullptr);
  }
}

// A scope that leaves out processes of maturity level 1's set states no
// maturity level, and says why (in the engine, the profile and the summary).
TEST_F(SummaryReportTest, NoMaturityLevelStatedWhenTheScopeCannotShowOne) {
  REQUIRE_TOOLS();
  Import("models/examples/northwind-2026.json");
  Rated& r = rated_[0];
  std::erase_if(r.data.scope, [](const ScopedProcess& s) { return s.process != "RES.1"; });
  Rate(&r);
  const MaturityResult& m = r.results.maturity;
  ASSERT_TRUE(m.available);
  EXPECT_FALSE(m.stated);
  EXPECT_EQ(m.attainable, 0);
  EXPECT_NE(m.note.find("the scope does not cover the process set of the lowest level of itsm-maturity"),
            std::string::npos)
      << m.note;
  EXPECT_NE(m.note.find("not in scope: "), std::string::npos) << m.note;
  TempDir dir;
  const std::string path = dir.Write("s.pdf", Render(Input(r, nullptr)));
  std::string all;
  for (int p = 1; p <= PageCount(path); ++p) all += PageText(path, p);
  EXPECT_NE(all.find("No organizational maturity level is stated"), std::string::npos) << all;
  EXPECT_EQ(all.find("Organizational maturity level 0"), std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(SummaryReportJson(Input(r, nullptr)));
  EXPECT_EQ(j["maturity"]["stated"], false);
  EXPECT_EQ(j["maturity"]["level"], nullptr);
}

// 29 processes x 10 instances, every attribute rated by indicator with a
// strength and a weakness: the summary stays within 12 pages.
TEST_F(SummaryReportTest, TwentyNineProcessesTimesTenInstancesFitTwelvePages) {
  REQUIRE_TOOLS();
  Rated r;
  Assessment& a = r.data.assessment;
  a.id = "BIG-29";
  a.title = "Every process of the model";
  a.organization = "Example Org";
  a.model_id = model_->pam().id;
  a.model_version = model_->pam().version;
  a.start_date = "2026-01-05";
  a.end_date = "2026-02-27";
  const char* values[] = {"F", "L", "P", "N", "L", "F"};
  int k = 0;
  for (const Process& p : model_->processes()) {
    r.data.scope.push_back({p.id, 3});
    for (int i = 0; i < 10; ++i) {
      ProcessInstance inst;
      inst.id = p.id + "/U" + std::to_string(i);
      inst.process = p.id;
      r.data.instances.push_back(inst);
      for (const ProcessAttribute& pa : model_->framework().attributes) {
        if (pa.level > 3) continue;
        Rating rating;
        rating.process = p.id;
        rating.instance = inst.id;
        rating.item = pa.id;
        rating.consolidated = true;
        rating.value = values[(k++) % 6];
        rating.strength = "Strength of " + inst.id + " in " + pa.id + ", described in a sentence of some length.";
        rating.weakness = "Weakness of " + inst.id + " in " + pa.id + ", described in a sentence of some length.";
        r.data.ratings.push_back(rating);
      }
    }
  }
  ASSERT_EQ(r.data.scope.size(), 29u);
  Rate(&r);
  TempDir dir;
  const std::string path = dir.Write("big.pdf", Render(Input(r, nullptr)));
  const int pages = PageCount(path);
  EXPECT_GE(pages, 4);
  EXPECT_LE(pages, 12);
}

TEST_F(SummaryReportTest, Refusals) {
  Import("models/examples/northwind-2026.json");
  Import("models/examples/northwind-2027.json");
  std::string pdf = "untouched";
  SummaryReportInput in = Input(rated_[0], nullptr);
  in.report.manifest.kind = ReportKind::kAssessment;
  Status s = RenderSummaryReport(in, ReportOptions{}, &pdf, nullptr);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("not the summary of 'NW-2026-01'"), std::string::npos) << s.message();
  const Trend trend = TrendOfAll();  // ends at NW-2027-01
  s = RenderSummaryReport(Input(rated_[0], &trend), ReportOptions{}, &pdf, nullptr);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("the trend ends at 'NW-2027-01', not at 'NW-2026-01'"), std::string::npos);
  in = Input(rated_[0], nullptr);
  in.report.checks = nullptr;
  EXPECT_EQ(RenderSummaryReport(in, ReportOptions{}, &pdf, nullptr).code(), Status::Code::kInvalidInput);
  EXPECT_EQ(pdf, "untouched");
}

}  // namespace
}  // namespace assay::reports
