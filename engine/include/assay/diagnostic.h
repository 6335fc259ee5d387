// Diagnostic: one problem found in an input file (a model pack, a
// requirement catalogue, an import file), naming the place.
//
// It lives in its own header so that headers which must not pull in the
// model (catalogue.h next to audit.h) can still use it. A Diagnostic is a
// value; distinct objects may be used concurrently.
#ifndef ASSAY_DIAGNOSTIC_H_
#define ASSAY_DIAGNOSTIC_H_

#include <string>

namespace assay {

// One problem found in a file.
struct Diagnostic {
  std::string file;
  std::string pointer;  // JSON pointer ("" = the whole document)
  int line = 0;         // 1-based, for syntax errors; 0 when not known
  int column = 0;
  std::string message;

  // "file:line:column: message" or "file: /pointer: message", on one line:
  // control characters (from the input: keys, IDs, values) are shown as \xNN.
  // (Implemented in model_library.cc.)
  std::string ToString() const;
};

}  // namespace assay

#endif  // ASSAY_DIAGNOSTIC_H_
