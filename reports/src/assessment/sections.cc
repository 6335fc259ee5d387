// Pieces shared by the assessment report and its summary: table cells,
// text helpers and the capability profile chart.
#include "assessment/sections.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "assay/scale.h"

namespace assay::reports::internal {

std::string JoinIds(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}


std::string NeedsText(const std::string& needs) { return needs == "F" ? "F" : "at least L"; }


// True when the process has no rating at all that counts.
bool AllNotRated(const ProcessProfile& p) {
  return std::all_of(p.aggregate.begin(), p.aggregate.end(), [](const AttributeRating& a) {
    return a.state == AttributeState::kNotRated || a.state == AttributeState::kNotAssessed;
  });
}

RatingsByProcess::RatingsByProcess(const AssessmentData& d) {
  for (const Rating& r : d.ratings) by_process_[r.process].push_back(&r);
}

const std::vector<const Rating*>& RatingsByProcess::Of(const std::string& process) const {
  static const std::vector<const Rating*> kNone;
  auto it = by_process_.find(process);
  return it == by_process_.end() ? kNone : it->second;
}

// "INSTANCE: weakness" of every rating of `process` about `attribute` (the
// attribute itself, an indicator it owns or one of its achievements), once each.
std::vector<std::string> WeaknessesAbout(const Model& model, const RatingsByProcess& ratings,
                                         const std::string& process, const std::string& attribute) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const Rating* rp : ratings.Of(process)) {
    const Rating& r = *rp;
    if (r.weakness.empty() || r.outside_scope) continue;
    std::string owner;
    bool about = r.item == attribute;
    if (!about) {
      if (const Indicator* ind = model.FindIndicator(r.item)) about = ind->owner == attribute;
      if (!about && model.FindStatement(r.item, &owner)) about = owner == attribute;
    }
    if (!about) continue;
    std::string w = r.instance + ": " + r.weakness;
    if (seen.insert(w).second) out.push_back(std::move(w));
  }
  return out;
}


TableCell Cell(std::string text, Align align) {
  TableCell c{std::move(text)};
  c.align = align;
  return c;
}

TableCell Bold(std::string text) {
  TableCell c{std::move(text)};
  c.bold = true;
  return c;
}


TextStyle Small(Color color) { return TextStyle{8.5, false, color, Align::kLeft, 6}; }

std::string Truncated(const Canvas& canvas, std::string text, double size, bool bold, double width) {
  if (canvas.TextWidth(text, size, bold) <= width) return text;
  while (!text.empty() && canvas.TextWidth(text + "...", size, bold) > width) {
    do text.pop_back();
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80);
    if (!text.empty()) text.pop_back();
  }
  return text + "...";
}

