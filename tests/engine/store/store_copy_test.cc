// Workspace::CopyInto: a whole workspace into a new one. The middle
// workspace is db_path_, so under store.postgres the round trip goes
// SQLite -> PostgreSQL -> SQLite (SQLite files only otherwise).
#include <memory>
#include <string>
#include <vector>

#include "assay/signing.h"
#include "assay/store.h"
#include "engine/store/store_test_util.h"

namespace assay {
namespace {

class WorkspaceCopyTest : public testing::StoreTest {
 protected:
  // A1 populated with ratings (one superseded, one consolidated), a second
  // assessment, ada's key and a seal of the log.
  std::unique_ptr<Workspace> Source(const std::string& path) {
    auto ws = Populated(path);
    WriteResult r;
    EXPECT_OK(ws->Rate("A1", AttrRating("P"), &r));
    EXPECT_OK(ws->Rate("A1", AttrRating("L"), &r));
    Rating cy = AttrRating("F");
    cy.assessor = "cy";
    EXPECT_OK(ws->Rate("A1", cy, &r));
    Rating text = AttrRating("L");
    text.item = "PA2.1";
    text.strength = "Zo\xC3\xAB's queue, \"quoted\"\ttab";
    EXPECT_OK(ws->Rate("A1", text, &r));
    EXPECT_OK(ws->CreateAssessment(BasicAssessment("A2"), &r));
    SecretKey key;
    std::string key_text;
    EXPECT_OK(NewKeyPair("", KdfLimits{}, &key, &key_text));
    KeyInfo k;
    EXPECT_OK(ws->RegisterKey(key.public_key(), "ada", &k));
    SealInfo seal;
    EXPECT_OK(ws->Seal(key, &seal));
    return ws;
  }

  // Everything a copy must keep: the ID, each assessment's export, the log.
  static std::string Fingerprint(Workspace* ws) {
    std::string out, id;
    EXPECT_OK(ws->WorkspaceId(&id));
    out += "id " + id + "\n";
    std::vector<Assessment> list;
    EXPECT_OK(ws->ListAssessments(&list));
    for (const Assessment& a : list) {
      std::string json;
      EXPECT_OK(ws->Export(a.id, &json));
      out += a.id + " " + json + "\n";
    }
    VerifyReport v;
    EXPECT_OK(ws->VerifyLog(&v));
    out += "head " + std::to_string(v.head_seq) + " " + v.head_hash + " records " + std::to_string(v.records);
    return out;
  }
};

TEST_F(WorkspaceCopyTest, RoundTripGivesByteIdenticalExportsAndAVerifyingLog) {
  auto src = Source(dir_.path() + "/src.db");
  const std::string original = Fingerprint(src.get());
  VerifyReport sv;
  ASSERT_OK(src->VerifyLog(&sv));

  auto mid = OpenWs();  // PostgreSQL under store.postgres
  CopyReport there;
  ASSERT_OK(src->CopyInto(mid.get(), &there));
  EXPECT_EQ(sv.head_seq, there.head_seq);
  EXPECT_EQ(sv.head_seq, there.events);
  EXPECT_EQ(sv.head_seq, there.verified.head_seq);
  EXPECT_EQ(sv.head_hash, there.verified.head_hash);
  EXPECT_EQ(0, there.verified.first_bad_event);
  EXPECT_EQ(4, there.ratings);
  EXPECT_EQ(1, there.keys);
  EXPECT_EQ(1, there.seals);
  EXPECT_EQ(original, Fingerprint(mid.get()));

  auto back = OpenWs(dir_.path() + "/back.db");
  CopyReport again;
  ASSERT_OK(mid->CopyInto(back.get(), &again));
  EXPECT_EQ(there.events, again.events);
  EXPECT_EQ(there.records, again.records);
  EXPECT_EQ(there.ratings, again.ratings);
  EXPECT_EQ(sv.head_hash, again.verified.head_hash);
  EXPECT_EQ(original, Fingerprint(back.get()));

  // The copy appended nothing to either log, and the copies keep working:
  // the next write chains onto the same head in each.
  EXPECT_EQ(original, Fingerprint(src.get()));
  WriteResult r1, r2;
  ASSERT_OK(src->Rate("A1", AttrRating("N"), &r1));
  ASSERT_OK(back->Rate("A1", AttrRating("N"), &r2));
  EXPECT_EQ(Fingerprint(src.get()), Fingerprint(back.get()));
}

TEST_F(WorkspaceCopyTest, DestinationWithDataIsRefusedAndUnchanged) {
  auto src = Source(dir_.path() + "/src.db");
  auto dest = OpenWs();
  WriteResult r;
  ASSERT_OK(dest->CreateAssessment(BasicAssessment("B1"), &r));
  const std::string before = Fingerprint(dest.get());
  CopyReport report;
  Status s = src->CopyInto(dest.get(), &report);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("not empty")) << s.ToString();
  EXPECT_EQ(before, Fingerprint(dest.get()));
  EXPECT_EQ(0, report.events);

  // Nor into itself.
  const std::string own = Fingerprint(src.get());
  EXPECT_EQ(Status::Code::kInvalidInput, src->CopyInto(src.get(), &report).code());
  EXPECT_EQ(own, Fingerprint(src.get()));
}

TEST_F(WorkspaceCopyTest, AnEmptyWorkspaceCopiesToAnEmptyOne) {
  auto src = OpenWs(dir_.path() + "/empty.db");
  auto dest = OpenWs();
  CopyReport report;
  ASSERT_OK(src->CopyInto(dest.get(), &report));
  EXPECT_EQ(0, report.events);
  EXPECT_EQ(0, report.head_seq);
  std::string a, b;
  ASSERT_OK(src->WorkspaceId(&a));
  ASSERT_OK(dest->WorkspaceId(&b));
  EXPECT_EQ(a, b);
}

// A server that cannot be reached is an I/O error before anything is read.
TEST_F(WorkspaceCopyTest, UnreachableServerIsAnIOError) {
  std::unique_ptr<Workspace> ws;
  Status s = Workspace::Open("postgresql://assay@/assay?host=" + dir_.path() + "/no-server", Options(), &ws);
  EXPECT_EQ(Status::Code::kIOError, s.code()) << s.ToString();
  EXPECT_FALSE(ws);
}

}  // namespace
}  // namespace assay
