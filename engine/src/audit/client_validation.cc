// The checks a client's records pass before they are written
// (client_validation.h). The problems come in a fixed order: the client and
// its sites, the certificates, the audits, the findings, the
// nonconformities, the decisions, then the history rules of audit.h.
#include "audit/client_validation.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "assay/text.h"

namespace assay::internal {

namespace {


bool Blank(const std::string& t) { return t.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return s;
}

std::string At(const std::string& pointer, size_t index) { return pointer + "/" + std::to_string(index); }

// One pass over a client's records; each method checks one section.
class ClientValidator {
 public:
  ClientValidator(const ClientAuditData& c, const ClientChecks& checks, RecordProblems* pr)
      : c_(c), checks_(checks), pr_(pr), cid_(c.client.id) {}

  void Run() {
    CheckClient();
    CheckCertificates();
    for (size_t i = 0; i < c_.audits.size(); ++i) CheckAudit(c_.audits[i], At("/audits", i));
    for (const AuditRecord& a : c_.audits) audit_ids_.push_back(a.audit.id);
    CheckFindings();
    CheckNonconformities();
    CheckDecisions();
    if (pr_->empty()) {
      Status s = CheckClientHistory(c_.History(), checks_.policy);
      if (!s.ok()) Add("", Status::InvalidInput("client " + Quote(cid_) + ": " + s.message()));
    }
    if (pr_->empty() && checks_.time_table) {
      Status s = CheckAuditDays(c_, *checks_.time_table);
      if (!s.ok()) {
        size_t i = 0;
        while (i < c_.audits.size() && c_.audits[i].audit.id != s.subject().id) ++i;
        Add(At("/audits", i) + "/audit_days", s);
      }
    }
  }

 private:
  void Add(std::string pointer, Status status) { pr_->push_back({std::move(pointer), std::move(status)}); }
  void Invalid(std::string pointer, const std::string& message) {
    Add(std::move(pointer), Status::InvalidInput(message));
  }

  void CheckId(const std::string& ptr, const std::string& what, const std::string& id) {
    if (id.empty()) return;  // reported as required
    std::string why = WhyNotSafeId(id);
    if (why.empty() && id.find('/') != std::string::npos) why = "contains '/'";
    if (!why.empty())
      Invalid(ptr, what + " " + (IsValidUtf8(id) ? Quote(id) + " " : std::string()) + "is not a valid ID: " + why);
  }

  void CheckClause(const std::string& ptr, const std::string& who, const std::string& clause) {
    if (!checks_.catalogue || clause.empty()) return;
    Status s = checks_.catalogue->CheckAuditableClause(clause);
    if (s.ok()) return;
    std::string msg = who + ": " + s.message();
    Add(ptr, s.code() == Status::Code::kNotFound ? Status::NotFound(msg) : Status::InvalidInput(msg));
  }

  void CheckClient() {
    CheckId("/client/id", "client", cid_);
    if (c_.client.name.empty()) Invalid("/client/name", "client " + Quote(cid_) + ": name is required");
    if (c_.client.scope.empty())
      Invalid("/client/scope", "client " + Quote(cid_) + ": the certification scope is required");
    for (size_t i = 0; i < c_.client.sites.size(); ++i) {
      const std::string p = At("/client/sites", i) + "/id";
      const std::string& id = c_.client.sites[i].id;
      CheckId(p, "site", id);
      if (!site_ids_.insert(id).second) Invalid(p, "client " + Quote(cid_) + ": site " + Quote(id) + " appears twice");
    }
    sites_.assign(site_ids_.begin(), site_ids_.end());
    std::string central;
    for (size_t i = 0; i < c_.client.sites.size(); ++i) {
      const ClientSite& s = c_.client.sites[i];
      if (!s.central) continue;
      if (!central.empty())
        Invalid(At("/client/sites", i) + "/central", "client " + Quote(cid_) + ": sites " + Quote(central) + " and " +
                                                         Quote(s.id) +
                                                         " are both marked central; one site holds the central function");
      central = s.id;
    }
    CheckAuditTimeInputs();
  }

