// Ratings in the typed `ratings` table (schema version 4): single writes,
// import batches with one digest-carrying event, reading and verifying.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "store/store_impl.h"

namespace assay {

namespace internal {

namespace {

using nlohmann::json;

constexpr const char* kInsertRating =
    "INSERT INTO ratings (row_id, assessment, instance, item, assessor, consolidated, process, item_kind, value, "
    "strength, weakness, reasons, evidence, rated_at, justification, supersedes, is_current, event_seq) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?)";

// Decimal digits of `n` (std::to_chars: no allocation, no locale).
template <typename Integer>
std::string_view Digits(Integer n, char (&buf)[24]) {
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  return std::string_view(buf, static_cast<size_t>(end - buf));
}

void AppendField(std::string* out, std::string_view v) {
  char buf[24];
  out->append(Digits(v.size(), buf));
  out->push_back(':');
  out->append(v);
}

}  // namespace

RatingFields FieldsFromColumns(sql::Statement& st, int first) {
  RatingFields f;
  f.assessment = st.Text(first);
  f.instance = st.Text(first + 1);
  f.item = st.Text(first + 2);
  f.assessor = st.Text(first + 3);
  f.consolidated = st.Int64(first + 4) != 0;
  f.process = st.Text(first + 5);
  f.item_kind = st.Text(first + 6);
  f.value = st.Text(first + 7);
  f.strength = st.Text(first + 8);
  f.weakness = st.Text(first + 9);
  f.reasons = st.Text(first + 10);
  f.evidence = st.Text(first + 11);
  f.rated_at = st.Text(first + 12);
  f.justification = st.Text(first + 13);
  return f;
}

// ---- Text forms ------------------------------------------------------------------

void AppendJsonText(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  // The bytes JSON escapes: controls, the quote and the backslash.
  static constexpr auto kEscaped = [] {
    std::array<bool, 256> t{};
    for (size_t c = 0; c < 0x20; ++c) t[c] = true;
    t[static_cast<unsigned char>('"')] = t[static_cast<unsigned char>('\\')] = true;
    return t;
  }();
  out->push_back('"');
  size_t plain = 0;  // start of the run not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!kEscaped[c]) continue;
    out->append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + plain, s.size() - plain);
  out->push_back('"');
}

std::string RatingKeyText(std::string_view instance, std::string_view item, std::string_view assessor) {
  std::string out;
  out.reserve(instance.size() + item.size() + assessor.size() + 10);
  out.push_back('[');
  AppendJsonText(&out, instance);
  out.push_back(',');
  AppendJsonText(&out, item);
  out.push_back(',');
  AppendJsonText(&out, assessor);
  out.push_back(']');
  return out;
}

void AppendJsonList(std::string* out, const std::vector<std::string_view>& list) {
  if (list.empty()) return;
  out->push_back('[');
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonText(out, list[i]);
  }
  out->push_back(']');
}

std::string JsonListText(const std::vector<std::string>& list) {
  std::vector<std::string_view> views(list.begin(), list.end());
  std::string out;
  AppendJsonList(&out, views);
  return out;
}

