// Certificate data for IAF CertSearch and audit results as NIST OSCAL
// (assay/reports/audit_exports.h).
#include "assay/reports/audit_exports.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "assay/reports/profile.h"
#include "assay/text.h"

namespace assay::reports {

namespace {

using ojson = nlohmann::ordered_json;

constexpr size_t kCertSearchIdMax = 60;

std::string Compact(const Date& d) {
  std::string s = d.ToString();
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s;
}

std::string CertSearchStatus(const Certificate& c, Date today) {
  switch (c.status) {
    case CertificateStatus::kActive:
    case CertificateStatus::kRestored:
      return today < c.expiry_date ? "Active" : "Expired";
    case CertificateStatus::kSuspended:
      return "Suspended";
    case CertificateStatus::kWithdrawn:
      return "Withdrawn";
    case CertificateStatus::kExpired:
      return "Expired";
  }
  return "Inactive";
}

// A name-based UUID (version nibble 5, RFC 4122 variant) from the SHA-256
// of `seed`: the same records give the same UUIDs.
std::string Uuid(const std::string& seed) {
  std::string h = Sha256Hex("assay-oscal:" + seed).substr(0, 32);
  h[12] = '5';
  h[16] = "89ab"[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string DateTime(const Date& d) { return d.ToString() + "T00:00:00Z"; }

// An OSCAL token (NCName-like: a letter or '_' first, then letters, digits,
// '.', '-', '_'): other characters become '_'.
std::string Token(const std::string& s) {
  std::string out;
  for (char ch : s) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                    ch == '-' || ch == '_';
    out += ok ? ch : '_';
  }
  if (out.empty() || !((out[0] >= 'A' && out[0] <= 'Z') || (out[0] >= 'a' && out[0] <= 'z') || out[0] == '_'))
    out = "_" + out;
  return out;
}

ojson Prop(const std::string& name, const std::string& value) {
  return {{"name", name}, {"ns", "https://assay.invalid/ns/oscal"}, {"value", value}};
}

ojson Metadata(const AuditReportContent& c) {
  ojson parties = ojson::array();
  if (!c.body.name.empty())
    parties.push_back({{"uuid", Uuid("party:body:" + c.body.name)}, {"type", "organization"}, {"name", c.body.name}});
  parties.push_back({{"uuid", Uuid("party:client:" + c.client.id)},
                     {"type", "organization"},
                     {"name", c.client.name},
                     {"short-name", c.client.id}});
  return {{"title", "Certification audit " + c.audit.audit.id + " of " + c.client.name},
          {"last-modified", DateTime(c.report_date)},
          {"version", c.report_date.ToString()},
          {"oscal-version", "1.0.6"},
          {"parties", parties}};
}

std::string NcOf(const AuditReportContent& c, const std::string& finding, const ReportedNonconformity** out) {
  for (const ReportedNonconformity& n : c.nonconformities)
    if (n.nc.finding_id == finding) {
      *out = &n;
      return n.nc.id;
    }
  *out = nullptr;
  return "";
}

// The observation and the finding of one audit finding.
void AddFinding(const AuditReportContent& c, const Finding& f, const std::string& catalogue_id, ojson* observations,
                ojson* findings) {
  const std::string obs_uuid = Uuid("observation:" + c.client.id + ":" + f.id);
  ojson obs = {{"uuid", obs_uuid},
               {"title", "Finding " + f.id + " on clause " + f.clause},
               {"description", f.statement},
               {"props", ojson::array({Prop("grade", std::string(FindingGradeName(f.grade)))})},
               {"methods", ojson::array({"EXAMINE"})},
               {"types", ojson::array({"finding"})}};
  if (!f.evidence_ids.empty()) {
    ojson ev = ojson::array();
    for (const std::string& e : f.evidence_ids) ev.push_back({{"description", e}});
    obs["relevant-evidence"] = ev;
  }
  obs["collected"] = DateTime(f.date);
  observations->push_back(obs);
  const ReportedNonconformity* nc = nullptr;
  NcOf(c, f.id, &nc);
  ojson props = ojson::array({Prop("grade", std::string(FindingGradeName(f.grade)))});
  if (nc) {
    props.push_back(Prop("nonconformity", nc->nc.id));
    props.push_back(Prop("nonconformity-state", std::string(NonconformityStateName(nc->nc.state))));
    props.push_back(Prop("due-date", nc->nc.due_date.ToString()));
    if (nc->overdue) props.push_back(Prop("overdue", "true"));
  }
  ojson target = {{"type", "objective-id"},
                  {"target-id", Token(catalogue_id + "_" + f.clause)},
                  {"title", "Clause " + f.clause},
                  {"status", {{"state", IsNonconformityGrade(f.grade) ? "not-satisfied" : "satisfied"}}}};
  ojson finding = {{"uuid", Uuid("finding:" + c.client.id + ":" + f.id)},
                   {"title", (nc ? "Nonconformity " + nc->nc.id + " (" + std::string(FindingGradeName(f.grade)) + ")"
                                 : "Finding " + f.id + " (" + std::string(FindingGradeName(f.grade)) + ")") +
                                 " on clause " + f.clause},
                   {"description", f.statement},
                   {"props", props},
                   {"target", target},
                   {"related-observations", ojson::array({{{"observation-uuid", obs_uuid}}})}};
  if (nc && (!nc->correction.empty() || !nc->corrective_action.empty()))
    finding["remarks"] = "Correction: " + (nc->correction.empty() ? std::string("-") : nc->correction) +
                         ". Root cause: " + (nc->root_cause.empty() ? std::string("-") : nc->root_cause) +
                         ". Corrective action: " +
                         (nc->corrective_action.empty() ? std::string("-") : nc->corrective_action) + ".";
  findings->push_back(finding);
}

}  // namespace

Status CertSearchRows(const ClientAuditData& c, const CertificationBody& body, const std::string& standard, Date today,
                      std::vector<CertSearchRow>* out) {
  out->clear();
  if (c.client.id.size() > kCertSearchIdMax)
    return Status::InvalidInput("client " + Quote(c.client.id) +
                                ": the Certification Identity Number (the client ID) is longer than 60 characters");
  for (const CertificateRecord& x : c.certificates) {
    const Certificate& cert = x.certificate;
    if (cert.number.size() > kCertSearchIdMax)
      return Status::InvalidInput("certificate " + Quote(cert.number) +
                                  ": the Certificate Number is longer than 60 characters");
    Date issued = cert.issue_date;
    for (const CertificateChange& ch : x.history)
      if ((ch.status == CertificateStatus::kActive || ch.status == CertificateStatus::kRestored) && !(ch.date < issued))
        issued = ch.date;
    std::vector<std::string> addresses;
    for (const ClientSite& s : c.client.sites) {
      std::string a = s.name.empty() ? s.id : s.name;
      if (!s.address.empty()) a += ", " + s.address;
      addresses.push_back(a);
    }
    if (addresses.empty()) addresses.push_back(c.client.address);
    const std::string scope = (x.scope.empty() ? c.client.scope : x.scope) + (standard.empty() ? "" : " (" + standard + ")");
    for (const std::string& address : addresses)
      out->push_back({c.client.id, cert.number, CertSearchStatus(cert, today),
                      body.accreditation.empty() ? "Unaccredited" : "Accredited", "Management System", Compact(issued),
                      Compact(cert.expiry_date), c.client.name, address, scope, Compact(cert.issue_date)});
  }
  return Status::OK();
}

std::string CertSearchCsv(const std::vector<CertSearchRow>& rows) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvCell(cells[i]);
    out += "\r\n";
  };
  line(std::vector<std::string>(std::begin(kCertSearchFields), std::end(kCertSearchFields)));
  for (const CertSearchRow& r : rows) line(r);
  return out;
}