  void CheckAuditTimeInputs() {
    if (!c_.client.audit_time) return;
    const ClientAuditTime& t = *c_.client.audit_time;
    const std::string who = "client " + Quote(cid_) + ": ";
    if (t.persons < 1)
      Invalid("/client/audit_time/persons",
              who + "the number of persons in scope must be at least 1, got " + std::to_string(t.persons));
    for (size_t i = 0; i < t.adjustments.size(); ++i) {
      const std::string p = At("/client/audit_time/adjustments", i);
      if (t.adjustments[i].percent < -100 || t.adjustments[i].percent > 100 || t.adjustments[i].percent == 0)
        Invalid(p + "/percent", who + "audit-time adjustment " + std::to_string(i + 1) + ": " +
                                    std::to_string(t.adjustments[i].percent) +
                                    " % is not an adjustment (a whole percent from -100 to 100, not 0)");
      if (Blank(t.adjustments[i].reason))
        Invalid(p + "/reason", who + "audit-time adjustment " + std::to_string(i + 1) + " needs its reason");
    }
  }

  void CheckCertificates() {
    std::set<std::string> seen;
    for (size_t i = 0; i < c_.certificates.size(); ++i) {
      const CertificateRecord& x = c_.certificates[i];
      const std::string p = At("/certificates", i);
      const std::string& n = x.certificate.number;
      cert_numbers_.push_back(n);
      CheckId(p + "/number", "certificate", n);
      if (!seen.insert(n).second || checks_.other_certificates.count(n))
        Invalid(p + "/number", "certificate " + Quote(n) + " already exists");
      if (x.certificate.expiry_date <= x.certificate.issue_date)
        Invalid(p + "/expiry_date", "certificate " + Quote(n) + ": expiry " + x.certificate.expiry_date.ToString() +
                                        " is not after its issue date " + x.certificate.issue_date.ToString());
      for (size_t k = 1; k < x.history.size(); ++k)
        if (x.history[k].date < x.history[k - 1].date)
          Invalid(At(p + "/history", k) + "/date", "certificate " + Quote(n) + ": its history is not in date order");
    }
  }

  void CheckAudit(const AuditRecord& r, const std::string& p) {
    const Audit& a = r.audit;
    const std::string who = "audit " + Quote(a.id);
    CheckId(p + "/id", "audit", a.id);
    if (audits_.count(a.id) || checks_.other_audits.count(a.id)) Invalid(p + "/id", who + " already exists");
    audits_[a.id] = &r;
    CheckAuditDates(a, p, who);
    for (size_t k = 0; k < r.sites.size(); ++k)
      if (!site_ids_.count(r.sites[k]))
        Add(At(p + "/sites", k),
            UnknownId(who + ": unknown site ", "site", r.sites[k], sites_, " of client " + Quote(cid_)));
    std::set<std::string> people;
    for (size_t k = 0; k < a.team.size(); ++k)
      if (!people.insert(Lower(a.team[k].person)).second)
        Invalid(At(p + "/team", k) + "/person", who + ": " + Quote(a.team[k].person) + " is on the team twice");
    for (size_t k = 0; k < r.deviations.size(); ++k)
      if (r.deviations[k].reason.empty())
        Invalid(At(p + "/deviations", k) + "/reason", who + ": a deviation from the audit plan needs its reason");
    for (size_t k = 0; k < r.sampled.size(); ++k)
      CheckClause(At(p + "/sampled", k) + "/clause", who, r.sampled[k].clause);
    CheckLinkedAssessment(r, p, who);
    if (r.audit_days && !(*r.audit_days > 0 && *r.audit_days <= 1000))
      Invalid(p + "/audit_days", who + ": audit days must be more than 0 and at most 1000, got " +
                                     DaysText(*r.audit_days));
    if (r.override_ && Blank(r.override_->justification))
      Invalid(p + "/override/justification", who + ": overriding the recommendation needs a recorded justification");
    CheckReportItems(r, p, who, people);
  }

  void CheckAuditDates(const Audit& a, const std::string& p, const std::string& who) {
    if (a.planned_end < a.planned_start)
      Invalid(p + "/planned_end", who + ": planned end " + a.planned_end.ToString() + " is before its planned start " +
                                      a.planned_start.ToString());
    if (a.actual_start && a.actual_end && *a.actual_end < *a.actual_start)
      Invalid(p + "/actual_end", who + ": actual end " + a.actual_end->ToString() + " is before its actual start " +
                                     a.actual_start->ToString());
    if (a.status == AuditStatus::kCompleted && !a.actual_end)
      Invalid(p + "/actual_end", who + " is completed but has no actual end date (its last day)");
  }

