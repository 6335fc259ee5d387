#include "assay/rating.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "assay/model_graph.h"
#include "assay/model.h"
#include "assay/scale.h"
#include "test_util.h"

namespace assay {
namespace {

// ---------------------------------------------------------------------------
// Fixtures: the bundled ITSM model, loaded once, and a small builder of
// assessment snapshots.

std::shared_ptr<const Model> LoadBundled(const std::string& id) {
  ModelLibrary lib;
  std::shared_ptr<const Model> m;
  std::vector<Diagnostic> diags;
  Status st = lib.Scan();
  if (st.ok()) st = lib.Load(id, "", &m, &diags);
  if (!st.ok()) ADD_FAILURE() << st.ToString();
  return m;
}

const std::shared_ptr<const Model>& Itsm() {
  static std::shared_ptr<const Model> model = LoadBundled("itsm-20000");
  return model;
}

const ModelGraph& Graph() {
  static ModelGraph graph(Itsm());
  return graph;
}

const Framework& Fw() { return Itsm()->framework(); }

const char* const kAttributes[] = {"PA1.1", "PA2.1", "PA2.2", "PA3.1", "PA3.2",
                                   "PA4.1", "PA4.2", "PA5.1", "PA5.2"};

std::vector<std::string> Split(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

class Snapshot {
 public:
  Snapshot(RatingMethod method = RatingMethod::kR2, AggregationMethod agg = AggregationMethod::kMean,
           ScaleKind scale = ScaleKind::kStandard) {
    d_.assessment.id = "A1";
    d_.assessment.options.method = method;
    d_.assessment.options.aggregation = agg;
    d_.assessment.options.scale = scale;
  }
  Snapshot& Scope(const std::string& process, int target = 5) {
    d_.scope.push_back(ScopedProcess{process, target});
    return *this;
  }
  // `id` is "<process>/<name>".
  Snapshot& Instance(const std::string& id, double weight = 1.0) {
    ProcessInstance pi;
    pi.id = id;
    pi.process = id.substr(0, id.find('/'));
    pi.name = id;
    pi.weight = weight;
    d_.instances.push_back(pi);
    return *this;
  }
  Snapshot& Rate(const std::string& instance, const std::string& item, const std::string& value,
                 const std::string& assessor = "lead", bool consolidated = false) {
    Rating r;
    r.id = ++next_id_;
    r.instance = instance;
    r.process = instance.substr(0, instance.find('/'));
    r.item = item;
    r.item_kind = KindOf(item);
    r.assessor = consolidated ? "" : assessor;
    r.consolidated = consolidated;
    r.value = value;
    d_.ratings.push_back(r);
    return *this;
  }
  // Attribute ratings in framework order; "-" leaves one unrated.
  Snapshot& Attributes(const std::string& instance, const std::string& values) {
    std::vector<std::string> v = Split(values);
    for (size_t i = 0; i < v.size(); ++i)
      if (v[i] != "-") Rate(instance, kAttributes[i], v[i]);
    return *this;
  }
  AssessmentData& data() { return d_; }

  static ItemKind KindOf(const std::string& item) {
    std::string owner;
    if (Itsm()->FindAttribute(item)) return ItemKind::kAttribute;
    if (Itsm()->FindIndicator(item)) return ItemKind::kIndicator;
    const Statement* s = Itsm()->FindStatement(item, &owner);
    if (s && Itsm()->FindAttribute(owner)) return ItemKind::kAchievement;
    return ItemKind::kOutcome;
  }

 private:
  AssessmentData d_;
  int64_t next_id_ = 0;
};

Status Compute(const AssessmentData& d, RatingResults* out) { return ComputeResults(*Itsm(), Graph(), d, out); }

const ProcessProfile* FindProfile(const RatingResults& r, const std::string& process) {
  for (const ProcessProfile& p : r.processes)
    if (p.process == process) return &p;
  return nullptr;
}

const AttributeRating& Attr(const std::vector<AttributeRating>& v, const std::string& id) {
  for (const AttributeRating& a : v)
    if (a.attribute == id) return a;
  static AttributeRating none;
  ADD_FAILURE() << "no attribute " << id;
  return none;
}

// "F F L -" -> attribute ratings for DetermineCapability on `scale`.
std::vector<AttributeRating> AttrList(const std::string& values, ScaleKind scale = ScaleKind::kStandard) {
  std::vector<std::string> v = Split(values);
  std::vector<AttributeRating> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == "-") continue;
    AttributeRating a;
    a.attribute = kAttributes[i];
    a.state = AttributeState::kRated;
    EXPECT_OK(ValueToOrdinal(scale, v[i], &a.ordinal));
    a.value = v[i];
    a.folded = FoldOrdinal(scale, a.ordinal);
    out.push_back(a);
  }
  return out;
}

std::string Blockers(const CapabilityResult& c) {
  std::string s;
  for (const Blocker& b : c.blockers)
    s += (s.empty() ? "" : " ") + b.attribute + "(" + (b.state == AttributeState::kRated ? b.value : AttributeStateName(b.state)) +
         "<" + b.needs + ")";
  return s;
}

// ---------------------------------------------------------------------------
// Aggregation

TEST(Aggregation, Methods) {
  using A = AggregationMethod;
  const struct {
    A method;
    std::vector<int> values;
    std::vector<double> weights;
    int expected;
    const char* why;
  } cases[] = {
      {A::kMean, {3}, {}, 3, "one value"},
      {A::kMean, {0, 1}, {}, 1, "0.5 rounds up"},
      {A::kMean, {1, 2}, {}, 2, "1.5 rounds up"},
      {A::kMean, {2, 3}, {}, 3, "2.5 rounds up"},
      {A::kMean, {1, 1, 2}, {}, 1, "1.33 rounds down"},
      {A::kMean, {1, 2, 2}, {}, 2, "1.67 rounds up"},
      {A::kMean, {0, 3, 3, 3}, {}, 2, "2.25 rounds down"},
      {A::kMean, {0, 0, 3, 3}, {}, 2, "1.5 rounds up"},
      {A::kMean, {4, 5}, {}, 5, "refined: 4.5 rounds up"},
      {A::kMean, {1, 2, 4}, {}, 2, "refined: 2.33"},
      {A::kMean, {5, 4, 4, 4, 4, 4}, {}, 4, "refined: 4.17"},
      {A::kMedian, {2}, {}, 2, "one value"},
      {A::kMedian, {3, 0, 3}, {}, 3, "odd count: middle"},
      {A::kMedian, {1, 2}, {}, 1, "tie: lower middle"},
      {A::kMedian, {3, 0, 1, 2}, {}, 1, "tie: lower middle of 1,2"},
      {A::kMedian, {0, 3}, {}, 0, "tie: lower middle of 0,3"},
      {A::kMedian, {2, 2, 3, 3}, {}, 2, "tie: lower middle of 2,3"},
      {A::kMedian, {5, 4, 1, 0, 2, 3}, {}, 2, "refined tie: lower of 2,3"},
      {A::kMinimum, {3, 1, 2}, {}, 1, "lowest"},
      {A::kMinimum, {3, 3}, {}, 3, "all equal"},
      {A::kMinimum, {5, 0, 5}, {}, 0, "refined"},
      {A::kWeightedMean, {3, 0}, {3, 1}, 2, "2.25"},
      {A::kWeightedMean, {3, 0}, {1, 1}, 2, "equal weights: 1.5 rounds up"},
      {A::kWeightedMean, {3, 0}, {1, 3}, 1, "0.75 rounds up"},
      {A::kWeightedMean, {3, 0}, {1, 5}, 1, "3/6 = 0.5 rounds up"},
      {A::kWeightedMean, {2, 1}, {0.1, 0.1}, 2, "1.5 with inexact weights still rounds up"},
      {A::kWeightedMean, {3, 1}, {0.25, 0.75}, 2, "1.5 with fractional weights"},
      {A::kWeightedMean, {1, 2}, {0.7, 0.3}, 1, "1.3"},
      {A::kWeightedMean, {3, 2, 0}, {}, 2, "no weights: plain mean 1.67"},
      {A::kWeightedMean, {3, 0, 0}, {40, 30, 30}, 1, "percentage weights: 1.2"},
  };
  for (const auto& c : cases) {
    int got = -1;
    ASSERT_OK(Aggregate(c.method, c.values, c.weights, &got));
    EXPECT_EQ(c.expected, got) << AggregationMethodName(c.method) << ": " << c.why;
  }
}

TEST(Aggregation, Errors) {
  int got = -1;
  Status st = Aggregate(AggregationMethod::kMean, {}, {}, &got);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ("nothing to aggregate", st.message());
  st = Aggregate(AggregationMethod::kWeightedMean, {1, 2}, {1}, &got);
  EXPECT_EQ("weighted mean: 2 values but 1 weights", st.message());
  st = Aggregate(AggregationMethod::kWeightedMean, {1, 2}, {1, 0}, &got);
  EXPECT_EQ("weighted mean: weight 0 must be a finite number above 0", st.message());
  st = Aggregate(AggregationMethod::kWeightedMean, {1, 2}, {-1.5, 1}, &got);
  EXPECT_EQ("weighted mean: weight -1.5 must be a finite number above 0", st.message());
  st = Aggregate(AggregationMethod::kWeightedMean, {1, 2}, {std::numeric_limits<double>::infinity(), 1}, &got);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ(-1, got);
}

// ---------------------------------------------------------------------------
// Capability level rule

TEST(Capability, LevelRuleAtEveryLevel) {
  //                 PA: 1.1 2.1 2.2 3.1 3.2 4.1 4.2 5.1 5.2
  const struct {
    const char* values;
    int level;
    const char* blockers;
  } cases[] = {
      {"N N N N N N N N N", 0, "PA1.1(N<L)"},
      {"P F F F F F F F F", 0, "PA1.1(P<L)"},
      {"L N N N N N N N N", 1, "PA1.1(L<F) PA2.1(N<L) PA2.2(N<L)"},
      {"F N N N N N N N N", 1, "PA2.1(N<L) PA2.2(N<L)"},
      {"F L P N N N N N N", 1, "PA2.2(P<L)"},
      {"L F F F F F F F F", 1, "PA1.1(L<F)"},  // a lower attribute below F blocks level 2 and above
      {"F L L N N N N N N", 2, "PA2.1(L<F) PA2.2(L<F) PA3.1(N<L) PA3.2(N<L)"},
      {"F F L F F F F F F", 2, "PA2.2(L<F)"},  // PA2.2 only L: no level 3 however high the rest
      {"F F F L L N N N N", 3, "PA3.1(L<F) PA3.2(L<F) PA4.1(N<L) PA4.2(N<L)"},
      {"F F F F P F F F F", 2, "PA3.2(P<L)"},
      {"F F F F L F F F F", 3, "PA3.2(L<F)"},
      {"F F F F F L L N N", 4, "PA4.1(L<F) PA4.2(L<F) PA5.1(N<L) PA5.2(N<L)"},
      {"F F F F F L F F F", 4, "PA4.1(L<F)"},
      {"F F F F F F F L P", 4, "PA5.2(P<L)"},
      {"F F F F F F F L L", 5, ""},
      {"F F F F F F F F F", 5, ""},
      {"F P F F F F F F F", 1, "PA2.1(P<L)"},
  };
  for (const auto& c : cases) {
    CapabilityResult cr = DetermineCapability(Fw(), AttrList(c.values), 5);
    EXPECT_TRUE(cr.determined);
    EXPECT_EQ(c.level, cr.level) << c.values;
    EXPECT_EQ(5, cr.assessed_up_to);
    EXPECT_EQ(c.level == 5, cr.limited_by_target) << c.values;
    EXPECT_EQ(c.blockers, Blockers(cr)) << c.values;
  }
}

TEST(Capability, RefinedValuesFoldIntoPAndL) {
  const struct {
    const char* values;
    int level;
  } cases[] = {
      {"P+ F F F F F F F F", 0},       // P+ is P: below L
      {"L- N N N N N N N N", 1},       // L- is L
      {"L+ F F F F F F F F", 1},       // L+ is L, not F: blocks level 2
      {"F L- L+ N N N N N N", 2},
      {"F F L+ L- L- F F F F", 2},
      {"F F F L+ P- N N N N", 2},
      {"F F F L- L- N N N N", 3},
      {"F F F F F L+ L- P+ L+", 4},
      {"F F F F F F F L- L-", 5},
  };
  for (const auto& c : cases) {
    CapabilityResult cr = DetermineCapability(Fw(), AttrList(c.values, ScaleKind::kRefined), 5);
    EXPECT_EQ(c.level, cr.level) << c.values;
  }
}

TEST(Capability, AttributesAboveTargetAreNotAssessed) {
  const struct {
    const char* values;
    int target;
    int level;
    bool limited_by_target;
    const char* blockers;
  } cases[] = {
      {"F F F F F F F F F", 2, 2, true, ""},   // higher F ratings cannot lift above the target
      {"F F F - - - - - -", 2, 2, true, ""},   // nothing above the target: not blocking
      {"F L L - - - - - -", 2, 2, true, ""},
      {"F L L F F F F F F", 3, 2, false, "PA2.1(L<F) PA2.2(L<F)"},
      {"L - - - - - - - -", 1, 1, true, ""},
      {"F F F F F F F F F", 0, 0, true, ""},
      {"F F F F F F F F F", 9, 5, true, ""},   // the target is capped at the top level
  };
  for (const auto& c : cases) {
    CapabilityResult cr = DetermineCapability(Fw(), AttrList(c.values), c.target);
    EXPECT_EQ(c.level, cr.level) << c.values << " target " << c.target;
    EXPECT_EQ(c.limited_by_target, cr.limited_by_target) << c.values << " target " << c.target;
    EXPECT_EQ(c.blockers, Blockers(cr)) << c.values << " target " << c.target;
  }
}

TEST(Capability, NotRatedBlocksAndIsNotN) {
  CapabilityResult cr = DetermineCapability(Fw(), AttrList("F F - - -"), 3);
  EXPECT_EQ(1, cr.level);
  EXPECT_FALSE(cr.limited_by_target);
  EXPECT_EQ("PA2.2(not rated<L)", Blockers(cr));
  ASSERT_EQ(1u, cr.blockers.size());
  EXPECT_EQ(AttributeState::kNotRated, cr.blockers[0].state);
  EXPECT_EQ("", cr.blockers[0].value);

  cr = DetermineCapability(Fw(), {}, 2);
  EXPECT_EQ(0, cr.level);
  EXPECT_EQ("PA1.1(not rated<L)", Blockers(cr));
}

// A framework of two levels (three attributes), built in code: the rule reads
// the attributes and their levels from the framework, not from a fixed list.
TEST(Capability, SmallFramework) {
  Framework fw;
  fw.info.id = "tiny";
  for (const auto& [id, level] : std::vector<std::pair<std::string, int>>{{"A1", 1}, {"B1", 2}, {"B2", 2}}) {
    ProcessAttribute pa;
    pa.id = id;
    pa.level = level;
    fw.attributes.push_back(pa);
  }
  auto list = [](const std::vector<std::pair<std::string, std::string>>& v) {
    std::vector<AttributeRating> out;
    for (const auto& [id, value] : v) {
      AttributeRating a;
      a.attribute = id;
      a.state = AttributeState::kRated;
      EXPECT_OK(ValueToOrdinal(ScaleKind::kStandard, value, &a.ordinal));
      a.value = value;
      a.folded = a.ordinal;
      out.push_back(a);
    }
    return out;
  };
  const struct {
    std::vector<std::pair<std::string, std::string>> ratings;
    int target;
    int level;
    const char* blockers;
  } cases[] = {
      {{{"A1", "F"}, {"B1", "L"}, {"B2", "F"}}, 5, 2, ""},
      {{{"A1", "L"}, {"B1", "F"}, {"B2", "F"}}, 5, 1, "A1(L<F)"},
      {{{"A1", "F"}, {"B1", "L"}}, 3, 1, "B2(not rated<L)"},
      {{{"A1", "P"}}, 1, 0, "A1(P<L)"},
  };
  for (const auto& c : cases) {
    CapabilityResult cr = DetermineCapability(fw, list(c.ratings), c.target);
    EXPECT_EQ(c.level, cr.level) << (&c - cases);
    EXPECT_EQ(std::min(c.target, 2), cr.assessed_up_to);
    EXPECT_EQ(c.blockers, Blockers(cr)) << (&c - cases);
  }
}

// Percentages map through the framework's own bands.
TEST(ScaleBands, BandsComeFromTheFramework) {
  Framework fw;
  fw.info.id = "skewed";
  fw.standard.bands = {{"N", "", "", 0, 10, "N", 0}, {"P", "", "", 10, 40, "P", 1}, {"L", "", "", 40, 90, "L", 2},
                       {"F", "", "", 90, 100, "F", 3}};
  const struct {
    double percent;
    const char* value;
  } cases[] = {{0, "N"}, {10, "N"}, {10.5, "P"}, {40, "P"}, {85.5, "L"}, {90, "L"}, {90.01, "F"}, {100, "F"}};
  for (const auto& c : cases) {
    std::string v;
    ASSERT_OK(PercentageToValue(fw, ScaleKind::kStandard, c.percent, &v));
    EXPECT_EQ(c.value, v) << c.percent;
  }
}

// ---------------------------------------------------------------------------
// Rating methods through ComputeResults

TEST(RatingMethod, R2AggregatesAttributeRatingsAcrossInstances) {
  Snapshot s(RatingMethod::kR2);
  s.Scope("RES.1", 3).Instance("RES.1/EU").Instance("RES.1/US").Instance("RES.1/ASIA");
  s.Attributes("RES.1/EU", "F F F L L");
  s.Attributes("RES.1/US", "F L F P L");
  s.Attributes("RES.1/ASIA", "F F L L -");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "RES.1");
  ASSERT_NE(nullptr, p);
  ASSERT_EQ(3u, p->instances.size());
  EXPECT_EQ("RES.1/EU", p->instances[0].instance);
  EXPECT_EQ(3, p->instances[0].capability.level);
  EXPECT_EQ(2, p->instances[1].capability.level);
  EXPECT_EQ(2, p->instances[2].capability.level);  // PA2.2 below F, PA3.2 not rated
  EXPECT_EQ("PA2.2(L<F) PA3.2(not rated<L)", Blockers(p->instances[2].capability));
  // Aggregates: PA2.1 mean(3,2,3)=2.67 -> F; PA2.2 mean(3,3,2) -> F;
  // PA3.1 mean(2,1,2)=1.67 -> L; PA3.2 over the two rating instances: 2 -> L.
  EXPECT_EQ("F", Attr(p->aggregate, "PA1.1").value);
  EXPECT_EQ("F", Attr(p->aggregate, "PA2.1").value);
  EXPECT_EQ("F", Attr(p->aggregate, "PA2.2").value);
  EXPECT_EQ("L", Attr(p->aggregate, "PA3.1").value);
  EXPECT_EQ("L", Attr(p->aggregate, "PA3.2").value);
  EXPECT_EQ(std::vector<std::string>{"RES.1/ASIA"}, Attr(p->aggregate, "PA3.2").missing);
  EXPECT_EQ(AttributeState::kNotAssessed, Attr(p->aggregate, "PA4.1").state);
  EXPECT_EQ(AttributeState::kNotAssessed, Attr(p->instances[0].attributes, "PA5.2").state);
  EXPECT_TRUE(p->capability.determined);
  EXPECT_EQ(3, p->capability.level);
  EXPECT_TRUE(p->capability.limited_by_target);
  EXPECT_EQ(3, p->target_level);
  ASSERT_TRUE(p->gap.has_value());
  EXPECT_EQ(0, *p->gap);
}

