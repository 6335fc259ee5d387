// Workspace import (JSON, CSV) and export (JSON).
#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>
#include <iterator>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "assay/text.h"
#include "util/json_input.h"
#include "store/store_impl.h"
#include "store/xlsx_reader.h"

namespace assay {

namespace internal {

namespace {

using nlohmann::json;

// The CSV columns, in template order.
constexpr const char* kCsvColumns[] = {"assessment", "process", "instance",  "item",     "value",
                                       "assessor",   "consolidated", "strength", "weakness", "reasons",
                                       "evidence",   "rated_at", "justification"};
// The CSV columns in the order of kCsvColumns (kOther: a column the header
// check refused).
enum class CsvColumn {
  kAssessment, kProcess, kInstance, kItem, kValue, kAssessor, kConsolidated, kStrength, kWeakness, kReasons,
  kEvidence, kRatedAt, kJustification, kOther
};

CsvColumn CsvColumnOf(const std::string& name) {
  for (size_t i = 0; i < std::size(kCsvColumns); ++i)
    if (name == kCsvColumns[i]) return static_cast<CsvColumn>(i);
  return CsvColumn::kOther;
}


bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view TrimView(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}


std::string Lower(std::string_view s) {
  std::string l(s);
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l;
}

bool IsTrue(std::string_view v) {
  std::string l = Lower(v);
  return l == "true" || l == "yes" || l == "1" || l == "x";
}

bool IsBoolean(std::string_view v) {
  std::string l = Lower(v);
  return l.empty() || l == "true" || l == "yes" || l == "1" || l == "x" || l == "false" || l == "no" || l == "0";
}

// Whether every byte is ASCII (then no field needs the UTF-8 check).
bool AllAscii(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & 0x8080808080808080ull) return false;
  }
  for (; i < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
  return true;
}

// One CSV record: its fields are views into the text, or into the reader's
// scratch strings for quoted fields with doubled quotes. They stay valid
// until the next call of Next().
struct CsvRow {
  int line = 0;
  std::vector<std::string_view> fields;
};

// RFC 4180 CSV, read one record at a time: fields separated by `sep` (a
// comma, or the semicolon or tab of a spreadsheet's locale), optionally
// quoted with "" for a quote, CRLF, LF or CR line ends, line breaks inside
// quoted fields. Blank lines and rows of empty fields only (",,,," as a
// spreadsheet leaves them) are skipped. Columns in diagnostics are field
// positions (1-based).
class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& name, char sep) : text_(text), name_(name), sep_(sep) {}

  // The next record; false at the end, or on a syntax error (then *error
  // holds it and failed() is true).
  bool Next(CsvRow* row, Diagnostic* error) {
    const size_t n = text_.size();
    while (i_ < n) {
      row->line = line_;
      row->fields.clear();
      size_t scratch_used = 0;
      bool end_of_record = false;
      while (!end_of_record) {
        const int column = static_cast<int>(row->fields.size()) + 1;
        std::string_view field;
        if (i_ < n && text_[i_] == '"') {
          const int start_line = line_;
          const size_t start = ++i_;
          bool closed = false, doubled = false;
          while (i_ < n) {
            char c = text_[i_];
            if (c == '"') {
              if (i_ + 1 < n && text_[i_ + 1] == '"') {
                doubled = true;
                i_ += 2;
                continue;
              }
              closed = true;
              break;
            }
            if (c == '\n' || (c == '\r' && !(i_ + 1 < n && text_[i_ + 1] == '\n'))) ++line_;
            ++i_;
          }
          if (!closed) return Fail(error, start_line, column, "unterminated quoted field");
          field = text_.substr(start, i_ - start);
          ++i_;  // the closing quote
          if (doubled) {
            if (scratch_used == scratch_.size()) scratch_.emplace_back();
            std::string& out = scratch_[scratch_used++];
            out.clear();
            for (size_t k = 0; k < field.size(); ++k) {
              out.push_back(field[k]);
              if (field[k] == '"') ++k;  // "" -> "
            }
            field = out;
          }
          if (i_ < n && text_[i_] != sep_ && text_[i_] != '\r' && text_[i_] != '\n')
            return Fail(error, line_, column, "unexpected text after the closing quote of a field");
        } else {
          const size_t start = i_;
          // Locals, not members, in the loop: the compiler keeps them in registers.
          const char* p = text_.data();
          const char sep = sep_;
          size_t i = i_;
          while (i < n && p[i] != sep && p[i] != '\r' && p[i] != '\n' && p[i] != '"') ++i;
          i_ = i;
          if (i < n && p[i] == '"') return Fail(error, line_, column, "quote inside an unquoted field; quote the whole field");
          field = text_.substr(start, i_ - start);
        }
        if (field.size() > JsonLimits().max_string)  // the same limit as a JSON string
          return Fail(error, row->line, column,
                      "field is " + std::to_string(field.size()) + " bytes long; the limit is " +
                          std::to_string(JsonLimits().max_string));
        row->fields.push_back(field);
        if (i_ >= n) {
          end_of_record = true;
        } else if (text_[i_] == sep_) {
          ++i_;
        } else {  // line end
          if (text_[i_] == '\r' && i_ + 1 < n && text_[i_ + 1] == '\n') ++i_;
          ++i_;
          ++line_;
          end_of_record = true;
        }
      }
      if (std::all_of(row->fields.begin(), row->fields.end(),
                      [](std::string_view f) { return TrimView(f).empty(); }))
        continue;  // a blank line, or empty fields only
      return true;
    }
    return false;
  }
  bool failed() const { return failed_; }
  // The offset of the next record in the text.
  size_t position() const { return i_; }

 private:
  bool Fail(Diagnostic* error, int line, int column, std::string message) {
    *error = Diagnostic{name_, "", line, column, std::move(message)};
    failed_ = true;
    i_ = text_.size();
    return false;
  }

