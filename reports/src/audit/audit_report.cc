#include "assay/reports/audit_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "assay/reports/report_parts.h"

namespace assay::reports {

namespace {

using ojson = nlohmann::ordered_json;

// ---------------------------------------------------------------------------
// Small helpers

std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string Long(const Date& d) { return LongDate(d.ToString()); }

// A site as the report names it: its name, else its ID.
std::string SiteName(const ClientSite& s) { return s.name.empty() ? s.id : s.name; }

std::string Plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Severity of a grade for ordering: lower is more severe.
int Severity(FindingGrade g) {
  switch (g) {
    case FindingGrade::kMajor:
      return 0;
    case FindingGrade::kMinor:
      return 1;
    case FindingGrade::kObservation:
      return 2;
    case FindingGrade::kOpportunity:
      return 3;
    case FindingGrade::kConforming:
      return 4;
  }
  return 5;
}

std::string GradeLabel(FindingGrade g) {
  switch (g) {
    case FindingGrade::kMajor:
      return "Major nonconformity";
    case FindingGrade::kMinor:
      return "Minor nonconformity";
    case FindingGrade::kObservation:
      return "Observation";
    case FindingGrade::kOpportunity:
      return "Opportunity for improvement";
    case FindingGrade::kConforming:
      return "Conforming";
  }
  return "";
}

std::string GradeShort(FindingGrade g) {
  switch (g) {
    case FindingGrade::kMajor:
      return "Major NC";
    case FindingGrade::kMinor:
      return "Minor NC";
    case FindingGrade::kObservation:
      return "Observation";
    case FindingGrade::kOpportunity:
      return "OFI";
    case FindingGrade::kConforming:
      return "Conforming";
  }
  return "";
}

Color GradeFill(FindingGrade g) {
  switch (g) {
    case FindingGrade::kMajor:
      return palette::kRatingN;
    case FindingGrade::kMinor:
      return palette::kRatingP;
    case FindingGrade::kObservation:
      return palette::kHeaderFill;
    case FindingGrade::kOpportunity:
      return palette::kZebra;
    case FindingGrade::kConforming:
      return palette::kRatingF;
  }
  return palette::kWhite;
}

std::string AuditTypeLabel(AuditType t) {
  switch (t) {
    case AuditType::kStage1:
      return "Initial certification audit, stage 1";
    case AuditType::kStage2:
      return "Initial certification audit, stage 2";
    case AuditType::kSurveillance:
      return "Surveillance audit";
    case AuditType::kRecertification:
      return "Recertification audit";
    case AuditType::kSpecial:
      return "Special audit";
  }
  return "";
}

std::string AuditTypeShort(AuditType t) {
  switch (t) {
    case AuditType::kStage1:
      return "Stage 1 audit";
    case AuditType::kStage2:
      return "Stage 2 audit";
    case AuditType::kSurveillance:
      return "Surveillance audit";
    case AuditType::kRecertification:
      return "Recertification audit";
    case AuditType::kSpecial:
      return "Special audit";
  }
  return "";
}

// What a recommendation is about, by audit type.
std::string CertificationAction(AuditType t) {
  switch (t) {
    case AuditType::kStage1:
      return "proceeding to the stage 2 audit";
    case AuditType::kStage2:
      return "granting certification";
    case AuditType::kSurveillance:
      return "continuing certification";
    case AuditType::kRecertification:
      return "renewing certification";
    case AuditType::kSpecial:
      return "maintaining certification";
  }
  return "certification";
}

std::string RecommendationLabel(RecommendationKind k, AuditType t) {
  switch (k) {
    case RecommendationKind::kRecommend:
      return "Recommended: " + CertificationAction(t);
    case RecommendationKind::kRecommendWithConditions:
      return "Recommended with conditions: " + CertificationAction(t);
    case RecommendationKind::kNotRecommend:
      return "Not recommended: " + CertificationAction(t);
    case RecommendationKind::kNewStage2Required:
      return "A new stage 2 audit is required";
  }
  return "";
}

Color RecommendationFill(RecommendationKind k) {
  switch (k) {
    case RecommendationKind::kRecommend:
      return palette::kRatingF;
    case RecommendationKind::kRecommendWithConditions:
      return palette::kRatingL;
    case RecommendationKind::kNotRecommend:
      return palette::kRatingP;
    case RecommendationKind::kNewStage2Required:
      return palette::kRatingN;
  }
  return palette::kWhite;
}

std::string ReasonLabel(RecommendationReasonCode c) {
  switch (c) {
    case RecommendationReasonCode::kNoOpenNonconformities:
      return "No open nonconformities";
    case RecommendationReasonCode::kMinorPlanAccepted:
      return "Minor: plan accepted";
    case RecommendationReasonCode::kMinorPlanNotAccepted:
      return "Minor: no accepted plan";
    case RecommendationReasonCode::kOpenMajor:
      return "Major not verified";
    case RecommendationReasonCode::kMajorNotVerifiedInTime:
      return "Major not verified in 6 months";
    case RecommendationReasonCode::kPossibleSystemic:
      return "Possible systemic failure";
    case RecommendationReasonCode::kOverridden:
      return "Overridden by the team";
    case RecommendationReasonCode::kMajorPending:
      return "Major pending: not yet due";
    case RecommendationReasonCode::kMinorPlanPending:
      return "Minor pending: plan not yet due";
  }
  return "";
}

std::string StateLabel(NonconformityState s) {
  switch (s) {
    case NonconformityState::kOpen:
      return "Open";
    case NonconformityState::kPlanSubmitted:
      return "Plan submitted";
    case NonconformityState::kPlanAccepted:
      return "Plan accepted";
    case NonconformityState::kImplemented:
      return "Implemented";
    case NonconformityState::kVerified:
      return "Verified";
    case NonconformityState::kClosedEffective:
      return "Closed (effective)";
    case NonconformityState::kEscalated:
      return "Escalated";
  }
  return "";
}

std::string RoleLabel(TeamRole r) {
  switch (r) {
    case TeamRole::kLeader:
      return "Audit team leader";
    case TeamRole::kAuditor:
      return "Auditor";
    case TeamRole::kTechnicalExpert:
      return "Technical expert";
    case TeamRole::kObserver:
      return "Observer";
  }
  return "";
}

std::string DecisionLabel(DecisionKind k) {
  switch (k) {
    case DecisionKind::kInitial:
      return "Initial certification granted";
    case DecisionKind::kRecertification:
      return "Certification renewed";
    case DecisionKind::kRestoration:
      return "Certification restored";
  }
  return "";
}

std::string ItemStateLabel(ItemState s) {
  switch (s) {
    case ItemState::kNotDue:
      return "Not yet due";
    case ItemState::kDue:
      return "Due";
    case ItemState::kOverdue:
      return "OVERDUE";
    case ItemState::kDone:
      return "Done";
    case ItemState::kDoneLate:
      return "Done late";
  }
  return "";
}

std::string CertificateStatusLabel(CertificateStatus s) {
  std::string name(CertificateStatusName(s));
  if (!name.empty()) name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

std::string ModeLabel(ActivityMode mode) { return std::string(ActivityModeName(mode)); }

// What the report says of an item the team left empty: it states nothing
// the team did not record.
constexpr const char* kNoneRecorded = "None recorded.";

std::string AccompanyingRoleLabel(AccompanyingRole r) {
  switch (r) {
    case AccompanyingRole::kGuide:
      return "Guide";
    case AccompanyingRole::kInterpreter:
      return "Interpreter";
    case AccompanyingRole::kObserver:
      return "Observer";
  }
  return "";
}

std::string CombinationText(const std::optional<AuditCombinationRecord>& c, const std::string& standard) {
  if (!c) return kNoneRecorded;
  std::string head;
  switch (c->kind) {
    case AuditCombination::kSingle:
      head = "No: a single audit against " + standard + " only";
      break;
    case AuditCombination::kCombined:
      head = "Combined audit (with an audit against another management system standard)";
      break;
    case AuditCombination::kJoint:
      head = "Joint audit (with another certification body)";
      break;
    case AuditCombination::kIntegrated:
      head = "Integrated audit (of an integrated management system against several standards)";
      break;
  }
  return c->details.empty() ? head : head + ": " + c->details;
}

std::string MarksText(const std::optional<MarksUseRecord>& m) {
  if (!m) return kNoneRecorded;
  std::string head;
  switch (m->control) {
    case MarksControl::kControlled:
      head = "The client controls its use of certification documents and marks";
      break;
    case MarksControl::kNotControlled:
      head = "The client does NOT control its use of certification documents and marks";
      break;
    case MarksControl::kNotApplicable:
      head = "Not applicable: the client holds no certificate whose documents or marks it could use";
      break;
  }
  return m->note.empty() ? head + "." : head + ": " + m->note;
}

// ---------------------------------------------------------------------------
// Content: the report's facts in the order they are shown, computed once for
// the PDF and the JSON.

struct ClauseRow {
  const Clause* clause = nullptr;
  std::vector<const Finding*> findings;                // of this audit, input order
  std::optional<FindingGrade> worst;                   // none: no finding
  bool sampled = false;                                // in AuditClauses: a sample of the plan or a finding
  std::vector<const ProcessCapability*> capabilities;  // linked assessment, clause's process order
  std::vector<std::string> unrated;                    // processes of the clause the assessment did not rate
  bool level0 = false;                                 // a process behind the clause is at capability level 0
};

struct Content {
  const AuditReportInput* in = nullptr;
  const Catalogue* cat = nullptr;
  std::string catalogue_key;  // id@version
  std::vector<const TeamMember*> leaders;
  std::vector<const Finding*> findings;  // of this audit, by clause order then input order
  std::map<std::string, const Finding*> finding_by_id;
  std::map<std::string, const EvidenceRef*> evidence_by_id;
  std::vector<ClauseRow> clauses;                      // every auditable clause
  std::vector<const ReportedNonconformity*> current_ncs;  // raised at this audit
  std::vector<const ReportedNonconformity*> earlier_ncs;  // from earlier audits
  std::vector<const ReportedNonconformity*> overdue;
  std::map<FindingGrade, size_t> grade_count;
  size_t sampled_clauses = 0;
  std::vector<const ProcessCapability*> level0;
  CoverageGaps cycle_gaps;  // of in->cycle_coverage against every auditable clause
};

size_t ClauseIndex(const Catalogue& cat, const std::string& number) {
  for (size_t i = 0; i < cat.clauses.size(); ++i)
    if (cat.clauses[i].number == number) return i;
  return cat.clauses.size();
}

Content BuildContent(const AuditReportInput& in) {
  Content c;
  c.in = &in;
  c.cat = in.catalogue;
  c.catalogue_key = c.cat->id + "@" + c.cat->version;
  for (const TeamMember& m : in.audit.audit.team)
    if (m.role == TeamRole::kLeader) c.leaders.push_back(&m);
  for (const Finding& f : in.findings) c.finding_by_id[f.id] = &f;
  for (const EvidenceRef& e : in.evidence) c.evidence_by_id.emplace(e.id, &e);
  for (const Finding& f : in.findings)
    if (f.audit_id == in.audit.audit.id) c.findings.push_back(&f);
  std::stable_sort(c.findings.begin(), c.findings.end(), [&](const Finding* a, const Finding* b) {
    return ClauseIndex(*c.cat, a->clause) < ClauseIndex(*c.cat, b->clause);
  });
  std::map<std::string, const ProcessCapability*> capability;
  if (in.assessment)
    for (const ProcessCapability& p : in.assessment->processes) {
      capability.emplace(p.process, &p);
      if (p.level == 0) c.level0.push_back(&p);
    }
  const std::vector<std::string> audited = AuditClauses(in.audit, in.findings);
  std::vector<std::string> auditable;
  for (const Clause* clause : c.cat->AuditableClauses()) {
    ClauseRow row;
    row.clause = clause;
    auditable.push_back(clause->number);
    row.sampled = std::binary_search(audited.begin(), audited.end(), clause->number);
    for (const Finding* f : c.findings)
      if (f->clause == clause->number) {
        row.findings.push_back(f);
        if (!row.worst || Severity(f->grade) < Severity(*row.worst)) row.worst = f->grade;
      }
    if (row.sampled) ++c.sampled_clauses;
    if (in.assessment)
      for (const std::string& p : clause->processes) {
        auto it = capability.find(p);
        if (it == capability.end()) {
          row.unrated.push_back(p);
        } else {
          row.capabilities.push_back(it->second);
          if (it->second->level == 0) row.level0 = true;
        }
      }
    c.clauses.push_back(std::move(row));
  }
  c.cycle_gaps = CoverageGapsOf(in.cycle_coverage, auditable);
  for (const Finding* f : c.findings) ++c.grade_count[f->grade];
  for (const ReportedNonconformity& e : in.nonconformities) {
    const Finding* f = c.finding_by_id.at(e.nc.finding_id);
    (f->audit_id == in.audit.audit.id ? c.current_ncs : c.earlier_ncs).push_back(&e);
    if (e.overdue) c.overdue.push_back(&e);
  }
  return c;
}

std::string AuditDates(const Audit& a) {
  if (a.actual_start || a.actual_end) {
    return DateRange(a.actual_start ? a.actual_start->ToString() : "", a.actual_end ? a.actual_end->ToString() : "");
  }
  return DateRange(a.planned_start.ToString(), a.planned_end.ToString()) + " (planned)";
}

std::string PersonList(const std::vector<const TeamMember*>& members) {
  std::vector<std::string> names;
  for (const TeamMember* m : members) names.push_back(m->person);
  return names.empty() ? "not recorded" : Join(names);
}

std::string FindingCounts(const Content& c) {
  if (c.findings.empty()) return "no findings recorded";
  std::vector<std::string> parts;
  for (FindingGrade g : {FindingGrade::kMajor, FindingGrade::kMinor, FindingGrade::kObservation,
                         FindingGrade::kOpportunity, FindingGrade::kConforming}) {
    auto it = c.grade_count.find(g);
    if (it == c.grade_count.end()) continue;
    switch (g) {
      case FindingGrade::kMajor:
        parts.push_back(Plural(it->second, "major nonconformity", "major nonconformities"));
        break;
      case FindingGrade::kMinor:
        parts.push_back(Plural(it->second, "minor nonconformity", "minor nonconformities"));
        break;
      case FindingGrade::kObservation:
        parts.push_back(Plural(it->second, "observation", "observations"));
        break;
      case FindingGrade::kOpportunity:
        parts.push_back(Plural(it->second, "opportunity for improvement", "opportunities for improvement"));
        break;
      case FindingGrade::kConforming:
        parts.push_back(Plural(it->second, "conforming finding", "conforming findings"));
        break;
    }
  }
  return Join(parts);
}

// A clause's title for the report: fourth-level clauses and those titled
// "General" carry their heading's title too, since "8.5.1.3 Activities"
// alone does not say of what.
std::string DisplayTitle(const Catalogue& cat, const Clause& clause) {
  if (clause.depth() < 4 && clause.title != "General") return clause.title;
  const Clause* parent = cat.FindClause(clause.parent);
  if (parent == nullptr || parent->auditable) return clause.title;
  return parent->title + ": " + clause.title;
}

std::string ClauseTitle(const Content& c, const std::string& number) {
  const Clause* cl = c.cat->FindClause(number);
  return cl ? number + " " + DisplayTitle(*c.cat, *cl) : number;
}

std::string EvidenceText(const Content& c, const Finding& f) {
  std::vector<std::string> parts;
  for (const std::string& id : f.evidence_ids) {
    auto it = c.evidence_by_id.find(id);
    parts.push_back(
        it == c.evidence_by_id.end() || it->second->description.empty() ? id : id + ": " + it->second->description);
  }
  return parts.empty() ? "none referenced" : Join(parts, "\n");
}

std::string LevelText(const ProcessCapability& p) {
  std::string s = p.process + "  CL " + std::to_string(p.level);
  if (p.target) s += " (target " + std::to_string(*p.target) + ")";
  return s;
}

std::string NcStateText(const ReportedNonconformity& e) {
  std::string s = StateLabel(e.nc.state);
  if (e.overdue) s += "\nOVERDUE";
  return s;
}

// ---------------------------------------------------------------------------
// PDF body

constexpr double kSmall = 8.5;

TableStyle Grid(double size = kSmall, bool zebra = true) {
  TableStyle s;
  s.font_size = size;
  s.padding = 3;
  s.header = true;
  s.zebra = zebra;
  s.lines = TableStyle::Lines::kGrid;
  s.space_after = 8;
  return s;
}

TextStyle Muted(double size = 9) { return TextStyle{size, false, palette::kMuted, Align::kLeft, 6}; }

void Bullets(PdfDocument& doc, const std::vector<std::string>& items, const std::string& none) {
  if (items.empty())
    doc.Paragraph(none);
  else
    doc.BulletList(items);
}

void RenderSummary(PdfDocument& doc, const Content& c) {
  const AuditReportInput& in = *c.in;
  doc.Heading(1, "1  Summary");
  std::string type = AuditTypeLabel(in.audit.audit.type);
  type[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(type[0])));
  doc.Paragraph("This report records the results of the " + type + " of " + in.client.name + " against " +
                c.cat->standard + ". " + in.body.name + " conducted it; audit dates: " + AuditDates(in.audit.audit) +
                ". The report is written for the client and for the person of the "
                "certification body who takes the certification decision.");
  std::vector<std::pair<std::string, std::string>> kv = {
      {"Audit", in.audit.audit.id + "  (" + AuditTypeLabel(in.audit.audit.type) + ")"},
      {"Findings", FindingCounts(c)},
      {"Clauses sampled",
       std::to_string(c.sampled_clauses) + " of " + std::to_string(c.clauses.size()) + " auditable clauses"},
      {"Nonconformities open",
       [&] {
         size_t open = 0;
         for (const ReportedNonconformity& e : in.nonconformities)
           if (e.nc.state != NonconformityState::kVerified && e.nc.state != NonconformityState::kClosedEffective)
             ++open;
         std::string s = std::to_string(open) + " of " + std::to_string(in.nonconformities.size());
         if (!c.overdue.empty()) s += "; " + std::to_string(c.overdue.size()) + " overdue";
         return s;
       }()},
  };
  if (!in.systemic_warnings.empty())
    kv.push_back({"Systemic warnings",
                  Plural(in.systemic_warnings.size(), "clause", "clauses") + " with repeated minor nonconformities"});
  doc.KeyValues(kv, 0.27);
  TableCell rec{RecommendationLabel(in.recommendation.kind, in.audit.audit.type) +
                (in.recommendation.overridden ? "  (overridden by the audit team)" : "")};
  rec.fill = RecommendationFill(in.recommendation.kind);
  rec.bold = true;
  TableStyle st = Grid(10, false);
  st.header = false;
  st.padding = 6;
  doc.Table({{"", 1}}, {{rec}}, st);
  if (!c.overdue.empty()) {
    std::vector<std::string> ids;
    for (const ReportedNonconformity* e : c.overdue) ids.push_back(e->nc.id + " (due " + Long(e->nc.due_date) + ")");
    doc.Paragraph("Overdue nonconformities as of " + Long(in.report_date) + ": " + Join(ids) + ".",
                  TextStyle{10, true, palette::kHighlight, Align::kLeft, 6});
  }
}

void RenderParties(PdfDocument& doc, const Content& c) {
  const AuditReportInput& in = *c.in;
  doc.Heading(1, "2  Certification body and client");
  doc.Heading(2, "2.1  Certification body");
  std::vector<std::pair<std::string, std::string>> body = {{"Name", in.body.name}};
  if (!in.body.address.empty()) body.push_back({"Address", in.body.address});
  if (!in.body.accreditation.empty()) body.push_back({"Accreditation", in.body.accreditation});
  doc.KeyValues(body, 0.27);

  doc.Heading(2, "2.2  Client");
  std::vector<std::pair<std::string, std::string>> client = {{"Organization", in.client.name}};
  if (!in.client.id.empty()) client.push_back({"Client ID", in.client.id});
  client.push_back({"Address", in.client.address.empty() ? "not recorded" : in.client.address});
  client.push_back(
      {"Client representative", in.client.representative.empty() ? "not recorded" : in.client.representative});
  client.push_back({"Certification scope", in.client.scope});
  doc.KeyValues(client, 0.27);
  if (!in.client.sites.empty()) {
    std::vector<TableRow> rows;
    for (const ClientSite& s : in.client.sites) rows.push_back({SiteName(s), s.address, s.activities});
    doc.Table({{"Site", 1.2}, {"Address", 1.6}, {"Activities in scope", 2.2}}, rows, Grid());
  }

  doc.Heading(2, "2.3  Certificate");
  if (in.certificate) {
    const Certificate& cert = *in.certificate;
    doc.KeyValues({{"Certificate number", cert.number},
                   {"Standard", c.cat->standard},
                   {"Issued", Long(cert.issue_date)},
                   {"Expires", Long(cert.expiry_date)},
                   {"Status", CertificateStatusLabel(cert.status)}},
                  0.27);
  } else {
    doc.Paragraph(
        "No certificate has been issued to the client yet: this audit is part of the initial "
        "certification.");
  }
}

std::string PercentText(double fraction) {
  const long v = std::lround(fraction * 100);
  return (v > 0 ? "+" : "") + std::to_string(v) + " %";
}

std::string AuditDaysText(const ReportTimeAndSites& t) {
  if (!t.days) return "not a share of its own (special audit, or a stage 1 counted with its stage 2)";
  const AuditDays& d = *t.days;
  if (!d.planned) return "no audit days planned";
  std::string out = DaysText(*d.planned) + " days" + (d.type == AuditType::kStage2 ? " with the stage 1" : "");
  if (!d.below) return out + ": not below the calculation";
  if (!d.justification.empty()) return out + ", below the calculation; justification: " + d.justification;
  return out + ", below the calculation WITHOUT a recorded justification";
}

// 3.4: the audit time of the client (table, persons, adjustments with their
// reasons, cap, days per type) and this audit's planned days against it.
void RenderAuditTime(PdfDocument& doc, const ReportTimeAndSites& t, AuditType type) {
  doc.Heading(2, "3.4  Audit time");
  if (!t.time) {
    doc.Paragraph("No audit-time calculation (persons in scope) is recorded for the client.");
    return;
  }
  const AuditTime& at = *t.time;
  std::vector<std::pair<std::string, std::string>> kv = {
      {"Persons in scope", std::to_string(at.persons) + " (band " + std::to_string(at.band_min) + " to " +
                               std::to_string(at.band_max) + "): " + DaysText(at.base_days) + " days from the table"}};
  for (const AuditTimeAdjustmentRecord& a : t.adjustments)
    kv.push_back({"Adjustment " + PercentText(a.percent / 100.0), a.reason});
  kv.push_back({"Net adjustment", PercentText(at.net_adjustment) +
                                      (at.capped ? " (the adjustments add up to " + PercentText(at.sum_adjustment) +
                                                       "; a reduction is capped at " + PercentText(-t.max_reduction) + ")"
                                                 : " (a reduction is capped at " + PercentText(-t.max_reduction) + ")")});
  kv.push_back({"Audit days by type", "initial (stage 1 + stage 2) " + DaysText(at.initial_days) + ", surveillance " +
                                          DaysText(at.surveillance_days) + ", recertification " +
                                          DaysText(at.recertification_days)});
  kv.push_back({"This audit (" + std::string(AuditTypeName(type)) + ")", AuditDaysText(t)});
  kv.push_back({"Table", t.table});
  if (!t.recorded_table.empty())
    kv.push_back({"Table changed", "the calculation was recorded with the table " + t.recorded_table +
                                       "; this report uses " + t.table + " (SHA-256 " + t.table_sha256.substr(0, 12) +
                                       "), whose values differ: the days above may not be those the audit was "
                                       "planned with"});
  doc.KeyValues(kv, 0.27);
  doc.Paragraph(t.notice, Muted());
}

// 3.5: the sites this audit visits against the sample, and the cycle's site
// coverage.
void RenderSites(PdfDocument& doc, const ReportTimeAndSites& t) {
  doc.Heading(2, "3.5  Sites");
  if (t.sites.empty()) {
    doc.Paragraph("No sites are recorded for the client.");
    return;
  }
  const SiteCoverage& cov = t.coverage;
  std::vector<TableRow> rows;
  for (const ClientSite& s : t.sites) {
    const bool here = std::find(t.visited.begin(), t.visited.end(), s.id) != t.visited.end();
    std::string cycle;
    for (const AuditSites& a : cov.audits)
      if (std::find(a.sites.begin(), a.sites.end(), s.id) != a.sites.end())
        cycle += (cycle.empty() ? "" : ", ") + a.audit + (a.held ? "" : " (planned)");
    rows.push_back({SiteName(s) + (s.central ? " (central function)" : ""), here ? "yes" : "no",
                    cycle.empty() ? "none yet" : cycle});
  }
  doc.Table({{"Site", 1.8}, {"Visited by this audit", 1.0}, {"Audits of this cycle", 2.2}}, rows, Grid());
  std::string text = "This audit visits " + std::to_string(t.visited.size()) + " of " +
                     std::to_string(t.sites.size()) + " sites; the sample for its type is " +
                     std::to_string(t.required_sites) +
                     " (the square root of the number of sites, reduced for surveillance and recertification, rounded "
                     "up).";
  if (static_cast<int>(t.visited.size()) < t.required_sites) text += " It visits FEWER sites than the sample.";
  if (!cov.central.empty()) {
    const bool central = std::find(t.visited.begin(), t.visited.end(), cov.central) != t.visited.end();
    text += central ? " The central function is visited, as at every audit."
                    : " The central function is NOT visited, although every audit must visit it.";
  }
  auto names = [&](const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (const std::string& id : ids) {
      std::string name = id;
      for (const ClientSite& s : t.sites)
        if (s.id == id) name = SiteName(s);
      out.push_back(name);
    }
    return Join(out);
  };
  if (cov.not_visited.empty())
    text += " Every site has been visited in this cycle.";
  else
    text += " Not yet visited in this cycle: " + names(cov.not_visited) +
            (cov.not_planned.empty() ? " (each is in the plan of an audit still to be held)."
                                     : "; to be planned before recertification: " + names(cov.not_planned) + ".");
  doc.Paragraph(text);
}

void RenderAuditDefinition(PdfDocument& doc, const Content& c) {
  const AuditReportInput& in = *c.in;
  const AuditRecord& d = in.audit;
  doc.Heading(1, "3  The audit");
  doc.Paragraph("What was audited, against what and to what end, as agreed in the audit plan.");
  doc.KeyValues(
      {{"Audit type", AuditTypeLabel(in.audit.audit.type)},
       {"Audit status", std::string(AuditStatusName(in.audit.audit.status))},
       {"Dates", AuditDates(in.audit.audit)},
       {"Planned dates", DateRange(in.audit.audit.planned_start.ToString(), in.audit.audit.planned_end.ToString())},
       {"Combined, joint or integrated", CombinationText(d.combination, c.cat->standard)}},
      0.27);
  doc.Heading(2, "3.1  Objectives");
  Bullets(doc, d.objectives, "No objectives were recorded.");
  doc.Heading(2, "3.2  Scope");
  doc.Paragraph(d.scope.empty() ? "The audit covered the whole certification scope: " + in.client.scope : d.scope);
  doc.Heading(2, "3.3  Criteria");
  Bullets(doc, d.criteria, "The requirements of " + c.cat->standard + ".");
  if (!in.time_and_sites) return;
  RenderAuditTime(doc, *in.time_and_sites, d.audit.type);
  RenderSites(doc, *in.time_and_sites);
}

void RenderCompetence(PdfDocument& doc, const AuditReportInput& in);

void RenderTeamAndActivities(PdfDocument& doc, const Content& c) {
  const AuditReportInput& in = *c.in;
  const AuditRecord& d = in.audit;
  doc.Heading(1, "4  Audit team and activities");
  doc.Heading(2, "4.1  Audit team");
  std::vector<TableRow> rows;
  std::vector<const TeamMember*> ordered;
  for (const TeamMember& m : in.audit.audit.team) ordered.push_back(&m);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const TeamMember* a, const TeamMember* b) { return a->role < b->role; });
  for (const TeamMember* m : ordered) rows.push_back({m->person, RoleLabel(m->role)});
  doc.Table({{"Name", 2}, {"Role", 2}}, rows, Grid(9));
  doc.Paragraph("Accompanying persons (guides, interpreters and observers who are not members of the team):");
  if (d.accompanying.empty()) {
    doc.Paragraph(kNoneRecorded);
  } else {
    std::vector<TableRow> acc;
    for (const AccompanyingPerson& x : d.accompanying)
      acc.push_back({x.person, AccompanyingRoleLabel(x.role), x.organization});
    doc.Table({{"Name", 2}, {"Role", 1}, {"Organization", 2}}, acc, Grid(9));
  }
  doc.Heading(2, "4.2  Dates and places of the audit activities");
  if (d.activities.empty()) {
    doc.Paragraph(std::string(kNoneRecorded) + " The audit dates were " + AuditDates(in.audit.audit) + ".");
  } else {
    std::vector<TableRow> act;
    for (const AuditActivityRecord& a : d.activities)
      act.push_back({Long(a.date), a.place, ModeLabel(a.mode), a.description});
    doc.Table({{"Date", 1.1}, {"Place", 1.2}, {"Mode", 0.7}, {"Activity", 3}}, act, Grid());
  }
  RenderCompetence(doc, in);
}

