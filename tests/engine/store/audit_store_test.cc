// Tests of the audit store (assay/audit_store.h): round trips, the
// nonconformity state machine through the store, role separation, the
// recommendation, the log, import/export, and that assessments are not
// affected by audit records.
#include "assay/audit_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <tuple>

#include "assay/audit.h"
#include "store/store_impl.h"
#include "engine/store/audit_test_util.h"
#include "engine/store/store_test_util.h"

namespace assay::testing {
namespace {

Date D(const char* text) {
  Date d;
  EXPECT_OK(Date::Parse(text, &d));
  return d;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class AuditStoreTest : public StoreTest {
 protected:
  static const Catalogue* Iso() { return IsoCatalogue(); }

  // Client C1 with site HQ; stage 2 audit S2 (completed 2026-03-05) with
  // leader ana and auditor ben; findings F-1 major on 8.5.1.3 and F-2, F-3
  // minor on 8.6.1 (raising NC-F-1, NC-F-2, NC-F-3).
  void Build(AuditStore* st) {
    WriteResult r;
    Client c;
    c.id = "C1";
    c.name = "Client One";
    c.scope = "Managed services";
    ASSERT_OK(st->AddClient(c, &r));
    ASSERT_OK(st->AddSite("C1", {"HQ", "Head office", "", ""}, &r));
    AuditRecord a;
    a.audit.id = "S2";
    a.audit.type = AuditType::kStage2;
    a.audit.planned_start = D("2026-03-02");
    a.audit.planned_end = D("2026-03-05");
    a.sites = {"HQ"};
    ASSERT_OK(st->AddAudit("C1", a, &r));
    ASSERT_OK(st->AddTeamMember("S2", {"Ana Ruiz", TeamRole::kLeader}, &r));
    ASSERT_OK(st->AddTeamMember("S2", {"Ben Okafor", TeamRole::kAuditor}, &r));
    a.audit.team = {{"Ana Ruiz", TeamRole::kLeader}, {"Ben Okafor", TeamRole::kAuditor}};
    a.audit.status = AuditStatus::kCompleted;
    a.audit.actual_start = D("2026-03-02");
    a.audit.actual_end = D("2026-03-05");
    a.stage1_exception = "Stage 1 held by the previous certification body; its report was reviewed";
    ASSERT_OK(st->UpdateAudit(a, &r));
    Finding f;
    f.audit_id = "S2";
    f.id = "F-1";
    f.clause = "8.5.1.3";
    f.grade = FindingGrade::kMajor;
    f.statement = "Changes deployed without approval";
    std::string nc;
    ASSERT_OK(st->AddFinding(f, "", &r, &nc));
    EXPECT_EQ(nc, "NC-F-1");
    f.id = "F-2";
    f.clause = "8.6.1";
    f.grade = FindingGrade::kMinor;
    f.statement = "Wrong priorities";
    ASSERT_OK(st->AddFinding(f, "", &r, &nc));
    f.id = "F-3";
    f.statement = "Reviews missing";
    ASSERT_OK(st->AddFinding(f, "", &r, &nc));
  }

  // The report items h, i, j, l, m, n and q, all filled in.
  static void FillReportItems(AuditRecord* a) {
    a->programme_issues = {"A new data centre joins the scope next year."};
    a->accompanying = {{AccompanyingRole::kGuide, "Jana Novak", "Client One"},
                       {AccompanyingRole::kObserver, "Dr. Ole Berg", "the accreditation body"}};
    a->activities = {{D("2026-03-02"), ActivityMode::kOnSite, "HQ", "Opening meeting"},
                     {D("2026-03-04"), ActivityMode::kRemote, "video conference", ""}};
    a->changes = {"New service desk tool since January 2026."};
    a->unresolved_issues = {"The grade of F-1 is disputed."};
    a->combination = AuditCombinationRecord{AuditCombination::kCombined, "ISO/IEC 27001:2022, same team"};
    a->marks = MarksUseRecord{MarksControl::kNotControlled, "The mark appears on a product brochure."};
  }

  // SELECT kind, count(*) FROM audit_records GROUP BY kind, as "kind=n ..." text.
  std::string KindCounts(const std::string& path = "") {
    std::istringstream rows(testing::QueryText(path.empty() ? db_path_ : path,
                                               "SELECT kind, count(*) FROM audit_records GROUP BY kind ORDER BY kind"));
    std::string out, line;
    while (std::getline(rows, line)) out += line.replace(line.find('|'), 1, "=") + " ";
    return out;
  }

  // Row counts of the record tables and the log, to show that a refused
  // write wrote nothing.
  std::pair<int, int> Counts() {
    return {static_cast<int>(testing::QueryCount(
                db_path_, "SELECT (SELECT count(*) FROM records) + (SELECT count(*) FROM audit_records)")),
            static_cast<int>(testing::QueryCount(db_path_, "SELECT count(*) FROM events"))};
  }
};

TEST_F(AuditStoreTest, RoundTripAndDueDatesFromPolicy) {
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  Build(&st);
  ClientAuditData c;
  ASSERT_OK(st.ReadClient("C1", &c));
  EXPECT_EQ(c.client.name, "Client One");
  ASSERT_EQ(c.client.sites.size(), 1u);
  ASSERT_EQ(c.audits.size(), 1u);
  EXPECT_EQ(c.audits[0].audit.team.size(), 2u);
  EXPECT_EQ(c.audits[0].audit.actual_end, D("2026-03-05"));
  ASSERT_EQ(c.findings.size(), 3u);
  EXPECT_EQ(c.findings[0].date, D("2026-03-05"));  // the audit's last day
  ASSERT_EQ(c.nonconformities.size(), 3u);
  EXPECT_EQ(c.nonconformities[0].nc.due_date, D("2026-06-03"));  // + 90 days (major)
  EXPECT_EQ(c.nonconformities[1].nc.due_date, D("2026-04-04"));  // + 30 days (minor)

  // A changed policy applies to nonconformities raised after it.
  AuditPolicy p;
  ASSERT_OK(st.GetPolicy(&p));
  p.policy.minor_plan_days = 10;
  WriteResult r;
  ASSERT_OK(st.SetPolicy(p, &r));
  Finding f;
  f.id = "F-4";
  f.audit_id = "S2";
  f.clause = "9.2";
  f.grade = FindingGrade::kMinor;
  f.statement = "Audit programme incomplete";
  std::string nc;
  ASSERT_OK(st.AddFinding(f, "NC-9", &r, &nc));
  EXPECT_EQ(nc, "NC-9");
  ASSERT_OK(st.ReadClient("C1", &c));
  EXPECT_EQ(c.FindNonconformity("NC-9")->nc.due_date, D("2026-03-15"));
  p.policy.minor_plan_days = 0;
  Status s = st.SetPolicy(p, &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("minor_plan_days"), std::string::npos) << s.message();
}

TEST_F(AuditStoreTest, UnknownIdsAndClausesNameTheNearest) {
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  Build(&st);
  ClientAuditData c;
  Status s = st.ReadClient("C2", &c);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("nearest: C1"), std::string::npos) << s.message();

  Finding f;
  f.id = "F-9";
  f.audit_id = "S2";
  f.clause = "8.6.9";
  f.grade = FindingGrade::kMinor;
  f.statement = "x";
  WriteResult r;
  auto before = Counts();
  s = st.AddFinding(f, "", &r, nullptr);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("unknown clause '8.6.9'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("nearest: 8.6.1"), std::string::npos) << s.message();
  f.clause = "8.5.1";  // a heading
  s = st.AddFinding(f, "", &r, nullptr);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("8.5.1.1, 8.5.1.2, 8.5.1.3"), std::string::npos) << s.message();
  f.clause = "8.6.1";
  f.audit_id = "S3";
  s = st.AddFinding(f, "", &r, nullptr);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("nearest: S2"), std::string::npos) << s.message();
  EXPECT_EQ(Counts(), before);

