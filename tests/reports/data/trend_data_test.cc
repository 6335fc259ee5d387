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
#include "assay/model_library.h"
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
  EXPECT_NE(csv.find(",NW-2027-01,2027-10-01,SMS.4,,yes,,1,2,1,regressed\r\n"), std::string::npos) << csv;
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

}  // namespace
}  // namespace assay
