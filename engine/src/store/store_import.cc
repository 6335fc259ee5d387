// Workspace import (JSON, CSV) and export (JSON).
#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "assay/text.h"
#include "util/json_input.h"
#include "store/store_impl.h"

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

// One record to import from JSON, with where it came from.
struct Item {
  K kind = K::kRating;
  json record;
  std::string pointer;  // "/ratings/3"
};

std::string Quote(const std::string& s) { return "'" + s + "'"; }

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

// RFC 4180 CSV, read one record at a time: comma separated, fields
// optionally quoted with "" for a quote, CRLF, LF or CR line ends, line
// breaks inside quoted fields. Blank lines are skipped. Columns in
// diagnostics are field positions (1-based).
class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& name) : text_(text), name_(name) {}

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
          if (i_ < n && text_[i_] != ',' && text_[i_] != '\r' && text_[i_] != '\n')
            return Fail(error, line_, column, "unexpected text after the closing quote of a field");
        } else {
          const size_t start = i_;
          while (i_ < n && text_[i_] != ',' && text_[i_] != '\r' && text_[i_] != '\n') {
            if (text_[i_] == '"') return Fail(error, line_, column, "quote inside an unquoted field; quote the whole field");
            ++i_;
          }
          field = text_.substr(start, i_ - start);
        }
        if (field.size() > JsonLimits().max_string)  // the same limit as a JSON string
          return Fail(error, row->line, column,
                      "field is " + std::to_string(field.size()) + " bytes long; the limit is " +
                          std::to_string(JsonLimits().max_string));
        row->fields.push_back(field);
        if (i_ >= n) {
          end_of_record = true;
        } else if (text_[i_] == ',') {
          ++i_;
        } else {  // line end
          if (text_[i_] == '\r' && i_ + 1 < n && text_[i_ + 1] == '\n') ++i_;
          ++i_;
          ++line_;
          end_of_record = true;
        }
      }
      if (row->fields.size() == 1 && row->fields[0].empty()) continue;  // blank line
      return true;
    }
    return false;
  }
  bool failed() const { return failed_; }

 private:
  bool Fail(Diagnostic* error, int line, int column, std::string message) {
    *error = Diagnostic{name_, "", line, column, std::move(message)};
    failed_ = true;
    i_ = text_.size();
    return false;
  }

  std::string_view text_;
  const std::string& name_;
  size_t i_ = 0;
  int line_ = 1;
  bool failed_ = false;
  std::deque<std::string> scratch_;  // stable addresses for the views
};

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(';', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view part = TrimView(s.substr(start, end - start));
    if (!part.empty()) out.emplace_back(part);
    start = end + 1;
  }
  return out;
}

void SplitListViews(std::string_view s, std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(';', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view part = TrimView(s.substr(start, end - start));
    if (!part.empty()) out->push_back(part);
    start = end + 1;
  }
}

// The rating of one CSV row as a JSON record (the slow path, which gives
// the validators' messages).
json CsvRating(const CsvRow& rec, const std::vector<std::string>& header) {
  json rating = json::object();
  for (size_t f = 0; f < header.size(); ++f) {
    const std::string& col = header[f];
    std::string_view raw = rec.fields[f];
    std::string v(TrimView(raw));
    if (col == "assessment") continue;
    if (col == "consolidated") {
      if (IsTrue(v)) rating["consolidated"] = true;
    } else if (col == "reasons" || col == "evidence") {
      std::vector<std::string> list = SplitList(v);
      if (!list.empty()) rating[col] = list;
    } else if (col == "strength" || col == "weakness" || col == "justification") {
      if (!v.empty()) rating[col] = std::string(raw);  // statements keep their text as written
    } else if (!v.empty()) {
      rating[col] = v;
    }
  }
  return rating;
}

// Hash and equality for std::string keys looked up by std::string_view.
struct ViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
struct ViewEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

