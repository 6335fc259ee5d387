// Tests of registered keys and sealed log heads (issue 14, docs/TRUST.md):
// each attack of the issue is reproduced and shown detected, by VerifyLog or
// by CheckSeal with the seal line kept outside the workspace.
#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>

#include "assay/signing.h"
#include "assay/store.h"
#include "engine/store/store_test_util.h"

namespace assay {
namespace {

class SealTest : public testing::StoreTest {
 protected:
  static void NewKey(SecretKey* key) {
    std::string text;
    ASSERT_OK(NewKeyPair("", KdfLimits{}, key, &text));
  }

  // A1 populated (events 1-15), three ratings (16: PA1.1 P, 17: PA1.1 L
  // superseding it, 18: PA2.1 F), ada's key registered (19), sealed at 19
  // (the seal is event 20).
  std::unique_ptr<Workspace> Sealed(SealInfo* seal) {
    auto ws = Populated();
    WriteResult r;
    EXPECT_OK(ws->Rate("A1", AttrRating("P"), &r));
    EXPECT_OK(ws->Rate("A1", AttrRating("L"), &r));
    Rating pa21 = AttrRating("F");
    pa21.item = "PA2.1";
    EXPECT_OK(ws->Rate("A1", pa21, &r));
    KeyInfo k;
    EXPECT_OK(ws->RegisterKey(key_.public_key(), "ada", &k));
    EXPECT_OK(ws->Seal(key_, seal));
    return ws;
  }

  static Status Verify(Workspace* ws, VerifyReport* v = nullptr) {
    VerifyReport local;
    return ws->VerifyLog(v ? v : &local);
  }

  void SetUp() override {
    StoreTest::SetUp();
    NewKey(&key_);
  }

  SecretKey key_;
};

TEST_F(SealTest, RegisteredKeyIsLoggedListedAndVerified) {
  auto ws = Populated();
  KeyInfo k;
  ASSERT_OK(ws->RegisterKey(key_.public_key(), "ada", &k));
  EXPECT_EQ(key_.public_key().KeyIdHex(), k.key_id);
  EXPECT_EQ(16, k.event);
  EXPECT_EQ("tester", k.registered_by);
  std::vector<KeyInfo> keys;
  ASSERT_OK(ws->ListKeys(&keys));
  ASSERT_EQ(1u, keys.size());
  EXPECT_EQ("ada", keys[0].person);
  EXPECT_EQ("2026-11-24T12:00:00Z", keys[0].registered_at);
  PublicKey parsed;
  ASSERT_OK(ParsePublicKey(keys[0].public_key, &parsed));
  EXPECT_EQ(key_.public_key().key, parsed.key);
  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog("", &events));
  const Event& e = events.back();
  EXPECT_EQ("register", e.action);
  EXPECT_EQ("key", e.entity);
  EXPECT_EQ(k.key_id, e.entity_id);
  EXPECT_EQ("", e.assessment);
  VerifyReport v;
  ASSERT_OK(ws->VerifyLog(&v));
  EXPECT_EQ(1, v.keys);
  EXPECT_EQ(0, v.seals);
}

TEST_F(SealTest, DuplicateKeyAndBadPersonAreRefusedAndNothingIsWritten) {
  ASSAY_SQLITE_ONLY();
  auto ws = Populated();
  KeyInfo k;
  ASSERT_OK(ws->RegisterKey(key_.public_key(), "ada", &k));
  const std::string head = Head(ws.get());
  Status s = ws->RegisterKey(key_.public_key(), "bob", &k);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("key " + key_.public_key().KeyIdHex() +
                                                " is already registered in " + db_path_ + " (for ada, by event 16)"))
      << s.message();
  SecretKey other;
  NewKey(&other);
  for (const char* person : {"", "ada lovelace", "a\x1b[2Jb", "x\ny"}) {
    s = ws->RegisterKey(other.public_key(), person, &k);
    EXPECT_EQ(Status::Code::kInvalidInput, s.code()) << person;
    EXPECT_NE(std::string::npos, s.message().find("cannot own a key")) << s.message();
  }
  EXPECT_EQ(head, Head(ws.get()));
}

