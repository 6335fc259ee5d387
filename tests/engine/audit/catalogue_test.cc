#include "assay/audit.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "assay/model.h"
#include "test_util.h"

namespace assay {
namespace {

using nlohmann::json;
using testing::SourcePath;
using testing::TempDir;

const char kBundled[] = "models/catalogues/iso20000-1-2018.json";

json BundledJson() {
  std::ifstream in(SourcePath(kBundled));
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

std::shared_ptr<const Catalogue> LoadBundled() {
  std::shared_ptr<const Catalogue> cat;
  std::vector<Diagnostic> diags;
  Status s = LoadCatalogueFile(SourcePath(kBundled), &cat, &diags);
  EXPECT_TRUE(s.ok()) << s.ToString() << (diags.empty() ? "" : "\n" + diags.front().ToString());
  return cat;
}

// The index of clause `number` in the bundled file.
size_t IndexOf(const json& doc, const std::string& number) {
  const json& clauses = doc.at("clauses");
  for (size_t i = 0; i < clauses.size(); ++i)
    if (clauses[i].at("number") == number) return i;
  ADD_FAILURE() << "no clause " << number;
  return 0;
}

TEST(Catalogue, BundledCatalogueLoads) {
  auto cat = LoadBundled();
  ASSERT_NE(cat, nullptr);
  EXPECT_EQ(cat->id, "iso20000-1-2018");
  EXPECT_EQ(cat->standard, "ISO/IEC 20000-1:2018");
  EXPECT_EQ(cat->model.id, "itsm-20000");
  EXPECT_EQ(cat->model.version, "1.0.0");
  EXPECT_EQ(cat->clauses.size(), 77u);
  EXPECT_EQ(cat->AuditableClauses().size(), 57u);
  EXPECT_EQ(cat->ClauseNumbers(true).size(), 57u);
  EXPECT_EQ(cat->sha256.size(), 64u);
  EXPECT_FALSE(cat->notice.empty());
  // Document order: 4 first, 10.2 last; clauses 4 to 10 are the top level.
  EXPECT_EQ(cat->clauses.front().number, "4");
  EXPECT_EQ(cat->clauses.back().number, "10.2");
  std::vector<std::string> top;
  for (const Clause& c : cat->clauses)
    if (c.depth() == 1) top.push_back(c.number);
  EXPECT_EQ(top, (std::vector<std::string>{"4", "5", "6", "7", "8", "9", "10"}));
  // Every auditable clause has a summary and at least one process.
  for (const Clause* c : cat->AuditableClauses()) {
    EXPECT_FALSE(c->summary.empty()) << c->number;
    EXPECT_FALSE(c->processes.empty()) << c->number;
  }
}

TEST(Catalogue, LookUps) {
  auto cat = LoadBundled();
  ASSERT_NE(cat, nullptr);
  const Clause* c = cat->FindClause("8.6.1");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->title, "Incident management");
  EXPECT_EQ(c->parent, "8.6");
  EXPECT_TRUE(c->auditable);
  EXPECT_EQ(c->depth(), 3);
  EXPECT_EQ(c->processes, (std::vector<std::string>{"RES.1"}));
  EXPECT_EQ(cat->FindClause("8.6.9"), nullptr);
  EXPECT_FALSE(cat->FindClause("8.5.1")->auditable);

  std::vector<std::string> children;
  for (const Clause* k : cat->Children("8.5.1")) children.push_back(k->number);
  EXPECT_EQ(children, (std::vector<std::string>{"8.5.1.1", "8.5.1.2", "8.5.1.3"}));

  std::vector<std::string> of_res1;
  for (const Clause* k : cat->ClausesOfProcess("RES.1")) of_res1.push_back(k->number);
  ASSERT_FALSE(of_res1.empty());
  EXPECT_EQ(of_res1.front(), "8.6.1");
  EXPECT_TRUE(cat->ClausesOfProcess("NOPE.1").empty());
}

TEST(Catalogue, LoadsByIdFromTheModelLibrarySearchDirs) {
  ModelLibrary library;
  std::shared_ptr<const Catalogue> cat;
  std::vector<Diagnostic> diags;
  ASSERT_OK(LoadCatalogue("iso20000-1-2018", library.search_dirs(), &cat, &diags));
  EXPECT_EQ(cat->clauses.size(), 77u);
  EXPECT_TRUE(diags.empty());

  Status s = LoadCatalogue("iso20000-1-2019", library.search_dirs(), &cat, &diags);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("catalogue 'iso20000-1-2019' not found in "), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("; nearest: iso20000-1-2018"), std::string::npos) << s.message();