// The validation of ValidateRating for the common case of a valid CSV row,
// from maps built once: Check() accepts a row only when ValidateRating
// would, and fills the stored fields. Anything else goes the slow way
// (CsvRating, Prepare), which gives the messages.
class FastRatingCheck {
 public:
  FastRatingCheck(const Context& ctx, std::string now) : ctx_(ctx), now_(std::move(now)) {
    refined_ = ctx.assessment.options.scale == ScaleKind::kRefined;
    for (const auto& [id, inst] : ctx.instances) {
      const Process* p = ctx.model->FindProcess(inst.process);
      instances_.emplace(std::string_view(id), std::make_pair(&inst, p));
    }
    for (const auto& [id, p] : ctx.people) {
      bool ok = std::find(p.roles.begin(), p.roles.end(), Role::kAssessor) != p.roles.end() ||
                std::find(p.roles.begin(), p.roles.end(), Role::kLeadAssessor) != p.roles.end();
      if (ok) assessors_.insert(std::string_view(id));
    }
    for (const auto& [id, e] : ctx.evidence) evidence_.insert(std::string_view(id));
    for (const ReasonCode& rc : ctx.model->reason_codes()) reasons_.insert(std::string_view(rc.id));
  }

  // col_*: the field views (trimmed where the slow path trims).
  struct Row {
    std::string_view instance, item, value, assessor, process, strength, weakness, reasons, evidence, rated_at,
        justification;
    bool consolidated = false;
  };

  bool Check(const Row& in, RatingFields* f) {
    if (in.instance.empty()) return false;
    auto inst = instances_.find(in.instance);
    if (inst == instances_.end()) return false;
    const ProcessInstance& pi = *inst->second.first;
    if (!in.process.empty() && in.process != pi.process) return false;
    const Process* process = inst->second.second;
    if (in.item.empty()) return false;
    const ItemInfo& info = Item(in.item);
    if (!info.known) return false;
    if (info.owner_checked && process && info.owner != process->id) return false;
    // The value.
    std::string_view value = in.value;
    static const std::string_view kStandard[] = {"N", "P", "L", "F"};
    static const std::string_view kRefined[] = {"P-", "P+", "L-", "L+"};
    bool ok_value = std::find(std::begin(kStandard), std::end(kStandard), value) != std::end(kStandard) ||
                    (refined_ && std::find(std::begin(kRefined), std::end(kRefined), value) != std::end(kRefined));
    if (!ok_value) {
      if (!NormalizeRatingValue(std::string(value), &value_).ok()) return false;
      bool refined = value_ == "P-" || value_ == "P+" || value_ == "L-" || value_ == "L+";
      if (refined && !refined_) return false;
      value = value_;
    }
    // Who rated.
    if (in.consolidated) {
      if (!in.assessor.empty()) return false;
    } else if (in.assessor.empty() || !assessors_.count(in.assessor)) {
      return false;
    }
    SplitListViews(in.reasons, &list_);
    for (std::string_view code : list_)
      if (!reasons_.count(code)) return false;
    reasons_text_.clear();
    AppendJsonList(&reasons_text_, list_);
    SplitListViews(in.evidence, &list_);
    for (size_t i = 0; i < list_.size(); ++i) {
      if (!evidence_.count(list_[i])) return false;
      for (size_t j = 0; j < i; ++j)
        if (list_[j] == list_[i]) return false;
    }
    evidence_text_.clear();
    AppendJsonList(&evidence_text_, list_);
    std::string_view rated_at = in.rated_at.empty() ? std::string_view(now_) : in.rated_at;
    if (rated_at != last_date_) {
      std::string d(rated_at);
      if (!LooksLikeDate(d)) return false;
      last_date_ = std::move(d);
    }
    f->assessment = ctx_.assessment.id;
    f->instance = in.instance;
    f->item = in.item;
    f->assessor = in.consolidated ? std::string_view() : in.assessor;
    f->consolidated = in.consolidated;
    f->process = pi.process;
    f->item_kind = ItemKindName(info.kind);
    f->value = value;
    f->strength = in.strength;
    f->weakness = in.weakness;
    f->reasons = reasons_text_;
    f->evidence = evidence_text_;
    f->rated_at = rated_at;
    f->justification = in.justification;
    return true;
  }