  AuditRecord a;
  a.audit.id = "SV1";
  a.audit.type = AuditType::kSurveillance;
  a.audit.planned_start = a.audit.planned_end = D("2027-01-10");
  a.sites = {"HQX"};
  s = st.AddAudit("C1", a, &r);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("unknown site 'HQX'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("nearest: HQ"), std::string::npos) << s.message();
  a.sites.clear();
  a.assessment = "A2";
  s = st.AddAudit("C1", a, &r);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("no assessment 'A2'"), std::string::npos) << s.message();
  a.audit.id = "S2";
  a.assessment.clear();
  s = st.AddAudit("C1", a, &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("audit 'S2' already exists"), std::string::npos) << s.message();
  EXPECT_EQ(Counts(), before);
}

// Every allowed move through the store, each illegal one refused with the
// allowed list and the workspace unchanged.
TEST_F(AuditStoreTest, NonconformityTransitionsThroughTheStore) {
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  Build(&st);
  WriteResult r;
  using S = NonconformityState;
  auto before = Counts();
  // The plan needs correction, root cause and corrective action.
  Status s = st.MoveNonconformity("NC-F-1", S::kPlanSubmitted, D("2026-03-10"), "fixed", "", "", &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("missing: root cause, corrective action"), std::string::npos) << s.message();
  EXPECT_EQ(s.subject().kind, "nc");
  EXPECT_EQ(s.subject().reason, "required");
  EXPECT_EQ(s.subject().nearest, (std::vector<std::string>{"root_cause", "corrective_action"}));
  s = st.MoveNonconformity("NC-F-1", S::kVerified, D("2026-03-10"), "", "", "", &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("cannot go from open to verified; allowed from open: plan-submitted, escalated"),
            std::string::npos)
      << s.message();
  // Escalation only when overdue (due 2026-06-03).
  s = st.MoveNonconformity("NC-F-1", S::kEscalated, D("2026-04-01"), "", "", "", &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("not overdue"), std::string::npos) << s.message();
  EXPECT_EQ(Counts(), before);

  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kPlanSubmitted, D("2026-03-10"), "fixed", "cause", "action", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kOpen, D("2026-03-11"), "", "", "", &r));  // plan rejected
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kPlanSubmitted, D("2026-03-12"), "", "", "better action", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kPlanAccepted, D("2026-03-13"), "", "", "", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kImplemented, D("2026-04-01"), "", "", "", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kPlanAccepted, D("2026-04-02"), "", "", "", &r));  // failed check
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kImplemented, D("2026-04-10"), "", "", "", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kVerified, D("2026-04-20"), "", "", "", &r));
  s = st.MoveNonconformity("NC-F-1", S::kEscalated, D("2026-07-01"), "", "", "", &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("allowed from verified: closed-effective"), std::string::npos) << s.message();
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kClosedEffective, D("2026-09-01"), "", "", "", &r));
  auto closed = Counts();
  s = st.MoveNonconformity("NC-F-1", S::kOpen, D("2026-09-02"), "", "", "", &r);
  EXPECT_NE(s.message().find("closed-effective is final"), std::string::npos) << s.message();
  EXPECT_EQ(Counts(), closed);

  // Escalation of an overdue minor, and the client's answer.
  ASSERT_OK(st.MoveNonconformity("NC-F-2", S::kEscalated, D("2026-04-05"), "", "", "", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-2", S::kPlanSubmitted, D("2026-04-06"), "c", "rc", "ca", &r));
  // Dates may not go back.
  s = st.MoveNonconformity("NC-F-2", S::kPlanAccepted, D("2026-04-01"), "", "", "", &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);

  ClientAuditData c;
  ASSERT_OK(st.ReadClient("C1", &c));
  const NonconformityRecord* n = c.FindNonconformity("NC-F-1");
  EXPECT_EQ(n->nc.state, S::kClosedEffective);
  EXPECT_EQ(n->nc.history.size(), 9u);
  EXPECT_EQ(n->corrective_action, "better action");
  EXPECT_EQ(n->root_cause, "cause");
  s = st.MoveNonconformity("NC-F-9", S::kOpen, D("2026-09-02"), "", "", "", &r);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("nearest: NC-F-1"), std::string::npos) << s.message();
}

