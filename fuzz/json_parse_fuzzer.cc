// Fuzzes internal::ParseJson, the reader of every JSON input (model packs,
// imports), with the default limits and with tight ones, and the schema
// validator on what parses.
//
// Contracts checked besides "no crash": ParseJson fails exactly when it
// reported a diagnostic, and then exactly one; messages are one line of
// printable text; what parses under the tight limits parses under the
// default ones to the same document; a parsed document dumps and parses
// back to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"
#include "util/json_input.h"

namespace {

bool Parse(std::string_view text, const assay::JsonLimits& limits, nlohmann::json* doc) {
  std::vector<assay::Diagnostic> diags;
  bool ok = assay::internal::ParseJson(text, "in.json", limits, doc, &diags);
  FUZZ_CHECK(ok == diags.empty(), "ParseJson returned " + std::to_string(ok) + " with " +
                                      std::to_string(diags.size()) + " diagnostics");
  if (ok) return true;
  FUZZ_CHECK(diags.size() == 1, "more than one diagnostic: " + diags[1].ToString());
  for (char c : diags[0].ToString())
    FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F, "control byte in: " + diags[0].ToString());
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  assay::JsonLimits tight;
  tight.max_bytes = 4096;
  tight.max_depth = 4;
  tight.max_string = 16;
  nlohmann::json small_doc;
  bool small_ok = Parse(text, tight, &small_doc);

  nlohmann::json doc;
  bool ok = Parse(text, assay::JsonLimits(), &doc);
  if (small_ok) FUZZ_CHECK(ok && doc == small_doc, "parses under tight limits but not under the defaults");
  if (!ok) return 0;

  std::string dumped = doc.dump();
  nlohmann::json again;
  FUZZ_CHECK(Parse(dumped, assay::JsonLimits(), &again), "dump does not parse back: " + dumped.substr(0, 200));
  FUZZ_CHECK(again == doc, "dump parses to a different document: " + dumped.substr(0, 200));

  // The schemas compiled into the engine, on whatever parsed.
  std::vector<assay::Diagnostic> diags;
  bool valid = assay::internal::ValidateSchema(size % 2 == 0 ? "model" : "assessment", doc, "in.json", &diags);
  FUZZ_CHECK(valid == diags.empty(), "ValidateSchema result disagrees with its diagnostics");
  return 0;
}
