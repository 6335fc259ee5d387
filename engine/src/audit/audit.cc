#include "assay/audit.h"

#include "assay/assessment.h"
#include "assay/text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace assay {

namespace {

// ---------------------------------------------------------------------------
// Names.

constexpr std::array<std::string_view, 5> kAuditTypeNames = {"stage1", "stage2", "surveillance", "recertification",
                                                             "special"};
constexpr std::array<std::string_view, 4> kAuditStatusNames = {"planned", "in-progress", "completed", "cancelled"};
constexpr std::array<std::string_view, 5> kCertificateStatusNames = {"active", "suspended", "withdrawn", "expired",
                                                                     "restored"};
constexpr std::array<std::string_view, 5> kFindingGradeNames = {"conforming", "major", "minor", "observation",
                                                                "opportunity"};
constexpr std::array<std::string_view, 7> kNonconformityStateNames = {
    "open", "plan-submitted", "plan-accepted", "implemented", "verified", "closed-effective", "escalated"};
constexpr std::array<std::string_view, 4> kTeamRoleNames = {"leader", "auditor", "technical-expert", "observer"};
constexpr std::array<std::string_view, 3> kDecisionKindNames = {"initial", "recertification", "restoration"};
constexpr std::array<std::string_view, 7> kProgrammeItemKindNames = {
    "stage1",          "stage2",     "stage2-major-verification", "first-surveillance", "calendar-year-surveillance",
    "recertification", "restoration"};
constexpr std::array<std::string_view, 5> kItemStateNames = {"not-due", "due", "overdue", "done", "done-late"};
constexpr std::array<std::string_view, 4> kRecommendationKindNames = {"recommend", "recommend-with-conditions",
                                                                      "not-recommend", "new-stage2-required"};
constexpr std::array<std::string_view, 3> kActivityModeNames = {"on-site", "off-site", "remote"};
constexpr std::array<std::string_view, 3> kAccompanyingRoleNames = {"guide", "interpreter", "observer"};
constexpr std::array<std::string_view, 4> kAuditCombinationNames = {"single", "combined", "joint", "integrated"};
constexpr std::array<std::string_view, 2> kRelationshipKindNames = {"consulting", "employment"};
constexpr std::array<std::string_view, 3> kMarksControlNames = {"controlled", "not-controlled", "not-applicable"};
constexpr std::array<std::string_view, 9> kReasonCodeNames = {"no-open-nonconformities",
                                                              "minor-plan-accepted",
                                                              "minor-plan-not-accepted",
                                                              "open-major",
                                                              "major-not-verified-in-time",
                                                              "possible-systemic",
                                                              "overridden",
                                                              "major-pending",
                                                              "minor-plan-pending"};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names, E value) {
  const auto i = static_cast<size_t>(value);
  return i < N ? names[i] : std::string_view("?");
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

template <typename E, size_t N>
Status ParseName(std::string_view what, const std::array<std::string_view, N>& names, std::string_view text, E* out) {
  const std::string_view t = Trim(text);
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == t) {
      *out = static_cast<E>(i);
      return Status::OK();
    }
  }
  std::string list;
  std::vector<std::string> all;
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) list += ", ";
    list += names[i];
    all.emplace_back(names[i]);
  }
  return Status::InvalidInput("unknown " + std::string(what) + " '" + std::string(text) + "': expected one of " + list)
      .About(std::string(what), std::string(text), NearestIds(t, all));
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string GradeWord(FindingGrade grade) {
  switch (grade) {
    case FindingGrade::kConforming:
      return "conforming";
    case FindingGrade::kMajor:
      return "a major nonconformity";
    case FindingGrade::kMinor:
      return "a minor nonconformity";
    case FindingGrade::kObservation:
      return "an observation";
    case FindingGrade::kOpportunity:
      return "an opportunity for improvement";
  }
  return "?";
}

bool IsVerifiedState(NonconformityState s) {
  return s == NonconformityState::kVerified || s == NonconformityState::kClosedEffective;
}

bool IsCompleted(const Audit& a) { return a.status == AuditStatus::kCompleted && a.actual_end.has_value(); }
bool IsPlanned(const Audit& a) { return a.status == AuditStatus::kPlanned || a.status == AuditStatus::kInProgress; }

// ---------------------------------------------------------------------------
// Cycle of decisions.

struct Cycle {
  bool certified = false;
  Date start;
  DecisionKind kind = DecisionKind::kInitial;
  Date expiry;
  Date last_decision;  // latest decision of any kind
};

std::vector<CertificationDecision> SortedDecisions(const std::vector<CertificationDecision>& decisions) {
  std::vector<CertificationDecision> sorted = decisions;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const CertificationDecision& a, const CertificationDecision& b) { return a.date < b.date; });
  return sorted;
}

Status WalkDecisions(const std::vector<CertificationDecision>& decisions, const CertificationPolicy& policy,
                     Cycle* cycle) {
  *cycle = Cycle{};
  for (const CertificationDecision& d : SortedDecisions(decisions)) {
    const std::string where = "decision of " + d.date.ToString() + " (" + std::string(DecisionKindName(d.kind)) + ")";
    switch (d.kind) {
      case DecisionKind::kInitial:
        cycle->expiry = d.date.AddMonths(kCertificateValidityMonths);
        break;
      case DecisionKind::kRecertification:
        if (!cycle->certified) {
          return Status::InvalidInput(where + ": no earlier certification decision to renew");
        }
        if (d.date >= cycle->expiry) {
          return Status::InvalidInput(where + ": on or after the expiry " + cycle->expiry.ToString() +
                                      " it renews; record it as a restoration");
        }
        cycle->expiry = policy.renewal_keeps_expiry ? cycle->expiry.AddMonths(kCertificateValidityMonths)
                                                    : d.date.AddMonths(kCertificateValidityMonths);
        break;
      case DecisionKind::kRestoration: {
        if (!cycle->certified) {
          return Status::InvalidInput(where + ": no earlier certification decision to restore");
        }
        const Date limit = cycle->expiry.AddMonths(kRestorationMonths);
        if (d.date < cycle->expiry) {
          return Status::InvalidInput(where + ": before the expiry " + cycle->expiry.ToString() +
                                      "; record it as a recertification");
        }
        if (d.date > limit) {
          return Status::InvalidInput(where + ": more than 6 months after the expiry " + cycle->expiry.ToString() +
                                      " (limit " + limit.ToString() +
                                      "); certification needs at least a stage 2 and a new initial decision");
        }
        cycle->expiry = cycle->expiry.AddMonths(kCertificateValidityMonths);
        break;
      }
    }
    cycle->certified = true;
    cycle->start = d.date;
    cycle->kind = d.kind;
    cycle->last_decision = d.date;
  }
  return Status::OK();
}