// The capability profile as horizontal bars: per process the target level
// (light) behind the achieved level (dark), on an axis 0..top. Split over as
// many drawings as pages need.
void ProfileChart(PdfDocument& doc, const Model& model, const std::vector<ProcessProfile>& processes) {
  int top = 0;
  for (const CapabilityLevel& l : model.framework().levels) top = std::max(top, l.number);
  if (top <= 0) top = 5;
  const double row_h = 16;
  const double head_h = 34;  // axis title and level labels
  const double foot_h = 30;  // legend
  size_t next = 0;
  bool first = true;
  while (next < processes.size()) {
    double room = doc.RemainingHeight() - (first ? 36 : 0);
    const double page = doc.ContentBox().height;
    if (room < head_h + foot_h + 3 * row_h) room = page;
    size_t rows = static_cast<size_t>(std::floor((room - head_h - foot_h) / row_h));
    rows = std::max<size_t>(1, std::min(rows, processes.size() - next));
    const size_t from = next;
    next += rows;
    const bool last = next >= processes.size();
    const double height = head_h + static_cast<double>(rows) * row_h + (last ? foot_h : 8);
    doc.Drawing(height, [&, from, rows, last](Canvas& cv) {
      double label_w = 0;
      for (size_t i = from; i < from + rows; ++i)
        label_w = std::max(label_w, cv.TextWidth(processes[i].process + "  " + processes[i].name, 8.5));
      label_w = std::min(label_w + 6, cv.width() * 0.42);
      const double x0 = label_w + 6;
      const double x1 = cv.width() - 62;
      const double unit = (x1 - x0) / top;
      const double y_top = cv.height() - head_h;          // top of the first row
      const double y_bottom = y_top - static_cast<double>(rows) * row_h;      // bottom of the last row
      TextStyle axis{8, false, palette::kMuted, Align::kCenter, 0};
      TextStyle axis_title{8, true, palette::kMuted, Align::kCenter, 0};
      cv.Text(x0 + (x1 - x0) / 2, cv.height() - 10, "Capability level", axis_title);
      for (int l = 0; l <= top; ++l) {
        const double x = x0 + l * unit;
        cv.Line(x, y_bottom, x, y_top + 4, l == 0 ? palette::kMuted : palette::kRule, l == 0 ? 0.8 : 0.5, l != 0);
        cv.Text(x, y_top + 8, std::to_string(l), axis);
      }
      TextStyle head{8, true, palette::kMuted, Align::kCenter, 0};
      cv.Text(x1 + 36, y_top + 8, "CL / TGT", head);
      for (size_t i = from; i < from + rows; ++i) {
        const ProcessProfile& p = processes[i];
        const double y = y_top - static_cast<double>(i - from + 1) * row_h;  // bottom of the row
        if ((i - from) % 2 == 1) cv.FillRect(0, y, cv.width(), row_h, palette::kZebra);
        TextStyle id{8.5, true, palette::kInk, Align::kLeft, 0};
        TextStyle name{8.5, false, palette::kInk, Align::kLeft, 0};
        const double id_w = cv.TextWidth(p.process + "  ", 8.5, true);
        cv.Text(2, y + 5, p.process, id);
        cv.Text(2 + id_w, y + 5, Truncated(cv, p.name, 8.5, false, label_w - id_w - 4), name);
        if (p.target_level > 0) cv.FillRect(x0, y + 3, p.target_level * unit, row_h - 6, palette::kAccentLight);
        if (p.capability.determined && p.capability.level > 0)
          cv.FillRect(x0, y + 5, p.capability.level * unit, row_h - 10, palette::kAccent);
        // The target as a marker line.
        const double xt = x0 + p.target_level * unit;
        cv.Line(xt, y + 1.5, xt, y + row_h - 1.5, palette::kHighlight, 1.6);
        TextStyle value{8.5, true, palette::kInk, Align::kCenter, 0};
        const bool short_of = !p.capability.determined || p.capability.level < p.target_level;
        if (short_of) value.color = palette::kHighlight;
        std::string shown = p.capability.determined ? std::to_string(p.capability.level) : "n.d.";
        if (p.capability.determined && p.capability.level == 0 && AllNotRated(p)) shown = "n.r.";
        cv.Text(x1 + 36, y + 5, shown + " / " + std::to_string(p.target_level), value);
      }
      cv.Line(x0, y_bottom, x1, y_bottom, palette::kMuted, 0.8);
      if (!last) return;
      // Legend.
      const double ly = 8;
      TextStyle legend{8, false, palette::kInk, Align::kLeft, 0};
      double x = 2;
      cv.FillRect(x, ly, 14, 6, palette::kAccent);
      cv.Text(x + 18, ly, "Achieved capability level", legend);
      x += 24 + cv.TextWidth("Achieved capability level", 8);
      cv.FillRect(x, ly - 2, 14, 10, palette::kAccentLight);
      cv.Line(x + 14, ly - 3, x + 14, ly + 9, palette::kHighlight, 1.6);
      cv.Text(x + 18, ly, "Target level", legend);
      x += 24 + cv.TextWidth("Target level", 8);
      bool any_nr = false, any_nd = false;
      for (const ProcessProfile& p : processes) {
        any_nd = any_nd || !p.capability.determined;
        any_nr = any_nr || (p.capability.determined && p.capability.level == 0 && AllNotRated(p));
      }
      std::string notes = std::string(any_nr ? "n.r. not rated   " : "") + (any_nd ? "n.d. not determined (R3)" : "");
      cv.Text(x, ly, notes, TextStyle{8, false, palette::kMuted, Align::kLeft, 0});
    });
    first = false;
  }
}