TEST_F(SealTest, SealIsRecordedVerifiedAndItsLineParses) {
  SealInfo seal;
  auto ws = Sealed(&seal);
  EXPECT_EQ(19, seal.seq);
  EXPECT_EQ(20, seal.event);
  EXPECT_EQ("ada", seal.signer);
  std::string id;
  ASSERT_OK(ws->WorkspaceId(&id));
  EXPECT_EQ(32u, id.size());
  EXPECT_EQ(id, seal.workspace_id);
  EXPECT_EQ("assay-seal/1 workspace=" + id + " seq=19 head=" + seal.hash + " at=2026-11-24T12:00:00Z signer=ada key=" +
                key_.public_key().KeyIdHex() + " sig=" + seal.signature,
            seal.line);
  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog("", &events));
  ASSERT_EQ(20u, events.size());
  EXPECT_EQ(seal.hash, events[18].hash);
  EXPECT_EQ("seal", events[19].action);
  EXPECT_EQ("19", events[19].entity_id);

  SealInfo parsed;
  ASSERT_OK(ParseSealLine(seal.line + "\n", &parsed));
  EXPECT_EQ(seal.line, parsed.line);
  EXPECT_OK(ws->CheckSeal(parsed, nullptr));
  EXPECT_OK(ws->CheckSeal(parsed, &key_.public_key()));
  bool found = false;
  SealInfo latest;
  ASSERT_OK(ws->LatestSeal(&latest, &found));
  ASSERT_TRUE(found);
  EXPECT_EQ(seal.line, latest.line);
  EXPECT_EQ(20, latest.event);
  ASSERT_OK(ws->LatestSeal(19, &latest, &found));
  EXPECT_FALSE(found);
  VerifyReport v;
  ASSERT_OK(ws->VerifyLog(&v));
  EXPECT_EQ(1, v.seals);
  EXPECT_EQ(20, v.head_seq);

  // Later writes keep the seal valid; a second seal is the latest.
  WriteResult r;
  ASSERT_OK(ws->Rate("A1", AttrRating("F"), &r));
  EXPECT_OK(ws->CheckSeal(parsed, nullptr));
  SealInfo second;
  ASSERT_OK(ws->Seal(key_, &second));
  EXPECT_EQ(21, second.seq);
  ASSERT_OK(ws->LatestSeal(&latest, &found));
  EXPECT_EQ(second.line, latest.line);
  ASSERT_OK(ws->LatestSeal(21, &latest, &found));
  EXPECT_EQ(seal.line, latest.line);
  std::vector<SealInfo> all;
  ASSERT_OK(ws->ListSeals(&all));
  EXPECT_EQ(2u, all.size());
  ExpectVerifies(ws.get());
}

TEST_F(SealTest, SealNeedsARegisteredMatchingKeyAndALog) {
  auto ws = OpenWs();
  SealInfo seal;
  Status s = ws->Seal(key_, &seal);
  EXPECT_EQ(Status::Code::kNotFound, s.code()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("is not registered")) << s.message();
  ws.reset();
  ws = Populated();
  const std::string head = Head(ws.get());
  s = ws->Seal(key_, &seal);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  EXPECT_EQ(head, Head(ws.get()));
  // A public key registered under this key's ID, but another key.
  SecretKey other;
  NewKey(&other);
  PublicKey forged = other.public_key();
  forged.key_id = key_.public_key().key_id;
  KeyInfo k;
  ASSERT_OK(ws->RegisterKey(forged, "mallory", &k));
  const std::string head2 = Head(ws.get());
  s = ws->Seal(key_, &seal);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("does not match the public key registered")) << s.message();
  EXPECT_EQ(head2, Head(ws.get()));
  SecretKey none;
  EXPECT_EQ(Status::Code::kInvalidInput, ws->Seal(none, &seal).code());
}

TEST_F(SealTest, EmptyLogCannotBeSealed) {
  ASSAY_SQLITE_ONLY();
  auto ws = OpenWs();
  KeyInfo k;
  ASSERT_OK(ws->RegisterKey(key_.public_key(), "ada", &k));  // event 1
  ws.reset();
  Tamper("DELETE FROM events");
  ws = OpenWs();
  SealInfo seal;
  Status s = ws->Seal(key_, &seal);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("nothing to seal: the log of " + db_path_ + " is empty"))
      << s.message();
}