 private:
  struct ItemInfo {
    bool known = false;
    ItemKind kind = ItemKind::kAttribute;
    bool owner_checked = false;  // a process's own item: its owner must be the instance's process
    std::string owner;
  };

  // What ValidateRating derives from the model for an item (cached).
  const ItemInfo& Item(std::string_view id) {
    auto it = items_.find(id);
    if (it != items_.end()) return it->second;
    ItemInfo info;
    const Model& model = *ctx_.model;
    std::string item(id), owner;
    if (model.FindAttribute(item)) {
      info = {true, ItemKind::kAttribute, false, ""};
    } else if (const Indicator* ind = model.FindIndicator(item)) {
      bool process_owned = ind->kind == IndicatorKind::kBasePractice || ind->kind == IndicatorKind::kWorkProduct;
      info = {true, ItemKind::kIndicator, process_owned, ind->owner};
    } else if (model.FindStatement(item, &owner)) {
      if (model.FindAttribute(owner))
        info = {true, ItemKind::kAchievement, false, ""};
      else
        info = {true, ItemKind::kOutcome, true, owner};
    }
    return items_.emplace(item, info).first->second;
  }

  const Context& ctx_;
  std::string now_;
  bool refined_ = false;
  std::unordered_map<std::string_view, std::pair<const ProcessInstance*, const Process*>> instances_;
  std::unordered_set<std::string_view> assessors_, evidence_, reasons_;
  std::unordered_map<std::string, ItemInfo, ViewHash, ViewEq> items_;
  std::string value_, reasons_text_, evidence_text_, last_date_;
  std::vector<std::string_view> list_;
};

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

