// Loader tests: every semantic error class with its exact message, syntax
// errors with line:column, schema errors with JSON pointers, and a broken
// pack reporting several problems at once.
#include "assay/model.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "assay/model_graph.h"
#include "test_util.h"

namespace assay {
namespace {

using nlohmann::json;
using testing::TempDir;

json MiniFramework() {
  return json::parse(R"({
    "format": "assay-model/1", "kind": "framework", "id": "fw", "version": "1.0.0",
    "title": "Mini framework", "follows": ["test"],
    "scales": {
      "standard": [
        {"value": "N", "name": "Not", "lower": 0, "upper": 15},
        {"value": "P", "name": "Partly", "lower": 15, "upper": 50},
        {"value": "L", "name": "Largely", "lower": 50, "upper": 85},
        {"value": "F", "name": "Fully", "lower": 85, "upper": 100}],
      "refined": [
        {"value": "N", "name": "Not", "lower": 0, "upper": 15},
        {"value": "P-", "name": "P low", "lower": 15, "upper": 32.5, "folds_to": "P"},
        {"value": "P+", "name": "P high", "lower": 32.5, "upper": 50, "folds_to": "P"},
        {"value": "L-", "name": "L low", "lower": 50, "upper": 67.5, "folds_to": "L"},
        {"value": "L+", "name": "L high", "lower": 67.5, "upper": 85, "folds_to": "L"},
        {"value": "F", "name": "Fully", "lower": 85, "upper": 100}]
    },
    "levels": [{"number": 0, "name": "Incomplete"}, {"number": 1, "name": "Performed"},
               {"number": 2, "name": "Managed"}],
    "attributes": [
      {"id": "PA1.1", "level": 1, "name": "Performance", "achievements": [{"id": "PA1.1.a", "text": "done"}]},
      {"id": "PA2.1", "level": 2, "name": "Management", "achievements": [
        {"id": "PA2.1.a", "text": "planned"}, {"id": "PA2.1.b", "text": "monitored"}]}],
    "generic_practices": [
      {"id": "GP1.1.1", "attribute": "PA1.1", "name": "Achieve", "supports": ["PA1.1.a"]},
      {"id": "GP2.1.1", "attribute": "PA2.1", "name": "Plan", "supports": ["PA2.1.a"]},
      {"id": "GP2.1.2", "attribute": "PA2.1", "name": "Monitor", "supports": ["PA2.1.b"]}]
  })");
}

json MiniPam() {
  return json::parse(R"({
    "format": "assay-model/1", "kind": "pam", "id": "pam", "version": "1.0.0",
    "title": "Mini PAM", "follows": ["test"], "framework": {"id": "fw", "version": "1.0.0"},
    "groups": [{"id": "RES", "name": "Resolution"}],
    "processes": [
      {"id": "RES.1", "name": "Incidents", "group": "RES", "purpose": "Restore service.",
       "outcomes": [{"id": "RES.1.O1", "text": "recorded"}, {"id": "RES.1.O2", "text": "resolved"}],
       "base_practices": [
         {"id": "RES.1.BP1", "name": "Record", "supports": ["RES.1.O1"]},
         {"id": "RES.1.BP2", "name": "Resolve", "supports": ["RES.1.O2"]}],
       "work_products": [{"id": "RES.1.WP1", "name": "Record", "supports": ["RES.1.O1", "RES.1.O2"]}]},
      {"id": "RES.2", "name": "Requests", "group": "RES", "purpose": "Fulfil requests.",
       "outcomes": [{"id": "RES.2.O1", "text": "fulfilled"}],
       "base_practices": [{"id": "RES.2.BP1", "name": "Fulfil", "supports": ["RES.2.O1"]}],
       "work_products": []}],
    "maturity": {"id": "mm", "name": "Maturity", "rule": "staged", "levels": [
      {"level": 1, "name": "Basic", "processes": ["RES.1"]},
      {"level": 2, "name": "Managed", "processes": [], "all_other_processes": true}]},
    "reason_codes": [{"id": "RC.X", "text": "reason"}],
    "rules": [
      {"id": "RL.1", "type": "not_above", "subject": {"indicator": "GP2.1.2"},
       "reference": {"indicator": "GP2.1.1"}, "statement": "monitor no better than plan"},
      {"id": "RL.2", "type": "cap", "subject": {"indicator": "RES.1.BP2"}, "value": "L",
       "when_reason": "RC.X", "statement": "cap"}]
  })");
}