  std::string_view text_;
  const std::string& name_;
  char sep_;
  size_t i_ = 0;
  int line_ = 1;
  bool failed_ = false;
  std::deque<std::string> scratch_;  // stable addresses for the views
};

// The field separator of a CSV text: the most frequent of comma, semicolon
// and tab outside quotes in its first line (the header), a comma on a tie.
char SniffSeparator(std::string_view text) {
  size_t counts[3] = {0, 0, 0};
  const char seps[3] = {',', ';', '\t'};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    for (int k = 0; k < 3; ++k) counts[k] += c == seps[k];
  }
  int best = 0;
  for (int k = 1; k < 3; ++k)
    if (counts[k] > counts[best]) best = k;
  return seps[best];
}

// How a separator is named in messages.
std::string SeparatorName(char sep) { return sep == '\t' ? "tab" : sep == ';' ? "';'" : "','"; }

// A statement as CSV export wrote it: a leading quote before =, +, -, @,
// tab or CR is the neutralisation of a formula-like cell (CsvCell in
// reports/profile.h) and is dropped.
void DropNeutralisingQuote(std::string* s) {
  if (s->size() >= 2 && (*s)[0] == '\'' && (*s)[1] != '\0' && std::strchr("=+-@\t\r", (*s)[1]) != nullptr) s->erase(0, 1);
}

void SplitList(std::string_view s, std::vector<std::string>* out) {
  out->clear();
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(';', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view part = TrimView(s.substr(start, end - start));
    if (!part.empty()) out->emplace_back(part);
    start = end + 1;
  }
}

// A record of a JSON file, typed as it is read, with where it came from.
using AnyRecord = std::variant<ScopedProcess, OrgUnit, ProcessInstance, Person, Interview, Evidence, Rating>;
struct JsonItem {
  AnyRecord record;
  Status parsed;        // what FromJson said
  std::string pointer;  // "/ratings/3"
};

// Whether a problem of `problems` lies at or under `pointer`.
bool HasProblemAt(const std::vector<Diagnostic>& problems, const std::string& pointer) {
  for (const Diagnostic& d : problems)
    if (d.pointer == pointer || d.pointer.compare(0, pointer.size() + 1, pointer + "/") == 0) return true;
  return false;
}

// The records of one section, typed; those with schema problems are left
// out (their problems are listed already).
template <typename R>
void ReadSection(const json& doc, const char* section, const std::vector<Diagnostic>& schema_problems,
                 std::vector<JsonItem>* items) {
  if (!doc.contains(section) || !doc[section].is_array()) return;
  const json& arr = doc[section];
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string pointer = "/" + std::string(section) + "/" + std::to_string(i);
    if (HasProblemAt(schema_problems, pointer)) continue;
    R record;
    Status s = FromJson(arr[i], &record);
    items->push_back({std::move(record), s, std::move(pointer)});
  }
}

// The kind name of a record type, for messages.
template <typename R>
const char* KindOf() {
  if constexpr (std::is_same_v<R, Rating>)
    return kKindRating;
  else
    return RecordTraits<R>::kKind;
}

// The encoding of a file that is not UTF-8 (a byte order mark, or ASCII
// text with NUL bytes between), or nullptr.
const char* ForeignEncoding(std::string_view t) {
  auto nul = [&t](size_t i) { return i < t.size() && t[i] == '\0'; };
  if (t.size() >= 4 && (t.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4) ||
                        t.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4) ||
                        (!nul(0) && nul(1) && nul(2) && nul(3)) || (nul(0) && nul(1) && nul(2) && !nul(3))))
    return "UTF-32";
  if (t.size() >= 2 && ((t[0] == '\xFF' && t[1] == '\xFE') || (t[0] == '\xFE' && t[1] == '\xFF') || nul(0) != nul(1)))
    return "UTF-16";
  return nullptr;
}

}  // namespace

// One import: its phases, each over the state below.
class SqlWorkspace::Importer {
 public:
  Importer(SqlWorkspace* w, std::string_view input, const std::string& name, const ImportOptions& options,
           ImportReport* report)
      : w_(w), input_(input), name_(name), options_(options), report_(report), problems_(report->problems) {}

  Status Run();

 private:
  bool ReadInput();
  bool Decode();
  bool ReadXlsxWorkbook();
  bool ReadJson();
  bool ReadCsvHeader();
  bool PrescanCsv();
  bool CheckExpectedAssessment();
  Status OpenAssessment(bool* go_on);
  Status CreateAssessment(bool* go_on);
  void UpdateAssessment();
  Status ImportJsonRecords();
  template <typename R>
  void ImportRecord(R record, const std::string& pointer);
  Status ImportCsvRows();
  bool ReadCsvRating(const CsvRow& row, Rating* r);
  struct XlsxGroup {  // a rater's four columns of one instance on a process sheet
    int column = 0;   // of the value
    std::string instance, rater;
  };
  Status ImportXlsxSheets();
  Status ImportXlsxSheet(const XlsxSheet& sheet);
  bool ReadXlsxHeader(const XlsxSheet& sheet, std::vector<XlsxGroup>* groups);
  bool ReadXlsxRating(const XlsxSheet& sheet, int row, const XlsxGroup& g, Rating* r);
  bool XlsxCellText(const XlsxSheet& sheet, int row, int column, bool is_value, std::string* out);
  template <typename At>
  Status ImportRating(Rating* r, uint32_t where, At at, const std::function<std::string(uint32_t)>& duplicate);
  Status Finish();