// A credential as the competence section shows it: "Lead auditor (to 2027-05-31)".
std::string CredentialText(const Credential& q) {
  std::string dates;
  if (!q.since.empty()) dates += "from " + q.since;
  if (!q.until.empty()) dates += std::string(dates.empty() ? "" : " ") + "to " + q.until;
  return q.name + (dates.empty() ? "" : " (" + dates + ")");
}

// 4.3: the team's competence against the client's technical areas on the
// audit's first day, and what is missing.
void RenderCompetence(PdfDocument& doc, const AuditReportInput& in) {
  doc.Heading(2, "4.3  Competence of the team against the scope");
  if (!in.competence) {
    doc.Paragraph("The competence of the team was not checked.");
    return;
  }
  const TeamCompetence& tc = *in.competence;
  doc.Paragraph("Judged on the audit's first day, " + Long(tc.day) +
                ", from the certification body's registry of people: each member's technical areas and the "
                "qualifications valid that day. Observers take no part in the audit and cover no area.");
  std::map<std::string, std::string> names;
  std::vector<TableRow> rows;
  for (const MemberCompetence& m : tc.members) {
    names[m.id] = m.name;
    std::vector<std::string> quals;
    for (const Credential& q : m.qualifications) quals.push_back(CredentialText(q));
    for (const Credential& q : m.lapsed) quals.push_back("NOT VALID that day: " + CredentialText(q));
    rows.push_back({m.id.empty() ? m.person + " (not in the registry)" : m.name + " (" + m.id + ")",
                    RoleLabel(m.role) + (m.counts ? "" : " (covers no area)"),
                    m.id.empty() ? "no recorded competence" : (m.areas.empty() ? "none recorded" : Join(m.areas)),
                    quals.empty() ? "none recorded" : Join(quals, "; ")});
  }
  doc.Table({{"Member", 1.6}, {"Role", 1.1}, {"Technical areas", 1.9}, {"Qualifications", 2.2}}, rows, Grid(9));
  if (in.client.technical_areas.empty()) {
    doc.Paragraph("The client's scope names no technical areas, so no coverage is required of the team.");
    return;
  }
  std::vector<TableRow> areas;
  for (const std::string& area : in.client.technical_areas) {
    std::string who = "NOT COVERED";
    for (const auto& [a, ids] : tc.covered) {
      if (a != area) continue;
      std::vector<std::string> n;
      for (const std::string& id : ids) n.push_back(names.count(id) ? names[id] : id);
      who = Join(n);
    }
    areas.push_back({area, who});
  }
  doc.Table({{"Technical area of the scope", 2.6}, {"Covered by", 4.2}}, areas, Grid(9));
  std::string text;
  if (!tc.HasGap()) {
    text = "The team covers every technical area of the scope, and every qualification of its members was valid.";
  } else {
    text = "Competence gaps:";
    if (!tc.missing.empty()) text += " no member of the team is competent in " + Join(tc.missing) + ".";
    if (!tc.lapsed.empty()) text += " Qualifications not valid on the first day: " + Join(tc.lapsed) + ".";
    const AuditType type = in.audit.audit.type;
    const bool decided =
        type == AuditType::kStage2 || type == AuditType::kRecertification || type == AuditType::kSpecial;
    if (!tc.justification.empty())
      text += " Justification recorded by the certification body: " + tc.justification;
    else
      text += decided ? " No justification is recorded: a certification decision on this audit is refused until the "
                        "gap is closed or justified."
                      : " No justification is recorded.";
  }
  if (!tc.unknown.empty()) text += " Not in the registry of people: " + Join(tc.unknown) + ".";
  doc.Paragraph(text);
}