struct LoadCase {
  const char* name;
  std::function<void(json& fw, json& pam)> mutate;
  std::vector<std::string> expected;  // diagnostics, with the file names "fw.json" / "pam.json"
};

void PrintTo(const LoadCase& c, std::ostream* os) { *os << c.name; }

class ModelLibraryTest : public ::testing::TestWithParam<LoadCase> {};

// Writes both packs, checks both, and returns every diagnostic with the
// directory stripped from file names.
std::vector<std::string> CheckPacks(const json& fw, const json& pam) {
  TempDir dir;
  std::string fw_path = dir.Write("fw.json", fw.dump(2));
  std::string pam_path = dir.Write("pam.json", pam.dump(2));
  ModelLibrary library(std::vector<std::string>{});
  std::vector<Diagnostic> diags;
  PackInfo info;
  std::vector<std::string> files = {fw_path, pam_path};
  for (const std::string& f : files) (void)library.CheckFile(f, files, &info, &diags);
  std::vector<std::string> out;
  for (Diagnostic d : diags) {
    d.file = d.file.substr(d.file.rfind('/') + 1);
    std::string text = d.ToString();
    for (size_t at; (at = text.find(dir.path() + "/")) != std::string::npos;)
      text.erase(at, dir.path().size() + 1);
    out.push_back(text);
  }
  return out;
}

TEST_P(ModelLibraryTest, ReportsExactly) {
  json fw = MiniFramework(), pam = MiniPam();
  GetParam().mutate(fw, pam);
  EXPECT_EQ(CheckPacks(fw, pam), GetParam().expected);
}

