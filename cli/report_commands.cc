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

#include "assay/checks.h"
#include "assay/rating.h"
#include "assay/reports/assessment_report.h"
#include "assay/reports/report_parts.h"
#include "assay/store.h"
#include "assay/text.h"
#include "cli.h"
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
    "Exit codes: 0 match, 7 no match (the workspace differs from what the report was made from),\n"
    "3 the file is not a PDF or has no assay manifest, 4 file, workspace or assessment not found,\n"
    "6 I/O error, 8 not an assessment report (e.g. an audit report).";

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
};

Status ReadReportSource(const GlobalOptions& global, const std::string& given, ReportSource* out) {
  std::unique_ptr<Session> session;
  ASSAY_RETURN_IF_ERROR(OpenSession(global, false, &session));
  std::string id;
  ASSAY_RETURN_IF_ERROR(PickAssessment(session->ws.get(), given, &id));
  SnapshotOptions options;
  options.export_digest = true;
  ASSAY_RETURN_IF_ERROR(ReadAssessment(session.get(), id, options, &out->loaded));
  // The report shows no sensitivity analysis; skip its cost.
  ComputeOptions compute;
  compute.sensitivity = false;
  ASSAY_RETURN_IF_ERROR(
      ComputeResults(*out->loaded.model, *out->loaded.graph, out->loaded.data, &out->results, compute));
  out->checks = RunChecks(*out->loaded.model, out->loaded.data);
  reports::ReportManifest& m = out->manifest;
  m.kind = reports::ReportKind::kAssessment;
  m.subject = id;
  m.snapshot_sha256 = out->loaded.export_sha256;
  m.assay_version = ASSAY_VERSION;
  m.model = out->loaded.model->Key();
  m.model_sha256 = out->loaded.model->hash();
  m.data_as_of = reports::AssessmentDataAsOf(out->loaded.data);
  m.log_seq = out->loaded.log_seq;
  return Status::OK();
}

Status RenderReport(const ReportSource& src, const std::string& format, reports::Paper paper,
                    const std::string& font_dir, std::string* bytes) {
  reports::AssessmentReportInput input;
  input.model = src.loaded.model.get();
  input.data = &src.loaded.data;
  input.results = &src.results;
  input.checks = &src.checks;
  input.manifest = src.manifest;
  if (format == "json") {
    *bytes = reports::AssessmentReportJson(input);
    return Status::OK();
  }
  if (format == "csv") {
    *bytes = reports::AssessmentReportCsv(input);
    return Status::OK();
  }
  reports::ReportOptions options;
  options.paper = paper;
  options.font_dir = font_dir;
  std::vector<std::string> warnings;
  Status s = reports::RenderAssessmentReport(input, options, bytes, &warnings);
  for (const std::string& w : warnings) std::cerr << "assay: warning: report: " << w << "\n";
  return s;
}

std::string SizeText(size_t bytes) {
  if (bytes < 10 * 1024) return std::to_string(bytes) + " bytes";
  return std::to_string((bytes + 512) / 1024) + " KiB";
}