TEST_F(AuditStoreTest, RecommendationReasonsOverrideAndDecisionRoleSeparation) {
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  Build(&st);
  WriteResult r;
  Recommendation rec;
  // The day after the audit nothing is due yet: the nonconformities are
  // pending conditions.
  ASSERT_OK(st.Recommend("S2", D("2026-03-06"), &rec));
  EXPECT_EQ(rec.kind, RecommendationKind::kRecommendWithConditions);
  bool pending_major = false, systemic = false;
  for (const auto& x : rec.reasons) {
    pending_major |= x.code == RecommendationReasonCode::kMajorPending && x.subject == "NC-F-1";
    systemic |= x.code == RecommendationReasonCode::kPossibleSystemic && x.subject == "8.6.1";
  }
  EXPECT_TRUE(pending_major);
  EXPECT_TRUE(systemic);
  // Once the minors' plans are overdue, they are grounds for not-recommend.
  ASSERT_OK(st.Recommend("S2", D("2026-04-05"), &rec));
  EXPECT_EQ(rec.kind, RecommendationKind::kNotRecommend);

  // A certificate needs the major verified and the minors' plans accepted.
  Status s = st.Decide("S2", "Dana Lee", D("2026-03-20"), "CERT-1", nullptr, &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.message(),
            "a certificate needs every major nonconformity verified and every minor one with an accepted plan: "
            "NC-F-1 (major, open), NC-F-2 (minor, open), NC-F-3 (minor, open)");

  // Override needs a justification.
  s = st.Override("S2", RecommendationKind::kRecommend, "  ", D("2026-03-06"), &rec, &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("justification"), std::string::npos) << s.message();

  using S = NonconformityState;
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kPlanSubmitted, D("2026-03-10"), "c", "rc", "ca", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kPlanAccepted, D("2026-03-11"), "", "", "", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kImplemented, D("2026-04-01"), "", "", "", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kVerified, D("2026-04-15"), "", "", "", &r));
  for (const char* id : {"NC-F-2", "NC-F-3"}) {
    ASSERT_OK(st.MoveNonconformity(id, S::kPlanSubmitted, D("2026-03-20"), "c", "rc", "ca", &r));
    ASSERT_OK(st.MoveNonconformity(id, S::kPlanAccepted, D("2026-03-25"), "", "", "", &r));
  }
  ASSERT_OK(st.Recommend("S2", D("2026-04-20"), &rec));
  EXPECT_EQ(rec.kind, RecommendationKind::kRecommendWithConditions);
  ASSERT_OK(st.Override("S2", RecommendationKind::kRecommend, "minors are trivial", D("2026-04-20"), &rec, &r));
  ASSERT_OK(st.Recommend("S2", D("2026-04-20"), &rec));
  EXPECT_EQ(rec.kind, RecommendationKind::kRecommend);
  EXPECT_TRUE(rec.overridden);
  EXPECT_EQ(rec.justification, "minors are trivial");

  // Role separation: every team member is refused, whatever the case.
  auto before = Counts();
  s = st.Decide("S2", " ana ruiz ", D("2026-04-21"), "CERT-1", nullptr, &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("was on the audit team as leader"), std::string::npos) << s.message();
  s = st.Decide("S2", "Ben Okafor", D("2026-04-21"), "CERT-1", nullptr, &r);
  EXPECT_NE(s.message().find("as auditor"), std::string::npos) << s.message();
  s = st.Decide("S2", "Dana Lee", D("2026-04-21"), "", nullptr, &r);
  EXPECT_NE(s.message().find("issues a certificate: give its number"), std::string::npos) << s.message();
  EXPECT_EQ(s.subject().kind, "certificate");
  EXPECT_EQ(s.subject().reason, "required");
  EXPECT_EQ(Counts(), before);

  DecisionRecord d;
  ASSERT_OK(st.Decide("S2", "Dana Lee", D("2026-04-21"), "CERT-1", &d, &r));
  EXPECT_EQ(d.decision.kind, DecisionKind::kInitial);
  ClientAuditData c;
  ASSERT_OK(st.ReadClient("C1", &c));
  ASSERT_EQ(c.certificates.size(), 1u);
  EXPECT_EQ(c.certificates[0].certificate.expiry_date, D("2029-04-21"));
  EXPECT_EQ(c.certificates[0].certificate.status, CertificateStatus::kActive);
  s = st.Decide("S2", "Dana Lee", D("2026-04-22"), "CERT-2", nullptr, &r);
  EXPECT_NE(s.message().find("already has a certification decision"), std::string::npos) << s.message();
  // The team of a decided audit is fixed (so the separation cannot be undone).
  s = st.AddTeamMember("S2", {"Dana Lee", TeamRole::kObserver}, &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);

  // Certificate status changes follow their own rules.
  ASSERT_OK(st.SetCertificateStatus("CERT-1", CertificateStatus::kSuspended, D("2026-06-01"), "fees unpaid", &r));
  ASSERT_OK(st.SetCertificateStatus("CERT-1", CertificateStatus::kWithdrawn, D("2026-12-01"), "not resolved", &r));
  s = st.SetCertificateStatus("CERT-1", CertificateStatus::kActive, D("2026-12-02"), "x", &r);
  EXPECT_NE(s.message().find("withdrawn is final"), std::string::npos) << s.message();

  // The programme counts from the decision.
  ProgrammeStatus ps = ComputeProgramme(c.History(), D("2027-05-01"), CertificationPolicy());
  ASSERT_OK(ps.status);
  EXPECT_TRUE(ps.certified);
  EXPECT_EQ(ps.expiry, D("2029-04-21"));
}

TEST_F(AuditStoreTest, LogVerifyCoversAuditRecordsAndDetectsTampering) {
  ASSAY_SQLITE_ONLY();
  {
    auto ws = OpenWs();
    ASSERT_NE(Populated().get(), nullptr);
  }
  auto ws = OpenWs();
  std::vector<Assessment> before_list;
  ASSERT_OK(ws->ListAssessments(&before_list));
  std::string before_export;
  ASSERT_OK(ws->Export("A1", &before_export));
  std::vector<Event> a1_before;
  ASSERT_OK(ws->ReadLog("A1", &a1_before));

  AuditStore st(ws.get(), Iso());
  Build(&st);
  VerifyReport vr;
  ASSERT_OK(ws->VerifyLog(&vr));
  std::vector<Event> audit_events;
  ASSERT_OK(ws->ReadLog(AuditSubject("C1"), &audit_events));
  EXPECT_GE(audit_events.size(), 7u);

  // Assessments are not affected by audit records.
  std::vector<Assessment> after_list;
  ASSERT_OK(ws->ListAssessments(&after_list));
  ASSERT_EQ(after_list.size(), before_list.size());
  EXPECT_EQ(after_list.back().id, "A1");
  std::string latest;
  ASSERT_OK(ws->LatestAssessment(&latest));
  EXPECT_EQ(latest, "A1");
  std::string after_export;
  ASSERT_OK(ws->Export("A1", &after_export));
  EXPECT_EQ(after_export, before_export);
  std::vector<Event> a1_after;
  ASSERT_OK(ws->ReadLog("A1", &a1_after));
  EXPECT_EQ(a1_after.size(), a1_before.size());
  AssessmentData data;
  ASSERT_OK(ws->ReadSnapshot("A1", &data));
  EXPECT_EQ(data.units.size(), 1u);
  Assessment none;
  EXPECT_EQ(ws->GetAssessment(AuditSubject("C1"), &none).code(), Status::Code::kNotFound);
  // An assessment cannot take an audit subject as its ID.
  WriteResult r;
  Assessment bad = BasicAssessment(AuditSubject("C1"));
  EXPECT_EQ(ws->CreateAssessment(bad, &r).code(), Status::Code::kInvalidInput);

  // Tampering with one audit record is detected.
  ws.reset();
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec(
        "UPDATE audit_records SET data = replace(data, 'Wrong priorities', 'Right priorities') "
        "WHERE record_key = 'finding/F-2' AND is_current = 1");
  }
  ws = OpenWs();
  Status s = ws->VerifyLog(&vr);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("finding/F-2"), std::string::npos) << s.message();
}

TEST_F(AuditStoreTest, ExampleImportsExportsIdenticallyAndIsIdempotent) {
  ASSAY_SQLITE_ONLY();
  auto ws = OpenWs();
  ImportReport ar;
  ASSERT_OK(ws->Import(SourcePath("models/examples/northwind-2026.json"), ImportOptions{}, &ar));
  AuditStore st(ws.get(), Iso());
  AuditImportReport rep;
  const std::string example = SourcePath("models/examples/northwind-2024-cycle.json");
  ASSERT_OK(st.Import(example, false, &rep));
  EXPECT_EQ(rep.assessment, "NORTHWIND");
  EXPECT_GT(rep.created, 10);
  ASSERT_OK(st.Import(example, false, &rep));
  EXPECT_EQ(rep.created, 0);
  EXPECT_EQ(rep.updated, 0);

  std::string first;
  ASSERT_OK(st.Export("NORTHWIND", &first));
  TempDir other;
  std::unique_ptr<Workspace> ws2;
  ASSERT_OK(Workspace::Open(other.path() + "/w2.db", Options(), &ws2));
  ASSERT_OK(ws2->Import(SourcePath("models/examples/northwind-2026.json"), ImportOptions{}, &ar));
  AuditStore st2(ws2.get(), Iso());
  ASSERT_OK(st2.ImportText(first, "export.json", false, &rep));
  std::string second;
  ASSERT_OK(st2.Export("NORTHWIND", &second));
  EXPECT_EQ(first, second);
  VerifyReport vr;
  ASSERT_OK(ws2->VerifyLog(&vr));

  // The example's programme: first surveillance done, the new minor overdue.
  ClientAuditData c;
  ASSERT_OK(st.ReadClient("NORTHWIND", &c));
  ProgrammeStatus ps = ComputeProgramme(c.History(), D("2025-06-01"), CertificationPolicy());
  ASSERT_OK(ps.status);
  EXPECT_EQ(ps.overdue_nonconformities, std::vector<std::string>{"NC-04"});
  EXPECT_EQ(ps.expiry, D("2027-05-13"));
  bool first_done = false;
  for (const ProgrammeItem& it : ps.items)
    first_done |= it.kind == ProgrammeItemKind::kFirstSurveillance && it.state == ItemState::kDone &&
                  it.audit_id == "NW-SV1-2025";
  EXPECT_TRUE(first_done);
  std::vector<Finding> s2;
  for (const Finding& f : c.findings)
    if (f.audit_id == "NW-ST2-2024") s2.push_back(f);
  EXPECT_EQ(SystemicWarnings(s2, CertificationPolicy()).size(), 1u);
}

