// Report parts: the pieces every assay PDF report shares, so that the
// process assessment report (assessment_report.h) and the ISO/IEC 20000-1
// certification audit report look alike and can be verified the same way.
//
//   ReportOptions options;                      // paper, fonts
//   ReportManifest manifest = ...;              // what the report was built from
//   PdfOptions pdf = MakePdfOptions(options, {"Certification audit report", ...}, manifest);
//   std::unique_ptr<PdfDocument> doc;
//   ASSAY_RETURN_IF_ERROR(PdfDocument::Create(pdf, &doc));
//   RenderCoverPage(*doc, cover);               // page 1, ends with a page break
//   doc->TableOfContents();
//   ...                                         // the report's own sections
//   RenderNotice(*doc, SamplingStatement(ReportKind::kAudit));
//   RenderSignatureBlock(*doc, signatories, "...");
//   RenderManifestSection(*doc, manifest);
//   ASSAY_RETURN_IF_ERROR(doc->Finish(&bytes));
//
// The manifest. Every report carries a ReportManifest twice: printed on its
// last page for people, and in the PDF Info dictionary (/Keywords) for
// programs, as one line of "key=value" pairs (ManifestKeywords()). assay
// itself reads it back with ReadPdfManifest() (no qpdf needed), and `assay
// verify-report` recomputes snapshot_sha256 from the workspace and compares.
// The line is ASCII: values are percent-encoded outside [A-Za-z0-9._~@:/+-].
//
// Everything here only formats values the caller computed: no storage, no
// clock, no rating logic. Functions are pure or draw on the PdfDocument they
// are given (errors are kept in the document, see pdf.h). Thread safety: as
// for PdfDocument.
#ifndef ASSAY_REPORTS_REPORT_PARTS_H_
#define ASSAY_REPORTS_REPORT_PARTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "assay/reports/pdf.h"
#include "assay/status.h"