int RunReport(const GlobalOptions& global, const std::string& id, const std::string& out, const std::string& paper_name,
              const std::string& format, bool force, const SigningOptions& signing) {
  if (format == "pdf" && out.empty()) {
    std::cerr << "assay: report: give --out FILE.pdf for the PDF (or --format json|csv to print the content)\n";
    return kExitUsage;
  }
  reports::Paper paper = reports::Paper::kA4;
  Status s = reports::ParsePaper(paper_name, &paper);
  SecretKey key;
  if (s.ok()) s = LoadSigningKey(signing, out, &key);
  if (!s.ok()) return Fail(s);
  // Refuse before the work when the answer is known.
  std::error_code ec;
  if (!out.empty() && !force && fs::exists(out, ec))
    return Fail(Status::InvalidInput(out + ": exists; use --force to overwrite"));
  ProgressBar bar("report", global.progress);  // in its three steps
  bar.Update(0, 3, "reading the snapshot and rating");
  ReportSource src;
  s = ReadReportSource(global, id, &src);
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
  std::cerr << "assay: wrote " << out << " (" << format << ", " << SizeText(bytes.size()) << ", assessment "
            << src.manifest.subject << ", snapshot " << src.manifest.snapshot_sha256.substr(0, 12) << ")\n";
  const std::string trusted = "assay " + format + " report of assessment " + src.manifest.subject + ", snapshot " +
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
  if (fs::is_directory(path, ec)) return Status::InvalidInput(path + ": is a directory, not a PDF file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": read failed");
  *bytes = ss.str();
  return Status::OK();
}

// A log entity ID for people: rating keys are JSON arrays such as
// ["RES.3/OPO-OC","PA2.1",""] (instance, item, assessor; "" for the team).
std::string EntityText(const std::string& id) {
  if (id.empty() || id.front() != '[') return id;
  nlohmann::json j = nlohmann::json::parse(id, nullptr, false);
  if (!j.is_array()) return id;
  std::vector<std::string> parts;
  for (const auto& v : j) parts.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  if (parts.size() == 3 && parts[2].empty()) parts[2] = "(team)";
  std::string out;
  for (const std::string& p : parts)
    if (!p.empty()) out += (out.empty() ? "" : " ") + p;
  return out;
}

std::string Short(const std::string& hash) { return hash.size() > 16 ? hash.substr(0, 16) + "..." : hash; }

int RunVerifyReport(const GlobalOptions& global, const std::string& path) {
  std::string pdf;
  Status s = ReadWholeFile(path, &pdf);
  if (!s.ok()) return Fail(s);
  reports::ReportManifest m;
  s = reports::ReadPdfManifest(pdf, &m);
  if (!s.ok()) {
    // A PDF without a manifest is unusable input for this command.
    return Fail(Status::InvalidInput(path + ": " + s.message()));
  }
  if (m.kind != reports::ReportKind::kAssessment)
    return Fail(Status::Unsupported(path + ": a " + std::string(reports::ReportKindName(m.kind)) +
                                    " report; verify-report checks assessment reports"));
  std::unique_ptr<Session> session;
  s = OpenSession(global, false, &session);
  if (!s.ok()) return Fail(s);
  std::vector<Assessment> all;
  s = session->ws->ListAssessments(&all);
  if (!s.ok()) return Fail(s);
  std::vector<std::string> ids;
  for (const Assessment& a : all) ids.push_back(a.id);
  if (std::find(ids.begin(), ids.end(), m.subject) == ids.end())
    return Fail(Status::NotFound(path + ": the report is about assessment '" + m.subject + "', which is not in " +
                                 global.db + SuggestionSuffix(m.subject, ids)));
  SnapshotOptions options;
  options.export_digest = true;
  Snapshot snapshot;
  s = session->ws->ReadSnapshot(m.subject, options, &snapshot);
  if (!s.ok()) return Fail(s);
  const std::string& now = snapshot.export_sha256;
  const Assessment& current = snapshot.data.assessment;
  if (now == m.snapshot_sha256) {
    std::cout << "match: " << path << " was produced from assessment " << m.subject << " exactly as it is in "
              << global.db << "\n"
              << "  snapshot sha256 " << now << "\n"
              << "  model " << m.model << " (sha256 " << Short(m.model_sha256) << "), assay " << m.assay_version
              << ", data as of " << m.data_as_of << "\n";
    return kExitOk;
  }
  std::cout << "no match: assessment " << m.subject << " in " << global.db << " is not what " << path
            << " was produced from\n"
            << "  snapshot sha256 in the report:    " << m.snapshot_sha256 << "\n"
            << "  snapshot sha256 of the workspace: " << now << "\n";
  const std::string pinned = current.model_id + "@" + current.model_version;
  if (pinned != m.model) std::cout << "  model: report " << m.model << ", workspace " << pinned << "\n";
  if (!m.model_sha256.empty() && !current.model_hash.empty() && current.model_hash != m.model_sha256)
    std::cout << "  model sha256: report " << Short(m.model_sha256) << ", workspace " << Short(current.model_hash)
              << "\n";
  std::vector<Event> events;
  s = session->ws->ReadLog(m.subject, &events);
  if (!s.ok()) return Fail(s);
  std::vector<const Event*> later;
  for (const Event& e : events)
    if (m.log_seq > 0 && e.seq > m.log_seq) later.push_back(&e);
  bool known = m.log_seq > 0 && std::any_of(events.begin(), events.end(),
                                             [&](const Event& e) { return e.seq == m.log_seq; });
  if (!later.empty() && known) {
    std::cout << "  changed since the report (" << later.size() << " event" << (later.size() == 1 ? "" : "s")
              << " in the log after event " << m.log_seq << "):\n";
    size_t shown = 0;
    for (const Event* e : later) {
      if (shown++ == 20) {
        std::cout << "    ... and " << later.size() - 20 << " more (assay log " << m.subject << ")\n";
        break;
      }
      std::cout << "    #" << e->seq << " " << e->at << " " << e->actor << ": " << e->action << " " << e->entity << " "
                << EntityText(e->entity_id) << "\n";
    }
  } else {
    std::cout << "  the log shows no change after the report was made: this workspace is not the one the report "
                 "came from, or it was edited outside assay (run: assay log verify)\n";
  }
  std::cerr << "assay: verify-report: no match\n";
  return kExitCorruption;
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
  ASSAY_RETURN_IF_ERROR(ReadReportSource(ctx.global, ctx.assessment, &src));
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

// The demo's steps, in order. Add a step here to extend the demo.
std::vector<DemoStep> DemoSteps() {
  return {
      {"Create a workspace from the bundled example assessment", StepWorkspace},
      {"Capability profile", StepProfile},
      {"Checks before reporting", StepChecks},
      {"The assessment report", StepReport},
      {"An ISO/IEC 20000-1 certification audit client and its audit report", StepAudit},
  };
}

void PrintNext(const DemoContext& ctx) {
  const std::string db = ctx.global.db;
  const std::string pdf = (fs::path(ctx.dir) / "northwind-2026-report.pdf").string();
  std::cout << "\nDone. Files written:\n";
  for (const std::string& f : ctx.written) std::cout << "  " << f << "\n";
  std::cout << "\nTry next:\n"
            << "  assay --db " << db << " profile --instances            # ratings of every instance\n"
            << "  assay --db " << db << " check                          # every finding of the checks\n"
            << "  assay --db " << db << " what-if -r RES.3/OPO-OC:PA2.1=L  # a rating changed, nothing written\n"
            << "  assay --db " << db << " verify-report " << pdf << "\n"
            << "  assay --db " << db << " report --out my-report.pdf --paper letter\n"
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

void AddReportCommand(CLI::App* report, const GlobalOptions& global, int* exit_code) {
  auto r_id = std::make_shared<std::string>();
  auto r_out = std::make_shared<std::string>();
  auto r_paper = std::make_shared<std::string>("a4");
  auto r_format = std::make_shared<std::string>("pdf");
  auto r_force = std::make_shared<bool>(false);
  auto r_sign = std::make_shared<SigningOptions>();
  report->add_option("ID", *r_id, "Assessment ID (default: the most recent)");
  report->add_option("--out,-o", *r_out, "Output file (required for pdf; json and csv go to stdout without it)");
  report->add_option("--paper", *r_paper, "a4 (default) or letter")->check(CLI::IsMember({"a4", "letter"}, CLI::ignore_case));
  report->add_option("--format", *r_format, "pdf (default), json or csv")->check(CLI::IsMember({"pdf", "json", "csv"}));
  report->add_flag("--force", *r_force, "Overwrite --out if it exists");
  AddSigningOptions(report, r_sign.get());
  report->footer(kReportExitCodes);
  report->callback([&global, exit_code, r_id, r_out, r_paper, r_format, r_force, r_sign] {
    *exit_code = RunReport(global, *r_id, *r_out, *r_paper, *r_format, *r_force, *r_sign);
  });
}

void AddVerifyReportCommand(CLI::App* verify, const GlobalOptions& global, int* exit_code) {
  auto v_file = std::make_shared<std::string>();
  verify->add_option("FILE", *v_file, "A PDF written by `assay report`")->required();
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
