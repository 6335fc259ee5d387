// assay trend: one organization's assessments side by side (assay/rating.h, Trend).
#include <algorithm>
#include <cctype>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "assay/reports/portfolio.h"
#include "assay/reports/trend.h"
#include "assay/text.h"
#include "assay/rating.h"
#include "cli.h"
#include "commands.h"

namespace assay::cli {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Listed(const std::set<std::string>& names) {
  std::string out;
  size_t n = 0;
  for (const std::string& name : names) {
    if (n++ == 8) return out + ", ... (" + std::to_string(names.size()) + " in all)";
    out += (out.empty() ? "" : ", ") + Quote(name);
  }
  return out;
}

// The organization meant by `given`: itself when an assessment names it
// exactly, else the one organization it is a case-insensitive prefix of;
// with `given` empty, the workspace's only organization.
Status PickOrganization(const std::vector<Assessment>& all, const std::string& given, std::string* out) {
  std::set<std::string> orgs;
  for (const Assessment& a : all)
    if (!a.organization.empty()) orgs.insert(a.organization);
  if (orgs.empty())
    return Status::NotFound("no assessment names its organization; set one with: assay assessment set "
                            "--organization NAME -a ID");
  if (given.empty()) {
    if (orgs.size() == 1) {
      *out = *orgs.begin();
      return Status::OK();
    }
    return Status::InvalidInput("the workspace holds assessments of " + std::to_string(orgs.size()) +
                                " organizations; choose one with --organization: " + Listed(orgs));
  }
  if (orgs.count(given)) {
    *out = given;
    return Status::OK();
  }
  std::set<std::string> matches;
  for (const std::string& o : orgs)
    if (Lower(o).rfind(Lower(given), 0) == 0) matches.insert(o);
  if (matches.size() == 1) {
    *out = *matches.begin();
    return Status::OK();
  }
  if (matches.empty())
    return Status::NotFound("no assessment of an organization named or starting with " + Quote(given) +
                            "; the organizations are: " + Listed(orgs));
  return Status::InvalidInput(Quote(given) + " starts the names of " + std::to_string(matches.size()) +
                              " organizations; give more of the name: " + Listed(matches));
}

// The series of `org` meant by `given` (may be ""): with `given_set`, that
// series (which must exist); else the organization's only series.
Status PickSeries(const std::vector<Assessment>& all, const std::string& org, const std::string& given,
                  bool given_set, std::string* out) {
  std::set<std::string> series;
  for (const Assessment& a : all)
    if (a.organization == org) series.insert(a.series);
  if (given_set) {
    if (!series.count(given))
      return Status::NotFound("no assessment of " + Quote(org) + " in series " + Quote(given) +
                              "; its series are: " + Listed(series));
    *out = given;
    return Status::OK();
  }
  if (series.size() > 1)
    return Status::InvalidInput("the assessments of " + Quote(org) + " form " + std::to_string(series.size()) +
                                " series; choose one with --series (\"\" for the unnamed one): " + Listed(series));
  *out = *series.begin();
  return Status::OK();
}

// Reads assessment `id` at `at_seq` (0: now) and rates it without the
// sensitivity analysis.
Status ReadAndRate(Session* session, const std::string& id, int64_t at_seq, Loaded* loaded, RatingResults* results) {
  SnapshotOptions options;
  options.at_seq = at_seq;
  ASSAY_RETURN_IF_ERROR(ReadAssessment(session, id, options, loaded));
  ComputeOptions compute;
  compute.sensitivity = false;
  return ComputeResults(*loaded->model, *loaded->graph, loaded->data, results, compute);
}

std::string LevelText(const TrendPoint& p) {
  if (!p.in_scope) return "-";
  return p.level ? "CL" + std::to_string(*p.level) : "~";
}

void PrintTrendTable(const std::string& org, const std::string& series, const Trend& trend, bool attributes,
                     std::ostream& out) {
  const size_t n = trend.assessments.size();
  out << "Trend of " << org << (series.empty() ? "" : ", series " + series) << ": " << n
      << (n == 1 ? " assessment\n" : " assessments, oldest first\n");
  for (size_t k = 0; k < n; ++k) {
    const Assessment& a = trend.assessments[k];
    const std::string date = SeriesDate(a);
    out << "  " << std::right << std::setw(2) << k + 1 << "  " << std::left << std::setw(14) << a.id
        << std::setw(12) << (date.empty() ? "(no date)" : date) << a.title << "\n";
  }
  out << "\n" << std::left << std::setw(8) << "PROCESS" << std::setw(22) << "NAME";
  for (size_t k = 0; k < n; ++k) out << std::setw(5) << std::to_string(k + 1);
  out << std::setw(16) << "CHANGE" << "GAP\n";
  for (const ProcessTrend& p : trend.processes) {
    std::string name = p.name.size() > 21 ? p.name.substr(0, 20) + "~" : p.name;
    out << std::setw(8) << p.process << std::setw(22) << name;
    for (const TrendPoint& point : p.points) out << std::setw(5) << LevelText(point);
    const TrendPoint& last = p.points.back();
    out << std::setw(16) << (n > 1 ? ChangeName(p.latest) : "") << (last.gap ? std::to_string(*last.gap) : "-")
        << "\n";
    if (!attributes) continue;
    for (const AttributeTrend& a : p.attributes) {
      out << "  " << std::setw(28) << a.attribute;
      for (size_t k = 0; k < a.values.size(); ++k)
        out << std::setw(5) << (a.values[k].empty() ? "-" : a.values[k] + ReliabilityMark(a.dispersions[k]));
      out << (a.changes.empty() ? "" : ChangeName(a.changes.back())) << "\n";
    }
  }
  out << "\nCLn capability level   - not in scope (or not rated)   ~ not determined (R3)\n";
  bool marked = false;
  for (const ProcessTrend& p : trend.processes)
    for (const AttributeTrend& a : p.attributes)
      for (const std::optional<Dispersion>& d : a.dispersions) marked = marked || *ReliabilityMark(d);
  if (attributes && marked) out << kReliabilityLegend;
  out << "CHANGE: from assessment " << (n > 1 ? std::to_string(n - 1) : "1") << " to " << n
      << "; GAP: target minus level in the newest assessment\n";
}

// Where a trend or portfolio goes: standard output, or --out FILE (written
// atomically; an existing file only with --force).
struct Output {
  std::string format = "table";
  std::string out;
  bool force = false;
  std::string paper = "a4";
};

int Emit(const Output& o, const std::string& what, const std::string& bytes) {
  if (o.out.empty()) {
    std::cout << bytes;
    return std::cout.good() ? kExitOk : Fail(Status::IOError("cannot write the " + what + " to standard output"));
  }
  Status s = WriteOutputFile(o.out, bytes, o.force);
  if (!s.ok()) return Fail(s);
  std::cerr << "assay: wrote " << o.out << " (" << what << ", " << o.format << ")\n";
  return kExitOk;
}

int RunTrend(const GlobalOptions& global, const std::string& given_org, const std::string& given_series,
             bool series_set, const Output& o, bool attributes) {
  const std::string& format = o.format;
  if (!o.out.empty()) {
    Status s = CheckOutputTarget(o.out, o.force);
    if (!s.ok()) return Fail(s);
  }
  std::unique_ptr<Session> session;
  Status s = OpenSession(global, false, &session);
  if (!s.ok()) return Fail(s);
  std::vector<Assessment> all;
  s = session->ws->ListAssessments(&all);
  if (!s.ok()) return Fail(s);
  std::string org, series;
  s = PickOrganization(all, given_org, &org);
  if (s.ok()) s = PickSeries(all, org, given_series, series_set, &series);
  if (!s.ok()) return Fail(s);
  std::erase_if(all, [&](const Assessment& a) { return a.organization != org || a.series != series; });
  SortSeries(&all);
  // Each assessment read in its own snapshot; models and graphs from the
  // session's cache.
  SeriesData data;
  data.loaded.resize(all.size());
  data.results.resize(all.size());
  std::vector<SeriesEntry> entries;
  for (size_t k = 0; k < all.size(); ++k) {
    s = ReadAndRate(session.get(), all[k].id, 0, &data.loaded[k], &data.results[k]);
    if (!s.ok()) return Fail(s);
    entries.push_back({&data.loaded[k].data, &data.results[k]});
  }
  const Trend trend = ComputeTrend(entries);
  std::string bytes;
  if (format == "json") {
    bytes = reports::TrendJson(org, series, trend);
  } else if (format == "csv") {
    bytes = reports::TrendCsv(org, series, trend);
  } else if (format == "svg") {
    bytes = reports::TrendSvg(org, trend);
  } else {
    std::ostringstream table;
    PrintTrendTable(org, series, trend, attributes, table);
    bytes = table.str();
  }
  return Emit(o, "trend", bytes);
}

std::string PortfolioCellText(const TrendPoint& p) {
  if (!p.in_scope) return "-";
  return (p.level ? std::to_string(*p.level) : std::string("~")) + "/" + std::to_string(p.target_level) +
         (!p.level || *p.level < p.target_level ? "!" : "");
}

void PrintPortfolioTable(const Portfolio& portfolio, size_t left_out, std::ostream& out) {
  const size_t n = portfolio.rows.size();
  out << "Portfolio: " << n << (n == 1 ? " organization" : " organizations") << ", the latest assessment of each\n";
  for (size_t k = 0; k < n; ++k) {
    const Assessment& a = portfolio.rows[k].assessment;
    const std::string date = SeriesDate(a);
    out << "  " << std::right << std::setw(2) << k + 1 << "  " << std::left << std::setw(14) << a.id << std::setw(12)
        << (date.empty() ? "(no date)" : date) << a.organization << "\n";
  }
  if (left_out > 0)
    out << "  (" << left_out << (left_out == 1 ? " assessment names" : " assessments name")
        << " no organization and " << (left_out == 1 ? "is" : "are") << " left out)\n";
  out << "\n" << std::left << std::setw(8) << "PROCESS" << std::setw(22) << "NAME";
  for (size_t k = 0; k < n; ++k) out << std::setw(7) << std::to_string(k + 1);
  out << "\n";
  for (size_t i = 0; i < portfolio.processes.size(); ++i) {
    const std::string& name = portfolio.names[i];
    out << std::setw(8) << portfolio.processes[i] << std::setw(22)
        << (name.size() > 21 ? name.substr(0, 20) + "~" : name);
    for (const PortfolioRow& row : portfolio.rows) out << std::setw(7) << PortfolioCellText(row.points[i]);
    out << "\n";
  }
  out << "\nL/T capability level / target level   ! below target   - not in scope   ~ not determined (R3)\n";
}

int RunPortfolio(const GlobalOptions& global, const Output& o) {
  if (o.format == "pdf" && o.out.empty()) {
    std::cerr << "assay: portfolio: give --out FILE.pdf for the PDF heat map\n";
    return kExitUsage;
  }
  reports::Paper paper = reports::Paper::kA4;
  Status s = reports::ParsePaper(o.paper, &paper);
  if (s.ok() && !o.out.empty()) s = CheckOutputTarget(o.out, o.force);
  std::unique_ptr<Session> session;
  if (s.ok()) s = OpenSession(global, false, &session);
  std::vector<Assessment> all;
  if (s.ok()) s = session->ws->ListAssessments(&all);
  if (!s.ok()) return Fail(s);
  const std::vector<Assessment> latest = LatestPerOrganization(all);
  const size_t left_out = static_cast<size_t>(
      std::count_if(all.begin(), all.end(), [](const Assessment& a) { return a.organization.empty(); }));
  SeriesData data;
  data.loaded.resize(latest.size());
  data.results.resize(latest.size());
  std::vector<SeriesEntry> entries;
  std::string as_of;
  for (size_t k = 0; k < latest.size(); ++k) {
    s = ReadAndRate(session.get(), latest[k].id, 0, &data.loaded[k], &data.results[k]);
    if (!s.ok()) return Fail(s);
    entries.push_back({&data.loaded[k].data, &data.results[k]});
    as_of = std::max(as_of, SeriesDate(latest[k]));
  }
  const Portfolio portfolio = ComputePortfolio(entries);
  std::string bytes;
  if (o.format == "json") {
    bytes = reports::PortfolioJson(portfolio);
  } else if (o.format == "csv") {
    bytes = reports::PortfolioCsv(portfolio);
  } else if (o.format == "svg") {
    bytes = reports::PortfolioSvg(portfolio);
  } else if (o.format == "pdf") {
    reports::ReportOptions options;
    options.paper = paper;
    options.font_dir = global.font_dir;
    s = reports::RenderPortfolioPdf(portfolio, as_of, options, &bytes);
    if (!s.ok()) return Fail(s);
  } else {
    std::ostringstream table;
    PrintPortfolioTable(portfolio, left_out, table);
    bytes = table.str();
  }
  return Emit(o, "portfolio", bytes);
}

}  // namespace