// Report items h, i, j, l, m, n, q: stored with the audit, read back,
// exported and imported identically; their rules refuse bad values.
TEST_F(AuditStoreTest, ReportItemsRoundTripAndTheirRules) {
  ASSAY_SQLITE_ONLY();
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  Build(&st);
  ClientAuditData c;
  ASSERT_OK(st.ReadClient("C1", &c));
  AuditRecord a = *c.FindAudit("S2");
  FillReportItems(&a);
  WriteResult r;
  ASSERT_OK(st.UpdateAudit(a, &r));
  EXPECT_EQ(r.kind, WriteResult::Kind::kUpdated);
  ASSERT_OK(st.ReadClient("C1", &c));
  const AuditRecord& got = *c.FindAudit("S2");
  EXPECT_EQ(got.programme_issues, a.programme_issues);
  ASSERT_EQ(got.accompanying.size(), 2u);
  EXPECT_EQ(got.accompanying[1].role, AccompanyingRole::kObserver);
  EXPECT_EQ(got.accompanying[1].organization, "the accreditation body");
  ASSERT_EQ(got.activities.size(), 2u);
  EXPECT_EQ(got.activities[1].mode, ActivityMode::kRemote);
  EXPECT_EQ(got.activities[1].place, "video conference");
  EXPECT_EQ(got.changes, a.changes);
  EXPECT_EQ(got.unresolved_issues, a.unresolved_issues);
  ASSERT_TRUE(got.combination.has_value());
  EXPECT_EQ(got.combination->kind, AuditCombination::kCombined);
  ASSERT_TRUE(got.marks.has_value());
  EXPECT_EQ(got.marks->control, MarksControl::kNotControlled);

  std::string first;
  ASSERT_OK(st.Export("C1", &first));
  for (const char* key : {"\"programme_issues\"", "\"accompanying\"", "\"activities\"", "\"changes\"",
                          "\"unresolved_issues\"", "\"combination\"", "\"marks\""})
    EXPECT_NE(first.find(key), std::string::npos) << key;
  TempDir other;
  auto ws2 = OpenWs(other.path() + "/w2.db");
  AuditStore st2(ws2.get(), Iso());
  AuditImportReport rep;
  ASSERT_OK(st2.ImportText(first, "c1.json", false, &rep));
  std::string second;
  ASSERT_OK(st2.Export("C1", &second));
  EXPECT_EQ(first, second);

  // The rules, each refused with the record named and nothing written.
  struct Case {
    std::function<void(AuditRecord*)> mutate;
    const char* message;
  };
  const Case cases[] = {
      {[](AuditRecord* x) { x->accompanying[0].person = "ben okafor"; },
       "audit 'S2': 'ben okafor' is on the audit team; accompanying persons are the guides, interpreters and "
       "observers outside it"},
      {[](AuditRecord* x) { x->accompanying[1].person = "Jana Novak"; },
       "audit 'S2': 'Jana Novak' is listed twice as accompanying"},
      {[](AuditRecord* x) { x->activities[0].place = " "; },
       "audit 'S2': the activity of 2026-03-02 needs its place (a site ID or e.g. 'video conference')"},
      {[](AuditRecord* x) { x->combination->details = ""; },
       "audit 'S2': a combined audit needs its details (with which standards or certification body)"},
      {[](AuditRecord* x) { x->marks->note = ""; },
       "audit 'S2': marks not-controlled needs a note saying what was misused"},
      {[](AuditRecord* x) { x->changes.push_back("  "); },
       "audit 'S2': a significant change since the last audit is blank"},
  };
  auto before = Counts();
  for (const Case& k : cases) {
    AuditRecord bad = a;
    k.mutate(&bad);
    Status s = st.UpdateAudit(bad, &r);
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
    EXPECT_EQ(s.message(), k.message);
  }
  EXPECT_EQ(Counts(), before);
  // In an import, the same rule names its JSON pointer.
  std::string broken = first;
  const std::string from = "\"kind\": \"combined\"";
  broken.replace(broken.find(from), from.size(), "\"kind\": \"joint\"");
  const std::string details = "\"details\": \"ISO/IEC 27001:2022, same team\",";
  ASSERT_NE(broken.find(details), std::string::npos) << broken;
  broken.erase(broken.find(details), details.size());
  Status s = st2.ImportText(broken, "broken.json", false, &rep);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  ASSERT_EQ(rep.problems.size(), 1u);
  EXPECT_EQ(rep.problems[0].ToString(),
            "broken.json: /audits/0/combination/details: audit 'S2': a joint audit needs its details (with which "
            "standards or certification body)");
}

