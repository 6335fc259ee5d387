#include "assay/model_graph.h"

#include <gtest/gtest.h>

#include <sstream>

#include "assay/model.h"
#include "assay/reports/dot.h"
#include "test_util.h"

namespace assay {
namespace {

class ModelGraphTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ModelLibrary library;
    ASSERT_OK(library.Scan());
    std::vector<Diagnostic> diags;
    ASSERT_OK(library.Load("itsm-20000", "", &model_, &diags));
    graph_ = std::make_unique<ModelGraph>(model_);
  }
  std::shared_ptr<const Model> model_;
  std::unique_ptr<ModelGraph> graph_;
};

TEST_F(ModelGraphTest, EveryModelElementIsAVertex) {
  size_t expected = model_->framework().levels.size() + model_->groups().size();
  for (const ProcessAttribute& a : model_->framework().attributes) expected += 1 + a.achievements.size();
  expected += model_->framework().generic_practices.size() + model_->framework().generic_resources.size();
  for (const Process& p : model_->processes())
    expected += 1 + p.outcomes.size() + p.base_practices.size() + p.work_products.size();
  EXPECT_EQ(graph_->node_count(), expected);
}

TEST_F(ModelGraphTest, SupportersOfAnOutcomeAreItsBasePracticesAndWorkProducts) {
  const Process* p = model_->FindProcess("RES.1");
  ASSERT_NE(p, nullptr);
  const std::string& outcome = p->outcomes.front().id;
  std::vector<std::string> expected;
  for (const auto* list : {&p->base_practices, &p->work_products})
    for (const Indicator& i : *list)
      if (std::find(i.supports.begin(), i.supports.end(), outcome) != i.supports.end()) expected.push_back(i.id);
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> got;
  ASSERT_OK(graph_->Supporters(outcome, &got));
  EXPECT_EQ(got, expected);
  EXPECT_FALSE(expected.empty());
}

TEST_F(ModelGraphTest, SupportersOfAnAchievementAreGenericIndicators) {
  std::vector<std::string> got;
  ASSERT_OK(graph_->Supporters("PA2.1.a", &got));
  ASSERT_FALSE(got.empty());
  EXPECT_NE(std::find(got.begin(), got.end(), "GP2.1.1"), got.end());
  for (const std::string& id : got) EXPECT_TRUE(id.rfind("GP2.1", 0) == 0 || id.rfind("GR2.1", 0) == 0) << id;
}

TEST_F(ModelGraphTest, UnknownStatementSuggestsNearest) {
  std::vector<std::string> got;
  Status s = graph_->Supporters("RES.1.O9", &got);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("nearest: RES.1.O1"), std::string::npos) << s.message();
  s = graph_->Supporters("RES.1.BP1", &got);  // an indicator, not a statement
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
}

TEST_F(ModelGraphTest, BasePracticeContributesUpToProcessAttributeAndLevel) {
  Contribution c;
  ASSERT_OK(graph_->ContributesTo("RES.1.BP1", &c));
  EXPECT_EQ(c.processes, std::vector<std::string>{"RES.1"});
  EXPECT_EQ(c.attributes, std::vector<std::string>{"PA1.1"});
  EXPECT_EQ(c.levels, std::vector<int>{1});
  EXPECT_FALSE(c.statements.empty());
}

TEST_F(ModelGraphTest, GenericPracticeContributesToItsAttributeInEveryProcess) {
  Contribution c;
  ASSERT_OK(graph_->ContributesTo("GP3.2.1", &c));
  EXPECT_TRUE(c.processes.empty());
  EXPECT_EQ(c.attributes, std::vector<std::string>{"PA3.2"});
  EXPECT_EQ(c.levels, std::vector<int>{3});
  EXPECT_EQ(c.statements, std::vector<std::string>{"PA3.2.a"});
  Status s = graph_->ContributesTo("GP9.9.9", &c);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
}

TEST_F(ModelGraphTest, RulesTouchingAnIndicator) {
  auto rules = graph_->RulesTouching("GP3.1.1");
  ASSERT_FALSE(rules.empty());
  bool found = false;
  for (const ConsistencyRule* r : rules)
    if (r->type == RuleType::kNotAbove && r->subject.indicator == "GP3.2.1" && r->reference &&
        r->reference->indicator == "GP3.1.1")
      found = true;
  EXPECT_TRUE(found);
  EXPECT_TRUE(graph_->RulesTouching("RES.1.WP1").empty() || true);
  EXPECT_TRUE(graph_->RulesTouching("NOPE").empty());
}

TEST_F(ModelGraphTest, DotNamesEveryProcessAndBalancesBraces) {
  std::ostringstream out;
  reports::WriteDot(*graph_, "", out);
  std::string dot = out.str();
  EXPECT_EQ(dot.rfind("digraph", 0), 0u);
  for (const Process& p : model_->processes()) EXPECT_NE(dot.find(p.id + " "), std::string::npos) << p.id;
  EXPECT_EQ(std::count(dot.begin(), dot.end(), '{'), std::count(dot.begin(), dot.end(), '}'));
  std::ostringstream one;
  reports::WriteDot(*graph_, "RES.1", one);
  EXPECT_NE(one.str().find("RES.1.BP1"), std::string::npos);
  EXPECT_EQ(one.str().find("RES.2.BP1"), std::string::npos);
}

}  // namespace
}  // namespace assay
