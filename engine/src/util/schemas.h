// Internal: the JSON Schemas of schemas/, compiled into the engine.
#ifndef ASSAY_ENGINE_SCHEMAS_H_
#define ASSAY_ENGINE_SCHEMAS_H_

#include <string>
#include <string_view>

namespace assay::internal {

// The text of schemas/<name>.schema.json. Throws std::out_of_range for an unknown name.
std::string_view SchemaText(const std::string& name);

}  // namespace assay::internal

#endif  // ASSAY_ENGINE_SCHEMAS_H_
