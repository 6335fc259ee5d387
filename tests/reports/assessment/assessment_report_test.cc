// Tests of the assessment report (assessment_report.h) and the shared report
// parts (report_parts.h): content, determinism, pagination of big
// assessments, the manifest in the PDF Info dictionary, and the demo report
// against `assay profile --format json`. PDFs are inspected with
// poppler-utils (pdftotext, pdfinfo) and qpdf.
#include "assay/reports/assessment_report.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "assay/rating.h"
#include "assay/model_graph.h"
#include "assay/model.h"
#include "assay/reports/report_parts.h"
#include "assay/store.h"
#include "assay/text.h"
#include "test_util.h"

namespace assay::reports {
namespace {

using assay::testing::SourcePath;
using assay::testing::RunCommand;
using assay::testing::TempDir;

int PageCount(const std::string& path) {
  std::string info = RunCommand("pdfinfo '" + path + "' 2>/dev/null");
  std::smatch m;
  static const std::regex kPages(R"(Pages:\s+([0-9]+))");
  return std::regex_search(info, m, kPages) ? std::stoi(m[1]) : -1;
}

std::string Text(const std::string& path, bool layout = false) {
  return RunCommand(std::string("pdftotext ") + (layout ? "-layout " : "") + "'" + path + "' - 2>/dev/null");
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Everything a report is made from, computed the way `assay report` does.
struct Fixture {
  ModelLibrary library;
  std::unique_ptr<Workspace> ws;
  std::shared_ptr<const Model> model;
  std::unique_ptr<ModelGraph> graph;
  AssessmentData data;
  RatingResults results;
  CheckReport checks;
  std::string export_json;

  AssessmentReportInput Input() const {
    AssessmentReportInput in;
    in.model = model.get();
    in.data = &data;
    in.results = &results;
    in.checks = &checks;
    in.manifest.kind = ReportKind::kAssessment;
    in.manifest.subject = data.assessment.id;
    in.manifest.snapshot_sha256 = Sha256Hex(export_json);
    in.manifest.assay_version = "9.8.7";
    in.manifest.model = model->Key();
    in.manifest.model_sha256 = model->hash();
    in.manifest.data_as_of = AssessmentDataAsOf(data);
    in.manifest.log_seq = 42;
    return in;
  }
  Status Recompute() {
    results = RatingResults();
    ASSAY_RETURN_IF_ERROR(ComputeResults(*model, *graph, data, &results));
    checks = RunChecks(*model, data);
    return Status::OK();
  }
};

// The bundled example, imported into an in-memory workspace.
std::unique_ptr<Fixture> Northwind() {
  auto f = std::make_unique<Fixture>();
  EXPECT_OK(f->library.Scan());
  WorkspaceOptions o;
  o.resolve_model = LibraryResolver(&f->library);
  o.clock = [] { return std::string("2026-11-24T10:00:00Z"); };
  EXPECT_OK(Workspace::Open(":memory:", o, &f->ws));
  ImportReport report;
  EXPECT_OK(f->ws->Import(SourcePath("models/examples/northwind-2026.json"), ImportOptions{}, &report));
  EXPECT_OK(f->ws->ReadSnapshot("NW-2026-01", &f->data));
  EXPECT_OK(f->ws->Export("NW-2026-01", &f->export_json));
  std::vector<Diagnostic> diags;
  EXPECT_OK(f->library.Load(f->data.assessment.model_id, f->data.assessment.model_version, &f->model, &diags));
  f->graph = std::make_unique<ModelGraph>(f->model);
  EXPECT_OK(f->Recompute());
  return f;
}

std::string Render(const Fixture& f, Paper paper = Paper::kA4) {
  std::string pdf;
  ReportOptions options;
  options.paper = paper;
  Status s = RenderAssessmentReport(f.Input(), options, &pdf);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return pdf;
}

// ---------------------------------------------------------------------------
// Manifest

TEST(ReportManifest, KeywordsRoundTrip) {
  ReportManifest m;
  m.kind = ReportKind::kAudit;
  m.subject = "ACME 2026/stage 2 (100%)";  // spaces and % are escaped
  m.snapshot_sha256 = std::string(64, 'a');
  m.assay_version = "0.1.0";
  m.model = "iso20000-1@2018.1";
  m.model_sha256 = std::string(64, '0');
  m.data_as_of = "2026-10-02";
  m.log_seq = 1234;
  m.log_head = std::string(64, 'c');
  m.draft = true;
  const std::string line = ManifestKeywords(m);
  EXPECT_NE(line.find(" log-seq=1234 log-head=" + m.log_head + " draft=yes"), std::string::npos) << line;
  EXPECT_EQ(line.rfind("assay-report-manifest/1 kind=audit subject=ACME%202026/stage%202%20%28100%25%29 ", 0), 0u)
      << line;
  for (char c : line) EXPECT_TRUE(c >= 0x20 && c < 0x7F) << line;
  ReportManifest back;
  ASSERT_OK(ParseManifestKeywords(line, &back));
  EXPECT_EQ(back.kind, ReportKind::kAudit);
  EXPECT_EQ(back.subject, m.subject);
  EXPECT_EQ(back.snapshot_sha256, m.snapshot_sha256);
  EXPECT_EQ(back.assay_version, "0.1.0");
  EXPECT_EQ(back.model, m.model);
  EXPECT_EQ(back.model_sha256, m.model_sha256);
  EXPECT_EQ(back.data_as_of, "2026-10-02");
  EXPECT_EQ(back.log_seq, 1234);
  EXPECT_EQ(back.log_head, m.log_head);
  EXPECT_TRUE(back.draft);
}

TEST(ReportManifest, BadKeywords) {
  const std::string h(64, 'b');
  const std::string ok = "assay-report-manifest/1 kind=assessment subject=A snapshot-sha256=" + h +
                         " assay=1 model=m@1 model-sha256=" + h + " data-as-of=2026-01-01";
  ReportManifest m;
  ASSERT_OK(ParseManifestKeywords(ok, &m));
  EXPECT_EQ(m.log_seq, 0);  // optional
  EXPECT_EQ(m.log_head, "");
  EXPECT_FALSE(m.draft);
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {"manifest kind=assessment", "does not start with 'assay-report-manifest/1'"},
      {"", "does not start with"},
      {"assay-report-manifest/1 kind=report subject=A", "kind 'report', expected assessment, summary or audit"},
      {"assay-report-manifest/1 kind=assessment subject=A snapshot-sha256=" + h + " assay=1 model=m@1 model-sha256=" +
           h,
       "field 'data-as-of' is missing"},
      {"assay-report-manifest/1 kind=assessment subject=A snapshot-sha256=abc assay=1 model=m model-sha256= "
       "data-as-of=",
       "snapshot-sha256 'abc' is not 64 hex digits"},
      {"assay-report-manifest/1 kind=assessment subject=A%2 snapshot-sha256=" + h, "field 'subject' has a malformed % escape"},
      {"assay-report-manifest/1 kind=assessment junk", "field 'junk' is not key=value"},
      {ok + " log-seq=12x", "log-seq '12x' is not a number"},
      {ok + " log-seq=12 log-head=abc", "log-head 'abc' is not 64 hex digits"},
      {ok + " draft=no", "draft 'no', expected yes"},
  };
  for (const Case& c : cases) {
    Status s = ParseManifestKeywords(c.text, &m);
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << c.text;
    EXPECT_NE(s.message().find(c.message), std::string::npos) << c.text << " -> " << s.message();
  }
}

// A minimal PDF whose Info dictionary holds `keywords` written as given
// (a literal or hex string token).
std::string PdfWithInfo(const std::string& keywords_token) {
  return "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
         "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
         "11 0 obj\n<< /Keywords (decoy in another object) >>\nendobj\n"
         "3 0 obj\n<< /Producer (x) /Keywords " +
         keywords_token + " >>\nendobj\ntrailer\n<< /Root 1 0 R /Info 3 0 R /Size 12 >>\n%%EOF\n";
}

TEST(ReportManifest, ReadsEscapedLiteralStrings) {
  const std::string h(64, 'c');
  const std::string line = "assay-report-manifest/1 kind=assessment subject=NW-2026-01 snapshot-sha256=" + h +
                           " assay=0.1.0 model=itsm-20000@1.0.0 model-sha256=" + h + " data-as-of=2026-10-02 log-seq=7";
  ReportManifest m;
  // Literal string with escapes: an octal escape for '=', a tab as the
  // separator, and a line continuation.
  std::string escaped = line;
  escaped.replace(escaped.find("kind="), 5, "kind\\075");
  escaped.replace(escaped.find(" assay="), 1, "\\t");
  escaped.replace(escaped.find("data-as-of"), 4, "da\\\nta");
  ASSERT_OK(ReadPdfManifest(PdfWithInfo("(" + escaped + ")"), &m));
  EXPECT_EQ(m.kind, ReportKind::kAssessment);
  EXPECT_EQ(m.subject, "NW-2026-01");
  EXPECT_EQ(m.assay_version, "0.1.0");
  EXPECT_EQ(m.data_as_of, "2026-10-02");
  EXPECT_EQ(m.log_seq, 7);
}

TEST(ReportManifest, ReadsHexUtf16) {
  const std::string h(64, 'd');
  const std::string line = "assay-report-manifest/1 kind=assessment subject=S snapshot-sha256=" + h +
                           " assay=0.1.0 model=m@1 model-sha256=" + h + " data-as-of=2026-10-02 log-seq=9";
  std::string hex = "<FE FF";
  static const char* kHex = "0123456789ABCDEF";
  for (char ch : line) {
    const auto c = static_cast<unsigned char>(ch);
    hex += "00";
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  hex += ">";
  ReportManifest m;
  ASSERT_OK(ReadPdfManifest(PdfWithInfo(hex), &m));
  EXPECT_EQ(m.subject, "S");
  EXPECT_EQ(m.log_seq, 9);
  // Plain hex (no byte order mark) too.
  std::string plain = "<";
  for (char ch : line) {
    const auto c = static_cast<unsigned char>(ch);
    plain += kHex[c >> 4];
    plain += kHex[c & 15];
  }
  ASSERT_OK(ReadPdfManifest(PdfWithInfo(plain + ">"), &m));
  EXPECT_EQ(m.model, "m@1");
}

TEST(ReportManifest, MissingOrNotPdf) {
  ReportManifest m;
  Status s = ReadPdfManifest("hello", &m);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("not a PDF file"), std::string::npos) << s.message();
  s = ReadPdfManifest(PdfWithInfo("(some words)"), &m);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("no assay manifest"), std::string::npos) << s.message();
  s = ReadPdfManifest("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n", &m);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  // A manifest that is there but broken is reported as such.
  s = ReadPdfManifest(PdfWithInfo("(assay-report-manifest/1 kind=assessment)"), &m);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("field 'subject' is missing"), std::string::npos) << s.message();
}