// The certification body and the policy travel with the export; an import
// adopts them into a workspace that has none and refuses a conflict.
TEST_F(AuditStoreTest, ExportCarriesTheCertificationBodyAndPolicy) {
  ASSAY_SQLITE_ONLY();
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  AuditPolicy p;
  p.body = {"Meridian Certification Ltd", "Bristol, UK", "Accredited, no. 0000"};
  p.policy.major_action_days = 60;
  p.policy.minor_plan_days = 21;
  p.policy.reminder_lead_days = 7;
  p.policy.allow_opportunities = false;
  p.policy.renewal_keeps_expiry = false;
  WriteResult r;
  ASSERT_OK(st.SetPolicy(p, &r));
  Build(&st);
  std::string first;
  ASSERT_OK(st.Export("C1", &first));
  nlohmann::json doc = nlohmann::json::parse(first);
  EXPECT_EQ(doc["certification_body"]["name"], "Meridian Certification Ltd");
  EXPECT_EQ(doc["certification_body"]["accreditation"], "Accredited, no. 0000");
  EXPECT_EQ(doc["policy"]["major_action_days"], 60);
  EXPECT_EQ(doc["policy"]["minor_plan_days"], 21);
  EXPECT_EQ(doc["policy"]["reminder_lead_days"], 7);
  EXPECT_EQ(doc["policy"]["allow_opportunities"], false);
  EXPECT_EQ(doc["policy"]["renewal_keeps_expiry"], false);
  EXPECT_EQ(doc["nonconformities"][0]["due_date"], "2026-05-04");  // + 60 days

  // Into an empty workspace: adopted, and the export is byte-identical.
  TempDir other;
  auto ws2 = OpenWs(other.path() + "/w2.db");
  AuditStore st2(ws2.get(), Iso());
  AuditImportReport rep;
  ASSERT_OK(st2.ImportText(first, "c1.json", false, &rep));
  AuditPolicy got;
  ASSERT_OK(st2.GetPolicy(&got));
  EXPECT_EQ(got.body.name, "Meridian Certification Ltd");
  EXPECT_EQ(got.policy.major_action_days, 60);
  EXPECT_FALSE(got.policy.allow_opportunities);
  std::string second;
  ASSERT_OK(st2.Export("C1", &second));
  EXPECT_EQ(first, second);
  ASSERT_OK(st2.ImportText(first, "c1.json", false, &rep));  // again: nothing changes
  EXPECT_EQ(rep.created + rep.updated, 0);

  // Into a workspace with another policy and body: refused, field by field.
  TempDir third;
  const std::string path3 = third.path() + "/w3.db";
  auto ws3 = OpenWs(path3);
  AuditStore st3(ws3.get(), Iso());
  AuditPolicy q;
  q.body.name = "Other Certification AG";
  ASSERT_OK(st3.SetPolicy(q, &r));
  SQLite::Database db3(path3);
  const int records = db3.execAndGet("SELECT count(*) FROM audit_records").getInt();
  Status s = st3.ImportText(first, "c1.json", false, &rep);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  std::string all;
  for (const auto& d : rep.problems) all += d.ToString() + "\n";
  EXPECT_NE(all.find("c1.json: /policy/major_action_days: the file's major_action_days (60) differs from the "
                     "workspace's (90)\n"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("c1.json: /policy/allow_opportunities: the file's allow_opportunities (false) differs from the "
                     "workspace's (true)\n"),
            std::string::npos)
      << all;
  // Each differing field says what it is about and the file's value (the
  // front end words how to align them).
  ASSERT_EQ(rep.about.size(), rep.problems.size());
  bool major_days = false;
  for (size_t i = 0; i < rep.problems.size(); ++i) {
    if (rep.problems[i].pointer != "/policy/major_action_days") continue;
    major_days = true;
    EXPECT_EQ(rep.about[i].kind, "policy");
    EXPECT_EQ(rep.about[i].id, "major_action_days");
    EXPECT_EQ(rep.about[i].reason, "conflict");
    EXPECT_EQ(rep.about[i].nearest, std::vector<std::string>{"60"});
  }
  EXPECT_TRUE(major_days);
  EXPECT_NE(all.find("c1.json: /certification_body/name: the file's certification body name 'Meridian "
                     "Certification Ltd' differs from the workspace's 'Other Certification AG'"),
            std::string::npos)
      << all;
  EXPECT_EQ(db3.execAndGet("SELECT count(*) FROM audit_records").getInt(), records);
}

// Schema version 3 gives each audit record its own kind. Rows written
// before it (kind "unit" under the " audit:" subject) are still read, their
// events still verify, and the next version of such a record takes its kind.
TEST_F(AuditStoreTest, LegacyUnitRowsStillLoadAndNewWritesUseTheirKinds) {
  ASSAY_SQLITE_ONLY();
  // A client written now: every record under the kind of its key.
  TempDir fresh;
  const std::string fresh_path = fresh.path() + "/new.db";
  std::vector<std::tuple<std::string, std::string, std::string>> current;  // subject, key, data
  {
    auto ws = OpenWs(fresh_path);
    AuditStore st(ws.get(), Iso());
    WriteResult r;
    AuditPolicy p;
    p.body.name = "Meridian Certification Ltd";
    ASSERT_OK(st.SetPolicy(p, &r));
    Build(&st);
    // Versions: the client twice (its site), the audit four times (team, held).
    EXPECT_EQ(KindCounts(fresh_path), "audit=4 client=2 finding=3 nc=3 policy=1 ");
    SQLite::Database db(fresh_path);
    SQLite::Statement q(db, "SELECT ' audit:' || client, record_key, data FROM audit_records WHERE is_current = 1 "
                            "ORDER BY row_id");
    while (q.executeStep())
      current.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString());
  }

  // The same records written the way schema version 2 had to: kind "unit".
  {
    auto ws = OpenWs();
    auto* impl = static_cast<internal::WorkspaceImpl*>(ws.get());
    internal::sql::Transaction tx(impl->db(), internal::sql::Tx::kWrite);
    std::map<std::string, internal::Context> contexts;
    for (const auto& [subject, key, data] : current) {
      internal::Context& ctx = contexts[subject];
      ctx.assessment.id = subject;
      WriteResult r;
      ASSERT_OK(impl->Apply(&ctx, "unit", key, nlohmann::json::parse(data), "create", true, &r));
    }
    tx.Commit();
  }
  EXPECT_EQ(KindCounts(), "unit=9 ");  // the 9 current records, one version each
  std::vector<Event> legacy_events;
  {
    auto ws = OpenWs();
    ASSERT_OK(ws->ReadLog("", &legacy_events));
    AuditStore st(ws.get(), Iso());
    ClientAuditData c;
    ASSERT_OK(st.ReadClient("C1", &c));
    EXPECT_EQ(c.findings.size(), 3u);
    EXPECT_EQ(c.nonconformities.size(), 3u);
    EXPECT_EQ(c.FindAudit("S2")->audit.team.size(), 2u);
    AuditPolicy p;
    ASSERT_OK(st.GetPolicy(&p));
    EXPECT_EQ(p.body.name, "Meridian Certification Ltd");
    std::string legacy_export, fresh_export;
    ASSERT_OK(st.Export("C1", &legacy_export));
    auto ws_new = OpenWs(fresh_path);
    AuditStore st_new(ws_new.get(), Iso());
    ASSERT_OK(st_new.Export("C1", &fresh_export));
    EXPECT_EQ(legacy_export, fresh_export);
    VerifyReport vr;
    ASSERT_OK(ws->VerifyLog(&vr));

    // New writes: a changed nonconformity supersedes its legacy row and takes
    // the kind "nc"; a new finding and its nonconformity get theirs.
    WriteResult r;
    ASSERT_OK(st.MoveNonconformity("NC-F-1", NonconformityState::kPlanSubmitted, D("2026-03-10"), "c", "rc", "ca", &r));
    Finding f;
    f.id = "F-4";
    f.audit_id = "S2";
    f.clause = "9.2";
    f.grade = FindingGrade::kMinor;
    f.statement = "Audit programme incomplete";
    ASSERT_OK(st.AddFinding(f, "", &r, nullptr));
    ASSERT_OK(ws->VerifyLog(&vr));
    ASSERT_OK(st.ReadClient("C1", &c));
    EXPECT_EQ(c.FindNonconformity("NC-F-1")->nc.state, NonconformityState::kPlanSubmitted);
    EXPECT_EQ(c.nonconformities.size(), 4u);
  }
  // Only the records that changed got a new version, under their own kind:
  // nc/NC-F-1 (superseding its legacy row), finding/F-4 and nc/NC-F-4.
  EXPECT_EQ(KindCounts(), "finding=1 nc=2 unit=9 ");
  SQLite::Database db(db_path_);
  EXPECT_EQ(
      db.execAndGet("SELECT kind FROM audit_records WHERE record_key = 'nc/NC-F-1' AND is_current = 1").getString(),
      "nc");
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM audit_records WHERE kind = 'unit' AND is_current = 1").getInt(), 8);
  EXPECT_EQ(db.execAndGet("SELECT r.kind FROM audit_records r JOIN audit_records n ON n.supersedes = r.row_id "
                          "WHERE n.record_key = 'nc/NC-F-1'")
                .getString(),
            "unit");
  // The legacy events are untouched.
  auto ws = OpenWs();
  std::vector<Event> after;
  ASSERT_OK(ws->ReadLog("", &after));
  ASSERT_GE(after.size(), legacy_events.size());
  for (size_t i = 0; i < legacy_events.size(); ++i) EXPECT_EQ(after[i].hash, legacy_events[i].hash);
}

