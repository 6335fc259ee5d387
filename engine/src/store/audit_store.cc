// Audit store: certification-audit records in the workspace's audit_records
// and events tables (see assay/audit_store.h and docs/AUDIT.md).
#include "assay/audit_store.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "assay/text.h"
#include "audit/client_validation.h"
#include "store/store_impl.h"
#include "util/json_input.h"

namespace assay {

namespace {

using internal::Context;
using internal::WorkspaceImpl;
namespace sql = internal::sql;
using nlohmann::json;

// Each audit record is stored under the kind its key starts with ("client",
// "audit" for "audit/S2-2025", ...; schema version 3 admits these kinds).
// Workspaces written before it hold them as kind "unit" (the only way
// schema version 2 allowed): those rows are still read, and their events
// still verify; the next version of such a record supersedes the legacy row
// and takes its own kind.
constexpr const char* kLegacyKind = "unit";
constexpr const char* kAuditKinds[] = {"policy", "client", "certificate", "audit", "finding", "nc", "decision"};
constexpr const char* kSubjectPrefix = internal::kAuditSubjectPrefix;

// The kind of the record `key`: the part before the first '/'.
std::string KindOfKey(const std::string& key) { return key.substr(0, key.find('/')); }
bool IsAuditKind(const std::string& kind) {
  for (const char* k : kAuditKinds)
    if (kind == k) return true;
  return false;
}
constexpr const char* kFormat = "assay-audit/1";


using Problem = internal::RecordProblem;
using Problems = internal::RecordProblems;
using internal::UnknownId;

// --- JSON helpers -----------------------------------------------------------

void PutStr(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
void PutList(json& j, const char* key, const std::vector<std::string>& v) {
  if (!v.empty()) j[key] = v;
}
void PutDate(json& j, const char* key, const std::optional<Date>& d) {
  if (d) j[key] = d->ToString();
}

// Reads fields of one object, collecting problems with their pointers.
class Rd {
 public:
  Rd(const json& j, std::string ptr, Problems* problems) : j_(j), ptr_(std::move(ptr)), problems_(problems) {
    if (!j_.is_object()) Bad("", "expected an object, got " + std::string(j_.type_name()));
  }
  std::string At(const std::string& key) const { return ptr_ + "/" + JsonPointerToken(key); }
  void Bad(const std::string& key, const std::string& msg) {
    problems_->push_back({key.empty() ? ptr_ : At(key), Status::InvalidInput(msg)});
  }
  const json* Get(const char* key) const {
    if (!j_.is_object() || !j_.contains(key)) return nullptr;
    return &j_.at(key);
  }
  std::string Str(const char* key, bool required = false) {
    const json* v = Get(key);
    if (!v) {
      if (required && j_.is_object()) Bad(key, std::string(key) + " is required");
      return "";
    }
    if (!v->is_string()) {
      Bad(key, std::string(key) + ": expected a string, got " + std::string(v->type_name()));
      return "";
    }
    if (required && v->get<std::string>().empty()) Bad(key, std::string(key) + " is required");
    return v->get<std::string>();
  }
  std::vector<std::string> List(const char* key) {
    std::vector<std::string> out;
    const json* v = Get(key);
    if (!v) return out;
    if (!v->is_array()) {
      Bad(key, std::string(key) + ": expected an array of strings");
      return out;
    }
    for (const json& e : *v) {
      if (!e.is_string()) {
        Bad(key, std::string(key) + ": expected an array of strings");
        return {};
      }
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  std::optional<Date> OptDate(const char* key) {
    std::string s = Str(key);
    if (s.empty()) return std::nullopt;
    Date d;
    Status st = Date::Parse(s, &d);
    if (!st.ok()) {
      problems_->push_back({At(key), st});
      return std::nullopt;
    }
    return d;
  }
  Date ReqDate(const char* key) {
    if (!Get(key) && j_.is_object()) {
      Bad(key, std::string(key) + " is required");
      return Date();
    }
    return OptDate(key).value_or(Date());
  }
  int Int(const char* key, int def) {
    const json* v = Get(key);
    if (!v) return def;
    if (!v->is_number_integer()) {
      Bad(key, std::string(key) + ": expected an integer");
      return def;
    }
    return v->get<int>();
  }
  bool Bool(const char* key, bool def) {
    const json* v = Get(key);
    if (!v) return def;
    if (!v->is_boolean()) {
      Bad(key, std::string(key) + ": expected true or false");
      return def;
    }
    return v->get<bool>();
  }
  template <typename E>
  E Enum(const char* key, Status (*parse)(std::string_view, E*), E def, bool required) {
    std::string s = Str(key, required);
    if (s.empty()) return def;
    E out = def;
    Status st = parse(s, &out);
    if (!st.ok()) problems_->push_back({At(key), st});
    return out;
  }
  // Calls f(element, pointer) for each element of the array `key`.
  template <typename F>
  void Each(const char* key, F f) {
    const json* v = Get(key);
    if (!v) return;
    if (!v->is_array()) return Bad(key, std::string(key) + ": expected an array");
    for (size_t i = 0; i < v->size(); ++i) f((*v)[i], At(key) + "/" + std::to_string(i));
  }
  Problems* problems() { return problems_; }

 private:
  const json& j_;
  std::string ptr_;
  Problems* problems_;
};

// --- Records as JSON ----------------------------------------------------------

json PolicyJson(const CertificationPolicy& p) {
  return {{"major_action_days", p.major_action_days},
          {"minor_plan_days", p.minor_plan_days},
          {"reminder_lead_days", p.reminder_lead_days},
          {"allow_opportunities", p.allow_opportunities},
          {"systemic_minor_threshold", p.systemic_minor_threshold},
          {"planning_window_months", p.planning_window_months},
          {"renewal_keeps_expiry", p.renewal_keeps_expiry}};
}

json BodyJson(const CertificationBody& b) {
  json body = json::object();
  PutStr(body, "name", b.name);
  PutStr(body, "address", b.address);
  PutStr(body, "accreditation", b.accreditation);
  return body;
}

json ToJson(const AuditPolicy& p) {
  json j = PolicyJson(p.policy);
  json body = BodyJson(p.body);
  if (!body.empty()) j["body"] = body;
  return j;
}

void FromJson(const json& j, const std::string& ptr, CertificationBody* b, Problems* pr) {
  Rd rb(j, ptr, pr);
  b->name = rb.Str("name");
  b->address = rb.Str("address");
  b->accreditation = rb.Str("accreditation");
}

void FromJson(const json& j, const std::string& ptr, AuditPolicy* p, Problems* pr) {
  Rd rd(j, ptr, pr);
  CertificationPolicy d;
  p->policy.major_action_days = rd.Int("major_action_days", d.major_action_days);
  p->policy.minor_plan_days = rd.Int("minor_plan_days", d.minor_plan_days);
  p->policy.reminder_lead_days = rd.Int("reminder_lead_days", d.reminder_lead_days);
  p->policy.allow_opportunities = rd.Bool("allow_opportunities", d.allow_opportunities);
  p->policy.systemic_minor_threshold = rd.Int("systemic_minor_threshold", d.systemic_minor_threshold);
  p->policy.planning_window_months = rd.Int("planning_window_months", d.planning_window_months);
  p->policy.renewal_keeps_expiry = rd.Bool("renewal_keeps_expiry", d.renewal_keeps_expiry);
  if (const json* b = rd.Get("body")) FromJson(*b, rd.At("body"), &p->body, pr);
}

json ToJson(const Client& c) {
  json j = json::object();
  PutStr(j, "id", c.id);
  PutStr(j, "name", c.name);
  PutStr(j, "address", c.address);
  PutStr(j, "representative", c.representative);
  PutStr(j, "scope", c.scope);
  if (!c.sites.empty()) {
    json sites = json::array();
    for (const ClientSite& s : c.sites) {
      json e = json::object();
      PutStr(e, "id", s.id);
      PutStr(e, "name", s.name);
      PutStr(e, "address", s.address);
      PutStr(e, "activities", s.activities);
      if (s.central) e["central"] = true;
      if (s.since) e["since"] = s.since->ToString();
      sites.push_back(e);
    }
    j["sites"] = sites;
  }
  PutList(j, "technical_areas", c.technical_areas);
  if (!c.declarations.empty()) {
    json arr = json::array();
    for (const RelationshipDeclaration& d : c.declarations) {
      json e = json::object();
      PutStr(e, "person", d.person);
      e["kind"] = std::string(RelationshipKindName(d.kind));
      e["from"] = d.from.ToString();
      if (d.until) e["until"] = d.until->ToString();
      e["declared"] = d.declared.ToString();
      PutStr(e, "note", d.note);
      arr.push_back(e);
    }
    j["declarations"] = arr;
  }
  if (c.audit_time) {
    json adj = json::array();
    for (const AuditTimeAdjustmentRecord& a : c.audit_time->adjustments) {
      json e = {{"percent", a.percent}};
      PutStr(e, "reason", a.reason);
      adj.push_back(e);
    }
    json t = {{"persons", c.audit_time->persons}};
    if (!adj.empty()) t["adjustments"] = adj;
    if (!c.audit_time->table_sha256.empty())
      t["table"] = {{"id", c.audit_time->table_id},
                    {"version", c.audit_time->table_version},
                    {"sha256", c.audit_time->table_sha256}};
    j["audit_time"] = t;
  }
  return j;
}

void FromJson(const json& j, const std::string& ptr, Client* c, Problems* pr) {
  Rd rd(j, ptr, pr);
  c->id = rd.Str("id", true);
  c->name = rd.Str("name", true);
  c->address = rd.Str("address");
  c->representative = rd.Str("representative");
  c->scope = rd.Str("scope", true);
  rd.Each("sites", [&](const json& e, const std::string& p) {
    Rd rs(e, p, pr);
    ClientSite s;
    s.id = rs.Str("id", true);
    s.name = rs.Str("name");
    s.address = rs.Str("address");
    s.activities = rs.Str("activities");
    s.central = rs.Bool("central", false);
    s.since = rs.OptDate("since");
    c->sites.push_back(s);
  });
  c->technical_areas = rd.List("technical_areas");
  rd.Each("declarations", [&](const json& e, const std::string& p) {
    Rd rr(e, p, pr);
    RelationshipDeclaration d;
    d.person = rr.Str("person", true);
    d.kind = rr.Enum("kind", &ParseRelationshipKind, RelationshipKind::kConsulting, true);
    d.from = rr.ReqDate("from");
    d.until = rr.OptDate("until");
    d.declared = rr.ReqDate("declared");
    d.note = rr.Str("note");
    c->declarations.push_back(d);
  });
  if (const json* t = rd.Get("audit_time")) {
    Rd rt(*t, rd.At("audit_time"), pr);
    ClientAuditTime x;
    x.persons = rt.Int("persons", 0);
    rt.Each("adjustments", [&](const json& e, const std::string& p) {
      Rd ra(e, p, pr);
      x.adjustments.push_back({ra.Int("percent", 0), ra.Str("reason", true)});
    });
    if (const json* tb = rt.Get("table")) {
      Rd rb(*tb, rt.At("table"), pr);
      x.table_id = rb.Str("id", true);
      x.table_version = rb.Str("version");
      x.table_sha256 = rb.Str("sha256", true);
    }
    c->audit_time = x;
  }
}

json ToJson(const CertificateRecord& c) {
  json j = json::object();
  PutStr(j, "number", c.certificate.number);
  j["issue_date"] = c.certificate.issue_date.ToString();
  j["expiry_date"] = c.certificate.expiry_date.ToString();
  j["status"] = std::string(CertificateStatusName(c.certificate.status));
  PutStr(j, "scope", c.scope);
  PutStr(j, "decision", c.decision);
  if (!c.history.empty()) {
    json h = json::array();
    for (const CertificateChange& ch : c.history) {
      json e = {{"status", std::string(CertificateStatusName(ch.status))}, {"date", ch.date.ToString()}};
      PutStr(e, "reason", ch.reason);
      h.push_back(e);
    }
    j["history"] = h;
  }
  return j;
}

void FromJson(const json& j, const std::string& ptr, CertificateRecord* c, Problems* pr) {
  Rd rd(j, ptr, pr);
  c->certificate.number = rd.Str("number", true);
  c->certificate.issue_date = rd.ReqDate("issue_date");
  c->certificate.expiry_date = rd.ReqDate("expiry_date");
  c->certificate.status = rd.Enum("status", &ParseCertificateStatus, CertificateStatus::kActive, true);
  c->scope = rd.Str("scope");
  c->decision = rd.Str("decision");
  rd.Each("history", [&](const json& e, const std::string& p) {
    Rd rh(e, p, pr);
    CertificateChange ch;
    ch.status = rh.Enum("status", &ParseCertificateStatus, CertificateStatus::kActive, true);
    ch.date = rh.ReqDate("date");
    ch.reason = rh.Str("reason");
    c->history.push_back(ch);
  });
}

json ToJson(const AuditRecord& r) {
  const Audit& a = r.audit;
  json j = json::object();
  PutStr(j, "id", a.id);
  j["type"] = std::string(AuditTypeName(a.type));
  j["status"] = std::string(AuditStatusName(a.status));
  j["planned_start"] = a.planned_start.ToString();
  j["planned_end"] = a.planned_end.ToString();
  PutDate(j, "actual_start", a.actual_start);
  PutDate(j, "actual_end", a.actual_end);
  if (!a.team.empty()) {
    json t = json::array();
    for (const TeamMember& m : a.team) t.push_back({{"person", m.person}, {"role", std::string(TeamRoleName(m.role))}});
    j["team"] = t;
  }
  PutList(j, "sites", r.sites);
  PutList(j, "objectives", r.objectives);
  PutList(j, "criteria", r.criteria);
  PutStr(j, "scope", r.scope);
  if (!r.deviations.empty()) {
    json d = json::array();
    for (const AuditDeviation& x : r.deviations) {
      json e = json::object();
      PutStr(e, "description", x.description);
      PutStr(e, "reason", x.reason);
      d.push_back(e);
    }
    j["deviations"] = d;
  }
  if (!r.sampled.empty()) {
    json s = json::array();
    for (const SampledItem& x : r.sampled) {
      json e = json::object();
      PutStr(e, "clause", x.clause);
      PutStr(e, "description", x.description);
      s.push_back(e);
    }
    j["sampled"] = s;
  }
  PutStr(j, "assessment", r.assessment);
  PutStr(j, "conclusion", r.conclusion);
  PutStr(j, "stage1_exception", r.stage1_exception);
  if (r.audit_days) j["audit_days"] = *r.audit_days;
  PutStr(j, "audit_days_justification", r.audit_days_justification);
  PutStr(j, "competence_justification", r.competence_justification);
  if (r.override_) {
    json o = {{"kind", std::string(RecommendationKindName(r.override_->kind))}, {"date", r.override_->date.ToString()}};
    PutStr(o, "justification", r.override_->justification);
    j["override"] = o;
  }
  PutList(j, "programme_issues", r.programme_issues);
  if (!r.accompanying.empty()) {
    json arr = json::array();
    for (const AccompanyingPerson& x : r.accompanying) {
      json e = {{"role", std::string(AccompanyingRoleName(x.role))}};
      PutStr(e, "person", x.person);
      PutStr(e, "organization", x.organization);
      arr.push_back(e);
    }
    j["accompanying"] = arr;
  }
  if (!r.activities.empty()) {
    json arr = json::array();
    for (const AuditActivityRecord& x : r.activities) {
      json e = {{"date", x.date.ToString()}, {"mode", std::string(ActivityModeName(x.mode))}};
      PutStr(e, "place", x.place);
      PutStr(e, "description", x.description);
      arr.push_back(e);
    }
    j["activities"] = arr;
  }
  PutList(j, "changes", r.changes);
  PutList(j, "unresolved_issues", r.unresolved_issues);
  if (r.combination) {
    json e = {{"kind", std::string(AuditCombinationName(r.combination->kind))}};
    PutStr(e, "details", r.combination->details);
    j["combination"] = e;
  }
  if (r.marks) {
    json e = {{"control", std::string(MarksControlName(r.marks->control))}};
    PutStr(e, "note", r.marks->note);
    j["marks"] = e;
  }
  return j;
}

void FromJson(const json& j, const std::string& ptr, AuditRecord* r, Problems* pr) {
  Rd rd(j, ptr, pr);
  Audit& a = r->audit;
  a.id = rd.Str("id", true);
  a.type = rd.Enum("type", &ParseAuditType, AuditType::kStage1, true);
  a.status = rd.Enum("status", &ParseAuditStatus, AuditStatus::kPlanned, false);
  a.planned_start = rd.ReqDate("planned_start");
  a.planned_end = rd.ReqDate("planned_end");
  a.actual_start = rd.OptDate("actual_start");
  a.actual_end = rd.OptDate("actual_end");
  rd.Each("team", [&](const json& e, const std::string& p) {
    Rd rt(e, p, pr);
    TeamMember m;
    m.person = rt.Str("person", true);
    m.role = rt.Enum("role", &ParseTeamRole, TeamRole::kAuditor, true);
    a.team.push_back(m);
  });
  r->sites = rd.List("sites");
  r->objectives = rd.List("objectives");
  r->criteria = rd.List("criteria");
  r->scope = rd.Str("scope");
  rd.Each("deviations", [&](const json& e, const std::string& p) {
    Rd rv(e, p, pr);
    AuditDeviation d;
    d.description = rv.Str("description", true);
    d.reason = rv.Str("reason", true);
    r->deviations.push_back(d);
  });
  rd.Each("sampled", [&](const json& e, const std::string& p) {
    Rd rs(e, p, pr);
    SampledItem s;
    s.clause = rs.Str("clause");
    s.description = rs.Str("description", true);
    r->sampled.push_back(s);
  });
  r->assessment = rd.Str("assessment");
  r->conclusion = rd.Str("conclusion");
  r->stage1_exception = rd.Str("stage1_exception");
  r->competence_justification = rd.Str("competence_justification");
  if (const json* d = rd.Get("audit_days")) {
    if (d->is_number())
      r->audit_days = d->get<double>();
    else
      rd.Bad("audit_days", "audit_days: expected a number of days, got " + std::string(d->type_name()));
  }
  r->audit_days_justification = rd.Str("audit_days_justification");
  if (const json* o = rd.Get("override")) {
    Rd ro(*o, rd.At("override"), pr);
    RecommendationOverride ov;
    ov.kind = ro.Enum("kind", &ParseRecommendationKind, RecommendationKind::kRecommend, true);
    ov.justification = ro.Str("justification", true);
    ov.date = ro.ReqDate("date");
    r->override_ = ov;
  }
  r->programme_issues = rd.List("programme_issues");
  rd.Each("accompanying", [&](const json& e, const std::string& p) {
    Rd ra(e, p, pr);
    AccompanyingPerson x;
    x.role = ra.Enum("role", &ParseAccompanyingRole, AccompanyingRole::kGuide, true);
    x.person = ra.Str("person", true);
    x.organization = ra.Str("organization");
    r->accompanying.push_back(x);
  });
  rd.Each("activities", [&](const json& e, const std::string& p) {
    Rd ra(e, p, pr);
    AuditActivityRecord x;
    x.date = ra.ReqDate("date");
    x.mode = ra.Enum("mode", &ParseActivityMode, ActivityMode::kOnSite, true);
    x.place = ra.Str("place", true);
    x.description = ra.Str("description");
    r->activities.push_back(x);
  });
  r->changes = rd.List("changes");
  r->unresolved_issues = rd.List("unresolved_issues");
  if (const json* c = rd.Get("combination")) {
    Rd rc(*c, rd.At("combination"), pr);
    AuditCombinationRecord x;
    x.kind = rc.Enum("kind", &ParseAuditCombination, AuditCombination::kSingle, true);
    x.details = rc.Str("details");
    r->combination = x;
  }
  if (const json* m = rd.Get("marks")) {
    Rd rm(*m, rd.At("marks"), pr);
    MarksUseRecord x;
    x.control = rm.Enum("control", &ParseMarksControl, MarksControl::kControlled, true);
    x.note = rm.Str("note");
    r->marks = x;
  }
}

json ToJson(const Finding& f) {
  json j = json::object();
  PutStr(j, "id", f.id);
  PutStr(j, "audit", f.audit_id);
  PutStr(j, "clause", f.clause);
  j["grade"] = std::string(FindingGradeName(f.grade));
  PutStr(j, "statement", f.statement);
  PutList(j, "evidence", f.evidence_ids);
  j["date"] = f.date.ToString();
  return j;
}

void FromJson(const json& j, const std::string& ptr, Finding* f, Problems* pr) {
  Rd rd(j, ptr, pr);
  f->id = rd.Str("id", true);
  f->audit_id = rd.Str("audit", true);
  f->clause = rd.Str("clause", true);
  f->grade = rd.Enum("grade", &ParseFindingGrade, FindingGrade::kConforming, true);
  f->statement = rd.Str("statement", true);
  f->evidence_ids = rd.List("evidence");
  f->date = rd.ReqDate("date");
}

json ToJson(const NonconformityRecord& r) {
  const Nonconformity& n = r.nc;
  json j = json::object();
  PutStr(j, "id", n.id);
  PutStr(j, "finding", n.finding_id);
  j["grade"] = std::string(FindingGradeName(n.grade));
  j["state"] = std::string(NonconformityStateName(n.state));
  j["raised"] = n.raised.ToString();
  j["due_date"] = n.due_date.ToString();
  PutStr(j, "correction", r.correction);
  PutStr(j, "root_cause", r.root_cause);
  PutStr(j, "corrective_action", r.corrective_action);
  if (!n.history.empty()) {
    json h = json::array();
    for (const StateChange& c : n.history)
      h.push_back({{"state", std::string(NonconformityStateName(c.state))}, {"date", c.date.ToString()}});
    j["history"] = h;
  }
  return j;
}

// `due_given` tells whether the file gave a due date (else it is computed).
void FromJson(const json& j, const std::string& ptr, NonconformityRecord* r, bool* due_given, Problems* pr) {
  Rd rd(j, ptr, pr);
  Nonconformity& n = r->nc;
  n.id = rd.Str("id", true);
  n.finding_id = rd.Str("finding", true);
  n.grade = rd.Enum("grade", &ParseFindingGrade, FindingGrade::kMinor, true);
  n.state = rd.Enum("state", &ParseNonconformityState, NonconformityState::kOpen, false);
  n.raised = rd.ReqDate("raised");
  std::optional<Date> due = rd.OptDate("due_date");
  *due_given = due.has_value();
  if (due) n.due_date = *due;
  r->correction = rd.Str("correction");
  r->root_cause = rd.Str("root_cause");
  r->corrective_action = rd.Str("corrective_action");
  rd.Each("history", [&](const json& e, const std::string& p) {
    Rd rh(e, p, pr);
    StateChange c;
    c.state = rh.Enum("state", &ParseNonconformityState, NonconformityState::kOpen, true);
    c.date = rh.ReqDate("date");
    n.history.push_back(c);
  });
}

json ToJson(const Recommendation& r) {
  json j = json::object();
  j["kind"] = std::string(RecommendationKindName(r.kind));
  j["computed"] = std::string(RecommendationKindName(r.computed));
  if (r.overridden) j["overridden"] = true;
  PutStr(j, "justification", r.justification);
  json reasons = json::array();
  for (const RecommendationReason& x : r.reasons) {
    json e = json::object();
    e["code"] = std::string(ReasonCodeName(x.code));
    PutStr(e, "subject", x.subject);
    PutStr(e, "text", x.text);
    reasons.push_back(e);
  }
  j["reasons"] = reasons;
  return j;
}

void FromJson(const json& j, const std::string& ptr, Recommendation* r, Problems* pr) {
  Rd rd(j, ptr, pr);
  r->kind = rd.Enum("kind", &ParseRecommendationKind, RecommendationKind::kRecommend, true);
  r->computed = rd.Enum("computed", &ParseRecommendationKind, RecommendationKind::kRecommend, true);
  r->overridden = rd.Bool("overridden", false);
  r->justification = rd.Str("justification");
  rd.Each("reasons", [&](const json& e, const std::string& p) {
    Rd re(e, p, pr);
    RecommendationReason x;
    x.code = re.Enum("code", &ParseReasonCode, RecommendationReasonCode::kNoOpenNonconformities, true);
    x.subject = re.Str("subject");
    x.text = re.Str("text");
    r->reasons.push_back(x);
  });
}

json ToJson(const DecisionRecord& d) {
  json j = json::object();
  PutStr(j, "audit", d.audit);
  j["date"] = d.decision.date.ToString();
  j["kind"] = std::string(DecisionKindName(d.decision.kind));
  PutStr(j, "decided_by", d.decision.decided_by);
  PutStr(j, "certificate", d.certificate);
  if (d.recommendation) j["recommendation"] = ToJson(*d.recommendation);
  return j;
}

void FromJson(const json& j, const std::string& ptr, DecisionRecord* d, Problems* pr) {
  Rd rd(j, ptr, pr);
  d->audit = rd.Str("audit", true);
  d->decision.date = rd.ReqDate("date");
  d->decision.kind = rd.Enum("kind", &ParseDecisionKind, DecisionKind::kInitial, true);
  d->decision.decided_by = rd.Str("decided_by", true);
  d->certificate = rd.Str("certificate");
  if (const json* r = rd.Get("recommendation")) FromJson(*r, rd.At("recommendation"), &d->recommendation.emplace(), pr);
}

// Record keys.
std::string CertKey(const std::string& n) { return "certificate/" + n; }
std::string AuditKey(const std::string& id) { return "audit/" + id; }
std::string FindingKey(const std::string& id) { return "finding/" + id; }
std::string NcKey(const std::string& id) { return "nc/" + id; }
std::string DecisionKey(const std::string& audit) { return "decision/" + audit; }

// Every record of a client, by key.
std::map<std::string, json> RecordsOf(const ClientAuditData& c) {
  std::map<std::string, json> out;
  out["client"] = ToJson(c.client);
  for (const CertificateRecord& x : c.certificates) out[CertKey(x.certificate.number)] = ToJson(x);
  for (const AuditRecord& x : c.audits) out[AuditKey(x.audit.id)] = ToJson(x);
  for (const Finding& x : c.findings) out[FindingKey(x.id)] = ToJson(x);
  for (const NonconformityRecord& x : c.nonconformities) out[NcKey(x.nc.id)] = ToJson(x);
  for (const DecisionRecord& x : c.decisions) out[DecisionKey(x.audit)] = ToJson(x);
  return out;
}

void SortClient(ClientAuditData* c) {
  std::sort(c->client.sites.begin(), c->client.sites.end(),
            [](const ClientSite& a, const ClientSite& b) { return a.id < b.id; });
  std::sort(c->certificates.begin(), c->certificates.end(),
            [](const auto& a, const auto& b) { return a.certificate.number < b.certificate.number; });
  std::sort(c->audits.begin(), c->audits.end(), [](const auto& a, const auto& b) { return a.audit.id < b.audit.id; });
  std::sort(c->findings.begin(), c->findings.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::sort(c->nonconformities.begin(), c->nonconformities.end(),
            [](const auto& a, const auto& b) { return a.nc.id < b.nc.id; });
  std::sort(c->decisions.begin(), c->decisions.end(), [](const auto& a, const auto& b) { return a.audit < b.audit; });
}

// --- Loading the current audit records ---------------------------------------

struct State {
  AuditPolicy policy;
  bool policy_stored = false;  // false: the defaults, never set
  std::map<std::string, ClientAuditData> clients;
  std::map<std::string, std::map<std::string, Context::Row>> rows;  // by subject, then key
  std::vector<std::string> assessments;                             // IDs, for linked-assessment checks
};

// Loads the current audit records, or (at_seq > 0) those current right after
// log event at_seq.
Status LoadState(WorkspaceImpl* w, State* st, int64_t at_seq = 0) {
  *st = State();
  // Schema 9: the table audit_records, by client; before it, rows of
  // records under the subject.
  const bool own_table = w->schema_version() >= 9;
  std::string text;
  if (own_table) {
    text = "SELECT client, record_key, row_id, data, kind FROM audit_records r WHERE " +
          std::string(at_seq > 0 ? internal::kAuditVersionAtSeq : "is_current = 1") + " ORDER BY row_id";
  } else {
    std::string kinds = std::string("'") + kLegacyKind + "'";
    for (const char* k : kAuditKinds) kinds += std::string(",'") + k + "'";
    text = "SELECT assessment, record_key, row_id, data, kind FROM records r WHERE " +
          std::string(at_seq > 0 ? internal::kVersionAtSeq : "is_current = 1") + " AND kind IN (" + kinds +
          ") AND substr(assessment, 1, 7) = ?1 ORDER BY row_id";
  }
  sql::Statement q(w->db(), text);
  if (!own_table) q.Bind(1, kSubjectPrefix);
  if (at_seq > 0) q.Bind(own_table ? 1 : 2, at_seq);
  while (q.Step()) {
    std::string subject = own_table ? kSubjectPrefix + q.String(0) : q.String(0);
    std::string key = q.String(1);
    int64_t row = q.Int64(2);
    std::string data = q.String(3);
    std::string kind = q.String(4);
    if (kind != kLegacyKind && kind != KindOfKey(key))
      return Status::Corruption(w->path() + ": audit record row " + std::to_string(row) + " (" + key +
                                ") is stored as kind '" + kind + "', expected '" + KindOfKey(key) + "'");
    auto [slot, fresh] = st->rows[subject].emplace(key, Context::Row{row, data});
    if (!fresh)
      return Status::Corruption(w->path() + ": audit record " + key + " of '" + subject + "' has two current rows (" +
                                std::to_string(slot->second.row) + " and " + std::to_string(row) + ")");
    json j;
    try {
      j = json::parse(data);
    } catch (const std::exception& e) {
      return Status::Corruption(w->path() + ": audit record row " + std::to_string(row) + " is not JSON: " + e.what());
    }
    Problems pr;
    std::string client = subject.substr(std::strlen(kSubjectPrefix));
    if (client.empty()) {
      if (key == "policy") {
        FromJson(j, "", &st->policy, &pr);
        st->policy_stored = true;
      }
    } else {
      ClientAuditData& c = st->clients[client];
      if (key == "client") {
        c.client = Client();
        FromJson(j, "", &c.client, &pr);
      } else if (key.rfind("certificate/", 0) == 0) {
        c.certificates.emplace_back();
        FromJson(j, "", &c.certificates.back(), &pr);
      } else if (key.rfind("audit/", 0) == 0) {
        c.audits.emplace_back();
        FromJson(j, "", &c.audits.back(), &pr);
      } else if (key.rfind("finding/", 0) == 0) {
        c.findings.emplace_back();
        FromJson(j, "", &c.findings.back(), &pr);
      } else if (key.rfind("nc/", 0) == 0) {
        c.nonconformities.emplace_back();
        bool due = false;
        FromJson(j, "", &c.nonconformities.back(), &due, &pr);
      } else if (key.rfind("decision/", 0) == 0) {
        c.decisions.emplace_back();
        FromJson(j, "", &c.decisions.back(), &pr);
      } else {
        pr.push_back({"", Status::InvalidInput("unknown audit record key '" + key + "'")});
      }
    }
    if (!pr.empty())
      return Status::Corruption(w->path() + ": audit record row " + std::to_string(row) + " (" + key +
                                "): " + pr.front().pointer + ": " + pr.front().status.message());
  }
  for (auto& [id, c] : st->clients) SortClient(&c);
  std::vector<Assessment> all;
  ASSAY_RETURN_IF_ERROR(w->ListAssessments(&all));
  for (const Assessment& a : all) st->assessments.push_back(a.id);
  return Status::OK();
}

std::vector<std::string> ClientIds(const State& st) {
  std::vector<std::string> ids;
  for (const auto& [id, c] : st.clients) ids.push_back(id);
  return ids;
}

Status ClientNotFound(const State& st, const std::string& id) {
  std::vector<std::string> ids = ClientIds(st);
  return UnknownId("no audit client ", "client", id, ids);
}

// Finds the client holding an item: `ids_of` lists the item IDs of a client.
template <typename F>
Status Locate(const State& st, const char* kind, const std::string& what, const std::string& id, F ids_of,
              std::string* client) {
  std::vector<std::string> all;
  for (const auto& [cid, c] : st.clients) {
    for (const std::string& x : ids_of(c)) {
      if (x == id) {
        *client = cid;
        return Status::OK();
      }
      all.push_back(x);
    }
  }
  return UnknownId("no " + what + " ", kind, id, all);
}

std::vector<std::string> AuditIds(const ClientAuditData& c) {
  std::vector<std::string> v;
  for (const auto& a : c.audits) v.push_back(a.audit.id);
  return v;
}
std::vector<std::string> FindingIds(const ClientAuditData& c) {
  std::vector<std::string> v;
  for (const auto& f : c.findings) v.push_back(f.id);
  return v;
}
std::vector<std::string> NcIds(const ClientAuditData& c) {
  std::vector<std::string> v;
  for (const auto& n : c.nonconformities) v.push_back(n.nc.id);
  return v;
}
std::vector<std::string> CertNumbers(const ClientAuditData& c) {
  std::vector<std::string> v;
  for (const auto& x : c.certificates) v.push_back(x.certificate.number);
  return v;
}

// --- Validation -----------------------------------------------------------------

// Validates client `c` against the rest of the workspace `st` (other
// clients: IDs must be unique across them).
// What clients are checked against besides the workspace: the catalogue's
// clauses and the audit-time table (each may be null: no check).
struct Refs {
  const Catalogue* cat = nullptr;
  const AuditTimeTable* time_table = nullptr;
};

void Validate(const State& st, const ClientAuditData& c, const CertificationPolicy& policy, const Refs& refs,
              Problems* pr) {
  internal::ClientChecks checks;
  for (const auto& [id, o] : st.clients) {
    if (id == c.client.id) continue;
    for (const auto& x : AuditIds(o)) checks.other_audits.insert(x);
    for (const auto& x : FindingIds(o)) checks.other_findings.insert(x);
    for (const auto& x : NcIds(o)) checks.other_ncs.insert(x);
    for (const auto& x : CertNumbers(o)) checks.other_certificates.insert(x);
  }
  checks.assessments = st.assessments;
  checks.policy = policy;
  checks.catalogue = refs.cat;
  checks.time_table = refs.time_table;
  internal::ValidateClient(c, checks, pr);
}

// --- Writing -------------------------------------------------------------------

struct Counts {
  int created = 0, updated = 0, unchanged = 0;
  int64_t last_event = 0, last_row = 0;
};

Status WriteRecords(WorkspaceImpl* w, State* st, const std::string& subject, const std::map<std::string, json>& recs,
                    bool write, Counts* counts) {
  Context ctx;
  ctx.assessment.id = subject;
  // Every current row goes under the kind of its key, whatever kind it was
  // stored as: a new version of a legacy "unit" row supersedes it.
  for (const auto& [key, row] : st->rows[subject]) ctx.rows[KindOfKey(key)][key] = row;
  for (const auto& [key, j] : recs) {
    WriteResult r;
    const std::string kind = KindOfKey(key);
    if (!IsAuditKind(kind)) return Status::InvalidInput("internal: no record kind for audit record key '" + key + "'");
    const bool exists = ctx.rows[kind].count(key) > 0;
    ASSAY_RETURN_IF_ERROR(w->Apply(&ctx, kind, key, j, exists ? "update" : "create", write, &r));
    if (r.kind == WriteResult::Kind::kCreated) ++counts->created;
    if (r.kind == WriteResult::Kind::kUpdated) ++counts->updated;
    if (r.kind == WriteResult::Kind::kUnchanged) ++counts->unchanged;
    if (r.event) counts->last_event = r.event;
    if (r.kind != WriteResult::Kind::kUnchanged || !counts->last_row) counts->last_row = r.row;
  }
  for (const auto& [kind, rows] : ctx.rows)
    for (const auto& [key, row] : rows) st->rows[subject][key] = row;
  return Status::OK();
}

void ToWriteResult(const Counts& c, WriteResult* r) {
  if (!r) return;
  *r = WriteResult();
  r->kind = c.created ? WriteResult::Kind::kCreated
                      : (c.updated ? WriteResult::Kind::kUpdated : WriteResult::Kind::kUnchanged);
  r->event = c.last_event;
  r->row = c.last_row;
}

Status FirstProblem(const Problems& pr) { return pr.front().status; }

// Loads the state, lets `f` change client `client` (or create it when
// `create`), validates and writes it, all in one transaction.
template <typename F>
Status Mutate(WorkspaceImpl* w, const Refs& cat, const std::string& client, bool create, F f,
              WriteResult* result) {
  try {
    sql::Transaction tx(w->db(), sql::Tx::kWrite);
    State st;
    ASSAY_RETURN_IF_ERROR(LoadState(w, &st));
    auto it = st.clients.find(client);
    ClientAuditData c;
    if (create) {
      if (it != st.clients.end()) return Status::InvalidInput("audit client " + Quote(client) + " already exists");
    } else {
      if (it == st.clients.end()) return ClientNotFound(st, client);
      c = it->second;
    }
    ASSAY_RETURN_IF_ERROR(f(st, c));
    SortClient(&c);
    Problems pr;
    Validate(st, c, st.policy.policy, cat, &pr);
    if (!pr.empty()) return FirstProblem(pr);
    Counts counts;
    ASSAY_RETURN_IF_ERROR(WriteRecords(w, &st, AuditSubject(client), RecordsOf(c), true, &counts));
    tx.Commit();
    ToWriteResult(counts, result);
    return Status::OK();
  } catch (const std::exception& e) {
    return internal::SqliteError(w->path(), e);
  }
}

// --- The registry of people --------------------------------------------------------

// The registry of people (records of assessment "" and kind "person"),
// sorted by ID: current, or (at_seq > 0) as it stood right after log event
// at_seq. The caller holds a transaction.
Status LoadPeople(WorkspaceImpl* w, int64_t at_seq, std::vector<RegisteredPerson>* out) {
  out->clear();
  if (w->schema_version() < 6) return Status::OK();
  std::string text = "SELECT record_key, data FROM records r WHERE r.assessment = '' AND r.kind = 'person' AND ";
  text += at_seq > 0 ? "r.event_seq <= ?1 AND (r.superseded_by IS NULL OR "
                       "(SELECT s.event_seq FROM records s WHERE s.row_id = r.superseded_by) > ?1)"
                     : "r.is_current = 1";
  sql::Statement q(w->db(), text);
  if (at_seq > 0) q.Bind(1, at_seq);
  while (q.Step()) {
    RegisteredPerson p;
    Status s;
    try {
      s = internal::FromJson(json::parse(q.String(1)), &p);
    } catch (const std::exception& e) {
      s = Status::Corruption(e.what());
    }
    if (!s.ok())
      return Status::Corruption(w->path() + ": registry entry " + Quote(q.String(0)) + " is damaged: " + s.message());
    out->push_back(std::move(p));
  }
  std::sort(out->begin(), out->end(), [](const RegisteredPerson& a, const RegisteredPerson& b) { return a.id < b.id; });
  return Status::OK();
}

// The registry entries of the people the audits of `c` name (team members
// in any role, decision makers; by ID, registered name or alias), sorted by
// ID. Names the registry does not know have no entry.
std::vector<RegisteredPerson> ReferencedPeople(const ClientAuditData& c, const std::vector<RegisteredPerson>& registry) {
  std::set<std::string> ids;
  for (const AuditRecord& a : c.audits)
    for (const TeamMember& m : a.audit.team) ids.insert(PersonKey(m.person, registry));
  for (const DecisionRecord& d : c.decisions) ids.insert(PersonKey(d.decision.decided_by, registry));
  std::vector<RegisteredPerson> out;
  for (const RegisteredPerson& p : registry)
    if (ids.count(p.id)) out.push_back(p);
  return out;
}

// The credentials `key` of a "people" entry (null or absent dates: not known).
void CredentialsOf(const json& e, const char* key, std::vector<Credential>* out) {
  if (!e.contains(key)) return;
  for (const json& c : e.at(key)) {
    Credential x;
    x.name = c.value("name", "");
    for (auto [field, to] : {std::pair<const char*, std::string*>{"since", &x.since}, {"until", &x.until}})
      if (c.contains(field) && c.at(field).is_string()) *to = c.at(field).get<std::string>();
    out->push_back(std::move(x));
  }
}

// The registry entries of the file's "people" (schema-valid JSON), each
// checked as the registry checks an entry; problems at /people/N/...
void ReadPeopleOfFile(const json& doc, std::vector<RegisteredPerson>* out, Problems* pr) {
  if (!doc.contains("people")) return;
  const json& people = doc.at("people");
  std::map<std::string, size_t> first;  // ID -> index
  for (size_t i = 0; i < people.size(); ++i) {
    const json& e = people[i];
    const std::string at = "/people/" + std::to_string(i);
    RegisteredPerson p;
    p.id = e.value("id", "");
    p.name = e.value("name", "");
    if (e.contains("organization") && e.at("organization").is_string()) p.organization = e.at("organization");
    const json roles = e.value("roles", json::array());
    for (size_t k = 0; k < roles.size(); ++k) {
      Role role;
      if (Status s = ParseRole(roles[k].get<std::string>(), &role); s.ok())
        p.roles.push_back(role);
      else
        pr->push_back({at + "/roles/" + std::to_string(k), s});
    }
    CredentialsOf(e, "competences", &p.competences);
    CredentialsOf(e, "qualifications", &p.qualifications);
    for (const char* key : {"areas", "aliases"}) {
      std::vector<std::string>& list = std::string(key) == "areas" ? p.areas : p.aliases;
      for (const json& a : e.value(key, json::array())) list.push_back(a.get<std::string>());
    }
    std::vector<internal::FieldProblem> problems;
    internal::ValidateRegisteredPerson(&p, &problems);
    for (const internal::FieldProblem& f : problems) {
      std::string message = f.status.message();
      if (message.rfind(f.field + ": ", 0) == 0) message = message.substr(f.field.size() + 2);
      pr->push_back({at + "/" + f.field, Status::InvalidInput(message)});
    }
    auto [slot, fresh] = first.emplace(p.id, i);
    if (!fresh)
      pr->push_back({at + "/id", Status::InvalidInput("person " + Quote(p.id) + " is listed twice (also /people/" +
                                                      std::to_string(slot->second) + ")")});
    out->push_back(std::move(p));
  }
}

// Registers `people` (none of them in the registry yet): one version and
// one event each, inside the caller's write transaction (nothing with
// write == false).
Status RegisterPeople(WorkspaceImpl* w, const std::vector<RegisteredPerson>& people, bool write) {
  if (people.empty()) return Status::OK();
  if (w->schema_version() < 6)
    return Status::Unsupported(w->path() + ": the people registry needs schema version 6");
  Context registry;  // the registry: assessment ""
  for (const RegisteredPerson& p : people) {
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(w->Apply(&registry, internal::kKindPerson, p.id,
                                   internal::Canonical(internal::ToJson(p)), "create", write, &r));
  }
  return Status::OK();
}

// Reads the state (and, when `people` is not null, the registry of people)
// in one transaction.
Status Read(WorkspaceImpl* w, State* st, int64_t at_seq = 0, std::vector<RegisteredPerson>* people = nullptr) {
  try {
    sql::Transaction tx(w->db(), sql::Tx::kRead);
    ASSAY_RETURN_IF_ERROR(LoadState(w, st, at_seq));
    if (people) ASSAY_RETURN_IF_ERROR(LoadPeople(w, at_seq, people));
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return internal::SqliteError(w->path(), e);
  }
}

AuditRecord* FindAuditIn(ClientAuditData& c, const std::string& id) {
  for (AuditRecord& a : c.audits)
    if (a.audit.id == id) return &a;
  return nullptr;
}

// The last day an audit was (or is planned to be) held.
Date LastDay(const Audit& a) { return a.actual_end.value_or(a.planned_end); }

// --- Import ------------------------------------------------------------------------

// What an import file holds.
struct AuditFile {
  ClientAuditData client;
  std::optional<CertificationBody> body;
  std::optional<AuditPolicy> policy;
  std::vector<bool> due_given;  // by nonconformity: whether the file gave its due date
};

// Reads the records of an import file (schema-valid JSON) into *f.
void ReadAuditFile(const json& doc, AuditFile* f, Problems* pr) {
  Rd rd(doc, "", pr);
  if (const json* b = rd.Get("certification_body")) FromJson(*b, "/certification_body", &f->body.emplace(), pr);
  if (const json* p = rd.Get("policy")) {
    FromJson(*p, "/policy", &f->policy.emplace(), pr);
    Status s = CheckPolicy(f->policy->policy);
    if (!s.ok()) pr->push_back({"/policy", s});
  }
  ClientAuditData& c = f->client;
  if (const json* x = rd.Get("client")) FromJson(*x, "/client", &c.client, pr);
  rd.Each("certificates",
          [&](const json& e, const std::string& p) { FromJson(e, p, &c.certificates.emplace_back(), pr); });
  rd.Each("audits", [&](const json& e, const std::string& p) { FromJson(e, p, &c.audits.emplace_back(), pr); });
  rd.Each("findings", [&](const json& e, const std::string& p) { FromJson(e, p, &c.findings.emplace_back(), pr); });
  rd.Each("nonconformities", [&](const json& e, const std::string& p) {
    bool given = false;
    FromJson(e, p, &c.nonconformities.emplace_back(), &given, pr);
    f->due_given.push_back(given);
  });
  rd.Each("decisions", [&](const json& e, const std::string& p) { FromJson(e, p, &c.decisions.emplace_back(), pr); });
}

// The certification body and policy after importing `f`: the file's become
// the workspace's when it has none yet; otherwise they must agree with it
// (one certification body and policy per workspace: SetPolicy changes
// them), each differing field a problem.
AuditPolicy AdoptSettings(const State& st, const AuditFile& f, Problems* pr) {
  AuditPolicy settings = st.policy;
  if (f.policy && !st.policy_stored) {
    settings.policy = f.policy->policy;
  } else if (f.policy) {
    const json have = PolicyJson(st.policy.policy), got = PolicyJson(f.policy->policy);
    for (const auto& [field, value] : got.items())
      if (have.at(field) != value)
        pr->push_back(
            {"/policy/" + field, Status::InvalidInput("the file's " + field + " (" + value.dump() +
                                                      ") differs from the workspace's (" + have.at(field).dump() + ")")
                                     .About("policy", field, {value.dump()}, "conflict")});
  }
  if (!f.body) return settings;
  const json have = BodyJson(st.policy.body), got = BodyJson(*f.body);
  if (have.empty()) {
    settings.body = *f.body;
    return settings;
  }
  for (const char* field : {"name", "address", "accreditation"}) {
    const std::string h = have.value(field, ""), g = got.value(field, "");
    if (h != g)
      pr->push_back({std::string("/certification_body/") + field,
                     Status::InvalidInput("the file's certification body " + std::string(field) + " " + Quote(g) +
                                          " differs from the workspace's " + Quote(h) +
                                          "; one workspace holds the records of one certification body")});
  }
  return settings;
}

// The due dates the file did not give, from `policy`.
void ComputeDueDates(const CertificationPolicy& policy, AuditFile* f, Problems* pr) {
  for (size_t i = 0; i < f->client.nonconformities.size(); ++i) {
    if (f->due_given[i]) continue;
    Nonconformity& n = f->client.nonconformities[i].nc;
    Status s = DueDate(n.grade, n.raised, policy, &n.due_date);
    if (!s.ok()) pr->push_back({"/nonconformities/" + std::to_string(i) + "/grade", s});
  }
}

// The file's records first (so that problems point into the file), then
// the stored records of the client the file does not mention.
ClientAuditData MergeWithStored(const State& st, const ClientAuditData& file) {
  ClientAuditData merged = file;
  auto it = st.clients.find(file.client.id);
  if (it == st.clients.end()) return merged;
  const ClientAuditData& old = it->second;
  auto keep = [](auto& into, const auto& from, auto key) {
    std::set<std::string> have;
    for (const auto& x : into) have.insert(key(x));
    for (const auto& x : from)
      if (!have.count(key(x))) into.push_back(x);
  };
  keep(merged.client.sites, old.client.sites, [](const ClientSite& s) { return s.id; });
  keep(merged.certificates, old.certificates, [](const CertificateRecord& x) { return x.certificate.number; });
  keep(merged.audits, old.audits, [](const AuditRecord& x) { return x.audit.id; });
  keep(merged.findings, old.findings, [](const Finding& x) { return x.id; });
  keep(merged.nonconformities, old.nonconformities, [](const NonconformityRecord& x) { return x.nc.id; });
  keep(merged.decisions, old.decisions, [](const DecisionRecord& x) { return x.audit; });
  return merged;
}

// The records of the workspace's other clients must fit an adopted policy too.
void CheckOtherClients(const State& st, const std::string& client, const CertificationPolicy& policy,
                       const Refs& cat, Problems* pr) {
  for (const auto& [id, other] : st.clients) {
    if (id == client) continue;
    Problems op;
    Validate(st, other, policy, cat, &op);
    if (!op.empty())
      pr->push_back({"/policy", Status::InvalidInput("the file's policy does not fit the records of client " +
                                                     Quote(id) + ": " + op.front().status.message())});
  }
}

// The competence rule of a certification decision (CheckTeamCompetenceForDecision,
// as AuditStore::Decide applies it) for each decision of the file, judged
// with `registry` (the workspace's people and the file's new ones); a
// decision stored already, on an audit whose record the file does not
// change, is history the rule was applied to when it was recorded.
void CheckDecisionCompetence(const State& st, const AuditFile& file, const ClientAuditData& merged,
                             const std::vector<RegisteredPerson>& registry, Problems* pr) {
  auto stored = st.clients.find(merged.client.id);
  for (size_t i = 0; i < file.client.decisions.size(); ++i) {
    const DecisionRecord& d = file.client.decisions[i];
    const AuditRecord* a = merged.FindAudit(d.audit);
    if (!a) continue;  // an unknown audit is a problem of its own
    bool recorded = false;
    if (stored != st.clients.end()) {
      const AuditRecord* old = stored->second.FindAudit(d.audit);
      for (const DecisionRecord& od : stored->second.decisions)
        recorded |= od.audit == d.audit && old && ToJson(*old) == ToJson(*a) && ToJson(od) == ToJson(d);
    }
    if (recorded) continue;
    Status s = CheckTeamCompetenceForDecision(merged.client, *a, registry);
    if (!s.ok()) pr->push_back({"/decisions/" + std::to_string(i), s});
  }
}

// InvalidInput "NAME: N problems; nothing was imported" for the problems in
// report (and `pr`, which are added to it).
Status ImportRefused(const std::string& name, AuditImportReport* report) {
  const size_t n = report->problems.size();
  return Status::InvalidInput(name + ": " + std::to_string(n) + (n == 1 ? " problem" : " problems") +
                              "; nothing was imported");
}
Status ImportRefused(const std::string& name, const Problems& pr, AuditImportReport* report) {
  for (const Problem& p : pr) {
    Diagnostic d;
    d.file = name;
    d.pointer = p.pointer;
    d.message = p.status.message();
    report->problems.push_back(d);
    report->about.push_back(p.status.subject());
  }
  return ImportRefused(name, report);
}

// The client's history as Export writes it, with the registry entries of
// the people its audits name (ReferencedPeople of `registry`).
std::string ExportText(const State& st, const ClientAuditData& c, const std::vector<RegisteredPerson>& registry) {
  json doc = json::object();
  doc["format"] = kFormat;
  // The certification body and its policy (workspace settings), so that the
  // file says who audited and which deadlines the due dates came from.
  json body = BodyJson(st.policy.body);
  if (!body.empty()) doc["certification_body"] = body;
  doc["policy"] = PolicyJson(st.policy.policy);
  doc["client"] = ToJson(c.client);
  auto section = [&](const char* name, const auto& items) {
    if (items.empty()) return;
    json a = json::array();
    for (const auto& x : items) a.push_back(ToJson(x));
    doc[name] = a;
  };
  section("certificates", c.certificates);
  section("audits", c.audits);
  section("findings", c.findings);
  section("nonconformities", c.nonconformities);
  section("decisions", c.decisions);
  json people = json::array();
  for (const RegisteredPerson& p : ReferencedPeople(c, registry)) people.push_back(internal::ToJson(p));
  if (!people.empty()) doc["people"] = people;
  return doc.dump(2, ' ', false, json::error_handler_t::strict) + "\n";
}

// What a report of `client` as of `date` depends on in `st`: the policy and
// the client's records as they stood on that date.
std::string AsOfView(const State& st, const std::string& client, Date date) {
  json j = json::object();
  j["policy"] = ToJson(st.policy);
  for (const auto& [key, record] : RecordsOf(ClientAsOf(st.clients.at(client), date))) j[key] = record;
  return j.dump();
}

}  // namespace

std::string AuditSubject(const std::string& client) { return kSubjectPrefix + client; }

AuditStore::AuditStore(Workspace* ws, const Catalogue* catalogue, const AuditTimeTable* time_table)
    : ws_(ws), catalogue_(catalogue), time_table_(time_table) {}

Status AuditStore::GetPolicy(AuditPolicy* out) {
  State st;
  ASSAY_RETURN_IF_ERROR(Read(static_cast<WorkspaceImpl*>(ws_), &st));
  *out = st.policy;
  return Status::OK();
}

Status AuditStore::SetPolicy(const AuditPolicy& policy, WriteResult* result) {
  ASSAY_RETURN_IF_ERROR(CheckPolicy(policy.policy));
  WorkspaceImpl* w = static_cast<WorkspaceImpl*>(ws_);
  try {
    sql::Transaction tx(w->db(), sql::Tx::kWrite);
    State st;
    ASSAY_RETURN_IF_ERROR(LoadState(w, &st));
    for (const auto& [id, c] : st.clients) {
      Problems pr;
      Validate(st, c, policy.policy, Refs{catalogue_, time_table_}, &pr);
      if (!pr.empty())
        return Status::InvalidInput("the policy does not fit the records of client " + Quote(id) + ": " +
                                    pr.front().status.message());
    }
    Counts counts;
    ASSAY_RETURN_IF_ERROR(WriteRecords(w, &st, AuditSubject(""), {{"policy", ToJson(policy)}}, true, &counts));
    tx.Commit();
    ToWriteResult(counts, result);
    return Status::OK();
  } catch (const std::exception& e) {
    return internal::SqliteError(w->path(), e);
  }
}

Status AuditStore::ListClients(std::vector<Client>* out) {
  State st;
  ASSAY_RETURN_IF_ERROR(Read(static_cast<WorkspaceImpl*>(ws_), &st));
  out->clear();
  for (const auto& [id, c] : st.clients) out->push_back(c.client);
  return Status::OK();
}

Status AuditStore::ReadClient(const std::string& id, ClientAuditData* out) {
  ASSAY_RETURN_IF_ERROR(ws_->AuthorizeRead("", id));  // a client's representative: its own only
  State st;
  ASSAY_RETURN_IF_ERROR(Read(static_cast<WorkspaceImpl*>(ws_), &st));
  auto it = st.clients.find(id);
  if (it == st.clients.end()) return ClientNotFound(st, id);
  *out = it->second;
  return Status::OK();
}

Status AuditStore::AddClient(const Client& client, WriteResult* result) {
  if (client.id.empty()) return Status::InvalidInput("a client needs an ID");
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client.id, true,
      [&](State&, ClientAuditData& c) {
        c.client = client;
        return Status::OK();
      },
      result);
}

Status AuditStore::AddSite(const std::string& client, const ClientSite& site, WriteResult* result) {
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State&, ClientAuditData& c) {
        for (const ClientSite& s : c.client.sites)
          if (s.id == site.id)
            return Status::InvalidInput("client " + Quote(client) + " already has a site " + Quote(site.id));
        c.client.sites.push_back(site);
        return Status::OK();
      },
      result);
}

Status AuditStore::SetAuditTime(const std::string& client, const ClientAuditTime& inputs, WriteResult* result) {
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State&, ClientAuditData& c) {
        c.client.audit_time = inputs;
        if (time_table_ && !time_table_->sha256.empty()) {  // the table the calculation is made with
          c.client.audit_time->table_id = time_table_->id;
          c.client.audit_time->table_version = time_table_->version;
          c.client.audit_time->table_sha256 = time_table_->sha256;
        }
        return Status::OK();
      },
      result);
}

