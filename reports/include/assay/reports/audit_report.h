// The certification audit report: a PDF (and a JSON form of the same
// content) with what ISO/IEC 17021-1:2015 9.4.8.2 asks an audit report to
// contain (DOMAIN.md 3.5 a-r; docs/AUDIT-REPORT.md maps each item to its
// section), for one audit of an ISO/IEC 20000-1 client.
//
// The renderer only lays out what the engine computed (assay/audit.h
// AuditReportContent): it never reads a database, a clock or a file other
// than the fonts, and never applies audit rules (the findings and
// nonconformities shown, overdue flags, systemic warnings, the
// recommendation and the programme come from the engine). It does cross-check the
// input for consistency (see CheckAuditReportInput) so that a report never
// shows a finding against a clause the catalogue does not have.
//
//   AuditReportInput in;
//   ASSAY_RETURN_IF_ERROR(ComputeAuditReport(client, policy, "NW-S2-2025", std::nullopt, &in));
//   in.catalogue = catalogue.get();   // LoadCatalogue("iso20000-1-2018", ...)
//   in.manifest = ...;
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
#include "assay/reports/pdf.h"
#include "assay/status.h"

namespace assay::reports {

// An evidence reference a finding names (Finding::evidence_ids).
struct EvidenceRef {
  std::string id;
  std::string description;  // e.g. "Incident INC-4711 record and timeline"
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
  int64_t log_seq = 0;  // the position of the workspace log the report was made at; 0 = unknown
  std::string log_head;  // the hash of event log_seq (64 hex digits); "" = unknown
  std::string seal;      // the latest seal line recorded at or before log_seq; "" = none
  // How to verify the report, e.g. "assay verify-report FILE.pdf --db assay.db".
  // Default: empty (not shown).
  std::string verify_command;
};

// The engine's content (assay/audit.h ComputeAuditReport, with the linked
// assessment from LinkAssessment) and what only the document carries. The
// report shows a site by its name (its ID when it has none); items h, i,
// j, l, m, n and q are shown as "None recorded." when empty (or absent):
// the report never states more than the team recorded.
struct AuditReportInput : AuditReportContent {
  const Catalogue* catalogue = nullptr;  // required; not owned, must outlive the call
  // Audit time and sites (section 3.4); none: the section says it was not
  // computed.
  std::optional<ReportTimeAndSites> time_and_sites;
  std::vector<EvidenceRef> evidence;     // the evidence the findings name; may be partial
  std::string report_id;                 // Default: empty; e.g. "AR-2026-014"
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
