// Tests of the workspace (store.h): records, versions, the log, snapshots.
#include "assay/store.h"

#include <sys/stat.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "assay/text.h"
#include "engine/store/store_test_util.h"

namespace assay {
namespace {

using testing::StoreTest;

TEST_F(StoreTest, CreateAndListAssessment) {
  auto ws = OpenWs();
  WriteResult r;
  ASSERT_OK(ws->CreateAssessment(BasicAssessment("A1"), &r));
  EXPECT_EQ(WriteResult::Kind::kCreated, r.kind);
  std::vector<Assessment> all;
  ASSERT_OK(ws->ListAssessments(&all));
  ASSERT_EQ(1u, all.size());
  EXPECT_EQ("A1", all[0].id);
  EXPECT_EQ("itsm-20000", all[0].model_id);
  EXPECT_EQ("1.0.0", all[0].model_version);
  EXPECT_EQ(64u, all[0].model_hash.size());
  EXPECT_EQ(AssessmentStatus::kPlanned, all[0].status);
  Status dup = ws->CreateAssessment(BasicAssessment("A1"), &r);
  EXPECT_EQ(Status::Code::kInvalidInput, dup.code());
  EXPECT_NE(std::string::npos, dup.message().find("already exists")) << dup.message();
}

TEST_F(StoreTest, UnknownModelIsNotFound) {
  auto ws = OpenWs();
  Assessment a = BasicAssessment("A1");
  a.model_id = "itsm-2000";
  WriteResult r;
  Status s = ws->CreateAssessment(a, &r);
  EXPECT_EQ(Status::Code::kNotFound, s.code()) << s.ToString();
}

TEST_F(StoreTest, PinnedModelHashMismatchIsRefused) {
  auto ws = OpenWs();
  Assessment a = BasicAssessment("A1");
  a.model_hash = std::string(64, '0');
  WriteResult r;
  EXPECT_EQ(Status::Code::kUnsupported, ws->CreateAssessment(a, &r).code());
}

TEST_F(StoreTest, WorkspaceFileIsOwnerOnly) {
  ASSAY_SQLITE_ONLY();
  auto ws = OpenWs();
  struct stat st {};
  ASSERT_EQ(0, ::stat(db_path_.c_str(), &st));
  EXPECT_EQ(0600u, st.st_mode & 0777u);
  EXPECT_EQ(Workspace::kSchemaVersion, ws->schema_version());
}

TEST_F(StoreTest, StatusTransitions) {
  auto ws = Populated();
  WriteResult r;
  Status s = ws->SetStatus("A1", AssessmentStatus::kRated, &r);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("allowed: validating, planned")) << s.message();
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kValidating, &r));
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kCollecting, &r));  // a step back
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kValidating, &r));
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kRated, &r));
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kReported, &r));
  // Reported: records are frozen.
  Status frozen = ws->Rate("A1", AttrRating("L"), &r);
  EXPECT_EQ(Status::Code::kInvalidInput, frozen.code());
  EXPECT_NE(std::string::npos, frozen.message().find("reported")) << frozen.message();
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kClosed, &r));
  s = ws->SetStatus("A1", AssessmentStatus::kReported, &r);
  EXPECT_NE(std::string::npos, s.message().find("closed is final")) << s.message();
  // Every status change is a version of the assessment, never an update in place.
  std::vector<Event> log;
  ASSERT_OK(ws->ReadLog("A1", &log));
  int status_events = 0;
  for (const Event& e : log) status_events += e.action == "status";
  EXPECT_EQ(7, status_events);  // planned->collecting in Populated + 6 here
  ExpectVerifies(ws.get());
}