std::string ClauseOf(const std::map<std::string, const Finding*>& findings, const std::string& finding_id) {
  auto it = findings.find(finding_id);
  return it == findings.end() ? std::string("?") : it->second->clause;
}

std::map<std::string, const Finding*> IndexFindings(const std::vector<Finding>& findings) {
  std::map<std::string, const Finding*> index;
  for (const Finding& f : findings) index.emplace(f.id, &f);
  return index;
}

// The date a nonconformity was verified: its kVerified entry, if any.
std::optional<Date> VerifiedOn(const Nonconformity& nc) {
  if (!IsVerifiedState(nc.state)) return std::nullopt;
  return DateReached(nc, NonconformityState::kVerified);
}

ItemState StateFor(const ProgrammeItem& item, Date today) {
  if (item.done_on) {
    return (item.window_end && *item.done_on > *item.window_end) ? ItemState::kDoneLate : ItemState::kDone;
  }
  if (item.window_end && today > *item.window_end) return ItemState::kOverdue;
  if (item.window_start && today < *item.window_start) return ItemState::kNotDue;
  return ItemState::kDue;
}

// Fills done_on/audit_id from the first completed audit of `type` whose
// actual_end satisfies `in`, else planned_on from the first planned one whose
// planned_end satisfies `in`; then the state.
template <typename Pred>
void Fulfil(ProgrammeItem* item, const std::vector<Audit>& audits, AuditType type, Date today, Pred in) {
  const Audit* done = nullptr;
  const Audit* planned = nullptr;
  for (const Audit& a : audits) {
    if (a.type != type) continue;
    if (IsCompleted(a) && in(*a.actual_end)) {
      if (done == nullptr || *a.actual_end < *done->actual_end) done = &a;
    } else if (IsPlanned(a) && in(a.planned_end)) {
      if (planned == nullptr || a.planned_end < planned->planned_end) planned = &a;
    }
  }
  if (done != nullptr) {
    item->done_on = done->actual_end;
    item->audit_id = done->id;
  } else if (planned != nullptr) {
    item->planned_on = planned->planned_end;
    item->audit_id = planned->id;
    item->planned_late = item->window_end.has_value() && planned->planned_end > *item->window_end;
  }
  item->state = StateFor(*item, today);
}

std::string DoneSuffix(const ProgrammeItem& item) {
  if (item.done_on) return "; done " + item.done_on->ToString() + " (" + item.audit_id + ")";
  if (item.planned_on) {
    return "; planned " + item.planned_on->ToString() + " (" + item.audit_id + ")" +
           (item.planned_late ? ", after the limit" : "");
  }
  return "";
}

int ReasonRank(RecommendationReasonCode code) {
  switch (code) {
    case RecommendationReasonCode::kMajorNotVerifiedInTime:
      return 0;
    case RecommendationReasonCode::kOpenMajor:
      return 1;
    case RecommendationReasonCode::kMinorPlanNotAccepted:
      return 2;
    case RecommendationReasonCode::kMajorPending:
      return 3;
    case RecommendationReasonCode::kMinorPlanPending:
      return 4;
    case RecommendationReasonCode::kMinorPlanAccepted:
      return 5;
    case RecommendationReasonCode::kNoOpenNonconformities:
      return 6;
    case RecommendationReasonCode::kPossibleSystemic:
      return 7;
    case RecommendationReasonCode::kOverridden:
      return 8;
  }
  return 9;
}

int KindSeverity(RecommendationKind kind) { return static_cast<int>(kind); }

// A nonconformity not escalated whose due date has not passed: its plan (or,
// for a major, its corrective action) is not yet due, so it counts as a
// condition, not as grounds for not recommending.
bool Pending(const Nonconformity& nc, Date today) {
  return nc.state != NonconformityState::kEscalated && !(nc.due_date < today);
}

}  // namespace

// ---------------------------------------------------------------------------
// Names.

std::string_view AuditTypeName(AuditType type) { return NameOf(kAuditTypeNames, type); }
Status ParseAuditType(std::string_view text, AuditType* out) {
  return ParseName("audit type", kAuditTypeNames, text, out);
}
std::string_view AuditStatusName(AuditStatus status) { return NameOf(kAuditStatusNames, status); }
Status ParseAuditStatus(std::string_view text, AuditStatus* out) {
  return ParseName("audit status", kAuditStatusNames, text, out);
}
std::string_view CertificateStatusName(CertificateStatus status) { return NameOf(kCertificateStatusNames, status); }
Status ParseCertificateStatus(std::string_view text, CertificateStatus* out) {
  return ParseName("certificate status", kCertificateStatusNames, text, out);
}
std::string_view FindingGradeName(FindingGrade grade) { return NameOf(kFindingGradeNames, grade); }
Status ParseFindingGrade(std::string_view text, FindingGrade* out) {
  return ParseName("finding grade", kFindingGradeNames, text, out);
}
bool IsNonconformityGrade(FindingGrade grade) { return grade == FindingGrade::kMajor || grade == FindingGrade::kMinor; }
std::string_view NonconformityStateName(NonconformityState state) { return NameOf(kNonconformityStateNames, state); }
Status ParseNonconformityState(std::string_view text, NonconformityState* out) {
  return ParseName("nonconformity state", kNonconformityStateNames, text, out);
}
std::string_view TeamRoleName(TeamRole role) { return NameOf(kTeamRoleNames, role); }
Status ParseTeamRole(std::string_view text, TeamRole* out) { return ParseName("team role", kTeamRoleNames, text, out); }
std::string_view DecisionKindName(DecisionKind kind) { return NameOf(kDecisionKindNames, kind); }
Status ParseDecisionKind(std::string_view text, DecisionKind* out) {
  return ParseName("decision kind", kDecisionKindNames, text, out);
}
std::string_view ProgrammeItemKindName(ProgrammeItemKind kind) { return NameOf(kProgrammeItemKindNames, kind); }
std::string_view ItemStateName(ItemState state) { return NameOf(kItemStateNames, state); }
std::string_view RecommendationKindName(RecommendationKind kind) { return NameOf(kRecommendationKindNames, kind); }
Status ParseRecommendationKind(std::string_view text, RecommendationKind* out) {
  return ParseName("recommendation", kRecommendationKindNames, text, out);
}
std::string_view ReasonCodeName(RecommendationReasonCode code) { return NameOf(kReasonCodeNames, code); }
Status ParseReasonCode(std::string_view text, RecommendationReasonCode* out) {
  return ParseName("recommendation reason", kReasonCodeNames, text, out);
}