  void Problem(Diagnostic d) {
    if (problems_.size() < kMaxImportProblems)
      problems_.push_back(std::move(d));
    else
      ++report_->more_problems;
    if (batch_) batch_->StopWriting();
  }
  bool HasProblems() const { return !problems_.empty(); }
  Status Fail() {
    if (problems_.size() > kMaxImportProblems) {  // from the JSON reader
      report_->more_problems += static_cast<int>(problems_.size() - kMaxImportProblems);
      problems_.resize(kMaxImportProblems);
    }
    const size_t n = problems_.size() + static_cast<size_t>(report_->more_problems);
    return Status::InvalidInput(name_ + ": " + std::to_string(n) + (n == 1 ? " problem" : " problems") +
                                "; nothing was imported");
  }
  void Count(const WriteResult& w) {
    if (w.kind == WriteResult::Kind::kCreated) ++report_->created;
    if (w.kind == WriteResult::Kind::kUpdated) ++report_->updated;
    if (w.kind == WriteResult::Kind::kUnchanged) ++report_->unchanged;
  }
  void Progress(uint64_t done) {
    if (!options_.progress || (done < next_progress_ && done < input_.size())) return;
    options_.progress(done, input_.size());
    next_progress_ = done + std::max<uint64_t>(1, input_.size() / 200);
  }
  Status StartBatch() {
    if (batch_) return Status::OK();
    batch_.emplace(w_, &ctx_, write_ && !HasProblems());
    return batch_->Begin();
  }

  SqlWorkspace* w_;
  std::string_view input_, text_;
  std::string converted_;  // the text in UTF-8, when the file was in another encoding
  const std::string& name_;
  const ImportOptions& options_;
  ImportReport* report_;
  std::vector<Diagnostic>& problems_;
  bool write_ = false;
  uint64_t next_progress_ = 0;
  std::string now_;

  // What the file says.
  bool is_json_ = false;
  bool schema_failed_ = false;  // JSON: the schema found problems (the records without any are still checked)
  std::vector<JsonItem> items_;
  std::optional<Assessment> doc_assessment_;
  std::string assessment_id_;
  std::string assessment_where_;  // where the file names its assessment ("/assessment/id")
  int assessment_line_ = 0, assessment_column_ = 0;
  char separator_ = ',';
  std::optional<CsvReader> csv_;  // positioned after the header
  std::optional<XlsxWorkbook> workbook_;
  std::vector<std::string> cell_names_;  // XLSX: where each rating is ("RES.1!F7"), by its index
  std::map<std::string, int> columns_;  // column name -> position (1-based)
  std::vector<std::string> csv_header_;
  std::vector<CsvColumn> csv_columns_;  // what each of csv_header_ is

  // The assessment being written.
  Context ctx_;
  std::optional<AssessmentStatus> final_status_;
  std::optional<RatingValidator> validator_;
  std::optional<RatingBatch> batch_;
  std::vector<FieldProblem> field_problems_;
  std::map<std::string, std::string> seen_;  // kind + key -> where first (records other than ratings)
};

Status SqlWorkspace::Importer::Run() {
  text_ = input_;
  Progress(0);
  assessment_id_ = options_.default_assessment;
  if (!ReadInput()) return Fail();
  if (assessment_id_.empty()) {
    if (!schema_failed_)
      problems_.push_back({name_, "", 0, 0, "no assessment given: name it in the file or with --assessment"});
    return Fail();
  }
  if (!CheckExpectedAssessment()) return Fail();
  report_->assessment = assessment_id_;
  // More page cache for the batch (sql::Connection::BulkLoad), back after.
  struct BulkCache {
    sql::Connection& db;
    explicit BulkCache(sql::Connection& d) : db(d) { db.BulkLoad(true); }
    ~BulkCache() { db.BulkLoad(false); }
    BulkCache(const BulkCache&) = delete;
    BulkCache& operator=(const BulkCache&) = delete;
  };
  try {
    BulkCache bulk(w_->db());
    sql::Transaction tx(w_->db(), options_.dry_run ? sql::Tx::kRead : sql::Tx::kWrite);
    write_ = !options_.dry_run;
    now_ = w_->Now();
    bool go_on = false;
    ASSAY_RETURN_IF_ERROR(OpenAssessment(&go_on));
    if (!go_on) return Fail();
    ASSAY_RETURN_IF_ERROR(ImportJsonRecords());
    if (csv_) ASSAY_RETURN_IF_ERROR(ImportCsvRows());
    if (workbook_) ASSAY_RETURN_IF_ERROR(ImportXlsxSheets());
    ASSAY_RETURN_IF_ERROR(Finish());
    if (write_) tx.Commit();
    Progress(input_.size());
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(w_->path(), e);
  }
}

// The format, decided by content: an XLSX workbook (a zip archive, or a
// file named .xlsx), JSON (text starting with '{'), else CSV; then its
// first pass.
bool SqlWorkspace::Importer::ReadInput() {
  std::string lower = Lower(name_);
  if (input_.substr(0, 4) == std::string_view("PK\x03\x04", 4) ||
      (lower.size() > 5 && lower.compare(lower.size() - 5, 5, ".xlsx") == 0))
    return ReadXlsxWorkbook();
  if (!Decode()) return false;
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);  // BOM
  size_t first = text_.find_first_not_of(" \t\r\n");
  is_json_ = first != std::string_view::npos && text_[first] == '{';
  return is_json_ ? ReadJson() : ReadCsvHeader();
}

// The text in UTF-8: a file in UTF-16 or UTF-32 is refused, one in
// Windows-1252 (options_.encoding) converted.
bool SqlWorkspace::Importer::Decode() {
  if (const char* encoding = ForeignEncoding(text_)) {
    problems_.push_back({name_, "", 1, 1, std::string("file is ") + encoding + "; assay reads UTF-8 only"});
    return false;
  }
  const std::string encoding = Lower(options_.encoding);
  if (encoding.empty() || encoding == "utf-8") return true;
  if (encoding != "windows-1252") {
    problems_.push_back({name_, "", 0, 0, "unknown encoding " + Quote(options_.encoding) + ": use utf-8 or windows-1252"});
    return false;
  }
  if (!Windows1252ToUtf8(text_, &converted_)) {
    problems_.push_back({name_, "", 0, 0, "not Windows-1252 text: it holds a byte that Windows-1252 leaves undefined"});
    return false;
  }
  text_ = converted_;
  return true;
}

