// Accounts and the permissions of the write path (schema version 7, issue
// 21; docs/ACCOUNTS.md): each rule at its edges, and every refused attempt
// in the log.
#include <SQLiteCpp/SQLiteCpp.h>

#include "assay/store.h"
#include "assay/audit_store.h"
#include "engine/store/store_test_util.h"

namespace assay {
namespace {

class StoreAccountsTest : public testing::StoreTest {
 protected:
  // One Argon2id hash for every account of the tests (hashing is slow on purpose).
  static const std::string& Hash() {
    static const std::string h = [] {
      std::string out;
      EXPECT_TRUE(HashPassword("correct horse battery", &out).ok());
      return out;
    }();
    return h;
  }

  static Account Acct(const std::string& id, std::vector<std::string> roles) {
    Account a;
    a.id = id;
    a.roles = std::move(roles);
    return a;
  }

  // Populated() (A1: ada lead assessor, cy assessor, bob interviewee), then
  // accounts: root (admin), ada (lead-assessor), cy and dan (assessor; dan
  // not on the team), vic (viewer).
  std::unique_ptr<Workspace> WithAccounts() {
    auto ws = Populated();
    WriteResult r;
    EXPECT_OK(ws->PutAccount(Acct("root", {"admin"}), Hash(), &r));
    auto admin = As("root");
    EXPECT_OK(admin->PutAccount(Acct("ada", {"lead-assessor", "assessor"}), Hash(), &r));
    EXPECT_OK(admin->PutAccount(Acct("cy", {"assessor"}), Hash(), &r));
    EXPECT_OK(admin->PutAccount(Acct("dan", {"assessor"}), Hash(), &r));
    EXPECT_OK(admin->PutAccount(Acct("vic", {"viewer"}), Hash(), &r));
    return ws;
  }

  std::unique_ptr<Workspace> As(const std::string& user) {
    WorkspaceOptions o = Options();
    o.user = user;
    std::unique_ptr<Workspace> ws;
    EXPECT_OK(Workspace::Open(db_path_, o, &ws));
    return ws;
  }

  static Rating RatingBy(const std::string& assessor, const std::string& value = "L") {
    Rating r = AttrRating(value);
    r.assessor = assessor;
    return r;
  }

  // The refusals in the log, as "user: reason".
  std::vector<std::string> Refusals(Workspace* ws) {
    std::vector<Event> events;
    EXPECT_OK(ws->ReadLog("", &events));
    std::vector<std::string> out;
    for (const Event& e : events)
      if (e.entity == "access") {
        EXPECT_EQ("refused", e.action);
        auto j = nlohmann::json::parse(e.after);
        out.push_back(j["user"].get<std::string>() + ": " + j["reason"].get<std::string>());
      }
    return out;
  }

