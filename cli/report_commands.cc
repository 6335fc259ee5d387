// assay report | verify-report | demo: the assessment report and the guided
// demonstration built on it.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/audit.h"
#include "assay/rating.h"
#include "assay/reports/assessment_report.h"
#include "assay/reports/report_parts.h"
#include "assay/reports/summary_report.h"
#include "assay/store.h"
#include "assay/text.h"
#include "cli.h"
#include "serve/serve_hooks.h"
#include "commands.h"
#include "progress.h"
#include "signing_cli.h"

namespace assay::cli {

namespace {

namespace fs = std::filesystem;

const char* kReportExitCodes =
    "Exit codes: 0 written, 2 usage, 3 invalid input (e.g. --out exists without --force),\n"
    "4 not found (no workspace, unknown assessment, fonts missing), 6 I/O error,\n"
    "8 unsupported (pinned model pack changed).";

const char* kVerifyExitCodes =
    "Exit codes: 0 match, 7 no match (the report reproduced from the workspace at the log position\n"
    "the file records is not this file byte for byte, or the file's manifest is unreadable),\n"
    "3 the file is neither a PDF nor JSON, 4 file, workspace, assessment or audit not found,\n"
    "6 I/O error.";

const char* kDemoExitCodes =
    "Exit codes: 0 done, 3 --out is not empty (use --force) or the example is invalid,\n"
    "4 the bundled example or the fonts were not found, 6 I/O error.";

// What a report is made of, from one snapshot: the data, its log position
// and the digest of its canonical export (the snapshot hash) agree because
// the workspace reads them in one transaction.
struct ReportSource {
  Loaded loaded;
  RatingResults results;
  CheckReport checks;
  reports::ReportManifest manifest;
  // The summary report (manifest.kind kSummary): the series up to the
  // assessment, at the same log position, and its trend.
  SeriesData series;
  Trend trend;
};

// A new T that is never destroyed: the process ends right after the
// command, and the end of a process frees its memory at once. Freeing a
// report's source piece by piece (every rating's strings) was 3 % of the
// CPU time of a summary report. Reachable from a static, so not a leak.
template <typename T>
T* KeptUntilExit() {
  static std::vector<std::shared_ptr<void>>& kept = *new std::vector<std::shared_ptr<void>>;
  auto p = std::make_shared<T>();
  kept.push_back(p);
  return p.get();
}

// The log position `as_of` names: "" (now: the head of the log), an event
// number, or a date YYYY-MM-DD (the newest event recorded on or before that
// day, UTC).
Status ParseAsOf(Workspace* ws, const std::string& as_of, int64_t* seq) {
  *seq = 0;
  std::string hash;
  if (as_of.empty()) return ws->LogPositionAt("", seq, &hash);
  if (as_of.size() <= 18 && std::all_of(as_of.begin(), as_of.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    *seq = std::stoll(as_of);
    if (*seq == 0) return Status::InvalidInput("--as-of 0: log positions start at event 1");
    return Status::OK();
  }
  Date date;
  if (!Date::Parse(as_of, &date).ok())
    return Status::InvalidInput("--as-of '" + as_of + "': give a log position (an event number) or a date YYYY-MM-DD");
  ASSAY_RETURN_IF_ERROR(ws->LogPositionAt(date.ToString() + "T23:59:59Z", seq, &hash));
  if (*seq == 0)
    return Status::NotFound("--as-of " + as_of + ": the log of " + ws->path() + " has no event on or before that day");
  return Status::OK();
}

// Reads the report's source from the workspace as it was right after log
// event `at_seq`, the report's log position; with the latest seal up to it.
Status ReadReportSourceAt(Session* session, const std::string& id, int64_t at_seq, bool summary,
                          ReportSource* out) {
  SnapshotOptions options;
  options.export_digest = true;
  options.at_seq = at_seq;
  ASSAY_RETURN_IF_ERROR(ReadAssessment(session, id, options, &out->loaded));
  // The report shows no sensitivity analysis; skip its cost.
  ComputeOptions compute;
  compute.sensitivity = false;
  ASSAY_RETURN_IF_ERROR(
      ComputeResults(*out->loaded.model, *out->loaded.graph, out->loaded.data, &out->results, compute));
  out->checks = RunChecks(*out->loaded.model, out->loaded.data);
  if (summary) {
    std::vector<SeriesEntry> entries;
    ASSAY_RETURN_IF_ERROR(ReadSeriesUpTo(session, out->loaded, out->results, at_seq, &out->series, &entries));
    out->trend = ComputeTrend(entries);
  }
  reports::ReportManifest& m = out->manifest;
  m.kind = summary ? reports::ReportKind::kSummary : reports::ReportKind::kAssessment;
  m.subject = id;
  m.snapshot_sha256 = out->loaded.export_sha256;
  m.assay_version = ASSAY_VERSION;
  m.model = out->loaded.model->Key();
  m.model_sha256 = out->loaded.model->hash();
  m.data_as_of = reports::AssessmentDataAsOf(out->loaded.data);
  m.log_seq = at_seq;
  m.log_head = out->loaded.head_hash;
  m.draft = reports::IsDraftAssessment(out->loaded.data.assessment);
  SealInfo seal;
  bool sealed = false;
  ASSAY_RETURN_IF_ERROR(session->ws->LatestSeal(at_seq, &seal, &sealed));
  if (sealed) m.seal = seal.line;
  return Status::OK();
}

Status ReadReportSource(const GlobalOptions& global, const std::string& given, const std::string& as_of, bool summary,
                        ReportSource* out) {
  std::unique_ptr<Session> session;
  ASSAY_RETURN_IF_ERROR(OpenSession(global, false, &session));
  std::string id;
  ASSAY_RETURN_IF_ERROR(PickAssessment(session->ws.get(), given, &id));
  int64_t at_seq = 0;
  ASSAY_RETURN_IF_ERROR(ParseAsOf(session->ws.get(), as_of, &at_seq));
  return ReadReportSourceAt(session.get(), id, at_seq, summary, out);
}

Status RenderReport(const ReportSource& src, const std::string& format, reports::Paper paper,
                    const std::string& font_dir, std::string* bytes) {
  reports::AssessmentReportInput input;
  input.model = src.loaded.model.get();
  input.data = &src.loaded.data;
  input.results = &src.results;
  input.checks = &src.checks;
  input.manifest = src.manifest;
  reports::ReportOptions options;
  options.paper = paper;
  options.font_dir = font_dir;
  std::vector<std::string> warnings;
  Status s;
  if (src.manifest.kind == reports::ReportKind::kSummary) {
    reports::SummaryReportInput summary{input, &src.trend};
    if (format == "json") {
      *bytes = reports::SummaryReportJson(summary);
      return Status::OK();
    }
    s = reports::RenderSummaryReport(summary, options, bytes, &warnings);
    for (const std::string& w : warnings) std::cerr << "assay: warning: report: " << w << "\n";
    return s;
  }
  if (format == "json") {
    *bytes = reports::AssessmentReportJson(input);
    return Status::OK();
  }
  if (format == "csv") {
    *bytes = reports::AssessmentReportCsv(input);
    return Status::OK();
  }
  s = reports::RenderAssessmentReport(input, options, bytes, &warnings);
  for (const std::string& w : warnings) std::cerr << "assay: warning: report: " << w << "\n";
  return s;
}

std::string SizeText(size_t bytes) {
  if (bytes < 10 * 1024) return std::to_string(bytes) + " bytes";
  return std::to_string((bytes + 512) / 1024) + " KiB";
}

// What `assay report` was asked for.
struct ReportRequest {
  std::string id;
  std::string as_of;
  std::string out;
  std::string paper = "a4";
  std::string format = "pdf";
  bool summary = false;
  bool force = false;
  SigningOptions signing;
};

int RunReport(const GlobalOptions& global, const ReportRequest& req) {
  const std::string& out = req.out;
  const std::string& format = req.format;
  const SigningOptions& signing = req.signing;
  const bool force = req.force;
  if (req.summary && format == "csv") {
    std::cerr << "assay: report: the summary is written as pdf or json, not csv\n";
    return kExitUsage;
  }
  if (format == "pdf" && out.empty()) {
    std::cerr << "assay: report: give --out FILE.pdf for the PDF (or --format json|csv to print the content)\n";
    return kExitUsage;
  }
  reports::Paper paper = reports::Paper::kA4;
  Status s = reports::ParsePaper(req.paper, &paper);
  SecretKey key;
  if (s.ok()) s = LoadSigningKey(signing, out, &key);
  if (!s.ok()) return Fail(s);
  // Refuse before the work when the answer is known.
  if (!out.empty()) s = CheckOutputTarget(out, force);
  if (!s.ok()) return Fail(s);
  ProgressBar bar("report", global.progress);  // in its three steps
  bar.Update(0, 3, "reading the snapshot and rating");
  ReportSource& src = *KeptUntilExit<ReportSource>();
  s = ReadReportSource(global, req.id, req.as_of, req.summary, &src);
  if (!s.ok()) return Fail(s);
  bar.Update(1, 3, "rendering");
  std::string bytes;
  s = RenderReport(src, format, paper, global.font_dir, &bytes);
  if (!s.ok()) return Fail(s);
  bar.Update(2, 3, "writing");
  if (out.empty()) {
    bar.Clear();
    std::cout << bytes;
    return kExitOk;
  }
  s = WriteOutputFile(out, bytes, force);
  if (!s.ok()) return Fail(s);
  bar.Clear();
  std::cerr << "assay: wrote " << out << " (" << format << (req.summary ? " summary" : "") << ", "
            << SizeText(bytes.size()) << ", assessment "
            << src.manifest.subject << ", snapshot " << src.manifest.snapshot_sha256.substr(0, 12) << ")\n";
  const std::string trusted = "assay " + format + (req.summary ? " summary" : "") + " report of assessment " + src.manifest.subject + ", snapshot " +
                              src.manifest.snapshot_sha256 + ", log event " + std::to_string(src.manifest.log_seq) +
                              ", file " + fs::path(out).filename().string();
  s = SignOutput(key, out, bytes, trusted, force);
  if (!s.ok()) return Fail(s);
  if (!signing.key_file.empty()) std::cerr << "assay: wrote " << out << ".minisig (signed with " << signing.key_file << ")\n";
  return kExitOk;
}

Status ReadWholeFile(const std::string& path, std::string* bytes) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": no such file");
  if (fs::is_directory(path, ec)) return Status::InvalidInput(path + ": is a directory, not a report file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": read failed");
  *bytes = ss.str();
  return Status::OK();
}

std::string Short(const std::string& hash) { return hash.size() > 16 ? hash.substr(0, 16) + "..." : hash; }

// A report file as verify-report reads it: its form and the manifest it
// carries.
struct ReportFile {
  std::string bytes;
  bool pdf = false;
  reports::ReportManifest manifest;
};

// The manifest of a JSON report ("manifest": kind, subject, log_seq, ...).
Status ReadJsonManifest(const std::string& text, reports::ReportManifest* m) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidInput("not a JSON report");
  const nlohmann::json* man = j.contains("manifest") ? &j["manifest"] : nullptr;
  if (!man || !man->is_object() || !(*man)["subject"].is_string() || !(*man)["kind"].is_string() ||
      !(*man)["log_seq"].is_number_integer())
    return Status::NotFound("no assay manifest (kind, subject, log_seq) in this JSON");
  m->kind = (*man)["kind"] == "audit" ? reports::ReportKind::kAudit : reports::ReportKind::kAssessment;
  m->subject = (*man)["subject"].get<std::string>();
  m->log_seq = (*man)["log_seq"].get<int64_t>();
  auto text_of = [&](const char* key) {
    return man->contains(key) && (*man)[key].is_string() ? (*man)[key].get<std::string>() : std::string();
  };
  m->log_head = text_of("log_head");
  m->snapshot_sha256 = text_of("snapshot_sha256");
  m->assay_version = text_of("assay_version");
  m->data_as_of = text_of("data_as_of");
  m->draft = man->contains("draft") && (*man)["draft"].is_boolean() && (*man)["draft"].get<bool>();
  return Status::OK();
}

// Reads FILE and its manifest. A file that is neither a PDF nor JSON is
// InvalidInput (exit 3); a PDF or JSON whose assay manifest cannot be read
// is Corruption (exit 7): assay writes it in plain sight, so the file is
// no report of assay's as it was written.
Status ReadReportFile(const std::string& path, ReportFile* out) {
  ASSAY_RETURN_IF_ERROR(ReadWholeFile(path, &out->bytes));
  const std::string& b = out->bytes;
  out->pdf = b.compare(0, 5, "%PDF-") == 0;
  const size_t first = b.find_first_not_of(" \t\r\n");
  if (!out->pdf && (first == std::string::npos || b[first] != '{'))
    return Status::InvalidInput(path + ": not a PDF file (no %PDF- header) nor a JSON report");
  Status s = out->pdf ? reports::ReadPdfManifest(b, &out->manifest) : ReadJsonManifest(b, &out->manifest);
  if (!s.ok())
    return Status::Corruption("no match: " + path + ": not an assay report, or its log position is unreadable (" +
                              s.message() + ")");
  return Status::OK();
}

// The paper of a PDF assay wrote (its pages' MediaBox).
reports::Paper PaperOf(const std::string& pdf) {
  return pdf.find("/MediaBox [ 0 0 612 792 ]") != std::string::npos ? reports::Paper::kLetter : reports::Paper::kA4;
}

// The first line (1-based) where two texts differ.
size_t FirstDifferentLine(const std::string& a, const std::string& b) {
  size_t line = 1;
  for (size_t i = 0; i < a.size() && i < b.size() && a[i] == b[i]; ++i)
    if (a[i] == '\n') ++line;
  return line;
}

// Why `file` is not `reproduced`, in lines for the terminal.
std::vector<std::string> Differences(const ReportFile& file, const reports::ReportManifest& r,
                                     const std::string& reproduced) {
  std::vector<std::string> out;
  const reports::ReportManifest& m = file.manifest;
  if (m.snapshot_sha256 != r.snapshot_sha256)
    out.push_back("the snapshot sha256 the report states (" + Short(m.snapshot_sha256) + ") is not that of the " +
                  std::string(reports::ReportKindName(m.kind)) + " record at event " + std::to_string(m.log_seq) +
                  " (" + Short(r.snapshot_sha256) + ")");
  if (m.assay_version != r.assay_version)
    out.push_back("the report names assay " + m.assay_version + ", this is assay " + r.assay_version +
                  ": a report is reproduced byte for byte by the version that made it");
  if (!file.pdf) {
    out.push_back("line " + std::to_string(FirstDifferentLine(file.bytes, reproduced)) + " differs");
    return out;
  }
  reports::ReportDifference d = reports::ComparePdfReports(file.bytes, reproduced);
  if (d.appended > 0) {
    out.push_back("the file is the report followed by " + std::to_string(d.appended) +
                  " more bytes (an appended incremental update)");
  } else if (d.first_page > 0) {
    out.push_back("page " + std::to_string(d.first_page) + " of " + std::to_string(d.pages) +
                  " differs (the first page whose content is not the reproduced one)");
  } else {
    out.push_back("every page's content is as reproduced, but the document properties or the file's structure "
                  "differ (edited metadata, or objects rewritten, e.g. recompressed)");
  }
  return out;
}

int VerifyReportFailed(const std::string& path, const std::vector<std::string>& why, int64_t seq) {
  std::cout << "no match: " << path << " is not the report assay reproduces from the workspace as of log event "
            << seq << "\n";
  for (const std::string& w : why) std::cout << "  " << w << "\n";
  std::cerr << "assay: verify-report: no match\n";
  return kExitCorruption;
}

// The assessment the report names, with the nearest IDs when absent.
Status FindSubject(Session* session, const std::string& path, const std::string& db, const std::string& subject) {
  std::vector<Assessment> all;
  ASSAY_RETURN_IF_ERROR(session->ws->ListAssessments(&all));
  std::vector<std::string> ids;
  for (const Assessment& a : all) ids.push_back(a.id);
  if (std::find(ids.begin(), ids.end(), subject) == ids.end())
    return Status::NotFound(path + ": the report is about assessment '" + subject + "', which is not in " + db +
                            SuggestionSuffix(subject, ids));
  return Status::OK();
}

// verify-report of an audit report: reproduced at its log position as of
// its report date.
int VerifyAuditReport(const GlobalOptions& global, const std::string& path, const ReportFile& file) {
  const reports::ReportManifest& m = file.manifest;
  if (m.log_seq <= 0) return VerifyReportFailed(path, {"the report records no log position"}, 0);
  reports::ReportManifest r = m;
  std::string reproduced;
  Status s = AuditReportAt(global, m.subject, m.data_as_of, m.log_seq, file.pdf,
                           file.pdf && PaperOf(file.bytes) == reports::Paper::kLetter, &reproduced, &r.snapshot_sha256,
                           &r.log_head);
  if (!s.ok()) return Fail(s);
  r.assay_version = ASSAY_VERSION;
  if (!m.log_head.empty() && m.log_head != r.log_head)
    return VerifyReportFailed(path,
                              {"the report states the log head " + Short(m.log_head) + " at event " +
                                   std::to_string(m.log_seq) + ", the workspace has " + Short(r.log_head) +
                                   ": the history was rewritten, or this is another workspace (run assay log verify)"},
                              m.log_seq);
  if (reproduced != file.bytes) return VerifyReportFailed(path, Differences(file, r, reproduced), m.log_seq);
  std::cout << "match: " << path << " is the report of audit " << m.subject << " reproduced from " << global.db
            << " as of log event " << m.log_seq << "\n"
            << "  log head at event " << m.log_seq << ": " << r.log_head << "\n"
            << "  snapshot sha256 " << r.snapshot_sha256 << "\n"
            << "  report date " << m.data_as_of << (m.draft ? ", DRAFT" : "") << "\n";
  return kExitOk;
}

int RunVerifyReport(const GlobalOptions& global, const std::string& path) {
  ReportFile file;
  Status s = ReadReportFile(path, &file);
  if (s.code() == Status::Code::kCorruption) {
    std::cout << s.message() << "\n";
    std::cerr << "assay: verify-report: no match\n";
    return kExitCorruption;
  }
  if (!s.ok()) return Fail(s);
  const reports::ReportManifest& m = file.manifest;
  if (m.kind == reports::ReportKind::kAudit) return VerifyAuditReport(global, path, file);
  std::unique_ptr<Session> session;
  s = OpenSession(global, false, &session);
  if (s.ok()) s = FindSubject(session.get(), path, global.db, m.subject);
  if (!s.ok()) return Fail(s);
  if (m.log_seq <= 0) return VerifyReportFailed(path, {"the report records no log position"}, 0);
  ReportSource src;
  s = ReadReportSourceAt(session.get(), m.subject, m.log_seq, m.kind == reports::ReportKind::kSummary, &src);
  if (s.code() == Status::Code::kInvalidInput || s.code() == Status::Code::kNotFound)
    return VerifyReportFailed(path, {s.message() + " (a truncated log, or another workspace: run assay log verify)"},
                              m.log_seq);
  if (!s.ok()) return Fail(s);
  if (!m.log_head.empty() && m.log_head != src.manifest.log_head)
    return VerifyReportFailed(path,
                              {"the report states the log head " + Short(m.log_head) + " at event " +
                                   std::to_string(m.log_seq) + ", the workspace has " + Short(src.manifest.log_head) +
                                   ": the history was rewritten, or this is another workspace (run assay log verify)"},
                              m.log_seq);
  std::string reproduced;
  s = RenderReport(src, file.pdf ? "pdf" : "json", PaperOf(file.bytes), global.font_dir, &reproduced);
  if (!s.ok()) return Fail(s);
  if (reproduced != file.bytes)
    return VerifyReportFailed(path, Differences(file, src.manifest, reproduced), m.log_seq);
  std::cout << "match: " << path << " is the "
            << (m.kind == reports::ReportKind::kSummary ? "summary report" : "report") << " of assessment "
            << m.subject << " reproduced from " << global.db
            << " as of log event " << m.log_seq << "\n"
            << "  log head at event " << m.log_seq << ": " << src.manifest.log_head << "\n"
            << "  snapshot sha256 " << src.manifest.snapshot_sha256 << "\n"
            << "  model " << m.model << " (sha256 " << Short(m.model_sha256) << "), assay " << m.assay_version
            << ", data as of " << m.data_as_of << (src.manifest.draft ? ", DRAFT" : "") << "\n";
  return kExitOk;
}

// ---------------------------------------------------------------------------
// assay demo: a list of steps, each printing what it did.

struct DemoContext {
  GlobalOptions global;  // with db = DIR/demo.db
  std::string dir;
  bool force = false;
  std::string assessment;
  std::vector<std::string> written;  // files, for the closing summary
};

struct DemoStep {
  const char* title;
  std::function<Status(DemoContext&)> run;
};

const char* kExampleFile = "examples/northwind-2026.json";
const char* kAuditExampleFile = "examples/northwind-2024-cycle.json";
const char* kCheckpointFile = "examples/northwind-2027.json";  // a year after kExampleFile
const char* kCheckpointAssessment = "NW-2027-01";               // the assessment it holds
const char* kSummaryFile = "northwind-2027-summary.pdf";
const char* kAuditExampleAudit = "NW-SV1-2025";  // the first surveillance
const char* kAuditReportFile = "northwind-audit-NW-SV1-2025.pdf";

// The bundled example, found next to the model packs: in the directories the
// model library searches (--models, $ASSAY_MODELS, the bundled packs).
Status FindExample(const GlobalOptions& global, const char* file, std::string* path) {
  ModelLibrary library = MakeLibrary(global);
  std::vector<std::string> tried;
  for (const std::string& dir : library.search_dirs()) {
    fs::path p = fs::path(dir) / file;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
      *path = p.string();
      return Status::OK();
    }
    tried.push_back(p.string());
  }
  return Status::NotFound(std::string("the bundled example ") + file + " was not found (looked in: " +
                          (tried.empty() ? std::string("no model directory") : Join(tried)) +
                          "); give the directory holding models/ with --models or $ASSAY_MODELS");
}