bool ParseJsonList(std::string_view text, std::vector<std::string>* out) {
  out->clear();
  if (text.empty()) return true;
  // The form written by AppendJsonList without escapes: ["a","b"].
  if (text.find('\\') == std::string_view::npos && text.size() >= 4 && text.front() == '[' && text.back() == ']' &&
      text[1] == '"' && text[text.size() - 2] == '"') {
    std::string_view body = text.substr(2, text.size() - 4);
    bool ok = true;
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      size_t sep = body.find("\",\"", start);
      std::string_view part = body.substr(start, sep == std::string_view::npos ? std::string_view::npos : sep - start);
      if (part.find('"') != std::string_view::npos) {
        ok = false;
        break;
      }
      parts.emplace_back(part);
      if (sep == std::string_view::npos) break;
      start = sep + 3;
    }
    if (ok) {
      *out = std::move(parts);
      return true;
    }
  }
  try {
    json j = json::parse(text);
    if (!j.is_array()) return false;
    for (const json& e : j) {
      if (!e.is_string()) return false;
      out->push_back(e.get<std::string>());
    }
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void AppendRowContent(std::string* out, int64_t row, const RatingFields& f, int64_t supersedes) {
  char buf[24];
  AppendField(out, Digits(row, buf));
  AppendField(out, f.assessment);
  AppendField(out, f.instance);
  AppendField(out, f.item);
  AppendField(out, f.assessor);
  AppendField(out, f.consolidated ? "1" : "0");
  AppendField(out, f.process);
  AppendField(out, f.item_kind);
  AppendField(out, f.value);
  AppendField(out, f.strength);
  AppendField(out, f.weakness);
  AppendField(out, f.reasons);
  AppendField(out, f.evidence);
  AppendField(out, f.rated_at);
  AppendField(out, f.justification);
  AppendField(out, supersedes ? Digits(supersedes, buf) : std::string_view());
}

RatingFields FieldsOf(const std::string& assessment, const Rating& r, std::string* reasons, std::string* evidence) {
  *reasons = JsonListText(r.reasons);
  *evidence = JsonListText(r.evidence);
  RatingFields f;
  f.assessment = assessment;
  f.instance = r.instance;
  f.item = r.item;
  f.assessor = r.consolidated ? std::string_view() : std::string_view(r.assessor);
  f.consolidated = r.consolidated;
  f.process = r.process;
  f.item_kind = ItemKindName(r.item_kind);
  f.value = r.value;
  f.strength = r.strength;
  f.weakness = r.weakness;
  f.reasons = *reasons;
  f.evidence = *evidence;
  f.rated_at = r.rated_at;
  f.justification = r.justification;
  return f;
}

Status RatingOf(const RatingFields& f, Rating* r) {
  // Every field is assigned below but these two (no temporary Rating: this
  // runs once per rating of a snapshot).
  r->id = 0;
  r->outside_scope = false;
  r->instance = f.instance;
  r->item = f.item;
  r->assessor = f.assessor;
  r->consolidated = f.consolidated;
  r->process = f.process;
  if (Status s = ParseItemKind(f.item_kind, &r->item_kind); !s.ok()) return s.Reworded("item_kind: " + s.message());
  r->value = f.value;
  r->strength = f.strength;
  r->weakness = f.weakness;
  if (!ParseJsonList(f.reasons, &r->reasons)) return Status::InvalidInput("reasons: not a JSON array of strings");
  if (!ParseJsonList(f.evidence, &r->evidence)) return Status::InvalidInput("evidence: not a JSON array of strings");
  r->rated_at = f.rated_at;
  r->justification = f.justification;
  return Status::OK();
}

bool SameRatingContent(const RatingFields& a, const RatingFields& b) {
  return a.instance == b.instance && a.item == b.item && a.assessor == b.assessor &&
         a.consolidated == b.consolidated && a.process == b.process && a.item_kind == b.item_kind &&
         a.value == b.value && a.strength == b.strength && a.weakness == b.weakness && a.reasons == b.reasons &&
         a.evidence == b.evidence && a.justification == b.justification;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::Update(std::string_view bytes) {
  if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("SHA-256 failed");
}

std::string Sha256::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &len) != 1) throw std::runtime_error("SHA-256 failed");
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

// ---- Writing ---------------------------------------------------------------------

