#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "assay/rating.h"
#include "assay/reports/xlsx.h"
#include "xlsx/workbook_file.h"

namespace assay::reports {

namespace {

constexpr lxw_row_t kHeaderRows = 6;  // title, purpose, blank, instance, rater, field
constexpr lxw_col_t kFixedCols = 5;   // item, kind, attribute, statement, supports
constexpr const char* kFields[] = {"value", "strength", "weakness", "evidence"};

struct Formats {
  lxw_format* title = nullptr;
  lxw_format* header = nullptr;
  lxw_format* wrap = nullptr;
  lxw_format* editable = nullptr;
  lxw_format* editable_wrap = nullptr;
  std::map<std::string, lxw_format*> by_value;  // fill colour per folded value
};

// One column group: a rater's ratings of one instance.
struct Rater {
  std::string instance;
  std::string person;  // empty: the team's consolidated rating
};

using RatingKey = std::tuple<std::string, std::string, std::string, bool>;  // instance, item, assessor, consolidated

// A time_t for the assessment's date, for reproducible bytes.
time_t DocumentTime(const Assessment& a) {
  return internal::DateTime(!a.end_date.empty() ? a.end_date : a.start_date);
}

}  // namespace

namespace internal {

time_t DateTime(const std::string& d) {
  std::tm tm{};
  tm.tm_year = 100;
  tm.tm_mday = 1;
  if (d.size() >= 10) {
    tm.tm_year = std::atoi(d.substr(0, 4).c_str()) - 1900;
    tm.tm_mon = std::atoi(d.substr(5, 2).c_str()) - 1;
    tm.tm_mday = std::atoi(d.substr(8, 2).c_str());
  }
  return timegm(&tm);
}

}  // namespace internal

namespace {

std::string Joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Spreadsheets do not grow rows for wrapped text written by a program: set
// the height from an estimate of the lines `text` needs in `width` characters.
void FitRow(lxw_worksheet* ws, lxw_row_t row, const std::string& text, double width) {
  size_t chars = 0;
  for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // code points, about the glyphs
  size_t lines = static_cast<size_t>(static_cast<double>(chars) / (width * 0.95)) + 1;
  if (lines > 1) worksheet_set_row(ws, row, 15.0 * static_cast<double>(std::min<size_t>(lines, 15)), nullptr);
}

Formats MakeFormats(lxw_workbook* wb, const Model& model) {
  Formats f;
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xD9D9D9);
  format_set_border(f.header, LXW_BORDER_THIN);
  f.wrap = workbook_add_format(wb);
  format_set_text_wrap(f.wrap);
  format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
  f.editable = workbook_add_format(wb);
  format_set_unlocked(f.editable);
  format_set_border(f.editable, LXW_BORDER_HAIR);
  format_set_num_format(f.editable, "@");  // text: "1" stays "1", "72%" stays "72%"
  f.editable_wrap = workbook_add_format(wb);
  format_set_unlocked(f.editable_wrap);
  format_set_text_wrap(f.editable_wrap);
  format_set_border(f.editable_wrap, LXW_BORDER_HAIR);
  format_set_num_format(f.editable_wrap, "@");
  // N red, P orange, L yellow-green, F green (the report's colours).
  const std::map<std::string, lxw_color_t> fills = {
      {"N", 0xF4B6B6}, {"P", 0xF9D29D}, {"L", 0xD9EAA3}, {"F", 0xA8D8A8}};
  std::vector<const Scale*> scales = {&model.framework().standard};
  if (model.framework().refined) scales.push_back(&*model.framework().refined);
  for (const Scale* scale : scales) {
    for (const ScaleBand& band : scale->bands) {
      if (f.by_value.count(band.value)) continue;
      auto it = fills.find(band.folds_to.empty() ? band.value : band.folds_to);
      if (it == fills.end()) continue;
      lxw_format* fmt = workbook_add_format(wb);
      format_set_bg_color(fmt, it->second);
      f.by_value[band.value] = fmt;
    }
  }
  return f;
}

const Scale& AssessmentScale(const Model& model, const AssessmentData& data) {
  const Framework& fw = model.framework();
  return data.assessment.options.scale == ScaleKind::kRefined && fw.refined ? *fw.refined : fw.standard;
}

void WriteCover(lxw_workbook* wb, const Model& model, const AssessmentData& data, const Formats& f,
                const WorkbookOptions& options) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Cover");
  const Assessment& a = data.assessment;
  worksheet_set_column(ws, 0, 0, 24, nullptr);
  worksheet_set_column(ws, 1, 1, 90, f.wrap);
  worksheet_write_string(ws, 0, 0, ("Rating workbook: " + a.id).c_str(), f.title);
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"Assessment", a.id},
      {"Title", a.title},
      {"Organization", a.organization},
      {"Model", a.model_id + " " + a.model_version + " (sha256 " + a.model_hash + ")"},
      {"Rating method", RatingMethodName(a.options.method)},
      {"Aggregation", AggregationMethodName(a.options.aggregation)},
      {"Scale", ScaleKindName(a.options.scale)},
      {"Raters", options.assessor.empty() ? "every assessor of the team, then the team's consolidated rating"
                                          : options.assessor},
  };
  lxw_row_t r = 2;
  for (const auto& [k, v] : rows) {
    worksheet_write_string(ws, r, 0, k.c_str(), f.header);
    FitRow(ws, r, v, 90);
    worksheet_write_string(ws, r++, 1, v.c_str(), f.wrap);
  }
  ++r;
  const char* how[] = {
      "How to fill it in",
      "Each process has a sheet. Its rows are the items to rate up to the process's target level: the process "
      "attribute, then (method R1) its outcomes or achievements, then the indicators that support it.",
      "Per process instance and rater there are four columns: the value (choose it from the list), a strength, a "
      "weakness, and the IDs of the evidence items, separated by ';'. Leave a value empty to leave the item unrated.",
      "Only these cells can be edited; the sheets are protected so that rows and columns stay where assay expects "
      "them. Save the file as .xlsx and read it back with: assay import FILE.xlsx --dry-run, then without --dry-run.",
  };
  worksheet_write_string(ws, r++, 0, how[0], f.header);
  for (size_t i = 1; i < sizeof how / sizeof how[0]; ++i) {
    FitRow(ws, r, how[i], 90);
    worksheet_write_string(ws, r++, 1, how[i], f.wrap);
  }
  ++r;
  worksheet_write_string(ws, r++, 0, "Scale", f.header);
  for (const ScaleBand& band : AssessmentScale(model, data).bands) {
    worksheet_write_string(ws, r, 0, band.value.c_str(), f.by_value.count(band.value) ? f.by_value.at(band.value) : nullptr);
    std::string meaning = band.name + ": " + band.meaning;
    FitRow(ws, r, meaning, 90);
    worksheet_write_string(ws, r++, 1, meaning.c_str(), f.wrap);
  }
  worksheet_protect(ws, nullptr, nullptr);
}