  std::vector<std::string> listed = ListCatalogues(library.search_dirs());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].rfind("iso20000-1-2018@1.0.0 ", 0), 0u) << listed[0];
}

TEST(Catalogue, FirstDirectoryWinsAndHighestVersionWithinIt) {
  TempDir a, b;
  std::filesystem::create_directories(a.path() + "/catalogues");
  json doc = BundledJson();
  doc["version"] = "1.2.0";
  a.Write("catalogues/x-1.2.json", doc.dump());
  doc["version"] = "1.10.0";
  a.Write("catalogues/x-1.10.json", doc.dump());
  doc["version"] = "9.0.0";
  b.Write("cat.json", doc.dump());
  // Not a catalogue, not JSON: both ignored by the search.
  a.Write("model.json", "{\"kind\": \"pam\"}");
  a.Write("catalogues/broken.json", "{ not json");
  std::shared_ptr<const Catalogue> cat;
  std::vector<Diagnostic> diags;
  ASSERT_OK(LoadCatalogue("iso20000-1-2018", {a.path(), b.path()}, &cat, &diags));
  EXPECT_EQ(cat->version, "1.10.0");
  ASSERT_OK(LoadCatalogue("iso20000-1-2018", {b.path(), a.path()}, &cat, &diags));
  EXPECT_EQ(cat->version, "9.0.0");
  // A path is loaded directly.
  ASSERT_OK(LoadCatalogue(b.path() + "/cat.json", {}, &cat, &diags));
  EXPECT_EQ(cat->version, "9.0.0");
}

TEST(Catalogue, EveryLinkedProcessExistsInTheModelPack) {
  auto cat = LoadBundled();
  ASSERT_NE(cat, nullptr);
  ModelLibrary library;
  ASSERT_OK(library.Scan());
  std::shared_ptr<const Model> model;
  std::vector<Diagnostic> diags;
  ASSERT_OK(library.Load(cat->model.id, cat->model.version, &model, &diags));
  EXPECT_OK(CheckCatalogueAgainstModel(*cat, *model, &diags));
  EXPECT_TRUE(diags.empty());
  // And every process of the pack is behind at least one clause, so a
  // capability gap always shows against a clause.
  for (const Process& p : model->processes()) EXPECT_FALSE(cat->ClausesOfProcess(p.id).empty()) << p.id;
}

TEST(Catalogue, UnknownProcessIsNamedWithItsPointerAndNearestIds) {
  json doc = BundledJson();
  size_t i = IndexOf(doc, "8.6.1");
  doc["clauses"][i]["processes"][0] = "RES.9";
  TempDir dir;
  std::string path = dir.Write("cat.json", doc.dump(2));
  std::shared_ptr<const Catalogue> cat;
  std::vector<Diagnostic> diags;
  ASSERT_OK(LoadCatalogueFile(path, &cat, &diags));  // structurally fine
  ModelLibrary library;
  ASSERT_OK(library.Scan());
  std::shared_ptr<const Model> model;
  ASSERT_OK(library.Load("itsm-20000", "", &model, &diags));
  Status s = CheckCatalogueAgainstModel(*cat, *model, &diags);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.message(), path + ": catalogue does not match model itsm-20000@1.0.0 (1 problem)");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].ToString(), path + ": /clauses/" + std::to_string(i) +
                                     "/processes/0: unknown process 'RES.9' in itsm-20000@1.0.0; nearest: "
                                     "RES.1, RES.2, RES.3");
}

TEST(Catalogue, WrongModelIsReported) {
  auto cat = LoadBundled();
  ASSERT_NE(cat, nullptr);
  ModelLibrary library;
  ASSERT_OK(library.Scan());
  std::shared_ptr<const Model> model;
  std::vector<Diagnostic> diags;
  ASSERT_OK(library.Load("mf-33020", "", &model, &diags));
  EXPECT_FALSE(CheckCatalogueAgainstModel(*cat, *model, &diags).ok());
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags[0].pointer, "/model");
  EXPECT_NE(diags[0].message.find("the catalogue links processes of itsm-20000@1.0.0, not of mf-33020@"),
            std::string::npos)
      << diags[0].message;
}