void RenderConduct(PdfDocument& doc, const Content& c) {
  const AuditRecord& d = c.in->audit;
  doc.Heading(1, "5  Conduct of the audit");
  doc.Heading(2, "5.1  Deviations from the audit plan");
  if (d.deviations.empty()) {
    doc.Paragraph(kNoneRecorded);
  } else {
    std::vector<TableRow> rows;
    for (const AuditDeviation& v : d.deviations) rows.push_back({v.description, v.reason});
    doc.Table({{"Deviation", 1}, {"Reason", 1}}, rows, Grid());
  }
  doc.Heading(2, "5.2  Significant issues affecting the audit programme");
  Bullets(doc, d.programme_issues, kNoneRecorded);
  doc.Heading(2, "5.3  Significant changes since the last audit");
  Bullets(doc, d.changes, kNoneRecorded);
}

void RenderFindings(PdfDocument& doc, const Content& c) {
  const AuditReportInput& in = *c.in;
  doc.Heading(1, "6  Findings by clause");
  doc.Paragraph(
      "Every auditable clause of " + c.cat->standard +
      " is listed below with the most severe grade the team "
      "recorded against it at this audit, \"sampled: no finding\" when the plan sampled it (section 12) and "
      "no finding was recorded, or \"not sampled\" when the audit plan did not cover it this time. "
      "Clause titles follow the standard; the requirements themselves are in the standard, not in this report." +
      std::string(in.assessment ? " The last column shows the capability level, in the linked process assessment, "
                                  "of the service management processes that realise the clause; a process at "
                                  "capability level 0 is marked \u2717 and its clauses are shaded red."
                                : ""));
  std::vector<TableColumn> cols = {{"Clause", 0.75}, {"Title", 3.1}, {"Result", 1.35}, {"Findings", 1.0}};
  if (in.assessment) cols.push_back({"Process capability", 1.75});
  std::vector<TableRow> rows;
  for (const ClauseRow& r : c.clauses) {
    TableRow row;
    row.push_back(r.clause->number);
    row.push_back(DisplayTitle(*c.cat, *r.clause));
    if (r.worst) {
      std::map<FindingGrade, size_t> n;
      for (const Finding* f : r.findings) ++n[f->grade];
      std::string result = GradeShort(*r.worst);
      if (r.findings.size() > 1 || n[*r.worst] > 1) {
        std::vector<std::string> parts;
        for (const auto& [g, k] : n) parts.push_back(std::to_string(k) + " " + GradeShort(g));
        std::sort(parts.begin(), parts.end());
        result = Join(parts, "\n");
      }
      TableCell cell{result};
      cell.fill = GradeFill(*r.worst);
      cell.bold = Severity(*r.worst) <= 1;
      row.push_back(cell);
      std::vector<std::string> ids;
      for (const Finding* f : r.findings) ids.push_back(f->id);
      row.push_back(Join(ids, "\n"));
    } else if (r.sampled) {
      row.push_back("sampled: no finding");
      row.push_back("");
    } else {
      TableCell cell{"not sampled"};
      cell.color = palette::kMuted;
      row.push_back(cell);
      row.push_back("");
    }
    if (in.assessment) {
      std::vector<std::string> lines;
      for (const ProcessCapability* p : r.capabilities)
        lines.push_back(p->level == 0 ? "\u2717 " + LevelText(*p) : LevelText(*p));
      for (const std::string& p : r.unrated) lines.push_back(p + "  not rated");
      TableCell cell{Join(lines, "\n")};
      if (r.level0) cell.fill = palette::kRatingN;
      row.push_back(cell);
    }
    rows.push_back(std::move(row));
  }
  doc.Table(cols, rows, Grid(8));

  doc.Heading(2, "6.1  Findings, evidence and conclusions");
  if (c.findings.empty()) {
    doc.Paragraph("No findings were recorded at this audit.");
  } else {
    for (const Finding* f : c.findings) {
      doc.KeepTogether(90);
      TableCell head{f->id + "   " + ClauseTitle(c, f->clause)};
      head.bold = true;
      head.fill = GradeFill(f->grade);
      TableCell grade{GradeLabel(f->grade)};
      grade.bold = true;
      grade.fill = GradeFill(f->grade);
      TableStyle st = Grid(9, false);
      st.header = false;
      st.space_after = 0;
      doc.Table({{"", 3.5}, {"", 2.1, Align::kRight}}, {{head, grade}}, st);
      std::vector<std::pair<std::string, std::string>> kv = {
          {"Statement", f->statement}, {"Evidence", EvidenceText(c, *f)}, {"Recorded", Long(f->date)}};
      for (const ReportedNonconformity& e : in.nonconformities)
        if (e.nc.finding_id == f->id) kv.push_back({"Nonconformity", e.nc.id + " (see section 7)"});
      doc.KeyValues(kv, 0.2);
    }
  }
  doc.Heading(2, "6.2  Possible systemic failures");
  if (in.systemic_warnings.empty()) {
    doc.Paragraph("No clause collected enough minor nonconformities at this audit to suggest a systemic failure.");
  } else {
    doc.Paragraph(
        "Several minor nonconformities on one clause can together show that the management system fails "
        "to achieve its intended results there, which would make them one major nonconformity. The team "
        "considered the following and records its view in the recommendation (section 10).");
    for (const SystemicWarning& w : in.systemic_warnings) RenderNotice(doc, "Warning: " + w.message);
  }
  doc.Heading(2, "6.3  Conclusions of the audit team");
  doc.Paragraph(in.audit.conclusion.empty() ? "The audit team recorded no overall conclusion." : in.audit.conclusion);
}