void SqlWorkspace::NextRowAndEvent(int64_t* row, int64_t* seq, std::string* prev_hash) {
  sql::Statement& head = Cached(&st_head_, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
  if (head.Step()) {
    *seq = head.Int64(0) + 1;
    *prev_hash = head.String(1);
  } else {
    *seq = 1;
    prev_hash->clear();
  }
  head.Reset();
  // Rows of records, ratings (schema 4) and audit_records (schema 9) share
  // one sequence of IDs (events name them).
  sql::Statement& max_row = Cached(
      &st_max_row_, version_ >= 9   ? "SELECT (SELECT coalesce(max(row_id), 0) FROM records), "
                                      "(SELECT coalesce(max(row_id), 0) FROM ratings), "
                                      "(SELECT coalesce(max(row_id), 0) FROM audit_records)"
                    : version_ >= 4 ? "SELECT (SELECT coalesce(max(row_id), 0) FROM records), "
                                      "(SELECT coalesce(max(row_id), 0) FROM ratings), 0"
                                    : "SELECT coalesce(max(row_id), 0), 0, 0 FROM records");
  max_row.Step();
  *row = std::max({max_row.Int64(0), max_row.Int64(1), max_row.Int64(2)}) + 1;
  max_row.Reset();
}

void SqlWorkspace::InsertEvent(Event* e) {
  Authorize(*e);  // with accounts: throws PermissionError
  e->hash = EventHash(*e);
  sql::Statement& ins = Cached(&st_event_,
                                  "INSERT INTO events (seq, at, actor, assessment, action, entity, entity_id, row_id, "
                                  "before_json, after_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  ins.Bind(1, e->seq);
  ins.Bind(2, e->at);
  ins.Bind(3, e->actor);
  ins.Bind(4, e->assessment);
  ins.Bind(5, e->action);
  ins.Bind(6, e->entity);
  ins.Bind(7, e->entity_id);
  ins.Bind(8, e->row);
  if (e->before.empty())
    ins.BindNull(9);
  else
    ins.BindNoCopy(9, e->before);
  ins.BindNoCopy(10, e->after);
  ins.Bind(11, e->prev_hash);
  ins.Bind(12, e->hash);
  ins.Exec();
}

void SqlWorkspace::InsertRating(int64_t row, const RatingFields& f, int64_t supersedes, int64_t event_seq) {
  if (supersedes) {
    if (!st_rating_supersede_)
      st_rating_supersede_ =
          std::make_unique<sql::Statement>(*db_, "UPDATE ratings SET is_current = 0, superseded_by = ? WHERE row_id = ?",
                                           true);
    sql::Statement& up = *st_rating_supersede_;
    up.Reset();
    up.Bind(1, row);
    up.Bind(2, supersedes);
    up.Exec();
  }
  if (!raw_insert_) raw_insert_ = std::make_unique<sql::Statement>(*db_, kInsertRating, true);
  sql::Statement& ins = *raw_insert_;
  ins.Bind(1, row);
  ins.BindNoCopy(2, f.assessment);
  ins.BindNoCopy(3, f.instance);
  ins.BindNoCopy(4, f.item);
  ins.BindNoCopy(5, f.assessor);
  ins.Bind(6, f.consolidated ? 1 : 0);
  ins.BindNoCopyOrNull(7, f.process);
  ins.BindNoCopyOrNull(8, f.item_kind);
  ins.BindNoCopy(9, f.value);
  ins.BindNoCopyOrNull(10, f.strength);
  ins.BindNoCopyOrNull(11, f.weakness);
  ins.BindNoCopyOrNull(12, f.reasons);
  ins.BindNoCopyOrNull(13, f.evidence);
  ins.BindNoCopyOrNull(14, f.rated_at);
  ins.BindNoCopyOrNull(15, f.justification);
  if (supersedes)
    ins.Bind(16, supersedes);
  else
    ins.BindNull(16);
  ins.Bind(17, event_seq);
  ins.Step();
  ins.Reset();
}

bool SqlWorkspace::FindCurrentRating(const std::string& assessment, std::string_view instance, std::string_view item,
                                      std::string_view assessor, int64_t* row, Rating* rating) {
  if (!raw_current_)
    raw_current_ = std::make_unique<sql::Statement>(
        *db_, std::string("SELECT row_id, ") + kRatingColumns +
                  " FROM ratings WHERE assessment = ? AND instance = ? AND item = ? AND assessor = ? AND is_current = 1",
        true);
  sql::Statement& q = *raw_current_;
  q.BindNoCopy(1, assessment);
  q.BindNoCopy(2, instance);
  q.BindNoCopy(3, item);
  q.BindNoCopy(4, assessor);
  bool found = q.Step();
  if (found) {
    *row = q.Int64(0);
    Status s = RatingOf(FieldsFromColumns(q, 1), rating);
    rating->id = *row;
    if (!s.ok()) {
      q.Reset();
      throw std::runtime_error(path_ + ": rating row " + std::to_string(*row) + ": " + s.message());
    }
  }
  q.Reset();
  return found;
}

Status SqlWorkspace::CheckRatingVersion(const std::string& assessment, const Rating& rating, int64_t expected) {
  if (version_ < 4) return Status::Unsupported(path_ + ": a rating write at a version needs workspace schema 4 or later");
  const std::string_view assessor = rating.consolidated ? std::string_view() : std::string_view(rating.assessor);
  int64_t row = 0;
  Rating current;
  const bool found = FindCurrentRating(assessment, rating.instance, rating.item, assessor, &row, &current);
  const int64_t version = found && current.value != kWithdrawnValue ? row : 0;
  if (version == expected) return Status::OK();
  const std::string who = rating.consolidated ? "the team" : rating.assessor;
  return Status::Conflict("the rating of " + rating.item + " in " + rating.instance + " by " + who + " is at version " +
                          std::to_string(version) + ", not " + std::to_string(expected) +
                          " (changed elsewhere meanwhile); nothing was written")
      .About("rating", std::to_string(version), {}, "conflict");
}

bool SqlWorkspace::ReadRatingRow(int64_t row, std::string* assessment, Rating* rating, int64_t* supersedes) {
  if (!raw_row_)
    raw_row_ = std::make_unique<sql::Statement>(
        *db_, std::string("SELECT ") + kRatingColumns + ", supersedes FROM ratings WHERE row_id = ?", true);
  sql::Statement& q = *raw_row_;
  q.Bind(1, row);
  bool found = q.Step();
  Status s;
  if (found) {
    RatingFields f = FieldsFromColumns(q, 0);
    *assessment = std::string(f.assessment);
    s = RatingOf(f, rating);
    rating->id = row;
    *supersedes = q.Int64(14);
  }
  q.Reset();
  if (!s.ok()) throw std::runtime_error(path_ + ": rating row " + std::to_string(row) + ": " + s.message());
  return found;
}

namespace {

// The columns SnapshotOptions::results_only reads, after row_id.
constexpr const char* kResultsColumns = "instance, item, assessor, consolidated, process, item_kind, value";

// A rating of kResultsColumns from column 1 on.
Status ResultsRatingOf(sql::Statement& q, Rating* r) {
  r->instance = q.Text(1);
  r->item = q.Text(2);
  r->assessor = q.Text(3);
  r->consolidated = q.Int64(4) != 0;
  r->process = q.Text(5);
  const std::string_view kind = q.Text(6);
  if (Status s = ParseItemKind(kind, &r->item_kind); !s.ok()) return s.Reworded("item_kind: " + s.message());
  r->value = q.Text(7);
  return Status::OK();
}

}  // namespace

Status SqlWorkspace::ReadCurrentRatings(const std::string& assessment, std::vector<Rating>* out, int64_t at_seq,
                                       bool results_only) {
  out->clear();
  sql::Statement q(*db_, (std::string("SELECT row_id, ") + (results_only ? kResultsColumns : kRatingColumns) +
                                    " FROM ratings r WHERE assessment = ?1 AND value <> 'withdrawn' AND " +
                                    (at_seq > 0 ? kRatingVersionAtSeq : "is_current = 1") +
                                    " ORDER BY instance, item, assessor")
                                       .c_str());
  q.BindNoCopy(1, assessment);
  if (at_seq > 0) q.Bind(2, at_seq);
  {
    // Room for the current ratings (from the index alone); at an earlier
    // log position a guess.
    sql::Statement n(*db_, "SELECT count(*) FROM ratings WHERE assessment = ?1 AND is_current = 1");
    n.BindNoCopy(1, assessment);
    if (n.Step()) out->reserve(static_cast<size_t>(n.Int64(0)));
  }
  while (q.Step()) {
    Rating& r = out->emplace_back();
    const int64_t row = q.Int64(0);
    Status s = results_only ? ResultsRatingOf(q, &r) : RatingOf(FieldsFromColumns(q, 1), &r);
    if (!s.ok()) return Status::Corruption(path_ + ": rating row " + std::to_string(row) + ": " + s.message());
    r.id = row;
  }
  // The order of RatingKey (JSON text), as the records were ordered before
  // schema version 4. It equals the column order unless an ID holds a
  // character below '"' or one that JSON escapes.
  auto plain = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) > '"' && c != '\\'; });
  };
  bool simple = std::all_of(out->begin(), out->end(), [&](const Rating& r) {
    return plain(r.instance) && plain(r.item) && plain(r.assessor);
  });
  if (!simple) {
    std::vector<std::pair<std::string, size_t>> keys;
    for (size_t i = 0; i < out->size(); ++i)
      keys.emplace_back(RatingKeyText((*out)[i].instance, (*out)[i].item, (*out)[i].assessor), i);
    std::sort(keys.begin(), keys.end());
    std::vector<Rating> sorted;
    sorted.reserve(out->size());
    for (const auto& [k, i] : keys) sorted.push_back(std::move((*out)[i]));
    *out = std::move(sorted);
  }
  return Status::OK();
}