TEST(Catalogue, UnknownClauseSuggestsNearestByNumbering) {
  auto cat = LoadBundled();
  ASSERT_NE(cat, nullptr);
  struct Case {
    const char* number;
    const char* message;
  } cases[] = {
      {"8.9.9", "unknown clause '8.9.9' in catalogue iso20000-1-2018; nearest: 8.7.1, 8.7.2, 8.7.3.3"},
      {"8.51", "unknown clause '8.51' in catalogue iso20000-1-2018; nearest: 8.5.1.1, 8.5.1.2, 8.5.1.3"},
      {"8.6.4", "unknown clause '8.6.4' in catalogue iso20000-1-2018; nearest: 8.6.1, 8.6.2, 8.6.3"},
      {"11", "unknown clause '11' in catalogue iso20000-1-2018; nearest: 9.4, 10.1, 10.2"},
      {"9.5", "unknown clause '9.5' in catalogue iso20000-1-2018; nearest: 9.2, 9.3, 9.4"},
      {"x", "unknown clause 'x' in catalogue iso20000-1-2018; nearest: 4.1, 4.2, 4.3"},
  };
  for (const Case& c : cases) {
    Status s = cat->CheckClause(c.number);
    EXPECT_EQ(s.code(), Status::Code::kNotFound) << c.number;
    EXPECT_EQ(s.message(), c.message);
    EXPECT_EQ(cat->CheckAuditableClause(c.number).message(), c.message);
  }
  EXPECT_OK(cat->CheckClause("8.5.1"));
  EXPECT_OK(cat->CheckAuditableClause("8.5.1.3"));
  // The dots-only variant wins over everything else.
  ASSERT_FALSE(cat->NearestClauses("851").empty());
  EXPECT_EQ(cat->NearestClauses("851", false, 1), (std::vector<std::string>{"8.5.1"}));
  EXPECT_EQ(cat->NearestClauses("8.5.1", false, 1), (std::vector<std::string>{"8.5.1.1"}));
}

TEST(Catalogue, HeadingIsNotAuditable) {
  auto cat = LoadBundled();
  ASSERT_NE(cat, nullptr);
  Status s = cat->CheckAuditableClause("8.5.1");
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.message(),
            "clause 8.5.1 (Change management) is a heading, not an auditable clause; use one of 8.5.1.1, "
            "8.5.1.2, 8.5.1.3");
  s = cat->CheckAuditableClause("8.7");
  EXPECT_EQ(s.message(),
            "clause 8.7 (Service assurance) is a heading, not an auditable clause; use one of 8.7.1, 8.7.2, "
            "8.7.3.1, 8.7.3.2, 8.7.3.3");
}

// A bad catalogue file: a change to the bundled document and the exact
// diagnostics it must give ("{i:NUMBER}" stands for the index of a clause).
struct BadCase {
  const char* name;
  std::function<void(json&)> mutate;
  std::vector<std::string> expected;  // "POINTER: message", in order
};

std::string Expand(const std::string& text, const json& doc) {
  std::string out = text;
  for (size_t p = out.find("{i:"); p != std::string::npos; p = out.find("{i:")) {
    size_t end = out.find('}', p);
    std::string number = out.substr(p + 3, end - p - 3);
    out.replace(p, end - p + 1, std::to_string(IndexOf(doc, number)));
  }
  return out;
}

class BadCatalogueTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadCatalogueTest, ReportsExactly) {
  const BadCase& c = GetParam();
  json original = BundledJson();
  json doc = original;
  c.mutate(doc);
  TempDir dir;
  std::string path = dir.Write("bad.json", doc.dump(2));
  std::shared_ptr<const Catalogue> cat;
  std::vector<Diagnostic> diags;
  Status s = LoadCatalogueFile(path, &cat, &diags);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << s.ToString();
  EXPECT_EQ(cat, nullptr);
  std::vector<std::string> got;
  for (const Diagnostic& d : diags) {
    EXPECT_EQ(d.file, path);
    got.push_back(d.pointer + ": " + d.message);
  }
  std::vector<std::string> want;
  for (const std::string& e : c.expected) want.push_back(Expand(e, original));
  EXPECT_EQ(got, want);
  EXPECT_EQ(s.message(), path + ": invalid requirement catalogue (" + std::to_string(want.size()) +
                             (want.size() == 1 ? " problem)" : " problems)"));
}

