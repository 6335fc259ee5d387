// The JSON export of an assessment (the import format) and its SHA-256, the
// snapshot hash of reports, written by one streaming encoder.
//
// The text is nlohmann::json::dump(2) of the document that ToJson builds
// (keys sorted, two-space indent, UTF-8 copied as is), byte for byte: the
// hashes that reports and signatures carry depend on it. The few records of
// the skeleton still go through ToJson and dump; the ratings, nearly all of
// the text, are encoded directly, without building a JSON tree each.
#include <string>
#include <string_view>

#include "assay/text.h"
#include "store/store_impl.h"

namespace assay {

namespace internal {

namespace {

using nlohmann::json;

constexpr const char* kExportFormat = "assay-assessment/1";
// Text is handed to the sink in pieces of about this size.
constexpr size_t kChunk = 64 * 1024;

// Where the encoder's text goes: appended to a string, or hashed.
class ExportSink {
 public:
  virtual ~ExportSink() = default;
  virtual void Take(std::string_view text) = 0;
};

class StringSink final : public ExportSink {
 public:
  explicit StringSink(std::string* out) : out_(out) {}
  void Take(std::string_view text) override { out_->append(text); }

 private:
  std::string* out_;
};

class HashSink final : public ExportSink {
 public:
  void Take(std::string_view text) override { sha_.Update(text); }
  std::string HexDigest() { return sha_.HexDigest(); }

 private:
  Sha256 sha_;
};

// `text` (a dump at indent 0) as it reads nested `indent` spaces deep: a
// dump's only raw line feeds are its own (a string's are escaped).
void AppendIndented(std::string* out, const std::string& text, size_t indent) {
  size_t from = 0;
  for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
    out->append(text, from, nl + 1 - from);
    out->append(indent, ' ');
    from = nl + 1;
  }
  out->append(text, from, std::string::npos);
}

void AppendDump(std::string* out, const json& j, size_t indent) {
  AppendIndented(out, j.dump(2, ' ', false, json::error_handler_t::strict), indent);
}

bool AllUtf8(const Rating& r) {
  for (const std::string* s : {&r.instance, &r.item, &r.assessor, &r.process, &r.value, &r.strength, &r.weakness,
                               &r.rated_at, &r.justification})
    if (!IsValidUtf8(*s)) return false;
  for (const auto* list : {&r.reasons, &r.evidence})
    for (const std::string& s : *list)
      if (!IsValidUtf8(s)) return false;
  return true;
}

// One rating as an element of the "ratings" array (4 spaces deep): what
// AppendDump(ToJson(r), 4) writes, keys in sorted order, empty strings and
// lists left out as ToJson leaves them out.
void AppendRating(std::string* out, const Rating& r) {
  if (!AllUtf8(r)) {  // nlohmann names the bad byte (EncodeExport's Corruption)
    AppendDump(out, ToJson(r), 4);
    return;
  }
  bool first = true;
  auto key = [&](const char* name) {
    out->append(first ? "{\n      \"" : ",\n      \"");
    first = false;
    out->append(name);
    out->append("\": ");
  };
  auto text = [&](const char* name, const std::string& v) {
    key(name);
    AppendJsonText(out, v);
  };
  auto optional = [&](const char* name, const std::string& v) {
    if (!v.empty()) text(name, v);
  };
  auto list = [&](const char* name, const std::vector<std::string>& v) {
    if (v.empty()) return;
    key(name);
    for (size_t i = 0; i < v.size(); ++i) {
      out->append(i ? ",\n        " : "[\n        ");
      AppendJsonText(out, v[i]);
    }
    out->append("\n      ]");
  };
  optional("assessor", r.assessor);
  if (r.consolidated) {
    key("consolidated");
    out->append("true");
  }
  list("evidence", r.evidence);
  text("instance", r.instance);
  text("item", r.item);
  text("item_kind", ItemKindName(r.item_kind));
  optional("justification", r.justification);
  optional("process", r.process);
  optional("rated_at", r.rated_at);
  list("reasons", r.reasons);
  optional("strength", r.strength);
  text("value", r.value);
  optional("weakness", r.weakness);
  out->append("\n    }");
}

// The document's members in sorted key order, each record handed to the
// sink as soon as a chunk is full.
class ExportEncoder {
 public:
  explicit ExportEncoder(ExportSink* sink) : sink_(sink) { buf_.reserve(kChunk + 4096); }

  void Encode(const AssessmentData& data) {
    buf_.append("{\n  \"assessment\": ");
    AppendDump(&buf_, ToJson(data.assessment), 2);
    Section("evidence", data.evidence);
    buf_.append(",\n  \"format\": ");
    AppendJsonText(&buf_, kExportFormat);
    Section("instances", data.instances);
    Section("interviews", data.interviews);
    Section("people", data.people);
    Section("ratings", data.ratings);
    Section("scope", data.scope);
    Section("units", data.units);
    buf_.append("\n}\n");
    sink_->Take(buf_);
    buf_.clear();
  }

 private:
  template <typename R>
  void Section(const char* name, const std::vector<R>& records) {
    buf_.append(",\n  \"");
    buf_.append(name);
    buf_.append("\": ");
    if (records.empty()) {
      buf_.append("[]");
      return;
    }
    for (size_t i = 0; i < records.size(); ++i) {
      buf_.append(i ? ",\n    " : "[\n    ");
      if constexpr (std::is_same_v<R, Rating>)
        AppendRating(&buf_, records[i]);
      else
        AppendDump(&buf_, ToJson(records[i]), 4);
      if (buf_.size() >= kChunk) {
        sink_->Take(buf_);
        buf_.clear();
      }
    }
    buf_.append("\n  ]");
  }

  ExportSink* sink_;
  std::string buf_;
};

Status NotUtf8(const std::string& path, const json::exception& e) {
  return Status::Corruption(path + ": stored text is not valid UTF-8 (" + e.what() +
                            "); the file was changed outside assay");
}

}  // namespace

Status EncodeExport(const std::string& path, const AssessmentData& data, std::string* out) {
  try {
    *out = ExportJson(data);
    return Status::OK();
  } catch (const json::exception& e) {
    return NotUtf8(path, e);
  }
}

Status ExportDigest(const std::string& path, const AssessmentData& data, std::string* sha256) {
  try {
    HashSink sink;
    ExportEncoder(&sink).Encode(data);
    *sha256 = sink.HexDigest();
    return Status::OK();
  } catch (const json::exception& e) {
    return NotUtf8(path, e);
  }
}

}  // namespace internal

std::string ExportJson(const AssessmentData& data) {
  std::string out;
  internal::StringSink sink(&out);
  internal::ExportEncoder(&sink).Encode(data);
  return out;
}

}  // namespace assay
