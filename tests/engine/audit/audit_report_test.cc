// Tests of the audit report content (assay/audit.h ComputeAuditReport,
// NonconformitiesToConsider, AuditRecommendation, LinkAssessment): which
// findings and nonconformities a report shows, its date, its sites and
// places, and the linked assessment's capability.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "assay/assessment.h"
#include "assay/audit.h"
#include "assay/rating.h"
#include "test_util.h"

namespace assay {
namespace {

Date D(const char* text) {
  Date d;
  Status st = Date::Parse(text, &d);
  if (!st.ok()) ADD_FAILURE() << st.ToString();
  return d;
}

AuditRecord Held(const std::string& id, AuditType type, const char* start, const char* end) {
  AuditRecord r;
  r.audit.id = id;
  r.audit.type = type;
  r.audit.planned_start = D(start);
  r.audit.planned_end = D(end);
  r.audit.actual_start = D(start);
  r.audit.actual_end = D(end);
  r.audit.status = AuditStatus::kCompleted;
  r.audit.team = {{"Ana Ruiz", TeamRole::kLeader}};
  return r;
}

Finding MakeFinding(const char* id, const char* audit, const char* clause, FindingGrade grade, const char* date) {
  Finding f;
  f.id = id;
  f.audit_id = audit;
  f.clause = clause;
  f.grade = grade;
  f.statement = "statement of " + std::string(id);
  f.date = D(date);
  return f;
}

NonconformityRecord MakeNc(const Finding& f, NonconformityState state, const char* due) {
  NonconformityRecord n;
  n.nc.id = "NC-" + f.id;
  n.nc.finding_id = f.id;
  n.nc.grade = f.grade;
  n.nc.state = state;
  n.nc.raised = f.date;
  n.nc.due_date = D(due);
  return n;
}

// A client certified after stage 2 (S2), with a surveillance (SV1) that
// found one more minor; a stage 2 minor is still open, another verified.
class AuditReportContentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Client& cl = c_.client;
    cl.id = "NW";
    cl.name = "Northwind";
    cl.scope = "Managed hosting";
    cl.sites = {{"BRS", "Bristol head office", "", ""}, {"LDS", "", "Leeds", ""}};
    AuditRecord s2 = Held("S2", AuditType::kStage2, "2024-03-04", "2024-03-07");
    AuditRecord sv1 = Held("SV1", AuditType::kSurveillance, "2025-03-10", "2025-03-12");
    sv1.sites = {"LDS"};
    sv1.activities = {{D("2025-03-10"), ActivityMode::kOnSite, "LDS", "Opening meeting"},
                      {D("2025-03-11"), ActivityMode::kOnSite, "BRS", "Incidents"},
                      {D("2025-03-12"), ActivityMode::kRemote, "video conference", "Closing"}};
    c_.audits = {s2, sv1};
    c_.findings = {MakeFinding("F-1", "S2", "8.6.1", FindingGrade::kMinor, "2024-03-07"),
                   MakeFinding("F-2", "S2", "8.5.1.3", FindingGrade::kMinor, "2024-03-07"),
                   MakeFinding("F-3", "SV1", "9.2", FindingGrade::kMinor, "2025-03-12"),
                   MakeFinding("F-4", "SV1", "5.1", FindingGrade::kConforming, "2025-03-12")};
    c_.nonconformities = {MakeNc(c_.findings[0], NonconformityState::kOpen, "2024-04-06"),
                          MakeNc(c_.findings[1], NonconformityState::kVerified, "2024-04-06"),
                          MakeNc(c_.findings[2], NonconformityState::kOpen, "2025-04-11")};
    c_.nonconformities[1].nc.history = {{NonconformityState::kPlanSubmitted, D("2024-03-20")},
                                        {NonconformityState::kPlanAccepted, D("2024-03-21")},
                                        {NonconformityState::kImplemented, D("2024-03-25")},
                                        {NonconformityState::kVerified, D("2024-04-01")}};
    DecisionRecord d;
    d.audit = "S2";
    d.decision = {D("2024-05-13"), DecisionKind::kInitial, "Lena Vogt"};
    d.certificate = "C-1";
    c_.decisions = {d};
    CertificateRecord cert;
    cert.certificate = {"C-1", D("2024-05-13"), D("2027-05-12"), CertificateStatus::kActive};
    c_.certificates = {cert};
    policy_.body.name = "Meridian Certification";
  }

  ClientAuditData c_;
  AuditPolicy policy_;
};

TEST_F(AuditReportContentTest, ShowsTheAuditsFindingsAndTheOpenNonconformitiesOfEarlierAudits) {
  AuditReportContent r;
  ASSERT_OK(ComputeAuditReport(c_, policy_, "SV1", std::nullopt, &r));
  EXPECT_EQ(r.report_date.ToString(), "2025-03-12");  // no decision on SV1: its last day
  std::vector<std::string> findings, ncs;
  for (const Finding& f : r.findings) findings.push_back(f.id);
  for (const ReportedNonconformity& n : r.nonconformities) ncs.push_back(n.nc.id);
  // Its own findings first, then F-1 behind the stage 2 minor still open;
  // the verified NC-F-2 is not carried over.
  EXPECT_EQ(findings, (std::vector<std::string>{"F-3", "F-4", "F-1"}));
  EXPECT_EQ(ncs, (std::vector<std::string>{"NC-F-1", "NC-F-3"}));
  EXPECT_TRUE(r.nonconformities[0].overdue);   // due 2024-04-06, still open
  EXPECT_FALSE(r.nonconformities[1].overdue);  // due 2025-04-11
  EXPECT_EQ(r.recommendation.kind, RecommendationKind::kNotRecommend);
  EXPECT_FALSE(r.decision);
  ASSERT_TRUE(r.certificate);
  EXPECT_EQ(r.certificate->number, "C-1");
  ASSERT_TRUE(r.programme);
  EXPECT_TRUE(r.programme->certified);
  EXPECT_EQ(r.body.name, "Meridian Certification");
}