const BadCase kBadCases[] = {
    {"DuplicateNumber",
     [](json& d) { d["clauses"][IndexOf(d, "4.2")]["number"] = "4.1"; },
     {"/clauses/{i:4.2}/number: duplicate clause number '4.1' (first at /clauses/{i:4.1})"}},
    {"ParentDoesNotEnclose",
     [](json& d) { d["clauses"][IndexOf(d, "8.6.1")]["parent"] = "8.5"; },
     {"/clauses/{i:8.6.1}/parent: parent '8.5' does not enclose clause '8.6.1' (expected '8.6')"}},
    {"ParentDefinedLater",
     [](json& d) {
       json& cl = d["clauses"];
       size_t i = IndexOf(d, "9");
       cl[i]["number"] = "9.0";
       cl[i]["parent"] = "9";
       cl[i]["auditable"] = true;
       cl[i]["processes"] = json::array({"SMS.7"});
     },
     {"/clauses/{i:9}/parent: parent clause '9' of '9.0' is not defined before it",
      "/clauses/{i:9.1}/parent: parent clause '9' of '9.1' is not defined before it",
      "/clauses/{i:9.2}/parent: parent clause '9' of '9.2' is not defined before it",
      "/clauses/{i:9.3}/parent: parent clause '9' of '9.3' is not defined before it",
      "/clauses/{i:9.4}/parent: parent clause '9' of '9.4' is not defined before it"}},
    {"OutOfOrder",
     [](json& d) {
       json& cl = d["clauses"];
       std::swap(cl[IndexOf(d, "9.3")], cl[IndexOf(d, "9.4")]);
     },
     {"/clauses/{i:9.4}/number: clause '9.3' is out of document order: it follows '9.4'"}},
    {"HeadingWithoutSubClauses",
     [](json& d) {
       json& cl = d["clauses"];
       size_t i = IndexOf(d, "10.2");
       cl.erase(i);
       cl.erase(IndexOf(d, "10.1"));
     },
     {"/clauses/{i:10}/auditable: clause '10' is not auditable but has no sub-clauses; its requirements would "
      "be audited nowhere"}},
    {"AuditableWithoutProcesses",
     [](json& d) { d["clauses"][IndexOf(d, "7.1")]["processes"] = json::array(); },
     {"/clauses/{i:7.1}/processes: Array should contain no fewer than 1 elements."}},
    {"BadClauseNumber",
     [](json& d) { d["clauses"][IndexOf(d, "7.2")]["number"] = "7.two"; },
     {"/clauses/{i:7.2}/number: Failed to match regex specified by 'pattern' constraint."}},
    {"WrongFormat",
     [](json& d) { d["format"] = "assay-catalogue/2"; },
     {"/format: Failed to match expected value set by 'const' constraint."}},
    {"MissingTitle",
     [](json& d) { d["clauses"][IndexOf(d, "5.1")].erase("title"); },
     {"/clauses/{i:5.1}: Missing required property 'title'."}},
};

INSTANTIATE_TEST_SUITE_P(Cases, BadCatalogueTest, ::testing::ValuesIn(kBadCases),
                         [](const ::testing::TestParamInfo<BadCase>& param_info) {
                           return std::string(param_info.param.name);
                         });

TEST(Catalogue, SyntaxErrorNamesLineAndColumn) {
  TempDir dir;
  std::string path = dir.Write("bad.json", "{\n  \"format\": \"assay-catalogue/1\",\n  \"id\": ]\n}\n");
  std::shared_ptr<const Catalogue> cat;
  std::vector<Diagnostic> diags;
  Status s = LoadCatalogueFile(path, &cat, &diags);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].line, 3);
  EXPECT_EQ(diags[0].ToString().rfind(path + ":3:", 0), 0u) << diags[0].ToString();
}

TEST(Catalogue, NotAnObjectAndMissingFile) {
  TempDir dir;
  std::string path = dir.Write("list.json", "[1, 2]");
  std::shared_ptr<const Catalogue> cat;
  std::vector<Diagnostic> diags;
  Status s = LoadCatalogueFile(path, &cat, &diags);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].ToString(), path + ": /: expected a JSON object (a requirement catalogue), got array");

  diags.clear();
  s = LoadCatalogueFile(dir.path() + "/none.json", &cat, &diags);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), dir.path() + "/none.json: requirement catalogue file not found");
  EXPECT_EQ(cat, nullptr);
}

}  // namespace
}  // namespace assay
