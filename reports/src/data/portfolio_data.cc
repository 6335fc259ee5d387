// The portfolio as JSON, CSV, SVG and PDF, and the trend chart as SVG.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "assay/reports/pdf.h"
#include "assay/reports/portfolio.h"
#include "assay/reports/profile.h"

namespace assay::reports {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json Optional(const std::optional<int>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

// The heat of a capability level: the rating fills from N to F, deepening
// green above level 3.
Color LevelFill(int level) {
  switch (level) {
    case 0: return palette::kRatingN;
    case 1: return palette::kRatingP;
    case 2: return palette::kRatingL;
    case 3: return palette::kRatingF;
    case 4: return Color::Hex(0x6FB47A);
    default: return Color::Hex(0x4A9A5A);
  }
}

std::string HexOf(Color c) {
  auto byte = [](double v) { return static_cast<unsigned>(std::clamp(v, 0.0, 1.0) * 255.0 + 0.5); };
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02X%02X%02X", byte(c.r), byte(c.g), byte(c.b));
  return buf;
}

// Text for SVG: the five XML special characters as entities, and control
// characters (which XML 1.0 forbids) dropped.
std::string XmlText(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const unsigned char u = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (u >= 0x20 || ch == '\t' || ch == '\n') out += ch;
    }
  }
  return out;
}

// `s` cut to at most `chars` characters (whole UTF-8 sequences), with an
// ellipsis when cut.
std::string Clip(const std::string& s, size_t chars) {
  size_t i = 0, n = 0;
  while (i < s.size() && n < chars) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    ++n;
  }
  return i >= s.size() ? s : s.substr(0, i) + "\u2026";
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// What a portfolio cell says: "2/3", "n.d./3", or "" when not in scope.
std::string CellText(const TrendPoint& p) {
  if (!p.in_scope) return "";
  return (p.level ? std::to_string(*p.level) : std::string("n.d.")) + "/" + std::to_string(p.target_level);
}

bool BelowTarget(const TrendPoint& p) { return p.in_scope && (!p.level || *p.level < p.target_level); }

class Svg {
 public:
  Svg(double width, double height) {
    out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
           Num(width) + "\" height=\"" + Num(height) + "\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
           "\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n";
    Rect(0, 0, width, height, "#FFFFFF");
  }
  void Rect(double x, double y, double w, double h, const std::string& fill, const std::string& extra = "") {
    out_ += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(w) + "\" height=\"" + Num(h) +
            "\" fill=\"" + fill + "\"" + extra + "/>\n";
  }
  void Line(double x1, double y1, double x2, double y2, const std::string& stroke, double width,
            bool dashed = false) {
    out_ += "<line x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) + "\" y2=\"" + Num(y2) +
            "\" stroke=\"" + stroke + "\" stroke-width=\"" + Num(width) + "\"" +
            (dashed ? " stroke-dasharray=\"2 2\"" : "") + "/>\n";
  }
  void Text(double x, double y, const std::string& text, double size, const std::string& fill, bool bold = false,
            const char* anchor = "start") {
    out_ += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" font-size=\"" + Num(size) + "\" fill=\"" + fill +
            "\" text-anchor=\"" + anchor + "\"" + (bold ? " font-weight=\"bold\"" : "") + ">" + XmlText(text) +
            "</text>\n";
  }
  void Title(const std::string& text) { out_ += "<title>" + XmlText(text) + "</title>\n"; }
  std::string Finish() { return out_ + "</svg>\n"; }

 private:
  std::string out_;
};

// Series colours of the trend chart, as in the PDF (sections.cc).
std::string TrendColor(size_t k, size_t n) {
  if (k + 1 == n) return HexOf(palette::kAccent);
  const double t = n <= 2 ? 1.0 : 0.45 + 0.55 * static_cast<double>(n - 2 - k) / static_cast<double>(n - 2);
  auto mix = [t](double a, double b) { return a + (b - a) * t; };
  return HexOf(Color{mix(palette::kAccent.r, palette::kAccentLight.r), mix(palette::kAccent.g, palette::kAccentLight.g),
                     mix(palette::kAccent.b, palette::kAccentLight.b)});
}

int PointLevel(const TrendPoint& p) { return p.in_scope && p.level ? *p.level : -1; }

}  // namespace

