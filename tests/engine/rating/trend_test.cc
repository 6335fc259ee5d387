// ComputeTrend and the series order (assay/rating.h, Trend): each change class of a
// process and of an attribute, the process order, and series sorting.
#include <gtest/gtest.h>

#include "assay/rating.h"

namespace assay {
namespace {

AttributeRating Rated(const std::string& id, const std::string& value, int folded) {
  AttributeRating a;
  a.attribute = id;
  a.state = AttributeState::kRated;
  a.value = value;
  a.folded = folded;
  return a;
}

ProcessProfile Process(const std::string& id, std::optional<int> level, int target,
                       std::vector<AttributeRating> attrs = {}) {
  ProcessProfile p;
  p.process = id;
  p.name = id + " name";
  p.target_level = target;
  p.capability.determined = level.has_value();
  p.capability.level = level.value_or(0);
  if (level) p.gap = target - *level;
  p.aggregate = std::move(attrs);
  return p;
}

struct Series {
  std::vector<AssessmentData> data;
  std::vector<RatingResults> results;
  void Add(const std::string& id, std::vector<ProcessProfile> processes) {
    AssessmentData d;
    d.assessment.id = id;
    data.push_back(d);
    RatingResults r;
    r.processes = std::move(processes);
    results.push_back(r);
  }
  Trend Compute() const {
    std::vector<SeriesEntry> entries;
    for (size_t i = 0; i < data.size(); ++i) entries.push_back({&data[i], &results[i]});
    return ComputeTrend(entries);
  }
};

const ProcessTrend& Find(const Trend& t, const std::string& id) {
  for (const ProcessTrend& p : t.processes)
    if (p.process == id) return p;
  ADD_FAILURE() << "no process " << id;
  return t.processes.front();
}

TEST(TrendTest, EveryChangeClassOfAProcess) {
  Series s;
  s.Add("A", {Process("UP", 1, 3), Process("DOWN", 2, 2), Process("SAME", 2, 2), Process("GONE", 1, 2),
              Process("R3", std::nullopt, 2)});
  s.Add("B", {Process("UP", 2, 3), Process("DOWN", 1, 2), Process("SAME", 2, 2), Process("NEW", 0, 1),
              Process("R3", 1, 2)});
  const Trend t = s.Compute();
  ASSERT_EQ(t.assessments.size(), 2u);
  EXPECT_EQ(Find(t, "UP").latest, Change::kImproved);
  EXPECT_EQ(Find(t, "DOWN").latest, Change::kRegressed);
  EXPECT_EQ(Find(t, "SAME").latest, Change::kUnchanged);
  EXPECT_EQ(Find(t, "NEW").latest, Change::kNew);
  EXPECT_EQ(Find(t, "GONE").latest, Change::kDropped);
  EXPECT_EQ(Find(t, "R3").latest, Change::kNotComparable);
  // Gaps and levels per point; a process out of scope has none.
  const ProcessTrend& up = Find(t, "UP");
  EXPECT_EQ(up.points[0].level, 1);
  EXPECT_EQ(up.points[1].gap, 1);
  const ProcessTrend& gone = Find(t, "GONE");
  EXPECT_FALSE(gone.points[1].in_scope);
  EXPECT_FALSE(gone.points[1].level.has_value());
  EXPECT_STREQ(ChangeName(Change::kNotComparable), "not comparable");
}

TEST(TrendTest, ProcessOrderIsTheNewestScopeThenEarlierOnes) {
  Series s;
  s.Add("A", {Process("X", 1, 2), Process("OLD", 1, 2)});
  s.Add("B", {Process("Y", 1, 2), Process("X", 1, 2)});
  const Trend t = s.Compute();
  ASSERT_EQ(t.processes.size(), 3u);
  EXPECT_EQ(t.processes[0].process, "Y");
  EXPECT_EQ(t.processes[1].process, "X");
  EXPECT_EQ(t.processes[2].process, "OLD");
}

TEST(TrendTest, AttributesCompareOnTheStandardScale) {
  Series s;
  s.Add("A", {Process("P", 1, 3, {Rated("PA1.1", "L", 2), Rated("PA2.1", "P+", 1), Rated("PA2.2", "L", 2)})});
  s.Add("B", {Process("P", 1, 3, {Rated("PA1.1", "F", 3), Rated("PA2.1", "P", 1), Rated("PA3.1", "N", 0)})});
  s.Add("C", {Process("P", 1, 3, {Rated("PA1.1", "L", 2), Rated("PA2.1", "P", 1), Rated("PA3.1", "N", 0)})});
  const Trend t = s.Compute();
  const ProcessTrend& p = t.processes.at(0);
  ASSERT_EQ(p.attributes.size(), 4u);
  EXPECT_EQ(p.attributes[0].attribute, "PA1.1");
  EXPECT_EQ(p.attributes[0].changes, (std::vector<Change>{Change::kImproved, Change::kRegressed}));
  EXPECT_EQ(p.attributes[1].changes, (std::vector<Change>{Change::kUnchanged, Change::kUnchanged}));  // P+ == P
  EXPECT_EQ(p.attributes[2].attribute, "PA2.2");
  EXPECT_EQ(p.attributes[2].values, (std::vector<std::string>{"L", "", ""}));
  EXPECT_EQ(p.attributes[2].changes, (std::vector<Change>{Change::kDropped, Change::kUnchanged}));
  EXPECT_EQ(p.attributes[3].changes, (std::vector<Change>{Change::kNew, Change::kUnchanged}));
  EXPECT_EQ(p.changes.size(), 2u);
}

TEST(TrendTest, OneAssessmentHasNoChanges) {
  Series s;
  s.Add("A", {Process("P", 1, 2)});
  const Trend t = s.Compute();
  EXPECT_TRUE(t.processes.at(0).changes.empty());
  EXPECT_EQ(t.processes.at(0).latest, Change::kUnchanged);
}

TEST(TrendTest, SeriesOrderByEndThenStartDateThenId) {
  std::vector<Assessment> a(4);
  a[0].id = "B";
  a[0].end_date = "2027-10-01";
  a[1].id = "A";
  a[1].start_date = "2027-10-01";  // no end date: placed at its start
  a[2].id = "OLD";
  a[2].end_date = "2026-10-02";
  a[3].id = "UNDATED";
  SortSeries(&a);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].id, "UNDATED");
  EXPECT_EQ(a[1].id, "OLD");
  EXPECT_EQ(a[2].id, "A");
  EXPECT_EQ(a[3].id, "B");
  EXPECT_EQ(SeriesDate(a[2]), "2027-10-01");
}

