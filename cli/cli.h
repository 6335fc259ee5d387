// Shared pieces of the `assay` command line.
#ifndef ASSAY_CLI_CLI_H_
#define ASSAY_CLI_CLI_H_

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "assay/model_library.h"
#include "assay/status.h"

namespace assay::cli {

// Exit codes (documented in README.md and `assay --help`).
enum ExitCode {
  kExitOk = 0,
  kExitInternal = 1,
  kExitUsage = 2,
  kExitInvalidInput = 3,
  kExitNotFound = 4,
  kExitChecksFailed = 5,
  kExitStorage = 6,
  kExitCorruption = 7,
  kExitUnsupported = 8,
};

// Options every command can see.
struct GlobalOptions {
  std::vector<std::string> model_dirs;
  std::string db = "assay.db";  // the workspace: --db, else $ASSAY_DB, else ./assay.db
  bool color = false;  // decided from the terminal and NO_COLOR
};

// Prints "assay: <message>" on stderr and returns the status's exit code.
int Fail(const Status& status);

// Prints every diagnostic on stderr, one per line.
void PrintDiagnostics(const std::vector<Diagnostic>& diags);

// Builds and scans the model library. Prints problems of packs on stderr
// only when `verbose`.
Status OpenLibrary(const GlobalOptions& global, ModelLibrary* library);

// Registers `assay model ...`. The handler sets *exit_code.
void AddModelCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);

// Registers the workspace commands: `assay assessment ...`, `scope`, `unit`,
// `instance`, `person`, `interview`, `evidence`, `rate`, `log`, `import`,
// `export`. The handlers set *exit_code.
void AddAssessmentCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);

// Registers `assay profile`, `assay check` and `assay what-if`.
void AddResultsCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace assay::cli

#endif  // ASSAY_CLI_CLI_H_