std::string PortfolioJson(const Portfolio& portfolio) {
  ordered_json out;
  out["format"] = "assay-portfolio/1";
  ordered_json processes = ordered_json::array();
  for (size_t i = 0; i < portfolio.processes.size(); ++i)
    processes.push_back({{"process", portfolio.processes[i]}, {"name", portfolio.names[i]}});
  out["processes"] = processes;
  ordered_json orgs = ordered_json::array();
  for (const PortfolioRow& row : portfolio.rows) {
    ordered_json levels = ordered_json::array();
    for (size_t i = 0; i < row.points.size(); ++i) {
      const TrendPoint& p = row.points[i];
      levels.push_back({{"process", portfolio.processes[i]},
                        {"in_scope", p.in_scope},
                        {"capability_level", Optional(p.level)},
                        {"target_level", p.in_scope ? ordered_json(p.target_level) : ordered_json(nullptr)},
                        {"gap", Optional(p.gap)}});
    }
    orgs.push_back({{"organization", row.assessment.organization},
                    {"assessment", row.assessment.id},
                    {"title", row.assessment.title},
                    {"date", SeriesDate(row.assessment)},
                    {"series", row.assessment.series},
                    {"levels", levels}});
  }
  out["organizations"] = orgs;
  return out.dump(2) + "\n";
}

std::string PortfolioCsv(const Portfolio& portfolio) {
  std::string out = "organization,assessment,date,process,name,in_scope,capability_level,target_level,gap\r\n";
  auto opt = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); };
  for (const PortfolioRow& row : portfolio.rows)
    for (size_t i = 0; i < row.points.size(); ++i) {
      const TrendPoint& p = row.points[i];
      out += CsvCell(row.assessment.organization) + "," + CsvCell(row.assessment.id) + "," +
             CsvCell(SeriesDate(row.assessment)) + "," + CsvCell(portfolio.processes[i]) + "," +
             CsvCell(portfolio.names[i]) + "," + (p.in_scope ? "yes" : "no") + "," + opt(p.level) + "," +
             (p.in_scope ? std::to_string(p.target_level) : "") + "," + opt(p.gap) + "\r\n";
    }
  return out;
}

std::string PortfolioSvg(const Portfolio& portfolio) {
  const size_t rows = portfolio.processes.size(), cols = portfolio.rows.size();
  const double row_h = 22, col_w = 80, label_w = 240, head_h = 92;
  const double foot_h = 44 + 16 * static_cast<double>(cols);  // legend, then the organizations in full
  const double width = label_w + static_cast<double>(cols) * col_w + 20;
  const double height = head_h + static_cast<double>(rows) * row_h + foot_h;
  Svg svg(std::max(width, 420.0), height);
  svg.Title("Capability portfolio: the latest capability level of each process, per organization");
  svg.Text(10, 22, "Capability portfolio", 15, HexOf(palette::kAccent), true);
  svg.Text(10, 40, "Latest capability level / target level, per organization", 10, HexOf(palette::kMuted));
  for (size_t c = 0; c < cols; ++c) {
    const PortfolioRow& row = portfolio.rows[c];
    const double x = label_w + static_cast<double>(c) * col_w + col_w / 2;
    svg.Text(x, head_h - 22, Clip(row.assessment.organization, 12), 9, HexOf(palette::kInk), true, "middle");
    svg.Text(x, head_h - 9, row.assessment.id, 8, HexOf(palette::kMuted), false, "middle");
  }
  for (size_t r = 0; r < rows; ++r) {
    const double y = head_h + static_cast<double>(r) * row_h;
    if (r % 2 == 1) svg.Rect(0, y, std::max(width, 420.0), row_h, HexOf(palette::kZebra));
    svg.Text(10, y + 15, portfolio.processes[r], 9.5, HexOf(palette::kInk), true);
    svg.Text(62, y + 15, Clip(portfolio.names[r], 30), 9.5, HexOf(palette::kInk));
    for (size_t c = 0; c < cols; ++c) {
      const TrendPoint& p = portfolio.rows[c].points[r];
      const double x = label_w + static_cast<double>(c) * col_w;
      if (!p.in_scope) {
        svg.Text(x + col_w / 2, y + 15, "\u2013", 9.5, HexOf(palette::kMuted), false, "middle");
        continue;
      }
      svg.Rect(x + 2, y + 2, col_w - 4, row_h - 4, p.level ? HexOf(LevelFill(*p.level)) : HexOf(palette::kZebra),
               BelowTarget(p) ? " stroke=\"" + HexOf(palette::kHighlight) + "\" stroke-width=\"1.5\"" : "");
      svg.Text(x + col_w / 2, y + 15, CellText(p), 9.5,
               HexOf(BelowTarget(p) ? palette::kHighlight : palette::kInk), true, "middle");
    }
  }
  const double ly = head_h + static_cast<double>(rows) * row_h + 24;
  double x = 10;
  for (int level = 0; level <= 5; ++level) {
    svg.Rect(x, ly - 10, 14, 12, HexOf(LevelFill(level)));
    svg.Text(x + 18, ly, "CL" + std::to_string(level), 9, HexOf(palette::kInk));
    x += 52;
  }
  svg.Rect(x, ly - 10, 14, 12, "#FFFFFF", " stroke=\"" + HexOf(palette::kHighlight) + "\" stroke-width=\"1.5\"");
  svg.Text(x + 18, ly, "below target   \u2013 not in scope", 9, HexOf(palette::kInk));
  for (size_t c = 0; c < cols; ++c) {
    const Assessment& a = portfolio.rows[c].assessment;
    const std::string date = SeriesDate(a);
    svg.Text(10, ly + 22 + 16 * static_cast<double>(c),
             a.id + (date.empty() ? "" : " (" + date + ")") + ": " + a.organization, 9, HexOf(palette::kMuted));
  }
  return svg.Finish();
}

