// Audit: the rules of an ISO/IEC 20000-1 certification audit under
// ISO/IEC 17021-1:2015 and ISO/IEC 20000-6:2017.
//
// This header holds the data of a certification body's work with a client
// (certificates, audits, findings, nonconformities, decisions) and the pure
// rules over it:
//
//   * the audit programme of the 3-year cycle, computed from the certification
//     decision (ComputeProgramme): first surveillance, one surveillance per
//     calendar year, recertification before expiry, restoration within 6
//     months after expiry, and the 6-month rule for stage 2 majors;
//   * the nonconformity state machine (Transition, ApplyTransition), due dates
//     from the certification body's policy and overdue detection;
//   * the checks on findings (an opportunity for improvement carries no
//     nonconformity; several minors on one clause may be a systemic major);
//   * the audit team's recommendation with its reasons, its override with a
//     recorded justification, and the separation of the decision maker from
//     the audit team;
//   * the records a certification body keeps of a client (ClientAuditData,
//     stored by assay/audit_store.h) and the content of an audit report
//     computed from them (ComputeAuditReport; reports/ renders it).
//
// and, each in its own part with its own contract: civil dates (Date, the
// first part), audit time and multi-site sampling, and the requirement
// catalogue of the standard (Catalogue, the last part). The store of these
// records is assay/audit_store.h.
//
// Nothing here reads a clock, a database or a file: "today" is a parameter,
// and the records are values the caller loads and stores. All functions are
// pure and safe to call concurrently on distinct or const data.
//
// Status codes: InvalidInput for an unknown name, an inconsistent record, an
// illegal state transition, a missing justification, or a decision maker who
// was on the audit team.
#ifndef ASSAY_AUDIT_H_
#define ASSAY_AUDIT_H_

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assay/assessment.h"
#include "assay/status.h"

// ===========================================================================
// Calendar: civil dates for the certification-audit rules.
//
// A Date is a day of the proleptic Gregorian calendar (year, month, day),
// without a time or a time zone; it is written "YYYY-MM-DD". The audit rules
// of ISO/IEC 17021-1 count in days and months from dates (a surveillance no
// later than 12 months after a decision, a restoration within 6 months after
// expiry), so the engine never reads a clock: "today" is always a parameter.
//
// Month arithmetic clamps to the end of the month when the day does not
// exist in the target month:
//   2024-01-31 + 1 month   = 2024-02-29   (leap year)
//   2025-01-31 + 1 month   = 2025-02-28
//   2024-02-29 + 12 months = 2025-02-28
// so "N months after D" is the last day that is still within N months.
//
// A Date is a small value; all functions are pure and safe to call from any
// thread. Status codes: InvalidInput for a malformed or impossible date.
// Supported years are 1 to 9999; arithmetic whose result leaves that range
// is undefined (REQUIRES, not checked).

namespace assay {

// True for Gregorian leap years: divisible by 4, except centuries not
// divisible by 400 (2024 and 2000 are, 2025 and 2100 are not).
bool IsLeapYear(int year);

// Number of days in `month` (1..12) of `year`: 28 to 31.
// REQUIRES: 1 <= month <= 12.
int DaysInMonth(int year, int month);

class Date {
 public:
  // 1970-01-01.
  Date() = default;

  // True when year is 1..9999, month 1..12 and day 1..DaysInMonth.
  static bool IsValid(int year, int month, int day);

  // The date year-month-day. InvalidInput naming the date when it does not
  // exist, e.g. "invalid date 2026-02-30: February 2026 has 28 days".
  static Status FromYmd(int year, int month, int day, Date* out);

  // Parses exactly "YYYY-MM-DD" (four, two and two digits; surrounding
  // blanks ignored). InvalidInput names the text, e.g.
  //   invalid date '2026-2-3': expected YYYY-MM-DD
  //   invalid date '2026-13-01': month 13 is not 1 to 12
  //   invalid date '2026-02-30': February 2026 has 28 days
  // *out is unchanged on error.
  static Status Parse(std::string_view text, Date* out);

  // The date `days` days after 1970-01-01 (negative: before).
  static Date FromDays(int64_t days);

  int year() const { return year_; }
  int month() const { return month_; }  // 1..12
  int day() const { return day_; }      // 1..31

  // Days since 1970-01-01 (negative before it).
  int64_t days() const;

  // "YYYY-MM-DD".
  std::string ToString() const;

  // The date `n` days later (n < 0: earlier).
  Date AddDays(int64_t n) const;

  // The date `n` calendar months later (n < 0: earlier); the day is clamped
  // to the last day of the target month (see the top of this file).
  Date AddMonths(int n) const;

  // AddMonths(12 * n): 2024-02-29 + 1 year = 2025-02-28.
  Date AddYears(int n) const;

  // Chronological order. (Spelled out: clang-tidy's modernize-use-nullptr
  // misreads a defaulted operator<=>.)
  friend bool operator==(const Date&, const Date&) = default;
  friend std::strong_ordering operator<=>(const Date& a, const Date& b) {
    if (a.year_ != b.year_) return a.year_ <=> b.year_;
    if (a.month_ != b.month_) return a.month_ <=> b.month_;
    return a.day_ <=> b.day_;
  }

 private:
  Date(int year, int month, int day) : year_(year), month_(month), day_(day) {}

  int year_ = 1970;
  int month_ = 1;
  int day_ = 1;
};

// Days from `from` to `to`: positive when `to` is later, 0 for the same day.
// DaysBetween(2024-02-28, 2024-03-01) == 2.
int64_t DaysBetween(Date from, Date to);

// English month name, "January".."December". REQUIRES: 1 <= month <= 12.
std::string_view MonthName(int month);

// Writes ToString(); for test failure messages and logs.
std::ostream& operator<<(std::ostream& os, const Date& date);

}  // namespace assay