  // Expects `s` to be PermissionDenied, one more refusal logged, mentioning `why`.
  void ExpectRefused(const Status& s, Workspace* ws, size_t before, const std::string& why) {
    EXPECT_EQ(Status::Code::kPermissionDenied, s.code()) << s.ToString();
    EXPECT_NE(std::string::npos, s.message().find(why)) << s.message();
    auto refusals = Refusals(ws);
    ASSERT_EQ(before + 1, refusals.size());
    EXPECT_NE(std::string::npos, refusals.back().find(why)) << refusals.back();
  }
};

TEST_F(StoreAccountsTest, NoAccountsIsOpenAsBefore) {
  auto ws = Populated();
  bool has = true;
  ASSERT_OK(ws->HasAccounts(&has));
  EXPECT_FALSE(has);
  WriteResult r;
  ASSERT_OK(ws->Rate("A1", RatingBy("cy"), &r));  // no user needed
  ASSERT_OK(ws->SetStatus("A1", AssessmentStatus::kValidating, &r));
  EXPECT_TRUE(Refusals(ws.get()).empty());
  std::vector<Account> all;
  ASSERT_OK(ws->ListAccounts(&all));
  EXPECT_TRUE(all.empty());
}

TEST_F(StoreAccountsTest, FirstAccountIsAnAdminAndTheHashStaysOutOfTheLog) {
  auto ws = Populated();
  WriteResult r;
  Status s = ws->PutAccount(Acct("ada", {"assessor"}), Hash(), &r);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("first account of a workspace must have the role admin"));
  s = ws->PutAccount(Acct("root", {"admin"}), "", &r);
  EXPECT_NE(std::string::npos, s.message().find("needs a password")) << s.ToString();
  s = ws->PutAccount(Acct("root", {"admin", "boss"}), Hash(), &r);
  EXPECT_NE(std::string::npos, s.message().find("unknown role 'boss'")) << s.ToString();
  s = ws->PutAccount(Acct("rep", {"client"}), Hash(), &r);
  EXPECT_NE(std::string::npos, s.message().find("--client C --until DATE")) << s.ToString();
  ASSERT_OK(ws->PutAccount(Acct("root", {"admin"}), Hash(), &r));
  EXPECT_EQ(WriteResult::Kind::kCreated, r.kind);

  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog("", &events));
  const Event& e = events.back();
  EXPECT_EQ("account", e.entity);
  EXPECT_EQ("create", e.action);
  EXPECT_EQ("root", e.entity_id);
  EXPECT_EQ(std::string::npos, e.after.find("argon2")) << e.after;
  EXPECT_NE(std::string::npos, e.after.find("\"password_set\":\"2026-11-24T12:00:00Z\"")) << e.after;
  ExpectVerifies(ws.get());

  Account got;
  std::string hash;
  ASSERT_OK(ws->GetAccount("root", &got, &hash));
  EXPECT_EQ("root", got.person);  // the person defaults to the ID
  EXPECT_EQ(Hash(), hash);
  s = ws->GetAccount("rot", &got, nullptr);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  EXPECT_NE(std::string::npos, s.message().find("nearest: root")) << s.message();

  // An account row edited in place no longer verifies.
  Outside("UPDATE accounts SET data = replace(data, 'admin', 'viewer')");
  VerifyReport v;
  EXPECT_EQ(Status::Code::kCorruption, ws->VerifyLog(&v).code());
  EXPECT_EQ(e.seq, v.first_bad_event);
}

TEST_F(StoreAccountsTest, AuthenticateDoesNotTellUnknownFromWrong) {
  auto ws = WithAccounts();
  Account a;
  ASSERT_OK(ws->Authenticate("cy", "correct horse battery", "2026-11-24", &a));
  EXPECT_EQ(std::vector<std::string>{"assessor"}, a.roles);
  Status wrong = ws->Authenticate("cy", "wrong horse battery", "2026-11-24", &a);
  Status unknown = ws->Authenticate("zed", "correct horse battery", "2026-11-24", &a);
  EXPECT_EQ(Status::Code::kPermissionDenied, wrong.code());
  EXPECT_EQ(wrong.message(), unknown.message());
  WriteResult r;
  Account cy;
  ASSERT_OK(ws->GetAccount("cy", &cy, nullptr));
  cy.disabled = true;
  ASSERT_OK(As("root")->PutAccount(cy, "", &r));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);
  Status off = ws->Authenticate("cy", "correct horse battery", "2026-11-24", &a);
  EXPECT_NE(std::string::npos, off.message().find("is disabled")) << off.ToString();
  EXPECT_FALSE(PasswordMatches("", "x"));
  std::string h;
  EXPECT_EQ(Status::Code::kInvalidInput, HashPassword("short", &h).code());
}