// Attack 1: a rating edited after the seal, every later event hash
// recomputed. The chain is consistent again, but the recorded seal no longer
// matches, and neither does the line kept outside.
TEST_F(SealTest, RewriteAndRehashAfterASealIsDetected) {
  ASSAY_SQLITE_ONLY();
  SealInfo seal;
  auto ws = Sealed(&seal);
  ws.reset();
  Tamper("UPDATE ratings SET value = 'F' WHERE event_seq = 17;"
         "UPDATE events SET after_json = replace(after_json, '\"value\":\"L\"', '\"value\":\"F\"') WHERE seq = 17");
  testing::RehashFrom(db_path_, 17);
  ws = OpenWs();
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  EXPECT_EQ("F", d.ratings[0].value);  // the forged value is what a profile would show
  VerifyReport v;
  Status s = ws->VerifyLog(&v);
  ASSERT_EQ(Status::Code::kCorruption, s.code()) << s.ToString();
  EXPECT_EQ(19, v.first_bad_event);
  EXPECT_NE(std::string::npos,
            s.message().find("log does not verify at event 19: event 19 no longer has the hash " +
                             seal.hash.substr(0, 16) + "... that the seal of event 19 (recorded by event 20, key " +
                             seal.key_id + ") sealed: the log was changed and rehashed after the seal"))
      << s.message();
  s = ws->CheckSeal(seal, nullptr);
  ASSERT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_NE(std::string::npos, s.message().find("the log no longer holds the sealed head (event 19 " +
                                                seal.hash.substr(0, 16) + "...): event 19 now has hash "))
      << s.message();
  EXPECT_NE(std::string::npos, s.message().find("the log was changed and rehashed after the seal")) << s.message();

  // The attacker also removes the seal's event and row: plain verification
  // passes again, the seal line kept outside does not.
  ws.reset();
  Tamper("DELETE FROM seals; DELETE FROM events WHERE seq = 20");
  ws = OpenWs();
  ExpectVerifies(ws.get());
  s = ws->CheckSeal(seal, nullptr);
  EXPECT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_NE(std::string::npos, s.message().find("event 19 now has hash")) << s.message();
}

// Attack 2: the newest 1 to 3 events deleted with their rows (and the seal
// that followed them): a consistent, shorter log, which the seal line catches.
TEST_F(SealTest, TruncationIsDetectedByTheSeal) {
  ASSAY_SQLITE_ONLY();
  for (int n = 1; n <= 3; ++n) {
    SCOPED_TRACE("newest events deleted: " + std::to_string(n));
    std::filesystem::remove(db_path_);
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(db_path_ + suffix);
    auto ws = Populated();  // events 1-15
    WriteResult r;
    for (const char* item : {"PA1.1", "PA2.1", "PA2.2"}) {
      Rating x = AttrRating("L");
      x.item = item;
      ASSERT_OK(ws->Rate("A1", x, &r));  // events 16-18, each a new rating
    }
    KeyInfo k;
    ASSERT_OK(ws->RegisterKey(key_.public_key(), "ada", &k));  // event 19
    SealInfo seal;
    ASSERT_OK(ws->Seal(key_, &seal));  // seals 19, event 20
    const int64_t keep = seal.seq - n;  // the newest n sealed events go, and the seal
    ws.reset();
    Tamper("DELETE FROM ratings WHERE event_seq > " + std::to_string(keep) +
           "; DELETE FROM keys WHERE event_seq > " + std::to_string(keep) +
           "; DELETE FROM seals; DELETE FROM events WHERE seq > " + std::to_string(keep));
    ws = OpenWs();
    ExpectVerifies(ws.get());  // the chain alone cannot tell
    Status s = ws->CheckSeal(seal, &key_.public_key());
    ASSERT_EQ(Status::Code::kCorruption, s.code()) << s.ToString();
    EXPECT_NE(std::string::npos, s.message().find("the log no longer holds the sealed head (event " +
                                                  std::to_string(seal.seq) + " " + seal.hash.substr(0, 16) +
                                                  "...): the log ends at event " + std::to_string(keep) +
                                                  "; events were deleted after the seal"))
        << s.message();
  }
}

// Attack 3: the newest assessment deleted, with every event and row of it.
TEST_F(SealTest, DeletingTheNewestAssessmentIsDetected) {
  ASSAY_SQLITE_ONLY();
  SealInfo seal;
  auto ws = Sealed(&seal);  // A1: events 1-18, key 19, seal 20
  WriteResult r;
  ASSERT_OK(ws->CreateAssessment(BasicAssessment("A2"), &r));  // 21
  ASSERT_OK(ws->PutScope("A2", {"RES.1", 1}, &r));              // 22
  SealInfo seal2;
  ASSERT_OK(ws->Seal(key_, &seal2));  // seals 22, event 23
  ws.reset();
  Tamper("DELETE FROM records WHERE assessment = 'A2'; DELETE FROM seals WHERE event_seq = 23;"
         "DELETE FROM events WHERE assessment = 'A2' OR seq = 23");
  ws = OpenWs();
  ExpectVerifies(ws.get());
  EXPECT_OK(ws->CheckSeal(seal, nullptr));  // the first seal still holds: A1 is intact
  Status s = ws->CheckSeal(seal2, nullptr);
  EXPECT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_NE(std::string::npos, s.message().find("the log ends at event 20")) << s.message();
}

