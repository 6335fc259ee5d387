#include "util/json_input.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "assay/text.h"
#include "assay/json_schema.h"
#include "util/schemas.h"

namespace assay::internal {

namespace {

using nlohmann::json;

// Thrown from the parser callback to stop parsing.
struct StopParse {
  std::string pointer;
  std::string message;
};

// Tracks the JSON pointer of the parser's position, to name duplicate keys,
// too-deep nesting and too-long strings.
class PathTracker {
 public:
  explicit PathTracker(const JsonLimits& limits) : max_depth_(limits.max_depth), max_string_(limits.max_string) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        CountElement();
        if (static_cast<int>(frames_.size()) >= max_depth_)
          throw StopParse{Pointer(), "nesting deeper than " + std::to_string(max_depth_) + " levels"};
        frames_.push_back(Frame{event == json::parse_event_t::array_start, -1, {}, {}});
        break;
      case json::parse_event_t::key: {
        Frame& f = frames_.back();
        const std::string& key = parsed.get_ref<const std::string&>();
        if (key.size() > max_string_) {
          f.key.clear();
          throw StopParse{ParentPointer(), "object key is " + std::to_string(key.size()) +
                                               " bytes long; the limit is " + std::to_string(max_string_)};
        }
        f.key = key;
        if (!f.keys.insert(f.key).second)
          throw StopParse{Pointer(), "duplicate key \"" + f.key + "\" in one object"};
        break;
      }
      case json::parse_event_t::value:
        CountElement();
        if (parsed.is_string() && parsed.get_ref<const std::string&>().size() > max_string_)
          throw StopParse{Pointer(), "string is " + std::to_string(parsed.get_ref<const std::string&>().size()) +
                                         " bytes long; the limit is " + std::to_string(max_string_)};
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
    }
    return true;
  }

  // The pointer of the element the parser is reading now, before its value
  // event: the next index of an array, or the key just read of an object.
  std::string PendingPointer() const {
    if (frames_.empty()) return "";
    std::string p = ParentPointer() + "/";
    const Frame& f = frames_.back();
    return p + (f.array ? std::to_string(f.index + 1) : JsonPointerToken(f.key));
  }

 private:
  struct Frame {
    bool array;
    long index;
    std::string key;
    std::set<std::string> keys;
  };

  void CountElement() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }

  // The pointer of the current element: the innermost frame's index or key.
  std::string Pointer() const { return PointerOf(frames_.size()); }
  // The pointer of the innermost array or object itself ("" for the root).
  std::string ParentPointer() const { return frames_.empty() ? "" : PointerOf(frames_.size() - 1); }

  std::string PointerOf(size_t levels) const {
    std::string p;
    for (size_t i = 0; i < levels; ++i) {
      const Frame& f = frames_[i];
      p += '/';
      p += f.array ? std::to_string(f.index < 0 ? 0 : f.index) : JsonPointerToken(f.key);
    }
    return p;
  }

  int max_depth_;
  size_t max_string_;
  std::vector<Frame> frames_;
};

void LineColumn(std::string_view text, size_t byte, int* line, int* column) {
  if (byte > text.size()) byte = text.size();
  int l = 1, c = 1;
  for (size_t i = 0; i + 1 < byte; ++i) {
    if (text[i] == '\n') {
      ++l;
      c = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++c;
    }
  }
  *line = l;
  *column = c;
}

// nlohmann's messages start with "[json.exception.parse_error.101] parse error
// at line 3, column 5: syntax error while parsing object - ..."; keep the tail.
// Bytes that are not printable ASCII are shown as \xNN, so a message never
// carries invalid UTF-8 or control characters to the terminal.
std::string EscapeBytes(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

std::string TidyParseMessage(const std::string& raw) {
  std::string msg = EscapeBytes(raw);
  size_t at = msg.find("syntax error while parsing ");
  if (at != std::string::npos) {
    size_t dash = msg.find(" - ", at);
    return "syntax error: " + (dash == std::string::npos ? msg.substr(at + 27) : msg.substr(dash + 3));
  }
  size_t colon = msg.find(": ");
  if (msg.rfind("[json.exception", 0) == 0 && colon != std::string::npos) msg = msg.substr(colon + 2);
  return "syntax error: " + msg;
}

// "[json.exception.out_of_range.406] number overflow parsing '1e400'" ->
// "number 1e400 is out of range".
std::string TidyOtherMessage(const std::string& raw) {
  std::string msg = EscapeBytes(raw);
  const std::string overflow = "number overflow parsing '";
  size_t at = msg.find(overflow);
  if (at != std::string::npos && msg.back() == '\'') {
    size_t start = at + overflow.size();
    return "number " + msg.substr(start, msg.size() - 1 - start) + " is out of range";
  }
  size_t close = msg.find("] ");
  if (msg.rfind("[json.exception", 0) == 0 && close != std::string::npos) msg = msg.substr(close + 2);
  return "cannot read JSON: " + msg;
}

}  // namespace

