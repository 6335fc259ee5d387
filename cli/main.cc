// assay: certification audit and process-assessment engine.
// The executable is the engine library plus this command line.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "commands.h"
#include "heap.h"
#include "progress.h"
#include "serve/serve_hooks.h"
#include "terminal.h"

namespace assay::cli {

int ExitCodeOf(Status::Code code) {
  // The one table of exit codes (README.md, `assay --help`).
  switch (code) {
    case Status::Code::kOk: return kExitOk;
    case Status::Code::kInvalidInput: return kExitInvalidInput;
    case Status::Code::kNotFound: return kExitNotFound;
    case Status::Code::kChecksFailed: return kExitChecksFailed;
    case Status::Code::kIOError: return kExitStorage;
    case Status::Code::kCorruption: return kExitCorruption;
    case Status::Code::kUnsupported: return kExitUnsupported;
    case Status::Code::kPermissionDenied: return kExitPermissionDenied;
    case Status::Code::kConflict: return kExitConflict;
  }
  return kExitInternal;
}

int Fail(const Status& status) {
  std::cerr << "assay: " << DisplaySafe(status.message() + Hint(status)) << "\n";
  return ExitCodeOf(status.code());
}

void PrintDiagnostics(const std::vector<Diagnostic>& diags) {
  for (const Diagnostic& d : diags) std::cerr << d.ToString() << "\n";
}

ModelLibrary MakeLibrary(const GlobalOptions& global) {
  std::vector<std::string> dirs = global.model_dirs;
  dirs.insert(dirs.end(), global.env_model_dirs.begin(), global.env_model_dirs.end());
  return ModelLibrary(std::move(dirs), global.bundled_models);
}

Status OpenLibrary(const GlobalOptions& global, ModelLibrary* library) {
  *library = MakeLibrary(global);
  return library->Scan();
}

namespace {

// The entries of a colon-separated list of directories ($PATH style); empty
// entries are left out.
std::vector<std::string> SplitDirList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(':', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The bundled model packs: PREFIX/share/assay/models when this executable
// runs as PREFIX/bin/assay (installed) and that directory exists, else the
// source tree's models/ (running from the build tree).
std::string BundledModelsDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = (exe.parent_path() / ASSAY_INSTALL_DATA_FROM_BIN / "models").lexically_normal();
    if (fs::is_directory(installed, ec)) return installed.string();
  }
  return ModelLibrary::BuildTreeModelsDir();
}

// The value of environment variable `name`, or "" when unset.
std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

}  // namespace

void ReadEnvironment(GlobalOptions* global) {
  if (std::string db = Env("ASSAY_DB"); !db.empty()) global->db = db;
  global->env_model_dirs = SplitDirList(Env("ASSAY_MODELS"));
  global->bundled_models = BundledModelsDir();
  global->font_dir = Env("ASSAY_FONT_DIR");
  global->color = isatty(STDOUT_FILENO) && Env("NO_COLOR").empty();
  global->progress = isatty(STDERR_FILENO) && Env("TERM") != "dumb";
  global->user = Env("ASSAY_USER");
}

}  // namespace assay::cli

