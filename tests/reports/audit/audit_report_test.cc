// Tests of the certification audit report (PDF and JSON). The PDF is checked
// with poppler-utils (pdftotext, pdfinfo) and qpdf, as the other report tests.
#include "assay/reports/audit_report.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>
#include <vector>

#include "assay/reports/report_parts.h"
#include "assay/text.h"
#include "test_util.h"

namespace assay::reports {
namespace {

using assay::testing::SourcePath;
using assay::testing::RunCommand;
using assay::testing::TempDir;

Date D(const char* text) {
  Date d;
  EXPECT_TRUE(Date::Parse(text, &d).ok()) << text;
  return d;
}

// Collapses every run of white space to one blank, so that text wrapped
// across lines still matches.
std::string Squash(const std::string& s) {
  std::string out;
  bool blank = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

std::shared_ptr<const Catalogue> BundledCatalogue() {
  std::shared_ptr<const Catalogue> cat;
  std::vector<Diagnostic> diags;
  Status s = LoadCatalogueFile(SourcePath("models/catalogues/iso20000-1-2018.json"), &cat, &diags);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return cat;
}

// A stage 2 audit of a client with one major and two minors on one clause
// (a possible systemic failure), one minor overdue, an observation, some
// conforming findings, one nonconformity from stage 1 verified at stage 2,
// and a linked assessment in which incident management (RES.1) is at
// capability level 0.
class AuditReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalogue_ = BundledCatalogue();
    ASSERT_NE(catalogue_, nullptr);
    in_ = MakeInput();
  }

