// The process assessment report: PDF, JSON and CSV renderings of one content
// model, so that the three always say the same thing.
#include "assay/reports/assessment_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/reports/pdf.h"
#include "assay/reports/profile.h"
#include "assay/scale.h"
#include "assessment/sections.h"

namespace assay::reports {

namespace {

using ordered_json = nlohmann::ordered_json;
using internal::AllNotRated;
using internal::Bold;
using internal::Cell;
using internal::JoinIds;
using internal::MaturityReason;
using internal::MaturitySentence;
using internal::NeedsText;
using internal::ProfileChart;
using internal::Small;
using internal::Truncated;
using internal::WeaknessesAbout;

// ---------------------------------------------------------------------------
// The content model: everything the report says, derived once from the input.

struct StatementRow {
  std::string process;
  std::string instance;
  std::string item;
  std::string item_kind;
  std::string value;
  std::string rated_by;  // assessor ID or "team"
  std::string strength;
  std::string weakness;
  std::vector<std::string> reasons;
  std::vector<std::string> evidence;
};

struct RaiseRow {
  std::string attribute;
  std::string attribute_name;
  std::string now;    // value, or "not rated"
  std::string needs;  // "L" (at least L) or "F"
  std::vector<std::string> weaknesses;  // "INSTANCE: text"
};

struct Recommendation {
  std::string process;
  std::string name;
  int target = 0;
  int achieved = 0;
  std::vector<RaiseRow> raise;
};

struct EvidenceRow {
  const Evidence* evidence = nullptr;
  int cited_by = 0;  // ratings that cite it
};

struct Content {
  const Model* model = nullptr;
  const AssessmentData* data = nullptr;
  const RatingResults* results = nullptr;
  const CheckReport* checks = nullptr;
  ReportManifest manifest;

