// The trend of the bundled Northwind assessments (2026 and 2027): its JSON
// validates against schemas/trend.schema.json and says what changed; the
// 2027 profile, with the dispersion of its aggregates, validates against
// schemas/profile.schema.json.
#include "assay/reports/trend.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "assay/model_graph.h"
#include "assay/model.h"
#include "assay/reports/portfolio.h"
#include "assay/reports/profile.h"
#include "assay/store.h"
#include "test_util.h"
#include "util/json_input.h"

namespace assay {
namespace {

class TrendDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(library_.Scan());
    WorkspaceOptions options;
    options.resolve_model = LibraryResolver(&library_);
    options.clock = [] { return std::string("2027-10-02T12:00:00Z"); };
    ASSERT_OK(Workspace::Open(":memory:", options, &ws_));
    for (const char* file : {"models/examples/northwind-2026.json", "models/examples/northwind-2027.json"}) {
      std::ifstream in(testing::SourcePath(file));
      std::stringstream text;
      text << in.rdbuf();
      ImportReport report;
      ASSERT_OK(ws_->ImportText(text.str(), file, ImportOptions{}, &report));
      data_.emplace_back();
      ASSERT_OK(ws_->ReadSnapshot(report.assessment, &data_.back()));
    }
    std::vector<Diagnostic> diags;
    ASSERT_OK(library_.Load("itsm-20000", "1.0.0", &model_, &diags));
    graph_ = std::make_unique<ModelGraph>(model_);
    results_.resize(data_.size());
    for (size_t i = 0; i < data_.size(); ++i) ASSERT_OK(ComputeResults(*model_, *graph_, data_[i], &results_[i]));
  }
  static void ExpectValid(const char* schema, const std::string& text) {
    std::vector<Diagnostic> problems;
    EXPECT_TRUE(internal::ValidateSchema(schema, nlohmann::json::parse(text), schema, &problems))
        << (problems.empty() ? "" : problems.front().ToString());
  }
  ModelLibrary library_;
  std::unique_ptr<Workspace> ws_;
  std::vector<AssessmentData> data_;
  std::vector<RatingResults> results_;
  std::shared_ptr<const Model> model_;
  std::unique_ptr<ModelGraph> graph_;
};

TEST_F(TrendDataTest, JsonValidatesAndNamesTheChanges) {
  ASSERT_EQ(data_.size(), 2u);
  EXPECT_EQ(data_[0].assessment.organization, data_[1].assessment.organization);
  const Trend trend = ComputeTrend({{&data_[0], &results_[0]}, {&data_[1], &results_[1]}});
  const std::string text = reports::TrendJson(data_[0].assessment.organization, "", trend);
  ExpectValid("trend", text);
  const nlohmann::json doc = nlohmann::json::parse(text);
  std::map<std::string, std::string> latest;
  for (const auto& p : doc["processes"]) latest[p["process"]] = p["latest"];
  EXPECT_EQ(latest["RES.3"], "improved");
  EXPECT_EQ(latest["SPM.4"], "improved");
  EXPECT_EQ(latest["SMS.4"], "regressed");
  EXPECT_EQ(latest["SAS.1"], "new");
  EXPECT_EQ(latest["RES.1"], "unchanged");
  EXPECT_EQ(doc["assessments"][1]["id"], "NW-2027-01");
  const std::string csv = reports::TrendCsv(data_[0].assessment.organization, "", trend);
  EXPECT_NE(csv.find(",NW-2027-01,2027-10-01,SMS.4,,yes,,1,2,1,regressed,,\r\n"), std::string::npos) << csv;
}