namespace assay {

struct Assessment;        // assessment.h
struct RegisteredPerson;  // assessment.h
struct RatingResults;  // rating.h

// ---------------------------------------------------------------------------
// Fixed rules of ISO/IEC 17021-1 (not policy: a certification body cannot
// change them).

// A certificate is valid for 3 years from the decision that starts a cycle.
inline constexpr int kCertificateValidityMonths = 36;
// The first surveillance is no later than 12 months after the initial
// certification decision (17021-1 9.1.3).
inline constexpr int kFirstSurveillanceMonths = 12;
// Corrections and corrective actions of every major found at stage 2 must be
// verified within 6 months after the last day of stage 2, or another stage 2
// is needed before certification can be recommended.
inline constexpr int kStage2MajorVerificationMonths = 6;
// After expiry, certification can be restored within 6 months if the
// outstanding recertification activities are completed (17021-1 9.6.3.2.5);
// later, at least a stage 2 is needed.
inline constexpr int kRestorationMonths = 6;

// ---------------------------------------------------------------------------
// Enumerations. Each has a Name() giving its stable text form (used in JSON,
// the CLI and the store) and a Parse() accepting exactly that form; Parse
// returns InvalidInput listing the valid names, e.g.
//   unknown audit type 'stage3': expected one of stage1, stage2,
//   surveillance, recertification, special
// with the subject (kind: "audit type", id: the text, the nearest names).

enum class AuditType { kStage1, kStage2, kSurveillance, kRecertification, kSpecial };
std::string_view AuditTypeName(AuditType type);
Status ParseAuditType(std::string_view text, AuditType* out);

enum class AuditStatus { kPlanned, kInProgress, kCompleted, kCancelled };
// "planned", "in-progress", "completed", "cancelled".
std::string_view AuditStatusName(AuditStatus status);
Status ParseAuditStatus(std::string_view text, AuditStatus* out);

enum class CertificateStatus { kActive, kSuspended, kWithdrawn, kExpired, kRestored };
std::string_view CertificateStatusName(CertificateStatus status);
Status ParseCertificateStatus(std::string_view text, CertificateStatus* out);

// The grade of a finding against one clause. Only kMajor and kMinor are
// nonconformities; kObservation and kOpportunity (for improvement) never
// carry a nonconformity.
enum class FindingGrade { kConforming, kMajor, kMinor, kObservation, kOpportunity };
// "conforming", "major", "minor", "observation", "opportunity".
std::string_view FindingGradeName(FindingGrade grade);
Status ParseFindingGrade(std::string_view text, FindingGrade* out);
// True for kMajor and kMinor.
bool IsNonconformityGrade(FindingGrade grade);

// States of a nonconformity; see Transition() for the allowed moves.
enum class NonconformityState {
  kOpen,             // raised; no correction/corrective-action plan yet (or plan rejected)
  kPlanSubmitted,    // the client submitted correction, root cause and corrective action
  kPlanAccepted,     // the certification body accepted the plan
  kImplemented,      // the client reports the actions implemented
  kVerified,         // the certification body verified correction and corrective action
  kClosedEffective,  // closed: the corrective action was found effective (final)
  kEscalated,        // overdue and escalated by the certification body
};
// "open", "plan-submitted", "plan-accepted", "implemented", "verified",
// "closed-effective", "escalated".
std::string_view NonconformityStateName(NonconformityState state);
Status ParseNonconformityState(std::string_view text, NonconformityState* out);

// Roles on an audit team (the report lists them, 17021-1 9.4.8.2 i).
enum class TeamRole { kLeader, kAuditor, kTechnicalExpert, kObserver };
// "leader", "auditor", "technical-expert", "observer".
std::string_view TeamRoleName(TeamRole role);
Status ParseTeamRole(std::string_view text, TeamRole* out);

// What a certification decision did.
enum class DecisionKind {
  kInitial,          // granted after stage 1 and stage 2; starts cycle 1
  kRecertification,  // renewed before expiry; starts the next cycle
  kRestoration,      // restored within 6 months after expiry; next cycle
};
// "initial", "recertification", "restoration".
std::string_view DecisionKindName(DecisionKind kind);
Status ParseDecisionKind(std::string_view text, DecisionKind* out);

// How an audit activity was carried out (17021-1 9.4.8.2 j).
enum class ActivityMode { kOnSite, kOffSite, kRemote };
// "on-site", "off-site", "remote".
std::string_view ActivityModeName(ActivityMode mode);
Status ParseActivityMode(std::string_view text, ActivityMode* out);

// Why a person who is not on the audit team accompanied it (17021-1
// 9.4.8.2 i): a guide the client assigned, an interpreter, or an observer
// (e.g. from the client, an accreditation body or a regulator).
enum class AccompanyingRole { kGuide, kInterpreter, kObserver };
// "guide", "interpreter", "observer".
std::string_view AccompanyingRoleName(AccompanyingRole role);
Status ParseAccompanyingRole(std::string_view text, AccompanyingRole* out);

// Whether the audit was held alone or together with another (17021-1
// 9.4.8.2 n): combined with an audit against another management system
// standard, joint with another certification body, or integrated (one
// audit of an integrated management system against several standards).
enum class AuditCombination { kSingle, kCombined, kJoint, kIntegrated };
// "single", "combined", "joint", "integrated".
std::string_view AuditCombinationName(AuditCombination kind);
Status ParseAuditCombination(std::string_view text, AuditCombination* out);

// Whether the client controls its use of certification documents and marks
// (17021-1 9.4.8.2 q); not-applicable before a certificate exists.
enum class MarksControl { kControlled, kNotControlled, kNotApplicable };
// "controlled", "not-controlled", "not-applicable".
std::string_view MarksControlName(MarksControl control);
Status ParseMarksControl(std::string_view text, MarksControl* out);

// ---------------------------------------------------------------------------
// Certification-body policy. 17021-1 does not set these (9.4.9 leaves the
// deadlines to the certification body); each field states its default.

struct CertificationPolicy {
  // Days after the finding date by which the correction and corrective action
  // of a MAJOR nonconformity must be implemented (state kImplemented or
  // later), leaving the certification body time to verify them within the
  // 6-month limit. Default: 90.
  int major_action_days = 90;
  // Days after the finding date by which the client must submit the plan
  // (correction, root cause, corrective action) for a MINOR nonconformity
  // (state kPlanSubmitted or later). Default: 30.
  int minor_plan_days = 30;
  // A reminder is due this many days before a nonconformity's due date
  // (inclusive) while it is not yet met. Default: 14.
  int reminder_lead_days = 14;
  // Whether opportunities for improvement may be recorded; 17021-1 allows
  // them unless a scheme forbids them. Default: true.
  bool allow_opportunities = true;
  // Number of minor nonconformities on the same clause from which a
  // "possible systemic (major)" warning is raised. Default: 2.
  int systemic_minor_threshold = 2;
  // The planning window of each programme item opens this many months
  // before the item's latest date (e.g. surveillance 1 due no later than
  // 2026-12-20 is "due" from 2026-09-20). Default: 3.
  int planning_window_months = 3;
  // After a recertification decided before expiry, the new expiry is the old
  // expiry + 3 years (true, which 17021-1 permits) or the decision + 3 years
  // (false). A restoration always keeps the original cycle. Default: true.
  bool renewal_keeps_expiry = true;
};

// InvalidInput naming the field when a number is not positive, e.g.
// "certification policy: major_action_days must be at least 1, got 0".
Status CheckPolicy(const CertificationPolicy& policy);

// ---------------------------------------------------------------------------
// Records.

struct Certificate {
  std::string number;
  Date issue_date;
  Date expiry_date;
  CertificateStatus status = CertificateStatus::kActive;
};

struct TeamMember {
  std::string person;  // a person's name or ID, as recorded
  TeamRole role = TeamRole::kAuditor;
};

struct Audit {
  std::string id;
  AuditType type = AuditType::kStage1;
  Date planned_start;
  Date planned_end;
  std::optional<Date> actual_start;
  std::optional<Date> actual_end;  // the audit's last day, once held
  AuditStatus status = AuditStatus::kPlanned;
  std::vector<TeamMember> team;
};

struct Finding {
  std::string id;
  std::string audit_id;
  std::string clause;  // ISO/IEC 20000-1 clause, e.g. "8.5.1.3"
  FindingGrade grade = FindingGrade::kConforming;
  std::string statement;
  std::vector<std::string> evidence_ids;
  Date date;  // when the finding was raised; due dates count from it
};

// One state change of a nonconformity.
struct StateChange {
  NonconformityState state = NonconformityState::kOpen;  // the state entered
  Date date;
};

struct Nonconformity {
  std::string id;
  std::string finding_id;
  FindingGrade grade = FindingGrade::kMinor;  // kMajor or kMinor, as its finding
  NonconformityState state = NonconformityState::kOpen;
  Date raised;    // normally the finding's date
  Date due_date;  // see DueDate()
  // State changes after raising, oldest first (ApplyTransition appends).
  std::vector<StateChange> history;
};

struct CertificationDecision {
  Date date;
  DecisionKind kind = DecisionKind::kInitial;
  std::string decided_by;
};

// Everything the programme of one client is computed from.
struct ClientHistory {
  std::vector<CertificationDecision> decisions;  // granting decisions, any order
  std::vector<Audit> audits;
  std::vector<Finding> findings;
  std::vector<Nonconformity> nonconformities;
};

// ---------------------------------------------------------------------------
// Nonconformity state machine. The allowed transitions:
//   open           -> plan-submitted, escalated
//   plan-submitted -> plan-accepted, open (plan rejected), escalated
//   plan-accepted  -> implemented, escalated
//   implemented    -> verified, plan-accepted (verification failed), escalated
//   verified       -> closed-effective
//   escalated      -> plan-submitted (the client answers the escalation)
//   closed-effective is final.
// Escalation is allowed from every state before kVerified; a verified
// nonconformity has no deadline left to miss, so it cannot be escalated.
// ApplyTransition() also requires the nonconformity to be overdue.

// The states `from` may move to, in the order listed above.
std::vector<NonconformityState> AllowedTransitions(NonconformityState from);

// OK when from -> to is allowed. Otherwise InvalidInput, e.g.
//   nonconformity cannot go from open to verified; allowed from open:
//   plan-submitted, escalated
//   nonconformity cannot go from closed-effective to open; closed-effective
//   is final
Status Transition(NonconformityState from, NonconformityState to);

// The date `grade` is due from `finding_date`: + major_action_days for a
// major, + minor_plan_days for a minor. InvalidInput for any other grade
// ("no due date for a finding graded observation: only major and minor
// nonconformities have one").
Status DueDate(FindingGrade grade, Date finding_date, const CertificationPolicy& policy, Date* out);

// Whether a nonconformity in `state` has met the obligation its due date is
// for: a major from kImplemented on (implemented, verified, closed-effective);
// a minor from kPlanSubmitted on (plan-submitted, plan-accepted, implemented,
// verified, closed-effective). kOpen and kEscalated never meet it.
bool DeadlineMet(FindingGrade grade, NonconformityState state);

// True when today is after nc.due_date and !DeadlineMet(nc.grade, nc.state).
// On the due date itself it is not yet overdue.
bool IsOverdue(const Nonconformity& nc, Date today);

// True when the deadline is not met and today is within reminder_lead_days
// before the due date, the due date included.
bool ReminderDue(const Nonconformity& nc, Date today, const CertificationPolicy& policy);

// The date `nc` entered `state` (its latest entry in nc.history), if ever.
std::optional<Date> DateReached(const Nonconformity& nc, NonconformityState state);

// Moves *nc to `to` on `date` and appends the change to its history. Checks,
// in order (InvalidInput, naming the nonconformity, *nc unchanged on error):
//   * Transition(nc->state, to);
//   * `date` is not before nc->raised nor before the last recorded change;
//   * escalation only when IsOverdue(*nc, date), e.g. "nonconformity NC-1
//     cannot be escalated on 2026-02-01: it is not overdue (due 2026-03-01)".
Status ApplyTransition(Nonconformity* nc, NonconformityState to, Date date);

// ---------------------------------------------------------------------------
// Certificate status. The allowed changes:
//   active, restored -> suspended, withdrawn, expired
//   suspended        -> active (suspension lifted), withdrawn, expired
//   expired          -> restored (within 6 months, see the programme), withdrawn
//   withdrawn is final.
// (A restoration decision moves an expired certificate to restored; a
// renewal keeps it active.)

// The statuses `from` may change to, in the order listed above.
std::vector<CertificateStatus> AllowedCertificateTransitions(CertificateStatus from);

// OK when from -> to is allowed. Otherwise InvalidInput, e.g.
//   certificate cannot go from expired to active; allowed from expired:
//   restored, withdrawn
//   certificate cannot go from withdrawn to active; withdrawn is final
Status CertificateTransition(CertificateStatus from, CertificateStatus to);

// ---------------------------------------------------------------------------
// Findings.

// InvalidInput naming the finding when its clause or statement is empty or
// when it is an opportunity for improvement and the policy forbids them.
// (Not named CheckFinding: rating.h has a struct of that name.)
Status CheckAuditFinding(const Finding& finding, const CertificationPolicy& policy);

// InvalidInput naming both when `nc` cannot belong to `finding`: its
// finding_id differs; the finding is not a major or minor nonconformity
// (e.g. "finding F-4 is an opportunity for improvement and cannot carry a
// nonconformity (NC-2)"); or the grades differ.
Status CheckNonconformityFinding(const Nonconformity& nc, const Finding& finding);

// Several minors on one clause may together be a major (systemic) failure.
struct SystemicWarning {
  std::string clause;
  std::vector<std::string> finding_ids;  // the minor findings, in input order
  // "clause 8.6.1: 3 minor nonconformities (F-2, F-3, F-5): possible systemic
  // failure (major)"
  std::string message;
};

// One warning per clause with at least policy.systemic_minor_threshold minor
// findings among `findings`, ordered by clause text. Pass the findings of one
// audit to check that audit, or of several to look for recurrence.
std::vector<SystemicWarning> SystemicWarnings(const std::vector<Finding>& findings, const CertificationPolicy& policy);

// ---------------------------------------------------------------------------
// Audit programme (17021-1 9.1.3, 9.6.3).
//
// The current cycle starts at the latest certification decision. Its expiry
// is the decision + 3 years for an initial decision (and for a
// recertification when !renewal_keeps_expiry); the previous expiry + 3 years
// for a restoration and (by default) a timely recertification.
//
// Items of a certified client's cycle (decision D, expiry E):
//   * first surveillance (cycles started by an initial decision only; later
//     cycles have the calendar-year rule): latest D + 12 months. Done by the
//     first completed surveillance audit ending on or after D.
//   * one surveillance per calendar year Y, for every Y after D's year and
//     before the recertification year: window Y-01-01..Y-12-31. Done by a
//     completed surveillance audit ending in Y. The year of D is covered by
//     the audit that led to the decision. The recertification year is the
//     start year of the cycle's recertification audit (held, else planned),
//     else the year of E - 1 day.
//   * recertification audit: latest E - 1 day (completed before expiry).
//   * restoration (only once E has passed without a new decision): window
//     E..E + 6 months. Beyond it, at least a stage 2 is required.
// Before any decision, the items are stage 1 and stage 2 (no dates).
// In both cases, while the latest completed stage 2 is not followed by a
// decision, an item "verify stage 2 majors" has latest = its last day + 6
// months; it is done when every major found at that stage 2 is verified by
// then. A major still unverified after it (or verified later) sets
// new_stage2_required.
// "Completed" means status kCompleted with actual_end set; an audit counts on
// its actual_end. Window start = latest - planning_window_months unless
// stated. Planned audits (kPlanned or kInProgress) are reported with the item
// they would fulfil, by their planned last day (planned_end).

enum class ProgrammeItemKind {
  kStage1,
  kStage2,
  kStage2MajorVerification,
  kFirstSurveillance,
  kCalendarYearSurveillance,
  kRecertification,
  kRestoration,
};
// "stage1", "stage2", "stage2-major-verification", "first-surveillance",
// "calendar-year-surveillance", "recertification", "restoration".
std::string_view ProgrammeItemKindName(ProgrammeItemKind kind);

enum class ItemState {
  kNotDue,    // not done; today is before window_start
  kDue,       // not done; today is within the window (or it has no dates)
  kOverdue,   // not done; today is after window_end
  kDone,      // done on or before window_end
  kDoneLate,  // done, but after window_end
};
// "not-due", "due", "overdue", "done", "done-late".
std::string_view ItemStateName(ItemState state);

struct ProgrammeItem {
  ProgrammeItemKind kind = ProgrammeItemKind::kStage1;
  int calendar_year = 0;  // kCalendarYearSurveillance only
  std::optional<Date> window_start;
  std::optional<Date> window_end;  // the latest date; inclusive
  ItemState state = ItemState::kDue;
  std::optional<Date> done_on;
  std::optional<Date> planned_on;  // planned last day of a planned audit for it
  bool planned_late = false;       // planned_on is after window_end
  std::string audit_id;            // the audit that did it or is planned to
  // One line, e.g. "first surveillance no later than 2026-12-20 (12 months
  // after the decision of 2025-12-20)".
  std::string description;
};

struct ProgrammeStatus {
  // ok, or InvalidInput when the history is inconsistent (see
  // CheckClientHistory); the other fields are then left empty.
  Status status;
  bool certified = false;           // a decision has been made
  std::optional<Date> cycle_start;  // the decision that started the current cycle
  DecisionKind cycle_kind = DecisionKind::kInitial;
  std::optional<Date> expiry;
  std::optional<Date> restoration_deadline;  // expiry + 6 months
  // kActive, kRestored (the cycle started with a restoration) or kExpired,
  // from the calendar alone; suspension and withdrawal are decisions the
  // caller records.
  CertificateStatus certificate_status = CertificateStatus::kActive;
  bool expired = false;                               // today >= expiry
  bool restoration_possible = false;                  // expired and today <= restoration_deadline
  bool stage2_required = false;                       // expired and today > restoration_deadline
  bool new_stage2_required = false;                   // the 6-month rule for stage 2 majors
  std::vector<std::string> late_stage2_majors;        // nonconformity IDs behind it
  std::vector<ProgrammeItem> items;                   // in due order
  std::vector<std::string> overdue_nonconformities;   // IDs, IsOverdue(today)
  std::vector<std::string> reminder_nonconformities;  // IDs, ReminderDue(today)
};

// InvalidInput naming the record when: the policy fails CheckPolicy; a
// recertification or restoration has no earlier decision; a recertification
// is on or after the expiry it renews ("record it as a restoration"); a
// restoration is before that expiry or more than 6 months after it; an audit
// ends before it starts, or is completed without actual_end; an ID of an
// audit, finding or nonconformity repeats; a nonconformity names an unknown
// finding, fails CheckNonconformityFinding, or its history is not a chain of
// allowed transitions from kOpen, dated in order from `raised`, ending in its
// state (escalations in the history are not re-tested for being overdue).
Status CheckClientHistory(const ClientHistory& history, const CertificationPolicy& policy);

// The programme of the client's current cycle as of `today`.
ProgrammeStatus ComputeProgramme(const ClientHistory& history, Date today, const CertificationPolicy& policy);

// ---------------------------------------------------------------------------
// Recommendation and decision (17021-1 9.4.8, 9.5).

enum class RecommendationKind { kRecommend, kRecommendWithConditions, kNotRecommend, kNewStage2Required };
// "recommend", "recommend-with-conditions", "not-recommend",
// "new-stage2-required".
std::string_view RecommendationKindName(RecommendationKind kind);
Status ParseRecommendationKind(std::string_view text, RecommendationKind* out);

// (Named RecommendationReasonCode, not ReasonCode: model.h already has a
// struct ReasonCode, the reason codes of rating weaknesses, and both headers
// must be usable in one translation unit.)
enum class RecommendationReasonCode {
  kNoOpenNonconformities,   // recommend: nothing raised, or all verified
  kMinorPlanAccepted,       // with conditions: implementation checked at the next audit
  kMinorPlanNotAccepted,    // not recommend: a minor has no accepted plan yet
  kOpenMajor,               // not recommend: a major is not verified
  kMajorNotVerifiedInTime,  // new stage 2: the 6-month rule
  kPossibleSystemic,        // information: several minors on one clause
  kOverridden,              // the team overrode the computed kind
  kMajorPending,            // with conditions: a major not verified yet, its deadline not passed
  kMinorPlanPending,        // with conditions: a minor's plan not accepted yet, not yet due
};
// "no-open-nonconformities", "minor-plan-accepted", "minor-plan-not-accepted",
// "open-major", "major-not-verified-in-time", "possible-systemic",
// "overridden", "major-pending", "minor-plan-pending".
std::string_view ReasonCodeName(RecommendationReasonCode code);
Status ParseReasonCode(std::string_view text, RecommendationReasonCode* out);

struct RecommendationReason {
  RecommendationReasonCode code = RecommendationReasonCode::kNoOpenNonconformities;
  std::string subject;  // the nonconformity ID or clause concerned; may be empty
  std::string text;     // one sentence for the report
};

struct Recommendation {
  RecommendationKind kind = RecommendationKind::kRecommend;  // in force
  RecommendationKind computed = RecommendationKind::kRecommend;
  bool overridden = false;
  std::string justification;  // when overridden
  std::vector<RecommendationReason> reasons;
};

// The recommendation after `audit`, from `nonconformities` (all those it must
// consider: the ones raised at the audit and any still open from earlier
// audits) and `findings` (to map nonconformities to audits and clauses).
// The kind is the most severe that applies:
//   new-stage2-required  when `audit` is a completed stage 2 and a major
//                        raised at it was not verified within 6 months after
//                        its last day (unverified and today is past the
//                        limit, or verified after it);
//   not-recommend        when a major is not verified (any state before
//                        kVerified, or escalated), or a minor has no accepted
//                        plan (open, plan-submitted, escalated), and its due
//                        date has passed (today > due_date) or it is escalated;
//   recommend-with-conditions  when minors have an accepted plan but are not
//                        verified yet (plan-accepted, implemented), or a
//                        nonconformity is pending: not escalated and not yet
//                        due (today <= due_date: a minor without an accepted
//                        plan, kMinorPlanPending; a major not verified,
//                        kMajorPending). On the last day of an audit the plans
//                        of its new nonconformities are not yet due, so they
//                        are pending, never grounds for not-recommend; the
//                        decision still needs them settled (CheckCertificationConditions);
//   recommend            otherwise.
// Every nonconformity not yet verified (and every stage 2 major verified too
// late) gives a reason; when none does, one kNoOpenNonconformities reason
// says so. Every SystemicWarning among the findings of `audit` adds a
// kPossibleSystemic reason (information only: it does not change the kind).
// Reasons are ordered by severity, then subject. Only major and minor
// nonconformities count.
Recommendation ComputeRecommendation(const Audit& audit, const std::vector<Finding>& findings,
                                     const std::vector<Nonconformity>& nonconformities, Date today,
                                     const CertificationPolicy& policy);

// Overrides rec->kind with `to`, recording `justification` and a kOverridden
// reason. InvalidInput when the justification is empty or blank ("overriding
// the recommendation not-recommend with recommend needs a recorded
// justification") or when `to` is already the kind in force. *rec is
// unchanged on error.
Status OverrideRecommendation(Recommendation* rec, RecommendationKind to, std::string_view justification);

// The certification decision must be made by a person not involved in the
// audit. Names are compared ignoring case and surrounding blanks; every role
// counts, observers included. InvalidInput when `person` is blank, or
// naming the person and their role(s) when on the team, e.g.
//   decision maker 'Ana Ruiz' was on the audit team as leader: the
//   certification decision must be made by a person not involved in the audit
Status CheckDecisionMaker(std::string_view person, const std::vector<TeamMember>& team);

// ---------------------------------------------------------------------------
// The records a certification body keeps of a client (AuditStore stores
// them; docs/AUDIT.md gives their JSON).

// The certification body (report item a) and its policy, one per workspace.
struct CertificationBody {
  std::string name;           // Default: empty (the report then needs one)
  std::string address;        // Default: empty
  std::string accreditation;  // Default: empty
};

struct AuditPolicy {
  CertificationPolicy policy;  // defaults as in audit.h
  CertificationBody body;
};

struct ClientSite {
  std::string id;  // unique within the client, e.g. "HQ"
  std::string name;
  std::string address;
  std::string activities;  // what is done there within the scope
  // The site of the central function (the one that plans and controls the
  // management system); at most one per client, visited by every audit
  // (JSON "central": true). Default: false.
  bool central = false;
  // The day the site joined the certification scope (JSON "since"); none:
  // it always belonged to it. A report, programme or export as of an
  // earlier day leaves the site out (ClientAsOf).
  std::optional<Date> since = std::nullopt;
};

// One adjustment of the client's audit time in whole percents, up (+) or
// down (-), with its reason (required), e.g. -20 "combined audit".
struct AuditTimeAdjustmentRecord {
  int percent = 0;
  std::string reason;
};

// The inputs of the client's audit-time calculation (audit time, below;
// JSON "audit_time"): the persons in the certification scope and the
// adjustments to the table's time.
struct ClientAuditTime {
  int persons = 0;
  std::vector<AuditTimeAdjustmentRecord> adjustments;
  // The audit-time table the calculation was recorded with (AuditStore::
  // SetAuditTime): its ID, version and content hash (AuditTimeTable::sha256);
  // empty when not known (recorded without a table, or before assay kept it).
  // JSON "table": {"id", "version", "sha256"}.
  std::string table_id, table_version, table_sha256;
};

// A relationship a person declared with a client (ISO/IEC 17021-1 5.2: a
// threat to impartiality). It excludes the person from the client's audits
// and certification decisions while it lasted and for two years after.
enum class RelationshipKind { kConsulting, kEmployment };
// "consulting", "employment".
std::string_view RelationshipKindName(RelationshipKind kind);
Status ParseRelationshipKind(std::string_view text, RelationshipKind* out);

// How long after a declared relationship ends the person stays excluded.
inline constexpr int kRelationshipCoolingOffMonths = 24;

struct RelationshipDeclaration {
  std::string person;  // the registry person ID (or the name, without a registry)
  RelationshipKind kind = RelationshipKind::kConsulting;
  Date from;
  std::optional<Date> until;  // none: still going on
  Date declared;              // when it was declared
  std::string note;           // Default: empty
};

struct Client {
  std::string id;  // e.g. "NORTHWIND"
  std::string name;
  std::string address;
  std::string representative;  // the client's representative for audits
  std::string scope;           // the certification scope (required)
  std::vector<ClientSite> sites;
  // The technical areas the scope needs the audit team to be competent in
  // (JSON "technical_areas"), e.g. "cloud operations"; Default: none.
  std::vector<std::string> technical_areas;
  // Declared relationships of people with the client (JSON "declarations"),
  // kept in the client record and so in the log.
  std::vector<RelationshipDeclaration> declarations;
  // The inputs of the audit-time calculation; none until recorded.
  std::optional<ClientAuditTime> audit_time;
};

struct CertificateChange {
  CertificateStatus status = CertificateStatus::kActive;  // the status entered (or kept, on renewal)
  Date date;
  std::string reason;
};

struct CertificateRecord {
  Certificate certificate;                 // number, issue, expiry, status
  std::string scope;                       // as certified
  std::string decision;                    // the audit whose decision issued it
  std::vector<CertificateChange> history;  // oldest first; the first is the issue
};

struct AuditDeviation {
  std::string description;
  std::string reason;  // required
};

struct SampledItem {
  std::string clause;  // may be empty
  std::string description;
};

struct RecommendationOverride {
  RecommendationKind kind = RecommendationKind::kRecommend;
  std::string justification;
  Date date;
};

// i) A person who accompanied the audit without being on the team.
struct AccompanyingPerson {
  AccompanyingRole role = AccompanyingRole::kGuide;
  std::string person;        // required
  std::string organization;  // e.g. the client, an accreditation body; Default: empty
};

// j) One dated audit activity and where it took place.
struct AuditActivityRecord {
  Date date;
  ActivityMode mode = ActivityMode::kOnSite;
  // Required: a site ID of the client (the report shows the site's name) or
  // free text, e.g. "video conference".
  std::string place;
  std::string description;  // what was done; Default: empty
};

// n) Whether the audit was combined, joint or integrated, and with what.
struct AuditCombinationRecord {
  AuditCombination kind = AuditCombination::kSingle;
  std::string details;  // required unless kind is kSingle
};

// q) Whether the client controls its use of certification documents and
// marks, and what the team saw.
struct MarksUseRecord {
  MarksControl control = MarksControl::kControlled;
  std::string note;  // required for kNotControlled
};

struct AuditRecord {
  Audit audit;                     // id, type, dates, status, team
  std::vector<std::string> sites;  // site IDs of the client
  std::vector<std::string> objectives;
  std::vector<std::string> criteria;
  std::string scope;
  std::vector<AuditDeviation> deviations;
  std::vector<SampledItem> sampled;
  std::string assessment;  // linked capability assessment ID; may be empty
  std::string conclusion;  // for a stage 1: its readiness conclusion for stage 2
  // For a stage 2 held without a completed stage 1: why (JSON
  // "stage1_exception"); empty when no exception is recorded. See CheckStage1.
  std::string stage1_exception;
  // The audit days planned (auditor days of 8 hours, the whole team; JSON
  // "audit_days"), and why they are below the audit-time calculation when
  // they are (JSON "audit_days_justification"). See CheckAuditDays.
  std::optional<double> audit_days;
  std::string audit_days_justification;
  // Why the certification body accepted a team whose competence does not
  // cover the client's technical areas (JSON "competence_justification"),
  // e.g. the technical knowledge a named expert supplied off-site; empty when
  // none is recorded. See CheckTeamCompetenceForDecision.
  std::string competence_justification;
  std::optional<RecommendationOverride> override_;  // JSON "override"
  // The report items below are empty (or absent) until the team records
  // them; the report then says "none recorded".
  std::vector<std::string> programme_issues;          // h) JSON "programme_issues"
  std::vector<AccompanyingPerson> accompanying;       // i) JSON "accompanying"
  std::vector<AuditActivityRecord> activities;        // j) JSON "activities"
  std::vector<std::string> changes;                   // l) JSON "changes"
  std::vector<std::string> unresolved_issues;         // m) JSON "unresolved_issues"
  std::optional<AuditCombinationRecord> combination;  // n) JSON "combination"
  std::optional<MarksUseRecord> marks;                // q) JSON "marks"
};

struct NonconformityRecord {
  Nonconformity nc;
  std::string correction;
  std::string root_cause;
  std::string corrective_action;
};

struct DecisionRecord {
  std::string audit;  // the audit the decision is based on (its key)
  CertificationDecision decision;
  std::string certificate;  // the certificate number it issued or renewed
  // The recommendation in force when the decision was recorded (kind,
  // computed kind, override and reasons): kept with the decision, and so in
  // the log, so that the report shows what the decision was based on.
  // Absent in decisions recorded before assay kept it (or imported without).
  std::optional<Recommendation> recommendation;
};

// Everything stored about one client.
struct ClientAuditData {
  Client client;
  std::vector<CertificateRecord> certificates;       // by number
  std::vector<AuditRecord> audits;                   // by ID
  std::vector<Finding> findings;                     // by ID
  std::vector<NonconformityRecord> nonconformities;  // by ID
  std::vector<DecisionRecord> decisions;             // by audit