void RenderNcRegister(PdfDocument& doc, const Content& c) {
  const AuditReportInput& in = *c.in;
  doc.Heading(1, "7  Nonconformity register");
  doc.Paragraph(
      "Each nonconformity with its correction, root cause and corrective action as submitted by the "
      "client, the due date set by the certification body's policy and its state as of " +
      Long(in.report_date) + ". Overdue entries are marked.");
  auto table = [&](const std::vector<const ReportedNonconformity*>& list) {
    std::vector<TableRow> rows;
    for (const ReportedNonconformity* e : list) {
      const Finding* f = c.finding_by_id.at(e->nc.finding_id);
      TableCell grade{GradeShort(e->nc.grade)};
      grade.fill = GradeFill(e->nc.grade);
      grade.bold = true;
      TableCell state{NcStateText(*e)};
      if (e->overdue) {
        state.fill = palette::kRatingN;
        state.color = palette::kHighlight;
        state.bold = true;
      }
      TableCell due{Long(e->nc.due_date)};
      if (e->overdue) due.color = palette::kHighlight;
      rows.push_back({e->nc.id, grade, f->clause, f->audit_id, Long(e->nc.raised), due, state});
    }
    doc.Table(
        {{"NC", 0.8}, {"Grade", 0.9}, {"Clause", 0.75}, {"Audit", 0.9}, {"Raised", 1.1}, {"Due", 1.1}, {"State", 1.1}},
        rows, Grid());
  };
  auto details = [&](const std::vector<const ReportedNonconformity*>& list) {
    for (const ReportedNonconformity* e : list) {
      const Finding* f = c.finding_by_id.at(e->nc.finding_id);
      doc.KeepTogether(110);
      TableCell head{e->nc.id + "   " + GradeLabel(e->nc.grade) + " against " + ClauseTitle(c, f->clause)};
      head.bold = true;
      head.fill = GradeFill(e->nc.grade);
      TableCell state{NcStateText(*e)};
      state.bold = true;
      state.fill = e->overdue ? palette::kRatingN : palette::kHeaderFill;
      if (e->overdue) state.color = palette::kHighlight;
      TableStyle st = Grid(9, false);
      st.header = false;
      st.space_after = 0;
      doc.Table({{"", 4}, {"", 1.2, Align::kRight}}, {{head, state}}, st);
      std::vector<std::string> history;
      history.push_back(Long(e->nc.raised) + ": raised (finding " + f->id + ")");
      for (const StateChange& h : e->nc.history)
        history.push_back(Long(h.date) + ": " + std::string(NonconformityStateName(h.state)));
      std::string due = Long(e->nc.due_date) + (e->nc.grade == FindingGrade::kMajor
                                                    ? " (correction and corrective action implemented)"
                                                    : " (plan of correction and corrective action)");
      if (e->overdue) due += "; OVERDUE as of " + Long(in.report_date);
      doc.KeyValues({{"Statement", f->statement},
                     {"Correction", e->correction.empty() ? "not yet submitted" : e->correction},
                     {"Root cause", e->root_cause.empty() ? "not yet submitted" : e->root_cause},
                     {"Corrective action", e->corrective_action.empty() ? "not yet submitted" : e->corrective_action},
                     {"Due", due},
                     {"History", Join(history, "\n")}},
                    0.2);
    }
  };
  doc.Heading(2, "7.1  Nonconformities raised at this audit");
  if (c.current_ncs.empty()) {
    doc.Paragraph("No nonconformities were raised at this audit.");
  } else {
    table(c.current_ncs);
    details(c.current_ncs);
  }
  doc.Heading(2, "7.2  Corrective actions on earlier nonconformities");
  if (c.earlier_ncs.empty()) {
    doc.Paragraph(in.audit.audit.type == AuditType::kStage1
                      ? "Not applicable: there were no earlier audits."
                      : "No nonconformities from earlier audits were awaiting verification at this audit.");
  } else {
    doc.Paragraph(
        "Nonconformities raised at earlier audits and the team's verification of the correction and of "
        "the effectiveness of the corrective action.");
    table(c.earlier_ncs);
    details(c.earlier_ncs);
  }
}

