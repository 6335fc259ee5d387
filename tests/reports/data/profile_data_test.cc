// The profile of the bundled example: JSON validates against
// schemas/profile.schema.json, and the JSON and CSV give the same levels.
#include "assay/reports/profile.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "assay/model_graph.h"
#include "assay/model.h"
#include "assay/store.h"
#include "util/json_input.h"
#include "test_util.h"

namespace assay {
namespace {

TEST(ProfileData, ExampleJsonValidatesAndMatchesCsv) {
  ModelLibrary library;
  ASSERT_OK(library.Scan());
  WorkspaceOptions options;
  options.resolve_model = LibraryResolver(&library);
  options.clock = [] { return std::string("2026-10-02T12:00:00Z"); };
  std::unique_ptr<Workspace> ws;
  ASSERT_OK(Workspace::Open(":memory:", options, &ws));
  std::ifstream in(testing::SourcePath("models/examples/northwind-2026.json"));
  std::stringstream text;
  text << in.rdbuf();
  ImportReport report;
  ASSERT_OK(ws->ImportText(text.str(), "northwind-2026.json", ImportOptions{}, &report));
  AssessmentData data;
  ASSERT_OK(ws->ReadSnapshot(report.assessment, &data));
  std::shared_ptr<const Model> model;
  std::vector<Diagnostic> diags;
  ASSERT_OK(library.Load(data.assessment.model_id, data.assessment.model_version, &model, &diags));
  ModelGraph graph(model);
  RatingResults results;
  ASSERT_OK(ComputeResults(*model, graph, data, &results));

  std::string json_text = reports::ProfileJson(*model, data, results, nullptr);
  nlohmann::json doc = nlohmann::json::parse(json_text);
  std::vector<Diagnostic> problems;
  EXPECT_TRUE(internal::ValidateSchema("profile", doc, "profile.json", &problems))
      << (problems.empty() ? "" : problems.front().ToString());

  std::map<std::string, std::string> json_levels, csv_levels;
  for (const auto& p : doc["processes"])
    json_levels[p["process"].get<std::string>()] =
        p["capability_level"].is_null() ? "" : std::to_string(p["capability_level"].get<int>());
  std::istringstream csv(reports::ProfileCsv(data, results, false));
  std::string line;
  std::getline(csv, line);  // header
  while (std::getline(csv, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    ASSERT_GE(cells.size(), 9u) << line;
    csv_levels[cells[1]] = cells[7];
  }
  EXPECT_EQ(json_levels, csv_levels);
  EXPECT_EQ(json_levels.size(), 11u);
  EXPECT_EQ(json_levels["RES.1"], "3");
  EXPECT_EQ(json_levels["RES.3"], "1");
  EXPECT_EQ(doc["maturity"]["level"], 1);
}

// Every location field of a finding is in the JSON, the rating's assessor
// included, in a fixed order.
TEST(ProfileData, ChecksJsonCarriesEveryLocationField) {
  AssessmentData data;
  data.assessment.id = "A-1";
  CheckReport report;
  CheckFinding f;
  f.check = "rater-not-on-team";
  f.severity = Severity::kError;
  f.process = "RES.1";
  f.instance = "RES.1/EU";
  f.item = "RES.1.BP1";
  f.assessor = "ann";
  f.rating = 42;
  f.message = "rating 42 (RES.1.BP1) by ann: ann is not on the team";
  report.findings.push_back(f);
  CheckFinding consolidated = f;
  consolidated.check = "evidence";
  consolidated.severity = Severity::kWarning;
  consolidated.assessor = "";
  report.findings.push_back(consolidated);

  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(reports::ChecksJson(data, report));
  EXPECT_EQ(doc["assessment"], "A-1");
  EXPECT_EQ(doc["passed"], false);
  EXPECT_EQ(doc["errors"], 1);
  ASSERT_EQ(doc["findings"].size(), 2u);
  const auto& first = doc["findings"][0];
  EXPECT_EQ(first["assessor"], "ann");
  EXPECT_EQ(first["rating"], 42);
  EXPECT_EQ(first["item"], "RES.1.BP1");
  std::vector<std::string> keys;
  for (const auto& [key, value] : first.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"check", "severity", "process", "instance", "item", "assessor", "rating",
                                            "evidence", "rule", "justification", "message"}));
  EXPECT_EQ(doc["findings"][1]["assessor"], "");  // consolidated: no assessor, but the field is there
  EXPECT_EQ(doc["findings"][1]["severity"], "warning");
}

}  // namespace
}  // namespace assay
