// The certification audit report: a PDF (and a JSON form of the same
// content) with what ISO/IEC 17021-1:2015 9.4.8.2 asks an audit report to
// contain (DOMAIN.md 3.5 a-r; docs/AUDIT-REPORT.md maps each item to its
// section), for one audit of an ISO/IEC 20000-1 client.
//
// The renderer only lays out what the caller computed: it never reads a
// database, a clock or a file other than the fonts, and never applies audit
// rules (overdue flags, systemic warnings, the recommendation and the
// programme come from the engine, assay/audit.h). It does cross-check the
// input for consistency (see CheckAuditReportInput) so that a report never
// shows a finding against a clause the catalogue does not have.
//
//   AuditReportInput in;              // filled from the audit store
//   in.catalogue = catalogue.get();   // LoadCatalogue("iso20000-1-2018", ...)
//   ...
//   std::string pdf;
//   ASSAY_RETURN_IF_ERROR(RenderAuditReport(in, AuditReportOptions{}, &pdf));
//
// Determinism: the same input and options give byte-identical PDF and JSON.
// The only date the PDF metadata carries is AuditReportInput::report_date.
//
// Thread safety: the functions are pure; distinct calls may run concurrently.
//
// Status codes: InvalidInput (the input is inconsistent: the message names the
// record and, for unknown clause numbers, the nearest ones), NotFound (a font
// file is missing), IOError (the PDF library failed).
#ifndef ASSAY_REPORTS_AUDIT_REPORT_H_
#define ASSAY_REPORTS_AUDIT_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "assay/audit.h"
#include "assay/calendar.h"
#include "assay/catalogue.h"
#include "assay/reports/pdf.h"
#include "assay/status.h"

namespace assay::reports {

// a) The certification body that issues the report.
struct CertificationBodyInfo {
  std::string name;           // required
  std::string address;        // Default: empty (not shown)
  std::string accreditation;  // e.g. "accredited by XYZ under ISO/IEC 17021-1, no. 123". Default: empty
};

struct ClientSite {
  std::string name;        // e.g. "Head office"
  std::string address;     // Default: empty
  std::string activities;  // what is done there, within the scope. Default: empty
};

// b) The client.
struct ClientInfo {
  std::string id;              // the client's ID in the store
  std::string name;            // required
  std::string address;         // Default: empty
  std::string representative;  // the client's representative for the audit. Default: empty
  std::vector<ClientSite> sites;
  std::string scope;  // the certification scope (services, sites, SMS boundary). Required
};

// j) One dated activity of the audit and where it took place.
struct AuditActivity {
  Date date;
  std::string place;  // a site name, or e.g. "video conference"
  ActivityMode mode = ActivityMode::kOnSite;
  std::string activity;  // e.g. "Opening meeting; incident management (8.6.1)"; Default: empty
};

// i) A person who accompanied the audit without being on the team.
struct AccompanyingEntry {
  std::string person;
  AccompanyingRole role = AccompanyingRole::kGuide;
  std::string organization;  // Default: empty (not shown)
};

// n) Whether the audit was combined, joint or integrated.
struct CombinationInfo {
  AuditCombination kind = AuditCombination::kSingle;
  std::string details;  // with what; Default: empty
};

// q) Whether the client controls its use of certification documents and marks.
struct MarksInfo {
  MarksControl control = MarksControl::kControlled;
  std::string note;  // Default: empty
};

// g) A deviation from the audit plan.
struct PlanDeviation {
  std::string description;  // what differed from the plan
  std::string reason;       // why; required
};

// What the team sampled (shown with the sampling statement, item o).
struct SampledItem {
  std::string clause;       // "" when not tied to one clause
  std::string description;  // e.g. "25 of 1,240 incident records of Q3 2026"
};

// Everything the audit itself records beyond assay::Audit (the dates, type,
// status and team live there). Items h, i, j, l, m, n and q are shown as
// "None recorded." when empty (or absent): the report never states more
// than the team recorded.
struct AuditDetails {
  std::vector<std::string> objectives;          // e)
  std::vector<std::string> criteria;            // d) e.g. "ISO/IEC 20000-1:2018", "the client's SMS documentation"
  std::string scope;                            // f) units, processes, sites and time covered
  std::vector<AccompanyingEntry> accompanying;  // i) guides, interpreters, observers (not team members)
  std::vector<AuditActivity> activities;        // j)
  std::vector<PlanDeviation> deviations;        // g)
  std::vector<std::string> programme_issues;    // h) significant issues affecting the programme
  std::vector<std::string> changes;             // l) significant changes since the last audit
  std::vector<std::string> unresolved_issues;   // m) diverging opinions etc.
  std::optional<CombinationInfo> combination;   // n)
  std::optional<MarksInfo> marks;               // q)
  std::vector<SampledItem> sampled;
  // k) The team's overall conclusion (conformity and effectiveness of the SMS,
  // internal audit and management review, scope appropriate, objectives met).
  std::string conclusion;
};

// An evidence reference a finding names (Finding::evidence_ids).
struct EvidenceRef {
  std::string id;
  std::string description;  // e.g. "Incident INC-4711 record and timeline"
};

// One row of the nonconformity register.
struct NonconformityEntry {
  Nonconformity nc;               // grade, state, raised, due date, history
  std::string correction;         // Default: empty ("not yet submitted")
  std::string root_cause;         // Default: empty
  std::string corrective_action;  // Default: empty
  // IsOverdue(nc, report_date), computed by the caller with the engine.
  bool overdue = false;
};

// The process capability of a linked assessment (issue 6 item 10).
struct ProcessCapability {
  std::string process;        // process id in the catalogue's model, e.g. "SLM.1"
  std::string name;           // e.g. "Service level management"
  int level = 0;              // capability level 0..5 as rated
  std::optional<int> target;  // target level, if the assessment set one
};

struct LinkedAssessment {
  std::string id;            // the assessment's ID
  std::string title;         // Default: empty
  std::string model;         // "itsm-20000@1.0.0"
  std::optional<Date> date;  // when its ratings were last taken. Default: none
  std::vector<ProcessCapability> processes;
};

// The audit record the report was made from, so that anyone with the
// workspace can recompute and compare. It is printed on the last page and
// stored in the PDF /Keywords as a report_parts.h ReportManifest of kind
// audit (subject = the audit ID, model = the catalogue, data_as_of = the
// report date), which ReadPdfManifest() reads back.
struct AuditReportManifest {
  std::string snapshot_sha256;  // SHA-256 of the audit record snapshot, supplied by the caller
  std::string assay_version;    // e.g. "0.1.0"
  // Default: "" = the catalogue's "id@version" and sha256.
  std::string catalogue;
  std::string catalogue_sha256;
  int64_t log_seq = 0;  // the audit's newest event in the workspace log; 0 = unknown
  // How to verify the report, e.g. "assay verify-report FILE.pdf --db assay.db".
  // Default: empty (not shown).
  std::string verify_command;
};

struct AuditReportInput {
  CertificationBodyInfo body;
  ClientInfo client;
  std::optional<Certificate> certificate;  // none before the initial decision