namespace {

// Colours of a change in the trend chart.
constexpr Color kImproved = Color::Hex(0x2E7D4F);
constexpr Color kRegressed = palette::kHighlight;

// The colour of assessment k of n: the newest is the accent, older ones
// fade towards the light accent.
Color SeriesColor(size_t k, size_t n) {
  if (k + 1 == n) return palette::kAccent;
  const double t = n <= 2 ? 1.0 : 0.45 + 0.55 * static_cast<double>(n - 2 - k) / static_cast<double>(n - 2);
  auto mix = [t](double a, double b) { return a + (b - a) * t; };
  return Color{mix(palette::kAccent.r, palette::kAccentLight.r), mix(palette::kAccent.g, palette::kAccentLight.g),
               mix(palette::kAccent.b, palette::kAccentLight.b)};
}

// The level shown for a point, or -1 when there is none.
int PointLevel(const TrendPoint& p) { return p.in_scope && p.level ? *p.level : -1; }

void TrendRow(Canvas& cv, const ProcessTrend& p, double y, double row_h, double x0, double unit, double x_change) {
  const size_t n = p.points.size();
  const TrendPoint& newest = p.points.back();
  if (newest.in_scope) {
    const double xt = x0 + newest.target_level * unit;
    cv.Line(xt, y + 1.5, xt, y + row_h - 1.5, palette::kHighlight, 1.6);
  }
  // The segment from the previous assessment's level to the newest one.
  const int now = PointLevel(newest);
  const int before = n >= 2 ? PointLevel(p.points[n - 2]) : -1;
  if (now >= 0 && before >= 0 && now != before)
    cv.Line(x0 + before * unit, y + row_h / 2, x0 + now * unit, y + row_h / 2, now > before ? kImproved : kRegressed,
            2.2);
  const double side = 7;
  for (size_t k = 0; k < n; ++k) {
    const int level = PointLevel(p.points[k]);
    if (level < 0) continue;
    // Several assessments at the same level sit side by side, oldest left,
    // centred on the level.
    int same_before = 0, same = 0;
    for (size_t j = 0; j < n; ++j) {
      if (PointLevel(p.points[j]) != level) continue;
      ++same;
      if (j < k) ++same_before;
    }
    const double x = x0 + level * unit - side / 2 + (same_before - (same - 1) / 2.0) * (side + 1);
    cv.FillRect(x, y + (row_h - side) / 2, side, side, SeriesColor(k, n));
    cv.StrokeRect(x, y + (row_h - side) / 2, side, side, palette::kWhite, 0.6);
  }
  TextStyle change{8.5, true, palette::kInk, Align::kCenter, 0};
  if (p.latest == Change::kImproved) change.color = kImproved;
  if (p.latest == Change::kRegressed) change.color = kRegressed;
  if (p.latest == Change::kUnchanged) change.bold = false;
  cv.Text(x_change, y + 5, n >= 2 ? ChangeName(p.latest) : "", change);
}

void TrendLegend(Canvas& cv, const Trend& trend) {
  TextStyle legend{8, false, palette::kInk, Align::kLeft, 0};
  double x = 2;
  const size_t n = trend.assessments.size();
  for (size_t k = 0; k < n; ++k) {
    cv.FillRect(x, 7, 7, 7, SeriesColor(k, n));
    const Assessment& a = trend.assessments[k];
    const std::string date = SeriesDate(a);
    const std::string label = a.id + (date.empty() ? "" : " (" + date.substr(0, 7) + ")");
    cv.Text(x + 10, 8, label, legend);
    x += 20 + cv.TextWidth(label, 8);
  }
  cv.Line(x, 6, x, 16, palette::kHighlight, 1.6);
  cv.Text(x + 4, 8, "Target", legend);
  x += 14 + cv.TextWidth("Target", 8);
  cv.Line(x, 11, x + 14, 11, kImproved, 2.2);
  cv.Text(x + 18, 8, "Improved", legend);
  x += 26 + cv.TextWidth("Improved", 8);
  cv.Line(x, 11, x + 14, 11, kRegressed, 2.2);
  cv.Text(x + 18, 8, "Regressed", legend);
}

}  // namespace

