// assay import | export: an assessment (or ratings) in, an assessment out.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "assay/store.h"
#include "assay/reports/ratings_csv.h"
#include "assay/reports/xlsx.h"
#include "assay/text.h"
#include "cli.h"
#include "commands.h"
#include "progress.h"

namespace assay::cli {

namespace {

// ---- import / export ----------------------------------------------------------

// The import size limit: $ASSAY_IMPORT_MAX_MB (MiB) raises it for bulk CSV
// loads (a JSON document keeps its 64 MiB limit).
Status ImportLimit(uint64_t* max_bytes) {
  *max_bytes = JsonLimits().max_bytes;
  const char* env = std::getenv("ASSAY_IMPORT_MAX_MB");
  if (!env || !*env) return Status::OK();
  char* end = nullptr;
  unsigned long long mb = std::strtoull(env, &end, 10);
  if (*end != '\0' || mb == 0 || mb > (1ull << 20))
    return Status::InvalidInput(std::string("ASSAY_IMPORT_MAX_MB='") + env +
                                "': expected a number of MiB from 1 to 1048576");
  *max_bytes = static_cast<uint64_t>(mb) << 20;
  return Status::OK();
}

// `import --template csv`: the fixed example, or with -a the rows of that
// assessment's instances and items to fill in.
int RunTemplate(const GlobalOptions& global, const std::string& assessment) {
  if (assessment.empty()) {
    std::cout << CsvTemplate();
    return kExitOk;
  }
  Loaded loaded;
  Status s = LoadAssessment(global, assessment, &loaded);
  if (!s.ok()) return Fail(s);
  std::cout << reports::RatingsCsvTemplate(*loaded.model, loaded.data);
  return kExitOk;
}

// The summary's note on how a CSV file was read, when not plainly.
std::string ReadAsNote(const ImportReport& report, const std::string& encoding) {
  std::string note;
  if (report.csv_separator == ";") note = "fields separated by ';'";
  if (report.csv_separator == "\t") note = "fields separated by tabs";
  if (!encoding.empty() && encoding != "utf-8") note += (note.empty() ? "read as " : ", read as ") + encoding;
  return note.empty() ? "" : " (" + note + ")";
}

int RunImport(const GlobalOptions& global, const std::string& file, const std::string& assessment, bool dry_run,
              const std::string& template_format, const std::string& encoding) {
  if (!template_format.empty()) return RunTemplate(global, assessment);
  if (file.empty()) return Fail(Status::InvalidInput("give a FILE to import, or --template csv"));
  ImportOptions o;
  o.encoding = encoding;
  Status limit = ImportLimit(&o.max_bytes);
  if (!limit.ok()) return Fail(limit);
  // A dry run never creates the workspace: without one it checks against an
  // empty in-memory workspace.
  GlobalOptions g = global;
  std::error_code ec;
  if (dry_run && !IsServerLocation(g.db) && !std::filesystem::exists(g.db, ec)) g.db = ":memory:";
  return WithSession(g, !dry_run || g.db == ":memory:", [&](Workspace& ws) {
    o.dry_run = dry_run;
    o.default_assessment = assessment;
    o.expect_assessment = assessment;  // -a: a file about another assessment is refused
    if (o.default_assessment.empty()) {
      std::string latest;
      if (ws.LatestAssessment(&latest).ok()) o.default_assessment = latest;
    }
    ProgressBar bar("import", global.progress);
    o.progress = bar.Callback();
    ImportReport report;
    Status s = ws.Import(file, o, &report);
    bar.Clear();
    if (!report.suggested_encoding.empty() && !report.problems.empty())
      report.problems.front().message += "; import it with --encoding " + report.suggested_encoding;
    PrintDiagnostics(report.problems);
    if (report.more_problems > 0)
      std::cerr << "assay: ... and " << report.more_problems << " more problem"
                << (report.more_problems == 1 ? "" : "s") << " (the first " << report.problems.size()
                << " are listed)\n";
    if (!s.ok() && s.subject().reason == "too-large" && o.max_bytes == JsonLimits().max_bytes)
      return Status::InvalidInput(s.message() + " (raise the limit for a CSV with ASSAY_IMPORT_MAX_MB)");
    if (!s.ok()) return s;
    std::cerr << (dry_run ? "dry run, nothing written: " : "imported into ") << report.assessment << ": "
              << report.created << " created, " << report.updated << " updated, " << report.unchanged
              << " unchanged" << ReadAsNote(report, encoding) << "\n";
    return Status::OK();
  });
}

// The rating workbook (reports/xlsx.h): to a file only, never to a terminal.
int RunExportXlsx(const GlobalOptions& global, const std::string& given, const std::string& out_path, bool force,
                  const std::string& assessor) {
  if (out_path.empty() || out_path == "-")
    return Fail(Status::InvalidInput("--format xlsx needs --out FILE (a workbook is not written to stdout)"));
  ProgressBar bar("export", global.progress);  // in its three steps
  bar.Update(0, 3, "reading the snapshot");
  Loaded loaded;
  Status s = LoadAssessment(global, given, &loaded);
  if (!s.ok()) return Fail(s);
  if (!assessor.empty()) {
    std::vector<std::string> ids;
    for (const Person& p : loaded.data.people) ids.push_back(p.id);
    if (std::find(ids.begin(), ids.end(), assessor) == ids.end())
      return Fail(Status::NotFound("unknown person '" + assessor + "' in " + loaded.data.assessment.id +
                                   SuggestionSuffix(assessor, ids))
                      .About("person", assessor, NearestIds(assessor, ids)));
  }
  RatingResults results;
  ComputeOptions compute;
  compute.sensitivity = false;
  s = ComputeResults(*loaded.model, *loaded.graph, loaded.data, &results, compute);
  if (!s.ok()) return Fail(s);
  reports::WorkbookOptions options;
  options.assessor = assessor;
  bar.Update(1, 3, "rendering");
  std::string bytes;
  s = reports::RatingWorkbook(*loaded.model, loaded.data, results, options, &bytes);
  bar.Update(2, 3, "writing");
  if (s.ok()) s = WriteOutputFile(out_path, bytes, force);
  if (!s.ok()) return Fail(s);
  bar.Clear();
  std::cerr << "wrote " << out_path << " (rating workbook of " << loaded.data.assessment.id << ", "
            << loaded.data.scope.size() << " process sheets)\n";
  return kExitOk;
}

int RunExport(const GlobalOptions& global, const std::string& given, const std::string& out_path, bool force,
              const std::string& format, const std::string& assessor) {
  if (format == "xlsx") return RunExportXlsx(global, given, out_path, force, assessor);
  if (!assessor.empty()) return Fail(Status::InvalidInput("--assessor applies to --format xlsx only"));
  const bool csv = format == "csv";
  return WithSession(global, false, [&](Workspace& ws) {
    std::string id;
    ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, given, &id));
    ProgressBar bar("export", global.progress);  // in its two steps
    bar.Update(0, 2, "reading");
    std::string text;
    if (csv) {
      AssessmentData data;
      ASSAY_RETURN_IF_ERROR(ws.ReadSnapshot(id, &data));
      text = reports::RatingsCsv(data);
    } else {
      ASSAY_RETURN_IF_ERROR(ws.Export(id, &text));
    }
    bar.Update(1, 2, "writing");
    if (out_path.empty() || out_path == "-") {
      bar.Clear();
      std::cout << text;
      return Status::OK();
    }
    ASSAY_RETURN_IF_ERROR(WriteOutputFile(out_path, text, force));
    bar.Clear();
    std::cerr << "wrote " << out_path << "\n";
    return Status::OK();
  });
}

}  // namespace

void AddImportCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  auto file = std::make_shared<std::string>();
  auto a = std::make_shared<std::string>();
  auto dry = std::make_shared<bool>(false);
  auto tmpl = std::make_shared<std::string>();
  auto encoding = std::make_shared<std::string>();
  cmd->add_option("FILE", *file,
                  "JSON (schemas/assessment.schema.json), CSV or a filled XLSX rating workbook (docs/SPREADSHEETS.md)");
  cmd->add_flag("--dry-run,-n", *dry, "Check everything and list every problem; write nothing");
  cmd->add_option("--template", *tmpl, "Print a template instead: csv (with -a: rows for that assessment to fill in)")
      ->check(CLI::IsMember({"csv"}));
  cmd->add_option("--encoding", *encoding, "A CSV file's encoding: utf-8 (default) or windows-1252")
      ->check(CLI::IsMember({"utf-8", "windows-1252"}, CLI::ignore_case));
  AddAssessmentOption(cmd, a.get());
  cmd->callback([&global, exit_code, file, a, dry, tmpl, encoding] {
    *exit_code = RunImport(global, *file, *a, *dry, *tmpl, *encoding);
  });
}

void AddExportCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  auto id = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("ID", *id, "Assessment ID (default: the most recent)");
  auto force = std::make_shared<bool>(false);
  cmd->add_option("--out,-o", *out, "Write to this file instead of stdout");
  cmd->add_flag("--force", *force, "Overwrite FILE when it exists");
  auto format = std::make_shared<std::string>("json");
  auto assessor = std::make_shared<std::string>();
  cmd->add_option("--format", *format,
                  "json (default: the import format), csv (the ratings, in the CSV import format) or xlsx (a rating "
                  "workbook; needs --out)")
      ->check(CLI::IsMember({"json", "csv", "xlsx"}));
  cmd->add_option("--assessor", *assessor, "xlsx: only this person's rating columns (a hand-out)");
  cmd->callback([&global, exit_code, id, out, force, format, assessor] {
    *exit_code = RunExport(global, *id, *out, *force, *format, *assessor);
  });
}

}  // namespace assay::cli