TEST_F(StoreAccountsTest, WithAccountsEveryWriteNeedsAnAllowedUser) {
  auto ws = WithAccounts();
  WriteResult r;
  const size_t n = Refusals(ws.get()).size();
  // No user at all.
  ExpectRefused(ws->Rate("A1", RatingBy("cy"), &r), ws.get(), n, "every write needs a signed-in user");
  // A viewer writes nothing; only an admin manages accounts.
  auto vic = As("vic");
  ExpectRefused(vic->Rate("A1", RatingBy("cy"), &r), ws.get(), n + 1, "rates only in assessments whose team");
  ExpectRefused(vic->PutAccount(Acct("eve", {"admin"}), Hash(), &r), ws.get(), n + 2, "only an admin manages accounts");
  // An unknown user is refused too.
  ExpectRefused(As("zed")->Rate("A1", RatingBy("cy"), &r), ws.get(), n + 3, "no account 'zed'");
  ExpectVerifies(ws.get());
  // Nothing but the refusals was written.
  Snapshot snap;
  ASSERT_OK(ws->ReadSnapshot("A1", SnapshotOptions(), &snap));
  EXPECT_TRUE(snap.data.ratings.empty());
}

TEST_F(StoreAccountsTest, AnAssessorRatesOnlyAsThemselvesInTheirTeamsAssessments) {
  auto ws = WithAccounts();
  WriteResult r;
  size_t n = Refusals(ws.get()).size();
  auto cy = As("cy");
  ASSERT_OK(cy->Rate("A1", RatingBy("cy"), &r));  // on the team as assessor
  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog("A1", &events));
  EXPECT_EQ("cy", events.back().actor);  // the user is the actor
  ExpectRefused(cy->Rate("A1", RatingBy("ada"), &r), ws.get(), n++, "rates as themselves (cy), not as 'ada'");
  Rating team = RatingBy("");
  team.consolidated = true;
  ExpectRefused(cy->Rate("A1", team, &r), ws.get(), n++, "only the assessment's lead assessor consolidates");
  ExpectRefused(cy->SetStatus("A1", AssessmentStatus::kValidating, &r), ws.get(), n++,
                "only the assessment's lead assessor moves its status");
  // dan is an assessor, but not on A1's team: he may not even enter cy's rating.
  ExpectRefused(As("dan")->Rate("A1", RatingBy("cy", "F"), &r), ws.get(), n++, "not in assessment A1");
  // Evidence: assessors of the team only.
  Evidence ev;
  ev.id = "EV-2";
  ev.kind = EvidenceKind::kDocument;
  ev.reference = "DOC-18";
  ev.collected_by = "cy";
  ASSERT_OK(cy->PutEvidence("A1", ev, &r));
  ev.reference = "DOC-19";  // a change (an identical write writes nothing, so checks nothing)
  ExpectRefused(As("dan")->PutEvidence("A1", ev, &r), ws.get(), n++, "only the assessors of the team");
  // Scope and team: the lead assessor.
  ExpectRefused(cy->PutScope("A1", {"RES.2", 2}, &r), ws.get(), n++, "only the assessment's lead assessor changes");
}

TEST_F(StoreAccountsTest, OnlyTheLeadAssessorConsolidatesAndMovesStatuses) {
  auto ws = WithAccounts();
  WriteResult r;
  auto ada = As("ada");
  ASSERT_OK(ada->Rate("A1", RatingBy("ada"), &r));
  ASSERT_OK(As("cy")->Rate("A1", RatingBy("cy", "F"), &r));
  Rating team = RatingBy("", "L");
  team.consolidated = true;
  ASSERT_OK(ada->Rate("A1", team, &r));
  ASSERT_OK(ada->SetStatus("A1", AssessmentStatus::kValidating, &r));
  // A lead assessor account that is not the team's lead: refused.
  auto root = As("root");
  ASSERT_OK(root->PutAccount(Acct("lee", {"lead-assessor"}), Hash(), &r));
  const size_t n = Refusals(ws.get()).size();
  ExpectRefused(As("lee")->SetStatus("A1", AssessmentStatus::kCollecting, &r), ws.get(), n,
                "only the assessment's lead assessor moves its status");
  // ...but may create an assessment and make themselves its lead.
  auto lee = As("lee");
  ASSERT_OK(lee->CreateAssessment(BasicAssessment("A2"), &r));
  ASSERT_OK(lee->PutPerson("A2", {"lee", "Lee K.", "", {Role::kLeadAssessor}}, &r));
  ASSERT_OK(lee->SetStatus("A2", AssessmentStatus::kCollecting, &r));
  // Once A2 has a lead, another lead-assessor account cannot join as a second one.
  ExpectRefused(ada->PutPerson("A2", {"ada", "", "", {Role::kLeadAssessor}}, &r), ws.get(), n + 1,
                "only the assessment's lead assessor changes its person records");
  ExpectVerifies(ws.get());
}