  AuditReportInput MakeInput() const {
    AuditReportInput in;
    in.catalogue = catalogue_.get();
    in.body = {"Meridian Certification Ltd", "12 Harbour Road, Leith, Edinburgh EH6 6PX",
               "Accredited for ISO/IEC 20000-1 under ISO/IEC 17021-1 and ISO/IEC 20000-6, accreditation no. 4711"};
    in.client.id = "NW";
    in.client.name = "Northwind Services Ltd";
    in.client.address = "Unit 4, Quayside Park, Bristol BS1 6XX";
    in.client.representative = "Priya Shah, Head of Service Management";
    in.client.sites = {{"BRS", "Bristol head office", "Unit 4, Quayside Park, Bristol", "service desk, SMS management"},
                       {"LDS", "Leeds data centre", "Aire Street, Leeds", "hosting, backup, continuity"}};
    in.client.scope =
        "The service management system supporting managed hosting and service desk services for business "
        "customers, delivered from Bristol and Leeds.";

    Audit s1;
    s1.id = "A-S1";
    s1.type = AuditType::kStage1;
    s1.planned_start = D("2026-01-12");
    s1.planned_end = D("2026-01-13");
    s1.actual_start = D("2026-01-12");
    s1.actual_end = D("2026-01-13");
    s1.status = AuditStatus::kCompleted;

    Audit& a = in.audit.audit;
    a.id = "A-S2";
    a.type = AuditType::kStage2;
    a.planned_start = D("2026-03-02");
    a.planned_end = D("2026-03-05");
    a.actual_start = D("2026-03-02");
    a.actual_end = D("2026-03-06");
    a.status = AuditStatus::kCompleted;
    a.team = {{"Ana Ruiz", TeamRole::kLeader},
              {"Tom Becker", TeamRole::kAuditor},
              {"Lena Ortiz", TeamRole::kTechnicalExpert},
              {"Sam Okafor", TeamRole::kObserver}};
    s1.team = a.team;

    AuditRecord& d = in.audit;
    d.objectives = {"Determine whether the SMS conforms to all requirements of ISO/IEC 20000-1:2018.",
                    "Evaluate whether the SMS is implemented effectively and achieves the service management "
                    "objectives of the client.",
                    "Decide whether certification can be recommended."};
    d.criteria = {"ISO/IEC 20000-1:2018", "The client's SMS documentation, version 3.2",
                  "Service level agreements with the client's customers"};
    d.scope = "All clauses 4 to 10 at both sites; records of September 2025 to February 2026.";
    d.accompanying = {{AccompanyingRole::kGuide, "Mark Lee", "Northwind, Leeds"},
                      {AccompanyingRole::kInterpreter, "Olga Brandt", ""}};
    d.activities = {
        {D("2026-02-23"), ActivityMode::kOffSite, "Meridian office", "Review of the SMS documentation"},
        {D("2026-03-02"), ActivityMode::kOnSite, "Bristol head office",
         "Opening meeting; leadership, policy (5.1-5.3)"},
        {D("2026-03-03"), ActivityMode::kOnSite, "Bristol head office", "Incident and request management (8.6)"},
        {D("2026-03-04"), ActivityMode::kOnSite, "Leeds data centre", "Continuity, availability, security (8.7)"},
        {D("2026-03-06"), ActivityMode::kRemote, "video conference", "Change management interviews; closing meeting"}};
    d.deviations = {{"The change management interviews moved from 5 March to 6 March and were held remotely.",
                     "The change manager was unavailable on 5 March; the client asked for the change."}};
    d.programme_issues = {"The Leeds data centre closes in 2027; the programme moves its visits to Bristol."};
    d.changes = {"The client moved its service desk tool to a new vendor in January 2026."};
    d.unresolved_issues = {"The client disputes the grade of F-1; its view goes to the technical review."};
    d.combination = AuditCombinationRecord{AuditCombination::kIntegrated, "ISO 9001:2015 and ISO/IEC 20000-1:2018"};
    d.marks = MarksUseRecord{MarksControl::kNotApplicable, "No certificate yet."};
    d.sampled = {{"8.6.1", "25 of 1,240 incident records of Q4 2025, including all 6 major incidents"},
                 {"8.5.1.3", "12 of 310 change records, including 4 emergency changes"},
                 {"", "Interviews with 14 people in 6 roles"}};
    d.conclusion =
        "The SMS is established and largely implemented. Incident management does not yet meet the "
        "requirements (a major nonconformity), and change management shows repeated weaknesses.";

    in.findings = {
        {"F-0",
         "A-S1",
         "7.5.4",
         FindingGrade::kMinor,
         "The SMS documented information did not list the service "
         "continuity plans.",
         {"E-9"},
         D("2026-01-13")},
        {"F-1",
         "A-S2",
         "8.6.1",
         FindingGrade::kMajor,
         "Major incidents were not classified or escalated by the agreed criteria; 4 of 6 sampled major "
         "incidents had no escalation record.",
         {"E-1", "E-2"},
         D("2026-03-06")},
        {"F-2",
         "A-S2",
         "8.5.1.3",
         FindingGrade::kMinor,
         "Two emergency changes were approved after implementation.",
         {"E-3"},
         D("2026-03-06")},
        {"F-3",
         "A-S2",
         "8.5.1.3",
         FindingGrade::kMinor,
         "Change records lacked the post-implementation review.",
         {"E-4"},
         D("2026-03-06")},
        {"F-4",
         "A-S2",
         "9.2",
         FindingGrade::kObservation,
         "The internal audit programme does not yet cover the Leeds site.",
         {},
         D("2026-03-06")},
        {"F-5",
         "A-S2",
         "5.1",
         FindingGrade::kConforming,
         "Top management takes part in SMS reviews.",
         {"E-5"},
         D("2026-03-06")},
        {"F-6",
         "A-S2",
         "8.3.3",
         FindingGrade::kOpportunity,
         "Service level reports could show trends over several months.",
         {},
         D("2026-03-06")},
        {"F-7",
         "A-S2",
         "7.5.4",
         FindingGrade::kConforming,
         "The SMS documentation now lists continuity plans.",
         {"E-9"},
         D("2026-03-06")},
    };
    in.evidence = {{"E-1", "Major incident records MI-101 to MI-106"},
                   {"E-2", "Interview with the incident manager, 3 March 2026"},
                   {"E-3", "Emergency changes CH-881 and CH-902"},
                   {"E-4", "Change records CH-700 to CH-711"},
                   {"E-5", "Management review minutes of 12 December 2025"},
                   {"E-9", "SMS document register, version 3.2"}};

    CertificationPolicy policy;
    auto nc = [&](const char* id, const Finding& f, NonconformityState state, std::vector<StateChange> history) {
      ReportedNonconformity e;
      e.nc.id = id;
      e.nc.finding_id = f.id;
      e.nc.grade = f.grade;
      e.nc.state = state;
      e.nc.raised = f.date;
      EXPECT_TRUE(DueDate(f.grade, f.date, policy, &e.nc.due_date).ok());
      e.nc.history = std::move(history);
      return e;
    };
    ReportedNonconformity nc0 = nc("NC-0", in.findings[0], NonconformityState::kVerified,
                                   {{NonconformityState::kPlanSubmitted, D("2026-01-20")},
                                    {NonconformityState::kPlanAccepted, D("2026-01-22")},
                                    {NonconformityState::kImplemented, D("2026-02-10")},
                                    {NonconformityState::kVerified, D("2026-03-06")}});
    nc0.correction = "Continuity plans added to the document register.";
    nc0.root_cause = "The register template had no category for plans.";
    nc0.corrective_action = "Register template extended; document owners briefed.";
    ReportedNonconformity nc1 = nc(
        "NC-1", in.findings[1], NonconformityState::kPlanAccepted,
        {{NonconformityState::kPlanSubmitted, D("2026-03-20")}, {NonconformityState::kPlanAccepted, D("2026-03-25")}});
    nc1.correction = "The 6 major incidents were reviewed and escalation records completed.";
    nc1.root_cause = "The new service desk tool had no rule for major incident escalation.";
    nc1.corrective_action = "Escalation rule configured; staff trained; monthly check of major incidents.";
    ReportedNonconformity nc2 = nc(
        "NC-2", in.findings[2], NonconformityState::kPlanAccepted,
        {{NonconformityState::kPlanSubmitted, D("2026-03-30")}, {NonconformityState::kPlanAccepted, D("2026-04-02")}});
    nc2.correction = "The two changes were reviewed retrospectively by the change advisory board.";
    nc2.root_cause = "The emergency change procedure allowed approval by telephone without a record.";
    nc2.corrective_action = "Emergency approvals recorded in the tool before implementation.";
    ReportedNonconformity nc3 = nc("NC-3", in.findings[3], NonconformityState::kOpen, {});
    in.nonconformities = {nc0, nc1, nc2, nc3};

    in.report_date = D("2026-05-20");
    for (ReportedNonconformity& e : in.nonconformities) e.overdue = IsOverdue(e.nc, in.report_date);

    std::vector<Finding> this_audit;
    for (const Finding& f : in.findings)
      if (f.audit_id == a.id) this_audit.push_back(f);
    in.systemic_warnings = SystemicWarnings(this_audit, policy);
    std::vector<Nonconformity> ncs;
    for (const ReportedNonconformity& e : in.nonconformities) ncs.push_back(e.nc);
    in.recommendation = ComputeRecommendation(a, in.findings, ncs, in.report_date, policy);

    ClientHistory history;
    history.audits = {s1, a};
    history.findings = in.findings;
    history.nonconformities = ncs;
    in.programme = ComputeProgramme(history, in.report_date, policy);

    LinkedAssessment la;
    la.id = "NW-2026-01";
    la.title = "Northwind ITSM capability baseline";
    la.model = "itsm-20000@1.0.0";
    la.date = D("2026-02-20");
    const char* ids[] = {"SPM.1", "SPM.2", "SPM.3", "SPM.4", "RAM.1", "RAM.2", "RAM.3", "SDM.1", "SDM.2", "SDM.3",
                         "DBT.1", "DBT.2", "DBT.3", "RES.1", "RES.2", "RES.3", "SAS.1", "SAS.2", "SAS.3", "SMS.1",
                         "SMS.2", "SMS.3", "SMS.4", "SMS.5", "SMS.6", "SMS.7", "SMS.8", "SMS.9", "SMS.10"};
    int n = 0;
    for (const char* id : ids) {
      int level = std::string(id) == "RES.1" ? 0 : 1 + (n++ % 3);
      la.processes.push_back({id, std::string("Process ") + id, level, 2});
    }
    la.processes[13].name = "Incident management";
    in.assessment = la;

    in.report_id = "AR-2026-014";
    in.manifest.snapshot_sha256 = Sha256Hex("audit A-S2 snapshot");
    in.manifest.assay_version = "0.1.0";
    in.manifest.log_seq = 42;
    in.manifest.verify_command = "assay --db WORKSPACE.db verify-report REPORT.pdf";
    return in;
  }