  // The values audit.h computes with.
  ClientHistory History() const;
  const AuditRecord* FindAudit(const std::string& id) const;
  const Finding* FindFinding(const std::string& id) const;
  const NonconformityRecord* FindNonconformity(const std::string& id) const;
};

// The nonconformities that count for `audit` of client `c`, in the client's
// order: those raised at it, and those of earlier audits (whose last day is
// not after its last day) not yet verified or closed.
std::vector<const NonconformityRecord*> NonconformitiesToConsider(const ClientAuditData& c, const AuditRecord& audit);

// The recommendation after `audit` of client `c` as of `today`
// (ComputeRecommendation over NonconformitiesToConsider), then, with
// `apply_override`, the override the team recorded (once the computed kind
// equals the override, the override has nothing left to do).
Recommendation AuditRecommendation(const ClientAuditData& c, const AuditRecord& audit, Date today,
                                   const CertificationPolicy& policy, bool apply_override = true);

// The stage rule (ISO/IEC 17021-1 9.3.1): a stage 2 audit needs a completed
// stage 1 of the same client, ended on or before the stage 2's first day
// (actual, else planned) and with its readiness conclusion recorded
// (AuditRecord::conclusion), unless the stage 2 records an exception with its
// reason (AuditRecord::stage1_exception). OK for an audit of any other type.
// InvalidInput otherwise, naming the stage 2 and what is missing, e.g.
//   stage 2 audit 'ACME-S2' needs a completed stage 1 of client 'ACME' with
//   its readiness conclusion, or a recorded exception with its reason; the
//   client has no stage 1 audit
// (subject: kind "audit", the stage 2's ID, reason "stage1").
Status CheckStage1(const ClientAuditData& c, const AuditRecord& stage2);

// What a certificate needs from the audit a decision is based on, in the
// nonconformities' current states: the stage rule (CheckStage1) for a stage 2; every major
// nonconformity among NonconformitiesToConsider verified (or closed) and every
// minor one with an accepted plan (plan-accepted or later, not escalated).
// InvalidInput listing each nonconformity that is not, e.g.
//   a certificate needs every major nonconformity verified and every minor
//   one with an accepted plan: NC-1 (major, open), NC-2 (minor,
//   plan-submitted)
Status CheckCertificationConditions(const ClientAuditData& c, const AuditRecord& audit);

// ---------------------------------------------------------------------------
// Impartiality by person ID.

// The registry ID `who` names: `who` itself when it is a registry ID, else
// the person whose name or alias equals it (ignoring case and surrounding
// blanks); the trimmed text itself when the registry does not know it.
std::string PersonKey(std::string_view who, const std::vector<RegisteredPerson>& registry);

// InvalidInput when `person` declared a relationship with client `c` that
// lasted into the two years before `on` (from <= on and until, if any, is
// no more than 24 months before `on`), naming the declaration and what it
// excludes the person from (`what`, e.g. "audit 'A-1'"). People are compared
// by PersonKey.
Status CheckDeclaredRelationships(const ClientAuditData& c, std::string_view person, Date on,
                                  const std::vector<RegisteredPerson>& registry, const std::string& what);

// The decision maker on `audit` took part in no audit of the cycle it
// decides (the audits from the one after the audit of the previous decision
// up to `audit`, by last day; every audit before a first decision) in any
// role, and declared no relationship with the client in the two years
// before `date`. People are compared by PersonKey, so a name and the ID it
// resolves to are the same person. InvalidInput naming the person, the
// audit and the role, e.g.
//   decision maker 'Dr. Marek Kowalczyk' (person mkowalczyk) took part in
//   audit 'NW-SV1-2025' of this cycle as auditor: the certification decision
//   must be made by a person not involved in the audits of the cycle
Status CheckDecisionImpartiality(const ClientAuditData& c, const AuditRecord& audit, std::string_view person,
                                 Date date, const std::vector<RegisteredPerson>& registry);

// ---------------------------------------------------------------------------
// Competence of an audit team.

// One member of an audit team as the competence check saw them.
struct MemberCompetence {
  std::string person;     // as recorded on the team
  std::string id;         // registry ID; empty when the registry does not know the person
  std::string name;       // the registered name (else as recorded)
  TeamRole role = TeamRole::kAuditor;
  // Whether the member's areas count for the team: leaders, auditors and
  // technical experts; observers do not (ISO/IEC 17021-1: an observer takes
  // no part in the audit).
  bool counts = false;
  std::vector<std::string> areas;             // registered technical areas
  std::vector<Credential> qualifications;     // valid on the audit's first day
  std::vector<Credential> lapsed;             // not valid on that day (no valid one of the same name)
};

struct TeamCompetence {
  Date day;  // the audit's first day (actual, else planned), when competence is judged
  std::vector<MemberCompetence> members;  // in team order, each person once
  // Each technical area of the client's scope with the team members (by
  // registry ID) whose registered areas include it (ignoring case); only
  // members who count (not observers).
  std::vector<std::pair<std::string, std::vector<std::string>>> covered;
  std::vector<std::string> missing;    // areas no counting member covers
  // "ID: QUALIFICATION (valid until D)" (or "valid from D") of a counting
  // member, not valid on the audit's first day and not renewed by another
  // qualification of the same name valid then.
  std::vector<std::string> lapsed;
  std::vector<std::string> unknown;    // team members the registry does not know
  std::string justification;           // AuditRecord::competence_justification

