// Fuzzes the CSV import of the workspace (Workspace::ImportText), with and
// without dry_run; see import_harness.h for the workspace and the contracts.
// The format is decided by content, so the harnesses differ in their seed
// corpora (fuzz/corpus/csv_import) and the file name used in messages. The
// seeds include XLSX rating workbooks (a zip archive is read as one), so
// this harness reaches the workbook reader (libzip, expat) too.
#include "import_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return assay::fuzz::ImportOne(data, size, "fuzz.csv");
}