TEST(RatingMethod, R2NoRatingAtAllIsNotRated) {
  Snapshot s;
  s.Scope("RES.2", 2).Instance("RES.2/X");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "RES.2");
  ASSERT_NE(nullptr, p);
  EXPECT_EQ(AttributeState::kNotRated, Attr(p->aggregate, "PA1.1").state);
  EXPECT_EQ(-1, Attr(p->aggregate, "PA1.1").ordinal);
  EXPECT_EQ(0, p->capability.level);
  EXPECT_EQ("PA1.1(not rated<L)", Blockers(p->capability));
  EXPECT_EQ(2, *p->gap);
}

TEST(RatingMethod, R3SingleInstanceIsTheProcessRating) {
  Snapshot s(RatingMethod::kR3);
  s.Scope("SMS.1", 3).Instance("SMS.1/HQ").Attributes("SMS.1/HQ", "F F F L P");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "SMS.1");
  ASSERT_NE(nullptr, p);
  for (const char* a : {"PA1.1", "PA2.1", "PA2.2", "PA3.1", "PA3.2"}) {
    EXPECT_EQ(Attr(p->instances[0].attributes, a).value, Attr(p->aggregate, a).value) << a;
    EXPECT_EQ(AttributeState::kRated, Attr(p->aggregate, a).state) << a;
  }
  EXPECT_TRUE(p->capability.determined);
  EXPECT_EQ(2, p->capability.level);
  EXPECT_EQ(1, *p->gap);
}