namespace {

// The command table, in the manner of ninja's kTools[]: each top-level
// command's name, its one-line help and the function (commands.h) that
// fills in its options, subcommands and callback. `assay --help` lists the
// commands in this order.
struct Command {
  const char* name;
  const char* help;
  assay::cli::AddCommandFn add;
  // Runs until stopped (a server): the allocator stays as it is, giving
  // memory back (PrepareHeapForOneCommand is for commands that exit).
  bool long_running = false;
};

const Command kCommands[] = {
    {"model", "List, show, check and draw process assessment models", assay::cli::AddModelCommand},
    {"assessment", "Create, list, show assessments and move their status", assay::cli::AddAssessmentCommand},
    {"scope", "Processes in the assessment's scope", assay::cli::AddScopeCommand},
    {"unit", "Organizational units", assay::cli::AddUnitCommand},
    {"instance", "Process instances", assay::cli::AddInstanceCommand},
    {"person", "Team and participants", assay::cli::AddPersonCommand},
    {"interview", "Interviews", assay::cli::AddInterviewCommands},
    {"evidence", "Evidence items", assay::cli::AddEvidenceCommands},
    {"rate", "Record one rating (a new version if the item was rated before)", assay::cli::AddRateCommand},
    {"withdraw", "Withdraw a rating, evidence item, instance or person entered by mistake (a tombstone, nothing deleted)",
     assay::cli::AddWithdrawCommand},
    {"disagreements", "Items the assessors rated differently, with each value, statement and evidence",
     assay::cli::AddDisagreementsCommand},
    {"consolidate", "Record the team's agreed rating of an item, with its rationale", assay::cli::AddConsolidateCommand},
    {"handout", "Write a workspace for one assessor to work on offline (merge brings it back)",
     assay::cli::AddHandoutCommand},
    {"merge", "Bring back hand-outs: every change with its author and time; conflicts kept as disagreements",
     assay::cli::AddMergeCommand},
    {"trace", "What an evidence item supports, or what backs a process attribute", assay::cli::AddTraceCommand},
    {"log", "Show who changed what, when (the hash-chained event log)", assay::cli::AddLogCommand},
    {"backup", "Copy the workspace safely while it is in use (SQLite's online backup), verified",
     assay::cli::AddBackupCommand},
    {"workspace", "Copy a whole workspace into a new one: SQLite and PostgreSQL either way, verified",
     assay::cli::AddWorkspaceCommand},
    {"import", "Import an assessment or ratings (JSON, or CSV ratings); all or nothing", assay::cli::AddImportCommand},
    {"export", "Write an assessment as JSON that imports into an identical one", assay::cli::AddExportCommand},
    {"profile", "Capability profile: attribute ratings, levels, gaps, maturity", assay::cli::AddProfileCommand},
    {"trend", "One organization's assessments side by side: levels, changes, gaps", assay::cli::AddTrendCommand},
    {"portfolio", "Every organization's latest levels per process: table, heat map (PDF, SVG), JSON, CSV",
     assay::cli::AddPortfolioCommand},
    {"check", "Check an assessment before reporting; exit 5 when a check fails", assay::cli::AddCheckCommand},
    {"what-if", "The profile with ratings changed; nothing is written", assay::cli::AddWhatIfCommand},
    {"report", "The assessment report: PDF, or the same content as JSON or CSV", assay::cli::AddReportCommand},
    {"verify-report", "Check that a report PDF matches the workspace: prints match (exit 0) or no match (exit 7)",
     assay::cli::AddVerifyReportCommand},
    {"demo", "Import the bundled example into a fresh workspace, show its profile and checks, write its report",
     assay::cli::AddDemoCommand},
    {"audit", "ISO/IEC 20000-1 certification audits: clients, audits, findings, nonconformities, decisions",
     assay::cli::AddAuditCommands},
    {"key", "Ed25519 signing keys (minisign's format): create, register and list keys; verify a signed file",
     assay::cli::AddKeyCommand},
    {"user", "Accounts of a shared workspace: add, list, passwd, disable, roles (docs/ACCOUNTS.md)",
     assay::cli::AddUserCommand},
    {"serve", "The browser front end: a local web app and JSON API over this workspace (docs/API.md)",
     assay::cli::AddServeCommand, /*long_running=*/true},
    {"completion", "Print the bash or zsh completion script", assay::cli::AddCompletionCommand},
    {"man", "", assay::cli::AddManCommand},  // hidden: writes the manual page assay(1) for the build
};

const char* kExitCodesHelp =
    "Exit codes: 0 success, 1 internal error, 2 usage error, 3 invalid input,\n"
    "4 not found, 5 checks failed, 6 storage or I/O error, 7 corruption,\n"
    "8 unsupported (e.g. a workspace from a newer assay), 9 permission denied\n"
    "(a workspace with accounts: the --user may not do this; docs/ACCOUNTS.md),\n"
    "10 conflict (a write based on a version someone else changed meanwhile).";

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
  ReadEnvironment(&global);
  if (global.progress) ProgressBar::GuardStderr();
  GuardTerminalOutput();
  app.add_option("--db", global.db, "Workspace file (default ./assay.db; also $ASSAY_DB)");
  app.add_option("--user", global.user,
                 "The account to act as in a workspace with accounts (also $ASSAY_USER; docs/ACCOUNTS.md)");
  app.add_option("--login-password-file", global.login_password_file,
                 "Read --user's password from the first line of FILE (- for stdin; default: a prompt)");

  int exit_code = kExitOk;
  for (const Command& command : kCommands) {
    CLI::App* sub = app.add_subcommand(command.name, command.help);
    if (!command.long_running) sub->preparse_callback([](std::size_t) { PrepareHeapForOneCommand(); });
    command.add(sub, global, &exit_code);
  }

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
