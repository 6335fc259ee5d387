// Tests of withdrawal (issue 15): a tombstone version supersedes a rating,
// evidence item, instance or team member; nothing is deleted; snapshots and
// exports leave it out; bad requests write nothing.
#include "assay/store.h"
#include "engine/store/store_test_util.h"

namespace assay {
namespace {

class WithdrawTest : public testing::StoreTest {
 protected:
  static Withdrawal Of(WithdrawKind kind, const std::string& id, const std::string& reason = "entered by mistake") {
    Withdrawal w;
    w.kind = kind;
    w.id = id;
    w.reason = reason;
    return w;
  }
  static Withdrawal RatingOf(const std::string& assessor, const std::string& reason = "wrong instance") {
    Withdrawal w;
    w.instance = "RES.1/EU";
    w.item = "PA1.1";
    w.assessor = assessor;
    w.reason = reason;
    return w;
  }
};

TEST_F(WithdrawTest, RatingIsLeftOutAndTheLogShowsIt) {
  auto ws = Populated();
  WriteResult r;
  ASSERT_OK(ws->Rate("A1", AttrRating("L"), &r));
  ASSERT_OK(ws->Withdraw("A1", RatingOf("ada"), &r));
  AssessmentData data;
  ASSERT_OK(ws->ReadSnapshot("A1", &data));
  EXPECT_TRUE(data.ratings.empty());
  std::vector<Rating> history;
  ASSERT_OK(ws->RatingHistory("A1", "RES.1/EU", "PA1.1", &history));
  ASSERT_EQ(2u, history.size());  // nothing deleted
  EXPECT_EQ(kWithdrawnValue, history.back().value);
  EXPECT_EQ("wrong instance", history.back().justification);
  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog("A1", &events));
  EXPECT_EQ("withdraw", events.back().action);
  EXPECT_EQ("rating", events.back().entity);
  EXPECT_EQ("tester", events.back().actor);
  ExpectVerifies(ws.get());
  // Withdrawn already: refused; rating again supersedes the tombstone.
  const std::string head = Head(ws.get());
  Status s = ws->Withdraw("A1", RatingOf("ada"), &r);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  EXPECT_EQ(head, Head(ws.get()));
  ASSERT_OK(ws->Rate("A1", AttrRating("L"), &r));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);
  ASSERT_OK(ws->ReadSnapshot("A1", &data));
  ASSERT_EQ(1u, data.ratings.size());
  EXPECT_EQ("L", data.ratings[0].value);
  ExpectVerifies(ws.get());
}

TEST_F(WithdrawTest, RecordsAreLeftOutOfSnapshotsAndExports) {
  auto ws = Populated();
  WriteResult r;
  Evidence ev2;
  ev2.id = "EV-2";
  ev2.kind = EvidenceKind::kRecord;
  ev2.reference = "wrong ticket";
  ASSERT_OK(ws->PutEvidence("A1", ev2, &r));
  ASSERT_OK(ws->PutInstance("A1", {"RES.1/XX", "RES.1", "", "EU", 1.0}, &r));
  ASSERT_OK(ws->PutPerson("A1", {"cyx", "Cy X.", "", {Role::kObserver}}, &r));
  ASSERT_OK(ws->Withdraw("A1", Of(WithdrawKind::kEvidence, "EV-2"), &r));
  ASSERT_OK(ws->Withdraw("A1", Of(WithdrawKind::kInstance, "RES.1/XX"), &r));
  ASSERT_OK(ws->Withdraw("A1", Of(WithdrawKind::kPerson, "cyx"), &r));
  AssessmentData data;
  ASSERT_OK(ws->ReadSnapshot("A1", &data));
  EXPECT_EQ(1u, data.evidence.size());
  EXPECT_EQ(2u, data.instances.size());
  EXPECT_EQ(3u, data.people.size());
  std::string json;
  ASSERT_OK(ws->Export("A1", &json));
  EXPECT_EQ(std::string::npos, json.find("EV-2"));
  EXPECT_EQ(std::string::npos, json.find("RES.1/XX"));
  EXPECT_EQ(std::string::npos, json.find("cyx"));
  // A withdrawn instance cannot be rated; added again, it can.
  Rating x = AttrRating("F");
  x.instance = "RES.1/XX";
  EXPECT_EQ(Status::Code::kNotFound, ws->Rate("A1", x, &r).code());
  ASSERT_OK(ws->PutInstance("A1", {"RES.1/XX", "RES.1", "", "EU", 1.0}, &r));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);
  ASSERT_OK(ws->Rate("A1", x, &r));
  ExpectVerifies(ws.get());
}

TEST_F(WithdrawTest, BadRequestsWriteNothing) {
  auto ws = Populated();
  WriteResult r;
  Rating cited = AttrRating("L");
  cited.evidence = {"EV-1"};
  ASSERT_OK(ws->Rate("A1", cited, &r));
  const std::string head = Head(ws.get());
  struct Case {
    Withdrawal w;
    Status::Code code;
    std::string message;
  };
  const Case cases[] = {
      {Of(WithdrawKind::kEvidence, "EV-1", " "), Status::Code::kInvalidInput,
       "a withdrawal needs a reason (--reason TEXT)"},
      {Of(WithdrawKind::kEvidence, "EV-1"), Status::Code::kInvalidInput,
       "evidence 'EV-1' is still referred to by 1 record (rating RES.1/EU PA1.1 ada); withdraw or change those first"},
      {Of(WithdrawKind::kInstance, "RES.1/EU"), Status::Code::kInvalidInput,
       "instance 'RES.1/EU' is still referred to by 2 records (rating RES.1/EU PA1.1 ada, interview I-1); withdraw "
       "or change those first"},
      {Of(WithdrawKind::kPerson, "bob"), Status::Code::kInvalidInput,
       "person 'bob' is still referred to by 1 record (interview I-1); withdraw or change those first"},
      {Of(WithdrawKind::kEvidence, "EV-9"), Status::Code::kNotFound,
       "no evidence 'EV-9' in assessment 'A1'; nearest: EV-1"},
      {RatingOf("cy"), Status::Code::kNotFound,
       "no current rating RES.1/EU PA1.1 cy in assessment 'A1'; nearest: RES.1/EU PA1.1"},
  };
  for (const Case& c : cases) {
    Status s = ws->Withdraw("A1", c.w, &r);
    EXPECT_EQ(c.code, s.code()) << c.message;
    EXPECT_EQ(c.message, s.message());
  }
  EXPECT_EQ(head, Head(ws.get()));
  Status s = ws->Withdraw("A9", Of(WithdrawKind::kPerson, "bob"), &r);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kValidating, &r));
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kRated, &r));
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kReported, &r));
  s = ws->Withdraw("A1", RatingOf("ada"), &r);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_EQ("frozen", s.subject().reason);
}

}  // namespace
}  // namespace assay