Status PrepareDir(DemoContext& ctx) {
  std::error_code ec;
  fs::path dir(ctx.dir);
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return Status::InvalidInput(ctx.dir + ": exists and is not a directory");
    if (!fs::is_empty(dir, ec) && !ctx.force)
      return Status::InvalidInput(ctx.dir + ": exists and is not empty; use --force to replace the demo files in it, "
                                            "or choose another --out");
  } else if (!fs::create_directories(dir, ec) || ec) {
    return Status::IOError(ctx.dir + ": cannot create the directory: " + ec.message());
  }
  // A fresh workspace every time: remove the previous demo workspace (only
  // ours: demo.db and its WAL files).
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::path f = dir / (std::string("demo.db") + suffix);
    if (fs::exists(f, ec) && !fs::remove(f, ec))
      return Status::IOError(f.string() + ": cannot remove the previous demo workspace: " + ec.message());
  }
  return Status::OK();
}

Status StepWorkspace(DemoContext& ctx) {
  ASSAY_RETURN_IF_ERROR(PrepareDir(ctx));
  std::string example;
  ASSAY_RETURN_IF_ERROR(FindExample(ctx.global, kExampleFile, &example));
  std::unique_ptr<Session> session;
  ASSAY_RETURN_IF_ERROR(OpenSession(ctx.global, true, &session));
  ImportReport report;
  Status s = session->ws->Import(example, ImportOptions{}, &report);
  if (!s.ok()) {
    std::vector<Diagnostic> problems = report.problems;
    PrintDiagnostics(problems);
    return s;
  }
  ctx.assessment = report.assessment;
  std::vector<Assessment> all;
  ASSAY_RETURN_IF_ERROR(session->ws->ListAssessments(&all));
  std::cout << "Imported " << example << "\n"
            << "into the new workspace " << ctx.global.db << ": assessment " << report.assessment << ", "
            << report.created << " records\n";
  ctx.written.push_back(ctx.global.db);
  return Status::OK();
}

