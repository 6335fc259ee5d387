// Status: the outcome of an engine operation.
//
// Every public engine function that can fail returns a Status (or fills one).
// A Status is ok() or carries a Code and a message that names the place of the
// problem ("models/x.json: /processes/3: expected array, got string").
// Exceptions thrown by the libraries the engine uses (SQLiteCpp, nlohmann::json,
// Boost) are caught inside the engine and never cross this boundary.
//
// Thread safety: a Status is a value; distinct objects may be used concurrently.
#ifndef ASSAY_STATUS_H_
#define ASSAY_STATUS_H_

#include <string>
#include <string_view>
#include <utility>

namespace assay {

class Status {
 public:
  // The codes map one to one onto the documented exit codes of the `assay`
  // executable (see ExitCode()).
  enum class Code {
    kOk = 0,
    kInvalidInput,   // a file or value the user gave is malformed or inconsistent
    kNotFound,       // an ID, file or workspace does not exist
    kChecksFailed,   // the input is valid but a check the user asked for failed
    kIOError,        // the file system or the database could not be used
    kCorruption,     // stored data does not match what was written (log chain)
    kUnsupported,    // e.g. a workspace written by a newer assay
  };

  Status() = default;

  static Status OK() { return Status(); }
  static Status InvalidInput(std::string msg) { return Status(Code::kInvalidInput, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status ChecksFailed(std::string msg) { return Status(Code::kChecksFailed, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(Code::kUnsupported, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "ok", or "<code name>: <message>".
  std::string ToString() const;

  // The process exit code for this status: 0 ok, 3 invalid input, 4 not found,
  // 5 checks failed, 6 I/O or storage error, 7 corruption, 8 unsupported.
  // (1 is an internal error and 2 a usage error; both are the CLI's own.)
  int ExitCode() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

// Returns from the enclosing function when `expr` is not ok.
#define ASSAY_RETURN_IF_ERROR(expr)        \
  do {                                     \
    ::assay::Status _st = (expr);          \
    if (!_st.ok()) return _st;             \
  } while (0)

}  // namespace assay

#endif  // ASSAY_STATUS_H_