std::string JsonTypeName(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    default: return "value";
  }
}

bool ParseJson(std::string_view text, const std::string& file, const JsonLimits& limits, json* out,
               std::vector<Diagnostic>* diags) {
  if (text.size() > limits.max_bytes) {
    diags->push_back({file, "", 0, 0,
                      "file is " + std::to_string(text.size()) + " bytes; the limit is " +
                          std::to_string(limits.max_bytes)});
    return false;
  }
  if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
    diags->push_back({file, "", 1, 1, "file is UTF-16; assay reads UTF-8 only"});
    return false;
  }
  // nlohmann's lexer takes a NUL byte for the end of the input, so text after
  // one would be ignored. A raw NUL is never valid JSON.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    Diagnostic d{file, "", 0, 0, "syntax error: NUL byte; JSON text cannot contain one"};
    LineColumn(text, nul + 1, &d.line, &d.column);
    diags->push_back(std::move(d));
    return false;
  }
  PathTracker tracker(limits);
  try {
    *out = json::parse(text.begin(), text.end(), std::ref(tracker), /*allow_exceptions=*/true,
                       /*ignore_comments=*/false);
  } catch (const StopParse& stop) {
    diags->push_back({file, stop.pointer, 0, 0, stop.message});
    return false;
  } catch (const json::parse_error& e) {
    Diagnostic d{file, "", 0, 0, TidyParseMessage(e.what())};
    LineColumn(text, e.byte, &d.line, &d.column);
    diags->push_back(std::move(d));
    return false;
  } catch (const json::exception& e) {
    // out_of_range 406 "number overflow parsing '1e400'": a number beyond a
    // double's range. It carries no byte offset; name the element instead.
    diags->push_back({file, tracker.PendingPointer(), 0, 0, TidyOtherMessage(e.what())});
    return false;
  }
  return true;
}

bool ReadJsonFile(const std::string& path, const JsonLimits& limits, json* out, std::vector<Diagnostic>* diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags->push_back({path, "", 0, 0, "cannot open file"});
    return false;
  }
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) {
    diags->push_back({path, "", 0, 0, "cannot read file (is it a directory?)"});
    return false;
  }
  if (static_cast<size_t>(size) > limits.max_bytes) {
    diags->push_back({path, "", 0, 0,
                      "file is " + std::to_string(size) + " bytes; the limit is " +
                          std::to_string(limits.max_bytes)});
    return false;
  }
  in.seekg(0);
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), size);
  if (!in) {
    diags->push_back({path, "", 0, 0, "cannot read file"});
    return false;
  }
  return ParseJson(text, path, limits, out, diags);
}

namespace {

// valijson contexts look like {"<root>", "[processes]", "[3]", "[name]"}.
std::string ContextToPointer(const std::vector<std::string>& context) {
  std::string p;
  for (const std::string& part : context) {
    if (part == "<root>") continue;
    std::string token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') token = token.substr(1, token.size() - 2);
    if (token.size() >= 2 && token.front() == '"' && token.back() == '"') token = token.substr(1, token.size() - 2);
    p += "/" + JsonPointerToken(token);
  }
  return p;
}

struct CompiledSchema {
  json doc;
  valijson::Schema schema;
};

const CompiledSchema& GetSchema(const std::string& name) {
  static std::map<std::string, std::unique_ptr<CompiledSchema>> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return *it->second;
  auto compiled = std::make_unique<CompiledSchema>();
  compiled->doc = json::parse(SchemaText(name));
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter adapter(compiled->doc);
  parser.populateSchema(adapter, compiled->schema);
  return *cache.emplace(name, std::move(compiled)).first->second;
}

}  // namespace