TEST(ReportParts, Dates) {
  EXPECT_EQ(LongDate("2026-09-14"), "14 September 2026");
  EXPECT_EQ(LongDate("2026-01-02T10:00:00Z"), "2 January 2026");
  EXPECT_EQ(LongDate(""), "not recorded");
  EXPECT_EQ(LongDate("soon"), "soon");
  EXPECT_EQ(DateRange("2026-09-14", "2026-10-02"), "14 September 2026 to 2 October 2026");
  EXPECT_EQ(DateRange("2026-09-14", ""), "from 14 September 2026");
  EXPECT_EQ(DateRange("2026-09-14", "2026-09-14T18:00"), "14 September 2026");
  EXPECT_EQ(NewestDate({"2026-01-01", "bad", "2026-10-02T09:00:00Z", "", "2026-03-01"}), "2026-10-02");
  EXPECT_EQ(NewestDate({"x", ""}), "");
}

// ---------------------------------------------------------------------------
// The report of the bundled example

TEST(AssessmentReport, RejectsBadInput) {
  auto f = Northwind();
  std::string pdf = "untouched";
  AssessmentReportInput in = f->Input();
  in.checks = nullptr;
  Status s = RenderAssessmentReport(in, ReportOptions{}, &pdf);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(pdf, "untouched");
  in = f->Input();
  in.manifest.subject = "OTHER";
  s = RenderAssessmentReport(in, ReportOptions{}, &pdf);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("the manifest names assessment 'OTHER', not assessment 'NW-2026-01'"), std::string::npos)
      << s.message();
  ReportOptions no_fonts;
  no_fonts.font_dir = "/nonexistent/fonts";
  s = RenderAssessmentReport(f->Input(), no_fonts, &pdf);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("fonts-dejavu-core"), std::string::npos) << s.message();
  EXPECT_EQ(pdf, "untouched");
}