Status StepProfile(DemoContext& ctx) {
  Loaded loaded;
  ASSAY_RETURN_IF_ERROR(LoadAssessment(ctx.global, ctx.assessment, &loaded));
  RatingResults results;
  ComputeOptions compute;  // the table shows no sensitivity analysis
  compute.sensitivity = false;
  ASSAY_RETURN_IF_ERROR(ComputeResults(*loaded.model, *loaded.graph, loaded.data, &results, compute));
  PrintProfileTable(*loaded.model, loaded.data, results, false, ctx.global.color, std::cout);
  return Status::OK();
}

Status StepChecks(DemoContext& ctx) {
  Loaded loaded;
  ASSAY_RETURN_IF_ERROR(LoadAssessment(ctx.global, ctx.assessment, &loaded));
  CheckReport report = RunChecks(*loaded.model, loaded.data);
  PrintCheckSummary(loaded.data, report, std::cout);
  std::cout << (report.passed() ? "The checks pass: the assessment can be reported.\n"
                                : "Some checks fail; the report lists them.\n");
  return Status::OK();
}

Status StepReport(DemoContext& ctx) {
  ReportSource src;
  ASSAY_RETURN_IF_ERROR(ReadReportSource(ctx.global, ctx.assessment, "", false, &src));
  const std::pair<const char*, const char*> outputs[] = {{"pdf", "northwind-2026-report.pdf"},
                                                         {"json", "northwind-2026-report.json"}};
  for (const auto& [format, name] : outputs) {
    std::string bytes;
    ASSAY_RETURN_IF_ERROR(RenderReport(src, format, reports::Paper::kA4, ctx.global.font_dir, &bytes));
    const std::string path = (fs::path(ctx.dir) / name).string();
    ASSAY_RETURN_IF_ERROR(WriteOutputFile(path, bytes, ctx.force));
    std::cout << "Wrote " << path << " (" << SizeText(bytes.size()) << ")\n";
    ctx.written.push_back(path);
  }
  return Status::OK();
}