  // A gap: an area missing or a qualification lapsed.
  bool HasGap() const { return !missing.empty() || !lapsed.empty(); }
};

// Whether the team of `audit` covers the technical areas of `client` with
// registered competence, from the people of `registry` (PersonKey), judged
// on the audit's first day (actual, else planned). Observers are listed but
// cover nothing.
TeamCompetence CheckTeamCompetence(const Client& client, const AuditRecord& audit,
                                   const std::vector<RegisteredPerson>& registry);

// The competence rule of a certification decision (ISO/IEC 17021-1 7.2 and
// 9.2.2.1: the team as a whole is competent for the scope, which the decision
// maker confirms). When the client names technical areas and the team of
// `audit` has a gap (an area no counting member covers, or a member's
// qualification not valid on the audit's first day), the decision is refused
// unless the audit records a competence justification. InvalidInput naming
// the gaps (subject: kind "audit", the audit's ID, reason "competence"), e.g.
//   the team of audit 'A-2' has competence gaps on its first day 2026-03-02:
//   no member is competent in: data centre; qualification lapsed: ana: lead
//   auditor (valid until 2026-03-01); a certification decision needs a team
//   competent for the client's technical areas, or a recorded justification
//   (such as the technical expert who supplied the knowledge)
Status CheckTeamCompetenceForDecision(const Client& client, const AuditRecord& audit,
                                      const std::vector<RegisteredPerson>& registry);

// ---------------------------------------------------------------------------
// Coverage of the clauses: one source of truth for what an audit sampled and
// what a cycle has covered.

// The clauses audit `audit` covered: those its plan's samples name
// (AuditRecord::sampled) and those its findings name, each once, sorted.
// Every section of the report and the cycle coverage use this.
std::vector<std::string> AuditClauses(const AuditRecord& audit, const std::vector<Finding>& findings);

// One clause covered (or planned to be) in the current cycle.
struct ClauseCoverage {
  std::string clause;
  std::vector<std::string> audits;   // held audits of the cycle that covered it, oldest first
  std::vector<std::string> planned;  // planned (or in-progress) audits whose samples name it
};

// The coverage of the client's current cycle as of `today`, one entry per
// clause covered or planned, sorted by clause text. The cycle is that of the
// latest decision dated on or before `today`: the audit the decision was
// based on and every later audit (by last day); before any decision, every
// audit. Stage 1 audits (a review of readiness) and cancelled audits do not
// count. An audit counts as held when completed with actual_end on or
// before `today`; otherwise as planned.
std::vector<ClauseCoverage> CycleCoverage(const ClientAuditData& c, Date today);

// The audits of that cycle (CycleCoverage's: stage 1 and cancelled audits
// left out), by last day (actual, else planned).
std::vector<const AuditRecord*> CycleAudits(const ClientAuditData& c, Date today);

// The gaps of `coverage` against `auditable` (the catalogue's auditable
// clauses, in their order): not_covered lists the clauses no held audit of
// the cycle covered; not_planned those of them no planned audit samples
// either. Every auditable clause must be covered before recertification, so
// not_planned is what the programme still has to plan.
struct CoverageGaps {
  std::vector<std::string> not_covered;
  std::vector<std::string> not_planned;
};
CoverageGaps CoverageGapsOf(const std::vector<ClauseCoverage>& coverage, const std::vector<std::string>& auditable);

// ---------------------------------------------------------------------------
// The content of a certification audit report (ISO/IEC 17021-1 9.4.8.2,
// DOMAIN.md 3.5 a-r): what reports/audit_report.h renders as PDF and JSON.

// The capability of one process in an assessment linked to the audit.
struct ProcessCapability {
  std::string process;        // process ID, e.g. "SLM.1"
  std::string name;           // e.g. "Service level management"
  int level = 0;              // capability level 0..5 as rated
  std::optional<int> target;  // the target level, when the assessment set one
};

// The assessment an audit links to (AuditRecord::assessment), with the
// capability of every process whose level was determined.
struct LinkedAssessment {
  std::string id;
  std::string title;                         // Default: empty
  std::string model;                         // "itsm-20000@1.0.0"
  std::optional<Date> date;                  // its end date, when it has a valid one. Default: none
  std::vector<ProcessCapability> processes;  // in scope order
};

// The linked-assessment part of the report from the assessment and its
// results (rating.h ComputeResults).
LinkedAssessment LinkAssessment(const Assessment& assessment, const RatingResults& results);

// A nonconformity as of the report date.
struct ReportedNonconformity : NonconformityRecord {
  bool overdue = false;  // IsOverdue(nc, report_date)
};

struct AuditReportContent {
  Date report_date;                        // the "as of" date (overdue flags, recommendation, programme)
  CertificationBody body;                  // a) the workspace's; name may be empty
  Client client;                           // b) with the sites the audit covers (all when it names none)
  std::optional<Certificate> certificate;  // the client's newest; none before the initial decision
  // The audit: type, dates, status, team and items d-q. An activity's place
  // that names a site of the client is that site's name (its ID when the
  // site has no name).
  AuditRecord audit;
  // The findings of the audit (client order), then those of earlier audits
  // behind `nonconformities`.
  std::vector<Finding> findings;
  std::vector<ReportedNonconformity> nonconformities;  // NonconformitiesToConsider
  std::vector<SystemicWarning> systemic_warnings;      // over the audit's findings
  std::vector<ClauseCoverage> cycle_coverage;          // CycleCoverage as of report_date
  Recommendation recommendation;                       // AuditRecommendation as of report_date
  std::optional<CertificationDecision> decision;       // the decision based on the audit, if any
  std::optional<ProgrammeStatus> programme;            // ComputeProgramme as of report_date, when consistent
  std::optional<LinkedAssessment> assessment;          // set by the caller: LinkAssessment
  // The team's competence against the client's technical areas
  // (CheckTeamCompetence with the registry of people); set by the caller.
  std::optional<TeamCompetence> competence;
  // A draft: no certification decision is based on the audit yet, and the
  // audit is a stage 2, recertification or special audit (those a decision
  // follows) or is not completed. The report says DRAFT on every page and in
  // its title.
  bool draft = false;
};

// The client's records as they stood on `date`, by their own dates: each
// nonconformity's state changes after the date are dropped (its state is the
// last one kept, else open), decisions dated after it are dropped, and so
// are certificates issued after it; a kept certificate's status changes
// after it are cut; sites that joined the scope after it are left out. What a report as of `date` shows (ComputeAuditReport).
ClientAuditData ClientAsOf(const ClientAuditData& c, Date date);

// The report content of audit `audit` of client `c` under `policy`, as of
// `as_of`; default: the date of the decision based on the audit, else the
// audit's last day (actual, else planned), never the clock. The content is
// that of ClientAsOf(c, report date): a nonconformity verified later shows
// its state on that date. When a decision based on the audit recorded its
// recommendation, the report shows that recommendation. NotFound (about
// "audit") when `c` has no such audit.
Status ComputeAuditReport(const ClientAuditData& c, const AuditPolicy& policy, const std::string& audit,
                          std::optional<Date> as_of, AuditReportContent* out);

}  // namespace assay