// A JSON document: syntax, schema, then every record typed (problems of
// the records' content are found when they are imported). After schema
// problems the records without any are still checked against the
// workspace, so that every problem is listed (nothing is written).
bool SqlWorkspace::Importer::ReadJson() {
  json doc;
  if (!ParseJson(text_, name_, JsonLimits(), &doc, &problems_)) return false;
  if (!ValidateSchema("assessment", doc, name_, &problems_)) {
    schema_failed_ = true;
    if (!doc.is_object()) return false;
  }
  if (doc.contains("assessment") && !HasProblemAt(problems_, "/assessment")) {
    Assessment a;
    Status s = FromJson(doc["assessment"], &a);
    if (!s.ok()) {
      problems_.push_back({name_, "/assessment", 0, 0, s.message()});
      return false;
    }
    std::vector<FieldProblem> fp;
    ValidateAssessment(a, &fp);
    for (const FieldProblem& p : fp) problems_.push_back({name_, "/assessment/" + p.field, 0, 0, p.status.message()});
    doc_assessment_ = a;
    assessment_id_ = a.id;
    assessment_where_ = "/assessment/id";
  } else if (doc.contains("assessment_id") && doc["assessment_id"].is_string()) {
    assessment_id_ = doc["assessment_id"].get<std::string>();
    assessment_where_ = "/assessment_id";
  }
  // In dependency order.
  const std::vector<Diagnostic> schema = problems_;
  ReadSection<ScopedProcess>(doc, "scope", schema, &items_);
  ReadSection<OrgUnit>(doc, "units", schema, &items_);
  ReadSection<ProcessInstance>(doc, "instances", schema, &items_);
  ReadSection<Person>(doc, "people", schema, &items_);
  ReadSection<Interview>(doc, "interviews", schema, &items_);
  ReadSection<Evidence>(doc, "evidence", schema, &items_);
  ReadSection<Rating>(doc, "ratings", schema, &items_);
  return true;
}

// A first pass checks the syntax and the UTF-8 of the whole file (a problem
// there is reported alone, before any row is read for its content) and
// finds the assessment: the first row that names one.
bool SqlWorkspace::Importer::PrescanCsv() {
  const bool ascii = AllAscii(text_);
  // Text that is not UTF-8 but reads as Windows-1252 (Excel's "CSV" in
  // Western European locales): its first bad field alone, with the hint.
  std::string scratch;
  const bool looks_1252 = !ascii && !IsValidUtf8(text_) && Windows1252ToUtf8(text_, &scratch);
  scratch = std::string();
  separator_ = SniffSeparator(text_);
  report_->csv_separator = std::string(1, separator_);
  CsvReader pre(text_, name_, separator_);
  CsvRow r;
  Diagnostic syntax;
  long assessment_col = -1;
  size_t fields = 0;
  bool header = true;
  std::string from_file;
  while (pre.Next(&r, &syntax)) {
    if (!ascii) {
      for (size_t f = 0; f < r.fields.size(); ++f) {
        size_t bad = 0;
        if (IsValidUtf8(r.fields[f], &bad) || (looks_1252 && HasProblems())) continue;
        Problem({name_, "", r.line, static_cast<int>(f) + 1,
                 "invalid UTF-8 (byte " + std::to_string(bad + 1) + " of the field)" +
                     (looks_1252 ? "; the file looks like Windows-1252" : "")});
        if (looks_1252) report_->suggested_encoding = "windows-1252";
      }
    }
    if (header) {
      header = false;
      fields = r.fields.size();
      for (size_t f = 0; f < r.fields.size(); ++f)
        if (Lower(TrimView(r.fields[f])) == "assessment") assessment_col = static_cast<long>(f);
    } else if (assessment_col >= 0 && from_file.empty() && r.fields.size() == fields) {
      std::string_view v = TrimView(r.fields[static_cast<size_t>(assessment_col)]);
      if (!v.empty()) {
        from_file = std::string(v);
        assessment_line_ = r.line;
        assessment_column_ = static_cast<int>(assessment_col) + 1;
      }
    }
  }
  if (pre.failed()) {
    problems_.assign(1, syntax);
    report_->more_problems = 0;
    return false;
  }
  if (HasProblems()) return false;
  if (!from_file.empty()) assessment_id_ = from_file;
  return true;
}

// The header row: known columns, each once, the required ones present.
bool SqlWorkspace::Importer::ReadCsvHeader() {
  if (!PrescanCsv()) return false;
  CsvRow row;
  Diagnostic syntax;
  csv_.emplace(text_, name_, separator_);
  if (!csv_->Next(&row, &syntax)) {
    problems_.push_back(Diagnostic{name_, "", 1, 1, "empty file: expected a header row"});
    return false;
  }
  // Empty columns at the end (a spreadsheet's ",,,,") are not columns.
  size_t width = row.fields.size();
  while (width > 1 && TrimView(row.fields[width - 1]).empty()) --width;
  const std::vector<std::string> known(std::begin(kCsvColumns), std::end(kCsvColumns));
  for (size_t f = 0; f < width; ++f) {
    std::string h = Lower(TrimView(row.fields[f]));
    int col = static_cast<int>(f) + 1;
    if (std::find(known.begin(), known.end(), h) == known.end())
      Problem({name_, "", row.line, col, "unknown column " + Quote(h) + SuggestionSuffix(h, known)});
    else if (columns_.count(h))
      Problem({name_, "", row.line, col, "column " + Quote(h) + " appears twice"});
    else
      columns_[h] = col;
    csv_columns_.push_back(CsvColumnOf(h));
    csv_header_.push_back(h);
  }
  for (const char* required : {"instance", "item", "value"})
    if (!columns_.count(required)) Problem({name_, "", row.line, 1, std::string("missing column '") + required + "'"});
  return !HasProblems();
}