Status AuditStore::Declare(const std::string& client, const RelationshipDeclaration& declaration,
                           WriteResult* result) {
  RelationshipDeclaration d = declaration;
  std::vector<RegisteredPerson> people;
  ASSAY_RETURN_IF_ERROR(ws_->ListPeople(&people));
  const std::string key = PersonKey(d.person, people);
  if (key.empty()) return Status::InvalidInput("a declaration needs the person who declared it");
  if (!people.empty()) {
    if (key.rfind("name:", 0) == 0) {
      std::vector<std::string> ids;
      for (const RegisteredPerson& p : people) ids.push_back(p.id);
      return Status::NotFound("no person " + Quote(d.person) + " in the registry" + SuggestionSuffix(d.person, ids))
          .About("person", d.person, NearestIds(d.person, ids));
    }
    d.person = key;
  }
  if (d.until && *d.until < d.from)
    return Status::InvalidInput("the relationship cannot end (" + d.until->ToString() + ") before it began (" +
                                d.from.ToString() + ")");
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State&, ClientAuditData& c) {
        c.client.declarations.push_back(d);
        return Status::OK();
      },
      result);
}

Status AuditStore::FindAudit(const std::string& audit, std::string* client) {
  State st;
  ASSAY_RETURN_IF_ERROR(Read(static_cast<WorkspaceImpl*>(ws_), &st));
  return Locate(st, "audit", "audit", audit, &AuditIds, client);
}