  Audit audit;  // type, planned/actual dates, status, team (leader required)
  AuditDetails details;

  // The findings of this audit (audit_id == audit.id), plus the findings of
  // earlier audits behind the nonconformities listed in `nonconformities`.
  std::vector<Finding> findings;
  std::vector<EvidenceRef> evidence;  // the evidence the findings name; may be partial
  // The nonconformities of this audit and those still open (or verified at
  // this audit) from earlier audits; every one names a finding in `findings`.
  std::vector<NonconformityEntry> nonconformities;
  std::vector<SystemicWarning> systemic_warnings;  // SystemicWarnings() over this audit's findings

  Recommendation recommendation;                  // ComputeRecommendation (+ OverrideRecommendation)
  std::optional<CertificationDecision> decision;  // when already decided
  std::optional<ProgrammeStatus> programme;       // ComputeProgramme as of report_date

  const Catalogue* catalogue = nullptr;  // required; not owned, must outlive the call
  std::optional<LinkedAssessment> assessment;

  Date report_date;       // the "as of" date of the report (overdue flags, programme); from the record
  std::string report_id;  // Default: empty; e.g. "AR-2026-014"
  AuditReportManifest manifest;
};

struct AuditReportOptions {
  Paper paper = Paper::kA4;  // Default: A4
  std::string font_dir;      // Default: empty (see PdfOptions::font_dir)
  // The confidentiality marking of the footer and the cover. Default below.
  std::string confidentiality = "Confidential: for the client and the certification body";
};

// OK when the input is consistent; otherwise InvalidInput naming the first
// problem:
//   * no catalogue, or the body name, client name, scope or audit ID is empty;
//   * the team has no leader;
//   * a finding's clause is unknown to the catalogue or a heading (with the
//     nearest auditable clauses), e.g. "finding F-3: unknown clause '8.9.9'
//     in catalogue iso20000-1-2018; nearest: 8.7.1, 8.7.2, 8.7.3.3";
//   * a finding or nonconformity ID repeats; a nonconformity names an
//     unknown finding or fails CheckNonconformityFinding;
//   * a deviation has no reason.
Status CheckAuditReportInput(const AuditReportInput& input);

// Renders the report PDF into *pdf. Runs CheckAuditReportInput first.
Status RenderAuditReport(const AuditReportInput& input, const AuditReportOptions& options, std::string* pdf);

// The same content as JSON text (2-space indented, keys in a fixed order,
// "format": "assay-audit-report/1"): body, client, certificate, audit,
// clauses (every auditable clause with its grade or "not-sampled" and, with
// a linked assessment, the capability of its processes), findings,
// nonconformities, systemic warnings, recommendation, decision, programme,
// assessment, manifest. Runs CheckAuditReportInput first.
Status AuditReportJson(const AuditReportInput& input, std::string* json);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_AUDIT_REPORT_H_
