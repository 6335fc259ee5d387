// The entries of the command table (main.cc kCommands) and what the command
// files share.
//
// Each top-level command of `assay` is one row of kCommands: its name, its
// one-line help and the function below that fills in the subcommand main.cc
// created for it (options, sub-subcommands, the callback). A callback sets
// *exit_code. One file per command group:
//   model_commands.cc       model
//   assessment_commands.cc  assessment (new, list, show, status, set)
//   record_commands.cc      scope, unit, instance, person, interview add, evidence add
//   trace_commands.cc       interview and evidence list|show, trace
//   rate_commands.cc        rate
//   team_commands.cc        disagreements, consolidate, handout, merge
//   log_commands.cc         log [verify]
//   backup_commands.cc      backup
//   workspace_commands.cc   workspace copy
//   transfer_commands.cc    import, export
//   results_commands.cc     profile, check, what-if
//   report_commands.cc      report, verify-report, demo
//   audit_commands.cc       audit
//   completion_commands.cc  completion, man (hidden): written from this table
//   key_commands.cc         key (new, verify); --sign of report
//   user_commands.cc        user (add, list, passwd, disable, roles): accounts
#ifndef ASSAY_CLI_COMMANDS_H_
#define ASSAY_CLI_COMMANDS_H_

#include <iostream>
#include <memory>
#include <string>

#include "cli.h"

namespace assay::cli {

// The signature of a table entry's function.
using AddCommandFn = void (*)(CLI::App* command, const GlobalOptions& global, int* exit_code);

void AddModelCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddAssessmentCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddScopeCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddUnitCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddInstanceCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddPersonCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddInterviewCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddEvidenceCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddRateCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddWithdrawCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);  // record_commands.cc
// team_commands.cc: disagreements, consolidate, handout, merge.
void AddDisagreementsCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddConsolidateCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddHandoutCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddMergeCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddLogCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddBackupCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddWorkspaceCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);  // workspace_commands.cc
void AddImportCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddExportCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddProfileCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddTrendCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);  // trend_commands.cc
void AddPortfolioCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);  // trend_commands.cc
void AddCheckCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddWhatIfCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddReportCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddVerifyReportCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddDemoCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddAuditCommands(CLI::App* command, const GlobalOptions& global, int* exit_code);  // audit_commands.cc
void AddCompletionCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddManCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);  // hidden
void AddKeyCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);     // key_commands.cc
void AddUserCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);    // user_commands.cc
// trace_commands.cc: `add` (record_commands.cc) plus `list` and `show`; trace.
void AddInterviewCommands(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddEvidenceCommands(CLI::App* command, const GlobalOptions& global, int* exit_code);
void AddTraceCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);
// trace_commands.cc: person register|list|show (the workspace's registry).
void AddPersonRegistryCommands(CLI::App* command, const GlobalOptions& global, int* exit_code);

// Runs `body(Workspace&)` on an opened session (created when `create`);
// maps its status to an exit code (Fail() prints the error).
template <typename F>
int WithSession(const GlobalOptions& global, bool create, F body) {
  std::unique_ptr<Session> session;
  Status s = OpenSession(global, create, &session);
  if (!s.ok()) return Fail(s);
  s = body(*session->ws);
  return s.ok() ? kExitOk : Fail(s);
}

// A record write on the picked assessment (`assessment`, else the most
// recent): put(ws, id, &result); prints "<what>: added" (or what Done() says).
template <typename F>
int WriteRecord(const GlobalOptions& global, const std::string& assessment, const std::string& what, F put) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::string id;
    ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, assessment, &id));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(put(ws, id, &r));
    std::cerr << what << ": " << Done(r) << "\n";
    return Status::OK();
  });
}

// Adds -a/--assessment ("Assessment ID (default: the most recent)") to `cmd`.
void AddAssessmentOption(CLI::App* cmd, std::string* target);

}  // namespace assay::cli

#endif  // ASSAY_CLI_COMMANDS_H_
