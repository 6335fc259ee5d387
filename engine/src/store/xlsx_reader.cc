#include "store/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <memory>

namespace assay::internal {

namespace {

// A part larger than this (uncompressed) is refused: a zip bomb guard far
// above any rating workbook.
constexpr zip_uint64_t kMaxPartBytes = 64ull << 20;

// The part of a name after its namespace prefix ("x:c" -> "c").
std::string_view Local(const char* name) {
  std::string_view n(name);
  size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// The value of attribute `local` (prefix ignored), or "".
std::string Attr(const char** attrs, std::string_view local) {
  for (size_t i = 0; attrs[i] != nullptr; i += 2)
    if (Local(attrs[i]) == local) return attrs[i + 1];
  return "";
}

// The SAX events of one XML part, by local names.
struct XmlHandler {
  std::function<void(std::string_view name, const char** attrs)> start;
  std::function<void(std::string_view name)> end;
  std::function<void(std::string_view text)> text;
};

bool ParseXml(std::string_view xml, const std::string& part, XmlHandler* h, std::string* error) {
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate(nullptr), &XML_ParserFree);
  if (!parser) {
    *error = "out of memory reading " + part;
    return false;
  }
  XML_SetUserData(parser.get(), h);
  XML_SetElementHandler(
      parser.get(),
      [](void* d, const XML_Char* name, const XML_Char** attrs) {
        auto* hh = static_cast<XmlHandler*>(d);
        if (hh->start) hh->start(Local(name), attrs);
      },
      [](void* d, const XML_Char* name) {
        auto* hh = static_cast<XmlHandler*>(d);
        if (hh->end) hh->end(Local(name));
      });
  XML_SetCharacterDataHandler(parser.get(), [](void* d, const XML_Char* s, int len) {
    auto* hh = static_cast<XmlHandler*>(d);
    if (hh->text) hh->text(std::string_view(s, static_cast<size_t>(len)));
  });
  if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_ERROR) {
    *error = part + ":" + std::to_string(XML_GetCurrentLineNumber(parser.get())) + ": " +
             XML_ErrorString(XML_GetErrorCode(parser.get()));
    return false;
  }
  return true;
}

// The zip archive of a workbook.
class Archive {
 public:
  ~Archive() {
    if (zip_) zip_discard(zip_);
  }
  bool Open(std::string_view bytes, std::string* error) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &ze);
    if (src != nullptr) zip_ = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (zip_ == nullptr) {
      if (src != nullptr) zip_source_free(src);
      *error = zip_error_code_zip(&ze) == ZIP_ER_NOZIP || zip_error_code_zip(&ze) == ZIP_ER_INCONS
                   ? std::string("not an XLSX workbook: not a zip archive")
                   : std::string("not an XLSX workbook: ") + zip_error_strerror(&ze);
      zip_error_fini(&ze);
      return false;
    }
    zip_error_fini(&ze);
    return true;
  }
  bool Has(const std::string& name) { return zip_name_locate(zip_, name.c_str(), 0) >= 0; }
  // The uncompressed bytes of part `name`.
  bool Read(const std::string& name, std::string* out, std::string* error) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip_, name.c_str(), 0, &st) != 0) {
      *error = "not an XLSX workbook: it has no part " + name;
      return false;
    }
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > kMaxPartBytes) {
      *error = "part " + name + " is larger than 64 MiB uncompressed";
      return false;
    }
    zip_file_t* f = zip_fopen(zip_, name.c_str(), 0);
    if (f == nullptr) {
      *error = "part " + name + " cannot be read: " + zip_strerror(zip_);
      return false;
    }
    out->assign(static_cast<size_t>(st.size), '\0');
    const zip_int64_t n = zip_fread(f, out->data(), st.size);
    zip_fclose(f);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) {
      *error = "part " + name + " is damaged (it does not decompress)";
      return false;
    }
    return true;
  }

 private:
  zip_t* zip_ = nullptr;
};

// Whether a custom number format shows a percentage or a date: its codes
// outside quoted text, escapes and [brackets].
void ClassifyFormat(std::string_view code, bool* percent, bool* date) {
  bool quoted = false, bracket = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (quoted) {
      quoted = c != '"';
    } else if (bracket) {
      bracket = c != ']';
    } else if (c == '"') {
      quoted = true;
    } else if (c == '[') {
      bracket = true;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding)
    } else if (c == '%') {
      *percent = true;
    } else {
      char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (l == 'y' || l == 'd' || l == 'h' || l == 's') *date = true;
    }
  }
}

// The number formats of the cell styles (xl/styles.xml): per style index,
// whether it shows a percentage, a date.
struct Styles {
  std::vector<std::pair<bool, bool>> percent_date;
};

