// assay: certification audit and process-assessment engine.
// The executable is the engine library plus this command line.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli.h"

namespace assay::cli {

int Fail(const Status& status) {
  std::cerr << "assay: " << status.message() << "\n";
  return status.ExitCode();
}

void PrintDiagnostics(const std::vector<Diagnostic>& diags) {
  for (const Diagnostic& d : diags) std::cerr << d.ToString() << "\n";
}

Status OpenLibrary(const GlobalOptions& global, ModelLibrary* library) {
  *library = ModelLibrary(global.model_dirs);
  return library->Scan();
}

}  // namespace assay::cli

namespace {

const char* kExitCodesHelp =
    "Exit codes: 0 success, 1 internal error, 2 usage error, 3 invalid input,\n"
    "4 not found, 5 checks failed, 6 storage or I/O error, 7 corruption,\n"
    "8 unsupported (e.g. a workspace from a newer assay).";

}  // namespace

int main(int argc, char** argv) {
  using namespace assay::cli;
  CLI::App app{"assay: process capability assessments (ISO/IEC 33020 style) and ISO/IEC 20000-1 certification audits"};
  app.footer(kExitCodesHelp);
  app.set_version_flag("--version", std::string("assay ") + ASSAY_VERSION);
  app.require_subcommand(1);

  GlobalOptions global;
  app.add_option("--models", global.model_dirs, "Extra directory of model packs (repeatable); also $ASSAY_MODELS")
      ->check(CLI::ExistingDirectory);
  if (const char* env_db = std::getenv("ASSAY_DB"); env_db && *env_db) global.db = env_db;
  app.add_option("--db", global.db, "Workspace file (default ./assay.db; also $ASSAY_DB)");
  const char* no_color = std::getenv("NO_COLOR");
  global.color = isatty(STDOUT_FILENO) && !(no_color && *no_color);

  int exit_code = kExitOk;
  AddModelCommands(app, global, &exit_code);
  AddAssessmentCommands(app, global, &exit_code);
  AddResultsCommands(app, global, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "assay: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return exit_code;
}