std::string TrendSvg(const std::string& organization, const Trend& trend) {
  int top = 5;
  const double row_h = 22, label_w = 270, unit = 70, head_h = 80, foot_h = 48, change_w = 100;
  const size_t rows = trend.processes.size(), n = trend.assessments.size();
  const double x0 = label_w, x1 = label_w + top * unit;
  const double width = x1 + change_w + 20, height = head_h + static_cast<double>(rows) * row_h + foot_h;
  Svg svg(width, height);
  svg.Text(10, 22, "Capability trend: " + Clip(organization, 60), 15, HexOf(palette::kAccent), true);
  svg.Title("Capability trend of " + organization);
  svg.Text(10, 40, std::to_string(n) + (n == 1 ? " assessment" : " assessments, oldest first"), 10,
           HexOf(palette::kMuted));
  const double y_top = head_h, y_bottom = head_h + static_cast<double>(rows) * row_h;
  for (size_t r = 1; r < rows; r += 2) svg.Rect(0, y_top + static_cast<double>(r) * row_h, width, row_h, HexOf(palette::kZebra));
  for (int l = 0; l <= top; ++l) {
    svg.Line(x0 + l * unit, y_top - 4, x0 + l * unit, y_bottom, HexOf(l == 0 ? palette::kMuted : palette::kRule), 1,
             l != 0);
    svg.Text(x0 + l * unit, y_top - 10, std::to_string(l), 9, HexOf(palette::kMuted), false, "middle");
  }
  svg.Text(x0 + top * unit / 2.0, y_top - 26, "Capability level", 9, HexOf(palette::kMuted), true, "middle");
  svg.Text(x1 + change_w / 2, y_top - 10, "CHANGE", 9, HexOf(palette::kMuted), true, "middle");
  const std::string improved = "#2E7D4F", regressed = HexOf(palette::kHighlight);
  for (size_t r = 0; r < rows; ++r) {
    const ProcessTrend& p = trend.processes[r];
    const double y = y_top + static_cast<double>(r) * row_h, mid = y + row_h / 2;
    svg.Text(10, y + 15, p.process, 9.5, HexOf(palette::kInk), true);
    svg.Text(62, y + 15, Clip(p.name, 32), 9.5, HexOf(palette::kInk));
    const TrendPoint& newest = p.points.back();
    if (newest.in_scope)
      svg.Line(x0 + newest.target_level * unit, y + 2, x0 + newest.target_level * unit, y + row_h - 2, regressed, 2);
    const int now = PointLevel(newest), before = n >= 2 ? PointLevel(p.points[n - 2]) : -1;
    if (now >= 0 && before >= 0 && now != before)
      svg.Line(x0 + before * unit, mid, x0 + now * unit, mid, now > before ? improved : regressed, 3);
    for (size_t k = 0; k < n; ++k) {
      const int level = PointLevel(p.points[k]);
      if (level < 0) continue;
      int same = 0, same_before = 0;
      for (size_t j = 0; j < n; ++j) {
        if (PointLevel(p.points[j]) != level) continue;
        ++same;
        if (j < k) ++same_before;
      }
      const double side = 10, x = x0 + level * unit - side / 2 + (same_before - (same - 1) / 2.0) * (side + 1);
      svg.Rect(x, mid - side / 2, side, side, TrendColor(k, n), " stroke=\"#FFFFFF\" stroke-width=\"1\"");
    }
    const char* change = n >= 2 ? ChangeName(p.latest) : "";
    svg.Text(x1 + change_w / 2, y + 15, change, 9.5,
             p.latest == Change::kImproved    ? improved
             : p.latest == Change::kRegressed ? regressed
                                              : HexOf(palette::kInk),
             p.latest != Change::kUnchanged, "middle");
  }
  double x = 10;
  const double ly = y_bottom + 28;
  for (size_t k = 0; k < n; ++k) {
    const Assessment& a = trend.assessments[k];
    const std::string label = a.id + (SeriesDate(a).empty() ? "" : " (" + SeriesDate(a).substr(0, 7) + ")");
    svg.Rect(x, ly - 9, 10, 10, TrendColor(k, n));
    svg.Text(x + 14, ly, label, 9, HexOf(palette::kInk));
    x += 30 + 5.6 * static_cast<double>(label.size());
  }
  svg.Line(x, ly - 10, x, ly + 2, regressed, 2);
  svg.Text(x + 6, ly, "target", 9, HexOf(palette::kInk));
  return svg.Finish();
}