TEST(AssessmentReport, DataAsOfIsTheNewestRecordDate) {
  auto f = Northwind();
  EXPECT_EQ(AssessmentDataAsOf(f->data), "2026-10-02");
  AssessmentData d = f->data;
  d.ratings.front().rated_at = "2026-12-24T08:00:00Z";
  EXPECT_EQ(AssessmentDataAsOf(d), "2026-12-24");
}

TEST(AssessmentReport, DeterministicAndCarriesTheManifest) {
  auto f = Northwind();
  const std::string a = Render(*f);
  const std::string b = Render(*f);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b) << "two renderings of the same input differ";
  EXPECT_EQ(AssessmentReportJson(f->Input()), AssessmentReportJson(f->Input()));
  EXPECT_EQ(AssessmentReportCsv(f->Input()), AssessmentReportCsv(f->Input()));
  ReportManifest m;
  ASSERT_OK(ReadPdfManifest(a, &m));
  EXPECT_EQ(m.subject, "NW-2026-01");
  EXPECT_EQ(m.snapshot_sha256, Sha256Hex(f->export_json));
  EXPECT_EQ(m.model, "itsm-20000@1.0.0");
  EXPECT_EQ(m.model_sha256, f->model->hash());
  EXPECT_EQ(m.data_as_of, "2026-10-02");
  EXPECT_EQ(m.assay_version, "9.8.7");
  EXPECT_EQ(m.log_seq, 42);
  // A changed input changes the bytes (the snapshot hash is printed and stored).
  AssessmentReportInput in = f->Input();
  in.manifest.snapshot_sha256 = std::string(64, 'e');
  std::string c;
  ASSERT_OK(RenderAssessmentReport(in, ReportOptions{}, &c));
  EXPECT_NE(a, c);
}