Status AuditStore::FindNonconformity(const std::string& id, std::string* client) {
  State st;
  ASSAY_RETURN_IF_ERROR(Read(static_cast<WorkspaceImpl*>(ws_), &st));
  return Locate(st, "nc", "nonconformity", id, &NcIds, client);
}

Status AuditStore::AddAudit(const std::string& client, const AuditRecord& audit, WriteResult* result) {
  if (audit.audit.id.empty()) return Status::InvalidInput("an audit needs an ID");
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State& st, ClientAuditData& c) {
        std::string owner;
        if (Locate(st, "audit", "audit", audit.audit.id, &AuditIds, &owner).ok())
          return Status::InvalidInput("audit " + Quote(audit.audit.id) + " already exists (client " + Quote(owner) +
                                      ")");
        c.audits.push_back(audit);
        if (audit.audit.status == AuditStatus::kInProgress || audit.audit.status == AuditStatus::kCompleted)
          ASSAY_RETURN_IF_ERROR(CheckStage1(c, c.audits.back()));
        return Status::OK();
      },
      result);
}

Status AuditStore::UpdateAudit(const AuditRecord& audit, WriteResult* result) {
  std::string client;
  ASSAY_RETURN_IF_ERROR(FindAudit(audit.audit.id, &client));
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State&, ClientAuditData& c) {
        AuditRecord* a = FindAuditIn(c, audit.audit.id);
        if (!a) return Status::NotFound("no audit " + Quote(audit.audit.id));
        const bool starts = audit.audit.status != a->audit.status &&
                            (audit.audit.status == AuditStatus::kInProgress || audit.audit.status == AuditStatus::kCompleted);
        *a = audit;
        if (starts) ASSAY_RETURN_IF_ERROR(CheckStage1(c, *a));
        return Status::OK();
      },
      result);
}