TEST_F(StoreAccountsTest, DisabledAndExpiredAccountsAreRefused) {
  auto ws = WithAccounts();
  WriteResult r;
  auto root = As("root");
  Account cy;
  ASSERT_OK(ws->GetAccount("cy", &cy, nullptr));
  cy.until = "2026-11-23";  // the clock says 2026-11-24
  ASSERT_OK(root->PutAccount(cy, "", &r));
  size_t n = Refusals(ws.get()).size();
  ExpectRefused(As("cy")->Rate("A1", RatingBy("cy"), &r), ws.get(), n++, "expired after 2026-11-23");
  cy.until = "2026-11-24";  // the last day still counts
  ASSERT_OK(root->PutAccount(cy, "", &r));
  ASSERT_OK(As("cy")->Rate("A1", RatingBy("cy"), &r));
  cy.disabled = true;
  ASSERT_OK(root->PutAccount(cy, "", &r));
  ExpectRefused(As("cy")->Rate("A1", RatingBy("cy", "P"), &r), ws.get(), n++, "is disabled");
}

TEST_F(StoreAccountsTest, AClientRepresentativeReadsItsOwnClientOnly) {
  auto ws = WithAccounts();
  WriteResult r;
  Account rep = Acct("rep", {"client"});
  rep.client = "C1";
  rep.until = "2026-12-31";
  ASSERT_OK(As("root")->PutAccount(rep, Hash(), &r));
  auto as_rep = As("rep");
  ASSERT_OK(as_rep->AuthorizeRead("", "C1"));
  size_t n = Refusals(ws.get()).size();
  ExpectRefused(as_rep->AuthorizeRead("", "C2"), ws.get(), n++, "may not read client C2");
  Snapshot snap;
  ExpectRefused(as_rep->ReadSnapshot("A1", SnapshotOptions(), &snap), ws.get(), n++,
                "reads its client's audit reports only");
  ExpectRefused(as_rep->Rate("A1", RatingBy("cy"), &r), ws.get(), n++, "rates only in assessments");
  // Other accounts read everything; without a user reads are not checked.
  ASSERT_OK(As("vic")->ReadSnapshot("A1", SnapshotOptions(), &snap));
  ASSERT_OK(ws->AuthorizeRead("", "C2"));
}