  std::string Render(const AuditReportInput& in, Paper paper = Paper::kA4) {
    AuditReportOptions options;
    options.paper = paper;
    std::string pdf;
    Status s = RenderAuditReport(in, options, &pdf);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return pdf;
  }

  std::string Save(const std::string& bytes, const std::string& name) {
    std::string path = dir_.Write(name, bytes);
    return path;
  }

  TempDir dir_;
  std::shared_ptr<const Catalogue> catalogue_;
  AuditReportInput in_;
};

TEST_F(AuditReportTest, ScenarioIsWhatTheTestsAssume) {
  // The engine's view of the scenario, so that the report assertions below
  // test the renderer and not the test data.
  EXPECT_EQ(in_.recommendation.kind, RecommendationKind::kNotRecommend);
  ASSERT_EQ(in_.systemic_warnings.size(), 1u);
  EXPECT_EQ(in_.systemic_warnings[0].clause, "8.5.1.3");
  EXPECT_FALSE(in_.nonconformities[1].overdue);  // major, due 2026-06-04
  EXPECT_TRUE(in_.nonconformities[3].overdue);   // minor without a plan, due 2026-04-05
  EXPECT_OK(CheckAuditReportInput(in_));
}

TEST_F(AuditReportTest, PdfHasTheContentsACertificationBodyNeeds) {
  REQUIRE_TOOLS();
  const std::string bytes = Render(in_);
  // Set ASSAY_AUDIT_REPORT_OUT=FILE.pdf to keep the rendered example for a look.
  if (const char* keep = std::getenv("ASSAY_AUDIT_REPORT_OUT")) std::ofstream(keep, std::ios::binary) << bytes;
  const std::string path = Save(bytes, "report.pdf");
  const std::string layout = RunCommand("pdftotext -layout '" + path + "' - 2>/dev/null");
  const std::string text = Squash(RunCommand("pdftotext '" + path + "' - 2>/dev/null"));
  ASSERT_FALSE(layout.empty());

  // Every auditable clause is a row of the findings table: its number at the
  // start of a line, followed by the first word of its title.
  for (const Clause* c : catalogue_->AuditableClauses()) {
    std::string first = c->title.substr(0, c->title.find(' '));
    std::regex row("(^|\\n)\\s*" + std::regex_replace(c->number, std::regex("\\."), "\\.") + "\\s+[^\\n]*" + first);
    EXPECT_TRUE(std::regex_search(layout, row)) << "no row for clause " << c->number << " " << c->title;
  }
  // Headings are not rows of the table.
  EXPECT_FALSE(std::regex_search(layout, std::regex("(^|\\n)\\s*8\\.5\\.1\\s+Change management")));
  EXPECT_NE(text.find("not sampled"), std::string::npos);

  // The 17021-1 items, as section headings (in our own words).
  for (const char* heading : {"Certification body and client",
                              "Client representative",
                              "Audit type",
                              "Objectives",
                              "Scope",
                              "Criteria",
                              "Deviations from the audit plan",
                              "Significant issues affecting the audit programme",
                              "Audit team",
                              "Accompanying persons",
                              "Dates and places of the audit activities",
                              "Findings by clause",
                              "Findings, evidence and conclusions",
                              "Significant changes since the last audit",
                              "Unresolved issues",
                              "Combined, joint or integrated",
                              "Basis of the findings",
                              "Recommendation of the audit team",
                              "Use of certification documents and marks",
                              "Corrective actions on earlier nonconformities",
                              "Nonconformity register",
                              "Possible systemic failures",
                              "Capability of the service management processes",
                              "Signatures",
                              "Report manifest",
                              "Contents"})
    EXPECT_NE(text.find(heading), std::string::npos) << heading;

  // Parties, dates, team.
  for (const char* s : {"Meridian Certification Ltd", "Northwind Services Ltd", "Priya Shah", "Ana Ruiz",
                        "Technical expert", "Sam Okafor", "Mark Lee", "Leeds data centre", "2 March 2026",
                        "6 March 2026", "The change manager was unavailable", "CONFIDENTIAL"})
    EXPECT_NE(text.find(s), std::string::npos) << s;

  // The nonconformity register: every entry, its correction, and the overdue one.
  for (const ReportedNonconformity& e : in_.nonconformities) EXPECT_NE(text.find(e.nc.id), std::string::npos);
  EXPECT_NE(text.find(Squash(in_.nonconformities[1].corrective_action)), std::string::npos);
  EXPECT_NE(text.find("OVERDUE"), std::string::npos);
  EXPECT_NE(text.find("Overdue nonconformities as of 20 May 2026: NC-3 (due 5 April 2026)"), std::string::npos)
      << text.substr(0, 3000);
  EXPECT_NE(text.find("not yet submitted"), std::string::npos);  // NC-3 has no plan
  // The systemic warning and the recommendation with its reasons.
  EXPECT_NE(text.find(Squash(in_.systemic_warnings[0].message)), std::string::npos);
  EXPECT_NE(text.find("Not recommended: granting certification"), std::string::npos);
  ASSERT_FALSE(in_.recommendation.reasons.empty());
  for (const RecommendationReason& r : in_.recommendation.reasons)
    EXPECT_NE(text.find(Squash(r.text)), std::string::npos) << r.text;
  // The sampling statement.
  EXPECT_NE(text.find(Squash(SamplingStatement(ReportKind::kAudit))), std::string::npos);
  // The capability of the process behind 8.6.1, at level 0, against its clause.
  EXPECT_NE(text.find("At capability level 0: RES.1"), std::string::npos);
  EXPECT_TRUE(std::regex_search(
      layout, std::regex("8\\.6\\.1\\s+Incident management\\s+Major NC\\s+F-1\\s+\u2717 RES\\.1 +CL 0")))
      << "clause 8.6.1 row does not show RES.1 at CL 0";
  // Page n of N.
  EXPECT_TRUE(std::regex_search(text, std::regex("Page 1 of [0-9]+")));
}

// 17021-1 9.4.8.2 items h, i, j, l, m, n and q: what the team recorded is
// shown, and "None recorded." appears only for an item left empty.
TEST_F(AuditReportTest, ReportItemsShowWhatWasRecordedAndOnlyThenNoneRecorded) {
  REQUIRE_TOOLS();
  std::string path = Save(Render(in_), "items.pdf");
  std::string text = Squash(RunCommand("pdftotext '" + path + "' - 2>/dev/null"));
  const std::string layout = RunCommand("pdftotext -layout '" + path + "' - 2>/dev/null");
  for (const char* s : {"The Leeds data centre closes in 2027",                        // h
                        "Mark Lee", "Northwind, Leeds", "Olga Brandt", "Interpreter",  // i
                        "The client moved its service desk tool",                      // l
                        "The client disputes the grade of F-1",                        // m
                        "Integrated audit (of an integrated management system against several standards): ISO "
                        "9001:2015 and ISO/IEC 20000-1:2018",  // n
                        "Not applicable: the client holds no certificate whose documents or marks it could use: No "
                        "certificate yet."})  // q
    EXPECT_NE(text.find(s), std::string::npos) << s;
  // j) one row per activity with its date, place and mode.
  EXPECT_TRUE(std::regex_search(layout, std::regex("23 February 2026 +Meridian office +off-site +Review of the SMS")))
      << layout.substr(0, 4000);
  EXPECT_TRUE(std::regex_search(layout, std::regex("6 March 2026 +video conference +remote +Change management")));
  EXPECT_EQ(text.find("None recorded."), std::string::npos);

  // Nothing recorded: each of the seven items says so, and claims nothing.
  AuditReportInput empty = in_;
  AuditRecord& d = empty.audit;
  d.programme_issues.clear();
  d.accompanying.clear();
  d.activities.clear();
  d.changes.clear();
  d.unresolved_issues.clear();
  d.combination.reset();
  d.marks.reset();
  path = Save(Render(empty), "empty.pdf");
  text = Squash(RunCommand("pdftotext '" + path + "' - 2>/dev/null"));
  size_t count = 0;
  for (size_t at = text.find("None recorded."); at != std::string::npos; at = text.find("None recorded.", at + 1))
    ++count;
  EXPECT_EQ(count, 7u) << text;
  EXPECT_NE(text.find("None recorded. The audit dates were"), std::string::npos);
  for (const char* claim : {"a single audit against", "None were identified", "no issue remains open"})
    EXPECT_EQ(text.find(claim), std::string::npos) << claim;
  // An explicit "single" audit is what the team recorded, so it is stated.
  empty.audit.combination = AuditCombinationRecord{AuditCombination::kSingle, ""};
  path = Save(Render(empty), "single.pdf");
  text = Squash(RunCommand("pdftotext '" + path + "' - 2>/dev/null"));
  EXPECT_NE(text.find("No: a single audit against ISO/IEC 20000-1:2018 only"), std::string::npos);
}

TEST_F(AuditReportTest, PdfIsValidDeterministicAndCarriesTheManifest) {
  REQUIRE_TOOLS();
  const std::string a = Render(in_);
  const std::string b = Render(in_);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b) << "two renders differ";
  const std::string path = Save(a, "report.pdf");
  int rc = -1;
  RunCommand("qpdf --check '" + path + "' >/dev/null 2>&1", &rc);
  EXPECT_EQ(rc, 0) << "qpdf --check failed";
  const std::string info = RunCommand("pdfinfo '" + path + "' 2>/dev/null");
  EXPECT_NE(info.find("Certification audit report: A-S2"), std::string::npos) << info;
  EXPECT_TRUE(std::regex_search(info, std::regex(R"(Page size:\s+595\.276 x 841\.89 pts \(A4\))"))) << info;