Status SqlWorkspace::ApplyRating(Context* ctx, const Rating& rating, bool write, WriteResult* result) {
  const std::string& assessment = ctx->assessment.id;
  if (version_ < 4) {  // a record row (schema versions before 4)
    std::string key = RatingKey(rating);
    ASSAY_RETURN_IF_ERROR(Apply(ctx, kKindRating, key, Canonical(ToJson(rating)),
                                ctx->rows[kKindRating].count(key) ? "update" : "create", write, result));
    ctx->ratings[key] = rating;
    return Status::OK();
  }
  *result = WriteResult();
  std::string reasons, evidence;
  RatingFields f = FieldsOf(assessment, rating, &reasons, &evidence);
  int64_t old_row = 0;
  Rating old;
  const bool has_old = FindCurrentRating(assessment, f.instance, f.item, f.assessor, &old_row, &old);
  if (has_old) {
    std::string old_reasons, old_evidence;
    RatingFields of = FieldsOf(assessment, old, &old_reasons, &old_evidence);
    if (SameRatingContent(of, f)) {  // a rating given again with only a new time
      result->kind = WriteResult::Kind::kUnchanged;
      result->row = old_row;
      return Status::OK();
    }
  }
  ASSAY_RETURN_IF_ERROR(CheckNotFrozen(ctx->assessment));
  result->kind = has_old ? WriteResult::Kind::kUpdated : WriteResult::Kind::kCreated;
  int64_t new_row = 0;
  if (write) {
    Event e;
    NextRowAndEvent(&new_row, &e.seq, &e.prev_hash);
    e.at = origin_ ? origin_->at : Now();
    e.actor = origin_ ? origin_->actor : options_.actor;
    e.assessment = assessment;
    e.action = origin_ && !origin_->action.empty() ? origin_->action : has_old ? "update" : "create";
    e.entity = kKindRating;
    e.entity_id = RatingKeyText(f.instance, f.item, f.assessor);
    e.row = new_row;
    e.before = has_old ? Canonical(ToJson(old)) : std::string();
    e.after = Canonical(ToJson(rating));  // the one encoding of the new rating
    InsertEvent(&e);
    InsertRating(new_row, f, has_old ? old_row : 0, e.seq);
    result->event = e.seq;
  }
  result->row = new_row;
  return Status::OK();
}