// Dates that contradict each other are refused with their pointer: a
// finding before its audit began, a nonconformity raised before its finding
// or due before it was raised, a decision before the audit's last day.
TEST_F(AuditStoreTest, ImportRefusesDatesOutOfOrder) {
  auto ws = OpenWs();
  ImportReport ar;
  ASSERT_OK(ws->Import(SourcePath("models/examples/northwind-2026.json"), ImportOptions{}, &ar));
  AuditStore st(ws.get(), Iso());
  const nlohmann::json base = nlohmann::json::parse(ReadFile(SourcePath("models/examples/northwind-2024-cycle.json")));
  ASSERT_EQ(base["findings"][6]["id"], "F-07");
  ASSERT_EQ(base["nonconformities"][3]["id"], "NC-04");
  const struct {
    const char* pointer;
    const char* value;
    const char* problem;
  } cases[] = {
      {"/findings/6/date", "2024-12-01",
       "x.json: /findings/6/date: finding 'F-07': dated 2024-12-01, before its audit 'NW-SV1-2025' began (2025-03-10)"},
      {"/nonconformities/3/raised", "2025-03-01",
       "x.json: /nonconformities/3/raised: nonconformity 'NC-04': raised 2025-03-01, before its finding 'F-07' "
       "(2025-03-12)"},
      {"/nonconformities/3/due_date", "2025-03-01",
       "x.json: /nonconformities/3/due_date: nonconformity 'NC-04': due 2025-03-01, before it was raised "
       "(2025-03-12)"},
      {"/decisions/0/date", "2024-03-01",
       "x.json: /decisions/0/date: decision on audit 'NW-ST2-2024': dated 2024-03-01, before the audit's last day "
       "(2024-03-07)"},
  };
  auto before = Counts();
  for (const auto& c : cases) {
    nlohmann::json doc = base;
    doc[nlohmann::json::json_pointer(c.pointer)] = c.value;
    AuditImportReport rep;
    Status s = st.ImportText(doc.dump(1), "x.json", false, &rep);
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << c.pointer;
    ASSERT_EQ(rep.problems.size(), 1u) << c.pointer;
    EXPECT_EQ(rep.problems[0].ToString(), c.problem);
  }
  EXPECT_EQ(Counts(), before);
  AuditImportReport rep;
  ASSERT_OK(st.ImportText(base.dump(1), "x.json", false, &rep));  // the base itself is fine
}

TEST_F(AuditStoreTest, ImportIsAllOrNothingWithPointers) {
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  auto before = Counts();
  std::string text = ReadFile(SourcePath("models/examples/northwind-2024-cycle.json"));
  // Without its linked assessment the example is refused as a whole.
  AuditImportReport rep;
  Status s = st.ImportText(text, "nw.json", false, &rep);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  ASSERT_FALSE(rep.problems.empty());
  EXPECT_EQ(rep.problems[0].ToString(),
            "nw.json: /audits/3/assessment: audit 'NW-SV2-2026': no assessment 'NW-2026-01' in the workspace; "
            "import it first");
  EXPECT_EQ(Counts(), before);

  // Schema problems carry their pointer.
  s = st.ImportText(R"({"format": "assay-audit/1", "client": {"id": "X", "name": "X", "scope": "s"},
    "findings": [{"id": "F", "audit": "A", "clause": "8.6.1", "grade": "severe", "statement": "s", "date": "2026-01-01"}]})",
                    "bad.json", false, &rep);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  ASSERT_FALSE(rep.problems.empty());
  EXPECT_EQ(rep.problems[0].pointer, "/findings/0/grade");

  // Semantic problems: unknown clause, unknown audit, broken history.
  s = st.ImportText(R"({"format": "assay-audit/1", "client": {"id": "X", "name": "X", "scope": "s"},
    "audits": [{"id": "A", "type": "stage2", "planned_start": "2026-01-01", "planned_end": "2026-01-02"}],
    "findings": [{"id": "F", "audit": "A", "clause": "8.6.9", "grade": "minor", "statement": "s", "date": "2026-01-02"},
                 {"id": "G", "audit": "B", "clause": "8.6.1", "grade": "minor", "statement": "s", "date": "2026-01-02"}],
    "nonconformities": [{"id": "N", "finding": "G", "grade": "minor", "raised": "2026-01-02", "state": "verified",
                         "history": [{"state": "verified", "date": "2026-01-03"}]}]})",
                    "sem.json", false, &rep);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  std::string all;
  for (const auto& p : rep.problems) all += p.ToString() + "\n";
  EXPECT_NE(all.find("sem.json: /findings/0/clause: finding 'F': unknown clause '8.6.9'"), std::string::npos) << all;
  EXPECT_NE(all.find("sem.json: /findings/1/audit: finding 'G': unknown audit 'B'"), std::string::npos) << all;
  EXPECT_NE(all.find("sem.json: /nonconformities/0/history/0/state: nonconformity 'N': nonconformity cannot go "
                     "from open to verified"),
            std::string::npos)
      << all;
  EXPECT_EQ(Counts(), before);

  // A dry run checks and writes nothing.
  ImportReport ar;
  ASSERT_OK(ws->Import(SourcePath("models/examples/northwind-2026.json"), ImportOptions{}, &ar));
  before = Counts();
  ASSERT_OK(st.ImportText(text, "nw.json", true, &rep));
  EXPECT_GT(rep.created, 10);
  EXPECT_EQ(Counts(), before);
}