TEST_F(StoreTest, EachRecordTypeRoundTripsThroughSnapshot) {
  auto ws = Populated();
  WriteResult r;
  Rating rt = AttrRating("L");
  rt.weakness = "No trend analysis; 'quoted' \"text\" -- DROP TABLE records;";
  rt.reasons = {"RC.NO_DATA"};
  rt.evidence = {"EV-1"};
  ASSERT_OK(ws->Rate("A1", rt, &r));
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  EXPECT_EQ("A1", d.assessment.id);
  EXPECT_EQ(AssessmentStatus::kCollecting, d.assessment.status);
  ASSERT_EQ(2u, d.scope.size());
  EXPECT_EQ("RES.1", d.scope[0].process);
  EXPECT_EQ(2, d.scope[0].target_level);
  ASSERT_EQ(1u, d.units.size());
  EXPECT_EQ("EU", d.units[0].id);
  ASSERT_EQ(2u, d.instances.size());
  EXPECT_EQ("RES.1/EU", d.instances[0].id);
  EXPECT_EQ(2.0, d.instances[0].weight);
  ASSERT_EQ(3u, d.people.size());
  EXPECT_EQ("ada", d.people[0].id);
  ASSERT_EQ(1u, d.interviews.size());
  EXPECT_EQ(std::vector<std::string>{"bob"}, d.interviews[0].interviewees);
  ASSERT_EQ(1u, d.evidence.size());
  EXPECT_EQ(EvidenceKind::kDocument, d.evidence[0].kind);
  EXPECT_EQ(Sha256Hex("abc"), d.evidence[0].sha256);
  ASSERT_EQ(1u, d.ratings.size());
  const Rating& got = d.ratings[0];
  EXPECT_EQ("RES.1", got.process);
  EXPECT_EQ(ItemKind::kAttribute, got.item_kind);
  EXPECT_EQ("L", got.value);
  EXPECT_EQ(rt.weakness, got.weakness);
  EXPECT_EQ(rt.reasons, got.reasons);
  EXPECT_EQ(rt.evidence, got.evidence);
  EXPECT_EQ("2026-11-24T12:00:00Z", got.rated_at);
  EXPECT_FALSE(got.outside_scope);
  EXPECT_GT(got.id, 0);
}

TEST_F(StoreTest, RatingVersionsSupersede) {
  auto ws = Populated();
  WriteResult r1, r2, r3;
  ASSERT_OK(ws->Rate("A1", AttrRating("P"), &r1));
  EXPECT_EQ(WriteResult::Kind::kCreated, r1.kind);
  ASSERT_OK(ws->Rate("A1", AttrRating("l"), &r2));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r2.kind);
  ASSERT_OK(ws->Rate("A1", AttrRating("L"), &r3));  // identical: no new version
  EXPECT_EQ(WriteResult::Kind::kUnchanged, r3.kind);
  EXPECT_EQ(r2.row, r3.row);
  std::vector<Rating> versions;
  ASSERT_OK(ws->RatingHistory("A1", "RES.1/EU", "PA1.1", &versions));
  ASSERT_EQ(2u, versions.size());
  EXPECT_EQ("P", versions[0].value);
  EXPECT_EQ("L", versions[1].value);
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  ASSERT_EQ(1u, d.ratings.size());
  EXPECT_EQ("L", d.ratings[0].value);
  std::vector<Event> log;
  ASSERT_OK(ws->ReadLog("A1", &log));
  EXPECT_EQ("update", log.back().action);
  EXPECT_NE(std::string::npos, log.back().before.find("\"value\":\"P\""));
  EXPECT_NE(std::string::npos, log.back().after.find("\"value\":\"L\""));
  ExpectVerifies(ws.get());
}

TEST_F(StoreTest, AssessorAndConsolidatedRatingsAreSeparate) {
  auto ws = Populated();
  WriteResult r;
  ASSERT_OK(ws->Rate("A1", AttrRating("L"), &r));
  Rating c = AttrRating("F");
  c.assessor.clear();
  c.consolidated = true;
  ASSERT_OK(ws->Rate("A1", c, &r));
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  EXPECT_EQ(2u, d.ratings.size());
}

TEST_F(StoreTest, ItemKindsAreDerivedFromTheModel) {
  auto ws = Populated();
  WriteResult r;
  struct Case {
    std::string item;
    ItemKind kind;
  } cases[] = {{"RES.1.BP1", ItemKind::kIndicator},
               {"RES.1.O1", ItemKind::kOutcome},
               {"PA2.1.a", ItemKind::kAchievement},
               {"GP2.1.1", ItemKind::kIndicator},
               {"PA2.1", ItemKind::kAttribute}};
  for (const Case& c : cases) {
    Rating rt = AttrRating("F");
    rt.item = c.item;
    ASSERT_OK(ws->Rate("A1", rt, &r));
  }
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  ASSERT_EQ(5u, d.ratings.size());
  for (const Rating& got : d.ratings)
    for (const Case& c : cases)
      if (c.item == got.item) {
        EXPECT_EQ(c.kind, got.item_kind) << c.item;
      }
}