const LoadCase kCases[] = {
    {"Valid", [](json&, json&) {}, {}},
    {"DuplicateId",
     [](json&, json& p) { p["processes"][1]["outcomes"][0]["id"] = "RES.1.O1"; },
     {"pam.json: /processes/1/outcomes/0/id: duplicate ID 'RES.1.O1' (first defined at /processes/0/outcomes/0)",
      "pam.json: /processes/1/base_practices/0/supports/0: unknown outcome of RES.2 'RES.2.O1'; nearest: RES.1.O1",
      "pam.json: /processes/1/outcomes/0: outcome 'RES.1.O1' is supported by no base practice"}},
    {"IdClashesWithFramework",
     [](json&, json& p) { p["groups"][0]["id"] = "PA1.1"; p["processes"][0]["group"] = "PA1.1";
                          p["processes"][1]["group"] = "PA1.1"; },
     {"pam.json: /groups/0/id: duplicate ID 'PA1.1' (first defined at (framework fw))"}},
    {"UnknownGroup",
     [](json&, json& p) { p["processes"][1]["group"] = "RSE"; },
     {"pam.json: /processes/1/group: unknown process group 'RSE'; nearest: RES"}},
    {"UnknownOutcome",
     [](json&, json& p) { p["processes"][0]["base_practices"][1]["supports"][0] = "RES.1.O3"; },
     {"pam.json: /processes/0/base_practices/1/supports/0: unknown outcome of RES.1 'RES.1.O3'; nearest: "
      "RES.1.O1, RES.1.O2",
      "pam.json: /processes/0/outcomes/1: outcome 'RES.1.O2' is supported by no base practice"}},
    {"OutcomeOfOtherProcess",
     [](json&, json& p) { p["processes"][1]["base_practices"][0]["supports"].push_back("RES.1.O1"); },
     {"pam.json: /processes/1/base_practices/0/supports/1: unknown outcome of RES.2 'RES.1.O1'; nearest: RES.2.O1"}},
    {"OutcomeWithoutBasePractice",
     [](json&, json& p) { p["processes"][0]["outcomes"].push_back({{"id", "RES.1.O3"}, {"text", "closed"}}); },
     {"pam.json: /processes/0/outcomes/2: outcome 'RES.1.O3' is supported by no base practice"}},
    {"AchievementWithoutGenericPractice",
     [](json& f, json&) { f["generic_practices"].erase(2); },
     {"fw.json: /attributes/1/achievements/1: achievement 'PA2.1.b' is supported by no generic practice",
      "pam.json: /framework: framework pack fw.json is invalid (1 problems; check that pack on its own)"}},
    {"GenericPracticeUnknownAttribute",
     [](json& f, json&) { f["generic_practices"].push_back(
         {{"id", "GP2.2.1"}, {"attribute", "PA2.2"}, {"name", "x"}, {"supports", {"PA2.2.a"}}}); },
     {"fw.json: /generic_practices/3/attribute: unknown process attribute 'PA2.2'; nearest: PA2.1, PA1.1",
      "pam.json: /framework: framework pack fw.json is invalid (1 problems; check that pack on its own)"}},
    {"GenericPracticeOtherAttribute",
     [](json& f, json&) { f["generic_practices"][0]["supports"][0] = "PA2.1.a"; f["generic_practices"].push_back(
         {{"id", "GP1.1.2"}, {"attribute", "PA1.1"}, {"name", "x"}, {"supports", {"PA1.1.a"}}}); },
     {"fw.json: /generic_practices/0/supports/0: 'PA2.1.a' is an achievement of another attribute, not of "
      "'PA1.1'; nearest: PA1.1.a",
      "pam.json: /framework: framework pack fw.json is invalid (1 problems; check that pack on its own)"}},
    {"LevelsNotContiguous",
     [](json& f, json&) { f["levels"][2]["number"] = 3; f["attributes"][1]["level"] = 3; },
     {"fw.json: /levels/2/number: capability levels must run 0, 1, 2, ... without gaps: expected 2, got 3",
      "pam.json: /framework: framework pack fw.json is invalid (1 problems; check that pack on its own)"}},
    {"LevelWithoutAttribute",
     [](json& f, json&) { f["levels"].push_back({{"number", 3}, {"name", "Established"}}); },
     {"fw.json: /levels/3: capability level 3 has no process attribute",
      "pam.json: /framework: framework pack fw.json is invalid (1 problems; check that pack on its own)"}},
    {"ScaleGap",
     [](json& f, json&) { f["scales"]["standard"][2]["lower"] = 55; },
     {"fw.json: /scales/standard/2/lower: gap between bands 'P' and 'L': expected lower 50.000000, got 55.000000",
      "pam.json: /framework: framework pack fw.json is invalid (1 problems; check that pack on its own)"}},
    {"ScaleOverlap",
     [](json& f, json&) { f["scales"]["refined"][2]["lower"] = 30; },
     {"fw.json: /scales/refined/2/lower: overlap between bands 'P-' and 'P+': expected lower 32.500000, got "
      "30.000000",
      "pam.json: /framework: framework pack fw.json is invalid (1 problems; check that pack on its own)"}},
    {"ScaleDoesNotCover100",
     [](json& f, json&) { f["scales"]["standard"][3]["upper"] = 99; },
     {"fw.json: /scales/standard/3/upper: the last band must end at 100, not 99.000000",
      "pam.json: /framework: framework pack fw.json is invalid (1 problems; check that pack on its own)"}},
    {"RefinedFoldWrong",
     [](json& f, json&) { f["scales"]["refined"][3]["folds_to"] = "P"; },
     {"fw.json: /scales/refined/3/folds_to: refined value 'L-' must fold to 'L'",
      "pam.json: /framework: framework pack fw.json is invalid (1 problems; check that pack on its own)"}},
    {"FrameworkNotFound",
     [](json&, json& p) { p["framework"]["id"] = "fx"; },
     {"pam.json: /framework: framework fx@1.0.0 not found; nearest: fw@1.0.0"}},
    {"MaturityUnknownProcess",
     [](json&, json& p) { p["maturity"]["levels"][0]["processes"].push_back("RES.3"); },
     {"pam.json: /maturity/levels/0/processes/1: unknown process 'RES.3'; nearest: RES.1, RES.2"}},
    {"MaturityLevelGap",
     [](json&, json& p) { p["maturity"]["levels"][1]["level"] = 3; },
     {"pam.json: /maturity/levels/1/level: maturity levels must run 1, 2, 3, ... without gaps: expected 2, got 3"}},
    {"MaturityDuplicate",
     [](json&, json& p) { p["maturity"]["levels"][0]["processes"].push_back("RES.1"); },
     {"pam.json: /maturity/levels/0/processes/1: process 'RES.1' is named twice in this maturity level (also at "
      "/maturity/levels/0/processes/0)"}},
    {"RuleUnknownIndicator",
     [](json&, json& p) { p["rules"][0]["reference"]["indicator"] = "GP2.1.9"; },
     {"pam.json: /rules/0/reference/indicator: unknown indicator 'GP2.1.9'; nearest: GP2.1.1, GP2.1.2, GP1.1.1"}},
    {"RuleComparesWithItself",
     [](json&, json& p) { p["rules"][0]["reference"]["indicator"] = "GP2.1.2"; },
     {"pam.json: /rules/0/reference: rule 'RL.1' compares 'GP2.1.2' with itself"}},
    {"RuleUnknownReason",
     [](json&, json& p) { p["rules"][1]["when_reason"] = "RC.Y"; },
     {"pam.json: /rules/1/when_reason: unknown reason code 'RC.Y'; nearest: RC.X"}},
    {"RuleCycle",
     [](json&, json& p) {
       p["rules"].push_back({{"id", "RL.3"}, {"type", "not_above"}, {"subject", {{"indicator", "GP2.1.1"}}},
                             {"reference", {{"indicator", "GP1.1.1"}}}, {"statement", "s"}});
       p["rules"].push_back({{"id", "RL.4"}, {"type", "not_above"}, {"subject", {{"indicator", "GP1.1.1"}}},
                             {"reference", {{"indicator", "GP2.1.2"}}}, {"statement", "s"}});
     },
     {"pam.json: /rules/0: rules form a cycle: GP2.1.1 <= GP1.1.1 <= GP2.1.2 <= GP2.1.1"}},
    {"SchemaWrongType",
     [](json&, json& p) { p["processes"][0]["outcomes"] = "none"; },
     {"pam.json: /processes/0/outcomes: Value type not permitted by 'type' constraint."}},
    {"SchemaMissingProperty",
     [](json&, json& p) { p["processes"][1].erase("purpose"); },
     {"pam.json: /processes/1: Missing required property 'purpose'."}},
    // Issue 20: a property of the wrong type no longer hides the missing
    // properties of the same object, and every unknown property is named.
    {"Issue20WrongTypeBesideMissingProperties",
     [](json&, json& p) { p["processes"] = "RES.1"; p.erase("groups"); p.erase("title"); },
     {"pam.json: /: Missing required property 'groups'.",
      "pam.json: /processes: Value type not permitted by 'type' constraint.",
      "pam.json: /: Missing required property 'title'."}},
    {"Issue20EveryUnknownProperty",
     [](json&, json& p) { p["processes"][1]["justfication"] = "x"; p["processes"][1]["colour"] = "blue"; },
     {"pam.json: /processes/1: Object contains a property that could not be validated using 'properties' or "
      "'additionalProperties' constraints: 'colour'.",
      "pam.json: /processes/1: Object contains a property that could not be validated using 'properties' or "
      "'additionalProperties' constraints: 'justfication'."}},
};

