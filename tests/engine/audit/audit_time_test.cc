// Audit time and multi-site sampling at their edges (issue 18).
#include "assay/audit.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_util.h"

namespace assay {
namespace {

AuditTimeTable Table() {
  AuditTimeTable t;
  t.bands = {{5, 3.0}, {10, 4.0}, {25, 6.0}, {45, 7.0}};  // exemplar values of this test
  return t;
}

TEST(AuditTime, BandsAdjustmentsAndTheThirtyPercentCap) {
  AuditTime t;
  ASSERT_OK(ComputeAuditTime(Table(), 25, {}, AuditType::kStage2, &t));
  EXPECT_DOUBLE_EQ(6.0, t.base_days);
  EXPECT_DOUBLE_EQ(6.0, t.days);
  ASSERT_OK(ComputeAuditTime(Table(), 26, {}, AuditType::kStage2, &t));
  EXPECT_DOUBLE_EQ(7.0, t.base_days);
  ASSERT_OK(ComputeAuditTime(Table(), 5000, {}, AuditType::kStage2, &t));  // above the last band
  EXPECT_DOUBLE_EQ(7.0, t.base_days);
  // Surveillance about a third, recertification about two thirds.
  ASSERT_OK(ComputeAuditTime(Table(), 20, {}, AuditType::kSurveillance, &t));
  EXPECT_DOUBLE_EQ(2.0, t.days);
  ASSERT_OK(ComputeAuditTime(Table(), 20, {}, AuditType::kRecertification, &t));
  EXPECT_DOUBLE_EQ(4.0, t.days);
  // Exactly 30 % is allowed; more is capped (the EA worked case nets -60 %).
  ASSERT_OK(ComputeAuditTime(Table(), 20, {{-0.30, "combined audit"}}, AuditType::kStage2, &t));
  EXPECT_FALSE(t.capped);
  EXPECT_DOUBLE_EQ(4.0, t.initial_days);  // 4.2 to the nearest half day
  EXPECT_DOUBLE_EQ(-0.30, t.net_adjustment);
  // One percent more (-20 and -11, adding up to -31 %) is capped at -30 %.
  ASSERT_OK(ComputeAuditTime(Table(), 20, {{-0.20, "combined audit"}, {-0.11, "identical shifts"}},
                             AuditType::kStage2, &t));
  EXPECT_TRUE(t.capped);
  EXPECT_DOUBLE_EQ(-0.30, t.net_adjustment);
  EXPECT_NEAR(-0.31, t.sum_adjustment, 1e-9);
  EXPECT_DOUBLE_EQ(4.0, t.initial_days);
  const std::vector<AuditTimeAdjustment> many = {{-0.20, "previously certified"},
                                                 {-0.20, "combined audit"},
                                                 {-0.20, "identical shifts"},
                                                 {-0.10, "low reliance on third parties"},
                                                 {+0.10, "complex processes"}};
  ASSERT_OK(ComputeAuditTime(Table(), 20, many, AuditType::kStage2, &t));
  EXPECT_TRUE(t.capped);
  EXPECT_DOUBLE_EQ(-0.30, t.net_adjustment);
  // Increases are not capped.
  ASSERT_OK(ComputeAuditTime(Table(), 20, {{+0.50, "many services"}}, AuditType::kStage2, &t));
  EXPECT_DOUBLE_EQ(9.0, t.days);
}

TEST(AuditTime, BadInputNamesTheProblem) {
  AuditTime t;
  EXPECT_EQ("the number of persons in scope must be at least 1, got 0",
            ComputeAuditTime(Table(), 0, {}, AuditType::kStage2, &t).message());
  EXPECT_EQ("audit-time adjustment 2 needs its reason",
            ComputeAuditTime(Table(), 5, {{-0.1, "x"}, {-0.1, " "}}, AuditType::kStage2, &t).message());
  AuditTimeTable bad = Table();
  bad.bands[2].max_persons = 10;
  EXPECT_EQ("the audit-time table's bands must ascend: band 3 (10 persons) follows 10",
            ComputeAuditTime(bad, 5, {}, AuditType::kStage2, &t).message());
  EXPECT_EQ("the audit-time table has no bands",
            ComputeAuditTime(AuditTimeTable{}, 5, {}, AuditType::kStage2, &t).message());
}

TEST(SiteSampling, SquareRootAndFactorsRoundedUp) {
  const struct {
    int sites;
    int initial, surveillance, recertification;
  } cases[] = {
      {1, 1, 1, 1},    // sqrt 1; 0.6 and 0.8 round up to 1
      {2, 2, 1, 2},    // 1.414 -> 2; 0.85 -> 1; 1.13 -> 2
      {10, 4, 2, 3},   // 3.16 -> 4; 1.90 -> 2; 2.53 -> 3
      {25, 5, 3, 4},   // 5; 3.0 exactly; 4.0 exactly
  };
  for (const auto& c : cases) {
    int n = 0;
    ASSERT_OK(SitesToSample(c.sites, AuditType::kStage2, SiteSampling{}, &n));
    EXPECT_EQ(c.initial, n) << c.sites;
    ASSERT_OK(SitesToSample(c.sites, AuditType::kSurveillance, SiteSampling{}, &n));
    EXPECT_EQ(c.surveillance, n) << c.sites;
    ASSERT_OK(SitesToSample(c.sites, AuditType::kRecertification, SiteSampling{}, &n));
    EXPECT_EQ(c.recertification, n) << c.sites;
  }
  int n = 0;
  EXPECT_EQ("a client has at least 1 site, got 0", SitesToSample(0, AuditType::kStage2, SiteSampling{}, &n).message());
}

TEST(SiteSampling, EverySiteVisitedOverTheCycle) {
  Client c;
  c.sites = {{"LEJ", "", "", ""}, {"OPO", "", "", ""}, {"MAI", "", "", ""}};
  AuditRecord a;
  a.audit.status = AuditStatus::kCompleted;
  a.sites = {"LEJ", "OPO"};
  AuditRecord planned;
  planned.sites = {"MAI"};
  EXPECT_EQ((std::vector<std::string>{"MAI"}), SitesNotVisited(c, {a, planned}));
  a.sites.clear();  // naming no site: all visited
  EXPECT_TRUE(SitesNotVisited(c, {a}).empty());
}

// ---- the table as data --------------------------------------------------------

TEST(AuditTimeTableFile, TheBundledExemplarLoadsByIdAndSaysWhatItIs) {
  std::shared_ptr<const AuditTimeTable> t;
  std::vector<Diagnostic> diags;
  ASSERT_OK(LoadAuditTimeTable(kDefaultAuditTimeTable, {testing::SourcePath("models")}, &t, &diags));
  EXPECT_EQ("audit-time-exemplar", t->id);
  EXPECT_NE(std::string::npos, t->notice.find("not the values of ISO/IEC 20000-6"));
  EXPECT_EQ(23u, t->bands.size());
  EXPECT_DOUBLE_EQ(0.30, t->max_reduction);
  EXPECT_DOUBLE_EQ(0.6, t->sampling.surveillance_factor);
  AuditTime at;
  ASSERT_OK(ComputeAuditTime(*t, 180, {}, AuditType::kStage2, &at));
  EXPECT_EQ(176, at.band_min);
  EXPECT_EQ(275, at.band_max);
  EXPECT_DOUBLE_EQ(9.5, at.base_days);
}

TEST(AuditTimeTableFile, ABodysOwnTableInAnEarlierDirectoryWins) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() + "/audit-time");
  std::ofstream(dir.path() + "/audit-time/own.json")
      << R"({"format": "assay-audit-time/1", "kind": "audit-time", "id": "audit-time-exemplar", "version": "2.0.0",
             "title": "Our table", "notice": "The body's own values.", "bands": [{"max_persons": 50, "days": 4}]})";
  std::shared_ptr<const AuditTimeTable> t;
  std::vector<Diagnostic> diags;
  ASSERT_OK(LoadAuditTimeTable(kDefaultAuditTimeTable, {dir.path(), testing::SourcePath("models")}, &t, &diags));
  EXPECT_EQ("2.0.0", t->version);
  EXPECT_DOUBLE_EQ(1.0 / 3.0, t->surveillance_share);  // the default where the file says nothing
  Status s = LoadAuditTimeTable("audit-time-exemplr", {dir.path()}, &t, &diags);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  EXPECT_NE(std::string::npos, s.message().find("nearest: audit-time-exemplar")) << s.message();
}

