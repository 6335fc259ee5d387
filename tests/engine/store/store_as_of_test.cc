// Reading an assessment as of a log position (SnapshotOptions::at_seq) and
// the log position at a time (Workspace::LogPositionAt).
#include "assay/store.h"
#include "engine/store/store_test_util.h"

namespace assay {
namespace {

class StoreAsOfTest : public testing::StoreTest {
 protected:
  static Snapshot At(Workspace* ws, int64_t seq) {
    SnapshotOptions o;
    o.export_digest = true;
    o.at_seq = seq;
    Snapshot snap;
    Status s = ws->ReadSnapshot("A1", o, &snap);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return snap;
  }
};

// The state at a position is the state that was current then, whatever was
// written after it: ratings superseded, records updated, the status moved.
TEST_F(StoreAsOfTest, ReadsTheStateRightAfterAnEvent) {
  auto ws = Populated();
  WriteResult r;
  ASSERT_OK(ws->Rate("A1", AttrRating("L"), &r));
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kValidating, &r));
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kRated, &r));
  SnapshotOptions now_options;
  now_options.export_digest = true;
  Snapshot then;
  ASSERT_OK(ws->ReadSnapshot("A1", now_options, &then));
  // Later writes: another rating value, a new evidence version, reported.
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kValidating, &r));
  ASSERT_OK(ws->Rate("A1", AttrRating("F"), &r));
  Evidence ev = then.data.evidence[0];
  ev.description = "changed later";
  ASSERT_OK(ws->PutEvidence("A1", ev, &r));
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kRated, &r));
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kReported, &r));

  Snapshot again = At(ws.get(), then.log_seq);
  EXPECT_EQ(then.export_sha256, again.export_sha256);
  EXPECT_EQ(then.log_seq, again.log_seq);
  EXPECT_EQ(then.log_hash, again.log_hash);
  ASSERT_EQ(1u, again.data.ratings.size());
  EXPECT_EQ("L", again.data.ratings[0].value);
  EXPECT_EQ(AssessmentStatus::kRated, again.data.assessment.status);

  // Before the rating: none; the first event: the assessment alone.
  Snapshot before = At(ws.get(), then.log_seq - 3);
  EXPECT_TRUE(before.data.ratings.empty());
  Snapshot first = At(ws.get(), 1);
  EXPECT_EQ(1, first.log_seq);
  EXPECT_TRUE(first.data.scope.empty());
  EXPECT_EQ(AssessmentStatus::kPlanned, first.data.assessment.status);
}

TEST_F(StoreAsOfTest, PositionsOutsideTheLog) {
  auto ws = Populated();
  WriteResult r;
  VerifyReport v;
  ASSERT_OK(ws->VerifyLog(&v));
  SnapshotOptions o;
  o.at_seq = v.head_seq + 1;
  Snapshot snap;
  Status s = ws->ReadSnapshot("A1", o, &snap);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("is beyond the head of the log")) << s.message();
  // A2 created after event 1: not there at event 1.
  ASSERT_OK(ws->CreateAssessment(BasicAssessment("A2"), &r));
  o.at_seq = 1;
  s = ws->ReadSnapshot("A2", o, &snap);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  EXPECT_EQ("not-yet", s.subject().reason);
}

TEST_F(StoreAsOfTest, LogPositionAtATime) {
  auto ws = Populated();  // every event at 2026-11-24T12:00:00Z
  int64_t seq = -1;
  std::string hash = "x";
  ASSERT_OK(ws->LogPositionAt("2026-11-23T23:59:59Z", &seq, &hash));
  EXPECT_EQ(0, seq);
  EXPECT_EQ("", hash);
  VerifyReport v;
  ASSERT_OK(ws->VerifyLog(&v));
  ASSERT_OK(ws->LogPositionAt("2026-11-24T23:59:59Z", &seq, &hash));
  EXPECT_EQ(v.head_seq, seq);
  EXPECT_EQ(v.head_hash, hash);
  ASSERT_OK(ws->LogPositionAt("", &seq, &hash));
  EXPECT_EQ(v.head_seq, seq);
}

// SnapshotOptions::results_only: the same ratings, in the same order, with
// the key, process, item kind and value only; now and at a log position.
// The rest of the snapshot is the whole one. No export digest with it.
TEST_F(StoreAsOfTest, ResultsOnlyReadsTheFieldsTheResultsUse) {
  auto ws = Populated();
  WriteResult r;
  Rating full = AttrRating("P");
  full.strength = "a queue is kept";
  full.weakness = "no escalation rule";
  full.evidence = {"EV-1"};
  full.justification = "accepted";
  ASSERT_OK(ws->Rate("A1", full, &r));
  Rating second = AttrRating("L");
  second.assessor = "cy";
  second.item = "PA1.1";
  ASSERT_OK(ws->Rate("A1", second, &r));
  Rating team = AttrRating("F");
  team.assessor.clear();
  team.consolidated = true;
  team.weakness = "none";
  ASSERT_OK(ws->Rate("A1", team, &r));
  const int64_t at = r.event;
  ASSERT_OK(ws->Rate("A1", AttrRating("N"), &r));  // after the position: ada's rating changes

  for (const int64_t seq : {int64_t{0}, at}) {
    SCOPED_TRACE("at_seq " + std::to_string(seq));
    SnapshotOptions whole_options;
    whole_options.at_seq = seq;
    Snapshot whole;
    ASSERT_OK(ws->ReadSnapshot("A1", whole_options, &whole));
    SnapshotOptions lean_options = whole_options;
    lean_options.results_only = true;
    Snapshot lean;
    ASSERT_OK(ws->ReadSnapshot("A1", lean_options, &lean));
    EXPECT_EQ(whole.log_seq, lean.log_seq);
    EXPECT_EQ(whole.data.evidence.size(), lean.data.evidence.size());
    EXPECT_EQ(whole.data.instances.size(), lean.data.instances.size());
    ASSERT_EQ(3u, whole.data.ratings.size());
    ASSERT_EQ(whole.data.ratings.size(), lean.data.ratings.size());
    for (size_t i = 0; i < whole.data.ratings.size(); ++i) {
      const Rating& w = whole.data.ratings[i];
      const Rating& l = lean.data.ratings[i];
      EXPECT_EQ(w.id, l.id);
      EXPECT_EQ(w.instance, l.instance);
      EXPECT_EQ(w.item, l.item);
      EXPECT_EQ(w.item_kind, l.item_kind);
      EXPECT_EQ(w.assessor, l.assessor);
      EXPECT_EQ(w.consolidated, l.consolidated);
      EXPECT_EQ(w.process, l.process);
      EXPECT_EQ(w.value, l.value);
      EXPECT_EQ(w.outside_scope, l.outside_scope);
      EXPECT_TRUE(l.strength.empty() && l.weakness.empty() && l.justification.empty() && l.rated_at.empty());
      EXPECT_TRUE(l.reasons.empty() && l.evidence.empty());
    }
    const Rating& ada = whole.data.ratings[1];  // "" (the team) sorts first, then ada, then cy
    EXPECT_EQ("ada", ada.assessor);
    EXPECT_EQ(seq == 0 ? "N" : "P", ada.value);
    if (seq != 0) {
      EXPECT_EQ("no escalation rule", ada.weakness);
    }
  }

  SnapshotOptions both;
  both.results_only = true;
  both.export_digest = true;
  Snapshot snap;
  Status s = ws->ReadSnapshot("A1", both, &snap);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("no export digest")) << s.message();
}

}  // namespace
}  // namespace assay
