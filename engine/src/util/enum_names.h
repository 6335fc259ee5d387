// Internal: the one way an enumeration's Parse() reads its text form and
// reports text that is none of its names (the convention of the public
// headers: `std::string_view XName(X)` or `const char* XName(X)`, and
// `Status ParseX(std::string_view, X*)`).
#ifndef ASSAY_ENGINE_ENUM_NAMES_H_
#define ASSAY_ENGINE_ENUM_NAMES_H_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "assay/status.h"
#include "assay/text.h"

namespace assay::internal {

// InvalidInput for `text`, which is none of `names`, the valid forms of a
// `what` ("rating method"):
//   unknown rating method 'R4'; nearest: R1, R2, R3
// or, when no name is near it,
//   unknown role 'king': expected one of sponsor, lead-assessor, ...
// Its subject: kind `what`, id `text`, the nearest names, reason "missing".
inline Status UnknownName(std::string_view what, std::string_view text, const std::vector<std::string>& names) {
  std::vector<std::string> nearest = NearestIds(text, names);
  std::string msg = "unknown " + std::string(what) + " " + Quote(text);
  if (!nearest.empty()) {
    msg += "; nearest: ";
    for (size_t i = 0; i < nearest.size(); ++i) msg += (i > 0 ? ", " : "") + nearest[i];
  } else {
    msg += ": expected one of ";
    for (size_t i = 0; i < names.size(); ++i) msg += (i > 0 ? ", " : "") + names[i];
  }
  return Status::InvalidInput(std::move(msg)).About(std::string(what), std::string(text), std::move(nearest));
}

// Sets *out to the value whose name in `table` is exactly `text`, or returns
// UnknownName (and leaves *out unchanged).
template <typename E, size_t N>
Status ParseName(std::string_view what, const std::array<std::pair<E, const char*>, N>& table, std::string_view text,
                 E* out) {
  for (const auto& [value, name] : table) {
    if (text == name) {
      *out = value;
      return Status::OK();
    }
  }
  std::vector<std::string> names;
  names.reserve(N);
  for (const auto& entry : table) names.emplace_back(entry.second);
  return UnknownName(what, text, names);
}

}  // namespace assay::internal

#endif  // ASSAY_ENGINE_ENUM_NAMES_H_