// ===========================================================================
// Audit time and multi-site sampling: pure rules in the manner of
// ISO/IEC 20000-6 and IAF MD 5 (audit time) and IAF MD 1 (sampling of
// sites). The tables and factors are data the caller passes (a certification
// body's own, or assay's exemplar values, which are ours and not the
// standards'); nothing here reads a file or a clock. Safe to call
// concurrently.
//
// Status codes: InvalidInput for a table that is empty or not ascending, a
// non-positive number of persons or sites, or an adjustment without its
// reason.

namespace assay {

// One band of the audit-time table: up to `max_persons` persons in scope
// (inclusive; the bands ascend), `days` audit days for an initial audit
// (stage 1 + stage 2).
struct AuditTimeBand {
  int max_persons = 0;
  double days = 0;
};

// Sampling factors for multi-site clients: the square root of the number of
// sites for an initial audit, times 0.6 for surveillance and 0.8 for
// recertification, rounded up; the central function is visited every time
// and counts among the sampled sites.
struct SiteSampling {
  double surveillance_factor = 0.6;
  double recertification_factor = 0.8;
};

struct AuditTimeTable {
  std::vector<AuditTimeBand> bands;  // ascending by max_persons
  double max_reduction = 0.30;       // the total reduction is capped at 30 %
  double surveillance_share = 1.0 / 3.0;
  double recertification_share = 2.0 / 3.0;
  SiteSampling sampling;             // the site-sampling factors of the same body
  // Where the values come from (set by LoadAuditTimeTable; empty when built
  // in memory).
  std::string id, version, title, notice, path;
  // SHA-256 (hex) of the table's content (its JSON, whitespace aside), set by
  // LoadAuditTimeTable; empty when built in memory.
  std::string sha256;
};

// An adjustment of the table's time up (+) or down (-), e.g. -0.20 for
// "identical shifts", with its reason (required). The records store whole
// percents (ClientAuditTime), so fraction is percent / 100 there.
struct AuditTimeAdjustment {
  double fraction = 0;
  std::string reason;
};

struct AuditTime {
  int persons = 0;            // the persons in scope it was computed for
  int band_min = 0;           // the band's persons: band_min..band_max
  int band_max = 0;
  double base_days = 0;       // the table's value for the persons in scope
  double sum_adjustment = 0;  // the sum of the adjustments, before the cap
  double net_adjustment = 0;  // the sum of the adjustments, after the cap
  bool capped = false;        // the reductions exceeded the cap
  double initial_days = 0;    // base * (1 + net_adjustment): stage 1 + stage 2
  double surveillance_days = 0;
  double recertification_days = 0;
  double days = 0;            // for the audit type: initial, or its share
};

// The audit time for `persons` in scope: the band's days, adjusted by the
// sum of `adjustments` (a net reduction below -max_reduction is capped at
// it), then the share for `type` (surveillance about a third,
// recertification about two thirds of the initial time; stage 1, stage 2
// and special audits: the initial time). Persons above the last band use
// the last band. Days are rounded to the nearest half day.
Status ComputeAuditTime(const AuditTimeTable& table, int persons, const std::vector<AuditTimeAdjustment>& adjustments,
                        AuditType type, AuditTime* out);

// The number of sites to visit out of `sites` for an audit of `type`
// (at least 1, at most `sites`). InvalidInput when sites < 1.
Status SitesToSample(int sites, AuditType type, const SiteSampling& sampling, int* out);

// The sites of `client` that no completed audit in `audits` visited
// (AuditRecord::sites; an audit naming no site visited all), in client order:
// the programme must visit every site over the cycle.
std::vector<std::string> SitesNotVisited(const Client& client, const std::vector<AuditRecord>& audits);

// ---------------------------------------------------------------------------
// The table as data: models/audit-time/*.json ("assay-audit-time/1",
// schemas/audit-time.schema.json). assay bundles exemplar values of its own
// (id kDefaultAuditTimeTable), not those of ISO/IEC 20000-6; a certification
// body replaces them with its own table under the same ID in a model
// directory searched first, or names another file.

inline constexpr const char* kDefaultAuditTimeTable = "audit-time-exemplar";

// Loads and validates one table file: JSON syntax (line:column), the schema,
// then the bands (ascending persons, positive days). Every problem is a
// diagnostic naming the file and the JSON pointer, e.g.
//   t.json: /bands/3/max_persons: band 4 (20 persons) does not follow band 3 (25 persons)
// NotFound when the file does not exist; InvalidInput "FILE: invalid
// audit-time table (N problems)" otherwise.
Status LoadAuditTimeTableFile(const std::string& path, std::shared_ptr<const AuditTimeTable>* out,
                              std::vector<Diagnostic>* diags);

// Loads a table by path (contains '/' or ends in ".json") or by ID from
// DIR/audit-time/*.json of `search_dirs` in order (the first directory
// holding the ID wins). NotFound naming the directories and the nearest IDs.
Status LoadAuditTimeTable(const std::string& id_or_path, const std::vector<std::string>& search_dirs,
                          std::shared_ptr<const AuditTimeTable>* out, std::vector<Diagnostic>* diags);

// The audit time of `client` (Client::audit_time) for an audit of `type`.
// InvalidInput when the client has no audit-time inputs (subject: kind
// "client", its ID, reason "audit-time") or they are invalid.
Status ClientAuditTimeFor(const Client& client, const AuditTimeTable& table, AuditType type, AuditTime* out);

// The planned audit days of one audit against the calculation.
struct AuditDays {
  std::string audit;
  AuditType type = AuditType::kStage2;
  AuditStatus status = AuditStatus::kPlanned;
  // The days planned: for a stage 2, its days plus those of the client's
  // latest stage 1 before it (the initial time covers both); none when the
  // audit records none.
  std::optional<double> planned;
  double required = 0;        // the calculation for the type
  bool below = false;         // planned < required
  std::string justification;  // AuditRecord::audit_days_justification
};

// One entry per stage 2, surveillance and recertification audit of `c` that
// is not cancelled, in the client's order; empty when the client has no
// audit-time inputs (stage 1 days count with their stage 2; special audits
// have no share of their own).
std::vector<AuditDays> AuditDaysOf(const ClientAuditData& c, const AuditTimeTable& table);

// The rule: an audit not yet completed (planned or in progress) whose
// planned days are below the calculation needs a recorded justification.
// Completed audits are history: AuditDaysOf flags them. InvalidInput about
// ("audit", ID, reason "days"), e.g.
//   audit 'S-1' plans 2 audit days, below the 2.5 days of the audit-time
//   calculation for a surveillance audit; record why (the justification)
Status CheckAuditDays(const ClientAuditData& c, const AuditTimeTable& table);

// The sites of the audits of the current cycle (the audits CycleCoverage
// counts: from the one the latest decision on or before `today` was based
// on; stage 1 and cancelled audits do not count).
struct AuditSites {
  std::string audit;
  AuditType type = AuditType::kStage2;
  bool held = false;               // completed on or before `today`
  std::vector<std::string> sites;  // the sites it visits (all when it names none)
  int required = 1;                // SitesToSample for its type
  bool central_visited = true;     // the central site among them (true when none is recorded)
};

struct SiteCoverage {
  std::string central;                      // the central site's ID; empty when none is marked
  std::vector<AuditSites> audits;           // by last day
  std::vector<std::string> not_visited;     // sites no held audit of the cycle visited, client order
  std::vector<std::string> not_planned;     // of those, the ones no planned audit visits either
};

SiteCoverage CycleSiteCoverage(const ClientAuditData& c, const SiteSampling& sampling, Date today);

// What an audit report shows of audit time and sites.
struct ReportTimeAndSites {
  std::string table;   // the table's "ID VERSION"
  std::string table_sha256;  // the table's AuditTimeTable::sha256
  std::string notice;  // the table's notice (where its values come from)
  // The table the client's calculation was recorded with, "ID VERSION
  // (SHA-256 first 12 hex digits)", when it is not the table of the report
  // (another ID, or the same ID with other content: the body replaced it
  // since); empty when they agree or the record names no table.
  std::string recorded_table;
  double max_reduction = 0.30;
  std::optional<AuditTime> time;                        // none: the client has no calculation
  std::vector<AuditTimeAdjustmentRecord> adjustments;   // the client's, with their reasons
  std::optional<AuditDays> days;                        // this audit's planned days against it
  std::vector<ClientSite> sites;                        // every site of the client
  std::vector<std::string> visited;                     // the sites this audit visits (all when it names none)
  int required_sites = 0;                               // SitesToSample for this audit's type (0: no sites)
  SiteCoverage coverage;                                // the cycle's, as of the report date
};

// The audit-time and site part of the report of `audit` of `c` (the client
// as of the report date, audit.h ClientAsOf) on `report_date`. NotFound when
// `c` has no such audit.
Status ComputeReportTimeAndSites(const ClientAuditData& c, const AuditTimeTable& table, const std::string& audit,
                                 Date report_date, ReportTimeAndSites* out);

// Days as the outputs show them: "2", "2.5".
std::string DaysText(double days);

}  // namespace assay