std::vector<Rater> RatersOf(const AssessmentData& data, const std::string& process, const WorkbookOptions& options) {
  std::vector<std::string> people;
  if (!options.assessor.empty()) {
    people.push_back(options.assessor);
  } else {
    for (const Person& p : data.people)
      if (std::any_of(p.roles.begin(), p.roles.end(),
                      [](Role r) { return r == Role::kAssessor || r == Role::kLeadAssessor; }))
        people.push_back(p.id);
  }
  std::vector<Rater> raters;
  for (const ProcessInstance& inst : data.instances) {
    if (inst.process != process) continue;
    for (const std::string& p : people) raters.push_back({inst.id, p});
    if (options.assessor.empty()) raters.push_back({inst.id, ""});
  }
  return raters;
}

void WriteValidation(lxw_worksheet* ws, const Scale& scale, lxw_row_t first, lxw_row_t last, lxw_col_t col,
                     std::vector<const char*>* list) {
  list->clear();
  for (const ScaleBand& band : scale.bands) list->push_back(band.value.c_str());
  list->push_back(nullptr);
  lxw_data_validation dv{};
  dv.validate = LXW_VALIDATION_TYPE_LIST;
  dv.value_list = const_cast<char**>(list->data());
  dv.ignore_blank = LXW_VALIDATION_ON;
  dv.show_error = LXW_VALIDATION_ON;
  dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
  dv.error_title = const_cast<char*>("Not a rating");
  dv.error_message = const_cast<char*>("Choose a value of the assessment's scale from the list, or leave it empty.");
  worksheet_data_validation_range(ws, first, col, last, col, &dv);
}

void WriteColours(lxw_worksheet* ws, const Formats& f, lxw_row_t first, lxw_row_t last, lxw_col_t col) {
  for (const auto& [value, fmt] : f.by_value) {
    std::string quoted = "\"" + value + "\"";
    lxw_conditional_format cf{};
    cf.type = LXW_CONDITIONAL_TYPE_CELL;
    cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
    cf.value_string = quoted.data();
    cf.format = fmt;
    worksheet_conditional_format_range(ws, first, col, last, col, &cf);
  }
}

