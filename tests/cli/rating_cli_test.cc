// End-to-end tests of `assay profile`, `assay check` and `assay what-if` on
// the bundled example: the three profile formats agree on every process and
// the JSON validates against its schema; N/P/L/F are coloured on a terminal
// only; a failing check exits 5; what-if writes nothing.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "util/json_input.h"
#include "test_util.h"

namespace assay {
namespace {

class RatingCliTest : public ::testing::Test {
 protected:
  struct Result {
    int code = -1;
    std::string out, err;
  };

  void SetUp() override {
    Result r = Run("import '" + testing::SourcePath("models/examples/northwind-2026.json") + "'");
    ASSERT_EQ(0, r.code) << r.err;
  }

  // Runs `ENV assay --db ws.db ARGS` with stdout on a pipe.
  Result Run(const std::string& args, const std::string& env = "") {
    return Shell(env + " '" + std::string(ASSAY_BIN) + "' --db ws.db " + args);
  }

  Result Shell(const std::string& command) {
    Result r;
    const std::string err_file = dir_.path() + "/stderr.txt";
    const std::string cmd = "cd '" + dir_.path() + "' && NO_COLOR= ASSAY_ACTOR=tester " + command + " 2>'" + err_file + "'";
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

  // Runs `ENV assay --db ws.db ARGS` under a pseudo-terminal (util-linux
  // `script`), so that stdout is a terminal.
  Result RunOnTerminal(const std::string& args, const std::string& env = "") {
    const std::string inner = env + " '" + std::string(ASSAY_BIN) + "' --db ws.db " + args;
    return Shell("script -qec \"" + inner + "\" /dev/null");
  }

  testing::TempDir dir_;
};

// process -> capability level ("-" when not determined), from each format.
std::map<std::string, std::string> TableLevels(const std::string& table) {
  std::map<std::string, std::string> out;
  std::istringstream in(table);
  bool body = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("PROCESS", 0) == 0) {
      body = true;
      continue;
    }
    if (!body) continue;
    if (line.empty()) break;
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.size() >= 4) out[w[0]] = w[w.size() - 3];  // ... CL TGT GAP
  }
  return out;
}

std::map<std::string, std::string> JsonLevels(const nlohmann::json& doc) {
  std::map<std::string, std::string> out;
  for (const auto& p : doc.at("processes"))
    out[p.at("process").get<std::string>()] =
        p.at("capability_level").is_null() ? "-" : std::to_string(p.at("capability_level").get<int>());
  return out;
}

std::map<std::string, std::string> CsvLevels(const std::string& csv) {
  std::map<std::string, std::string> out;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    if (cells.size() < 9 || !cells[2].empty()) continue;  // aggregate rows only
    out[cells[1]] = cells[7].empty() ? "-" : cells[7];
  }
  return out;
}

TEST_F(RatingCliTest, ProfileFormatsAgreeAndJsonValidates) {
  Result table = Run("profile");
  ASSERT_EQ(0, table.code) << table.err;
  Result json = Run("profile --format json");
  ASSERT_EQ(0, json.code) << json.err;
  Result csv = Run("profile --format csv");
  ASSERT_EQ(0, csv.code) << csv.err;

  nlohmann::json doc = nlohmann::json::parse(json.out);
  std::vector<Diagnostic> problems;
  EXPECT_TRUE(internal::ValidateSchema("profile", doc, "profile.json", &problems))
      << (problems.empty() ? "" : problems.front().ToString());

  const std::map<std::string, std::string> from_json = JsonLevels(doc);
  EXPECT_EQ(11u, from_json.size());
  EXPECT_EQ(from_json, TableLevels(table.out));
  EXPECT_EQ(from_json, CsvLevels(csv.out));
  EXPECT_EQ("3", from_json.at("RES.1"));
  EXPECT_EQ("1", from_json.at("RES.3"));

  // The lines under the table: counts in the singular when there is one, and
  // the processes holding maturity back named up to four, then counted,
  // wrapped at 100 columns.
  EXPECT_NE(std::string::npos, table.out.find("\n1 item rated differently by assessors")) << table.out;
  EXPECT_EQ(std::string::npos, table.out.find(" 1 items")) << table.out;
  EXPECT_NE(std::string::npos, table.out.find("over 6 items\n")) << table.out;
  const size_t held = table.out.find("  held back from level 2 by 16 processes: RAM.1 (not in scope, needs CL2),");
  ASSERT_NE(std::string::npos, held) << table.out;
  EXPECT_NE(std::string::npos, table.out.find("SAS.3 (not in scope, needs CL2) and 12 more\n", held)) << table.out;
  EXPECT_EQ(std::string::npos, table.out.find("SDM.1 (", held)) << "the fifth process is named";
  std::istringstream tail(table.out.substr(held));
  size_t held_lines = 0;
  for (std::string line; std::getline(tail, line) && (held_lines == 0 || line.rfind("    ", 0) == 0); ++held_lines)
    EXPECT_LE(line.size(), 100u) << line;
  EXPECT_EQ(3u, held_lines) << table.out;

  // The table (header to legend) fits an 80-column terminal, with and
  // without --instances.
  Result wide = Run("profile --instances");
  ASSERT_EQ(0, wide.code);
  for (const std::string& out : {table.out, wide.out}) {
    std::istringstream in(out);
    bool body = false;
    size_t rows = 0;
    for (std::string line; std::getline(in, line);) {
      body = body || line.rfind("PROCESS", 0) == 0;
      if (!body) continue;
      if (line.empty()) break;
      EXPECT_LE(line.size(), 80u) << line;
      ++rows;
    }
    EXPECT_GE(rows, 12u);
  }
}