  void CheckLinkedAssessment(const AuditRecord& r, const std::string& p, const std::string& who) {
    const std::vector<std::string>& ids = checks_.assessments;
    if (r.assessment.empty() || std::find(ids.begin(), ids.end(), r.assessment) != ids.end()) return;
    Add(p + "/assessment",
        Status::NotFound(who + ": no assessment " + Quote(r.assessment) + " in the workspace" +
                         SuggestionSuffix(r.assessment, ids) + "; import it first")
            .About("assessment", r.assessment, NearestIds(r.assessment, ids), ids.empty() ? "none-yet" : "missing"));
  }

  // The report items h-q: no blank texts, accompanying persons named once
  // and not on the team, activities with a place, details and notes where
  // the kind needs them.
  void CheckReportItems(const AuditRecord& r, const std::string& p, const std::string& who,
                        const std::set<std::string>& people) {
    auto texts = [&](const char* key, const std::vector<std::string>& v, const char* what) {
      for (size_t k = 0; k < v.size(); ++k)
        if (Blank(v[k])) Invalid(At(p + "/" + key, k), who + ": " + what + " is blank");
    };
    texts("programme_issues", r.programme_issues, "a significant issue affecting the audit programme");
    texts("changes", r.changes, "a significant change since the last audit");
    texts("unresolved_issues", r.unresolved_issues, "an unresolved issue");
    std::set<std::string> companions;
    for (size_t k = 0; k < r.accompanying.size(); ++k) {
      const AccompanyingPerson& x = r.accompanying[k];
      const std::string ap = At(p + "/accompanying", k) + "/person";
      const std::string key = Lower(x.person);
      if (Blank(x.person))
        Invalid(ap, who + ": an accompanying person needs a name");
      else if (people.count(key))
        Invalid(ap, who + ": " + Quote(x.person) +
                        " is on the audit team; accompanying persons are the guides, interpreters and observers "
                        "outside it");
      else if (!companions.insert(key).second)
        Invalid(ap, who + ": " + Quote(x.person) + " is listed twice as accompanying");
    }
    for (size_t k = 0; k < r.activities.size(); ++k)
      if (Blank(r.activities[k].place))
        Invalid(At(p + "/activities", k) + "/place", who + ": the activity of " + r.activities[k].date.ToString() +
                                                         " needs its place (a site ID or e.g. 'video conference')");
    if (r.combination && r.combination->kind != AuditCombination::kSingle && Blank(r.combination->details))
      Invalid(p + "/combination/details", who + ": a " + std::string(AuditCombinationName(r.combination->kind)) +
                                              " audit needs its details (with which standards or certification body)");
    if (r.marks && r.marks->control == MarksControl::kNotControlled && Blank(r.marks->note))
      Invalid(p + "/marks/note", who + ": marks not-controlled needs a note saying what was misused");
  }

  void CheckFindings() {
    for (size_t i = 0; i < c_.findings.size(); ++i) {
      const Finding& f = c_.findings[i];
      const std::string p = At("/findings", i);
      const std::string who = "finding " + Quote(f.id);
      CheckId(p + "/id", "finding", f.id);
      if (findings_.count(f.id) || checks_.other_findings.count(f.id)) Invalid(p + "/id", who + " already exists");
      findings_[f.id] = &f;
      finding_ids_.push_back(f.id);
      auto fa = audits_.find(f.audit_id);
      if (fa == audits_.end()) {
        Add(p + "/audit",
            UnknownId(who + ": unknown audit ", "audit", f.audit_id, audit_ids_, " of client " + Quote(cid_)));
      } else {
        const Audit& audit = fa->second->audit;
        const Date start = audit.actual_start.value_or(audit.planned_start);
        if (f.date < start)
          Invalid(p + "/date", who + ": dated " + f.date.ToString() + ", before its audit " + Quote(f.audit_id) +
                                   " began (" + start.ToString() + ")");
      }
      CheckClause(p + "/clause", who, f.clause);
      Status s = CheckAuditFinding(f, checks_.policy);
      if (!s.ok()) Add(p, s);
    }
  }

