// assay workspace copy SRC DEST: a whole workspace into a new one, between
// SQLite files and PostgreSQL databases in either direction.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "assay/store.h"
#include "commands.h"

namespace assay::cli {

namespace {

constexpr char kCopyHelp[] =
    "Copies every record, rating, event, key and seal of the workspace SRC into DEST, a new workspace:\n"
    "an SQLite file (which must not exist, or be empty) or an empty PostgreSQL database\n"
    "(postgresql://USER@HOST/DB). The rows are copied as they are, from one consistent state of SRC, in\n"
    "one transaction: the copy has the same workspace ID and the same hash-chained log, and is\n"
    "verified (its log, ending at SRC's head) before the command succeeds; its exports are byte for\n"
    "byte those of SRC. Nothing is left at DEST when the copy fails.\n"
    "Exit codes: 0 copied and verified, 3 DEST holds data or a bad URI, 4 no workspace at SRC,\n"
    "6 storage error (a server that cannot be reached), 7 the copy does not verify.";

// Removes the SQLite file `path` and its companions (a copy that failed).
void RemoveFile(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}

int RunCopy(const GlobalOptions& global, const std::string& src, const std::string& dest) {
  std::error_code ec;
  const bool dest_file = !IsServerLocation(dest);
  if (dest_file && std::filesystem::exists(dest, ec) &&
      (std::filesystem::is_directory(dest, ec) || std::filesystem::file_size(dest, ec) > 0))
    return Fail(Status::InvalidInput(dest + ": exists; a workspace is copied into a new one").About("file", dest));
  const bool created = dest_file && !std::filesystem::exists(dest, ec);
  GlobalOptions from = global, to = global;
  from.db = src;
  to.db = dest;
  std::unique_ptr<Session> a, b;
  Status s = OpenSession(from, false, &a);
  if (s.ok()) s = OpenSession(to, true, &b);
  CopyReport r;
  if (s.ok()) s = a->ws->CopyInto(b->ws.get(), &r);
  const std::string dest_name = b ? b->ws->path() : dest;
  b.reset();
  if (!s.ok()) {
    if (created) RemoveFile(dest);
    return Fail(s);
  }
  std::cout << "copied " << a->ws->path() << " to " << dest_name << ": " << r.events << " events, " << r.records
            << " records, " << r.ratings << " ratings, " << r.keys << " keys, " << r.seals << " seals"
            << (r.accounts > 0 ? ", " + std::to_string(r.accounts) + " account versions" : "")
            << (r.files > 0 ? ", " + std::to_string(r.files) + " kept files" : "") << "\n"
            << "verified: head event " << r.verified.head_seq << " " << r.verified.head_hash << "\n";
  return kExitOk;
}

}  // namespace

void AddWorkspaceCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  cmd->require_subcommand(1);
  CLI::App* copy = cmd->add_subcommand("copy", "Copy a whole workspace into a new one (SQLite or PostgreSQL), verified");
  copy->footer(kCopyHelp);
  auto src = std::make_shared<std::string>();
  auto dest = std::make_shared<std::string>();
  copy->add_option("SRC", *src, "The workspace to copy (a file, or a postgresql:// URI)")->required();
  copy->add_option("DEST", *dest, "The new workspace (a new file, or an empty PostgreSQL database)")->required();
  copy->callback([&global, exit_code, src, dest] { *exit_code = RunCopy(global, *src, *dest); });
}

}  // namespace assay::cli