TEST(RatingMethod, R3SeveralInstancesAreNotAggregated) {
  Snapshot s(RatingMethod::kR3);
  s.Scope("SMS.1", 2).Instance("SMS.1/HQ").Instance("SMS.1/Branch");
  s.Attributes("SMS.1/HQ", "F L L").Attributes("SMS.1/Branch", "L N N");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "SMS.1");
  ASSERT_NE(nullptr, p);
  EXPECT_EQ(2, p->instances[0].capability.level);
  EXPECT_EQ(1, p->instances[1].capability.level);
  EXPECT_EQ(AttributeState::kNotAggregated, Attr(p->aggregate, "PA1.1").state);
  EXPECT_EQ(AttributeState::kNotAggregated, Attr(p->aggregate, "PA2.2").state);
  EXPECT_EQ(AttributeState::kNotAssessed, Attr(p->aggregate, "PA3.1").state);
  EXPECT_FALSE(p->capability.determined);
  EXPECT_EQ(2, p->capability.assessed_up_to);
  EXPECT_FALSE(p->gap.has_value());
  // Sensitivity is about the instance levels here.
  ASSERT_FALSE(p->sensitivity.empty());
  for (const Sensitivity& x : p->sensitivity) EXPECT_FALSE(x.aggregate);
}

TEST(RatingMethod, R1CharacterisesDirectlyOrFromSupportingIndicators) {
  Snapshot s(RatingMethod::kR1);
  s.Scope("RES.1", 2).Instance("RES.1/EU");
  for (const char* o : {"RES.1.O1", "RES.1.O2", "RES.1.O3", "RES.1.O4", "RES.1.O6"}) s.Rate("RES.1/EU", o, "P");
  // RES.1.O5 is supported by RES.1.BP6 and RES.1.WP4: mean(N, F) = 1.5 -> L.
  s.Rate("RES.1/EU", "RES.1.BP6", "N").Rate("RES.1/EU", "RES.1.WP4", "F");
  // A direct rating wins over indicators: RES.1.O1 stays P.
  s.Rate("RES.1/EU", "RES.1.BP1", "F");
  // PA2.1 from its generic practices, PA2.2 from direct achievement ratings.
  for (const Indicator& gp : Fw().generic_practices)
    if (gp.owner == "PA2.1") s.Rate("RES.1/EU", gp.id, "F");
  for (const char* a : {"PA2.2.a", "PA2.2.b", "PA2.2.c"}) s.Rate("RES.1/EU", a, "L");
  // A direct attribute rating is not used under R1.
  s.Rate("RES.1/EU", "PA1.1", "F");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "RES.1");
  ASSERT_NE(nullptr, p);
  const InstanceResult& in = p->instances[0];
  const StatementRating* o5 = nullptr;
  const StatementRating* o1 = nullptr;
  for (const StatementRating& sr : in.statements) {
    if (sr.statement == "RES.1.O5") o5 = &sr;
    if (sr.statement == "RES.1.O1") o1 = &sr;
  }
  ASSERT_NE(nullptr, o5);
  EXPECT_EQ(Characterisation::kDerived, o5->how);
  EXPECT_EQ("L", o5->value);
  EXPECT_EQ((std::vector<std::string>{"RES.1.BP6", "RES.1.WP4"}), o5->from);
  ASSERT_NE(nullptr, o1);
  EXPECT_EQ(Characterisation::kDirect, o1->how);
  EXPECT_EQ("P", o1->value);
  // PA1.1 = mean(1,1,1,1,2,1) = 1.17 -> P, not the direct F.
  EXPECT_EQ("P", Attr(in.attributes, "PA1.1").value);
  EXPECT_EQ("F", Attr(in.attributes, "PA2.1").value);
  EXPECT_TRUE(Attr(in.attributes, "PA2.1").missing.empty());
  EXPECT_EQ("L", Attr(in.attributes, "PA2.2").value);
  EXPECT_EQ(std::vector<std::string>{"PA2.2.d"}, Attr(in.attributes, "PA2.2").missing);
  EXPECT_EQ(AttributeState::kNotAssessed, Attr(in.attributes, "PA3.1").state);
  EXPECT_EQ(0, in.capability.level);
  bool noted = false;
  for (const std::string& n : r.notes) noted |= n.find("method R1") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(RatingMethod, R1AggregatesEveryCharacterisationAcrossInstances) {
  Snapshot s(RatingMethod::kR1);
  s.Scope("RES.1", 1).Instance("RES.1/EU").Instance("RES.1/US");
  s.Rate("RES.1/EU", "RES.1.O1", "N");  // the other five EU outcomes are not characterised
  for (int i = 1; i <= 6; ++i) s.Rate("RES.1/US", "RES.1.O" + std::to_string(i), "L");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "RES.1");
  ASSERT_NE(nullptr, p);
  EXPECT_EQ("N", Attr(p->instances[0].attributes, "PA1.1").value);
  EXPECT_EQ(5u, Attr(p->instances[0].attributes, "PA1.1").missing.size());
  EXPECT_EQ("L", Attr(p->instances[1].attributes, "PA1.1").value);
  // Matrix: mean(0, 2,2,2,2,2,2) = 1.71 -> L (instance by instance it would be mean(0,2) = 1 -> P).
  EXPECT_EQ("L", Attr(p->aggregate, "PA1.1").value);
  EXPECT_EQ(5u, Attr(p->aggregate, "PA1.1").missing.size());
  EXPECT_EQ("RES.1/EU: RES.1.O2", Attr(p->aggregate, "PA1.1").missing[0]);
  EXPECT_EQ(1, p->capability.level);
}