// Issue 18: the export carries the registry entries of the people the
// client's audits name (here the leader, by an alias), and no one else (an
// unrelated person, a name the registry does not know); importing it into a
// fresh workspace registers them, so that the team still resolves, and
// exporting again gives the same bytes.
TEST_F(AuditStoreTest, ExportCarriesThePeopleItsAuditsName) {
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  Build(&st);  // team: "Ana Ruiz" (leader), "Ben Okafor" (auditor)
  WriteResult r;
  ASSERT_OK(ws->RegisterPerson({"ana", "Ana R.", "Kalibra", {}, {}, {{"Lead auditor", "2020-01-01", "2028-12-31"}},
                                {"service desk"}, {"Ana Ruiz"}},
                               &r));
  ASSERT_OK(ws->RegisterPerson({"zoe", "Zoe Other", "", {}, {}, {}, {"cloud"}, {}}, &r));
  std::string text;
  ASSERT_OK(st.Export("C1", &text));
  const nlohmann::json doc = nlohmann::json::parse(text);
  ASSERT_TRUE(doc.contains("people")) << text;
  EXPECT_EQ(doc["people"], nlohmann::json::parse(R"([{"id": "ana", "name": "Ana R.", "organization": "Kalibra",
      "qualifications": [{"name": "Lead auditor", "since": "2020-01-01", "until": "2028-12-31"}],
      "areas": ["service desk"], "aliases": ["Ana Ruiz"]}])"));

  TempDir other;
  std::unique_ptr<Workspace> ws2;
  ASSERT_OK(Workspace::Open(other.path() + "/w2.db", Options(), &ws2));
  AuditStore st2(ws2.get(), Iso());
  AuditImportReport rep;
  ASSERT_OK(st2.ImportText(text, "c1.json", true, &rep));  // a dry run registers no one
  EXPECT_EQ(rep.registered, std::vector<std::string>{"ana"});
  RegisteredPerson got;
  EXPECT_EQ(ws2->GetPerson("ana", &got).code(), Status::Code::kNotFound);
  ASSERT_OK(st2.ImportText(text, "c1.json", false, &rep));
  EXPECT_EQ(rep.registered, std::vector<std::string>{"ana"});
  EXPECT_TRUE(rep.kept.empty());
  ASSERT_OK(ws2->GetPerson("ana", &got));
  EXPECT_EQ(got.aliases, std::vector<std::string>{"Ana Ruiz"});
  EXPECT_EQ(got.areas, std::vector<std::string>{"service desk"});
  std::string again;
  ASSERT_OK(st2.Export("C1", &again));
  EXPECT_EQ(text, again);
  ASSERT_OK(st2.ImportText(text, "c1.json", false, &rep));  // the entry it has is kept
  EXPECT_TRUE(rep.registered.empty());
  EXPECT_EQ(rep.kept, std::vector<std::string>{"ana"});

  // A person entry that breaks the registry's rules is a problem at its place.
  nlohmann::json bad = doc;
  bad["people"][0]["qualifications"][0]["until"] = "2019-12-31";
  Status s = st2.ImportText(bad.dump(), "bad.json", false, &rep);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  ASSERT_EQ(rep.problems.size(), 1u);
  EXPECT_EQ(rep.problems[0].ToString(), "bad.json: /people/0/qualifications/0: until 2019-12-31 is before since 2020-01-01");
}

// Issue 18: a decision that arrives in an imported file obeys the competence
// rule of Decide: with no member competent in an area of the client's scope
// and no justification in the file, the import is refused at /decisions/N
// with Decide's message (its subject says "competence") and nothing is
// written, people included; with the justification it is accepted. A
// decision stored already with the same audit record is history: a later
// edit of the registry does not make the same file fail.
TEST_F(AuditStoreTest, ImportAppliesTheCompetenceRuleToDecisions) {
  auto ws = OpenWs();
  ImportReport ir;
  ASSERT_OK(ws->Import(SourcePath("models/examples/northwind-2026.json"), ImportOptions{}, &ir));
  AuditStore st(ws.get(), Iso());
  const std::string example = ReadFile(SourcePath("models/examples/northwind-2024-cycle.json"));
  nlohmann::json doc = nlohmann::json::parse(example);
  ASSERT_EQ(doc["audits"][1]["id"], "NW-ST2-2024");
  for (auto& m : doc["audits"][1]["team"])  // the technical expert for cloud operations only observes
    if (m["person"] == "Priya Raman") m["role"] = "observer";
  const auto before = Counts();
  for (bool dry_run : {true, false}) {
    AuditImportReport rep;
    Status s = st.ImportText(doc.dump(1), "nw.json", dry_run, &rep);
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
    ASSERT_EQ(rep.problems.size(), 1u);
    EXPECT_EQ(rep.problems[0].ToString(),
              "nw.json: /decisions/0: the team of audit 'NW-ST2-2024' has competence gaps on its first day "
              "2024-03-04: no member is competent in: cloud operations; a certification decision needs a team "
              "competent for the client's technical areas, or a recorded justification (such as the technical "
              "expert who supplied the knowledge)");
    EXPECT_EQ(rep.about[0].kind, "audit");
    EXPECT_EQ(rep.about[0].reason, "competence");
    EXPECT_TRUE(rep.registered.empty());
  }
  EXPECT_EQ(Counts(), before);
  RegisteredPerson p;
  EXPECT_EQ(ws->GetPerson("priya.raman", &p).code(), Status::Code::kNotFound);

  doc["audits"][1]["competence_justification"] = "Cloud operations were outside the sample of the stage 2";
  AuditImportReport rep;
  ASSERT_OK(st.ImportText(doc.dump(1), "nw.json", false, &rep));
  EXPECT_EQ(rep.registered.size(), 6u);

  // The bundled file itself: accepted (the technical expert covers cloud
  // operations); after its decision is stored, the registry losing her area
  // does not refuse the same file again (nothing in it changed).
  TempDir other;
  std::unique_ptr<Workspace> ws2;
  ASSERT_OK(Workspace::Open(other.path() + "/w2.db", Options(), &ws2));
  ASSERT_OK(ws2->Import(SourcePath("models/examples/northwind-2026.json"), ImportOptions{}, &ir));
  AuditStore st2(ws2.get(), Iso());
  ASSERT_OK(st2.ImportText(example, "nw.json", false, &rep));
  ASSERT_OK(ws2->GetPerson("priya.raman", &p));
  p.areas.clear();
  WriteResult r;
  ASSERT_OK(ws2->RegisterPerson(p, &r));
  ASSERT_OK(st2.ImportText(example, "nw.json", false, &rep));
  EXPECT_EQ(rep.created + rep.updated, 0);
}

// Issue 18: the file's people and the client's records are written in one
// transaction. A storage failure while the records are written (injected: a
// trigger fails every insert into audit_records, after the people's rows)
// leaves no person registered and nothing else written; without the fault
// the same import writes both.
TEST_F(AuditStoreTest, ImportWritesPeopleAndRecordsInOneTransaction) {
  ASSAY_SQLITE_ONLY();
  auto ws = OpenWs();
  ImportReport ir;
  ASSERT_OK(ws->Import(SourcePath("models/examples/northwind-2026.json"), ImportOptions{}, &ir));
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec("CREATE TRIGGER fail_audit_insert BEFORE INSERT ON audit_records "
            "BEGIN SELECT RAISE(FAIL, 'disk I/O error (injected)'); END");
  }
  const auto before = Counts();
  const std::string head = testing::QueryText(db_path_, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
  AuditStore st(ws.get(), Iso());
  const std::string example = SourcePath("models/examples/northwind-2024-cycle.json");
  AuditImportReport rep;
  Status s = st.Import(example, false, &rep);
  EXPECT_EQ(s.code(), Status::Code::kIOError) << s.ToString();
  EXPECT_NE(s.message().find("injected"), std::string::npos) << s.ToString();
  EXPECT_EQ(Counts(), before);
  EXPECT_EQ(testing::QueryText(db_path_, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"), head);
  RegisteredPerson p;
  EXPECT_EQ(ws->GetPerson("maria.santos", &p).code(), Status::Code::kNotFound);
  {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER fail_audit_insert");
  }
  ASSERT_OK(st.Import(example, false, &rep));
  EXPECT_EQ(rep.registered.size(), 6u);
  ASSERT_OK(ws->GetPerson("maria.santos", &p));
  VerifyReport vr;
  ASSERT_OK(ws->VerifyLog(&vr));
}

// Issue 18: ReadClientAt gives the registry of people as it stood at the log
// position (what a report judges the team's competence from): a later edit
// of a person does not show there.
TEST_F(AuditStoreTest, ReadClientAtGivesTheRegistryAsItStoodThen) {
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  WriteResult r;
  RegisteredPerson ana{"ana", "Ana Ruiz", "", {}, {}, {}, {"service desk"}, {}};
  ASSERT_OK(ws->RegisterPerson(ana, &r));
  Build(&st);
  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog(AuditSubject("C1"), &events));
  ASSERT_FALSE(events.empty());
  const int64_t then = events.back().seq;
  ana.areas = {"cloud operations"};
  ASSERT_OK(ws->RegisterPerson(ana, &r));
  ClientAuditData c;
  AuditPolicy policy;
  std::string exported;
  std::vector<RegisteredPerson> people;
  ASSERT_OK(st.ReadClientAt("C1", then, &c, &policy, &exported, &people));
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].areas, std::vector<std::string>{"service desk"});
  ASSERT_OK(st.ReadClientAt("C1", 0, &c, &policy, &exported, &people));
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].areas, std::vector<std::string>{"cloud operations"});
}

}  // namespace
}  // namespace assay::testing