TEST_F(TrendDataTest, EachAttributeValueCarriesTheDispersionOfTheProfile) {
  const Trend trend = ComputeTrend({{&data_[0], &results_[0]}, {&data_[1], &results_[1]}});
  const nlohmann::json doc = nlohmann::json::parse(reports::TrendJson(data_[0].assessment.organization, "", trend));
  const nlohmann::json profile = nlohmann::json::parse(reports::ProfileJson(*model_, data_[1], results_[1], nullptr));
  size_t compared = 0, with = 0;
  for (const auto& pp : profile["processes"])
    for (const auto& pa : pp["attributes"]) {
      if (pa["state"] != "rated") continue;
      for (const auto& tp : doc["processes"]) {
        if (tp["process"] != pp["process"]) continue;
        for (const auto& ta : tp["attributes"]) {
          if (ta["attribute"] != pa["attribute"]) continue;
          ASSERT_EQ(ta["values"].size(), ta["dispersions"].size());
          // The newest assessment's column is the profile's aggregate.
          EXPECT_EQ(pa.value("dispersion", nlohmann::json()), ta["dispersions"][1]) << pp["process"] << " "
                                                                                  << pa["attribute"];
          ++compared;
          if (!ta["dispersions"][1].is_null()) ++with;
        }
      }
    }
  EXPECT_GT(compared, 20u);
  EXPECT_GT(with, 0u) << "the example has aggregates of several instances";
  // The CSV gives the coefficient of variation and its band on attribute rows only.
  const std::string csv = reports::TrendCsv(data_[0].assessment.organization, "", trend);
  EXPECT_NE(csv.find(",NW-2026-01,2026-10-02,RES.1,PA2.2,yes,F,,,,,14.85,high\r\n"), std::string::npos) << csv;
}

TEST_F(TrendDataTest, ProfileWithDispersionValidates) {
  const std::string text = reports::ProfileJson(*model_, data_[1], results_[1], nullptr);
  ExpectValid("profile", text);
  const nlohmann::json doc = nlohmann::json::parse(text);
  size_t with = 0;
  for (const auto& p : doc["processes"])
    for (const auto& a : p["attributes"])
      if (a.contains("dispersion")) {
        ++with;
        EXPECT_GE(a["dispersion"]["values"].get<int>(), 2);
      }
  EXPECT_GT(with, 10u);
}

TEST_F(TrendDataTest, PortfolioJsonValidatesCsvAndSvgSayTheSame) {
  // A second organization: the 2026 assessment renamed.
  AssessmentData other = data_[0];
  other.assessment.id = "OTHER-1";
  other.assessment.organization = "Other <Org> & \"Sons\"";
  const Portfolio p = ComputePortfolio({{&data_[1], &results_[1]}, {&other, &results_[0]}});
  const std::string json = reports::PortfolioJson(p);
  ExpectValid("portfolio", json);
  const nlohmann::json doc = nlohmann::json::parse(json);
  EXPECT_EQ(doc["organizations"].size(), 2u);
  EXPECT_EQ(doc["organizations"][0]["assessment"], "NW-2027-01");
  const std::string csv = reports::PortfolioCsv(p);
  EXPECT_NE(csv.find("NW-2027-01,2027-10-01,SAS.1,Service availability management,yes,1,2,1\r\n"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("OTHER-1,2026-10-02,SAS.1,Service availability management,no,,,\r\n"), std::string::npos);
  const std::string svg = reports::PortfolioSvg(p);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("Other &lt;Org&gt; &amp; &quot;Sons&quot;"), std::string::npos) << "user text escaped";
  EXPECT_EQ(svg.find("<Org>"), std::string::npos);
  EXPECT_NE(svg.find(">1/2</text>"), std::string::npos);
  const Trend trend = ComputeTrend({{&data_[0], &results_[0]}, {&data_[1], &results_[1]}});
  const std::string tsvg = reports::TrendSvg("A <b>", trend);
  EXPECT_NE(tsvg.find("Capability trend: A &lt;b&gt;"), std::string::npos);
  EXPECT_NE(tsvg.find(">regressed</text>"), std::string::npos);
  EXPECT_NE(tsvg.find("stroke=\"#2E7D4F\""), std::string::npos) << "an improved segment";
}

}  // namespace
}  // namespace assay