Status RenderPortfolioPdf(const Portfolio& portfolio, const std::string& as_of, const ReportOptions& options,
                          std::string* pdf) {
  PdfOptions o;
  o.paper = options.paper;
  o.font_dir = options.font_dir;
  o.fallback_fonts = options.fallback_fonts;
  o.metadata.title = "Capability portfolio";
  o.metadata.creator = std::string("assay");
  o.metadata.creation_date = as_of;
  o.header_text = "Capability portfolio";
  o.footer_text = "Confidential";
  std::unique_ptr<PdfDocument> doc;
  ASSAY_RETURN_IF_ERROR(PdfDocument::Create(o, &doc));
  doc->Heading(1, "Capability portfolio");
  doc->Paragraph("The latest assessment of each organization: every process's capability level over its target "
                 "level. The colour deepens with the level; a cell below its target is in red; \u2013 is a process "
                 "outside that assessment's scope; n.d. a level not determined (R3 with several instances).");
  std::vector<std::pair<std::string, std::string>> kv;
  for (const PortfolioRow& row : portfolio.rows)
    kv.push_back({row.assessment.organization, row.assessment.id + (SeriesDate(row.assessment).empty()
                                                                        ? ""
                                                                        : " (" + SeriesDate(row.assessment) + ")")});
  if (!kv.empty()) doc->KeyValues(kv, 0.4);
  constexpr size_t kPerTable = 6;  // organizations side by side on one page width
  for (size_t from = 0; from < portfolio.rows.size(); from += kPerTable) {
    const size_t to = std::min(portfolio.rows.size(), from + kPerTable);
    std::vector<TableColumn> columns = {{"Process", 0.9}, {"Name", 2.2}};
    for (size_t c = from; c < to; ++c) columns.push_back({portfolio.rows[c].assessment.organization, 1.1, Align::kCenter});
    std::vector<TableRow> rows;
    for (size_t r = 0; r < portfolio.processes.size(); ++r) {
      TableRow row;
      TableCell id{portfolio.processes[r]};
      id.bold = true;
      row.push_back(id);
      row.push_back(TableCell{portfolio.names[r]});
      for (size_t c = from; c < to; ++c) {
        const TrendPoint& p = portfolio.rows[c].points[r];
        TableCell cell{p.in_scope ? CellText(p) : "\u2013"};
        cell.align = Align::kCenter;
        if (p.in_scope) {
          cell.bold = true;
          if (p.level) cell.fill = LevelFill(*p.level);
          if (BelowTarget(p)) cell.color = palette::kHighlight;
        } else {
          cell.color = palette::kMuted;
        }
        row.push_back(cell);
      }
      rows.push_back(std::move(row));
    }
    doc->Table(columns, rows);
  }
  if (portfolio.rows.empty()) doc->Paragraph("No assessment names its organization.");
  return doc->Finish(pdf);
}

}  // namespace assay::reports