  ReportManifest m;
  ASSERT_OK(ReadPdfManifest(a, &m));
  EXPECT_EQ(m.kind, ReportKind::kAudit);
  EXPECT_EQ(m.subject, "A-S2");
  EXPECT_EQ(m.snapshot_sha256, in_.manifest.snapshot_sha256);
  EXPECT_EQ(m.model, "iso20000-1-2018@1.0.0");
  EXPECT_EQ(m.model_sha256, catalogue_->sha256);
  EXPECT_EQ(m.data_as_of, "2026-05-20");
  EXPECT_EQ(m.log_seq, 42);

  // A change in the record changes the bytes.
  AuditReportInput changed = in_;
  changed.nonconformities[3].correction = "Post-implementation reviews added.";
  EXPECT_NE(Render(changed), a);
}

TEST_F(AuditReportTest, LetterDiffersFromA4) {
  REQUIRE_TOOLS();
  const std::string a4 = Render(in_, Paper::kA4);
  const std::string letter = Render(in_, Paper::kLetter);
  EXPECT_NE(a4, letter);
  std::string path = Save(letter, "letter.pdf");
  int rc = -1;
  RunCommand("qpdf --check '" + path + "' >/dev/null 2>&1", &rc);
  EXPECT_EQ(rc, 0);
  // The MediaBox of every page: US letter here, A4 by default.
  auto media_boxes = [](const std::string& info) {
    std::vector<std::string> out;
    static const std::regex kBox(R"(Page +[0-9]+ MediaBox:\s+([0-9.]+\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+))");
    for (std::sregex_iterator it(info.begin(), info.end(), kBox), end; it != end; ++it) out.push_back(Squash((*it)[1]));
    return out;
  };
  const std::vector<std::string> letter_boxes =
      media_boxes(RunCommand("pdfinfo -box -f 1 -l 99 '" + path + "' 2>/dev/null"));
  ASSERT_GE(letter_boxes.size(), 5u);
  for (const std::string& box : letter_boxes) EXPECT_EQ(box, "0.00 0.00 612.00 792.00");
  const std::string a4path = Save(a4, "a4.pdf");
  const std::vector<std::string> a4_boxes =
      media_boxes(RunCommand("pdfinfo -box -f 1 -l 99 '" + a4path + "' 2>/dev/null"));
  ASSERT_GE(a4_boxes.size(), 5u);
  for (const std::string& box : a4_boxes) EXPECT_EQ(box, "0.00 0.00 595.28 841.89");
}

