// The request bodies' schemas, taken from the OpenAPI description the server
// serves (schemas/assay-api.openapi.json, embedded): every JSON write is
// checked against its operation's schema before a handler reads it, so what
// the description says is what the server accepts.
#include <cctype>
#include <regex>
#include <string>
#include <vector>

#include "assay/text.h"
#include "serve.h"

namespace assay::cli::serve {

namespace {

using nlohmann::json;

// OpenAPI 3.0's "nullable: true" in JSON Schema terms: "null" joins the
// types. Applied to every schema object of `j`.
void NullableToType(json* j) {
  if (j->is_array()) {
    for (json& e : *j) NullableToType(&e);
    return;
  }
  if (!j->is_object()) return;
  auto nullable = j->find("nullable");
  if (nullable != j->end()) {
    const bool yes = nullable->is_boolean() && nullable->get<bool>();
    j->erase(nullable);
    auto type = j->find("type");
    if (yes && type != j->end() && type->is_string()) *type = json::array({*type, "null"});
  }
  for (auto& [key, value] : j->items()) NullableToType(&value);
}

// "/api/assessments/{id}/evidence/{evidence}/file" as an anchored regex.
std::regex PathPattern(const std::string& path) {
  static const std::regex kParam(R"(\{[^}/]+\})");
  std::string escaped;
  for (char c : path) {
    if (std::string(".+*?^$()[]|\\").find(c) != std::string::npos) escaped += '\\';
    escaped += c;
  }
  return std::regex("^" + std::regex_replace(escaped, kParam, "[^/]+") + "$");
}

// The name valijson quotes after `marker` in `message` ("...'name'."), or "".
std::string Quoted(const std::string& message, const std::string& marker) {
  const size_t at = message.find(marker);
  if (at == std::string::npos) return "";
  const size_t from = at + marker.size();
  const size_t end = message.rfind('\'');
  return end == std::string::npos || end <= from ? "" : message.substr(from, end - from);
}

// The schema object that describes the value at `pointer` of a request body
// under `root` (following "$ref"s, "properties", "items" and the first
// "oneOf" alternative that has the property), or nullptr.
const json* SchemaAt(const json& root, const std::string& pointer) {
  const json* node = &root;
  auto resolve = [&root](const json* n) {
    for (int hops = 0; n != nullptr && n->is_object() && n->contains("$ref") && hops < 8; ++hops) {
      try {
        n = &root.at(json::json_pointer(n->at("$ref").get<std::string>().substr(1)));
      } catch (const json::exception&) {
        return static_cast<const json*>(nullptr);
      }
    }
    return n;
  };
  size_t pos = 1;
  while (node != nullptr && pos <= pointer.size()) {
    node = resolve(node);
    if (node == nullptr) return nullptr;
    size_t end = pointer.find('/', pos);
    if (end == std::string::npos) end = pointer.size();
    const std::string token = pointer.substr(pos, end - pos);
    pos = end + 1;
    const json* next = nullptr;
    std::vector<const json*> choices = {node};
    if (node->contains("oneOf"))
      for (const json& alt : node->at("oneOf")) choices.push_back(resolve(&alt));
    for (const json* c : choices) {
      if (c == nullptr || next != nullptr) continue;
      if (c->contains("properties") && c->at("properties").contains(token)) next = &c->at("properties").at(token);
      else if (c->contains("items") && !token.empty() && std::isdigit(static_cast<unsigned char>(token[0])))
        next = &c->at("items");
    }
    node = next;
  }
  return resolve(node);
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Status RequestSchemas::Load(const std::string& openapi_text) {
  json doc;
  try {
    doc = json::parse(openapi_text);
  } catch (const json::exception& e) {
    return Status::InvalidInput(std::string("the embedded OpenAPI description is not JSON: ") + e.what());
  }
  json components = doc.value("components", json::object());
  NullableToType(&components);
  const json paths = doc.value("paths", json::object());
  for (const auto& [path, operations] : paths.items()) {
    for (const auto& [method, op] : operations.items()) {
      if (!op.is_object()) continue;
      const json* schema = nullptr;
      try {
        schema = &op.at("requestBody").at("content").at("application/json").at("schema");
      } catch (const json::exception&) {
        continue;  // no JSON body (reads, the evidence file's bytes)
      }
      json root = *schema;
      NullableToType(&root);
      root["components"] = components;  // where the "#/components/..." references point
      Operation o{Upper(method), path, PathPattern(path), root, nullptr};
      Status s = JsonSchema::Compile(std::move(root), &o.schema);
      if (!s.ok()) return Prefixed(s, method + " " + path + ": ");
      operations_.push_back(std::move(o));
    }
  }
  return Status::OK();
}

// "'documnt' is not one of document, record, ...; nearest: document".
std::string RequestSchemas::EnumMessage(const Operation& op, const json& body, const std::string& pointer) {
  const json* schema = SchemaAt(op.root, pointer);
  if (schema == nullptr || !schema->contains("enum")) return "not one of the allowed values";
  std::vector<std::string> allowed;
  for (const json& v : schema->at("enum")) allowed.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  std::string given;
  try {
    const json& v = body.at(json::json_pointer(pointer == "/" ? "" : pointer));
    given = v.is_string() ? v.get<std::string>() : v.dump();
  } catch (const json::exception&) {
  }
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return Quote(DisplaySafe(given)) + " is not one of " + list + SuggestionSuffix(given, allowed);
}

// "expected a string, not a number".
std::string RequestSchemas::TypeMessage(const Operation& op, const json& body, const std::string& pointer) {
  auto type_name = [](const std::string& t) {
    return t == "object" || t == "array" || t == "integer" ? "an " + t : t == "null" ? t : "a " + t;
  };
  std::string expected;
  if (const json* schema = SchemaAt(op.root, pointer); schema != nullptr && schema->contains("type")) {
    const json& t = schema->at("type");
    for (const json& one : t.is_array() ? t : json::array({t}))
      if (one.is_string() && one != "null") expected += (expected.empty() ? "" : " or ") + type_name(one.get<std::string>());
  }
  std::string given;
  try {
    const json& v = body.at(json::json_pointer(pointer == "/" ? "" : pointer));
    given = v.is_string()             ? "string"
            : v.is_boolean()          ? "boolean"
            : v.is_number_integer()   ? "integer"
            : v.is_number()           ? "number"
            : v.is_array()            ? "array"
            : v.is_object()           ? "object"
                                      : "null";
  } catch (const json::exception&) {
  }
  if (expected.empty() || given.empty()) return "a value of the wrong type";
  return "expected " + expected + ", not " + type_name(given);
}

const RequestSchemas::Operation* RequestSchemas::Find(const std::string& method, const std::string& path) const {
  for (const Operation& o : operations_)
    if (o.method == method && std::regex_match(path, o.pattern)) return &o;
  return nullptr;
}

Status RequestSchemas::Check(const std::string& method, const std::string& path, const json& body,
                             json* problems) const {
  const Operation* op = Find(method, path);
  if (op == nullptr) return Status::OK();
  std::vector<Diagnostic> diags;
  if (op->schema->Validate(body, "", &diags)) return Status::OK();
  *problems = json::array();
  for (Diagnostic& d : diags) {
    // A missing or unknown property is a problem of the property, not of
    // its object.
    if (std::string name = Quoted(d.message, "Missing required property '"); !name.empty()) {
      d.pointer = (d.pointer == "/" ? "" : d.pointer) + "/" + JsonPointerToken(name);
      d.message = "required";
    } else if (name = Quoted(d.message, "'additionalProperties' constraints: '"); !name.empty()) {
      d.pointer = (d.pointer == "/" ? "" : d.pointer) + "/" + JsonPointerToken(name);
      d.message = "not a field of this request";
    } else if (d.message.find("enum values") != std::string::npos) {
      d.message = EnumMessage(*op, body, d.pointer);
    } else if (d.message.find("'type' constraint") != std::string::npos) {
      d.message = TypeMessage(*op, body, d.pointer);
    }
  }
  // A value of the wrong type is not also "not one of" a list.
  std::vector<Diagnostic> kept;
  for (const Diagnostic& d : diags) {
    bool typed = false;
    for (const Diagnostic& e : diags) typed |= e.pointer == d.pointer && e.message.rfind("expected ", 0) == 0;
    if (typed && d.message.find(" is not one of ") != std::string::npos) continue;
    kept.push_back(d);
    problems->push_back({{"pointer", d.pointer}, {"message", d.message}});
  }
  diags = kept;
  const Diagnostic& first = diags.front();
  std::string message = "request body " + (first.pointer == "/" ? std::string() : first.pointer + ": ") +
                        first.message + " (checked against " + op->method + " " + op->path +
                        " in the API description)";
  if (diags.size() == 2) message += " (and 1 more problem)";
  if (diags.size() > 2) message += " (and " + std::to_string(diags.size() - 1) + " more problems)";
  return Status::InvalidInput(message);
}

}  // namespace assay::cli::serve