TEST(AssessmentReport, ContentOfTheExample) {
  REQUIRE_TOOLS();
  auto f = Northwind();
  TempDir dir;
  const std::string path = dir.Write("report.pdf", Render(*f));
  int rc = 0;
  RunCommand("qpdf --check '" + path + "' >/dev/null 2>&1", &rc);
  EXPECT_EQ(rc, 0) << "qpdf --check failed";
  const int pages = PageCount(path);
  EXPECT_GE(pages, 15);
  EXPECT_LE(pages, 60);
  const std::string text = Text(path);
  // In the order the brief asks for.
  const char* const sections[] = {"PROCESS ASSESSMENT REPORT",
                                  "Contents",
                                  "1 Purpose",
                                  "1.1 This report and its summary",
                                  "2 Scope",
                                  "3 Team and participants",
                                  "4 Constraints",
                                  "5 Method",
                                  "6 Results",
                                  "6.1 Capability profile",
                                  "6.2 Process attribute ratings",
                                  "6.3 Capability levels",
                                  "6.4 Maturity level",
                                  "7 Strengths and weaknesses",
                                  "8 Check results and rule deviations",
                                  "9 Improvement recommendations",
                                  "10 Basis of the results",
                                  "A Evidence register",
                                  "Signatures",
                                  "Report manifest"};
  // Skip the contents page: look from the first body heading on.
  size_t pos = text.find("1 Purpose", text.find("Report manifest") + 1);
  ASSERT_NE(pos, std::string::npos);
  for (size_t i = 2; i < std::size(sections); ++i) {
    size_t next = text.find(sections[i], pos);
    EXPECT_NE(next, std::string::npos) << "section missing or out of order: " << sections[i];
    if (next != std::string::npos) pos = next;
  }
  EXPECT_NE(text.find("Page 1 of " + std::to_string(pages)), std::string::npos);
  EXPECT_NE(text.find("Page " + std::to_string(pages) + " of " + std::to_string(pages)), std::string::npos);
  // Unicode names, the manifest, the sampling statement, the method.
  for (const char* needle : {"Zoë Šťastná", "Łukasz Żółć", "Dr. Friederike Weiß", "CONFIDENTIAL", "Weighted mean of the instance ratings",
                             "rest on the evidence the team sampled", "R2: process attributes are rated per instance",
                             "14 September 2026 to 2 October 2026", "RL.PA3.2.1", "E01", "Lead assessor",
                             "Assessment sponsor", "itsm-20000@1.0.0", "verify-report",
                             "--summary) gives the", "4 Weaknesses and strengths", "6.4 Maturity level"})
    EXPECT_NE(text.find(needle), std::string::npos) << "missing: " << needle;
  EXPECT_NE(text.find(Sha256Hex(f->export_json).substr(0, 40)), std::string::npos);
  // Every scoped process in the chart with its level and target.
  const std::string layout = Text(path, true);
  for (const ProcessProfile& p : f->results.processes) {
    std::regex row("(^|\\n)\\s*" + std::regex_replace(p.process, std::regex("\\."), "\\.") + "\\s+[^\\n]*\\s" +
                   std::to_string(p.capability.level) + "\\s*/\\s*" + std::to_string(p.target_level) + "\\s*(\\n|$)");
    EXPECT_TRUE(std::regex_search(layout, row)) << p.process << " with " << p.capability.level << " / "
                                                << p.target_level << " not in the chart";
  }
  // The maturity level and what holds it back.
  EXPECT_NE(text.find("Organizational maturity level 1 of 5"), std::string::npos);
  EXPECT_NE(text.find("Processes holding the organization back from maturity level 2"), std::string::npos);
}