TEST_F(AuditReportTest, WithoutAssessmentProgrammeOrNonconformities) {
  REQUIRE_TOOLS();
  AuditReportInput in = in_;
  in.assessment.reset();
  in.programme.reset();
  in.nonconformities.clear();
  in.systemic_warnings.clear();
  in.findings = {in.findings[5]};  // one conforming finding
  in.audit.deviations.clear();
  std::vector<Nonconformity> none;
  in.recommendation = ComputeRecommendation(in.audit.audit, in.findings, none, in.report_date, CertificationPolicy{});
  const std::string path = Save(Render(in), "plain.pdf");
  const std::string text = Squash(RunCommand("pdftotext '" + path + "' - 2>/dev/null"));
  EXPECT_NE(text.find("No process assessment is linked to this audit"), std::string::npos);
  EXPECT_NE(text.find("No nonconformities were raised at this audit."), std::string::npos);
  EXPECT_NE(text.find("5.1 Deviations from the audit plan None recorded."), std::string::npos);
  EXPECT_NE(text.find("Recommended: granting certification"), std::string::npos);
  EXPECT_EQ(text.find("OVERDUE"), std::string::npos);
  EXPECT_EQ(text.find("Process capability"), std::string::npos);
}

TEST_F(AuditReportTest, OverrideJustificationIsShown) {
  REQUIRE_TOOLS();
  AuditReportInput in = in_;
  ASSERT_OK(OverrideRecommendation(&in.recommendation, RecommendationKind::kRecommendWithConditions,
                                   "The major was corrected on site on 6 March; verification is a formality."));
  const std::string path = Save(Render(in), "override.pdf");
  const std::string text = Squash(RunCommand("pdftotext '" + path + "' - 2>/dev/null"));
  EXPECT_NE(text.find("Justification of the override"), std::string::npos);
  EXPECT_NE(text.find("The major was corrected on site on 6 March"), std::string::npos);
  EXPECT_NE(text.find("Computed recommendation"), std::string::npos);
  EXPECT_NE(text.find("Recommended with conditions: granting certification (overridden by the audit team)"),
            std::string::npos);
}

