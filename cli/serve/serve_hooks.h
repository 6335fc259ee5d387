// What `assay serve` (cli/serve/) needs from the rest of the command line,
// kept out of cli.h so that the other commands do not depend on it.
#ifndef ASSAY_CLI_SERVE_SERVE_HOOKS_H_
#define ASSAY_CLI_SERVE_SERVE_HOOKS_H_

#include <memory>
#include <string>

#include "../cli.h"

namespace assay::cli {

// Another connection to the session's workspace (--db) that records `actor`
// in the events it writes (the person acting in the browser); it loads
// pinned models through the session's cache (session.cc). With `user` (a
// workspace with accounts, the signed-in account) the engine checks every
// write against that account's roles, and the account is the actor.
Status OpenWorkspaceAs(Session* session, const GlobalOptions& global, bool create, const std::string& actor,
                       std::unique_ptr<Workspace>* out, const std::string& user = "");

// The assessment report of `id` as of the head of the log, as `format`
// ("pdf" on A4, "json" or "csv"), made exactly as `assay report` makes it
// (report_commands.cc).
Status AssessmentReportNow(Session* session, const GlobalOptions& global, const std::string& id,
                           const std::string& format, std::string* bytes);

// The `serve` entry of the command table (serve/server.cc).
void AddServeCommand(CLI::App* command, const GlobalOptions& global, int* exit_code);

}  // namespace assay::cli

#endif  // ASSAY_CLI_SERVE_SERVE_HOOKS_H_