// ---- Import batches ----------------------------------------------------------------

RatingBatch::RatingBatch(SqlWorkspace* w, Context* ctx, bool write) : w_(w), ctx_(ctx), write_(write) {}

RatingBatch::~RatingBatch() = default;

uint32_t RatingBatch::Intern(int which, std::string_view s) {
  auto& ids = ids_[which];
  auto it = ids.find(s);
  if (it != ids.end()) return it->second;
  storage_.push_back(std::make_unique<std::string>(s));
  uint32_t id = static_cast<uint32_t>(ids.size());
  ids.emplace(*storage_.back(), id);
  return id;
}

uint64_t RatingBatch::Key(std::string_view instance, std::string_view item, std::string_view assessor) {
  uint64_t i = Intern(0, instance), t = Intern(1, item), a = Intern(2, assessor);
  if (i >= (1u << 24) || t >= (1u << 20) || a >= (1u << 20))
    throw std::runtime_error("too many distinct instances, items or assessors in one import");
  return ((i << 40) | (t << 20) | a) + 1;  // never 0 (an empty slot)
}

Status RatingBatch::Begin() {
  began_ = true;
  digest_ = std::make_unique<Sha256>();
  seen_keys_.assign(1024, 0);
  seen_where_.assign(1024, 0);
  sql::Statement q(w_->db(),
                      "SELECT row_id, instance, item, assessor FROM ratings WHERE assessment = ? AND is_current = 1");
  q.Bind(1, ctx_->assessment.id);
  while (q.Step())
    existing_[Key(q.Text(1), q.Text(2), q.Text(3))] =
        q.Int64(0);
  if (write_) {
    w_->NextRowAndEvent(&first_row_, &seq_, &prev_hash_);
    next_row_ = first_row_;
  }
  return Status::OK();
}