Status AuditStore::AddTeamMember(const std::string& audit, const TeamMember& member, WriteResult* result) {
  if (member.person.find_first_not_of(" \t") == std::string::npos)
    return Status::InvalidInput("a team member needs a name");
  std::string client;
  ASSAY_RETURN_IF_ERROR(FindAudit(audit, &client));
  std::vector<RegisteredPerson> people;
  ASSAY_RETURN_IF_ERROR(ws_->ListPeople(&people));
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State&, ClientAuditData& c) {
        AuditRecord* a = FindAuditIn(c, audit);
        if (!a) return Status::NotFound("no audit " + Quote(audit));
        for (const DecisionRecord& d : c.decisions)
          if (d.audit == audit)
            return Status::InvalidInput("audit " + Quote(audit) +
                                        " has a certification decision; its team can no longer change");
        ASSAY_RETURN_IF_ERROR(CheckDeclaredRelationships(c, member.person, a->audit.actual_start.value_or(a->audit.planned_start),
                                                         people, "audit " + Quote(audit)));
        if (member.role == TeamRole::kLeader)
          for (const TeamMember& m : a->audit.team)
            if (m.role == TeamRole::kLeader)
              return Status::InvalidInput("audit " + Quote(audit) + " already has a leader (" + m.person + ")");
        a->audit.team.push_back(member);
        return Status::OK();
      },
      result);
}