// ===========================================================================
// Catalogue: the requirement catalogue of a management-system standard
// (ISO/IEC 20000-1:2018 is bundled as models/catalogues/iso20000-1-2018.json).
//
// A catalogue lists the clauses of the standard in document order: number,
// title, a summary written in assay's own words (never the standard's text),
// whether the clause is auditable (pure headings such as "8.5" are not: their
// requirements sit in their sub-clauses), the processes of a process
// assessment model that realise it, and hints on what an auditor samples.
// Audit findings are recorded against auditable clauses; the audit report
// lists every auditable clause and, when an assessment is linked, the
// capability level of the processes behind each clause.
//
// Loading validates in three passes and reports every problem, not only the
// first, each as a Diagnostic naming the file and a JSON pointer: (1) JSON
// syntax with line:column, duplicate keys, nesting depth; (2) the schema
// schemas/catalogue.schema.json (compiled into the engine); (3) semantic
// checks: clause numbers unique, every parent an earlier clause whose number
// is the child's minus its last component, children following their parent
// in document order, auditable clauses linked to at least one process.
// CheckCatalogueAgainstModel() adds the cross-check that every linked process
// exists in the model pack the catalogue names.
//
// A loaded Catalogue is an immutable value; it is safe to read from several
// threads. The functions here are thread-safe.
//
// Status codes: NotFound (no catalogue with that id or path; the message lists
// the nearest ids), InvalidInput (the file has problems: see the diagnostics),
// and for clause look-ups NotFound for an unknown clause number (with the
// nearest clause numbers) or InvalidInput for a heading where an auditable
// clause is required.
//
// (Only a declaration of Model is needed here: audit.h does not include
// model.h.)