// The assessment the caller expects (ImportOptions::expect_assessment) is
// the one the file names.
bool SqlWorkspace::Importer::CheckExpectedAssessment() {
  const std::string& expected = options_.expect_assessment;
  if (expected.empty() || expected == assessment_id_) return true;
  problems_.push_back({name_, assessment_where_, assessment_line_, assessment_column_,
                       "the file imports into assessment " + Quote(assessment_id_) + ", not " + Quote(expected)});
  return false;
}

// Loads the assessment, or creates it (as planned) when the file holds a
// whole assessment that the workspace does not have. *go_on is false when
// the import stops here (problems reported).
Status SqlWorkspace::Importer::OpenAssessment(bool* go_on) {
  *go_on = false;
  Status loaded = w_->LoadContext(assessment_id_, false, &ctx_);
  if (!loaded.ok() && loaded.code() != Status::Code::kNotFound) return loaded;
  if (!loaded.ok() && !doc_assessment_) {
    if (!schema_failed_)
      problems_.push_back({name_, is_json_ ? "/assessment_id" : assessment_where_, 0, 0, loaded.message()});
    return Status::OK();
  }
  if (!loaded.ok()) return CreateAssessment(go_on);
  const Assessment& a = ctx_.assessment;
  Status ms = w_->ResolveModel(a.model_id, a.model_version, a.model_hash, &ctx_.model);
  if (!ms.ok()) {
    problems_.push_back({name_, "", 0, 0, ms.message()});
    return Status::OK();
  }
  if (doc_assessment_) UpdateAssessment();
  *go_on = true;
  return Status::OK();
}

Status SqlWorkspace::Importer::CreateAssessment(bool* go_on) {
  Assessment a = *doc_assessment_;
  Status ms = w_->ResolveModel(a.model_id, a.model_version, a.model_hash, &ctx_.model);
  if (!ms.ok()) {
    problems_.push_back({name_, "/assessment/model", 0, 0, ms.message()});
    return Status::OK();
  }
  a.model_version = ctx_.model->pam().version;
  a.model_hash = ctx_.model->hash();
  if (a.status != AssessmentStatus::kPlanned) final_status_ = a.status;
  a.status = AssessmentStatus::kPlanned;
  if (HasProblems()) return Status::OK();
  ctx_.assessment = a;
  WriteResult wr;
  ASSAY_RETURN_IF_ERROR(w_->ApplyRecord(&ctx_, a, "create", write_, &wr));
  Count(wr);
  *go_on = true;
  return Status::OK();
}

// A whole assessment for one the workspace has: the same model pin, and a
// status it may move to.
void SqlWorkspace::Importer::UpdateAssessment() {
  Assessment a = *doc_assessment_;
  const Assessment& have = ctx_.assessment;
  if (a.model_id != have.model_id || (!a.model_version.empty() && a.model_version != have.model_version) ||
      (!a.model_hash.empty() && a.model_hash != have.model_hash))
    Problem({name_, "/assessment/model", 0, 0,
             "assessment " + Quote(a.id) + " in the workspace pins " + have.model_id + "@" + have.model_version +
                 "; the file names " + a.model_id + "@" + a.model_version});
  if (a.status != have.status) {
    std::vector<AssessmentStatus> allowed = AllowedTransitions(have.status);
    if (std::find(allowed.begin(), allowed.end(), a.status) == allowed.end())
      Problem({name_, "/assessment/status", 0, 0,
               std::string("cannot move the assessment from ") + AssessmentStatusName(have.status) + " to " +
                   AssessmentStatusName(a.status)});
    else
      final_status_ = a.status;
  }
  a.model_id = have.model_id;
  a.model_version = have.model_version;
  a.model_hash = have.model_hash;
  a.status = have.status;
  if (HasProblems()) return;
  WriteResult wr;
  Status s = w_->ApplyRecord(&ctx_, a, "update", write_, &wr);
  if (!s.ok())
    Problem({name_, "/assessment", 0, 0, s.message()});
  else
    Count(wr);
}

// Every JSON record, in dependency order, validated against what came before.
Status SqlWorkspace::Importer::ImportJsonRecords() {
  for (size_t index = 0; index < items_.size(); ++index) {
    JsonItem& item = items_[index];
    Progress(input_.size() * index / items_.size() * 9 / 10);
    if (!item.parsed.ok()) {
      Problem({name_, item.pointer, 0, 0, item.parsed.message()});
      continue;
    }
    if (Rating* r = std::get_if<Rating>(&item.record)) {
      auto at = [&](const std::string& field, const std::string& message) {
        return Diagnostic{name_, item.pointer + (field.empty() ? "" : "/" + field), 0, 0, message};
      };
      ASSAY_RETURN_IF_ERROR(ImportRating(r, static_cast<uint32_t>(index + 1), at, [this](uint32_t dup) {
        return "duplicate rating: the same instance, item and assessor as " + items_[dup - 1].pointer;
      }));
      continue;
    }
    std::visit([&](auto& record) { ImportRecord(std::move(record), item.pointer); }, item.record);
  }
  return Status::OK();
}