std::string CertSearchJson(const std::vector<CertSearchRow>& rows) {
  ojson arr = ojson::array();
  for (const CertSearchRow& r : rows) {
    ojson o = ojson::object();
    for (size_t i = 0; i < r.size(); ++i) o[kCertSearchFields[i]] = r[i];
    arr.push_back(o);
  }
  return arr.dump(2) + "\n";
}

Status OscalAssessmentResults(const AuditReportContent& c, const std::string& catalogue_id, std::string* out) {
  const Audit& a = c.audit.audit;
  ojson controls = ojson::array();
  for (const std::string& clause : AuditClauses(c.audit, c.findings))
    controls.push_back({{"control-id", Token(catalogue_id + "_" + clause)}});
  ojson selection = {{"description", "The clauses of " + catalogue_id + " this audit sampled or raised findings on"}};
  if (controls.empty())
    selection["include-all"] = ojson::object();
  else
    selection["include-controls"] = controls;
  ojson result = {{"uuid", Uuid("result:" + c.client.id + ":" + a.id)},
                  {"title", std::string(AuditTypeName(a.type)) + " audit " + a.id},
                  {"description", c.audit.scope.empty() ? "Certification audit of " + c.client.scope : c.audit.scope},
                  {"start", DateTime(a.actual_start.value_or(a.planned_start))}};
  if (a.actual_end) result["end"] = DateTime(*a.actual_end);
  result["props"] = ojson::array({Prop("audit-type", std::string(AuditTypeName(a.type))),
                                  Prop("audit-status", std::string(AuditStatusName(a.status))),
                                  Prop("recommendation", std::string(RecommendationKindName(c.recommendation.kind)))});
  result["reviewed-controls"] = {{"control-selections", ojson::array({selection})}};
  ojson observations = ojson::array(), findings = ojson::array();
  for (const Finding& f : c.findings)
    if (f.audit_id == a.id) AddFinding(c, f, catalogue_id, &observations, &findings);
  if (!observations.empty()) result["observations"] = observations;
  if (!findings.empty()) result["findings"] = findings;
  if (!c.audit.conclusion.empty()) result["remarks"] = c.audit.conclusion;
  ojson doc = {{"assessment-results",
                {{"uuid", Uuid("assessment-results:" + c.client.id + ":" + a.id + ":" + c.report_date.ToString())},
                 {"metadata", Metadata(c)},
                 {"import-ap", {{"href", "#audit-plan-" + Token(a.id)}}},
                 {"results", ojson::array({result})}}}};
  *out = doc.dump(2) + "\n";
  return Status::OK();
}

}  // namespace assay::reports