std::string_view ActivityModeName(ActivityMode mode) { return NameOf(kActivityModeNames, mode); }
Status ParseActivityMode(std::string_view text, ActivityMode* out) {
  return ParseName("activity mode", kActivityModeNames, text, out);
}
std::string_view AccompanyingRoleName(AccompanyingRole role) { return NameOf(kAccompanyingRoleNames, role); }
Status ParseAccompanyingRole(std::string_view text, AccompanyingRole* out) {
  return ParseName("accompanying role", kAccompanyingRoleNames, text, out);
}
std::string_view AuditCombinationName(AuditCombination kind) { return NameOf(kAuditCombinationNames, kind); }
Status ParseAuditCombination(std::string_view text, AuditCombination* out) {
  return ParseName("audit combination", kAuditCombinationNames, text, out);
}
std::string_view MarksControlName(MarksControl control) { return NameOf(kMarksControlNames, control); }
Status ParseMarksControl(std::string_view text, MarksControl* out) {
  return ParseName("marks control", kMarksControlNames, text, out);
}

// ---------------------------------------------------------------------------
// Certificate status.

std::vector<CertificateStatus> AllowedCertificateTransitions(CertificateStatus from) {
  using C = CertificateStatus;
  switch (from) {
    case C::kActive:
    case C::kRestored:
      return {C::kSuspended, C::kWithdrawn, C::kExpired};
    case C::kSuspended:
      return {C::kActive, C::kWithdrawn, C::kExpired};
    case C::kExpired:
      return {C::kRestored, C::kWithdrawn};
    case C::kWithdrawn:
      return {};
  }
  return {};
}

Status CertificateTransition(CertificateStatus from, CertificateStatus to) {
  const std::vector<CertificateStatus> allowed = AllowedCertificateTransitions(from);
  if (std::find(allowed.begin(), allowed.end(), to) != allowed.end()) return Status::OK();
  const std::string f(CertificateStatusName(from));
  std::string msg = "certificate cannot go from " + f + " to " + std::string(CertificateStatusName(to)) + "; ";
  if (allowed.empty()) return Status::InvalidInput(msg + f + " is final");
  std::vector<std::string> names;
  for (CertificateStatus s : allowed) names.emplace_back(CertificateStatusName(s));
  return Status::InvalidInput(msg + "allowed from " + f + ": " + Join(names, ", "));
}

// ---------------------------------------------------------------------------
// Policy.