template <typename R>
void SqlWorkspace::Importer::ImportRecord(R record, const std::string& pointer) {
  if constexpr (!std::is_same_v<R, Rating>) {
    auto at = [&](const std::string& field, const std::string& message) {
      return Diagnostic{name_, pointer + (field.empty() ? "" : "/" + field), 0, 0, message};
    };
    field_problems_.clear();
    RecordTraits<R>::Validate(ctx_, &record, &field_problems_);
    for (const FieldProblem& p : field_problems_) Problem(at(p.field, p.status.message()));
    if (!field_problems_.empty()) return;
    const std::string& key = RecordTraits<R>::Key(record);
    auto [it, inserted] = seen_.emplace(std::string(KindOf<R>()) + "\n" + key, pointer);
    if (!inserted) {
      Problem(at("", std::string("duplicate ") + KindOf<R>() + ": the same ID as " + it->second));
      return;
    }
    const bool exists = ctx_.rows[RecordTraits<R>::kKind].count(key) > 0;
    WriteResult wr;
    Status s = w_->ApplyRecord(&ctx_, record, exists ? "update" : "create", write_, &wr);
    if (!s.ok())
      Problem(at("", s.message()));
    else
      Count(wr);
  }
}

// One rating of the file (JSON or CSV): the one validator, then the batch.
// `at` words a problem of a field; `duplicate` that of a rating given twice.
template <typename At>
Status SqlWorkspace::Importer::ImportRating(Rating* r, uint32_t where, At at,
                                             const std::function<std::string(uint32_t)>& duplicate) {
  if (!validator_) validator_.emplace(ctx_);
  if (r->rated_at.empty()) r->rated_at = now_;
  field_problems_.clear();
  validator_->Check(r, &field_problems_);
  for (const FieldProblem& p : field_problems_) Problem(at(p.field, p.status.message()));
  if (!field_problems_.empty()) return Status::OK();
  WriteResult wr;
  if (w_->schema_version() < 4) {  // a record per rating (schema versions before 4)
    Status s = w_->ApplyRating(&ctx_, *r, write_, &wr);
    if (!s.ok())
      Problem(at("", s.message()));
    else
      Count(wr);
    return Status::OK();
  }
  ASSAY_RETURN_IF_ERROR(StartBatch());
  std::string reasons, evidence;
  RatingFields f = FieldsOf(ctx_.assessment.id, *r, &reasons, &evidence);
  uint32_t dup = 0;
  WriteResult::Kind kind;
  Status s = batch_->Add(f, where, &kind, &dup);
  if (dup)
    Problem(at("", duplicate(dup)));
  else if (!s.ok())
    Problem(at("", s.message()));
  return Status::OK();
}

// Every CSV row, streamed: parsed, checked and written in one pass.
Status SqlWorkspace::Importer::ImportCsvRows() {
  if (w_->schema_version() >= 4) ASSAY_RETURN_IF_ERROR(StartBatch());
  CsvRow row;
  Diagnostic syntax;
  Rating r;
  while (csv_->Next(&row, &syntax)) {
    Progress(csv_->position());
    if (!ReadCsvRating(row, &r)) continue;
    auto at = [&](const std::string& field, const std::string& message) {
      auto c = columns_.find(field);
      // "value: value 'X' is ..." says the column twice; keep one.
      bool named = !field.empty() && message.compare(0, field.size() + 1, field + " ") == 0;
      return Diagnostic{name_, "", row.line, c == columns_.end() ? 1 : c->second,
                        (field.empty() || named ? "" : field + ": ") + message};
    };
    ASSAY_RETURN_IF_ERROR(ImportRating(&r, static_cast<uint32_t>(row.line), at, [](uint32_t dup) {
      return "duplicate rating: the same instance, item and assessor as line " + std::to_string(dup);
    }));
  }
  if (csv_->failed()) Problem(syntax);
  return Status::OK();
}

// The rating of one CSV row, its fields trimmed (statements keep their text
// as written, less a neutralising quote); false when the row itself is wrong
// (problems reported) or is a template row nobody filled in (nothing but
// assessment, process, instance and item: skipped). Empty fields beyond the
// header's columns (a spreadsheet's trailing ",,,") are ignored.
bool SqlWorkspace::Importer::ReadCsvRating(const CsvRow& row, Rating* r) {
  const size_t width = csv_header_.size();
  if (row.fields.size() < width ||
      std::any_of(row.fields.begin() + static_cast<std::ptrdiff_t>(std::min(width, row.fields.size())),
                  row.fields.end(), [](std::string_view f) { return !TrimView(f).empty(); })) {
    size_t got = row.fields.size(), at = std::min(got, width);  // at: the first field in excess
    while (got > width && TrimView(row.fields[got - 1]).empty()) --got;
    while (at < got && TrimView(row.fields[at]).empty()) ++at;
    Problem({name_, "", row.line, static_cast<int>(at) + 1,
             "expected " + std::to_string(width) + " fields, got " + std::to_string(got) +
                 (separator_ == ',' ? "" : " (separated by " + SeparatorName(separator_) + ", as in the header)")});
    return false;
  }
  bool filled = false;  // anything beyond the columns a template fills in
  const size_t before = problems_.size() + static_cast<size_t>(report_->more_problems);
  // Cleared field by field: the strings keep their capacity from row to row.
  for (std::string* f : {&r->process, &r->instance, &r->item, &r->assessor, &r->value, &r->strength, &r->weakness,
                         &r->rated_at, &r->justification})
    f->clear();
  r->reasons.clear();
  r->evidence.clear();
  r->consolidated = false;
  r->item_kind = ItemKind::kAttribute;
  using C = CsvColumn;
  for (size_t f = 0; f < width; ++f) {
    const C col = csv_columns_[f];
    const std::string_view raw = row.fields[f];
    const std::string_view v = TrimView(raw);
    const int column = static_cast<int>(f) + 1;
    if (!v.empty() && col != C::kAssessment && col != C::kProcess && col != C::kInstance && col != C::kItem)
      filled = true;
    switch (col) {
      case C::kAssessment:
        if (!v.empty() && assessment_line_ && v != assessment_id_)
          Problem({name_, "", row.line, column,
                   "assessment " + Quote(std::string(v)) + " differs from " + Quote(assessment_id_) + " on line " +
                       std::to_string(assessment_line_) + "; one file imports into one assessment"});
        break;
      case C::kConsolidated:
        if (!IsBoolean(v))
          Problem({name_, "", row.line, column, "consolidated: expected true or false, got " + Quote(std::string(v))});
        r->consolidated = IsTrue(v);
        break;
      case C::kReasons:
        SplitList(v, &r->reasons);
        break;
      case C::kEvidence:
        SplitList(v, &r->evidence);
        break;
      case C::kStrength:
      case C::kWeakness:
      case C::kJustification: {
        std::string& out = col == C::kStrength ? r->strength : col == C::kWeakness ? r->weakness : r->justification;
        if (!v.empty()) out.assign(raw);
        DropNeutralisingQuote(&out);
        break;
      }
      case C::kProcess:
        r->process.assign(v);
        break;
      case C::kInstance:
        r->instance.assign(v);
        break;
      case C::kItem:
        r->item.assign(v);
        break;
      case C::kValue:
        r->value.assign(v);
        break;
      case C::kAssessor:
        r->assessor.assign(v);
        break;
      case C::kRatedAt:
      case C::kOther:
        r->rated_at.assign(v);
        break;
    }
  }
  return filled && problems_.size() + static_cast<size_t>(report_->more_problems) == before;
}