TEST(AssessmentReport, LetterPaper) {
  REQUIRE_TOOLS();
  auto f = Northwind();
  TempDir dir;
  const std::string path = dir.Write("letter.pdf", Render(*f, Paper::kLetter));
  const std::string info = RunCommand("pdfinfo '" + path + "'");
  EXPECT_NE(info.find("612 x 792 pts (letter)"), std::string::npos) << info;
}

TEST(AssessmentReport, JsonAndCsvCarryTheSameContent) {
  auto f = Northwind();
  const nlohmann::json j = nlohmann::json::parse(AssessmentReportJson(f->Input()));
  EXPECT_EQ(j["format"], "assay-assessment-report/1");
  ASSERT_EQ(j["results"]["processes"].size(), f->results.processes.size());
  for (size_t i = 0; i < f->results.processes.size(); ++i) {
    EXPECT_EQ(j["results"]["processes"][i]["process"], f->results.processes[i].process);
    EXPECT_EQ(j["results"]["processes"][i]["capability_level"], f->results.processes[i].capability.level);
  }
  EXPECT_EQ(j["manifest"]["snapshot_sha256"], Sha256Hex(f->export_json));
  EXPECT_EQ(j["checks"]["justified_deviations"].size(), 1u);
  EXPECT_EQ(j["evidence"].size(), f->data.evidence.size());
  // RES.3 (level 1 of 3) needs PA1.1 raised to F among others.
  bool res3 = false;
  for (const auto& rec : j["recommendations"]) {
    if (rec["process"] != "RES.3") continue;
    res3 = true;
    EXPECT_EQ(rec["achieved"], 1);
    EXPECT_EQ(rec["target"], 3);
    EXPECT_EQ(rec["raise"][0]["attribute"], "PA1.1");
    EXPECT_EQ(rec["raise"][0]["needs"], "F");
  }
  EXPECT_TRUE(res3);
  for (const auto& rec : j["recommendations"]) EXPECT_NE(rec["process"], "RES.1");  // at target
  const std::string csv = AssessmentReportCsv(f->Input());
  EXPECT_EQ(csv.rfind("section,process,instance,attribute,item,value,detail\n", 0), 0u);
  EXPECT_NE(csv.find("\ncapability,RES.3,,,target 3,1,gap 2\n"), std::string::npos);
  EXPECT_NE(csv.find("\nattribute,RES.1,,PA1.1,rated,F,\n"), std::string::npos);
  EXPECT_NE(csv.find("\nmanifest,,,,snapshot_sha256," + Sha256Hex(f->export_json) + ",\n"), std::string::npos);
}