TEST(AuditTimeTableFile, ProblemsNameTheFileAndThePointer) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/t.json";
  auto load = [&](const std::string& text, std::vector<Diagnostic>* diags) {
    std::ofstream(path, std::ios::trunc) << text;
    std::shared_ptr<const AuditTimeTable> t;
    return LoadAuditTimeTable(path, {}, &t, diags);
  };
  const std::string head =
      R"({"format": "assay-audit-time/1", "kind": "audit-time", "id": "t", "version": "1.0.0", "title": "T", )"
      R"("notice": "N", )";
  std::vector<Diagnostic> diags;
  Status s = load(head + R"("bands": [{"max_persons": 25, "days": 3}, {"max_persons": 20, "days": 4}]})", &diags);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_EQ(path + ": invalid audit-time table (1 problem)", s.message());
  ASSERT_EQ(1u, diags.size());
  EXPECT_EQ(path + ": /bands/1/max_persons: band 2 (20 persons) does not follow band 1 (25 persons): the bands must "
                   "ascend",
            diags[0].ToString());
  diags.clear();
  s = load(head + R"("bands": [{"max_persons": 5, "days": 3}, {"max_persons": 9, "days": 2}]})", &diags);
  ASSERT_EQ(1u, diags.size());
  EXPECT_EQ("/bands/1/days", diags[0].pointer);
  diags.clear();
  s = load(head + R"("bands": [{"max_persons": 5, "days": -1}], "max_reduction": 2})", &diags);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  ASSERT_GE(diags.size(), 2u);
  EXPECT_EQ("/bands/0/days", diags[0].pointer) << diags[0].ToString();
  diags.clear();
  s = load(head + R"("bands": [)", &diags);  // syntax: line and column
  ASSERT_EQ(1u, diags.size());
  EXPECT_GT(diags[0].line, 0);
  diags.clear();
  std::shared_ptr<const AuditTimeTable> t;
  EXPECT_EQ(Status::Code::kNotFound, LoadAuditTimeTable(dir.path() + "/none.json", {}, &t, &diags).code());
}