void WriteProcessHeader(lxw_worksheet* ws, const Process& p, const std::vector<Rater>& raters, const Formats& f) {
  worksheet_write_string(ws, 0, 0, (p.id + " " + p.name).c_str(), f.title);
  worksheet_write_string(ws, 1, 0, p.purpose.c_str(), nullptr);
  const char* fixed[] = {"item", "kind", "attribute", "statement", "supports"};
  for (lxw_col_t c = 0; c < kFixedCols; ++c) {
    worksheet_write_string(ws, 3, c, c == 0 ? "instance" : "", f.header);
    worksheet_write_string(ws, 4, c, c == 0 ? "rater" : "", f.header);
    worksheet_write_string(ws, 5, c, fixed[c], f.header);
  }
  worksheet_set_column(ws, 0, 0, 12, nullptr);
  worksheet_set_column(ws, 1, 1, 16, nullptr);
  worksheet_set_column(ws, 2, 2, 9, nullptr);
  worksheet_set_column(ws, 3, 3, 60, f.wrap);
  worksheet_set_column(ws, 4, 4, 14, nullptr);
  for (size_t g = 0; g < raters.size(); ++g) {
    for (lxw_col_t k = 0; k < 4; ++k) {
      lxw_col_t c = static_cast<lxw_col_t>(kFixedCols + 4 * g + k);
      worksheet_write_string(ws, 3, c, raters[g].instance.c_str(), f.header);
      worksheet_write_string(ws, 4, c, raters[g].person.empty() ? "team" : raters[g].person.c_str(), f.header);
      worksheet_write_string(ws, 5, c, kFields[k], f.header);
      worksheet_set_column(ws, c, c, k == 0 ? 7 : (k == 3 ? 14 : 30), nullptr);
    }
  }
  worksheet_freeze_panes(ws, kHeaderRows, kFixedCols);
}

void WriteProcessSheet(lxw_workbook* wb, const Model& model, const AssessmentData& data, const ScopedProcess& scope,
                       const std::map<RatingKey, const Rating*>& current, const Formats& f,
                       const WorkbookOptions& options) {
  const Process* p = model.FindProcess(scope.process);
  if (p == nullptr) return;
  lxw_worksheet* ws = workbook_add_worksheet(wb, p->id.c_str());
  std::vector<Rater> raters = RatersOf(data, p->id, options);
  WriteProcessHeader(ws, *p, raters, f);
  std::vector<RatingItem> items = ItemsToRate(model, p->id, scope.target_level, data.assessment.options.method);
  lxw_row_t r = kHeaderRows;
  for (const RatingItem& item : items) {
    worksheet_write_string(ws, r, 0, item.id.c_str(), nullptr);
    worksheet_write_string(ws, r, 1, item.label.c_str(), nullptr);
    worksheet_write_string(ws, r, 2, item.attribute.c_str(), nullptr);
    FitRow(ws, r, item.text, 60);
    worksheet_write_string(ws, r, 3, item.text.c_str(), f.wrap);
    worksheet_write_string(ws, r, 4, Joined(item.supports, ", ").c_str(), nullptr);
    for (size_t g = 0; g < raters.size(); ++g) {
      const lxw_col_t c = static_cast<lxw_col_t>(kFixedCols + 4 * g);
      auto it = current.find({raters[g].instance, item.id, raters[g].person, raters[g].person.empty()});
      const Rating* rt = it == current.end() ? nullptr : it->second;
      worksheet_write_string(ws, r, c, rt ? rt->value.c_str() : "", f.editable);
      worksheet_write_string(ws, r, c + 1, rt ? rt->strength.c_str() : "", f.editable_wrap);
      worksheet_write_string(ws, r, c + 2, rt ? rt->weakness.c_str() : "", f.editable_wrap);
      worksheet_write_string(ws, r, c + 3, rt ? Joined(rt->evidence, ";").c_str() : "", f.editable);
    }
    ++r;
  }
  if (r > kHeaderRows) {
    std::vector<const char*> list;
    for (size_t g = 0; g < raters.size(); ++g) {
      const lxw_col_t c = static_cast<lxw_col_t>(kFixedCols + 4 * g);
      WriteValidation(ws, AssessmentScale(model, data), kHeaderRows, r - 1, c, &list);
      WriteColours(ws, f, kHeaderRows, r - 1, c);
    }
  }
  lxw_protection protection{};
  protection.format_columns = 1;  // widths may change; structure may not
  protection.format_rows = 1;
  worksheet_protect(ws, nullptr, &protection);
}