TEST(AssessmentReport, NoRatingsShowsNotRated) {
  REQUIRE_TOOLS();
  auto f = Northwind();
  f->data.ratings.clear();
  ASSERT_OK(f->Recompute());
  TempDir dir;
  const std::string path = dir.Write("empty.pdf", Render(*f));
  int rc = 0;
  RunCommand("qpdf --check '" + path + "' >/dev/null 2>&1", &rc);
  EXPECT_EQ(rc, 0);
  const std::string text = Text(path);
  EXPECT_NE(text.find("n.r."), std::string::npos);           // matrix and chart
  EXPECT_NE(text.find("not rated"), std::string::npos);      // legends
  EXPECT_NE(text.find("No strength or weakness statements were recorded for"), std::string::npos);
  EXPECT_NE(text.find("never-rated"), std::string::npos);  // the checks say why
  const std::string layout = Text(path, true);
  for (const ProcessProfile& p : f->results.processes)
    EXPECT_TRUE(std::regex_search(layout, std::regex(std::regex_replace(p.process, std::regex("\\."), "\\.") +
                                                     "\\s+[^\\n]*n\\.r\\.\\s*/\\s*" + std::to_string(p.target_level))))
        << p.process;
  // The capability table: target, then "not rated" where the level would be.
  for (const ProcessProfile& p : f->results.processes)
    EXPECT_TRUE(std::regex_search(layout, std::regex("(^|\\n)\\s*" + std::regex_replace(p.process, std::regex("\\."), "\\.") +
                                                     "\\s[^\\n]*\\s" + std::to_string(p.target_level) +
                                                     "\\s+not rated\\s+" + std::to_string(p.target_level) + "\\s")))
        << p.process << " not shown as not rated in the capability table";
}

// ---------------------------------------------------------------------------
// 300 processes: a synthetic model pack written to a temporary directory.