// ---- the client's calculation and the planned days -------------------------------

ClientAuditData Client3() {
  ClientAuditData c;
  c.client.id = "C";
  c.client.sites = {{"HQ", "Head office", "", "", true}, {"DC", "", "", "", false}, {"OPS", "", "", "", false}};
  c.client.audit_time.emplace().persons = 20;
  c.client.audit_time->adjustments = {{-10, "one tool everywhere"}};  // 6.0 * 0.9 = 5.4
  auto audit = [](const char* id, AuditType type, const char* day, AuditStatus status, std::optional<double> days) {
    AuditRecord r;
    r.audit.id = id;
    r.audit.type = type;
    Date d;
    EXPECT_TRUE(Date::Parse(day, &d).ok());
    r.audit.planned_start = r.audit.planned_end = d;
    r.audit.status = status;
    if (status == AuditStatus::kCompleted) r.audit.actual_start = r.audit.actual_end = d;
    r.audit_days = days;
    return r;
  };
  c.audits = {audit("S1", AuditType::kStage1, "2025-01-10", AuditStatus::kCompleted, 1.5),
              audit("S2", AuditType::kStage2, "2025-02-10", AuditStatus::kCompleted, 4.0),
              audit("SV1", AuditType::kSurveillance, "2026-02-10", AuditStatus::kPlanned, 2.0)};
  c.audits[1].sites = {"HQ", "DC"};
  c.audits[2].sites = {"DC"};
  return c;
}