// Attack 4: everything deleted ("ok: 0 events and 0 records verified").
TEST_F(SealTest, DeletingEverythingIsDetected) {
  ASSAY_SQLITE_ONLY();
  SealInfo seal;
  auto ws = Sealed(&seal);
  ws.reset();
  Tamper("DELETE FROM ratings; DELETE FROM records; DELETE FROM keys; DELETE FROM seals; DELETE FROM events");
  ws = OpenWs();
  VerifyReport v;
  ASSERT_OK(ws->VerifyLog(&v));
  EXPECT_EQ(0, v.events);
  Status s = ws->CheckSeal(seal, nullptr);
  ASSERT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_NE(std::string::npos, s.message().find("the log no longer holds the sealed head (event 19 " +
                                                seal.hash.substr(0, 16) + "...): the log is empty"))
      << s.message();
  s = ws->CheckSeal(seal, &key_.public_key());
  EXPECT_EQ(Status::Code::kCorruption, s.code());
}

// Attack 5: the partial index of current ratings left pointing at a
// superseded row. Reads show the old value while the chain verifies; the
// database's own integrity check finds the index out of step.
TEST_F(SealTest, StaleIndexFailsVerification) {
  ASSAY_SQLITE_ONLY();
  auto ws = Populated();
  WriteResult r;
  ASSERT_OK(ws->Rate("A1", AttrRating("P"), &r));
  ws.reset();
  testing::WithRatingsIndexFrozen(db_path_, [this] {
    auto w = OpenWs();
    WriteResult wr;
    ASSERT_OK(w->Rate("A1", AttrRating("L"), &wr));
  });
  ws = OpenWs();
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  ASSERT_EQ(1u, d.ratings.size());
  EXPECT_EQ("P", d.ratings[0].value);  // the superseded value shows
  VerifyReport v;
  Status s = ws->VerifyLog(&v);
  ASSERT_EQ(Status::Code::kCorruption, s.code()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find(db_path_ + ": the database's own integrity check failed (an index "
                                                "out of step with its table, or a damaged page): "))
      << s.message();
  EXPECT_NE(std::string::npos, s.message().find("ratings_current")) << s.message();
}

TEST_F(SealTest, TamperedSealAndKeyRowsAreDetected) {
  ASSAY_SQLITE_ONLY();
  SealInfo seal;
  auto ws = Sealed(&seal);
  ws.reset();
  Tamper("UPDATE seals SET at = '2027-01-01T00:00:00Z'");
  ws = OpenWs();
  Status s = Verify(ws.get());
  EXPECT_NE(std::string::npos, s.message().find("log does not verify at event 20: seal row 1 (the seal of event 19 "
                                                "(recorded by event 20, key " + seal.key_id +
                                                ")) was changed after event 20 wrote it"))
      << s.message();
  ws.reset();
  Tamper("UPDATE seals SET at = '2026-11-24T12:00:00Z'; DELETE FROM keys");
  ws = OpenWs();
  s = Verify(ws.get());
  EXPECT_NE(std::string::npos, s.message().find("log does not verify at event 19: key row 1 written by event 19 is "
                                                "missing"))
      << s.message();
  s = ws->CheckSeal(seal, nullptr);
  EXPECT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_NE(std::string::npos, s.message().find("is not registered in this workspace")) << s.message();
  EXPECT_OK(ws->CheckSeal(seal, &key_.public_key()));  // with the signer's public key it holds
}

TEST_F(SealTest, AlteredForeignOrMismatchedSealLinesAreRefused) {
  ASSAY_SQLITE_ONLY();
  SealInfo seal;
  auto ws = Sealed(&seal);
  // An altered head: the signature no longer verifies.
  SealInfo altered = seal;
  altered.seq = 15;
  Status s = ws->CheckSeal(altered, nullptr);
  EXPECT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_NE(std::string::npos, s.message().find("the seal's signature does not verify with key " + seal.key_id))
      << s.message();
  // Another key given.
  SecretKey other;
  NewKey(&other);
  s = ws->CheckSeal(seal, &other.public_key());
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("the seal was made with key " + seal.key_id)) << s.message();
  // A seal of another workspace, signed by a key given on the command line.
  std::string id;
  ASSERT_OK(ws->WorkspaceId(&id));
  SealInfo moved = seal;
  moved.workspace_id = std::string(32, 'a');
  SecretKey k2;
  NewKey(&k2);
  moved.key_id = k2.public_key().KeyIdHex();
  ASSERT_OK(SignMessage(k2, SealMessage(moved), &moved.signature));
  s = ws->CheckSeal(moved, &k2.public_key());
  EXPECT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_NE(std::string::npos, s.message().find("the seal is of workspace " + std::string(32, 'a') +
                                                ", not of this one (" + id + ")"))
      << s.message();
}

