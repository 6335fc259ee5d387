// Fuzzes opening a workspace file from outside (a colleague's assay.db, a
// file restored from a backup): the bytes are written to a temp file, then
// Workspace::Open, ListAssessments, and for each assessment ReadSnapshot,
// ReadLog and Export, and VerifyLog over the whole file.
// Seeds: fuzz/corpus/workspace_file/*.sqlite (a current workspace and the
// version-1 fixture; small, journal mode DELETE so each file is complete; not
// named *.db, which .gitignore leaves out).
//
// Contracts besides "no crash": a failure carries a message; a file that
// opens is a workspace of a known schema version; VerifyLog either passes or
// reports Corruption (or IOError/InvalidInput for damage SQLite sees first),
// never another code; an Export of a readable assessment is non-empty JSON.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assay;
  const std::string& path = fuzz::WriteTempFile(data, size, ".db");
  for (const char* suffix : {"-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());

  WorkspaceOptions options;
  options.actor = "fuzz";
  options.create_if_missing = false;
  options.busy_timeout_ms = 0;
  options.clock = [] { return std::string("2026-11-24T12:00:00Z"); };
  options.resolve_model = fuzz::CachedResolver();
  std::unique_ptr<Workspace> ws;
  Status s = Workspace::Open(path, options, &ws);
  if (!s.ok()) {
    FUZZ_CHECK(!s.message().empty(), "Open failed without a message");
    return 0;
  }
  FUZZ_CHECK(ws != nullptr, "Open succeeded without a workspace");
  FUZZ_CHECK(ws->schema_version() >= 1 && ws->schema_version() <= Workspace::kSchemaVersion,
             "schema version " + std::to_string(ws->schema_version()));

  VerifyReport report;
  s = ws->VerifyLog(&report);
  FUZZ_CHECK(s.ok() || !s.message().empty(), "VerifyLog failed without a message");
  FUZZ_CHECK(s.ok() || s.code() == Status::Code::kCorruption || s.code() == Status::Code::kIOError ||
                 s.code() == Status::Code::kInvalidInput,
             "VerifyLog: " + s.ToString());

  std::vector<Assessment> assessments;
  if (!ws->ListAssessments(&assessments).ok()) return 0;
  for (const Assessment& a : assessments) {
    AssessmentData snapshot;
    (void)ws->ReadSnapshot(a.id, &snapshot);
    std::vector<Event> events;
    (void)ws->ReadLog(a.id, &events);
    std::string json;
    if (ws->Export(a.id, &json).ok()) FUZZ_CHECK(!json.empty() && json[0] == '{', "Export gave no JSON object");
  }
  return 0;
}
