// End-to-end tests of registered keys and sealed log heads (issue 14,
// docs/TRUST.md): `assay key new|register|list`, `assay log seal` and
// `assay log verify [--seal FILE]`, with each attack of the issue reproduced
// on the workspace file and shown detected, with its message and exit code.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <SQLiteCpp/SQLiteCpp.h>

#include "engine/store/store_test_util.h"
#include "test_util.h"

namespace assay {
namespace {

class SealCliTest : public ::testing::Test {
 protected:
  struct Result {
    int code = -1;
    std::string out, err;
  };

  // Runs `assay --db ws.db ARGS` in the test's directory.
  Result Run(const std::string& args) {
    Result r;
    const std::string err_file = dir_.path() + "/stderr.txt";
    const std::string cmd = "cd '" + dir_.path() + "' && ASSAY_ACTOR=tester '" + std::string(ASSAY_BIN) +
                            "' --db ws.db " + args + " 2>'" + err_file + "' </dev/null";
    r.out = testing::RunCommand(cmd, &r.code);
    r.err = Read(err_file);
    return r;
  }

  std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  void Sql(const std::string& sql) {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec(sql);
  }

  // The log head and counts: equal before and after a refused command.
  std::string State() {
    SQLite::Database db(db_, SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT (SELECT coalesce(max(seq), 0) || ' ' || coalesce((SELECT hash FROM events ORDER BY "
                         "seq DESC LIMIT 1), '') FROM events) || ' keys=' || (SELECT count(*) FROM keys) || "
                         "' seals=' || (SELECT count(*) FROM seals)")
        .getString();
  }

  // An assessment with ratings: events 1-10 (ada registered in the people
  // registry and on the team: 4 and 5; the last four are ratings), ada's
  // key made and registered (event 11) by `key new`, the log sealed at
  // event 11 (the seal is event 12); the seal line in seal.txt.
  void Sealed() {
    ASSERT_EQ(0, Run("assessment new A1 --model itsm-20000 --title 'Service desk'").code);
    ASSERT_EQ(0, Run("scope add RES.1 --target 2").code);
    ASSERT_EQ(0, Run("instance add RES.1/EU -p RES.1").code);
    ASSERT_EQ(0, Run("person add ada -n 'Ada L.' -r lead-assessor").code);
    ASSERT_EQ(0, Run("assessment status collecting").code);
    ASSERT_EQ(0, Run("rate -i RES.1/EU -x PA1.1 -v P -s ada").code);
    ASSERT_EQ(0, Run("rate -i RES.1/EU -x PA1.1 -v L -s ada").code);
    ASSERT_EQ(0, Run("rate -i RES.1/EU -x PA2.1 -v L -s ada").code);
    ASSERT_EQ(0, Run("rate -i RES.1/EU -x PA2.2 -v F -s ada").code);
    Result r = Run("key new ada -o ada.key --no-passphrase");
    ASSERT_EQ(0, r.code) << r.err;
    EXPECT_NE(std::string::npos, r.err.find("registered the public key for ada in ws.db (event 11)")) << r.err;
    r = Run("log seal --key ada.key");
    ASSERT_EQ(0, r.code) << r.err;
    EXPECT_EQ(0u, r.out.rfind("assay-seal/1 workspace=", 0)) << r.out;
    EXPECT_EQ(1, std::count(r.out.begin(), r.out.end(), '\n')) << r.out;
    EXPECT_NE(std::string::npos, r.out.find(" seq=11 ")) << r.out;
    EXPECT_NE(std::string::npos, r.err.find("sealed event 11 of ws.db with key ")) << r.err;
    dir_.Write("seal.txt", r.out);
    seal_ = r.out;
  }

  void ExpectFails(const std::string& args, int code, const std::string& message) {
    const std::string before = State();
    Result r = Run(args);
    EXPECT_EQ(code, r.code) << args << "\n" << r.err;
    EXPECT_NE(std::string::npos, r.err.find(message)) << args << "\n" << r.err;
    EXPECT_EQ(before, State()) << args;
  }

  testing::TempDir dir_;
  std::string db_ = dir_.path() + "/ws.db";
  std::string seal_;
};

TEST_F(SealCliTest, KeyRegisteredSealPrintedAndVerified) {
  Result r0 = Run("key new ada -o early.key --no-passphrase");  // no workspace yet: not registered
  EXPECT_EQ(0, r0.code) << r0.err;
  EXPECT_NE(std::string::npos, r0.err.find("no workspace at ws.db, so the key is not registered")) << r0.err;
  EXPECT_FALSE(std::filesystem::exists(db_));
  Sealed();
  Result r = Run("key list");
  ASSERT_EQ(0, r.code) << r.err;
  EXPECT_NE(std::string::npos, r.out.find("ada          2026-")) << r.out;
  r = Run("key list --format json");
  EXPECT_NE(std::string::npos, r.out.find("\"person\": \"ada\"")) << r.out;
  r = Run("log verify --seal seal.txt");
  ASSERT_EQ(0, r.code) << r.err;
  EXPECT_EQ(0u, r.out.rfind("seal ok: event 11 still has hash ", 0)) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("\nok: 12 events and ")) << r.out;
  r = Run("log verify --seal seal.txt --pub ada.key.pub");
  EXPECT_EQ(0, r.code) << r.err;
  r = Run("log verify");
  ASSERT_EQ(0, r.code) << r.err;
  EXPECT_NE(std::string::npos, r.out.find("seals: 1 verified (1 registered key); the latest seals event 11, by ada"))
      << r.out;
  r = Run("log");
  EXPECT_NE(std::string::npos, r.out.find("seal    seal       event 11")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("register key")) << r.out;
  // The seal keeps holding after later writes.
  ASSERT_EQ(0, Run("rate -i RES.1/EU -x PA1.1 -v F -s ada").code);
  EXPECT_EQ(0, Run("log verify --seal seal.txt").code);
}

// Attack 1: a rating rewritten and every later event rehashed after the seal.
TEST_F(SealCliTest, RewriteAndRehashIsExit7) {
  Sealed();
  Sql("UPDATE ratings SET value = 'F' WHERE event_seq = 9;"
      "UPDATE events SET after_json = replace(after_json, '\"value\":\"L\"', '\"value\":\"F\"') WHERE seq = 9");
  testing::RehashFrom(db_, 9);
  Result r = Run("log verify");
  EXPECT_EQ(7, r.code);
  EXPECT_NE(std::string::npos, r.err.find("ws.db: log does not verify at event 11: event 11 no longer has the hash "))
      << r.err;
  r = Run("log verify --seal seal.txt");
  EXPECT_EQ(7, r.code);
  EXPECT_NE(std::string::npos, r.err.find("ws.db: the log no longer holds the sealed head (event 11 ")) << r.err;
  EXPECT_NE(std::string::npos, r.err.find("the log was changed and rehashed after the seal")) << r.err;
  // The seal's own event removed too: only the line kept outside catches it.
  Sql("DELETE FROM seals; DELETE FROM events WHERE seq = 12");
  EXPECT_EQ(0, Run("log verify").code);
  r = Run("log verify --seal seal.txt");
  EXPECT_EQ(7, r.code);
  EXPECT_NE(std::string::npos, r.err.find("event 11 now has hash")) << r.err;
}

// Attack 2: the newest 1 to 3 events deleted with their rows.
TEST_F(SealCliTest, TruncationIsExit7) {
  Sealed();
  Sql("PRAGMA wal_checkpoint(TRUNCATE)");
  const std::string base = dir_.path() + "/base.db";
  std::filesystem::copy_file(db_, base);
  for (int n = 1; n <= 3; ++n) {
    SCOPED_TRACE(n);
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(db_ + suffix);
    std::filesystem::copy_file(base, db_, std::filesystem::copy_options::overwrite_existing);
    const std::string keep = std::to_string(11 - n);
    Sql("DELETE FROM ratings WHERE event_seq > " + keep + "; DELETE FROM keys WHERE event_seq > " + keep +
        "; DELETE FROM seals; DELETE FROM events WHERE seq > " + keep);
    Result r = Run("log verify");
    EXPECT_EQ(0, r.code) << r.err;  // consistent: the chain alone cannot tell
    r = Run("log verify --seal seal.txt --pub ada.key.pub");
    EXPECT_EQ(7, r.code);
    EXPECT_NE(std::string::npos, r.err.find("the log ends at event " + keep + "; events were deleted after the seal"))
        << r.err;
  }
}

// Attack 3: the newest assessment deleted; attack 4: everything deleted.
TEST_F(SealCliTest, DeletedAssessmentOrEverythingIsExit7) {
  Sealed();
  ASSERT_EQ(0, Run("assessment new A2 --model itsm-20000").code);  // event 13
  Result r = Run("log seal --key ada.key");                         // seals 13, event 14
  ASSERT_EQ(0, r.code) << r.err;
  dir_.Write("seal2.txt", r.out);
  Sql("DELETE FROM records WHERE assessment = 'A2'; DELETE FROM seals WHERE event_seq = 14;"
      "DELETE FROM events WHERE assessment = 'A2' OR seq = 14");
  EXPECT_EQ(0, Run("log verify").code);
  EXPECT_EQ(0, Run("log verify --seal seal.txt").code);
  r = Run("log verify --seal seal2.txt");
  EXPECT_EQ(7, r.code);
  EXPECT_NE(std::string::npos, r.err.find("(event 13 ")) << r.err;
  EXPECT_NE(std::string::npos, r.err.find("the log ends at event 12")) << r.err;

  Sql("DELETE FROM ratings; DELETE FROM records; DELETE FROM keys; DELETE FROM seals; DELETE FROM events");
  r = Run("log verify");
  EXPECT_EQ(0, r.code);
  EXPECT_NE(std::string::npos, r.out.find("ok: 0 events and 0 records verified")) << r.out;
  r = Run("log verify --seal seal.txt");
  EXPECT_EQ(7, r.code);
  EXPECT_NE(std::string::npos, r.err.find("the log is empty; events were deleted after the seal")) << r.err;
}

// Attack 5: the partial index of current ratings left on a superseded row.
TEST_F(SealCliTest, StaleIndexIsExit7) {
  Sealed();
  testing::WithRatingsIndexFrozen(db_, [this] { ASSERT_EQ(0, Run("rate -i RES.1/EU -x PA2.1 -v P -s ada").code); });
  Result r = Run("profile");
  EXPECT_EQ(0, r.code) << r.err;
  r = Run("export A1");
  EXPECT_NE(std::string::npos, r.out.find("\"item\": \"PA2.1\"")) << r.out;
  // The export shows the superseded L, although the log says P.
  EXPECT_EQ(std::string::npos, r.out.find("\"value\": \"P\"")) << r.out;
  r = Run("log verify");
  EXPECT_EQ(7, r.code);
  EXPECT_NE(std::string::npos, r.err.find("ws.db: the database's own integrity check failed (an index out of step "
                                          "with its table, or a damaged page): "))
      << r.err;
  EXPECT_NE(std::string::npos, r.err.find("ratings_current")) << r.err;
  EXPECT_EQ(7, Run("log verify --seal seal.txt").code);
}

TEST_F(SealCliTest, BadKeysAndSealsAreRefusedAndNothingIsWritten) {
  Sealed();
  dir_.Write("junk.txt", "hello\n");
  dir_.Write("bad-seq.txt", std::string(seal_).replace(seal_.find(" seq=11 "), 8, " seq=ten "));
  dir_.Write("short.txt", seal_.substr(0, seal_.find(" key=")) + "\n");
  ExpectFails("log verify --seal junk.txt", 3, "junk.txt: not an assay seal (it must start with 'assay-seal/1 ')");
  ExpectFails("log verify --seal bad-seq.txt", 3, "bad-seq.txt: seal field 'seq': expected a positive integer");
  ExpectFails("log verify --seal short.txt", 3, "short.txt: seal field 'key' is missing");
  ExpectFails("log verify --seal nope.txt", 4, "nope.txt: no such file (seal)");
  ExpectFails("log verify --pub ada.key.pub", 2, "--pub requires --seal");
  // A seal line altered by hand: its signature no longer verifies.
  std::string altered = seal_;
  altered.replace(altered.find(" signer=ada "), 12, " signer=bob ");
  dir_.Write("altered.txt", altered);
  ExpectFails("log verify --seal altered.txt", 7, "the seal's signature does not verify with key ");
  // Keys.
  ASSERT_EQ(0, Run("key new bob -o bob.key --no-passphrase --no-register").code);
  ExpectFails("log verify --seal seal.txt --pub bob.key.pub", 3, "the seal was made with key ");
  ExpectFails("log seal --key bob.key", 4, "is not registered in ws.db; nothing was sealed");
  ExpectFails("log seal --key bob.key.pub", 3, "bob.key.pub: ");
  ExpectFails("log seal --key nope.key", 4, "nope.key: no such file (secret key)");
  ExpectFails("key register ada.key.pub", 3, "is already registered in ws.db (for ada, by event 11)");
  ExpectFails("key register junk.txt --person x", 3, "junk.txt: not a minisign public key");
  ExpectFails("key register bob.key", 3, "bob.key: not a minisign public key");
  ExpectFails("key register nope.pub", 4, "nope.pub: no such file (public key)");
  ExpectFails("key register bob.key.pub --person 'Bob M.'", 3, "'Bob M.' cannot own a key");
  ASSERT_EQ(0, Run("key new -o anon.key --no-passphrase").code);  // no owner: not registered
  ExpectFails("key register anon.key.pub", 3, "anon.key.pub: the key's comment names no owner; give one with --person");
  ExpectFails("key new 'Bob M.' -o bob2.key --no-passphrase", 3, "the key's owner must be a person ID");
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/bob2.key"));
  Result r = Run("key register bob.key.pub");
  EXPECT_EQ(0, r.code) << r.err;
  EXPECT_NE(std::string::npos, r.out.find("registered key ")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find(" for bob (event 13)")) << r.out;
}

}  // namespace
}  // namespace assay