  void CheckNonconformities() {
    std::set<std::string> ncs;
    for (size_t i = 0; i < c_.nonconformities.size(); ++i) {
      const Nonconformity& n = c_.nonconformities[i].nc;
      const std::string p = At("/nonconformities", i);
      const std::string who = "nonconformity " + Quote(n.id);
      CheckId(p + "/id", "nonconformity", n.id);
      if (!ncs.insert(n.id).second || checks_.other_ncs.count(n.id)) Invalid(p + "/id", who + " already exists");
      auto f = findings_.find(n.finding_id);
      if (f == findings_.end()) {
        Add(p + "/finding", UnknownId(who + ": unknown finding ", "finding", n.finding_id, finding_ids_));
      } else {
        Status s = CheckNonconformityFinding(n, *f->second);
        if (!s.ok()) Add(p + "/grade", s);
        if (n.raised < f->second->date)
          Invalid(p + "/raised", who + ": raised " + n.raised.ToString() + ", before its finding " +
                                     Quote(n.finding_id) + " (" + f->second->date.ToString() + ")");
      }
      if (n.due_date < n.raised)
        Invalid(p + "/due_date",
                who + ": due " + n.due_date.ToString() + ", before it was raised (" + n.raised.ToString() + ")");
      CheckHistory(n, p, who);
    }
  }

  // The history must be a chain of allowed moves from open, in date order,
  // ending in the nonconformity's state.
  void CheckHistory(const Nonconformity& n, const std::string& p, const std::string& who) {
    NonconformityState at = NonconformityState::kOpen;
    Date last = n.raised;
    for (size_t k = 0; k < n.history.size(); ++k) {
      const StateChange& ch = n.history[k];
      const std::string hp = At(p + "/history", k);
      Status s = Transition(at, ch.state);
      if (!s.ok()) return Invalid(hp + "/state", who + ": " + s.message());
      if (ch.date < last)
        return Invalid(hp + "/date", who + ": change to " + std::string(NonconformityStateName(ch.state)) + " on " +
                                         ch.date.ToString() + " is before " + last.ToString());
      at = ch.state;
      last = ch.date;
    }
    if (at != n.state)
      Invalid(p + "/state", who + ": state " + std::string(NonconformityStateName(n.state)) +
                                " does not match the last state of its history (" +
                                std::string(NonconformityStateName(at)) + ")");
  }

  void CheckDecisions() {
    std::set<std::string> decided;
    for (size_t i = 0; i < c_.decisions.size(); ++i) {
      const DecisionRecord& d = c_.decisions[i];
      const std::string p = At("/decisions", i);
      auto a = audits_.find(d.audit);
      if (a == audits_.end()) {
        Add(p + "/audit",
            UnknownId("decision of " + d.decision.date.ToString() + ": unknown audit ", "audit", d.audit, audit_ids_));
      } else {
        Status s = CheckDecisionMaker(d.decision.decided_by, a->second->audit.team);
        if (!s.ok()) Add(p + "/decided_by", s);
        const Audit& da = a->second->audit;
        const Date last = da.actual_end.value_or(da.planned_end);
        if (d.decision.date < last)
          Invalid(p + "/date", "decision on audit " + Quote(d.audit) + ": dated " + d.decision.date.ToString() +
                                   ", before the audit's last day (" + last.ToString() + ")");
      }
      if (!decided.insert(d.audit).second) Invalid(p + "/audit", "audit " + Quote(d.audit) + " has two decisions");
      if (!d.certificate.empty() &&
          std::find(cert_numbers_.begin(), cert_numbers_.end(), d.certificate) == cert_numbers_.end())
        Add(p + "/certificate", UnknownId("decision on audit " + Quote(d.audit) + ": unknown certificate ",
                                          "certificate", d.certificate, cert_numbers_));
    }
  }

  const ClientAuditData& c_;
  const ClientChecks& checks_;
  RecordProblems* pr_;
  const std::string& cid_;
  std::set<std::string> site_ids_;
  std::vector<std::string> sites_;  // site IDs, sorted
  std::vector<std::string> cert_numbers_;
  std::map<std::string, const AuditRecord*> audits_;
  std::vector<std::string> audit_ids_;
  std::map<std::string, const Finding*> findings_;
  std::vector<std::string> finding_ids_;
};

}  // namespace

Status UnknownId(const std::string& text, const char* kind, const std::string& id,
                 const std::vector<std::string>& candidates, const std::string& of) {
  return Status::NotFound(text + Quote(id) + of + SuggestionSuffix(id, candidates))
      .About(kind, id, NearestIds(id, candidates), candidates.empty() ? "none-yet" : "missing");
}

void ValidateClient(const ClientAuditData& c, const ClientChecks& checks, RecordProblems* problems) {
  ClientValidator(c, checks, problems).Run();
}

}  // namespace assay::internal