bool ReadStyles(const std::string& xml, Styles* styles, std::string* error) {
  std::map<int, std::string> custom;
  std::vector<int> xf_formats;
  bool in_cell_xfs = false;
  XmlHandler h;
  h.start = [&](std::string_view name, const char** attrs) {
    if (name == "numFmt") custom[std::atoi(Attr(attrs, "numFmtId").c_str())] = Attr(attrs, "formatCode");
    if (name == "cellXfs") in_cell_xfs = true;
    if (name == "xf" && in_cell_xfs) xf_formats.push_back(std::atoi(Attr(attrs, "numFmtId").c_str()));
  };
  h.end = [&](std::string_view name) {
    if (name == "cellXfs") in_cell_xfs = false;
  };
  if (!ParseXml(xml, "xl/styles.xml", &h, error)) return false;
  for (int id : xf_formats) {
    bool percent = id == 9 || id == 10, date = (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
    auto it = custom.find(id);
    if (it != custom.end()) ClassifyFormat(it->second, &percent, &date);
    styles->percent_date.emplace_back(percent, date);
  }
  return true;
}

bool ReadSharedStrings(const std::string& xml, std::vector<std::string>* strings, std::string* error) {
  int in_t = 0, in_phonetic = 0;
  XmlHandler h;
  h.start = [&](std::string_view name, const char**) {
    if (name == "si") strings->emplace_back();
    if (name == "t") ++in_t;
    if (name == "rPh") ++in_phonetic;  // reading aids (ruby), not the text
  };
  h.end = [&](std::string_view name) {
    if (name == "t") --in_t;
    if (name == "rPh") --in_phonetic;
  };
  h.text = [&](std::string_view s) {
    if (in_t > 0 && in_phonetic == 0 && !strings->empty()) strings->back().append(s);
  };
  return ParseXml(xml, "xl/sharedStrings.xml", &h, error);
}

// "F7" -> (7, 6); false when `ref` is not a cell reference.
bool ParseCellName(std::string_view ref, int* row, int* column) {
  size_t i = 0;
  int c = 0, r = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i])) && c <= 16384)
    c = c * 26 + (std::toupper(static_cast<unsigned char>(ref[i++])) - 'A' + 1);
  if (i == 0 || i == ref.size()) return false;
  while (i < ref.size() && std::isdigit(static_cast<unsigned char>(ref[i])) && r <= 1048576)
    r = r * 10 + (ref[i++] - '0');
  if (i != ref.size() || r == 0 || c > 16384 || r > 1048576) return false;
  *row = r;
  *column = c;
  return true;
}

struct SheetParse {
  const std::vector<std::string>* strings = nullptr;
  const Styles* styles = nullptr;
  XlsxSheet* sheet = nullptr;
  std::string error;
  // The cell being read.
  int row = 0, column = 0;
  std::string type;
  int style = 0;
  bool in_cell = false, in_value = false, in_inline = false, in_t = false, has_value = false;
  XlsxCell cell;
  std::string value;
};

void StartSheetElement(SheetParse* p, std::string_view name, const char** attrs) {
  if (name == "row") {
    std::string r = Attr(attrs, "r");
    p->row = r.empty() ? p->row + 1 : std::atoi(r.c_str());
    p->column = 0;
  } else if (name == "c") {
    p->in_cell = true;
    p->has_value = false;
    p->cell = XlsxCell();
    p->value.clear();
    std::string ref = Attr(attrs, "r");
    int r = p->row, c = p->column + 1;
    if (!ref.empty() && !ParseCellName(ref, &r, &c) && p->error.empty())
      p->error = "sheet '" + p->sheet->name + "': cell reference '" + ref + "' is not valid";
    p->row = r;
    p->column = c;
    p->type = Attr(attrs, "t");
    p->style = std::atoi(Attr(attrs, "s").c_str());
  } else if (p->in_cell && name == "f") {
    p->cell.formula = true;
  } else if (p->in_cell && name == "v") {
    p->in_value = true;
    p->has_value = true;
  } else if (p->in_cell && name == "is") {
    p->in_inline = true;
    p->has_value = true;
  } else if (p->in_inline && name == "t") {
    p->in_t = true;
  }
}

void EndCell(SheetParse* p) {
  p->in_cell = false;
  if (!p->has_value && !p->cell.formula) return;  // styled, but empty
  XlsxCell& c = p->cell;
  const std::string& t = p->type;
  if (t == "s") {
    size_t index = static_cast<size_t>(std::atol(p->value.c_str()));
    if (index >= p->strings->size()) {
      if (p->error.empty())
        p->error = "sheet '" + p->sheet->name + "': cell " + CellName(p->row, p->column) +
                   " refers to shared string " + p->value + ", which the workbook does not have";
      return;
    }
    c.text = (*p->strings)[index];
  } else if (t == "inlineStr" || t == "str") {
    c.text = p->value;
  } else if (t == "b") {
    c.type = XlsxCell::Type::kBoolean;
    c.text = p->value == "1" ? "TRUE" : "FALSE";
  } else if (t == "e") {
    c.type = XlsxCell::Type::kError;
    c.text = p->value;
  } else if (t == "d") {
    c.type = XlsxCell::Type::kDate;
    c.text = p->value;
  } else {
    c.type = XlsxCell::Type::kNumber;
    c.text = p->value;
    const auto& formats = p->styles->percent_date;
    if (p->style >= 0 && static_cast<size_t>(p->style) < formats.size()) {
      c.percent = formats[static_cast<size_t>(p->style)].first;
      c.date = formats[static_cast<size_t>(p->style)].second;
    }
  }
  if (c.type == XlsxCell::Type::kString && c.text.empty() && !c.formula) return;
  p->sheet->cells[{p->row, p->column}] = std::move(c);
  p->sheet->max_row = std::max(p->sheet->max_row, p->row);
}