TEST(AuditDays, StageOneCountsWithStageTwoAndSharesFollowTheInitialTime) {
  const ClientAuditData c = Client3();
  AuditTime t;
  ASSERT_OK(ClientAuditTimeFor(c.client, Table(), AuditType::kSurveillance, &t));
  EXPECT_DOUBLE_EQ(5.5, t.initial_days);  // 5.4 to the nearest half day
  EXPECT_DOUBLE_EQ(2.0, t.surveillance_days);  // 1.8
  EXPECT_DOUBLE_EQ(3.5, t.recertification_days);  // 3.6
  const std::vector<AuditDays> days = AuditDaysOf(c, Table());
  ASSERT_EQ(2u, days.size());  // the stage 1 counts with its stage 2
  EXPECT_EQ("S2", days[0].audit);
  EXPECT_DOUBLE_EQ(5.5, *days[0].planned);  // 1.5 + 4
  EXPECT_FALSE(days[0].below);
  EXPECT_FALSE(days[1].below);  // 2 of 2: at the edge, not below
  ASSERT_OK(CheckAuditDays(c, Table()));
  ClientAuditData none = c;
  none.client.audit_time.reset();
  EXPECT_TRUE(AuditDaysOf(none, Table()).empty());
  Status s = ClientAuditTimeFor(none.client, Table(), AuditType::kStage2, &t);
  EXPECT_EQ("audit-time", s.subject().reason);
}

TEST(AuditDays, PlannedDaysBelowTheCalculationNeedAJustification) {
  ClientAuditData c = Client3();
  c.audits[2].audit_days = 1.5;
  Status s = CheckAuditDays(c, Table());
  EXPECT_EQ(
      "audit 'SV1' plans 1.5 audit days, below the 2 days of the audit-time calculation for a surveillance audit; "
      "record why (the justification)",
      s.message());
  EXPECT_EQ("days", s.subject().reason);
  EXPECT_EQ("SV1", s.subject().id);
  c.audits[2].audit_days_justification = " ";
  EXPECT_FALSE(CheckAuditDays(c, Table()).ok());
  c.audits[2].audit_days_justification = "combined with ISO 9001, shared core audited once";
  ASSERT_OK(CheckAuditDays(c, Table()));
  // A completed audit below the calculation is history: flagged, not refused.
  c = Client3();
  c.audits[1].audit_days = 3.5;  // 1.5 + 3.5 = 5 of 5.5
  ASSERT_OK(CheckAuditDays(c, Table()));
  EXPECT_TRUE(AuditDaysOf(c, Table())[0].below);
  // The stage 2 not yet held is refused, its stage 1 counted.
  c.audits[1].audit.status = AuditStatus::kPlanned;
  c.audits[1].audit.actual_end.reset();
  s = CheckAuditDays(c, Table());
  EXPECT_NE(std::string::npos, s.message().find("plans 5 audit days with its stage 1, below the 5.5 days")) << s.message();
  // The cap: -60 % in reasons nets -30 %.
  c = Client3();
  c.client.audit_time->adjustments = {{-20, "a"}, {-20, "b"}, {-20, "c"}, {-10, "d"}, {+10, "e"}};
  AuditTime t;
  ASSERT_OK(ClientAuditTimeFor(c.client, Table(), AuditType::kStage2, &t));
  EXPECT_TRUE(t.capped);
  EXPECT_DOUBLE_EQ(-0.6, t.sum_adjustment);
  EXPECT_DOUBLE_EQ(4.0, t.initial_days);  // 6 * 0.7 = 4.2
}

