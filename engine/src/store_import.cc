// Workspace import (JSON, CSV) and export (JSON).
#include <algorithm>
#include <cctype>
#include <set>

#include "assay/text.h"
#include "json_input.h"
#include "store_impl.h"

namespace assay {

namespace internal {

namespace {

using nlohmann::json;
using K = WorkspaceImpl::RecordKind;

constexpr const char* kFormat = "assay-assessment/1";

// The CSV columns, in template order.
constexpr const char* kCsvColumns[] = {"assessment", "process", "instance",  "item",     "value",
                                       "assessor",   "consolidated", "strength", "weakness", "reasons",
                                       "evidence",   "rated_at", "justification"};

struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// One record to import, with where it came from. A CSV row keeps only its
// parsed fields until it is imported (no JSON per row held in memory).
struct Item {
  K kind = K::kRating;
  json record;
  std::string pointer;  // JSON: "/ratings/3"
  int line = 0;         // CSV: line of the record
  const CsvRecord* csv = nullptr;  // CSV: the row (record is built from it)
};

std::string Quote(const std::string& s) { return "'" + s + "'"; }

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// Whether `s` is valid UTF-8 (no overlong forms, surrogates or code points
// above U+10FFFF). *bad is the byte offset of the first invalid sequence.
bool ValidUtf8(const std::string& s, size_t* bad) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1fu;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0fu;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07u;
    } else {
      *bad = i;
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) {
        *bad = i;
        return false;
      }
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3fu);
    }
    static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      *bad = i;
      return false;
    }
    i += n + 1;
  }
  return true;
}

// RFC 4180 CSV: comma separated, fields optionally quoted with "" for a
// quote, CRLF or LF line ends, line breaks inside quoted fields. Blank lines
// are skipped. Columns in diagnostics are field positions (1-based).
bool ParseCsv(const std::string& text, const std::string& name, std::vector<CsvRecord>* out,
              std::vector<Diagnostic>* diags) {
  size_t i = 0;
  int line = 1;
  const size_t n = text.size();
  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      std::string field;
      const int column = static_cast<int>(rec.fields.size()) + 1;
      if (i < n && text[i] == '"') {
        const int start_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++i;
        }
        if (!closed) {
          diags->push_back({name, "", start_line, column, "unterminated quoted field"});
          return false;
        }
        if (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          diags->push_back({name, "", line, column, "unexpected text after the closing quote of a field"});
          return false;
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          if (text[i] == '"') {
            diags->push_back({name, "", line, column, "quote inside an unquoted field; quote the whole field"});
            return false;
          }
          field += text[i++];
        }
      }
      if (field.size() > JsonLimits().max_string) {  // the same limit as a JSON string
        diags->push_back({name, "", rec.line, column,
                          "field is " + std::to_string(field.size()) + " bytes long; the limit is " +
                              std::to_string(JsonLimits().max_string)});
        return false;
      }
      rec.fields.push_back(std::move(field));
      if (i >= n) {
        end_of_record = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // line end
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        end_of_record = true;
      }
    }
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // blank line
    out->push_back(std::move(rec));
  }
  return true;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(';', start);
    if (end == std::string::npos) end = s.size();
    std::string part = Trim(s.substr(start, end - start));
    if (!part.empty()) out.push_back(part);
    start = end + 1;
  }
  return out;
}

// Turns CSV text into rating items. Returns false with diags on problems.
// The rating of one CSV row (checked by CsvItems) as a JSON record.
json CsvRating(const CsvRecord& rec, const std::vector<std::string>& header) {
  json rating = json::object();
  for (size_t f = 0; f < header.size(); ++f) {
    const std::string& col = header[f];
    const std::string& raw = rec.fields[f];
    std::string v = Trim(raw);
    if (col == "assessment") continue;
    if (col == "consolidated") {
      std::string l = v;
      for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (l == "true" || l == "yes" || l == "1" || l == "x") rating["consolidated"] = true;
    } else if (col == "reasons" || col == "evidence") {
      std::vector<std::string> list = SplitList(v);
      if (!list.empty()) rating[col] = list;
    } else if (col == "strength" || col == "weakness" || col == "justification") {
      if (!v.empty()) rating[col] = raw;  // statements keep their text as written
    } else if (!v.empty()) {
      rating[col] = v;
    }
  }
  return rating;
}