namespace {

struct SchemaProblem {
  std::string pointer;
  std::string message;
};

// Validates `doc`; false with every failure valijson reports.
bool Validate(const valijson::Schema& schema, const json& doc, std::vector<SchemaProblem>* out) {
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  if (validator.validate(schema, target, &results)) return true;
  for (const auto& e : results) out->push_back({ContextToPointer(e.context), e.description});
  return false;
}

// The property valijson names in "Object contains a property that could not
// be validated using 'properties' or 'additionalProperties' constraints:
// 'colour'.", or "" for any other message.
std::string UnknownProperty(const std::string& message) {
  static const std::string kMarker = "'additionalProperties' constraints: '";
  const size_t at = message.find(kMarker);
  if (at == std::string::npos || message.size() < at + kMarker.size() + 2) return "";
  return message.substr(at + kMarker.size(), message.size() - at - kMarker.size() - 2);
}

// valijson names only the first unknown property of an object. Takes each
// one named out of a copy of `doc` and validates again, until no new one
// appears or more than kMaxListedProblems are known, adding the others'
// messages after the object's last problem. False when it stopped early (there
// may be more).
bool AddEveryUnknownProperty(const valijson::Schema& schema, const json& doc, std::vector<SchemaProblem>* items) {
  std::set<std::pair<std::string, std::string>> seen;  // (object pointer, property)
  std::vector<std::pair<std::string, std::string>> fresh;
  for (const SchemaProblem& p : *items) {
    std::string name = UnknownProperty(p.message);
    if (!name.empty() && seen.emplace(p.pointer, name).second) fresh.emplace_back(p.pointer, name);
  }
  if (fresh.empty()) return true;
  json copy = doc;
  while (!fresh.empty() && seen.size() <= kMaxListedProblems) {
    for (const auto& [pointer, name] : fresh) {
      json* object = &copy;
      try {
        if (!pointer.empty()) object = &copy.at(json::json_pointer(pointer));
      } catch (const json::exception&) {
        return false;  // a place valijson named that we cannot find: stop
      }
      if (object->is_object()) object->erase(name);
    }
    fresh.clear();
    std::vector<SchemaProblem> again;
    if (Validate(schema, copy, &again)) return true;
    for (const SchemaProblem& p : again) {
      std::string name = UnknownProperty(p.message);
      if (!name.empty() && seen.emplace(p.pointer, name).second) {
        fresh.emplace_back(p.pointer, name);
        // Beside the object's other problems.
        auto last = std::find_if(items->rbegin(), items->rend(),
                                 [&](const SchemaProblem& q) { return q.pointer == p.pointer; });
        items->insert(last == items->rend() ? items->end() : last.base(), p);
      }
    }
  }
  return fresh.empty();
}

// Messages valijson adds at every enclosing level of a failure; they carry
// no information of their own.
bool IsWrapperMessage(const std::string& message) {
  return message.rfind("Failed to validate", 0) == 0 || message == "Value type not permitted by 'type' constraint.";
}

// ValidateSchema's work for any compiled schema.
bool ValidateCompiled(const valijson::Schema& schema, const json& doc, const std::string& file,
                      std::vector<Diagnostic>* diags) {
  std::vector<SchemaProblem> items;
  if (Validate(schema, doc, &items)) return true;
  const bool complete = AddEveryUnknownProperty(schema, doc, &items);

  // valijson reports a failure at every enclosing level too, and a value
  // that matches none of several alternatives fails the type of the others:
  // drop such a message when there is a deeper one (its cause). Keep every
  // other message of an enclosing object (a missing property beside a
  // property of the wrong type), one per place and text.
  std::vector<SchemaProblem> kept;
  for (const SchemaProblem& a : items) {
    bool has_deeper = false;
    for (const SchemaProblem& b : items) {
      if (b.pointer.size() > a.pointer.size() && b.pointer.compare(0, a.pointer.size(), a.pointer) == 0 &&
          b.pointer[a.pointer.size()] == '/') {
        has_deeper = true;
        break;
      }
    }
    if (has_deeper && IsWrapperMessage(a.message)) continue;
    // Messages that only say a nested schema failed carry no information.
    if (a.message.find("Failed to validate against") != std::string::npos && items.size() > 1) continue;
    bool dup = false;
    for (const SchemaProblem& k : kept)
      if (k.pointer == a.pointer && k.message == a.message) dup = true;
    if (!dup) kept.push_back(a);
  }
  if (kept.empty() && !items.empty()) kept.push_back(items.front());
  const size_t shown = std::min(kept.size(), kMaxListedProblems);
  for (size_t i = 0; i < shown; ++i)
    diags->push_back({file, kept[i].pointer.empty() ? "/" : kept[i].pointer, 0, 0, kept[i].message});
  if (kept.size() > shown)
    diags->push_back({file, "", 0, 0,
                      (complete ? std::to_string(kept.size() - shown) + " more problems" : std::string("more problems")) +
                          " not shown (the first " + std::to_string(kMaxListedProblems) + " are listed)"});
  return false;
}

}  // namespace

bool ValidateSchema(const std::string& schema_name, const json& doc, const std::string& file,
                    std::vector<Diagnostic>* diags) {
  return ValidateCompiled(GetSchema(schema_name).schema, doc, file, diags);
}

}  // namespace assay::internal

namespace assay {

struct JsonSchema::Rep {
  nlohmann::json doc;
  valijson::Schema schema;
};

JsonSchema::JsonSchema() = default;
JsonSchema::~JsonSchema() = default;

Status JsonSchema::Compile(nlohmann::json root, std::unique_ptr<JsonSchema>* out) {
  auto compiled = std::unique_ptr<JsonSchema>(new JsonSchema());
  compiled->rep_ = std::make_unique<Rep>();
  compiled->rep_->doc = std::move(root);
  try {
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(compiled->rep_->doc);
    parser.populateSchema(adapter, compiled->rep_->schema);
  } catch (const std::exception& e) {
    return Status::InvalidInput(std::string("not a usable JSON Schema: ") + e.what());
  }
  *out = std::move(compiled);
  return Status::OK();
}

bool JsonSchema::Validate(const nlohmann::json& doc, const std::string& file, std::vector<Diagnostic>* diags) const {
  return internal::ValidateCompiled(rep_->schema, doc, file, diags);
}

}  // namespace assay