Status AuditStore::AddFinding(const Finding& finding, const std::string& nc_id, WriteResult* result,
                              std::string* nc_out) {
  if (nc_out) nc_out->clear();
  if (finding.id.empty()) return Status::InvalidInput("a finding needs an ID");
  std::string client;
  ASSAY_RETURN_IF_ERROR(FindAudit(finding.audit_id, &client));
  std::string raised_nc;
  Status s = Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State& st, ClientAuditData& c) {
        std::string owner;
        if (Locate(st, "finding", "finding", finding.id, &FindingIds, &owner).ok())
          return Status::InvalidInput("finding " + Quote(finding.id) + " already exists");
        const AuditRecord* a = c.FindAudit(finding.audit_id);
        if (!a) return Status::NotFound("no audit " + Quote(finding.audit_id));
        Finding f = finding;
        if (f.date == Date()) f.date = LastDay(a->audit);
        c.findings.push_back(f);
        if (IsNonconformityGrade(f.grade)) {
          NonconformityRecord n;
          n.nc.id = nc_id.empty() ? "NC-" + f.id : nc_id;
          if (Locate(st, "nc", "nonconformity", n.nc.id, &NcIds, &owner).ok())
            return Status::InvalidInput("nonconformity " + Quote(n.nc.id) + " already exists");
          n.nc.finding_id = f.id;
          n.nc.grade = f.grade;
          n.nc.raised = f.date;
          ASSAY_RETURN_IF_ERROR(DueDate(f.grade, f.date, st.policy.policy, &n.nc.due_date));
          c.nonconformities.push_back(n);
          raised_nc = n.nc.id;
        } else if (!nc_id.empty()) {
          return Status::InvalidInput("finding " + Quote(f.id) + " is graded " +
                                      std::string(FindingGradeName(f.grade)) +
                                      " and carries no nonconformity; only major and minor findings do");
        }
        return Status::OK();
      },
      result);
  if (s.ok() && nc_out) *nc_out = raised_nc;
  return s;
}