TEST(RatingMethod, R1UncharacterisedAttributeIsNotRated) {
  Snapshot s(RatingMethod::kR1);
  s.Scope("RES.1", 2).Instance("RES.1/EU");
  for (int i = 1; i <= 6; ++i) s.Rate("RES.1/EU", "RES.1.O" + std::to_string(i), "F");
  for (const Indicator& gp : Fw().generic_practices)
    if (gp.owner == "PA2.1") s.Rate("RES.1/EU", gp.id, "L");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "RES.1");
  EXPECT_EQ(AttributeState::kNotRated, Attr(p->aggregate, "PA2.2").state);
  EXPECT_EQ(1, p->capability.level);
  EXPECT_EQ("PA2.2(not rated<L)", Blockers(p->capability));
}

// ---------------------------------------------------------------------------
// Aggregation methods through ComputeResults

TEST(RatingAggregation, MethodsWithTiesAndWeights) {
  using A = AggregationMethod;
  const struct {
    A method;
    std::vector<std::pair<std::string, double>> instances;  // PA1.1 value, weight
    const char* expected;
  } cases[] = {
      {A::kMean, {{"F", 1}, {"L", 1}}, "F"},            // 2.5 half up
      {A::kMean, {{"F", 1}, {"N", 1}}, "L"},            // 1.5 half up
      {A::kMean, {{"F", 1}, {"N", 1}, {"N", 1}}, "P"},  // 1.0
      {A::kMedian, {{"F", 1}, {"L", 1}}, "L"},          // tie: lower middle
      {A::kMedian, {{"F", 1}, {"N", 1}, {"P", 1}, {"F", 1}}, "P"},
      {A::kMedian, {{"F", 1}, {"N", 1}, {"F", 1}}, "F"},
      {A::kMinimum, {{"F", 1}, {"L", 1}, {"P", 1}}, "P"},
      {A::kWeightedMean, {{"F", 3}, {"N", 1}}, "L"},    // 2.25
      {A::kWeightedMean, {{"F", 1}, {"N", 3}}, "P"},    // 0.75 -> 1
      {A::kWeightedMean, {{"F", 1}, {"N", 5}}, "P"},    // 0.5 -> 1 (half up)
      {A::kWeightedMean, {{"F", 1}, {"N", 6}}, "N"},    // 0.43
      {A::kWeightedMean, {{"L", 0.5}, {"F", 0.5}}, "F"},
  };
  for (const auto& c : cases) {
    Snapshot s(RatingMethod::kR2, c.method);
    s.Scope("RAM.2", 1);
    for (size_t i = 0; i < c.instances.size(); ++i) {
      std::string id = "RAM.2/I" + std::to_string(i);
      s.Instance(id, c.instances[i].second).Rate(id, "PA1.1", c.instances[i].first);
    }
    s.data().assessment.options.weights_rationale = "test";
    RatingResults r;
    ASSERT_OK(Compute(s.data(), &r));
    EXPECT_EQ(c.expected, Attr(FindProfile(r, "RAM.2")->aggregate, "PA1.1").value)
        << AggregationMethodName(c.method) << " case " << (&c - cases);
  }
}

TEST(RatingAggregation, BadWeightIsInvalidInput) {
  Snapshot s(RatingMethod::kR2, AggregationMethod::kWeightedMean);
  s.Scope("RAM.2", 1).Instance("RAM.2/A", 0).Instance("RAM.2/B", -2);
  RatingResults r;
  Status st = Compute(s.data(), &r);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ(
      "instance 'RAM.2/A': weight 0 must be a finite number above 0 for the weighted mean\n"
      "instance 'RAM.2/B': weight -2 must be a finite number above 0 for the weighted mean",
      st.message());
  // Weights do not matter for the plain mean.
  s.data().assessment.options.aggregation = AggregationMethod::kMean;
  EXPECT_OK(Compute(s.data(), &r));
}

TEST(RatingAggregation, RefinedScale) {
  Snapshot s(RatingMethod::kR2, AggregationMethod::kMean, ScaleKind::kRefined);
  s.Scope("RES.2", 3).Instance("RES.2/A").Instance("RES.2/B");
  s.Attributes("RES.2/A", "F F L+ L- P+");
  s.Attributes("RES.2/B", "L+ F F L- L-");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "RES.2");
  // PA1.1 mean(5,4)=4.5 -> F; PA2.2 4.5 -> F; PA3.1 L-; PA3.2 mean(2,3)=2.5 -> L-.
  EXPECT_EQ("F", Attr(p->aggregate, "PA1.1").value);
  EXPECT_EQ(5, Attr(p->aggregate, "PA1.1").ordinal);
  EXPECT_EQ(3, Attr(p->aggregate, "PA1.1").folded);
  EXPECT_EQ("F", Attr(p->aggregate, "PA2.2").value);
  EXPECT_EQ("L-", Attr(p->aggregate, "PA3.1").value);
  EXPECT_EQ(2, Attr(p->aggregate, "PA3.1").folded);
  EXPECT_EQ("L-", Attr(p->aggregate, "PA3.2").value);
  EXPECT_EQ(3, p->capability.level);
  EXPECT_EQ(2, p->instances[0].capability.level);  // PA3.2 P+ folds to P
  EXPECT_EQ(1, p->instances[1].capability.level);  // PA1.1 L+ folds to L
}