// Parses and checks the CSV's structure into *records and *header; each
// data row becomes an item pointing at its record.
bool CsvItems(const std::string& text, const std::string& name, std::string* assessment, std::vector<Item>* items,
              std::map<std::string, int>* columns, std::vector<CsvRecord>* records_out,
              std::vector<std::string>* header_out, std::vector<Diagnostic>* diags) {
  std::vector<CsvRecord>& records = *records_out;
  std::vector<std::string>& header = *header_out;
  if (!ParseCsv(text, name, &records, diags)) return false;
  size_t before = diags->size();
  for (const CsvRecord& r : records)
    for (size_t f = 0; f < r.fields.size(); ++f) {
      size_t bad = 0;
      if (!ValidUtf8(r.fields[f], &bad))
        diags->push_back({name, "", r.line, static_cast<int>(f) + 1,
                          "invalid UTF-8 (byte " + std::to_string(bad + 1) + " of the field)"});
    }
  if (diags->size() != before) return false;
  if (records.empty()) {
    diags->push_back({name, "", 1, 1, "empty file: expected a header row (see: assay import --template csv)"});
    return false;
  }
  const std::vector<std::string> known(std::begin(kCsvColumns), std::end(kCsvColumns));
  for (size_t f = 0; f < records[0].fields.size(); ++f) {
    std::string h = Trim(records[0].fields[f]);
    for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    int col = static_cast<int>(f) + 1;
    if (std::find(known.begin(), known.end(), h) == known.end())
      diags->push_back({name, "", records[0].line, col, "unknown column " + Quote(h) + SuggestionSuffix(h, known)});
    else if (columns->count(h))
      diags->push_back({name, "", records[0].line, col, "column " + Quote(h) + " appears twice"});
    else
      (*columns)[h] = col;
    header.push_back(h);
  }
  for (const char* required : {"instance", "item", "value"})
    if (!columns->count(required))
      diags->push_back({name, "", records[0].line, 1, std::string("missing column '") + required + "'"});
  if (diags->size() != before) return false;

  std::string file_assessment;
  int file_assessment_line = 0;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.fields.size() != header.size()) {
      diags->push_back({name, "", rec.line, static_cast<int>(std::min(rec.fields.size(), header.size())) + 1,
                        "expected " + std::to_string(header.size()) + " fields, got " +
                            std::to_string(rec.fields.size())});
      continue;
    }
    for (size_t f = 0; f < header.size(); ++f) {
      const std::string& col = header[f];
      if (col != "assessment" && col != "consolidated") continue;
      std::string v = Trim(rec.fields[f]);
      if (col == "assessment") {
        if (v.empty()) continue;
        if (file_assessment.empty()) {
          file_assessment = v;
          file_assessment_line = rec.line;
        } else if (v != file_assessment) {
          diags->push_back({name, "", rec.line, static_cast<int>(f) + 1,
                            "assessment " + Quote(v) + " differs from " + Quote(file_assessment) + " on line " +
                                std::to_string(file_assessment_line) + "; one file imports into one assessment"});
        }
      } else if (col == "consolidated") {
        std::string l = v;
        for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!(l.empty() || l == "true" || l == "yes" || l == "1" || l == "x" || l == "false" || l == "no" ||
              l == "0"))
          diags->push_back({name, "", rec.line, static_cast<int>(f) + 1,
                            "consolidated: expected true or false, got " + Quote(v)});
      }
    }
    items->push_back({K::kRating, json(), "", rec.line, &rec});
  }
  if (!file_assessment.empty()) *assessment = file_assessment;
  return diags->size() == before;
}

const char* SectionName(K kind) {
  switch (kind) {
    case K::kScope:
      return "scope";
    case K::kUnit:
      return "units";
    case K::kInstance:
      return "instances";
    case K::kPerson:
      return "people";
    case K::kInterview:
      return "interviews";
    case K::kEvidence:
      return "evidence";
    case K::kRating:
      return "ratings";
  }
  return "?";
}

constexpr K kSectionOrder[] = {K::kScope, K::kUnit, K::kInstance, K::kPerson, K::kInterview, K::kEvidence, K::kRating};

}  // namespace