Status AuditStore::MoveNonconformity(const std::string& id, NonconformityState to, Date date,
                                     const std::string& correction, const std::string& root_cause,
                                     const std::string& action, WriteResult* result) {
  std::string client;
  ASSAY_RETURN_IF_ERROR(FindNonconformity(id, &client));
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State&, ClientAuditData& c) {
        for (NonconformityRecord& n : c.nonconformities) {
          if (n.nc.id != id) continue;
          if (!correction.empty()) n.correction = correction;
          if (!root_cause.empty()) n.root_cause = root_cause;
          if (!action.empty()) n.corrective_action = action;
          if (to == NonconformityState::kPlanSubmitted) {
            std::vector<std::string> missing;  // the fields, as in the export
            if (n.correction.empty()) missing.push_back("correction");
            if (n.root_cause.empty()) missing.push_back("root_cause");
            if (n.corrective_action.empty()) missing.push_back("corrective_action");
            if (!missing.empty()) {
              std::string list;
              for (const std::string& m : missing) {
                std::string words = m;
                std::replace(words.begin(), words.end(), '_', ' ');
                list += (list.empty() ? "" : ", ") + words;
              }
              return Status::InvalidInput("nonconformity " + id +
                                          " cannot move to plan-submitted without its plan; missing: " + list)
                  .About("nc", id, missing, "required");
            }
          }
          return ApplyTransition(&n.nc, to, date);
        }
        return Status::NotFound("no nonconformity " + Quote(id));
      },
      result);
}