void RenderCapability(PdfDocument& doc, const Content& c) {
  const AuditReportInput& in = *c.in;
  doc.Heading(1, "8  Capability of the service management processes");
  if (!in.assessment) {
    doc.Paragraph("No process assessment is linked to this audit, so no capability levels are shown.");
    return;
  }
  const LinkedAssessment& a = *in.assessment;
  doc.Paragraph("The audit is linked to process assessment " + a.id + (a.title.empty() ? "" : " (" + a.title + ")") +
                ", rated against " + a.model + (a.date ? " with ratings as of " + Long(*a.date) : "") +
                ". Capability levels are determined as ISO/IEC 33020 prescribes; they complement the audit "
                "findings but are not audit findings themselves. Each process is shown with the clauses it "
                "realises, so that a weak process points to the requirements it puts at risk.");
  if (!c.level0.empty()) {
    std::vector<std::string> ids;
    for (const ProcessCapability* p : c.level0) ids.push_back(p->process);
    RenderNotice(doc, "At capability level 0: " + Join(ids) +
                          ". The assessment found no evidence that these processes achieve their purpose; the clauses "
                          "they realise deserve particular attention at the next audit.");
  }
  std::vector<TableRow> rows;
  for (const ProcessCapability& p : a.processes) {
    TableCell level{std::to_string(p.level)};
    level.bold = true;
    level.fill = p.level == 0                      ? palette::kRatingN
                 : p.target && p.level < *p.target ? palette::kRatingP
                                                   : palette::kRatingF;
    std::vector<std::string> clauses;
    for (const Clause* cl : c.cat->ClausesOfProcess(p.process))
      if (cl->auditable) clauses.push_back(cl->number);
    rows.push_back({p.process, p.name, level, p.target ? std::to_string(*p.target) : "", Join(clauses)});
  }
  doc.Table({{"Process", 0.8},
             {"Name", 2.4},
             {"Level", 0.6, Align::kCenter},
             {"Target", 0.6, Align::kCenter},
             {"Clauses", 2.2}},
            rows, Grid());
}

// 9.1: the clauses the cycle has covered so far and those still to plan.
void RenderCycleCoverage(PdfDocument& doc, const Content& c) {
  const AuditReportInput& in = *c.in;
  doc.Heading(2, "9.1  Coverage of the clauses in this cycle");
  const CoverageGaps& g = c.cycle_gaps;
  doc.Paragraph(
      "Every auditable clause is to be audited within the certification cycle, before the recertification audit "
      "decides on renewal. As of " + Long(in.report_date) + ", the audits held in this cycle (stage 1 excluded) "
      "sampled " + std::to_string(c.clauses.size() - g.not_covered.size()) + " of " +
      std::to_string(c.clauses.size()) + " auditable clauses; " +
      std::to_string(g.not_covered.size() - g.not_planned.size()) +
      " more are sampled in the plans of audits still to be held.");
  if (g.not_planned.empty()) {
    doc.Paragraph("Every auditable clause is covered or planned.");
    return;
  }
  doc.Paragraph("Not yet covered and not yet planned (to be planned before recertification): " +
                Join(g.not_planned) + ".");
}

