// JsonSchema: a JSON Schema compiled once to check many documents, with the
// same problem reports as every JSON input of the engine (each failing place
// as a JSON pointer, every unknown property, at most a hundred problems).
//
// The engine's own formats are checked inside the loaders; this is for
// schemas a caller holds, such as the request bodies of assay serve's API
// taken from its OpenAPI description. A compiled JsonSchema is immutable:
// one object may validate from several threads at once.
#ifndef ASSAY_JSON_SCHEMA_H_
#define ASSAY_JSON_SCHEMA_H_

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/status.h"

namespace assay {

class JsonSchema {
 public:
  // Compiles `root`, a JSON Schema document (draft 7 keywords; "$ref"s are
  // JSON pointers into `root` itself). InvalidInput when it is not one.
  static Status Compile(nlohmann::json root, std::unique_ptr<JsonSchema>* out);
  ~JsonSchema();
  JsonSchema(const JsonSchema&) = delete;
  JsonSchema& operator=(const JsonSchema&) = delete;

  // True when `doc` conforms. Otherwise false, and one Diagnostic per problem
  // is appended to `diags`, with `file` as its file and the problem's JSON
  // pointer ("/" for the whole document).
  bool Validate(const nlohmann::json& doc, const std::string& file, std::vector<Diagnostic>* diags) const;

 private:
  JsonSchema();
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace assay

#endif  // ASSAY_JSON_SCHEMA_H_