TEST_F(AuditReportTest, JsonHasTheSameContent) {
  std::string text;
  ASSERT_OK(AuditReportJson(in_, &text));
  std::string again;
  ASSERT_OK(AuditReportJson(in_, &again));
  EXPECT_EQ(text, again);
  nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_EQ(j["format"], "assay-audit-report/1");
  EXPECT_EQ(j["clauses"].size(), 57u);
  std::map<std::string, std::string> result;
  for (const auto& c : j["clauses"]) result[c["number"]] = c["result"];
  EXPECT_EQ(result["8.6.1"], "major");
  EXPECT_EQ(result["8.5.1.3"], "minor");
  EXPECT_EQ(result["9.2"], "observation");
  EXPECT_EQ(result["8.3.3"], "opportunity");
  EXPECT_EQ(result["7.5.4"], "conforming");  // F-0 belongs to stage 1: not in this audit's table
  EXPECT_EQ(result["10.2"], "not-sampled");
  for (const auto& c : j["clauses"])
    if (c["number"] == "8.6.1") {
      EXPECT_TRUE(c["level0"].get<bool>());
      EXPECT_EQ(c["capability"][0]["process"], "RES.1");
      EXPECT_EQ(c["capability"][0]["level"], 0);
    }
  ASSERT_EQ(j["nonconformities"].size(), 4u);
  EXPECT_EQ(j["nonconformities"][3]["id"], "NC-3");
  EXPECT_TRUE(j["nonconformities"][3]["overdue"].get<bool>());
  EXPECT_FALSE(j["nonconformities"][1]["overdue"].get<bool>());
  EXPECT_EQ(j["nonconformities"][0]["audit"], "A-S1");
  EXPECT_EQ(j["recommendation"]["kind"], "not-recommend");
  EXPECT_EQ(j["systemic_warnings"][0]["clause"], "8.5.1.3");
  EXPECT_EQ(j["manifest"]["snapshot_sha256"], in_.manifest.snapshot_sha256);
  EXPECT_EQ(j["audit"]["sampling_statement"], SamplingStatement(ReportKind::kAudit));
  EXPECT_TRUE(j["decision"].is_null());
  EXPECT_EQ(j["audit"]["accompanying"][1]["role"], "interpreter");
  EXPECT_EQ(j["audit"]["activities"][0]["mode"], "off-site");
  EXPECT_EQ(j["audit"]["combination"]["kind"], "integrated");
  EXPECT_EQ(j["audit"]["marks"]["control"], "not-applicable");
  EXPECT_EQ(j["audit"]["unresolved_issues"].size(), 1u);
  AuditReportInput empty = in_;
  empty.audit.combination.reset();
  empty.audit.marks.reset();
  ASSERT_OK(AuditReportJson(empty, &text));
  j = nlohmann::json::parse(text);
  EXPECT_TRUE(j["audit"]["combination"].is_null());
  EXPECT_TRUE(j["audit"]["marks"].is_null());
}