// The workbook's cells; its cover sheet names the assessment (the row
// "Assessment", column B).
bool SqlWorkspace::Importer::ReadXlsxWorkbook() {
  std::string error;
  workbook_.emplace();
  if (!ReadXlsx(input_, &*workbook_, &error)) {
    problems_.push_back({name_, "", 0, 0, error});
    return false;
  }
  if (const XlsxSheet* cover = workbook_->Find("Cover")) {
    for (const auto& [at, cell] : cover->cells) {
      if (at.second != 1 || cell.text != "Assessment") continue;
      const XlsxCell* id = cover->At(at.first, 2);
      if (id != nullptr && !id->text.empty()) {
        assessment_id_ = id->text;
        assessment_where_ = "Cover!" + CellName(at.first, 2);
      }
      break;
    }
  }
  return true;
}

// Every process sheet of the workbook: one per process in scope (the cover
// and profile sheets are not read).
Status SqlWorkspace::Importer::ImportXlsxSheets() {
  if (w_->schema_version() >= 4) ASSAY_RETURN_IF_ERROR(StartBatch());
  std::vector<std::string> processes;
  for (const auto& [process, scope] : ctx_.scope) processes.push_back(process);
  for (const XlsxSheet& sheet : workbook_->sheets) {
    if (sheet.name == "Cover" || sheet.name == "Profile") continue;
    if (ctx_.scope.count(sheet.name) == 0) {
      Problem({name_, sheet.name + "!A1", 0, 0,
               "sheet " + Quote(sheet.name) + " is not a process in the assessment's scope" +
                   SuggestionSuffix(sheet.name, processes)});
      continue;
    }
    ASSAY_RETURN_IF_ERROR(ImportXlsxSheet(sheet));
  }
  for (const std::string& p : processes)
    if (workbook_->Find(p) == nullptr)
      Problem({name_, "", 0, 0, "no sheet " + Quote(p) + ": the workbook leaves out a process of the assessment's scope"});
  return Status::OK();
}

// The header rows of a process sheet (rating_workbook.cc): row 6 names the
// columns; from column F, four per rater (rows 4 and 5: instance, rater).
bool SqlWorkspace::Importer::ReadXlsxHeader(const XlsxSheet& sheet, std::vector<XlsxGroup>* groups) {
  static const char* const kFixed[] = {"item", "kind", "attribute", "statement", "supports"};
  static const char* const kFields[] = {"value", "strength", "weakness", "evidence"};
  auto text = [&sheet](int row, int column) {
    const XlsxCell* c = sheet.At(row, column);
    return c == nullptr ? std::string() : c->text;
  };
  auto expect = [&](int column, const char* want) {
    if (text(6, column) == want) return true;
    Problem({name_, sheet.name + "!" + CellName(6, column), 0, 0,
             "expected the column " + Quote(want) + ", found " + Quote(text(6, column)) +
                 ": not a process sheet of a rating workbook"});
    return false;
  };
  for (int c = 1; c <= 5; ++c)
    if (!expect(c, kFixed[c - 1])) return false;
  for (int c = 6; !text(4, c).empty() || !text(6, c).empty(); c += 4) {
    for (int k = 0; k < 4; ++k)
      if (!expect(c + k, kFields[k])) return false;
    groups->push_back({c, text(4, c), text(5, c)});
  }
  return true;
}

// One process sheet: a rating per item row and rater whose cells are not
// all empty, through the one validator.
Status SqlWorkspace::Importer::ImportXlsxSheet(const XlsxSheet& sheet) {
  std::vector<XlsxGroup> groups;
  if (!ReadXlsxHeader(sheet, &groups)) return Status::OK();
  Rating r;
  for (int row = 7; row <= sheet.max_row; ++row) {
    const XlsxCell* item = sheet.At(row, 1);
    if (item == nullptr || TrimView(item->text).empty()) continue;
    for (const XlsxGroup& g : groups) {
      if (!ReadXlsxRating(sheet, row, g, &r)) continue;
      cell_names_.push_back(sheet.name + "!" + CellName(row, g.column));
      auto at = [&](const std::string& field, const std::string& message) {
        int cell_row = row, column = g.column;
        if (field == "strength") column += 1;
        if (field == "weakness") column += 2;
        if (field == "evidence") column += 3;
        if (field == "instance") cell_row = 4;
        if (field == "assessor" || field == "consolidated") cell_row = 5;
        if (field == "item" || field == "process") column = 1;
        bool named = !field.empty() && message.compare(0, field.size() + 1, field + " ") == 0;
        return Diagnostic{name_, sheet.name + "!" + CellName(cell_row, column), 0, 0,
                          (field.empty() || named ? "" : field + ": ") + message};
      };
      ASSAY_RETURN_IF_ERROR(ImportRating(&r, static_cast<uint32_t>(cell_names_.size()), at, [this](uint32_t dup) {
        return "duplicate rating: the same instance, item and assessor as " + cell_names_[dup - 1];
      }));
    }
  }
  return Status::OK();
}