// The bundled certification-audit client (it references the assessment
// imported above) and the report of its first surveillance audit.
Status StepAudit(DemoContext& ctx) {
  std::string example;
  ASSAY_RETURN_IF_ERROR(FindExample(ctx.global, kAuditExampleFile, &example));
  std::cout << "Importing " << example << "\n";
  std::cout.flush();
  if (AuditImportCommand(ctx.global, example) != kExitOk)
    return Status::InvalidInput(example + ": the bundled audit example could not be imported (see above)");
  const std::string path = (fs::path(ctx.dir) / kAuditReportFile).string();
  std::cout.flush();
  if (AuditReportCommand(ctx.global, kAuditExampleAudit, path, ctx.force) != kExitOk)
    return Status::IOError(path + ": the audit report could not be written (see above)");
  ctx.written.push_back(path);
  return Status::OK();
}

// The same organization a year later (examples/northwind-2027.json): the
// checkpoint assessment, and the trend of the two.
Status StepTrend(DemoContext& ctx) {
  std::string example;
  ASSAY_RETURN_IF_ERROR(FindExample(ctx.global, kCheckpointFile, &example));
  {
    std::unique_ptr<Session> session;
    ASSAY_RETURN_IF_ERROR(OpenSession(ctx.global, false, &session));
    ImportReport report;
    Status s = session->ws->Import(example, ImportOptions{}, &report);
    if (!s.ok()) {
      PrintDiagnostics(report.problems);
      return s;
    }
    std::cout << "Imported " << example << ": assessment " << report.assessment << ", " << report.created
              << " records\n\n";
  }
  std::cout.flush();
  if (TrendCommand(ctx.global, "Northwind Managed") != kExitOk)
    return Status::InvalidInput("the trend of the bundled examples could not be shown (see above)");
  // The summary a sponsor reads: the checkpoint with its trend since 2026.
  ReportSource src;
  ASSAY_RETURN_IF_ERROR(ReadReportSource(ctx.global, kCheckpointAssessment, "", true, &src));
  std::string bytes;
  ASSAY_RETURN_IF_ERROR(RenderReport(src, "pdf", reports::Paper::kA4, ctx.global.font_dir, &bytes));
  const std::string path = (fs::path(ctx.dir) / kSummaryFile).string();
  ASSAY_RETURN_IF_ERROR(WriteOutputFile(path, bytes, ctx.force));
  std::cout << "\nWrote " << path << " (" << SizeText(bytes.size()) << "): the summary of " << kCheckpointAssessment
            << " for management\n";
  ctx.written.push_back(path);
  return Status::OK();
}

