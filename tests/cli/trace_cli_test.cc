// End-to-end tests of `assay evidence list|show`, `assay interview
// list|show` and `assay trace` on the bundled example: every JSON output
// validates against schemas/trace.schema.json, the tables say what the JSON
// says, and unknown IDs exit 4 with the nearest valid ones.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"
#include "util/json_input.h"

namespace assay {
namespace {

class TraceCliTest : public ::testing::Test {
 protected:
  struct Result {
    int code = -1;
    std::string out, err;
  };

  void SetUp() override {
    Result r = Run("import '" + testing::SourcePath("models/examples/northwind-2026.json") + "'");
    ASSERT_EQ(0, r.code) << r.err;
  }

  // Runs `assay --db ws.db ARGS` in the test's directory.
  Result Run(const std::string& args) {
    Result r;
    const std::string err_file = dir_.path() + "/stderr.txt";
    const std::string cmd = "cd '" + dir_.path() + "' && '" + std::string(ASSAY_BIN) + "' --db ws.db " + args +
                            " 2>'" + err_file + "'";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err_file);
    std::stringstream ss;
    ss << in.rdbuf();
    r.err = ss.str();
    return r;
  }

  // Runs ARGS --format json; expects exit 0 and a document valid against
  // schemas/trace.schema.json with the given format.
  nlohmann::json Json(const std::string& args, const std::string& format) {
    Result r = Run(args + " --format json");
    EXPECT_EQ(r.code, 0) << args << ": " << r.err;
    nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << args << ": " << r.out;
    std::vector<Diagnostic> problems;
    EXPECT_TRUE(internal::ValidateSchema("trace", doc, args, &problems)) << args << ": " << Text(problems);
    EXPECT_EQ(doc.value("format", ""), format) << args;
    return doc;
  }

  static std::string Text(const std::vector<Diagnostic>& diags) {
    std::string out;
    for (const Diagnostic& d : diags) out += d.ToString() + "\n";
    return out;
  }