Status WorkspaceImpl::DoImportText(const std::string& input, const std::string& name, const ImportOptions& options,
                                   ImportReport* report) {
  *report = ImportReport();
  std::vector<Diagnostic>& problems = report->problems;
  auto fail = [&]() {
    return Status::InvalidInput(name + ": " + std::to_string(problems.size()) +
                                (problems.size() == 1 ? " problem" : " problems") + "; nothing was imported");
  };
  std::string text = input;
  // UTF-16 (with a byte order mark, or ASCII text with every other byte NUL):
  // one clear problem instead of a CSV reading of the bytes.
  if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF') ||
                           ((text[0] == '\0') != (text[1] == '\0')))) {
    problems.push_back({name, "", 1, 1, "file is UTF-16; assay reads UTF-8 only"});
    return fail();
  }
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // BOM
  size_t first = text.find_first_not_of(" \t\r\n");
  const bool is_json = first != std::string::npos && text[first] == '{';

  std::vector<Item> items;
  std::map<std::string, int> columns;  // CSV
  std::vector<CsvRecord> csv_records;
  std::vector<std::string> csv_header;
  std::string assessment_id = options.default_assessment;
  std::optional<Assessment> doc_assessment;
  if (is_json) {
    json doc;
    if (!ParseJson(text, name, JsonLimits(), &doc, &problems)) return fail();
    if (!ValidateSchema("assessment", doc, name, &problems)) return fail();
    if (doc.contains("assessment")) {
      Assessment a;
      Status s = FromJson(doc["assessment"], &a);
      if (!s.ok()) {
        problems.push_back({name, "/assessment", 0, 0, s.message()});
        return fail();
      }
      std::vector<FieldProblem> fp;
      ValidateAssessment(a, &fp);
      for (const FieldProblem& p : fp) problems.push_back({name, "/assessment/" + p.field, 0, 0, p.status.message()});
      doc_assessment = a;
      assessment_id = a.id;
    } else if (doc.contains("assessment_id")) {
      assessment_id = doc["assessment_id"].get<std::string>();
    }
    for (K kind : kSectionOrder) {
      const char* section = SectionName(kind);
      if (!doc.contains(section)) continue;
      const json& arr = doc[section];
      for (size_t i = 0; i < arr.size(); ++i)
        items.push_back({kind, arr[i], "/" + std::string(section) + "/" + std::to_string(i), 0});
    }
  } else {
    std::string csv_assessment;
    if (!CsvItems(text, name, &csv_assessment, &items, &columns, &csv_records, &csv_header, &problems)) return fail();
    if (!csv_assessment.empty()) assessment_id = csv_assessment;
  }
  if (assessment_id.empty()) {
    problems.push_back({name, "", 0, 0,
                        "no assessment given: name it in the file or with --assessment"});
    return fail();
  }
  report->assessment = assessment_id;

  auto where = [&](const Item& item, const std::string& field, const std::string& message) {
    if (item.line > 0) {
      auto c = columns.find(field);
      // "value: value 'X' is ..." says the column twice; keep one.
      bool named = !field.empty() && message.compare(0, field.size() + 1, field + " ") == 0;
      return Diagnostic{name, "", item.line, c == columns.end() ? 1 : c->second,
                        (field.empty() || named ? "" : field + ": ") + message};
    }
    return Diagnostic{name, item.pointer + (field.empty() ? "" : "/" + field), 0, 0, message};
  };

  // A page cache of up to 64 MiB for the import (SQLite's default is 2 MiB):
  // it inserts into the indexes at scattered places (events.hash is random),
  // and with a small cache every insert re-reads spilled pages, which made a
  // 100,000-rating import 4 times slower. Reads keep the default, so that a
  // profile's memory stays flat.
  struct BulkCache {
    SQLite::Database& db;
    explicit BulkCache(SQLite::Database& d) : db(d) { db.exec("PRAGMA cache_size = -65536"); }
    ~BulkCache() {
      try {
        db.exec("PRAGMA cache_size = -2000");
      } catch (const std::exception&) {  // best effort: only the cache size
      }
    }
    BulkCache(const BulkCache&) = delete;
    BulkCache& operator=(const BulkCache&) = delete;
  };
  try {
    BulkCache bulk(*db_);
    SQLite::Transaction tx(*db_, options.dry_run ? SQLite::TransactionBehavior::DEFERRED
                                                 : SQLite::TransactionBehavior::IMMEDIATE);
    const bool write = !options.dry_run;
    Context ctx;
    std::optional<AssessmentStatus> final_status;
    WriteResult wr;
    auto count = [&](const WriteResult& w) {
      if (w.kind == WriteResult::Kind::kCreated) ++report->created;
      if (w.kind == WriteResult::Kind::kUpdated) ++report->updated;
      if (w.kind == WriteResult::Kind::kUnchanged) ++report->unchanged;
    };
    Status loaded = LoadContext(assessment_id, false, &ctx);
    if (!loaded.ok() && loaded.code() != Status::Code::kNotFound) return loaded;
    if (!loaded.ok() && !doc_assessment) {
      problems.push_back({name, is_json ? "/assessment_id" : "", 0, 0, loaded.message()});
      return fail();
    }
    if (!loaded.ok()) {
      // A new assessment: pin its model and create it as planned.
      Assessment a = *doc_assessment;
      Status ms = ResolveModel(a.model_id, a.model_version, a.model_hash, &ctx.model);
      if (!ms.ok()) {
        problems.push_back({name, "/assessment/model", 0, 0, ms.message()});
        return fail();
      }
      a.model_version = ctx.model->pam().version;
      a.model_hash = ctx.model->hash();
      if (a.status != AssessmentStatus::kPlanned) final_status = a.status;
      a.status = AssessmentStatus::kPlanned;
      if (!problems.empty()) return fail();
      ctx.assessment = a;
      ASSAY_RETURN_IF_ERROR(Apply(&ctx, kKindAssessment, a.id, ToJson(a), "create", write, &wr));
      count(wr);
    } else {
      Status ms = ResolveModel(ctx.assessment.model_id, ctx.assessment.model_version, ctx.assessment.model_hash,
                               &ctx.model);
      if (!ms.ok()) {
        problems.push_back({name, "", 0, 0, ms.message()});
        return fail();
      }
      if (doc_assessment) {
        Assessment a = *doc_assessment;
        if (a.model_id != ctx.assessment.model_id ||
            (!a.model_version.empty() && a.model_version != ctx.assessment.model_version) ||
            (!a.model_hash.empty() && a.model_hash != ctx.assessment.model_hash))
          problems.push_back({name, "/assessment/model", 0, 0,
                              "assessment " + Quote(a.id) + " in the workspace pins " + ctx.assessment.model_id +
                                  "@" + ctx.assessment.model_version + "; the file names " + a.model_id + "@" +
                                  a.model_version});
        if (a.status != ctx.assessment.status) {
          std::vector<AssessmentStatus> allowed = AllowedTransitions(ctx.assessment.status);
          if (std::find(allowed.begin(), allowed.end(), a.status) == allowed.end())
            problems.push_back({name, "/assessment/status", 0, 0,
                                std::string("cannot move the assessment from ") +
                                    AssessmentStatusName(ctx.assessment.status) + " to " +
                                    AssessmentStatusName(a.status)});
          else
            final_status = a.status;
        }
        a.model_id = ctx.assessment.model_id;
        a.model_version = ctx.assessment.model_version;
        a.model_hash = ctx.assessment.model_hash;
        a.status = ctx.assessment.status;
        if (problems.empty()) {
          Status s = Apply(&ctx, kKindAssessment, a.id, ToJson(a), "update", write, &wr);
          if (!s.ok())
            problems.push_back({name, "/assessment", 0, 0, s.message()});
          else
            count(wr);
        }
      }
    }

    // Every record, in dependency order, validated against what came before.
    std::map<std::string, std::string> seen;  // kind + key -> where first
    for (const Item& item : items) {
      json data;
      std::string key;
      std::vector<FieldProblem> fp;
      if (item.csv)
        Prepare(ctx, item.kind, CsvRating(*item.csv, csv_header), &data, &key, &fp);
      else
        Prepare(ctx, item.kind, item.record, &data, &key, &fp);
      for (const FieldProblem& p : fp) problems.push_back(where(item, p.field, p.status.message()));
      if (!fp.empty()) continue;
      std::string here = item.line > 0 ? "line " + std::to_string(item.line) : item.pointer;
      auto [it, inserted] = seen.emplace(std::string(KindName(item.kind)) + "\n" + key, here);
      if (!inserted) {
        problems.push_back(where(item, "", std::string("duplicate ") + KindName(item.kind) + ": the same " +
                                               (item.kind == K::kRating ? "instance, item and assessor" : "ID") +
                                               " as " + it->second));
        continue;
      }
      const char* kind = KindName(item.kind);
      Status s = Apply(&ctx, kind, key, data, ctx.rows[kind].count(key) ? "update" : "create", write, &wr);
      if (!s.ok()) {
        problems.push_back(where(item, "", s.message()));
        continue;
      }
      count(wr);
    }
    if (final_status && problems.empty()) {
      Assessment a = ctx.assessment;
      a.status = *final_status;
      ASSAY_RETURN_IF_ERROR(Apply(&ctx, kKindAssessment, a.id, ToJson(a), "status", write, &wr));
      count(wr);
    }
    if (!problems.empty()) return fail();  // the transaction rolls back
    if (write) tx.commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status WorkspaceImpl::DoExport(const std::string& id, std::string* out) {
  try {
    Context ctx;
    std::vector<ScopedProcess> scope;
    {
      SQLite::Transaction tx(*db_);
      ASSAY_RETURN_IF_ERROR(LoadContext(id, false, &ctx));
      for (const auto& [k, v] : ctx.scope) scope.push_back(v);
      SortScope(id, &scope);  // in the order scoped, as ReadSnapshot gives it
      tx.commit();
    }
    json doc = json::object();
    doc["format"] = kFormat;
    doc["assessment"] = ToJson(ctx.assessment);
    auto section = [&](const char* name, const auto& map) {
      json arr = json::array();
      for (const auto& [k, v] : map) arr.push_back(ToJson(v));
      doc[name] = arr;
    };
    json scope_arr = json::array();
    for (const ScopedProcess& v : scope) scope_arr.push_back(ToJson(v));
    doc["scope"] = scope_arr;
    section("units", ctx.units);
    section("instances", ctx.instances);
    section("people", ctx.people);
    section("interviews", ctx.interviews);
    section("evidence", ctx.evidence);
    section("ratings", ctx.ratings);
    *out = doc.dump(2, ' ', false, json::error_handler_t::strict) + "\n";
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
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