namespace {
// A slot for `key` in a table of mask + 1 slots (splitmix64's finalizer:
// every bit of the key moves every bit of the slot).
size_t Slot(uint64_t key, size_t mask) {
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ull;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebull;
  key ^= key >> 31;
  return static_cast<size_t>(key) & mask;
}
}  // namespace

Status RatingBatch::Add(const RatingFields& f, uint32_t where, WriteResult::Kind* kind, uint32_t* duplicate_of) {
  *duplicate_of = 0;
  const uint64_t key = Key(f.instance, f.item, f.assessor);
  // Seen in this batch? (open addressing, linear probing, load <= 1/2)
  if (2 * (seen_count_ + 1) > seen_keys_.size()) {
    std::vector<uint64_t> keys(seen_keys_.size() * 2, 0);
    std::vector<uint32_t> wh(keys.size(), 0);
    const size_t mask = keys.size() - 1;
    for (size_t i = 0; i < seen_keys_.size(); ++i) {
      if (!seen_keys_[i]) continue;
      size_t h = Slot(seen_keys_[i], mask);
      while (keys[h]) h = (h + 1) & mask;
      keys[h] = seen_keys_[i];
      wh[h] = seen_where_[i];
    }
    seen_keys_.swap(keys);
    seen_where_.swap(wh);
  }
  const size_t mask = seen_keys_.size() - 1;
  size_t h = Slot(key, mask);
  while (seen_keys_[h]) {
    if (seen_keys_[h] == key) {
      *duplicate_of = seen_where_[h];
      return Status::OK();
    }
    h = (h + 1) & mask;
  }
  seen_keys_[h] = key;
  seen_where_[h] = where;
  ++seen_count_;

  int64_t old_row = 0;
  if (!existing_.empty()) {
    auto it = existing_.find(key);
    if (it != existing_.end()) {
      old_row = it->second;
      std::string assessment;
      Rating old;
      int64_t sup = 0;
      if (!w_->ReadRatingRow(old_row, &assessment, &old, &sup))
        return Status::Corruption(w_->path() + ": current rating row " + std::to_string(old_row) + " vanished");
      std::string reasons, evidence;
      if (SameRatingContent(FieldsOf(assessment, old, &reasons, &evidence), f)) {
        *kind = WriteResult::Kind::kUnchanged;
        ++unchanged_;
        return Status::OK();
      }
    }
  }
  ASSAY_RETURN_IF_ERROR(CheckNotFrozen(ctx_->assessment));
  if (old_row) {
    *kind = WriteResult::Kind::kUpdated;
    ++updated_;
  } else {
    *kind = WriteResult::Kind::kCreated;
    ++created_;
  }
  if (write_) {
    const int64_t row = next_row_++;
    w_->InsertRating(row, f, old_row, seq_);
    row_buf_.clear();
    AppendRowContent(&row_buf_, row, f, old_row);
    digest_->Update(row_buf_);
  }
  return Status::OK();
}

