// The summary report: one content model, rendered as PDF and JSON.
#include "assay/reports/summary_report.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/reports/pdf.h"
#include "assay/reports/report_parts.h"
#include "assessment/sections.h"

namespace assay::reports {

namespace {

using internal::Bold;
using internal::Cell;
using internal::JoinIds;
using internal::MaturityReason;
using internal::MaturitySentence;
using internal::NeedsText;
using internal::Small;
using ordered_json = nlohmann::ordered_json;

// Limits that keep the summary short whatever the size of the assessment.
constexpr size_t kWeaknessesPerProcess = 2;
constexpr size_t kWeaknessesInAll = 24;
constexpr size_t kStrengthsPerProcess = 1;
constexpr size_t kStrengthsInAll = 16;
constexpr size_t kMaturityRows = 12;

struct GapRow {
  const ProcessProfile* profile = nullptr;
  std::string blocking;  // "PA2.1 is P (needs at least L)"; "" when none
};

struct Statement {
  std::string process;
  std::string text;  // "INSTANCE ITEM: statement"
};

struct Summary {
  const SummaryReportInput* in = nullptr;
  const RatingResults* results = nullptr;
  int at_target = 0, below = 0, undetermined = 0;
  std::vector<GapRow> gaps;  // largest gap first, then scope order
  std::vector<Statement> weaknesses;
  std::vector<Statement> strengths;
  size_t weaknesses_left_out = 0, strengths_left_out = 0;
  const Trend* trend = nullptr;  // null when the series has one assessment
  std::map<Change, int> changes;  // of the newest assessment, when trend
};

std::string BlockingText(const ProcessProfile& p) {
  if (!p.capability.determined) return "no aggregate level (R3 with several instances)";
  std::vector<std::string> parts;
  for (const Blocker& b : p.capability.blockers) {
    if (parts.size() == 3) {
      parts.push_back("...");
      break;
    }
    parts.push_back(b.attribute + " " + (b.state == AttributeState::kRated ? "is " + b.value : "not rated") +
                    " (needs " + NeedsText(b.needs) + ")");
  }
  return JoinIds(parts, "; ");
}

// The weaknesses recorded against the attributes that block each process
// below its target: what most needs to change, capped per process and in all.
void CollectWeaknesses(const Model& model, const internal::RatingsByProcess& ratings, Summary* s) {
  for (const GapRow& g : s->gaps) {
    std::vector<std::string> found;
    std::unordered_set<std::string> listed;
    for (const Blocker& b : g.profile->capability.blockers)
      for (std::string& w : internal::WeaknessesAbout(model, ratings, g.profile->process, b.attribute))
        if (!listed.count(w)) {
          found.push_back(b.attribute + ", " + w);
          listed.insert(found.back());
        }
    for (size_t i = 0; i < found.size(); ++i) {
      if (i < kWeaknessesPerProcess && s->weaknesses.size() < kWeaknessesInAll)
        s->weaknesses.push_back({g.profile->process, found[i]});
      else
        ++s->weaknesses_left_out;
    }
  }
}

// Strengths of the processes that reach their target, from the ratings of
// the highest attribute level first (what the organization does best).
void CollectStrengths(const Model& model, const internal::RatingsByProcess& ratings, const RatingResults& r,
                      Summary* s) {
  for (const ProcessProfile& p : r.processes) {
    if (!p.gap || *p.gap > 0) continue;
    std::vector<std::pair<int, std::string>> found;  // (-level, text)
    for (const Rating* rp : ratings.Of(p.process)) {
      const Rating& rating = *rp;
      if (rating.strength.empty() || rating.outside_scope) continue;
      int level = 0;
      std::string owner;
      if (const ProcessAttribute* pa = model.FindAttribute(rating.item)) level = pa->level;
      else if (const Indicator* ind = model.FindIndicator(rating.item))
        if (const ProcessAttribute* pa2 = model.FindAttribute(ind->owner)) level = pa2->level;
      found.push_back({-level, rating.instance + " " + rating.item + ": " + rating.strength});
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < found.size(); ++i) {
      if (i < kStrengthsPerProcess && s->strengths.size() < kStrengthsInAll)
        s->strengths.push_back({p.process, found[i].second});
      else
        ++s->strengths_left_out;
    }
  }
}

Summary BuildSummary(const SummaryReportInput& in) {
  Summary s;
  s.in = &in;
  s.results = in.report.results;
  for (const ProcessProfile& p : s.results->processes) {
    if (!p.capability.determined) {
      ++s.undetermined;
    } else if (p.gap && *p.gap <= 0) {
      ++s.at_target;
      continue;
    } else {
      ++s.below;
    }
    s.gaps.push_back({&p, BlockingText(p)});
  }
  std::stable_sort(s.gaps.begin(), s.gaps.end(), [](const GapRow& a, const GapRow& b) {
    return a.profile->gap.value_or(99) > b.profile->gap.value_or(99);
  });
  const internal::RatingsByProcess ratings(*in.report.data);
  CollectWeaknesses(*in.report.model, ratings, &s);
  CollectStrengths(*in.report.model, ratings, *s.results, &s);
  if (in.trend && in.trend->assessments.size() >= 2) {
    s.trend = in.trend;
    for (const ProcessTrend& p : in.trend->processes) ++s.changes[p.latest];
  }
  return s;
}

std::string ChangesText(const Summary& s) {
  std::vector<std::string> parts;
  for (Change c : {Change::kImproved, Change::kRegressed, Change::kUnchanged, Change::kNew, Change::kDropped,
                   Change::kNotComparable}) {
    auto it = s.changes.find(c);
    if (it != s.changes.end() && it->second > 0) parts.push_back(std::to_string(it->second) + " " + ChangeName(c));
  }
  return JoinIds(parts);
}

const Assessment& Previous(const Summary& s) { return s.trend->assessments[s.trend->assessments.size() - 2]; }

std::string LevelOf(const TrendPoint& p) {
  if (!p.in_scope) return "not in scope";
  return p.level ? "CL" + std::to_string(*p.level) : "n.d.";
}

// ---------------------------------------------------------------------------
// PDF

void RenderGlance(PdfDocument& doc, const Summary& s) {
  const AssessmentReportInput& in = s.in->report;
  const Assessment& a = in.data->assessment;
  doc.Heading(1, "1  At a glance");
  std::vector<std::pair<std::string, std::string>> kv = {
      {"Assessment", a.id + (a.title.empty() ? "" : ": " + a.title)},
      {"Period", DateRange(a.start_date, a.end_date)},
      {"Processes assessed", std::to_string(s.results->processes.size())},
      {"At their target level", std::to_string(s.at_target)},
      {"Below their target level", std::to_string(s.below)}};
  if (s.undetermined > 0) kv.push_back({"Level not determined", std::to_string(s.undetermined)});
  kv.push_back({"Maturity", MaturitySentence(s.results->maturity)});
  kv.push_back({"Since the previous assessment",
                s.trend ? Previous(s).id + ": " + ChangesText(s) : "none: the first assessment of its series"});
  std::string checks = in.checks->passed() ? "passed" : std::to_string(in.checks->errors()) + " errors open";
  kv.push_back({"Checks", checks});
  doc.KeyValues(kv, 0.32);
  doc.Paragraph(
      "This summary shows the results a sponsor needs to decide where to invest. The full assessment report of the "
      "same snapshot (assay report " + a.id + ") holds every instance's ratings, every strength and weakness with "
      "its evidence, the checks and the evidence register.",
      Small());
}

void RenderGaps(PdfDocument& doc, const Summary& s) {
  doc.KeepTogether(140);  // the heading with the start of its table
  doc.Heading(1, "3  Gaps and what blocks the next level");
  if (s.gaps.empty()) {
    doc.Paragraph("Every process in scope reaches its target capability level.");
    return;
  }
  doc.Paragraph("The processes below their target level, the largest gap first, with the process attributes that "
                "keep each from its next capability level.",
                Small());
  std::vector<TableRow> rows;
  for (const GapRow& g : s.gaps) {
    const ProcessProfile& p = *g.profile;
    TableCell level = Cell(p.capability.determined ? std::to_string(p.capability.level) : "n.d.", Align::kCenter);
    level.bold = true;
    level.fill = palette::kRatingP;
    rows.push_back({Bold(p.process), p.name, level, Cell(std::to_string(p.target_level), Align::kCenter),
                    Cell(p.gap ? std::to_string(*p.gap) : "n.d.", Align::kCenter), g.blocking});
  }
  doc.Table({{"Process", 0.9},
             {"Name", 2.0},
             {"CL", 0.55, Align::kCenter},
             {"Target", 0.75, Align::kCenter},
             {"Gap", 0.55, Align::kCenter},
             {"What blocks the next level", 3.6}},
            rows);
  std::vector<std::string> at;
  for (const ProcessProfile& p : s.results->processes)
    if (p.gap && *p.gap <= 0) at.push_back(p.process);
  if (!at.empty()) doc.Paragraph("At their target level: " + JoinIds(at) + ".", Small());
}

void StatementList(PdfDocument& doc, const std::vector<Statement>& list, size_t left_out, const char* none) {
  if (list.empty()) {
    doc.Paragraph(none, Small());
    return;
  }
  std::vector<TableRow> rows;
  for (const Statement& st : list) rows.push_back({Bold(st.process), st.text});
  TableStyle style;
  style.lines = TableStyle::Lines::kHorizontal;
  doc.Table({{"Process", 0.8}, {"Statement", 7.2}}, rows, style);
  if (left_out > 0)
    doc.Paragraph(std::to_string(left_out) + " more in the full report (section 7, strengths and weaknesses).",
                  Small());
}

void RenderStatements(PdfDocument& doc, const Summary& s) {
  doc.KeepTogether(140);
  doc.Heading(1, "4  Weaknesses and strengths that matter most");
  doc.Heading(2, "4.1  Weaknesses behind the gaps");
  StatementList(doc, s.weaknesses, s.weaknesses_left_out,
                "No weakness was recorded against the attributes that block a process below its target.");
  doc.KeepTogether(110);
  doc.Heading(2, "4.2  Strengths of the processes at their target");
  StatementList(doc, s.strengths, s.strengths_left_out, "No strength was recorded for a process at its target.");
}

void RenderTrend(PdfDocument& doc, const Summary& s) {
  doc.KeepTogether(160);
  doc.Heading(1, "5  Trend");
  if (!s.trend) {
    doc.Paragraph("This is the first assessment of its series (organization and series name): there is no earlier "
                  "assessment to compare with yet.");
    return;
  }
  const Trend& t = *s.trend;
  const Assessment& prev = Previous(s);
  doc.Paragraph("The capability level of each process at each of the " + std::to_string(t.assessments.size()) +
                " assessments of the series, oldest first. Since " + prev.id +
                (SeriesDate(prev).empty() ? "" : " (" + LongDate(SeriesDate(prev)) + ")") + ": " + ChangesText(s) +
                ".");
  internal::TrendChart(doc, *s.in->report.model, t);
  std::vector<TableRow> rows;
  for (const ProcessTrend& p : t.processes) {
    if (p.latest == Change::kUnchanged) continue;
    const size_t n = p.points.size();
    rows.push_back({Bold(p.process), p.name, Cell(LevelOf(p.points[n - 2]), Align::kCenter),
                    Cell(LevelOf(p.points[n - 1]), Align::kCenter), ChangeName(p.latest)});
  }
  if (rows.empty()) return;
  doc.Table({{"Process", 0.9}, {"Name", 2.6}, {prev.id, 1.3, Align::kCenter},
             {t.assessments.back().id, 1.3, Align::kCenter}, {"Change", 1.2}},
            rows);
}

void RenderMaturity(PdfDocument& doc, const Summary& s) {
  const MaturityResult& m = s.results->maturity;
  doc.Heading(1, "6  Maturity level");
  doc.Paragraph(MaturitySentence(m));
  if (!m.available || m.blockers.empty()) return;
  doc.KeepTogether(110);
  doc.Paragraph(std::string(m.stated ? "Processes holding the organization back from maturity level "
                                     : "Processes the scope would need for maturity level ") +
                std::to_string(m.level + 1) + ":");
  std::vector<TableRow> rows;
  for (size_t i = 0; i < m.blockers.size() && i < kMaturityRows; ++i) {
    const MaturityBlocker& b = m.blockers[i];
    const Process* p = s.in->report.model->FindProcess(b.process);
    rows.push_back({Bold(b.process), p ? p->name : "", Cell("CL" + std::to_string(b.required), Align::kCenter),
                    Cell(b.achieved ? "CL" + std::to_string(*b.achieved) : "-", Align::kCenter), MaturityReason(b)});
  }
  doc.Table({{"Process", 0.9}, {"Name", 2.4}, {"Needs", 0.7, Align::kCenter}, {"Has", 0.7, Align::kCenter},
             {"Why", 2.6}},
            rows);
  if (m.blockers.size() > kMaturityRows)
    doc.Paragraph(std::to_string(m.blockers.size() - kMaturityRows) + " more in the full report (section 6.4).",
                  Small());
}

Status CheckInput(const SummaryReportInput& in) {
  const AssessmentReportInput& r = in.report;
  if (r.model == nullptr || r.data == nullptr || r.results == nullptr || r.checks == nullptr)
    return Status::InvalidInput("summary report: model, data, results and checks are all required");
  if (r.manifest.kind != ReportKind::kSummary || r.manifest.subject != r.data->assessment.id)
    return Status::InvalidInput("summary report: the manifest names " + std::string(ReportKindName(r.manifest.kind)) +
                                " '" + r.manifest.subject + "', not the summary of '" + r.data->assessment.id + "'");
  if (in.trend && !in.trend->assessments.empty() && in.trend->assessments.back().id != r.data->assessment.id)
    return Status::InvalidInput("summary report: the trend ends at '" + in.trend->assessments.back().id +
                                "', not at '" + r.data->assessment.id + "'");
  return Status::OK();
}

CoverPage SummaryCover(const Summary& s, const ReportManifest& manifest) {
  const AssessmentReportInput& in = s.in->report;
  const Assessment& a = in.data->assessment;
  CoverPage cover;
  cover.kind = manifest.draft ? "DRAFT  \u00b7  ASSESSMENT SUMMARY" : "ASSESSMENT SUMMARY";
  cover.title = a.title.empty() ? a.id : a.title;
  cover.subtitle = a.organization;
  cover.details = {{"Assessment", a.id},
                   {"Assessment period", DateRange(a.start_date, a.end_date)},
                   {"Process assessment model", in.model->pam().title + " (" + in.model->Key() + ")"},
                   {"Results as of", LongDate(manifest.data_as_of)}};
  cover.marking = "CONFIDENTIAL";
  cover.marking_note = a.confidentiality;
  cover.issued_by = "Produced with assay " + manifest.assay_version + " from snapshot " +
                    manifest.snapshot_sha256.substr(0, 16) + "\u2026";
  return cover;
}

// ---------------------------------------------------------------------------
// JSON

ordered_json StatementsJson(const std::vector<Statement>& list, size_t left_out) {
  ordered_json items = ordered_json::array();
  for (const Statement& st : list) items.push_back({{"process", st.process}, {"statement", st.text}});
  return {{"items", items}, {"left_out", left_out}};
}

ordered_json TrendJson(const Summary& s) {
  if (!s.trend) return nullptr;
  ordered_json j;
  j["previous"] = Previous(s).id;
  ordered_json counts;
  for (const auto& [change, n] : s.changes) counts[ChangeName(change)] = n;
  j["changes"] = counts;
  ordered_json rows = ordered_json::array();
  for (const ProcessTrend& p : s.trend->processes) {
    const size_t n = p.points.size();
    auto level = [](const TrendPoint& t) { return t.in_scope && t.level ? ordered_json(*t.level) : ordered_json(); };
    rows.push_back({{"process", p.process},
                    {"before", level(p.points[n - 2])},
                    {"now", level(p.points[n - 1])},
                    {"change", ChangeName(p.latest)}});
  }
  j["processes"] = rows;
  return j;
}

ordered_json SummaryJson(const Summary& s) {
  const AssessmentReportInput& in = s.in->report;
  ReportManifest manifest = in.manifest;
  manifest.draft = IsDraftAssessment(in.data->assessment);
  ordered_json j;
  j["format"] = "assay-summary-report/1";
  j["title"] = DraftMarked(manifest.draft, "Assessment summary: " + in.data->assessment.id);
  j["assessment"] = in.data->assessment.id;
  j["figures"] = {{"processes", s.results->processes.size()},
                  {"at_target", s.at_target},
                  {"below_target", s.below},
                  {"not_determined", s.undetermined},
                  {"checks_passed", in.checks->passed()}};
  ordered_json gaps = ordered_json::array();
  for (const GapRow& g : s.gaps) {
    const ProcessProfile& p = *g.profile;
    gaps.push_back({{"process", p.process},
                    {"level", p.capability.determined ? ordered_json(p.capability.level) : ordered_json()},
                    {"target", p.target_level},
                    {"gap", p.gap ? ordered_json(*p.gap) : ordered_json()},
                    {"blocking", g.blocking}});
  }
  j["gaps"] = gaps;
  j["weaknesses"] = StatementsJson(s.weaknesses, s.weaknesses_left_out);
  j["strengths"] = StatementsJson(s.strengths, s.strengths_left_out);
  j["trend"] = TrendJson(s);
  const MaturityResult& m = s.results->maturity;
  j["maturity"] = {{"stated", m.available && m.stated},
                   {"level", m.available && m.stated ? ordered_json(m.level) : ordered_json()},
                   {"sentence", MaturitySentence(m)}};
  j["manifest"] = {{"kind", ReportKindName(manifest.kind)},
                   {"subject", manifest.subject},
                   {"snapshot_sha256", manifest.snapshot_sha256},
                   {"assay_version", manifest.assay_version},
                   {"model", manifest.model},
                   {"data_as_of", manifest.data_as_of},
                   {"log_seq", manifest.log_seq},
                   {"log_head", manifest.log_head},
                   {"draft", manifest.draft}};
  return j;
}

}  // namespace

Status RenderSummaryReport(const SummaryReportInput& input, const ReportOptions& options, std::string* pdf,
                           std::vector<std::string>* warnings) {
  ASSAY_RETURN_IF_ERROR(CheckInput(input));
  const Summary s = BuildSummary(input);
  const Assessment& a = input.report.data->assessment;
  ReportManifest manifest = input.report.manifest;
  manifest.draft = IsDraftAssessment(a);
  ReportIdentity id;
  id.title = "Assessment summary: " + a.id;
  id.subject = a.title;
  id.header = a.id + "  \u00b7  Summary" + (a.title.empty() ? "" : "  \u00b7  " + a.title);
  id.footer = "Confidential  \u00b7  " + a.id;
  std::unique_ptr<PdfDocument> doc;
  ASSAY_RETURN_IF_ERROR(PdfDocument::Create(MakePdfOptions(options, id, manifest), &doc));
  RenderCoverPage(*doc, SummaryCover(s, manifest));
  RenderGlance(*doc, s);
  doc->Heading(1, "2  Capability profile");
  doc->Paragraph("Achieved capability level against the target level of each process in scope.", Small());
  internal::ProfileChart(*doc, *input.report.model, s.results->processes);
  RenderGaps(*doc, s);
  RenderStatements(*doc, s);
  RenderTrend(*doc, s);
  RenderMaturity(*doc, s);
  RenderManifestSection(*doc, manifest, "assay --db WORKSPACE.db verify-report REPORT.pdf");
  std::string bytes;
  ASSAY_RETURN_IF_ERROR(doc->Finish(&bytes));
  *pdf = std::move(bytes);
  if (warnings != nullptr) *warnings = doc->warnings();
  return Status::OK();
}

std::string SummaryReportJson(const SummaryReportInput& input) {
  return SummaryJson(BuildSummary(input)).dump(2) + "\n";
}

}  // namespace assay::reports