void TrendChart(PdfDocument& doc, const Model& model, const Trend& trend) {
  const std::vector<ProcessTrend>& processes = trend.processes;
  int top = 0;
  for (const CapabilityLevel& l : model.framework().levels) top = std::max(top, l.number);
  if (top <= 0) top = 5;
  const double row_h = 16, head_h = 34, foot_h = 30;
  size_t next = 0;
  bool first = true;
  while (next < processes.size()) {
    double room = doc.RemainingHeight() - (first ? 36 : 0);
    if (room < head_h + foot_h + 3 * row_h) room = doc.ContentBox().height;
    size_t rows = static_cast<size_t>(std::floor((room - head_h - foot_h) / row_h));
    rows = std::max<size_t>(1, std::min(rows, processes.size() - next));
    const size_t from = next;
    next += rows;
    const bool last = next >= processes.size();
    const double height = head_h + static_cast<double>(rows) * row_h + (last ? foot_h : 8);
    doc.Drawing(height, [&, from, rows, last](Canvas& cv) {
      double label_w = 0;
      for (size_t i = from; i < from + rows; ++i)
        label_w = std::max(label_w, cv.TextWidth(processes[i].process + "  " + processes[i].name, 8.5));
      label_w = std::min(label_w + 6, cv.width() * 0.38);
      const double x0 = label_w + 10, x1 = cv.width() - 70;
      const double unit = (x1 - x0) / top;
      const double y_top = cv.height() - head_h;
      const double y_bottom = y_top - static_cast<double>(rows) * row_h;
      for (size_t i = from + 1; i < from + rows; i += 2)  // zebra rows under the grid
        cv.FillRect(0, y_top - static_cast<double>(i - from + 1) * row_h, cv.width(), row_h, palette::kZebra);
      cv.Text(x0 + (x1 - x0) / 2, cv.height() - 10, "Capability level", TextStyle{8, true, palette::kMuted, Align::kCenter, 0});
      for (int l = 0; l <= top; ++l) {
        const double x = x0 + l * unit;
        cv.Line(x, y_bottom, x, y_top + 4, l == 0 ? palette::kMuted : palette::kRule, l == 0 ? 0.8 : 0.5, l != 0);
        cv.Text(x, y_top + 8, std::to_string(l), TextStyle{8, false, palette::kMuted, Align::kCenter, 0});
      }
      cv.Text(x1 + 40, y_top + 8, "CHANGE", TextStyle{8, true, palette::kMuted, Align::kCenter, 0});
      for (size_t i = from; i < from + rows; ++i) {
        const ProcessTrend& p = processes[i];
        const double y = y_top - static_cast<double>(i - from + 1) * row_h;
        const double id_w = cv.TextWidth(p.process + "  ", 8.5, true);
        cv.Text(2, y + 5, p.process, TextStyle{8.5, true, palette::kInk, Align::kLeft, 0});
        cv.Text(2 + id_w, y + 5, Truncated(cv, p.name, 8.5, false, label_w - id_w - 4),
                TextStyle{8.5, false, palette::kInk, Align::kLeft, 0});
        TrendRow(cv, p, y, row_h, x0, unit, x1 + 40);
      }
      cv.Line(x0, y_bottom, x1, y_bottom, palette::kMuted, 0.8);
      if (last) TrendLegend(cv, trend);
    });
    first = false;
  }
}

std::string MaturitySentence(const MaturityResult& m) {
  if (!m.available) return "No organizational maturity level is determined: " + m.note + ".";
  if (!m.stated) return "No organizational maturity level is stated: " + m.note + ".";
  std::string s = "Organizational maturity level " + std::to_string(m.level) + " of " + std::to_string(m.top_level) +
                  " (maturity model " + m.model + ").";
  if (m.attainable < m.top_level)
    s += " With the processes and target levels in this scope, at most level " + std::to_string(m.attainable) +
         " could be shown.";
  return s;
}

std::string MaturityReason(const MaturityBlocker& b) {
  switch (b.reason) {
    case MaturityBlocker::Reason::kBelow: return "capability level below the requirement";
    case MaturityBlocker::Reason::kNotDetermined: return "no aggregate capability level (R3)";
    case MaturityBlocker::Reason::kNotInScope: return "not in the assessment scope";
    case MaturityBlocker::Reason::kTargetTooLow: return "target level below the requirement";
  }
  return "";
}

}  // namespace assay::reports::internal