// The rating of one rater's cells in one row; false when they are all empty
// (not rated) or one cannot be read (problem reported). Reason codes and a
// justification, which the workbook does not show, are those of the current
// rating, so that an unchanged row is recognised as unchanged.
bool SqlWorkspace::Importer::ReadXlsxRating(const XlsxSheet& sheet, int row, const XlsxGroup& g, Rating* r) {
  std::string cells[4];
  bool ok = true;
  for (int k = 0; k < 4; ++k) ok = XlsxCellText(sheet, row, g.column + k, k == 0, &cells[k]) && ok;
  if (!ok || (TrimView(cells[0]).empty() && TrimView(cells[1]).empty() && TrimView(cells[2]).empty() &&
              TrimView(cells[3]).empty()))
    return false;
  *r = Rating();
  r->process = sheet.name;
  r->instance = std::string(TrimView(g.instance));
  r->item = std::string(TrimView(sheet.At(row, 1)->text));
  r->consolidated = g.rater == "team";
  if (!r->consolidated) r->assessor = std::string(TrimView(g.rater));
  r->value = std::string(TrimView(cells[0]));
  if (!TrimView(cells[1]).empty()) r->strength = cells[1];
  if (!TrimView(cells[2]).empty()) r->weakness = cells[2];
  SplitList(cells[3], &r->evidence);
  Rating current;
  int64_t current_row = 0;
  if (w_->schema_version() >= 4 &&
      w_->FindCurrentRating(ctx_.assessment.id, r->instance, r->item, r->assessor, &current_row, &current)) {
    r->reasons = current.reasons;
    r->justification = current.justification;
  }
  return true;
}

// A cell as text: strings as they are; numbers in a text column as written,
// in the value column only as a percentage (a cell formatted as one); a
// formula, a date, an error (and a boolean as a value) are refused.
bool SqlWorkspace::Importer::XlsxCellText(const XlsxSheet& sheet, int row, int column, bool is_value,
                                             std::string* out) {
  out->clear();
  const XlsxCell* c = sheet.At(row, column);
  if (c == nullptr) return true;
  const char* what = is_value ? "rating value" : "text";
  auto refuse = [&](const std::string& message) {
    Problem({name_, sheet.name + "!" + CellName(row, column), 0, 0, message});
    return false;
  };
  if (c->formula)
    return refuse(std::string("a formula, where a ") + what + " is expected; type the " + what + " itself");
  switch (c->type) {
    case XlsxCell::Type::kString:
      *out = c->text;
      return true;
    case XlsxCell::Type::kBoolean:
      if (is_value) return refuse("a boolean (" + c->text + ") is not a rating value");
      *out = c->text;
      return true;
    case XlsxCell::Type::kError:
      return refuse("an error value (" + c->text + "), where a " + what + " is expected");
    case XlsxCell::Type::kDate:
      return refuse("a date (" + c->text + "), where a " + what + " is expected; format the cell as text");
    case XlsxCell::Type::kNumber:
      break;
  }
  char* end = nullptr;
  const double number = std::strtod(c->text.c_str(), &end);
  if (end == c->text.c_str() || *end != '\0' || !std::isfinite(number))
    return refuse("a number cell holding " + Quote(c->text) + ", which is not a number");
  if (c->date) return refuse("a date (serial number " + c->text + "), where a " + what + " is expected; format the cell as text");
  char buf[64];
  if (is_value && !c->percent)
    return refuse("a number (" + c->text + ") is not a rating value: write N, P, L, F or a percentage such as 72.5%");
  if (is_value) {
    std::snprintf(buf, sizeof buf, "%.6f", number * 100);
    std::string p(buf);
    while (p.back() == '0') p.pop_back();
    if (p.back() == '.') p.pop_back();
    *out = p + "%";
    return true;
  }
  std::snprintf(buf, sizeof buf, "%.15g", number);
  *out = buf;
  return true;
}

// Counts, the batch's event, the file's status; nothing when problems.
Status SqlWorkspace::Importer::Finish() {
  if (batch_) {
    report_->created += batch_->created();
    report_->updated += batch_->updated();
    report_->unchanged += batch_->unchanged();
  }
  if (HasProblems()) return Fail();  // the transaction rolls back
  if (batch_) {
    int64_t event = 0;
    ASSAY_RETURN_IF_ERROR(batch_->Finish(name_, Sha256Hex(input_), &event));
  }
  if (final_status_) {
    Assessment a = ctx_.assessment;
    a.status = *final_status_;
    WriteResult wr;
    ASSAY_RETURN_IF_ERROR(w_->ApplyRecord(&ctx_, a, "status", write_, &wr));
    Count(wr);
  }
  return Status::OK();
}

Status SqlWorkspace::ImportText(const std::string& text, const std::string& name, const ImportOptions& options,
                                   ImportReport* report) {
  *report = ImportReport();
  return Importer(this, text, name, options, report).Run();
}

}  // namespace internal

std::string CsvTemplate() {
  std::string out;
  for (const char* c : internal::kCsvColumns) out += (out.empty() ? "" : ",") + std::string(c);
  out += "\r\n";
  out +=
      "ACME-2026,RES.1,RES.1/ServiceDesk,PA1.1,L,mkoch,,\"Tickets are logged, classified and closed\","
      "\"No trend analysis, \"\"ad hoc\"\" escalation\",RC.NO_DATA,EV-1;EV-2,2026-11-24T10:30:00Z,\r\n";
  return out;
}

}  // namespace assay