namespace assay {

class Model;  // assay/model.h

struct Clause {
  std::string number;  // "8.5.1.3": decimal components separated by dots
  std::string title;
  std::string parent;  // number of the enclosing clause; "" for 4 .. 10
  bool auditable = true;
  std::string summary;  // in assay's own words
  // Ids of the model's processes that realise the clause (at least one when
  // auditable), in file order.
  std::vector<std::string> processes;
  std::vector<std::string> evidence_hints;  // may be empty

  // 1 for "8", 2 for "8.5", 4 for "8.5.1.3".
  int depth() const;
};

// The model pack whose process ids a catalogue's clauses link to.
struct CatalogueModelRef {
  std::string id;       // e.g. "itsm-20000"
  std::string version;  // e.g. "1.0.0"
};

struct Catalogue {
  std::string id;        // e.g. "iso20000-1-2018"
  std::string version;   // the catalogue file's own version, e.g. "1.0.0"
  std::string title;     // e.g. "ISO/IEC 20000-1:2018 requirement catalogue"
  std::string standard;  // the standard and its edition, e.g. "ISO/IEC 20000-1:2018"
  std::vector<std::string> follows;
  std::string notice;  // copyright / own-words notice, shown in reports
  CatalogueModelRef model;
  std::vector<Clause> clauses;  // document order
  std::string path;             // the file it was loaded from ("" if built in memory)
  std::string sha256;           // of the file's canonical JSON ("" if built in memory)

