// The records of a client (assay/audit.h ClientAuditData), the
// nonconformities and recommendation that count for an audit, and the
// content of its report.
#include <algorithm>
#include <map>
#include <set>

#include "assay/assessment.h"
#include "assay/audit.h"
#include "assay/rating.h"
#include "assay/text.h"

namespace assay {

namespace {

// The last day an audit was (or is planned to be) held.
Date LastDay(const Audit& a) { return a.actual_end.value_or(a.planned_end); }

bool Unverified(const Nonconformity& nc) {
  return nc.state != NonconformityState::kVerified && nc.state != NonconformityState::kClosedEffective;
}

// The report's "as of" date: `as_of`, else the date of the decision based
// on the audit, else its last day.
Date ReportDate(const ClientAuditData& c, const AuditRecord& a, std::optional<Date> as_of) {
  if (as_of) return *as_of;
  Date date = LastDay(a.audit);
  for (const DecisionRecord& d : c.decisions)
    if (d.audit == a.audit.id) date = d.decision.date;
  return date;
}

// The client with the sites the audit covers (all when it names none).
Client CoveredClient(const Client& client, const AuditRecord& a) {
  Client out = client;
  out.sites.clear();
  for (const ClientSite& s : client.sites)
    if (a.sites.empty() || std::find(a.sites.begin(), a.sites.end(), s.id) != a.sites.end()) out.sites.push_back(s);
  return out;
}

// The audit with each activity's place that names a site of the client
// replaced by the site's name.
AuditRecord WithSiteNames(const Client& client, const AuditRecord& a) {
  std::map<std::string, std::string> names;
  for (const ClientSite& s : client.sites) names[s.id] = s.name.empty() ? s.id : s.name;
  AuditRecord out = a;
  for (AuditActivityRecord& x : out.activities) {
    auto site = names.find(x.place);
    if (site != names.end()) x.place = site->second;
  }
  return out;
}

// The findings of the audit and the nonconformities that count for it,
// with the findings of earlier audits behind them.
void ReportFindings(const ClientAuditData& c, const AuditRecord& a, Date report_date, AuditReportContent* out) {
  std::set<std::string> shown;
  for (const Finding& f : c.findings)
    if (f.audit_id == a.audit.id) {
      out->findings.push_back(f);
      shown.insert(f.id);
    }
  for (const NonconformityRecord* n : NonconformitiesToConsider(c, a)) {
    const Finding* f = c.FindFinding(n->nc.finding_id);
    if (shown.insert(f->id).second) out->findings.push_back(*f);
    ReportedNonconformity e;
    static_cast<NonconformityRecord&>(e) = *n;
    e.overdue = IsOverdue(n->nc, report_date);
    out->nonconformities.push_back(e);
  }
}

// Drops the changes of `history` dated after `date`; true when it dropped any.
template <typename Change>
bool CutHistory(std::vector<Change>* history, Date date) {
  return std::erase_if(*history, [date](const Change& c) { return date < c.date; }) > 0;
}

}  // namespace

ClientAuditData ClientAsOf(const ClientAuditData& c, Date date) {
  ClientAuditData out = c;
  for (NonconformityRecord& n : out.nonconformities) {
    if (CutHistory(&n.nc.history, date))
      n.nc.state = n.nc.history.empty() ? NonconformityState::kOpen : n.nc.history.back().state;
  }
  std::erase_if(out.decisions, [date](const DecisionRecord& d) { return date < d.decision.date; });
  std::erase_if(out.certificates, [date](const CertificateRecord& x) { return date < x.certificate.issue_date; });
  for (CertificateRecord& x : out.certificates) {
    if (CutHistory(&x.history, date) && !x.history.empty()) x.certificate.status = x.history.back().status;
  }
  std::erase_if(out.client.sites, [date](const ClientSite& s) { return s.since && date < *s.since; });
  return out;
}

ClientHistory ClientAuditData::History() const {
  ClientHistory h;
  for (const DecisionRecord& d : decisions) h.decisions.push_back(d.decision);
  for (const AuditRecord& a : audits) h.audits.push_back(a.audit);
  h.findings = findings;
  for (const NonconformityRecord& n : nonconformities) h.nonconformities.push_back(n.nc);
  return h;
}

const AuditRecord* ClientAuditData::FindAudit(const std::string& id) const {
  for (const AuditRecord& a : audits)
    if (a.audit.id == id) return &a;
  return nullptr;
}
const Finding* ClientAuditData::FindFinding(const std::string& id) const {
  for (const Finding& f : findings)
    if (f.id == id) return &f;
  return nullptr;
}
const NonconformityRecord* ClientAuditData::FindNonconformity(const std::string& id) const {
  for (const NonconformityRecord& n : nonconformities)
    if (n.nc.id == id) return &n;
  return nullptr;
}

std::vector<const NonconformityRecord*> NonconformitiesToConsider(const ClientAuditData& c, const AuditRecord& audit) {
  std::vector<const NonconformityRecord*> out;
  for (const NonconformityRecord& r : c.nonconformities) {
    const Finding* f = c.FindFinding(r.nc.finding_id);
    if (!f) continue;
    if (f->audit_id == audit.audit.id) {
      out.push_back(&r);
      continue;
    }
    const AuditRecord* other = c.FindAudit(f->audit_id);
    if (other && Unverified(r.nc) && LastDay(other->audit) <= LastDay(audit.audit)) out.push_back(&r);
  }
  return out;
}

Recommendation AuditRecommendation(const ClientAuditData& c, const AuditRecord& audit, Date today,
                                   const CertificationPolicy& policy, bool apply_override) {
  std::vector<Nonconformity> ncs;
  for (const NonconformityRecord* r : NonconformitiesToConsider(c, audit)) ncs.push_back(r->nc);
  Recommendation rec = ComputeRecommendation(audit.audit, c.findings, ncs, today, policy);
  if (apply_override && audit.override_) {
    // Refused (and then without effect) once the computed kind equals the
    // override.
    Status s = OverrideRecommendation(&rec, audit.override_->kind, audit.override_->justification);
    (void)s;
  }
  return rec;
}

std::vector<std::string> AuditClauses(const AuditRecord& audit, const std::vector<Finding>& findings) {
  std::set<std::string> clauses;
  for (const SampledItem& s : audit.sampled)
    if (!s.clause.empty()) clauses.insert(s.clause);
  for (const Finding& f : findings)
    if (f.audit_id == audit.audit.id && !f.clause.empty()) clauses.insert(f.clause);
  return {clauses.begin(), clauses.end()};
}

std::vector<const AuditRecord*> CycleAudits(const ClientAuditData& c, Date today) {
  const DecisionRecord* latest = nullptr;
  for (const DecisionRecord& d : c.decisions)
    if (!(today < d.decision.date) && (!latest || latest->decision.date < d.decision.date)) latest = &d;
  std::optional<Date> from;
  if (latest)
    if (const AuditRecord* a = c.FindAudit(latest->audit)) from = LastDay(a->audit);
  std::vector<const AuditRecord*> audits;
  for (const AuditRecord& a : c.audits) {
    if (a.audit.type == AuditType::kStage1 || a.audit.status == AuditStatus::kCancelled) continue;
    if (from && LastDay(a.audit) < *from) continue;
    audits.push_back(&a);
  }
  std::stable_sort(audits.begin(), audits.end(),
                   [](const AuditRecord* x, const AuditRecord* y) { return LastDay(x->audit) < LastDay(y->audit); });
  return audits;
}

std::vector<ClauseCoverage> CycleCoverage(const ClientAuditData& c, Date today) {
  std::map<std::string, ClauseCoverage> by_clause;
  for (const AuditRecord* a : CycleAudits(c, today)) {
    const bool held = a->audit.status == AuditStatus::kCompleted && a->audit.actual_end && !(today < *a->audit.actual_end);
    for (const std::string& clause : AuditClauses(*a, c.findings)) {
      ClauseCoverage& e = by_clause[clause];
      e.clause = clause;
      (held ? e.audits : e.planned).push_back(a->audit.id);
    }
  }
  std::vector<ClauseCoverage> out;
  for (auto& [clause, e] : by_clause) out.push_back(std::move(e));
  return out;
}

CoverageGaps CoverageGapsOf(const std::vector<ClauseCoverage>& coverage, const std::vector<std::string>& auditable) {
  std::map<std::string, const ClauseCoverage*> index;
  for (const ClauseCoverage& e : coverage) index[e.clause] = &e;
  CoverageGaps gaps;
  for (const std::string& clause : auditable) {
    auto it = index.find(clause);
    if (it != index.end() && !it->second->audits.empty()) continue;
    gaps.not_covered.push_back(clause);
    if (it == index.end() || it->second->planned.empty()) gaps.not_planned.push_back(clause);
  }
  return gaps;
}

LinkedAssessment LinkAssessment(const Assessment& assessment, const RatingResults& results) {
  LinkedAssessment out;
  out.id = assessment.id;
  out.title = assessment.title;
  out.model = assessment.model_id + "@" + assessment.model_version;
  if (!assessment.end_date.empty()) {
    Date d;
    if (Date::Parse(assessment.end_date.substr(0, 10), &d).ok()) out.date = d;
  }
  for (const ProcessProfile& p : results.processes) {
    if (!p.capability.determined) continue;
    ProcessCapability pc;
    pc.process = p.process;
    pc.name = p.name;
    pc.level = p.capability.level;
    if (p.target_level > 0) pc.target = p.target_level;
    out.processes.push_back(pc);
  }
  return out;
}

Status ComputeAuditReport(const ClientAuditData& all, const AuditPolicy& policy, const std::string& audit,
                          std::optional<Date> as_of, AuditReportContent* out) {
  *out = AuditReportContent();
  const AuditRecord* found = all.FindAudit(audit);
  if (!found) {
    const ClientAuditData& c = all;
    std::vector<std::string> ids;
    for (const AuditRecord& x : c.audits) ids.push_back(x.audit.id);
    return Status::NotFound("client '" + c.client.id + "' has no audit '" + audit + "'" + SuggestionSuffix(audit, ids))
        .About("audit", audit, NearestIds(audit, ids));
  }
  out->report_date = ReportDate(all, *found, as_of);
  const ClientAuditData c = ClientAsOf(all, out->report_date);
  const AuditRecord* a = c.FindAudit(audit);
  out->body = policy.body;
  out->client = CoveredClient(c.client, *a);
  for (const CertificateRecord& x : c.certificates)
    if (!out->certificate || out->certificate->issue_date < x.certificate.issue_date) out->certificate = x.certificate;
  out->audit = WithSiteNames(c.client, *a);
  ReportFindings(c, *a, out->report_date, out);
  std::vector<Finding> of_audit;
  for (const Finding& f : c.findings)
    if (f.audit_id == audit) of_audit.push_back(f);
  out->systemic_warnings = SystemicWarnings(of_audit, policy.policy);
  out->cycle_coverage = CycleCoverage(c, out->report_date);
  out->recommendation = AuditRecommendation(c, *a, out->report_date, policy.policy);
  for (const DecisionRecord& d : c.decisions) {
    if (d.audit != audit) continue;
    out->decision = d.decision;
    if (d.recommendation) out->recommendation = *d.recommendation;  // what the decision was based on
  }
  ProgrammeStatus ps = ComputeProgramme(c.History(), out->report_date, policy.policy);
  if (ps.status.ok()) out->programme = ps;
  const AuditType type = a->audit.type;
  const bool decided_type =
      type == AuditType::kStage2 || type == AuditType::kRecertification || type == AuditType::kSpecial;
  out->draft = !out->decision && (decided_type || a->audit.status != AuditStatus::kCompleted);
  return Status::OK();
}

}  // namespace assay