TEST(RatingAggregation, PlainPOnRefinedScaleIsRejected) {
  Snapshot s(RatingMethod::kR2, AggregationMethod::kMean, ScaleKind::kRefined);
  s.Scope("RES.2", 3).Instance("RES.2/A").Rate("RES.2/A", "PA1.1", "F").Rate("RES.2/A", "PA2.1", "P");
  RatingResults r;
  Status st = Compute(s.data(), &r);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ(
      "rating 2 (PA2.1, instance RES.2/A): rating value 'P' is ambiguous on the refined scale: use P- or P+ (or a "
      "percentage)",
      st.message());
}

TEST(RatingAggregation, PercentagesUseTheBands) {
  Snapshot s;
  s.Scope("RES.2", 2).Instance("RES.2/A").Attributes("RES.2/A", "85.5% 85% 50.5%");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "RES.2");
  EXPECT_EQ("F", Attr(p->aggregate, "PA1.1").value);
  EXPECT_EQ("L", Attr(p->aggregate, "PA2.1").value);
  EXPECT_EQ("L", Attr(p->aggregate, "PA2.2").value);
  EXPECT_EQ(2, p->capability.level);
}

TEST(RatingInput, UnknownInstanceAndScopeErrors) {
  Snapshot s;
  s.Scope("RES.2", 2).Instance("RES.2/A").Instance("RES.1/B");
  s.Rate("RES.2/Z", "PA1.1", "F");
  RatingResults r;
  Status st = Compute(s.data(), &r);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ("rating 1 (PA1.1): instance 'RES.2/Z' is not an instance of assessment A1", st.message());
  s.data().ratings.clear();
  s.Rate("RES.1/B", "PA1.1", "F");
  s.data().ratings.back().process = "RES.2";
  st = Compute(s.data(), &r);
  EXPECT_EQ("rating 2 (PA1.1): instance 'RES.1/B' is an instance of RES.1, not of RES.2", st.message());
  s.data().ratings.clear();
  s.data().scope.push_back(ScopedProcess{"XYZ.9", 1});
  st = Compute(s.data(), &r);
  EXPECT_EQ(Status::Code::kNotFound, st.code());
  EXPECT_EQ("scoped process 'XYZ.9' is not in model itsm-20000@" + Itsm()->pam().version, st.message());
}

TEST(RatingInput, OutOfScopeAndAboveTargetRatingsAreNoted) {
  Snapshot s;
  s.Scope("RES.2", 1).Instance("RES.2/A").Instance("RES.1/B");
  s.Attributes("RES.2/A", "F F F");
  s.Rate("RES.1/B", "PA1.1", "Q");  // not read: RES.1 is not in scope
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  EXPECT_EQ((std::vector<std::string>{
                "1 rating(s) of RES.1 not used: the process is not in scope",
                "2 attribute rating(s) above their process's target level not used (not assessed)"}),
            r.notes);
  EXPECT_EQ(1, FindProfile(r, "RES.2")->capability.level);
}

TEST(RatingInput, UnknownItemIsNotedAndDuplicateScopeRejected) {
  Snapshot s(RatingMethod::kR2, AggregationMethod::kWeightedMean);
  s.Scope("RES.2", 1).Instance("RES.2/A").Rate("RES.2/A", "PA1.1", "F").Rate("RES.2/A", "RES.2.BP99", "F");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  EXPECT_EQ((std::vector<std::string>{
                "weighted mean without a stated rationale for the instance weights",
                "rating 2: 'RES.2.BP99' is not an item of model itsm-20000@" + Itsm()->pam().version + "; not used"}),
            r.notes);
  EXPECT_EQ(1u, r.resolved.size());
  s.Scope("RES.2", 2);
  Status st = Compute(s.data(), &r);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ("process 'RES.2' is in the scope of assessment A1 twice", st.message());
}

// ---------------------------------------------------------------------------
// Team ratings and agreement

TEST(RatingTeam, ConsolidatedRatingCounts) {
  Snapshot s;
  s.Scope("RES.2", 1).Instance("RES.2/A");
  s.Rate("RES.2/A", "PA1.1", "P", "ann").Rate("RES.2/A", "PA1.1", "F", "bob");
  s.Rate("RES.2/A", "PA1.1", "L", "", /*consolidated=*/true);
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  EXPECT_TRUE(r.disagreements.empty());
  ASSERT_EQ(1u, r.resolved.size());
  EXPECT_TRUE(r.resolved[0].consolidated);
  EXPECT_EQ("L", r.resolved[0].value);
  EXPECT_EQ((std::vector<int64_t>{1, 2, 3}), r.resolved[0].rating_ids);
  EXPECT_EQ("L", Attr(FindProfile(r, "RES.2")->aggregate, "PA1.1").value);
  // The individual ratings still count for the agreement statistic.
  EXPECT_EQ(1u, r.agreement.items);
}

TEST(RatingTeam, DisagreementUsesTheLowestValueAndIsRecorded) {
  Snapshot s;
  s.Scope("RES.2", 1).Instance("RES.2/A");
  s.Rate("RES.2/A", "PA1.1", "F", "cat").Rate("RES.2/A", "PA1.1", "L", "ann").Rate("RES.2/A", "PA1.1", "F", "bob");
  s.Rate("RES.2/A", "RES.2.BP1", "L", "ann").Rate("RES.2/A", "RES.2.BP1", "L+", "bob");  // same on N/P/L/F
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  ASSERT_EQ(1u, r.disagreements.size());
  const Disagreement& d = r.disagreements[0];
  EXPECT_EQ("RES.2", d.process);
  EXPECT_EQ("RES.2/A", d.instance);
  EXPECT_EQ("PA1.1", d.item);
  EXPECT_EQ(ItemKind::kAttribute, d.item_kind);
  ASSERT_EQ(3u, d.votes.size());
  EXPECT_EQ("ann", d.votes[0].assessor);
  EXPECT_EQ("L", d.votes[0].value);
  EXPECT_EQ("bob", d.votes[1].assessor);
  EXPECT_EQ("cat", d.votes[2].assessor);
  EXPECT_EQ("L", d.used);
  EXPECT_EQ("L", Attr(FindProfile(r, "RES.2")->aggregate, "PA1.1").value);
  for (const ResolvedRating& rr : r.resolved) EXPECT_EQ(rr.item == "PA1.1", rr.disputed) << rr.item;
}

TEST(RatingTeam, NewestRatingOfOneAssessorCounts) {
  Snapshot s;
  s.Scope("RES.2", 1).Instance("RES.2/A");
  s.Rate("RES.2/A", "PA1.1", "N", "ann").Rate("RES.2/A", "PA1.1", "F", "ann");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  EXPECT_TRUE(r.disagreements.empty());
  EXPECT_EQ("F", r.resolved[0].value);
  EXPECT_EQ(0u, r.agreement.items);
  EXPECT_EQ("none", r.agreement.statistic);
  EXPECT_FALSE(r.agreement.kappa.has_value());
}