  // The clause with exactly this number, or nullptr.
  const Clause* FindClause(std::string_view number) const;

  // The auditable clauses in document order.
  std::vector<const Clause*> AuditableClauses() const;

  // The clauses (headings included) linking `process`, in document order.
  std::vector<const Clause*> ClausesOfProcess(std::string_view process) const;

  // The direct sub-clauses of `number`, in document order.
  std::vector<const Clause*> Children(std::string_view number) const;

  // All clause numbers (auditable_only: only the auditable ones), in
  // document order.
  std::vector<std::string> ClauseNumbers(bool auditable_only = false) const;

  // Up to `max` clause numbers nearest to `number`, in document order.
  // Nearness follows the numbering, not the spelling: a number that differs
  // only in its dots ("8.51" for "8.5.1") comes first, then clauses sharing
  // the longest leading components, then the closest number at the first
  // differing component, then the closest depth. With auditable_only, only
  // auditable clauses are candidates. Empty when the catalogue is empty.
  std::vector<std::string> NearestClauses(std::string_view number, bool auditable_only = false, size_t max = 3) const;

  // OK when `number` is a clause of this catalogue. Otherwise NotFound, e.g.
  //   unknown clause '8.9.9' in catalogue iso20000-1-2018; nearest: 8.7.1, 8.7.2, 8.7.3.3
  // (suggestions among the auditable clauses).
  Status CheckClause(std::string_view number) const;

  // OK when `number` is an auditable clause (findings are recorded against
  // these). NotFound as CheckClause for an unknown number; InvalidInput for a
  // heading, naming its auditable sub-clauses, e.g.
  //   clause 8.5.1 (Change management) is a heading, not an auditable clause;
  //   use one of 8.5.1.1, 8.5.1.2, 8.5.1.3
  Status CheckAuditableClause(std::string_view number) const;
};

// Loads and validates one catalogue file. Appends every problem to `diags`
// (InvalidInput "FILE: invalid requirement catalogue (N problems)" when there
// are any; IOError-like read failures are diagnostics too, returned as
// NotFound when the file does not exist). On success sets *out.
Status LoadCatalogueFile(const std::string& path, std::shared_ptr<const Catalogue>* out,
                         std::vector<Diagnostic>* diags);

// Loads a catalogue by id or path. `id_or_path` is a path when it contains a
// '/' or ends in ".json"; otherwise it is an id looked up in `search_dirs`
// (use ModelLibrary::search_dirs(): the caller's directories, $ASSAY_MODELS,
// the bundled models). In each directory, DIR/catalogues/*.json and then
// DIR/*.json files whose "kind" is "catalogue" are considered; the first
// directory holding the id wins, and within it the highest version.
// NotFound when no catalogue has that id:
//   catalogue 'iso20000-1-2019' not found in DIR1, DIR2; nearest: iso20000-1-2018
// Files of other catalogues are not validated, so a broken file elsewhere
// does not stop a good catalogue from loading.
Status LoadCatalogue(const std::string& id_or_path, const std::vector<std::string>& search_dirs,
                     std::shared_ptr<const Catalogue>* out, std::vector<Diagnostic>* diags);

// The ids (with versions and paths) of the catalogues found in `search_dirs`,
// as "id@version path", sorted; files that are not valid JSON or not
// catalogues are skipped.
std::vector<std::string> ListCatalogues(const std::vector<std::string>& search_dirs);

// Checks that `model` is the pack the catalogue names (id, and version
// unless the catalogue's model version is empty) and that every linked
// process exists in it. One diagnostic per problem with the JSON pointer of
// the clause's process entry and the nearest process ids, e.g.
//   models/catalogues/x.json: /clauses/12/processes/0: unknown process
//   'SLM.9' in itsm-20000@1.0.0; nearest: SLM.1
// Returns InvalidInput when there were problems.
Status CheckCatalogueAgainstModel(const Catalogue& catalogue, const Model& model, std::vector<Diagnostic>* diags);

}  // namespace assay

#endif  // ASSAY_AUDIT_H_