  testing::TempDir dir_;
};

TEST_F(TraceCliTest, EvidenceListAndShow) {
  nlohmann::json list = Json("evidence list", "assay-evidence-list/1");
  EXPECT_EQ(list["assessment"], "NW-2026-01");
  ASSERT_EQ(list["evidence"].size(), 58u);
  EXPECT_EQ(list["evidence"][0]["id"], "E01");
  nlohmann::json show = Json("evidence show E05", "assay-evidence/1");
  EXPECT_EQ(show["evidence"]["interview"], "I01");
  EXPECT_EQ(show["evidence"]["cited_by"], 15);

  Result table = Run("evidence list");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out.substr(0, table.out.find('\n')).substr(0, 8), "ID   KIN");
  EXPECT_NE(table.out.find("\nE05  interview-statement  2026-09-14"), std::string::npos) << table.out;
  table = Run("evidence show E05");
  EXPECT_EQ(table.code, 0);
  EXPECT_NE(table.out.find("Evidence E05\n  kind         interview-statement\n"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("  cited by     15 ratings\n"), std::string::npos) << table.out;
}

TEST_F(TraceCliTest, InterviewListAndShow) {
  nlohmann::json list = Json("interview list", "assay-interview-list/1");
  ASSERT_EQ(list["interviews"].size(), 13u);
  EXPECT_EQ(list["interviews"][0]["id"], "I01");
  EXPECT_EQ(list["interviews"][0]["evidence"], nlohmann::json::array({"E05"}));
  nlohmann::json show = Json("interview show I01", "assay-interview/1");
  EXPECT_EQ(show["interview"]["processes"], nlohmann::json::array({"RES.1", "RES.3"}));
  Result table = Run("interview show I01");
  EXPECT_EQ(table.code, 0);
  EXPECT_NE(table.out.find("Interview I01\n  held          2026-09-14T10:00\n"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("  evidence      E05\n"), std::string::npos) << table.out;
}

TEST_F(TraceCliTest, TraceEvidenceReachesAttributesLevelsAndProcesses) {
  nlohmann::json t = Json("trace E05", "assay-trace-evidence/1");
  EXPECT_EQ(t["interview"]["id"], "I01");
  EXPECT_EQ(t["ratings"].size(), 15u);
  EXPECT_EQ(t["supports"]["processes"], nlohmann::json::array({"RES.1", "RES.3"}));
  EXPECT_FALSE(t["supports"]["levels"].empty());
  // An indicator rating traces through its achievement to the attribute.
  bool found = false;
  for (const auto& r : t["ratings"]) {
    if (r["item"] != "GP3.1.1") continue;
    found = true;
    EXPECT_EQ(r["item_label"], "generic practice");
    EXPECT_EQ(r["supports"]["achievements"], nlohmann::json::array({"PA3.1.a"}));
    EXPECT_EQ(r["supports"]["attributes"], nlohmann::json::array({"PA3.1"}));
    EXPECT_EQ(r["supports"]["levels"], nlohmann::json::array({3}));
  }
  EXPECT_TRUE(found);
  Result table = Run("trace E05");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("  interview    I01 (held 2026-09-14T10:00)\n"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("\nRatings citing it (15):\n"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("  processes     RES.1, RES.3\n"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("PA3.1.a -> PA3.1 (level 3)"), std::string::npos) << table.out;
}

TEST_F(TraceCliTest, TraceAttributeReachesEvidenceAndInterviews) {
  nlohmann::json t = Json("trace RES.1 PA2.1", "assay-trace-attribute/1");
  EXPECT_EQ(t["process"]["target_level"], 3);
  EXPECT_EQ(t["attribute"]["level"], 2);
  EXPECT_TRUE(t["attribute"]["assessed"].get<bool>());
  ASSERT_FALSE(t["items"].empty());
  EXPECT_EQ(t["items"][0]["id"], "PA2.1");
  EXPECT_FALSE(t["items"][0]["ratings"].empty());
  EXPECT_FALSE(t["evidence"].empty());
  EXPECT_FALSE(t["interviews"].empty());
  Json("trace RES.3 PA1.1", "assay-trace-attribute/1");
  Json("trace RES.1 PA5.2", "assay-trace-attribute/1");  // above the target level
  Json("trace E58", "assay-trace-evidence/1");
  Result table = Run("trace RES.1 PA2.1");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out.substr(0, table.out.find('\n')),
            "RES.1 Incident management, PA2.1 Performance management (level 2)");
  EXPECT_NE(table.out.find("  scope      target level 3\n"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("\nEvidence ("), std::string::npos) << table.out;
  table = Run("trace RES.1 PA5.2");
  EXPECT_NE(table.out.find("the attribute is above it and not assessed"), std::string::npos) << table.out;
}

TEST_F(TraceCliTest, UnknownIdsExit4WithTheNearest) {
  const std::pair<const char*, const char*> cases[] = {
      {"trace E5", "assay: unknown evidence 'E5' in assessment NW-2026-01; nearest: "},
      {"trace RES.9 PA2.1", "assay: unknown process 'RES.9' in model itsm-20000@"},
      {"trace RES.1 PA2.7", "; nearest: PA2.1"},
      {"evidence show E500", "assay: unknown evidence 'E500' in assessment NW-2026-01; nearest: E50"},
      {"interview show I1", "assay: unknown interview 'I1' in assessment NW-2026-01; nearest: I10"},
  };
  for (const auto& [args, message] : cases) {
    Result r = Run(args);
    EXPECT_EQ(r.code, 4) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
  }
  Result r = Run("trace RES.1 PA2.1 extra");
  EXPECT_EQ(r.code, 2) << r.err;
  r = Run("trace");
  EXPECT_EQ(r.code, 2) << r.err;
}

}  // namespace
}  // namespace assay

namespace assay {
namespace {

// `assay disagreements --format json` (docs/TEAMWORK.md) follows
// schemas/disagreements.schema.json, before and after consolidation.
TEST_F(TraceCliTest, DisagreementsJsonFollowsItsSchema) {
  for (int round = 0; round < 2; ++round) {
    Result r = Run("disagreements --format json");
    ASSERT_EQ(r.code, 0) << r.err;
    nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << r.out;
    std::vector<Diagnostic> problems;
    EXPECT_TRUE(internal::ValidateSchema("disagreements", doc, "disagreements", &problems)) << Text(problems);
    EXPECT_EQ(doc["disagreements"].size(), round == 0 ? 1u : 0u);
    if (round == 0) {
      EXPECT_EQ(doc["disagreements"][0]["ratings"][1]["assessor"], "lukasz.zolc");
      ASSERT_EQ(0, Run("consolidate 'RES.2/OPO-OC PA2.2' --value L --rationale agreed").code);
    }
  }
}

}  // namespace
}  // namespace assay