INSTANTIATE_TEST_SUITE_P(Cases, ModelLibraryTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<LoadCase>& p) { return p.param.name; });

TEST(ModelLibrary, BrokenPackReportsSeveralProblemsAtOnce) {
  json fw = MiniFramework(), pam = MiniPam();
  pam["processes"][1]["group"] = "RSE";
  pam["processes"][0]["base_practices"][0]["supports"][0] = "RES.1.O9";
  pam["maturity"]["levels"][0]["processes"][0] = "RES.9";
  pam["rules"][1]["value"] = "X";  // schema: not a scale value
  std::vector<std::string> got = CheckPacks(fw, pam);
  // The schema problem is reported; semantic checks run on schema-valid packs.
  ASSERT_EQ(got.size(), 1u) << ::testing::PrintToString(got);
  pam["rules"][1]["value"] = "P";
  got = CheckPacks(fw, pam);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "pam.json: /processes/0/base_practices/0/supports/0: unknown outcome of RES.1 'RES.1.O9'; "
                     "nearest: RES.1.O1, RES.1.O2",
                     "pam.json: /processes/0/outcomes/0: outcome 'RES.1.O1' is supported by no base practice",
                     "pam.json: /processes/1/group: unknown process group 'RSE'; nearest: RES",
                     "pam.json: /maturity/levels/0/processes/0: unknown process 'RES.9'; nearest: RES.1, RES.2",
                 }));
}