void RenderProgramme(PdfDocument& doc, const Content& c) {
  const AuditReportInput& in = *c.in;
  doc.Heading(1, "9  Audit programme and certification");
  if (in.decision) {
    doc.KeyValues({{"Certification decision", DecisionLabel(in.decision->kind)},
                   {"Decided on", Long(in.decision->date)},
                   {"Decided by", in.decision->decided_by + " (not a member of the audit team)"}},
                  0.27);
  } else {
    doc.Paragraph(
        "No certification decision on this audit has been recorded yet. The decision is taken by a "
        "person of the certification body who was not involved in the audit, on the basis of this "
        "report and of the evidence that nonconformities were corrected.");
  }
  if (!in.programme) {
    doc.Paragraph("The programme of the client's certification cycle was not included in this report.");
    return;
  }
  const ProgrammeStatus& p = *in.programme;
  std::vector<std::pair<std::string, std::string>> kv;
  if (p.certified) {
    kv.push_back({"Current cycle", "started " + (p.cycle_start ? Long(*p.cycle_start) : std::string("-")) + " (" +
                                       std::string(DecisionKindName(p.cycle_kind)) + ")"});
    if (p.expiry) kv.push_back({"Certificate expiry", Long(*p.expiry)});
    kv.push_back({"Certificate status", CertificateStatusLabel(p.certificate_status)});
  } else {
    kv.push_back({"Current cycle", "not yet certified: initial certification audit under way"});
  }
  if (p.new_stage2_required)
    kv.push_back({"New stage 2 required",
                  "yes: a major nonconformity from stage 2 was not verified within 6 "
                  "months (" +
                      Join(p.late_stage2_majors) + ")"});
  if (p.restoration_possible && p.restoration_deadline)
    kv.push_back({"Restoration", "possible until " + Long(*p.restoration_deadline)});
  if (p.stage2_required) kv.push_back({"Restoration", "no longer possible: at least a stage 2 audit is required"});
  kv.push_back({"Status as of", Long(in.report_date)});
  doc.KeyValues(kv, 0.27);
  std::vector<TableRow> rows;
  for (const ProgrammeItem& item : p.items) {
    std::string window;
    if (item.window_start && item.window_end)
      window = Long(*item.window_start) + " to " + Long(*item.window_end);
    else if (item.window_end)
      window = "by " + Long(*item.window_end);
    TableCell state{ItemStateLabel(item.state)};
    if (item.state == ItemState::kOverdue || item.state == ItemState::kDoneLate) {
      state.color = palette::kHighlight;
      state.bold = true;
    }
    std::string audit = item.audit_id;
    if (item.done_on)
      audit += (audit.empty() ? "" : "\n") + std::string("held ") + Long(*item.done_on);
    else if (item.planned_on)
      audit += (audit.empty() ? "" : "\n") + std::string("planned ") + Long(*item.planned_on) +
               (item.planned_late ? " (late)" : "");
    rows.push_back({item.description, window, state, audit});
  }
  if (!rows.empty()) doc.Table({{"Programme item", 3}, {"Window", 1.8}, {"State", 0.8}, {"Audit", 1.4}}, rows, Grid());
  RenderCycleCoverage(doc, c);
}

void RenderOther(PdfDocument& doc, const Content& c) {
  const AuditReportInput& in = *c.in;
  doc.Heading(1, "10  Recommendation of the audit team");
  const Recommendation& r = in.recommendation;
  TableCell rec{RecommendationLabel(r.kind, in.audit.audit.type)};
  rec.fill = RecommendationFill(r.kind);
  rec.bold = true;
  TableStyle st = Grid(11, false);
  st.header = false;
  st.padding = 7;
  doc.Table({{"", 1}}, {{rec}}, st);
  doc.Paragraph(
      "The recommendation follows from the state of the nonconformities: a major nonconformity that is not "
      "verified blocks it and a minor needs an accepted plan once its due date has passed; until then it is "
      "pending, a condition to be met before a certificate is issued or renewed; a major from stage 2 that is "
      "not verified within 6 months after the last day of stage 2 requires a new stage 2. The reasons:");
  std::vector<TableRow> rows;
  for (const RecommendationReason& reason : r.reasons)
    rows.push_back({ReasonLabel(reason.code), reason.subject, reason.text});
  if (!rows.empty()) doc.Table({{"Reason", 1.5}, {"Subject", 0.8}, {"Explanation", 4}}, rows, Grid());
  if (r.overridden) {
    doc.KeyValues({{"Computed recommendation", RecommendationLabel(r.computed, in.audit.audit.type)},
                   {"Recommendation in force", RecommendationLabel(r.kind, in.audit.audit.type)},
                   {"Justification of the override", r.justification}},
                  0.3);
  }

  doc.Heading(1, "11  Other matters");
  doc.Heading(2, "11.1  Unresolved issues");
  Bullets(doc, in.audit.unresolved_issues, kNoneRecorded);
  doc.Heading(2, "11.2  Use of certification documents and marks");
  doc.Paragraph(MarksText(in.audit.marks));

  doc.Heading(1, "12  Basis of the findings");
  RenderNotice(doc, SamplingStatement(ReportKind::kAudit));
  if (in.audit.sampled.empty()) {
    doc.Paragraph("The individual samples were not recorded in the audit record.", Muted());
  } else {
    doc.Paragraph("What the team sampled:");
    std::vector<TableRow> srows;
    for (const SampledItem& s : in.audit.sampled) srows.push_back({s.clause, s.description});
    doc.Table({{"Clause", 0.8}, {"Sample", 5}}, srows, Grid());
  }
  doc.Paragraph(c.cat->notice, Muted(8));
}

std::vector<std::string> TeamNames(const Audit& a) {
  std::vector<std::string> out;
  for (const TeamMember& m : a.team) out.push_back(m.person);
  return out;
}

// ---------------------------------------------------------------------------
// JSON form, section by section (keys in a fixed order).

ojson OptDate(const std::optional<Date>& d) { return d ? ojson(d->ToString()) : ojson(nullptr); }

ojson ClientJson(const Client& client) {
  ojson sites = ojson::array();
  for (const ClientSite& s : client.sites)
    sites.push_back({{"name", SiteName(s)}, {"address", s.address}, {"activities", s.activities}});
  return {{"id", client.id},           {"name", client.name},
          {"address", client.address}, {"representative", client.representative},
          {"scope", client.scope},     {"sites", sites}};
}

ojson CertificateJson(const Certificate& c) {
  return {{"number", c.number},
          {"issue_date", c.issue_date.ToString()},
          {"expiry_date", c.expiry_date.ToString()},
          {"status", std::string(CertificateStatusName(c.status))}};
}

ojson AuditJson(const AuditRecord& d) {
  const Audit& a = d.audit;
  ojson team = ojson::array();
  for (const TeamMember& m : a.team)
    team.push_back({{"person", m.person}, {"role", std::string(TeamRoleName(m.role))}});
  ojson activities = ojson::array();
  for (const AuditActivityRecord& x : d.activities)
    activities.push_back(
        {{"date", x.date.ToString()}, {"place", x.place}, {"mode", ModeLabel(x.mode)}, {"activity", x.description}});
  ojson accompanying = ojson::array();
  for (const AccompanyingPerson& x : d.accompanying)
    accompanying.push_back(
        {{"person", x.person}, {"role", std::string(AccompanyingRoleName(x.role))}, {"organization", x.organization}});
  ojson combination = nullptr;
  if (d.combination)
    combination = {{"kind", std::string(AuditCombinationName(d.combination->kind))},
                   {"details", d.combination->details}};
  ojson marks = nullptr;
  if (d.marks) marks = {{"control", std::string(MarksControlName(d.marks->control))}, {"note", d.marks->note}};
  ojson deviations = ojson::array();
  for (const AuditDeviation& x : d.deviations)
    deviations.push_back({{"description", x.description}, {"reason", x.reason}});
  ojson sampled = ojson::array();
  for (const SampledItem& x : d.sampled) sampled.push_back({{"clause", x.clause}, {"description", x.description}});
  return {{"id", a.id},
          {"type", std::string(AuditTypeName(a.type))},
          {"status", std::string(AuditStatusName(a.status))},
          {"planned_start", a.planned_start.ToString()},
          {"planned_end", a.planned_end.ToString()},
          {"actual_start", OptDate(a.actual_start)},
          {"actual_end", OptDate(a.actual_end)},
          {"team", team},
          {"accompanying", accompanying},
          {"objectives", d.objectives},
          {"criteria", d.criteria},
          {"scope", d.scope},
          {"combination", combination},
          {"activities", activities},
          {"deviations", deviations},
          {"programme_issues", d.programme_issues},
          {"changes", d.changes},
          {"unresolved_issues", d.unresolved_issues},
          {"marks", marks},
          {"sampled", sampled},
          {"sampling_statement", SamplingStatement(ReportKind::kAudit)},
          {"conclusion", d.conclusion}};
}

ojson ClausesJson(const Content& c) {
  ojson clauses = ojson::array();
  for (const ClauseRow& r : c.clauses) {
    ojson row;
    row["number"] = r.clause->number;
    row["title"] = r.clause->title;
    row["result"] = r.worst      ? std::string(FindingGradeName(*r.worst))
                    : r.sampled ? std::string("sampled-no-finding")
                                : std::string("not-sampled");
    ojson ids = ojson::array();
    for (const Finding* f : r.findings) ids.push_back(f->id);
    row["findings"] = ids;
    if (c.in->assessment) {
      ojson caps = ojson::array();
      for (const ProcessCapability* p : r.capabilities)
        caps.push_back(
            {{"process", p->process}, {"level", p->level}, {"target", p->target ? ojson(*p->target) : ojson(nullptr)}});
      row["capability"] = caps;
      row["unrated_processes"] = r.unrated;
      row["level0"] = r.level0;
    }
    clauses.push_back(row);
  }
  return clauses;
}