Status ReadSeriesUpTo(Session* session, const Loaded& subject, const RatingResults& subject_results, int64_t at_seq,
                      SeriesData* out, std::vector<SeriesEntry>* entries) {
  const Assessment& a = subject.data.assessment;
  std::vector<Assessment> members;
  std::vector<Assessment> all;
  if (!a.organization.empty()) ASSAY_RETURN_IF_ERROR(session->ws->ListAssessments(&all));
  // The others as they were at the position: an assessment created later is
  // no member; one renamed since is judged by its record of then.
  std::vector<Loaded> loaded;
  for (const Assessment& other : all) {
    if (other.id == a.id) continue;
    Loaded l;
    SnapshotOptions options;
    options.at_seq = at_seq;
    Status s = ReadAssessment(session, other.id, options, &l);
    if (s.code() == Status::Code::kNotFound) continue;  // not yet recorded then
    ASSAY_RETURN_IF_ERROR(s);
    if (l.data.assessment.organization != a.organization || l.data.assessment.series != a.series) continue;
    loaded.push_back(std::move(l));
  }
  members.push_back(a);
  for (const Loaded& l : loaded) members.push_back(l.data.assessment);
  SortSeries(&members);
  out->loaded.clear();
  out->results.clear();
  for (const Assessment& m : members) {
    if (m.id == a.id) break;
    auto it = std::find_if(loaded.begin(), loaded.end(), [&](const Loaded& l) { return l.data.assessment.id == m.id; });
    out->loaded.push_back(std::move(*it));
  }
  out->results.resize(out->loaded.size());
  ComputeOptions compute;
  compute.sensitivity = false;
  entries->clear();
  for (size_t k = 0; k < out->loaded.size(); ++k) {
    Loaded& l = out->loaded[k];
    ASSAY_RETURN_IF_ERROR(ComputeResults(*l.model, *l.graph, l.data, &out->results[k], compute));
    entries->push_back({&l.data, &out->results[k]});
  }
  entries->push_back({&subject.data, &subject_results});
  return Status::OK();
}