void WriteProfileSheet(lxw_workbook* wb, const Model& model, const RatingResults& results, const Formats& f) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Profile");
  const std::vector<ProcessAttribute>& attrs = model.framework().attributes;
  worksheet_write_string(ws, 0, 0, "Capability profile (as exported)", f.title);
  worksheet_write_string(ws, 2, 0, "process", f.header);
  worksheet_write_string(ws, 2, 1, "name", f.header);
  lxw_col_t c = 2;
  for (const ProcessAttribute& a : attrs) worksheet_write_string(ws, 2, c++, a.id.c_str(), f.header);
  const lxw_col_t cl = c;
  worksheet_write_string(ws, 2, cl, "level", f.header);
  worksheet_write_string(ws, 2, cl + 1, "target", f.header);
  worksheet_write_string(ws, 2, cl + 2, "gap", f.header);
  worksheet_set_column(ws, 1, 1, 32, nullptr);
  lxw_row_t r = 3;
  for (const ProcessProfile& p : results.processes) {
    worksheet_write_string(ws, r, 0, p.process.c_str(), nullptr);
    worksheet_write_string(ws, r, 1, p.name.c_str(), nullptr);
    for (size_t i = 0; i < p.aggregate.size() && i < attrs.size(); ++i) {
      const AttributeRating& ar = p.aggregate[i];
      std::string shown = ar.state == AttributeState::kRated ? ar.value
                          : ar.state == AttributeState::kNotAssessed ? "."
                                                                     : "-";
      auto fmt = f.by_value.find(shown);
      worksheet_write_string(ws, r, static_cast<lxw_col_t>(2 + i), shown.c_str(),
                             fmt == f.by_value.end() ? nullptr : fmt->second);
    }
    if (p.capability.determined)
      worksheet_write_number(ws, r, cl, p.capability.level, nullptr);
    else
      worksheet_write_string(ws, r, cl, "not determined", nullptr);
    worksheet_write_number(ws, r, cl + 1, p.target_level, nullptr);
    if (p.gap) worksheet_write_number(ws, r, cl + 2, *p.gap, nullptr);
    ++r;
  }
  worksheet_write_string(ws, r + 1, 0, "'.' not assessed (above the target level), '-' not rated.", nullptr);
  worksheet_freeze_panes(ws, 3, 2);
  worksheet_protect(ws, nullptr, nullptr);
}

}  // namespace

namespace internal {

Status ReadAndRemove(const std::string& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!in.good() && !in.eof()) return Status::IOError(path + ": cannot read the workbook back");
  *bytes = s.str();
  return Status::OK();
}

Status WriteWorkbook(const std::string& tmpdir, const std::string& title, time_t created,
                     const std::function<void(lxw_workbook*)>& fill, std::string* bytes) {
  std::string dir = tmpdir.empty() ? std::filesystem::temp_directory_path().string() : tmpdir;
  std::string path = dir + "/assay-xlsx-XXXXXX";
  int fd = mkstemp(path.data());
  if (fd < 0) return Status::IOError(dir + ": cannot create a temporary file for the workbook");
  close(fd);
  lxw_workbook_options wo{};
  wo.tmpdir = dir.data();
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &wo);
  if (wb == nullptr) {
    std::remove(path.c_str());
    return Status::IOError(path + ": cannot start the workbook");
  }
  lxw_doc_properties props{};
  std::string doc_title = title;
  props.title = doc_title.data();
  props.created = created;
  workbook_set_properties(wb, &props);
  fill(wb);
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    std::remove(path.c_str());
    return Status::IOError(std::string("writing the workbook failed: ") + lxw_strerror(err));
  }
  return ReadAndRemove(path, bytes);
}

}  // namespace internal

Status RatingWorkbook(const Model& model, const AssessmentData& data, const RatingResults& results,
                      const WorkbookOptions& options, std::string* bytes) {
  auto fill = [&](lxw_workbook* wb) {
    Formats f = MakeFormats(wb, model);
    WriteCover(wb, model, data, f, options);
    std::map<RatingKey, const Rating*> current;
    for (const Rating& r : data.ratings) current[{r.instance, r.item, r.assessor, r.consolidated}] = &r;
    for (const ScopedProcess& s : data.scope) WriteProcessSheet(wb, model, data, s, current, f, options);
    WriteProfileSheet(wb, model, results, f);
  };
  return internal::WriteWorkbook(options.tmpdir, "Rating workbook " + data.assessment.id,
                                 DocumentTime(data.assessment), fill, bytes);
}

}  // namespace assay::reports