ojson FindingsJson(const Content& c) {
  ojson findings = ojson::array();
  for (const Finding& f : c.in->findings) {
    ojson ev = ojson::array();
    for (const std::string& id : f.evidence_ids) {
      auto it = c.evidence_by_id.find(id);
      ev.push_back({{"id", id}, {"description", it == c.evidence_by_id.end() ? "" : it->second->description}});
    }
    findings.push_back({{"id", f.id},
                        {"audit", f.audit_id},
                        {"clause", f.clause},
                        {"grade", std::string(FindingGradeName(f.grade))},
                        {"statement", f.statement},
                        {"evidence", ev},
                        {"date", f.date.ToString()}});
  }
  return findings;
}

ojson NonconformitiesJson(const Content& c) {
  ojson ncs = ojson::array();
  for (const ReportedNonconformity& e : c.in->nonconformities) {
    ojson history = ojson::array();
    for (const StateChange& h : e.nc.history)
      history.push_back({{"state", std::string(NonconformityStateName(h.state))}, {"date", h.date.ToString()}});
    const Finding* f = c.finding_by_id.at(e.nc.finding_id);
    ncs.push_back({{"id", e.nc.id},
                   {"finding", e.nc.finding_id},
                   {"audit", f->audit_id},
                   {"clause", f->clause},
                   {"grade", std::string(FindingGradeName(e.nc.grade))},
                   {"state", std::string(NonconformityStateName(e.nc.state))},
                   {"raised", e.nc.raised.ToString()},
                   {"due_date", e.nc.due_date.ToString()},
                   {"overdue", e.overdue},
                   {"correction", e.correction},
                   {"root_cause", e.root_cause},
                   {"corrective_action", e.corrective_action},
                   {"history", history}});
  }
  return ncs;
}

ojson RecommendationJson(const Recommendation& r) {
  ojson reasons = ojson::array();
  for (const RecommendationReason& x : r.reasons)
    reasons.push_back({{"code", std::string(ReasonCodeName(x.code))}, {"subject", x.subject}, {"text", x.text}});
  return {{"kind", std::string(RecommendationKindName(r.kind))},
          {"computed", std::string(RecommendationKindName(r.computed))},
          {"overridden", r.overridden},
          {"justification", r.justification},
          {"reasons", reasons}};
}

ojson ProgrammeJson(const ProgrammeStatus& p) {
  ojson items = ojson::array();
  for (const ProgrammeItem& it : p.items)
    items.push_back({{"kind", std::string(ProgrammeItemKindName(it.kind))},
                     {"calendar_year", it.calendar_year},
                     {"window_start", OptDate(it.window_start)},
                     {"window_end", OptDate(it.window_end)},
                     {"state", std::string(ItemStateName(it.state))},
                     {"done_on", OptDate(it.done_on)},
                     {"planned_on", OptDate(it.planned_on)},
                     {"audit", it.audit_id},
                     {"description", it.description}});
  return {{"certified", p.certified},
          {"cycle_start", OptDate(p.cycle_start)},
          {"expiry", OptDate(p.expiry)},
          {"certificate_status", std::string(CertificateStatusName(p.certificate_status))},
          {"new_stage2_required", p.new_stage2_required},
          {"restoration_possible", p.restoration_possible},
          {"stage2_required", p.stage2_required},
          {"items", items},
          {"overdue_nonconformities", p.overdue_nonconformities}};
}

ojson AssessmentJson(const LinkedAssessment& a) {
  ojson procs = ojson::array();
  for (const ProcessCapability& p : a.processes)
    procs.push_back({{"process", p.process},
                     {"name", p.name},
                     {"level", p.level},
                     {"target", p.target ? ojson(*p.target) : ojson(nullptr)}});
  return {{"id", a.id}, {"title", a.title}, {"model", a.model}, {"date", OptDate(a.date)}, {"processes", procs}};
}

}  // namespace

// ---------------------------------------------------------------------------
// Public

// "audit_time" (null without a calculation) and "sites".
ojson CredentialsJson(const std::vector<Credential>& list) {
  ojson out = ojson::array();
  for (const Credential& q : list)
    out.push_back({{"name", q.name},
                   {"since", q.since.empty() ? ojson(nullptr) : ojson(q.since)},
                   {"until", q.until.empty() ? ojson(nullptr) : ojson(q.until)}});
  return out;
}

// Section 4.3.
ojson CompetenceJson(const TeamCompetence& tc, const Client& client) {
  ojson members = ojson::array();
  for (const MemberCompetence& m : tc.members)
    members.push_back({{"person", m.person},
                       {"id", m.id.empty() ? ojson(nullptr) : ojson(m.id)},
                       {"name", m.name},
                       {"role", std::string(TeamRoleName(m.role))},
                       {"counts", m.counts},
                       {"areas", m.areas},
                       {"qualifications", CredentialsJson(m.qualifications)},
                       {"not_valid", CredentialsJson(m.lapsed)}});
  ojson areas = ojson::array();
  for (const std::string& area : client.technical_areas) {
    std::vector<std::string> who;
    for (const auto& [a, ids] : tc.covered)
      if (a == area) who = ids;
    areas.push_back({{"area", area}, {"covered_by", who}});
  }
  return {{"judged_on", tc.day.ToString()},
          {"members", members},
          {"technical_areas", areas},
          {"missing", tc.missing},
          {"lapsed", tc.lapsed},
          {"unregistered", tc.unknown},
          {"gap", tc.HasGap()},
          {"justification", tc.justification.empty() ? ojson(nullptr) : ojson(tc.justification)}};
}

void TimeAndSitesJson(const ReportTimeAndSites& t, ojson* j) {
  if (t.time) {
    const AuditTime& at = *t.time;
    ojson adj = ojson::array();
    for (const AuditTimeAdjustmentRecord& a : t.adjustments) adj.push_back({{"percent", a.percent}, {"reason", a.reason}});
    ojson e = {{"table", t.table},
               {"persons", at.persons},
               {"band", {{"min_persons", at.band_min}, {"max_persons", at.band_max}}},
               {"base_days", at.base_days},
               {"adjustments", adj},
               {"net_adjustment_percent", std::lround(at.net_adjustment * 100)},
               {"capped", at.capped},
               {"initial_days", at.initial_days},
               {"surveillance_days", at.surveillance_days},
               {"recertification_days", at.recertification_days},
               {"days", at.days}};
    if (!t.recorded_table.empty()) e["recorded_table"] = t.recorded_table;
    if (t.days) {
      e["planned_days"] = t.days->planned ? ojson(*t.days->planned) : ojson(nullptr);
      e["below"] = t.days->below;
      e["justification"] = t.days->justification;
    }
    (*j)["audit_time"] = e;
  } else {
    (*j)["audit_time"] = nullptr;
  }
  ojson sites = ojson::array();
  for (const ClientSite& s : t.sites)
    sites.push_back({{"id", s.id}, {"central", s.central},
                     {"visited", std::find(t.visited.begin(), t.visited.end(), s.id) != t.visited.end()}});
  (*j)["sites"] = {{"sites", sites},
                   {"required", t.required_sites},
                   {"not_visited_in_cycle", t.coverage.not_visited},
                   {"not_planned_in_cycle", t.coverage.not_planned}};
}

Status CheckAuditReportInput(const AuditReportInput& in) {
  if (in.catalogue == nullptr) return Status::InvalidInput("audit report: no requirement catalogue given");
  if (IsBlank(in.body.name)) return Status::InvalidInput("audit report: the certification body has no name");
  if (IsBlank(in.client.name)) return Status::InvalidInput("audit report: the client has no name");
  if (IsBlank(in.client.scope))
    return Status::InvalidInput("audit report: client " + in.client.name + " has no certification scope");
  if (IsBlank(in.audit.audit.id)) return Status::InvalidInput("audit report: the audit has no ID");
  if (std::none_of(in.audit.audit.team.begin(), in.audit.audit.team.end(),
                   [](const TeamMember& m) { return m.role == TeamRole::kLeader; }))
    return Status::InvalidInput("audit report: audit " + in.audit.audit.id + " has no audit team leader");
  if (!IsSha256Hex(in.manifest.snapshot_sha256))
    return Status::InvalidInput("audit report: manifest snapshot_sha256 must be 64 lowercase hex digits, got '" +
                                in.manifest.snapshot_sha256 + "'");
  if (IsBlank(in.manifest.assay_version)) return Status::InvalidInput("audit report: manifest has no assay version");
  std::set<std::string> finding_ids;
  std::map<std::string, const Finding*> findings;
  for (const Finding& f : in.findings) {
    if (!finding_ids.insert(f.id).second)
      return Status::InvalidInput("audit report: finding ID " + f.id + " appears twice");
    Status s = in.catalogue->CheckAuditableClause(f.clause);
    if (!s.ok()) return Status::InvalidInput("finding " + f.id + ": " + s.message());
    findings[f.id] = &f;
  }
  std::set<std::string> nc_ids;
  for (const ReportedNonconformity& e : in.nonconformities) {
    if (!nc_ids.insert(e.nc.id).second)
      return Status::InvalidInput("audit report: nonconformity ID " + e.nc.id + " appears twice");
    auto it = findings.find(e.nc.finding_id);
    if (it == findings.end())
      return Status::InvalidInput("nonconformity " + e.nc.id + " names finding " + e.nc.finding_id +
                                  ", which is not among the report's findings");
    ASSAY_RETURN_IF_ERROR(CheckNonconformityFinding(e.nc, *it->second));
  }
  for (const AccompanyingPerson& x : in.audit.accompanying)
    if (IsBlank(x.person)) return Status::InvalidInput("audit report: an accompanying person has no name");
  for (const AuditActivityRecord& x : in.audit.activities)
    if (IsBlank(x.place))
      return Status::InvalidInput("audit report: the activity of " + x.date.ToString() + " has no place");
  for (size_t i = 0; i < in.audit.deviations.size(); ++i)
    if (IsBlank(in.audit.deviations[i].reason))
      return Status::InvalidInput("audit report: deviation " + std::to_string(i + 1) + " from the audit plan ('" +
                                  in.audit.deviations[i].description + "') has no reason");
  if (in.recommendation.overridden && IsBlank(in.recommendation.justification))
    return Status::InvalidInput("audit report: the recommendation was overridden without a justification");
  return Status::OK();
}