namespace assay::reports {

// How a report is typeset (what the user chooses on the command line).
struct ReportOptions {
  Paper paper = Paper::kA4;  // Default: A4 (--paper letter)
  std::string font_dir;      // Default: empty (PdfOptions::font_dir's default)
  // PdfOptions::fallback_fonts. Default: DefaultFallbackFonts()
  std::vector<std::string> fallback_fonts = DefaultFallbackFonts();
};

// kSummary: the summary report of an assessment (its subject is the
// assessment ID).
enum class ReportKind { kAssessment, kAudit, kSummary };
const char* ReportKindName(ReportKind kind);  // "assessment", "audit", "summary"

// What a report was built from. Every field is plain text the caller knows;
// the report never computes any of it.
struct ReportManifest {
  ReportKind kind = ReportKind::kAssessment;
  std::string subject;          // the assessment ID (or the audit ID)
  std::string snapshot_sha256;  // SHA-256 (hex) of the subject's canonical export JSON
  std::string assay_version;    // e.g. "0.1.0"
  std::string model;            // the pinned model or catalogue: "itsm-20000@1.0.0"
  std::string model_sha256;     // its content hash
  std::string data_as_of;       // the newest date in the snapshot (ISO 8601), never the clock
  // The log position the report was made at: the sequence number of the
  // newest event of the workspace log whose state it shows, so that a
  // verifier can reproduce the report as of that position. 0 when unknown
  // (optional in the keywords).
  int64_t log_seq = 0;
  // The hash of event log_seq: the head of the hash chain at that position
  // (64 hex digits; "" when unknown, optional in the keywords). A head kept
  // outside the workspace is what `assay log verify` can be checked against.
  std::string log_head;
  // The latest seal of the log recorded at or before log_seq: its seal line
  // (assay/signing.h), "" when there is none (optional in the keywords).
  std::string seal;
  // The report is a draft (an assessment before status rated, an audit
  // before its decision): "DRAFT" on every page and in the title. Default:
  // false (optional in the keywords, written only when true).
  bool draft = false;
};

// The manifest as one ASCII line for the PDF Info dictionary:
// "assay-report-manifest/1 kind=assessment subject=NW-2026-01 snapshot-sha256=... ..."
std::string ManifestKeywords(const ReportManifest& manifest);

// The inverse of ManifestKeywords(). InvalidInput when the line does not
// start with the "assay-report-manifest/1" marker, a field is missing, a
// hash is not 64 hex digits, or a percent escape is malformed.
Status ParseManifestKeywords(std::string_view keywords, ReportManifest* manifest);

// Reads the manifest of a PDF written by assay: finds the /Keywords entry of
// the trailer's Info dictionary (literal or hex string, with escapes, in
// PDFDocEncoding or UTF-16BE with a byte order mark) and parses it.
// NotFound ("no assay manifest") when the file has no such entry or it is
// not an assay manifest; InvalidInput when it is not a PDF at all or the
// manifest is malformed (the message says what is wrong).
Status ReadPdfManifest(std::string_view pdf_bytes, ReportManifest* manifest);

// How a file differs from the report assay reproduces for it (`assay
// verify-report`): both are PDFs, `reproduced` written by assay.
struct ReportDifference {
  bool same = false;    // byte for byte
  size_t appended = 0;  // the file is the report plus this many bytes (an incremental update)
  int pages = 0;        // pages of the reproduced report
  // The first page (1-based) whose content (decoded) is nowhere in the file;
  // 0 when every page's content is there: the difference then lies in the
  // document properties or the file's structure (objects rewritten).
  int first_page = 0;
};
ReportDifference ComparePdfReports(std::string_view file, std::string_view reproduced);

// What the PDF Info dictionary should say.
struct ReportIdentity {
  std::string title;      // e.g. "Process assessment report: NW-2026-01"
  std::string author;     // e.g. the lead assessor's name
  std::string subject;    // e.g. the assessment title
  std::string header;     // running header on every page but the cover
  std::string footer;     // left of "Page n of N": the confidentiality marking
};

// "DRAFT: " + title for a draft, else the title: the report title in the PDF
// /Title and the JSON "title".
std::string DraftMarked(bool draft, const std::string& title);

// PdfOptions for a report: paper and fonts from `options`, Info entries from
// `identity`, /Keywords from ManifestKeywords(manifest), the creation date
// from manifest.data_as_of, creator "assay <version>". A draft
// (manifest.draft) gets DraftMarked() as its /Title and "DRAFT" before the
// footer of every page.
PdfOptions MakePdfOptions(const ReportOptions& options, const ReportIdentity& identity,
                          const ReportManifest& manifest);

// ---------------------------------------------------------------------------
// Cover page

struct CoverPage {
  std::string kind;      // small line above the title, e.g. "Process assessment report"
  std::string title;     // large
  std::string subtitle;  // e.g. the organization
  // Shown as a key-value block in this order, e.g. {"Sponsor", "..."},
  // {"Lead assessor", "..."}, {"Dates", "14 September 2026 to 2 October 2026"}.
  std::vector<std::pair<std::string, std::string>> details;
  std::string marking;        // e.g. "CONFIDENTIAL", printed in a band; empty: none
  std::string marking_note;   // the confidentiality statement under the band; optional
  std::string issued_by;      // small print at the bottom, e.g. "Produced with assay 0.1.0"
};

// Draws the cover on the current (first) page and starts a new page.
void RenderCoverPage(PdfDocument& doc, const CoverPage& cover);

// ---------------------------------------------------------------------------
// Blocks used inside reports

// A shaded, boxed paragraph that stands out from the body text (wraps and
// breaks across pages like a table row).
void RenderNotice(PdfDocument& doc, std::string_view text);

// The statement that results rest on sampled evidence (our own words), for
// an assessment or an audit report.
std::string SamplingStatement(ReportKind kind);

// One person who signs the report.
struct Signatory {
  std::string role;          // e.g. "Lead assessor", "Assessment sponsor"
  std::string name;          // may be empty: a blank line is printed
  std::string organization;  // optional
};

// A level 1 heading `heading`, the `statement` (what signing means) and,
// two per row, one box per signatory with role, name, organization and lines
// for the date and the signature. Boxes are never split across pages.
void RenderSignatureBlock(PdfDocument& doc, std::string_view heading, const std::vector<Signatory>& signatories,
                          std::string_view statement);

// A level 1 heading "Report manifest", the manifest as a key-value block and
// how to verify it (`verify_command`, e.g. "assay verify-report FILE.pdf --db WORKSPACE").
void RenderManifestSection(PdfDocument& doc, const ReportManifest& manifest, std::string_view verify_command);

// ---------------------------------------------------------------------------
// Small formatting helpers

// "2026-09-14" or "2026-09-14T10:00:00Z" -> "14 September 2026" (the time is
// dropped); anything unreadable is returned unchanged; "" -> "not recorded".
std::string LongDate(std::string_view iso);

// "14 September 2026 to 2 October 2026", "from 14 September 2026", ...
std::string DateRange(std::string_view start, std::string_view end);

// The newest ISO 8601 date (YYYY-MM-DD, time dropped) among `dates`, or ""
// when none is a date. For ReportManifest::data_as_of.
std::string NewestDate(const std::vector<std::string_view>& dates);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_REPORT_PARTS_H_