// The demo's steps, in order. Add a step here to extend the demo.
std::vector<DemoStep> DemoSteps() {
  return {
      {"Create a workspace from the bundled example assessment", StepWorkspace},
      {"Capability profile", StepProfile},
      {"Checks before reporting", StepChecks},
      {"The assessment report", StepReport},
      {"An ISO/IEC 20000-1 certification audit client and its audit report", StepAudit},
      {"A year later: the 2027 checkpoint and the trend since 2026", StepTrend},
  };
}

void PrintNext(const DemoContext& ctx) {
  const std::string db = ctx.global.db;
  const std::string pdf = (fs::path(ctx.dir) / "northwind-2026-report.pdf").string();
  std::cout << "\nDone. Files written:\n";
  for (const std::string& f : ctx.written) std::cout << "  " << f << "\n";
  std::cout << "\nTry next:\n"
            << "  assay --db " << db << " trend --attributes             # what changed since 2026, by attribute\n"
            << "  assay --db " << db << " profile NW-2026-01 --instances # ratings of every instance\n"
            << "  assay --db " << db << " check                          # every finding of the checks\n"
            << "  assay --db " << db << " what-if -r RES.3/OPO-OC:PA2.1=L  # a rating changed, nothing written\n"
            << "  assay --db " << db << " verify-report " << pdf << "\n"
            << "  assay --db " << db << " report --out my-report.pdf --paper letter\n"
            << "  assay --db " << db << " report NW-2027-01 --summary --format json  # the summary's content\n"
            << "  assay --db " << db << " audit programme NORTHWIND        # the 3-year cycle: due, overdue\n"
            << "  assay --db " << db << " audit nc list NORTHWIND          # nonconformities and their states\n";
}

