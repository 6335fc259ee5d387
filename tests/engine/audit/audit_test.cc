#include "assay/audit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "assay/assessment.h"
#include "test_util.h"

namespace assay {
namespace {

using S = NonconformityState;

Date D(const char* text) {
  Date d;
  Status st = Date::Parse(text, &d);
  if (!st.ok()) ADD_FAILURE() << st.ToString();
  return d;
}

// A completed audit held from `start` to `end`.
Audit Held(const std::string& id, AuditType type, const char* start, const char* end) {
  Audit a;
  a.id = id;
  a.type = type;
  a.planned_start = D(start);
  a.planned_end = D(end);
  a.actual_start = D(start);
  a.actual_end = D(end);
  a.status = AuditStatus::kCompleted;
  return a;
}

// An audit planned from `start` to `end`, not yet held.
Audit Planned(const std::string& id, AuditType type, const char* start, const char* end) {
  Audit a;
  a.id = id;
  a.type = type;
  a.planned_start = D(start);
  a.planned_end = D(end);
  a.status = AuditStatus::kPlanned;
  return a;
}

Finding MakeFinding(const std::string& id, const std::string& audit, const std::string& clause, FindingGrade grade,
                    const char* date) {
  Finding f;
  f.id = id;
  f.audit_id = audit;
  f.clause = clause;
  f.grade = grade;
  f.statement = "statement of " + id;
  f.evidence_ids = {"E-" + id};
  f.date = D(date);
  return f;
}

// A nonconformity raised on `raised` with the default policy's due date that
// went through `changes` (state, date), in order.
Nonconformity MakeNc(const std::string& id, const std::string& finding, FindingGrade grade, const char* raised,
                     const std::vector<std::pair<S, const char*>>& changes = {}) {
  Nonconformity nc;
  nc.id = id;
  nc.finding_id = finding;
  nc.grade = grade;
  nc.raised = D(raised);
  EXPECT_OK(DueDate(grade, nc.raised, CertificationPolicy{}, &nc.due_date));
  for (const auto& [state, date] : changes) {
    nc.state = state;
    nc.history.push_back(StateChange{state, D(date)});
  }
  return nc;
}

std::vector<std::pair<S, const char*>> VerifiedBy(const char* verified) {
  return {{S::kPlanSubmitted, "2025-09-05"},
          {S::kPlanAccepted, "2025-09-10"},
          {S::kImplemented, "2025-10-01"},
          {S::kVerified, verified}};
}

// ---------------------------------------------------------------------------
// Names.

TEST(AuditNames, RoundTrip) {
  for (AuditType v : {AuditType::kStage1, AuditType::kStage2, AuditType::kSurveillance, AuditType::kRecertification,
                      AuditType::kSpecial}) {
    AuditType back{};
    ASSERT_OK(ParseAuditType(AuditTypeName(v), &back));
    EXPECT_EQ(v, back);
  }
  for (CertificateStatus v : {CertificateStatus::kActive, CertificateStatus::kSuspended, CertificateStatus::kWithdrawn,
                              CertificateStatus::kExpired, CertificateStatus::kRestored}) {
    CertificateStatus back{};
    ASSERT_OK(ParseCertificateStatus(CertificateStatusName(v), &back));
    EXPECT_EQ(v, back);
  }
  for (FindingGrade v : {FindingGrade::kConforming, FindingGrade::kMajor, FindingGrade::kMinor,
                         FindingGrade::kObservation, FindingGrade::kOpportunity}) {
    FindingGrade back{};
    ASSERT_OK(ParseFindingGrade(FindingGradeName(v), &back));
    EXPECT_EQ(v, back);
  }
  for (S v : {S::kOpen, S::kPlanSubmitted, S::kPlanAccepted, S::kImplemented, S::kVerified, S::kClosedEffective,
              S::kEscalated}) {
    S back{};
    ASSERT_OK(ParseNonconformityState(NonconformityStateName(v), &back));
    EXPECT_EQ(v, back);
  }
  for (TeamRole v : {TeamRole::kLeader, TeamRole::kAuditor, TeamRole::kTechnicalExpert, TeamRole::kObserver}) {
    TeamRole back{};
    ASSERT_OK(ParseTeamRole(TeamRoleName(v), &back));
    EXPECT_EQ(v, back);
  }
  for (AuditStatus v :
       {AuditStatus::kPlanned, AuditStatus::kInProgress, AuditStatus::kCompleted, AuditStatus::kCancelled}) {
    AuditStatus back{};
    ASSERT_OK(ParseAuditStatus(AuditStatusName(v), &back));
    EXPECT_EQ(v, back);
  }
  for (DecisionKind v : {DecisionKind::kInitial, DecisionKind::kRecertification, DecisionKind::kRestoration}) {
    DecisionKind back{};
    ASSERT_OK(ParseDecisionKind(DecisionKindName(v), &back));
    EXPECT_EQ(v, back);
  }
  for (RecommendationKind v : {RecommendationKind::kRecommend, RecommendationKind::kRecommendWithConditions,
                               RecommendationKind::kNotRecommend, RecommendationKind::kNewStage2Required}) {
    RecommendationKind back{};
    ASSERT_OK(ParseRecommendationKind(RecommendationKindName(v), &back));
    EXPECT_EQ(v, back);
  }
  EXPECT_EQ("plan-submitted", NonconformityStateName(S::kPlanSubmitted));
  EXPECT_EQ("closed-effective", NonconformityStateName(S::kClosedEffective));
  EXPECT_EQ("calendar-year-surveillance", ProgrammeItemKindName(ProgrammeItemKind::kCalendarYearSurveillance));
  EXPECT_EQ("done-late", ItemStateName(ItemState::kDoneLate));
  EXPECT_EQ("major-not-verified-in-time", ReasonCodeName(RecommendationReasonCode::kMajorNotVerifiedInTime));
}

TEST(AuditNames, UnknownNamesListTheValidOnes) {
  const struct {
    Status status;
    const char* message;
  } cases[] = {
      {[] {
         AuditType t;
         return ParseAuditType("stage3", &t);
       }(),
       "unknown audit type 'stage3': expected one of stage1, stage2, surveillance, recertification, special"},
      {[] {
         FindingGrade g;
         return ParseFindingGrade("Major", &g);
       }(),
       "unknown finding grade 'Major': expected one of conforming, major, minor, observation, opportunity"},
      {[] {
         S s;
         return ParseNonconformityState("closed", &s);
       }(),
       "unknown nonconformity state 'closed': expected one of open, plan-submitted, plan-accepted, implemented, "
       "verified, closed-effective, escalated"},
      {[] {
         CertificateStatus c;
         return ParseCertificateStatus("lapsed", &c);
       }(),
       "unknown certificate status 'lapsed': expected one of active, suspended, withdrawn, expired, restored"},
      {[] {
         TeamRole r;
         return ParseTeamRole("expert", &r);
       }(),
       "unknown team role 'expert': expected one of leader, auditor, technical-expert, observer"},
      {[] {
         RecommendationKind k;
         return ParseRecommendationKind("yes", &k);
       }(),
       "unknown recommendation 'yes': expected one of recommend, recommend-with-conditions, not-recommend, "
       "new-stage2-required"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Status::Code::kInvalidInput, c.status.code());
    EXPECT_EQ(c.message, c.status.message());
  }
  // The subject: what was parsed, the text and the nearest names.
  TeamRole r;
  const Status s = ParseTeamRole("auditr", &r);
  EXPECT_EQ("team role", s.subject().kind);
  EXPECT_EQ("auditr", s.subject().id);
  EXPECT_EQ(std::vector<std::string>{"auditor"}, s.subject().nearest);
}

TEST(AuditPolicy, DefaultsAndChecks) {
  CertificationPolicy p;
  EXPECT_EQ(90, p.major_action_days);
  EXPECT_EQ(30, p.minor_plan_days);
  EXPECT_EQ(14, p.reminder_lead_days);
  EXPECT_TRUE(p.allow_opportunities);
  EXPECT_EQ(2, p.systemic_minor_threshold);
  EXPECT_EQ(3, p.planning_window_months);
  EXPECT_TRUE(p.renewal_keeps_expiry);
  EXPECT_OK(CheckPolicy(p));
  p.minor_plan_days = 0;
  EXPECT_EQ("certification policy: minor_plan_days must be at least 1, got 0", CheckPolicy(p).message());
}

// ---------------------------------------------------------------------------
// Nonconformity state machine.

// Every (from, to) pair: the allowed ones pass, every other one fails with
// the exact message.
TEST(NonconformityTransition, EveryPair) {
  const S all[] = {S::kOpen,     S::kPlanSubmitted,   S::kPlanAccepted, S::kImplemented,
                   S::kVerified, S::kClosedEffective, S::kEscalated};
  const struct {
    S from;
    std::vector<S> allowed;
    const char* tail;  // the message after "nonconformity cannot go from X to Y; "
  } rows[] = {
      {S::kOpen, {S::kPlanSubmitted, S::kEscalated}, "allowed from open: plan-submitted, escalated"},
      {S::kPlanSubmitted,
       {S::kPlanAccepted, S::kOpen, S::kEscalated},
       "allowed from plan-submitted: plan-accepted, open, escalated"},
      {S::kPlanAccepted, {S::kImplemented, S::kEscalated}, "allowed from plan-accepted: implemented, escalated"},
      {S::kImplemented,
       {S::kVerified, S::kPlanAccepted, S::kEscalated},
       "allowed from implemented: verified, plan-accepted, escalated"},
      {S::kVerified, {S::kClosedEffective}, "allowed from verified: closed-effective"},
      {S::kClosedEffective, {}, "closed-effective is final"},
      {S::kEscalated, {S::kPlanSubmitted}, "allowed from escalated: plan-submitted"},
  };
  int legal = 0, illegal = 0;
  for (const auto& row : rows) {
    EXPECT_EQ(row.allowed, AllowedTransitions(row.from)) << NonconformityStateName(row.from);
    for (S to : all) {
      const bool ok = std::find(row.allowed.begin(), row.allowed.end(), to) != row.allowed.end();
      Status st = Transition(row.from, to);
      const std::string pair =
          std::string(NonconformityStateName(row.from)) + " -> " + std::string(NonconformityStateName(to));
      if (ok) {
        ++legal;
        EXPECT_TRUE(st.ok()) << pair << ": " << st.ToString();
      } else {
        ++illegal;
        EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << pair;
        EXPECT_EQ("nonconformity cannot go from " + std::string(NonconformityStateName(row.from)) + " to " +
                      std::string(NonconformityStateName(to)) + "; " + row.tail,
                  st.message());
      }
    }
  }
  EXPECT_EQ(12, legal);
  EXPECT_EQ(37, illegal);
}

// Every pair of certificate statuses: the allowed changes pass, every other
// one is refused with the allowed list (or "final").
TEST(CertificateTransition, EveryPair) {
  using C = CertificateStatus;
  const C all[] = {C::kActive, C::kSuspended, C::kWithdrawn, C::kExpired, C::kRestored};
  const struct {
    C from;
    std::vector<C> allowed;
    const char* tail;
  } rows[] = {
      {C::kActive, {C::kSuspended, C::kWithdrawn, C::kExpired}, "allowed from active: suspended, withdrawn, expired"},
      {C::kSuspended, {C::kActive, C::kWithdrawn, C::kExpired}, "allowed from suspended: active, withdrawn, expired"},
      {C::kWithdrawn, {}, "withdrawn is final"},
      {C::kExpired, {C::kRestored, C::kWithdrawn}, "allowed from expired: restored, withdrawn"},
      {C::kRestored,
       {C::kSuspended, C::kWithdrawn, C::kExpired},
       "allowed from restored: suspended, withdrawn, expired"},
  };
  int legal = 0, illegal = 0;
  for (const auto& row : rows) {
    EXPECT_EQ(row.allowed, AllowedCertificateTransitions(row.from)) << CertificateStatusName(row.from);
    for (C to : all) {
      const bool ok = std::find(row.allowed.begin(), row.allowed.end(), to) != row.allowed.end();
      Status st = CertificateTransition(row.from, to);
      const std::string pair =
          std::string(CertificateStatusName(row.from)) + " -> " + std::string(CertificateStatusName(to));
      if (ok) {
        ++legal;
        EXPECT_TRUE(st.ok()) << pair << ": " << st.ToString();
      } else {
        ++illegal;
        EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << pair;
        EXPECT_EQ("certificate cannot go from " + std::string(CertificateStatusName(row.from)) + " to " +
                      std::string(CertificateStatusName(to)) + "; " + row.tail,
                  st.message());
      }
    }
  }
  EXPECT_EQ(11, legal);
  EXPECT_EQ(14, illegal);
}

TEST(NonconformityTransition, SpelledOutExamples) {
  EXPECT_EQ("nonconformity cannot go from open to verified; allowed from open: plan-submitted, escalated",
            Transition(S::kOpen, S::kVerified).message());
  EXPECT_EQ("nonconformity cannot go from closed-effective to open; closed-effective is final",
            Transition(S::kClosedEffective, S::kOpen).message());
  EXPECT_EQ("nonconformity cannot go from verified to escalated; allowed from verified: closed-effective",
            Transition(S::kVerified, S::kEscalated).message());
}

TEST(NonconformityDueDate, FromPolicyPerGrade) {
  CertificationPolicy p;
  Date due;
  ASSERT_OK(DueDate(FindingGrade::kMajor, D("2025-08-31"), p, &due));
  EXPECT_EQ("2025-11-29", due.ToString());
  ASSERT_OK(DueDate(FindingGrade::kMinor, D("2025-08-31"), p, &due));
  EXPECT_EQ("2025-09-30", due.ToString());
  ASSERT_OK(DueDate(FindingGrade::kMinor, D("2024-02-10"), p, &due));
  EXPECT_EQ("2024-03-11", due.ToString());
  p.major_action_days = 60;
  ASSERT_OK(DueDate(FindingGrade::kMajor, D("2025-12-20"), p, &due));
  EXPECT_EQ("2026-02-18", due.ToString());
  const FindingGrade others[] = {FindingGrade::kConforming, FindingGrade::kObservation, FindingGrade::kOpportunity};
  for (FindingGrade g : others) {
    Status st = DueDate(g, D("2025-08-31"), p, &due);
    EXPECT_EQ("no due date for a finding graded " + std::string(FindingGradeName(g)) +
                  ": only major and minor nonconformities have one",
              st.message());
  }
}

TEST(NonconformityOverdue, DeadlineMetPerGradeAndState) {
  const struct {
    S state;
    bool major_met, minor_met;
  } cases[] = {
      {S::kOpen, false, false},      {S::kPlanSubmitted, false, true}, {S::kPlanAccepted, false, true},
      {S::kImplemented, true, true}, {S::kVerified, true, true},       {S::kClosedEffective, true, true},
      {S::kEscalated, false, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.major_met, DeadlineMet(FindingGrade::kMajor, c.state)) << NonconformityStateName(c.state);
    EXPECT_EQ(c.minor_met, DeadlineMet(FindingGrade::kMinor, c.state)) << NonconformityStateName(c.state);
  }
}

TEST(NonconformityOverdue, EdgeOfTheDueDate) {
  // Minor raised 2026-01-15: plan due 2026-02-14; reminder from 2026-01-31.
  Nonconformity nc = MakeNc("NC-1", "F-1", FindingGrade::kMinor, "2026-01-15");
  CertificationPolicy p;
  EXPECT_EQ("2026-02-14", nc.due_date.ToString());
  const struct {
    const char* today;
    bool overdue, reminder;
  } cases[] = {
      {"2026-01-30", false, false}, {"2026-01-31", false, true}, {"2026-02-14", false, true},
      {"2026-02-15", true, false},  {"2026-06-01", true, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.overdue, IsOverdue(nc, D(c.today))) << c.today;
    EXPECT_EQ(c.reminder, ReminderDue(nc, D(c.today), p)) << c.today;
  }
  nc.state = S::kPlanSubmitted;
  EXPECT_FALSE(IsOverdue(nc, D("2026-06-01")));
  EXPECT_FALSE(ReminderDue(nc, D("2026-02-10"), p));
  nc.state = S::kEscalated;
  EXPECT_TRUE(IsOverdue(nc, D("2026-06-01")));
}

TEST(NonconformityApply, RecordsHistoryAndChecksDates) {
  Nonconformity nc = MakeNc("NC-7", "F-7", FindingGrade::kMajor, "2025-08-31");  // due 2025-11-29
  ASSERT_OK(ApplyTransition(&nc, S::kPlanSubmitted, D("2025-09-05")));
  ASSERT_OK(ApplyTransition(&nc, S::kOpen, D("2025-09-08")));  // plan rejected
  ASSERT_OK(ApplyTransition(&nc, S::kPlanSubmitted, D("2025-09-12")));
  ASSERT_OK(ApplyTransition(&nc, S::kPlanAccepted, D("2025-09-15")));
  EXPECT_EQ(S::kPlanAccepted, nc.state);
  ASSERT_EQ(4u, nc.history.size());
  EXPECT_EQ(D("2025-09-12"), DateReached(nc, S::kPlanSubmitted));
  EXPECT_FALSE(DateReached(nc, S::kVerified).has_value());

  const struct {
    S to;
    const char* date;
    const char* message;
  } bad[] = {
      {S::kVerified, "2025-09-20",
       "nonconformity NC-7 cannot go from plan-accepted to verified; allowed from plan-accepted: implemented, "
       "escalated"},
      {S::kImplemented, "2025-09-14",
       "nonconformity NC-7: change on 2025-09-14 is before its last change (2025-09-15)"},
      {S::kEscalated, "2025-11-29",
       "nonconformity NC-7 cannot be escalated on 2025-11-29: it is not overdue (due 2025-11-29)"},
  };
  for (const auto& b : bad) {
    Nonconformity before = nc;
    Status st = ApplyTransition(&nc, b.to, D(b.date));
    EXPECT_EQ(Status::Code::kInvalidInput, st.code());
    EXPECT_EQ(b.message, st.message());
    EXPECT_EQ(before.state, nc.state);
    EXPECT_EQ(before.history.size(), nc.history.size());
  }
  Nonconformity fresh = MakeNc("NC-8", "F-8", FindingGrade::kMinor, "2025-08-31");
  EXPECT_EQ("nonconformity NC-8: change on 2025-08-30 is before it was raised (2025-08-31)",
            ApplyTransition(&fresh, S::kPlanSubmitted, D("2025-08-30")).message());

  // Overdue one day after the due date: escalation is allowed, and the client
  // answers with a new plan.
  ASSERT_OK(ApplyTransition(&nc, S::kEscalated, D("2025-11-30")));
  ASSERT_OK(ApplyTransition(&nc, S::kPlanSubmitted, D("2025-12-02")));
  ASSERT_OK(ApplyTransition(&nc, S::kPlanAccepted, D("2025-12-03")));
  ASSERT_OK(ApplyTransition(&nc, S::kImplemented, D("2025-12-10")));
  ASSERT_OK(ApplyTransition(&nc, S::kPlanAccepted, D("2025-12-12")));  // verification failed
  ASSERT_OK(ApplyTransition(&nc, S::kImplemented, D("2025-12-20")));
  ASSERT_OK(ApplyTransition(&nc, S::kVerified, D("2025-12-22")));
  ASSERT_OK(ApplyTransition(&nc, S::kClosedEffective, D("2026-06-01")));
  EXPECT_EQ("nonconformity NC-7 cannot go from closed-effective to escalated; closed-effective is final",
            ApplyTransition(&nc, S::kEscalated, D("2026-06-02")).message());
}

// ---------------------------------------------------------------------------
// Findings.

TEST(AuditFindings, OnlyNonconformitiesCarryOne) {
  Nonconformity nc = MakeNc("NC-2", "F-4", FindingGrade::kMinor, "2026-01-15");
  const struct {
    FindingGrade grade;
    const char* message;  // "" when accepted
  } cases[] = {
      {FindingGrade::kMinor, ""},
      {FindingGrade::kMajor, "nonconformity NC-2 is graded minor but its finding F-4 is major"},
      {FindingGrade::kOpportunity,
       "finding F-4 is an opportunity for improvement and cannot carry a nonconformity (NC-2)"},
      {FindingGrade::kObservation, "finding F-4 is an observation and cannot carry a nonconformity (NC-2)"},
      {FindingGrade::kConforming, "finding F-4 is conforming and cannot carry a nonconformity (NC-2)"},
  };
  for (const auto& c : cases) {
    Finding f = MakeFinding("F-4", "A-1", "8.6.1", c.grade, "2026-01-15");
    Status st = CheckNonconformityFinding(nc, f);
    if (std::string(c.message).empty()) {
      EXPECT_TRUE(st.ok()) << st.ToString();
    } else {
      EXPECT_EQ(Status::Code::kInvalidInput, st.code());
      EXPECT_EQ(c.message, st.message());
    }
  }
  Finding other = MakeFinding("F-5", "A-1", "8.6.1", FindingGrade::kMinor, "2026-01-15");
  EXPECT_EQ("nonconformity NC-2 belongs to finding F-4, not F-5", CheckNonconformityFinding(nc, other).message());
}

TEST(AuditFindings, CheckFinding) {
  CertificationPolicy p;
  Finding f = MakeFinding("F-1", "A-1", "9.2", FindingGrade::kOpportunity, "2026-01-15");
  EXPECT_OK(CheckAuditFinding(f, p));
  p.allow_opportunities = false;
  EXPECT_EQ("finding F-1: opportunities for improvement are not allowed by the certification policy",
            CheckAuditFinding(f, p).message());
  f.grade = FindingGrade::kObservation;
  EXPECT_OK(CheckAuditFinding(f, p));
  f.clause = " ";
  EXPECT_EQ("finding F-1: no clause", CheckAuditFinding(f, p).message());
  f.clause = "9.2";
  f.statement = "";
  EXPECT_EQ("finding F-1: no statement", CheckAuditFinding(f, p).message());
}

TEST(AuditFindings, SystemicWarningPerClause) {
  const std::vector<Finding> findings = {
      MakeFinding("F-1", "A-1", "8.6.1", FindingGrade::kMinor, "2026-01-15"),
      MakeFinding("F-2", "A-1", "8.5.1", FindingGrade::kMinor, "2026-01-15"),
      MakeFinding("F-3", "A-1", "8.6.1", FindingGrade::kMinor, "2026-01-15"),
      MakeFinding("F-4", "A-1", "8.6.1", FindingGrade::kObservation, "2026-01-15"),
      MakeFinding("F-5", "A-1", "7.5.3", FindingGrade::kMinor, "2026-01-15"),
      MakeFinding("F-6", "A-1", "7.5.3", FindingGrade::kMinor, "2026-01-15"),
      MakeFinding("F-7", "A-1", "7.5.3", FindingGrade::kMinor, "2026-01-15"),
      MakeFinding("F-8", "A-1", "8.5.1", FindingGrade::kMajor, "2026-01-15"),
  };
  CertificationPolicy p;
  std::vector<SystemicWarning> w = SystemicWarnings(findings, p);
  ASSERT_EQ(2u, w.size());
  EXPECT_EQ("7.5.3", w[0].clause);
  EXPECT_EQ((std::vector<std::string>{"F-5", "F-6", "F-7"}), w[0].finding_ids);
  EXPECT_EQ("clause 7.5.3: 3 minor nonconformities (F-5, F-6, F-7): possible systemic failure (major)", w[0].message);
  EXPECT_EQ("clause 8.6.1: 2 minor nonconformities (F-1, F-3): possible systemic failure (major)", w[1].message);
  p.systemic_minor_threshold = 3;
  w = SystemicWarnings(findings, p);
  ASSERT_EQ(1u, w.size());
  EXPECT_EQ("7.5.3", w[0].clause);
  p.systemic_minor_threshold = 4;
  EXPECT_TRUE(SystemicWarnings(findings, p).empty());
}

// ---------------------------------------------------------------------------
// Programme.

ClientHistory Certified(const char* decision) {
  ClientHistory h;
  h.decisions.push_back(CertificationDecision{D(decision), DecisionKind::kInitial, "Dana Decider"});
  return h;
}

const ProgrammeItem* Find(const ProgrammeStatus& p, ProgrammeItemKind kind, int year = 0) {
  for (const ProgrammeItem& i : p.items) {
    if (i.kind == kind && i.calendar_year == year) return &i;
  }
  return nullptr;
}

std::string Summary(const ProgrammeStatus& p) {
  std::string s;
  for (const ProgrammeItem& i : p.items) {
    s += std::string(ProgrammeItemKindName(i.kind));
    if (i.calendar_year != 0) s += " " + std::to_string(i.calendar_year);
    s += " " + (i.window_start ? i.window_start->ToString() : std::string("-")) + ".." +
         (i.window_end ? i.window_end->ToString() : std::string("-")) + " " + std::string(ItemStateName(i.state)) +
         "\n";
  }
  return s;
}

TEST(ProgrammeCalendar, DecemberDecisionCoversTheNextTwoCalendarYears) {
  ClientHistory h = Certified("2025-12-20");
  ProgrammeStatus p = ComputeProgramme(h, D("2026-05-01"), CertificationPolicy{});
  ASSERT_OK(p.status);
  EXPECT_TRUE(p.certified);
  EXPECT_EQ(D("2028-12-20"), p.expiry);
  EXPECT_EQ(D("2029-06-20"), p.restoration_deadline);
  EXPECT_EQ(CertificateStatus::kActive, p.certificate_status);
  EXPECT_EQ(
      "first-surveillance 2026-09-20..2026-12-20 not-due\n"
      "calendar-year-surveillance 2026 2026-01-01..2026-12-31 due\n"
      "calendar-year-surveillance 2027 2027-01-01..2027-12-31 not-due\n"
      "recertification 2028-09-19..2028-12-19 not-due\n",
      Summary(p));
  EXPECT_EQ("first surveillance no later than 2026-12-20 (12 months after the decision of 2025-12-20)",
            Find(p, ProgrammeItemKind::kFirstSurveillance)->description);
  EXPECT_EQ("recertification audit completed before the expiry 2028-12-20 (no later than 2028-12-19)",
            Find(p, ProgrammeItemKind::kRecertification)->description);
}

TEST(ProgrammeCalendar, FirstSurveillanceTwelveMonthEdge) {
  const struct {
    const char* surveillance_end;  // "" for none
    const char* today;
    ItemState first;
    ItemState year2026;
  } cases[] = {
      {"", "2026-09-19", ItemState::kNotDue, ItemState::kDue},
      {"", "2026-09-20", ItemState::kDue, ItemState::kDue},
      {"", "2026-12-20", ItemState::kDue, ItemState::kDue},
      {"", "2026-12-21", ItemState::kOverdue, ItemState::kDue},
      {"", "2027-01-01", ItemState::kOverdue, ItemState::kOverdue},
      {"2026-12-20", "2027-01-05", ItemState::kDone, ItemState::kDone},
      {"2026-12-21", "2027-01-05", ItemState::kDoneLate, ItemState::kDone},
      // Held in the decision year: within 12 months, but calendar 2026 still
      // needs its own surveillance.
      {"2025-12-29", "2026-05-01", ItemState::kDone, ItemState::kDue},
      // Held on 2027-01-02: late for both rules, and it counts for 2027.
      {"2027-01-02", "2027-01-05", ItemState::kDoneLate, ItemState::kOverdue},
  };
  for (const auto& c : cases) {
    ClientHistory h = Certified("2025-12-20");
    if (*c.surveillance_end)
      h.audits.push_back(Held("S-1", AuditType::kSurveillance, c.surveillance_end, c.surveillance_end));
    ProgrammeStatus p = ComputeProgramme(h, D(c.today), CertificationPolicy{});
    ASSERT_OK(p.status);
    const ProgrammeItem* first = Find(p, ProgrammeItemKind::kFirstSurveillance);
    const ProgrammeItem* y2026 = Find(p, ProgrammeItemKind::kCalendarYearSurveillance, 2026);
    ASSERT_NE(nullptr, first);
    ASSERT_NE(nullptr, y2026);
    EXPECT_EQ(c.first, first->state) << c.surveillance_end << " today " << c.today << "\n" << Summary(p);
    EXPECT_EQ(c.year2026, y2026->state) << c.surveillance_end << " today " << c.today << "\n" << Summary(p);
  }
}

TEST(ProgrammeCalendar, YearTwoDoneByLaterSurveillance) {
  ClientHistory h = Certified("2025-12-20");
  h.audits.push_back(Held("S-1", AuditType::kSurveillance, "2026-11-02", "2026-11-03"));
  h.audits.push_back(Held("S-2", AuditType::kSurveillance, "2027-10-11", "2027-10-12"));
  h.audits.push_back(Planned("R-1", AuditType::kRecertification, "2028-10-02", "2028-10-04"));
  ProgrammeStatus p = ComputeProgramme(h, D("2028-01-10"), CertificationPolicy{});
  ASSERT_OK(p.status);
  EXPECT_EQ(
      "first-surveillance 2026-09-20..2026-12-20 done\n"
      "calendar-year-surveillance 2026 2026-01-01..2026-12-31 done\n"
      "calendar-year-surveillance 2027 2027-01-01..2027-12-31 done\n"
      "recertification 2028-09-19..2028-12-19 not-due\n",
      Summary(p));
  const ProgrammeItem* y2027 = Find(p, ProgrammeItemKind::kCalendarYearSurveillance, 2027);
  EXPECT_EQ("S-2", y2027->audit_id);
  EXPECT_EQ("surveillance in calendar year 2027; done 2027-10-12 (S-2)", y2027->description);
  const ProgrammeItem* recert = Find(p, ProgrammeItemKind::kRecertification);
  EXPECT_EQ(D("2028-10-04"), recert->planned_on);
  EXPECT_FALSE(recert->planned_late);
  EXPECT_EQ("R-1", recert->audit_id);
}

TEST(ProgrammeCalendar, RecertificationYearFollowsTheRecertificationAudit) {
  // Decision 2025-01-10: expiry 2028-01-10, so by default the recertification
  // year is 2028 and 2026 and 2027 each need a surveillance. A recertification
  // audit planned for November 2027 makes 2027 the recertification year.
  ClientHistory h = Certified("2025-01-10");
  ProgrammeStatus p = ComputeProgramme(h, D("2025-03-01"), CertificationPolicy{});
  ASSERT_OK(p.status);
  EXPECT_EQ(
      "first-surveillance 2025-10-10..2026-01-10 not-due\n"
      "calendar-year-surveillance 2026 2026-01-01..2026-12-31 not-due\n"
      "calendar-year-surveillance 2027 2027-01-01..2027-12-31 not-due\n"
      "recertification 2027-10-09..2028-01-09 not-due\n",
      Summary(p));
  h.audits.push_back(Planned("R-1", AuditType::kRecertification, "2027-11-15", "2027-11-17"));
  p = ComputeProgramme(h, D("2025-03-01"), CertificationPolicy{});
  EXPECT_EQ(
      "first-surveillance 2025-10-10..2026-01-10 not-due\n"
      "calendar-year-surveillance 2026 2026-01-01..2026-12-31 not-due\n"
      "recertification 2027-10-09..2028-01-09 not-due\n",
      Summary(p));
  // Recertification held after expiry is late.
  h.audits[0] = Held("R-1", AuditType::kRecertification, "2028-01-09", "2028-01-10");
  p = ComputeProgramme(h, D("2028-01-12"), CertificationPolicy{});
  EXPECT_EQ(ItemState::kDoneLate, Find(p, ProgrammeItemKind::kRecertification)->state);
  h.audits[0] = Held("R-1", AuditType::kRecertification, "2028-01-08", "2028-01-09");
  p = ComputeProgramme(h, D("2028-01-12"), CertificationPolicy{});
  EXPECT_EQ(ItemState::kDone, Find(p, ProgrammeItemKind::kRecertification)->state);
}

TEST(ProgrammeCalendar, LeapDayDecision) {
  ClientHistory h = Certified("2024-02-29");
  ProgrammeStatus p = ComputeProgramme(h, D("2024-03-01"), CertificationPolicy{});
  ASSERT_OK(p.status);
  EXPECT_EQ(D("2027-02-28"), p.expiry);
  EXPECT_EQ(D("2027-08-28"), p.restoration_deadline);
  EXPECT_EQ(D("2025-02-28"), Find(p, ProgrammeItemKind::kFirstSurveillance)->window_end);
  EXPECT_EQ(D("2024-11-28"), Find(p, ProgrammeItemKind::kFirstSurveillance)->window_start);
}

TEST(ProgrammeCalendar, PlannedAfterTheLimitIsFlagged) {
  ClientHistory h = Certified("2025-12-20");
  h.audits.push_back(Planned("S-1", AuditType::kSurveillance, "2026-12-20", "2026-12-21"));
  ProgrammeStatus p = ComputeProgramme(h, D("2026-10-01"), CertificationPolicy{});
  const ProgrammeItem* first = Find(p, ProgrammeItemKind::kFirstSurveillance);
  EXPECT_TRUE(first->planned_late);
  EXPECT_EQ(ItemState::kDue, first->state);
  EXPECT_EQ(
      "first surveillance no later than 2026-12-20 (12 months after the decision of 2025-12-20); planned 2026-12-21 "
      "(S-1), after the limit",
      first->description);
}

TEST(ProgrammeRestoration, InsideAndOutsideSixMonthsAfterExpiry) {
  const struct {
    const char* today;
    bool expired, restorable, stage2;
    CertificateStatus status;
  } cases[] = {
      {"2028-12-19", false, false, false, CertificateStatus::kActive},
      {"2028-12-20", true, true, false, CertificateStatus::kExpired},
      {"2029-06-20", true, true, false, CertificateStatus::kExpired},
      {"2029-06-21", true, false, true, CertificateStatus::kExpired},
  };
  for (const auto& c : cases) {
    ProgrammeStatus p = ComputeProgramme(Certified("2025-12-20"), D(c.today), CertificationPolicy{});
    ASSERT_OK(p.status);
    EXPECT_EQ(c.expired, p.expired) << c.today;
    EXPECT_EQ(c.restorable, p.restoration_possible) << c.today;
    EXPECT_EQ(c.stage2, p.stage2_required) << c.today;
    EXPECT_EQ(c.status, p.certificate_status) << c.today;
    const ProgrammeItem* restore = Find(p, ProgrammeItemKind::kRestoration);
    EXPECT_EQ(c.expired, restore != nullptr) << c.today;
    if (restore != nullptr) {
      EXPECT_EQ(c.restorable ? ItemState::kDue : ItemState::kOverdue, restore->state) << c.today;
    }
    EXPECT_EQ(c.stage2, Find(p, ProgrammeItemKind::kStage2) != nullptr) << c.today;
  }
  ProgrammeStatus p = ComputeProgramme(Certified("2025-12-20"), D("2029-07-01"), CertificationPolicy{});
  EXPECT_EQ(
      "restoration: complete the outstanding recertification activities and decide no later than 2029-06-20 (6 "
      "months after the expiry 2028-12-20); too late: at least a stage 2 is required",
      Find(p, ProgrammeItemKind::kRestoration)->description);
  EXPECT_EQ(ItemState::kOverdue, Find(p, ProgrammeItemKind::kRecertification)->state);
}

TEST(ProgrammeDecisions, RenewalAndRestorationCycles) {
  const struct {
    DecisionKind kind;
    const char* date;
    bool keep_expiry;
    const char* expiry;  // "" when rejected
    const char* error;
    CertificateStatus status;
  } cases[] = {
      {DecisionKind::kRecertification, "2028-10-01", true, "2031-12-20", "", CertificateStatus::kActive},
      {DecisionKind::kRecertification, "2028-10-01", false, "2031-10-01", "", CertificateStatus::kActive},
      {DecisionKind::kRecertification, "2028-12-19", true, "2031-12-20", "", CertificateStatus::kActive},
      {DecisionKind::kRecertification, "2028-12-20", true, "",
       "decision of 2028-12-20 (recertification): on or after the expiry 2028-12-20 it renews; record it as a "
       "restoration",
       CertificateStatus::kActive},
      {DecisionKind::kRestoration, "2028-12-20", true, "2031-12-20", "", CertificateStatus::kRestored},
      {DecisionKind::kRestoration, "2029-06-20", false, "2031-12-20", "", CertificateStatus::kRestored},
      {DecisionKind::kRestoration, "2029-06-21", true, "",
       "decision of 2029-06-21 (restoration): more than 6 months after the expiry 2028-12-20 (limit 2029-06-20); "
       "certification needs at least a stage 2 and a new initial decision",
       CertificateStatus::kActive},
      {DecisionKind::kRestoration, "2028-12-19", true, "",
       "decision of 2028-12-19 (restoration): before the expiry 2028-12-20; record it as a recertification",
       CertificateStatus::kActive},
      {DecisionKind::kInitial, "2029-09-01", true, "2032-09-01", "", CertificateStatus::kActive},
  };
  for (const auto& c : cases) {
    ClientHistory h = Certified("2025-12-20");
    h.decisions.push_back(CertificationDecision{D(c.date), c.kind, "Dana Decider"});
    CertificationPolicy policy;
    policy.renewal_keeps_expiry = c.keep_expiry;
    ProgrammeStatus p = ComputeProgramme(h, D("2029-10-01"), policy);
    if (*c.expiry) {
      ASSERT_OK(p.status);
      EXPECT_EQ(D(c.expiry), p.expiry) << c.date;
      EXPECT_EQ(D(c.date), p.cycle_start);
      EXPECT_EQ(c.kind, p.cycle_kind);
      EXPECT_EQ(c.status, p.certificate_status) << c.date;
      EXPECT_EQ(c.kind == DecisionKind::kInitial, Find(p, ProgrammeItemKind::kFirstSurveillance) != nullptr);
    } else {
      EXPECT_EQ(Status::Code::kInvalidInput, p.status.code());
      EXPECT_EQ(c.error, p.status.message());
      EXPECT_TRUE(p.items.empty());
    }
  }
  ClientHistory lone;
  lone.decisions.push_back(CertificationDecision{D("2026-01-01"), DecisionKind::kRecertification, "X"});
  EXPECT_EQ("decision of 2026-01-01 (recertification): no earlier certification decision to renew",
            CheckClientHistory(lone, CertificationPolicy{}).message());
}

TEST(ProgrammeDecisions, RecertificationCycleHasCalendarYearsOnly) {
  ClientHistory h = Certified("2025-12-20");
  h.decisions.push_back(CertificationDecision{D("2028-11-15"), DecisionKind::kRecertification, "Dana Decider"});
  ProgrammeStatus p = ComputeProgramme(h, D("2029-02-01"), CertificationPolicy{});
  ASSERT_OK(p.status);
  EXPECT_EQ(
      "calendar-year-surveillance 2029 2029-01-01..2029-12-31 due\n"
      "calendar-year-surveillance 2030 2030-01-01..2030-12-31 not-due\n"
      "recertification 2031-09-19..2031-12-19 not-due\n",
      Summary(p));
}

TEST(ProgrammeStage2, BeforeCertification) {
  ClientHistory h;
  h.audits.push_back(Held("A-1", AuditType::kStage1, "2025-06-02", "2025-06-03"));
  h.audits.push_back(Planned("A-2", AuditType::kStage2, "2025-08-25", "2025-08-29"));
  ProgrammeStatus p = ComputeProgramme(h, D("2025-07-01"), CertificationPolicy{});
  ASSERT_OK(p.status);
  EXPECT_FALSE(p.certified);
  EXPECT_EQ("stage1 -..- done\nstage2 -..- due\n", Summary(p));
  EXPECT_EQ("stage 1 audit; done 2025-06-03 (A-1)", p.items[0].description);
  EXPECT_EQ("stage 2 audit; planned 2025-08-29 (A-2)", p.items[1].description);
}

// Stage 2 ends 2025-08-31; its majors must be verified by 2026-02-28.
TEST(ProgrammeStage2, SixMonthRuleEdges) {
  const struct {
    const char* verified;  // "" for not verified
    const char* today;
    ItemState state;
    bool new_stage2;
  } cases[] = {
      {"", "2026-02-28", ItemState::kDue, false},
      {"", "2026-03-01", ItemState::kOverdue, true},
      {"2026-02-28", "2026-03-01", ItemState::kDone, false},
      {"2026-03-01", "2026-03-02", ItemState::kDoneLate, true},
  };
  for (const auto& c : cases) {
    ClientHistory h;
    h.audits.push_back(Held("A-1", AuditType::kStage1, "2025-06-02", "2025-06-03"));
    h.audits.push_back(Held("A-2", AuditType::kStage2, "2025-08-28", "2025-08-31"));
    h.findings.push_back(MakeFinding("F-1", "A-2", "8.5.1.3", FindingGrade::kMajor, "2025-08-31"));
    h.findings.push_back(MakeFinding("F-2", "A-2", "9.2", FindingGrade::kMinor, "2025-08-31"));
    h.nonconformities.push_back(
        *c.verified ? MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31", VerifiedBy(c.verified))
                    : MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31", {{S::kPlanSubmitted, "2025-09-05"}}));
    h.nonconformities.push_back(MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31"));
    ProgrammeStatus p = ComputeProgramme(h, D(c.today), CertificationPolicy{});
    ASSERT_OK(p.status);
    const ProgrammeItem* item = Find(p, ProgrammeItemKind::kStage2MajorVerification);
    ASSERT_NE(nullptr, item);
    EXPECT_EQ(D("2026-02-28"), item->window_end);
    EXPECT_EQ(c.state, item->state) << c.verified << " today " << c.today;
    EXPECT_EQ(c.new_stage2, p.new_stage2_required) << c.verified << " today " << c.today;
    EXPECT_EQ(c.new_stage2 ? std::vector<std::string>{"NC-1"} : std::vector<std::string>{}, p.late_stage2_majors);
    // The major's 90 days ran out on 2025-11-29 unless it was implemented.
    const std::vector<std::string> overdue =
        *c.verified ? std::vector<std::string>{"NC-2"} : std::vector<std::string>{"NC-1", "NC-2"};
    EXPECT_EQ(overdue, p.overdue_nonconformities);
  }
  ClientHistory h;
  h.audits.push_back(Held("A-2", AuditType::kStage2, "2025-08-28", "2025-08-31"));
  h.findings.push_back(MakeFinding("F-1", "A-2", "8.5.1.3", FindingGrade::kMajor, "2025-08-31"));
  h.nonconformities.push_back(MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31"));
  ProgrammeStatus p = ComputeProgramme(h, D("2026-03-01"), CertificationPolicy{});
  EXPECT_EQ(
      "verify the 1 major nonconformities of stage 2 A-2 no later than 2026-02-28 (6 months after its last day "
      "2025-08-31); not met for NC-1: another stage 2 is required",
      Find(p, ProgrammeItemKind::kStage2MajorVerification)->description);
  // Once a decision follows the stage 2, the rule no longer applies.
  h.decisions.push_back(CertificationDecision{D("2025-12-01"), DecisionKind::kInitial, "Dana Decider"});
  p = ComputeProgramme(h, D("2026-03-01"), CertificationPolicy{});
  EXPECT_FALSE(p.new_stage2_required);
  EXPECT_EQ(nullptr, Find(p, ProgrammeItemKind::kStage2MajorVerification));
}

TEST(ProgrammeReminders, OverdueAndReminderLists) {
  ClientHistory h = Certified("2025-12-20");
  h.audits.push_back(Held("S-1", AuditType::kSurveillance, "2026-10-05", "2026-10-06"));
  h.findings.push_back(MakeFinding("F-1", "S-1", "8.6.1", FindingGrade::kMinor, "2026-10-06"));  // due 2026-11-05
  h.findings.push_back(MakeFinding("F-2", "S-1", "8.6.3", FindingGrade::kMinor, "2026-09-20"));  // due 2026-10-20
  h.nonconformities.push_back(MakeNc("NC-1", "F-1", FindingGrade::kMinor, "2026-10-06"));
  h.nonconformities.push_back(MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2026-09-20"));
  ProgrammeStatus p = ComputeProgramme(h, D("2026-10-25"), CertificationPolicy{});
  ASSERT_OK(p.status);
  EXPECT_EQ(std::vector<std::string>{"NC-2"}, p.overdue_nonconformities);
  EXPECT_EQ(std::vector<std::string>{"NC-1"}, p.reminder_nonconformities);
}

TEST(ProgrammeHistory, InconsistentRecordsRejected) {
  auto base = [] {
    ClientHistory h = Certified("2025-12-20");
    h.audits.push_back(Held("S-1", AuditType::kSurveillance, "2026-10-05", "2026-10-06"));
    h.findings.push_back(MakeFinding("F-1", "S-1", "8.6.1", FindingGrade::kMinor, "2026-10-06"));
    h.nonconformities.push_back(MakeNc("NC-1", "F-1", FindingGrade::kMinor, "2026-10-06"));
    return h;
  };
  EXPECT_OK(CheckClientHistory(base(), CertificationPolicy{}));
  const struct {
    void (*mutate)(ClientHistory*);
    const char* message;
  } cases[] = {
      {[](ClientHistory* h) { h->audits[0].actual_end.reset(); }, "audit S-1: completed but has no actual end date"},
      {[](ClientHistory* h) { h->audits.push_back(h->audits[0]); }, "audit S-1: duplicate ID"},
      {[](ClientHistory* h) { h->findings.push_back(h->findings[0]); }, "finding F-1: duplicate ID"},
      {[](ClientHistory* h) { h->nonconformities[0].finding_id = "F-9"; }, "nonconformity NC-1: unknown finding F-9"},
      {[](ClientHistory* h) { h->findings[0].grade = FindingGrade::kOpportunity; },
       "finding F-1 is an opportunity for improvement and cannot carry a nonconformity (NC-1)"},
      {[](ClientHistory* h) { h->nonconformities[0].state = S::kVerified; },
       "nonconformity NC-1: state verified does not match its history, which ends in open"},
      {[](ClientHistory* h) {
         h->nonconformities[0].history.push_back(StateChange{S::kVerified, D("2026-10-10")});
       },
       "nonconformity NC-1 cannot go from open to verified; allowed from open: plan-submitted, escalated"},
      {[](ClientHistory* h) { h->audits[0].planned_end = D("2026-10-01"); },
       "audit S-1: planned end 2026-10-01 is before its start 2026-10-05"},
  };
  for (const auto& c : cases) {
    ClientHistory h = base();
    c.mutate(&h);
    Status st = CheckClientHistory(h, CertificationPolicy{});
    EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << c.message;
    EXPECT_EQ(c.message, st.message());
    EXPECT_EQ(c.message, ComputeProgramme(h, D("2026-11-01"), CertificationPolicy{}).status.message());
  }
}

// ---------------------------------------------------------------------------
// Recommendation.

struct RecCase {
  const char* name;
  std::vector<Nonconformity> ncs;
  const char* today;
  RecommendationKind kind;
  std::vector<std::pair<RecommendationReasonCode, std::string>> reasons;  // code, text
};

TEST(RecommendationReasons, EveryReason) {
  const Audit stage2 = Held("A-2", AuditType::kStage2, "2025-08-28", "2025-08-31");
  const std::vector<Finding> findings = {
      MakeFinding("F-1", "A-2", "8.5.1.3", FindingGrade::kMajor, "2025-08-31"),
      MakeFinding("F-2", "A-2", "9.2", FindingGrade::kMinor, "2025-08-31"),
      MakeFinding("F-3", "A-2", "8.6.1", FindingGrade::kMinor, "2025-08-31"),
      MakeFinding("F-4", "A-0", "8.6.1", FindingGrade::kMinor, "2025-06-03"),
  };
  using R = RecommendationReasonCode;
  using K = RecommendationKind;
  const std::vector<RecCase> cases = {
      {"nothing raised",
       {},
       "2025-09-01",
       K::kRecommend,
       {{R::kNoOpenNonconformities, "no nonconformities were raised"}}},
      {"all verified",
       {MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31", VerifiedBy("2025-10-02")),
        MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31", VerifiedBy("2025-10-02"))},
       "2025-10-03",
       K::kRecommend,
       {{R::kNoOpenNonconformities, "all 2 nonconformities are verified"}}},
      {"open major",
       {MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31",
               {{S::kPlanSubmitted, "2025-09-05"}, {S::kPlanAccepted, "2025-09-10"}})},
       "2025-11-30",
       K::kNotRecommend,
       {{R::kOpenMajor,
         "major nonconformity NC-1 (clause 8.5.1.3) is not verified (state plan-accepted): its correction and "
         "corrective action must be verified before certification"}}},
      {"major unverified past 6 months",
       {MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31", {{S::kPlanSubmitted, "2025-09-05"}})},
       "2026-03-01",
       K::kNewStage2Required,
       {{R::kMajorNotVerifiedInTime,
         "major nonconformity NC-1 (clause 8.5.1.3) was not verified within the 6-month limit 2026-02-28 after the "
         "last day of stage 2 (2025-08-31): another stage 2 is required"}}},
      {"major unverified on the last day",
       {MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31", {{S::kPlanSubmitted, "2025-09-05"}})},
       "2026-02-28",
       K::kNotRecommend,
       {{R::kOpenMajor,
         "major nonconformity NC-1 (clause 8.5.1.3) is not verified (state plan-submitted): its correction and "
         "corrective action must be verified before certification"}}},
      {"major verified one day late",
       {MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31", VerifiedBy("2026-03-01"))},
       "2026-03-02",
       K::kNewStage2Required,
       {{R::kMajorNotVerifiedInTime,
         "major nonconformity NC-1 (clause 8.5.1.3) was verified on 2026-03-01, after the 6-month limit 2026-02-28 "
         "after the last day of stage 2 (2025-08-31): another stage 2 is required"}}},
      {"major verified on the last day",
       {MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31", VerifiedBy("2026-02-28"))},
       "2026-03-02",
       K::kRecommend,
       {{R::kNoOpenNonconformities, "all 1 nonconformity is verified"}}},
      {"minor open",
       {MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31")},
       "2025-10-01",
       K::kNotRecommend,
       {{R::kMinorPlanNotAccepted, "minor nonconformity NC-2 (clause 9.2) has no accepted action plan (state open)"}}},
      {"minor plan submitted",
       {MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31", {{S::kPlanSubmitted, "2025-09-05"}})},
       "2025-10-01",
       K::kNotRecommend,
       {{R::kMinorPlanNotAccepted,
         "minor nonconformity NC-2 (clause 9.2) has no accepted action plan (state plan-submitted)"}}},
      {"minor escalated",
       {MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31", {{S::kEscalated, "2025-10-01"}})},
       "2025-10-02",
       K::kNotRecommend,
       {{R::kMinorPlanNotAccepted,
         "minor nonconformity NC-2 (clause 9.2) has no accepted action plan (state escalated)"}}},
      {"major escalated",
       {MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31", {{S::kEscalated, "2025-12-01"}})},
       "2025-12-02",
       K::kNotRecommend,
       {{R::kOpenMajor,
         "major nonconformity NC-1 (clause 8.5.1.3) is not verified (state escalated): its correction and "
         "corrective action must be verified before certification"}}},
      // Pending: not escalated and not yet due (the due date itself included).
      {"minor open on the last day of the audit",
       {MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31")},
       "2025-08-31",
       K::kRecommendWithConditions,
       {{R::kMinorPlanPending,
         "minor nonconformity NC-2 (clause 9.2) is pending (state open): its action plan is due by 2025-09-30 and "
         "needs acceptance"}}},
      {"minor plan submitted on its due date",
       {MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31", {{S::kPlanSubmitted, "2025-09-05"}})},
       "2025-09-30",
       K::kRecommendWithConditions,
       {{R::kMinorPlanPending,
         "minor nonconformity NC-2 (clause 9.2) is pending (state plan-submitted): its action plan is due by "
         "2025-09-30 and needs acceptance"}}},
      {"major open on the last day of the audit",
       {MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31")},
       "2025-08-31",
       K::kRecommendWithConditions,
       {{R::kMajorPending,
         "major nonconformity NC-1 (clause 8.5.1.3) is pending (state open): its correction and corrective action "
         "are due by 2025-11-29 and must be verified before a certificate is issued or renewed"}}},
      {"major implemented on its due date",
       {MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31",
               {{S::kPlanSubmitted, "2025-09-05"}, {S::kPlanAccepted, "2025-09-10"}, {S::kImplemented, "2025-11-01"}})},
       "2025-11-29",
       K::kRecommendWithConditions,
       {{R::kMajorPending,
         "major nonconformity NC-1 (clause 8.5.1.3) is pending (state implemented): its correction and corrective "
         "action are due by 2025-11-29 and must be verified before a certificate is issued or renewed"}}},
      {"minor plan accepted",
       {MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31",
               {{S::kPlanSubmitted, "2025-09-05"}, {S::kPlanAccepted, "2025-09-10"}})},
       "2025-09-11",
       K::kRecommendWithConditions,
       {{R::kMinorPlanAccepted,
         "minor nonconformity NC-2 (clause 9.2) has an accepted action plan (state plan-accepted); its "
         "implementation is verified at the next audit"}}},
      {"systemic minors and a mix",
       {MakeNc("NC-3", "F-3", FindingGrade::kMinor, "2025-08-31",
               {{S::kPlanSubmitted, "2025-09-05"}, {S::kPlanAccepted, "2025-09-10"}, {S::kImplemented, "2025-09-20"}}),
        MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31",
               {{S::kPlanSubmitted, "2025-09-05"}, {S::kPlanAccepted, "2025-09-10"}}),
        MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31")},
       "2025-11-30",
       K::kNotRecommend,
       {{R::kOpenMajor,
         "major nonconformity NC-1 (clause 8.5.1.3) is not verified (state open): its correction and corrective "
         "action must be verified before certification"},
        {R::kMinorPlanAccepted,
         "minor nonconformity NC-2 (clause 9.2) has an accepted action plan (state plan-accepted); its "
         "implementation is verified at the next audit"},
        {R::kMinorPlanAccepted,
         "minor nonconformity NC-3 (clause 8.6.1) has an accepted action plan (state implemented); its "
         "implementation is verified at the next audit"}}},
  };
  for (const RecCase& c : cases) {
    Recommendation rec = ComputeRecommendation(stage2, findings, c.ncs, D(c.today), CertificationPolicy{});
    EXPECT_EQ(c.kind, rec.kind) << c.name;
    EXPECT_EQ(c.kind, rec.computed) << c.name;
    EXPECT_FALSE(rec.overridden);
    ASSERT_EQ(c.reasons.size(), rec.reasons.size()) << c.name;
    for (size_t i = 0; i < c.reasons.size(); ++i) {
      EXPECT_EQ(c.reasons[i].first, rec.reasons[i].code) << c.name << " #" << i;
      EXPECT_EQ(c.reasons[i].second, rec.reasons[i].text) << c.name << " #" << i;
    }
  }
}

TEST(RecommendationReasons, SystemicWarningIsInformation) {
  const Audit surveillance = Held("S-1", AuditType::kSurveillance, "2026-10-05", "2026-10-06");
  const std::vector<Finding> findings = {
      MakeFinding("F-1", "S-1", "8.6.1", FindingGrade::kMinor, "2026-10-06"),
      MakeFinding("F-2", "S-1", "8.6.1", FindingGrade::kMinor, "2026-10-06"),
  };
  const std::vector<Nonconformity> ncs = {
      MakeNc("NC-1", "F-1", FindingGrade::kMinor, "2026-10-06",
             {{S::kPlanSubmitted, "2026-10-07"}, {S::kPlanAccepted, "2026-10-08"}}),
      MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2026-10-06",
             {{S::kPlanSubmitted, "2026-10-07"}, {S::kPlanAccepted, "2026-10-08"}}),
  };
  Recommendation rec = ComputeRecommendation(surveillance, findings, ncs, D("2026-10-09"), CertificationPolicy{});
  EXPECT_EQ(RecommendationKind::kRecommendWithConditions, rec.kind);
  ASSERT_EQ(3u, rec.reasons.size());
  EXPECT_EQ(RecommendationReasonCode::kPossibleSystemic, rec.reasons[2].code);
  EXPECT_EQ("8.6.1", rec.reasons[2].subject);
  EXPECT_EQ("clause 8.6.1: 2 minor nonconformities (F-1, F-2): possible systemic failure (major)", rec.reasons[2].text);
  // The 6-month rule is for stage 2 only: a surveillance major long open is
  // just an open major.
  const std::vector<Finding> major = {MakeFinding("F-9", "S-1", "8.2", FindingGrade::kMajor, "2026-10-06")};
  rec = ComputeRecommendation(surveillance, major, {MakeNc("NC-9", "F-9", FindingGrade::kMajor, "2026-10-06")},
                              D("2027-06-01"), CertificationPolicy{});
  EXPECT_EQ(RecommendationKind::kNotRecommend, rec.kind);
  EXPECT_EQ(RecommendationReasonCode::kOpenMajor, rec.reasons[0].code);
}

TEST(RecommendationOverride, NeedsAJustification) {
  const Audit stage2 = Held("A-2", AuditType::kStage2, "2025-08-28", "2025-08-31");
  const std::vector<Finding> findings = {MakeFinding("F-2", "A-2", "9.2", FindingGrade::kMinor, "2025-08-31")};
  Recommendation rec =
      ComputeRecommendation(stage2, findings, {MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31")},
                            D("2025-10-01"), CertificationPolicy{});
  ASSERT_EQ(RecommendationKind::kNotRecommend, rec.kind);
  const struct {
    RecommendationKind to;
    const char* justification;
    const char* message;
  } bad[] = {
      {RecommendationKind::kRecommendWithConditions, "",
       "overriding the recommendation not-recommend with recommend-with-conditions needs a recorded justification"},
      {RecommendationKind::kRecommend, " \t\n",
       "overriding the recommendation not-recommend with recommend needs a recorded justification"},
      {RecommendationKind::kNotRecommend, "because",
       "the recommendation is already not-recommend; there is nothing to override"},
  };
  for (const auto& b : bad) {
    Recommendation before = rec;
    Status st = OverrideRecommendation(&rec, b.to, b.justification);
    EXPECT_EQ(Status::Code::kInvalidInput, st.code());
    EXPECT_EQ(b.message, st.message());
    EXPECT_EQ(before.kind, rec.kind);
    EXPECT_EQ(before.reasons.size(), rec.reasons.size());
  }
  ASSERT_OK(OverrideRecommendation(&rec, RecommendationKind::kRecommendWithConditions,
                                   "  the plan was accepted by phone on site; written copy follows  "));
  EXPECT_EQ(RecommendationKind::kRecommendWithConditions, rec.kind);
  EXPECT_EQ(RecommendationKind::kNotRecommend, rec.computed);
  EXPECT_TRUE(rec.overridden);
  EXPECT_EQ("the plan was accepted by phone on site; written copy follows", rec.justification);
  ASSERT_EQ(2u, rec.reasons.size());
  EXPECT_EQ(RecommendationReasonCode::kOverridden, rec.reasons[1].code);
  EXPECT_EQ(
      "the audit team overrode not-recommend with recommend-with-conditions: the plan was accepted by phone on site; "
      "written copy follows",
      rec.reasons[1].text);
}

// ---------------------------------------------------------------------------
// Decision.

TEST(AuditDecision, DecisionMakerWasNotOnTheTeam) {
  const std::vector<TeamMember> team = {
      {"Ana Ruiz", TeamRole::kLeader},
      {"Ben Okafor", TeamRole::kAuditor},
      {"Chen Wei", TeamRole::kTechnicalExpert},
      {"Dora Lind", TeamRole::kObserver},
      {"Ben Okafor", TeamRole::kTechnicalExpert},
  };
  const struct {
    const char* person;
    const char* message;  // "" when allowed
  } cases[] = {
      {"Dana Decider", ""},
      {"Ana Ruizz", ""},
      {"Ana Ruiz",
       "decision maker 'Ana Ruiz' was on the audit team as leader: the certification decision must be made by a "
       "person not involved in the audit"},
      {"  ana ruiz ",
       "decision maker 'ana ruiz' was on the audit team as leader: the certification decision must be made by a "
       "person not involved in the audit"},
      {"Ben Okafor",
       "decision maker 'Ben Okafor' was on the audit team as auditor, technical-expert: the certification decision "
       "must be made by a person not involved in the audit"},
      {"Chen Wei",
       "decision maker 'Chen Wei' was on the audit team as technical-expert: the certification decision must be "
       "made by a person not involved in the audit"},
      {"Dora Lind",
       "decision maker 'Dora Lind' was on the audit team as observer: the certification decision must be made by a "
       "person not involved in the audit"},
      {"", "the certification decision needs a decision maker"},
      {"   ", "the certification decision needs a decision maker"},
  };
  for (const auto& c : cases) {
    Status st = CheckDecisionMaker(c.person, team);
    if (std::string(c.message).empty()) {
      EXPECT_TRUE(st.ok()) << c.person << ": " << st.ToString();
    } else {
      EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << c.person;
      EXPECT_EQ(c.message, st.message());
    }
  }
  EXPECT_OK(CheckDecisionMaker("Ana Ruiz", {}));
}

// ---------------------------------------------------------------------------
// Stage rule and what a certificate needs (issue 18).

AuditRecord Record(const Audit& a, const char* conclusion = "") {
  AuditRecord r;
  r.audit = a;
  r.conclusion = conclusion;
  return r;
}

TEST(AuditStages, Stage2NeedsACompletedStage1OrAnException) {
  ClientAuditData c;
  c.client.id = "ACME";
  const AuditRecord stage2 = Record(Held("S2", AuditType::kStage2, "2026-03-02", "2026-03-05"));
  const std::string need =
      "stage 2 audit 'S2' needs a completed stage 1 of client 'ACME' with its readiness conclusion, or a recorded "
      "exception with its reason";
  const struct {
    const char* name;
    std::vector<AuditRecord> stage1;
    const char* exception;
    const char* message;  // "" when allowed
  } cases[] = {
      {"no stage 1", {}, "", "; the client has no stage 1 audit"},
      {"no stage 1, exception recorded", {}, "transfer from another accredited body; its stage 1 report reviewed", ""},
      {"exception is blank", {}, "  ", "; the client has no stage 1 audit"},
      {"stage 1 only planned",
       {Record(Planned("S1", AuditType::kStage1, "2026-01-10", "2026-01-11"), "ready")},
       "",
       "; stage 1 'S1' is planned"},
      {"stage 1 without its readiness conclusion",
       {Record(Held("S1", AuditType::kStage1, "2026-01-10", "2026-01-11"))},
       "",
       "; stage 1 'S1' has no readiness conclusion recorded"},
      {"stage 1 ended after the stage 2 began",
       {Record(Held("S1", AuditType::kStage1, "2026-03-01", "2026-03-03"), "ready")},
       "",
       "; stage 1 'S1' ended 2026-03-03, after the stage 2 began (2026-03-02)"},
      {"stage 1 ended the day the stage 2 began",
       {Record(Held("S1", AuditType::kStage1, "2026-03-01", "2026-03-02"), "ready for stage 2")},
       "",
       ""},
      {"completed stage 1 with its conclusion",
       {Record(Held("S1", AuditType::kStage1, "2026-01-10", "2026-01-11"), "ready for stage 2")},
       "",
       ""},
  };
  for (const auto& k : cases) {
    c.audits = k.stage1;
    AuditRecord s2 = stage2;
    s2.stage1_exception = k.exception;
    c.audits.push_back(s2);
    Status st = CheckStage1(c, s2);
    if (std::string(k.message).empty()) {
      EXPECT_TRUE(st.ok()) << k.name << ": " << st.ToString();
    } else {
      EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << k.name;
      EXPECT_EQ(need + k.message, st.message()) << k.name;
      EXPECT_EQ("stage1", st.subject().reason) << k.name;
    }
  }
  // Other audit types are not subject to the rule.
  EXPECT_OK(CheckStage1(c, Record(Held("SV", AuditType::kSurveillance, "2027-03-02", "2027-03-03"))));
}

TEST(AuditStages, CertificateNeedsMajorsVerifiedAndMinorPlansAccepted) {
  ClientAuditData c;
  c.client.id = "ACME";
  c.audits.push_back(Record(Held("S1", AuditType::kStage1, "2025-07-01", "2025-07-02"), "ready"));
  c.audits.push_back(Record(Held("A-2", AuditType::kStage2, "2025-08-28", "2025-08-31")));
  c.findings = {MakeFinding("F-1", "A-2", "8.5.1.3", FindingGrade::kMajor, "2025-08-31"),
                MakeFinding("F-2", "A-2", "9.2", FindingGrade::kMinor, "2025-08-31"),
                MakeFinding("F-3", "A-2", "8.6.1", FindingGrade::kMinor, "2025-08-31")};
  auto with = [&](std::vector<Nonconformity> ncs) {
    c.nonconformities.clear();
    for (Nonconformity& n : ncs) c.nonconformities.push_back(NonconformityRecord{n, "", "", ""});
    return CheckCertificationConditions(c, *c.FindAudit("A-2"));
  };
  const std::string need =
      "a certificate needs every major nonconformity verified and every minor one with an accepted plan: ";
  Status st = with({MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31",
                           {{S::kPlanSubmitted, "2025-09-05"}, {S::kPlanAccepted, "2025-09-10"},
                            {S::kImplemented, "2025-10-01"}}),
                    MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31", {{S::kPlanSubmitted, "2025-09-05"}}),
                    MakeNc("NC-3", "F-3", FindingGrade::kMinor, "2025-08-31", {{S::kEscalated, "2025-10-01"}})});
  EXPECT_EQ(need + "NC-1 (major, implemented), NC-2 (minor, plan-submitted), NC-3 (minor, escalated)", st.message());
  EXPECT_OK(with({MakeNc("NC-1", "F-1", FindingGrade::kMajor, "2025-08-31", VerifiedBy("2025-10-02")),
                  MakeNc("NC-2", "F-2", FindingGrade::kMinor, "2025-08-31",
                         {{S::kPlanSubmitted, "2025-09-05"}, {S::kPlanAccepted, "2025-09-10"}}),
                  MakeNc("NC-3", "F-3", FindingGrade::kMinor, "2025-08-31",
                         {{S::kPlanSubmitted, "2025-09-05"}, {S::kPlanAccepted, "2025-09-10"},
                          {S::kImplemented, "2025-09-20"}})}));
  // The stage rule comes first.
  c.audits.erase(c.audits.begin());
  EXPECT_EQ("stage1", with({}).subject().reason);
  c.audits[0].stage1_exception = "client transferred with a valid stage 1";
  EXPECT_OK(with({}));
}

TEST(AuditCoverage, OneSourceForAnAuditAndTheCycle) {
  ClientAuditData c;
  c.client.id = "ACME";
  AuditRecord s1 = Record(Held("S1", AuditType::kStage1, "2025-07-01", "2025-07-02"), "ready");
  s1.sampled = {{"9.2", "internal audit programme"}};  // stage 1 does not count
  AuditRecord s2 = Record(Held("S2", AuditType::kStage2, "2025-08-28", "2025-08-31"));
  s2.sampled = {{"8.6.1", "30 incidents"}, {"", "a tour of the site"}, {"8.6.1", "all major incidents"}};
  AuditRecord sv = Record(Held("SV1", AuditType::kSurveillance, "2026-06-01", "2026-06-02"));
  sv.sampled = {{"8.5.1.3", "25 changes"}};
  AuditRecord sv2 = Record(Planned("SV2", AuditType::kSurveillance, "2027-06-01", "2027-06-02"));
  sv2.sampled = {{"8.6.3", "10 problems"}, {"8.5.1.3", "changes again"}};
  AuditRecord cancelled = Record(Planned("SP", AuditType::kSpecial, "2026-09-01", "2026-09-01"));
  cancelled.audit.status = AuditStatus::kCancelled;
  cancelled.sampled = {{"10.1", "x"}};
  c.audits = {s1, s2, sv, sv2, cancelled};
  c.findings = {MakeFinding("F-1", "S2", "9.4", FindingGrade::kOpportunity, "2025-08-31"),
                MakeFinding("F-2", "S2", "8.6.1", FindingGrade::kMinor, "2025-08-31")};
  // A sample of the plan or a finding: each clause once, sorted.
  EXPECT_EQ(AuditClauses(s2, c.findings), (std::vector<std::string>{"8.6.1", "9.4"}));
  EXPECT_EQ(AuditClauses(s1, c.findings), (std::vector<std::string>{"9.2"}));

  std::vector<ClauseCoverage> cov = CycleCoverage(c, D("2026-07-01"));
  ASSERT_EQ(4u, cov.size());
  EXPECT_EQ("8.5.1.3", cov[0].clause);
  EXPECT_EQ((std::vector<std::string>{"SV1"}), cov[0].audits);
  EXPECT_EQ((std::vector<std::string>{"SV2"}), cov[0].planned);
  EXPECT_EQ("8.6.1", cov[1].clause);
  EXPECT_EQ((std::vector<std::string>{"S2"}), cov[1].audits);
  EXPECT_EQ("8.6.3", cov[2].clause);
  EXPECT_TRUE(cov[2].audits.empty());
  EXPECT_EQ("9.4", cov[3].clause);
  // The day before the surveillance ended it was still to be held.
  cov = CycleCoverage(c, D("2026-06-01"));
  EXPECT_TRUE(cov[0].audits.empty());
  EXPECT_EQ((std::vector<std::string>{"SV1", "SV2"}), cov[0].planned);

  const std::vector<std::string> auditable = {"4.1", "8.5.1.3", "8.6.1", "8.6.3", "9.2", "9.4", "10.1"};
  CoverageGaps g = CoverageGapsOf(CycleCoverage(c, D("2026-07-01")), auditable);
  EXPECT_EQ((std::vector<std::string>{"4.1", "8.6.3", "9.2", "10.1"}), g.not_covered);
  EXPECT_EQ((std::vector<std::string>{"4.1", "9.2", "10.1"}), g.not_planned);

  // A new cycle starts with the audit of the latest decision: a
  // recertification decided on 2028-06-10 leaves the earlier audits out.
  AuditRecord rc = Record(Held("RC", AuditType::kRecertification, "2028-06-01", "2028-06-02"));
  rc.sampled = {{"4.1", "context"}};
  c.audits.push_back(rc);
  c.decisions.push_back(DecisionRecord{"RC", CertificationDecision{D("2028-06-10"), DecisionKind::kRecertification, "Dana"}, "C-1", std::nullopt});
  g = CoverageGapsOf(CycleCoverage(c, D("2028-07-01")), auditable);
  EXPECT_EQ((std::vector<std::string>{"8.5.1.3", "8.6.1", "8.6.3", "9.2", "9.4", "10.1"}), g.not_covered);
  // Before the decision the old cycle still counts.
  g = CoverageGapsOf(CycleCoverage(c, D("2028-06-05")), auditable);
  EXPECT_EQ((std::vector<std::string>{"8.6.3", "9.2", "10.1"}), g.not_covered);
}

TEST(AuditImpartiality, DecisionMakerComparedByPersonId) {
  std::vector<RegisteredPerson> registry(2);
  registry[0].id = "mkowalczyk";
  registry[0].name = "Marek Kowalczyk";
  registry[0].aliases = {"Dr. Marek Kowalczyk"};
  registry[1].id = "dlee";
  registry[1].name = "Dana Lee";
  EXPECT_EQ("mkowalczyk", PersonKey(" dr. marek kowalczyk ", registry));
  EXPECT_EQ("mkowalczyk", PersonKey("mkowalczyk", registry));
  EXPECT_EQ("name:someone else", PersonKey("Someone Else", registry));

  ClientAuditData c;
  c.client.id = "NW";
  AuditRecord s1 = Record(Held("S1", AuditType::kStage1, "2024-01-15", "2024-01-16"), "ready");
  s1.audit.team = {{"Maria Santos", TeamRole::kLeader}};
  AuditRecord s2 = Record(Held("S2", AuditType::kStage2, "2024-03-04", "2024-03-07"));
  s2.audit.team = {{"Maria Santos", TeamRole::kLeader}};
  AuditRecord sv = Record(Held("SV1", AuditType::kSurveillance, "2025-03-10", "2025-03-12"));
  sv.audit.team = {{"Marek Kowalczyk", TeamRole::kAuditor}};
  AuditRecord rc = Record(Held("RC", AuditType::kRecertification, "2027-03-01", "2027-03-03"));
  rc.audit.team = {{"Maria Santos", TeamRole::kLeader}};
  c.audits = {s1, s2, sv, rc};
  // The initial decision's cycle is S1 and S2: the later surveillance does
  // not count against it.
  EXPECT_OK(CheckDecisionImpartiality(c, c.audits[1], "Dr. Marek Kowalczyk", D("2024-05-13"), registry));
  Status st = CheckDecisionImpartiality(c, c.audits[1], "maria santos", D("2024-05-13"), registry);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  c.decisions.push_back(DecisionRecord{"S2", CertificationDecision{D("2024-05-13"), DecisionKind::kInitial, "dlee"}, "C-1", std::nullopt});
  // The recertification's cycle includes SV1, where the same person (by ID)
  // was an auditor under another spelling.
  st = CheckDecisionImpartiality(c, c.audits[3], "Dr. Marek Kowalczyk", D("2027-04-01"), registry);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ("decision maker 'Dr. Marek Kowalczyk' (person mkowalczyk) took part in audit 'SV1' of this cycle as auditor "
            "(recorded as 'Marek Kowalczyk'): the certification decision must be made by a person not involved in "
            "the audits of the cycle",
            st.message());
  EXPECT_OK(CheckDecisionImpartiality(c, c.audits[3], "dlee", D("2027-04-01"), registry));
  EXPECT_EQ("the certification decision needs a decision maker",
            CheckDecisionImpartiality(c, c.audits[3], "  ", D("2027-04-01"), registry).message());
}

TEST(AuditImpartiality, DeclaredRelationshipExcludesForTwoYears) {
  std::vector<RegisteredPerson> registry(1);
  registry[0].id = "dlee";
  registry[0].name = "Dana Lee";
  ClientAuditData c;
  c.client.id = "NW";
  c.client.declarations = {
      {"dlee", RelationshipKind::kConsulting, D("2022-01-01"), D("2024-03-20"), D("2025-01-10"), "SMS set-up"}};
  const struct {
    const char* on;
    bool excluded;
  } cases[] = {
      {"2021-12-31", false},  // before it began
      {"2022-01-01", true},   // its first day
      {"2025-06-01", true},   // inside two years after it ended
      {"2026-03-20", true},   // two years after its last day: still inside
      {"2026-03-21", false},  // outside
  };
  for (const auto& k : cases) {
    Status st = CheckDeclaredRelationships(c, "Dana Lee", D(k.on), registry, "audit 'A'");
    EXPECT_EQ(k.excluded, !st.ok()) << k.on << ": " << st.ToString();
  }
  EXPECT_EQ("'Dana Lee' (person dlee) declared a consulting relationship with client 'NW' from 2022-01-01 until "
            "2024-03-20 (declared 2025-01-10): within two years before 2025-06-01 it excludes them from audit 'A'",
            CheckDeclaredRelationships(c, "Dana Lee", D("2025-06-01"), registry, "audit 'A'").message());
  // Still going on: excluded whatever the date after it began.
  c.client.declarations[0].until.reset();
  c.client.declarations[0].kind = RelationshipKind::kEmployment;
  EXPECT_FALSE(CheckDeclaredRelationships(c, "dlee", D("2030-01-01"), registry, "x").ok());
  // Another person is not concerned.
  EXPECT_OK(CheckDeclaredRelationships(c, "Ben Okafor", D("2025-06-01"), registry, "x"));
}

TEST(AuditCompetence, TeamCoversTheScopeOrSaysWhatIsMissing) {
  std::vector<RegisteredPerson> registry(2);
  registry[0].id = "ana";
  registry[0].name = "Ana Ruiz";
  registry[0].areas = {"Service desk", "networks"};
  registry[0].qualifications = {{"lead auditor", "2020-01-01", "2026-03-01"}};
  registry[1].id = "ben";
  registry[1].name = "Ben Okafor";
  registry[1].areas = {"cloud operations"};
  registry[1].qualifications = {{"auditor", "2021-01-01", "2026-03-02"}, {"ITIL", "2019-01-01", ""}};
  Client client;
  client.id = "ACME";
  client.technical_areas = {"service desk", "cloud operations", "data centre"};
  AuditRecord a = Record(Planned("A-1", AuditType::kStage2, "2026-03-02", "2026-03-04"));
  a.audit.team = {{"Ana Ruiz", TeamRole::kLeader}, {"Chen Wei", TeamRole::kAuditor}};
  TeamCompetence tc = CheckTeamCompetence(client, a, registry);
  EXPECT_EQ(D("2026-03-02"), tc.day);
  ASSERT_EQ(1u, tc.covered.size());
  EXPECT_EQ("service desk", tc.covered[0].first);
  EXPECT_EQ((std::vector<std::string>{"ana"}), tc.covered[0].second);
  EXPECT_EQ((std::vector<std::string>{"cloud operations", "data centre"}), tc.missing);
  // Valid until the day before the audit's first day: lapsed.
  EXPECT_EQ((std::vector<std::string>{"ana: lead auditor (valid until 2026-03-01)"}), tc.lapsed);
  EXPECT_EQ((std::vector<std::string>{"Chen Wei"}), tc.unknown);
  ASSERT_EQ(2u, tc.members.size());
  EXPECT_EQ("Ana Ruiz", tc.members[0].name);
  EXPECT_TRUE(tc.members[0].qualifications.empty());
  ASSERT_EQ(1u, tc.members[0].lapsed.size());
  EXPECT_EQ("", tc.members[1].id);
  EXPECT_TRUE(tc.HasGap());
  // Ben (by ID) covers cloud operations; his qualification valid until the
  // first day itself has not lapsed.
  a.audit.team.push_back({"ben", TeamRole::kAuditor});
  tc = CheckTeamCompetence(client, a, registry);
  EXPECT_EQ((std::vector<std::string>{"data centre"}), tc.missing);
  EXPECT_EQ(1u, tc.lapsed.size());
  EXPECT_EQ(2u, tc.members[2].qualifications.size());
  // The same person twice (by name and by ID) is one member.
  a.audit.team.push_back({"Ben Okafor", TeamRole::kTechnicalExpert});
  EXPECT_EQ(3u, CheckTeamCompetence(client, a, registry).members.size());
  // A client without technical areas has nothing missing.
  client.technical_areas.clear();
  EXPECT_TRUE(CheckTeamCompetence(client, a, registry).missing.empty());
}

TEST(AuditCompetence, ObserversCoverNothingAndRenewedQualificationsCount) {
  std::vector<RegisteredPerson> registry(2);
  registry[0].id = "ana";
  registry[0].name = "Ana Ruiz";
  registry[0].areas = {"service desk"};
  // Renewed: the first lapsed before the audit, the second is valid then.
  registry[0].qualifications = {{"Lead auditor", "2020-01-01", "2025-12-31"}, {"lead auditor", "2026-01-01", ""}};
  registry[1].id = "tom";
  registry[1].name = "Tom Ellis";
  registry[1].areas = {"data centre"};
  // Not valid yet on the first day.
  registry[1].qualifications = {{"auditor", "2026-03-03", "2029-03-02"}};
  Client client;
  client.technical_areas = {"service desk", "data centre"};
  AuditRecord a = Record(Planned("A-1", AuditType::kStage2, "2026-03-02", "2026-03-04"));
  a.audit.team = {{"ana", TeamRole::kLeader}, {"tom", TeamRole::kObserver}};
  TeamCompetence tc = CheckTeamCompetence(client, a, registry);
  EXPECT_EQ((std::vector<std::string>{"data centre"}), tc.missing);  // an observer covers no area
  EXPECT_TRUE(tc.lapsed.empty());  // renewed; an observer's are not counted
  EXPECT_FALSE(tc.members[1].counts);
  EXPECT_EQ(1u, tc.members[0].qualifications.size());
  EXPECT_TRUE(tc.members[0].lapsed.empty());
  // The same person as an auditor covers the area, but the qualification is
  // not valid yet on the first day.
  a.audit.team[1].role = TeamRole::kAuditor;
  tc = CheckTeamCompetence(client, a, registry);
  EXPECT_TRUE(tc.missing.empty());
  EXPECT_EQ((std::vector<std::string>{"tom: auditor (valid from 2026-03-03)"}), tc.lapsed);
}

TEST(AuditCompetence, ADecisionNeedsACompetentTeamOrAJustification) {
  std::vector<RegisteredPerson> registry(3);
  registry[0] = {"ana", "Ana Ruiz", "", {}, {}, {{"lead auditor", "2020-01-01", "2028-01-01"}}, {"service desk"}, {}};
  registry[1] = {"pri", "Priya Raman", "", {}, {}, {{"technical expert", "2020-01-01", ""}}, {"cloud operations"}, {}};
  registry[2] = {"old", "Olaf Old", "", {}, {}, {{"auditor", "2010-01-01", "2026-03-01"}}, {"cloud operations"}, {}};
  Client client;
  client.id = "ACME";
  client.technical_areas = {"service desk", "cloud operations"};
  AuditRecord a = Record(Held("S2", AuditType::kStage2, "2026-03-02", "2026-03-04"));
  a.audit.team = {{"ana", TeamRole::kLeader}};
  const struct {
    const char* name;
    std::vector<TeamMember> more;
    const char* justification;
    const char* gaps;  // "" when the decision may be taken
  } cases[] = {
      {"an area no member covers", {}, "", "no member is competent in: cloud operations"},
      {"a technical expert covers it", {{"Priya Raman", TeamRole::kTechnicalExpert}}, "", ""},
      {"an observer does not", {{"pri", TeamRole::kObserver}}, "", "no member is competent in: cloud operations"},
      {"covered by a member whose qualification lapsed the day before",
       {{"old", TeamRole::kAuditor}},
       "",
       "qualification lapsed: old: auditor (valid until 2026-03-01)"},
      {"a blank justification is none", {}, " \t", "no member is competent in: cloud operations"},
      {"a recorded justification", {}, "cloud operations out of this audit's sample, agreed by the technical review",
       ""},
  };
  for (const auto& k : cases) {
    AuditRecord x = a;
    for (const TeamMember& m : k.more) x.audit.team.push_back(m);
    x.competence_justification = k.justification;
    Status st = CheckTeamCompetenceForDecision(client, x, registry);
    if (std::string(k.gaps).empty()) {
      EXPECT_TRUE(st.ok()) << k.name << ": " << st.ToString();
      continue;
    }
    EXPECT_EQ(Status::Code::kInvalidInput, st.code()) << k.name;
    EXPECT_EQ("the team of audit 'S2' has competence gaps on its first day 2026-03-02: " + std::string(k.gaps) +
                  "; a certification decision needs a team competent for the client's technical areas, or a recorded "
                  "justification (such as the technical expert who supplied the knowledge)",
              st.message())
        << k.name;
    EXPECT_EQ("competence", st.subject().reason) << k.name;
  }
  // A client whose scope names no technical area: nothing to cover.
  client.technical_areas.clear();
  EXPECT_OK(CheckTeamCompetenceForDecision(client, a, registry));
  // No registry at all: every area is missing.
  client.technical_areas = {"service desk"};
  EXPECT_FALSE(CheckTeamCompetenceForDecision(client, a, {}).ok());
}

}  // namespace
}  // namespace assay