TEST(RatingTeam, CohensKappaForTwoAssessors) {
  Snapshot s;
  s.Scope("RES.2", 5).Instance("RES.2/A");
  const char* pairs[][3] = {{"PA1.1", "F", "F"}, {"PA2.1", "L", "L"}, {"PA2.2", "P", "L"}, {"PA3.1", "N", "N"}};
  for (const auto& p : pairs) s.Rate("RES.2/A", p[0], p[1], "ann").Rate("RES.2/A", p[0], p[2], "bob");
  s.Rate("RES.2/A", "PA3.2", "F", "ann");  // rated by one assessor only: not counted
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  EXPECT_EQ("cohen", r.agreement.statistic);
  EXPECT_EQ(4u, r.agreement.items);
  EXPECT_EQ(2u, r.agreement.raters);
  EXPECT_DOUBLE_EQ(0.75, r.agreement.observed);
  // p_e = (1*1 + 1*0 + 1*2 + 1*1) / 16 = 0.25; kappa = 0.5 / 0.75.
  ASSERT_TRUE(r.agreement.kappa.has_value());
  EXPECT_NEAR(2.0 / 3.0, *r.agreement.kappa, 1e-12);
}

TEST(RatingTeam, FleissKappaForMoreAssessors) {
  Snapshot s;
  s.Scope("RES.2", 5).Instance("RES.2/A");
  s.Rate("RES.2/A", "PA1.1", "F", "ann").Rate("RES.2/A", "PA1.1", "F", "bob").Rate("RES.2/A", "PA1.1", "F", "cat");
  s.Rate("RES.2/A", "PA2.1", "L", "ann").Rate("RES.2/A", "PA2.1", "L", "bob").Rate("RES.2/A", "PA2.1", "P", "cat");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  EXPECT_EQ("fleiss", r.agreement.statistic);
  EXPECT_EQ(2u, r.agreement.items);
  EXPECT_EQ(3u, r.agreement.raters);
  // P_i = 1 and 1/3; P_bar = 2/3; p = (F 3, L 2, P 1)/6; P_e = 7/18; kappa = 5/11.
  EXPECT_NEAR(2.0 / 3.0, r.agreement.observed, 1e-12);
  ASSERT_TRUE(r.agreement.kappa.has_value());
  EXPECT_NEAR(5.0 / 11.0, *r.agreement.kappa, 1e-12);
}

TEST(RatingTeam, KappaOfUnanimousSingleValueIsOne) {
  Snapshot s;
  s.Scope("RES.2", 5).Instance("RES.2/A");
  s.Rate("RES.2/A", "PA1.1", "F", "ann").Rate("RES.2/A", "PA1.1", "F", "bob");
  s.Rate("RES.2/A", "PA2.1", "F", "ann").Rate("RES.2/A", "PA2.1", "F", "bob");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  ASSERT_TRUE(r.agreement.kappa.has_value());
  EXPECT_DOUBLE_EQ(1.0, *r.agreement.kappa);
  EXPECT_DOUBLE_EQ(1.0, r.agreement.observed);
}

// ---------------------------------------------------------------------------
// Profile: gap and sensitivity

TEST(RatingProfile, GapAndSensitivity) {
  Snapshot s;
  s.Scope("RES.2", 3).Instance("RES.2/A").Instance("RES.2/B");
  s.Attributes("RES.2/A", "F F F L L");
  s.Attributes("RES.2/B", "F F L L P");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "RES.2");
  // Aggregate: F F F(2.5) L L(1.5 -> 2) -> level 3; target 3, gap 0.
  EXPECT_EQ(3, p->capability.level);
  EXPECT_EQ(0, *p->gap);
  std::vector<std::string> got;
  for (const Sensitivity& x : p->sensitivity) {
    EXPECT_TRUE(x.aggregate);
    got.push_back(x.instance + " " + x.attribute + " " + x.from + "->" + x.to + " " + std::to_string(x.level_before) +
                  "->" + std::to_string(x.level_after));
  }
  // A PA2.2 F->L: mean(2,2) -> L, level 2. A PA3.2 L->P: mean(1,1) -> P. B PA2.2 L->P:
  // mean(3,1) = 2 -> L. B PA3.2 P->N: mean(2,0) -> P. Not listed: A PA1.1 F->L
  // (mean 2.5 -> F) and either PA3.1 L->P (mean 1.5 -> L); nothing moves up past the target.
  EXPECT_EQ((std::vector<std::string>{
                "RES.2/A PA2.2 F->L 3->2",
                "RES.2/A PA3.2 L->P 3->2",
                "RES.2/B PA2.2 L->P 3->2",
                "RES.2/B PA3.2 P->N 3->2",
            }),
            got);
}

TEST(RatingProfile, SensitivityUpwards) {
  Snapshot s;
  s.Scope("RES.2", 2).Instance("RES.2/A");
  s.Attributes("RES.2/A", "F L P");
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  const ProcessProfile* p = FindProfile(r, "RES.2");
  EXPECT_EQ(1, p->capability.level);
  EXPECT_EQ(1, *p->gap);
  std::vector<std::string> got;
  for (const Sensitivity& x : p->sensitivity)
    got.push_back(x.attribute + " " + std::to_string(x.step) + " " + std::to_string(x.level_after));
  EXPECT_EQ((std::vector<std::string>{"PA2.2 1 2"}), got);  // PA1.1 F->L keeps level 1
}

// ---------------------------------------------------------------------------
// Maturity

// Attribute values that give capability level `cl` exactly.
std::string ValuesForLevel(int cl) {
  std::string s;
  for (const char* a : kAttributes) {
    const ProcessAttribute* pa = Itsm()->FindAttribute(a);
    s += pa->level < cl ? "F " : pa->level == cl ? "L " : "N ";
  }
  return s;
}

// Every process of the model in scope (target 5), one instance each, at the
// capability level given by `level_of`.
template <typename F>
RatingResults AllAtLevels(F level_of, int target = 5) {
  Snapshot s;
  for (const Process& p : Itsm()->processes()) {
    s.Scope(p.id, target).Instance(p.id + "/main");
    s.Attributes(p.id + "/main", ValuesForLevel(level_of(p.id)));
  }
  RatingResults r;
  EXPECT_OK(Compute(s.data(), &r));
  return r;
}

std::string MaturityBlockers(const MaturityResult& m) {
  std::string s;
  for (const MaturityBlocker& b : m.blockers)
    s += (s.empty() ? "" : " ") + b.process + ":" + MaturityBlockerReasonName(b.reason) + "(" +
         (b.achieved ? std::to_string(*b.achieved) : "-") + "<" + std::to_string(b.required) + ")";
  return s;
}