int TrendCommand(const GlobalOptions& global, const std::string& organization) {
  return RunTrend(global, organization, "", false, Output(), false);
}

void AddTrendCommand(CLI::App* trend, const GlobalOptions& global, int* exit_code) {
  auto org = std::make_shared<std::string>();
  auto series = std::make_shared<std::string>();
  auto output = std::make_shared<Output>();
  auto attributes = std::make_shared<bool>(false);
  trend->add_option("--organization,-o", *org,
                    "The organization (its name, or the start of it; default: the only one)");
  CLI::Option* series_opt =
      trend->add_option("--series", *series, "The series within the organization (default: its only one)");
  trend->add_option("--format", output->format, "table, json, csv or svg (the trend chart, for slides)")
      ->check(CLI::IsMember({"table", "json", "csv", "svg"}));
  trend->add_option("--out", output->out, "Write to this file instead of standard output");
  trend->add_flag("--force", output->force, "Overwrite --out if it exists");
  trend->add_flag("--attributes", *attributes, "table: also each process attribute's rating");
  trend->callback([&global, exit_code, org, series, series_opt, output, attributes] {
    *exit_code = RunTrend(global, *org, *series, series_opt->count() > 0, *output, *attributes);
  });
}

void AddPortfolioCommand(CLI::App* portfolio, const GlobalOptions& global, int* exit_code) {
  auto output = std::make_shared<Output>();
  portfolio->add_option("--format", output->format, "table, json, csv, svg (heat map) or pdf (heat map; needs --out)")
      ->check(CLI::IsMember({"table", "json", "csv", "svg", "pdf"}));
  portfolio->add_option("--out", output->out, "Write to this file instead of standard output");
  portfolio->add_flag("--force", output->force, "Overwrite --out if it exists");
  portfolio->add_option("--paper", output->paper, "pdf: a4 (default) or letter")
      ->check(CLI::IsMember({"a4", "letter"}, CLI::ignore_case));
  portfolio->footer(
      "Exit codes: 0 written, 2 usage (e.g. pdf without --out), 3 --out exists without --force,\n"
      "4 no workspace or fonts missing, 6 I/O error.");
  portfolio->callback([&global, exit_code, output] { *exit_code = RunPortfolio(global, *output); });
}

}  // namespace assay::cli