// Issue 20: problems are capped; the last line says how many more there are.
TEST(ModelLibrary, Issue20ProblemsAreCapped) {
  json fw = MiniFramework(), pam = MiniPam();
  for (int i = 0; i < 30; ++i) pam["processes"][0]["x" + std::to_string(100 + i)] = i;
  std::vector<std::string> got = CheckPacks(fw, pam);
  EXPECT_EQ(30u, got.size());
  for (int i = 0; i < 130; ++i) pam["processes"][1]["y" + std::to_string(100 + i)] = i;
  got = CheckPacks(fw, pam);
  ASSERT_EQ(101u, got.size());
  EXPECT_EQ("pam.json: more problems not shown (the first 100 are listed)", got.back());
}

struct SyntaxCase {
  const char* name;
  std::string text;
  std::string expected;
};

void PrintTo(const SyntaxCase& c, std::ostream* os) { *os << c.name; }

class ModelSyntaxTest : public ::testing::TestWithParam<SyntaxCase> {};

TEST_P(ModelSyntaxTest, NamesThePlace) {
  TempDir dir;
  std::string path = dir.Write("bad.json", GetParam().text);
  ModelLibrary library(std::vector<std::string>{});
  std::vector<Diagnostic> diags;
  PackInfo info;
  Status s = library.CheckFile(path, {}, &info, &diags);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  ASSERT_EQ(diags.size(), 1u);
  Diagnostic d = diags[0];
  d.file = "bad.json";
  EXPECT_EQ(d.ToString(), GetParam().expected);
}

const SyntaxCase kSyntaxCases[] = {
    {"MissingComma", "{\n  \"format\": \"assay-model/1\"\n  \"kind\": \"pam\"\n}",
     "bad.json:3:8: syntax error: unexpected string literal; expected '}'"},
    {"Truncated", "{\n  \"id\": \"x\",\n  \"processes\": [",
     "bad.json:3:16: syntax error: unexpected end of input; expected '[', '{', or a literal"},
    {"Empty", "", "bad.json:1:1: syntax error: unexpected end of input; expected '[', '{', or a literal"},
    {"DuplicateKey", "{\"id\": \"a\", \"groups\": [{\"id\": \"x\", \"id\": \"y\"}]}",
     "bad.json: /groups/0/id: duplicate key \"id\" in one object"},
    {"TooDeep", std::string(100, '[') + std::string(100, ']'), "bad.json: /0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0: nesting deeper than 64 levels"},
    {"Utf16", std::string("\xFF\xFE{\0}\0", 6), "bad.json:1:1: file is UTF-16; assay reads UTF-8 only"},
    {"InvalidUtf8", "{\"id\": \"\xC3\x28\"}",
     "bad.json:1:10: syntax error: invalid string: ill-formed UTF-8 byte; last read: '\"\\xC3('"},
    {"NotAnObject", "[1, 2]", "bad.json: /: expected a JSON object (a model pack), got array"},
};

INSTANTIATE_TEST_SUITE_P(Cases, ModelSyntaxTest, ::testing::ValuesIn(kSyntaxCases),
                         [](const ::testing::TestParamInfo<SyntaxCase>& p) { return p.param.name; });

TEST(ModelLibrary, MissingFileIsReported) {
  ModelLibrary library(std::vector<std::string>{});
  std::vector<Diagnostic> diags;
  PackInfo info;
  EXPECT_FALSE(library.CheckFile("/nonexistent/x.json", {}, &info, &diags).ok());
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].ToString(), "/nonexistent/x.json: cannot open file");
}