Status WorkspaceImpl::DoImportText(std::string_view input, const std::string& name, const ImportOptions& options,
                                   ImportReport* report) {
  *report = ImportReport();
  std::vector<Diagnostic>& problems = report->problems;
  auto fail = [&]() {
    return Status::InvalidInput(name + ": " + std::to_string(problems.size()) +
                                (problems.size() == 1 ? " problem" : " problems") + "; nothing was imported");
  };
  std::string_view text = input;
  // UTF-16 (with a byte order mark, or ASCII text with every other byte NUL):
  // one clear problem instead of a CSV reading of the bytes.
  if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF') ||
                           ((text[0] == '\0') != (text[1] == '\0')))) {
    problems.push_back({name, "", 1, 1, "file is UTF-16; assay reads UTF-8 only"});
    return fail();
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
  size_t first = text.find_first_not_of(" \t\r\n");
  const bool is_json = first != std::string_view::npos && text[first] == '{';

  std::vector<Item> items;  // JSON
  std::map<std::string, int> columns;  // CSV: column name -> position (1-based)
  std::vector<std::string> csv_header;
  std::string assessment_id = options.default_assessment;
  std::optional<Assessment> doc_assessment;
  CsvRow row;
  Diagnostic syntax;
  std::optional<CsvReader> csv;  // positioned after the header
  std::string assessment_id_from_file;  // CSV: the first row's assessment
  const bool ascii = !is_json && AllAscii(text);
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
        items.push_back({kind, arr[i], "/" + std::string(section) + "/" + std::to_string(i)});
    }
  } else {
    // A first pass checks the syntax and the UTF-8 of the whole file (a
    // problem there is reported alone, before any row is read for its
    // content) and finds the assessment: the first row that names one.
    {
      CsvReader pre(text, name);
      CsvRow r;
      long assessment_col = -1;
      size_t fields = 0;
      bool header = true;
      while (pre.Next(&r, &syntax)) {
        if (!ascii) {
          for (size_t f = 0; f < r.fields.size(); ++f) {
            size_t bad = 0;
            if (!IsValidUtf8(r.fields[f], &bad))
              problems.push_back({name, "", r.line, static_cast<int>(f) + 1,
                                  "invalid UTF-8 (byte " + std::to_string(bad + 1) + " of the field)"});
          }
        }
        if (header) {
          header = false;
          fields = r.fields.size();
          for (size_t f = 0; f < r.fields.size(); ++f)
            if (Lower(TrimView(r.fields[f])) == "assessment") assessment_col = static_cast<long>(f);
        } else if (assessment_col >= 0 && assessment_id_from_file.empty() && r.fields.size() == fields) {
          std::string_view v = TrimView(r.fields[static_cast<size_t>(assessment_col)]);
          if (!v.empty()) assessment_id_from_file = std::string(v);
        }
      }
      if (pre.failed()) {
        problems.assign(1, syntax);
        return fail();
      }
      if (!problems.empty()) return fail();
    }
    // The header.
    csv.emplace(text, name);
    if (!csv->Next(&row, &syntax)) {
      problems.push_back(Diagnostic{name, "", 1, 1, "empty file: expected a header row (see: assay import --template csv)"});
      return fail();
    }
    const std::vector<std::string> known(std::begin(kCsvColumns), std::end(kCsvColumns));
    for (size_t f = 0; f < row.fields.size(); ++f) {
      std::string h = Lower(TrimView(row.fields[f]));
      int col = static_cast<int>(f) + 1;
      if (std::find(known.begin(), known.end(), h) == known.end())
        problems.push_back({name, "", row.line, col, "unknown column " + Quote(h) + SuggestionSuffix(h, known)});
      else if (columns.count(h))
        problems.push_back({name, "", row.line, col, "column " + Quote(h) + " appears twice"});
      else
        columns[h] = col;
      csv_header.push_back(h);
    }
    for (const char* required : {"instance", "item", "value"})
      if (!columns.count(required))
        problems.push_back({name, "", row.line, 1, std::string("missing column '") + required + "'"});
    if (!problems.empty()) return fail();
    if (!assessment_id_from_file.empty()) assessment_id = assessment_id_from_file;
  }
  if (assessment_id.empty()) {
    problems.push_back({name, "", 0, 0,
                        "no assessment given: name it in the file or with --assessment"});
    return fail();
  }
  report->assessment = assessment_id;

  // A page cache of up to 8 MiB for the import (SQLite's default is 2 MiB).
  // New ratings are appended and their index keys arrive clustered, so a
  // larger cache gains nothing (measured: 64 MiB cost 75 MiB of peak memory
  // at 1,000,000 ratings for no gain in time); it helps the look-ups of a
  // re-import. Reads keep the default, so that a profile's memory stays flat.
  struct BulkCache {
    SQLite::Database& db;
    explicit BulkCache(SQLite::Database& d) : db(d) { db.exec("PRAGMA cache_size = -8192"); }
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

    // Ratings go to one batch (one event); it starts after the other
    // records, which come first in dependency order.
    const bool use_batch = version_ >= 4;
    std::optional<RatingBatch> batch;
    auto start_batch = [&]() -> Status {
      if (batch) return Status::OK();
      batch.emplace(this, &ctx, write && problems.empty());
      return batch->Begin();
    };
    auto add_rating = [&](const RatingFields& f, uint32_t where, uint32_t* duplicate_of, Status* problem) {
      WriteResult::Kind kind;
      *problem = batch->Add(f, where, &kind, duplicate_of);
    };
    auto note_problem = [&]() {
      if (batch) batch->StopWriting();
    };

    // Every JSON record, in dependency order, validated against what came before.
    std::map<std::string, std::string> seen;  // kind + key -> where first (other than batched ratings)
    for (size_t index = 0; index < items.size(); ++index) {
      const Item& item = items[index];
      auto where = [&](const std::string& field, const std::string& message) {
        return Diagnostic{name, item.pointer + (field.empty() ? "" : "/" + field), 0, 0, message};
      };
      json data;
      std::string key;
      std::vector<FieldProblem> fp;
      Prepare(ctx, item.kind, item.record, &data, &key, &fp);
      for (const FieldProblem& p : fp) problems.push_back(where(p.field, p.status.message()));
      if (!fp.empty()) {
        note_problem();
        continue;
      }
      if (item.kind == K::kRating && use_batch) {
        ASSAY_RETURN_IF_ERROR(start_batch());
        Rating r;
        ASSAY_RETURN_IF_ERROR(FromJson(data, &r));
        std::string reasons, evidence;
        RatingFields f = FieldsOf(ctx.assessment.id, r, &reasons, &evidence);
        uint32_t dup = 0;
        Status s;
        add_rating(f, static_cast<uint32_t>(index + 1), &dup, &s);
        if (dup) {
          problems.push_back(where("", "duplicate rating: the same instance, item and assessor as " +
                                           items[dup - 1].pointer));
          note_problem();
        } else if (!s.ok()) {
          problems.push_back(where("", s.message()));
          note_problem();
        }
        continue;
      }
      auto [it, inserted] = seen.emplace(std::string(KindName(item.kind)) + "\n" + key, item.pointer);
      if (!inserted) {
        problems.push_back(where("", std::string("duplicate ") + KindName(item.kind) + ": the same " +
                                         (item.kind == K::kRating ? "instance, item and assessor" : "ID") + " as " +
                                         it->second));
        note_problem();
        continue;
      }
      const char* kind = KindName(item.kind);
      Status s = Apply(&ctx, kind, key, data, ctx.rows[kind].count(key) ? "update" : "create", write, &wr);
      if (!s.ok()) {
        problems.push_back(where("", s.message()));
        note_problem();
        continue;
      }
      count(wr);
    }

    // Every CSV row, streamed: parsed, checked and written in one pass.
    if (csv) {
      if (use_batch) ASSAY_RETURN_IF_ERROR(start_batch());
      auto col = [&](const char* c) { auto it = columns.find(c); return it == columns.end() ? -1 : it->second - 1; };
      const int c_assessment = col("assessment"), c_process = col("process"), c_instance = col("instance"),
                c_item = col("item"), c_value = col("value"), c_assessor = col("assessor"),
                c_consolidated = col("consolidated"), c_strength = col("strength"), c_weakness = col("weakness"),
                c_reasons = col("reasons"), c_evidence = col("evidence"), c_rated_at = col("rated_at"),
                c_justification = col("justification");
      auto csv_where = [&](int line, const std::string& field, const std::string& message) {
        auto c = columns.find(field);
        // "value: value 'X' is ..." says the column twice; keep one.
        bool named = !field.empty() && message.compare(0, field.size() + 1, field + " ") == 0;
        return Diagnostic{name, "", line, c == columns.end() ? 1 : c->second,
                          (field.empty() || named ? "" : field + ": ") + message};
      };
      FastRatingCheck fast(ctx, Now());
      std::string first_assessment_line;
      int file_assessment_line = 0;
      std::string file_assessment;
      while (csv->Next(&row, &syntax)) {
        const size_t before = problems.size();
        if (row.fields.size() != csv_header.size()) {
          problems.push_back({name, "", row.line, static_cast<int>(std::min(row.fields.size(), csv_header.size())) + 1,
                              "expected " + std::to_string(csv_header.size()) + " fields, got " +
                                  std::to_string(row.fields.size())});
          note_problem();
          continue;
        }
        auto field = [&](int c) { return c < 0 ? std::string_view() : row.fields[static_cast<size_t>(c)]; };
        if (c_assessment >= 0) {
          std::string_view v = TrimView(field(c_assessment));
          if (!v.empty()) {
            if (file_assessment.empty()) {
              file_assessment = std::string(v);
              file_assessment_line = row.line;
            } else if (v != file_assessment) {
              problems.push_back({name, "", row.line, c_assessment + 1,
                                  "assessment " + Quote(std::string(v)) + " differs from " + Quote(file_assessment) +
                                      " on line " + std::to_string(file_assessment_line) +
                                      "; one file imports into one assessment"});
            }
          }
        }
        if (c_consolidated >= 0 && !IsBoolean(TrimView(field(c_consolidated))))
          problems.push_back({name, "", row.line, c_consolidated + 1,
                              "consolidated: expected true or false, got " +
                                  Quote(std::string(TrimView(field(c_consolidated))))});
        if (problems.size() != before) {
          note_problem();
          continue;
        }
        // The row's fields, as the slow path reads them.
        FastRatingCheck::Row in;
        in.instance = TrimView(field(c_instance));
        in.item = TrimView(field(c_item));
        in.value = TrimView(field(c_value));
        in.assessor = TrimView(field(c_assessor));
        in.process = TrimView(field(c_process));
        in.consolidated = c_consolidated >= 0 && IsTrue(TrimView(field(c_consolidated)));
        auto statement = [&](int c) { return TrimView(field(c)).empty() ? std::string_view() : field(c); };
        in.strength = statement(c_strength);
        in.weakness = statement(c_weakness);
        in.justification = statement(c_justification);
        in.reasons = field(c_reasons);
        in.evidence = field(c_evidence);
        in.rated_at = TrimView(field(c_rated_at));
        RatingFields f;
        Rating slow;  // holds the fields when the slow path is taken
        std::string slow_reasons, slow_evidence;
        if (!fast.Check(in, &f)) {
          json data;
          std::string key;
          std::vector<FieldProblem> fp;
          Prepare(ctx, K::kRating, CsvRating(row, csv_header), &data, &key, &fp);
          for (const FieldProblem& p : fp) problems.push_back(csv_where(row.line, p.field, p.status.message()));
          if (!fp.empty()) {
            note_problem();
            continue;
          }
          ASSAY_RETURN_IF_ERROR(FromJson(data, &slow));
          f = FieldsOf(ctx.assessment.id, slow, &slow_reasons, &slow_evidence);
        }
        if (!use_batch) {  // an old schema (migration tests only): one record per rating
          Rating r;
          ASSAY_RETURN_IF_ERROR(RatingOf(f, &r));
          json data = ToJson(r);
          std::string key = RatingKey(r);
          Status s = Apply(&ctx, kKindRating, key, data, ctx.rows[kKindRating].count(key) ? "update" : "create", write,
                           &wr);
          if (!s.ok()) {
            problems.push_back(csv_where(row.line, "", s.message()));
            continue;
          }
          count(wr);
          continue;
        }
        uint32_t dup = 0;
        Status s;
        add_rating(f, static_cast<uint32_t>(row.line), &dup, &s);
        if (dup) {
          problems.push_back(csv_where(row.line, "", "duplicate rating: the same instance, item and assessor as line " +
                                                         std::to_string(dup)));
          note_problem();
        } else if (!s.ok()) {
          problems.push_back(csv_where(row.line, "", s.message()));
          note_problem();
        }
      }
      if (csv->failed()) problems.push_back(syntax);
    }
    if (batch) {
      report->created += batch->created();
      report->updated += batch->updated();
      report->unchanged += batch->unchanged();
    }
    if (!problems.empty()) return fail();  // the transaction rolls back
    if (batch) {
      int64_t event = 0;
      ASSAY_RETURN_IF_ERROR(batch->Finish(name, Sha256Hex(input), &event));
    }
    if (final_status) {
      Assessment a = ctx.assessment;
      a.status = *final_status;
      ASSAY_RETURN_IF_ERROR(Apply(&ctx, kKindAssessment, a.id, ToJson(a), "status", write, &wr));
      count(wr);
    }
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
    std::vector<Rating> ratings;
    {
      SQLite::Transaction tx(*db_);
      ASSAY_RETURN_IF_ERROR(LoadContext(id, false, &ctx));
      for (const auto& [k, v] : ctx.scope) scope.push_back(v);
      SortScope(id, &scope);  // in the order scoped, as ReadSnapshot gives it
      ASSAY_RETURN_IF_ERROR(CurrentRatings(id, ctx, &ratings));
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
    json ratings_arr = json::array();
    for (const Rating& r : ratings) ratings_arr.push_back(ToJson(r));
    doc["ratings"] = ratings_arr;
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