bool ReadSheet(const std::string& xml, const std::string& part, const std::vector<std::string>& strings,
               const Styles& styles, XlsxSheet* sheet, std::string* error) {
  SheetParse p;
  p.strings = &strings;
  p.styles = &styles;
  p.sheet = sheet;
  XmlHandler h;
  h.start = [&p](std::string_view name, const char** attrs) { StartSheetElement(&p, name, attrs); };
  h.end = [&p](std::string_view name) {
    if (name == "c" && p.in_cell) EndCell(&p);
    if (name == "v") p.in_value = false;
    if (name == "is") p.in_inline = false;
    if (name == "t") p.in_t = false;
  };
  h.text = [&p](std::string_view s) {
    if (p.in_value || (p.in_inline && p.in_t)) p.value.append(s);
  };
  if (!ParseXml(xml, part, &h, error)) return false;
  if (!p.error.empty()) *error = p.error;
  return p.error.empty();
}

// The sheets (name, part path) of xl/workbook.xml, through its relationships.
bool ReadSheetList(Archive* zip, std::vector<std::pair<std::string, std::string>>* sheets, std::string* error) {
  std::string xml, rels;
  if (!zip->Read("xl/workbook.xml", &xml, error) || !zip->Read("xl/_rels/workbook.xml.rels", &rels, error))
    return false;
  std::map<std::string, std::string> targets;
  XmlHandler rh;
  rh.start = [&](std::string_view name, const char** attrs) {
    if (name == "Relationship") targets[Attr(attrs, "Id")] = Attr(attrs, "Target");
  };
  if (!ParseXml(rels, "xl/_rels/workbook.xml.rels", &rh, error)) return false;
  std::vector<std::pair<std::string, std::string>> named;
  XmlHandler wh;
  wh.start = [&](std::string_view name, const char** attrs) {
    if (name == "sheet") named.emplace_back(Attr(attrs, "name"), Attr(attrs, "id"));
  };
  if (!ParseXml(xml, "xl/workbook.xml", &wh, error)) return false;
  for (const auto& [name, id] : named) {
    auto it = targets.find(id);
    if (it == targets.end()) {
      *error = "xl/workbook.xml: sheet '" + name + "' has no part (relationship '" + id + "' is missing)";
      return false;
    }
    std::string target = it->second;
    target = target.rfind("/", 0) == 0 ? target.substr(1) : "xl/" + target;
    sheets->emplace_back(name, target);
  }
  return true;
}

}  // namespace

const XlsxCell* XlsxSheet::At(int row, int column) const {
  auto it = cells.find({row, column});
  return it == cells.end() ? nullptr : &it->second;
}

const XlsxSheet* XlsxWorkbook::Find(std::string_view name) const {
  for (const XlsxSheet& s : sheets)
    if (s.name == name) return &s;
  return nullptr;
}

std::string CellName(int row, int column) {
  std::string letters;
  for (int c = column; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  return letters + std::to_string(row);
}

bool ReadXlsx(std::string_view bytes, XlsxWorkbook* workbook, std::string* error) {
  Archive zip;
  if (!zip.Open(bytes, error)) return false;
  std::vector<std::pair<std::string, std::string>> sheets;
  if (!ReadSheetList(&zip, &sheets, error)) return false;
  std::vector<std::string> strings;
  std::string xml;
  if (zip.Has("xl/sharedStrings.xml") &&
      (!zip.Read("xl/sharedStrings.xml", &xml, error) || !ReadSharedStrings(xml, &strings, error)))
    return false;
  Styles styles;
  if (zip.Has("xl/styles.xml") && (!zip.Read("xl/styles.xml", &xml, error) || !ReadStyles(xml, &styles, error)))
    return false;
  for (const auto& [name, part] : sheets) {
    XlsxSheet sheet;
    sheet.name = name;
    if (!zip.Read(part, &xml, error) || !ReadSheet(xml, part, strings, styles, &sheet, error)) return false;
    workbook->sheets.push_back(std::move(sheet));
  }
  return true;
}

}  // namespace assay::internal
