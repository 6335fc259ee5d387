// End-to-end tests of the workspace commands of the `assay` executable.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <SQLiteCpp/SQLiteCpp.h>

#include "test_util.h"

namespace assay {
namespace {

class StoreCliTest : public ::testing::Test {
 protected:
  struct Result {
    int code = -1;
    std::string out, err;
  };

  // Runs `assay --db DB ARGS` in the test's directory.
  Result Run(const std::string& args, const std::string& db = "ws.db") {
    Result r;
    std::string err_file = dir_.path() + "/stderr.txt";
    std::string cmd = "cd '" + dir_.path() + "' && ASSAY_ACTOR=tester '" + std::string(ASSAY_BIN) + "' --db " + db + " " +
                      args + " 2>'" + err_file + "'";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = Read(err_file);
    return r;
  }

  std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // The capture session of docs/WORKSPACE.md.
  void Capture() {
    ASSERT_EQ(0, Run("assessment new ACME-2026 --model itsm-20000 --title 'Service desk'").code);
    ASSERT_EQ(0, Run("scope add RES.1 --target 2").code);
    ASSERT_EQ(0, Run("scope add RES.2 --target 1").code);
    ASSERT_EQ(0, Run("instance add RES.1/EU -p RES.1").code);
    ASSERT_EQ(0, Run("person add ada -n 'Ada L.' -r lead-assessor").code);
    ASSERT_EQ(0, Run("person add bob -n 'Bob M.' -r interviewee").code);
    ASSERT_EQ(0, Run("assessment status collecting").code);
    ASSERT_EQ(0, Run("interview add I-1 --at 2026-11-23T09:00 --interviewer ada --interviewee bob -p RES.1").code);
    dir_.Write("procedure.pdf", "%PDF-1.4 procedure");
    ASSERT_EQ(0, Run("evidence add EV-1 -k document -r DOC-17 --file procedure.pdf --by ada --interview I-1").code);
    Result r = Run("rate -i RES.1/EU -x PA1.1 -v L -s ada -W 'no trend analysis' -e EV-1");
    ASSERT_EQ(0, r.code) << r.err;
  }

  testing::TempDir dir_;
};

TEST_F(StoreCliTest, CaptureSessionAndLog) {
  Capture();
  Result r = Run("rate -i RES.1/EU -x PA1.1 -v F -s ada");
  EXPECT_EQ(0, r.code);
  EXPECT_NE(std::string::npos, r.err.find("updated (new version)")) << r.err;
  r = Run("log ACME-2026");
  EXPECT_EQ(0, r.code);
  EXPECT_NE(std::string::npos, r.out.find("RES.1/EU PA1.1 ada")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("value: L -> F")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("tester")) << r.out;
  r = Run("log verify");
  EXPECT_EQ(0, r.code) << r.err;
  EXPECT_NE(std::string::npos, r.out.find("ok: 13 events")) << r.out;
  r = Run("assessment show --format json");
  EXPECT_EQ(0, r.code);
  EXPECT_NE(std::string::npos, r.out.find("\"sha256\": \"")) << r.out;
}

TEST_F(StoreCliTest, ErrorsHaveExitCodesAndNearestIds) {
  Result r = Run("assessment list");
  EXPECT_EQ(4, r.code);  // no workspace yet
  EXPECT_NE(std::string::npos, r.err.find("assay assessment new")) << r.err;
  Capture();
  r = Run("scope add RES.9");
  EXPECT_EQ(4, r.code);
  EXPECT_NE(std::string::npos, r.err.find("nearest: RES.1")) << r.err;
  r = Run("rate -i RES.1/EU -x PA1.1 -v Q -s ada");
  EXPECT_EQ(3, r.code);
  r = Run("rate -i RES.1/EU -x PA1.1 -v L -s ada -c");
  EXPECT_EQ(2, r.code);  // --assessor excludes --consolidated
  r = Run("assessment status closed");
  EXPECT_EQ(3, r.code);
  EXPECT_NE(std::string::npos, r.err.find("allowed: validating, planned")) << r.err;
  r = Run("log NOPE");
  EXPECT_EQ(4, r.code);
}

TEST_F(StoreCliTest, LogVerifyFailsAfterDirectEdit) {
  Capture();
  {
    SQLite::Database db(dir_.path() + "/ws.db", SQLite::OPEN_READWRITE);
    db.exec("UPDATE ratings SET value = 'F' WHERE value = 'L'");
  }
  Result r = Run("log verify");
  EXPECT_EQ(7, r.code);
  EXPECT_NE(std::string::npos, r.err.find("at event 12")) << r.err;
}

TEST_F(StoreCliTest, ImportDryRunAndTemplate) {
  Capture();
  Result t = Run("import --template csv");
  EXPECT_EQ(0, t.code);
  EXPECT_EQ(0u, t.out.find("assessment,process,instance,item,value"));
  std::string before = Read(dir_.path() + "/ws.db");
  dir_.Write("r.csv", "instance,item,value,assessor\r\nRES.1/EU,PA2.1,L,ada\r\nRES.1/EU,PA2.2,L,adx\r\n");
  Result r = Run("import r.csv --dry-run");
  EXPECT_EQ(3, r.code);
  EXPECT_NE(std::string::npos, r.err.find("r.csv:3:4: assessor: unknown person 'adx'; nearest: ada")) << r.err;
  EXPECT_EQ(before, Read(dir_.path() + "/ws.db"));
  r = Run("import r.csv");
  EXPECT_EQ(3, r.code);
  dir_.Write("r.csv", "instance,item,value,assessor\r\nRES.1/EU,PA2.1,L,ada\r\nRES.1/EU,PA2.2,L,ada\r\n");
  r = Run("import r.csv --dry-run");
  EXPECT_EQ(0, r.code) << r.err;
  EXPECT_NE(std::string::npos, r.err.find("dry run, nothing written: ACME-2026: 2 created")) << r.err;
  r = Run("import r.csv");
  EXPECT_EQ(0, r.code) << r.err;
  r = Run("import r.csv");
  EXPECT_NE(std::string::npos, r.err.find("0 created, 0 updated, 2 unchanged")) << r.err;
}

TEST_F(StoreCliTest, ExportImportRoundTrip) {
  Capture();
  Result e1 = Run("export ACME-2026");
  ASSERT_EQ(0, e1.code);
  dir_.Write("a.json", e1.out);
  Result i = Run("import a.json", "second.db");
  ASSERT_EQ(0, i.code) << i.err;
  Result e2 = Run("export ACME-2026", "second.db");
  ASSERT_EQ(0, e2.code);
  EXPECT_EQ(e1.out, e2.out);
}

}  // namespace
}  // namespace assay