Status AuditStore::Recommend(const std::string& audit, Date today, Recommendation* out) {
  State st;
  ASSAY_RETURN_IF_ERROR(Read(static_cast<WorkspaceImpl*>(ws_), &st));
  std::string client;
  ASSAY_RETURN_IF_ERROR(Locate(st, "audit", "audit", audit, &AuditIds, &client));
  const ClientAuditData& c = st.clients[client];
  *out = AuditRecommendation(c, *c.FindAudit(audit), today, st.policy.policy);
  return Status::OK();
}

Status AuditStore::Override(const std::string& audit, RecommendationKind to, const std::string& justification,
                            Date date, Recommendation* out, WriteResult* result) {
  std::string client;
  ASSAY_RETURN_IF_ERROR(FindAudit(audit, &client));
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State& st, ClientAuditData& c) {
        AuditRecord* a = FindAuditIn(c, audit);
        if (!a) return Status::NotFound("no audit " + Quote(audit));
        for (const DecisionRecord& d : c.decisions)
          if (d.audit == audit)
            return Status::InvalidInput("audit " + Quote(audit) +
                                        " has a certification decision; its recommendation is final");
        Recommendation rec = AuditRecommendation(c, *a, date, st.policy.policy, false);
        ASSAY_RETURN_IF_ERROR(OverrideRecommendation(&rec, to, justification));
        a->override_ = RecommendationOverride{to, justification, date};
        if (out) *out = rec;
        return Status::OK();
      },
      result);
}

Status AuditStore::Decide(const std::string& audit, const std::string& person, Date date,
                          const std::string& certificate, DecisionRecord* out, WriteResult* result) {
  std::string client;
  ASSAY_RETURN_IF_ERROR(FindAudit(audit, &client));
  std::vector<RegisteredPerson> people;
  ASSAY_RETURN_IF_ERROR(ws_->ListPeople(&people));
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State& st, ClientAuditData& c) {
        const CertificationPolicy& policy = st.policy.policy;
        AuditRecord* a = FindAuditIn(c, audit);
        if (!a) return Status::NotFound("no audit " + Quote(audit));
        const std::string who = "audit " + Quote(audit);
        // With accounts, a partial decision maker is a refused, logged attempt.
        auto* w = static_cast<WorkspaceImpl*>(ws_);
        const std::string subject = AuditSubject(client);
        ASSAY_RETURN_IF_ERROR(w->RefusalFor(CheckDecisionMaker(person, a->audit.team), subject, "decision", audit));
        ASSAY_RETURN_IF_ERROR(
            w->RefusalFor(CheckDecisionImpartiality(c, *a, person, date, people), subject, "decision", audit));
        for (const DecisionRecord& d : c.decisions)
          if (d.audit == audit)
            return Status::InvalidInput(who + " already has a certification decision (" + d.decision.date.ToString() +
                                        " by " + d.decision.decided_by + ")");
        if (a->audit.status != AuditStatus::kCompleted || !a->audit.actual_end)
          return Status::InvalidInput(who + " is " + std::string(AuditStatusName(a->audit.status)) +
                                      "; a certification decision needs a completed audit");
        if (date < *a->audit.actual_end)
          return Status::InvalidInput("the decision date " + date.ToString() + " is before the last day of " + who +
                                      " (" + a->audit.actual_end->ToString() + ")");
        Recommendation rec = AuditRecommendation(c, *a, date, policy);
        if (a->audit.type == AuditType::kStage2 || a->audit.type == AuditType::kRecertification ||
            a->audit.type == AuditType::kSpecial)
          ASSAY_RETURN_IF_ERROR(CheckCertificationConditions(c, *a));
        ASSAY_RETURN_IF_ERROR(CheckTeamCompetenceForDecision(c.client, *a, people));
        if (rec.kind == RecommendationKind::kNotRecommend || rec.kind == RecommendationKind::kNewStage2Required) {
          std::string why;
          for (const RecommendationReason& r : rec.reasons)
            if (r.code != RecommendationReasonCode::kPossibleSystemic) why += (why.empty() ? "" : "; ") + r.text;
          return Status::InvalidInput("cannot decide on " + who + ": the recommendation in force is " +
                                      std::string(RecommendationKindName(rec.kind)) + " (" + why + ")");
        }
        DecisionRecord d;
        d.audit = audit;
        d.decision.date = date;
        d.decision.decided_by = person;
        d.recommendation = rec;  // what the decision is based on, in the log with it
        const AuditType type = a->audit.type;
        if (type == AuditType::kStage2) {
          d.decision.kind = DecisionKind::kInitial;
        } else if (type == AuditType::kRecertification || type == AuditType::kSpecial) {
          if (c.decisions.empty())
            return Status::InvalidInput(who + " is a " + std::string(AuditTypeName(type)) + " audit, but client " +
                                        Quote(client) + " was never certified; the initial decision follows a stage 2");
          ProgrammeStatus ps = ComputeProgramme(c.History(), date, policy);
          if (!ps.status.ok()) return ps.status;
          if (ps.expiry && date < *ps.expiry)
            d.decision.kind = DecisionKind::kRecertification;
          else if (ps.restoration_deadline && date <= *ps.restoration_deadline)
            d.decision.kind = DecisionKind::kRestoration;
          else
            return Status::InvalidInput("the certificate of client " + Quote(client) + " expired on " +
                                        (ps.expiry ? ps.expiry->ToString() : std::string("?")) +
                                        " more than 6 months before " + date.ToString() +
                                        "; at least a stage 2 audit is required");
        } else {
          return Status::InvalidInput(who + " is a " + std::string(AuditTypeName(type)) +
                                      " audit; a certification decision follows a stage 2, recertification or "
                                      "special audit");
        }
        c.decisions.push_back(d);
        ProgrammeStatus ps = ComputeProgramme(c.History(), date, policy);
        if (!ps.status.ok()) return ps.status;
        if (!ps.expiry) return Status::InvalidInput("no expiry date could be computed for the decision");
        if (d.decision.kind == DecisionKind::kInitial) {
          if (certificate.empty())
            return Status::InvalidInput("an initial certification decision issues a certificate: give its number")
                .About("certificate", "", {}, "required");
          CertificateRecord cert;
          cert.certificate.number = certificate;
          cert.certificate.issue_date = date;
          cert.certificate.expiry_date = *ps.expiry;
          cert.certificate.status = CertificateStatus::kActive;
          cert.scope = c.client.scope;
          cert.decision = audit;
          cert.history.push_back({CertificateStatus::kActive, date, "issued on the decision on audit " + audit});
          c.certificates.push_back(cert);
          c.decisions.back().certificate = certificate;
        } else {
          CertificateRecord* cur = nullptr;
          for (CertificateRecord& x : c.certificates)
            if (certificate.empty() ? (!cur || cur->certificate.issue_date < x.certificate.issue_date)
                                    : x.certificate.number == certificate)
              cur = &x;
          if (!cur)
            return Status::NotFound("client " + Quote(client) + " has no certificate " +
                                    (certificate.empty() ? std::string() : Quote(certificate) + " ") + "to renew" +
                                    SuggestionSuffix(certificate, CertNumbers(c)));
          if (cur->certificate.status == CertificateStatus::kWithdrawn)
            return Status::InvalidInput("certificate " + Quote(cur->certificate.number) +
                                        " was withdrawn and cannot be renewed");
          const bool restore = d.decision.kind == DecisionKind::kRestoration;
          cur->certificate.expiry_date = *ps.expiry;
          cur->certificate.status = restore ? CertificateStatus::kRestored : CertificateStatus::kActive;
          cur->history.push_back({cur->certificate.status, date,
                                  std::string(restore ? "restored" : "renewed") + " on the decision on audit " + audit +
                                      "; expires " + ps.expiry->ToString()});
          c.decisions.back().certificate = cur->certificate.number;
        }
        if (out) *out = c.decisions.back();
        return Status::OK();
      },
      result);
}

