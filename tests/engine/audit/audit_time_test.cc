// Audit time and multi-site sampling at their edges (issue 18).
#include "assay/audit_time.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace assay
