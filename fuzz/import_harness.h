// The body of the JSON and CSV import harnesses (json_import_fuzzer.cc,
// csv_import_fuzzer.cc): Workspace::ImportText on an in-memory workspace
// that already holds assessment A1 (itsm-20000, collecting; RES.1 and RES.2
// in scope; unit EU; instances RES.1/EU and RES.2/EU; people ada (lead
// assessor), cy (assessor), bob (interviewee); interview I-1; evidence EV-1).
//
// Each input is imported with dry_run into one long-lived workspace; a dry
// run must not write (the log head stays where it was). When the dry run
// succeeds, the input is imported for real into a fresh copy of the same
// workspace: that must succeed with the same counts, and the log must verify.
#ifndef ASSAY_FUZZ_IMPORT_HARNESS_H_
#define ASSAY_FUZZ_IMPORT_HARNESS_H_

#include <cstddef>
#include <cstdint>

#include "fuzz_util.h"

namespace assay::fuzz {

inline constexpr const char kBaseAssessment[] = R"({
  "format": "assay-assessment/1",
  "assessment": {"id": "A1", "title": "Service desk capability", "organization": "ACME", "sponsor": "ada",
                 "purpose": "improvement", "independence": "B", "model": {"id": "itsm-20000"},
                 "status": "collecting"},
  "scope": [{"process": "RES.1", "target_level": 2}, {"process": "RES.2", "target_level": 1}],
  "units": [{"id": "EU", "name": "Europe", "description": "Service desk Europe"}],
  "instances": [{"id": "RES.1/EU", "process": "RES.1", "name": "Incidents EU", "unit": "EU", "weight": 2},
                {"id": "RES.2/EU", "process": "RES.2", "name": "Requests EU", "unit": "EU", "weight": 1}],
  "people": [{"id": "ada", "name": "Ada L.", "organization": "Assessors Ltd", "roles": ["lead-assessor"]},
             {"id": "cy", "name": "Cy P.", "organization": "Assessors Ltd", "roles": ["assessor"]},
             {"id": "bob", "name": "Bob M.", "organization": "ACME", "roles": ["interviewee"]}],
  "interviews": [{"id": "I-1", "held_at": "2026-11-23T09:00:00Z", "interviewers": ["ada"], "interviewees": ["bob"]}],
  "evidence": [{"id": "EV-1", "kind": "document", "reference": "DOC-17", "collected_by": "ada"}]
})";

inline std::unique_ptr<Workspace> BaseWorkspace() {
  WorkspaceOptions options;
  options.actor = "fuzz";
  options.clock = [] { return std::string("2026-11-24T12:00:00Z"); };
  options.resolve_model = CachedResolver();
  std::unique_ptr<Workspace> ws;
  Status s = Workspace::Open(":memory:", options, &ws);
  FUZZ_CHECK(s.ok(), s.ToString());
  ImportReport report;
  s = ws->ImportText(kBaseAssessment, "base.json", ImportOptions(), &report);
  std::string problems;
  for (const Diagnostic& d : report.problems) problems += "\n" + d.ToString();
  FUZZ_CHECK(s.ok(), s.ToString() + problems);
  return ws;
}

inline int64_t LogHead(Workspace* ws) {
  VerifyReport v;
  Status s = ws->VerifyLog(&v);
  FUZZ_CHECK(s.ok(), s.ToString());
  return v.head_seq;
}

inline int ImportOne(const uint8_t* data, size_t size, const std::string& name) {
  static std::unique_ptr<Workspace> dry = BaseWorkspace();
  static const int64_t head = LogHead(dry.get());
  const std::string text(reinterpret_cast<const char*>(data), size);

  ImportOptions options;
  options.default_assessment = "A1";
  options.dry_run = true;
  ImportReport dry_report;
  Status s = dry->ImportText(text, name, options, &dry_report);
  if (!dry_report.problems.empty()) FUZZ_CHECK(!s.ok(), "problems reported, but the import succeeded");
  if (s.code() == Status::Code::kInvalidInput) FUZZ_CHECK(!dry_report.problems.empty(), "no problem: " + s.ToString());
  FUZZ_CHECK(LogHead(dry.get()) == head, "a dry run wrote to the log");
  // ASSAY_FUZZ_VERBOSE=1 prints each outcome (to check the seeds).
  static const bool verbose = std::getenv("ASSAY_FUZZ_VERBOSE") != nullptr;
  if (verbose) {
    std::fprintf(stderr, "import: %s (created %d, updated %d, unchanged %d)\n", s.ToString().c_str(),
                 dry_report.created, dry_report.updated, dry_report.unchanged);
    for (const Diagnostic& d : dry_report.problems) std::fprintf(stderr, "  %s\n", d.ToString().c_str());
  }
  if (!s.ok()) return 0;

  std::unique_ptr<Workspace> ws = BaseWorkspace();
  options.dry_run = false;
  ImportReport report;
  s = ws->ImportText(text, name, options, &report);
  std::string problems;
  for (const Diagnostic& d : report.problems) problems += "\n" + d.ToString();
  FUZZ_CHECK(s.ok(), "the dry run passed, the import failed: " + s.ToString() + problems);
  FUZZ_CHECK(report.created == dry_report.created && report.updated == dry_report.updated &&
                 report.unchanged == dry_report.unchanged,
             "dry run and import counted differently");
  LogHead(ws.get());  // verifies the log
  return 0;
}

}  // namespace assay::fuzz

#endif  // ASSAY_FUZZ_IMPORT_HARNESS_H_