Status RenderAuditReport(const AuditReportInput& in, const AuditReportOptions& options, std::string* pdf) {
  ASSAY_RETURN_IF_ERROR(CheckAuditReportInput(in));
  const Content c = BuildContent(in);

  ReportManifest manifest;
  manifest.kind = ReportKind::kAudit;
  manifest.subject = in.audit.audit.id;
  manifest.snapshot_sha256 = in.manifest.snapshot_sha256;
  manifest.assay_version = in.manifest.assay_version;
  manifest.model = in.manifest.catalogue.empty() ? c.catalogue_key : in.manifest.catalogue;
  manifest.model_sha256 = in.manifest.catalogue_sha256.empty() ? in.catalogue->sha256 : in.manifest.catalogue_sha256;
  manifest.data_as_of = in.report_date.ToString();
  manifest.log_seq = in.manifest.log_seq;
  manifest.log_head = in.manifest.log_head;
  manifest.seal = in.manifest.seal;
  manifest.draft = in.draft;

  ReportIdentity id;
  id.title = "Certification audit report: " + in.audit.audit.id;
  id.author = c.leaders.front()->person;
  id.subject = AuditTypeShort(in.audit.audit.type) + " of " + in.client.name + " against " + c.cat->standard;
  id.header = in.client.name + "  \u00b7  " + AuditTypeShort(in.audit.audit.type) + " " + in.audit.audit.id;
  id.footer = (options.confidentiality.empty() ? std::string() : "Confidential  \u00b7  ") + in.body.name;
  ReportOptions ro;
  ro.paper = options.paper;
  ro.font_dir = options.font_dir;
  std::unique_ptr<PdfDocument> doc;
  ASSAY_RETURN_IF_ERROR(PdfDocument::Create(MakePdfOptions(ro, id, manifest), &doc));

  CoverPage cover;
  cover.kind = in.draft ? "DRAFT  \u00b7  CERTIFICATION AUDIT REPORT" : "CERTIFICATION AUDIT REPORT";
  cover.title = AuditTypeShort(in.audit.audit.type) + ": " + c.cat->standard;
  cover.subtitle = in.client.name;
  cover.details = {{"Client", in.client.name + (in.client.address.empty() ? "" : "\n" + in.client.address)},
                   {"Audit", in.audit.audit.id + "  (" + AuditTypeLabel(in.audit.audit.type) + ")"},
                   {"Audit dates", AuditDates(in.audit.audit)},
                   {"Certification body", in.body.name},
                   {"Audit team leader", PersonList(c.leaders)},
                   {"Certification scope", in.client.scope}};
  if (in.certificate) cover.details.push_back({"Certificate", in.certificate->number});
  if (!in.report_id.empty()) cover.details.push_back({"Report", in.report_id});
  cover.details.push_back({"Report date", Long(in.report_date)});
  if (!options.confidentiality.empty()) {
    cover.marking = "CONFIDENTIAL";
    cover.marking_note = options.confidentiality +
                         ". The certification body keeps what it learns about the client confidential and passes "
                         "this report to others only with the client's agreement or where law or accreditation "
                         "rules require it.";
  }
  cover.issued_by = "Produced with assay " + in.manifest.assay_version + " from audit record snapshot " +
                    in.manifest.snapshot_sha256.substr(0, 16) + "\u2026";
  RenderCoverPage(*doc, cover);
  doc->TableOfContents("Contents");

  RenderSummary(*doc, c);
  RenderParties(*doc, c);
  RenderAuditDefinition(*doc, c);
  RenderTeamAndActivities(*doc, c);
  RenderConduct(*doc, c);
  RenderFindings(*doc, c);
  RenderNcRegister(*doc, c);
  RenderCapability(*doc, c);
  RenderProgramme(*doc, c);
  RenderOther(*doc, c);

  std::vector<Signatory> sign;
  for (const TeamMember* m : c.leaders) sign.push_back({"Audit team leader", m->person, in.body.name});
  if (in.decision)
    sign.push_back({"Certification decision", in.decision->decided_by, in.body.name});
  else
    sign.push_back({"Certification decision", "", in.body.name});
  RenderSignatureBlock(*doc, "Signatures", sign,
                       "By signing, the audit team leader confirms that the audit was conducted as described and that "
                       "the findings and the recommendation follow from the evidence recorded. The certification "
                       "decision is signed by a person who took no part in the audit (" +
                           Join(TeamNames(in.audit.audit)) + " were on the team).");
  RenderManifestSection(*doc, manifest, in.manifest.verify_command);
  std::string bytes;
  ASSAY_RETURN_IF_ERROR(doc->Finish(&bytes));
  *pdf = std::move(bytes);
  return Status::OK();
}

Status AuditReportJson(const AuditReportInput& in, std::string* json_text) {
  ASSAY_RETURN_IF_ERROR(CheckAuditReportInput(in));
  const Content c = BuildContent(in);
  ojson j;
  j["format"] = "assay-audit-report/1";
  j["title"] = DraftMarked(in.draft, "Certification audit report: " + in.audit.audit.id);
  j["draft"] = in.draft;
  j["report_id"] = in.report_id;
  j["report_date"] = in.report_date.ToString();
  j["body"] = {{"name", in.body.name}, {"address", in.body.address}, {"accreditation", in.body.accreditation}};
  j["client"] = ClientJson(in.client);
  j["certificate"] = in.certificate ? CertificateJson(*in.certificate) : ojson(nullptr);
  j["audit"] = AuditJson(in.audit);
  if (in.competence) j["competence"] = CompetenceJson(*in.competence, in.client);
  j["catalogue"] = {
      {"id", c.cat->id}, {"version", c.cat->version}, {"standard", c.cat->standard}, {"sha256", c.cat->sha256}};
  j["clauses"] = ClausesJson(c);
  j["findings"] = FindingsJson(c);
  j["nonconformities"] = NonconformitiesJson(c);
  ojson warnings = ojson::array();
  for (const SystemicWarning& w : in.systemic_warnings)
    warnings.push_back({{"clause", w.clause}, {"findings", w.finding_ids}, {"message", w.message}});
  j["systemic_warnings"] = warnings;
  j["recommendation"] = RecommendationJson(in.recommendation);
  if (in.decision)
    j["decision"] = {{"date", in.decision->date.ToString()},
                     {"kind", std::string(DecisionKindName(in.decision->kind))},
                     {"decided_by", in.decision->decided_by}};
  else
    j["decision"] = nullptr;
  j["programme"] = in.programme ? ProgrammeJson(*in.programme) : ojson(nullptr);
  {
    ojson cov = ojson::array();
    for (const ClauseCoverage& e : in.cycle_coverage)
      cov.push_back({{"clause", e.clause}, {"audits", e.audits}, {"planned", e.planned}});
    j["cycle_coverage"] = {{"covered", cov},
                           {"not_covered", c.cycle_gaps.not_covered},
                           {"not_planned", c.cycle_gaps.not_planned}};
  }
  j["assessment"] = in.assessment ? AssessmentJson(*in.assessment) : ojson(nullptr);
  if (in.time_and_sites) TimeAndSitesJson(*in.time_and_sites, &j);
  j["manifest"] = {
      {"kind", "audit"},
      {"subject", in.audit.audit.id},
      {"snapshot_sha256", in.manifest.snapshot_sha256},
      {"assay_version", in.manifest.assay_version},
      {"catalogue", in.manifest.catalogue.empty() ? c.catalogue_key : in.manifest.catalogue},
      {"catalogue_sha256", in.manifest.catalogue_sha256.empty() ? c.cat->sha256 : in.manifest.catalogue_sha256},
      {"data_as_of", in.report_date.ToString()},
      {"log_seq", in.manifest.log_seq},
      {"log_head", in.manifest.log_head},
      {"seal", in.manifest.seal},
      {"draft", in.draft}};
  *json_text = j.dump(2) + "\n";
  return Status::OK();
}

}  // namespace assay::reports