TEST(PortfolioTest, LatestAssessmentOfEachOrganization) {
  auto a = [](const char* id, const char* org, const char* end, const char* series = "") {
    Assessment x;
    x.id = id;
    x.organization = org;
    x.end_date = end;
    x.series = series;
    return x;
  };
  const std::vector<Assessment> latest = LatestPerOrganization({a("B-1", "Beta", "2025-01-10"),
                                                                a("A-2", "Alpha", "2026-05-01", "ITSM"),
                                                                a("A-1", "Alpha", "2026-06-01"),
                                                                a("X", "", "2027-01-01"),
                                                                a("B-0", "Beta", "2024-01-10")});
  ASSERT_EQ(latest.size(), 2u);  // no organization: left out
  EXPECT_EQ(latest[0].id, "A-1");  // the newest among all of Alpha's series
  EXPECT_EQ(latest[1].id, "B-1");
}

TEST(PortfolioTest, ProcessesAreTheUnionInFirstScopeOrder) {
  Series s;
  s.Add("A", {Process("P2", 1, 3), Process("P1", 3, 3)});
  s.Add("B", {Process("P1", 2, 3), Process("P3", std::nullopt, 2)});
  std::vector<SeriesEntry> entries;
  for (size_t i = 0; i < s.data.size(); ++i) entries.push_back({&s.data[i], &s.results[i]});
  const Portfolio p = ComputePortfolio(entries);
  EXPECT_EQ(p.processes, (std::vector<std::string>{"P2", "P1", "P3"}));
  EXPECT_EQ(p.names[2], "P3 name");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].assessment.id, "A");
  EXPECT_TRUE(p.rows[0].points[0].in_scope);
  EXPECT_EQ(p.rows[0].points[0].level, 1);
  EXPECT_EQ(p.rows[0].points[0].gap, 2);
  EXPECT_FALSE(p.rows[0].points[2].in_scope);  // A does not scope P3
  EXPECT_FALSE(p.rows[1].points[0].in_scope);
  EXPECT_EQ(p.rows[1].points[1].level, 2);
  EXPECT_TRUE(p.rows[1].points[2].in_scope);
  EXPECT_FALSE(p.rows[1].points[2].level.has_value());  // not determined
  EXPECT_TRUE(ComputePortfolio({}).processes.empty());
}

}  // namespace
}  // namespace assay
