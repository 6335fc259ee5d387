// Table workbooks for management (xlsx.h): the profile, the audit programme,
// the nonconformity register.
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "assay/reports/profile.h"
#include "assay/reports/xlsx.h"
#include "xlsx/workbook_file.h"

namespace assay::reports {

namespace {

constexpr lxw_row_t kHeaderRow = 2;  // title, blank, header

// The fill of a rating value (N red, P orange, L yellow-green, F green: the
// report's colours), or 0.
lxw_color_t RatingFill(const std::string& v) {
  static const std::map<std::string, lxw_color_t> fills = {
      {"N", 0xF4B6B6}, {"P-", 0xF9D29D}, {"P", 0xF9D29D}, {"P+", 0xF9D29D}, {"L-", 0xD9EAA3},
      {"L", 0xD9EAA3}, {"L+", 0xD9EAA3}, {"F", 0xA8D8A8}};
  auto it = fills.find(v);
  return it == fills.end() ? 0 : it->second;
}

// Whether `text` is a number to write as one (a plain decimal, nothing else).
bool AsNumber(const std::string& text, double* value) {
  if (text.empty() || text.size() > 20) return false;
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return *end == '\0' && std::isfinite(*value) &&
         text.find_first_not_of("-0123456789.") == std::string::npos;
}

void WriteTable(lxw_workbook* wb, const XlsxTable& t, lxw_format* title, lxw_format* header,
                std::map<lxw_color_t, lxw_format*>* fills) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, t.name.c_str());
  worksheet_write_string(ws, 0, 0, NeutraliseFormula(t.title).c_str(), title);
  for (size_t c = 0; c < t.header.size(); ++c) {
    worksheet_write_string(ws, kHeaderRow, static_cast<lxw_col_t>(c), NeutraliseFormula(t.header[c]).c_str(), header);
    size_t width = t.header[c].size();
    for (const auto& row : t.rows)
      if (c < row.size()) width = std::max(width, std::min<size_t>(row[c].size(), 60));
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), static_cast<double>(width) + 2,
                         nullptr);
  }
  lxw_row_t r = kHeaderRow + 1;
  for (const auto& row : t.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      const lxw_col_t col = static_cast<lxw_col_t>(c);
      double number = 0;
      if (c < t.numeric.size() && t.numeric[c] && AsNumber(row[c], &number)) {
        worksheet_write_number(ws, r, col, number, nullptr);
        continue;
      }
      lxw_format* fmt = nullptr;
      if (lxw_color_t fill = RatingFill(row[c])) {
        lxw_format*& f = (*fills)[fill];
        if (f == nullptr) {
          f = workbook_add_format(wb);
          format_set_bg_color(f, fill);
        }
        fmt = f;
      }
      worksheet_write_string(ws, r, col, NeutraliseFormula(row[c]).c_str(), fmt);
    }
    ++r;
  }
  if (!t.header.empty()) {
    worksheet_autofilter(ws, kHeaderRow, 0, r - 1, static_cast<lxw_col_t>(t.header.size() - 1));
    worksheet_freeze_panes(ws, kHeaderRow + 1, 0);
  }
  lxw_protection protection{};
  protection.autofilter = 1;  // filtering and sorting stay possible
  protection.sort = 1;
  protection.format_columns = 1;
  worksheet_protect(ws, nullptr, &protection);
}

// What a profile cell shows for an attribute rating ("-" would be
// neutralised as formula-like text).
std::string Shown(const AttributeRating& a) {
  return a.state == AttributeState::kRated ? a.value : a.state == AttributeState::kNotAssessed ? "n/a" : "n/r";
}

std::string Level(const CapabilityResult& c) { return c.determined ? std::to_string(c.level) : "not determined"; }

}  // namespace

Status TableWorkbook(const std::vector<XlsxTable>& tables, const std::string& title, const std::string& date,
                     const WorkbookOptions& options, std::string* bytes) {
  auto fill = [&](lxw_workbook* wb) {
    lxw_format* title_format = workbook_add_format(wb);
    format_set_bold(title_format);
    format_set_font_size(title_format, 14);
    lxw_format* header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_bg_color(header, 0xD9D9D9);
    format_set_border(header, LXW_BORDER_THIN);
    std::map<lxw_color_t, lxw_format*> fills;
    for (const XlsxTable& t : tables) WriteTable(wb, t, title_format, header, &fills);
  };
  return internal::WriteWorkbook(options.tmpdir, title, internal::DateTime(date), fill, bytes);
}

Status ProfileWorkbook(const Model& model, const AssessmentData& data, const RatingResults& results,
                       const WorkbookOptions& options, std::string* bytes) {
  const Assessment& a = data.assessment;
  XlsxTable profile{"Profile", "Capability profile of " + a.id + " (" + a.title + ")", {"process", "name"}, {}, {}};
  XlsxTable matrix{"Instances", "Attribute ratings per process instance of " + a.id, {"process", "instance", "weight"},
                   {}, {false, false, true}};
  for (const ProcessAttribute& attr : model.framework().attributes) {
    profile.header.push_back(attr.id);
    matrix.header.push_back(attr.id);
  }
  for (const char* h : {"level", "target", "gap"}) profile.header.push_back(h);
  matrix.header.push_back("level");
  profile.numeric.assign(profile.header.size(), false);
  profile.numeric[profile.header.size() - 3] = profile.numeric[profile.header.size() - 2] =
      profile.numeric[profile.header.size() - 1] = true;
  matrix.numeric.resize(matrix.header.size(), false);
  matrix.numeric.back() = true;
  for (const ProcessProfile& p : results.processes) {
    std::vector<std::string> row = {p.process, p.name};
    for (const AttributeRating& ar : p.aggregate) row.push_back(Shown(ar));
    row.push_back(Level(p.capability));
    row.push_back(std::to_string(p.target_level));
    row.push_back(p.gap ? std::to_string(*p.gap) : "");
    profile.rows.push_back(std::move(row));
    for (const InstanceResult& i : p.instances) {
      char weight[32];
      std::snprintf(weight, sizeof weight, "%g", i.weight);
      std::vector<std::string> irow = {p.process, i.instance, weight};
      for (const AttributeRating& ar : i.attributes) irow.push_back(Shown(ar));
      irow.push_back(Level(i.capability));
      matrix.rows.push_back(std::move(irow));
    }
  }
  const std::string date = !a.end_date.empty() ? a.end_date : a.start_date;
  return TableWorkbook({profile, matrix}, "Capability profile " + a.id, date, options, bytes);
}

}  // namespace assay::reports