// Errors of `doc` against schemas/audit-report.schema.json, one per line.
std::string SchemaErrors(const nlohmann::json& doc) {
  std::ifstream in(SourcePath("schemas/audit-report.schema.json"));
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json schema_doc = nlohmann::json::parse(ss.str());
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  if (validator.validate(schema, target, &results)) return "";
  std::string out;
  for (const auto& e : results) {
    for (const std::string& c : e.context) out += c;
    out += ": " + e.description + "\n";
  }
  return out.empty() ? "invalid" : out;
}

TEST_F(AuditReportTest, JsonValidatesAgainstItsSchema) {
  std::string text;
  ASSERT_OK(AuditReportJson(in_, &text));
  nlohmann::json doc = nlohmann::json::parse(text);
  EXPECT_EQ(SchemaErrors(doc), "");
  // Without the optional parts (null certificate, decision, programme, assessment).
  AuditReportInput plain = in_;
  plain.assessment.reset();
  plain.programme.reset();
  plain.audit.combination.reset();
  plain.audit.marks.reset();
  ASSERT_OK(AuditReportJson(plain, &text));
  EXPECT_EQ(SchemaErrors(nlohmann::json::parse(text)), "");
  // With a certificate and a decision.
  plain.certificate = Certificate{"C-2026-17", D("2026-06-10"), D("2029-06-09"), CertificateStatus::kActive};
  plain.decision = CertificationDecision{D("2026-06-10"), DecisionKind::kInitial, "Jo Park"};
  ASSERT_OK(AuditReportJson(plain, &text));
  EXPECT_EQ(SchemaErrors(nlohmann::json::parse(text)), "");
  // The schema does reject what it should.
  doc["clauses"][0]["result"] = "excellent";
  EXPECT_NE(SchemaErrors(doc), "");
}