TEST_F(StoreAccountsTest, OnlyAnImpartialDecisionMakerDecides) {
  auto ws = OpenWs();
  AuditStore st(ws.get(), nullptr);
  WriteResult r;
  Client c;
  c.id = "C1";
  c.name = "Client One";
  c.scope = "Managed services";
  ASSERT_OK(st.AddClient(c, &r));
  ASSERT_OK(st.AddSite("C1", {"HQ", "Head office", "", ""}, &r));
  AuditRecord a;
  a.audit.id = "S2";
  a.audit.type = AuditType::kStage2;
  a.audit.planned_start = Date::FromDays(20514);
  a.audit.planned_end = Date::FromDays(20517);
  a.sites = {"HQ"};
  a.stage1_exception = "Stage 1 held by the previous certification body";
  ASSERT_OK(st.AddAudit("C1", a, &r));
  ASSERT_OK(st.AddTeamMember("S2", {"ana", TeamRole::kLeader}, &r));
  a.audit.team = {{"ana", TeamRole::kLeader}};
  a.audit.status = AuditStatus::kCompleted;
  a.audit.actual_start = a.audit.planned_start;
  a.audit.actual_end = a.audit.planned_end;
  ASSERT_OK(st.UpdateAudit(a, &r));
  ASSERT_OK(ws->PutAccount(Acct("root", {"admin"}), Hash(), &r));
  auto root = As("root");
  ASSERT_OK(root->PutAccount(Acct("ana", {"audit-team-member", "decision-maker"}), Hash(), &r));
  ASSERT_OK(root->PutAccount(Acct("dee", {"decision-maker"}), Hash(), &r));
  ASSERT_OK(root->PutAccount(Acct("tom", {"audit-team-member"}), Hash(), &r));
  const Date day = Date::FromDays(20530);
  size_t n = Refusals(ws.get()).size();
  auto ana = As("ana");
  AuditStore as_ana(ana.get(), nullptr);
  ExpectRefused(as_ana.Decide("S2", "ana", day, "CERT-1", nullptr, &r), ws.get(), n++, "was on the audit team");
  auto tom = As("tom");
  AuditStore as_tom(tom.get(), nullptr);
  ExpectRefused(as_tom.Decide("S2", "tom", day, "CERT-1", nullptr, &r), ws.get(), n++, "only a decision maker");
  auto dee = As("dee");
  AuditStore as_dee(dee.get(), nullptr);
  ExpectRefused(as_dee.Decide("S2", "dan", day, "CERT-1", nullptr, &r), ws.get(), n++,
                "decides as themselves (dee), not as 'dan'");
  ASSERT_OK(as_dee.Decide("S2", "dee", day, "CERT-1", nullptr, &r));
  ExpectVerifies(ws.get());
}

// A PostgreSQL workspace made before accounts (schema 6) is brought up to
// date when it is next opened for writing; read-only it is refused, as an
// SQLite file of an older schema is.
TEST_F(StoreAccountsTest, APostgresWorkspaceOfSchemaSixIsMigrated) {
  if (!OnPostgres()) GTEST_SKIP() << "PostgreSQL only (the SQLite migrations: WorkspaceTest)";
  { auto ws = Populated(); }
  testing::QueryText(db_path_,
                     "DROP TABLE accounts; DROP TABLE files; DROP TABLE audit_records; "
                     "UPDATE workspace_info SET value = '6' WHERE name = 'schema_version'");
  WorkspaceOptions ro = Options();
  ro.read_only = true;
  std::unique_ptr<Workspace> reader;
  Status old = Workspace::Open(db_path_, ro, &reader);
  EXPECT_EQ(Status::Code::kUnsupported, old.code()) << old.ToString();
  EXPECT_NE(std::string::npos, old.message().find("schema version 6 is older")) << old.message();
  auto ws = OpenWs();
  ASSERT_NE(nullptr, ws);
  EXPECT_EQ(std::to_string(Workspace::kSchemaVersion),
            testing::QueryText(db_path_, "SELECT value FROM workspace_info WHERE name = 'schema_version'"));
  WriteResult r;
  ASSERT_OK(ws->PutAccount(Acct("root", {"admin"}), Hash(), &r));
  std::vector<Account> all;
  ASSERT_OK(ws->ListAccounts(&all));
  ASSERT_EQ(1u, all.size());
  ExpectVerifies(ws.get());
}

// Keeping an evidence file is an evidence write: the team's assessors may,
// a viewer may not (refused, logged, nothing kept).
TEST_F(StoreAccountsTest, KeepingAFileIsAnEvidenceWrite) {
  auto ws = WithAccounts();
  auto vic = As("vic");
  WriteResult r;
  const size_t before = Refusals(ws.get()).size();
  ExpectRefused(vic->KeepEvidenceFile("A1", "EV-1", "the minutes", &r), ws.get(), before, "only the assessors");
  std::vector<KeptFile> kept;
  ASSERT_OK(ws->ListKeptFiles(&kept));
  EXPECT_TRUE(kept.empty());
  auto cy = As("cy");
  ASSERT_OK(cy->KeepEvidenceFile("A1", "EV-1", "the minutes", &r));
  ASSERT_OK(ws->ListKeptFiles(&kept));
  ASSERT_EQ(1u, kept.size());
  ExpectVerifies(ws.get());
}

}  // namespace
}  // namespace assay
