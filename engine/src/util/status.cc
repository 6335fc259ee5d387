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
  }
  return std::string(name) + ": " + message_;
}

int Status::ExitCode() const {
  switch (code_) {
    case Code::kOk: return 0;
    case Code::kInvalidInput: return 3;
    case Code::kNotFound: return 4;
    case Code::kChecksFailed: return 5;
    case Code::kIOError: return 6;
    case Code::kCorruption: return 7;
    case Code::kUnsupported: return 8;
  }
  return 1;
}

}  // namespace assay