TEST_F(RatingCliTest, ProfileIsColouredOnATerminalOnly) {
  if (::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "util-linux script is not installed";
  const std::string kGreenF = "\033[32mF\033[0m";
  const std::string kYellowP = "\033[33mP\033[0m";
  const std::string kCyanL = "\033[36mL\033[0m";
  Result tty = RunOnTerminal("profile");
  ASSERT_EQ(0, tty.code) << tty.out << tty.err;
  EXPECT_NE(std::string::npos, tty.out.find(kGreenF)) << tty.out;
  EXPECT_NE(std::string::npos, tty.out.find(kCyanL)) << tty.out;
  EXPECT_NE(std::string::npos, tty.out.find(kYellowP)) << tty.out;
  // NO_COLOR set (to anything non-empty) turns it off on a terminal.
  Result no_color = RunOnTerminal("profile", "NO_COLOR=1");
  ASSERT_EQ(0, no_color.code);
  EXPECT_EQ(std::string::npos, no_color.out.find('\033')) << no_color.out;
  EXPECT_NE(std::string::npos, no_color.out.find("RES.1")) << no_color.out;
  // Not a terminal: plain.
  Result pipe = Run("profile");
  ASSERT_EQ(0, pipe.code);
  EXPECT_EQ(std::string::npos, pipe.out.find('\033'));
  // Colour codes never reach the machine formats, even on a terminal.
  Result json = RunOnTerminal("profile --format json");
  EXPECT_EQ(std::string::npos, json.out.find('\033'));
}

TEST_F(RatingCliTest, CheckPassesThenFailsWithExitCode5) {
  // The example's one open disagreement fails the check until consolidated.
  Result open = Run("check");
  EXPECT_EQ(5, open.code) << open.out << open.err;
  EXPECT_NE(std::string::npos, open.out.find("NW-2026-01: 1 error")) << open.out;
  ASSERT_EQ(0, Run("consolidate 'RES.2/OPO-OC PA2.2' --value L --rationale 'agreed'").code);
  Result ok = Run("check");
  EXPECT_EQ(0, ok.code) << ok.out << ok.err;
  EXPECT_NE(std::string::npos, ok.out.find("NW-2026-01: 0 errors")) << ok.out;

  // One rating without evidence and below F without a weakness statement.
  Result rate = Run("rate -i RES.1/LEJ-SD -x RES.1.BP2 -v P -s " + std::string("zoe.stastna"));
  if (rate.code != 0) {
    // Fall back to the first lead assessor of the example.
    Result people = Run("person list");
    ADD_FAILURE() << "rate failed: " << rate.err << people.out;
    return;
  }
  Result bad = Run("check");
  EXPECT_EQ(5, bad.code) << bad.out << bad.err;
  EXPECT_NE(std::string::npos, bad.err.find("assay: checks failed: 2 errors")) << bad.err;
  EXPECT_NE(std::string::npos, bad.out.find("RES.1/LEJ-SD RES.1.BP2 by zoe.stastna: rating P links no evidence"))
      << bad.out;
  EXPECT_NE(std::string::npos,
            bad.out.find("RES.1/LEJ-SD RES.1.BP2 by zoe.stastna: rated P (below F) without a weakness statement"))
      << bad.out;
  EXPECT_EQ(std::string::npos, bad.out.find("RES.1/RES.1/")) << bad.out;  // the process is named once
  Result json = Run("check --format json");
  EXPECT_EQ(5, json.code);
  nlohmann::json doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(false, doc.at("passed"));
  EXPECT_EQ(2, doc.at("errors"));
  // Each finding names the rating's assessor, as the text does.
  size_t by_zoe = 0;
  for (const auto& f : doc.at("findings"))
    if (f.at("item") == "RES.1.BP2" && f.at("instance") == "RES.1/LEJ-SD") {
      EXPECT_EQ("zoe.stastna", f.at("assessor")) << f.dump();
      ++by_zoe;
    }
  EXPECT_EQ(2u, by_zoe);
}

TEST_F(RatingCliTest, WhatIfWritesNothing) {
  Result before = Run("export");
  ASSERT_EQ(0, before.code) << before.err;
  Result w = Run("what-if -r RES.3/OPO-OC:PA2.1=F -r RES.3/LEJ-SD:PA2.1=F");
  ASSERT_EQ(0, w.code) << w.err;
  EXPECT_NE(std::string::npos, w.out.find("What changes (nothing was written):")) << w.out;
  Result after = Run("export");
  EXPECT_EQ(before.out, after.out);
  Result bad = Run("what-if -r RES.3/OPO-XX:PA2.1=F");
  EXPECT_EQ(4, bad.code);
  EXPECT_NE(std::string::npos, bad.err.find("unknown instance 'RES.3/OPO-XX'; nearest: RES.3/OPO-OC")) << bad.err;
  bad = Run("what-if -r RES.3/OPO-OC:PA2.1=Q");
  EXPECT_EQ(3, bad.code);
  EXPECT_NE(std::string::npos, bad.err.find("invalid rating value 'Q'")) << bad.err;
}


// Issue 20: profile, like the commands that take -a, names the assessment it
// picked when the workspace holds several; an ID given says nothing.
TEST_F(RatingCliTest, Issue20ProfileNamesTheAssessmentItPicked) {
  Result one = Run("profile");
  ASSERT_EQ(0, one.code) << one.err;
  EXPECT_EQ("", one.err);
  ASSERT_EQ(0, Run("import '" + testing::SourcePath("tests/badinput/base.json") + "'").code);
  Result picked = Run("profile");
  ASSERT_EQ(0, picked.code) << picked.err;
  EXPECT_EQ("assay: using assessment A1 (the most recent); choose with the ID argument\n", picked.err);
  Result named = Run("profile NW-2026-01");
  ASSERT_EQ(0, named.code) << named.err;
  EXPECT_EQ("", named.err);
  EXPECT_EQ(one.out, named.out);
}

// Issue 20 (docs/RATING.md 5): a rating above the target level is noted by
// the profile, on stderr; the table itself is unchanged.
TEST_F(RatingCliTest, Issue20ProfileNotesRatingsAboveTheTarget) {
  Result before = Run("profile");
  ASSERT_EQ(0, before.code) << before.err;
  ASSERT_EQ(0, Run("rate -i RES.2/LEJ-SD -x PA3.1 -v F --consolidated").code);
  Result after = Run("profile");
  ASSERT_EQ(0, after.code) << after.err;
  EXPECT_EQ(before.out, after.out);
  EXPECT_EQ("note: 1 attribute rating(s) above their process's target level not used (not assessed)\n", after.err);
}

// Issue 20 (docs/RATING.md 2): under R1 a direct attribute rating is not
// used, and the profile says so; U+2212 is read as a minus (refined scale).
TEST_F(RatingCliTest, Issue20ProfileNotesDirectAttributeRatingsUnderR1) {
  for (const std::string& cmd :
       {std::string("assessment new R1A --model itsm-20000 --method R1 --scale refined"), std::string("scope add RES.1 --target 1"),
        std::string("unit add EU"), std::string("instance add RES.1/EU --process RES.1 --unit EU"),
        std::string("person add ann --name Ann --role lead-assessor"), std::string("assessment status collecting"),
        std::string("rate -i RES.1/EU -x PA1.1 -v F -s ann"), std::string("rate -i RES.1/EU -x RES.1.O1 -v 'L\xE2\x88\x92' -s ann")}) {
    Result r = Run(cmd);
    ASSERT_EQ(0, r.code) << cmd << ": " << r.err;
  }
  Result p = Run("profile R1A");
  ASSERT_EQ(0, p.code) << p.err;
  EXPECT_EQ("note: 1 direct attribute rating(s) not used: method R1 rates attributes from outcomes and achievements\n",
            p.err);
  // PA 1.1 comes from the outcome (L-), not from the direct F.
  EXPECT_NE(std::string::npos, p.out.find("RES.1   Incident management   L-  ")) << p.out;
}

}  // namespace
}  // namespace assay