bool In(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST(Maturity, StagedLevels) {
  const std::vector<std::string> set1 = Itsm()->MaturitySet(1);
  const std::vector<std::string> set4 = Itsm()->MaturitySet(4);
  const std::vector<std::string> set5 = Itsm()->MaturitySet(5);
  ASSERT_FALSE(set1.empty());

  MaturityResult m = AllAtLevels([](const std::string&) { return 0; }).maturity;
  EXPECT_TRUE(m.available);
  EXPECT_EQ("itsm-maturity", m.model);
  EXPECT_EQ(0, m.level);
  EXPECT_EQ(5, m.top_level);
  EXPECT_EQ(5, m.attainable);
  EXPECT_EQ(set1.size(), m.blockers.size());

  m = AllAtLevels([](const std::string&) { return 1; }).maturity;
  EXPECT_EQ(1, m.level);
  ASSERT_FALSE(m.blockers.empty());
  for (const MaturityBlocker& b : m.blockers) {
    EXPECT_EQ(2, b.required);
    EXPECT_EQ(MaturityBlocker::Reason::kBelow, b.reason);
  }

  // Only the set of level 1 at CL 2: level 1 (the set of level 2 holds it back).
  m = AllAtLevels([&](const std::string& p) { return In(set1, p) ? 2 : 1; }).maturity;
  EXPECT_EQ(1, m.level);

  m = AllAtLevels([](const std::string&) { return 3; }).maturity;
  EXPECT_EQ(3, m.level);
  EXPECT_EQ("RAM.2:below(3<4) RES.1:below(3<4) SMS.6:below(3<4)", MaturityBlockers(m));

  m = AllAtLevels([&](const std::string& p) { return In(set4, p) ? 4 : 3; }).maturity;
  EXPECT_EQ(4, m.level);
  EXPECT_EQ("SMS.10:below(3<5) SMS.6:below(4<5)", MaturityBlockers(m));

  m = AllAtLevels([&](const std::string& p) { return In(set5, p) ? 5 : In(set4, p) ? 4 : 3; }).maturity;
  EXPECT_EQ(5, m.level);
  EXPECT_EQ("", MaturityBlockers(m));

  // A level 2 process at CL 2 although the others are at 5 caps the level at 2.
  m = AllAtLevels([](const std::string& p) { return p == "SMS.3" ? 2 : 5; }).maturity;
  EXPECT_EQ(2, m.level);
  EXPECT_EQ("SMS.3:below(2<3)", MaturityBlockers(m));

  // A level 1 process at CL 0: maturity 0.
  m = AllAtLevels([](const std::string& p) { return p == "RES.2" ? 0 : 5; }).maturity;
  EXPECT_EQ(0, m.level);
  EXPECT_EQ("RES.2:below(0<1)", MaturityBlockers(m));
}

TEST(Maturity, ProcessesOutOfScopeMakeLevelsUnattainable) {
  Snapshot s;
  for (const std::string& p : Itsm()->MaturitySet(1)) {
    s.Scope(p, 5).Instance(p + "/main");
    s.Attributes(p + "/main", ValuesForLevel(5));
  }
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  EXPECT_EQ(1, r.maturity.level);
  EXPECT_EQ(1, r.maturity.attainable);
  ASSERT_FALSE(r.maturity.blockers.empty());
  EXPECT_EQ(Itsm()->MaturitySet(2).size(), r.maturity.blockers.size());
  for (const MaturityBlocker& b : r.maturity.blockers) {
    EXPECT_EQ(MaturityBlocker::Reason::kNotInScope, b.reason) << b.process;
    EXPECT_FALSE(b.achieved.has_value());
  }
}

TEST(Maturity, TargetBelowRequirementIsUnattainable) {
  RatingResults r = AllAtLevels([](const std::string&) { return 3; }, 3);
  EXPECT_EQ(3, r.maturity.level);
  EXPECT_EQ(3, r.maturity.attainable);
  EXPECT_EQ("RAM.2:target too low(3<4) RES.1:target too low(3<4) SMS.6:target too low(3<4)",
            MaturityBlockers(r.maturity));
}

TEST(Maturity, R3WithSeveralInstancesIsNotDetermined) {
  Snapshot s(RatingMethod::kR3);
  for (const std::string& p : Itsm()->MaturitySet(1)) {
    s.Scope(p, 5).Instance(p + "/a").Instance(p + "/b");
    s.Attributes(p + "/a", ValuesForLevel(5)).Attributes(p + "/b", ValuesForLevel(5));
  }
  RatingResults r;
  ASSERT_OK(Compute(s.data(), &r));
  EXPECT_EQ(0, r.maturity.level);
  ASSERT_FALSE(r.maturity.blockers.empty());
  for (const MaturityBlocker& b : r.maturity.blockers)
    EXPECT_EQ(MaturityBlocker::Reason::kNotDetermined, b.reason) << b.process;
}

TEST(Maturity, ModelWithoutMaturityModel) {
  std::shared_ptr<const Model> fw_only = LoadBundled("mf-33020");
  ASSERT_NE(nullptr, fw_only);
  MaturityResult m = DetermineMaturity(*fw_only, {});
  EXPECT_FALSE(m.available);
  EXPECT_EQ("model " + fw_only->Key() + " has no maturity model", m.note);
}

// ---------------------------------------------------------------------------
// Property tests (fixed seed)

// A random assessment over `processes` random processes of the model.
AssessmentData RandomAssessment(std::mt19937* rng, bool all_processes) {
  auto pick = [&](int n) { return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(*rng)); };
  const RatingMethod methods[] = {RatingMethod::kR1, RatingMethod::kR2, RatingMethod::kR3};
  const AggregationMethod aggs[] = {AggregationMethod::kMean, AggregationMethod::kWeightedMean,
                                    AggregationMethod::kMedian, AggregationMethod::kMinimum};
  const ScaleKind scale = pick(2) ? ScaleKind::kRefined : ScaleKind::kStandard;
  Snapshot s(methods[pick(3)], aggs[pick(4)], scale);
  const RatingMethod method = s.data().assessment.options.method;
  const std::vector<std::string>& values = ScaleValues(scale);
  // Ratings skewed upwards so that levels and maturity vary.
  auto value = [&]() -> std::string {
    if (pick(10) == 0) return std::to_string(pick(101)) + "%";
    int v = std::max(pick(static_cast<int>(values.size())), pick(static_cast<int>(values.size())));
    if (pick(2)) v = std::max(v, pick(static_cast<int>(values.size())));
    return values[static_cast<size_t>(v)];
  };
  const char* assessors[] = {"ann", "bob", "cat"};
  for (const Process& proc : Itsm()->processes()) {
    if (!all_processes && pick(4) != 0) continue;
    const int target = 1 + pick(5);
    s.Scope(proc.id, target);
    const int n = method == RatingMethod::kR3 && pick(2) ? 1 : 1 + pick(3);
    for (int i = 0; i < n; ++i) {
      const std::string inst = proc.id + "/i" + std::to_string(i);
      s.Instance(inst, 0.5 + pick(4));
      std::vector<std::string> items;
      if (method == RatingMethod::kR1) {
        for (const Statement& o : proc.outcomes) items.push_back(o.id);
        for (const Indicator& bp : proc.base_practices) items.push_back(bp.id);
        for (const Indicator& wp : proc.work_products) items.push_back(wp.id);
        for (const ProcessAttribute& pa : Fw().attributes) {
          if (pa.level > target) continue;
          for (const Statement& a : pa.achievements) items.push_back(a.id);
        }
        for (const Indicator& gp : Fw().generic_practices) items.push_back(gp.id);
      } else {
        for (const ProcessAttribute& pa : Fw().attributes) items.push_back(pa.id);
      }
      for (const std::string& item : items) {
        if (pick(6) == 0) continue;  // some items left unrated
        const int raters = pick(5) == 0 ? 2 : 1;
        for (int k = 0; k < raters; ++k) s.Rate(inst, item, value(), assessors[pick(3)]);
        if (raters == 2 && pick(3) == 0) s.Rate(inst, item, value(), "", true);
      }
    }
  }
  return s.data();
}

// `value` one step higher on `scale`; false when already at the top.
bool RaiseOneStep(const Framework& fw, ScaleKind scale, std::string* value) {
  ParsedValue p;
  if (!ParseRatingValue(*value, &p).ok()) return false;
  if (p.is_percentage) {
    if (p.percent >= 100) return false;
    *value = std::to_string(std::min(100, static_cast<int>(p.percent) + 17)) + "%";
    return true;
  }
  int ord = 0;
  if (!ResolveRating(fw, scale, *value, &ord).ok() || ord + 1 >= ScaleSize(scale)) return false;
  *value = ValueOf(scale, ord + 1);
  return true;
}

TEST(RatingProperty, RaisingOneRatingNeverLowersALevel) {
  std::mt19937 rng(20261124);
  int compared = 0, changed = 0;
  for (int round = 0; round < 80; ++round) {
    AssessmentData base = RandomAssessment(&rng, /*all_processes=*/round % 3 == 0);
    RatingResults before;
    ASSERT_OK(Compute(base, &before));
    for (int k = 0; k < 5 && !base.ratings.empty(); ++k) {
      AssessmentData raised = base;
      const size_t i = std::uniform_int_distribution<size_t>(0, raised.ratings.size() - 1)(rng);
      if (!RaiseOneStep(Fw(), base.assessment.options.scale, &raised.ratings[i].value)) continue;
      RatingResults after;
      ASSERT_OK(Compute(raised, &after));
      ++compared;
      ASSERT_EQ(before.processes.size(), after.processes.size());
      for (size_t p = 0; p < before.processes.size(); ++p) {
        const ProcessProfile& b = before.processes[p];
        const ProcessProfile& a = after.processes[p];
        std::string where = "round " + std::to_string(round) + ", rating " + std::to_string(raised.ratings[i].id) +
                            " " + base.ratings[i].value + "->" + raised.ratings[i].value + ", " + b.process;
        ASSERT_EQ(b.capability.determined, a.capability.determined) << where;
        EXPECT_GE(a.capability.level, b.capability.level) << where;
        changed += a.capability.level != b.capability.level;
        for (size_t j = 0; j < b.instances.size(); ++j)
          EXPECT_GE(a.instances[j].capability.level, b.instances[j].capability.level) << where;
        for (size_t j = 0; j < b.aggregate.size(); ++j)
          if (b.aggregate[j].state == AttributeState::kRated) {
            EXPECT_GE(a.aggregate[j].ordinal, b.aggregate[j].ordinal) << where;
          }
      }
      EXPECT_GE(after.maturity.level, before.maturity.level);
    }
  }
  EXPECT_GT(compared, 150);
  EXPECT_GT(changed, 0);  // the property was exercised, not vacuous
}