int RunDemo(const GlobalOptions& global, const std::string& dir, bool force) {
  DemoContext ctx;
  ctx.global = global;
  ctx.dir = dir;
  ctx.force = force;
  ctx.global.db = (fs::path(dir) / "demo.db").string();
  const std::vector<DemoStep> steps = DemoSteps();
  for (size_t i = 0; i < steps.size(); ++i) {
    std::cout << (i ? "\n" : "") << "== " << i + 1 << "/" << steps.size() << "  " << steps[i].title << "\n\n";
    std::cout.flush();
    Status s = steps[i].run(ctx);
    if (!s.ok()) return Fail(s);
  }
  PrintNext(ctx);
  return kExitOk;
}

}  // namespace

Status AssessmentReportNow(Session* session, const GlobalOptions& global, const std::string& id,
                           const std::string& format, std::string* bytes) {
  int64_t at_seq = 0;
  ASSAY_RETURN_IF_ERROR(ParseAsOf(session->ws.get(), "", &at_seq));
  ReportSource src;
  ASSAY_RETURN_IF_ERROR(ReadReportSourceAt(session, id, at_seq, /*summary=*/false, &src));
  return RenderReport(src, format, reports::Paper::kA4, global.font_dir, bytes);
}

void AddReportCommand(CLI::App* report, const GlobalOptions& global, int* exit_code) {
  auto req = std::make_shared<ReportRequest>();
  report->add_option("ID", req->id, "Assessment ID (default: the most recent)");
  report->add_option("--out,-o", req->out, "Output file (required for pdf; json and csv go to stdout without it)");
  report->add_flag("--summary", req->summary,
                   "The summary for management (at most about 12 pages: profile, gaps, what blocks each process, "
                   "the weaknesses that matter, the trend of the series, maturity); pdf or json");
  report->add_option("--as-of", req->as_of,
                     "The assessment as it was at a log position: an event number, or a date YYYY-MM-DD (the newest "
                     "event recorded on or before that day, UTC). Default: now");
  report->add_option("--paper", req->paper, "a4 (default) or letter")->check(CLI::IsMember({"a4", "letter"}, CLI::ignore_case));
  report->add_option("--format", req->format, "pdf (default), json or csv")->check(CLI::IsMember({"pdf", "json", "csv"}));
  report->add_flag("--force", req->force, "Overwrite --out if it exists");
  AddSigningOptions(report, &req->signing);
  report->footer(kReportExitCodes);
  report->callback([&global, exit_code, req] { *exit_code = RunReport(global, *req); });
}

void AddVerifyReportCommand(CLI::App* verify, const GlobalOptions& global, int* exit_code) {
  auto v_file = std::make_shared<std::string>();
  verify->add_option("FILE", *v_file, "A PDF or JSON report written by `assay report`")->required();
  verify->footer(kVerifyExitCodes);
  verify->callback([&global, exit_code, v_file] { *exit_code = RunVerifyReport(global, *v_file); });
}

void AddDemoCommand(CLI::App* demo, const GlobalOptions& global, int* exit_code) {
  auto d_out = std::make_shared<std::string>("assay-demo");
  auto d_force = std::make_shared<bool>(false);
  demo->add_option("--out,-o", *d_out, "Directory to create (default ./assay-demo); it must be empty or new");
  demo->add_flag("--force", *d_force, "Reuse a non-empty --out: replace the demo's own files in it");
  demo->footer(kDemoExitCodes);
  demo->callback([&global, exit_code, d_out, d_force] { *exit_code = RunDemo(global, *d_out, *d_force); });
}

}  // namespace assay::cli