  std::map<std::string, const Person*> people;
  std::string sponsor;  // display name
  std::vector<const Person*> leads;
  int max_target = 0;   // highest target level in scope
  std::vector<const ProcessAttribute*> shown_attributes;  // levels 1..max_target
  std::map<std::string, std::vector<StatementRow>> statements;  // by process
  std::vector<Recommendation> recommendations;
  std::vector<EvidenceRow> evidence;
  std::vector<const CheckFinding*> problems;    // errors and warnings
  std::vector<const CheckFinding*> deviations;  // justified rule deviations (info)
  std::vector<const CheckFinding*> other_notes; // other infos
};

std::string PersonName(const Content& c, const std::string& id) {
  auto it = c.people.find(id);
  if (it == c.people.end() || it->second->name.empty()) return id;
  return it->second->name;
}

bool HasRole(const Person& p, Role r) { return std::find(p.roles.begin(), p.roles.end(), r) != p.roles.end(); }

std::string RolesText(const Person& p) {
  std::string out;
  for (Role r : p.roles) {
    if (!out.empty()) out += ", ";
    out += RoleName(r);
  }
  return out;
}

std::string LevelText(const CapabilityResult& c) {
  return c.determined ? std::to_string(c.level) : std::string("not determined");
}

std::string FormatWeight(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", w);
  std::string s = buf;
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

Content BuildContent(const AssessmentReportInput& in) {
  Content c;
  c.model = in.model;
  c.data = in.data;
  c.results = in.results;
  c.checks = in.checks;
  c.manifest = in.manifest;
  c.manifest.draft = IsDraftAssessment(in.data->assessment);
  const AssessmentData& d = *in.data;
  for (const Person& p : d.people) c.people[p.id] = &p;
  c.sponsor = d.assessment.sponsor.empty() ? "not recorded" : PersonName(c, d.assessment.sponsor);
  for (const Person& p : d.people)
    if (HasRole(p, Role::kLeadAssessor)) c.leads.push_back(&p);
  for (const ScopedProcess& s : d.scope) c.max_target = std::max(c.max_target, s.target_level);
  for (const ProcessAttribute& a : in.model->framework().attributes)
    if (a.level >= 1 && a.level <= c.max_target) c.shown_attributes.push_back(&a);

  // Strength and weakness statements, by process, in a stable order.
  for (const Rating& r : d.ratings) {
    if (r.outside_scope || (r.strength.empty() && r.weakness.empty())) continue;
    StatementRow s;
    s.process = r.process;
    s.instance = r.instance;
    s.item = r.item;
    s.item_kind = ItemKindName(r.item_kind);
    s.value = r.value;
    s.rated_by = r.consolidated ? "team" : r.assessor;
    s.strength = r.strength;
    s.weakness = r.weakness;
    s.reasons = r.reasons;
    s.evidence = r.evidence;
    c.statements[r.process].push_back(std::move(s));
  }
  for (auto& [process, rows] : c.statements)
    std::stable_sort(rows.begin(), rows.end(), [](const StatementRow& a, const StatementRow& b) {
      return std::tie(a.instance, a.item, a.rated_by) < std::tie(b.instance, b.item, b.rated_by);
    });

  // Recommendations: what stands between each process and its target level
  // (the engine's ProcessProfile::to_target), with the weaknesses recorded
  // against each attribute.
  const internal::RatingsByProcess ratings(d);
  for (const ProcessProfile& p : in.results->processes) {
    if (p.to_target.empty()) continue;
    Recommendation rec;
    rec.process = p.process;
    rec.name = p.name;
    rec.target = p.target_level;
    rec.achieved = p.capability.level;
    for (const Blocker& b : p.to_target) {
      RaiseRow row;
      row.attribute = b.attribute;
      if (const ProcessAttribute* pa = in.model->FindAttribute(b.attribute)) row.attribute_name = pa->name;
      row.now = b.state == AttributeState::kRated ? b.value : "not rated";
      row.needs = b.needs;
      row.weaknesses = WeaknessesAbout(*in.model, ratings, p.process, b.attribute);
      rec.raise.push_back(std::move(row));
    }
    c.recommendations.push_back(std::move(rec));
  }

  // Evidence register.
  std::map<std::string, int> cited;
  for (const Rating& r : d.ratings)
    for (const std::string& e : r.evidence) ++cited[e];
  for (const Evidence& e : d.evidence) c.evidence.push_back({&e, cited[e.id]});
  std::stable_sort(c.evidence.begin(), c.evidence.end(),
                   [](const EvidenceRow& a, const EvidenceRow& b) { return a.evidence->id < b.evidence->id; });

  for (const CheckFinding& f : in.checks->findings) {
    if (f.severity != Severity::kInfo)
      c.problems.push_back(&f);
    else if (f.check == "rule")
      c.deviations.push_back(&f);
    else
      c.other_notes.push_back(&f);
  }
  return c;
}

std::string Where(const CheckFinding& f) {
  std::string out = f.instance.empty() ? f.process : f.instance;
  if (!f.item.empty()) out += (out.empty() ? "" : " ") + f.item;
  if (!f.evidence.empty()) out += (out.empty() ? "" : " ") + f.evidence;
  return out.empty() ? "assessment" : out;
}

struct CheckCount {
  int errors = 0, warnings = 0, infos = 0;
};

std::vector<std::pair<std::string, CheckCount>> CheckCounts(const CheckReport& checks) {
  std::vector<std::pair<std::string, CheckCount>> out;
  for (const std::string& name : CheckNames()) {
    CheckCount n;
    for (const CheckFinding& f : checks.findings) {
      if (f.check != name) continue;
      if (f.severity == Severity::kError) ++n.errors;
      if (f.severity == Severity::kWarning) ++n.warnings;
      if (f.severity == Severity::kInfo) ++n.infos;
    }
    out.emplace_back(name, n);
  }
  return out;
}

std::string ClassText(const Assessment& a) {
  std::string out = "Class " + std::to_string(a.assessment_class);
  if (!a.independence.empty()) out += ", independence category " + a.independence;
  return out;
}

std::string MethodText(RatingMethod m) {
  switch (m) {
    case RatingMethod::kR1:
      return "R1: each process outcome and attribute achievement is characterised per instance (directly or from "
             "the indicators that support it), and attribute ratings are aggregated from those characterisations.";
    case RatingMethod::kR2:
      return "R2: process attributes are rated per instance on the basis of the indicators, and the instance "
             "ratings are aggregated into one rating per process and attribute.";
    case RatingMethod::kR3:
      return "R3: process attributes are rated per instance and are not aggregated; a process with several "
             "instances has instance results only.";
  }
  return "";
}

std::string AggregationText(AggregationMethod m) {
  switch (m) {
    case AggregationMethod::kMean:
      return "Arithmetic mean of the instance ratings (as ordinals of the scale), rounded half up.";
    case AggregationMethod::kWeightedMean:
      return "Weighted mean of the instance ratings (as ordinals of the scale), each instance weighted as shown in "
             "the scope, rounded half up.";
    case AggregationMethod::kMedian:
      return "Median of the instance ratings; with an even number of ratings the lower middle value.";
    case AggregationMethod::kMinimum:
      return "The lowest instance rating.";
  }
  return "";
}

std::string PercentText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// ---------------------------------------------------------------------------
// PDF

TableCell RatingCell(const AttributeRating& a) {
  TableCell c;
  c.align = Align::kCenter;
  switch (a.state) {
    case AttributeState::kRated: {
      c.text = a.value;
      const std::string f = FoldToStandard(a.value);
      if (f == "N") c.fill = palette::kRatingN;
      if (f == "P") c.fill = palette::kRatingP;
      if (f == "L") c.fill = palette::kRatingL;
      if (f == "F") c.fill = palette::kRatingF;
      c.bold = true;
      break;
    }
    case AttributeState::kNotRated:
      c.text = "n.r.";
      c.color = palette::kHighlight;
      c.fill = palette::kWhite;
      c.bold = true;
      break;
    case AttributeState::kNotAssessed:
      c.text = "\u2013";  // en dash
      c.color = palette::kMuted;
      c.fill = palette::kZebra;
      break;
    case AttributeState::kNotAggregated:
      c.text = "n.agg.";
      c.color = palette::kMuted;
      c.fill = palette::kWhite;
      break;
  }
  return c;
}

// "*" after an aggregate of moderate, "!" after one of poor reliability
// (rating.h, Dispersion); "" otherwise.
std::string ReliabilityMark(const AttributeRating& a) {
  if (!a.dispersion || a.dispersion->reliability == Reliability::kHigh) return "";
  return a.dispersion->reliability == Reliability::kModerate ? "*" : "!";
}

bool AnyReliabilityMark(const RatingResults& r) {
  for (const ProcessProfile& p : r.processes)
    for (const AttributeRating& a : p.aggregate)
      if (!ReliabilityMark(a).empty()) return true;
  return false;
}

std::vector<TableColumn> MatrixColumns(const Content& c) {
  std::vector<TableColumn> cols = {{"Process / instance", 3.4}};
  for (const ProcessAttribute* a : c.shown_attributes) cols.push_back({a->id, 0.78, Align::kCenter});
  cols.push_back({"CL", 0.6, Align::kCenter});
  cols.push_back({"TGT", 0.6, Align::kCenter});
  return cols;
}

void AttributeMatrix(PdfDocument& doc, const Content& c) {
  std::vector<TableRow> rows;
  for (const ProcessProfile& p : c.results->processes) {
    TableRow agg;
    TableCell label = Bold(p.process + " " + p.name);
    label.fill = palette::kHeaderFill;
    agg.push_back(label);
    for (const ProcessAttribute* pa : c.shown_attributes) {
      auto it = std::find_if(p.aggregate.begin(), p.aggregate.end(),
                             [&](const AttributeRating& a) { return a.attribute == pa->id; });
      if (it == p.aggregate.end()) {
        agg.push_back(Cell(""));
        continue;
      }
      TableCell cell = RatingCell(*it);
      cell.text += ReliabilityMark(*it);
      agg.push_back(cell);
    }
    TableCell cl = Cell(p.capability.determined ? std::to_string(p.capability.level) : "n.d.", Align::kCenter);
    cl.bold = true;
    cl.fill = palette::kHeaderFill;
    agg.push_back(cl);
    TableCell tgt = Cell(std::to_string(p.target_level), Align::kCenter);
    tgt.fill = palette::kHeaderFill;
    agg.push_back(tgt);
    rows.push_back(std::move(agg));
    for (const InstanceResult& i : p.instances) {
      TableRow row;
      TableCell name = Cell("    " + i.instance);
      name.color = palette::kMuted;
      row.push_back(name);
      for (const ProcessAttribute* pa : c.shown_attributes) {
        auto it = std::find_if(i.attributes.begin(), i.attributes.end(),
                               [&](const AttributeRating& a) { return a.attribute == pa->id; });
        row.push_back(it == i.attributes.end() ? Cell("") : RatingCell(*it));
      }
      TableCell icl = Cell(std::to_string(i.capability.level), Align::kCenter);
      icl.color = palette::kMuted;
      row.push_back(icl);
      row.push_back(Cell("", Align::kCenter));
      rows.push_back(std::move(row));
    }
  }
  TableStyle style;
  style.font_size = 8;
  style.padding = 2.5;
  style.zebra = false;
  doc.Table(MatrixColumns(c), rows, style);
}

void RatingLegend(PdfDocument& doc) {
  doc.Drawing(16, [](Canvas& cv) {
    struct Item {
      const char* label;
      const char* text;
      Color fill;
      Color color;
    };
    const Item items[] = {{"N", "not achieved", palette::kRatingN, palette::kInk},
                          {"P", "partially", palette::kRatingP, palette::kInk},
                          {"L", "largely", palette::kRatingL, palette::kInk},
                          {"F", "fully", palette::kRatingF, palette::kInk},
                          {"n.r.", "not rated", palette::kWhite, palette::kHighlight},
                          {"\u2013", "not assessed (above target)", palette::kZebra, palette::kMuted}};
    double x = 0;
    for (const Item& it : items) {
      cv.FillRect(x, 3, 22, 11, it.fill);
      cv.StrokeRect(x, 3, 22, 11, palette::kRule, 0.5);
      cv.Text(x + 11, 6, it.label, TextStyle{7.5, true, it.color, Align::kCenter, 0});
      cv.Text(x + 26, 6, it.text, TextStyle{7.5, false, palette::kMuted, Align::kLeft, 0});
      x += 34 + cv.TextWidth(it.text, 7.5);
    }
  });
}

// 1 Purpose
void RenderPurpose(PdfDocument& doc, const Content& c) {
  const Assessment& a = c.data->assessment;
  doc.Heading(1, "1  Purpose");
  doc.Paragraph(a.purpose.empty() ? "No purpose was recorded for this assessment." : a.purpose);
  doc.KeyValues({{"Assessment", a.id + ": " + a.title},
                 {"Organization", a.organization.empty() ? "not recorded" : a.organization},
                 {"Sponsor", c.sponsor},
                 {"Assessment period", DateRange(a.start_date, a.end_date)},
                 {"Assessment class", ClassText(a)},
                 {"Status of the record", AssessmentStatusName(a.status)}});
}

// 1.1 Where the summary report's content is in this report: a reader given
// the summary looks up the detail here by section (the contents page gives
// the pages), and the manifests tell whether both show the same data.
void RenderSummaryGuide(PdfDocument& doc, const Content& c) {
  doc.Heading(2, "1.1  This report and its summary");
  doc.Paragraph("The summary report of this assessment (assay report " + c.data->assessment.id +
                " --summary) gives the results in at most 12 pages. This report keeps every detail; "
                "each section of the summary condenses the sections of this report named here.");
  doc.Table({{"Summary section", 2.6}, {"In this report, in full", 5.4}},
            {{Bold("1 At a glance"), "6 Results (at a glance), 6.3 Capability levels, 6.4 Maturity level, "
                                      "8 Check results and rule deviations"},
             {Bold("2 Capability profile"), "6.1 Capability profile; every rating behind it in 6.2 Process "
                                             "attribute ratings"},
             {Bold("3 Gaps and what blocks the next level"),
              "6.3 Capability levels (gap and what stops the next level); 9 Improvement recommendations (every "
              "attribute rating that must rise, from what to what)"},
             {Bold("4 Weaknesses and strengths that matter most"),
              "7 Strengths and weaknesses (every statement, with its rating and evidence); the weaknesses "
              "against each blocking attribute in 9 Improvement recommendations"},
             {Bold("5 Trend"), "Not in this report: the summary compares this assessment with the earlier "
                                "assessments of its series (assay trend shows the same)"},
             {Bold("6 Maturity level"), "6.4 Maturity level"}});
  doc.Paragraph("A summary made at the same log position names the same snapshot SHA-256 in its manifest as "
                "this report (Report manifest, at the end): then both show the same data.",
                Small());
}

// 2 Scope
void RenderScope(PdfDocument& doc, const Content& c) {
  const AssessmentData& d = *c.data;
  doc.Heading(1, "2  Scope");
  auto counted = [](size_t n, const char* one, const char* many) { return std::to_string(n) + (n == 1 ? one : many); };
  doc.Paragraph("The assessment covered " + counted(d.scope.size(), " process", " processes") + " of the model " +
                c.model->pam().title + " in " +
                counted(d.units.size(), " organizational unit", " organizational units") + ", through " +
                counted(d.instances.size(), " process instance", " process instances") +
                ". Each process has a target capability level; attributes above it were not assessed.");
  {
    std::vector<TableRow> rows;
    for (const ScopedProcess& s : d.scope) {
      const Process* p = c.model->FindProcess(s.process);
      std::vector<std::string> inst;
      for (const ProcessInstance& i : d.instances)
        if (i.process == s.process) inst.push_back(i.id);
      rows.push_back({Bold(s.process), p ? p->name : "", Cell(std::to_string(s.target_level), Align::kCenter),
                      Cell(inst.empty() ? "none" : JoinIds(inst, "\n"))});
    }
    doc.Table({{"Process", 1.1}, {"Name", 3}, {"Target level", 1.1, Align::kCenter}, {"Instances", 2.6}}, rows);
  }
  if (!d.units.empty()) {
    doc.Heading(2, "2.1  Organizational units");
    std::vector<TableRow> rows;
    for (const OrgUnit& u : d.units) rows.push_back({Bold(u.id), u.name, u.description});
    doc.Table({{"Unit", 1.2}, {"Name", 2.2}, {"Description", 4.6}}, rows);
  }
  if (!d.instances.empty()) {
    doc.Heading(2, "2.2  Process instances");
    std::vector<TableRow> rows;
    for (const ProcessInstance& i : d.instances)
      rows.push_back({Bold(i.id), i.name, i.unit, Cell(FormatWeight(i.weight), Align::kRight)});
    doc.Table({{"Instance", 2}, {"Description", 4.2}, {"Unit", 1.2}, {"Weight", 0.8, Align::kRight}}, rows);
  }
}

// 3 Team and participants
void RenderTeam(PdfDocument& doc, const Content& c) {
  const AssessmentData& d = *c.data;
  doc.Heading(1, "3  Team and participants");
  {
    std::vector<TableRow> rows;
    std::vector<const Person*> ordered;
    const Role order[] = {Role::kSponsor,     Role::kLeadAssessor, Role::kAssessor,
                          Role::kCoordinator, Role::kInterviewee,  Role::kObserver};
    std::set<std::string> seen;
    for (Role role : order)
      for (const Person& p : d.people)
        if (HasRole(p, role) && seen.insert(p.id).second) ordered.push_back(&p);
    for (const Person& p : d.people)
      if (seen.insert(p.id).second) ordered.push_back(&p);
    for (const Person* p : ordered) rows.push_back({Bold(p->name.empty() ? p->id : p->name), p->organization, RolesText(*p)});
    if (rows.empty())
      doc.Paragraph("No team members or participants were recorded.");
    else
      doc.Table({{"Name", 2.2}, {"Organization and function", 4}, {"Role", 1.6}}, rows);
  }
  if (!d.interviews.empty()) {
    doc.Heading(2, "3.1  Interviews");
    std::vector<TableRow> rows;
    for (const Interview& i : d.interviews) {
      std::vector<std::string> who, whom;
      for (const std::string& p : i.interviewers) who.push_back(PersonName(c, p));
      for (const std::string& p : i.interviewees) whom.push_back(PersonName(c, p));
      std::string when = i.held_at.size() >= 16 ? LongDate(i.held_at) + ", " + i.held_at.substr(11, 5)
                                                : LongDate(i.held_at);
      rows.push_back({Bold(i.id), when, JoinIds(who), JoinIds(whom), JoinIds(i.processes)});
    }
    doc.Table({{"ID", 0.7}, {"Held", 1.6}, {"Assessors", 2}, {"Interviewees", 2.2}, {"Processes", 1.2}}, rows);
  }
}

// 4 Constraints
void RenderConstraints(PdfDocument& doc, const Content& c) {
  const Assessment& a = c.data->assessment;
  doc.Heading(1, "4  Constraints");
  doc.Paragraph(a.constraints.empty() ? "No constraints were recorded." : a.constraints);
}

// 5 Method
void RenderMethod(PdfDocument& doc, const Content& c) {
  const Assessment& a = c.data->assessment;
  const RatingResults& r = *c.results;
  const Framework& fw = c.model->framework();
  doc.Heading(1, "5  Method");
  doc.KeyValues({{"Process assessment model", c.model->pam().title + " (" + c.model->Key() + ")"},
                 {"Measurement framework", fw.info.title + " (" + fw.info.id + "@" + fw.info.version + ")"},
                 {"Model SHA-256", c.model->hash()},
                 {"Rating method", MethodText(r.options.method)},
                 {"Aggregation", AggregationText(r.options.aggregation)},
                 {"Rating scale", r.options.scale == ScaleKind::kRefined
                                      ? "Refined scale N, P-, P+, L-, L+, F; capability levels use the folded N/P/L/F."
                                      : "Standard scale N, P, L, F."}});
  if (r.options.aggregation == AggregationMethod::kWeightedMean) {
    doc.Heading(2, "5.1  Weights and their rationale");
    doc.Paragraph(a.options.weights_rationale.empty() ? "No rationale for the weights was recorded."
                                                      : a.options.weights_rationale);
  }
  {
    const Scale& scale = r.options.scale == ScaleKind::kRefined && fw.refined ? *fw.refined : fw.standard;
    std::vector<TableRow> rows;
    for (const ScaleBand& b : scale.bands) {
      AttributeRating shown;
      shown.state = AttributeState::kRated;
      shown.value = b.value;
      rows.push_back({RatingCell(shown), b.name, Cell(PercentText(b.lower) + " to " + PercentText(b.upper) + " %"),
                      b.meaning});
    }
    doc.Heading(2, r.options.aggregation == AggregationMethod::kWeightedMean ? "5.2  Rating scale" : "5.1  Rating scale");
    doc.Table({{"Value", 0.7, Align::kCenter}, {"Name", 1.5}, {"Achievement", 1.3}, {"Meaning", 4.5}}, rows);
  }
  {
    std::vector<TableRow> rows;
    for (const CapabilityLevel& l : fw.levels) {
      if (l.number == 0) continue;
      rows.push_back({Cell(std::to_string(l.number), Align::kCenter), Bold(l.name), JoinIds(l.attributes)});
    }
    doc.Paragraph("A process reaches capability level k when every attribute of level k is rated at least L and "
                  "every attribute of the levels below k is rated F.",
                  Small());
    doc.Table({{"Level", 0.6, Align::kCenter}, {"Name", 2.4}, {"Process attributes", 3}}, rows);
  }
}

// 6 Results
void RenderResults(PdfDocument& doc, const Content& c) {
  const RatingResults& r = *c.results;
  const Framework& fw = c.model->framework();
  doc.Heading(1, "6  Results");
  {
    int at_target = 0, below = 0, undetermined = 0;
    for (const ProcessProfile& p : r.processes) {
      if (!p.capability.determined)
        ++undetermined;
      else if (p.gap && *p.gap <= 0)
        ++at_target;
      else
        ++below;
    }
    std::vector<std::pair<std::string, std::string>> kv = {
        {"Processes assessed", std::to_string(r.processes.size())},
        {"At their target level", std::to_string(at_target)},
        {"Below their target level", std::to_string(below)}};
    if (undetermined > 0) kv.push_back({"Level not determined", std::to_string(undetermined)});
    kv.push_back({"Maturity", MaturitySentence(c.results->maturity)});
    const size_t warnings = c.problems.size() - c.checks->errors();
    std::string checks = c.checks->passed() ? "passed" : std::to_string(c.checks->errors()) + " errors open";
    if (warnings > 0) checks += "; " + std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings");
    kv.push_back({"Checks", checks});
    doc.KeyValues(kv);
  }
  doc.Heading(2, "6.1  Capability profile");
  doc.Paragraph("Achieved capability level against the target level of each process in scope.", Small());
  ProfileChart(doc, *c.model, c.results->processes);

  doc.Heading(2, "6.2  Process attribute ratings");
  doc.Paragraph(
      "Each process shows its aggregate rating per attribute (shaded row), followed by the ratings of its "
      "instances. CL is the capability level, TGT the target level.",
      Small());
  RatingLegend(doc);
  if (c.shown_attributes.empty())
    doc.Paragraph("No process has a target level of 1 or above; no attribute was assessed.");
  else
    AttributeMatrix(doc, c);
  if (AnyReliabilityMark(*c.results))
    doc.Paragraph(
        "* moderate, ! poor reliability: the instance ratings behind the aggregate lie far apart (the coefficient "
        "of variation of their band midpoints, weighted as the aggregate, is 30 % to 50 %, or above 50 %).",
        Small());
  {
    std::vector<std::string> hidden;
    for (const ProcessAttribute& pa : fw.attributes)
      if (pa.level > c.max_target) hidden.push_back(pa.id);
    if (!hidden.empty())
      doc.Paragraph("Not shown: " + JoinIds(hidden) + ", above the target level of every process in scope.", Small());
  }

  doc.Heading(2, "6.3  Capability levels");
  {
    std::vector<TableRow> rows;
    for (const ProcessProfile& p : r.processes) {
      std::string why;
      if (!p.capability.determined) {
        why = "No aggregate level: the rating method does not aggregate several instances.";
      } else if (p.capability.limited_by_target) {
        why = "Target level reached; higher levels were not assessed.";
      } else {
        std::vector<std::string> parts;
        for (const Blocker& b : p.capability.blockers)
          parts.push_back(b.attribute + " " + (b.state == AttributeState::kRated ? "is " + b.value : "not rated") +
                          " (needs " + NeedsText(b.needs) + ")");
        why = parts.empty() ? "" : "Level " + std::to_string(p.capability.level + 1) + " needs: " + JoinIds(parts, "; ");
      }
      TableCell achieved = Cell(LevelText(p.capability), Align::kCenter);
      achieved.bold = true;
      if (p.capability.determined && AllNotRated(p)) achieved.text = "not rated";
      achieved.fill = p.gap && *p.gap <= 0 ? palette::kRatingF : palette::kRatingP;
      rows.push_back({Bold(p.process), p.name, Cell(std::to_string(p.target_level), Align::kCenter), achieved,
                      Cell(p.gap ? std::to_string(*p.gap) : "n.d.", Align::kCenter), why});
    }
    doc.Table({{"Process", 0.9},
               {"Name", 2.1},
               {"Target", 0.85, Align::kCenter},
               {"Achieved", 1.1, Align::kCenter},
               {"Gap", 0.6, Align::kCenter},
               {"What stops the next level", 3.3}},
              rows);
  }

  doc.Heading(2, "6.4  Maturity level");
  doc.Paragraph(MaturitySentence(c.results->maturity));
  {
    const MaturityResult& m = r.maturity;
    if (m.available && !m.blockers.empty()) {
      doc.Paragraph("Processes holding the organization back from maturity level " + std::to_string(m.level + 1) + ":");
      std::vector<TableRow> rows;
      for (const MaturityBlocker& b : m.blockers) {
        const Process* p = c.model->FindProcess(b.process);
        rows.push_back({Bold(b.process), p ? p->name : "", Cell(std::to_string(b.required), Align::kCenter),
                        Cell(b.achieved ? std::to_string(*b.achieved) : "n.d.", Align::kCenter), MaturityReason(b)});
      }
      doc.Table({{"Process", 0.9},
                 {"Name", 2.4},
                 {"Needs CL", 0.8, Align::kCenter},
                 {"Has CL", 0.8, Align::kCenter},
                 {"Why", 2.6}},
                rows);
    } else if (m.available) {
      doc.Paragraph("The organization is at the top level of the maturity model.");
    }
  }
  if (r.agreement.items > 0) {
    std::string s = "Inter-assessor agreement: " + std::to_string(r.agreement.items) +
                    " items were rated by two or more assessors; observed agreement " +
                    FormatWeight(r.agreement.observed * 100) + " %";
    if (r.agreement.kappa) s += ", " + r.agreement.statistic + " kappa " + FormatWeight(*r.agreement.kappa);
    doc.Paragraph(s + ".", Small());
  }
}

// 7 Strengths and weaknesses
void RenderStrengthsAndWeaknesses(PdfDocument& doc, const Content& c) {
  const RatingResults& r = *c.results;
  doc.Heading(1, "7  Strengths and weaknesses");
  doc.Paragraph(
      "The statements the assessors recorded with their ratings, per process and instance. Each is traced to the "
      "item it was rated on (a process attribute or an indicator: base practice, work product, generic practice or "
      "resource) and to the evidence it rests on (see the evidence register in appendix A).");
  {
    std::vector<std::string> without;
    int n = 0;
    for (const ProcessProfile& p : r.processes) {
      auto it = c.statements.find(p.process);
      if (it == c.statements.end()) {
        without.push_back(p.process);
        continue;
      }
      doc.Heading(2, "7." + std::to_string(++n) + "  " + p.process + " " + p.name);
      std::vector<TableRow> rows;
      for (const StatementRow& s : it->second) {
        std::string text;
        if (!s.strength.empty()) text += "+ " + s.strength;
        if (!s.weakness.empty()) text += std::string(text.empty() ? "" : "\n") + "\u2212 " + s.weakness;
        std::string item = s.item;
        if (!s.reasons.empty()) item += "\n" + JoinIds(s.reasons);
        // Value and assessor share a line when they fit (most rows are then
        // one line high, which halves this section's pages).
        rows.push_back({Cell(s.instance), Bold(item), Cell(s.value + " " + s.rated_by, Align::kCenter), text,
                        Cell(s.evidence.empty() ? "none" : JoinIds(s.evidence))});
      }
      doc.Table({{"Instance", 1.5},
                 {"Item", 1.35},
                 {"Rating", 1.35, Align::kCenter},
                 {"Strength (+) / weakness (\u2212)", 4.25},
                 {"Evidence", 1.05}},
                rows, TableStyle{8, 3, true, true, TableStyle::Lines::kGrid, 8});
    }
    if (!without.empty())
      doc.Paragraph("No strength or weakness statements were recorded for: " + JoinIds(without) + ".", Small());
  }
}

// 8 Checks
void RenderChecks(PdfDocument& doc, const Content& c) {
  const RatingResults& r = *c.results;
  doc.Heading(1, "8  Check results and rule deviations");
  doc.Paragraph(
      std::string("Before reporting, assay checked the record for evidence behind every rating, weakness statements "
                  "below F, the model's consistency rules, coverage of the scope, the team and the dates. ") +
      (c.checks->passed() ? "No check failed." : std::to_string(c.checks->errors()) + " errors remain open."));
  {
    std::vector<TableRow> rows;
    for (const auto& [name, n] : CheckCounts(*c.checks)) {
      auto count = [](int v, Color fill) {
        TableCell cell = Cell(v ? std::to_string(v) : "\u2013", Align::kCenter);
        if (v) cell.fill = fill;
        return cell;
      };
      rows.push_back({Bold(name), count(n.errors, palette::kRatingN), count(n.warnings, palette::kRatingP),
                      count(n.infos, palette::kRatingL)});
    }
    doc.Table({{"Check", 3}, {"Errors", 1, Align::kCenter}, {"Warnings", 1, Align::kCenter}, {"Notes", 1, Align::kCenter}},
              rows);
  }
  if (!c.problems.empty()) {
    doc.Heading(2, "8.1  Findings");
    std::vector<TableRow> rows;
    for (const CheckFinding* f : c.problems) {
      TableCell sev = Cell(SeverityName(f->severity), Align::kCenter);
      sev.fill = f->severity == Severity::kError ? palette::kRatingN : palette::kRatingP;
      rows.push_back({sev, Cell(f->check), Cell(Where(*f)), f->message});
    }
    doc.Table({{"Severity", 0.9, Align::kCenter}, {"Check", 1.5}, {"Where", 1.8}, {"Finding", 4.6}}, rows,
              TableStyle{8, 3, true, true, TableStyle::Lines::kGrid, 8});
  }
  doc.Heading(2, c.problems.empty() ? "8.1  Justified rule deviations" : "8.2  Justified rule deviations");
  if (c.deviations.empty()) {
    doc.Paragraph("No consistency rule of the model was deviated from.");
  } else {
    doc.Paragraph("Ratings that deviate from a consistency rule of the model, with the team's justification.", Small());
    std::vector<TableRow> rows;
    for (const CheckFinding* f : c.deviations)
      rows.push_back({Bold(f->rule), Cell(Where(*f)), f->message, f->justification});
    doc.Table({{"Rule", 1.3}, {"Where", 1.6}, {"Rule and ratings", 2.8}, {"Justification", 3.6}}, rows,
              TableStyle{8, 3, true, true, TableStyle::Lines::kGrid, 8});
  }
  if (!r.disagreements.empty()) {
    doc.Heading(2, c.problems.empty() ? "8.2  Open disagreements" : "8.3  Open disagreements");
    doc.Paragraph("Items rated differently by assessors without a consolidated team rating; the lowest value is used.",
                  Small());
    std::vector<TableRow> rows;
    for (const Disagreement& g : r.disagreements) {
      std::vector<std::string> votes;
      for (const Vote& v : g.votes) votes.push_back(v.assessor + ": " + v.value);
      rows.push_back({Cell(g.instance), Bold(g.item), JoinIds(votes), Cell(g.used, Align::kCenter)});
    }
    doc.Table({{"Instance", 2}, {"Item", 1.2}, {"Ratings", 3.5}, {"Used", 0.8, Align::kCenter}}, rows);
  }
}

// 9 Recommendations
void RenderRecommendations(PdfDocument& doc, const Content& c) {
  doc.Heading(1, "9  Improvement recommendations");
  if (c.recommendations.empty()) {
    doc.Paragraph("Every process with a determined capability level reached its target level; no gap calls for "
                  "improvement within this scope.");
  } else {
    doc.Paragraph(
        "For every process below its target level, the attribute ratings that must rise for the process to reach "
        "its target, and the weaknesses the team recorded against them. Addressing those weaknesses first is the "
        "shortest route to the target; the process owners should turn this list into the improvement plan.");
    std::vector<TableRow> rows;
    for (const Recommendation& rec : c.recommendations) {
      bool first = true;
      for (const RaiseRow& raise : rec.raise) {
        std::string what = raise.attribute + " " + raise.attribute_name;
        std::string step = raise.now == "not rated" ? "rate it (needs " + NeedsText(raise.needs) + ")"
                                                    : raise.now + " \u2192 " + NeedsText(raise.needs);
        std::string weak = raise.weaknesses.empty() ? "No weakness recorded against it; review the indicators."
                                                    : JoinIds(raise.weaknesses, "\n");
        rows.push_back({first ? Bold(rec.process + " " + rec.name + "\nlevel " + std::to_string(rec.achieved) +
                                     " \u2192 " + std::to_string(rec.target))
                              : Cell(""),
                        Bold(what), Cell(step, Align::kCenter), Cell(weak)});
        first = false;
      }
    }
    doc.Table({{"Process", 1.8}, {"Attribute to raise", 1.7}, {"Now \u2192 needed", 1.1, Align::kCenter},
               {"Weaknesses to address", 4.4}},
              rows, TableStyle{8, 3, true, false, TableStyle::Lines::kGrid, 8});
  }
}

// 10 Sampling
void RenderBasis(PdfDocument& doc, const Content& c) {
  const Assessment& a = c.data->assessment;
  doc.Heading(1, "10  Basis of the results");
  RenderNotice(doc, SamplingStatement(ReportKind::kAssessment));
  doc.Paragraph(a.confidentiality.empty()
                    ? "The results are confidential and belong to the sponsor unless agreed otherwise."
                    : a.confidentiality,
                Small());
}

// Appendix A
void RenderEvidenceRegister(PdfDocument& doc, const Content& c) {
  doc.Heading(1, "A  Evidence register");
  if (c.evidence.empty()) {
    doc.Paragraph("No evidence was recorded.");
  } else {
    std::vector<TableRow> rows;
    for (const EvidenceRow& e : c.evidence) {
      const Evidence& ev = *e.evidence;
      std::string ref = ev.reference;
      if (!ev.description.empty()) ref += "\n" + ev.description;
      if (!ev.sha256.empty()) ref += "\nSHA-256 " + ev.sha256.substr(0, 16) + "\u2026";
      std::string dates = "eff. " + (ev.effective_date.empty() ? std::string("\u2013") : ev.effective_date) +
                          "\ncoll. " + (ev.collected_date.empty() ? std::string("\u2013") : ev.collected_date);
      rows.push_back({Bold(ev.id), Cell(EvidenceKindName(ev.kind)), ref, dates,
                      ev.collected_by.empty() ? "" : PersonName(c, ev.collected_by),
                      Cell(std::to_string(e.cited_by), Align::kCenter)});
    }
    doc.Table({{"ID", 0.6},
               {"Kind", 1.1},
               {"Reference and description", 4.2},
               {"Dates", 1.3},
               {"Collected by", 1.3},
               {"Cited", 0.75, Align::kCenter}},
              rows, TableStyle{8, 3, true, true, TableStyle::Lines::kGrid, 8});
  }
}

// Signatures
void RenderSignatures(PdfDocument& doc, const Content& c) {
  const Assessment& a = c.data->assessment;
  std::vector<Signatory> sign;
  for (const Person* p : c.leads) sign.push_back({"Lead assessor", p->name, p->organization});
  if (c.leads.empty()) sign.push_back({"Lead assessor", "", ""});
  {
    const Person* sponsor = nullptr;
    if (auto it = c.people.find(a.sponsor); it != c.people.end()) sponsor = it->second;
    sign.push_back({"Assessment sponsor", sponsor ? sponsor->name : a.sponsor, sponsor ? sponsor->organization : ""});
  }
  RenderSignatureBlock(doc, "Signatures", sign,
                       "By signing, the lead assessor confirms that the assessment was performed as described in this "
                       "report and that the results follow from the recorded evidence; the sponsor confirms receipt of "
                       "the report.");
  RenderManifestSection(doc, c.manifest, "assay --db WORKSPACE.db verify-report REPORT.pdf");
}

void RenderPdfBody(PdfDocument& doc, const Content& c) {
  RenderPurpose(doc, c);
  RenderSummaryGuide(doc, c);
  RenderScope(doc, c);
  RenderTeam(doc, c);
  RenderConstraints(doc, c);
  RenderMethod(doc, c);
  RenderResults(doc, c);
  RenderStrengthsAndWeaknesses(doc, c);
  RenderChecks(doc, c);
  RenderRecommendations(doc, c);
  RenderBasis(doc, c);
  RenderEvidenceRegister(doc, c);
  RenderSignatures(doc, c);
}

// ---------------------------------------------------------------------------
// JSON

ordered_json AttributeJson(const AttributeRating& a) {
  ordered_json j;
  j["attribute"] = a.attribute;
  j["level"] = a.level;
  j["state"] = AttributeStateName(a.state);
  j["value"] = a.state == AttributeState::kRated ? ordered_json(a.value) : ordered_json(nullptr);
  if (a.dispersion) {
    j["cv"] = std::round(a.dispersion->cv * 100) / 100;
    j["reliability"] = ReliabilityName(a.dispersion->reliability);
  }
  return j;
}

ordered_json FindingJson(const CheckFinding& f) {
  ordered_json j;
  j["check"] = f.check;
  j["severity"] = SeverityName(f.severity);
  j["where"] = Where(f);
  j["rule"] = f.rule.empty() ? ordered_json(nullptr) : ordered_json(f.rule);
  j["message"] = f.message;
  j["justification"] = f.justification.empty() ? ordered_json(nullptr) : ordered_json(f.justification);
  return j;
}

// The "assessment" object: the record and who leads it.
ordered_json AssessmentJson(const Content& c) {
  const Assessment& a = c.data->assessment;
  ordered_json as;
  as["id"] = a.id;
  as["title"] = a.title;
  as["organization"] = a.organization;
  as["sponsor"] = {{"id", a.sponsor}, {"name", c.sponsor}};
  ordered_json leads = ordered_json::array();
  for (const Person* p : c.leads) leads.push_back({{"id", p->id}, {"name", p->name}});
  as["lead_assessors"] = leads;
  as["class"] = a.assessment_class;
  as["independence"] = a.independence;
  as["status"] = AssessmentStatusName(a.status);
  as["start_date"] = a.start_date;
  as["end_date"] = a.end_date;
  as["purpose"] = a.purpose;
  as["constraints"] = a.constraints;
  as["confidentiality"] = a.confidentiality;
  return as;
}

// "scope", "team" and "interviews".
void ScopeAndTeamJson(const Content& c, ordered_json* out_json) {
  ordered_json& out = *out_json;
  const AssessmentData& d = *c.data;
  ordered_json scope = ordered_json::array();
  for (const ScopedProcess& s : d.scope) {
    const Process* p = c.model->FindProcess(s.process);
    ordered_json inst = ordered_json::array();
    for (const ProcessInstance& i : d.instances)
      if (i.process == s.process)
        inst.push_back({{"id", i.id}, {"name", i.name}, {"unit", i.unit}, {"weight", i.weight}});
    scope.push_back(
        {{"process", s.process}, {"name", p ? p->name : ""}, {"target_level", s.target_level}, {"instances", inst}});
  }
  ordered_json units = ordered_json::array();
  for (const OrgUnit& u : d.units) units.push_back({{"id", u.id}, {"name", u.name}, {"description", u.description}});
  out["scope"] = {{"processes", scope}, {"units", units}};

  ordered_json team = ordered_json::array();
  for (const Person& p : d.people) {
    ordered_json roles = ordered_json::array();
    for (Role role : p.roles) roles.push_back(RoleName(role));
    team.push_back({{"id", p.id}, {"name", p.name}, {"organization", p.organization}, {"roles", roles}});
  }
  out["team"] = team;
  ordered_json interviews = ordered_json::array();
  for (const Interview& i : d.interviews)
    interviews.push_back({{"id", i.id},
                          {"held_at", i.held_at},
                          {"interviewers", i.interviewers},
                          {"interviewees", i.interviewees},
                          {"processes", i.processes},
                          {"instances", i.instances}});
  out["interviews"] = interviews;
}

// One process of "results": levels, attribute ratings, what blocks the next level.
ordered_json ProcessResultJson(const ProcessProfile& p) {
  ordered_json j;
  j["process"] = p.process;
  j["name"] = p.name;
  j["target_level"] = p.target_level;
  j["capability_level"] = p.capability.determined ? ordered_json(p.capability.level) : ordered_json(nullptr);
  j["gap"] = p.gap ? ordered_json(*p.gap) : ordered_json(nullptr);
  ordered_json agg = ordered_json::array();
  for (const AttributeRating& at : p.aggregate) agg.push_back(AttributeJson(at));
  j["aggregate"] = agg;
  ordered_json inst = ordered_json::array();
  for (const InstanceResult& i : p.instances) {
    ordered_json attrs = ordered_json::array();
    for (const AttributeRating& at : i.attributes) attrs.push_back(AttributeJson(at));
    inst.push_back({{"instance", i.instance}, {"capability_level", i.capability.level}, {"attributes", attrs}});
  }
  j["instances"] = inst;
  ordered_json blockers = ordered_json::array();
  for (const Blocker& b : p.capability.blockers)
    blockers.push_back({{"attribute", b.attribute},
                        {"state", AttributeStateName(b.state)},
                        {"value", b.value.empty() ? ordered_json(nullptr) : ordered_json(b.value)},
                        {"needs", b.needs}});
  j["next_level_blocked_by"] = blockers;
  j["limited_by_target"] = p.capability.limited_by_target;
  return j;
}

// "results": processes, maturity and disagreements.
ordered_json ResultsJson(const Content& c) {
  const RatingResults& r = *c.results;
  ordered_json processes = ordered_json::array();
  for (const ProcessProfile& p : r.processes) processes.push_back(ProcessResultJson(p));
  const MaturityResult& m = r.maturity;
  ordered_json mat;
  mat["available"] = m.available;
  mat["model"] = m.model;
  mat["level"] = m.available && m.stated ? ordered_json(m.level) : ordered_json(nullptr);
  mat["top_level"] = m.top_level;
  mat["attainable"] = m.attainable;
  mat["note"] = m.note;
  ordered_json mb = ordered_json::array();
  for (const MaturityBlocker& b : m.blockers)
    mb.push_back({{"process", b.process},
                  {"required", b.required},
                  {"achieved", b.achieved ? ordered_json(*b.achieved) : ordered_json(nullptr)},
                  {"reason", MaturityBlockerReasonName(b.reason)}});
  mat["held_back_by"] = mb;
  ordered_json dis = ordered_json::array();
  for (const Disagreement& g : r.disagreements) {
    ordered_json votes = ordered_json::array();
    for (const Vote& v : g.votes) votes.push_back({{"assessor", v.assessor}, {"value", v.value}});
    dis.push_back({{"instance", g.instance}, {"item", g.item}, {"votes", votes}, {"used", g.used}});
  }
  return {{"processes", processes}, {"maturity", mat}, {"disagreements", dis}};
}

// "statements", "checks" and "recommendations".
void FindingsJson(const Content& c, ordered_json* out_json) {
  ordered_json& out = *out_json;
  const RatingResults& r = *c.results;
  ordered_json statements = ordered_json::array();
  for (const ProcessProfile& p : r.processes) {
    auto it = c.statements.find(p.process);
    if (it == c.statements.end()) continue;
    for (const StatementRow& s : it->second)
      statements.push_back({{"process", s.process},
                            {"instance", s.instance},
                            {"item", s.item},
                            {"item_kind", s.item_kind},
                            {"value", s.value},
                            {"rated_by", s.rated_by},
                            {"strength", s.strength.empty() ? ordered_json(nullptr) : ordered_json(s.strength)},
                            {"weakness", s.weakness.empty() ? ordered_json(nullptr) : ordered_json(s.weakness)},
                            {"reasons", s.reasons},
                            {"evidence", s.evidence}});
  }
  out["statements"] = statements;

  ordered_json findings = ordered_json::array();
  for (const CheckFinding* f : c.problems) findings.push_back(FindingJson(*f));
  ordered_json deviations = ordered_json::array();
  for (const CheckFinding* f : c.deviations) deviations.push_back(FindingJson(*f));
  ordered_json counts = ordered_json::object();
  for (const auto& [name, n] : CheckCounts(*c.checks))
    counts[name] = {{"errors", n.errors}, {"warnings", n.warnings}, {"notes", n.infos}};
  out["checks"] = {{"passed", c.checks->passed()},
                   {"errors", c.checks->errors()},
                   {"counts", counts},
                   {"findings", findings},
                   {"justified_deviations", deviations}};

  ordered_json recs = ordered_json::array();
  for (const Recommendation& rec : c.recommendations) {
    ordered_json raise = ordered_json::array();
    for (const RaiseRow& row : rec.raise)
      raise.push_back({{"attribute", row.attribute},
                       {"name", row.attribute_name},
                       {"now", row.now},
                       {"needs", row.needs},
                       {"weaknesses", row.weaknesses}});
    recs.push_back({{"process", rec.process},
                    {"name", rec.name},
                    {"achieved", rec.achieved},
                    {"target", rec.target},
                    {"raise", raise}});
  }
  out["recommendations"] = recs;
}

ordered_json ContentJson(const Content& c) {
  const AssessmentData& d = *c.data;
  const Assessment& a = d.assessment;
  const RatingResults& r = *c.results;
  ordered_json out;
  out["format"] = "assay-assessment-report/1";
  out["title"] = DraftMarked(c.manifest.draft, "Process assessment report: " + a.id);
  out["draft"] = c.manifest.draft;
  out["assessment"] = AssessmentJson(c);
  ScopeAndTeamJson(c, &out);
  const Framework& fw = c.model->framework();
  out["method"] = {{"model", {{"id", c.model->pam().id}, {"version", c.model->pam().version},
                              {"title", c.model->pam().title}, {"hash", c.model->hash()}}},
                   {"framework", {{"id", fw.info.id}, {"version", fw.info.version}}},
                   {"rating_method", RatingMethodName(r.options.method)},
                   {"aggregation", AggregationMethodName(r.options.aggregation)},
                   {"weights_rationale", a.options.weights_rationale},
                   {"scale", ScaleKindName(r.options.scale)}};
  out["results"] = ResultsJson(c);
  FindingsJson(c, &out);
  out["sampling_statement"] = SamplingStatement(ReportKind::kAssessment);

  ordered_json evidence = ordered_json::array();
  for (const EvidenceRow& e : c.evidence)
    evidence.push_back({{"id", e.evidence->id},
                        {"kind", EvidenceKindName(e.evidence->kind)},
                        {"reference", e.evidence->reference},
                        {"description", e.evidence->description},
                        {"effective_date", e.evidence->effective_date},
                        {"collected_date", e.evidence->collected_date},
                        {"collected_by", e.evidence->collected_by},
                        {"sha256", e.evidence->sha256},
                        {"cited_by_ratings", e.cited_by}});
  out["evidence"] = evidence;
  out["manifest"] = {{"kind", ReportKindName(c.manifest.kind)},
                     {"subject", c.manifest.subject},
                     {"snapshot_sha256", c.manifest.snapshot_sha256},
                     {"assay_version", c.manifest.assay_version},
                     {"model", c.manifest.model},
                     {"model_sha256", c.manifest.model_sha256},
                     {"data_as_of", c.manifest.data_as_of},
                     {"log_seq", c.manifest.log_seq},
                     {"log_head", c.manifest.log_head},
                     {"seal", c.manifest.seal},
                     {"draft", c.manifest.draft}};
  return out;
}

// ---------------------------------------------------------------------------
// CSV

class CsvWriter {
 public:
  void Row(const std::string& section, const std::string& process, const std::string& instance,
           const std::string& attribute, const std::string& item, const std::string& value,
           const std::string& detail) {
    out_ += CsvCell(section) + "," + CsvCell(process) + "," + CsvCell(instance) + "," + CsvCell(attribute) + "," +
            CsvCell(item) + "," + CsvCell(value) + "," + CsvCell(detail) + "\n";
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_ = "section,process,instance,attribute,item,value,detail\n";
};

std::string ContentCsv(const Content& c) {
  const AssessmentData& d = *c.data;
  const Assessment& a = d.assessment;
  const RatingResults& r = *c.results;
  CsvWriter w;
  const std::pair<std::string, std::string> fields[] = {
      {"id", a.id},
      {"title", a.title},
      {"organization", a.organization},
      {"sponsor", c.sponsor},
      {"class", std::to_string(a.assessment_class)},
      {"independence", a.independence},
      {"status", AssessmentStatusName(a.status)},
      {"start_date", a.start_date},
      {"end_date", a.end_date},
      {"purpose", a.purpose},
      {"constraints", a.constraints},
      {"confidentiality", a.confidentiality}};
  for (const auto& [k, v] : fields) w.Row("assessment", "", "", "", k, v, "");
  for (const ScopedProcess& s : d.scope) {
    const Process* p = c.model->FindProcess(s.process);
    w.Row("scope", s.process, "", "", "target_level", std::to_string(s.target_level), p ? p->name : "");
    for (const ProcessInstance& i : d.instances)
      if (i.process == s.process) w.Row("scope", s.process, i.id, "", "instance", FormatWeight(i.weight), i.name);
  }
  for (const Person& p : d.people) w.Row("team", "", "", "", p.id, RolesText(p), p.name);
  w.Row("method", "", "", "", "model", c.model->Key(), c.model->hash());
  w.Row("method", "", "", "", "rating_method", RatingMethodName(r.options.method), "");
  w.Row("method", "", "", "", "aggregation", AggregationMethodName(r.options.aggregation),
        a.options.weights_rationale);
  w.Row("method", "", "", "", "scale", ScaleKindName(r.options.scale), "");
  for (const ProcessProfile& p : r.processes) {
    for (const AttributeRating& at : p.aggregate)
      w.Row("attribute", p.process, "", at.attribute, AttributeStateName(at.state),
            at.state == AttributeState::kRated ? at.value : "", "");
    for (const InstanceResult& i : p.instances)
      for (const AttributeRating& at : i.attributes)
        w.Row("attribute", p.process, i.instance, at.attribute, AttributeStateName(at.state),
              at.state == AttributeState::kRated ? at.value : "", "");
    w.Row("capability", p.process, "", "", "target " + std::to_string(p.target_level), LevelText(p.capability),
          p.gap ? "gap " + std::to_string(*p.gap) : "");
  }
  const MaturityResult& m = r.maturity;
  w.Row("maturity", "", "", "", m.model, m.available ? std::to_string(m.level) : "", MaturitySentence(c.results->maturity));
  for (const MaturityBlocker& b : m.blockers)
    w.Row("maturity", b.process, "", "", "needs " + std::to_string(b.required),
          b.achieved ? std::to_string(*b.achieved) : "", MaturityBlockerReasonName(b.reason));
  for (const ProcessProfile& p : r.processes) {
    auto it = c.statements.find(p.process);
    if (it == c.statements.end()) continue;
    for (const StatementRow& s : it->second) {
      if (!s.strength.empty()) w.Row("statement", s.process, s.instance, "", s.item, "strength", s.strength);
      if (!s.weakness.empty()) w.Row("statement", s.process, s.instance, "", s.item, "weakness", s.weakness);
    }
  }
  for (const CheckFinding* f : c.problems)
    w.Row("check", f->process, f->instance, "", f->check, SeverityName(f->severity), f->message);
  for (const CheckFinding* f : c.deviations)
    w.Row("deviation", f->process, f->instance, "", f->rule, f->message, f->justification);
  for (const Recommendation& rec : c.recommendations)
    for (const RaiseRow& row : rec.raise)
      w.Row("recommendation", rec.process, "", row.attribute, row.now, row.needs, JoinIds(row.weaknesses, " | "));
  for (const EvidenceRow& e : c.evidence)
    w.Row("evidence", "", "", "", e.evidence->id, EvidenceKindName(e.evidence->kind), e.evidence->reference);
  const std::pair<std::string, std::string> manifest[] = {{"snapshot_sha256", c.manifest.snapshot_sha256},
                                                          {"assay_version", c.manifest.assay_version},
                                                          {"model", c.manifest.model},
                                                          {"model_sha256", c.manifest.model_sha256},
                                                          {"data_as_of", c.manifest.data_as_of},
                                                          {"log_seq", std::to_string(c.manifest.log_seq)},
                                                          {"log_head", c.manifest.log_head},
                                                          {"seal", c.manifest.seal},
                                                          {"draft", c.manifest.draft ? "yes" : "no"}};
  for (const auto& [k, v] : manifest) w.Row("manifest", "", "", "", k, v, "");
  return w.Take();
}

Status CheckInput(const AssessmentReportInput& in) {
  if (in.model == nullptr || in.data == nullptr || in.results == nullptr || in.checks == nullptr)
    return Status::InvalidInput("assessment report: model, data, results and checks are all required");
  if (in.manifest.kind != ReportKind::kAssessment || in.manifest.subject != in.data->assessment.id)
    return Status::InvalidInput("assessment report: the manifest names " + std::string(ReportKindName(in.manifest.kind)) +
                                " '" + in.manifest.subject + "', not assessment '" + in.data->assessment.id + "'");
  return Status::OK();
}

}  // namespace

bool IsDraftAssessment(const Assessment& a) {
  return a.status == AssessmentStatus::kPlanned || a.status == AssessmentStatus::kCollecting ||
         a.status == AssessmentStatus::kValidating;
}

std::string AssessmentDataAsOf(const AssessmentData& data) {
  std::vector<std::string_view> dates = {data.assessment.start_date, data.assessment.end_date};
  for (const Interview& i : data.interviews) dates.push_back(i.held_at);
  for (const Evidence& e : data.evidence) dates.push_back(e.collected_date);
  for (const Rating& r : data.ratings) dates.push_back(r.rated_at);
  return NewestDate(dates);
}

Status RenderAssessmentReport(const AssessmentReportInput& input, const ReportOptions& options, std::string* pdf) {
  return RenderAssessmentReport(input, options, pdf, nullptr);
}

Status RenderAssessmentReport(const AssessmentReportInput& input, const ReportOptions& options, std::string* pdf,
                              std::vector<std::string>* warnings) {
  ASSAY_RETURN_IF_ERROR(CheckInput(input));
  const Content c = BuildContent(input);
  const Assessment& a = input.data->assessment;

  ReportIdentity id;
  id.title = "Process assessment report: " + a.id;
  id.author = c.leads.empty() ? "" : c.leads.front()->name;
  id.subject = a.title;
  id.header = a.id + "  \u00b7  " + (a.title.empty() ? "Process assessment report" : a.title);
  id.footer = "Confidential  \u00b7  " + a.id;
  std::unique_ptr<PdfDocument> doc;
  ASSAY_RETURN_IF_ERROR(PdfDocument::Create(MakePdfOptions(options, id, c.manifest), &doc));

  CoverPage cover;
  cover.kind = c.manifest.draft ? "DRAFT  \u00b7  PROCESS ASSESSMENT REPORT" : "PROCESS ASSESSMENT REPORT";
  cover.title = a.title.empty() ? a.id : a.title;
  cover.subtitle = a.organization;
  std::vector<std::string> leads;
  for (const Person* p : c.leads) leads.push_back(p->name + (p->organization.empty() ? "" : ", " + p->organization));
  cover.details = {{"Assessment", a.id},
                   {"Sponsor", c.sponsor},
                   {"Lead assessor", leads.empty() ? "not recorded" : JoinIds(leads, "\n")},
                   {"Assessment period", DateRange(a.start_date, a.end_date)},
                   {"Assessment class", ClassText(a)},
                   {"Process assessment model", c.model->pam().title + " (" + c.model->Key() + ")"},
                   {"Results as of", LongDate(input.manifest.data_as_of)}};
  cover.marking = "CONFIDENTIAL";
  cover.marking_note = a.confidentiality;
  cover.issued_by = "Produced with assay " + input.manifest.assay_version + " from snapshot " +
                    input.manifest.snapshot_sha256.substr(0, 16) + "\u2026";
  RenderCoverPage(*doc, cover);
  doc->TableOfContents("Contents");
  RenderPdfBody(*doc, c);
  std::string bytes;
  ASSAY_RETURN_IF_ERROR(doc->Finish(&bytes));
  *pdf = std::move(bytes);
  if (warnings != nullptr) *warnings = doc->warnings();
  return Status::OK();
}

std::string AssessmentReportJson(const AssessmentReportInput& input) {
  return ContentJson(BuildContent(input)).dump(2) + "\n";
}

std::string AssessmentReportCsv(const AssessmentReportInput& input) { return ContentCsv(BuildContent(input)); }

}  // namespace assay::reports
