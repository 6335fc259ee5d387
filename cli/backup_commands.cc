// assay backup DEST: a consistent copy of a live workspace.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include "assay/store.h"
#include "commands.h"

namespace assay::cli {

namespace {

constexpr char kBackupHelp[] =
    "Copies the workspace with SQLite's online backup: one consistent state holding every committed\n"
    "write (those still in the write-ahead log too), taken while others read and write. The copy is\n"
    "checked (its log verifies) before it is put in place at DEST. Never copy a live workspace with\n"
    "cp: a copy of the file alone misses what is still in its -wal file.\n"
    "Exit codes: 0 copied, 3 DEST exists (without --force) or is not a regular file, 4 no workspace,\n"
    "6 storage error, 7 the copy does not verify.";

// Fills the temporary file `temp` with a backup of `ws` and verifies it.
Status BackupInto(Workspace* ws, const std::string& temp, VerifyReport* verified) {
  ASSAY_RETURN_IF_ERROR(ws->Backup(temp));
  WorkspaceOptions o;
  o.create_if_missing = false;
  o.read_only = true;
  std::unique_ptr<Workspace> copy;
  ASSAY_RETURN_IF_ERROR(Workspace::Open(temp, o, &copy));
  return copy->VerifyLog(verified);
}

int RunBackup(const GlobalOptions& global, const std::string& dest, bool force) {
  VerifyReport verified;
  int code = WithSession(global, false, [&](Workspace& ws) {
    // The temporary file holds SQLite's own file: it is written by path, so
    // the descriptor is only kept open for the mode and fsync.
    return WriteOutputWith(dest, force, [&](int fd, const std::string& temp) {
      Status s = BackupInto(&ws, temp, &verified);
      if (s.ok() && ::fsync(fd) != 0) s = Status::IOError(dest + ": cannot sync the copy");
      for (const char* suffix : {"-wal", "-shm", "-journal"}) ::unlink((temp + suffix).c_str());
      return s;
    });
  });
  if (code == kExitOk)
    std::cerr << "backup: " << dest << ": " << verified.events << " events and " << verified.records
              << " records, verified; head event " << verified.head_seq << " " << verified.head_hash << "\n";
  return code;
}

}  // namespace

void AddBackupCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  cmd->footer(kBackupHelp);
  auto dest = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  cmd->add_option("DEST", *dest, "The copy to write (a new file, or a regular file with --force)")->required();
  cmd->add_flag("--force", *force, "Replace DEST when it is a regular file");
  cmd->callback([&global, exit_code, dest, force] { *exit_code = RunBackup(global, *dest, *force); });
}

}  // namespace assay::cli