Status RatingBatch::Finish(const std::string& source_name, const std::string& source_sha256, int64_t* event) {
  *event = 0;
  if (!began_ || !write_ || next_row_ == first_row_) return Status::OK();
  // The name as valid UTF-8 (a file name may hold any bytes).
  const std::string name = json::parse(json(source_name).dump(-1, ' ', false, json::error_handler_t::replace))
                               .get<std::string>();
  json after = {{"count", next_row_ - first_row_},
                {"created", created_},
                {"updated", updated_},
                {"unchanged", unchanged_},
                {"digest", digest_->HexDigest()},
                {"first_row", first_row_},
                {"last_row", next_row_ - 1},
                {"source", {{"name", name}, {"sha256", source_sha256}}}};
  Event e;
  e.seq = seq_;
  e.prev_hash = prev_hash_;
  e.at = w_->Now();
  e.actor = w_->options().actor;
  e.assessment = ctx_->assessment.id;
  e.action = "import";
  e.entity = kKindRating;
  e.entity_id = name;
  e.row = first_row_;
  e.after = Canonical(after);
  w_->InsertEvent(&e);
  *event = seq_;
  return Status::OK();
}

// ---- Verifying -----------------------------------------------------------------------

// The rows of one import batch, as VerifyLog reads them.
struct BatchDigest {
  std::unique_ptr<Sha256> digest = std::make_unique<Sha256>();
  int64_t count = 0;
};

void VerifyBatches(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, BatchDigest>* batches,
                   std::map<int64_t, std::string>* bad);