TEST(RatingProperty, RaisingLevelsNeverLowersMaturity) {
  std::mt19937 rng(33020);
  int raised_maturity = 0;
  for (int round = 0; round < 150; ++round) {
    // Mostly 3..5 with an occasional 2 or 1, so that maturity levels 1..5 all occur.
    std::vector<int> levels;
    for (size_t i = 0; i < Itsm()->processes().size(); ++i) {
      const int roll = std::uniform_int_distribution<int>(0, 59)(rng);
      levels.push_back(roll == 0 ? 1 : roll == 1 ? 2 : roll < 30 ? 3 : roll < 48 ? 4 : 5);
    }
    auto at = [&](const std::vector<int>& lv) {
      return AllAtLevels([&](const std::string& p) {
        for (size_t i = 0; i < Itsm()->processes().size(); ++i)
          if (Itsm()->processes()[i].id == p) return lv[i];
        return 0;
      });
    };
    RatingResults before = at(levels);
    std::vector<int> up = levels;
    const size_t i = std::uniform_int_distribution<size_t>(0, up.size() - 1)(rng);
    if (up[i] == 5) continue;
    ++up[i];
    RatingResults after = at(up);
    EXPECT_GE(after.maturity.level, before.maturity.level) << "round " << round;
    raised_maturity += after.maturity.level > before.maturity.level;
  }
  EXPECT_GT(raised_maturity, 0);  // the property was exercised, not vacuous
}

TEST(RatingProperty, PermutingInstancesNeverChangesAnAggregate) {
  std::mt19937 rng(15504);
  for (int round = 0; round < 60; ++round) {
    AssessmentData base = RandomAssessment(&rng, /*all_processes=*/false);
    RatingResults before;
    ASSERT_OK(Compute(base, &before));
    AssessmentData shuffled = base;
    std::shuffle(shuffled.instances.begin(), shuffled.instances.end(), rng);
    std::shuffle(shuffled.ratings.begin(), shuffled.ratings.end(), rng);
    RatingResults after;
    ASSERT_OK(Compute(shuffled, &after));
    ASSERT_EQ(before.processes.size(), after.processes.size());
    for (size_t p = 0; p < before.processes.size(); ++p) {
      const ProcessProfile& b = before.processes[p];
      const ProcessProfile& a = after.processes[p];
      const std::string where = "round " + std::to_string(round) + ", " + b.process;
      for (size_t j = 0; j < b.aggregate.size(); ++j) {
        EXPECT_EQ(b.aggregate[j].state, a.aggregate[j].state) << where << " " << b.aggregate[j].attribute;
        EXPECT_EQ(b.aggregate[j].value, a.aggregate[j].value) << where << " " << b.aggregate[j].attribute;
      }
      EXPECT_EQ(b.capability.determined, a.capability.determined) << where;
      EXPECT_EQ(b.capability.level, a.capability.level) << where;
      EXPECT_EQ(b.sensitivity.size(), a.sensitivity.size()) << where;
    }
    EXPECT_EQ(before.maturity.level, after.maturity.level);
    EXPECT_EQ(before.disagreements.size(), after.disagreements.size());
    EXPECT_EQ(before.agreement.kappa.has_value(), after.agreement.kappa.has_value());
    if (before.agreement.kappa && after.agreement.kappa) {
      EXPECT_NEAR(*before.agreement.kappa, *after.agreement.kappa, 1e-12);
    }
  }
}

// Everything of `a` and `b` but the sensitivity analysis, as text (for one
// EXPECT_EQ with a readable difference).
std::string ResultsWithoutSensitivity(const RatingResults& r) {
  std::ostringstream out;
  auto attrs = [&](const std::vector<AttributeRating>& v) {
    for (const AttributeRating& a : v) {
      out << " " << a.attribute << "=" << AttributeStateName(a.state) << ":" << a.value << ":" << a.ordinal << ":"
          << a.folded << "[";
      for (const std::string& m : a.missing) out << m << ";";
      out << "]";
    }
  };
  auto cap = [&](const CapabilityResult& c) {
    out << " cap " << c.determined << c.level << c.assessed_up_to << c.limited_by_target;
    for (const Blocker& b : c.blockers) out << " " << b.attribute << AttributeStateName(b.state) << b.value << b.needs;
  };
  for (const ProcessProfile& p : r.processes) {
    out << p.process << " " << p.name << " " << p.target_level << " gap " << (p.gap ? *p.gap : -9);
    attrs(p.aggregate);
    cap(p.capability);
    out << "\n";
    for (const InstanceResult& i : p.instances) {
      out << "  " << i.instance << " " << i.weight;
      attrs(i.attributes);
      cap(i.capability);
      for (const StatementRating& st : i.statements) {
        out << " " << st.statement << "/" << st.attribute << "/" << static_cast<int>(st.how) << "/" << st.value << "<";
        for (const std::string& f : st.from) out << f << ";";
        out << ">";
      }
      out << "\n";
    }
  }
  for (const ResolvedRating& x : r.resolved) {
    out << x.instance << ":" << x.item << "=" << x.value << (x.consolidated ? "c" : "") << (x.disputed ? "d" : "");
    for (int64_t id : x.rating_ids) out << "," << id;
    out << "\n";
  }
  for (const Disagreement& d : r.disagreements) {
    out << "dis " << d.instance << ":" << d.item << " used " << d.used;
    for (const Vote& v : d.votes) out << " " << v.assessor << "=" << v.value;
    out << "\n";
  }
  out << "agreement " << r.agreement.statistic << " " << r.agreement.items << " " << r.agreement.raters << " "
      << r.agreement.observed << " " << (r.agreement.kappa ? *r.agreement.kappa : -9) << "\n";
  out << "maturity " << r.maturity.available << r.maturity.level << r.maturity.attainable;
  for (const MaturityBlocker& b : r.maturity.blockers) out << " " << b.process << b.required;
  for (const std::string& n : r.notes) out << "\nnote " << n;
  return out.str();
}

TEST(RatingProperty, SkippingSensitivityChangesNothingElse) {
  std::mt19937 rng(20000);
  size_t sensitive = 0;
  for (int round = 0; round < 40; ++round) {
    AssessmentData data = RandomAssessment(&rng, /*all_processes=*/round % 4 == 0);
    RatingResults full, lean;
    ASSERT_OK(Compute(data, &full));
    ComputeOptions options;
    options.sensitivity = false;
    ASSERT_OK(ComputeResults(*Itsm(), Graph(), data, &lean, options));
    EXPECT_EQ(ResultsWithoutSensitivity(full), ResultsWithoutSensitivity(lean)) << "round " << round;
    for (const ProcessProfile& p : lean.processes) EXPECT_TRUE(p.sensitivity.empty()) << p.process;
    for (const ProcessProfile& p : full.processes) sensitive += p.sensitivity.size();
  }
  EXPECT_GT(sensitive, 0u);  // the analysis that was skipped had something to say
}

}  // namespace
}  // namespace assay