TEST_F(AuditReportContentTest, ListsTheAuditsSitesAndNamesSitesAsPlaces) {
  AuditReportContent r;
  ASSERT_OK(ComputeAuditReport(c_, policy_, "SV1", std::nullopt, &r));
  ASSERT_EQ(r.client.sites.size(), 1u);  // SV1 covers LDS only
  EXPECT_EQ(r.client.sites[0].id, "LDS");
  ASSERT_EQ(r.audit.activities.size(), 3u);
  EXPECT_EQ(r.audit.activities[0].place, "LDS");  // a site without a name keeps its ID
  EXPECT_EQ(r.audit.activities[1].place, "Bristol head office");
  EXPECT_EQ(r.audit.activities[2].place, "video conference");
  // An audit that names no site covers them all.
  ASSERT_OK(ComputeAuditReport(c_, policy_, "S2", std::nullopt, &r));
  EXPECT_EQ(r.client.sites.size(), 2u);
}

TEST_F(AuditReportContentTest, LeavesOutSitesThatJoinedTheScopeAfterItsDate) {
  ClientSite later;
  later.id = "MAI";
  later.name = "Maia data centre";
  later.since = D("2024-05-14");  // the day after the decision on S2
  c_.client.sites.push_back(later);
  AuditReportContent r;
  ASSERT_OK(ComputeAuditReport(c_, policy_, "S2", std::nullopt, &r));  // as of 2024-05-13
  EXPECT_EQ(r.client.sites.size(), 2u);
  ASSERT_OK(ComputeAuditReport(c_, policy_, "S2", D("2024-05-14"), &r));  // on the day it joined
  ASSERT_EQ(r.client.sites.size(), 3u);
  EXPECT_EQ(r.client.sites[2].id, "MAI");
  EXPECT_EQ(ClientAsOf(c_, D("2024-05-13")).client.sites.size(), 2u);
  EXPECT_EQ(ClientAsOf(c_, D("2030-01-01")).client.sites.size(), 3u);
}

TEST_F(AuditReportContentTest, IsAsOfTheDecisionOrTheGivenDate) {
  AuditReportContent r;
  ASSERT_OK(ComputeAuditReport(c_, policy_, "S2", std::nullopt, &r));
  EXPECT_EQ(r.report_date.ToString(), "2024-05-13");
  ASSERT_TRUE(r.decision);
  EXPECT_EQ(r.decision->decided_by, "Lena Vogt");
  ASSERT_OK(ComputeAuditReport(c_, policy_, "S2", D("2024-03-08"), &r));
  EXPECT_EQ(r.report_date.ToString(), "2024-03-08");
  EXPECT_FALSE(r.nonconformities[0].overdue);
}

TEST_F(AuditReportContentTest, UnknownAuditIsNotFoundWithTheNearest) {
  AuditReportContent r;
  Status s = ComputeAuditReport(c_, policy_, "SV2", std::nullopt, &r);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), "client 'NW' has no audit 'SV2'; nearest: S2, SV1");
  EXPECT_EQ(s.subject().kind, "audit");
  EXPECT_EQ(s.subject().id, "SV2");
}

TEST_F(AuditReportContentTest, RecommendationAppliesTheRecordedOverride) {
  c_.audits[1].override_ =
      RecommendationOverride{RecommendationKind::kRecommendWithConditions, "plan agreed", D("2025-03-12")};
  const Recommendation in_force = AuditRecommendation(c_, c_.audits[1], D("2025-03-12"), policy_.policy);
  EXPECT_EQ(in_force.kind, RecommendationKind::kRecommendWithConditions);
  EXPECT_TRUE(in_force.overridden);
  const Recommendation computed = AuditRecommendation(c_, c_.audits[1], D("2025-03-12"), policy_.policy, false);
  EXPECT_EQ(computed.kind, RecommendationKind::kNotRecommend);
  EXPECT_FALSE(computed.overridden);
}

TEST(LinkAssessmentTest, KeepsTheDeterminedLevelsAndTargets) {
  Assessment a;
  a.id = "A1";
  a.title = "Baseline";
  a.model_id = "itsm-20000";
  a.model_version = "1.0.0";
  a.end_date = "2026-02-20T17:00:00Z";
  RatingResults results;
  ProcessProfile p1, p2, p3;
  p1.process = "RES.1";
  p1.name = "Incident management";
  p1.capability.level = 0;
  p1.target_level = 2;
  p2.process = "RES.2";
  p2.capability.determined = false;
  p3.process = "SDM.1";
  p3.capability.level = 3;
  results.processes = {p1, p2, p3};
  LinkedAssessment l = LinkAssessment(a, results);
  EXPECT_EQ(l.model, "itsm-20000@1.0.0");
  ASSERT_TRUE(l.date);
  EXPECT_EQ(l.date->ToString(), "2026-02-20");
  ASSERT_EQ(l.processes.size(), 2u);
  EXPECT_EQ(l.processes[0].process, "RES.1");
  EXPECT_EQ(l.processes[0].target, 2);
  EXPECT_EQ(l.processes[1].process, "SDM.1");
  EXPECT_EQ(l.processes[1].level, 3);
  EXPECT_FALSE(l.processes[1].target);
}

}  // namespace
}  // namespace assay