Status SqlWorkspace::VerifyRatings(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
                                    int64_t* rows_checked, std::vector<int64_t>* rating_rows) {
  auto flag = [bad](int64_t seq, std::string msg) { bad->emplace(seq, std::move(msg)); };
  struct Link {
    int64_t row, supersedes, superseded_by, event_seq;
    bool current;
  };
  std::vector<Link> links;
  std::map<int64_t, BatchDigest> batches;
  std::string buf;
  sql::Statement q(*db_, (std::string("SELECT row_id, ") + kRatingColumns +
                                    ", supersedes, superseded_by, is_current, event_seq FROM ratings ORDER BY row_id")
                                       .c_str());
  while (q.Step()) {
    const int64_t row = q.Int64(0);
    const RatingFields f = FieldsFromColumns(q, 1);
    const bool has_sup = !q.IsNull(15);
    const bool has_sby = !q.IsNull(16);
    Link link{row, has_sup ? q.Int64(15) : 0, has_sby ? q.Int64(16) : 0, q.Int64(18), q.Int64(17) != 0};
    links.push_back(link);
    rating_rows->push_back(row);
    ++*rows_checked;
    const std::string key = RatingKeyText(f.instance, f.item, f.assessor);
    const std::string where = "record row " + std::to_string(row) + " (rating " + key + ")";
    auto ev = by_seq.find(link.event_seq);
    if (ev == by_seq.end()) {
      flag(link.event_seq, "event " + std::to_string(link.event_seq) + " that wrote " + where + " is missing");
      continue;
    }
    const Event& e = *ev->second;
    if (e.action == "import" && e.entity == kKindRating) {
      BatchDigest& b = batches[e.seq];
      buf.clear();
      AppendRowContent(&buf, row, f, link.supersedes);
      b.digest->Update(buf);
      ++b.count;
      continue;
    }
    if (e.row != row || e.entity != kKindRating || e.entity_id != key || e.assessment != f.assessment) {
      flag(e.seq, where + " does not match event " + std::to_string(e.seq));
      continue;
    }
    Rating r;
    if (!RatingOf(f, &r).ok() || Canonical(ToJson(r)) != e.after) {
      flag(e.seq, where + " was changed after event " + std::to_string(e.seq) + " wrote it");
      continue;
    }
    std::string before;
    if (has_sup) {
      std::string assessment;
      Rating old;
      int64_t sup = 0;
      bool found = false;
      try {
        found = ReadRatingRow(link.supersedes, &assessment, &old, &sup);
      } catch (const std::runtime_error&) {
        found = true;  // unreadable: the comparison below fails
      }
      if (!found) {
        flag(e.seq, where + " supersedes row " + std::to_string(link.supersedes) + ", which is missing");
        continue;
      }
      before = Canonical(ToJson(old));
    }
    if (e.before != before)
      flag(e.seq, where + ": the version it supersedes does not match event " + std::to_string(e.seq));
  }
  // Supersession links (rows come in row order, so links is sorted).
  auto find = [&links](int64_t row) -> const Link* {
    auto it = std::lower_bound(links.begin(), links.end(), row, [](const Link& l, int64_t r) { return l.row < r; });
    return it != links.end() && it->row == row ? &*it : nullptr;
  };
  for (const Link& l : links) {
    const std::string where = "rating row " + std::to_string(l.row);
    if (l.supersedes) {
      const Link* old = find(l.supersedes);
      if (!old)
        flag(l.event_seq, where + " supersedes row " + std::to_string(l.supersedes) + ", which is missing");
      else if (old->superseded_by != l.row)
        flag(l.event_seq, "rating row " + std::to_string(l.supersedes) + " is not marked as superseded by row " +
                              std::to_string(l.row));
    }
    if (l.current == (l.superseded_by != 0)) flag(l.event_seq, where + ": its current flag does not match its superseded_by");
    if (l.superseded_by) {
      const Link* next = find(l.superseded_by);
      if (!next || next->supersedes != l.row)
        flag(l.event_seq, where + " is marked superseded by row " + std::to_string(l.superseded_by) +
                              ", which does not supersede it");
    }
  }
  VerifyBatches(by_seq, &batches, bad);
  return Status::OK();
}

// Each import event against the rows that carry its seq.
void VerifyBatches(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, BatchDigest>* batches,
                   std::map<int64_t, std::string>* bad) {
  auto flag = [bad](int64_t seq, std::string msg) { bad->emplace(seq, std::move(msg)); };
  for (const auto& [seq, e] : by_seq) {
    if (e->action != "import" || e->entity != kKindRating) continue;
    int64_t count = -1;
    std::string digest;
    try {
      json after = json::parse(e->after);
      count = after.at("count").get<int64_t>();
      digest = after.at("digest").get<std::string>();
    } catch (const std::exception&) {
      flag(seq, "import event " + std::to_string(seq) + " does not say what it wrote (count, digest)");
      continue;
    }
    auto b = batches->find(seq);
    const int64_t have = b == batches->end() ? 0 : b->second.count;
    if (have != count) {
      flag(seq, "import event " + std::to_string(seq) + " wrote " + std::to_string(count) + " rating rows, but " +
                    std::to_string(have) + " carry its seq (rows were deleted or inserted)");
      continue;
    }
    std::string got = b == batches->end() ? Sha256().HexDigest() : b->second.digest->HexDigest();
    if (got != digest)
      flag(seq, "the rating rows written by import event " + std::to_string(seq) +
                    " were changed after it wrote them (digest mismatch)");
  }
}

}  // namespace internal

}  // namespace assay
