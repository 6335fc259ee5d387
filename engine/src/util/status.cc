#include "assay/status.h"

namespace assay {

std::string Status::ToString() const {
  const char* name = "ok";
  switch (code_) {
    case Code::kOk: return "ok";
    case Code::kInvalidInput: name = "invalid input"; break;
    case Code::kNotFound: name = "not found"; break;
    case Code::kChecksFailed: name = "checks failed"; break;
    case Code::kIOError: name = "I/O error"; break;
    case Code::kCorruption: name = "corruption"; break;
    case Code::kUnsupported: name = "unsupported"; break;
    case Code::kPermissionDenied: name = "permission denied"; break;
    case Code::kConflict: name = "conflict"; break;
  }
  return std::string(name) + ": " + message_;
}

}  // namespace assay