TEST(ModelLibrary, BundledPacksLoad) {
  ModelLibrary library;
  ASSERT_OK(library.Scan());
  EXPECT_TRUE(library.problems().empty()) << library.problems().front().ToString();
  std::shared_ptr<const Model> model;
  std::vector<Diagnostic> diags;
  ASSERT_OK(library.Load("itsm-20000", "", &model, &diags));
  EXPECT_GE(model->processes().size(), 25u);
  EXPECT_EQ(model->framework().info.id, "mf-33020");
  EXPECT_EQ(model->framework().attributes.size(), 9u);
  EXPECT_EQ(model->hash().size(), 64u);
  for (const Process& p : model->processes()) {
    EXPECT_GE(p.outcomes.size(), 3u) << p.id;
    EXPECT_LE(p.outcomes.size(), 8u) << p.id;
  }
  ASSERT_TRUE(model->maturity().has_value());
  EXPECT_OK(library.Load("mf-15504-2", "", &model, &diags));
  EXPECT_EQ(model->framework().levels.back().name, "Optimizing");
}

TEST(ModelLibrary, UnknownModelSuggestsNearest) {
  ModelLibrary library;
  ASSERT_OK(library.Scan());
  std::shared_ptr<const Model> model;
  std::vector<Diagnostic> diags;
  Status s = library.Load("itsm-2000", "", &model, &diags);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), "model 'itsm-2000' not found; nearest: itsm-20000");
  s = library.Load("itsm-20000", "9.9.9", &model, &diags);
  EXPECT_EQ(s.message(), "model itsm-20000@9.9.9 not found; available versions: 1.0.0");
}

TEST(ModelLibrary, ContentHashIgnoresFormatting) {
  json fw = MiniFramework();
  TempDir dir;
  std::string a = dir.Write("a.json", fw.dump());
  std::string b = dir.Write("b.json", fw.dump(4));
  ModelLibrary library(std::vector<std::string>{});
  std::vector<Diagnostic> diags;
  PackInfo ia, ib;
  ASSERT_OK(library.CheckFile(a, {}, &ia, &diags));
  ASSERT_OK(library.CheckFile(b, {}, &ib, &diags));
  EXPECT_EQ(ia.sha256, ib.sha256);
  fw["title"] = "Changed";
  std::string c = dir.Write("c.json", fw.dump());
  PackInfo ic;
  ASSERT_OK(library.CheckFile(c, {}, &ic, &diags));
  EXPECT_NE(ia.sha256, ic.sha256);
}

// A pack is parsed and validated once per process and content: an edit
// between two checks, even one that keeps the file's size, is seen.
TEST(ModelLibrary, EditedPackIsReadAgain) {
  json fw = MiniFramework(), pam = MiniPam();
  TempDir dir;
  const std::string fw_path = dir.Write("fw.json", fw.dump(2));
  const std::string pam_path = dir.Write("pam.json", pam.dump(2));
  const std::vector<std::string> files = {fw_path, pam_path};
  ModelLibrary library(std::vector<std::string>{});
  std::vector<Diagnostic> diags;
  PackInfo first, again, edited;
  ASSERT_OK(library.CheckFile(pam_path, files, &first, &diags));
  ASSERT_OK(library.CheckFile(pam_path, files, &again, &diags));
  EXPECT_EQ(first.sha256, again.sha256);
  EXPECT_EQ("Mini PAM", again.title);

  pam["title"] = "Mini PAX";  // same size
  ASSERT_EQ(pam.dump(2).size(), MiniPam().dump(2).size());
  dir.Write("pam.json", pam.dump(2));
  ASSERT_OK(library.CheckFile(pam_path, files, &edited, &diags));
  EXPECT_EQ("Mini PAX", edited.title);
  EXPECT_NE(first.sha256, edited.sha256);

  // The framework breaks (same size): the PAM that uses it is refused, with
  // the framework's problem named once it is checked itself.
  fw["attributes"][1]["level"] = 7;
  dir.Write("fw.json", fw.dump(2));
  PackInfo info;
  EXPECT_EQ(Status::Code::kInvalidInput, library.CheckFile(pam_path, files, &info, &diags).code());
  diags.clear();
  EXPECT_EQ(Status::Code::kInvalidInput, library.CheckFile(fw_path, files, &info, &diags).code());
  EXPECT_FALSE(diags.empty());

  // Restored: valid again, with the first hash.
  dir.Write("fw.json", MiniFramework().dump(2));
  dir.Write("pam.json", MiniPam().dump(2));
  diags.clear();
  ASSERT_OK(library.CheckFile(pam_path, files, &info, &diags));
  EXPECT_TRUE(diags.empty());
  EXPECT_EQ(first.sha256, info.sha256);
}

}  // namespace
}  // namespace assay
