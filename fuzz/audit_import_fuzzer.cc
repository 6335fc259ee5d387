// Fuzzes the audit history import (`assay audit import`,
// AuditStore::ImportText, schemas/audit.schema.json "assay-audit/1") with the
// bundled requirement catalogue iso20000-1-2018 checking clause numbers, on
// :memory: workspaces that hold assessment A1 of import_harness.h (so an
// audit may link it).
//
// Contracts besides "no crash":
//  - a dry run into one long-lived workspace never writes (the log head stays);
//  - problems listed <=> the import failed; InvalidInput => problems listed;
//    every problem names the file;
//  - dry run passes => the real import into a fresh copy passes with the same
//    created/updated/unchanged counts, and the log verifies;
//  - importing the same input again changes nothing (all records unchanged);
//  - the export of the imported client imports into another fresh copy, and
//    exporting that gives the same bytes (the round trip of audit_store.h).
// Seeds: fuzz/corpus/audit_import (the bundled example, linked to A1 and as
// shipped, and smaller histories cut from it).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "assay/audit_store.h"
#include "assay/audit.h"
#include "import_harness.h"

namespace {

using namespace assay;

const Catalogue* TheCatalogue() {
  static const std::shared_ptr<const Catalogue> catalogue = [] {
    std::shared_ptr<const Catalogue> c;
    std::vector<Diagnostic> diags;
    Status s = LoadCatalogue("iso20000-1-2018", fuzz::Library().search_dirs(), &c, &diags);
    FUZZ_CHECK(s.ok(), s.ToString());
    return c;
  }();
  return catalogue.get();
}

std::string Problems(const ImportReport& report) {
  std::string out;
  for (const Diagnostic& d : report.problems) out += "\n" + d.ToString();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<Workspace> dry = fuzz::BaseWorkspace();
  static const int64_t head = fuzz::LogHead(dry.get());
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string name = "audit.json";

  AuditImportReport dry_report;
  Status s = AuditStore(dry.get(), TheCatalogue()).ImportText(text, name, /*dry_run=*/true, &dry_report);
  if (!dry_report.problems.empty()) FUZZ_CHECK(!s.ok(), "problems reported, but the import succeeded");
  if (s.code() == Status::Code::kInvalidInput) FUZZ_CHECK(!dry_report.problems.empty(), "no problem: " + s.ToString());
  for (const Diagnostic& d : dry_report.problems) FUZZ_CHECK(d.file == name, "a problem without the file: " + d.ToString());
  FUZZ_CHECK(fuzz::LogHead(dry.get()) == head, "a dry run wrote to the log");
  static const bool verbose = std::getenv("ASSAY_FUZZ_VERBOSE") != nullptr;
  if (verbose) {
    std::fprintf(stderr, "audit import: %s (created %d, updated %d, unchanged %d)%s\n", s.ToString().c_str(),
                 dry_report.created, dry_report.updated, dry_report.unchanged, Problems(dry_report).c_str());
  }
  if (!s.ok()) return 0;

  // The real import into a fresh copy: same outcome as the dry run.
  std::unique_ptr<Workspace> ws = fuzz::BaseWorkspace();
  AuditStore store(ws.get(), TheCatalogue());
  AuditImportReport report;
  s = store.ImportText(text, name, /*dry_run=*/false, &report);
  FUZZ_CHECK(s.ok(), "the dry run passed, the import failed: " + s.ToString() + Problems(report));
  FUZZ_CHECK(report.created == dry_report.created && report.updated == dry_report.updated &&
                 report.unchanged == dry_report.unchanged,
             "dry run and import counted differently");
  const int64_t imported_head = fuzz::LogHead(ws.get());  // verifies the log

  // Importing the same file again changes nothing.
  AuditImportReport again;
  s = store.ImportText(text, name, /*dry_run=*/false, &again);
  FUZZ_CHECK(s.ok(), "a second import failed: " + s.ToString() + Problems(again));
  FUZZ_CHECK(again.created == 0 && again.updated == 0, "a second import changed records: created " +
                                                           std::to_string(again.created) + ", updated " +
                                                           std::to_string(again.updated));
  FUZZ_CHECK(fuzz::LogHead(ws.get()) == imported_head, "a second import wrote to the log");

  // Export -> import into a fresh copy -> export gives the same bytes.
  std::string exported;
  s = store.Export(report.assessment, &exported);
  FUZZ_CHECK(s.ok(), "cannot export the imported client '" + report.assessment + "': " + s.ToString());
  std::unique_ptr<Workspace> copy = fuzz::BaseWorkspace();
  AuditStore copy_store(copy.get(), TheCatalogue());
  AuditImportReport round;
  s = copy_store.ImportText(exported, "export.json", /*dry_run=*/false, &round);
  FUZZ_CHECK(s.ok(), "the export does not import: " + s.ToString() + Problems(round));
  std::string exported_again;
  s = copy_store.Export(report.assessment, &exported_again);
  FUZZ_CHECK(s.ok(), "cannot export after the round trip: " + s.ToString());
  FUZZ_CHECK(exported == exported_again, "export -> import -> export changed the bytes");
  return 0;
}