// Inconsistent input: the exact message, and no PDF.
struct BadInput {
  const char* name;
  std::function<void(AuditReportInput&)> mutate;
  const char* message;
};

class AuditReportBadInputTest : public AuditReportTest, public ::testing::WithParamInterface<BadInput> {};

TEST_P(AuditReportBadInputTest, IsRejectedWithAClearMessage) {
  AuditReportInput in = in_;
  GetParam().mutate(in);
  std::string pdf = "unchanged";
  Status s = RenderAuditReport(in, AuditReportOptions{}, &pdf);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.message(), GetParam().message);
  EXPECT_EQ(pdf, "unchanged");
  std::string json = "unchanged";
  EXPECT_EQ(AuditReportJson(in, &json).message(), GetParam().message);
  EXPECT_EQ(json, "unchanged");
}

const BadInput kBadInputs[] = {
    {"NoCatalogue", [](AuditReportInput& in) { in.catalogue = nullptr; },
     "audit report: no requirement catalogue given"},
    {"UnknownClause", [](AuditReportInput& in) { in.findings[2].clause = "8.9.9"; },
     "finding F-2: unknown clause '8.9.9' in catalogue iso20000-1-2018; nearest: 8.7.1, 8.7.2, 8.7.3.3"},
    {"HeadingClause", [](AuditReportInput& in) { in.findings[2].clause = "8.5.1"; },
     "finding F-2: clause 8.5.1 (Change management) is a heading, not an auditable clause; use one of 8.5.1.1, "
     "8.5.1.2, 8.5.1.3"},
    {"NoLeader", [](AuditReportInput& in) { in.audit.audit.team.erase(in.audit.audit.team.begin()); },
     "audit report: audit A-S2 has no audit team leader"},
    {"UnknownFinding", [](AuditReportInput& in) { in.nonconformities[2].nc.finding_id = "F-99"; },
     "nonconformity NC-2 names finding F-99, which is not among the report's findings"},
    {"DuplicateFinding", [](AuditReportInput& in) { in.findings[3].id = "F-2"; },
     "audit report: finding ID F-2 appears twice"},
    {"DeviationWithoutReason", [](AuditReportInput& in) { in.audit.deviations[0].reason = "  "; },
     "audit report: deviation 1 from the audit plan ('The change management interviews moved from 5 March to 6 "
     "March and were held remotely.') has no reason"},
    {"ActivityWithoutPlace", [](AuditReportInput& in) { in.audit.activities[1].place = " "; },
     "audit report: the activity of 2026-03-02 has no place"},
    {"AccompanyingWithoutName", [](AuditReportInput& in) { in.audit.accompanying[0].person = ""; },
     "audit report: an accompanying person has no name"},
    {"BadSnapshotHash", [](AuditReportInput& in) { in.manifest.snapshot_sha256 = "abc"; },
     "audit report: manifest snapshot_sha256 must be 64 lowercase hex digits, got 'abc'"},
    {"NoScope", [](AuditReportInput& in) { in.client.scope = ""; },
     "audit report: client Northwind Services Ltd has no certification scope"},
    {"OverrideWithoutJustification",
     [](AuditReportInput& in) {
       in.recommendation.overridden = true;
       in.recommendation.justification = "";
     },
     "audit report: the recommendation was overridden without a justification"},
};

INSTANTIATE_TEST_SUITE_P(Cases, AuditReportBadInputTest, ::testing::ValuesIn(kBadInputs),
                         [](const ::testing::TestParamInfo<BadInput>& param_info) {
                           return std::string(param_info.param.name);
                         });

TEST_F(AuditReportTest, GradeMismatchBetweenNonconformityAndFindingIsRejected) {
  AuditReportInput in = in_;
  in.nonconformities[1].nc.grade = FindingGrade::kMinor;  // its finding F-1 is a major
  std::string pdf;
  Status s = RenderAuditReport(in, AuditReportOptions{}, &pdf);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("NC-1"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("F-1"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace assay::reports