TEST(SiteCoverage, SampleCentralFunctionAndSitesStillToVisit) {
  const ClientAuditData c = Client3();
  Date today;
  ASSERT_OK(Date::Parse("2025-06-01", &today));
  SiteCoverage sc = CycleSiteCoverage(c, SiteSampling{}, today);
  EXPECT_EQ("HQ", sc.central);
  ASSERT_EQ(2u, sc.audits.size());  // stage 1 does not count
  EXPECT_TRUE(sc.audits[0].held);
  EXPECT_EQ(2, sc.audits[0].required);  // sqrt(3) = 1.73 -> 2
  EXPECT_TRUE(sc.audits[0].central_visited);
  EXPECT_FALSE(sc.audits[1].held);
  EXPECT_EQ(2, sc.audits[1].required);  // 1.73 * 0.6 = 1.04 -> 2
  EXPECT_FALSE(sc.audits[1].central_visited);
  EXPECT_EQ((std::vector<std::string>{"OPS"}), sc.not_visited);  // DC is planned... and visited at S2
  EXPECT_EQ((std::vector<std::string>{"OPS"}), sc.not_planned);
  ClientAuditData one = c;
  one.client.sites.resize(1);
  one.audits[1].sites.clear();
  one.audits[2].sites.clear();
  sc = CycleSiteCoverage(one, SiteSampling{}, today);
  EXPECT_TRUE(sc.not_visited.empty());
  EXPECT_EQ(1, sc.audits[1].required);
  ClientAuditData no_sites = c;
  no_sites.client.sites.clear();
  EXPECT_TRUE(CycleSiteCoverage(no_sites, SiteSampling{}, today).audits.empty());
}

TEST(ReportTimeAndSites, TheAuditsOwnDaysAndSites) {
  const ClientAuditData c = Client3();
  Date today;
  ASSERT_OK(Date::Parse("2026-02-10", &today));
  ReportTimeAndSites r;
  ASSERT_OK(ComputeReportTimeAndSites(c, Table(), "SV1", today, &r));
  ASSERT_TRUE(r.time);
  EXPECT_DOUBLE_EQ(2.0, r.time->days);
  ASSERT_TRUE(r.days);
  EXPECT_DOUBLE_EQ(2.0, *r.days->planned);
  EXPECT_EQ((std::vector<std::string>{"DC"}), r.visited);
  EXPECT_EQ(2, r.required_sites);
  EXPECT_EQ(Status::Code::kNotFound, ComputeReportTimeAndSites(c, Table(), "X", today, &r).code());
}

// Issue 18: the client's calculation records the table it was made with; a
// report made with a table of other content (or another table) says which
// one the calculation used; with the same table, or no table recorded, it
// says nothing.
TEST(ReportTimeAndSites, SaysWhenTheTableIsNotTheOneTheCalculationUsed) {
  ClientAuditData c = Client3();
  Date today;
  ASSERT_OK(Date::Parse("2026-02-10", &today));
  AuditTimeTable now = Table();
  now.id = "body-table";
  now.version = "2.0.0";
  now.sha256 = std::string(64, 'b');
  ReportTimeAndSites r;
  ASSERT_OK(ComputeReportTimeAndSites(c, now, "SV1", today, &r));  // nothing recorded
  EXPECT_EQ("", r.recorded_table);
  c.client.audit_time->table_id = "body-table";
  c.client.audit_time->table_version = "2.0.0";
  c.client.audit_time->table_sha256 = std::string(64, 'b');
  ASSERT_OK(ComputeReportTimeAndSites(c, now, "SV1", today, &r));  // the same table
  EXPECT_EQ("", r.recorded_table);
  EXPECT_EQ(std::string(64, 'b'), r.table_sha256);
  c.client.audit_time->table_version = "1.0.0";
  c.client.audit_time->table_sha256 = "a1b2c3d4e5f6" + std::string(52, '0');
  ASSERT_OK(ComputeReportTimeAndSites(c, now, "SV1", today, &r));  // replaced since
  EXPECT_EQ("body-table 1.0.0 (SHA-256 a1b2c3d4e5f6)", r.recorded_table);
  c.client.audit_time->table_sha256 = std::string(64, 'b');
  c.client.audit_time->table_id = "other-table";
  ASSERT_OK(ComputeReportTimeAndSites(c, now, "SV1", today, &r));  // another table
  EXPECT_EQ("other-table 1.0.0 (SHA-256 bbbbbbbbbbbb)", r.recorded_table);
}

}  // namespace
}  // namespace assay