TEST_F(StoreTest, AttributeAboveTargetIsAcceptedButOutsideScope) {
  auto ws = Populated();
  Rating rt = AttrRating("P");
  rt.item = "PA3.1";  // RES.1 target level is 2
  WriteResult r;
  ASSERT_OK(ws->Rate("A1", rt, &r));
  EXPECT_TRUE(r.outside_scope);
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  ASSERT_EQ(1u, d.ratings.size());
  EXPECT_TRUE(d.ratings[0].outside_scope);
}

// A table of bad ratings: code and a piece of the message.
TEST_F(StoreTest, BadRatingsAreRefusedWithNearestIds) {
  auto ws = Populated();
  struct Case {
    const char* what;
    std::function<void(Rating*)> change;
    Status::Code code;
    const char* message;
  } cases[] = {
      {"unknown instance", [](Rating* r) { r->instance = "RES.1/UE"; }, Status::Code::kNotFound,
       "unknown process instance 'RES.1/UE'; nearest: RES.1/EU"},
      {"unknown item", [](Rating* r) { r->item = "PA1.2"; }, Status::Code::kNotFound, "nearest: PA1.1"},
      {"foreign base practice", [](Rating* r) { r->item = "RES.2.BP1"; }, Status::Code::kInvalidInput,
       "belongs to process 'RES.2', not 'RES.1'"},
      {"wrong process", [](Rating* r) { r->process = "RES.2"; }, Status::Code::kInvalidInput,
       "instance 'RES.1/EU' belongs to process 'RES.1'"},
      {"bad value", [](Rating* r) { r->value = "G"; }, Status::Code::kInvalidInput, "use N, P-, P, P+"},
      {"refined on standard scale", [](Rating* r) { r->value = "P+"; }, Status::Code::kInvalidInput,
       "refined scale"},
      {"percentage above 100", [](Rating* r) { r->value = "101%"; }, Status::Code::kInvalidInput,
       "between 0% and 100%"},
      {"unknown assessor", [](Rating* r) { r->assessor = "adda"; }, Status::Code::kNotFound,
       "unknown person 'adda'; nearest: ada"},
      {"interviewee as assessor", [](Rating* r) { r->assessor = "bob"; }, Status::Code::kInvalidInput,
       "not an assessor"},
      {"no assessor", [](Rating* r) { r->assessor.clear(); }, Status::Code::kInvalidInput, "give the assessor"},
      {"unknown reason", [](Rating* r) { r->reasons = {"RC.NO_DAT"}; }, Status::Code::kNotFound,
       "nearest: RC.NO_DATA"},
      {"unknown evidence", [](Rating* r) { r->evidence = {"EV-2"}; }, Status::Code::kNotFound,
       "nearest: EV-1"},
      {"bad date", [](Rating* r) { r->rated_at = "yesterday"; }, Status::Code::kInvalidInput, "ISO 8601"},
  };
  std::string head = Head(ws.get());
  for (const Case& c : cases) {
    Rating rt = AttrRating("L");
    c.change(&rt);
    WriteResult r;
    Status s = ws->Rate("A1", rt, &r);
    EXPECT_EQ(c.code, s.code()) << c.what << ": " << s.ToString();
    EXPECT_NE(std::string::npos, s.message().find(c.message)) << c.what << ": " << s.message();
  }
  EXPECT_EQ(head, Head(ws.get()));
}