TEST(SealLineTest, MalformedLinesNameWhatIsWrong) {
  const std::string good = "assay-seal/1 workspace=" + std::string(32, 'a') + " seq=12 head=" + std::string(64, 'b') +
                           " at=2026-11-24T12:00:00Z signer=ada key=0123456789ABCDEF sig=" + std::string(86, 'A') +
                           "==";
  SealInfo s;
  ASSERT_OK(ParseSealLine(good, &s));
  EXPECT_EQ(12, s.seq);
  EXPECT_EQ(good, s.line);
  ASSERT_OK(ParseSealLine(good + "\r\n", &s));
  struct Case {
    std::string text, message;
  };
  auto replace = [&good](const std::string& from, const std::string& to) {
    std::string t = good;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  const Case cases[] = {
      {"", "not an assay seal"},
      {"hello world", "not an assay seal"},
      {good + "\nsecond", "a seal is one line"},
      {good.substr(0, good.find(" sig=")), "seal field 'sig' is missing"},
      {replace("seq=12", "seq=x"), "seal field 'seq': expected a positive integer"},
      {replace("seq=12", "seq=0"), "seal field 'seq': expected a positive integer"},
      {replace("seq=12", "position=12"), "seal field 2 must be 'seq=...'"},
      {replace("head=b", "head=B"), "seal field 'head': expected 64 lower-case hex digits"},
      {replace("workspace=a", "workspace=aa"), "seal field 'workspace': expected 32 lower-case hex digits"},
      {replace("at=2026-11-24T12:00:00Z", "at=yesterday"), "seal field 'at': expected a UTC time"},
      {replace("signer=ada", "signer=a\x1b"), "seal field 'signer': expected a person ID"},
      {replace("key=0123456789ABCDEF", "key=0123"), "seal field 'key': expected 16 upper-case hex digits"},
      {replace("sig=A", "sig=!"), "seal field 'sig': expected 88 base64 characters"},
      {good + " extra", "unexpected text after the seal's 'sig' field"},
      {replace(" seq", "  seq"), "seal field 2 must be 'seq=...'"},
  };
  for (const Case& c : cases) {
    Status st = ParseSealLine(c.text, &s);
    EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << c.text;
    EXPECT_NE(std::string::npos, st.message().find(c.message)) << c.text << ": " << st.message();
  }
}

// Workspaces of schema versions 1 and 2 (committed fixtures) migrate to 5,
// get a workspace ID, and can be sealed and verified.
TEST_F(SealTest, OldFixturesMigrateAndSeal) {
  ASSAY_SQLITE_ONLY();
  for (const char* name : {"v1.db", "v2.db"}) {
    SCOPED_TRACE(name);
    std::string fixture = std::string(ASSAY_FIXTURES_DIR) + "/workspaces/" + name;
    std::string path = dir_.path() + "/" + name;
    std::filesystem::copy_file(fixture, path);
    auto ws = OpenWs(path);
    ASSERT_TRUE(ws);
    EXPECT_EQ(Workspace::kSchemaVersion, ws->schema_version());
    ExpectVerifies(ws.get());
    std::string id;
    ASSERT_OK(ws->WorkspaceId(&id));
    KeyInfo k;
    ASSERT_OK(ws->RegisterKey(key_.public_key(), "ada", &k));
    SealInfo seal;
    ASSERT_OK(ws->Seal(key_, &seal));
    EXPECT_OK(ws->CheckSeal(seal, nullptr));
    VerifyReport v;
    ASSERT_OK(ws->VerifyLog(&v));
    EXPECT_EQ(1, v.seals);
  }
}

// A workspace opened at schema 4 has no keys or seals; writing one is
// Unsupported, reading lists nothing.
TEST_F(SealTest, SchemaFourHasNoKeysOrSeals) {
  ASSAY_SQLITE_ONLY();
  std::unique_ptr<Workspace> v4;
  ASSERT_OK(internal::OpenWorkspaceAtVersion(db_path_, Options(), 4, &v4));
  KeyInfo k;
  EXPECT_EQ(Status::Code::kUnsupported, v4->RegisterKey(key_.public_key(), "ada", &k).code());
  std::vector<KeyInfo> keys;
  ASSERT_OK(v4->ListKeys(&keys));
  EXPECT_TRUE(keys.empty());
  bool found = true;
  SealInfo s;
  ASSERT_OK(v4->LatestSeal(&s, &found));
  EXPECT_FALSE(found);
}

}  // namespace
}  // namespace assay