Status CheckPolicy(const CertificationPolicy& policy) {
  const std::pair<const char*, int> fields[] = {
      {"major_action_days", policy.major_action_days},
      {"minor_plan_days", policy.minor_plan_days},
      {"reminder_lead_days", policy.reminder_lead_days},
      {"systemic_minor_threshold", policy.systemic_minor_threshold},
      {"planning_window_months", policy.planning_window_months},
  };
  for (const auto& [name, value] : fields) {
    if (value < 1) {
      return Status::InvalidInput("certification policy: " + std::string(name) + " must be at least 1, got " +
                                  std::to_string(value));
    }
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------
// Nonconformity state machine.

std::vector<NonconformityState> AllowedTransitions(NonconformityState from) {
  using S = NonconformityState;
  switch (from) {
    case S::kOpen:
      return {S::kPlanSubmitted, S::kEscalated};
    case S::kPlanSubmitted:
      return {S::kPlanAccepted, S::kOpen, S::kEscalated};
    case S::kPlanAccepted:
      return {S::kImplemented, S::kEscalated};
    case S::kImplemented:
      return {S::kVerified, S::kPlanAccepted, S::kEscalated};
    case S::kVerified:
      return {S::kClosedEffective};
    case S::kClosedEffective:
      return {};
    case S::kEscalated:
      return {S::kPlanSubmitted};
  }
  return {};
}

namespace {

Status TransitionFor(std::string_view subject, NonconformityState from, NonconformityState to) {
  const std::vector<NonconformityState> allowed = AllowedTransitions(from);
  if (std::find(allowed.begin(), allowed.end(), to) != allowed.end()) return Status::OK();
  std::string msg = std::string(subject) + " cannot go from " + std::string(NonconformityStateName(from)) + " to " +
                    std::string(NonconformityStateName(to)) + "; ";
  if (allowed.empty()) {
    msg += std::string(NonconformityStateName(from)) + " is final";
  } else {
    std::vector<std::string> names;
    for (NonconformityState s : allowed) names.emplace_back(NonconformityStateName(s));
    msg += "allowed from " + std::string(NonconformityStateName(from)) + ": " + Join(names, ", ");
  }
  return Status::InvalidInput(msg);
}

}  // namespace

Status Transition(NonconformityState from, NonconformityState to) { return TransitionFor("nonconformity", from, to); }

Status DueDate(FindingGrade grade, Date finding_date, const CertificationPolicy& policy, Date* out) {
  switch (grade) {
    case FindingGrade::kMajor:
      *out = finding_date.AddDays(policy.major_action_days);
      return Status::OK();
    case FindingGrade::kMinor:
      *out = finding_date.AddDays(policy.minor_plan_days);
      return Status::OK();
    case FindingGrade::kConforming:
    case FindingGrade::kObservation:
    case FindingGrade::kOpportunity:
      break;
  }
  return Status::InvalidInput("no due date for a finding graded " + std::string(FindingGradeName(grade)) +
                              ": only major and minor nonconformities have one");
}

bool DeadlineMet(FindingGrade grade, NonconformityState state) {
  using S = NonconformityState;
  switch (state) {
    case S::kOpen:
    case S::kEscalated:
      return false;
    case S::kPlanSubmitted:
    case S::kPlanAccepted:
      return grade != FindingGrade::kMajor;
    case S::kImplemented:
    case S::kVerified:
    case S::kClosedEffective:
      return true;
  }
  return false;
}

bool IsOverdue(const Nonconformity& nc, Date today) { return today > nc.due_date && !DeadlineMet(nc.grade, nc.state); }

bool ReminderDue(const Nonconformity& nc, Date today, const CertificationPolicy& policy) {
  return !DeadlineMet(nc.grade, nc.state) && today <= nc.due_date &&
         today >= nc.due_date.AddDays(-policy.reminder_lead_days);
}

std::optional<Date> DateReached(const Nonconformity& nc, NonconformityState state) {
  for (auto it = nc.history.rbegin(); it != nc.history.rend(); ++it) {
    if (it->state == state) return it->date;
  }
  return std::nullopt;
}

Status ApplyTransition(Nonconformity* nc, NonconformityState to, Date date) {
  const std::string subject = "nonconformity " + nc->id;
  ASSAY_RETURN_IF_ERROR(TransitionFor(subject, nc->state, to));
  if (date < nc->raised) {
    return Status::InvalidInput(subject + ": change on " + date.ToString() + " is before it was raised (" +
                                nc->raised.ToString() + ")");
  }
  if (!nc->history.empty() && date < nc->history.back().date) {
    return Status::InvalidInput(subject + ": change on " + date.ToString() + " is before its last change (" +
                                nc->history.back().date.ToString() + ")");
  }
  if (to == NonconformityState::kEscalated && !IsOverdue(*nc, date)) {
    return Status::InvalidInput(subject + " cannot be escalated on " + date.ToString() + ": it is not overdue (due " +
                                nc->due_date.ToString() + ")");
  }
  nc->state = to;
  nc->history.push_back(StateChange{to, date});
  return Status::OK();
}

// ---------------------------------------------------------------------------
// Findings.

Status CheckAuditFinding(const Finding& finding, const CertificationPolicy& policy) {
  const std::string subject = "finding " + finding.id;
  if (Trim(finding.clause).empty()) return Status::InvalidInput(subject + ": no clause");
  if (Trim(finding.statement).empty()) return Status::InvalidInput(subject + ": no statement");
  if (finding.grade == FindingGrade::kOpportunity && !policy.allow_opportunities) {
    return Status::InvalidInput(subject +
                                ": opportunities for improvement are not allowed by the certification policy");
  }
  return Status::OK();
}

Status CheckNonconformityFinding(const Nonconformity& nc, const Finding& finding) {
  if (nc.finding_id != finding.id) {
    return Status::InvalidInput("nonconformity " + nc.id + " belongs to finding " + nc.finding_id + ", not " +
                                finding.id);
  }
  if (!IsNonconformityGrade(finding.grade)) {
    return Status::InvalidInput("finding " + finding.id + " is " + GradeWord(finding.grade) +
                                " and cannot carry a nonconformity (" + nc.id + ")");
  }
  if (nc.grade != finding.grade) {
    return Status::InvalidInput("nonconformity " + nc.id + " is graded " + std::string(FindingGradeName(nc.grade)) +
                                " but its finding " + finding.id + " is " +
                                std::string(FindingGradeName(finding.grade)));
  }
  return Status::OK();
}

std::vector<SystemicWarning> SystemicWarnings(const std::vector<Finding>& findings, const CertificationPolicy& policy) {
  std::map<std::string, std::vector<std::string>> by_clause;
  for (const Finding& f : findings) {
    if (f.grade == FindingGrade::kMinor) by_clause[std::string(Trim(f.clause))].push_back(f.id);
  }
  std::vector<SystemicWarning> out;
  for (auto& [clause, ids] : by_clause) {
    if (ids.size() < static_cast<size_t>(std::max(policy.systemic_minor_threshold, 1))) continue;
    SystemicWarning w;
    w.clause = clause;
    w.message = "clause " + clause + ": " + std::to_string(ids.size()) + " minor nonconformities (" + Join(ids, ", ") +
                "): possible systemic failure (major)";
    w.finding_ids = std::move(ids);
    out.push_back(std::move(w));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Programme.

Status CheckClientHistory(const ClientHistory& history, const CertificationPolicy& policy) {
  ASSAY_RETURN_IF_ERROR(CheckPolicy(policy));
  Cycle cycle;
  ASSAY_RETURN_IF_ERROR(WalkDecisions(history.decisions, policy, &cycle));

  std::set<std::string> ids;
  for (const Audit& a : history.audits) {
    const std::string subject = "audit " + a.id;
    if (!ids.insert(a.id).second) return Status::InvalidInput(subject + ": duplicate ID");
    if (a.planned_end < a.planned_start) {
      return Status::InvalidInput(subject + ": planned end " + a.planned_end.ToString() + " is before its start " +
                                  a.planned_start.ToString());
    }
    if (a.status == AuditStatus::kCompleted && !a.actual_end) {
      return Status::InvalidInput(subject + ": completed but has no actual end date");
    }
    if (a.actual_start && a.actual_end && *a.actual_end < *a.actual_start) {
      return Status::InvalidInput(subject + ": actual end " + a.actual_end->ToString() + " is before its start " +
                                  a.actual_start->ToString());
    }
  }
  ids.clear();
  for (const Finding& f : history.findings) {
    if (!ids.insert(f.id).second) return Status::InvalidInput("finding " + f.id + ": duplicate ID");
  }
  const std::map<std::string, const Finding*> findings = IndexFindings(history.findings);
  ids.clear();
  for (const Nonconformity& nc : history.nonconformities) {
    const std::string subject = "nonconformity " + nc.id;
    if (!ids.insert(nc.id).second) return Status::InvalidInput(subject + ": duplicate ID");
    auto it = findings.find(nc.finding_id);
    if (it == findings.end()) return Status::InvalidInput(subject + ": unknown finding " + nc.finding_id);
    ASSAY_RETURN_IF_ERROR(CheckNonconformityFinding(nc, *it->second));
    Nonconformity replay = nc;
    replay.state = NonconformityState::kOpen;
    replay.history.clear();
    for (const StateChange& change : nc.history) {
      // Escalation is replayed without the overdue test: the due date may
      // have been moved since.
      if (change.state == NonconformityState::kEscalated) {
        ASSAY_RETURN_IF_ERROR(TransitionFor(subject, replay.state, change.state));
        if (change.date < replay.raised || (!replay.history.empty() && change.date < replay.history.back().date)) {
          return Status::InvalidInput(subject + ": change on " + change.date.ToString() + " is out of date order");
        }
        replay.state = change.state;
        replay.history.push_back(change);
      } else {
        ASSAY_RETURN_IF_ERROR(ApplyTransition(&replay, change.state, change.date));
      }
    }
    if (replay.state != nc.state) {
      return Status::InvalidInput(subject + ": state " + std::string(NonconformityStateName(nc.state)) +
                                  " does not match its history, which ends in " +
                                  std::string(NonconformityStateName(replay.state)));
    }
  }
  return Status::OK();
}

namespace {

// Before the first decision: stage 1 and stage 2.
void AddStageItems(const std::vector<Audit>& audits, Date today, ProgrammeStatus* out) {
  ProgrammeItem s1;
  s1.kind = ProgrammeItemKind::kStage1;
  Fulfil(&s1, audits, AuditType::kStage1, today, [](Date) { return true; });
  s1.description = "stage 1 audit" + DoneSuffix(s1);
  out->items.push_back(s1);
  ProgrammeItem s2;
  s2.kind = ProgrammeItemKind::kStage2;
  Fulfil(&s2, audits, AuditType::kStage2, today, [](Date) { return true; });
  s2.description = "stage 2 audit" + DoneSuffix(s2);
  out->items.push_back(s2);
}

// The 6-month rule for the majors of the latest completed stage 2 not yet
// followed by a decision.
void AddStage2MajorItem(const ClientHistory& history, const Cycle& cycle, Date today, ProgrammeStatus* out) {
  const std::map<std::string, const Finding*> findings = IndexFindings(history.findings);
  const Audit* stage2 = nullptr;
  for (const Audit& a : history.audits) {
    if (a.type == AuditType::kStage2 && IsCompleted(a) && (stage2 == nullptr || *a.actual_end > *stage2->actual_end)) {
      stage2 = &a;
    }
  }
  if (stage2 == nullptr || (cycle.certified && cycle.last_decision >= *stage2->actual_end)) return;
  const Date limit = stage2->actual_end->AddMonths(kStage2MajorVerificationMonths);
  std::vector<const Nonconformity*> majors;
  for (const Nonconformity& nc : history.nonconformities) {
    auto it = findings.find(nc.finding_id);
    if (nc.grade == FindingGrade::kMajor && it != findings.end() && it->second->audit_id == stage2->id) {
      majors.push_back(&nc);
    }
  }
  if (majors.empty()) return;
  ProgrammeItem item;
  item.kind = ProgrammeItemKind::kStage2MajorVerification;
  item.window_start = stage2->actual_end;
  item.window_end = limit;
  item.audit_id = stage2->id;
  bool all_verified = true;
  Date last_verified = *stage2->actual_end;
  for (const Nonconformity* nc : majors) {
    std::optional<Date> verified = VerifiedOn(*nc);
    if (!verified) {
      all_verified = false;
      if (today > limit) out->late_stage2_majors.push_back(nc->id);
    } else {
      last_verified = std::max(last_verified, *verified);
      if (*verified > limit) out->late_stage2_majors.push_back(nc->id);
    }
  }
  if (all_verified) item.done_on = last_verified;
  item.state = StateFor(item, today);
  out->new_stage2_required = !out->late_stage2_majors.empty();
  item.description = "verify the " + std::to_string(majors.size()) + " major nonconformities of stage 2 " + stage2->id +
                     " no later than " + limit.ToString() + " (6 months after its last day " +
                     stage2->actual_end->ToString() + ")";
  if (item.done_on) item.description += "; all verified by " + item.done_on->ToString();
  if (out->new_stage2_required) {
    item.description += "; not met for " + Join(out->late_stage2_majors, ", ") + ": another stage 2 is required";
  }
  out->items.push_back(item);
}

// The dates and status of the current cycle.
void SetCycle(const Cycle& cycle, Date today, ProgrammeStatus* out) {
  const Date e = cycle.expiry;
  out->cycle_start = cycle.start;
  out->cycle_kind = cycle.kind;
  out->expiry = e;
  out->restoration_deadline = e.AddMonths(kRestorationMonths);
  out->expired = today >= e;
  out->restoration_possible = out->expired && today <= *out->restoration_deadline;
  out->stage2_required = out->expired && today > *out->restoration_deadline;
  out->certificate_status = out->expired                               ? CertificateStatus::kExpired
                            : cycle.kind == DecisionKind::kRestoration ? CertificateStatus::kRestored
                                                                       : CertificateStatus::kActive;
}

// The recertification year: the start year of the cycle's recertification
// audit (held, else planned), else that of the expiry - 1 day.
int RecertificationYear(const std::vector<Audit>& audits, const Cycle& cycle) {
  const Audit* held = nullptr;
  const Audit* planned = nullptr;
  for (const Audit& a : audits) {
    if (a.type != AuditType::kRecertification) continue;
    if (IsCompleted(a) && *a.actual_end >= cycle.start) {
      if (held == nullptr || *a.actual_end < *held->actual_end) held = &a;
    } else if (IsPlanned(a) && a.planned_start >= cycle.start) {
      if (planned == nullptr || a.planned_start < planned->planned_start) planned = &a;
    }
  }
  if (held != nullptr) return held->actual_start ? held->actual_start->year() : held->actual_end->year();
  if (planned != nullptr) return planned->planned_start.year();
  return cycle.expiry.AddDays(-1).year();
}

// The surveillances of the cycle: the first (after an initial decision),
// then one per calendar year before the recertification year.
void AddSurveillanceItems(const std::vector<Audit>& audits, const Cycle& cycle, Date today, int lead,
                          ProgrammeStatus* out) {
  const Date d = cycle.start;
  if (cycle.kind == DecisionKind::kInitial) {
    ProgrammeItem first;
    first.kind = ProgrammeItemKind::kFirstSurveillance;
    first.window_end = d.AddMonths(kFirstSurveillanceMonths);
    first.window_start = first.window_end->AddMonths(-lead);
    Fulfil(&first, audits, AuditType::kSurveillance, today, [d](Date x) { return x >= d; });
    first.description = "first surveillance no later than " + first.window_end->ToString() +
                        " (12 months after the decision of " + d.ToString() + ")" + DoneSuffix(first);
    out->items.push_back(first);
  }
  const int recert_year = RecertificationYear(audits, cycle);
  for (int y = d.year() + 1; y < recert_year; ++y) {
    ProgrammeItem item;
    item.kind = ProgrammeItemKind::kCalendarYearSurveillance;
    item.calendar_year = y;
    Date jan1, dec31;
    (void)Date::FromYmd(y, 1, 1, &jan1);
    (void)Date::FromYmd(y, 12, 31, &dec31);
    item.window_start = jan1;
    item.window_end = dec31;
    Fulfil(&item, audits, AuditType::kSurveillance, today, [d, y](Date x) { return x >= d && x.year() == y; });
    item.description = "surveillance in calendar year " + std::to_string(y) + DoneSuffix(item);
    out->items.push_back(item);
  }
}

// The end of the cycle: the recertification audit and, once the
// certificate has expired, its restoration or a new stage 2.
void AddRenewalItems(const std::vector<Audit>& audits, const Cycle& cycle, Date today, int lead, ProgrammeStatus* out) {
  const Date d = cycle.start;
  const Date e = cycle.expiry;
  ProgrammeItem recert;
  recert.kind = ProgrammeItemKind::kRecertification;
  recert.window_end = e.AddDays(-1);
  recert.window_start = recert.window_end->AddMonths(-lead);
  Fulfil(&recert, audits, AuditType::kRecertification, today, [d](Date x) { return x >= d; });
  recert.description = "recertification audit completed before the expiry " + e.ToString() + " (no later than " +
                       recert.window_end->ToString() + ")" + DoneSuffix(recert);
  out->items.push_back(recert);
  if (out->expired) {
    ProgrammeItem restore;
    restore.kind = ProgrammeItemKind::kRestoration;
    restore.window_start = e;
    restore.window_end = out->restoration_deadline;
    restore.state = StateFor(restore, today);
    restore.description =
        "restoration: complete the outstanding recertification activities and decide no later "
        "than " +
        out->restoration_deadline->ToString() + " (6 months after the expiry " + e.ToString() + ")";
    if (out->stage2_required) restore.description += "; too late: at least a stage 2 is required";
    out->items.push_back(restore);
  }
  if (out->stage2_required) {
    ProgrammeItem s2;
    s2.kind = ProgrammeItemKind::kStage2;
    s2.window_start = out->restoration_deadline->AddDays(1);
    const Date after = *out->restoration_deadline;
    Fulfil(&s2, audits, AuditType::kStage2, today, [after](Date x) { return x > after; });
    s2.description = "stage 2 audit: the certificate expired on " + e.ToString() +
                     " and was not restored within 6 months" + DoneSuffix(s2);
    out->items.push_back(s2);
  }
}

// Items in due order (by their latest date, else their first); items
// without dates first.
void SortItems(std::vector<ProgrammeItem>* items) {
  std::stable_sort(items->begin(), items->end(), [](const ProgrammeItem& a, const ProgrammeItem& b) {
    auto key = [](const ProgrammeItem& i) -> std::optional<Date> {
      return i.window_end ? i.window_end : i.window_start;
    };
    const std::optional<Date> ka = key(a), kb = key(b);
    if (!ka || !kb) return !ka && kb.has_value();
    return *ka < *kb;
  });
}

}  // namespace

ProgrammeStatus ComputeProgramme(const ClientHistory& history, Date today, const CertificationPolicy& policy) {
  ProgrammeStatus out;
  out.status = CheckClientHistory(history, policy);
  if (!out.status.ok()) return out;
  Cycle cycle;
  out.status = WalkDecisions(history.decisions, policy, &cycle);
  if (!out.status.ok()) return out;
  for (const Nonconformity& nc : history.nonconformities) {
    if (IsOverdue(nc, today)) out.overdue_nonconformities.push_back(nc.id);
    if (ReminderDue(nc, today, policy)) out.reminder_nonconformities.push_back(nc.id);
  }
  out.certified = cycle.certified;
  if (!cycle.certified) AddStageItems(history.audits, today, &out);
  AddStage2MajorItem(history, cycle, today, &out);
  if (cycle.certified) {
    SetCycle(cycle, today, &out);
    AddSurveillanceItems(history.audits, cycle, today, policy.planning_window_months, &out);
    AddRenewalItems(history.audits, cycle, today, policy.planning_window_months, &out);
  }
  SortItems(&out.items);
  return out;
}

// ---------------------------------------------------------------------------
// Recommendation and decision.

Recommendation ComputeRecommendation(const Audit& audit, const std::vector<Finding>& findings,
                                     const std::vector<Nonconformity>& nonconformities, Date today,
                                     const CertificationPolicy& policy) {
  const std::map<std::string, const Finding*> index = IndexFindings(findings);
  std::optional<Date> limit;
  if (audit.type == AuditType::kStage2 && audit.status == AuditStatus::kCompleted && audit.actual_end) {
    limit = audit.actual_end->AddMonths(kStage2MajorVerificationMonths);
  }

  Recommendation rec;
  RecommendationKind kind = RecommendationKind::kRecommend;
  auto raise = [&kind](RecommendationKind k) {
    if (KindSeverity(k) > KindSeverity(kind)) kind = k;
  };
  auto add = [&rec](RecommendationReasonCode code, std::string subject, std::string text) {
    rec.reasons.push_back(RecommendationReason{code, std::move(subject), std::move(text)});
  };

  for (const Nonconformity& nc : nonconformities) {
    const std::string clause = ClauseOf(index, nc.finding_id);
    const std::string state(NonconformityStateName(nc.state));
    if (nc.grade == FindingGrade::kMajor) {
      auto it = index.find(nc.finding_id);
      const bool from_this_stage2 = limit.has_value() && it != index.end() && it->second->audit_id == audit.id;
      const std::optional<Date> verified = VerifiedOn(nc);
      const std::string six_months =
          " the 6-month limit " + (limit ? limit->ToString() : std::string()) + " after the last day of stage 2 (" +
          (audit.actual_end ? audit.actual_end->ToString() : std::string()) + "): another stage 2 is required";
      if (from_this_stage2 && verified && *verified > *limit) {
        raise(RecommendationKind::kNewStage2Required);
        add(RecommendationReasonCode::kMajorNotVerifiedInTime, nc.id,
            "major nonconformity " + nc.id + " (clause " + clause + ") was verified on " + verified->ToString() +
                ", after" + six_months);
      } else if (from_this_stage2 && !verified && today > *limit) {
        raise(RecommendationKind::kNewStage2Required);
        add(RecommendationReasonCode::kMajorNotVerifiedInTime, nc.id,
            "major nonconformity " + nc.id + " (clause " + clause + ") was not verified within" + six_months);
      } else if (!verified && Pending(nc, today)) {
        raise(RecommendationKind::kRecommendWithConditions);
        add(RecommendationReasonCode::kMajorPending, nc.id,
            "major nonconformity " + nc.id + " (clause " + clause + ") is pending (state " + state +
                "): its correction and corrective action are due by " + nc.due_date.ToString() +
                " and must be verified before a certificate is issued or renewed");
      } else if (!verified) {
        raise(RecommendationKind::kNotRecommend);
        add(RecommendationReasonCode::kOpenMajor, nc.id,
            "major nonconformity " + nc.id + " (clause " + clause + ") is not verified (state " + state +
                "): its correction and corrective action must be verified before certification");
      }
    } else if (nc.grade == FindingGrade::kMinor) {
      switch (nc.state) {
        case NonconformityState::kOpen:
        case NonconformityState::kPlanSubmitted:
        case NonconformityState::kEscalated:
          if (Pending(nc, today)) {
            raise(RecommendationKind::kRecommendWithConditions);
            add(RecommendationReasonCode::kMinorPlanPending, nc.id,
                "minor nonconformity " + nc.id + " (clause " + clause + ") is pending (state " + state +
                    "): its action plan is due by " + nc.due_date.ToString() + " and needs acceptance");
            break;
          }
          raise(RecommendationKind::kNotRecommend);
          add(RecommendationReasonCode::kMinorPlanNotAccepted, nc.id,
              "minor nonconformity " + nc.id + " (clause " + clause + ") has no accepted action plan (state " + state +
                  ")");
          break;
        case NonconformityState::kPlanAccepted:
        case NonconformityState::kImplemented:
          raise(RecommendationKind::kRecommendWithConditions);
          add(RecommendationReasonCode::kMinorPlanAccepted, nc.id,
              "minor nonconformity " + nc.id + " (clause " + clause + ") has an accepted action plan (state " + state +
                  "); its implementation is verified at the next audit");
          break;
        case NonconformityState::kVerified:
        case NonconformityState::kClosedEffective:
          break;
      }
    }
  }
  if (rec.reasons.empty()) {
    add(RecommendationReasonCode::kNoOpenNonconformities, "",
        nonconformities.empty()
            ? "no nonconformities were raised"
            : "all " + std::to_string(nonconformities.size()) +
                  (nonconformities.size() == 1 ? " nonconformity is" : " nonconformities are") + " verified");
  }
  std::vector<Finding> of_audit;
  for (const Finding& f : findings) {
    if (f.audit_id == audit.id) of_audit.push_back(f);
  }
  for (const SystemicWarning& w : SystemicWarnings(of_audit, policy)) {
    add(RecommendationReasonCode::kPossibleSystemic, w.clause, w.message);
  }
  std::stable_sort(rec.reasons.begin(), rec.reasons.end(),
                   [](const RecommendationReason& a, const RecommendationReason& b) {
                     const int ra = ReasonRank(a.code), rb = ReasonRank(b.code);
                     if (ra != rb) return ra < rb;
                     return a.subject < b.subject;
                   });
  rec.kind = kind;
  rec.computed = kind;
  return rec;
}

Status OverrideRecommendation(Recommendation* rec, RecommendationKind to, std::string_view justification) {
  const std::string from(RecommendationKindName(rec->kind));
  const std::string target(RecommendationKindName(to));
  if (to == rec->kind) {
    return Status::InvalidInput("the recommendation is already " + from + "; there is nothing to override");
  }
  const std::string_view why = Trim(justification);
  if (why.empty()) {
    return Status::InvalidInput("overriding the recommendation " + from + " with " + target +
                                " needs a recorded justification");
  }
  rec->kind = to;
  rec->overridden = true;
  rec->justification = std::string(why);
  rec->reasons.push_back(RecommendationReason{
      RecommendationReasonCode::kOverridden, "", "the audit team overrode " + from + " with " + target + ": " + std::string(why)});
  return Status::OK();
}

Status CheckDecisionMaker(std::string_view person, const std::vector<TeamMember>& team) {
  const std::string_view who = Trim(person);
  if (who.empty()) return Status::InvalidInput("the certification decision needs a decision maker");
  const std::string key = Lower(who);
  std::vector<std::string> roles;
  for (const TeamMember& m : team) {
    if (Lower(Trim(m.person)) == key) {
      std::string role(TeamRoleName(m.role));
      if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.push_back(role);
    }
  }
  if (roles.empty()) return Status::OK();
  return Status::InvalidInput("decision maker '" + std::string(who) + "' was on the audit team as " +
                              Join(roles, ", ") +
                              ": the certification decision must be made by a person not involved in the audit");
}

Status CheckStage1(const ClientAuditData& c, const AuditRecord& stage2) {
  if (stage2.audit.type != AuditType::kStage2) return Status::OK();
  if (!Trim(stage2.stage1_exception).empty()) return Status::OK();
  const Date first_day = stage2.audit.actual_start.value_or(stage2.audit.planned_start);
  std::string seen;  // why the stage 1 audits there are do not count
  for (const AuditRecord& a : c.audits) {
    if (a.audit.type != AuditType::kStage1) continue;
    const std::string id = "'" + a.audit.id + "'";
    if (a.audit.status != AuditStatus::kCompleted || !a.audit.actual_end) {
      seen += "; stage 1 " + id + " is " + std::string(AuditStatusName(a.audit.status));
    } else if (first_day < *a.audit.actual_end) {
      seen += "; stage 1 " + id + " ended " + a.audit.actual_end->ToString() + ", after the stage 2 began (" +
              first_day.ToString() + ")";
    } else if (Trim(a.conclusion).empty()) {
      seen += "; stage 1 " + id + " has no readiness conclusion recorded";
    } else {
      return Status::OK();
    }
  }
  return Status::InvalidInput("stage 2 audit '" + stage2.audit.id + "' needs a completed stage 1 of client '" +
                              c.client.id +
                              "' with its readiness conclusion, or a recorded exception with its reason" +
                              (seen.empty() ? std::string("; the client has no stage 1 audit") : seen))
      .About("audit", stage2.audit.id, {}, "stage1");
}

Status CheckCertificationConditions(const ClientAuditData& c, const AuditRecord& audit) {
  ASSAY_RETURN_IF_ERROR(CheckStage1(c, audit));
  std::vector<std::string> unsettled;
  for (const NonconformityRecord* r : NonconformitiesToConsider(c, audit)) {
    const Nonconformity& nc = r->nc;
    bool settled = false;
    if (nc.grade == FindingGrade::kMajor) {
      settled = nc.state == NonconformityState::kVerified || nc.state == NonconformityState::kClosedEffective;
    } else if (nc.grade == FindingGrade::kMinor) {
      settled = nc.state != NonconformityState::kOpen && nc.state != NonconformityState::kPlanSubmitted &&
                nc.state != NonconformityState::kEscalated;
    } else {
      settled = true;
    }
    if (!settled)
      unsettled.push_back(nc.id + " (" + std::string(FindingGradeName(nc.grade)) + ", " +
                          std::string(NonconformityStateName(nc.state)) + ")");
  }
  if (unsettled.empty()) return Status::OK();
  return Status::InvalidInput(
      "a certificate needs every major nonconformity verified and every minor one with an accepted plan: " +
      Join(unsettled, ", "));
}


// ---------------------------------------------------------------------------
// Impartiality by person ID.

std::string_view RelationshipKindName(RelationshipKind kind) { return NameOf(kRelationshipKindNames, kind); }

Status ParseRelationshipKind(std::string_view text, RelationshipKind* out) {
  return ParseName("relationship kind", kRelationshipKindNames, text, out);
}

std::string PersonKey(std::string_view who, const std::vector<RegisteredPerson>& registry) {
  const std::string text(Trim(who));
  for (const RegisteredPerson& p : registry)
    if (p.id == text) return p.id;
  const std::string key = Lower(text);
  for (const RegisteredPerson& p : registry) {
    if (Lower(Trim(p.name)) == key) return p.id;
    for (const std::string& alias : p.aliases)
      if (Lower(Trim(alias)) == key) return p.id;
  }
  return key.empty() ? key : "name:" + key;
}

namespace {

// "'Dr. Marek Kowalczyk' (person mkowalczyk)", or just the quoted text when
// it is not a registry person or is the ID itself.
std::string PersonLabel(std::string_view who, const std::string& key) {
  const std::string text(Trim(who));
  if (key.rfind("name:", 0) == 0 || key == text) return "'" + text + "'";
  return "'" + text + "' (person " + key + ")";
}

// The last day an audit was (or is planned to be) held.
Date AuditLastDay(const Audit& a) { return a.actual_end.value_or(a.planned_end); }

}  // namespace

Status CheckDeclaredRelationships(const ClientAuditData& c, std::string_view person, Date on,
                                  const std::vector<RegisteredPerson>& registry, const std::string& what) {
  const std::string key = PersonKey(person, registry);
  const Date window = on.AddMonths(-kRelationshipCoolingOffMonths);
  for (const RelationshipDeclaration& d : c.client.declarations) {
    if (PersonKey(d.person, registry) != key) continue;
    if (on < d.from) continue;
    if (d.until && *d.until < window) continue;
    return Status::InvalidInput(
               PersonLabel(person, key) + " declared a " + std::string(RelationshipKindName(d.kind)) +
               " relationship with client '" + c.client.id + "' from " + d.from.ToString() +
               (d.until ? " until " + d.until->ToString() : std::string(", still going on")) + " (declared " +
               d.declared.ToString() + "): within two years before " + on.ToString() + " it excludes them from " +
               what)
        .About("person", key, {}, "relationship");
  }
  return Status::OK();
}

Status CheckDecisionImpartiality(const ClientAuditData& c, const AuditRecord& audit, std::string_view person,
                                 Date date, const std::vector<RegisteredPerson>& registry) {
  const std::string key = PersonKey(person, registry);
  if (key.empty()) return Status::InvalidInput("the certification decision needs a decision maker");
  const Date last = AuditLastDay(audit.audit);
  std::optional<Date> after;  // the last day of the audit of the previous decision
  for (const DecisionRecord& d : c.decisions) {
    if (d.audit == audit.audit.id) continue;
    const AuditRecord* a = c.FindAudit(d.audit);
    if (!a) continue;
    const Date day = AuditLastDay(a->audit);
    if (day < last && (!after || *after < day)) after = day;
  }
  for (const AuditRecord& a : c.audits) {
    const Date day = AuditLastDay(a.audit);
    if (a.audit.id != audit.audit.id && (last < day || (after && !(*after < day)))) continue;
    for (const TeamMember& m : a.audit.team) {
      if (PersonKey(m.person, registry) != key) continue;
      return Status::InvalidInput(
          "decision maker " + PersonLabel(person, key) + " took part in audit '" + a.audit.id +
          "' of this cycle as " + std::string(TeamRoleName(m.role)) +
          (Trim(m.person) == Trim(person) ? std::string() : " (recorded as '" + std::string(Trim(m.person)) + "')") +
          ": the certification decision must be made by a person not involved in the audits of the cycle");
    }
  }
  return CheckDeclaredRelationships(c, person, date, registry,
                                    "the certification decision on audit '" + audit.audit.id + "'");
}


// ---------------------------------------------------------------------------
// Competence of an audit team.

namespace {

// Whether credential `q` is valid on `day` (YYYY-MM-DD text compares as dates).
bool ValidOn(const Credential& q, const std::string& day) {
  return (q.since.empty() || q.since <= day) && (q.until.empty() || day <= q.until);
}

// The team member `m` as the competence check sees them on `day`.
MemberCompetence MemberOn(const TeamMember& m, const std::vector<RegisteredPerson>& registry, const std::string& day) {
  MemberCompetence out;
  out.person = std::string(Trim(m.person));
  out.name = out.person;
  out.role = m.role;
  out.counts = m.role != TeamRole::kObserver;
  const std::string key = PersonKey(m.person, registry);
  for (const RegisteredPerson& p : registry) {
    if (p.id != key) continue;
    out.id = p.id;
    out.name = p.name.empty() ? p.id : p.name;
    out.areas = p.areas;
    for (const Credential& q : p.qualifications) {
      if (ValidOn(q, day)) {
        out.qualifications.push_back(q);
        continue;
      }
      // Renewed: another qualification of the same name is valid that day.
      const bool renewed = std::any_of(p.qualifications.begin(), p.qualifications.end(), [&](const Credential& r) {
        return Lower(Trim(r.name)) == Lower(Trim(q.name)) && ValidOn(r, day);
      });
      if (!renewed) out.lapsed.push_back(q);
    }
  }
  return out;
}

}  // namespace

TeamCompetence CheckTeamCompetence(const Client& client, const AuditRecord& audit,
                                   const std::vector<RegisteredPerson>& registry) {
  TeamCompetence out;
  out.day = audit.audit.actual_start.value_or(audit.audit.planned_start);
  out.justification = audit.competence_justification;
  const std::string day = out.day.ToString();
  for (const TeamMember& m : audit.audit.team) {
    MemberCompetence mc = MemberOn(m, registry, day);
    const bool seen = std::any_of(out.members.begin(), out.members.end(), [&](const MemberCompetence& x) {
      return mc.id.empty() ? x.id.empty() && Lower(x.person) == Lower(mc.person) : x.id == mc.id;
    });
    if (seen) continue;
    if (mc.id.empty()) out.unknown.push_back(mc.person);
    if (mc.counts)
      for (const Credential& q : mc.lapsed)
        out.lapsed.push_back(mc.id + ": " + q.name +
                             (!q.until.empty() && q.until < day ? " (valid until " + q.until + ")"
                                                                : " (valid from " + q.since + ")"));
    out.members.push_back(std::move(mc));
  }
  for (const std::string& area : client.technical_areas) {
    std::vector<std::string> who;
    for (const MemberCompetence& m : out.members) {
      if (!m.counts || m.id.empty()) continue;
      for (const std::string& a : m.areas)
        if (Lower(Trim(a)) == Lower(Trim(area))) {
          who.push_back(m.id);
          break;
        }
    }
    if (who.empty())
      out.missing.push_back(area);
    else
      out.covered.emplace_back(area, who);
  }
  return out;
}

Status CheckTeamCompetenceForDecision(const Client& client, const AuditRecord& audit,
                                      const std::vector<RegisteredPerson>& registry) {
  if (client.technical_areas.empty() || !Trim(audit.competence_justification).empty()) return Status::OK();
  const TeamCompetence tc = CheckTeamCompetence(client, audit, registry);
  if (!tc.HasGap()) return Status::OK();
  std::string gaps;
  if (!tc.missing.empty()) gaps += "no member is competent in: " + Join(tc.missing, ", ");
  if (!tc.lapsed.empty()) gaps += std::string(gaps.empty() ? "" : "; ") + "qualification lapsed: " + Join(tc.lapsed, ", ");
  return Status::InvalidInput("the team of audit '" + audit.audit.id + "' has competence gaps on its first day " +
                              tc.day.ToString() + ": " + gaps +
                              "; a certification decision needs a team competent for the client's technical areas, "
                              "or a recorded justification (such as the technical expert who supplied the knowledge)")
      .About("audit", audit.audit.id, {}, "competence");
}

}  // namespace assay