TEST_F(StoreTest, BadRecordsAreRefused) {
  auto ws = Populated();
  WriteResult r;
  Status s = ws->PutScope("A1", {"RES.9", 2}, &r);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  EXPECT_NE(std::string::npos, s.message().find("nearest: RES.1")) << s.message();
  EXPECT_EQ(Status::Code::kInvalidInput, ws->PutScope("A1", {"RES.2", 6}, &r).code());
  ProcessInstance inst{"SAS.1/EU", "SAS.1", "x", "", 1.0};
  s = ws->PutInstance("A1", inst, &r);
  EXPECT_NE(std::string::npos, s.message().find("not in the assessment's scope")) << s.message();
  inst = {"RES.1/US", "RES.1", "x", "US", 1.0};
  s = ws->PutInstance("A1", inst, &r);
  EXPECT_NE(std::string::npos, s.message().find("unknown organizational unit 'US'; nearest: EU")) << s.message();
  Interview iv;
  iv.id = "I-2";
  iv.interviewers = {"adx"};
  s = ws->PutInterview("A1", iv, &r);
  EXPECT_NE(std::string::npos, s.message().find("unknown person 'adx'")) << s.message();
  Evidence ev;
  ev.id = "EV-9";
  ev.sha256 = "xyz";
  EXPECT_EQ(Status::Code::kInvalidInput, ws->PutEvidence("A1", ev, &r).code());
  Person p;
  p.id = " padded";
  EXPECT_EQ(Status::Code::kInvalidInput, ws->PutPerson("A1", p, &r).code());
  EXPECT_EQ(Status::Code::kNotFound, ws->PutPerson("A2", Person{"x", "", "", {}}, &r).code());
}

TEST_F(StoreTest, RecordsGetNewVersionsOnChange) {
  auto ws = Populated();
  WriteResult r;
  ASSERT_OK(ws->PutScope("A1", {"RES.1", 3}, &r));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);
  ASSERT_OK(ws->PutScope("A1", {"RES.1", 3}, &r));
  EXPECT_EQ(WriteResult::Kind::kUnchanged, r.kind);
  Assessment a;
  ASSERT_OK(ws->GetAssessment("A1", &a));
  a.title = "Renamed";
  ASSERT_OK(ws->UpdateAssessment(a, &r));
  ASSERT_OK(ws->GetAssessment("A1", &a));
  EXPECT_EQ("Renamed", a.title);
  EXPECT_EQ(AssessmentStatus::kCollecting, a.status);
  ExpectVerifies(ws.get());
}

TEST_F(StoreTest, NormalizeRatingValue) {
  std::string v;
  struct {
    const char* in;
    const char* out;
  } good[] = {{"n", "N"}, {"P-", "P-"}, {"l+", "L+"}, {"F", "F"}, {"72%", "72%"}, {"72.5 %", "72.5%"}, {"0%", "0%"},
              {"100%", "100%"}, {"007%", "7%"}};
  for (const auto& g : good) {
    ASSERT_OK(NormalizeRatingValue(g.in, &v));
    EXPECT_EQ(g.out, v);
  }
  for (const char* bad : {"", "X", "P++", "%", "-5%", "1e2%", "100.1%", "72", ".5%"})
    EXPECT_FALSE(NormalizeRatingValue(bad, &v).ok()) << bad;
}

TEST_F(StoreTest, AllowedTransitions) {
  EXPECT_EQ(std::vector<AssessmentStatus>{AssessmentStatus::kCollecting},
            AllowedTransitions(AssessmentStatus::kPlanned));
  EXPECT_TRUE(AllowedTransitions(AssessmentStatus::kClosed).empty());
}

}  // namespace

// The scope comes back in the order the processes were scoped (not sorted by
// ID); a new version of a scope record keeps its place.
TEST_F(StoreTest, SnapshotKeepsScopeOrder) {
  auto ws = OpenWs();
  WriteResult r;
  ASSERT_OK(ws->CreateAssessment(BasicAssessment("A1"), &r));
  ASSERT_OK(ws->PutScope("A1", {"RES.2", 1}, &r));
  ASSERT_OK(ws->PutScope("A1", {"SMS.3", 1}, &r));
  ASSERT_OK(ws->PutScope("A1", {"RES.1", 2}, &r));
  ASSERT_OK(ws->PutScope("A1", {"RES.2", 3}, &r));  // a new version of the first
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);
  AssessmentData d;
  ASSERT_OK(ws->ReadSnapshot("A1", &d));
  ASSERT_EQ(3u, d.scope.size());
  EXPECT_EQ("RES.2", d.scope[0].process);
  EXPECT_EQ(3, d.scope[0].target_level);
  EXPECT_EQ("SMS.3", d.scope[1].process);
  EXPECT_EQ("RES.1", d.scope[2].process);
}

}  // namespace assay