namespace assay::testing {
namespace {

// A decision records the recommendation it was based on (in its record and
// so in the log); a report as of the decision is made at a log position that
// later events (a nonconformity moved a year later) do not change, and shows
// each nonconformity as it stood on the report date (issue 14).
TEST_F(AuditStoreTest, Stage2NeedsAStage1OrARecordedException) {
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  WriteResult r;
  Client c;
  c.id = "C2";
  c.name = "Client Two";
  c.scope = "Hosting";
  ASSERT_OK(st.AddClient(c, &r));
  AuditRecord s2;
  s2.audit.id = "C2-S2";
  s2.audit.type = AuditType::kStage2;
  s2.audit.planned_start = D("2026-05-04");
  s2.audit.planned_end = D("2026-05-06");
  ASSERT_OK(st.AddAudit("C2", s2, &r));  // planning it is allowed
  AuditRecord held = s2;
  held.audit.status = AuditStatus::kCompleted;
  held.audit.actual_start = D("2026-05-04");
  held.audit.actual_end = D("2026-05-06");
  auto before = Counts();
  Status s = st.UpdateAudit(held, &r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.message(),
            "stage 2 audit 'C2-S2' needs a completed stage 1 of client 'C2' with its readiness conclusion, or a "
            "recorded exception with its reason; the client has no stage 1 audit");
  EXPECT_EQ(Counts(), before);
  // A completed stage 1 with its readiness conclusion lets it start.
  AuditRecord s1;
  s1.audit.id = "C2-S1";
  s1.audit.type = AuditType::kStage1;
  s1.audit.planned_start = s1.audit.planned_end = D("2026-03-10");
  ASSERT_OK(st.AddAudit("C2", s1, &r));
  s1.audit.status = AuditStatus::kCompleted;
  s1.audit.actual_start = s1.audit.actual_end = D("2026-03-10");
  ASSERT_OK(st.UpdateAudit(s1, &r));
  s = st.UpdateAudit(held, &r);
  EXPECT_NE(s.message().find("stage 1 'C2-S1' has no readiness conclusion recorded"), std::string::npos)
      << s.message();
  s1.conclusion = "The client is ready for stage 2.";
  ASSERT_OK(st.UpdateAudit(s1, &r));
  ASSERT_OK(st.UpdateAudit(held, &r));
}

TEST_F(AuditStoreTest, DecisionRecordsItsRecommendationAndReportsStayAsOfTheirDate) {
  auto ws = OpenWs();
  AuditStore st(ws.get(), Iso());
  Build(&st);
  WriteResult r;
  using S = NonconformityState;
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kPlanSubmitted, D("2026-03-10"), "c", "rc", "ca", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kPlanAccepted, D("2026-03-11"), "", "", "", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kImplemented, D("2026-04-01"), "", "", "", &r));
  ASSERT_OK(st.MoveNonconformity("NC-F-1", S::kVerified, D("2026-04-15"), "", "", "", &r));
  for (const char* id : {"NC-F-2", "NC-F-3"}) {
    ASSERT_OK(st.MoveNonconformity(id, S::kPlanSubmitted, D("2026-03-20"), "c", "rc", "ca", &r));
    ASSERT_OK(st.MoveNonconformity(id, S::kPlanAccepted, D("2026-03-25"), "", "", "", &r));
  }
  DecisionRecord d;
  ASSERT_OK(st.Decide("S2", "Dana Lee", D("2026-04-21"), "CERT-1", &d, &r));
  ASSERT_TRUE(d.recommendation.has_value());
  EXPECT_EQ(d.recommendation->kind, RecommendationKind::kRecommendWithConditions);
  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog(AuditSubject("C1"), &events));
  const Event* decision = nullptr;
  for (const Event& e : events)
    if (e.entity_id == "decision/S2") decision = &e;
  ASSERT_NE(decision, nullptr);
  EXPECT_NE(decision->after.find("\"recommendation\":{\"computed\":\"recommend-with-conditions\""), std::string::npos)
      << decision->after;
  EXPECT_NE(decision->after.find("\"code\":\"minor-plan-accepted\""), std::string::npos) << decision->after;

  auto report_at = [&](int64_t* seq, AuditReportContent* out) {
    std::string hash, exported;
    ClientAuditData c;
    AuditPolicy p;
    ASSERT_OK(st.ReportPosition("C1", D("2026-04-21"), seq, &hash));
    ASSERT_OK(st.ReadClientAt("C1", *seq, &c, &p, &exported));
    ASSERT_OK(ComputeAuditReport(c, p, "S2", std::nullopt, out));
  };
  int64_t seq1 = 0, seq2 = 0;
  AuditReportContent first, later;
  report_at(&seq1, &first);
  EXPECT_EQ(first.report_date, D("2026-04-21"));
  EXPECT_FALSE(first.draft);
  // A year later: the minors verified, the certificate suspended.
  for (const char* id : {"NC-F-2", "NC-F-3"}) {
    ASSERT_OK(st.MoveNonconformity(id, S::kImplemented, D("2027-03-01"), "", "", "", &r));
    ASSERT_OK(st.MoveNonconformity(id, S::kVerified, D("2027-04-20"), "", "", "", &r));
  }
  ASSERT_OK(st.SetCertificateStatus("CERT-1", CertificateStatus::kSuspended, D("2027-05-01"), "fees unpaid", &r));
  report_at(&seq2, &later);
  EXPECT_EQ(seq1, seq2);
  EXPECT_EQ(later.recommendation.kind, RecommendationKind::kRecommendWithConditions);
  for (const ReportedNonconformity& n : later.nonconformities) {
    if (n.nc.id != "NC-F-1") {
      EXPECT_EQ(n.nc.state, S::kPlanAccepted) << n.nc.id;
    }
  }
  // Even from the current records the report as of the decision shows the
  // states of that day and the recommendation the decision recorded.
  ClientAuditData now;
  AuditPolicy p;
  ASSERT_OK(st.ReadClient("C1", &now));
  ASSERT_OK(st.GetPolicy(&p));
  AuditReportContent current;
  ASSERT_OK(ComputeAuditReport(now, p, "S2", std::nullopt, &current));
  EXPECT_EQ(current.recommendation.kind, RecommendationKind::kRecommendWithConditions);
  for (const ReportedNonconformity& n : current.nonconformities) {
    if (n.nc.id != "NC-F-1") {
      EXPECT_EQ(n.nc.state, S::kPlanAccepted) << n.nc.id;
    }
  }
  ASSERT_TRUE(current.certificate.has_value());
  EXPECT_EQ(current.certificate->status, CertificateStatus::kActive);
}

}  // namespace
}  // namespace assay::testing