std::string SyntheticPack(int processes) {
  nlohmann::ordered_json pack;
  pack["format"] = "assay-model/1";
  pack["kind"] = "pam";
  pack["id"] = "synthetic-300";
  pack["version"] = "1.0.0";
  pack["title"] = "Synthetic model with many processes";
  pack["follows"] = {"test"};
  pack["framework"] = {{"id", "mf-33020"}, {"version", "1.0.0"}};
  pack["groups"] = {{{"id", "SYN"}, {"name", "Synthetic processes"}}};
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (int i = 1; i <= processes; ++i) {
    const std::string id = "SYN." + std::to_string(i);
    list.push_back({{"id", id},
                    {"name", "Synthetic process number " + std::to_string(i) + " with a fairly long name to wrap"},
                    {"group", "SYN"},
                    {"purpose", "Exists for the pagination test."},
                    {"outcomes", {{{"id", id + ".O1"}, {"text", "done"}}}},
                    {"base_practices", {{{"id", id + ".BP1"}, {"name", "Do"}, {"supports", {id + ".O1"}}}}},
                    {"work_products", nlohmann::ordered_json::array()}});
  }
  pack["processes"] = list;
  return pack.dump(2);
}

TEST(AssessmentReport, ThreeHundredProcessesPaginateWithoutClipping) {
  REQUIRE_TOOLS();
  TempDir models;
  models.Write("synthetic.json", SyntheticPack(300));
  Fixture f;
  f.library = ModelLibrary({models.path()});
  ASSERT_OK(f.library.Scan());
  ASSERT_TRUE(f.library.problems().empty()) << f.library.problems().front().ToString();
  std::vector<Diagnostic> diags;
  ASSERT_OK(f.library.Load("synthetic-300", "", &f.model, &diags));
  f.graph = std::make_unique<ModelGraph>(f.model);
  Assessment& a = f.data.assessment;
  a.id = "BIG-1";
  a.title = "A very large assessment";
  a.organization = "Example Org";
  a.model_id = "synthetic-300";
  a.model_version = "1.0.0";
  a.start_date = "2026-01-05";
  a.end_date = "2026-02-27";
  const char* values[] = {"F", "L", "P", "N"};
  for (int i = 1; i <= 300; ++i) {
    const std::string id = "SYN." + std::to_string(i);
    f.data.scope.push_back({id, 1 + i % 3});
    ProcessInstance inst;
    inst.id = id + "/U" + std::to_string(i % 7);
    inst.process = id;
    inst.name = "Instance of " + id;
    f.data.instances.push_back(inst);
    for (const char* attr : {"PA1.1", "PA2.1", "PA2.2"}) {
      if ((i + attr[4]) % 5 == 0) continue;  // some not rated
      Rating r;
      r.process = id;
      r.instance = inst.id;
      r.item = attr;
      r.consolidated = true;
      r.value = values[(i * 7 + attr[4]) % 4];
      if (r.value != "F") r.weakness = "Weakness " + std::to_string(i) + " of " + attr;
      f.data.ratings.push_back(r);
    }
  }
  f.export_json = "synthetic";
  ASSERT_OK(f.Recompute());
  TempDir dir;
  std::string pdf;
  ASSERT_OK(RenderAssessmentReport(f.Input(), ReportOptions{}, &pdf));
  const std::string path = dir.Write("big.pdf", pdf);
  int rc = 0;
  RunCommand("qpdf --check '" + path + "' >/dev/null 2>&1", &rc);
  EXPECT_EQ(rc, 0);
  const int pages = PageCount(path);
  EXPECT_GE(pages, 30);
  EXPECT_LE(pages, 400);
  // Every process appears in the chart, the matrix and the capability table:
  // three times at least in the text (pdftotext recovers clipped-away text
  // too, so the positions are checked below).
  // A process ID counts where it stands alone: "SYN." and its number, with
  // neither a digit nor a dot before it (one pass over the text).
  const std::string text = Text(path);
  std::map<int, int> seen;
  for (size_t at = text.find("SYN."); at != std::string::npos; at = text.find("SYN.", at + 1)) {
    if (at > 0 && (std::isdigit(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '.')) continue;
    size_t end = at + 4;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    if (end > at + 4) ++seen[std::stoi(text.substr(at + 4, end - at - 4))];
  }
  for (int i = 1; i <= 300; ++i) EXPECT_GE(seen[i], 3) << "SYN." << i << " appears " << seen[i] << " times";
  // No word lies outside the page's content area (20 mm margins, header and
  // footer in the margins): nothing is clipped or runs off the page.
  const std::string bbox = RunCommand("pdftotext -bbox '" + path + "' - 2>/dev/null");
  // The value of attribute `name` in `line` (pdftotext writes name="number").
  auto attr = [](const std::string& line, const char* name) {
    const size_t at = line.find(std::string(" ") + name + "=\"");
    return at == std::string::npos ? -1.0 : std::stod(line.substr(at + std::strlen(name) + 3));
  };
  double width = 0, height = 0;
  int words = 0, outside = 0;
  std::istringstream in(bbox);
  for (std::string line; std::getline(in, line);) {
    if (line.find("<page ") != std::string::npos) {
      width = attr(line, "width");
      height = attr(line, "height");
    } else if (line.find("<word ") != std::string::npos) {
      ++words;
      const double x0 = attr(line, "xMin"), y0 = attr(line, "yMin"), x1 = attr(line, "xMax"), y1 = attr(line, "yMax");
      if (x0 < 50 || x1 > width - 50 || y0 < 20 || y1 > height - 20) ++outside;
    }
  }
  EXPECT_GT(words, 3000);
  EXPECT_EQ(outside, 0) << outside << " words outside the content area";
}

// ---------------------------------------------------------------------------
// The demo's report against `assay profile --format json` (the executable).

TEST(ReportCli, DemoReportShowsTheProfileLevels) {
  REQUIRE_TOOLS();
  TempDir dir;
  const std::string out = dir.path() + "/demo";
  const std::string bin = ASSAY_BIN;
  int rc = 0;
  RunCommand("'" + bin + "' demo --out '" + out + "' >/dev/null 2>&1", &rc);
  ASSERT_EQ(rc, 0);
  const std::string json =
      RunCommand("'" + bin + "' --db '" + out + "/demo.db' profile NW-2026-01 --format json 2>/dev/null", &rc);
  ASSERT_EQ(rc, 0);
  const nlohmann::json profile = nlohmann::json::parse(json);
  const std::string pdf = out + "/northwind-2026-report.pdf";
  const std::string layout = Text(pdf, true);
  const std::string text = Text(pdf);
  ASSERT_FALSE(profile["processes"].empty());
  size_t checked = 0;
  for (const auto& p : profile["processes"]) {
    const std::string id = p["process"];
    const int level = p["capability"]["level"];
    const int target = p["target_level"];
    std::regex row("(^|\\n)\\s*" + std::regex_replace(id, std::regex("\\."), "\\.") + "\\s+[^\\n]*\\s" +
                   std::to_string(level) + "\\s*/\\s*" + std::to_string(target) + "\\s*(\\n|$)");
    EXPECT_TRUE(std::regex_search(layout, row)) << id << ": level " << level << " of " << target << " not in the PDF";
    EXPECT_NE(text.find(p["name"].get<std::string>()), std::string::npos) << id;
    ++checked;
  }
  EXPECT_EQ(checked, 11u);
  // The JSON form the demo wrote says the same.
  const nlohmann::json report = nlohmann::json::parse(ReadFile(out + "/northwind-2026-report.json"));
  for (size_t i = 0; i < profile["processes"].size(); ++i)
    EXPECT_EQ(report["results"]["processes"][i]["capability_level"], profile["processes"][i]["capability"]["level"]);
  // verify-report agrees with the workspace it came from.
  const std::string verify =
      RunCommand("'" + bin + "' --db '" + out + "/demo.db' verify-report '" + pdf + "' 2>&1", &rc);
  EXPECT_EQ(rc, 0) << verify;
  EXPECT_EQ(verify.rfind("match: ", 0), 0u) << verify;
}

}  // namespace
}  // namespace assay::reports
