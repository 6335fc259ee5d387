// Internal: reading JSON input with limits and precise error places.
#ifndef ASSAY_ENGINE_JSON_INPUT_H_
#define ASSAY_ENGINE_JSON_INPUT_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/model.h"

namespace assay::internal {

// The most problems listed for one input file; beyond it one line says how
// many more there are. A file with a thousand bad rows needs its first ones
// fixed, not a thousand lines.
inline constexpr size_t kMaxListedProblems = 100;

// Parses `text` (named `file` in messages). Reports syntax errors with
// line:column, duplicate object keys and excessive nesting with a JSON
// pointer. Returns false when `diags` received a problem.
bool ParseJson(std::string_view text, const std::string& file, const JsonLimits& limits,
               nlohmann::json* out, std::vector<Diagnostic>* diags);

// Reads a whole file and parses it as ParseJson does.
bool ReadJsonFile(const std::string& path, const JsonLimits& limits, nlohmann::json* out,
                  std::vector<Diagnostic>* diags);

// Validates `doc` against one of the schemas compiled into the engine
// ("model", ...). Appends one diagnostic per problem: every failing location,
// every unknown property of an object, and a missing property beside a
// property of the wrong type; at most kMaxListedProblems, then one saying how
// many more there are.
bool ValidateSchema(const std::string& schema_name, const nlohmann::json& doc, const std::string& file,
                    std::vector<Diagnostic>* diags);

// A JSON type name for messages: "string", "array", ...
std::string JsonTypeName(const nlohmann::json& j);

}  // namespace assay::internal

#endif  // ASSAY_ENGINE_JSON_INPUT_H_