Status AuditStore::SetCertificateStatus(const std::string& number, CertificateStatus to, Date date,
                                        const std::string& reason, WriteResult* result) {
  State st;
  ASSAY_RETURN_IF_ERROR(Read(static_cast<WorkspaceImpl*>(ws_), &st));
  std::string client;
  ASSAY_RETURN_IF_ERROR(Locate(st, "certificate", "certificate", number, &CertNumbers, &client));
  if (reason.find_first_not_of(" \t") == std::string::npos)
    return Status::InvalidInput("changing the status of certificate " + Quote(number) + " needs a reason");
  return Mutate(
      static_cast<WorkspaceImpl*>(ws_), Refs{catalogue_, time_table_}, client, false,
      [&](State&, ClientAuditData& c) {
        for (CertificateRecord& x : c.certificates) {
          if (x.certificate.number != number) continue;
          const CertificateStatus from = x.certificate.status;
          Status t = CertificateTransition(from, to);
          if (!t.ok())  // "certificate cannot go ..." with the number
            return Status::InvalidInput("certificate " + number + t.message().substr(std::strlen("certificate")));
          if (!x.history.empty() && date < x.history.back().date)
            return Status::InvalidInput("certificate " + number + ": " + date.ToString() +
                                        " is before its last change (" + x.history.back().date.ToString() + ")");
          x.certificate.status = to;
          x.history.push_back({to, date, reason});
          return Status::OK();
        }
        return Status::NotFound("no certificate " + Quote(number));
      },
      result);
}

Status AuditStore::Export(const std::string& client, std::string* out) {
  ASSAY_RETURN_IF_ERROR(ws_->AuthorizeRead("", client));  // a client's representative: its own only
  State st;
  std::vector<RegisteredPerson> people;
  ASSAY_RETURN_IF_ERROR(Read(static_cast<WorkspaceImpl*>(ws_), &st, 0, &people));
  auto it = st.clients.find(client);
  if (it == st.clients.end()) return ClientNotFound(st, client);
  *out = ExportText(st, it->second, people);
  return Status::OK();
}

Status AuditStore::ReadClientAt(const std::string& client, int64_t at_seq, ClientAuditData* out, AuditPolicy* policy,
                                std::string* export_json, std::vector<RegisteredPerson>* people) {
  ASSAY_RETURN_IF_ERROR(ws_->AuthorizeRead("", client));  // a client's representative: its own only
  State st;
  std::vector<RegisteredPerson> registry;
  ASSAY_RETURN_IF_ERROR(Read(static_cast<WorkspaceImpl*>(ws_), &st, at_seq, &registry));
  auto it = st.clients.find(client);
  if (it == st.clients.end()) return ClientNotFound(st, client);
  *out = it->second;
  *policy = st.policy;
  *export_json = ExportText(st, it->second, registry);
  if (people) *people = std::move(registry);
  return Status::OK();
}

Status AuditStore::ReportPosition(const std::string& client, Date date, int64_t* seq, std::string* hash) {
  WorkspaceImpl* w = static_cast<WorkspaceImpl*>(ws_);
  try {
    sql::Transaction tx(w->db(), sql::Tx::kRead);  // one consistent read
    std::vector<std::pair<int64_t, std::string>> events;  // the client's and the policy's, newest first
    sql::Statement q(w->db(), "SELECT seq, hash FROM events WHERE assessment IN (?1, ?2) ORDER BY seq DESC");
    q.Bind(1, AuditSubject(client));
    q.Bind(2, kSubjectPrefix);
    while (q.Step()) events.emplace_back(q.Int64(0), q.String(1));
    State st;
    ASSAY_RETURN_IF_ERROR(LoadState(w, &st));
    if (!st.clients.count(client) || events.empty()) return ClientNotFound(st, client);
    const std::string now = AsOfView(st, client, date);
    size_t oldest = 0;
    for (size_t i = 1; i < events.size(); ++i) {
      ASSAY_RETURN_IF_ERROR(LoadState(w, &st, events[i].first));
      if (!st.clients.count(client) || AsOfView(st, client, date) != now) break;
      oldest = i;
    }
    tx.Commit();
    *seq = events[oldest].first;
    *hash = events[oldest].second;
    return Status::OK();
  } catch (const std::exception& e) {
    return internal::SqliteError(w->path(), e);
  }
}

Status AuditStore::Import(const std::string& path, bool dry_run, AuditImportReport* report) {
  *report = AuditImportReport();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidInput(path + ": is a directory");
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > JsonLimits().max_bytes)
    return Status::InvalidInput(path + ": larger than " + std::to_string(JsonLimits().max_bytes >> 20) + " MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": read failed");
  return ImportText(ss.str(), path, dry_run, report);
}

Status AuditStore::ImportText(const std::string& text, const std::string& name, bool dry_run,
                              AuditImportReport* report) {
  *report = AuditImportReport();
  json doc;
  std::vector<Diagnostic> diags;
  if (!internal::ParseJson(text, name, JsonLimits(), &doc, &diags) ||
      !internal::ValidateSchema("audit", doc, name, &diags)) {
    report->problems = diags;
    report->about.resize(diags.size());
    return ImportRefused(name, report);
  }
  AuditFile file;
  Problems pr;
  ReadAuditFile(doc, &file, &pr);
  std::vector<RegisteredPerson> file_people;
  ReadPeopleOfFile(doc, &file_people, &pr);
  if (!pr.empty()) return ImportRefused(name, pr, report);
  WorkspaceImpl* w = static_cast<WorkspaceImpl*>(ws_);
  try {
    // One transaction: the file's people and the client's records are
    // written together or not at all.
    sql::Transaction tx(w->db(), sql::Tx::kWrite);
    State st;
    ASSAY_RETURN_IF_ERROR(LoadState(w, &st));
    std::vector<RegisteredPerson> registry, added;
    std::vector<std::string> kept;
    ASSAY_RETURN_IF_ERROR(LoadPeople(w, 0, &registry));
    for (const RegisteredPerson& p : file_people) {
      const bool known = std::any_of(registry.begin(), registry.end(),
                                     [&](const RegisteredPerson& r) { return r.id == p.id; });
      if (known)
        kept.push_back(p.id);
      else
        added.push_back(p);
    }
    registry.insert(registry.end(), added.begin(), added.end());
    const AuditPolicy settings = AdoptSettings(st, file, &pr);
    if (!pr.empty()) return ImportRefused(name, pr, report);
    const CertificationPolicy& policy = settings.policy;
    ComputeDueDates(policy, &file, &pr);
    if (!pr.empty()) return ImportRefused(name, pr, report);
    ClientAuditData merged = MergeWithStored(st, file.client);
    Validate(st, merged, policy, Refs{catalogue_, time_table_}, &pr);
    CheckDecisionCompetence(st, file, merged, registry, &pr);
    if (!pr.empty()) return ImportRefused(name, pr, report);
    const bool settings_changed = ToJson(settings) != ToJson(st.policy) || (!st.policy_stored && file.policy);
    if (settings_changed) {
      CheckOtherClients(st, merged.client.id, policy, Refs{catalogue_, time_table_}, &pr);
      if (!pr.empty()) return ImportRefused(name, pr, report);
    }
    SortClient(&merged);
    Counts counts;
    ASSAY_RETURN_IF_ERROR(RegisterPeople(w, added, !dry_run));
    if (settings_changed)
      ASSAY_RETURN_IF_ERROR(WriteRecords(w, &st, AuditSubject(""), {{"policy", ToJson(settings)}}, !dry_run, &counts));
    ASSAY_RETURN_IF_ERROR(WriteRecords(w, &st, AuditSubject(merged.client.id), RecordsOf(merged), !dry_run, &counts));
    report->assessment = merged.client.id;
    report->created = counts.created;
    report->updated = counts.updated;
    report->unchanged = counts.unchanged;
    for (const RegisteredPerson& p : added) report->registered.push_back(p.id);
    report->kept = kept;
    if (!dry_run) tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return internal::SqliteError(w->path(), e);
  }
}

}  // namespace assay
